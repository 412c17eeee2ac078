//! Colours, line styles and the other small choices every plot shares.
//!
//! The palette is Tableau 10 as shipped in matplotlib (`tab10`), so figures look like the
//! ones students have seen elsewhere; series take its colours in order.

/// An sRGB colour.
///
/// ```
/// use gmcourse::plot::Rgb;
/// assert_eq!(Rgb::BLUE.to_hex(), "#1f77b4");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Tableau blue `#1f77b4`, the first series.
    pub const BLUE: Rgb = Rgb(0x1f, 0x77, 0xb4);
    /// Tableau orange `#ff7f0e`.
    pub const ORANGE: Rgb = Rgb(0xff, 0x7f, 0x0e);
    /// Tableau green `#2ca02c`.
    pub const GREEN: Rgb = Rgb(0x2c, 0xa0, 0x2c);
    /// Tableau red `#d62728`.
    pub const RED: Rgb = Rgb(0xd6, 0x27, 0x28);
    /// Tableau purple `#9467bd`.
    pub const PURPLE: Rgb = Rgb(0x94, 0x67, 0xbd);
    /// Tableau brown `#8c564b`.
    pub const BROWN: Rgb = Rgb(0x8c, 0x56, 0x4b);
    /// Tableau pink `#e377c2`.
    pub const PINK: Rgb = Rgb(0xe3, 0x77, 0xc2);
    /// Tableau grey `#7f7f7f`.
    pub const GREY: Rgb = Rgb(0x7f, 0x7f, 0x7f);
    /// Tableau olive `#bcbd22`.
    pub const OLIVE: Rgb = Rgb(0xbc, 0xbd, 0x22);
    /// Tableau cyan `#17becf`.
    pub const CYAN: Rgb = Rgb(0x17, 0xbe, 0xcf);
    /// Black, e.g. for the data density in the GAN-paper figure.
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// The colour as `#rrggbb`.
    ///
    /// ```
    /// assert_eq!(gmcourse::plot::Rgb(255, 0, 16).to_hex(), "#ff0010");
    /// ```
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    pub(crate) fn to_plotters(self) -> plotters::style::RGBColor {
        plotters::style::RGBColor(self.0, self.1, self.2)
    }
}

/// Tableau 10: the colours series get, in order (the `i`-th series gets `PALETTE[i % 10]`).
///
/// ```
/// assert_eq!(gmcourse::plot::PALETTE[1], gmcourse::plot::Rgb::ORANGE);
/// ```
pub const PALETTE: [Rgb; 10] = [
    Rgb::BLUE,
    Rgb::ORANGE,
    Rgb::GREEN,
    Rgb::RED,
    Rgb::PURPLE,
    Rgb::BROWN,
    Rgb::PINK,
    Rgb::GREY,
    Rgb::OLIVE,
    Rgb::CYAN,
];

/// How a line is drawn.
///
/// ```
/// assert_eq!(gmcourse::plot::Dash::default(), gmcourse::plot::Dash::Solid);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dash {
    /// A continuous line.
    #[default]
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dots.
    Dotted,
}

/// Where the legend box goes, or whether it is drawn at all.
///
/// ```
/// assert_eq!(gmcourse::plot::Legend::default(), gmcourse::plot::Legend::UpperRight);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Legend {
    /// Inside the plot, top right.
    #[default]
    UpperRight,
    /// Inside the plot, top left.
    UpperLeft,
    /// Inside the plot, bottom right.
    LowerRight,
    /// Inside the plot, bottom left.
    LowerLeft,
    /// No legend.
    Hidden,
}

/// How an axis maps values to positions.
///
/// ```
/// assert_eq!(gmcourse::plot::Scale::default(), gmcourse::plot::Scale::Linear);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Equal steps for equal differences.
    #[default]
    Linear,
    /// Equal steps for equal ratios (base 10). Only positive values can be shown.
    Log,
}

/// The default figure size in pixels (width, height).
pub(crate) const DEFAULT_SIZE: (u32, u32) = (640, 420);
/// Font sizes in plotters units (plotters writes `size / 1.24` as the SVG font-size).
pub(crate) const TITLE_FONT: f64 = 22.0;
pub(crate) const LABEL_FONT: f64 = 19.0;
pub(crate) const TICK_FONT: f64 = 17.0;
pub(crate) const LEGEND_FONT: f64 = 17.0;
pub(crate) const FONT_FAMILY: &str = "sans-serif";
/// Light grey grid lines and the darker axis colour.
pub(crate) const GRID: Rgb = Rgb(0xe5, 0xe5, 0xe5);
pub(crate) const AXIS: Rgb = Rgb(0x55, 0x55, 0x55);
pub(crate) const TEXT: Rgb = Rgb(0x22, 0x22, 0x22);
