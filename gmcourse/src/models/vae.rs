//! The variational autoencoder (Kingma & Welling, *Auto-Encoding Variational Bayes*, ICLR
//! 2014; lecture note 001, curriculum G2), ported from the PyTorch `examples/vae` model.
//!
//! A Gaussian encoder `q(z|x) = N(mu(x), diag(exp(log_var(x))))`, a standard normal prior
//! `p(z) = N(0, I)` and a Bernoulli decoder `p(x|z)` with logits `decode(z)`. Training
//! maximises the evidence lower bound
//!
//! ```text
//! log p(x) >= ELBO = E_q[log p(x|z)] - KL(q(z|x) ‖ p(z))
//! z = mu + exp(0.5·log_var) ⊙ eps,  eps ~ N(0, I)        (reparameterisation)
//! KL = -1/2 Σ_j (1 + log_var_j - mu_j² - exp(log_var_j))  (closed form)
//! ```
//!
//! and `log p(x)` itself is estimated by importance sampling with `k` draws from `q`.
//!
//! In lesson 07 the student writes this mathematics (`exercises/src/l07_autoencoders_vae.rs`)
//! on the plumbing of `vae/lesson.rs`: [`Layers`] (five `candle_nn::Linear`,
//! named as this model's layers), [`Fns`] (the student's functions), [`train_with`] (the
//! course's loop, strict) and [`train_yours`] (the notebook's cell, with the reference in
//! place of each unfinished exercise). The reference answers are associated functions of
//! [`Vae`] ([`Vae::fns`], [`Vae::neg_elbo_terms`], [`Vae::iwae_bound`], …), a name lesson 07
//! forbids, and [`Vae::elbo`] and [`Vae::log_prob_importance`] use the same ones.

use candle_core::{D, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use super::nn::Dense;
use rand::rngs::StdRng;

use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::check;
use crate::{Error, Result};

mod lesson;
pub use lesson::{
    DecodeFn, EncodeFn, Fns, IwaeFn, Layers, NegElboFn, ReparameterizeFn, Scores, Trained,
    evaluate_with, sample_with, train_with, train_yours,
};

/// Sizes of a [`Vae`]: `n_pixels → hidden → latent → hidden → n_pixels`.
///
/// ```
/// let cfg = gmcourse::models::VaeConfig::default();
/// assert_eq!((cfg.n_pixels, cfg.hidden, cfg.latent), (784, 400, 20));
/// assert_eq!(gmcourse::models::VaeConfig::latent_2d().latent, 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VaeConfig {
    /// Input size (784).
    pub n_pixels: usize,
    /// Hidden units of the encoder and of the decoder.
    pub hidden: usize,
    /// Size of z.
    pub latent: usize,
}

impl Default for VaeConfig {
    fn default() -> Self {
        Self {
            n_pixels: 784,
            hidden: 400,
            latent: 20,
        }
    }
}

impl VaeConfig {
    /// A 2-D latent space, for the manifold plot.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::VaeConfig::latent_2d().latent, 2);
    /// ```
    pub fn latent_2d() -> Self {
        Self {
            latent: 2,
            ..Default::default()
        }
    }
}

/// The three parts of the ELBO of a batch, each a mean over the batch, in nats.
#[derive(Debug, Clone)]
pub struct Elbo {
    /// `E_q[log p(x|z)]` with one draw of z, scalar.
    pub reconstruction: Tensor,
    /// `KL(q(z|x) ‖ p(z))`, scalar.
    pub kl: Tensor,
    /// `reconstruction - kl`, scalar.
    pub elbo: Tensor,
}

/// A VAE with an MLP encoder (`encoder.fc`, `encoder.mu`, `encoder.log_var`) and an MLP
/// decoder (`decoder.fc`, `decoder.out`).
#[derive(Debug, Clone)]
pub struct Vae {
    encoder_fc: Dense,
    encoder_mu: Dense,
    encoder_log_var: Dense,
    decoder_fc: Dense,
    decoder_out: Dense,
    cfg: VaeConfig,
}

impl Model for Vae {
    type Config = VaeConfig;

