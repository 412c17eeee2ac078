//! The deep convolutional GAN (Radford, Metz & Chintala, *Unsupervised Representation
//! Learning with Deep Convolutional Generative Adversarial Networks*, ICLR 2016) for
//! 28×28 digits: the [`super::gan`] game with convolutional players.
//!
//! ```text
//! G: [z ‖ onehot(c)] → dense → 2C×7×7 → BN, ReLU
//!      → 4×4 transposed conv, stride 2 → C×14×14 → BN, ReLU
//!      → 4×4 transposed conv, stride 2 → 1×28×28 → sigmoid
//! D: (shifted by up to 2 pixels) 2x − 1, `pack` images as channels
//!      → 4×4 conv, stride 2 → C×14×14 → LeakyReLU(0.2)
//!      → 4×4 conv, stride 2 → 2C×7×7 → LeakyReLU(0.2) → dense → 256 → LeakyReLU(0.2)
//!      → dense → one logit w·h + b + ⟨e_c, h⟩ for the last features h
//! ```
//!
//! A transposed convolution with stride 2 is the adjoint of a strided convolution: each
//! input pixel paints a weighted 4×4 patch of the twice-larger output, so the generator
//! learns strokes as local patterns shared over the whole image instead of 784 separate
//! output units, the reason a DCGAN draws sharp digits where an MLP draws speckle.
//! Batch norm (Ioffe & Szegedy 2015) in the generator uses the statistics of the batch
//! being generated, in training and sampling alike (sample in batches of 16 or more).
//!
//! The losses, one-sided label smoothing, Adam with β₁ = 0.5 and (optionally) PacGAN
//! packing are the [`super::gan`] recipe, shared with it. Three additions make the most of
//! a few thousand digits and a few minutes: the discriminator sees every image shifted by a
//! random offset ([`super::nn::augment`]); both players are told a cluster `c` of the
//! digits, found by k-means on the pixels without labels ([`DcganConfig::clusters`],
//! self-conditioning); and [`train_averaged`] samples from an average of the generator's
//! weights ([`super::nn::Ema`]). Without clusters (`clusters: 0`) the input is `z` alone
//! and the logit `w·h + b`. The convolutions are [`super::nn::conv`] (im2col on
//! the course's matrix product; `bench/README.md`, "DCGAN", has the measurements against
//! candle's and PyTorch's). Images are `(batch, 784)` in `[0, 1]`, as everywhere here.
//!
//! ```
//! use gmcourse::models::{dcgan, Dcgan, DcganConfig, Model, TrainConfig};
//! let cfg = DcganConfig { channels: 4, ..DcganConfig::mnist() };
//! let (gan, varmap) = Dcgan::seeded(&cfg, 0)?;
//! let digits = gmcourse::models::train::rand_uniform(&mut gmcourse::models::train::rng(0), 32, 784)?;
//! let p_data = |rng: &mut rand::rngs::StdRng, n| gmcourse::models::train::random_batch(&digits, n, rng);
//! let tc = TrainConfig { steps: 2, batch_size: 8, lr: 2e-4, log_every: 0, ..Default::default() };
//! let history = dcgan::train(&gan, &varmap, p_data, &tc, |_, _| Ok(()))?;
//! assert_eq!(history.series("discriminator")?.len(), 2);
//! let x = gan.sample(16, &mut gmcourse::models::train::rng(1))?;
//! assert_eq!(x.dims(), &[16, 784]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use candle_core::Tensor;
use candle_nn::{VarBuilder, VarMap};
use rand::rngs::StdRng;
use rand_distr::Distribution;
use rand_distr::weighted::WeightedIndex;

use super::Model;
use super::gan::{
    GeneratorLoss, OutputActivation, d_input, d_loss_from_logits, g_loss_from_logits, gan_optimizer,
};
use super::nn::augment::translate;
use super::nn::batch_norm::{batch_norm_leaky_relu, batch_norm_relu};
use super::nn::mlp::leaky_relu;
use super::nn::{Dense, Ema, FusedAdamW, conv};
use super::train::{self, History, TrainConfig};
use crate::check;
use crate::{Error, Result};

/// Side of an image and of the generator's first map.
pub(crate) const SIDE: usize = 28;
const SEED_SIDE: usize = 7;
/// Kernel, stride and padding of every (transposed) convolution: 28 → 14 → 7 and back.
const K: usize = 4;
const STRIDE: usize = 2;
const PAD: usize = 1;
/// LeakyReLU slope of the discriminator.
const SLOPE: f64 = 0.2;

