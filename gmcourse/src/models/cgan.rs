//! The conditional GAN (Mirza & Osindero, *Conditional Generative Adversarial Nets*, 2014;
//! lecture note 004, curriculum H7–H8): the label `y`, one-hot, is concatenated to the
//! input of both networks, so that the generator can be asked for a given class:
//!
//! ```text
//! min_G max_D E_{x,y}[log D(x, y)] + E_{z,y}[log(1 - D(G(z, y), y))]
//! G: [z, onehot(y)] → x        D: [x, onehot(y)] → logit
//! ```

use candle_core::{Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::Rng;
use rand::rngs::StdRng;

use super::Model;
use super::classifier::check_labels;
use super::gan::{
    GeneratorLoss, OutputActivation, d_input, d_loss_from_logits, g_loss_from_logits, gan_optimizer,
};
use super::nn::{Activation, Mlp};
use super::train::{self, History, TrainConfig};
use crate::check;
use crate::{Error, Result};

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
    /// Hidden sizes of the generator.
    pub g_hidden: Vec<usize>,
    /// Hidden sizes of the discriminator.
    pub d_hidden: Vec<usize>,
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

impl Default for CganConfig {
    fn default() -> Self {
        Self {
            data_dim: 784,
            latent: 100,
            n_classes: 10,
            g_hidden: vec![256, 512],
            d_hidden: vec![512, 256],
            output: OutputActivation::Sigmoid,
            loss: GeneratorLoss::NonSaturating,
            beta1: 0.5,
            real_target: 0.9,
        }
    }
}

/// A conditional GAN, `generator.fc*` and `discriminator.fc*`.
#[derive(Debug, Clone)]
pub struct Cgan {
    generator: Mlp,
    discriminator: Mlp,
    cfg: CganConfig,
}

/// `(n, n_classes)` one-hot rows of `labels`.
///
/// ```
/// let y = gmcourse::models::cgan::one_hot(&[2, 0], 3)?;
/// assert_eq!(y.to_vec2::<f32>()?, vec![vec![0.0, 0.0, 1.0], vec![1.0, 0.0, 0.0]]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn one_hot(labels: &[u32], n_classes: usize) -> Result<Tensor> {
    check_labels(labels, labels.len(), n_classes)?;
    let mut v = vec![0f32; labels.len() * n_classes];
    for (i, &y) in labels.iter().enumerate() {
        v[i * n_classes + y as usize] = 1.0;
    }
    Ok(Tensor::from_vec(
        v,
        (labels.len(), n_classes),
        &Device::Cpu,
    )?)
}

impl Model for Cgan {
    type Config = CganConfig;

    /// Builds the two networks under `vb`.
    fn new(vb: VarBuilder, cfg: &CganConfig) -> Result<Self> {
        if cfg.n_classes < 2 {
            return Err(Error::invalid(
                "CganConfig::n_classes",
                "at least 2",
                cfg.n_classes,
            ));
        }
        let g_sizes = Mlp::sizes(cfg.latent + cfg.n_classes, &cfg.g_hidden, cfg.data_dim);
        let d_sizes = Mlp::sizes(cfg.data_dim + cfg.n_classes, &cfg.d_hidden, 1);
        Ok(Self {
            generator: Mlp::new(vb.pp("generator"), &g_sizes, Activation::LeakyRelu(0.2))?,
            discriminator: Mlp::new(vb.pp("discriminator"), &d_sizes, Activation::LeakyRelu(0.2))?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &CganConfig {
        &self.cfg
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
        let n = check::matrix(z, "z (generator input)", self.cfg.latent)?;
        check_labels(labels, n, self.cfg.n_classes)?;
        let input = Tensor::cat(&[z, &one_hot(labels, self.cfg.n_classes)?], 1)?;
        let out = self.generator.forward(&input)?;
        Ok(match self.cfg.output {
            OutputActivation::Linear => out,
            OutputActivation::Sigmoid => candle_nn::ops::sigmoid(&out)?,
        })
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
        self.discriminator.forward(&self.d_net_input(x, labels)?)
    }

    /// What the discriminator network is fed: `[d_input(x) ‖ onehot(y)]`.
    fn d_net_input(&self, x: &Tensor, labels: &[u32]) -> Result<Tensor> {
        let n = check::matrix(x, "x (discriminator input)", self.cfg.data_dim)?;
        check_labels(labels, n, self.cfg.n_classes)?;
        let x = d_input(x, self.cfg.output)?;
        Ok(Tensor::cat(
            &[&x, &one_hot(labels, self.cfg.n_classes)?],
            1,
        )?)
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
        let z = train::randn(rng, labels.len(), self.cfg.latent)?;
        self.generate(&z, labels)
    }
}

/// Trains `cgan` on `data` `(n, data_dim)` with `labels`; each step draws a batch of
/// real pairs, fakes for random labels, one discriminator and one generator step. Returns
/// the generator losses.
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
/// let cfg = CganConfig { data_dim: 2, latent: 2, n_classes: 2, g_hidden: vec![8], d_hidden: vec![8], output: OutputActivation::Linear, ..Default::default() };
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
    let n = check::matrix(data, "data (cGAN training set)", cgan.cfg.data_dim)?;
    check_labels(labels, n, cgan.cfg.n_classes)?;
    let mut opt_g = gan_optimizer(
        train::vars_with_prefix(varmap, "generator")?,
        cfg.lr,
        cgan.cfg.beta1,
    )?;
    let mut opt_d = gan_optimizer(
        train::vars_with_prefix(varmap, "discriminator")?,
        cfg.lr,
        cgan.cfg.beta1,
    )?;
    let k = cgan.cfg.n_classes as u32;
    let losses = train::run(cfg, varmap, |step, rng| {
        let idx: Vec<u32> = (0..cfg.batch_size)
            .map(|_| rng.random_range(0..n as u32))
            .collect();
        let x_real = train::select_rows(data, &idx)?;
        let y_real: Vec<u32> = idx.iter().map(|&i| labels[i as usize]).collect();
        let y_fake: Vec<u32> = (0..cfg.batch_size)
            .map(|_| rng.random_range(0..k))
            .collect();
        let x_fake = cgan.sample(&y_fake, rng)?.detach();
        // every real digit also comes with a wrong label, which D must call fake
        let y_wrong: Vec<u32> = y_real
            .iter()
            .map(|&y| (y + rng.random_range(1..k)) % k)
            .collect();
        let l_real = cgan.discriminate(&x_real, &y_real)?;
        let l_fake = cgan.discriminate(&x_fake, &y_fake)?;
        let l_wrong = cgan.discriminate(&x_real, &y_wrong)?;
        // ½ on each kind of negative keeps the real and negative sides in balance
        let negatives = Tensor::cat(&[&l_fake, &l_wrong], 0)?;
        let d_loss = d_loss_from_logits(&l_real, &negatives, cgan.cfg.real_target)?;
        train::checked_step(&mut opt_d, &d_loss, step)?;
        let y_gen: Vec<u32> = (0..cfg.batch_size)
            .map(|_| rng.random_range(0..k))
            .collect();
        // D's weights are frozen for the generator step
        let x_gen = cgan.sample(&y_gen, rng)?;
        let l_gen = cgan
            .discriminator
            .frozen()
            .forward(&cgan.d_net_input(&x_gen, &y_gen)?)?;
        let g_loss = g_loss_from_logits(&l_gen, cgan.cfg.loss)?;
        train::checked_step(&mut opt_g, &g_loss, step)
    })?;
    Ok(History::from_losses(losses))
}