    /// Builds the layers under `vb`.
    fn new(vb: VarBuilder, cfg: &VaeConfig) -> Result<Self> {
        check::sizes("VaeConfig", &[cfg.n_pixels, cfg.hidden, cfg.latent], cfg)?;
        let enc = vb.pp("encoder");
        let dec = vb.pp("decoder");
        Ok(Self {
            encoder_fc: Dense::new(cfg.n_pixels, cfg.hidden, enc.pp("fc"))?,
            encoder_mu: Dense::new(cfg.hidden, cfg.latent, enc.pp("mu"))?,
            encoder_log_var: Dense::new(cfg.hidden, cfg.latent, enc.pp("log_var"))?,
            decoder_fc: Dense::new(cfg.latent, cfg.hidden, dec.pp("fc"))?,
            decoder_out: Dense::new(cfg.hidden, cfg.n_pixels, dec.pp("out"))?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &VaeConfig {
        &self.cfg
    }
}

impl Vae {
    /// `(mu, log_var)` of `q(z|x)`, each `(batch, latent)`, from `x` `(batch, 784)` in
    /// `[0, 1]`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((3, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let (mu, log_var) = vae.encode(&x)?;
    /// assert_eq!((mu.dims(), log_var.dims()), (&[3, 20][..], &[3, 20][..]));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn encode(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        check::matrix(x, "x (VAE input)", self.cfg.n_pixels)?;
        let h = self.encoder_fc.forward(x)?.relu()?;
        let mu = self.encoder_mu.forward(&h)?;
        let log_var = self.encoder_log_var.forward(&h)?;
        Ok((mu, log_var))
    }

    /// The Bernoulli logits of `p(x|z)`, `(batch, 784)`, from `z` `(batch, latent)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let z = candle_core::Tensor::zeros((2, 20), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(vae.decode(&z)?.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn decode(&self, z: &Tensor) -> Result<Tensor> {
        check::matrix(z, "z (VAE latent)", self.cfg.latent)?;
        let h = self.decoder_fc.forward(z)?.relu()?;
        self.decoder_out.forward(&h)
    }

    /// `z = mu + exp(0.5·log_var) ⊙ eps`: a draw from `q(z|x)` that gradients flow through.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let mu = Tensor::new(&[[1f32]], &Device::Cpu)?;
    /// let log_var = Tensor::new(&[[0f32]], &Device::Cpu)?;
    /// let eps = Tensor::new(&[[2f32]], &Device::Cpu)?;
    /// let z = gmcourse::models::Vae::reparameterize(&mu, &log_var, &eps)?;
    /// assert_eq!(z.to_vec2::<f32>()?, vec![vec![3.0]]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn reparameterize(mu: &Tensor, log_var: &Tensor, eps: &Tensor) -> Result<Tensor> {
        let std = (log_var * 0.5)?.exp()?;
        let z = (mu + (std * eps)?)?;
        Ok(z)
    }

