//! Monte Carlo estimation: `E[f(x)] ≈ (1/n) Σ_{s=1}^{n} f(x_s)` with `x_s ~ P` iid.
//!
//! The standard error of the estimate is `sd(f(x_s)) / √n`: four times more samples halve
//! it. Source: curriculum B7 (expectation) and H6 (Monte Carlo estimation with random
//! numbers). Everything is seeded, so an estimate is reproducible.
//!
//! ```
//! use rand::SeedableRng;
//! use gmcourse::prob::{Categorical, monte_carlo_expectation};
//! let mut rng = rand::rngs::StdRng::seed_from_u64(42);
//! let die = Categorical::new(&[1.0 / 6.0; 6])?;
//! let est = monte_carlo_expectation(&mut rng, 10_000, |rng| (die.sample(rng) + 1) as f64)?;
//! assert!((est.mean - 3.5).abs() < 4.0 * est.std_error); // the exact value is 3.5
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;

use crate::check;
use crate::{Error, Result};

/// A Monte Carlo estimate: the sample mean, its standard error and the sample count.
///
/// ```
/// let est = gmcourse::prob::Estimate::from_samples(&[2.0, 4.0, 6.0])?;
/// assert_eq!((est.mean, est.n), (4.0, 3));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// `(1/n) Σ f(x_s)`.
    pub mean: f64,
    /// `sd / √n`, with the unbiased (n − 1) sample standard deviation.
    pub std_error: f64,
    /// The number of samples `n`.
    pub n: usize,
}

impl Estimate {
    /// The estimate from values `f(x_1), …, f(x_n)` already drawn.
    ///
    /// # Errors
    /// If there are fewer than 2 values (no standard error) or a value is not finite.
    ///
    /// ```
    /// let est = gmcourse::prob::Estimate::from_samples(&[1.0, 3.0])?;
    /// assert_eq!(est.mean, 2.0);
    /// gmcourse::testing::assert_close(est.std_error, 1.0, 1e-15); // sd √2, n = 2
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_samples(values: &[f64]) -> Result<Self> {
        if values.len() < 2 {
            return Err(Error::invalid(
                "Monte Carlo samples",
                "at least 2 values to compute a standard error",
                format!("{} values", values.len()),
            ));
        }
        for (s, &v) in values.iter().enumerate() {
            check::finite(&format!("sample[{s}]"), v)?;
        }
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sum_sq: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        let sd = (sum_sq / (n - 1) as f64).sqrt();
        Ok(Self {
            mean,
            std_error: sd / (n as f64).sqrt(),
            n,
        })
    }
}

/// Estimates `E[f(x)]` by calling `draw` n times; each call samples x and returns f(x).
///
/// # Errors
/// If `n < 2` or `draw` returns a non-finite value.
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
/// let coin = gmcourse::prob::Bernoulli::new(0.9)?;
/// let est = gmcourse::prob::monte_carlo_expectation(&mut rng, 1000, |rng| coin.sample(rng) as u8 as f64)?;
/// assert!((est.mean - 0.9).abs() < 0.05);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn monte_carlo_expectation<R: Rng + ?Sized>(
    rng: &mut R,
    n: usize,
    mut draw: impl FnMut(&mut R) -> f64,
) -> Result<Estimate> {
    let values: Vec<f64> = (0..n).map(|_| draw(rng)).collect();
    Estimate::from_samples(&values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::{Categorical, Normal, expectation};
    use crate::testing::assert_close;
    use rand::SeedableRng;

    #[test]
    fn the_board_game_payoff_estimate_lies_within_four_standard_errors_of_the_exact_value() {
        // Seed 2024. Payoff: a 6 wins 5 coins, anything else pays 1; exact E = 0.
        let p = [1.0 / 6.0; 6];
        let payoff = [-1.0, -1.0, -1.0, -1.0, -1.0, 5.0];
        let exact = expectation(
            &ndarray::Array1::from(p.to_vec()),
            &ndarray::Array1::from(payoff.to_vec()),
        )
        .unwrap();
        let die = Categorical::new(&p).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(2024);
        let est = monte_carlo_expectation(&mut rng, 20_000, |rng| payoff[die.sample(rng)]).unwrap();
        assert!((est.mean - exact).abs() < 4.0 * est.std_error, "{est:?}");
        // The payoff has sd √5, so the standard error is √5 / √20000 ≈ 0.0158.
        assert_close(est.std_error, (5.0_f64 / 20_000.0).sqrt(), 0.001);
    }

    #[test]
    fn four_times_more_samples_halve_the_standard_error() {
        // Seed 5; f(x) = x² under N(0, 1), whose sd is √2.
        let normal = Normal::new(0.0, 1.0).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let small =
            monte_carlo_expectation(&mut rng, 10_000, |rng| normal.sample(rng).powi(2)).unwrap();
        let large =
            monte_carlo_expectation(&mut rng, 40_000, |rng| normal.sample(rng).powi(2)).unwrap();
        assert_close(small.std_error / large.std_error, 2.0, 0.1);
        assert!(
            (large.mean - 1.0).abs() < 4.0 * large.std_error,
            "{large:?}"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_estimate() {
        let die = Categorical::new(&[1.0 / 6.0; 6]).unwrap();
        let run = |seed| {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            monte_carlo_expectation(&mut rng, 100, |rng| die.sample(rng) as f64).unwrap()
        };
        assert_eq!(run(9), run(9));
    }

    #[test]
    fn fewer_than_two_samples_or_a_nan_sample_are_rejected() {
        assert!(Estimate::from_samples(&[1.0]).is_err());
        assert!(Estimate::from_samples(&[1.0, f64::NAN]).is_err());
    }
}