/// Sizes and options of a [`Dcgan`].
///
/// ```
/// let cfg = gmcourse::models::DcganConfig::mnist();
/// assert_eq!((cfg.latent, cfg.channels, cfg.pack, cfg.translate, cfg.d_hidden), (100, 32, 1, 2, 256));
/// assert_eq!((cfg.clusters, cfg.ema_decay), (60, 0.995));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DcganConfig {
    /// Size of z.
    pub latent: usize,
    /// `C`: the generator's 14×14 map and the discriminator's first map have `C` channels,
    /// the 7×7 maps `2C`.
    pub channels: usize,
    /// The generator's loss.
    pub loss: GeneratorLoss,
    /// Adam's β₁ (0.5, as in the DCGAN paper).
    pub beta1: f64,
    /// The discriminator's target for real digits (0.9: one-sided label smoothing, see
    /// [`super::GanConfig::real_target`]).
    pub real_target: f64,
    /// How many images the discriminator judges together, as channels of one input
    /// (PacGAN, see [`super::GanConfig::pack`]); batches must be multiples of it.
    pub pack: usize,
    /// Batch norm before the discriminator's second LeakyReLU, as in the DCGAN paper (each
    /// batch, real or fake, is normalised on its own statistics).
    pub d_batch_norm: bool,
    /// In training, the discriminator sees every image, real or fake, shifted by up to this
    /// many pixels ([`super::nn::augment::translate`]; 0: off).
    pub translate: usize,
    /// Width of a hidden dense layer (with LeakyReLU) between the discriminator's last map
    /// and its logit; 0: none, the logit reads the map directly.
    pub d_hidden: usize,
    /// β of the generator's weight average that [`train_averaged`] samples from
    /// ([`super::nn::Ema`], with warm-up).
    pub ema_decay: f64,
    /// Self-conditioning on this many clusters of the training images (0: off). [`train`]
    /// first clusters the digits by their pixels ([`super::kmeans`], no labels). The
    /// generator then reads a cluster `c` beside `z`, drawn as often as the clusters occur
    /// in the data: `G([z ‖ onehot(c)])`, a mixture prior with a discrete part. The
    /// discriminator is told the cluster too, as a projection (as [`super::cgan`]'s is told
    /// the label): `c` for a fake, the nearest centre for a real digit. Batches of
    /// [`Dcgan::sample`] draw `c` likewise. Needs `pack` 1. (Liu et al., *Diverse Image
    /// Generation via Self-Conditioned GANs*, CVPR 2020, cluster the discriminator's
    /// features; pixels suffice for digits.) Why it helps: `G` is continuous and `z`'s
    /// Gaussian is connected, so without `c` the images `G` draws form one connected set,
    /// with shapes between the digits; `c` lets it jump.
    pub clusters: usize,
}

impl Default for DcganConfig {
    fn default() -> Self {
        Self::mnist()
    }
}

impl DcganConfig {
    /// MNIST: latent 100, `C = 32`, non-saturating loss, β₁ 0.5, real target 0.9, pack 1,
    /// shifts of up to 2 pixels, a hidden layer of 256 in D, weight average 0.995 and 60
    /// clusters: the recipe `bench/README.md`, "DCGAN", measured best within ten minutes
    /// (`C = 64` costs three times the CPU per step for little gain; PacGAN and batch norm
    /// in D did worse; the clusters lifted the MNIST score from about 7.7 to 9.2 and cut
    /// the FID from about 38 to 10). Train it at a learning rate of 2e-3.
    pub fn mnist() -> Self {
        Self {
            latent: 100,
            channels: 32,
            loss: GeneratorLoss::NonSaturating,
            beta1: 0.5,
            real_target: 0.9,
            pack: 1,
            d_batch_norm: false,
            translate: 2,
            d_hidden: 256,
            ema_decay: 0.995,
            clusters: 60,
        }
    }
}

/// Batch norm's parameters for `channels` channels, `scale` (the gain is `1 + scale`) and
/// `shift`: see [`super::nn::batch_norm`].
#[derive(Debug, Clone)]
struct BatchNorm {
    scale: Tensor,
    shift: Tensor,
}

impl BatchNorm {
    fn new(vb: VarBuilder, channels: usize) -> Result<Self> {
        let zero = candle_nn::Init::Const(0.0);
        Ok(Self {
            scale: vb.get_with_hints(channels, "scale", zero)?,
            shift: vb.get_with_hints(channels, "shift", zero)?,
        })
    }

    /// `ReLU(BN(x))` of a channel-major map.
    fn relu(&self, x: &Tensor) -> Result<Tensor> {
        batch_norm_relu(x, &self.scale, &self.shift)
    }

    /// `LeakyReLU(BN(x))`, the discriminator's slope.
    fn leaky(&self, x: &Tensor) -> Result<Tensor> {
        batch_norm_leaky_relu(x, &self.scale, &self.shift, SLOPE as f32)
    }

    fn frozen(&self) -> Self {
        Self {
            scale: self.scale.detach(),
            shift: self.shift.detach(),
        }
    }
}

/// A (transposed) convolution's weight and, where no batch norm follows, its bias.
#[derive(Debug, Clone)]
struct ConvLayer {
    weight: Tensor,
    bias: Option<Tensor>,
    transposed: bool,
}

impl ConvLayer {
    /// `weight` `(c_out, c_in, K, K)` for a convolution, `(c_in, c_out, K, K)` transposed.
    fn new(
        vb: VarBuilder,
        c_in: usize,
        c_out: usize,
        transposed: bool,
        bias: bool,
    ) -> Result<Self> {
        let fan_in = (if transposed { c_out } else { c_in }) * K * K;
        let bound = 1.0 / (fan_in as f64).sqrt();
        let init = candle_nn::Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let dims = if transposed {
            (c_in, c_out, K, K)
        } else {
            (c_out, c_in, K, K)
        };
        Ok(Self {
            weight: vb.get_with_hints(dims, "weight", init)?,
            bias: if bias {
                Some(vb.get_with_hints(c_out, "bias", candle_nn::Init::Const(0.0))?)
            } else {
                None
            },
            transposed,
        })
    }

    fn frozen(&self) -> Self {
        Self {
            weight: self.weight.detach(),
            bias: self.bias.as_ref().map(Tensor::detach),
            transposed: self.transposed,
        }
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let b = self.bias.as_ref();
        if self.transposed {
            conv::conv_transpose2d(x, &self.weight, b, STRIDE, PAD)
        } else {
            conv::conv2d(x, &self.weight, b, STRIDE, PAD)
        }
    }
}

/// The generator: `fc`, `bn0`, `up1` (transposed conv), `bn1`, `up2` (transposed conv).
/// Also the convolutional generator of [`super::cgan`], whose input carries the label.
#[derive(Debug, Clone)]
pub(crate) struct Generator {
    fc: Dense,
    bn0: BatchNorm,
    up1: ConvLayer,
    bn1: BatchNorm,
    up2: ConvLayer,
}

