//! Bernoulli(p): a coin. `P(x = H) = p`, `P(x = T) = 1 − p`, one parameter.
//!
//! Source: seed note \[000\] (D = {H, T}, one parameter p), curriculum B1. Heads is
//! `true`. Sampling uses `rand_distr::Bernoulli`.
//!
//! ```
//! use gmcourse::prob::Bernoulli;
//! let coin = Bernoulli::new(0.9)?;
//! assert_eq!(coin.pmf(true), 0.9);
//! assert_eq!(coin.num_params(), 1);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;
use rand_distr::Distribution;

use crate::check;
use crate::{Error, Result};

/// A Bernoulli distribution over `{false, true}` with `P(true) = p`.
///
/// ```
/// let coin = gmcourse::prob::Bernoulli::new(0.9)?;
/// gmcourse::testing::assert_close(coin.pmf(false), 0.1, 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bernoulli {
    p: f64,
    sampler: rand_distr::Bernoulli,
}

impl Bernoulli {
    /// Builds Bernoulli(p).
    ///
    /// # Errors
    /// If `p` is NaN, infinite or outside `[0, 1]`.
    ///
    /// ```
    /// use gmcourse::prob::Bernoulli;
    /// assert!(Bernoulli::new(0.3).is_ok());
    /// assert!(Bernoulli::new(1.5).is_err());
    /// ```
    pub fn new(p: f64) -> Result<Self> {
        check::probability("Bernoulli p", p)?;
        let sampler = rand_distr::Bernoulli::new(p)
            .map_err(|e| Error::invalid("Bernoulli p", "a probability in [0, 1]", e))?;
        Ok(Self { p, sampler })
    }

    /// The parameter `p = P(true)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Bernoulli::new(0.25)?.p(), 0.25);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn p(&self) -> f64 {
        self.p
    }

    /// `P(x)`: `p` for `true`, `1 − p` for `false`.
    ///
    /// ```
    /// let coin = gmcourse::prob::Bernoulli::new(0.9)?;
    /// gmcourse::testing::assert_close(coin.pmf(false), 0.1, 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pmf(&self, x: bool) -> f64 {
        if x { self.p } else { 1.0 - self.p }
    }

    /// `ln P(x)` in nats; `-inf` for an outcome of probability 0.
    ///
    /// ```
    /// let coin = gmcourse::prob::Bernoulli::new(0.5)?;
    /// gmcourse::testing::assert_close(coin.log_prob(true), -(2.0_f64).ln(), 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob(&self, x: bool) -> f64 {
        self.pmf(x).ln()
    }

    /// The mean `E[x] = p` (with `true = 1`, `false = 0`).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Bernoulli::new(0.9)?.mean(), 0.9);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.p
    }

    /// The variance `p (1 − p)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Bernoulli::new(0.5)?.variance(), 0.25);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn variance(&self) -> f64 {
        self.p * (1.0 - self.p)
    }

    /// Draws one coin flip.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let always_heads = gmcourse::prob::Bernoulli::new(1.0)?;
    /// assert!(always_heads.sample(&mut rng));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> bool {
        self.sampler.sample(rng)
    }

    /// Draws `n` independent coin flips.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let flips = gmcourse::prob::Bernoulli::new(0.9)?.sample_n(&mut rng, 10);
    /// assert_eq!(flips.len(), 10);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample_n<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<bool> {
        (0..n).map(|_| self.sample(rng)).collect()
    }

    /// The number of free parameters: 1 (`p`; `1 − p` follows from `ΣP = 1`).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Bernoulli::new(0.5)?.num_params(), 1);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn num_params(&self) -> usize {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;
    use rand::SeedableRng;

    #[test]
    fn the_two_probabilities_of_a_coin_sum_to_one() {
        let coin = Bernoulli::new(0.9).unwrap();
        assert_close(coin.pmf(true) + coin.pmf(false), 1.0, 1e-15);
    }

    #[test]
    fn a_probability_above_one_is_rejected_with_the_value() {
        let msg = Bernoulli::new(1.5).unwrap_err().to_string();
        assert!(msg.contains("[0, 1]") && msg.contains("1.5"), "{msg}");
    }

    #[test]
    fn nan_and_negative_probabilities_are_rejected() {
        assert!(Bernoulli::new(f64::NAN).is_err());
        assert!(Bernoulli::new(-0.1).is_err());
    }

    #[test]
    fn the_log_prob_of_an_impossible_outcome_is_minus_infinity() {
        let never = Bernoulli::new(0.0).unwrap();
        assert_eq!(never.log_prob(true), f64::NEG_INFINITY);
        assert_eq!(never.log_prob(false), 0.0);
    }

    #[test]
    fn the_fraction_of_heads_in_many_flips_is_close_to_p() {
        // Seed 7, 20 000 flips: the standard error is sqrt(0.09 / 20000) = 0.0021,
        // so 0.01 is almost 5 standard errors.
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let flips = Bernoulli::new(0.9).unwrap().sample_n(&mut rng, 20_000);
        let heads = flips.iter().filter(|&&h| h).count() as f64 / 20_000.0;
        assert_close(heads, 0.9, 0.01);
    }
}
