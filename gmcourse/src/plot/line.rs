//! Line plots: several named curves `y = f(x)` sharing one pair of axes, with a legend.

use std::sync::Arc;

use super::chart::{Plan, render};
use super::figure::Figure;
use super::input::{Values, not_empty, same_len};
use super::layer::{Layer, Line};
use super::options::{Axes, ChartOptions};
use super::style::{Dash, PALETTE, Rgb};
use crate::Result;

/// Points at which [`LinePlot::function`] evaluates its function.
const FUNCTION_SAMPLES: usize = 400;

#[derive(Clone)]
enum Ys {
    Values(Values),
    Function(Arc<dyn Fn(f64) -> f64 + Send + Sync>),
}

impl std::fmt::Debug for Ys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ys::Values(v) => f.debug_tuple("Values").field(v).finish(),
            Ys::Function(_) => f.write_str("Function(..)"),
        }
    }
}

#[derive(Debug, Clone)]
struct Series {
    name: Option<String>,
    xs: Values,
    ys: Ys,
    color: Option<Rgb>,
    dash: Dash,
    width: u32,
}

/// A line plot under construction. Style setters ([`LinePlot::name`],
/// [`LinePlot::color`], [`LinePlot::dash`], [`LinePlot::width`]) apply to the series
/// added last.
///
/// The figure of Goodfellow et al. (2014, Fig. 1) — data density black dotted,
/// generator green solid, discriminator blue dashed:
///
/// ```
/// use gmcourse::prelude::*;
/// use gmcourse::plot::{Dash, Rgb};
/// let x: Vec<f64> = (0..100).map(|i| i as f64 / 10.0).collect();
/// let p_data: Vec<f64> = x.iter().map(|x| (-(x - 4.0_f64).powi(2) / 2.0).exp()).collect();
/// let p_g: Vec<f64> = x.iter().map(|x| (-(x - 5.0_f64).powi(2) / 2.0).exp()).collect();
/// let d: Vec<f64> = p_data.iter().zip(&p_g).map(|(a, b)| a / (a + b)).collect();
/// let fig = plot::line(&x, &p_data).name("p_data").color(Rgb::BLACK).dash(Dash::Dotted)
///     .series("p_g", &x, &p_g).color(Rgb::GREEN)
///     .series("D", &x, &d).color(Rgb::BLUE).dash(Dash::Dashed)
///     .build()?;
/// assert!(fig.to_svg().contains("p_data"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LinePlot {
    axes: Axes,
    series: Vec<Series>,
}

/// A line plot of one unnamed series; add more with [`LinePlot::series`]. `xs` and `ys`
/// are slices, vectors or tensors of numbers ([`Values`]).
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::line(&[0.0, 1.0, 2.0], &[1.0, 3.0, 2.0]).build()?;
/// assert!(fig.to_svg().contains("<polyline"));
/// let t = Tensor::arange(0f32, 3.0, &Device::Cpu)?; // a 1-D tensor as it is
/// assert!(plot::line(&t, &t.sqr()?).build().is_ok());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn line(xs: impl Into<Values>, ys: impl Into<Values>) -> LinePlot {
    LinePlot::new().push(None, xs.into(), ys.into())
}

impl LinePlot {
    /// An empty line plot.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::LinePlot::new().series("y", &[0.0, 1.0], &[0.0, 1.0]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new() -> Self {
        LinePlot::default()
    }

    fn push(mut self, name: Option<String>, xs: Values, ys: Values) -> Self {
        self.series.push(Series {
            name,
            xs,
            ys: Ys::Values(ys),
            color: None,
            dash: Dash::Solid,
            width: 2,
        });
        self
    }

    /// Adds a named series (shown in the legend).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[0.0, 1.0])
    ///     .series("q", &[0.0, 1.0], &[1.0, 0.0])
    ///     .build()?;
    /// assert!(fig.to_svg().contains("q"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn series(
        self,
        name: impl Into<String>,
        xs: impl Into<Values>,
        ys: impl Into<Values>,
    ) -> Self {
        self.push(Some(name.into()), xs.into(), ys.into())
    }

    /// Adds a named series `y = f(x)` sampled at 400 points over `[lo, hi]`.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::LinePlot::new()
    ///     .function("N(0, 1)", |x| (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt(), -4.0, 4.0)
    ///     .build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn function(
        mut self,
        name: impl Into<String>,
        f: impl Fn(f64) -> f64 + Send + Sync + 'static,
        lo: f64,
        hi: f64,
    ) -> Self {
        let n = FUNCTION_SAMPLES;
        let xs: Vec<f64> = (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect();
        self.series.push(Series {
            name: Some(name.into()),
            xs: Values::from(xs),
            ys: Ys::Function(Arc::new(f)),
            color: None,
            dash: Dash::Solid,
            width: 2,
        });
        self
    }

    fn last(&mut self) -> Option<&mut Series> {
        self.series.last_mut()
    }

    /// Names the series added last (e.g. the one [`line`] started with).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[0.0, 1.0]).name("p_data").build()?;
    /// assert!(fig.to_svg().contains("p_data"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        if let Some(s) = self.last() {
            s.name = Some(name.into());
        }
        self
    }

    /// Colours the series added last (default: the next Tableau colour).
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[0.0, 1.0]).color(plot::Rgb::BLACK).build()?;
    /// assert!(fig.to_svg().contains("stroke=\"#000000\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn color(mut self, color: Rgb) -> Self {
        if let Some(s) = self.last() {
            s.color = Some(color);
        }
        self
    }

    /// Dashes the series added last.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[0.0, 1.0]).dash(plot::Dash::Dashed).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn dash(mut self, dash: Dash) -> Self {
        if let Some(s) = self.last() {
            s.dash = dash;
        }
        self
    }

    /// Sets the stroke width in pixels of the series added last (default 2).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[0.0, 1.0]).width(4).build()?;
    /// assert!(fig.to_svg().contains("stroke-width=\"4\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn width(mut self, px: u32) -> Self {
        if let Some(s) = self.last() {
            s.width = px.max(1);
        }
        self
    }
}

