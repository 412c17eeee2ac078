//! Self-information `I(x) = −log P(x)`: the surprise of seeing x.
//!
//! A certain event (P = 1) carries 0 bits; halving P adds 1 bit; the surprise of
//! independent events adds up, `I(x, y) = I(x) + I(y)`, because the log turns
//! `P(x) P(y)` into a sum. That additivity is why the definition uses a log and not
//! `1 / P` (curriculum E1).
//!
//! Source: seed notes \[001\] and \[003\], curriculum E1 and E2. For the coin with
//! P(H) = 0.9: `I(H) = 0.152` bits, `I(T) = 3.322` bits, and the surprise of (H, H, T)
//! is 3.626 bits (the note's 3.62 adds terms rounded to 0.15 and 3.32).
//!
//! ```
//! use gmcourse::info::{Unit, self_information};
//! gmcourse::testing::assert_close(self_information(0.1, Unit::Bits)?, 3.322, 5e-4);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::Unit;
use crate::Result;
use crate::check;

/// `I(x) = −log P(x)` for an event of probability `p`; `+inf` for `p = 0`.
///
/// # Errors
/// If `p` is NaN or outside `[0, 1]`.
///
/// ```
/// use gmcourse::info::{Unit, self_information};
/// assert_eq!(self_information(0.5, Unit::Bits)?, 1.0);
/// assert_eq!(self_information(1.0, Unit::Bits)?, 0.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn self_information(p: f64, unit: Unit) -> Result<f64> {
    check::probability("p", p)?;
    Ok(-unit.log(p))
}

/// The surprise of a sequence of independent events with probabilities `p_events`:
/// `Σ_t −log P(x_t)`.
///
/// # Errors
/// If `p_events` is empty or an entry is not a probability.
///
/// ```
/// use gmcourse::info::{Unit, surprise};
/// use ndarray::array;
/// // Coin P(H) = 0.9; the sequence (H, H, T):
/// let bits = surprise(&array![0.9, 0.9, 0.1], Unit::Bits)?;
/// gmcourse::testing::assert_close(bits, 3.626, 5e-4);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn surprise<'a>(p_events: impl Into<ArrayView1<'a, f64>>, unit: Unit) -> Result<f64> {
    let p_events = p_events.into();
    check::not_empty_array("p_events", &p_events)?;
    let mut total = 0.0;
    for (t, &p) in p_events.iter().enumerate() {
        check::probability(&format!("p_events[{t}]"), p)?;
        total += -unit.log(p);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    // Reference values: seed notes [001]/[003] coin, P(H) = 0.9, P(T) = 0.1;
    // exact values from Python: -math.log2(0.9), -math.log2(0.1).

    #[test]
    fn heads_of_a_ninety_percent_coin_carries_0_152_bits() {
        assert_close(
            self_information(0.9, Unit::Bits).unwrap(),
            0.152_003_093_445_049_95,
            1e-15,
        );
        assert_close(self_information(0.9, Unit::Bits).unwrap(), 0.152, 5e-4);
    }

    #[test]
    fn tails_of_a_ninety_percent_coin_carries_3_322_bits() {
        assert_close(
            self_information(0.1, Unit::Bits).unwrap(),
            std::f64::consts::LOG2_10, // −log₂ 0.1 = log₂ 10 = 3.321928…
            1e-14,
        );
    }

    #[test]
    fn the_sequence_heads_heads_tails_carries_3_626_bits() {
        // 2 · 0.152003 + 3.321928 = 3.625934; the note's 3.62 is 0.15 + 0.15 + 3.32.
        let bits = surprise(&[0.9, 0.9, 0.1], Unit::Bits).unwrap();
        assert_close(bits, 3.625_934_281_777_462, 1e-12);
        assert_close(0.15 + 0.15 + 3.32, 3.62, 1e-12);
    }

    #[test]
    fn surprise_of_independent_events_adds_up() {
        let joint = self_information(0.9 * 0.1, Unit::Nats).unwrap();
        let sum = surprise(&[0.9, 0.1], Unit::Nats).unwrap();
        assert_close(joint, sum, 1e-14);
    }

    #[test]
    fn an_impossible_event_is_infinitely_surprising() {
        assert_eq!(self_information(0.0, Unit::Bits).unwrap(), f64::INFINITY);
    }

    #[test]
    fn bad_probabilities_and_empty_sequences_are_rejected() {
        assert!(self_information(1.2, Unit::Bits).is_err());
        assert!(self_information(f64::NAN, Unit::Bits).is_err());
        assert!(surprise(&[], Unit::Bits).is_err());
        let msg = surprise(&[0.5, -0.1], Unit::Bits).unwrap_err().to_string();
        assert!(msg.contains("p_events[1]"), "{msg}");
    }
}
