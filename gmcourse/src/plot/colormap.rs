//! Colormaps: a value `t` in `[0, 1]` becomes a colour.
//!
//! Viridis is perceptually uniform: equal steps in `t` look like equal steps in colour,
//! and it stays readable in greyscale and for colour-blind readers (van der Walt & Smith,
//! "A better default colormap for Matplotlib", SciPy 2015). The table below is every 16th
//! entry of matplotlib's 256-entry `_viridis_data` (CC0), linearly interpolated.

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

/// (index in matplotlib's 256-entry table, r, g, b).
const VIRIDIS: [(f64, f64, f64, f64); 17] = [
    (0.0, 0.267004, 0.004874, 0.329415),
    (16.0, 0.282327, 0.094955, 0.417331),
    (32.0, 0.278826, 0.175490, 0.483397),
    (48.0, 0.258965, 0.251537, 0.524736),
    (64.0, 0.229739, 0.322361, 0.545706),
    (80.0, 0.199430, 0.387607, 0.554642),
    (96.0, 0.172719, 0.448791, 0.557885),
    (112.0, 0.149039, 0.508051, 0.557250),
    (128.0, 0.127568, 0.566949, 0.550556),
    (144.0, 0.120638, 0.625828, 0.533488),
    (160.0, 0.157851, 0.683765, 0.501686),
    (176.0, 0.246070, 0.738910, 0.452024),
    (192.0, 0.369214, 0.788888, 0.382914),
    (208.0, 0.515992, 0.831158, 0.294279),
    (224.0, 0.678489, 0.863742, 0.189503),
    (240.0, 0.845561, 0.887322, 0.099702),
    (255.0, 0.993248, 0.906157, 0.143936),
];

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
        match self {
            Colormap::Viridis => viridis(t),
            Colormap::Greys => {
                let v = to_u8(t);
                Rgb(v, v, v)
            }
            Colormap::GreysInverted => {
                let v = to_u8(1.0 - t);
                Rgb(v, v, v)
            }
        }
    }
}

fn to_u8(v: f64) -> u8 {
    (v * 255.0).round().clamp(0.0, 255.0) as u8
}

fn viridis(t: f64) -> Rgb {
    let pos = t * 255.0;
    let hi = VIRIDIS
        .iter()
        .position(|s| s.0 >= pos)
        .unwrap_or(VIRIDIS.len() - 1)
        .max(1);
    let (a, b) = (VIRIDIS[hi - 1], VIRIDIS[hi]);
    let w = ((pos - a.0) / (b.0 - a.0)).clamp(0.0, 1.0);
    let mix = |x: f64, y: f64| to_u8(x + (y - x) * w);
    Rgb(mix(a.1, b.1), mix(a.2, b.2), mix(a.3, b.3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_are_matplotlibs_first_and_last_entries() {
        // matplotlib _viridis_data[255] = (0.993248, 0.906157, 0.143936) -> (253, 231, 37)
        assert_eq!(Colormap::Viridis.at(1.0), Rgb(253, 231, 37));
        assert_eq!(Colormap::Viridis.at(-3.0), Rgb(68, 1, 84));
    }

    #[test]
    fn viridis_hits_a_table_entry_exactly() {
        // matplotlib _viridis_data[128] = (0.127568, 0.566949, 0.550556) -> (33, 145, 140)
        assert_eq!(Colormap::Viridis.at(128.0 / 255.0), Rgb(33, 145, 140));
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
}
