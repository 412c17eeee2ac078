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
//!
//! Lesson 06 has the student write a 1-D chain from given draws and a search for the
//! proposal width: [`chain_from_draws`] and [`tune_width`] here are the course's answers,
//! which the lesson's plumbing ([`lesson`]) puts in place of an unfinished exercise and the
//! hidden tests compare with.

pub mod lesson;

pub use lesson::{Draws, Fns, Sampled, sample_yours};

use ndarray::Array1;
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

/// A 1-D random-walk Metropolis–Hastings chain from given draws: from `x0`, step t
/// proposes `x' = x + width · eps[t]` and moves there when
/// `u[t] < p(x') / p(x) = exp(log_p(x') − log_p(x))` (a NaN ratio rejects). Returns the
/// `eps.len()` states after each step and the fraction of proposals accepted. `log_p` is
/// called once per step (and once at `x0`).
///
/// ```
/// use ndarray::array;
/// let log_p = |x: f64| -0.5 * x * x;
/// // 2 → 1 is uphill: accepted whatever u; 1 → 3 has ratio e^−4 = 0.018 < u = 0.5
/// let (chain, rate) = gmcourse::prob::mcmc::chain_from_draws(&log_p, 2.0, 1.0, &array![-1.0, 2.0], &array![0.99, 0.5]);
/// assert_eq!((chain, rate), (array![1.0, 1.0], 0.5));
/// ```
pub fn chain_from_draws(
    log_p: &dyn Fn(f64) -> f64,
    x0: f64,
    width: f64,
    eps: &Array1<f64>,
    u: &Array1<f64>,
) -> (Array1<f64>, f64) {
    let (mut x, mut log_p_x) = (x0, log_p(x0));
    let mut accepted = 0usize;
    let chain: Array1<f64> = eps
        .iter()
        .zip(u)
        .map(|(&e, &u)| {
            let proposal = x + width * e;
            let log_p_proposal = log_p(proposal);
            if u < (log_p_proposal - log_p_x).exp() {
                (x, log_p_x) = (proposal, log_p_proposal);
                accepted += 1;
            }
            x
        })
        .collect();
    (chain, accepted as f64 / eps.len().max(1) as f64)
}

/// A proposal width whose [`chain_from_draws`] on these draws from `x0` accepts a fraction
/// of its proposals in `[low, high]`: bisection on `log width` between 1e-4 and 1e4 (the
/// acceptance rate falls as the width grows), at most 60 halvings. Returns the last width
/// tried if no width in the range lands in the band.
///
/// ```
/// use gmcourse::prob::mcmc::{Draws, chain_from_draws, tune_width};
/// let d = Draws::seeded(2000, 1);
/// let log_p = |x: f64| -0.5 * x * x;
/// let w = tune_width(&log_p, 0.0, &d.eps, &d.u, 0.2, 0.5);
/// let rate = chain_from_draws(&log_p, 0.0, w, &d.eps, &d.u).1;
/// assert!((0.2..=0.5).contains(&rate));
/// ```
pub fn tune_width(
    log_p: &dyn Fn(f64) -> f64,
    x0: f64,
    eps: &Array1<f64>,
    u: &Array1<f64>,
    low: f64,
    high: f64,
) -> f64 {
    let (mut lo, mut hi) = (1e-4_f64, 1e4_f64);
    let mut width = 1.0;
    for _ in 0..60 {
        width = (lo * hi).sqrt();
        let rate = chain_from_draws(log_p, x0, width, eps, u).1;
        if rate > high {
            lo = width;
        } else if rate < low {
            hi = width;
        } else {
            break;
        }
    }
    width
}
