//! Lesson 04, maximum likelihood: for iid data D = {x₁…x_m}, maximise the
//! log-likelihood Σ log p_θ(x_i) (a sum, because Π p_θ(x_i) underflows to 0 in f64);
//! with a prior, MAP maximises log-likelihood + log p(θ).
//!
//! Source: lecture notes 001 and 003. Note 001 multiplies P_model(x₁, θ₁) · P_model(x₂, θ₂):
//! there is one θ shared by all samples.
//!
//! A data set of m samples is an `ndarray::Array1` (`u8` flips, each 0 or 1, or `f64`
//! values), taken by reference: `bernoulli_mle(&x)`.

use ndarray::Array1;

/// Exercise 4.1 — the log-likelihood, in nats, of the coin flips `x` (each 0 or 1) under
/// a Bernoulli model with p_θ(1) = θ. It must stay finite for 10 000 flips, where the
/// likelihood itself underflows to 0. θ = 0 with a 1 in the data is −∞.
///
/// Notebook: `notebooks/04-maximum-likelihood.ipynb`, section "Why a log: underflow".
pub fn bernoulli_log_likelihood(theta: f64, x: &Array1<u8>) -> f64 {
    // BEGIN SOLUTION
    x.iter()
        .map(|&xi| {
            if xi == 1 {
                theta.ln()
            } else {
                (1.0 - theta).ln()
            }
        })
        .sum()
    // END SOLUTION
}

/// Exercise 4.2 — the maximum-likelihood estimate θ̂ of a Bernoulli model from the coin
/// flips `x` (each 0 or 1, at least one).
///
/// Notebook: `notebooks/04-maximum-likelihood.ipynb`, section "The Bernoulli MLE".
pub fn bernoulli_mle(x: &Array1<u8>) -> f64 {
    // BEGIN SOLUTION
    x.mapv(f64::from).sum() / x.len() as f64
    // END SOLUTION
}

/// Exercise 4.3 — the maximum-likelihood estimates `(mu, var)` of a Gaussian from the
/// samples `x` (at least one). Note which variance maximises the likelihood: it is not
/// the "unbiased" one.
///
/// Notebook: `notebooks/04-maximum-likelihood.ipynb`, section "Categorical and Gaussian MLE".
pub fn gaussian_mle(x: &Array1<f64>) -> (f64, f64) {
    // BEGIN SOLUTION
    let m = x.len() as f64;
    let mu = x.sum() / m;
    let var = (x - mu).powi(2).sum() / m;
    (mu, var)
    // END SOLUTION
}

/// Exercise 4.4 — the MAP estimate of θ for the coin flips `x` (each 0 or 1) under a
/// Beta(a, b) prior on θ (a, b ≥ 1).
///
/// Notebook: `notebooks/04-maximum-likelihood.ipynb`, section "A prior: MAP".
pub fn bernoulli_map(x: &Array1<u8>, a: f64, b: f64) -> f64 {
    // BEGIN SOLUTION
    let k = x.mapv(f64::from).sum();
    let m = x.len() as f64;
    (k + a - 1.0) / (m + a + b - 2.0)
    // END SOLUTION
}

/// Exercise 4.5 — the maximum-likelihood estimate of the rate λ of an exponential
/// distribution, p_λ(x) = λ e^(−λx) for x ≥ 0, from m iid waiting times `x` (an
/// `Array1<f64>` of m ≥ 1 values, each ≥ 0). λ is a rate: events per unit of x.
///
/// The notebook derives the Bernoulli, categorical and Gaussian MLEs, not this one: write
/// the log-likelihood and maximise it yourself. When every sample is 0 the likelihood
/// grows without bound as λ grows: return `f64::INFINITY` then.
///
/// Notebook: `notebooks/04-maximum-likelihood.ipynb`, section "Categorical and Gaussian MLE".
pub fn exponential_rate_mle(x: &Array1<f64>) -> f64 {
    // BEGIN SOLUTION
    // ℓ(λ) = m ln λ − λ Σ x_i; ℓ'(λ) = m/λ − Σ x_i = 0. A sum of 0 gives m / 0 = +∞.
    x.len() as f64 / x.sum()
    // END SOLUTION
}
