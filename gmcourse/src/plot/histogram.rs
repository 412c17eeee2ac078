//! Histograms: samples counted in equal-width bins, optionally normalised so the bars are
//! a density estimate `p̂(x) = count / (n · width)` that can be compared with a pdf.

use std::sync::Arc;

use super::chart::{Plan, render};
use super::figure::Figure;
use super::input::{Values, not_empty, same_len};
use super::layer::{Bars, Layer, Line};
use super::options::{Axes, ChartOptions};
use super::style::Rgb;
use crate::{Error, Result};

/// What the bar heights measure.
///
/// ```
/// assert_eq!(gmcourse::plot::Normalization::default(), gmcourse::plot::Normalization::Count);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Normalization {
    /// Number of samples per bin.
    #[default]
    Count,
    /// Fraction of samples per bin (heights sum to 1).
    Probability,
    /// Fraction per unit of x (the bars' area is 1), comparable with a pdf.
    Density,
}

#[derive(Clone)]
enum Curve {
    Function(Arc<dyn Fn(f64) -> f64 + Send + Sync>),
    Points(Values, Values),
}

impl std::fmt::Debug for Curve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Curve::Function(_) => f.write_str("Function(..)"),
            Curve::Points(x, y) => f.debug_tuple("Points").field(x).field(y).finish(),
        }
    }
}

/// A histogram under construction.
///
/// ```
/// use gmcourse::prelude::*;
/// let samples: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64 / 1000.0).collect();
/// let fig = plot::histogram(&samples, 20).density(|_x| 1.0).title("U(0, 1)").build()?;
/// assert!(fig.to_svg().contains("U(0, 1)"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Histogram {
    axes: Axes,
    samples: Values,
    bins: usize,
    normalization: Normalization,
    label: Option<String>,
    color: Rgb,
    curve: Option<Curve>,
    curve_label: String,
}

/// A histogram of `samples` (a slice, vector or tensor) in `bins` equal-width bins
/// spanning the samples (or the x range, if set).
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::histogram(&[1.0, 2.0, 2.5, 3.0], 3).build()?;
/// let x = Tensor::new(&[[0.1f32], [0.4], [0.5]], &Device::Cpu)?; // e.g. G(z), (n, 1)
/// assert!(plot::histogram(&x, 2).build().is_ok());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn histogram(samples: impl Into<Values>, bins: usize) -> Histogram {
    Histogram {
        axes: Axes::default(),
        samples: samples.into(),
        bins,
        normalization: Normalization::Count,
        label: None,
        color: Rgb::BLUE,
        curve: None,
        curve_label: "density".to_string(),
    }
}

impl Histogram {
    /// Overlays the curve `y = pdf(x)` and switches the bars to
    /// [`Normalization::Density`] so both have area 1.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5, 0.9], 2).density(|_| 1.0).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn density(mut self, pdf: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        self.curve = Some(Curve::Function(Arc::new(pdf)));
        self.normalization = Normalization::Density;
        self
    }

    /// Overlays a density given as points `(xs[i], ys[i])` and switches the bars to
    /// [`Normalization::Density`].
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5, 0.9], 2)
    ///     .density_points(&[0.0, 1.0], &[1.0, 1.0])
    ///     .build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn density_points(mut self, xs: impl Into<Values>, ys: impl Into<Values>) -> Self {
        self.curve = Some(Curve::Points(xs.into(), ys.into()));
        self.normalization = Normalization::Density;
        self
    }

    /// Names the density curve in the legend (default `"density"`).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5], 2).density(|_| 1.0)
    ///     .density_label("p_data").build()?;
    /// assert!(fig.to_svg().contains("p_data"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn density_label(mut self, name: impl Into<String>) -> Self {
        self.curve_label = name.into();
        self
    }

    /// Names the bars in the legend (e.g. `"samples"`).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5], 2).label("samples").build()?;
    /// assert!(fig.to_svg().contains("samples"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn label(mut self, name: impl Into<String>) -> Self {
        self.label = Some(name.into());
        self
    }

    /// Chooses what the bar heights measure.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5], 2).normalize(plot::Normalization::Probability).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn normalize(mut self, normalization: Normalization) -> Self {
        self.normalization = normalization;
        self
    }

    /// Colours the bars (default Tableau blue; the curve is black).
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::histogram(&[0.1, 0.5], 2).color(plot::Rgb::ORANGE).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn color(mut self, color: Rgb) -> Self {
        self.color = color;
        self
    }

    /// Bin edges and bar heights: `(edges, heights)` with `edges.len() = bins + 1`.
    ///
    /// # Errors
    /// No samples, zero bins, or a non-finite sample.
    ///
    /// ```
    /// let (edges, heights) = gmcourse::plot::histogram(&[0.0, 0.4, 1.0], 2).bins()?;
    /// assert_eq!(edges, vec![0.0, 0.5, 1.0]);
    /// assert_eq!(heights, vec![2.0, 1.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn bins(&self) -> Result<(Vec<f64>, Vec<f64>)> {
        let what = "plot::histogram";
        let samples = self.samples.read(what, "samples")?;
        not_empty(what, "samples", &samples)?;
        if self.bins == 0 || self.bins > 100_000 {
            return Err(Error::invalid(
                format!("{what}: bins"),
                "a number of bins in 1..=100000 (try 30)",
                self.bins,
            ));
        }
        let (lo, hi) = match self.axes.x_range {
            Some(r) => r,
            None => {
                let lo = samples.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if hi > lo {
                    (lo, hi)
                } else {
                    (lo - 0.5, hi + 0.5)
                }
            }
        };
        let width = (hi - lo) / self.bins as f64;
        let edges: Vec<f64> = (0..=self.bins).map(|i| lo + width * i as f64).collect();
        let mut counts = vec![0.0; self.bins];
        for &s in &samples {
            if s < lo || s > hi {
                continue;
            }
            let i = (((s - lo) / width) as usize).min(self.bins - 1);
            counts[i] += 1.0;
        }
        let n = samples.len() as f64;
        let scale = match self.normalization {
            Normalization::Count => 1.0,
            Normalization::Probability => 1.0 / n,
            Normalization::Density => 1.0 / (n * width),
        };
        Ok((edges, counts.into_iter().map(|c| c * scale).collect()))
    }
}