    /// The ELBO of a batch, split into reconstruction and KL, with one draw of `eps` from
    /// `rng`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let e = vae.elbo(&x, &mut gmcourse::models::train::rng(0))?;
    /// assert!(e.kl.to_scalar::<f32>()? >= 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn elbo(&self, x: &Tensor, rng: &mut StdRng) -> Result<Elbo> {
        let (mu, log_var) = self.encode(x)?;
        let eps = train::randn(rng, mu.dim(0)?, self.cfg.latent)?;
        let z = Self::reparameterize(&mu, &log_var, &eps)?;
        let x_hat_logits = self.decode(&z)?;
        let (nll, kl) = Self::neg_elbo_terms(x, &x_hat_logits, &mu, &log_var)?;
        let reconstruction = nll.mean_all()?.neg()?;
        let kl = kl.mean_all()?;
        let elbo = (&reconstruction - &kl)?;
        Ok(Elbo {
            reconstruction,
            kl,
            elbo,
        })
    }

    /// An importance-sampled estimate of `log p(x)`, `(batch,)`, with `k` draws
    /// `z_s ~ q(z|x)`: `log (1/k) Σ_s p(x|z_s) p(z_s) / q(z_s|x)`, by log-mean-exp. It is a
    /// lower bound that tightens as `k` grows (k = 1 gives the ELBO in expectation).
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let lp = vae.log_prob_importance(&x, 10, &mut gmcourse::models::train::rng(0))?;
    /// assert_eq!(lp.dims(), &[2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob_importance(&self, x: &Tensor, k: usize, rng: &mut StdRng) -> Result<Tensor> {
        if k == 0 {
            return Err(Error::invalid("k (importance samples)", "k >= 1", k));
        }
        let (mu, log_var) = self.encode(x)?;
        let batch = mu.dim(0)?;
        let mut log_w = Vec::with_capacity(k);
        for _ in 0..k {
            let eps = train::randn(rng, batch, self.cfg.latent)?;
            let z = Self::reparameterize(&mu, &log_var, &eps)?;
            let logits = self.decode(&z)?;
            log_w.push(Self::log_weights(
                x,
                &mu,
                &log_var,
                &z.unsqueeze(0)?,
                &logits.unsqueeze(0)?,
            )?);
        }
        // log-mean-exp over the k draws
        let log_w = Tensor::cat(&log_w, 0)?;
        Ok((log_w.log_sum_exp(0)? - (k as f64).ln())?)
    }

    /// `n` samples: Bernoulli means `σ(decode(z))`, `z ~ N(0, I)`, shape `(n, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let x = vae.sample(4, &mut gmcourse::models::train::rng(0))?;
    /// assert_eq!(x.dims(), &[4, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, rng: &mut StdRng) -> Result<Tensor> {
        let z = train::randn(rng, n, self.cfg.latent)?;
        Ok(candle_nn::ops::sigmoid(&self.decode(&z)?)?)
    }

    /// Decodes `steps` points on the straight line from `mu(x_a)` to `mu(x_b)`: Bernoulli
    /// means `(steps, 784)`. `x_a` and `x_b` are single images `(1, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((1, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(vae.interpolate(&x, &x, 5)?.dims(), &[5, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn interpolate(&self, x_a: &Tensor, x_b: &Tensor, steps: usize) -> Result<Tensor> {
        if steps < 2 {
            return Err(Error::invalid("steps", "at least 2 points", steps));
        }
        let (mu_a, _) = self.encode(x_a)?;
        let (mu_b, _) = self.encode(x_b)?;
        let mut rows = Vec::with_capacity(steps);
        for s in 0..steps {
            let t = s as f64 / (steps - 1) as f64;
            rows.push(((&mu_a * (1.0 - t))? + (&mu_b * t)?)?);
        }
        let z = Tensor::cat(&rows, 0)?;
        Ok(candle_nn::ops::sigmoid(&self.decode(&z)?)?)
    }

    /// Decodes a `side × side` grid of latent points spanning `[-extent, extent]²` (a
    /// 2-D-latent model only): Bernoulli means `(side², 784)`, row by row, for the manifold
    /// plot.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (vae, _) = gmcourse::models::Vae::seeded(&gmcourse::models::VaeConfig::latent_2d(), 0)?;
    /// assert_eq!(vae.decode_grid(3, 2.0)?.dims(), &[9, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn decode_grid(&self, side: usize, extent: f32) -> Result<Tensor> {
        if self.cfg.latent != 2 || side < 2 {
            return Err(Error::invalid(
                "decode_grid",
                "a 2-D latent model (VaeConfig::latent_2d()) and side >= 2",
                format!("latent = {}, side = {side}", self.cfg.latent),
            ));
        }
        let mut z = Vec::with_capacity(side * side * 2);
        for r in 0..side {
            for c in 0..side {
                let at = |k: usize| -extent + 2.0 * extent * k as f32 / (side - 1) as f32;
                z.push(at(c));
                z.push(-at(r));
            }
        }
        let z = Tensor::from_vec(z, (side * side, 2), &Device::Cpu)?;
        Ok(candle_nn::ops::sigmoid(&self.decode(&z)?)?)
    }
}

/// The reference answers of lesson 07's exercises, on the student's [`Layers`] and
/// signatures ([`Fns`]). `Vae` is a forbidden name in lesson 07, so a submission cannot
/// call them; the notebook's fallback ([`Fns::or_reference`]) and the hidden tests do.
impl Vae {
    /// The reference [`Fns`]: exercises 7.1 to 7.4.
    pub fn fns() -> Fns {
        Fns {
            encode: Self::encode_layers,
            reparameterize: Self::reparameterize,
            decode: Self::decode_layers,
            neg_elbo: Self::neg_elbo_terms,
        }
    }

