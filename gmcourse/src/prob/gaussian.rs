//! The normal distribution `N(mu, sigma²)`:
//!
//! `p(x) = 1 / (sigma √(2π)) · exp(−(x − mu)² / (2 sigma²))`,
//! `log p(x) = −log sigma − ½ log 2π − (x − mu)² / (2 sigma²)`.
//!
//! Source: curriculum D3 and E5. The density, log density and CDF come from
//! `statrs::distribution::Normal`. A sample is `x = mu + sigma · eps` with
//! `eps ~ N(0, 1)` drawn by `rand_distr::StandardNormal` (the same stream as
//! `rand_distr::Normal`, and the reparameterisation a VAE uses).
//!
//! ```
//! let n = gmcourse::prob::Normal::new(0.0, 1.0)?;
//! gmcourse::testing::assert_close(n.pdf(0.0), 1.0 / (2.0 * std::f64::consts::PI).sqrt(), 1e-15);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use statrs::distribution::{Continuous, ContinuousCDF};

use crate::check;
use crate::{Error, Result};

/// `N(mu, sigma²)` with mean `mu` and standard deviation `sigma > 0`.
///
/// ```
/// let n = gmcourse::prob::Normal::new(1.0, 2.0)?;
/// assert_eq!((n.mu(), n.variance()), (1.0, 4.0));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normal {
    mu: f64,
    sigma: f64,
    density: statrs::distribution::Normal,
}

impl Normal {
    /// Builds `N(mu, sigma²)`.
    ///
    /// # Errors
    /// If `mu` is not finite or `sigma` is not a finite number `> 0`.
    ///
    /// ```
    /// use gmcourse::prob::Normal;
    /// assert!(Normal::new(1.0, 0.5).is_ok());
    /// assert!(Normal::new(1.0, 0.0).is_err());
    /// ```
    pub fn new(mu: f64, sigma: f64) -> Result<Self> {
        check::finite("Normal mu", mu)?;
        check::positive("Normal sigma (a standard deviation)", sigma)?;
        let density = statrs::distribution::Normal::new(mu, sigma)
            .map_err(|e| Error::invalid("Normal", "a finite mu and sigma > 0", e))?;
        Ok(Self { mu, sigma, density })
    }

    /// The standard normal `N(0, 1)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Normal::standard().sigma(), 1.0);
    /// ```
    pub fn standard() -> Self {
        Self {
            mu: 0.0,
            sigma: 1.0,
            density: statrs::distribution::Normal::standard(),
        }
    }

    /// The mean `mu`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Normal::new(2.0, 1.0)?.mu(), 2.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// The standard deviation `sigma`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Normal::new(2.0, 3.0)?.sigma(), 3.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The variance `sigma²`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Normal::new(0.0, 3.0)?.variance(), 9.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn variance(&self) -> f64 {
        self.sigma * self.sigma
    }

    /// The density `p(x)`.
    ///
    /// ```
    /// let n = gmcourse::prob::Normal::new(0.0, 2.0)?;
    /// gmcourse::testing::assert_close(n.pdf(0.0), 0.199_471_140_200_716_35, 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pdf(&self, x: f64) -> f64 {
        self.density.pdf(x)
    }

    /// The log density `log p(x)` in nats; finite even far in the tails, where `pdf` is 0.
    ///
    /// ```
    /// let n = gmcourse::prob::Normal::standard();
    /// assert_eq!(n.pdf(40.0), 0.0);
    /// gmcourse::testing::assert_close(n.log_pdf(40.0), -800.0 - 0.5 * (2.0 * std::f64::consts::PI).ln(), 1e-9);
    /// ```
    pub fn log_pdf(&self, x: f64) -> f64 {
        self.density.ln_pdf(x)
    }

    /// The cumulative distribution `P(X ≤ x)`.
    ///
    /// ```
    /// gmcourse::testing::assert_close(gmcourse::prob::Normal::standard().cdf(0.0), 0.5, 1e-15);
    /// ```
    pub fn cdf(&self, x: f64) -> f64 {
        self.density.cdf(x)
    }

    /// Draws one sample `x = mu + sigma · eps`, `eps ~ N(0, 1)`.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let x = gmcourse::prob::Normal::new(5.0, 0.1)?.sample(&mut rng);
    /// assert!((x - 5.0).abs() < 1.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let eps: f64 = StandardNormal.sample(rng);
        self.mu + self.sigma * eps
    }

    /// Draws `n` independent samples.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// assert_eq!(gmcourse::prob::Normal::standard().sample_n(&mut rng, 5).len(), 5);
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

    #[test]
    fn the_log_pdf_matches_the_formula() {
        // log p(x) = −log sigma − ½ log 2π − (x − mu)² / (2 sigma²)
        let n = Normal::new(1.5, 0.7).unwrap();
        let x = -0.3_f64;
        let expected = -(0.7_f64).ln()
            - 0.5 * (2.0 * std::f64::consts::PI).ln()
            - (x - 1.5).powi(2) / (2.0 * 0.49);
        assert_close(n.log_pdf(x), expected, 1e-12);
        assert_close(n.pdf(x), expected.exp(), 1e-12);
    }

    #[test]
    fn the_density_integrates_to_one() {
        let n = Normal::new(-1.0, 0.5).unwrap();
        let dx = 1e-3;
        let total: f64 = (0..10_000)
            .map(|i| n.pdf(-6.0 + (i as f64 + 0.5) * dx) * dx)
            .sum();
        assert_close(total, 1.0, 1e-9);
    }

    #[test]
    fn samples_have_the_right_mean_and_spread() {
        // Seed 1, 20 000 samples: standard errors 0.014 (mean) and about 0.02 (variance).
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let xs = Normal::new(3.0, 2.0).unwrap().sample_n(&mut rng, 20_000);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert_close(mean, 3.0, 0.06);
        assert_close(var, 4.0, 0.2);
    }

    #[test]
    fn standard_is_the_same_as_new_zero_one() {
        let a = Normal::standard();
        let b = Normal::new(0.0, 1.0).unwrap();
        assert_eq!(a.log_pdf(0.7), b.log_pdf(0.7));
        let mut r1 = rand::rngs::StdRng::seed_from_u64(3);
        let mut r2 = rand::rngs::StdRng::seed_from_u64(3);
        assert_eq!(a.sample(&mut r1), b.sample(&mut r2));
    }

    #[test]
    fn bad_parameters_are_rejected_with_what_was_expected() {
        let msg = Normal::new(0.0, -1.0).unwrap_err().to_string();
        assert!(msg.contains("> 0") && msg.contains("-1"), "{msg}");
        assert!(Normal::new(f64::NAN, 1.0).is_err());
        assert!(Normal::new(0.0, f64::INFINITY).is_err());
    }
}
