//! One plotters coordinate type for every axis: linear or log10, with the tick positions
//! chosen by [`super::ticks`] rather than by plotters.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// A value range mapped linearly (or linearly in log10) onto pixels, with fixed ticks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub ticks: Vec<f64>,
}

impl Axis {
    /// The value in the space where the axis is linear.
    pub fn t(&self, v: f64) -> f64 {
        if self.log { v.log10() } else { v }
    }

    /// Where `v` falls between `lo` (0) and `hi` (1).
    pub fn fraction(&self, v: f64) -> f64 {
        (self.t(v) - self.t(self.lo)) / (self.t(self.hi) - self.t(self.lo))
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = self.fraction(*value);
        let px = limit.0 as f64 + f * (limit.1 - limit.0) as f64;
        px.round().clamp(-1e6, 1e6) as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_axis_puts_ten_halfway_between_one_and_a_hundred() {
        let a = Axis {
            lo: 1.0,
            hi: 100.0,
            log: true,
            ticks: vec![],
        };
        assert_eq!(a.map(&10.0, (0, 200)), 100);
    }

    #[test]
    fn linear_axis_maps_ends_to_the_pixel_limits() {
        let a = Axis {
            lo: -1.0,
            hi: 1.0,
            log: false,
            ticks: vec![],
        };
        assert_eq!(a.map(&-1.0, (10, 110)), 10);
        assert_eq!(a.map(&1.0, (10, 110)), 110);
    }
}
