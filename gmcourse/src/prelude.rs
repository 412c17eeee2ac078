//! `use gmcourse::prelude::*;` brings in what a lesson needs.

pub use crate::data::{Mnist, Pixels, Split};
pub use crate::error::{Error, Result};
pub use crate::info::Unit;
pub use crate::prob::{Bernoulli, Categorical, JointTable, Mixture, Normal};
pub use crate::{data, info, plot, prob};
