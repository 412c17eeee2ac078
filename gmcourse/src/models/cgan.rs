//! The conditional GAN (Mirza & Osindero, *Conditional Generative Adversarial Nets*, 2014;
//! lecture note 004, curriculum H7–H8): the label `y`, one-hot, is concatenated to the
//! input of both networks, so that the generator can be asked for a given class:
//!
//! ```text
//! min_G max_D E_{x,y}[log D(x, y)] + E_{z,y}[log(1 - D(G(z, y), y))]
//! G: [z, onehot(y)] → x        D: [x, onehot(y)] → logit
//! ```
//!
//! The networks ([`Players`]) are fully connected, or, for digits and by default, the
//! DCGAN's ([`super::dcgan`]): the generator reads `[z, onehot(y)]` in its first dense
//! layer; the discriminator's convolutions read the image and the label enters as a
//! projection, `logit = w·h(x) + b + ⟨e_y, h(x)⟩` for the last features `h(x)` and a
//! learned vector `e_y` per class (Miyato & Koyama, *cGANs with Projection
//! Discriminator*, 2018). Concatenated to `h(x)` instead, the label was still ignored after
//! 30 s of training (12 % label agreement); projected, it is followed 98 % of the time
//! (`bench/README.md`, "Conditional DCGAN").
//!
//! In lesson 10 the student writes this model's conditioning and its matching-aware
//! discriminator loss (`exercises/src/l10_conditional_gan.rs`) on the plumbing of
//! `cgan/lesson.rs`: [`Nets`] (the two networks, named as this model's, a forward pass
//! each on an already conditioned input), [`Fns`] (the student's functions),
//! [`train_with`] (the course's loop, the same as [`train`]'s) and [`train_yours`] (the
//! notebook's cell, with the reference in place of each unfinished exercise). The
//! reference answers are associated functions of [`Cgan`] ([`Cgan::fns`],
//! [`Cgan::one_hot`], [`Cgan::mismatched_labels`], …), a name lesson 10 forbids.

mod lesson;

pub use lesson::{
    ConditionedInputFn, DiscriminatorLossFn, Fns, MismatchedLabelsFn, Nets, OneHotFn, Trained,
    train_with, train_yours,
};

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::rngs::StdRng;

use super::Model;
use super::classifier::check_labels;
use super::gan::{GeneratorLoss, OutputActivation};
use super::nn;
use super::train::{self, History, TrainConfig};
use crate::check;
use crate::{Error, Result};

/// The two networks of a [`Cgan`], each reading the label beside its usual input.
#[derive(Debug, Clone, PartialEq)]
pub enum Players {
    /// Fully connected networks with LeakyReLU(0.2) and these hidden sizes, on
    /// `[z ‖ onehot(y)]` and `[x ‖ onehot(y)]`.
    Mlp {
        /// Hidden sizes of the generator.
        g_hidden: Vec<usize>,
        /// Hidden sizes of the discriminator.
        d_hidden: Vec<usize>,
    },
    /// The DCGAN's convolutional networks ([`super::Dcgan`], 28×28 images): the generator
    /// reads `[z ‖ onehot(y)]`, the discriminator's convolutions read the image and its
    /// dense layers the flattened last map beside `onehot(y)`.
    Conv {
        /// `C` of [`super::DcganConfig::channels`].
        channels: usize,
        /// Width of the discriminator's hidden dense layer
        /// ([`super::DcganConfig::d_hidden`]).
        d_hidden: usize,
        /// In training, the discriminator sees every image shifted by up to this many
        /// pixels ([`super::DcganConfig::translate`]).
        translate: usize,
    },
}

/// Sizes and options of a [`Cgan`].
///
/// ```
/// let cfg = gmcourse::models::CganConfig::default();
/// assert_eq!((cfg.data_dim, cfg.n_classes), (784, 10));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CganConfig {
    /// Size of x.
    pub data_dim: usize,
    /// Size of z.
    pub latent: usize,
    /// Number of classes of y.
    pub n_classes: usize,
    /// The networks.
    pub players: Players,
    /// The generator's last activation.
    pub output: OutputActivation,
    /// The generator's loss.
    pub loss: GeneratorLoss,
    /// Adam's β1.
    pub beta1: f64,
    /// The discriminator's target for real pairs (0.9: one-sided label smoothing, see
    /// [`GanConfig::real_target`](super::GanConfig::real_target)).
    pub real_target: f64,
}

