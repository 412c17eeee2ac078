// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 07, Markov chain Monte Carlo: Metropolis–Hastings proposes x' ~ q(x' | x) and
//! accepts it with probability α = min(1, p(x') q(x | x') / (p(x) q(x' | x))); the chain's
//! states are then samples of p, which only has to be known up to a constant.
//!
//! Source: lecture note 004 (the GAN paper's "no MCMC needed" and what MCMC is);
//! Metropolis et al. 1953, Hastings 1970.

/// Exercise 7.1 — the Metropolis–Hastings acceptance probability, from logs:
/// α = min(1, exp(log p(x') − log p(x) + log q(x | x') − log q(x' | x))).
///
/// Work in logs: the densities themselves may underflow.
///
/// Notebook: `notebooks/07-mcmc.ipynb`, section "Metropolis–Hastings".
pub fn mh_acceptance(
    log_p_x: f64,
    log_p_proposal: f64,
    log_q_forward: f64,
    log_q_backward: f64,
) -> f64 {
    todo!(
        "exercise 7.1: implement `mh_acceptance` — see notebooks/07-mcmc.ipynb, section Metropolis–Hastings"
    )
}

/// Exercise 7.2 — one Metropolis step with a symmetric proposal: given the current
/// state `x`, a proposal `x_proposal` and a uniform draw `u` in [0, 1), return
/// `x_proposal` if `u < α` and `x` otherwise, where α uses `log_p` (q cancels).
///
/// Notebook: `notebooks/07-mcmc.ipynb`, section "A random-walk chain".
pub fn metropolis_step(x: f64, x_proposal: f64, u: f64, log_p: &dyn Fn(f64) -> f64) -> f64 {
    todo!(
        "exercise 7.2: implement `metropolis_step` — see notebooks/07-mcmc.ipynb, section A random-walk chain"
    )
}
