//! A 1-D mixture of normals: `p(x) = Σ_k w_k N(x; mu_k, sigma_k²)`, with `Σ_k w_k = 1`.
//!
//! - `log p(x) = log Σ_k exp(log w_k + log N(x; mu_k, sigma_k²))`, by log-sum-exp;
//! - sampling: pick k with probability w_k, then draw from component k;
//! - mean `Σ_k w_k mu_k`, variance `Σ_k w_k (sigma_k² + mu_k²) − mean²`.
//!
//! Source: curriculum D3 (continuous conditionals as a mixture of Gaussians) and E5 (the
//! two-mode p of the KL-asymmetry figure). Component choice uses
//! `rand_distr::weighted::WeightedIndex`.
//!
//! ```
//! use gmcourse::prob::{Mixture, Normal};
//! let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-2.0, 0.5)?, Normal::new(2.0, 0.5)?])?;
//! assert_eq!(p.mean(), 0.0);
//! gmcourse::testing::assert_close(p.variance(), 4.25, 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;
use rand_distr::Distribution;
use rand_distr::weighted::WeightedIndex;

use super::Normal;
use super::logsumexp::log_sum_exp_unchecked;
use crate::check;
use crate::{Error, Result};

/// A weighted mixture of [`Normal`] components.
///
/// ```
/// use gmcourse::prob::{Mixture, Normal};
/// let p = Mixture::new(&[0.3, 0.7], vec![Normal::new(0.0, 1.0)?, Normal::new(5.0, 1.0)?])?;
/// assert_eq!(p.weights(), &[0.3, 0.7]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Mixture {
    weights: Vec<f64>,
    components: Vec<Normal>,
    choose: WeightedIndex<f64>,
}

impl Mixture {
    /// Builds `Σ_k weights[k] · components[k]`.
    ///
    /// # Errors
    /// If `weights` is not a PMF or its length differs from the number of components.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let err = Mixture::new(&[1.0], vec![Normal::standard(), Normal::standard()]).unwrap_err();
    /// assert!(err.to_string().contains("one weight per component"));
    /// ```
    pub fn new(weights: &[f64], components: Vec<Normal>) -> Result<Self> {
        check::pmf("Mixture weights", weights)?;
        check::same_len(
            "Mixture components (one weight per component)",
            weights.len(),
            components.len(),
        )?;
        let choose = WeightedIndex::new(weights)
            .map_err(|e| Error::invalid("Mixture weights", "non-negative weights", e))?;
        Ok(Self {
            weights: weights.to_vec(),
            components,
            choose,
        })
    }

