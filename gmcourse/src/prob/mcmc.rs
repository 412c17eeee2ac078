//! The random-walk Metropolis–Hastings sampler (Metropolis et al. 1953; Hastings 1970;
//! lecture note 004, curriculum H6): a Markov chain whose next state depends only on the
//! current one, built so that its stationary distribution is the target `p(x) ∝ exp(log_p(x))`:
//!
//! ```text
//! propose   x' = x + σ·eps,  eps ~ N(0, I)          (symmetric, so q cancels)
//! accept    with probability min(1, p(x') / p(x)) = min(1, exp(log_p(x') - log_p(x)))
//! ```
//!
//! Averages over the chain are Monte Carlo estimates of expectations under `p`. Only an
//! unnormalised log-density is needed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::{Error, Result};

/// Options of [`metropolis_hastings`].
///
/// ```
/// assert_eq!(gmcourse::prob::McmcConfig::default().burn_in, 1000);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct McmcConfig {
    /// Samples kept after burn-in and thinning.
    pub n_samples: usize,
    /// Steps discarded at the start, while the chain forgets `x0`.
    pub burn_in: usize,
    /// Keep one state every `thin` steps.
    pub thin: usize,
    /// Standard deviation σ of the Gaussian random-walk proposal.
    pub proposal_std: f64,
    /// Seed of the proposals and of the accept tests.
    pub seed: u64,
}

impl Default for McmcConfig {
    fn default() -> Self {
        Self {
            n_samples: 5000,
            burn_in: 1000,
            thin: 1,
            proposal_std: 1.0,
            seed: 0,
        }
    }
}

/// The kept states of a chain and the fraction of proposals accepted.
#[derive(Debug, Clone)]
pub struct Chain {
    /// `n_samples` states, each of the dimension of `x0`.
    pub samples: Vec<Vec<f64>>,
    /// Accepted proposals / all proposals.
    pub acceptance_rate: f64,
}

/// Runs a random-walk Metropolis–Hastings chain from `x0` on the unnormalised
/// `log_density`.
///
/// # Errors
/// [`Error::InvalidArgument`] if `x0` is empty, `proposal_std <= 0`, `thin == 0`, or
/// `log_density(x0)` is not finite (start where the density is positive).
///
/// ```
/// use gmcourse::prob::{mcmc, McmcConfig};
/// // N(3, 1) up to a constant
/// let chain = mcmc::metropolis_hastings(|x| -0.5 * (x[0] - 3.0).powi(2), &[0.0], &McmcConfig::default())?;
/// let mean = chain.samples.iter().map(|s| s[0]).sum::<f64>() / chain.samples.len() as f64;
/// assert!((mean - 3.0).abs() < 0.2);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn metropolis_hastings(
    log_density: impl Fn(&[f64]) -> f64,
    x0: &[f64],
    cfg: &McmcConfig,
) -> Result<Chain> {
    if x0.is_empty() {
        return Err(Error::invalid(
            "x0",
            "a starting point of dimension >= 1",
            "an empty slice",
        ));
    }
    if cfg.proposal_std.is_nan() || cfg.proposal_std <= 0.0 || cfg.thin == 0 {
        return Err(Error::invalid(
            "McmcConfig",
            "proposal_std > 0 and thin >= 1",
            format!("proposal_std = {}, thin = {}", cfg.proposal_std, cfg.thin),
        ));
    }
    let mut log_p = log_density(x0);
    if !log_p.is_finite() {
        return Err(Error::invalid(
            "log_density(x0)",
            "a finite value (start inside the support)",
            log_p,
        ));
    }
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut x = x0.to_vec();
    let mut proposal = x.clone();
    let total = cfg.burn_in + cfg.n_samples * cfg.thin;
    let mut accepted = 0usize;
    let mut samples = Vec::with_capacity(cfg.n_samples);
    for step in 0..total {
        for (p, xi) in proposal.iter_mut().zip(&x) {
            *p = xi + cfg.proposal_std * rng.sample::<f64, _>(StandardNormal);
        }
        let log_p_new = log_density(&proposal);
        // accept with probability min(1, p(x')/p(x)); a NaN density rejects
        let u: f64 = rng.random();
        if log_p_new.is_finite() && u.ln() < log_p_new - log_p {
            x.copy_from_slice(&proposal);
            log_p = log_p_new;
            accepted += 1;
        }
        if step >= cfg.burn_in && (step - cfg.burn_in) % cfg.thin == cfg.thin - 1 {
            samples.push(x.clone());
        }
    }
    Ok(Chain {
        samples,
        acceptance_rate: accepted as f64 / total.max(1) as f64,
    })
}
