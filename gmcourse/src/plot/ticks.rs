//! Axis ranges and tick labels. plotters places the ticks (steps of 1, 2 or 5 × 10^k on a
//! linear axis, powers of ten on a log one); the course pads the data's range and prints
//! each label with exactly as many decimals as the step needs.

use std::ops::Range;

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::{IntoLogRange, LogCoord};

/// A tick: its value and its label.
pub(crate) type Tick = (f64, String);

/// `(lo, hi)` widened by `frac` of the span on both sides; a zero span becomes a unit one.
pub(crate) fn pad_linear(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1.0) {
        let half = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        return (lo - half, hi + half);
    }
    let pad = (hi - lo) * frac;
    (lo - pad, hi + pad)
}

/// `(lo, hi)` with `lo, hi > 0` widened by `frac` of the span in log10 space.
pub(crate) fn pad_log(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let (a, b) = (lo.log10(), hi.log10());
    let (a, b) = if b - a < 1e-9 {
        (a - 0.3, b + 0.3)
    } else {
        (a - (b - a) * frac, b + (b - a) * frac)
    };
    (10f64.powf(a), 10f64.powf(b))
}

/// The range plotters is given for an axis over `[lo, hi]`: wider by a billionth of the
/// span, so that an end that is a tick (`x_range(-0.3, 0.3)`) stays one despite rounding
/// (plotters computes `-0.3 / 0.1 = -2.9999999999999996`).
pub(crate) fn linear_coord(lo: f64, hi: f64) -> Range<f64> {
    let eps = (hi - lo).abs() * 1e-9;
    lo - eps..hi + eps
}

/// plotters' ticks on a linear axis over `[lo, hi]`, at most `max` of them.
pub(crate) fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<Tick> {
    let values = RangedCoordf64::from(linear_coord(lo, hi)).key_points(max);
    let step = match values.as_slice() {
        [a, b, ..] => b - a,
        _ => hi - lo,
    };
    let big = lo.abs().max(hi.abs());
    values
        .into_iter()
        .map(|v| (v, format_tick(v, step, big)))
        .collect()
}

/// plotters' ticks on a log10 axis over `[lo, hi]` (`lo > 0`): powers of ten, at most
/// `max` of them. A range too short to hold three powers of ten gets 1, 2 and 5 × 10^k.
pub(crate) fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<Tick> {
    let nudged = lo * (1.0 - 1e-9)..hi * (1.0 + 1e-9);
    let mut values = LogCoord::from(nudged.log_scale()).key_points(max);
    if values.len() < 3 {
        let first = (lo.log10() - 1e-9).floor() as i32;
        let last = (hi.log10() + 1e-9).floor() as i32;
        values = (first..=last)
            .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
            .filter(|&v| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9))
            .collect();
    }
    values
        .into_iter()
        .map(|v| (v, format_log_tick(v)))
        .collect()
}

/// A tick label with the decimals the step needs; scientific notation for huge or tiny
/// numbers. Never prints `-0`.
pub(crate) fn format_tick(v: f64, step: f64, big: f64) -> String {
    // A single tick on an axis of zero width has no step: label it as if the step were a
    // thousandth of the value (or 1 for zero). No label needs more than f64's 17 digits.
    let step = if step > 0.0 && step.is_finite() {
        step
    } else if big > 0.0 && big.is_finite() {
        big * 1e-3
    } else {
        1.0
    };
    let v = if v.abs() < step * 1e-6 { 0.0 } else { v };
    if big >= 1e5 || step < 1e-4 {
        if v == 0.0 {
            return "0".to_string();
        }
        let digits = (big.log10().floor() - step.log10().floor()).clamp(0.0, 16.0) as usize;
        return format!("{:.*e}", digits, v);
    }
    let decimals = (-(step.log10() + 1e-9).floor()).clamp(0.0, 16.0) as usize;
    format!("{:.*}", decimals, v)
}

fn format_log_tick(v: f64) -> String {
    let k = (v.log10() + 1e-9).floor();
    if (-3.0..5.0).contains(&k) {
        format!("{:.*}", (-k).max(0.0) as usize, v)
    } else {
        format!("{:.0e}", v)
    }
}

/// The label of the tick nearest to `v` (plotters asks for labels by value).
pub(crate) fn label_of(ticks: &[Tick], v: f64) -> String {
    ticks
        .iter()
        .min_by(|a, b| (a.0 - v).abs().total_cmp(&(b.0 - v).abs()))
        .map(|t| t.1.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(ticks: &[Tick]) -> Vec<&str> {
        ticks.iter().map(|t| t.1.as_str()).collect()
    }

    #[test]
    fn an_axis_of_zero_width_gets_a_readable_tick_not_a_panic() {
        // lesson 04's uniform die: every bar 1/6, a y axis from 1/6 to 1/6
        let sixth = 1.0 / 6.0;
        for ticks in [linear_ticks(sixth, sixth, 5), linear_ticks(0.0, 0.0, 5)] {
            assert!(!ticks.is_empty());
            assert!(ticks.iter().all(|t| t.1.len() < 12), "{:?}", labels(&ticks));
        }
        assert_eq!(format_tick(sixth, 0.0, sixth), "0.1667");
        assert_eq!(format_tick(2e-300, 0.0, 2e-300), "2.000e-300");
        assert_eq!(format_tick(3.0, f64::NAN, 3.0), "3.000");
        assert_eq!(format_tick(0.0, 0.0, 0.0), "0");
    }

    #[test]
    fn unit_interval_gets_ticks_every_point_two() {
        assert_eq!(
            labels(&linear_ticks(0.0, 1.0, 8)),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
    }

    #[test]
    fn ticks_never_print_minus_zero_or_float_noise() {
        let t = linear_ticks(-0.3, 0.3, 8);
        assert_eq!(
            labels(&t),
            ["-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"]
        );
    }

    #[test]
    fn large_values_use_scientific_notation() {
        let t = linear_ticks(0.0, 2.0e6, 6);
        assert_eq!(labels(&t), ["0", "5.0e5", "1.0e6", "1.5e6", "2.0e6"]);
    }

    #[test]
    fn log_axis_over_four_decades_ticks_each_power_of_ten() {
        assert_eq!(
            labels(&log_ticks(0.001, 10.0, 6)),
            ["0.001", "0.01", "0.1", "1", "10"]
        );
    }

    #[test]
    fn log_axis_over_one_decade_adds_twos_and_fives() {
        assert_eq!(labels(&log_ticks(0.15, 1.2, 6)), ["0.2", "0.5", "1"]);
    }

    #[test]
    fn zero_span_is_padded_to_a_visible_range() {
        assert_eq!(pad_linear(0.0, 0.0, 0.05), (-0.5, 0.5));
        let (lo, hi) = pad_linear(10.0, 10.0, 0.05);
        assert!(lo < 10.0 && hi > 10.0);
    }
}
