//! A tiny PixelCNN (van den Oord et al., *Pixel Recurrent Neural Networks*, ICML 2016,
//! §3.4; curriculum D1, D4): the chain rule over binary pixels in raster order, with every
//! conditional computed at once by masked convolutions,
//!
//! ```text
//! p(x) = Π_i p(x_i | x_<i),   p(x_i = 1 | x_<i) = σ(l_i(x)),
//! l = conv_1×1 ∘ relu ∘ conv_B ∘ … ∘ relu ∘ conv_A (x)
//! ```
//!
//! Mask A (first layer) hides the centre pixel and everything after it; mask B (later
//! layers) lets a feature see its own position, which only holds earlier pixels. So
//! `l_i` depends on `x_<i` only (the test `pixelcnn_logits_depend_only_on_earlier_pixels`
//! checks it), the log-likelihood is exact, and its receptive field is the one
//! [`crate::models::nn::masks::receptive_field`] draws, blind spot included.

use candle_core::{Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::Rng;
use rand::rngs::StdRng;

use super::nn::masks::{MaskType, pixelcnn_kernel_mask};
use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::Result;
use crate::check;

/// Sizes of a [`PixelCnn`].
///
/// ```
/// let cfg = gmcourse::models::PixelCnnConfig::default();
/// assert_eq!((cfg.height, cfg.width, cfg.layers), (28, 28, 4));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PixelCnnConfig {
    /// Image height.
    pub height: usize,
    /// Image width.
    pub width: usize,
    /// Feature maps per masked layer.
    pub channels: usize,
    /// Number of masked `kernel × kernel` layers (the first with mask A).
    pub layers: usize,
    /// Kernel size (odd).
    pub kernel: usize,
}

impl Default for PixelCnnConfig {
    fn default() -> Self {
        Self {
            height: 28,
            width: 28,
            channels: 16,
            layers: 4,
            kernel: 3,
        }
    }
}

/// A PixelCNN: masked layers `conv0 … conv{L-1}` and a 1×1 output layer `out`.
#[derive(Debug, Clone)]
pub struct PixelCnn {
    weights: Vec<Tensor>,
    biases: Vec<Tensor>,
    masks: Vec<Tensor>,
    out_weight: Tensor,
    out_bias: Tensor,
    cfg: PixelCnnConfig,
}

impl Model for PixelCnn {
    type Config = PixelCnnConfig;

