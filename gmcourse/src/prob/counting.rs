//! Counting outcomes and parameters of a distribution over n discrete variables.
//!
//! A full joint over n variables with k values each has `kⁿ` **outcomes** and needs
//! `kⁿ − 1` **parameters** (one probability per outcome, minus one because they sum to 1).
//! For n binary pixels (k = 2):
//!
//! | assumption | parameters |
//! |---|---|
//! | full joint | `2ⁿ − 1` |
//! | chain rule alone, `p(x₁) p(x₂ given x₁) …` | `1 + 2 + … + 2ⁿ⁻¹ = 2ⁿ − 1` (nothing saved) |
//! | Markov, `p(x_i given x_{i−1})` | `1 + 2 (n − 1) = 2n − 1` |
//! | fully independent | `n` |
//!
//! The outcomes stay `2ⁿ` in every row: an assumption reduces the parameters, not the
//! number of possible images (curriculum Z5). One RGB pixel has `256³ = 16,777,216`
//! outcomes and `256³ − 1 = 16,777,215` parameters (C1). A 28×28 binary image has
//! `2^784 ≈ 10^236.0` outcomes (C6): too many for a `u128`, so a [`Count`] also carries
//! `log10`.
//!
//! Source: seed notes \[000\], \[002\], \[003\]; curriculum C1–C6 and Z5.
//!
//! ```
//! use gmcourse::prob::counting;
//! assert_eq!(counting::rgb_pixel_params().exact(), Some(16_777_215));
//! gmcourse::testing::assert_close(counting::binary_outcomes(784).log10(), 236.0, 0.01);
//! ```

use std::fmt;

use crate::{Error, Result};

/// A count that may be too large for a `u128`: the exact value when it fits, and its
/// `log10` always.
///
/// ```
/// let c = gmcourse::prob::counting::binary_outcomes(3);
/// assert_eq!(c.exact(), Some(8));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    exact: Option<u128>,
    log10: f64,
}

impl Count {
    /// A count known exactly.
    ///
    /// ```
    /// let c = gmcourse::prob::Count::from_exact(1000);
    /// assert_eq!(c.log10(), 3.0);
    /// ```
    pub fn from_exact(n: u128) -> Self {
        Self {
            exact: Some(n),
            log10: (n as f64).log10(),
        }
    }

    /// A count too large to store, known by its `log10`.
    ///
    /// ```
    /// let c = gmcourse::prob::Count::from_log10(300.0);
    /// assert_eq!(c.exact(), None);
    /// ```
    pub fn from_log10(log10: f64) -> Self {
        Self { exact: None, log10 }
    }

    /// The exact value, or `None` if it does not fit in a `u128` (above about 3.4·10³⁸).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::counting::binary_outcomes(10).exact(), Some(1024));
    /// assert_eq!(gmcourse::prob::counting::binary_outcomes(784).exact(), None);
    /// ```
    pub fn exact(&self) -> Option<u128> {
        self.exact
    }

    /// `log10` of the count (`-inf` for a count of 0).
    ///
    /// ```
    /// gmcourse::testing::assert_close(gmcourse::prob::counting::binary_outcomes(10).log10(), 3.0103, 1e-4);
    /// ```
    pub fn log10(&self) -> f64 {
        self.log10
    }
}

impl fmt::Display for Count {
    /// The exact number, or `≈ 10^x` with one decimal when it is too large.
    ///
    /// ```
    /// use gmcourse::prob::counting::binary_outcomes;
    /// assert_eq!(binary_outcomes(8).to_string(), "256");
    /// assert_eq!(binary_outcomes(784).to_string(), "≈ 10^236.0");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exact {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "≈ 10^{:.1}", self.log10),
        }
    }
}

/// `kⁿ`: the outcomes of n variables with k values each.
///
/// # Errors
/// If `k == 0` (a variable needs at least one value).
///
/// ```
/// let c = gmcourse::prob::counting::full_joint_outcomes(256, 3)?; // one RGB pixel
/// assert_eq!(c.exact(), Some(16_777_216));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn full_joint_outcomes(k: u32, n: u32) -> Result<Count> {
    check_k(k)?;
    Ok(match (k as u128).checked_pow(n) {
        Some(outcomes) => Count::from_exact(outcomes),
        None => Count::from_log10(n as f64 * (k as f64).log10()),
    })
}

/// `kⁿ − 1`: the parameters of a full joint table over n variables with k values each.
///
/// # Errors
/// If `k == 0`.
///
/// ```
/// let c = gmcourse::prob::counting::full_joint_params(6, 2)?; // two dice
/// assert_eq!(c.exact(), Some(35));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn full_joint_params(k: u32, n: u32) -> Result<Count> {
    let outcomes = full_joint_outcomes(k, n)?;
    Ok(match outcomes.exact() {
        Some(m) => Count::from_exact(m - 1),
        // kⁿ − 1 and kⁿ agree in log10 to about 38 digits once kⁿ exceeds u128.
        None => outcomes,
    })
}

/// `256³ − 1 = 16,777,215`: the parameters of one RGB pixel `p(R, G, B)` (curriculum C1).
///
/// ```
/// assert_eq!(gmcourse::prob::counting::rgb_pixel_params().to_string(), "16777215");
/// ```
pub fn rgb_pixel_params() -> Count {
    Count::from_exact(256u128.pow(3) - 1)
}

