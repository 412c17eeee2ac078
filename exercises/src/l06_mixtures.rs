// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 06, a 1-D mixture of two Gaussians, p(x) = π N(x; μ₀, σ₀²) + (1 − π) N(x; μ₁, σ₁²),
//! fitted by expectation-maximisation: the E-step computes responsibilities
//! γ_n = π N₀(x_n) / p(x_n); the M-step re-estimates π, μ and σ² from them.
//!
//! Source: lecture note 002 (continuous data: the conditionals become a mixture of
//! Gaussians); Bishop, "Pattern Recognition and Machine Learning", §9.2.

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
/// Notebook: `notebooks/06-mixtures.ipynb`, section "A mixture of Gaussians".
pub fn mixture_log_likelihood(x: &[f64], m: &Mixture2) -> f64 {
    todo!(
        "exercise 6.1: implement `mixture_log_likelihood` — see notebooks/06-mixtures.ipynb, section A mixture of Gaussians"
    )
}

/// Exercise 6.2 — the E-step: the responsibility γ_n = p(component 0 | x_n) for each
/// point.
///
/// Notebook: `notebooks/06-mixtures.ipynb`, section "EM: the E-step".
pub fn responsibilities(x: &[f64], m: &Mixture2) -> Vec<f64> {
    todo!(
        "exercise 6.2: implement `responsibilities` — see notebooks/06-mixtures.ipynb, section EM: the E-step"
    )
}

/// Exercise 6.3 — one full EM step: E-step, then the M-step
/// π = Σγ/N, μ₀ = Σγx/Σγ, σ₀² = Σγ(x − μ₀)²/Σγ, and the same for component 1 with
/// weights 1 − γ. Use the new means in the variances.
///
/// Notebook: `notebooks/06-mixtures.ipynb`, section "EM: the M-step".
pub fn em_step(x: &[f64], m: &Mixture2) -> Mixture2 {
    todo!(
        "exercise 6.3: implement `em_step` — see notebooks/06-mixtures.ipynb, section EM: the M-step"
    )
}
