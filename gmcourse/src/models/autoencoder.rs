//! The autoencoder (lecture note 001, curriculum G1): `x → E_θ(x) = z → D_φ(z) = x′`,
//! trained end to end with `x` as its own label (self-supervised), by minimising the
//! Bernoulli reconstruction loss
//!
//! ```text
//! L(θ, φ) = Σ_i BCE(D_φ(E_θ(x))_i, x_i) = Σ_i softplus(l_i) - x_i·l_i,   l = D_φ(E_θ(x))
//! ```

use candle_core::Tensor;
use candle_nn::{VarBuilder, VarMap};

use super::nn::{Activation, Mlp};
use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::Result;
use crate::check;

/// Sizes of an [`Autoencoder`]: `n_pixels → hidden → latent → hidden → n_pixels`.
///
/// ```
/// let cfg = gmcourse::models::AutoencoderConfig::default();
/// assert_eq!((cfg.hidden, cfg.latent), (256, 32));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AutoencoderConfig {
    /// Input size (784).
    pub n_pixels: usize,
    /// Hidden units of encoder and decoder.
    pub hidden: usize,
    /// Size of the code z.
    pub latent: usize,
}

impl Default for AutoencoderConfig {
    fn default() -> Self {
        Self {
            n_pixels: 784,
            hidden: 256,
            latent: 32,
        }
    }
}

/// An MLP autoencoder, `encoder.fc*` and `decoder.fc*`.
#[derive(Debug, Clone)]
pub struct Autoencoder {
    encoder: Mlp,
    decoder: Mlp,
    cfg: AutoencoderConfig,
}

impl Model for Autoencoder {
    type Config = AutoencoderConfig;

    /// Builds the encoder and decoder under `vb`.
    fn new(vb: VarBuilder, cfg: &AutoencoderConfig) -> Result<Self> {
        check::sizes(
            "AutoencoderConfig",
            &[cfg.n_pixels, cfg.hidden, cfg.latent],
            cfg,
        )?;
        Ok(Self {
            encoder: Mlp::new(
                vb.pp("encoder"),
                &[cfg.n_pixels, cfg.hidden, cfg.latent],
                Activation::Relu,
            )?,
            decoder: Mlp::new(
                vb.pp("decoder"),
                &[cfg.latent, cfg.hidden, cfg.n_pixels],
                Activation::Relu,
            )?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &AutoencoderConfig {
        &self.cfg
    }
}

impl Autoencoder {
    /// The code `z = E_θ(x)`, `(batch, latent)`, of `x` `(batch, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (ae, _) = gmcourse::models::Autoencoder::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(ae.encode(&x)?.dims(), &[2, 32]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn encode(&self, x: &Tensor) -> Result<Tensor> {
        check::matrix(x, "x (autoencoder input)", self.cfg.n_pixels)?;
        self.encoder.forward(x)
    }

    /// The reconstruction logits `D_φ(z)`, `(batch, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (ae, _) = gmcourse::models::Autoencoder::seeded(&Default::default(), 0)?;
    /// let z = candle_core::Tensor::zeros((2, 32), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(ae.decode(&z)?.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn decode(&self, z: &Tensor) -> Result<Tensor> {
        check::matrix(z, "z (autoencoder code)", self.cfg.latent)?;
        self.decoder.forward(z)
    }

    /// The reconstruction `x_hat = σ(D_φ(E_θ(x)))` in `[0, 1]`, `(batch, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (ae, _) = gmcourse::models::Autoencoder::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(ae.reconstruct(&x)?.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn reconstruct(&self, x: &Tensor) -> Result<Tensor> {
        let l = self.decode(&self.encode(x)?)?;
        Ok(candle_nn::ops::sigmoid(&l)?)
    }

    /// The mean reconstruction loss of a batch, in nats per image.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (ae, _) = gmcourse::models::Autoencoder::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert!(ae.loss(&x)?.to_scalar::<f32>()? > 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn loss(&self, x: &Tensor) -> Result<Tensor> {
        let l = self.decode(&self.encode(x)?)?;
        Ok(nn::bce_with_logits_sum(&l, x)?.mean_all()?)
    }
}

/// Trains `ae` on `data` `(n, 784)`; returns the per-step reconstruction loss.
///
/// ```
/// use gmcourse::models::Model;
/// let cfg = gmcourse::models::AutoencoderConfig { n_pixels: 4, hidden: 8, latent: 2 };
/// let (ae, varmap) = gmcourse::models::Autoencoder::seeded(&cfg, 0)?;
/// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 0.]], &candle_core::Device::Cpu)?;
/// let tc = gmcourse::models::TrainConfig { steps: 20, batch_size: 1, lr: 0.01, log_every: 0, ..Default::default() };
/// let losses = gmcourse::models::autoencoder::train(&ae, &varmap, &x, &tc)?;
/// let losses = losses.loss()?;
/// assert!(losses[19] < losses[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(
    ae: &Autoencoder,
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
) -> Result<History> {
    check::matrix(data, "data (autoencoder training set)", ae.cfg.n_pixels)?;
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let x = train::random_batch(data, cfg.batch_size, rng)?;
        let loss = ae.loss(&x)?;
        train::checked_step(&mut opt, &loss, step)
    })?;
    Ok(History::from_losses(losses))
}
