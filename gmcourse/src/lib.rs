//! # gmcourse
//!
//! The support crate of the gmcourse lessons on generative models. The notebooks import
//! it and never define library logic of their own:
//!
//! | module | what it holds |
//! |---|---|
//! | [`data`] | the shipped MNIST subset, seeded toy data sets |
//! | [`plot`] | plots that show inline in a notebook and save to SVG/PNG |
//! | [`prob`] | distributions, joint tables, expectations, mixtures fitted by EM, MCMC, kernel density estimates |
//! | [`info`] | self-information, entropy, cross-entropy, KL |
//! | [`game`] | zero-sum games: min max vs max min, alternating gradient play |
//! | [`models`] | FVSBN, NADE, PixelCNN, autoencoder, VAE, GAN, cGAN, classifier, scores; their building blocks and training loop |
//! | [`live`] | a progress bar and loss curve that redraw in place while a cell trains |
//!
//! Start a notebook with `use gmcourse::prelude::*;`.

pub(crate) mod check;
pub mod course;
pub mod data;
pub mod error;
pub mod game;
pub mod info;
pub mod live;
pub mod models;
pub mod plot;
pub mod prelude;
pub mod prob;
pub mod testing;

pub use error::{Error, Result};

/// The crate's version, e.g. to check in a notebook which `gmcourse` the kernel loaded.
///
/// ```
/// assert!(!gmcourse::VERSION.is_empty());
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