impl Generator {
    /// A generator of `input` numbers (z, and the label for the cGAN) with `C = channels`.
    pub(crate) fn new(g: VarBuilder, input: usize, channels: usize) -> Result<Self> {
        let c = channels;
        Ok(Self {
            fc: Dense::new(input, 2 * c * SEED_SIDE * SEED_SIDE, g.pp("fc"))?,
            bn0: BatchNorm::new(g.pp("bn0"), 2 * c)?,
            up1: ConvLayer::new(g.pp("up1"), 2 * c, c, true, false)?,
            bn1: BatchNorm::new(g.pp("bn1"), c)?,
            up2: ConvLayer::new(g.pp("up2"), c, 1, true, true)?,
        })
    }

    /// Images `(n, 784)` in `[0, 1]` from the input rows `(n, input)`, batch norm on this
    /// batch's statistics.
    pub(crate) fn forward(&self, input: &Tensor) -> Result<Tensor> {
        let n = input.dim(0)?;
        let c2 = self.bn0.scale.elem_count(); // 2C
        let h = self
            .fc
            .forward(input)?
            .reshape((n, c2, SEED_SIDE, SEED_SIDE))?;
        let h = h.transpose(0, 1)?.contiguous()?; // channel-major from here on
        let h = self.bn0.relu(&h)?;
        let h = self.bn1.relu(&self.up1.forward(&h)?)?;
        let out = self.up2.forward(&h)?; // (1, n, 28, 28)
        Ok(candle_nn::ops::sigmoid(&out.reshape((n, SIDE * SIDE))?)?)
    }

    pub(crate) fn frozen(&self) -> Self {
        Self {
            fc: self.fc.frozen(),
            bn0: self.bn0.frozen(),
            up1: self.up1.frozen(),
            bn1: self.bn1.frozen(),
            up2: self.up2.frozen(),
        }
    }
}

/// The discriminator: `conv1`, `conv2`, (`bn2`), (`hidden`), `fc`. Also the convolutional
/// discriminator of [`super::cgan`], with a label `embed`ding: its logit adds the inner
/// product of the label's embedding with the last features (the projection discriminator
/// of Miyato & Koyama, *cGANs with Projection Discriminator*, ICLR 2018).
#[derive(Debug, Clone)]
pub(crate) struct Discriminator {
    conv1: ConvLayer,
    conv2: ConvLayer,
    bn2: Option<BatchNorm>,
    hidden: Option<Dense>,
    fc: Dense,
    embed: Option<Dense>,
}

impl Discriminator {
    /// The discriminator of `cfg` (its `pack`, `channels`, `d_batch_norm` and
    /// `d_hidden`); with `n_classes` > 0, a label embedding `embed` (one-hot rows to the
    /// last features' width) too.
    pub(crate) fn new(d: VarBuilder, cfg: &DcganConfig, n_classes: usize) -> Result<Self> {
        let c = cfg.channels;
        let features = 2 * c * SEED_SIDE * SEED_SIDE;
        let last = if cfg.d_hidden > 0 {
            cfg.d_hidden
        } else {
            features
        };
        Ok(Self {
            embed: if n_classes > 0 {
                Some(Dense::new(n_classes, last, d.pp("embed"))?)
            } else {
                None
            },
            conv1: ConvLayer::new(d.pp("conv1"), cfg.pack, c, false, true)?,
            conv2: ConvLayer::new(d.pp("conv2"), c, 2 * c, false, !cfg.d_batch_norm)?,
            bn2: if cfg.d_batch_norm {
                Some(BatchNorm::new(d.pp("bn2"), 2 * c)?)
            } else {
                None
            },
            hidden: if cfg.d_hidden > 0 {
                Some(Dense::new(features, cfg.d_hidden, d.pp("hidden"))?)
            } else {
                None
            },
            fc: Dense::new(last, 1, d.pp("fc"))?,
        })
    }

    pub(crate) fn frozen(&self) -> Self {
        Self {
            conv1: self.conv1.frozen(),
            conv2: self.conv2.frozen(),
            bn2: self.bn2.as_ref().map(BatchNorm::frozen),
            hidden: self.hidden.as_ref().map(Dense::frozen),
            fc: self.fc.frozen(),
            embed: self.embed.as_ref().map(Dense::frozen),
        }
    }

    /// Logits `(n, 1)` of a channel-major input `(pack, n, 28, 28)`; with one-hot labels
    /// `y` `(n, n_classes)`, plus `⟨embed(y), h⟩` for the last features `h`.
    pub(crate) fn forward(&self, x: &Tensor, y: Option<&Tensor>) -> Result<Tensor> {
        let h = leaky(&self.conv1.forward(x)?)?;
        let h = self.conv2.forward(&h)?;
        let h = match &self.bn2 {
            Some(bn) => bn.leaky(&h)?,
            None => leaky(&h)?,
        };
        let n = h.dim(1)?;
        let h = h.transpose(0, 1)?.contiguous()?.reshape((n, ()))?;
        let h = match &self.hidden {
            Some(hidden) => leaky(&hidden.forward(&h)?)?,
            None => h,
        };
        let logit = self.fc.forward(&h)?;
        match (&self.embed, y) {
            (Some(embed), Some(y)) => Ok((logit + (embed.forward(y)? * &h)?.sum_keepdim(1)?)?),
            (None, None) => Ok(logit),
            _ => Err(Error::invalid(
                "the discriminator's labels",
                "labels exactly when the discriminator was built with classes",
                if y.is_some() { "labels" } else { "none" },
            )),
        }
    }

    /// The channel-major input `(pack, n / pack, 28, 28)` of images `x` `(n, 784)`:
    /// centred pixels `2x − 1`, `pack` consecutive images as the channels of one input.
    fn packed(x: &Tensor, pack: usize) -> Result<Tensor> {
        let n = check::matrix(x, "x (discriminator input)", SIDE * SIDE)?;
        let m = pack;
        if n % m != 0 || n == 0 {
            return Err(Error::invalid(
                "x (discriminator input)",
                format!("a non-empty batch whose size is a multiple of DcganConfig::pack = {m}"),
                format!("{n} rows"),
            ));
        }
        let x = d_input(x, OutputActivation::Sigmoid)?;
        let x = x.reshape((n / m, m, SIDE, SIDE))?;
        Ok(x.transpose(0, 1)?.contiguous()?)
    }
}

