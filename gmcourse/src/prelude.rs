//! `use gmcourse::prelude::*;` brings in what a lesson needs.

pub use crate::error::{Error, Result};
pub use crate::models::{self, TrainConfig};
pub use crate::{data, info, plot, prob};
