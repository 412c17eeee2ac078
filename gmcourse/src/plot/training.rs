//! Training curves: loss histories `L_t` against the step `t`, optionally smoothed with an
//! exponential moving average `s_t = β s_{t-1} + (1 - β) L_t`, bias-corrected by
//! `1 - β^t` as in Adam (Kingma & Ba, 2015) and TensorBoard's smoothing slider.

use super::chart::{Plan, render};
use super::figure::Figure;
use super::input::{Values, not_empty};
use super::layer::{Layer, Line};
use super::options::{Axes, ChartOptions};
use super::style::PALETTE;
use crate::{Error, Result};

/// How loss histories are smoothed before drawing.
///
/// ```
/// assert_eq!(gmcourse::plot::Smoothing::default(), gmcourse::plot::Smoothing::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Smoothing {
    /// Draw the raw values.
    #[default]
    None,
    /// Exponential moving average with weight `β` in `[0, 1)` on the past (0.9 is typical).
    Ema(f64),
    /// Mean of the last `k` values (fewer at the start).
    Window(usize),
}

impl Smoothing {
    /// Applies the smoothing to a history.
    ///
    /// ```
    /// use gmcourse::plot::Smoothing;
    /// assert_eq!(Smoothing::Window(2).apply(&[1.0, 3.0, 5.0]), vec![1.0, 2.0, 4.0]);
    /// ```
    pub fn apply(self, values: &[f64]) -> Vec<f64> {
        match self {
            Smoothing::None => values.to_vec(),
            Smoothing::Ema(beta) => {
                let mut s = 0.0;
                let mut w = 1.0;
                values
                    .iter()
                    .map(|&v| {
                        s = beta * s + (1.0 - beta) * v;
                        w *= beta;
                        s / (1.0 - w)
                    })
                    .collect()
            }
            Smoothing::Window(k) => {
                let k = k.max(1);
                let mut sum = 0.0;
                (0..values.len())
                    .map(|i| {
                        sum += values[i];
                        if i >= k {
                            sum -= values[i - k];
                        }
                        sum / (i + 1).min(k) as f64
                    })
                    .collect()
            }
        }
    }
}

/// Loss curves under construction.
///
/// ```
/// use gmcourse::prelude::*;
/// use gmcourse::plot::Smoothing;
/// let loss_d: Vec<f64> = (0..200).map(|t| 1.4 - 0.3 * (t as f64 / 50.0).tanh()).collect();
/// let loss_g: Vec<f64> = (0..200).map(|t| 0.7 + 0.5 * (t as f64 / 50.0).tanh()).collect();
/// let fig = plot::training_curves()
///     .series("loss_D", &loss_d)
///     .series("loss_G", &loss_g)
///     .smooth(Smoothing::Ema(0.9))
///     .build()?;
/// assert!(fig.to_svg().contains("loss_G"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrainingCurves {
    axes: Axes,
    series: Vec<(String, Values)>,
    smoothing: Smoothing,
    every: usize,
}

/// An empty training-curve plot with axes labelled "step" and "loss".
///
/// ```
/// # use gmcourse::prelude::*;
/// let fig = plot::training_curves().series("elbo", &[3.0, 2.0, 1.5]).build()?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn training_curves() -> TrainingCurves {
    let axes = Axes {
        x_label: Some("step".to_string()),
        y_label: Some("loss".to_string()),
        ..Axes::default()
    };
    TrainingCurves {
        axes,
        series: Vec::new(),
        smoothing: Smoothing::None,
        every: 1,
    }
}

impl TrainingCurves {
    /// Adds a named history (a slice, vector or 1-D tensor): `values[i]` was logged at
    /// step `i · every`.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let losses: Vec<f32> = vec![2.0, 1.0, 0.5];
    /// let fig = plot::training_curves().series("nll", &losses).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn series(mut self, name: impl Into<String>, values: impl Into<Values>) -> Self {
        self.series.push((name.into(), values.into()));
        self
    }

    /// Smooths every history; the raw values stay visible as a faint line.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::training_curves().series("l", &[1.0, 2.0, 1.0])
    ///     .smooth(plot::Smoothing::Window(2)).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn smooth(mut self, smoothing: Smoothing) -> Self {
        self.smoothing = smoothing;
        self
    }

    /// Says that one value was logged every `steps` steps (default 1).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::training_curves().series("l", &[1.0, 0.5]).every(100).build()?;
    /// assert!(fig.to_svg().contains("100"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn every(mut self, steps: usize) -> Self {
        self.every = steps.max(1);
        self
    }
}

impl ChartOptions for TrainingCurves {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the curves.
    ///
    /// # Errors
    /// No series, an empty history, a NaN/infinite loss (the message names the step:
    /// training probably diverged), or a smoothing weight outside `[0, 1)`.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let err = plot::training_curves().series("loss", &[1.0, f64::NAN]).build().unwrap_err();
    /// assert!(err.to_string().contains("loss[1]"));
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::training_curves";
        not_empty(
            what,
            "series (add one with .series(name, &losses))",
            &self.series,
        )?;
        if let Smoothing::Ema(beta) = self.smoothing
            && !(0.0..1.0).contains(&beta)
        {
            return Err(Error::invalid(
                format!("{what}: Smoothing::Ema"),
                "a weight in [0, 1) (try 0.9)",
                beta,
            ));
        }
        let mut plan = Plan::new(what, &self.axes);
        for (k, (name, values)) in self.series.iter().enumerate() {
            let values = values.read(what, name)?;
            not_empty(what, name, &values)?;
            let color = PALETTE[k % PALETTE.len()];
            let steps = |vals: &[f64]| -> Vec<(f64, f64)> {
                vals.iter()
                    .enumerate()
                    .map(|(i, &v)| ((i * self.every) as f64, v))
                    .collect()
            };
            if self.smoothing != Smoothing::None {
                plan.layers.push(Layer::Line(Line {
                    width: 1,
                    opacity: 0.25,
                    ..Line::solid(None, steps(&values), color)
                }));
            }
            let smooth = steps(&self.smoothing.apply(&values));
            plan.layers
                .push(Layer::Line(Line::solid(Some(name.clone()), smooth, color)));
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_all_close;

    #[test]
    fn ema_of_a_constant_is_that_constant_from_the_first_step() {
        // Bias correction divides by 1 - 0.9^t, so no warm-up dip towards zero.
        assert_all_close(&Smoothing::Ema(0.9).apply(&[2.0; 5]), &[2.0; 5], 1e-12);
    }

    #[test]
    fn ema_matches_a_hand_computed_value() {
        // s1 = 0.5*1 = 0.5 -> /0.5 = 1; s2 = 0.5*0.5 + 0.5*3 = 1.75 -> /0.75 = 2.333…
        assert_all_close(
            &Smoothing::Ema(0.5).apply(&[1.0, 3.0]),
            &[1.0, 7.0 / 3.0],
            1e-12,
        );
    }

    #[test]
    fn a_diverged_loss_is_reported_with_its_step() {
        let err = training_curves()
            .series("loss_G", &[1.0, 2.0, f64::INFINITY])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("loss_G[2]"), "{err}");
    }

    #[test]
    fn smoothing_draws_a_faint_raw_line_under_each_curve() {
        let svg = training_curves()
            .series("a", &[1.0, 2.0, 1.5, 1.0])
            .smooth(Smoothing::Ema(0.5))
            .build()
            .unwrap()
            .to_svg();
        assert!(svg.contains("opacity=\"0.25\""));
    }
}
