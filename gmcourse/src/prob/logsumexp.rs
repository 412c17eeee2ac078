//! The log-sum-exp trick: `log Σ_i exp(a_i) = m + log Σ_i exp(a_i − m)` with
//! `m = max_i a_i`.
//!
//! Every `exp(a_i − m)` is at most 1, so nothing overflows, and the largest term is
//! exactly 1, so the sum never underflows to 0. This is how a product of many small
//! probabilities (a likelihood) and a mixture density stay representable in log space.
//! Source: curriculum F5 (the product of many numbers in 0..1 underflows; the log turns
//! it into a sum).
//!
//! ```
//! // exp(1000) overflows an f64, but its log-sum-exp does not.
//! let lse = gmcourse::prob::log_sum_exp(&[1000.0, 1000.0])?;
//! gmcourse::testing::assert_close(lse, 1000.0 + 2.0_f64.ln(), 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use crate::check;
use crate::{Error, Result};

/// `log Σ_i exp(a_i)`, computed without overflow or underflow.
///
/// `-inf` entries (log of a zero probability) are allowed and contribute nothing; if all
/// entries are `-inf` the result is `-inf` (the log of 0). A `+inf` entry gives `+inf`.
///
/// # Errors
/// If `a` is empty or contains a NaN.
///
/// ```
/// use gmcourse::prob::log_sum_exp;
/// gmcourse::testing::assert_close(log_sum_exp(&[0.0, 0.0, 0.0, 0.0])?, 4.0_f64.ln(), 1e-15);
/// assert_eq!(log_sum_exp(&[f64::NEG_INFINITY; 3])?, f64::NEG_INFINITY);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn log_sum_exp(a: &[f64]) -> Result<f64> {
    check::not_empty("log_sum_exp input", a)?;
    if let Some(i) = a.iter().position(|a_i| a_i.is_nan()) {
        return Err(Error::invalid(
            format!("log_sum_exp input[{i}]"),
            "a number or -inf",
            f64::NAN,
        ));
    }
    Ok(log_sum_exp_unchecked(a))
}

/// `log((1/n) Σ_i exp(a_i)) = log_sum_exp(a) − log n`: the log of an average of
/// probabilities given in log space (for example a Monte Carlo likelihood estimate).
///
/// # Errors
/// As [`log_sum_exp`].
///
/// ```
/// let lme = gmcourse::prob::log_mean_exp(&[0.5_f64.ln(), 0.25_f64.ln()])?;
/// gmcourse::testing::assert_close(lme, 0.375_f64.ln(), 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn log_mean_exp(a: &[f64]) -> Result<f64> {
    Ok(log_sum_exp(a)? - (a.len() as f64).ln())
}

/// [`log_sum_exp`] for input already known to be non-empty and NaN-free.
pub(crate) fn log_sum_exp_unchecked(a: &[f64]) -> f64 {
    let m = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m.is_infinite() {
        return m; // all -inf gives log 0 = -inf; any +inf gives +inf
    }
    let sum: f64 = a.iter().map(|a_i| (a_i - m).exp()).sum();
    m + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn log_sum_exp_matches_the_naive_formula_on_small_numbers() {
        let a = [0.1, -2.0, 1.5];
        let naive = a.iter().map(|x: &f64| x.exp()).sum::<f64>().ln();
        assert_close(log_sum_exp(&a).unwrap(), naive, 1e-14);
    }

    #[test]
    fn log_sum_exp_survives_numbers_whose_exp_underflows() {
        // exp(-1000) is 0 in f64: the naive formula gives ln 0 = -inf.
        let a = [-1000.0, -1000.0];
        assert_eq!(
            a.iter().map(|x: &f64| x.exp()).sum::<f64>().ln(),
            f64::NEG_INFINITY
        );
        assert_close(log_sum_exp(&a).unwrap(), -1000.0 + 2.0_f64.ln(), 1e-12);
    }

    #[test]
    fn minus_infinity_entries_contribute_nothing() {
        let with = log_sum_exp(&[1.0, f64::NEG_INFINITY, 2.0]).unwrap();
        let without = log_sum_exp(&[1.0, 2.0]).unwrap();
        assert_close(with, without, 1e-15);
    }

    #[test]
    fn all_minus_infinity_gives_minus_infinity() {
        assert_eq!(
            log_sum_exp(&[f64::NEG_INFINITY, f64::NEG_INFINITY]).unwrap(),
            f64::NEG_INFINITY
        );
        assert_eq!(
            log_mean_exp(&[f64::NEG_INFINITY]).unwrap(),
            f64::NEG_INFINITY
        );
    }

    #[test]
    fn plus_infinity_gives_plus_infinity() {
        assert_eq!(log_sum_exp(&[1.0, f64::INFINITY]).unwrap(), f64::INFINITY);
    }

    #[test]
    fn a_product_of_784_probabilities_underflows_but_its_log_does_not() {
        // Curriculum F5: 0.3^784 ≈ 10^-410 is below the smallest f64.
        let p: Vec<f64> = vec![0.3; 784];
        assert_eq!(p.iter().product::<f64>(), 0.0);
        let log_p: f64 = p.iter().map(|p_i| p_i.ln()).sum();
        assert_close(
            log_p / std::f64::consts::LN_10,
            784.0 * 0.3_f64.log10(),
            1e-9,
        );
    }

    #[test]
    fn empty_and_nan_inputs_are_rejected() {
        assert!(log_sum_exp(&[]).unwrap_err().to_string().contains("empty"));
        assert!(log_mean_exp(&[]).is_err());
        assert!(
            log_sum_exp(&[0.0, f64::NAN])
                .unwrap_err()
                .to_string()
                .contains("[1]")
        );
    }
}
