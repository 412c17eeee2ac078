//! Reference generative models on candle: one file per model, the building blocks they
//! are made of in [`nn`], and the training loop they share in [`train`].
//!
//! | model | idea | source |
//! |---|---|---|
//! | [`fvsbn`] | `p(x_i = 1 \| x_<i) = σ(α_i + Σ_{j<i} W_ij x_j)`: logistic regressions | Frey 1998 |
//! | [`nade`] | `p(x) = Π_i σ(V_i·σ(W_<i x_<i + c) + b_i)` | Larochelle & Murray 2011 |
//! | [`pixelcnn`] | `p(x_i \| x_<i)` from masked convolutions | van den Oord et al. 2016 |
//! | [`mog_conditional`] | `p(x_i \| x_<i) = Σ_k π_k N(x_i; μ_k, σ_k²)`, parameters from a network | Uria et al. 2013 |
//! | [`autoencoder`] | `x → z = E(x) → x' = D(z)`, BCE reconstruction | lecture 001 |
//! | [`vae`] | `log p(x) >= E_q[log p(x\|z)] - KL(q(z\|x) ‖ p(z))` | Kingma & Welling 2014 |
//! | [`gan`] | `min_G max_D E log D(x) + E log(1 - D(G(z)))`, and its lesson experiments | Goodfellow et al. 2014 |
//! | [`dcgan`] | the GAN game with a convolutional G (transposed convs) and D (strided convs), both told a k-means cluster | Radford et al. 2016; Liu et al. 2020 |
//! | [`cgan`] | G(z, y), D(x, y) with one-hot labels | Mirza & Osindero 2014 |
//! | [`classifier`] | `p(y\|x) = softmax(f_θ(x))`, cross-entropy | — |
//! | [`kmeans`] | `k` centres, each the mean of its nearest rows (the DCGAN's clusters) | Lloyd 1982; Arthur & Vassilvitskii 2007 |
//! | [`eval`] | MNIST score `exp E KL(p(y\|x) ‖ p(y))`, FID | Salimans 2016, Heusel 2017 |
//!
//! | folder | what lives there |
//! |---|---|
//! | [`nn`] | building blocks: dense layer, MLP, BCE loss, AdamW, weight average, autoregressive masks, and the CPU kernels under them chosen at run time ([`nn::cpu`]) |
//! | [`train`] | the training loop, its observers, seeded randomness, [`History`], checkpoints |
//!
//! Every neural model is a [`Model`]: built with `X::new(vb, &cfg)` or, seeded end to
//! end, `X::seeded(&cfg, seed)`; its `train` function returns a [`History`]. Images are
//! `(batch, 784)` f32 tensors.
//!
//! ## Speed
//!
//! On a CPU shared with other work candle wants one element-wise thread and glibc a
//! malloc that keeps parameter-sized buffers: the course sets `CANDLE_NUM_THREADS` and
//! `MALLOC_*` in one place, the `[env]` table of `.cargo/config.toml`, which cargo gives
//! every process it runs and `scripts/lib.sh` copies into the kernelspec for notebooks. On the course machine this took a VAE from
//! about 10 to about 100 training steps per second; `bench/README.md` has the
//! measurements.

pub mod autoencoder;
pub mod cgan;
pub mod classifier;
pub mod dcgan;
pub mod eval;
pub mod fvsbn;
pub mod gan;
pub mod kmeans;
pub mod mog_conditional;
pub mod nade;
pub mod nn;
pub mod pixelcnn;
pub mod train;
pub mod vae;

mod model;

/// The parameter store every model is built in, re-exported so that notebooks can name it.
pub use candle_nn::VarMap;

pub use autoencoder::{Autoencoder, AutoencoderConfig};
pub use cgan::{Cgan, CganConfig};
pub use classifier::{Classifier, ClassifierConfig};
pub use dcgan::{Dcgan, DcganConfig};
pub use fvsbn::{Fvsbn, FvsbnConfig};
pub use gan::{Equilibrium, Gan, GanConfig, GeneratorLoss};
pub use model::Model;
use model::minimise_on_batches;
pub use mog_conditional::{MogConditional, MogConditionalConfig};
pub use nade::{Nade, NadeConfig};
pub use pixelcnn::{PixelCnn, PixelCnnConfig};
pub use train::{Checkpoints, History, TrainConfig};
pub use vae::{Elbo, Vae, VaeConfig};