    /// The mixing weights `w_k`.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture::new(&[1.0], vec![gmcourse::prob::Normal::standard()])?;
    /// assert_eq!(p.weights(), &[1.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The components `N(mu_k, sigma_k²)`.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture::new(&[1.0], vec![gmcourse::prob::Normal::standard()])?;
    /// assert_eq!(p.components()[0].mu(), 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn components(&self) -> &[Normal] {
        &self.components
    }

    /// The component means `mu_k`.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-1.0, 1.0)?, Normal::new(2.0, 3.0)?])?;
    /// assert_eq!((p.means(), p.sigmas()), (vec![-1.0, 2.0], vec![1.0, 3.0]));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn means(&self) -> Vec<f64> {
        self.components.iter().map(Normal::mu).collect()
    }

    /// The component standard deviations `sigma_k`.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture::new(&[1.0], vec![gmcourse::prob::Normal::new(0.0, 2.0)?])?;
    /// assert_eq!(p.sigmas(), vec![2.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sigmas(&self) -> Vec<f64> {
        self.components.iter().map(Normal::sigma).collect()
    }

    /// The density `p(x) = Σ_k w_k N(x; mu_k, sigma_k²)`.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.5, 0.5], vec![Normal::standard(), Normal::standard()])?;
    /// assert_eq!(p.pdf(0.3), Normal::standard().pdf(0.3));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pdf(&self, x: f64) -> f64 {
        self.weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w * c.pdf(x))
            .sum()
    }

    /// The log density `log p(x)` in nats, by log-sum-exp, so it stays finite where the
    /// density underflows to 0.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-1.0, 1.0)?, Normal::new(1.0, 1.0)?])?;
    /// assert_eq!(p.pdf(60.0), 0.0);
    /// assert!(p.log_pdf(60.0).is_finite());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_pdf(&self, x: f64) -> f64 {
        log_sum_exp_unchecked(&self.log_joint(x))
    }

    /// The responsibilities `r_k = w_k N(x; mu_k, sigma_k²) / p(x)`: the posterior
    /// probability that component k produced `x` (the E step of EM), by log-sum-exp.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-1.0, 1.0)?, Normal::new(1.0, 1.0)?])?;
    /// gmcourse::testing::assert_all_close(&p.responsibilities(0.0), &[0.5, 0.5], 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn responsibilities(&self, x: f64) -> Vec<f64> {
        let terms = self.log_joint(x);
        let log_p = log_sum_exp_unchecked(&terms);
        terms.iter().map(|t| (t - log_p).exp()).collect()
    }

    /// `log w_k + log N(x; mu_k, sigma_k²)` for every k.
    fn log_joint(&self, x: f64) -> Vec<f64> {
        self.weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w.ln() + c.log_pdf(x))
            .collect()
    }

    /// The mean `Σ_k w_k mu_k`.
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.25, 0.75], vec![Normal::new(0.0, 1.0)?, Normal::new(4.0, 1.0)?])?;
    /// assert_eq!(p.mean(), 3.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w * c.mu())
            .sum()
    }

    /// The variance `Σ_k w_k (sigma_k² + mu_k²) − mean²` (law of total variance).
    ///
    /// ```
    /// use gmcourse::prob::{Mixture, Normal};
    /// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-3.0, 1.0)?, Normal::new(3.0, 1.0)?])?;
    /// gmcourse::testing::assert_close(p.variance(), 10.0, 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn variance(&self) -> f64 {
        let second_moment: f64 = self
            .weights
            .iter()
            .zip(&self.components)
            .map(|(w, c)| w * (c.variance() + c.mu() * c.mu()))
            .sum();
        second_moment - self.mean().powi(2)
    }

    /// Draws one sample: a component k ~ Categorical(w), then x ~ N(mu_k, sigma_k²).
    ///
    /// ```
    /// use rand::SeedableRng;
    /// use gmcourse::prob::{Mixture, Normal};
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let p = Mixture::new(&[0.0, 1.0], vec![Normal::new(-100.0, 1.0)?, Normal::new(100.0, 1.0)?])?;
    /// assert!(p.sample(&mut rng) > 50.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let k = self.choose.sample(rng);
        self.components[k].sample(rng)
    }

    /// Draws `n` independent samples.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let p = gmcourse::prob::Mixture::new(&[1.0], vec![gmcourse::prob::Normal::standard()])?;
    /// assert_eq!(p.sample_n(&mut rng, 4).len(), 4);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample_n<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.sample(rng)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;
    use rand::SeedableRng;

    fn two_modes() -> Mixture {
        Mixture::new(
            &[0.3, 0.7],
            vec![
                Normal::new(-2.0, 0.5).unwrap(),
                Normal::new(1.0, 1.5).unwrap(),
            ],
        )
        .unwrap()
    }

    #[test]
    fn the_log_pdf_is_the_log_of_the_pdf() {
        let p = two_modes();
        for x in [-3.0, -2.0, 0.0, 0.5, 4.0] {
            assert_close(p.log_pdf(x), p.pdf(x).ln(), 1e-12);
        }
    }

    #[test]
    fn the_mixture_density_integrates_to_one() {
        let p = two_modes();
        let dx = 1e-3;
        let total: f64 = (0..20_000)
            .map(|i| p.pdf(-10.0 + (i as f64 + 0.5) * dx) * dx)
            .sum();
        assert_close(total, 1.0, 1e-9);
    }

    #[test]
    fn sample_moments_match_the_closed_form_mean_and_variance() {
        // Seed 17, 40 000 samples. Closed form: mean 0.1, variance 3.465.
        let p = two_modes();
        assert_close(p.mean(), 0.1, 1e-12);
        assert_close(
            p.variance(),
            0.3 * (0.25 + 4.0) + 0.7 * (2.25 + 1.0) - 0.01,
            1e-12,
        );
        let mut rng = rand::rngs::StdRng::seed_from_u64(17);
        let xs = p.sample_n(&mut rng, 40_000);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert_close(mean, p.mean(), 0.04);
        assert_close(var, p.variance(), 0.1);
    }

    #[test]
    fn a_zero_weight_component_adds_nothing_to_the_density() {
        let p = Mixture::new(
            &[1.0, 0.0],
            vec![Normal::standard(), Normal::new(5.0, 1.0).unwrap()],
        )
        .unwrap();
        assert_close(p.log_pdf(5.0), Normal::standard().log_pdf(5.0), 1e-12);
    }

    #[test]
    fn weights_that_do_not_sum_to_one_are_rejected() {
        let err =
            Mixture::new(&[0.5, 0.4], vec![Normal::standard(), Normal::standard()]).unwrap_err();
        assert!(err.to_string().contains("a sum of 0.9"), "{err}");
    }
}
