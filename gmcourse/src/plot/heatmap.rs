//! Density heatmaps: a function `p(x, y)` on a grid, each cell coloured by
//! `colormap((p - p_min) / (p_max - p_min))`, with a colorbar. The grid is one embedded PNG
//! inside the SVG; axes and labels stay text.

use std::sync::Arc;

use super::canvas::Rendering;
use super::chart::{Colorbar, Plan, render};
use super::colormap::Colormap;
use super::figure::Figure;
use super::input::{Points, Values, not_empty};
use super::layer::{self, Layer, Raster};
use super::options::{Axes, ChartOptions};
use super::raster::Rgba;
use super::style::{Rgb, Scale};
use crate::{Error, Result};

/// How grid cells are scaled up to screen pixels.
///
/// ```
/// assert_eq!(gmcourse::plot::Interpolation::default(), gmcourse::plot::Interpolation::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interpolation {
    /// Sharp cells for grids under 64 cells a side, smooth above.
    #[default]
    Auto,
    /// Every cell a flat rectangle (good for small tables).
    Nearest,
    /// Let the viewer blend neighbouring cells (good for fine densities).
    Smooth,
}

#[derive(Clone)]
enum Source {
    Grid {
        values: Values,
        nx: usize,
        ny: usize,
    },
    Function {
        f: Arc<dyn Fn(f64, f64) -> f64 + Send + Sync>,
        resolution: usize,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Grid { nx, ny, .. } => write!(f, "Grid({nx}x{ny})"),
            Source::Function { resolution, .. } => write!(f, "Function(resolution={resolution})"),
        }
    }
}

#[derive(Debug, Clone)]
struct Overlay {
    name: String,
    points: Points,
    color: Rgb,
}

/// A heatmap under construction.
///
/// ```
/// use gmcourse::prelude::*;
/// // a standard 2-D Gaussian on [-3, 3]^2
/// let fig = plot::heatmap_fn(|x, y| (-(x * x + y * y) / 2.0).exp(), (-3.0, 3.0), (-3.0, 3.0))
///     .title("p(x, y)")
///     .build()?;
/// assert_eq!(fig.to_svg().matches("data:image/png;base64,").count(), 2); // grid + colorbar
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Heatmap {
    axes: Axes,
    source: Source,
    extent: [f64; 4],
    colormap: Colormap,
    interpolation: Interpolation,
    value_range: Option<(f64, f64)>,
    colorbar: bool,
    overlays: Vec<Overlay>,
}

/// A heatmap of `values` on an `nx × ny` grid: `values[j * nx + i]` is the cell in
/// column `i` (along x) and row `j` (along y, `j = 0` at the bottom). The grid spans
/// `[0, nx] × [0, ny]` until [`Heatmap::extent`] says otherwise. `values` is a slice,
/// vector or tensor of numbers.
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::heatmap(&[0.1, 0.2, 0.3, 0.4], 2, 2).build()?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn heatmap(values: impl Into<Values>, nx: usize, ny: usize) -> Heatmap {
    Heatmap::with_source(
        Source::Grid {
            values: values.into(),
            nx,
            ny,
        },
        [0.0, nx as f64, 0.0, ny as f64],
    )
}

/// A heatmap of `f(x, y)` evaluated at the centres of a 150 × 150 grid over
/// `x_range × y_range` (change with [`Heatmap::resolution`]).
///
/// ```
/// # use gmcourse::prelude::*;
/// let fig = plot::heatmap_fn(|x, y| x * y, (0.0, 1.0), (0.0, 2.0)).build()?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn heatmap_fn(
    f: impl Fn(f64, f64) -> f64 + Send + Sync + 'static,
    x_range: (f64, f64),
    y_range: (f64, f64),
) -> Heatmap {
    Heatmap::with_source(
        Source::Function {
            f: Arc::new(f),
            resolution: 150,
        },
        [x_range.0, x_range.1, y_range.0, y_range.1],
    )
}

impl Heatmap {
    fn with_source(source: Source, extent: [f64; 4]) -> Self {
        Heatmap {
            axes: Axes::default(),
            source,
            extent,
            colormap: Colormap::Viridis,
            interpolation: Interpolation::Auto,
            value_range: None,
            colorbar: true,
            overlays: Vec::new(),
        }
    }

