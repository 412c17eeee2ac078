//! The building blocks the models are made of, each a plain struct of tensors with a
//! hand-fused kernel where profiling asked for one:
//!
//! | file | block | source |
//! |---|---|---|
//! | [`dense`] | `y = x Wᵀ + b` on [`cpu::sgemm`] or (feature `openblas`) OpenBLAS | — |
//! | [`batch_norm`] | batch norm and (leaky) ReLU of a channel-major map, fused | Ioffe & Szegedy 2015 |
//! | [`augment`] | random shifts of the images a discriminator sees, differentiable | Zhao et al. 2020 |
//! | [`conv`] | 2-D convolution and its transpose, im2col / col2im on [`cpu::sgemm`] | Dumoulin & Visin 2016 |
//! | [`mlp`] | `h_{k+1} = act(W_k h_k + b_k)`: the MLP of every MLP model | — |
//! | [`loss`] | `BCE(l, x) = softplus(l) − x·l` ([`cpu::bce`]), softplus, finite for any logit | Goodfellow et al., *Deep Learning* 3.10 |
//! | [`optim`] | AdamW fused into one pass per parameter ([`cpu::adamw`]) | Loshchilov & Hutter 2019 |
//! | [`ema`] | `θ_ema ← β θ_ema + (1 − β) θ`: averaged weights for sampling | Yazıcı et al. 2019 |
//! | [`masks`] | receptive fields of Row LSTM, Diagonal BiLSTM, PixelCNN | van den Oord et al. 2016 |
//! | [`cpu`] | the kernels under them (matrix product, NADE recursion, AdamW, BCE), one path per instruction set, chosen at run time | Goto & van de Geijn 2008 |

pub mod augment;
pub mod batch_norm;
pub mod conv;
pub mod cpu;
pub mod dense;
pub mod ema;
pub mod loss;
pub mod masks;
pub mod mlp;
pub mod optim;

pub use dense::Dense;
pub use ema::Ema;
pub use loss::{bce_with_logits_sum, softplus};
pub use mlp::{Activation, Mlp};
pub use optim::{FusedAdamW, adamw};