    /// Exercise 7.1: `(mu, log_var)`, each `(batch, latent)`, from `x` `(batch, n_pixels)`:
    /// `h = relu(fc(x))`, then the two heads.
    ///
    /// ```
    /// use gmcourse::models::{Vae, VaeConfig, vae::Layers};
    /// let (layers, _) = Layers::seeded(&VaeConfig { n_pixels: 4, hidden: 3, latent: 2 }, 0)?;
    /// let x = candle_core::Tensor::zeros((5, 4), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let (mu, log_var) = Vae::encode_layers(&layers, &x)?;
    /// assert_eq!((mu.dims(), log_var.dims()), (&[5, 2][..], &[5, 2][..]));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn encode_layers(layers: &Layers, x: &Tensor) -> Result<(Tensor, Tensor)> {
        use candle_nn::Module;
        let h = layers.encoder_fc.forward(x)?.relu()?;
        Ok((
            layers.encoder_mu.forward(&h)?,
            layers.encoder_log_var.forward(&h)?,
        ))
    }

    /// Exercise 7.3: the Bernoulli logits `(batch, n_pixels)` of p(x|z) from `z`
    /// `(batch, latent)`.
    ///
    /// ```
    /// use gmcourse::models::{Vae, VaeConfig, vae::Layers};
    /// let (layers, _) = Layers::seeded(&VaeConfig { n_pixels: 4, hidden: 3, latent: 2 }, 0)?;
    /// let z = candle_core::Tensor::zeros((5, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(Vae::decode_layers(&layers, &z)?.dims(), &[5, 4]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn decode_layers(layers: &Layers, z: &Tensor) -> Result<Tensor> {
        use candle_nn::Module;
        let h = layers.decoder_fc.forward(z)?.relu()?;
        Ok(layers.decoder_out.forward(&h)?)
    }

    /// Exercise 7.4: per example, `−log p(x|z) = Σ_i softplus(l_i) − x_i·l_i` (finite for
    /// any logit) and `KL(N(mu, σ²) ‖ N(0, I)) = ½ Σ_j (σ_j² + mu_j² − 1 − log σ_j²)`, each
    /// `(batch,)`. Their sum is the negative ELBO of each example.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let x = Tensor::new(&[[1f32, 0.0]], &Device::Cpu)?;
    /// let logits = Tensor::new(&[[100f32, -100.0]], &Device::Cpu)?;
    /// let zero = Tensor::zeros((1, 3), candle_core::DType::F32, &Device::Cpu)?;
    /// let (nll, kl) = gmcourse::models::Vae::neg_elbo_terms(&x, &logits, &zero, &zero)?;
    /// assert!(nll.to_vec1::<f32>()?[0] < 1e-6);
    /// assert_eq!(kl.to_vec1::<f32>()?, vec![0.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn neg_elbo_terms(
        x: &Tensor,
        logits: &Tensor,
        mu: &Tensor,
        log_var: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        let nll = nn::bce_with_logits_sum(logits, x)?;
        let zeros = mu.zeros_like()?;
        let kl = Self::kl_diagonal(mu, log_var, &zeros, &zeros)?;
        Ok((nll, kl))
    }

    /// Exercise 7.6: `KL(N(mu_q, diag σ_q²) ‖ N(mu_p, diag σ_p²))` per row, `(batch,)`:
    /// `½ Σ_j (log σ_p² − log σ_q² + (σ_q² + (mu_q − mu_p)²) / σ_p² − 1)`.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let m = Tensor::new(&[[0.5f32, -1.0]], &Device::Cpu)?;
    /// let lv = Tensor::new(&[[0.3f32, -0.2]], &Device::Cpu)?;
    /// let kl = gmcourse::models::Vae::kl_diagonal(&m, &lv, &m, &lv)?;
    /// assert_eq!(kl.to_vec1::<f32>()?, vec![0.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn kl_diagonal(
        mu_q: &Tensor,
        log_var_q: &Tensor,
        mu_p: &Tensor,
        log_var_p: &Tensor,
    ) -> Result<Tensor> {
        let ratio = (log_var_q - log_var_p)?;
        let mean_term = ((mu_q - mu_p)?.sqr()? * log_var_p.neg()?.exp()?)?;
        let terms = ((ratio.exp()? + mean_term)? - ratio)?;
        Ok(((terms - 1.0)? * 0.5)?.sum(D::Minus1)?)
    }

    /// `log w_k = log p(x|z_k) + log p(z_k) − log q(z_k|x)`, `(k, batch)`, for `z`
    /// `(k, batch, latent)` and `logits` `(k, batch, n_pixels)`.
    fn log_weights(
        x: &Tensor,
        mu: &Tensor,
        log_var: &Tensor,
        z: &Tensor,
        logits: &Tensor,
    ) -> Result<Tensor> {
        let (k, batch, n_pixels) = logits.dims3()?;
        let xs = x.unsqueeze(0)?.broadcast_as((k, batch, n_pixels))?;
        let log_px_z = nn::bce_with_logits_sum(
            &logits.reshape((k * batch, n_pixels))?,
            &xs.reshape((k * batch, n_pixels))?,
        )?
        .reshape((k, batch))?
        .neg()?;
        let log_2pi = (2.0 * std::f64::consts::PI).ln();
        // log N(z; 0, I) = −½ Σ (z² + log 2π)
        let log_pz = ((z.sqr()? + log_2pi)? * -0.5)?.sum(D::Minus1)?;
        // log N(z; mu, σ²) = −½ Σ ((z − mu)² / σ² + log σ² + log 2π)
        let d2 = (z
            .broadcast_sub(mu)?
            .sqr()?
            .broadcast_mul(&log_var.neg()?.exp()?))?;
        let log_qz = ((d2.broadcast_add(log_var)? + log_2pi)? * -0.5)?.sum(D::Minus1)?;
        Ok(((log_px_z + log_pz)? - log_qz)?)
    }

    /// Exercise 7.5: the IWAE bound of each example, `(batch,)`:
    /// `log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x)` by a stable log-mean-exp over the `K`
    /// samples `z` `(K, batch, latent)`, whose logits are `(K, batch, n_pixels)`.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let x = Tensor::new(&[[1f32, 0.0]], &Device::Cpu)?;
    /// let zero = Tensor::zeros((1, 1), candle_core::DType::F32, &Device::Cpu)?;
    /// let z = Tensor::zeros((3, 1, 1), candle_core::DType::F32, &Device::Cpu)?;
    /// let logits = Tensor::zeros((3, 1, 2), candle_core::DType::F32, &Device::Cpu)?;
    /// let b = gmcourse::models::Vae::iwae_bound(&x, &zero, &zero, &z, &logits)?;
    /// gmcourse::testing::assert_close(b.to_vec1::<f32>()?[0] as f64, -2.0 * 2f64.ln(), 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn iwae_bound(
        x: &Tensor,
        mu: &Tensor,
        log_var: &Tensor,
        z: &Tensor,
        logits: &Tensor,
    ) -> Result<Tensor> {
        let log_w = Self::log_weights(x, mu, log_var, z, logits)?;
        let k = log_w.dim(0)?;
        Ok((log_w.log_sum_exp(0)? - (k as f64).ln())?)
    }
}