impl ChartOptions for LinePlot {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the plot.
    ///
    /// # Errors
    /// No series, an empty series, `xs` and `ys` of different lengths, a NaN or infinite
    /// value, or non-positive values on a log axis.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let err = plot::line(&[0.0; 10], &[0.0; 9]).build().unwrap_err();
    /// assert!(err.to_string().contains("xs has 10 values but ys has 9"));
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::line";
        not_empty(what, "series", &self.series)?;
        let mut plan = Plan::new(what, &self.axes);
        let mut auto = 0;
        for s in &self.series {
            let label = s.name.as_deref().unwrap_or("ys");
            let xs = s.xs.read(what, "xs")?;
            let ys = match &s.ys {
                Ys::Values(v) => v.read(what, label)?,
                Ys::Function(f) => {
                    Values::from(xs.iter().map(|&x| f(x)).collect::<Vec<_>>()).read(what, label)?
                }
            };
            not_empty(what, "xs", &xs)?;
            same_len(what, ("xs", xs.len()), (label, ys.len()))?;
            let color = s.color.unwrap_or_else(|| {
                auto += 1;
                PALETTE[(auto - 1) % PALETTE.len()]
            });
            plan.layers.push(Layer::Line(Line {
                dash: s.dash,
                width: s.width,
                ..Line::solid(s.name.clone(), xs.into_iter().zip(ys).collect(), color)
            }));
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatched_lengths_are_reported_with_both_counts() {
        let err = line(&[0.0; 10], &[0.0; 9]).build().unwrap_err().to_string();
        assert!(err.contains("plot::line"), "{err}");
        assert!(err.contains("xs has 10 values but ys has 9"), "{err}");
    }

    #[test]
    fn nan_is_an_error_naming_the_series_and_index() {
        let err = line(&[0.0, 1.0, 2.0], &[0.0, 1.0, 2.0])
            .series("loss", &[0.0, 1.0, 2.0], &[1.0, f64::NAN, 0.5])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("loss[1]"), "{err}");
    }

    #[test]
    fn empty_input_is_an_error_not_a_panic() {
        let empty: [f64; 0] = [];
        assert!(line(&empty, &empty).build().is_err());
        assert!(LinePlot::new().build().is_err());
    }

    #[test]
    fn same_input_gives_the_same_bytes() {
        let make = || {
            line(&[0.0, 1.0, 2.0], &[3.0, 1.0, 2.0])
                .series("b", &[0.0, 2.0], &[1.0, 1.0])
                .title("t")
                .build()
                .unwrap()
        };
        assert_eq!(make(), make());
    }

    #[test]
    fn log_axis_refuses_zero_with_a_remedy() {
        let err = line(&[0.0, 1.0], &[1.0, 0.0])
            .log_y()
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("positive y values"), "{err}");
    }

    #[test]
    fn x_range_sets_the_ticks() {
        let svg = line(&[0.0, 1.0], &[0.0, 1.0])
            .x_range(-4.0, 4.0)
            .build()
            .unwrap()
            .to_svg();
        assert!(svg.contains("\n-4\n</text>"), "{svg}");
    }

    #[test]
    fn a_constant_series_still_gets_a_visible_range() {
        let svg = line(&[1.0, 1.0], &[5.0, 5.0]).build().unwrap().to_svg();
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn f32_and_integer_inputs_are_accepted() {
        let xs: Vec<f32> = vec![0.0, 1.0];
        let ys: Vec<i32> = vec![3, 4];
        assert!(line(&xs, &ys).build().is_ok());
    }

    #[test]
    fn a_function_that_returns_nan_is_an_error() {
        let r = LinePlot::new()
            .function("log", |x: f64| x.ln(), -1.0, 1.0)
            .build();
        assert!(r.is_err());
    }

    #[test]
    fn y_range_clips_the_curve_to_the_axes() {
        let svg = line(&[0.0, 1.0, 2.0], &[0.0, 100.0, 0.0])
            .y_range(0.0, 1.0)
            .build()
            .unwrap()
            .to_svg();
        // Two pieces remain: up to the top edge, and down from it.
        assert_eq!(svg.matches("stroke=\"#1F77B4\"").count(), 2, "{svg}");
    }
}
