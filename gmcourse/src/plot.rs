//! Plots that show inline in a notebook and save to files for slides: a thin layer over
//! plotters.
//!
//! A figure is a map from data coordinates to pixels, `px = left + (x - x_lo) / (x_hi - x_lo)
//! · width` (and the same for y, flipped, or in log10 space on a log axis), plus ink: lines,
//! bars, points, rasters, text. plotters does the drawing — coordinates (`log_scale()` for a
//! log axis), tick positions in steps of 1, 2 or 5 × 10^k, axes, legend, the viridis
//! colormap — with its SVG backend, so no system font is needed. The course adds padded
//! automatic ranges, tick labels with the decimals their step needs, the Tableau 10
//! colours, raster layers for big data, and input from what a lesson holds.
//!
//! # Inline display in Jupyter (evcxr)
//!
//! evcxr shows a cell's last value by calling its method `evcxr_display(&self)` if it has
//! one (evcxr README, "Custom output"). Every builder here has one, so a cell can end with
//! the plot itself, no `.build()` needed. The options every x–y plot shares (title, axis
//! labels, size, ranges, log scale, legend, `build`, `save`) are the trait
//! [`ChartOptions`], which `use gmcourse::prelude::*;` brings into scope:
//!
//! ```
//! use gmcourse::prelude::*;
//! let xs: Vec<f64> = (0..50).map(|i| i as f64 / 10.0).collect();
//! let ys: Vec<f64> = xs.iter().map(|x| x.sin()).collect();
//! plot::line(&xs, &ys).title("sin x").x_label("x") // ← last line of the cell: shown inline
//! # ;
//! ```
//!
//! It prints one block, `EVCXR_BEGIN_CONTENT image/svg+xml` … `EVCXR_END_CONTENT` (or
//! `image/png` with base64, or `text/html` for tables). A cell keeps one output per MIME
//! type, so a grid of images is composed into one PNG ([`image_grid`]). If the data is bad
//! (NaN, mismatched lengths, a tensor of the wrong shape), the cell shows the error
//! message as text instead.
//!
//! # Data as the lesson holds it
//!
//! Numbers come as slices, arrays, `Vec`s or candle tensors ([`Values`]); 2-D points as an
//! `(n, 2)` tensor, `[x, y]` pairs or two columns `(xs, ys)` ([`Points`]); images as a
//! tensor `(n, 784)`, `(n, 28, 28)` or `(n, 1, 28, 28)`, or one `Vec` per image
//! ([`Images`]). So a cell writes `plot::image_grid(&samples)`, not
//! `.flatten_all()?.to_vec1()?` first.
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
//! | [`image_grid`] | digits or samples in rows × columns (one PNG) |
//! | [`training_curves`] | loss histories against the step, optional smoothing |
//! | [`table`] | an HTML table of a joint, marginal or conditional distribution |
//!
//! # Inside
//!
//! Each kind (`line.rs`, …) turns its data into layers (`layer.rs`: one drawing function
//! per kind of layer); `chart.rs` renders them with plotters on `canvas.rs`, a drawing
//! backend that wraps plotters' SVG backend and embeds RGBA images; `options.rs` holds
//! the shared options, `input.rs` the data conversions, `ticks.rs` the labels.

mod bar;
mod canvas;
mod chart;
mod clip;
mod colormap;
mod figure;
mod heatmap;
mod histogram;
mod image_grid;
mod input;
mod layer;
mod line;
mod options;
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
pub use heatmap::{Heatmap, heatmap, heatmap_fn};
pub use histogram::{Histogram, Normalization, histogram};
pub use image_grid::{ImageGrid, image_grid};
pub use input::{Images, Number, Points, Values};
pub use line::{LinePlot, line};
pub use options::ChartOptions;
pub use scatter::{Scatter, scatter};
pub use style::{Dash, Legend, PALETTE, Rgb, Scale};
pub use table::{Cells, Table, Totals, table};
pub use training::{Smoothing, TrainingCurves, training_curves};
