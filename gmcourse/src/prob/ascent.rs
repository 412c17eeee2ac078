//! Maximum likelihood by gradient ascent: `θ ← θ + η ∇_θ ℓ(θ)`, with
//! `ℓ(θ) = (1/m) Σ_k log p_θ(x⁽ᵏ⁾)` the mean log-likelihood and η the learning rate.
//!
//! The parameters are climbed in unconstrained coordinates, so that every step gives a
//! valid distribution:
//!
//! | model | coordinates | gradient of ℓ |
//! |---|---|---|
//! | Bernoulli | logit `η`, `θ = σ(η)` | `x̄ − σ(η)` |
//! | Categorical | logits `η_j`, `p = softmax(η)` | `n_j / m − p_j` |
//! | Normal | `(mu, log sigma)` | `(x̄ − mu) / sigma²`, `mean((x − mu)²) / sigma² − 1` |
//!
//! Each gradient is zero exactly at the closed-form MLE of [`super::mle`], which is where
//! the ascent ends up. Deep generative models are trained the same way, with the
//! gradient computed by backpropagation instead of by hand.
//!
//! Source: seed note \[003\] (maximise the empirical log-likelihood, curriculum F4);
//! Goodfellow, Bengio & Courville, *Deep Learning* (2016), §4.3 and §5.5.
//!
//! The data sets are `ndarray` arrays, as in [`super::mle`].
//!
//! ```
//! use gmcourse::prob::ascent::{AscentConfig, bernoulli_by_ascent};
//! use ndarray::array;
//! let fit = bernoulli_by_ascent(&array![1, 1, 1, 0], &AscentConfig::default())?;
//! gmcourse::testing::assert_close(fit.estimate, 0.75, 1e-6);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::mle::{self, check_binary, counts};
use crate::{Error, Result};

/// Options of a gradient ascent.
///
/// ```
/// let cfg = gmcourse::prob::ascent::AscentConfig::default();
/// assert_eq!((cfg.learning_rate, cfg.steps), (0.5, 200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentConfig {
    /// The step size η.
    pub learning_rate: f64,
    /// How many steps to take.
    pub steps: usize,
}

impl Default for AscentConfig {
    fn default() -> Self {
        Self {
            learning_rate: 0.5,
            steps: 200,
        }
    }
}

/// The result of an ascent: the estimate in the model's own parameters, the
/// unconstrained coordinates `theta` it was climbed in, and the mean log-likelihood
/// before every step and after the last (`steps + 1` values).
///
/// ```
/// use gmcourse::prob::ascent::{AscentConfig, bernoulli_by_ascent};
/// let fit = bernoulli_by_ascent(&[1, 0], &AscentConfig { steps: 10, ..Default::default() })?;
/// assert_eq!(fit.history.len(), 11);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Ascent<T> {
    /// The estimate, e.g. θ for a Bernoulli or `(mu, sigma²)` for a normal.
    pub estimate: T,
    /// The final unconstrained coordinates.
    pub theta: Vec<f64>,
    /// `ℓ(θ)` before each step, then after the last one.
    pub history: Vec<f64>,
}

/// Climbs `objective`, which returns `(ℓ(θ), ∇ℓ(θ))`, from `theta0`.
///
/// # Errors
/// [`Error::InvalidArgument`] if the learning rate is not positive or the gradient has
/// the wrong length; [`Error::Diverged`] if ℓ or θ stops being finite (lower the learning
/// rate).
///
/// ```
/// use gmcourse::prob::ascent::{AscentConfig, gradient_ascent};
/// // ℓ(θ) = −(θ − 3)², maximised at θ = 3.
/// let f = |t: &[f64]| (-(t[0] - 3.0).powi(2), vec![-2.0 * (t[0] - 3.0)]);
/// let fit = gradient_ascent(vec![0.0], f, &AscentConfig { learning_rate: 0.1, steps: 100 })?;
/// gmcourse::testing::assert_close(fit.estimate[0], 3.0, 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn gradient_ascent(
    theta0: Vec<f64>,
    objective: impl Fn(&[f64]) -> (f64, Vec<f64>),
    cfg: &AscentConfig,
) -> Result<Ascent<Vec<f64>>> {
    crate::check::positive("AscentConfig::learning_rate", cfg.learning_rate)?;
    let mut theta = theta0;
    let mut history = Vec::with_capacity(cfg.steps + 1);
    for step in 0..=cfg.steps {
        let (value, grad) = objective(&theta);
        if !value.is_finite() || theta.iter().any(|t| !t.is_finite()) {
            return Err(Error::Diverged {
                step,
                loss: value,
                remedy: format!(
                    "lower AscentConfig::learning_rate (now {})",
                    cfg.learning_rate
                ),
            });
        }
        history.push(value);
        if step == cfg.steps {
            break;
        }
        if grad.len() != theta.len() {
            return Err(Error::shape(
                "gradient",
                format!("{} entries, one per parameter", theta.len()),
                grad.len(),
            ));
        }
        for (t, g) in theta.iter_mut().zip(&grad) {
            *t += cfg.learning_rate * g;
        }
    }
    Ok(Ascent {
        estimate: theta.clone(),
        theta,
        history,
    })
}

