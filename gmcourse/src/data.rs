//! Data: samples x ~ p_data for every lesson.
//!
//! A generative model learns p_theta(x) ≈ p_data(x) from samples x⁽¹⁾ … x⁽ⁿ⁾ ~ p_data.
//! This module supplies those samples, seeded and offline:
//!
//! - [`Mnist`]: real MNIST digits (LeCun, Cortes & Burges, <http://yann.lecun.com/exdb/mnist/>,
//!   CC BY-SA 3.0). [`Mnist::load`] reads the 10,000-digit subset shipped in `data/mnist`
//!   (train 8,000 / val 1,000 / test 1,000), checking every file's SHA-256 first.
//!   Each [`Split`] holds x as 28 × 28 = 784 grey levels per image, its label, and the
//!   fixed binarization x ∈ {0, 1}⁷⁸⁴ (grey ≥ 128) used by the binary-pixel models.
//! - [`idx`]: the IDX file format of the MNIST distribution.
//! - [`synthetic`]: toy p_data in 1-D and 2-D: two Gaussian modes, the 8-Gaussian ring,
//!   the 5 × 5 grid, two moons, the swiss roll; their [`Points`] and mode coverage.
//! - [`augment`]: random shifts of digit images for training classifiers.
//! - [`dice`]: independent die and coin rolls for the joint-table lesson.
//!
//! ```
//! use gmcourse::data::{Mnist, Pixels};
//! let mnist = Mnist::load()?;
//! assert_eq!((mnist.train.len(), mnist.val.len(), mnist.test.len()), (8000, 1000, 1000));
//! let x = mnist.train.take(64).x(Pixels::Binarized, &candle_core::Device::Cpu)?;
//! assert_eq!(x.dims(), &[64, 784]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

pub mod augment;
pub mod dice;
pub mod idx;
pub mod synthetic;

mod checksum;
mod mnist;
mod split;

pub use dice::{Coin, dice_and_coin};
pub use mnist::{Mnist, MnistSource};
pub use split::{BINARIZE_THRESHOLD, IMAGE_SIDE, PIXELS, Pixels, Split};
pub use synthetic::{
    GridConfig, MoonsConfig, Points, RingConfig, SwissRollConfig, TwoModesConfig, grid, ring,
    swiss_roll, two_modes, two_moons,
};
