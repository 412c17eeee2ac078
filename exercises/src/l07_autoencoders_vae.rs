// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
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
    todo!(
        "exercise 7.1: implement `reparameterize` — see notebooks/07-autoencoders-vae.ipynb, section The reparameterisation trick"
    )
}

/// Exercise 7.2 — the closed-form KL(N(mu, diag exp(log_var)) ‖ N(0, I)) in nats:
/// −½ Σ_j (1 + log_var_j − mu_j² − exp(log_var_j)).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn gaussian_kl(mu: &[f64], log_var: &[f64]) -> f64 {
    todo!(
        "exercise 7.2: implement `gaussian_kl` — see notebooks/07-autoencoders-vae.ipynb, section The ELBO"
    )
}

/// Exercise 7.3 — the ELBO of one example: `log_px_given_z` (the reconstruction
/// log-likelihood) minus the KL term of exercise 7.2.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn elbo(log_px_given_z: f64, mu: &[f64], log_var: &[f64]) -> f64 {
    todo!(
        "exercise 7.3: implement `elbo` — see notebooks/07-autoencoders-vae.ipynb, section The ELBO"
    )
}

/// Exercise 7.4 — log-mean-exp, log((1/K) Σ_k exp(a_k)), computed stably: subtract the
/// maximum first, so that a = [−1000, −1000] gives −1000, not −∞.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The IWAE bound".
pub fn log_mean_exp(a: &[f64]) -> f64 {
    todo!(
        "exercise 7.4: implement `log_mean_exp` — see notebooks/07-autoencoders-vae.ipynb, section The IWAE bound"
    )
}

/// Exercise 7.5 — the IWAE bound from K samples: log w_k = log_p_xz[k] − log_q_z[k],
/// then log-mean-exp of the log w_k.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The IWAE bound".
pub fn iwae_bound(log_p_xz: &[f64], log_q_z: &[f64]) -> f64 {
    todo!(
        "exercise 7.5: implement `iwae_bound` — see notebooks/07-autoencoders-vae.ipynb, section The IWAE bound"
    )
}