/// `x` `(n, 784)` shifted by up to `max_shift` pixels per image, from `rng`
/// ([`super::nn::augment::translate`]): what a discriminator sees in training.
pub(crate) fn shifted(x: &Tensor, max_shift: usize, rng: &mut StdRng) -> Result<Tensor> {
    translate(x, SIDE, max_shift, rng)
}

fn leaky(x: &Tensor) -> Result<Tensor> {
    leaky_relu(x, SLOPE)
}

/// A DCGAN: `generator` `(batch, latent) → (batch, 784)` and `discriminator`
/// `(batch, 784) → (batch / pack, 1)` logits.
#[derive(Debug, Clone)]
pub struct Dcgan {
    generator: Generator,
    discriminator: Discriminator,
    clusters: Option<Clusters>,
    cfg: DcganConfig,
}

/// The clusters of [`DcganConfig::clusters`]: `centres` `(k, 784)` and `frequency` `(k,)`,
/// the share of training digits nearest each. Variables of the model's [`VarMap`]
/// (`clusters.centres`, `clusters.frequency`), so a checkpoint carries them, but in
/// neither player's optimiser; all-zero frequencies mean not fitted yet.
#[derive(Debug, Clone)]
struct Clusters {
    centres: Tensor,
    frequency: Tensor,
}

/// How many images [`train`] draws from `p_data` to fit [`DcganConfig::clusters`], and
/// Lloyd's iterations on them.
const CLUSTER_ROWS: usize = 8192;
const CLUSTER_ITERS: usize = 20;

impl Model for Dcgan {
    type Config = DcganConfig;

