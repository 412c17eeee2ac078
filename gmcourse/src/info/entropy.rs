//! Entropy `H(P) = −Σ_x P(x) log P(x) = E_P[I(x)]`: the average surprise, with
//! `0 · log 0 = 0`.
//!
//! The binary entropy `H(p) = −p log p − (1 − p) log(1 − p)` is the entropy of a coin and
//! the basis of the binary cross-entropy (BCE) loss (curriculum E3). A fair coin has 1 bit;
//! a uniform choice among 8 has 3 bits.
//!
//! Source: seed notes \[001\] and \[003\], curriculum E2, E3 and Z4: the exact H(0.9) is
//! 0.4690 bits; the note's 0.467 comes from information values rounded to 0.15 and 3.32.
//!
//! A distribution is an `ndarray` array, `p[i] = P(x_i)`. Every function here takes it as
//! `impl Into<ArrayView1<f64>>`, so `&Array1<f64>`, a view (a row of a table), `&Vec<f64>`,
//! `&[f64]` and `&[f64; N]` all work:
//!
//! ```
//! use gmcourse::info::{Unit, entropy};
//! use ndarray::{Array1, array};
//! let p = array![0.5, 0.25, 0.25];
//! assert_eq!(entropy(&p, Unit::Bits)?, 1.5);
//! assert_eq!(entropy(p.view(), Unit::Bits)?, 1.5);
//! assert_eq!(entropy(&p.to_vec(), Unit::Bits)?, 1.5); // &Vec<f64>
//! assert_eq!(entropy(p.as_slice().unwrap(), Unit::Bits)?, 1.5); // &[f64]
//! assert_eq!(entropy(&[0.125; 8], Unit::Bits)?, 3.0); // &[f64; 8]
//! // a row of a joint table: H(Y | X = x_0)
//! let joint = array![[0.25, 0.25], [0.5, 0.0]];
//! let p_y_given_x0: Array1<f64> = &joint.row(0) / joint.row(0).sum();
//! assert_eq!(entropy(&p_y_given_x0, Unit::Bits)?, 1.0);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::Unit;
use crate::Result;
use crate::check;

/// `H(P) = −Σ_i p_i log p_i`, skipping `p_i = 0` (`0 · log 0 = 0`).
///
/// # Errors
/// If `p` is empty, has a NaN or negative entry, or does not sum to 1 within `1e-9`.
///
/// ```
/// use gmcourse::info::{Unit, entropy};
/// use ndarray::array;
/// assert_eq!(entropy(&array![0.5, 0.5], Unit::Bits)?, 1.0);
/// assert_eq!(entropy(&array![1.0, 0.0], Unit::Bits)?, 0.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn entropy<'a>(p: impl Into<ArrayView1<'a, f64>>, unit: Unit) -> Result<f64> {
    let p = p.into();
    check::pmf("p", p)?;
    let h: f64 = p
        .iter()
        .filter(|&&p_i| p_i > 0.0)
        .map(|&p_i| -p_i * unit.log(p_i))
        .sum();
    Ok(h.max(0.0)) // H ≥ 0; max removes a rounding −0.0
}

/// The binary entropy `H(p) = −p log p − (1 − p) log(1 − p)`.
///
/// # Errors
/// If `p` is NaN or outside `[0, 1]`.
///
/// ```
/// use gmcourse::info::{Unit, binary_entropy};
/// assert_eq!(binary_entropy(0.5, Unit::Bits)?, 1.0);
/// gmcourse::testing::assert_close(binary_entropy(0.9, Unit::Bits)?, 0.4690, 5e-5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn binary_entropy(p: f64, unit: Unit) -> Result<f64> {
    check::probability("p", p)?;
    entropy(&[p, 1.0 - p], unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::self_information;
    use crate::testing::assert_close;

    #[test]
    fn a_fair_coin_has_one_bit_of_entropy() {
        assert_close(entropy(&[0.5, 0.5], Unit::Bits).unwrap(), 1.0, 1e-15);
        assert_close(
            entropy(&[0.5, 0.5], Unit::Nats).unwrap(),
            std::f64::consts::LN_2,
            1e-15,
        );
    }

    #[test]
    fn a_uniform_choice_among_eight_has_three_bits() {
        assert_close(entropy(&[0.125; 8], Unit::Bits).unwrap(), 3.0, 1e-15);
    }

    #[test]
    fn the_ninety_percent_coin_has_entropy_0_4690_bits() {
        // Curriculum E2/Z4; exact value from Python:
        // -0.9*math.log2(0.9) - 0.1*math.log2(0.1) = 0.4689955935892812
        let h = binary_entropy(0.9, Unit::Bits).unwrap();
        assert_close(h, 0.468_995_593_589_281_2, 1e-15);
        assert_eq!(format!("{h:.4}"), "0.4690");
    }

    #[test]
    fn the_notes_0_467_comes_from_rounded_information_values() {
        // Curriculum Z4: 0.9 · 0.15 + 0.1 · 3.32 = 0.467, but the exact terms give 0.4690.
        let rounded = 0.9 * 0.15 + 0.1 * 3.32;
        assert_close(rounded, 0.467, 1e-12);
        let exact = 0.9 * self_information(0.9, Unit::Bits).unwrap()
            + 0.1 * self_information(0.1, Unit::Bits).unwrap();
        assert_close(exact, binary_entropy(0.9, Unit::Bits).unwrap(), 1e-15);
        assert!(
            (exact - rounded).abs() > 1e-3,
            "the rounding error is about 0.002 bits"
        );
    }

    #[test]
    fn a_certain_outcome_has_zero_entropy() {
        assert_eq!(entropy(&[0.0, 1.0, 0.0], Unit::Bits).unwrap(), 0.0);
        assert_eq!(binary_entropy(1.0, Unit::Nats).unwrap(), 0.0);
    }

    #[test]
    fn the_uniform_distribution_has_the_largest_entropy() {
        let uniform = entropy(&[0.25; 4], Unit::Bits).unwrap();
        let skewed = entropy(&[0.4, 0.3, 0.2, 0.1], Unit::Bits).unwrap();
        assert!(skewed < uniform, "{skewed} < {uniform}");
    }

    #[test]
    fn bad_distributions_are_rejected() {
        assert!(entropy(&[], Unit::Bits).is_err());
        assert!(
            entropy(&[0.5, 0.6], Unit::Bits)
                .unwrap_err()
                .to_string()
                .contains("a sum of 1.1")
        );
        assert!(entropy(&[1.5, -0.5], Unit::Bits).is_err());
        assert!(binary_entropy(f64::NAN, Unit::Bits).is_err());
    }
}
