//! Categorical(p_1, …, p_m): a die with m faces. `P(x = i) = p_i`, `Σ p_i = 1`, so only
//! m − 1 parameters are free.
//!
//! Source: seed note \[000\] (m outcomes, m − 1 parameters), curriculum B1 and B2.
//! Outcomes are the indices `0..m`. Sampling uses `rand_distr::weighted::WeightedIndex`.
//!
//! ```
//! use gmcourse::prob::Categorical;
//! let die = Categorical::new(&[1.0 / 6.0; 6])?;
//! assert_eq!(die.num_params(), 5);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;
use rand_distr::Distribution;
use rand_distr::weighted::WeightedIndex;

use crate::check;
use crate::{Error, Result};

/// A categorical distribution over the outcomes `0..m`.
///
/// ```
/// let c = gmcourse::prob::Categorical::new(&[0.2, 0.3, 0.5])?;
/// assert_eq!(c.pmf(2), 0.5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Categorical {
    p: Vec<f64>,
    sampler: WeightedIndex<f64>,
}

impl Categorical {
    /// Builds Categorical(p).
    ///
    /// # Errors
    /// If `p` is empty, has a NaN, infinite or negative entry, or does not sum to 1
    /// within `1e-9` (the message gives the actual sum).
    ///
    /// ```
    /// use gmcourse::prob::Categorical;
    /// assert!(Categorical::new(&[0.2, 0.3, 0.5]).is_ok());
    /// let err = Categorical::new(&[0.2, 0.3]).unwrap_err();
    /// assert!(err.to_string().contains("a sum of 0.5"));
    /// ```
    pub fn new(p: &[f64]) -> Result<Self> {
        check::pmf("Categorical p", p)?;
        let sampler = WeightedIndex::new(p)
            .map_err(|e| Error::invalid("Categorical p", "non-negative weights", e))?;
        Ok(Self {
            p: p.to_vec(),
            sampler,
        })
    }

    /// The maximum-likelihood estimate from counts: `p_i = n_i / Σ n`.
    ///
    /// # Errors
    /// If `counts` is empty or all zero.
    ///
    /// ```
    /// let p = gmcourse::prob::Categorical::from_counts(&[1, 3])?;
    /// assert_eq!(p.probs(), &[0.25, 0.75]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_counts(counts: &[u64]) -> Result<Self> {
        check::not_empty("Categorical counts", counts)?;
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return Err(Error::invalid(
                "Categorical counts",
                "at least one non-zero count",
                "all zeros",
            ));
        }
        let p: Vec<f64> = counts.iter().map(|&n| n as f64 / total as f64).collect();
        Self::new(&p)
    }

    /// The probabilities `p_0, …, p_{m-1}`.
    ///
    /// ```
    /// let c = gmcourse::prob::Categorical::new(&[0.5, 0.5])?;
    /// assert_eq!(c.probs(), &[0.5, 0.5]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn probs(&self) -> &[f64] {
        &self.p
    }

    /// The number of outcomes `m`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Categorical::new(&[1.0 / 6.0; 6])?.num_outcomes(), 6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn num_outcomes(&self) -> usize {
        self.p.len()
    }

    /// `P(x = i)`; 0 for an index outside `0..m` (it is not in the support).
    ///
    /// ```
    /// let c = gmcourse::prob::Categorical::new(&[0.2, 0.8])?;
    /// assert_eq!(c.pmf(1), 0.8);
    /// assert_eq!(c.pmf(5), 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pmf(&self, i: usize) -> f64 {
        self.p.get(i).copied().unwrap_or(0.0)
    }

    /// `ln P(x = i)` in nats; `-inf` outside the support.
    ///
    /// ```
    /// let c = gmcourse::prob::Categorical::new(&[0.5, 0.5])?;
    /// gmcourse::testing::assert_close(c.log_prob(0), -(2.0_f64).ln(), 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob(&self, i: usize) -> f64 {
        self.pmf(i).ln()
    }

    /// Draws one outcome index.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let c = gmcourse::prob::Categorical::new(&[0.0, 1.0, 0.0])?;
    /// assert_eq!(c.sample(&mut rng), 1);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        self.sampler.sample(rng)
    }

    /// Draws `n` independent outcome indices.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let rolls = gmcourse::prob::Categorical::new(&[1.0 / 6.0; 6])?.sample_n(&mut rng, 100);
    /// assert!(rolls.iter().all(|&face| face < 6));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample_n<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<usize> {
        (0..n).map(|_| self.sample(rng)).collect()
    }

    /// The number of free parameters, `m − 1`: the last probability is `1 − Σ` the others.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Categorical::new(&[0.2, 0.3, 0.5])?.num_params(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn num_params(&self) -> usize {
        self.p.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};
    use rand::SeedableRng;

    #[test]
    fn a_fair_die_has_six_outcomes_and_five_parameters() {
        let die = Categorical::new(&[1.0 / 6.0; 6]).unwrap();
        assert_eq!(die.num_outcomes(), 6);
        assert_eq!(die.num_params(), 5);
    }

    #[test]
    fn probabilities_that_do_not_sum_to_one_are_rejected_with_the_actual_sum() {
        let msg = Categorical::new(&[0.5, 0.6]).unwrap_err().to_string();
        assert!(msg.contains("a sum of 1.1"), "{msg}");
    }

    #[test]
    fn empty_negative_and_nan_probabilities_are_rejected() {
        assert!(Categorical::new(&[]).is_err());
        assert!(Categorical::new(&[1.5, -0.5]).is_err());
        assert!(Categorical::new(&[f64::NAN, 1.0]).is_err());
    }

    #[test]
    fn counts_are_normalised_into_frequencies() {
        let c = Categorical::from_counts(&[2, 0, 6]).unwrap();
        assert_all_close(c.probs(), &[0.25, 0.0, 0.75], 1e-15);
    }

    #[test]
    fn all_zero_counts_are_rejected() {
        assert!(Categorical::from_counts(&[0, 0]).is_err());
        assert!(Categorical::from_counts(&[]).is_err());
    }

    #[test]
    fn sampled_frequencies_match_the_probabilities() {
        // Seed 11, 30 000 draws: each standard error is below 0.003.
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let c = Categorical::new(&[0.2, 0.3, 0.5]).unwrap();
        let draws = c.sample_n(&mut rng, 30_000);
        for (i, &p_i) in c.probs().iter().enumerate() {
            let freq = draws.iter().filter(|&&d| d == i).count() as f64 / 30_000.0;
            assert_close(freq, p_i, 0.012);
        }
    }

    #[test]
    fn an_outcome_of_probability_zero_is_never_sampled() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let c = Categorical::new(&[0.5, 0.0, 0.5]).unwrap();
        assert!(c.sample_n(&mut rng, 1000).iter().all(|&d| d != 1));
    }
}
