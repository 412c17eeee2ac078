//! Plots that show inline in a notebook and save to files for slides.
//!
//! A figure is a map from data coordinates to pixels, `px = left + (x - x_lo) / (x_hi - x_lo)
//! · width` (and the same for y, flipped, or in log10 space on a log axis), plus ink: lines,
//! bars, points, rasters, text. Axes get padded automatic ranges and "nice" ticks of 1, 2
//! or 5 × 10^k (Heckbert, *Graphics Gems*, 1990); series take the Tableau 10 colours.
//! Drawing uses plotters' SVG backend, so no system font is needed.
//!
//! # Inline display in Jupyter (evcxr)
//!
//! evcxr shows a cell's last value by calling its inherent method `evcxr_display(&self)`
//! if it has one (evcxr README, "Custom output"). Every builder here has one, so a cell
//! can end with the plot itself, no `.build()` needed:
//!
//! ```
//! use gmcourse::plot;
//! let xs: Vec<f64> = (0..50).map(|i| i as f64 / 10.0).collect();
//! let ys: Vec<f64> = xs.iter().map(|x| x.sin()).collect();
//! plot::line(&xs, &ys).title("sin x").x_label("x") // ← last line of the cell: shown inline
//! # ;
//! ```
//!
//! It prints one block, `EVCXR_BEGIN_CONTENT image/svg+xml` … `EVCXR_END_CONTENT` (or
//! `image/png` with base64, or `text/html` for tables). A cell keeps one output per MIME
//! type, so a grid of images is composed into one PNG ([`image_grid`]). If the data is bad
//! (NaN, mismatched lengths), the cell shows the error message as text instead.
//!
//! # Saving for slides
//!
//! `.build()?` gives a [`Figure`] (SVG text or PNG bytes); `.save("fig.svg")?` writes it.
//! Scatter plots with many points and heatmaps keep their axes as SVG text but embed the
//! dense layer as one PNG, so 10,000 points stay a small file.
//!
//! # The plot kinds
//!
//! | function | figure |
//! |---|---|
//! | [`line`] | curves with a legend, dashed/dotted styles, log axis |
//! | [`histogram`] | samples in bins, with an optional density curve on top |
//! | [`bar`] | a PMF over named categories, grouped to compare several |
//! | [`scatter`] | 2-D points in labelled groups (raster above 2,000 points) |
//! | [`heatmap`], [`heatmap_fn`] | a density over a grid, viridis colormap, colorbar |
//! | [`image_grid`], [`image_grid_flat`] | digits or samples in rows × columns (one PNG) |
//! | [`training_curves`] | loss histories against the step, optional smoothing |
//! | [`table`] | an HTML table of a joint, marginal or conditional distribution |

#[macro_use]
mod chart;
mod bar;
mod canvas;
mod clip;
mod colormap;
pub(crate) mod figure;
mod heatmap;
mod histogram;
mod image_grid;
mod layer;
mod line;
mod raster;
mod scatter;
mod style;
mod table;
mod ticks;
mod training;

pub use bar::{BarChart, bar};
pub use chart::PointLayer;
pub use colormap::Colormap;
pub use figure::{Figure, Format, Html};
pub use heatmap::{Heatmap, Interpolation, heatmap, heatmap_fn};
pub use histogram::{Histogram, Normalization, histogram};
pub use image_grid::{ImageGrid, image_grid, image_grid_flat};
pub use line::{LinePlot, line};
pub use scatter::{Scatter, scatter};
pub use style::{Dash, Legend, PALETTE, Rgb, Scale};
pub use table::{Table, Totals, table};
pub use training::{Smoothing, TrainingCurves, training_curves};