impl CganConfig {
    /// 2-D data with `n_classes` labels, such as the ring of Gaussians labelled by mode:
    /// `2 + k → 64 → 64 → 2` (linear output) and `2 + k → 64 → 64 → 1`.
    ///
    /// ```
    /// let cfg = gmcourse::models::CganConfig::toy_2d(4);
    /// assert_eq!((cfg.data_dim, cfg.latent, cfg.n_classes), (2, 2, 4));
    /// ```
    pub fn toy_2d(n_classes: usize) -> Self {
        Self {
            data_dim: 2,
            latent: 2,
            n_classes,
            players: Players::Mlp {
                g_hidden: vec![64, 64],
                d_hidden: vec![64, 64],
            },
            output: OutputActivation::Linear,
            ..Self::default()
        }
    }

    /// MNIST with fully connected networks, `110 → 256 → 512 → 784` and
    /// `794 → 512 → 256 → 1`: lesson 10's cGAN before the DCGAN's players replaced them.
    ///
    /// ```
    /// let cfg = gmcourse::models::CganConfig::mlp();
    /// assert!(matches!(cfg.players, gmcourse::models::cgan::Players::Mlp { .. }));
    /// ```
    pub fn mlp() -> Self {
        Self {
            players: Players::Mlp {
                g_hidden: vec![256, 512],
                d_hidden: vec![512, 256],
            },
            ..Self::default()
        }
    }
}

impl Default for CganConfig {
    /// MNIST (784 pixels, 10 labels, latent 100) with the DCGAN's players at `C = 32`, a
    /// hidden layer of 256 in D and shifts of up to 2 pixels ([`super::DcganConfig::mnist`]).
    fn default() -> Self {
        let dcgan = super::DcganConfig::mnist();
        Self {
            data_dim: 784,
            latent: dcgan.latent,
            n_classes: 10,
            players: Players::Conv {
                channels: dcgan.channels,
                d_hidden: dcgan.d_hidden,
                translate: dcgan.translate,
            },
            output: OutputActivation::Sigmoid,
            loss: GeneratorLoss::NonSaturating,
            beta1: 0.5,
            real_target: 0.9,
        }
    }
}

/// A conditional GAN: its networks ([`Nets`]) and the conditioning of exercises 10.1–10.2.
#[derive(Debug, Clone)]
pub struct Cgan {
    nets: Nets,
}

/// `labels` as the u32 tensor `(n,)` the lesson's functions take.
///
/// ```
/// let y = gmcourse::models::cgan::labels(&[2, 0])?;
/// assert_eq!((y.dims(), y.dtype()), (&[2][..], candle_core::DType::U32));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn labels(labels: &[u32]) -> Result<Tensor> {
    Ok(Tensor::new(labels, &Device::Cpu)?)
}

/// The class indices of a u32 label tensor `(n,)`, each checked to be below `n_classes`.
pub(crate) fn label_values(labels: &Tensor, n_classes: usize) -> Result<Vec<u32>> {
    if labels.rank() != 1 || labels.dtype() != DType::U32 {
        return Err(Error::shape(
            "labels",
            "a u32 tensor (n,) of class indices",
            format!("a {:?} tensor {:?}", labels.dtype(), labels.dims()),
        ));
    }
    let values = labels.to_vec1::<u32>()?;
    check_labels(&values, values.len(), n_classes)?;
    Ok(values)
}

impl Model for Cgan {
    type Config = CganConfig;

    /// Builds the two networks under `vb`: `generator.*` and `discriminator.*` ([`Nets`]).
    fn new(vb: VarBuilder, cfg: &CganConfig) -> Result<Self> {
        Ok(Self {
            nets: Nets::new(vb, cfg)?,
        })
    }

    fn config(&self) -> &CganConfig {
        self.nets.config()
    }
}

