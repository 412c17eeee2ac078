// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
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
    todo!(
        "exercise 7.1: implement `encode` — see notebooks/07-autoencoders-vae.ipynb, section The VAE as a probabilistic model"
    )
}

/// Exercise 7.2 — a draw z `(batch, latent)` from q(z|x) = N(mu, diag exp(log_var)) that
/// gradients flow through, given standard normal noise `eps` of the same shape (the course
/// draws it from a seeded generator).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The reparameterisation trick".
pub fn reparameterize(mu: &Tensor, log_var: &Tensor, eps: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 7.2: implement `reparameterize` — see notebooks/07-autoencoders-vae.ipynb, section The reparameterisation trick"
    )
}

/// Exercise 7.3 — the decoder: the Bernoulli logits `(batch, n_pixels)` of p(x|z) from
/// `z` `(batch, latent)`: `layers.decoder_fc`, a ReLU, then `layers.decoder_out` (no
/// sigmoid: the loss takes logits).
///
/// Notebook: `notebooks/07-autoencoders-vae.ipynb`, section "The VAE as a probabilistic model".
pub fn decode(layers: &Layers, z: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 7.3: implement `decode` — see notebooks/07-autoencoders-vae.ipynb, section The VAE as a probabilistic model"
    )
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
    todo!(
        "exercise 7.4: implement `neg_elbo` — see notebooks/07-autoencoders-vae.ipynb, section The ELBO"
    )
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
    todo!(
        "exercise 7.5: implement `iwae_bound` — see notebooks/07-autoencoders-vae.ipynb, section The IWAE bound"
    )
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
    todo!(
        "exercise 7.6: implement `kl_diagonal_gaussians` — see notebooks/07-autoencoders-vae.ipynb, section The ELBO"
    )
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
