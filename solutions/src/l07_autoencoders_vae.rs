//! Lesson 07: you write the variational autoencoder's mathematics on batched
//! `candle_core::Tensor`s, and the notebook trains what you wrote.
//!
//! The course gives the plumbing: the layers (`Layers`, five `candle_nn::Linear`, built and
//! seeded by the course), the noise (drawn from a seeded generator), the batches, the
//! optimiser and the loop (`gmcourse::models::vae::train_with`). You give the four
//! functions a training step calls, the IWAE bound that scores the trained model, and one
//! KL the notebook does not write down. Images are `(batch, n_pixels)` f32 tensors of 0s
//! and 1s; every function works on a whole batch at once.
//!
//! Call a layer with `candle_nn::Module::forward` (imported below): `layers.encoder_fc.forward(x)?`.
//! A candle error converts into `gmcourse::Error` with `?`.
//!
//! Source: lecture note 001; Kingma & Welling, "Auto-Encoding Variational Bayes", 2014;
//! Burda et al., "Importance Weighted Autoencoders", 2016.

// `D` (a dimension: `D::Minus1` is the last) and `Module` (`forward`) are unused until
// you write the first exercise that needs them.
#[allow(unused_imports)]
use candle_core::{D, Tensor};
#[allow(unused_imports)]
use candle_nn::Module;
use gmcourse::Result;
use gmcourse::models::vae::{Fns, Layers};

/// Exercise 7.1 — the encoder: the parameters `(mu, log_var)` of q(z|x), each
/// `(batch, latent)`, from images `x` `(batch, n_pixels)`. The encoder is
/// `layers.encoder_fc` followed by a ReLU, then two heads, `layers.encoder_mu` and
/// `layers.encoder_log_var`, on the same hidden units.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The VAE as a probabilistic model".
pub fn encode(layers: &Layers, x: &Tensor) -> Result<(Tensor, Tensor)> {
    // BEGIN SOLUTION
    let h = layers.encoder_fc.forward(x)?.relu()?;
    let mu = layers.encoder_mu.forward(&h)?;
    let log_var = layers.encoder_log_var.forward(&h)?;
    Ok((mu, log_var))
    // END SOLUTION
}

/// Exercise 7.2 — a draw z `(batch, latent)` from q(z|x) = N(mu, diag exp(log_var)) that
/// gradients flow through, given standard normal noise `eps` of the same shape (the course
/// draws it from a seeded generator).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The reparameterisation trick".
pub fn reparameterize(mu: &Tensor, log_var: &Tensor, eps: &Tensor) -> Result<Tensor> {
    // BEGIN SOLUTION
    let sigma = (log_var * 0.5)?.exp()?;
    Ok((mu + (sigma * eps)?)?)
    // END SOLUTION
}

/// Exercise 7.3 — the decoder: the Bernoulli logits `(batch, n_pixels)` of p(x|z) from
/// `z` `(batch, latent)`: `layers.decoder_fc`, a ReLU, then `layers.decoder_out` (no
/// sigmoid: the loss takes logits).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The VAE as a probabilistic model".
pub fn decode(layers: &Layers, z: &Tensor) -> Result<Tensor> {
    // BEGIN SOLUTION
    let h = layers.decoder_fc.forward(z)?.relu()?;
    Ok(layers.decoder_out.forward(&h)?)
    // END SOLUTION
}

/// Exercise 7.4 — the two terms of the negative ELBO of each example, `(nll, kl)`, each
/// `(batch,)`, in nats: `nll = −log p(x|z)` of the images `x` `(batch, n_pixels)` under
/// independent Bernoulli pixels with `logits` `(batch, n_pixels)`, and the KL of q(z|x) =
/// N(mu, diag exp(log_var)) to the prior N(0, I) (`mu`, `log_var` `(batch, latent)`).
/// Their sum is −ELBO. The loss must stay finite for saturated logits (±100) and have the
/// right gradients there.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn neg_elbo(
    x: &Tensor,
    logits: &Tensor,
    mu: &Tensor,
    log_var: &Tensor,
) -> Result<(Tensor, Tensor)> {
    // BEGIN SOLUTION
    // −log p(x|z) = Σ_i softplus(l_i) − x_i l_i, softplus(l) = max(l, 0) + log(1 + e^−|l|)
    let splus = (logits.relu()? + (logits.abs()?.neg()?.exp()? + 1.0)?.log()?)?;
    let nll = (splus - (x * logits)?)?.sum(D::Minus1)?;
    // KL = ½ Σ_j (σ_j² + mu_j² − 1 − log σ_j²)
    let kl_terms = ((log_var.exp()? + mu.sqr()?)? - log_var)?;
    let kl = ((kl_terms - 1.0)? * 0.5)?.sum(D::Minus1)?;
    Ok((nll, kl))
    // END SOLUTION
}

