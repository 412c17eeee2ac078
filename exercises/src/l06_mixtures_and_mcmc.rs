// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 06, mixtures and MCMC.
//!
//! A 1-D mixture of two Gaussians, p(x) = π N(x; μ₀, σ₀²) + (1 − π) N(x; μ₁, σ₁²), is
//! fitted by expectation-maximisation: the E-step computes responsibilities
//! γ_n = π N₀(x_n) / p(x_n); the M-step re-estimates π, μ and σ² from them.
//!
//! Metropolis–Hastings proposes x' ~ q(x' | x) and accepts it with probability
//! α = min(1, p(x') q(x | x') / (p(x) q(x' | x))); the chain's states are then samples of
//! p, which only has to be known up to a constant.
//!
//! Sources: lecture note 002 (continuous data: the conditionals become a mixture of
//! Gaussians); Bishop, "Pattern Recognition and Machine Learning", §9.2; lecture note 004
//! (the GAN paper's "no MCMC needed" and what MCMC is); Metropolis et al. 1953,
//! Hastings 1970.

/// A two-component 1-D Gaussian mixture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mixture2 {
    /// Weight π of component 0; component 1 has weight 1 − π.
    pub pi: f64,
    pub mu: [f64; 2],
    pub var: [f64; 2],
}

/// The normal density N(x; mu, var).
pub fn normal_pdf(x: f64, mu: f64, var: f64) -> f64 {
    (-(x - mu).powi(2) / (2.0 * var)).exp() / (2.0 * std::f64::consts::PI * var).sqrt()
}

/// Exercise 6.1 — the log-likelihood Σ_n log p(x_n) of the data under the mixture.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn mixture_log_likelihood(x: &[f64], m: &Mixture2) -> f64 {
    todo!(
        "exercise 6.1: implement `mixture_log_likelihood` — see notebooks/06-mixtures-and-mcmc.ipynb, section Mixture of Gaussians and EM"
    )
}

/// Exercise 6.2 — the E-step: the responsibility γ_n = p(component 0 | x_n) for each
/// point.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn responsibilities(x: &[f64], m: &Mixture2) -> Vec<f64> {
    todo!(
        "exercise 6.2: implement `responsibilities` — see notebooks/06-mixtures-and-mcmc.ipynb, section Mixture of Gaussians and EM"
    )
}

/// Exercise 6.3 — one full EM step: E-step, then the M-step
/// π = Σγ/N, μ₀ = Σγx/Σγ, σ₀² = Σγ(x − μ₀)²/Σγ, and the same for component 1 with
/// weights 1 − γ. Use the new means in the variances.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn em_step(x: &[f64], m: &Mixture2) -> Mixture2 {
    todo!(
        "exercise 6.3: implement `em_step` — see notebooks/06-mixtures-and-mcmc.ipynb, section Mixture of Gaussians and EM"
    )
}

/// Exercise 6.4 — the Metropolis–Hastings acceptance probability, from logs:
/// α = min(1, exp(log p(x') − log p(x) + log q(x | x') − log q(x' | x))).
///
/// Work in logs: the densities themselves may underflow.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Metropolis–Hastings".
pub fn mh_acceptance(
    log_p_x: f64,
    log_p_proposal: f64,
    log_q_forward: f64,
    log_q_backward: f64,
) -> f64 {
    todo!(
        "exercise 6.4: implement `mh_acceptance` — see notebooks/06-mixtures-and-mcmc.ipynb, section Metropolis–Hastings"
    )
}

/// Exercise 6.5 — one Metropolis step with a symmetric proposal: given the current
/// state `x`, a proposal `x_proposal` and a uniform draw `u` in [0, 1), return
/// `x_proposal` if `u < α` and `x` otherwise, where α uses `log_p` (q cancels).
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Metropolis–Hastings".
pub fn metropolis_step(x: f64, x_proposal: f64, u: f64, log_p: &dyn Fn(f64) -> f64) -> f64 {
    todo!(
        "exercise 6.5: implement `metropolis_step` — see notebooks/06-mixtures-and-mcmc.ipynb, section Metropolis–Hastings"
    )
}