    /// Builds the layers under `vb`.
    fn new(vb: VarBuilder, cfg: &PixelCnnConfig) -> Result<Self> {
        check::sizes(
            "PixelCnnConfig",
            &[cfg.layers, cfg.channels, cfg.height, cfg.width],
            cfg,
        )?;
        let k = cfg.kernel;
        let mut weights = Vec::with_capacity(cfg.layers);
        let mut biases = Vec::with_capacity(cfg.layers);
        let mut masks = Vec::with_capacity(cfg.layers);
        for l in 0..cfg.layers {
            let c_in = if l == 0 { 1 } else { cfg.channels };
            let mask_type = if l == 0 { MaskType::A } else { MaskType::B };
            let mask: Vec<f32> = pixelcnn_kernel_mask(k, mask_type)?
                .into_iter()
                .flatten()
                .collect();
            let layer = vb.pp(format!("conv{l}"));
            weights.push(layer.get((cfg.channels, c_in, k, k), "weight")?);
            biases.push(layer.get(cfg.channels, "bias")?);
            masks.push(Tensor::from_vec(mask, (1, 1, k, k), &Device::Cpu)?);
        }
        let out = vb.pp("out");
        Ok(Self {
            weights,
            biases,
            masks,
            out_weight: out.get((1, cfg.channels, 1, 1), "weight")?,
            out_bias: out.get(1, "bias")?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &PixelCnnConfig {
        &self.cfg
    }
}

impl PixelCnn {
    /// The logits `l_i` of every conditional, `(batch, height·width)`, from binary
    /// `x` `(batch, height·width)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (m, _) = gmcourse::models::PixelCnn::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(m.logits(&x)?.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn logits(&self, x: &Tensor) -> Result<Tensor> {
        let (h, w) = (self.cfg.height, self.cfg.width);
        let batch = check::matrix(x, "x (PixelCNN input)", h * w)?;
        let pad = self.cfg.kernel / 2;
        let mut a = x.reshape((batch, 1, h, w))?;
        for l in 0..self.cfg.layers {
            let masked = self.weights[l].broadcast_mul(&self.masks[l])?;
            let bias = self.biases[l].reshape((1, self.cfg.channels, 1, 1))?;
            a = a
                .conv2d(&masked, pad, 1, 1, 1)?
                .broadcast_add(&bias)?
                .relu()?;
        }
        let out_bias = self.out_bias.reshape((1, 1, 1, 1))?;
        let l = a
            .conv2d(&self.out_weight, 0, 1, 1, 1)?
            .broadcast_add(&out_bias)?;
        Ok(l.reshape((batch, h * w))?)
    }

    /// The exact `log p(x)` of each binary image, `(batch,)`, in nats.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (m, _) = gmcourse::models::PixelCnn::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert!(m.log_prob(&x)?.to_vec1::<f32>()?.iter().all(|&lp| lp < 0.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob(&self, x: &Tensor) -> Result<Tensor> {
        let l = self.logits(x)?;
        Ok(nn::bce_with_logits_sum(&l, x)?.neg()?)
    }

    /// The mean negative log-likelihood of a batch, in nats per image.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (m, _) = gmcourse::models::PixelCnn::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert!(m.nll(&x)?.to_scalar::<f32>()? > 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn nll(&self, x: &Tensor) -> Result<Tensor> {
        Ok(self.log_prob(x)?.mean_all()?.neg()?)
    }

    /// `n` images by ancestral sampling in raster order: one forward pass per pixel.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::PixelCnnConfig { height: 4, width: 4, channels: 4, layers: 2, kernel: 3 };
    /// let (m, _) = gmcourse::models::PixelCnn::seeded(&cfg, 0)?;
    /// let x = m.sample(3, &mut gmcourse::models::train::rng(0))?;
    /// assert_eq!(x.dims(), &[3, 16]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, rng: &mut StdRng) -> Result<Tensor> {
        let d = self.cfg.height * self.cfg.width;
        let mut x = vec![0f32; n * d];
        for i in 0..d {
            let xt = Tensor::from_vec(x.clone(), (n, d), &Device::Cpu)?;
            let l = self
                .logits(&xt)?
                .narrow(1, i, 1)?
                .flatten_all()?
                .to_vec1::<f32>()?;
            for (s, &li) in l.iter().enumerate() {
                let p = 1.0 / (1.0 + (-li).exp());
                if rng.random::<f32>() < p {
                    x[s * d + i] = 1.0;
                }
            }
        }
        Ok(Tensor::from_vec(x, (n, d), &Device::Cpu)?)
    }
}

/// Trains `model` on binary `data` `(n, height·width)` by maximum likelihood; returns the
/// per-step loss (mean NLL in nats).
///
/// ```
/// use gmcourse::models::Model;
/// let cfg = gmcourse::models::PixelCnnConfig { height: 4, width: 4, channels: 4, layers: 2, kernel: 3 };
/// let (m, varmap) = gmcourse::models::PixelCnn::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::ones((2, 16), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let tc = gmcourse::models::TrainConfig { steps: 20, batch_size: 2, lr: 0.01, log_every: 0, ..Default::default() };
/// let losses = gmcourse::models::pixelcnn::train(&m, &varmap, &data, &tc)?;
/// let losses = losses.loss()?;
/// assert!(losses[19] < losses[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(
    model: &PixelCnn,
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
) -> Result<History> {
    check::matrix(
        data,
        "data (PixelCNN training set)",
        model.cfg.height * model.cfg.width,
    )?;
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let x = train::random_batch(data, cfg.batch_size, rng)?;
        let loss = model.nll(&x)?;
        train::checked_step(&mut opt, &loss, step)
    })?;
    Ok(History::from_losses(losses))
}