    /// Places the grid over `[x0, x1] × [y0, y1]` in data coordinates.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::heatmap(&[1.0, 2.0], 2, 1).extent(-1.0, 1.0, 0.0, 0.5).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn extent(mut self, x0: f64, x1: f64, y0: f64, y1: f64) -> Self {
        self.extent = [x0, x1, y0, y1];
        self
    }

    /// Sets the grid size a side for [`heatmap_fn`] (default 150; ignored for grids).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::heatmap_fn(|x, _| x, (0.0, 1.0), (0.0, 1.0)).resolution(20).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn resolution(mut self, cells: usize) -> Self {
        if let Source::Function { resolution, .. } = &mut self.source {
            *resolution = cells;
        }
        self
    }

    /// Chooses the colormap (default viridis).
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::heatmap(&[0.0, 1.0], 2, 1).colormap(plot::Colormap::GreysInverted).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn colormap(mut self, colormap: Colormap) -> Self {
        self.colormap = colormap;
        self
    }

    /// Chooses how cells are scaled up.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::heatmap(&[0.0, 1.0], 2, 1).interpolation(plot::Interpolation::Nearest).build()?;
    /// assert!(fig.to_svg().contains("pixelated"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn interpolation(mut self, interpolation: Interpolation) -> Self {
        self.interpolation = interpolation;
        self
    }

    /// Fixes the values mapped to the ends of the colormap (default: min and max).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::heatmap(&[0.2, 0.4], 2, 1).value_range(0.0, 1.0).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn value_range(mut self, lo: f64, hi: f64) -> Self {
        self.value_range = Some((lo, hi));
        self
    }

    /// Leaves out the colorbar.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::heatmap(&[0.2, 0.4], 2, 1).hide_colorbar().build()?;
    /// assert_eq!(fig.to_svg().matches("data:image/png").count(), 1);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn hide_colorbar(mut self) -> Self {
        self.colorbar = false;
        self
    }

    /// Draws named [`Points`] on top (e.g. generator samples over the data density).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::heatmap_fn(|x, y| -(x * x + y * y), (-2.0, 2.0), (-2.0, 2.0))
    ///     .points("samples", &[[0.0, 0.5], [1.0, -0.5]])
    ///     .build()?;
    /// assert!(fig.to_svg().contains("samples"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn points(mut self, name: impl Into<String>, points: impl Into<Points>) -> Self {
        let color = [Rgb::RED, Rgb::ORANGE, Rgb(255, 255, 255), Rgb::PINK][self.overlays.len() % 4];
        self.overlays.push(Overlay {
            name: name.into(),
            points: points.into(),
            color,
        });
        self
    }

    /// The grid values row by row from the bottom, with its size: `(values, nx, ny)`.
    ///
    /// # Errors
    /// A grid whose length is not `nx · ny`, an empty grid, or NaN values.
    ///
    /// ```
    /// let (v, nx, ny) = gmcourse::plot::heatmap_fn(|x, y| x + y, (0.0, 2.0), (0.0, 2.0))
    ///     .resolution(2).grid()?;
    /// assert_eq!((nx, ny), (2, 2));
    /// assert_eq!(v, vec![1.0, 2.0, 2.0, 3.0]); // centres (0.5|1.5, 0.5|1.5)
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn grid(&self) -> Result<(Vec<f64>, usize, usize)> {
        let what = "plot::heatmap";
        let (values, nx, ny) = match &self.source {
            Source::Grid { values, nx, ny } => (values.read(what, "values")?, *nx, *ny),
            Source::Function { f, resolution } => {
                let n = *resolution;
                if n == 0 || n > 2000 {
                    return Err(Error::invalid(
                        format!("{what}: resolution"),
                        "1..=2000 cells a side (try 150)",
                        n,
                    ));
                }
                let [x0, x1, y0, y1] = self.extent;
                let mut v = Vec::with_capacity(n * n);
                for j in 0..n {
                    let y = y0 + (y1 - y0) * (j as f64 + 0.5) / n as f64;
                    for i in 0..n {
                        let x = x0 + (x1 - x0) * (i as f64 + 0.5) / n as f64;
                        v.push(f(x, y));
                    }
                }
                (Values::from(v).read(what, "values")?, n, n)
            }
        };
        not_empty(what, "values", &values)?;
        if nx == 0 || ny == 0 || values.len() != nx * ny {
            return Err(Error::shape(
                what,
                format!("nx · ny = {nx} · {ny} = {} values", nx * ny),
                format!("{} values", values.len()),
            ));
        }
        Ok((values, nx, ny))
    }
}

