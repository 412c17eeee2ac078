//! Beta(a, b), the prior of a coin's θ, and the MAP estimate it gives:
//!
//! `p(θ) = θ^{a−1} (1 − θ)^{b−1} / B(a, b)`; after k ones in m flips the posterior is
//! `Beta(a + k, b + m − k)` (likelihood × prior, renormalised), whose mode is the MAP
//! estimate `θ_MAP = (k + a − 1) / (m + a + b − 2)`.
//!
//! The prior acts like `a − 1` extra ones and `b − 1` extra zeros. With few flips it
//! dominates; as m grows, `θ_MAP → k / m`, the MLE: the data outweigh the prior. With
//! `a = b = 1` (a flat prior) MAP and MLE coincide.
//!
//! Source: seed note \[001\] (Bayesian statistics: MAP = likelihood × prior, curriculum
//! F6); Bishop, *Pattern Recognition and Machine Learning* (2006), §2.1.1. `ln B(a, b)`
//! comes from `statrs::function::beta::ln_beta`.
//!
//! The flips are an `ndarray` array (or a view, `&Vec<u8>`, `&[u8]`), as in [`super::mle`].
//!
//! ```
//! use gmcourse::prob::Beta;
//! use ndarray::array;
//! let prior = Beta::new(5.0, 5.0)?;
//! // 3 heads in 3 flips: the MLE says 1.0, the prior pulls it to 7/11.
//! gmcourse::testing::assert_close(prior.map_estimate(&array![1, 1, 1])?, 7.0 / 11.0, 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::ArrayView1;

use super::mle::check_binary;
use crate::check;
use crate::{Error, Result};

/// The Beta(a, b) distribution on `[0, 1]`.
///
/// ```
/// let flat = gmcourse::prob::Beta::new(1.0, 1.0)?;
/// gmcourse::testing::assert_close(flat.pdf(0.3), 1.0, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beta {
    a: f64,
    b: f64,
}

impl Beta {
    /// Builds Beta(a, b).
    ///
    /// # Errors
    /// If `a` or `b` is not a finite number > 0.
    ///
    /// ```
    /// assert!(gmcourse::prob::Beta::new(2.0, 0.0).is_err());
    /// ```
    pub fn new(a: f64, b: f64) -> Result<Self> {
        check::positive("Beta a", a)?;
        check::positive("Beta b", b)?;
        Ok(Self { a, b })
    }

    /// `(a, b)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Beta::new(2.0, 3.0)?.params(), (2.0, 3.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn params(&self) -> (f64, f64) {
        (self.a, self.b)
    }

    /// The mean `a / (a + b)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Beta::new(2.0, 6.0)?.mean(), 0.25);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.a / (self.a + self.b)
    }

    /// `ln p(θ)`; `−inf` outside `[0, 1]` (and at an endpoint where the density is 0).
    ///
    /// ```
    /// let b = gmcourse::prob::Beta::new(2.0, 2.0)?; // 6 θ (1 − θ)
    /// gmcourse::testing::assert_close(b.log_pdf(0.5), 1.5f64.ln(), 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_pdf(&self, theta: f64) -> f64 {
        if !(0.0..=1.0).contains(&theta) {
            return f64::NEG_INFINITY;
        }
        let term = |c: f64, t: f64| if c == 1.0 { 0.0 } else { (c - 1.0) * t.ln() };
        term(self.a, theta) + term(self.b, 1.0 - theta)
            - statrs::function::beta::ln_beta(self.a, self.b)
    }

    /// `p(θ)`.
    ///
    /// ```
    /// let b = gmcourse::prob::Beta::new(2.0, 2.0)?;
    /// gmcourse::testing::assert_close(b.pdf(0.5), 1.5, 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pdf(&self, theta: f64) -> f64 {
        self.log_pdf(theta).exp()
    }

    /// The posterior after flips `x`: `Beta(a + k, b + m − k)`.
    ///
    /// # Errors
    /// If `x` is empty or not binary.
    ///
    /// ```
    /// let post = gmcourse::prob::Beta::new(1.0, 1.0)?.posterior(&ndarray::array![1, 1, 0])?;
    /// assert_eq!(post.params(), (3.0, 2.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn posterior<'a>(&self, x: impl Into<ArrayView1<'a, u8>>) -> Result<Beta> {
        let x = x.into();
        check_binary(x)?;
        let k: f64 = x.iter().map(|&v| f64::from(v)).sum();
        let m = x.len() as f64;
        Beta::new(self.a + k, self.b + m - k)
    }

    /// The MAP estimate `(k + a − 1) / (m + a + b − 2)` after flips `x`: the mode of the
    /// posterior, where likelihood × prior peaks.
    ///
    /// # Errors
    /// If `x` is empty or not binary, or the posterior has no single interior-or-endpoint
    /// mode (a posterior parameter below 1, e.g. a prior with `a < 1` and no ones).
    ///
    /// ```
    /// let flat = gmcourse::prob::Beta::new(1.0, 1.0)?;
    /// assert_eq!(flat.map_estimate(&ndarray::array![1, 0, 0, 0])?, 0.25); // = the MLE
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn map_estimate<'a>(&self, x: impl Into<ArrayView1<'a, u8>>) -> Result<f64> {
        let post = self.posterior(x)?;
        let (a, b) = post.params();
        if a < 1.0 || b < 1.0 {
            return Err(Error::invalid(
                "Beta posterior",
                "both parameters >= 1, so that the density has one mode (use a prior with a, b >= 1)",
                format!("Beta({a}, {b})"),
            ));
        }
        Ok((a - 1.0) / (a + b - 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn the_density_integrates_to_one() {
        let beta = Beta::new(2.5, 4.0).unwrap();
        let n = 100_000;
        let total: f64 = (0..n)
            .map(|i| beta.pdf((i as f64 + 0.5) / n as f64) / n as f64)
            .sum();
        assert_close(total, 1.0, 1e-6);
    }

    #[test]
    fn the_map_estimate_is_the_argmax_of_likelihood_times_prior() {
        let prior = Beta::new(3.0, 2.0).unwrap();
        let x = ndarray::array![0, 0, 1, 0, 0];
        let map = prior.map_estimate(&x).unwrap();
        assert_close(map, (1.0 + 2.0) / (5.0 + 3.0), 1e-15); // (k + a − 1) / (m + a + b − 2)
        let score = |t: f64| {
            crate::prob::mle::bernoulli_log_likelihood(t, &x).unwrap() * 5.0 + prior.log_pdf(t)
        };
        let best = (1..10_000)
            .map(|i| i as f64 / 10_000.0)
            .max_by(|a, b| score(*a).total_cmp(&score(*b)))
            .unwrap();
        assert_close(best, map, 1e-4);
    }

    #[test]
    fn the_prior_fades_as_data_grows() {
        // 70 % ones, prior Beta(20, 20) centred on 0.5.
        let prior = Beta::new(20.0, 20.0).unwrap();
        let gap = |m: usize| {
            let x: Vec<u8> = (0..m).map(|i| u8::from(i % 10 < 7)).collect();
            (prior.map_estimate(&x).unwrap() - 0.7).abs()
        };
        assert!(gap(10) > 0.1);
        assert!(gap(10_000) < 0.001);
    }

    #[test]
    fn a_posterior_without_a_mode_is_rejected() {
        let prior = Beta::new(0.5, 0.5).unwrap();
        assert!(prior.map_estimate(&[0]).is_err());
        assert!(Beta::new(f64::NAN, 1.0).is_err());
    }
}
