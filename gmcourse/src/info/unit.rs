//! The unit of information: bits use `log₂`, nats use `ln`; `1 bit = ln 2 nats`.
//!
//! Source: curriculum E1. A fair coin flip carries 1 bit = 0.693 nats. Losses in the
//! models are in nats (natural log); the lecture's coin examples are in bits.
//!
//! ```
//! use gmcourse::info::Unit;
//! assert_eq!(Unit::Bits.log(8.0), 3.0);
//! gmcourse::testing::assert_close(Unit::Bits.from_nats(std::f64::consts::LN_2), 1.0, 1e-15);
//! ```

use std::fmt;

/// Bits (log base 2) or nats (natural log).
///
/// ```
/// use gmcourse::info::{Unit, entropy};
/// assert_eq!(entropy(&[0.5, 0.5], Unit::Bits)?, 1.0);
/// assert_eq!(entropy(&[0.5, 0.5], Unit::Nats)?, std::f64::consts::LN_2);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// Log base 2; the default, as in the lecture's coin examples.
    #[default]
    Bits,
    /// Natural log, as in training losses.
    Nats,
}

impl Unit {
    /// The logarithm in this unit: `log₂ x` or `ln x`.
    ///
    /// ```
    /// use gmcourse::info::Unit;
    /// assert_eq!(Unit::Bits.log(0.5), -1.0);
    /// assert_eq!(Unit::Nats.log(1.0), 0.0);
    /// ```
    pub fn log(self, x: f64) -> f64 {
        match self {
            Unit::Bits => x.log2(),
            Unit::Nats => x.ln(),
        }
    }

    /// Converts an amount in nats to this unit.
    ///
    /// ```
    /// use gmcourse::info::Unit;
    /// assert_eq!(Unit::Nats.from_nats(2.0), 2.0);
    /// gmcourse::testing::assert_close(Unit::Bits.from_nats(4.0_f64.ln()), 2.0, 1e-15);
    /// ```
    pub fn from_nats(self, nats: f64) -> f64 {
        match self {
            Unit::Bits => nats / std::f64::consts::LN_2,
            Unit::Nats => nats,
        }
    }

    /// `"bits"` or `"nats"`, for labels.
    ///
    /// ```
    /// assert_eq!(gmcourse::info::Unit::Nats.name(), "nats");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Unit::Bits => "bits",
            Unit::Nats => "nats",
        }
    }
}

impl fmt::Display for Unit {
    /// Writes [`Unit::name`].
    ///
    /// ```
    /// assert_eq!(format!("{}", gmcourse::info::Unit::Bits), "bits");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn one_bit_is_ln_two_nats() {
        assert_close(Unit::Nats.log(2.0), std::f64::consts::LN_2, 1e-15);
        assert_close(Unit::Bits.from_nats(Unit::Nats.log(2.0)), 1.0, 1e-15);
    }

    #[test]
    fn the_default_unit_is_bits() {
        assert_eq!(Unit::default(), Unit::Bits);
    }
}
