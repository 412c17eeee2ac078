//! `use gmcourse::prelude::*;` brings in what a lesson needs: the modules by name
//! (`data::`, `plot::`, `prob::`, `info::`, `game::`, `course::`, `live::`), the types used in most cells,
//! a seedable random number generator, candle's tensor types, and ndarray's arrays
//! (`Array1`, `Array2`, `Array3`, `Axis`, `array!`) for the tables and samples of lessons 01–04.
//!
//! ```
//! use gmcourse::prelude::*;
//! let mut rng = StdRng::seed_from_u64(0);
//! let coin = Bernoulli::new(0.9)?;
//! let _heads: bool = coin.sample(&mut rng);
//! # Ok::<(), gmcourse::Error>(())
//! ```

pub use crate::data::{Mnist, Pixels, Split};
pub use crate::error::{Error, Result};
pub use crate::info::Unit;
pub use crate::models::{self, Model, TrainConfig};
pub use crate::plot::ChartOptions;
pub use crate::prob::pixel_models::PixelModel;
pub use crate::prob::{Bernoulli, Beta, Categorical, JointTable, Mixture, Normal};
pub use crate::{course, data, game, info, live, plot, prob};
pub use candle_core::{DType, Device, Tensor};
pub use ndarray::{self, Array1, Array2, Array3, ArrayView1, ArrayView2, Axis, array};
pub use rand::rngs::StdRng;
pub use rand::{Rng, SeedableRng};
