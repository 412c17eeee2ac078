//! Reference generative models on candle, one file per model, with the training loops,
//! scores and samplers the lessons use.
//!
//! | model | idea | source |
//! |---|---|---|
//! | [`nade`] | `p(x) = Π_i σ(V_i·σ(W_<i x_<i + c) + b_i)` | Larochelle & Murray 2011 |
//! | [`vae`] | `log p(x) >= E_q[log p(x\|z)] - KL(q(z\|x) ‖ p(z))` | Kingma & Welling 2014 |
//! | [`vae_history`] | the ELBO's reconstruction and KL terms recorded per step | Kingma & Welling 2014 |
//! | [`autoencoder`] | `x → z = E(x) → x' = D(z)`, BCE reconstruction | lecture 001 |
//! | [`cgan`] | G(z, y), D(x, y) with one-hot labels | Mirza & Osindero 2014 |
//! | [`classifier`] | `p(y\|x) = softmax(f_θ(x))`, cross-entropy | — |
//! | [`dense`] | `y = x Wᵀ + b` on candle or (feature `openblas`) OpenBLAS | — |
//! | [`ema`] | `θ_ema ← β θ_ema + (1 − β) θ`: averaged generator weights for sampling | Yazıcı et al. 2019 |
//! | [`eval`] | MNIST score `exp E KL(p(y\|x) ‖ p(y))`, FID | Salimans 2016, Heusel 2017 |
//! | [`gan`] | `min_G max_D E log D(x) + E log(1 - D(G(z)))` | Goodfellow et al. 2014 |
//! | [`gan_one_sided`] | D (or G) alone against a frozen opponent: D → D*, the Helvetica scenario | Goodfellow et al. 2014 |
//! | [`gan_figure`] | figure 1 of the GAN paper from a recorded run, KDE of G's samples | Goodfellow et al. 2014 |
//! | [`masks`] | receptive fields of Row LSTM, Diagonal BiLSTM, PixelCNN | van den Oord et al. 2016 |
//! | [`mcmc`] | Metropolis–Hastings: accept with min(1, p(x')/p(x)) | Metropolis 1953 |
//! | [`mixture_em`] | `p(x) = Σ_k π_k N(x; mu_k, σ_k²)` fitted by EM | Dempster et al. 1977 |
//! | [`mog_conditional`] | `p(x_i \| x_<i) = Σ_k π_k N(x_i; μ_k, σ_k²)`, parameters from a network | Uria et al. 2013 |
//! | [`mlp`] | the MLP the other models are built from | — |
//! | [`nn`] | CPU kernels (matrix product, NADE recursion, AdamW) per instruction set, chosen at run time | Goto & van de Geijn 2008 |
//! | [`optim`] | AdamW fused into two in-place passes | Loshchilov & Hutter 2019 |
//! | [`pixelcnn`] | `p(x_i \| x_<i)` from masked convolutions | van den Oord et al. 2016 |
//! | [`train`] | shared loop, seeded init, softplus BCE, checkpoints | — |
//!
//! Every model takes images as `(batch, 784)` f32 tensors and is seeded end to end.
//!
//! ## Speed
//!
//! On a CPU shared with other work, set `CANDLE_NUM_THREADS=1` (candle 0.11's element-wise
//! thread pool spin-waits) and `MALLOC_MMAP_THRESHOLD_=33554432
//! MALLOC_TRIM_THRESHOLD_=2147483648 MALLOC_TOP_PAD_=268435456` (glibc otherwise returns
//! and re-faults every parameter-sized buffer) in the environment before the first tensor
//! operation: on the course machine this took a VAE from about 10 to about 100 training
//! steps per second. `bench/README.md` has the measurements.

pub mod autoencoder;
pub mod cgan;
pub mod classifier;
pub mod dense;
pub mod ema;
pub mod eval;
pub mod gan;
pub mod gan_figure;
pub mod gan_one_sided;
pub mod masks;
pub mod mcmc;
pub mod mixture_em;
pub mod mlp;
pub mod mog_conditional;
pub mod nade;
pub mod nn;
pub mod optim;
pub mod pixelcnn;
pub mod pretrained;
pub mod train;
pub mod vae;
pub mod vae_history;

/// The parameter store every model is built in, re-exported so that notebooks can name it.
pub use candle_nn::VarMap;

pub use autoencoder::{Autoencoder, AutoencoderConfig};
pub use cgan::{Cgan, CganConfig};
pub use classifier::{Classifier, ClassifierConfig};
pub use ema::Ema;
pub use gan::{Equilibrium, Gan, GanConfig, GeneratorLoss};
pub use mcmc::{Chain, McmcConfig};
pub use mixture_em::{EmConfig, GaussianMixture1d};
pub use mog_conditional::{MogConditional, MogConditionalConfig};
pub use nade::{Nade, NadeConfig};
pub use pixelcnn::{PixelCnn, PixelCnnConfig};
pub use train::TrainConfig;
pub use vae::{Elbo, Vae, VaeConfig};