/// The Bernoulli MLE by gradient ascent on the logit, starting at θ = ½.
///
/// # Errors
/// If `x` is empty or not binary, or the ascent diverges. Data of all ones (or all zeros)
/// has its MLE at θ = 1 (or 0), which the logit only approaches.
///
/// ```
/// use gmcourse::prob::ascent::{AscentConfig, bernoulli_by_ascent};
/// use ndarray::array;
/// let fit = bernoulli_by_ascent(&array![0, 0, 0, 1], &AscentConfig::default())?;
/// gmcourse::testing::assert_close(fit.estimate, 0.25, 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bernoulli_by_ascent<'a>(
    x: impl Into<ArrayView1<'a, u8>>,
    cfg: &AscentConfig,
) -> Result<Ascent<f64>> {
    let x = x.into();
    check_binary(x)?;
    let x_bar = mle::bernoulli_mle(x)?;
    let objective = |t: &[f64]| {
        let theta = sigmoid(t[0]);
        let ll = mle::bernoulli_log_likelihood(theta, x).unwrap_or(f64::NAN);
        (ll, vec![x_bar - theta])
    };
    let fit = gradient_ascent(vec![0.0], objective, cfg)?;
    Ok(Ascent {
        estimate: sigmoid(fit.theta[0]),
        theta: fit.theta,
        history: fit.history,
    })
}

/// The Categorical MLE by gradient ascent on the logits (softmax), starting uniform. The
/// estimate is a distribution over the `n_outcomes` outcomes.
///
/// # Errors
/// If `x` is empty, `n_outcomes` is 0, an outcome is out of range, or the ascent diverges.
///
/// ```
/// use gmcourse::prob::ascent::{AscentConfig, categorical_by_ascent};
/// use ndarray::array;
/// let fit = categorical_by_ascent(&array![0, 1, 1, 2], 3, &AscentConfig::default())?;
/// gmcourse::testing::assert_all_close(&fit.estimate, &[0.25, 0.5, 0.25], 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn categorical_by_ascent<'a>(
    x: impl Into<ArrayView1<'a, usize>>,
    n_outcomes: usize,
    cfg: &AscentConfig,
) -> Result<Ascent<Vec<f64>>> {
    let x = x.into();
    let freq = mle::categorical_mle(x, n_outcomes)?;
    counts(x, n_outcomes)?;
    let objective = |t: &[f64]| {
        let p = softmax(t);
        let ll = mle::categorical_log_likelihood(&p, x).unwrap_or(f64::NAN);
        (ll, freq.iter().zip(&p).map(|(f, p)| f - p).collect())
    };
    let fit = gradient_ascent(vec![0.0; n_outcomes], objective, cfg)?;
    Ok(Ascent {
        estimate: softmax(&fit.theta),
        theta: fit.theta,
        history: fit.history,
    })
}