    /// Builds `generator.{fc,bn0,up1,bn1,up2}` and `discriminator.{conv1,conv2,hidden,fc}`
    /// under `vb`; with clusters, `discriminator.embed` and `clusters.{centres,frequency}`
    /// too.
    fn new(vb: VarBuilder, cfg: &DcganConfig) -> Result<Self> {
        for (field, v) in [
            ("latent", cfg.latent),
            ("channels", cfg.channels),
            ("pack", cfg.pack),
        ] {
            if v == 0 {
                return Err(Error::invalid(
                    format!("DcganConfig::{field}"),
                    "at least 1",
                    0,
                ));
            }
        }
        let k = cfg.clusters;
        if k > 0 && cfg.pack != 1 {
            return Err(Error::invalid(
                "DcganConfig::pack",
                "pack 1 with DcganConfig::clusters > 0 (each image has its own cluster)",
                cfg.pack,
            ));
        }
        let g = vb.pp("generator");
        let d = vb.pp("discriminator");
        let clusters = if k > 0 {
            let vb = vb.pp("clusters");
            let zero = candle_nn::Init::Const(0.0);
            Some(Clusters {
                centres: vb.get_with_hints((k, SIDE * SIDE), "centres", zero)?,
                frequency: vb.get_with_hints(k, "frequency", zero)?,
            })
        } else {
            None
        };
        Ok(Self {
            generator: Generator::new(g, cfg.latent + k, cfg.channels)?,
            discriminator: Discriminator::new(d, cfg, k)?,
            clusters,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &DcganConfig {
        &self.cfg
    }
}

impl Dcgan {
    /// `x = G(z)`, images `(batch, 784)` in `[0, 1]` from `z` `(batch, latent)`, or with
    /// [`DcganConfig::clusters`] from `[z ‖ onehot(c)]` `(batch, latent + clusters)`. Batch
    /// norm normalises with this batch's statistics.
    ///
    /// ```
    /// use gmcourse::models::{Dcgan, DcganConfig, Model};
    /// use gmcourse::models::train::{randn, rng};
    /// let (gan, _) = Dcgan::seeded(&DcganConfig { channels: 4, ..DcganConfig::mnist() }, 0)?;
    /// let z = randn(&mut rng(0), 3, 100)?;
    /// let c = gmcourse::models::Cgan::one_hot(&gmcourse::models::cgan::labels(&[0, 5, 59])?, 60)?;
    /// let x = gan.generate(&candle_core::Tensor::cat(&[&z, &c], 1)?)?; // 60 clusters
    /// assert_eq!(x.dims(), &[3, 784]);
    /// assert!(gan.generate(&z).is_err()); // without the clusters' one-hot rows
    /// let plain = DcganConfig { channels: 4, clusters: 0, ..DcganConfig::mnist() };
    /// assert_eq!(Dcgan::seeded(&plain, 0)?.0.generate(&z)?.dims(), &[3, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn generate(&self, z: &Tensor) -> Result<Tensor> {
        check::matrix(
            z,
            "z (generator input)",
            self.cfg.latent + self.cfg.clusters,
        )?;
        self.generator.forward(z)
    }

    /// The discriminator's logits, one per `pack` consecutive images: `(n / pack, 1)`. With
    /// [`DcganConfig::clusters`], each image is judged with its nearest centre's cluster.
    ///
    /// ```
    /// use gmcourse::models::{Dcgan, DcganConfig, Model};
    /// let cfg = DcganConfig { channels: 4, pack: 2, clusters: 0, ..DcganConfig::mnist() };
    /// let (gan, _) = Dcgan::seeded(&cfg, 0)?;
    /// let x = candle_core::Tensor::zeros((6, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(gan.discriminate(&x)?.dims(), &[3, 1]);
    /// assert!(gan.discriminate(&x.narrow(0, 0, 5)?).is_err()); // 5 images, pack 2
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminate(&self, x: &Tensor) -> Result<Tensor> {
        let c = self.clusters_of(x)?;
        self.discriminator.forward(&self.packed(x)?, c.as_ref())
    }

    /// The one-hot clusters `(n, k)` of the nearest centres of images `x` `(n, 784)`;
    /// `None` without clusters.
    fn clusters_of(&self, x: &Tensor) -> Result<Option<Tensor>> {
        match &self.clusters {
            None => Ok(None),
            Some(cl) => {
                let ids = super::kmeans::assign(x, &cl.centres)?;
                Ok(Some(super::Cgan::one_hot(&ids, self.cfg.clusters)?))
            }
        }
    }

    /// The `(k, 784)` centres and the frequency `(k,)` of each cluster of
    /// [`DcganConfig::clusters`]: what [`train`] fitted on the training digits (zeros before).
    ///
    /// ```
    /// use gmcourse::models::{Dcgan, DcganConfig, Model};
    /// let cfg = DcganConfig { channels: 2, clusters: 3, ..DcganConfig::mnist() };
    /// let (gan, _) = Dcgan::seeded(&cfg, 0)?;
    /// let (centres, frequency) = gan.clusters()?;
    /// assert_eq!((centres.dims(), frequency.dims()), (&[3, 784][..], &[3][..]));
    /// let plain = DcganConfig { clusters: 0, ..cfg };
    /// assert!(Dcgan::seeded(&plain, 0)?.0.clusters().is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// A model built with `clusters: 0`.
    pub fn clusters(&self) -> Result<(Tensor, Tensor)> {
        self.clusters
            .as_ref()
            .map(|c| (c.centres.clone(), c.frequency.clone()))
            .ok_or_else(|| {
                Error::invalid(
                    "Dcgan::clusters",
                    "a model built with DcganConfig::clusters > 0",
                    "clusters: 0",
                )
            })
    }

    /// Fits the clusters of [`DcganConfig::clusters`] on the images `x` `(n, 784)` (k-means on
    /// the pixels, [`super::kmeans`]), writing them into `varmap`, the model's own. A
    /// model without clusters is left as it is. [`train`] calls it when the clusters are not
    /// fitted yet.
    pub fn fit_clusters(&self, varmap: &VarMap, x: &Tensor, rng: &mut StdRng) -> Result<()> {
        let Some(cl) = &self.clusters else {
            return Ok(());
        };
        check::matrix(x, "x (images to cluster)", SIDE * SIDE)?;
        let k = self.cfg.clusters;
        let centres = super::kmeans::fit(x, k, CLUSTER_ITERS, rng)?;
        let ids = super::kmeans::assign(x, &centres)?;
        let share = (super::Cgan::one_hot(&ids, k)?.mean(0)?).to_dtype(cl.frequency.dtype())?;
        let data = varmap
            .data()
            .lock()
            .map_err(|_| Error::invalid("varmap", "an unpoisoned lock", "a poisoned lock"))?;
        for (name, value) in [
            ("clusters.centres", &centres),
            ("clusters.frequency", &share),
        ] {
            let var = data.get(name).ok_or_else(|| {
                Error::invalid(
                    "varmap (Dcgan::fit_clusters)",
                    format!("the model's own varmap, with {name}"),
                    "a varmap without it",
                )
            })?;
            var.set(value)?;
        }
        Ok(())
    }

    /// Whether the clusters, if any, are fitted (some frequency above zero).
    fn clusters_fitted(&self) -> Result<bool> {
        match &self.clusters {
            None => Ok(true),
            Some(cl) => Ok(cl.frequency.max(0)?.to_scalar::<f32>()? > 0.0),
        }
    }

    /// The discriminator's input for images `x` `(n, 784)`: centred pixels `2x − 1`, `pack`
    /// consecutive images as the channels of one input, channel-major `(pack, n / pack,
    /// 28, 28)`.
    fn packed(&self, x: &Tensor) -> Result<Tensor> {
        Discriminator::packed(x, self.cfg.pack)
    }

    /// `n` samples `G(z)`, `z ~ N(0, I)` from `rng` (with [`DcganConfig::clusters`], a
    /// cluster per sample too, as often as in the data): `(n, 784)`.
    pub fn sample(&self, n: usize, rng: &mut StdRng) -> Result<Tensor> {
        self.generate(&self.prior(n, rng)?.0)
    }

    /// `n` inputs of the generator from `rng`: `z ~ N(0, I)`, or with clusters
    /// `[z ‖ onehot(c)]` with `c` drawn by the clusters' frequencies, whose one-hot rows are
    /// returned too.
    fn prior(&self, n: usize, rng: &mut StdRng) -> Result<(Tensor, Option<Tensor>)> {
        let z = train::randn(rng, n, self.cfg.latent)?;
        let Some(cl) = &self.clusters else {
            return Ok((z, None));
        };
        let by_share = WeightedIndex::new(cl.frequency.to_vec1::<f32>()?).map_err(|_| {
            Error::invalid(
                "Dcgan clusters",
                "fitted clusters: train the model (dcgan::train fits them) or call \
                 Dcgan::fit_clusters on the training digits first",
                "clusters never fitted",
            )
        })?;
        let c: Vec<u32> = (0..n).map(|_| by_share.sample(rng) as u32).collect();
        let k = self.cfg.clusters;
        let onehot = super::Cgan::one_hot(&Tensor::from_vec(c, n, z.device())?, k)?;
        Ok((Tensor::cat(&[&z, &onehot], 1)?, Some(onehot)))
    }

    /// The discriminator loss on real and fake images, as [`super::Gan::discriminator_loss`]
    /// (cross-entropy against [`DcganConfig::real_target`] for reals, 0 for fakes).
    pub fn discriminator_loss(&self, x_real: &Tensor, x_fake: &Tensor) -> Result<Tensor> {
        let l_real = self.discriminate(x_real)?;
        let l_fake = self.discriminate(x_fake)?;
        d_loss_from_logits(&l_real, &l_fake, self.cfg.real_target)
    }

    /// The generator loss on `z` `(batch, latent)` (with clusters `[z ‖ onehot(c)]`), per
    /// [`DcganConfig::loss`]; the discriminator's weights are frozen (no gradient reaches
    /// them).
    pub fn generator_loss(&self, z: &Tensor) -> Result<Tensor> {
        let x_fake = self.generate(z)?; // checks z's width first
        let c = match self.cfg.clusters {
            0 => None,
            k => Some(z.narrow(1, self.cfg.latent, k)?),
        };
        self.generator_loss_of(&x_fake, c.as_ref())
    }

    /// The generator loss on fakes `x_fake` that still carry the generator's graph, made
    /// from the one-hot clusters `c` (with clusters).
    fn generator_loss_of(&self, x_fake: &Tensor, c: Option<&Tensor>) -> Result<Tensor> {
        let l_fake = self
            .discriminator
            .frozen()
            .forward(&self.packed(x_fake)?, c)?;
        g_loss_from_logits(&l_fake, self.cfg.loss)
    }

    /// One step of [`train`] on the real batch `x_real`: a discriminator step against as
    /// many fakes, then a generator step on fresh `z`, both drawn from `rng` (as are the
    /// shifts of [`DcganConfig::translate`]); `opt_d` and `opt_g` hold the discriminator's
    /// and the generator's weights (see [`super::gan::gan_optimizer`]). Returns the two
    /// losses; `step` numbers the step in error messages.
    pub fn train_step(
        &self,
        opt_d: &mut FusedAdamW,
        opt_g: &mut FusedAdamW,
        x_real: &Tensor,
        rng: &mut StdRng,
        step: usize,
    ) -> Result<(f64, f64)> {
        let n = x_real.dim(0)?;
        let l_real = self.real_logits(x_real, rng)?;
        let (input, c_fake) = self.prior(n, rng)?;
        let x_fake = self.augmented(&self.generator.forward(&input)?.detach(), rng)?;
        let l_fake = self
            .discriminator
            .forward(&self.packed(&x_fake)?, c_fake.as_ref())?;
        let loss = d_loss_from_logits(&l_real, &l_fake, self.cfg.real_target)?;
        let d_loss = train::checked_step(opt_d, &loss, step)?;
        let (input, c) = self.prior(n, rng)?;
        let x_fake = self.augmented(&self.generator.forward(&input)?, rng)?;
        let loss = self.generator_loss_of(&x_fake, c.as_ref())?;
        let g_loss = train::checked_step(opt_g, &loss, step)?;
        Ok((d_loss, g_loss))
    }

    /// The discriminator's training logits of real images `x`: shifted per
    /// [`DcganConfig::translate`], and judged with the cluster of the unshifted image.
    fn real_logits(&self, x: &Tensor, rng: &mut StdRng) -> Result<Tensor> {
        let c = self.clusters_of(x)?;
        let x = self.augmented(x, rng)?;
        self.discriminator.forward(&self.packed(&x)?, c.as_ref())
    }

    /// What the discriminator sees of `x` in training: `x` shifted per
    /// [`DcganConfig::translate`].
    fn augmented(&self, x: &Tensor, rng: &mut StdRng) -> Result<Tensor> {
        shifted(x, self.cfg.translate, rng)
    }
}

/// Trains `gan` as [`super::gan::train`] does (one discriminator step on a real batch from
/// `p_data(rng, batch)` and a fake one, then one generator step; Adam with
/// [`DcganConfig::beta1`], no weight decay, learning rate `cfg.lr`); `on_step(step, gan)`
/// runs after every step (update an [`super::nn::Ema`] there). With
/// [`DcganConfig::clusters`] not fitted yet, first fits them ([`Dcgan::fit_clusters`]) on
/// 8,192 images drawn from `p_data`, before the time budget starts. Returns the
/// [`History`] with series `discriminator` and `generator`.
pub fn train(
    gan: &Dcgan,
    varmap: &VarMap,
    mut p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    cfg: &TrainConfig,
    mut on_step: impl FnMut(usize, &Dcgan) -> Result<()>,
) -> Result<History> {
    if !gan.clusters_fitted()? {
        // a stream of its own: fitting does not shift the training steps' draws
        let mut rng = train::rng(cfg.seed ^ 0x6b6d);
        gan.fit_clusters(varmap, &p_data(&mut rng, CLUSTER_ROWS)?, &mut rng)?;
    }
    let mut opt_g = gan_optimizer(varmap, "generator", cfg.lr, gan.cfg.beta1)?;
    let mut opt_d = gan_optimizer(varmap, "discriminator", cfg.lr, gan.cfg.beta1)?;
    let mut d_history = Vec::with_capacity(cfg.steps);
    let g_history = train::run(cfg, varmap, |step, rng| {
        let x_real = p_data(rng, cfg.batch_size)?;
        let (d_loss, g_loss) = gan.train_step(&mut opt_d, &mut opt_g, &x_real, rng, step)?;
        d_history.push(d_loss);
        on_step(step, gan)?;
        Ok(g_loss)
    })?;
    Ok(History::new()
        .with("discriminator", d_history)
        .with("generator", g_history))
}

/// [`train`], averaging the generator's weights after every step ([`Ema`] with
/// [`DcganConfig::ema_decay`] and warm-up), and leaving the average in `varmap` at the end:
/// the model then samples, and saves, the averaged generator. Lesson 09's recipe.
///
/// ```
/// use gmcourse::models::{dcgan, Dcgan, DcganConfig, Model, TrainConfig};
/// let cfg = DcganConfig { channels: 2, latent: 4, ..DcganConfig::mnist() };
/// let (gan, varmap) = Dcgan::seeded(&cfg, 0)?;
/// let digits = gmcourse::models::train::rand_uniform(&mut gmcourse::models::train::rng(0), 8, 784)?;
/// let tc = TrainConfig { steps: 2, batch_size: 4, lr: 1e-3, log_every: 0, ..Default::default() };
/// let history = dcgan::train_averaged(&gan, &varmap,
///     |rng, n| gmcourse::models::train::random_batch(&digits, n, rng), &tc)?;
/// assert_eq!(history.len(), 2);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_averaged(
    gan: &Dcgan,
    varmap: &VarMap,
    p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    cfg: &TrainConfig,
) -> Result<History> {
    let mut ema = Ema::new(varmap, "generator", gan.cfg.ema_decay)?.with_warmup();
    let history = train(gan, varmap, p_data, cfg, |_, _| ema.update())?;
    ema.swap()?;
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::DType;

    fn small() -> DcganConfig {
        DcganConfig {
            channels: 4,
            latent: 8,
            pack: 2,
            d_hidden: 5,
            clusters: 0,
            ..DcganConfig::mnist()
        }
    }

    #[test]
    fn shapes_ranges_and_parameter_names() {
        let (gan, varmap) = Dcgan::seeded(&small(), 0).unwrap();
        let x = gan.sample(6, &mut train::rng(1)).unwrap();
        assert_eq!(x.dims(), &[6, 784]);
        let v = x.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert!(v.iter().all(|&p| (0.0..=1.0).contains(&p)));
        // not a constant image: the generator's maps carry z through
        let spread = v.iter().fold(0f32, |m, &p| m.max(p)) - v.iter().fold(1f32, |m, &p| m.min(p));
        assert!(spread > 0.01, "{spread}");
        assert_eq!(gan.discriminate(&x).unwrap().dims(), &[3, 1]);
        let names: Vec<String> = train::sorted_vars(&varmap)
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            names,
            [
                "discriminator.conv1.bias",
                "discriminator.conv1.weight",
                "discriminator.conv2.bias",
                "discriminator.conv2.weight",
                "discriminator.fc.bias",
                "discriminator.fc.weight",
                "discriminator.hidden.bias",
                "discriminator.hidden.weight",
                "generator.bn0.scale",
                "generator.bn0.shift",
                "generator.bn1.scale",
                "generator.bn1.shift",
                "generator.fc.bias",
                "generator.fc.weight",
                "generator.up1.weight",
                "generator.up2.bias",
                "generator.up2.weight",
            ]
        );
        let w = varmap.data().lock().unwrap()["generator.up1.weight"]
            .dims()
            .to_vec();
        assert_eq!(w, [8, 4, 4, 4]); // (C_in = 2C, C_out = C, 4, 4), PyTorch's layout
    }