/// Trains `vae` on `data` `(n, 784)` in `[0, 1]` by maximising the ELBO. Returns the
/// [`History`] of every step, each a batch mean in nats: `reconstruction`
/// (`E_q[log p(x|z)]`, one draw of z per image), `kl` (`KL(q(z|x) ‖ p(z))`), `elbo`
/// (their difference) and `loss` (`−elbo`, what the optimiser minimised). Stops early on
/// `cfg.time_budget`.
///
/// # Errors
/// A wrong data shape, or [`crate::Error::Diverged`] if the loss stops being finite.
///
/// ```
/// use gmcourse::models::Model;
/// let cfg = gmcourse::models::VaeConfig { n_pixels: 4, hidden: 8, latent: 2 };
/// let (vae, varmap) = gmcourse::models::Vae::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &candle_core::Device::Cpu)?;
/// let tc = gmcourse::models::TrainConfig { steps: 30, batch_size: 2, lr: 0.01, log_every: 0, ..Default::default() };
/// let h = gmcourse::models::vae::train(&vae, &varmap, &data, &tc)?;
/// let elbo = h.series("elbo")?;
/// assert_eq!(h.len(), 30);
/// assert!(elbo[29] > elbo[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
/// use gmcourse::models::Model;
pub fn train(vae: &Vae, varmap: &VarMap, data: &Tensor, cfg: &TrainConfig) -> Result<History> {
    fit(varmap, data, vae.cfg.n_pixels, cfg, |x, rng| {
        let terms = vae.elbo(x, rng)?;
        Ok((terms.reconstruction, terms.kl))
    })
}

