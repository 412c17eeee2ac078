//! Lesson 07, autoencoders and the VAE objective: sample z = μ + exp(log_var / 2) · ε
//! with ε ~ N(0, I) (the reparameterisation trick), and maximise the ELBO
//! log p(x|z) − KL(N(μ, diag σ²) ‖ N(0, I)), where
//! KL = −½ Σ_j (1 + log_var_j − μ_j² − exp(log_var_j)).
//! The IWAE bound log (1/K) Σ_k w_k, with log w_k = log p(x, z_k) − log q(z_k | x),
//! is tighter for K > 1 and equals the ELBO estimate for K = 1.
//!
//! Source: lecture note 001; Kingma & Welling, "Auto-Encoding Variational Bayes", 2014
//! (Appendix B for the KL); Burda et al., "Importance Weighted Autoencoders", 2016.

/// Exercise 7.1 — reparameterised sampling z = mu + exp(log_var / 2) · eps, element by
/// element.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The reparameterisation trick".
pub fn reparameterize(mu: &[f64], log_var: &[f64], eps: &[f64]) -> Vec<f64> {
    // BEGIN SOLUTION
    mu.iter()
        .zip(log_var)
        .zip(eps)
        .map(|((m, lv), e)| m + (0.5 * lv).exp() * e)
        .collect()
    // END SOLUTION
}

/// Exercise 7.2 — the closed-form KL(N(mu, diag exp(log_var)) ‖ N(0, I)) in nats:
/// −½ Σ_j (1 + log_var_j − mu_j² − exp(log_var_j)).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn gaussian_kl(mu: &[f64], log_var: &[f64]) -> f64 {
    // BEGIN SOLUTION
    -0.5 * mu
        .iter()
        .zip(log_var)
        .map(|(m, lv)| 1.0 + lv - m * m - lv.exp())
        .sum::<f64>()
    // END SOLUTION
}

/// Exercise 7.3 — the ELBO of one example: `log_px_given_z` (the reconstruction
/// log-likelihood) minus the KL term of exercise 7.2.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn elbo(log_px_given_z: f64, mu: &[f64], log_var: &[f64]) -> f64 {
    // BEGIN SOLUTION
    log_px_given_z - gaussian_kl(mu, log_var)
    // END SOLUTION
}

/// Exercise 7.4 — log-mean-exp, log((1/K) Σ_k exp(a_k)), computed stably: subtract the
/// maximum first, so that a = [−1000, −1000] gives −1000, not −∞.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The IWAE bound".
pub fn log_mean_exp(a: &[f64]) -> f64 {
    // BEGIN SOLUTION
    let max = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    max + (a.iter().map(|ai| (ai - max).exp()).sum::<f64>() / a.len() as f64).ln()
    // END SOLUTION
}

/// Exercise 7.5 — the IWAE bound from K samples: log w_k = log_p_xz[k] − log_q_z[k],
/// then log-mean-exp of the log w_k.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The IWAE bound".
pub fn iwae_bound(log_p_xz: &[f64], log_q_z: &[f64]) -> f64 {
    // BEGIN SOLUTION
    let log_w: Vec<f64> = log_p_xz.iter().zip(log_q_z).map(|(p, q)| p - q).collect();
    log_mean_exp(&log_w)
    // END SOLUTION
}