    #[test]
    fn the_generator_step_leaves_the_discriminator_alone_and_reaches_every_generator_weight() {
        let with_bn = DcganConfig {
            d_batch_norm: true,
            translate: 2,
            ..small()
        };
        for cfg in [small(), with_bn] {
            let (gan, varmap) = Dcgan::seeded(&cfg, 0).unwrap();
            let mut rng = train::rng(1);
            let z = train::randn(&mut rng, 4, 8).unwrap();
            // through the shift, as in `train`
            let x_fake = gan.augmented(&gan.generate(&z).unwrap(), &mut rng).unwrap();
            let grads = gan
                .generator_loss_of(&x_fake, None)
                .unwrap()
                .backward()
                .unwrap();
            let names: Vec<String> = train::sorted_vars(&varmap)
                .unwrap()
                .into_iter()
                .map(|(name, var)| {
                    let has = grads.get(var.as_tensor()).is_some();
                    assert_eq!(has, name.starts_with("generator"), "{name}");
                    name
                })
                .collect();
            // batch norm in D replaces conv2's bias
            let bn = names.iter().any(|n| n == "discriminator.bn2.scale");
            let bias = names.iter().any(|n| n == "discriminator.conv2.bias");
            assert_eq!((bn, bias), (cfg.d_batch_norm, !cfg.d_batch_norm));
        }
    }