impl Cgan {
    /// `x = G(z, y)`, `(batch, data_dim)`, from `z` `(batch, latent)` and one label per row.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (c, _) = gmcourse::models::Cgan::seeded(&Default::default(), 0)?;
    /// let z = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 2, 100)?;
    /// assert_eq!(c.generate(&z, &[3, 7])?.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn generate(&self, z: &Tensor, labels: &[u32]) -> Result<Tensor> {
        let cfg = self.nets.config();
        let n = check::matrix(z, "z (generator input)", cfg.latent)?;
        check_labels(labels, n, cfg.n_classes)?;
        let y = Self::one_hot(&self::labels(labels)?, cfg.n_classes)?;
        self.nets.generate(&Self::conditioned_input(z, &y)?)
    }

    /// The discriminator logit `(batch, 1)` of `x` paired with `labels`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (c, _) = gmcourse::models::Cgan::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(c.discriminate(&x, &[0, 1])?.dims(), &[2, 1]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminate(&self, x: &Tensor, labels: &[u32]) -> Result<Tensor> {
        let cfg = self.nets.config();
        let n = check::matrix(x, "x (discriminator input)", cfg.data_dim)?;
        check_labels(labels, n, cfg.n_classes)?;
        let y = Self::one_hot(&self::labels(labels)?, cfg.n_classes)?;
        self.nets
            .discriminate(&Self::conditioned_input(&self.nets.centred(x)?, &y)?)
    }

    /// One sample per label, `(labels.len(), data_dim)`, with `z ~ N(0, I)` from `rng`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (c, _) = gmcourse::models::Cgan::seeded(&Default::default(), 0)?;
    /// let x = c.sample(&[0, 1, 2], &mut gmcourse::models::train::rng(0))?;
    /// assert_eq!(x.dims(), &[3, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, labels: &[u32], rng: &mut StdRng) -> Result<Tensor> {
        let z = train::randn(rng, labels.len(), self.nets.config().latent)?;
        self.generate(&z, labels)
    }
}

/// The reference answers of lesson 10's exercises, on the student's signatures ([`Fns`]).
/// `Cgan` is a forbidden name in lesson 10, so a submission cannot call them; the
/// notebook's fallback ([`Fns::or_reference`]), [`train`] and the hidden tests do.
impl Cgan {
    /// The reference [`Fns`]: exercises 10.1 to 10.4.
    pub fn fns() -> Fns {
        Fns {
            one_hot: Self::one_hot,
            conditioned_input: Self::conditioned_input,
            mismatched_labels: Self::mismatched_labels,
            discriminator_loss: Self::discriminator_loss_of_logits,
        }
    }

    /// Exercise 10.1: the one-hot rows `(n, n_classes)`, f32, of the u32 labels `(n,)`.
    ///
    /// ```
    /// use gmcourse::models::{Cgan, cgan};
    /// let y = Cgan::one_hot(&cgan::labels(&[2, 0])?, 3)?;
    /// assert_eq!(y.to_vec2::<f32>()?, vec![vec![0.0, 0.0, 1.0], vec![1.0, 0.0, 0.0]]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// Labels that are not a u32 vector, or a label of `n_classes` or more.
    pub fn one_hot(labels: &Tensor, n_classes: usize) -> Result<Tensor> {
        label_values(labels, n_classes)?;
        let classes = Tensor::arange(0u32, n_classes as u32, labels.device())?;
        Ok(labels
            .unsqueeze(1)?
            .broadcast_eq(&classes.unsqueeze(0)?)?
            .to_dtype(DType::F32)?)
    }