impl ChartOptions for Histogram {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the histogram.
    ///
    /// # Errors
    /// As [`Histogram::bins`], plus a density curve with NaN values or mismatched lengths.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// assert!(plot::histogram(&[f64::NAN], 10).build().is_err());
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::histogram";
        let (edges, heights) = self.bins()?;
        let mut plan = Plan::new(what, &self.axes);
        plan.layers.push(Layer::Bars(Bars {
            label: self.label.clone(),
            rects: edges
                .windows(2)
                .zip(&heights)
                .map(|(e, &h)| [e[0], e[1], 0.0, h])
                .collect(),
            color: self.color,
        }));
        if let Some(curve) = &self.curve {
            let (xs, ys) = match curve {
                Curve::Function(f) => {
                    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
                    let pad = (hi - lo) * 0.04;
                    let xs: Vec<f64> = (0..400)
                        .map(|i| lo - pad + (hi - lo + 2.0 * pad) * i as f64 / 399.0)
                        .collect();
                    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
                    (xs, Values::from(ys).read(what, "density")?)
                }
                Curve::Points(xs, ys) => (xs.read(what, "density xs")?, ys.read(what, "density")?),
            };
            not_empty(what, "density xs", &xs)?;
            same_len(what, ("density xs", xs.len()), ("density ys", ys.len()))?;
            let points = xs.into_iter().zip(ys).collect();
            let label = Some(self.curve_label.clone());
            plan.layers
                .push(Layer::Line(Line::solid(label, points, Rgb::BLACK)));
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn density_bars_have_area_one() {
        let samples: Vec<f64> = (0..997).map(|i| ((i * 31) % 997) as f64 / 97.0).collect();
        let (edges, heights) = histogram(&samples, 13)
            .normalize(Normalization::Density)
            .bins()
            .unwrap();
        let area: f64 = edges
            .windows(2)
            .zip(&heights)
            .map(|(e, h)| (e[1] - e[0]) * h)
            .sum();
        assert_close(area, 1.0, 1e-12);
    }

    #[test]
    fn the_largest_sample_falls_in_the_last_bin() {
        let (_, heights) = histogram(&[0.0, 1.0, 2.0, 3.0], 3).bins().unwrap();
        assert_eq!(heights, vec![1.0, 1.0, 2.0]);
    }

    #[test]
    fn zero_bins_is_an_error_with_a_suggestion() {
        let err = histogram(&[1.0], 0).build().unwrap_err().to_string();
        assert!(err.contains("try 30"), "{err}");
    }

    #[test]
    fn identical_samples_still_render() {
        assert!(histogram(&[2.0, 2.0, 2.0], 5).build().is_ok());
    }

    #[test]
    fn a_pdf_returning_nan_is_an_error() {
        let r = histogram(&[1.0, 2.0], 2).density(|_| f64::NAN).build();
        assert!(r.is_err());
    }

    #[test]
    fn same_samples_give_the_same_bytes() {
        let s = [0.1, 0.2, 0.2, 0.7, 0.9];
        let a = histogram(&s, 4).density(|_| 1.0).build().unwrap();
        let b = histogram(&s, 4).density(|_| 1.0).build().unwrap();
        assert_eq!(a, b);
    }
}
