//! Cross-entropy `H(P, Q) = −Σ_x P(x) log Q(x)`: the average code length for samples of P
//! with a code built for Q.
//!
//! `H(P, Q) = H(P) + D(P‖Q)`. H(P) is fixed by the data, so minimising the cross-entropy
//! over Q minimises the KL. The two are equal only when H(P) = 0: the note's
//! "H(P, Q) = D_KL(P‖Q)" drops that constant (curriculum Z2).
//!
//! Source: seed note \[001\], curriculum E6 and Z2. Terms with `P(x) = 0` are 0; a term
//! with `P(x) > 0 = Q(x)` makes the result `+inf`.
//!
//! ```
//! use gmcourse::info::{Unit, cross_entropy, entropy, kl};
//! use ndarray::array;
//! let (p, q) = (array![0.1, 0.2, 0.7], array![0.3, 0.3, 0.4]);
//! let lhs = cross_entropy(&p, &q, Unit::Bits)?;
//! gmcourse::testing::assert_close(lhs, entropy(&p, Unit::Bits)? + kl(&p, &q, Unit::Bits)?, 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::Unit;
use crate::Result;
use crate::check;

/// `H(P, Q) = −Σ_i p_i log q_i`, skipping `p_i = 0`.
///
/// # Errors
/// If `p` or `q` is not a PMF (empty, NaN, negative, not summing to 1 within `1e-9`) or
/// their lengths differ.
///
/// ```
/// use gmcourse::info::{Unit, cross_entropy};
/// use ndarray::array;
/// // Coding a fair coin with a fair code costs 1 bit per flip.
/// let fair = array![0.5, 0.5];
/// assert_eq!(cross_entropy(&fair, &fair, Unit::Bits)?, 1.0);
/// assert_eq!(cross_entropy(&fair, &array![1.0, 0.0], Unit::Bits)?, f64::INFINITY);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn cross_entropy<'a, 'b>(
    p: impl Into<ArrayView1<'a, f64>>,
    q: impl Into<ArrayView1<'b, f64>>,
    unit: Unit,
) -> Result<f64> {
    let (p, q) = (p.into(), q.into());
    check::pmf_pair("p", p, "q", q)?;
    Ok(p.iter()
        .zip(&q)
        .filter(|&(&p_i, _)| p_i > 0.0)
        .map(|(&p_i, &q_i)| -p_i * unit.log(q_i))
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::info::{entropy, kl};
    use crate::testing::assert_close;

    #[test]
    fn cross_entropy_is_entropy_plus_kl() {
        // Curriculum E6/Z2; Python reference: H(P,Q) = 1.4464393446710155 bits,
        // H(P) = 1.1567796494470395, KL = 0.2896596952239759.
        let (p, q) = ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]);
        assert_close(
            cross_entropy(&p, &q, Unit::Bits).unwrap(),
            1.446_439_344_671_015_5,
            1e-14,
        );
        let sum = entropy(&p, Unit::Bits).unwrap() + kl(&p, &q, Unit::Bits).unwrap();
        assert_close(cross_entropy(&p, &q, Unit::Bits).unwrap(), sum, 1e-14);
    }

    #[test]
    fn cross_entropy_is_not_kl_unless_the_entropy_is_zero() {
        // Curriculum Z2: they differ by exactly H(P).
        let (p, q) = ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]);
        let gap = cross_entropy(&p, &q, Unit::Nats).unwrap() - kl(&p, &q, Unit::Nats).unwrap();
        assert_close(gap, entropy(&p, Unit::Nats).unwrap(), 1e-14);
        assert!(gap > 0.5);
    }

    #[test]
    fn cross_entropy_of_p_with_itself_is_its_entropy() {
        let p = [0.2, 0.3, 0.5];
        assert_close(
            cross_entropy(&p, &p, Unit::Nats).unwrap(),
            entropy(&p, Unit::Nats).unwrap(),
            1e-15,
        );
    }

    #[test]
    fn binary_cross_entropy_of_a_label_is_minus_log_of_the_prediction() {
        // BCE with label y = 1 and prediction 0.8 is −ln 0.8.
        assert_close(
            cross_entropy(&[1.0, 0.0], &[0.8, 0.2], Unit::Nats).unwrap(),
            -(0.8_f64).ln(),
            1e-15,
        );
    }

    #[test]
    fn mismatched_or_invalid_inputs_are_rejected() {
        assert!(matches!(
            cross_entropy(&[0.5, 0.5], &[1.0], Unit::Bits),
            Err(Error::Shape { .. })
        ));
        assert!(cross_entropy(&[0.5, 0.5], &[0.5, 0.6], Unit::Bits).is_err());
        assert!(cross_entropy(&[], &[], Unit::Bits).is_err());
    }
}