    /// Exercise 10.2: `[v ‖ y_one_hot]`, the rows side by side, `(n, width + n_classes)`.
    ///
    /// ```
    /// use gmcourse::models::Cgan;
    /// let v = candle_core::Tensor::new(&[[0.5f32, -1.0]], &candle_core::Device::Cpu)?;
    /// let y = candle_core::Tensor::new(&[[0f32, 1.0, 0.0]], &candle_core::Device::Cpu)?;
    /// assert_eq!(Cgan::conditioned_input(&v, &y)?.to_vec2::<f32>()?, vec![vec![0.5, -1.0, 0.0, 1.0, 0.0]]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditioned_input(v: &Tensor, y_one_hot: &Tensor) -> Result<Tensor> {
        Ok(Tensor::cat(&[v, y_one_hot], 1)?)
    }

    /// Exercise 10.3: a wrong label for each label, uniformly among the `n_classes − 1`
    /// others, from one uniform number `u` in `[0, 1)` per row:
    /// `(y + 1 + ⌊u (K − 1)⌋) mod K`, u32 `(n,)`.
    ///
    /// ```
    /// use gmcourse::models::{Cgan, cgan};
    /// let u = candle_core::Tensor::new(&[0.0f32, 0.99], &candle_core::Device::Cpu)?;
    /// let wrong = Cgan::mismatched_labels(&cgan::labels(&[3, 3])?, &u, 4)?;
    /// assert_eq!(wrong.to_vec1::<u32>()?, vec![0, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mismatched_labels(labels: &Tensor, u: &Tensor, n_classes: usize) -> Result<Tensor> {
        let k = n_classes as f64;
        // a shift of 1 ..= K − 1 classes, each equally likely
        let shift = ((u.to_dtype(DType::F32)? * (k - 1.0))?
            .floor()?
            .clamp(0.0, k - 2.0)?
            + 1.0)?;
        let s = (labels.to_dtype(DType::F32)? + shift)?;
        let wrapped = (s.ge(k)?.to_dtype(DType::F32)? * k)?;
        Ok((s - wrapped)?.to_dtype(DType::U32)?)
    }

    /// Exercise 10.4: the matching-aware discriminator loss (GAN-CLS, Reed et al. 2016):
    /// `mean[t·softplus(−l_real) + (1 − t)·softplus(l_real)]` for the real pairs plus
    /// `½(mean softplus(l_wrong) + mean softplus(l_fake))` for the two kinds of negative,
    /// a scalar, finite for any logit.
    ///
    /// ```
    /// use gmcourse::models::Cgan;
    /// let zero = candle_core::Tensor::zeros((4, 1), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let loss = Cgan::discriminator_loss_of_logits(&zero, &zero, &zero, 1.0)?.to_scalar::<f32>()?;
    /// gmcourse::testing::assert_close(loss as f64, 2.0 * 2f64.ln(), 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminator_loss_of_logits(
        l_real: &Tensor,
        l_wrong: &Tensor,
        l_fake: &Tensor,
        real_target: f64,
    ) -> Result<Tensor> {
        let t = real_target;
        let real = ((nn::softplus(&l_real.neg()?)?.mean_all()? * t)?
            + (nn::softplus(l_real)?.mean_all()? * (1.0 - t))?)?;
        let negatives = (nn::softplus(l_wrong)?.mean_all()? + nn::softplus(l_fake)?.mean_all()?)?;
        Ok((real + (negatives * 0.5)?)?)
    }

    /// Exercise 10.5: the fraction of rows of `class_probs` `(n, k)` whose most probable
    /// class (the first on ties) is the row's label (u32 `(n,)`).
    ///
    /// ```
    /// use gmcourse::models::{Cgan, cgan};
    /// let p = candle_core::Tensor::new(&[[0.8f32, 0.2], [0.5, 0.5]], &candle_core::Device::Cpu)?;
    /// assert_eq!(Cgan::label_agreement(&p, &cgan::labels(&[0, 1])?)?, 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn label_agreement(class_probs: &Tensor, labels: &Tensor) -> Result<f64> {
        Ok(class_probs
            .argmax(1)?
            .eq(labels)?
            .to_dtype(DType::F64)?
            .mean_all()?
            .to_scalar::<f64>()?)
    }
}

/// Trains `cgan` on `data` `(n, data_dim)` with `labels`; each step draws a batch of
/// real pairs, fakes for random labels, one discriminator and one generator step. Returns
/// the generator losses. It is [`train_with`] with the reference functions ([`Cgan::fns`]).
///
/// The discriminator is *matching-aware* (Reed et al., *Generative Adversarial
/// Text-to-Image Synthesis*, 2016): besides fakes, it is shown real digits paired with a
/// wrong label and must reject them too,
/// `L_D = −log D(x, y) − ½[log(1 − D(G(z, y'), y')) + log(1 − D(x, y_wrong))]`.
/// A plain cGAN discriminator can win for a long time by judging the image alone, so the
/// generator learns to ignore `y`; the mismatched pairs make the label matter from the
/// first steps.
///
/// ```
/// use gmcourse::models::Model;
/// use gmcourse::models::{cgan, gan::OutputActivation, Cgan, CganConfig, TrainConfig};
/// let players = cgan::Players::Mlp { g_hidden: vec![8], d_hidden: vec![8] };
/// let cfg = CganConfig { data_dim: 2, latent: 2, n_classes: 2, players, output: OutputActivation::Linear, ..Default::default() };
/// let (c, varmap) = Cgan::seeded(&cfg, 0)?;
/// let x = candle_core::Tensor::new(&[[1f32, 0.], [0., 1.]], &candle_core::Device::Cpu)?;
/// let tc = TrainConfig { steps: 3, batch_size: 4, log_every: 0, ..Default::default() };
/// assert_eq!(cgan::train(&c, &varmap, &x, &[0, 1], &tc)?.len(), 3);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(
    cgan: &Cgan,
    varmap: &VarMap,
    data: &Tensor,
    labels: &[u32],
    cfg: &TrainConfig,
) -> Result<History> {
    let nets = Nets::on(varmap, cgan.config())?;
    let history = train_with(
        &Cgan::fns(),
        &nets,
        varmap,
        data,
        &self::labels(labels)?,
        cfg,
    )?;
    Ok(History::from_losses(history.series("generator")?.to_vec()))
}