impl ChartOptions for Heatmap {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the heatmap.
    ///
    /// # Errors
    /// As [`Heatmap::grid`], plus an empty or inverted extent or value range.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// assert!(plot::heatmap(&[1.0, 2.0, 3.0], 2, 2).build().is_err());
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::heatmap";
        if self.axes.y_scale == Scale::Log {
            return Err(Error::invalid(
                format!("{what}: log_y"),
                "a linear y axis (a heatmap's rows are evenly spaced; plot log10 of y instead)",
                "log_y()",
            ));
        }
        let (values, nx, ny) = self.grid()?;
        let [x0, x1, y0, y1] = self.extent;
        if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite())
            || x0 >= x1
            || y0 >= y1
        {
            return Err(Error::invalid(
                format!("{what}: extent"),
                "finite x0 < x1 and y0 < y1",
                format!("{:?}", self.extent),
            ));
        }
        let (lo, hi) = match self.value_range {
            Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo < hi => (lo, hi),
            Some(r) => {
                return Err(Error::invalid(
                    format!("{what}: value_range"),
                    "finite lo < hi",
                    format!("{r:?}"),
                ));
            }
            None => {
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if hi > lo {
                    (lo, hi)
                } else {
                    (lo - 0.5, hi + 0.5)
                }
            }
        };
        let mut image = Rgba::transparent(nx as u32, ny as u32);
        for j in 0..ny {
            for i in 0..nx {
                let t = (values[j * nx + i] - lo) / (hi - lo);
                image.put(i as u32, (ny - 1 - j) as u32, self.colormap.at(t));
            }
        }
        let sharp = match self.interpolation {
            Interpolation::Auto => nx < 64 || ny < 64,
            Interpolation::Nearest => true,
            Interpolation::Smooth => false,
        };
        let mut plan = Plan::new(what, &self.axes);
        plan.layers.push(Layer::Raster(Raster {
            image,
            extent: self.extent,
            rendering: if sharp {
                Rendering::Pixelated
            } else {
                Rendering::Smooth
            },
        }));
        for o in &self.overlays {
            let (xs, ys) = o.points.read(what, &o.name)?;
            plan.layers.push(Layer::Points(layer::Points {
                label: Some(o.name.clone()),
                radius: if xs.len() > 2000 { 1.5 } else { 3.0 },
                points: xs.into_iter().zip(ys).collect(),
                color: o.color,
                opacity: 0.8,
            }));
        }
        if self.colorbar {
            plan.colorbar = Some(Colorbar {
                colormap: self.colormap,
                lo,
                hi,
            });
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_of_the_wrong_size_names_both_sizes() {
        let err = heatmap(&[1.0, 2.0, 3.0], 2, 2)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("= 4 values"), "{err}");
        assert!(err.contains("3 values"), "{err}");
    }

    #[test]
    fn nan_cells_are_an_error() {
        assert!(heatmap(&[1.0, f64::NAN], 2, 1).build().is_err());
    }

    #[test]
    fn the_grid_is_one_embedded_png_plus_the_colorbar() {
        let svg = heatmap_fn(|x, y| x * y, (0.0, 1.0), (0.0, 1.0))
            .build()
            .unwrap()
            .to_svg();
        assert_eq!(svg.matches("data:image/png;base64,").count(), 2);
        assert!(svg.len() < 200_000, "svg is {} bytes", svg.len());
    }

    #[test]
    fn same_function_gives_the_same_bytes() {
        let make = || {
            heatmap_fn(|x, y| (x - y).sin(), (0.0, 3.0), (0.0, 3.0))
                .points("z", &[[1.0, 1.0]])
                .build()
                .unwrap()
        };
        assert_eq!(make(), make());
    }
}