    #[test]
    fn packing_pairs_consecutive_images_and_rejects_odd_batches() {
        let (gan, _) = Dcgan::seeded(&small(), 0).unwrap();
        let x = train::rand_uniform(&mut train::rng(0), 4, 784).unwrap();
        // swapping the images of one pack changes its logit; swapping packs swaps the logits
        let l = gan.discriminate(&x).unwrap().to_vec2::<f32>().unwrap();
        let swapped =
            Tensor::cat(&[x.narrow(0, 2, 2).unwrap(), x.narrow(0, 0, 2).unwrap()], 0).unwrap();
        let ls = gan
            .discriminate(&swapped)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert!((l[0][0] - ls[1][0]).abs() < 1e-5 && (l[1][0] - ls[0][0]).abs() < 1e-5);
        let e = gan
            .discriminate(&x.narrow(0, 0, 3).unwrap())
            .unwrap_err()
            .to_string();
        assert!(e.contains("pack"), "{e}");
        assert!(
            Dcgan::seeded(
                &DcganConfig {
                    channels: 0,
                    ..small()
                },
                0
            )
            .is_err()
        );
    }

    /// 24 images of three kinds, in shares 1/2, 1/3 and 1/6: top rows lit, bottom rows
    /// lit, blank; slight noise. The kind of image `i` is [`kind`]`(i)`.
    fn three_kinds() -> Tensor {
        let noise = train::rand_uniform(&mut train::rng(5), 24, 784).unwrap();
        let mut v = (noise * 0.05).unwrap().to_vec2::<f32>().unwrap();
        for (i, row) in v.iter_mut().enumerate() {
            match kind(i) {
                0 => row[..300].iter_mut().for_each(|p| *p = 1.0),
                1 => row[484..].iter_mut().for_each(|p| *p = 1.0),
                _ => {}
            }
        }
        Tensor::new(v, &candle_core::Device::Cpu).unwrap()
    }

    fn kind(i: usize) -> usize {
        [0, 0, 0, 1, 1, 2][i % 6]
    }