/// Exercise 7.5 — the IWAE bound of each example, `(batch,)`, in nats: K importance
/// samples `z` `(K, batch, latent)` drawn from q(z|x) = N(mu, diag exp(log_var)), and the
/// decoder's `logits` `(K, batch, n_pixels)` for each of them, for the images `x`
/// `(batch, n_pixels)`. It must be finite even when every importance weight is below
/// e^−1000.
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The IWAE bound".
pub fn iwae_bound(
    x: &Tensor,
    mu: &Tensor,
    log_var: &Tensor,
    z: &Tensor,
    logits: &Tensor,
) -> Result<Tensor> {
    // BEGIN SOLUTION
    let (k, batch, n_pixels) = logits.dims3()?;
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    // log p(x|z_k): the Bernoulli log-likelihood, stable in the logits
    let xs = x.unsqueeze(0)?.broadcast_as((k, batch, n_pixels))?;
    let splus = (logits.relu()? + (logits.abs()?.neg()?.exp()? + 1.0)?.log()?)?;
    let log_px_z = ((xs * logits)? - splus)?.sum(D::Minus1)?;
    // log p(z_k) = −½ Σ (z² + log 2π)
    let log_pz = ((z.sqr()? + log_2pi)? * -0.5)?.sum(D::Minus1)?;
    // log q(z_k|x) = −½ Σ ((z − mu)² / σ² + log σ² + log 2π)
    let d2 = z.broadcast_sub(mu)?.sqr()?.broadcast_div(&log_var.exp()?)?;
    let log_qz = ((d2.broadcast_add(log_var)? + log_2pi)? * -0.5)?.sum(D::Minus1)?;
    let log_w = ((log_px_z + log_pz)? - log_qz)?; // (K, batch)
    // log-mean-exp over the K samples, with the largest log-weight taken out first
    let max = log_w.max_keepdim(0)?;
    let mean = log_w.broadcast_sub(&max)?.exp()?.mean_keepdim(0)?;
    Ok((mean.log()? + max)?.squeeze(0)?)
    // END SOLUTION
}

/// Exercise 7.6 — the KL divergence KL(q ‖ p) between two diagonal Gaussians of each row,
/// `(batch,)`, in nats: q = N(mu_q, diag exp(log_var_q)) and p = N(mu_p, diag
/// exp(log_var_p)), all four `(batch, latent)`. The notebook only gives the case p = N(0, I);
/// derive the general one (a VAE with a learned prior needs it).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The ELBO".
pub fn kl_diagonal_gaussians(
    mu_q: &Tensor,
    log_var_q: &Tensor,
    mu_p: &Tensor,
    log_var_p: &Tensor,
) -> Result<Tensor> {
    // BEGIN SOLUTION
    // ½ Σ_j (log σ_p² − log σ_q² + (σ_q² + (mu_q − mu_p)²) / σ_p² − 1)
    let var_p = log_var_p.exp()?;
    let spread = ((log_var_q.exp()? + (mu_q - mu_p)?.sqr()?)? / var_p)?;
    let terms = ((spread + (log_var_p - log_var_q)?)? - 1.0)?;
    Ok((terms * 0.5)?.sum(D::Minus1)?)
    // END SOLUTION
}

/// The course's plumbing (not an exercise): your four functions, for the training loop.
pub fn vae_fns() -> Fns {
    Fns {
        encode,
        reparameterize,
        decode,
        neg_elbo,
    }
}

/// The course's plumbing (not an exercise), for the grader: trains fresh layers
/// (`n_pixels → hidden → latent`, initialised from `seed`) on `data` for `steps` steps of
/// the course's loop with your functions, and returns the trained tensors by name.
pub fn train_for_test(
    data: &Tensor,
    hidden: usize,
    latent: usize,
    steps: usize,
    seed: u64,
) -> Result<Vec<(String, Tensor)>> {
    let cfg = gmcourse::models::VaeConfig {
        n_pixels: data.dim(1)?,
        hidden,
        latent,
    };
    let (layers, varmap) = Layers::seeded(&cfg, seed)?;
    let tc = gmcourse::models::TrainConfig {
        steps,
        batch_size: 32,
        lr: 3e-3,
        seed,
        log_every: 0,
        progress: false,
        ..Default::default()
    };
    gmcourse::models::vae::train_with(&vae_fns(), &layers, &varmap, data, &tc)?;
    gmcourse::models::train::named_tensors(&varmap)
}

/// The course's plumbing (not an exercise), for the grader: the gradients of
/// `mean(nll + kl)` from your `neg_elbo` with respect to `logits`, `mu` and `log_var`,
/// by candle's autograd.
pub fn neg_elbo_grads(
    x: &Tensor,
    logits: &Tensor,
    mu: &Tensor,
    log_var: &Tensor,
) -> Result<Vec<Tensor>> {
    let logits = candle_core::Var::from_tensor(logits)?;
    let mu = candle_core::Var::from_tensor(mu)?;
    let log_var = candle_core::Var::from_tensor(log_var)?;
    let (nll, kl) = neg_elbo(x, logits.as_tensor(), mu.as_tensor(), log_var.as_tensor())?;
    let loss = (nll + kl)?.mean_all()?;
    let grads = loss.backward()?;
    let mut out = Vec::new();
    for v in [&logits, &mu, &log_var] {
        out.push(match grads.get(v.as_tensor()) {
            Some(g) => g.clone(),
            None => v.as_tensor().zeros_like()?,
        });
    }
    Ok(out)
}