/// The Gaussian MLE `(mu, sigma²)` by gradient ascent on `(mu, log sigma)`, starting at
/// the standard normal `(0, 0)`.
///
/// # Errors
/// If `x` is empty or not finite, or the ascent diverges (data far from 0 or very spread
/// out needs a smaller learning rate).
///
/// ```
/// use gmcourse::prob::ascent::{AscentConfig, gaussian_by_ascent};
/// use ndarray::array;
/// let fit = gaussian_by_ascent(&array![1.0, 2.0, 3.0], &AscentConfig { learning_rate: 0.1, steps: 500 })?;
/// gmcourse::testing::assert_close(fit.estimate.0, 2.0, 1e-6);
/// gmcourse::testing::assert_close(fit.estimate.1, 2.0 / 3.0, 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn gaussian_by_ascent<'a>(
    x: impl Into<ArrayView1<'a, f64>>,
    cfg: &AscentConfig,
) -> Result<Ascent<(f64, f64)>> {
    let x = x.into();
    mle::gaussian_mle(x)?;
    let m = x.len() as f64;
    let objective = |t: &[f64]| {
        let (mu, var) = (t[0], (2.0 * t[1]).exp());
        let ll = mle::gaussian_log_likelihood(mu, var, x).unwrap_or(f64::NAN);
        let mean_dev = x.iter().map(|&x_k| x_k - mu).sum::<f64>() / m;
        let mean_sq = x.iter().map(|&x_k| (x_k - mu).powi(2)).sum::<f64>() / m;
        (ll, vec![mean_dev / var, mean_sq / var - 1.0])
    };
    let fit = gradient_ascent(vec![0.0, 0.0], objective, cfg)?;
    Ok(Ascent {
        estimate: (fit.theta[0], (2.0 * fit.theta[1]).exp()),
        theta: fit.theta,
        history: fit.history,
    })
}

/// The logistic function `σ(a) = 1 / (1 + e^−a)`.
pub(crate) fn sigmoid(a: f64) -> f64 {
    1.0 / (1.0 + (-a).exp())
}

fn softmax(logits: &[f64]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = logits.iter().map(|&l| (l - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};

    #[test]
    fn each_ascent_ends_at_the_closed_form_mle() {
        let cfg = AscentConfig {
            learning_rate: 0.5,
            steps: 500,
        };
        let flips = ndarray::array![1, 0, 1, 1, 1, 0, 1, 1];
        assert_close(
            bernoulli_by_ascent(&flips, &cfg).unwrap().estimate,
            mle::bernoulli_mle(&flips).unwrap(),
            1e-9,
        );
        let rolls = ndarray::array![0, 1, 1, 2, 2, 2, 3];
        assert_all_close(
            &categorical_by_ascent(&rolls, 4, &cfg).unwrap().estimate,
            &mle::categorical_mle(&rolls, 4).unwrap(),
            1e-6,
        );
        let x = ndarray::array![0.5, 1.5, 2.0, 2.5, 3.5];
        let (mu, var) = gaussian_by_ascent(
            &x,
            &AscentConfig {
                learning_rate: 0.1,
                steps: 2000,
            },
        )
        .unwrap()
        .estimate;
        let (mu_hat, var_hat) = mle::gaussian_mle(&x).unwrap();
        assert_close(mu, mu_hat, 1e-9);
        assert_close(var, var_hat, 1e-9);
    }

    #[test]
    fn the_log_likelihood_never_decreases_with_a_small_step() {
        let fit = gaussian_by_ascent(
            &[1.0, 2.0, 4.0],
            &AscentConfig {
                learning_rate: 0.05,
                steps: 300,
            },
        )
        .unwrap();
        for w in fit.history.windows(2) {
            assert!(w[1] >= w[0] - 1e-12, "{} then {}", w[0], w[1]);
        }
    }

    #[test]
    fn too_large_a_step_diverges_with_a_remedy() {
        // ℓ(θ) = −θ², gradient −2θ: η = 1.5 multiplies θ by −2 each step.
        let f = |t: &[f64]| (-t[0] * t[0], vec![-2.0 * t[0]]);
        let err = gradient_ascent(
            vec![1.0],
            f,
            &AscentConfig {
                learning_rate: 1.5,
                steps: 2000,
            },
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("lower AscentConfig::learning_rate"),
            "{err}"
        );
    }

    #[test]
    fn a_gradient_of_the_wrong_length_is_rejected() {
        let f = |_: &[f64]| (0.0, vec![1.0, 2.0]);
        assert!(gradient_ascent(vec![0.0], f, &AscentConfig::default()).is_err());
    }
}