    #[test]
    fn clusters_are_fitted_by_train_and_both_players_are_told_them() {
        let cfg = DcganConfig {
            clusters: 3,
            pack: 1,
            ..small()
        };
        let (gan, varmap) = Dcgan::seeded(&cfg, 0).unwrap();
        // not fitted: sampling says what to do
        let e = gan.sample(4, &mut train::rng(0)).unwrap_err().to_string();
        assert!(e.contains("fit_clusters"), "{e}");
        let x = three_kinds();
        let tc = TrainConfig {
            steps: 2,
            batch_size: 6,
            lr: 1e-3,
            log_every: 0,
            ..Default::default()
        };
        let run = || {
            train(
                &gan,
                &varmap,
                |rng, n| train::random_batch(&x, n, rng),
                &tc,
                |_, _| Ok(()),
            )
            .unwrap()
        };
        run();
        let (centres, frequency) = gan.clusters().unwrap();
        let ids = super::super::kmeans::assign(&x, &centres)
            .unwrap()
            .to_vec1::<u32>()
            .unwrap();
        // one cluster per kind, and each cluster's frequency is its kind's share
        let first = [ids[0], ids[3], ids[5]];
        assert!(
            first[0] != first[1] && first[1] != first[2] && first[0] != first[2],
            "{ids:?}"
        );
        assert!(
            ids.iter().enumerate().all(|(i, &c)| c == first[kind(i)]),
            "{ids:?}"
        );
        let p = frequency.to_vec1::<f32>().unwrap();
        for (k, share) in [0.5, 1.0 / 3.0, 1.0 / 6.0].into_iter().enumerate() {
            assert!((p[first[k] as usize] - share).abs() < 0.05, "{p:?}");
        }
        // the generator's clusters are drawn by those frequencies
        let (_, c) = gan.prior(3000, &mut train::rng(9)).unwrap();
        let drawn = c.unwrap().mean(0).unwrap().to_vec1::<f32>().unwrap();
        for (q, d) in p.iter().zip(&drawn) {
            assert!((q - d).abs() < 0.03, "{p:?} vs {drawn:?}");
        }
        // training moved neither the centres nor the frequencies (no optimiser holds them)
        let before = centres.to_vec2::<f32>().unwrap();
        run();
        assert_eq!(gan.clusters().unwrap().0.to_vec2::<f32>().unwrap(), before);
        // the generator reads the cluster: the same z with another cluster draws another image
        let z = train::randn(&mut train::rng(2), 4, cfg.latent).unwrap();
        let with = |c: u32| {
            let labels = crate::models::cgan::labels(&[c; 4]).unwrap();
            let onehot = crate::models::Cgan::one_hot(&labels, 3).unwrap();
            Tensor::cat(&[&z, &onehot], 1).unwrap()
        };
        let (a, b) = (
            gan.generate(&with(0)).unwrap(),
            gan.generate(&with(1)).unwrap(),
        );
        let diff = (a - &b)
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!(diff > 1e-4, "{diff}");
        // the discriminator reads it: one image judged as of two clusters gets two logits
        let img = gan.packed(&b).unwrap();
        let l0 = gan
            .discriminator
            .forward(&img, Some(&with(0).narrow(1, cfg.latent, 3).unwrap()))
            .unwrap();
        let l1 = gan
            .discriminator
            .forward(&img, Some(&with(1).narrow(1, cfg.latent, 3).unwrap()))
            .unwrap();
        let diff = (l0 - l1)
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap();
        assert!(diff > 1e-6, "{diff}");
        // z without the clusters' columns is refused by name
        let e = gan.generator_loss(&z).unwrap_err().to_string();
        assert!(e.contains("z (generator input)"), "{e}");
        // the generator's loss reaches every generator weight and nothing else
        let grads = gan.generator_loss(&with(2)).unwrap().backward().unwrap();
        for (name, var) in train::sorted_vars(&varmap).unwrap() {
            let has = grads.get(var.as_tensor()).is_some();
            assert_eq!(has, name.starts_with("generator"), "{name}");
        }
        // in training, a real digit is judged with its own cluster, as by `discriminate`
        let unshifted = Dcgan {
            cfg: DcganConfig {
                translate: 0,
                ..cfg.clone()
            },
            ..gan.clone()
        };
        crate::testing::assert_tensors_close(
            &unshifted.real_logits(&x, &mut train::rng(4)).unwrap(),
            &gan.discriminate(&x).unwrap(),
            1e-6,
        );
        // samples after fitting, and a refusal of packs
        assert_eq!(gan.sample(5, &mut train::rng(3)).unwrap().dims(), &[5, 784]);
        let e = Dcgan::seeded(&DcganConfig { pack: 2, ..cfg }, 0)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("pack"), "{e}");
    }

    #[test]
    fn a_few_seeded_discriminator_steps_lower_its_loss() {
        // fixed real and fake batches: D alone must learn to tell them apart
        let (gan, varmap) = Dcgan::seeded(&small(), 0).unwrap();
        let mut rng = train::rng(3);
        let x_real = train::rand_uniform(&mut rng, 16, 784)
            .unwrap()
            .lt(0.13)
            .unwrap()
            .to_dtype(DType::F32)
            .unwrap();
        let x_fake = gan.sample(16, &mut rng).unwrap().detach();
        let mut opt = gan_optimizer(&varmap, "discriminator", 2e-3, 0.5).unwrap();
        let loss = |g: &Dcgan| g.discriminator_loss(&x_real, &x_fake).unwrap();
        let first = loss(&gan).to_scalar::<f32>().unwrap();
        for step in 0..20 {
            train::checked_step(&mut opt, &loss(&gan), step).unwrap();
        }
        let last = loss(&gan).to_scalar::<f32>().unwrap();
        assert!(last < first - 0.3, "{first} → {last}");
    }
}