/// `2ⁿ`: the possible images of n binary pixels (outcomes, not parameters; curriculum Z5).
///
/// ```
/// gmcourse::testing::assert_close(gmcourse::prob::counting::binary_outcomes(784).log10(), 236.0, 0.01);
/// ```
pub fn binary_outcomes(n: u32) -> Count {
    match 2u128.checked_pow(n) {
        Some(outcomes) => Count::from_exact(outcomes),
        None => Count::from_log10(n as f64 * 2f64.log10()),
    }
}

/// `2ⁿ − 1`: the parameters of a full joint over n binary pixels (curriculum C2).
///
/// ```
/// assert_eq!(gmcourse::prob::counting::binary_full_joint_params(3).exact(), Some(7));
/// ```
pub fn binary_full_joint_params(n: u32) -> Count {
    let outcomes = binary_outcomes(n);
    match outcomes.exact() {
        Some(m) => Count::from_exact(m - 1),
        None => outcomes,
    }
}

/// `n`: the parameters of n fully independent binary pixels, one `P(x_i = 1)` each
/// (curriculum C3). The outcomes are still `2ⁿ`.
///
/// ```
/// assert_eq!(gmcourse::prob::counting::independent_params(784).exact(), Some(784));
/// ```
pub fn independent_params(n: u32) -> Count {
    Count::from_exact(n as u128)
}

/// `1 + 2 + 4 + … + 2ⁿ⁻¹ = 2ⁿ − 1`: the parameters of the chain-rule factorisation
/// `p(x₁) p(x₂ | x₁) … p(x_n | x₁ … x_{n−1})` of n binary pixels (curriculum C4). The
/// factor for `x_i` needs one number per setting of the `i − 1` pixels before it.
///
/// ```
/// assert_eq!(gmcourse::prob::counting::chain_rule_params(4).exact(), Some(1 + 2 + 4 + 8));
/// ```
pub fn chain_rule_params(n: u32) -> Count {
    let mut total: Option<u128> = Some(0);
    for i in 0..n {
        let factor_params = 2u128.checked_pow(i); // settings of x_1 .. x_i
        total = total.zip(factor_params).and_then(|(t, p)| t.checked_add(p));
    }
    match total {
        Some(t) => Count::from_exact(t),
        None => Count::from_log10(n as f64 * 2f64.log10()),
    }
}

/// `2n − 1`: the parameters under the Markov assumption `p(x_i | x_{i−1})` for n binary
/// pixels: 1 for `p(x₁)`, then 2 per later pixel (curriculum C5). 0 for `n = 0`.
///
/// ```
/// assert_eq!(gmcourse::prob::counting::markov_params(784).exact(), Some(1567));
/// ```
pub fn markov_params(n: u32) -> Count {
    Count::from_exact((2 * n as u128).saturating_sub(1))
}

fn check_k(k: u32) -> Result<()> {
    if k == 0 {
        Err(Error::invalid("k (values per variable)", "at least 1", k))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn one_rgb_pixel_has_16777216_outcomes_and_16777215_parameters() {
        // Curriculum C1: 256 × 256 × 256 outcomes, 256³ − 1 parameters.
        assert_eq!(
            full_joint_outcomes(256, 3).unwrap().exact(),
            Some(16_777_216)
        );
        assert_eq!(rgb_pixel_params().exact(), Some(16_777_215));
        assert_eq!(full_joint_params(256, 3).unwrap(), rgb_pixel_params());
    }

    #[test]
    fn the_chain_rule_alone_needs_as_many_parameters_as_the_full_joint() {
        // Curriculum C4: 1 + 2 + … + 2ⁿ⁻¹ = 2ⁿ − 1.
        for n in [1, 2, 10, 50, 127] {
            assert_eq!(chain_rule_params(n), binary_full_joint_params(n), "n = {n}");
        }
    }

    #[test]
    fn markov_and_independent_counts_for_784_pixels() {
        // Curriculum C3 and C5: n and 2n − 1.
        assert_eq!(independent_params(784).exact(), Some(784));
        assert_eq!(markov_params(784).exact(), Some(1567));
        assert_eq!(markov_params(1).exact(), Some(1));
    }

    #[test]
    fn two_to_the_784_is_about_ten_to_the_236() {
        // Curriculum C6: log10(2^784) = 784 · log10 2 = 236.007…
        let c = binary_outcomes(784);
        assert_eq!(c.exact(), None);
        assert_close(c.log10(), 784.0 * 2f64.log10(), 1e-9);
        assert_close(c.log10(), 236.0, 0.01);
        assert_eq!(c.to_string(), "≈ 10^236.0");
        assert_close(chain_rule_params(784).log10(), 236.0, 0.01);
    }

    #[test]
    fn independence_cuts_parameters_but_not_outcomes() {
        // Curriculum Z5: for 10 pixels the outcomes stay 1024; the parameters drop to 10.
        assert_eq!(binary_outcomes(10).exact(), Some(1024));
        assert_eq!(binary_full_joint_params(10).exact(), Some(1023));
        assert_eq!(independent_params(10).exact(), Some(10));
    }

    #[test]
    fn the_largest_exact_power_of_two_is_two_to_the_127() {
        assert_eq!(binary_outcomes(127).exact(), Some(1u128 << 127));
        assert_eq!(binary_outcomes(128).exact(), None);
        assert_eq!(
            binary_full_joint_params(127).exact(),
            Some((1u128 << 127) - 1)
        );
    }

    #[test]
    fn zero_values_per_variable_is_rejected() {
        assert!(full_joint_outcomes(0, 3).is_err());
        assert_eq!(full_joint_params(1, 5).unwrap().exact(), Some(0));
    }
}