/// The one VAE training loop, behind [`train`] and [`train_with`]: AdamW on
/// `KL − E_q log p(x|z)` over random batches of `data` `(n, n_pixels)`, where
/// `terms(x, rng)` gives the batch's mean `E_q log p(x|z)` and mean KL (scalars). Records
/// `reconstruction`, `kl` and `elbo` at every step, and the loss.
pub(crate) fn fit(
    varmap: &VarMap,
    data: &Tensor,
    n_pixels: usize,
    cfg: &TrainConfig,
    mut terms: impl FnMut(&Tensor, &mut StdRng) -> Result<(Tensor, Tensor)>,
) -> Result<History> {
    check::matrix(data, "data (VAE training set)", n_pixels)?;
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    let mut history = History::new();
    let losses = train::run(cfg, varmap, |step, rng| {
        let x = train::random_batch(data, cfg.batch_size, rng)?;
        let (reconstruction, kl) = terms(&x, rng)?;
        let loss = (&kl - &reconstruction)?;
        let value = train::checked_step(&mut opt, &loss, step)?;
        history.push("reconstruction", train::finite_loss(&reconstruction, step)?);
        history.push("kl", train::finite_loss(&kl, step)?);
        history.push("elbo", -value);
        Ok(value)
    })?;
    Ok(history.with(History::LOSS, losses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Model, VaeConfig};
    use crate::testing::assert_close;
    use candle_core::Device;

    fn toy() -> Result<(Vae, VarMap, Tensor)> {
        let cfg = VaeConfig {
            n_pixels: 4,
            hidden: 8,
            latent: 2,
        };
        let (vae, varmap) = Vae::seeded(&cfg, 0)?;
        let data = Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &Device::Cpu)?;
        Ok((vae, varmap, data))
    }

    fn config(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 2,
            lr: 0.01,
            log_every: 0,
            ..Default::default()
        }
    }

    #[test]
    fn elbo_is_reconstruction_minus_kl_at_every_step() -> Result<()> {
        let (vae, varmap, data) = toy()?;
        let h = train(&vae, &varmap, &data, &config(10))?;
        let (elbo, rec, kl) = (
            h.series("elbo")?,
            h.series("reconstruction")?,
            h.series("kl")?,
        );
        for i in 0..h.len() {
            assert_close(elbo[i], rec[i] - kl[i], 1e-4);
        }
        Ok(())
    }

    #[test]
    fn kl_is_never_negative() -> Result<()> {
        let (vae, varmap, data) = toy()?;
        let h = train(&vae, &varmap, &data, &config(10))?;
        let kl = h.series("kl")?;
        assert!(kl.iter().all(|&k| k >= -1e-6), "KL went negative: {kl:?}");
        Ok(())
    }

    #[test]
    fn the_loss_minimised_is_minus_the_elbo_at_every_step() -> Result<()> {
        let (vae, varmap, data) = toy()?;
        let h = train(&vae, &varmap, &data, &config(15))?;
        assert_eq!(h.loss()?.len(), 15);
        for (p, e) in h.loss()?.iter().zip(h.series("elbo")?) {
            assert_close(*p, -e, 1e-9);
        }
        Ok(())
    }

    #[test]
    fn wrong_data_width_is_refused() -> Result<()> {
        let (vae, varmap, _) = toy()?;
        let bad = Tensor::zeros((2, 3), candle_core::DType::F32, &Device::Cpu)?;
        assert!(train(&vae, &varmap, &bad, &config(1)).is_err());
        Ok(())
    }
}
