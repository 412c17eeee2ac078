//! KL divergence `D(P‖Q) = Σ_x P(x) log(P(x) / Q(x))`.
//!
//! - `D(P‖Q) ≥ 0`, with equality iff P = Q (Gibbs' inequality);
//! - it is asymmetric, `D(P‖Q) ≠ D(Q‖P)` in general, so it is not a distance;
//! - read it as the extra bits needed to code samples of P with a code built for Q:
//!   `D(P‖Q) = H(P, Q) − H(P)`.
//!
//! Source: seed notes \[001\] and \[003\], curriculum E4, F2 and Z1 (the note \[003\] drops the
//! log: it is `Σ P log(P/Q)`, not `Σ P · P/Q`). `0 · log(0/q) = 0`; `P(x) > 0 = Q(x)`
//! gives `+inf`.
//!
//! ```
//! use gmcourse::info::{Unit, kl};
//! use ndarray::array;
//! let (p, q) = (array![0.5, 0.5], array![0.9, 0.1]);
//! assert!(kl(&p, &q, Unit::Bits)? != kl(&q, &p, Unit::Bits)?); // asymmetric
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::Unit;
use crate::Result;
use crate::check;

/// `D(P‖Q) = Σ_i p_i log(p_i / q_i)`, skipping `p_i = 0`; `+inf` if some `q_i = 0 < p_i`.
///
/// The result is clamped at 0: for nearly equal P and Q, rounding could otherwise
/// give a tiny negative number.
///
/// # Errors
/// If `p` or `q` is not a PMF or their lengths differ.
///
/// ```
/// use gmcourse::info::{Unit, kl};
/// use ndarray::array;
/// let p = array![0.2, 0.8];
/// assert_eq!(kl(&p, &p, Unit::Bits)?, 0.0);
/// assert_eq!(kl(&array![0.5, 0.5], &array![1.0, 0.0], Unit::Bits)?, f64::INFINITY);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn kl<'a, 'b>(
    p: impl Into<ArrayView1<'a, f64>>,
    q: impl Into<ArrayView1<'b, f64>>,
    unit: Unit,
) -> Result<f64> {
    let (p, q) = (p.into(), q.into());
    check::pmf_pair("p", p, "q", q)?;
    let d: f64 = p
        .iter()
        .zip(&q)
        .filter(|&(&p_i, _)| p_i > 0.0)
        .map(|(&p_i, &q_i)| p_i * unit.log(p_i / q_i))
        .sum();
    Ok(d.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::testing::assert_close;

    #[test]
    fn kl_of_identical_distributions_is_zero() {
        let p = [0.1, 0.2, 0.3, 0.4];
        assert_eq!(kl(&p, &p, Unit::Bits).unwrap(), 0.0);
    }

    #[test]
    fn kl_is_positive_when_the_distributions_differ() {
        let pairs = [
            ([0.1, 0.9], [0.2, 0.8]),
            ([0.5, 0.5], [0.4999, 0.5001]),
            ([0.0, 1.0], [0.5, 0.5]),
        ];
        for (p, q) in pairs {
            assert!(kl(&p, &q, Unit::Nats).unwrap() > 0.0, "{p:?} vs {q:?}");
        }
    }

    #[test]
    fn kl_is_asymmetric_for_a_fair_and_a_ninety_percent_coin() {
        // Python reference: D(fair‖0.9 coin) = 0.7369655941662061 bits,
        // D(0.9 coin‖fair) = 0.5310044064107189 bits (= 1 − H(0.9)).
        let (fair, biased) = ([0.5, 0.5], [0.9, 0.1]);
        assert_close(
            kl(&fair, &biased, Unit::Bits).unwrap(),
            0.736_965_594_166_206_1,
            1e-14,
        );
        assert_close(
            kl(&biased, &fair, Unit::Bits).unwrap(),
            0.531_004_406_410_718_9,
            1e-14,
        );
    }

    #[test]
    fn zero_probability_in_p_contributes_nothing_and_in_q_gives_infinity() {
        assert_close(
            kl(&[0.0, 1.0], &[0.5, 0.5], Unit::Bits).unwrap(),
            1.0,
            1e-15,
        );
        assert_eq!(
            kl(&[0.5, 0.5], &[0.0, 1.0], Unit::Bits).unwrap(),
            f64::INFINITY
        );
    }

    #[test]
    fn kl_in_bits_is_kl_in_nats_divided_by_ln_two() {
        let (p, q) = ([0.3, 0.7], [0.6, 0.4]);
        let nats = kl(&p, &q, Unit::Nats).unwrap();
        assert_close(
            kl(&p, &q, Unit::Bits).unwrap(),
            nats / std::f64::consts::LN_2,
            1e-15,
        );
    }

    #[test]
    fn the_note_formula_without_the_log_is_not_kl() {
        // Curriculum Z1: Σ P · P/Q is not D(P‖Q); for P = Q it is 1, not 0.
        let p = [0.25, 0.75];
        let without_log: f64 = p.iter().map(|p_i| p_i * p_i / p_i).sum();
        assert_close(without_log, 1.0, 1e-15);
        assert_eq!(kl(&p, &p, Unit::Nats).unwrap(), 0.0);
    }

    #[test]
    fn mismatched_lengths_are_a_shape_error_that_names_the_lengths() {
        let err = kl(&[0.5, 0.5], &[0.2, 0.3, 0.5], Unit::Bits).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }));
        let msg = err.to_string();
        assert!(msg.contains('2') && msg.contains('3'), "{msg}");
    }

    #[test]
    fn nan_negative_and_unnormalised_inputs_are_rejected() {
        assert!(kl(&[f64::NAN, 1.0], &[0.5, 0.5], Unit::Bits).is_err());
        assert!(kl(&[0.5, 0.5], &[1.2, -0.2], Unit::Bits).is_err());
        assert!(
            kl(&[0.5, 0.5], &[0.5, 0.4], Unit::Bits)
                .unwrap_err()
                .to_string()
                .contains("a sum of 0.9")
        );
        assert!(kl(&[], &[], Unit::Bits).is_err());
    }
}
