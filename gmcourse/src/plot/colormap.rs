//! Colormaps: a value `t` in `[0, 1]` becomes a colour.
//!
//! Viridis is perceptually uniform: equal steps in `t` look like equal steps in colour,
//! and it stays readable in greyscale and for colour-blind readers (van der Walt & Smith,
//! "A better default colormap for Matplotlib", SciPy 2015). The colours come from
//! plotters' `colormaps` (`ViridisRGB`, eight stops of matplotlib's table, linearly
//! interpolated; `BlackWhite`).

use plotters::style::colors::colormaps::{BlackWhite, ViridisRGB};

use super::style::Rgb;

/// A map from `[0, 1]` to colours.
///
/// ```
/// use gmcourse::plot::{Colormap, Rgb};
/// assert_eq!(Colormap::Greys.at(0.0), Rgb(0, 0, 0));
/// assert_eq!(Colormap::Greys.at(1.0), Rgb(255, 255, 255));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Dark purple → blue → green → yellow.
    #[default]
    Viridis,
    /// Black → white (as MNIST digits are usually shown).
    Greys,
    /// White → black (ink on paper).
    GreysInverted,
}

impl Colormap {
    /// The colour at `t`; `t` is clamped to `[0, 1]` and NaN maps to `t = 0`.
    ///
    /// ```
    /// use gmcourse::plot::{Colormap, Rgb};
    /// // matplotlib: viridis(0.0) = (0.267004, 0.004874, 0.329415) -> (68, 1, 84)
    /// assert_eq!(Colormap::Viridis.at(0.0), Rgb(68, 1, 84));
    /// ```
    pub fn at(self, t: f64) -> Rgb {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let c = match self {
            Colormap::Viridis => ViridisRGB::get_color(t),
            Colormap::Greys => BlackWhite::get_color(t),
            Colormap::GreysInverted => BlackWhite::get_color(1.0 - t),
        };
        Rgb(c.0, c.1, c.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_stays_within_two_levels_of_matplotlibs_table() {
        // matplotlib _viridis_data[0], [128] and [255], times 255 and rounded:
        // (68, 1, 84), (33, 145, 140), (253, 231, 37).
        let near = |c: Rgb, m: [u8; 3]| {
            c.0.abs_diff(m[0]) <= 2 && c.1.abs_diff(m[1]) <= 2 && c.2.abs_diff(m[2]) <= 2
        };
        assert!(near(Colormap::Viridis.at(0.0), [68, 1, 84]));
        assert!(near(Colormap::Viridis.at(128.0 / 255.0), [33, 145, 140]));
        assert!(near(Colormap::Viridis.at(1.0), [253, 231, 37]));
        assert_eq!(Colormap::Viridis.at(-3.0), Colormap::Viridis.at(0.0));
    }

    #[test]
    fn viridis_gets_brighter_as_t_grows() {
        let lum = |c: Rgb| 0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64;
        let mut last = -1.0;
        for i in 0..=20 {
            let l = lum(Colormap::Viridis.at(i as f64 / 20.0));
            assert!(l > last, "luminance fell at step {i}");
            last = l;
        }
    }

    #[test]
    fn nan_maps_to_the_bottom_of_the_colormap() {
        assert_eq!(Colormap::Greys.at(f64::NAN), Rgb(0, 0, 0));
    }

    #[test]
    fn inverted_greys_put_ink_at_one() {
        assert_eq!(Colormap::GreysInverted.at(1.0), Rgb(0, 0, 0));
        assert_eq!(Colormap::GreysInverted.at(0.0), Rgb(255, 255, 255));
    }
}
