//! The generative adversarial network (Goodfellow et al., *Generative Adversarial Nets*,
//! NeurIPS 2014; lecture note 004, curriculum H1–H4), with MLP generator and
//! discriminator for 1-D and 2-D toy data and for MNIST.
//!
//! ```text
//! min_G max_D V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))],   D(x) = σ(l(x))
//! D loss:  softplus(-l(x)) + softplus(l(G(z)))      (= -log D(x) - log(1 - D(G(z))))
//! G loss:  minimax          log(1 - D(G(z)))   = -softplus(l(G(z)))
//!          non-saturating  -log D(G(z))        =  softplus(-l(G(z)))
//! ```
//!
//! The optimal discriminator is `D*(x) = p_data(x) / (p_data(x) + p_g(x))`, which
//! [`figure::GanRecorder`] lets a lesson watch on a 1-D grid, as in figure 1 of the paper.
//!
//! For MNIST, train with [`GanConfig::pack`] `= 2` (classes stay balanced) and sample from
//! the generator's weight average ([`crate::models::nn::Ema`], updated in `train`'s `on_step`
//! callback); `bench/README.md` has the figures.
//!
//! The lessons' experiments with this model live next to it in `gan/`: [`one_sided`] (one
//! player against a frozen opponent: D → D*, the Helvetica scenario) and [`figure`]
//! (figure 1 of the paper from a recorded run).
//!
//! In lesson 09 the student writes this training mathematics
//! (`exercises/src/l09_gan_practice.rs`) on the plumbing of `gan/lesson.rs`: [`Nets`] (the
//! two networks, named as this model's, with `generate`, `discriminate` and `frozen`),
//! [`Fns`] (the student's losses from logits and the step's logits), [`train_with`] (the
//! course's loop, strict: Algorithm 1 with one optimiser per half-step over every weight)
//! and [`train_yours`] (the notebook's cell, with the reference in place of each unfinished
//! exercise). The reference answers are associated functions of [`Gan`] ([`Gan::fns`],
//! [`Gan::discriminator_loss_of_logits`], [`Gan::step_logits`], …), a name lesson 09
//! forbids.

pub mod figure;
mod lesson;
pub mod one_sided;

pub use lesson::{
    DiscriminatorLossFn, Fns, GeneratorLossFn, Nets, StepLogitsFn, Trained, d_step_loss,
    g_step_loss, optimizer, train_with, train_yours,
};

use candle_core::{Device, Tensor};
use candle_nn::{ParamsAdamW, VarBuilder, VarMap};

use super::nn::FusedAdamW;
use rand::rngs::StdRng;

use super::nn::{Activation, Mlp};
use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::check;
use crate::{Error, Result};

/// Which loss the generator minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratorLoss {
    /// `E log(1 - D(G(z)))`, the value function itself; its gradient vanishes early on,
    /// when D rejects every fake.
    Minimax,
    /// `-E log D(G(z))`, the paper's practical choice: same fixed point, strong gradients.
    NonSaturating,
}

/// The generator's last activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputActivation {
    /// Real-valued data (toy sets).
    Linear,
    /// Pixels in `[0, 1]`. The discriminator sees them centred, as `2x − 1` in
    /// `[−1, 1]` (the usual DCGAN input range), for real and generated images alike.
    Sigmoid,
}

/// What the discriminator network is fed for data `x`: `x` itself, or `2x − 1` for pixels.
pub(crate) fn d_input(x: &Tensor, output: OutputActivation) -> Result<Tensor> {
    Ok(match output {
        OutputActivation::Linear => x.clone(),
        OutputActivation::Sigmoid => x.affine(2.0, -1.0)?,
    })
}

/// The discriminator loss from the logits of real and fake batches, with real target `t`:
/// `mean[t·softplus(−l_real) + (1 − t)·softplus(l_real)] + mean softplus(l_fake)`.
pub(crate) fn d_loss_from_logits(l_real: &Tensor, l_fake: &Tensor, t: f64) -> Result<Tensor> {
    let mut real_term = (nn::softplus(&l_real.neg()?)?.mean_all()? * t)?;
    if t < 1.0 {
        real_term = (real_term + (nn::softplus(l_real)?.mean_all()? * (1.0 - t))?)?;
    }
    Ok((real_term + nn::softplus(l_fake)?.mean_all()?)?)
}

/// The generator loss from the discriminator's logits on fakes, per `loss`.
pub(crate) fn g_loss_from_logits(l_fake: &Tensor, loss: GeneratorLoss) -> Result<Tensor> {
    Ok(match loss {
        GeneratorLoss::NonSaturating => nn::softplus(&l_fake.neg()?)?.mean_all()?,
        GeneratorLoss::Minimax => nn::softplus(l_fake)?.mean_all()?.neg()?,
    })
}

/// Sizes and options of a [`Gan`].
///
/// ```
/// let cfg = gmcourse::models::GanConfig::mnist();
/// assert_eq!((cfg.data_dim, cfg.latent), (784, 100));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GanConfig {
    /// Size of x (1, 2 or 784).
    pub data_dim: usize,
    /// Size of z.
    pub latent: usize,
    /// Hidden sizes of the generator.
    pub g_hidden: Vec<usize>,
    /// Hidden sizes of the discriminator.
    pub d_hidden: Vec<usize>,
    /// The generator's last activation.
    pub output: OutputActivation,
    /// The generator's loss.
    pub loss: GeneratorLoss,
    /// Discriminator steps per generator step (k in Algorithm 1 of the paper).
    pub d_steps: usize,
    /// Adam's β1 (0.5 is the usual GAN choice).
    pub beta1: f64,
    /// The discriminator's target for real data: 1.0 is the value function itself;
    /// 0.9 is *one-sided label smoothing* (Salimans et al., *Improved Techniques for
    /// Training GANs*, 2016), which keeps D from growing over-confident on MNIST and G's
    /// gradient from collapsing onto one digit.
    pub real_target: f64,
    /// How many samples the discriminator judges together (PacGAN, Lin et al., *The power
    /// of two samples in generative adversarial networks*, 2018): with `pack = m`, D sees
    /// `m` samples concatenated and says whether they are all real or all fake. A
    /// collapsed generator's packs are full of near-copies, which real packs never are, so
    /// D can punish the collapse. 1 is the plain GAN; batches must be multiples of `pack`.
    pub pack: usize,
}

impl Default for GanConfig {
    fn default() -> Self {
        Self::toy_2d()
    }
}

impl GanConfig {
    /// 1-D data, for the figure of the GAN paper.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::GanConfig::toy_1d().data_dim, 1);
    /// ```
    pub fn toy_1d() -> Self {
        Self {
            data_dim: 1,
            latent: 1,
            g_hidden: vec![32, 32],
            d_hidden: vec![32, 32],
            output: OutputActivation::Linear,
            loss: GeneratorLoss::NonSaturating,
            d_steps: 1,
            beta1: 0.5,
            real_target: 1.0,
            pack: 1,
        }
    }

    /// 2-D data such as the ring of eight Gaussians.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::GanConfig::toy_2d().data_dim, 2);
    /// ```
    pub fn toy_2d() -> Self {
        Self {
            data_dim: 2,
            latent: 2,
            g_hidden: vec![128, 128],
            d_hidden: vec![128, 128],
            ..Self::toy_1d()
        }
    }

    /// MNIST: `100 → 256 → 512 → 784` (sigmoid) and `784 → 512 → 256 → 1`, with
    /// one-sided label smoothing (real target 0.9).
    ///
    /// ```
    /// assert_eq!(gmcourse::models::GanConfig::mnist().g_hidden, vec![256, 512]);
    /// ```
    pub fn mnist() -> Self {
        Self {
            data_dim: 784,
            latent: 100,
            g_hidden: vec![256, 512],
            d_hidden: vec![512, 256],
            output: OutputActivation::Sigmoid,
            real_target: 0.9,
            ..Self::toy_1d()
        }
    }
}

/// Where the losses of a training run settle if `G` reaches `p_g = p_data`.
///
/// With real target `t` ([`GanConfig::real_target`]) the discriminator's loss per point is
/// `−p_data[t ln D + (1 − t) ln(1 − D)] − p_g ln(1 − D)`, minimised by
/// `D* = t·p_data / (p_data + p_g)`: `t/2` at the equilibrium, not `1/2`. So the losses
/// the curves approach are
///
/// ```text
/// D loss = −t ln(t/2) − (1 − t) ln(1 − t/2) − ln(1 − t/2)     (2 ln 2 = 1.386 at t = 1)
/// G loss = −ln(t/2)  (non-saturating)     ln(1 − t/2)  (minimax)   (ln 2 = 0.693 at t = 1)
/// ```
///
/// ```
/// let eq = gmcourse::models::GanConfig::mnist().equilibrium();   // real target 0.9
/// assert!((eq.d_star - 0.45).abs() < 1e-12);
/// assert!((eq.g_loss - 0.7985).abs() < 1e-4);
/// assert!((eq.d_loss - 1.3763).abs() < 1e-4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Equilibrium {
    /// The optimal discriminator's output everywhere, `t/2`.
    pub d_star: f64,
    /// The discriminator loss of [`Gan::discriminator_loss`] at `D*`.
    pub d_loss: f64,
    /// The generator loss of [`Gan::generator_loss`] (per [`GanConfig::loss`]) at `D*`.
    pub g_loss: f64,
}

impl GanConfig {
    /// The equilibrium of this configuration's losses: see [`Equilibrium`].
    pub fn equilibrium(&self) -> Equilibrium {
        let t = self.real_target;
        let d = t / 2.0;
        let d_loss = -t * d.ln() - (1.0 - t) * (1.0 - d).ln() - (1.0 - d).ln();
        let g_loss = match self.loss {
            GeneratorLoss::NonSaturating => -d.ln(),
            GeneratorLoss::Minimax => (1.0 - d).ln(),
        };
        Equilibrium {
            d_star: d,
            d_loss,
            g_loss,
        }
    }
}

/// A GAN: `generator` `(batch, latent) → (batch, data_dim)` and `discriminator`
/// `(batch, data_dim) → (batch, 1)` logits.
#[derive(Debug, Clone)]
pub struct Gan {
    generator: Mlp,
    discriminator: Mlp,
    cfg: GanConfig,
}

impl Model for Gan {
    type Config = GanConfig;

    /// Builds `generator.fc*` and `discriminator.fc*` under `vb`.
    fn new(vb: VarBuilder, cfg: &GanConfig) -> Result<Self> {
        if cfg.d_steps == 0 {
            return Err(Error::invalid("GanConfig::d_steps", "at least 1", 0));
        }
        if cfg.pack == 0 {
            return Err(Error::invalid("GanConfig::pack", "at least 1", 0));
        }
        let g_sizes = Mlp::sizes(cfg.latent, &cfg.g_hidden, cfg.data_dim);
        let d_sizes = Mlp::sizes(cfg.data_dim * cfg.pack, &cfg.d_hidden, 1);
        Ok(Self {
            generator: Mlp::new(vb.pp("generator"), &g_sizes, Activation::LeakyRelu(0.2))?,
            discriminator: Mlp::new(vb.pp("discriminator"), &d_sizes, Activation::LeakyRelu(0.2))?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &GanConfig {
        &self.cfg
    }
}

impl Gan {
    /// `x = G(z)`, `(batch, data_dim)` from `z` `(batch, latent)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (gan, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_2d(), 0)?;
    /// let z = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 4, 2)?;
    /// assert_eq!(gan.generate(&z)?.dims(), &[4, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn generate(&self, z: &Tensor) -> Result<Tensor> {
        check::matrix(z, "z (generator input)", self.cfg.latent)?;
        let out = self.generator.forward(z)?;
        Ok(match self.cfg.output {
            OutputActivation::Linear => out,
            OutputActivation::Sigmoid => candle_nn::ops::sigmoid(&out)?,
        })
    }

    /// The discriminator's logit `l(x)`, `(batch, 1)`; `D(x) = σ(l(x))`. With
    /// [`GanConfig::pack`] `= m`, one logit per `m` consecutive rows: `(batch / m, 1)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (gan, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_2d(), 0)?;
    /// let x = candle_core::Tensor::zeros((3, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(gan.discriminate(&x)?.dims(), &[3, 1]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminate(&self, x: &Tensor) -> Result<Tensor> {
        self.discriminator.forward(&self.packed(x)?)
    }

    /// What the discriminator network is fed for `x` `(n, data_dim)`: centred pixels, and
    /// `pack` consecutive rows side by side, `(n / pack, data_dim · pack)`.
    fn packed(&self, x: &Tensor) -> Result<Tensor> {
        lesson::packed(x, &self.cfg)
    }

    /// `n` samples `G(z)`, `z ~ N(0, I)` from `rng`: `(n, data_dim)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (gan, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::mnist(), 0)?;
    /// let x = gan.sample(2, &mut gmcourse::models::train::rng(0))?;
    /// assert_eq!(x.dims(), &[2, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, rng: &mut StdRng) -> Result<Tensor> {
        let z = train::randn(rng, n, self.cfg.latent)?;
        self.generate(&z)
    }

    /// The discriminator loss `mean softplus(-l(x_real)) + mean softplus(l(x_fake))`
    /// (with [`GanConfig::real_target`] below 1, the real term is the cross-entropy
    /// against that target).
    ///
    /// D sees the real and the fake batch as one batch (its layers have no batch
    /// statistics, so this is the same function): one matrix product per layer instead of
    /// two, and one gradient per weight instead of two to be added.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// // An untrained D that outputs 0 everywhere has loss 2 ln 2.
    /// use candle_nn::{VarBuilder, VarMap};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let gan = gmcourse::models::Gan::new(vb, &gmcourse::models::GanConfig::toy_1d())?;
    /// for v in varmap.all_vars() { v.set(&v.as_tensor().zeros_like()?)?; }
    /// let x = candle_core::Tensor::ones((4, 1), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let loss = gan.discriminator_loss(&x, &x)?.to_scalar::<f32>()?;
    /// gmcourse::testing::assert_close(loss as f64, 2.0 * 2f64.ln(), 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminator_loss(&self, x_real: &Tensor, x_fake: &Tensor) -> Result<Tensor> {
        let real = self.packed(x_real)?;
        let fake = self.packed(x_fake)?;
        let n_real = real.dim(0)?;
        let n_fake = fake.dim(0)?;
        let l = self
            .discriminator
            .forward(&Tensor::cat(&[&real, &fake], 0)?)?;
        let l_real = l.narrow(0, 0, n_real)?;
        let l_fake = l.narrow(0, n_real, n_fake)?;
        d_loss_from_logits(&l_real, &l_fake, self.cfg.real_target)
    }

    /// The generator loss on `z` `(batch, latent)`, per [`GanConfig::loss`].
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (gan, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_1d(), 0)?;
    /// let z = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 4, 1)?;
    /// assert!(gan.generator_loss(&z)?.to_scalar::<f32>()?.is_finite());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn generator_loss(&self, z: &Tensor) -> Result<Tensor> {
        // D's weights are frozen here: this step updates G only.
        let x_fake = self.packed(&self.generate(z)?)?;
        let l_fake = self.discriminator.frozen().forward(&x_fake)?;
        g_loss_from_logits(&l_fake, self.cfg.loss)
    }

    /// `D(x) = σ(l(x))` at each point of a 1-D `grid` (a 1-D model only).
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (gan, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_1d(), 0)?;
    /// let d = gan.discriminator_on_grid(&[-1.0, 0.0, 1.0])?;
    /// assert!(d.iter().all(|&p| p > 0.0 && p < 1.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminator_on_grid(&self, grid: &[f32]) -> Result<Vec<f32>> {
        if self.cfg.data_dim != 1 || self.cfg.pack != 1 || grid.is_empty() {
            return Err(Error::invalid(
                "discriminator_on_grid",
                "a 1-D model without packing and a non-empty grid",
                format!(
                    "data_dim = {}, pack = {}, grid of {} points",
                    self.cfg.data_dim,
                    self.cfg.pack,
                    grid.len()
                ),
            ));
        }
        let x = Tensor::from_vec(grid.to_vec(), (grid.len(), 1), &Device::Cpu)?;
        let d = candle_nn::ops::sigmoid(&self.discriminate(&x)?)?;
        Ok(d.flatten_all()?.to_vec1::<f32>()?)
    }
}

/// The reference answers of lesson 09's exercises, on the student's [`Nets`] and
/// signatures ([`Fns`]). `Gan` is a forbidden name in lesson 09, so a submission cannot
/// call them; the notebook's fallback ([`Fns::or_reference`]) and the hidden tests do.
impl Gan {
    /// The reference [`Fns`]: exercises 9.1 to 9.3.
    pub fn fns() -> Fns {
        Fns {
            discriminator_loss: Self::discriminator_loss_of_logits,
            generator_loss: Self::generator_loss_of_logits,
            step_logits: Self::step_logits,
        }
    }

    /// Exercise 9.1: `mean[t·softplus(−l_real) + (1 − t)·softplus(l_real)] + mean
    /// softplus(l_fake)`, a scalar, finite for any logit.
    ///
    /// ```
    /// use gmcourse::models::Gan;
    /// let zero = candle_core::Tensor::zeros((4, 1), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let loss = Gan::discriminator_loss_of_logits(&zero, &zero, 1.0)?.to_scalar::<f32>()?;
    /// gmcourse::testing::assert_close(loss as f64, 2.0 * 2f64.ln(), 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn discriminator_loss_of_logits(
        l_real: &Tensor,
        l_fake: &Tensor,
        real_target: f64,
    ) -> Result<Tensor> {
        d_loss_from_logits(l_real, l_fake, real_target)
    }

    /// Exercise 9.2: `−mean softplus(l_fake)` (minimax) or `mean softplus(−l_fake)`
    /// (non-saturating), a scalar, finite for any logit.
    ///
    /// ```
    /// use gmcourse::models::{Gan, GeneratorLoss};
    /// let l = candle_core::Tensor::new(&[[-100f32], [100.0]], &candle_core::Device::Cpu)?;
    /// let loss = Gan::generator_loss_of_logits(&l, GeneratorLoss::NonSaturating)?.to_scalar::<f32>()?;
    /// gmcourse::testing::assert_close(loss as f64, 50.0, 1e-4);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn generator_loss_of_logits(l_fake: &Tensor, kind: GeneratorLoss) -> Result<Tensor> {
        g_loss_from_logits(l_fake, kind)
    }

    /// Exercise 9.3: `(l_real, l_fake_d, l_fake_g)`: D's logits on the real batch, on the
    /// fakes `G(z)` detached (D's loss), and on the same fakes through a frozen D (G's loss).
    ///
    /// ```
    /// use gmcourse::models::{Gan, GanConfig, gan::Nets};
    /// let (nets, _) = Nets::seeded(&GanConfig::toy_2d(), 0)?;
    /// let mut rng = gmcourse::models::train::rng(0);
    /// let (x, z) = (gmcourse::models::train::randn(&mut rng, 3, 2)?, gmcourse::models::train::randn(&mut rng, 3, 2)?);
    /// let (l_real, l_fake_d, l_fake_g) = Gan::step_logits(&nets, &x, &z)?;
    /// assert_eq!(l_fake_d.to_vec2::<f32>()?, l_fake_g.to_vec2::<f32>()?);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn step_logits(
        nets: &Nets,
        x_real: &Tensor,
        z: &Tensor,
    ) -> Result<(Tensor, Tensor, Tensor)> {
        let x_fake = nets.generate(z)?;
        let l_real = nets.discriminate(x_real)?;
        let l_fake_d = nets.discriminate(&x_fake.detach())?;
        let l_fake_g = nets.frozen().discriminate(&x_fake)?;
        Ok((l_real, l_fake_d, l_fake_g))
    }

    /// Exercise 9.4: the optimal discriminator when D's target is `real_target` on real
    /// data and `fake_target` on fakes, `(t·p_data + f·p_g) / (p_data + p_g)`, element by
    /// element.
    ///
    /// ```
    /// use gmcourse::models::Gan;
    /// let p = candle_core::Tensor::new(&[1f64, 3.0], &candle_core::Device::Cpu)?;
    /// let q = candle_core::Tensor::new(&[1f64, 1.0], &candle_core::Device::Cpu)?;
    /// let d = Gan::optimal_discriminator_smoothed(&p, &q, 0.9, 0.0)?.to_vec1::<f64>()?;
    /// assert_eq!(d, vec![0.45, 0.675]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn optimal_discriminator_smoothed(
        p_data: &Tensor,
        p_g: &Tensor,
        real_target: f64,
        fake_target: f64,
    ) -> Result<Tensor> {
        let num = ((p_data * real_target)? + (p_g * fake_target)?)?;
        Ok((num / (p_data + p_g)?)?)
    }
}

/// An AdamW optimiser for GANs over the variables of one network, `"generator"` or
/// `"discriminator"` (β1 from the config, no weight decay): what [`train`] and
/// [`crate::models::dcgan::train`] step with.
///
/// ```
/// use gmcourse::models::{Gan, GanConfig, Model};
/// let (_gan, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
/// let opt = gmcourse::models::gan::gan_optimizer(&varmap, "generator", 2e-4, 0.5)?;
/// assert_eq!(opt.learning_rate(), 2e-4);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn gan_optimizer(varmap: &VarMap, network: &str, lr: f64, beta1: f64) -> Result<FusedAdamW> {
    let vars = train::vars_with_prefix(varmap, network)?;
    let params = ParamsAdamW {
        lr,
        beta1,
        weight_decay: 0.0,
        ..Default::default()
    };
    FusedAdamW::new(vars, params)
}

/// Trains `gan` by Algorithm 1 of the paper: `d_steps` discriminator steps on real batches
/// from `p_data(rng, batch)` and fakes, then one generator step. `on_step(step, gan)` runs
/// after every step (pass a [`figure::GanRecorder`] or `|_, _| Ok(())`). Returns the [`History`]
/// with series `discriminator` (the last of the `d_steps` of each step) and `generator`.
///
/// ```
/// use gmcourse::models::{gan, Gan, GanConfig, Model, TrainConfig};
/// let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
/// let cfg = TrainConfig { steps: 5, batch_size: 16, log_every: 0, ..Default::default() };
/// let p_data = |rng: &mut rand::rngs::StdRng, n: usize| gmcourse::data::synthetic::normal_1d(rng, n, 2.0, 0.5);
/// let losses = gan::train(&g, &varmap, p_data, &cfg, |_, _| Ok(()))?;
/// assert_eq!(losses.series("generator")?.len(), 5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(
    gan: &Gan,
    varmap: &VarMap,
    mut p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    cfg: &TrainConfig,
    mut on_step: impl FnMut(usize, &Gan) -> Result<()>,
) -> Result<History> {
    let mut opt_g = gan_optimizer(varmap, "generator", cfg.lr, gan.cfg.beta1)?;
    let mut opt_d = gan_optimizer(varmap, "discriminator", cfg.lr, gan.cfg.beta1)?;
    let mut d_history = Vec::with_capacity(cfg.steps);
    let g_history = train::run(cfg, varmap, |step, rng| {
        let mut d_loss = 0.0;
        for _ in 0..gan.cfg.d_steps {
            let x_real = p_data(rng, cfg.batch_size)?;
            let x_fake = gan.sample(cfg.batch_size, rng)?.detach();
            let loss = gan.discriminator_loss(&x_real, &x_fake)?;
            d_loss = train::checked_step(&mut opt_d, &loss, step)?;
        }
        d_history.push(d_loss);
        let z = train::randn(rng, cfg.batch_size, gan.cfg.latent)?;
        let g_loss = gan.generator_loss(&z)?;
        let g_loss = train::checked_step(&mut opt_g, &g_loss, step)?;
        on_step(step, gan)?;
        Ok(g_loss)
    })?;
    Ok(History::new()
        .with("discriminator", d_history)
        .with("generator", g_history))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logit(v: f32) -> Tensor {
        Tensor::new(&[[v]], &Device::Cpu).unwrap()
    }

    fn loss(l_real: f32, t: f64) -> f64 {
        d_loss_from_logits(&logit(l_real), &logit(-30.0), t)
            .unwrap()
            .to_scalar::<f32>()
            .unwrap() as f64
    }

    #[test]
    fn equilibrium_losses_are_the_training_losses_at_d_star_and_d_star_minimises_them() {
        for (t, loss_kind) in [
            (1.0, GeneratorLoss::NonSaturating),
            (0.9, GeneratorLoss::NonSaturating),
            (0.9, GeneratorLoss::Minimax),
        ] {
            let cfg = GanConfig {
                real_target: t,
                loss: loss_kind,
                ..GanConfig::mnist()
            };
            let eq = cfg.equilibrium();
            // p_g = p_data: D sees the same logit on reals and fakes
            let at = |d: f64| {
                let l = logit(((d / (1.0 - d)).ln()) as f32);
                let dl = d_loss_from_logits(&l, &l, t)
                    .unwrap()
                    .to_scalar::<f32>()
                    .unwrap();
                let gl = g_loss_from_logits(&l, loss_kind)
                    .unwrap()
                    .to_scalar::<f32>()
                    .unwrap();
                (dl as f64, gl as f64)
            };
            let (dl, gl) = at(eq.d_star);
            assert!(
                (dl - eq.d_loss).abs() < 1e-5,
                "t = {t}: {dl} vs {}",
                eq.d_loss
            );
            assert!(
                (gl - eq.g_loss).abs() < 1e-5,
                "t = {t}: {gl} vs {}",
                eq.g_loss
            );
            assert!(at(eq.d_star - 0.05).0 > dl && at(eq.d_star + 0.05).0 > dl);
        }
        // without smoothing, the textbook values
        let plain = GanConfig::toy_2d().equilibrium();
        assert!((plain.d_loss - 2.0 * 2f64.ln()).abs() < 1e-12);
        assert!((plain.g_loss - 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn d_loss_on_one_joint_batch_equals_two_separate_passes_in_value_and_gradient() {
        // packing 2, 6 reals against 4 fakes: the split must put each half's logits back
        let cfg = GanConfig {
            pack: 2,
            real_target: 0.9,
            ..GanConfig::toy_2d()
        };
        let (gan, varmap) = Gan::seeded(&cfg, 3).unwrap();
        let mut rng = train::rng(4);
        let x_real = train::randn(&mut rng, 6, 2).unwrap();
        let x_fake = (train::randn(&mut rng, 4, 2).unwrap() + 1.5).unwrap();
        let joint = gan.discriminator_loss(&x_real, &x_fake).unwrap();
        let separate = d_loss_from_logits(
            &gan.discriminate(&x_real).unwrap(),
            &gan.discriminate(&x_fake).unwrap(),
            cfg.real_target,
        )
        .unwrap();
        let (a, b) = (
            joint.to_scalar::<f32>().unwrap(),
            separate.to_scalar::<f32>().unwrap(),
        );
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        // swapping the batches changes the loss: the halves are not interchangeable
        let swapped = gan.discriminator_loss(&x_fake, &x_real).unwrap();
        assert!((swapped.to_scalar::<f32>().unwrap() - a).abs() > 1e-3);
        let (gj, gs) = (joint.backward().unwrap(), separate.backward().unwrap());
        let d_vars = train::vars_with_prefix(&varmap, "discriminator").unwrap();
        assert!(!d_vars.is_empty());
        for v in &d_vars {
            let (x, y) = (gj.get(v).unwrap(), gs.get(v).unwrap());
            let diff = (x - y).unwrap().abs().unwrap().max_all().unwrap();
            assert!(diff.to_scalar::<f32>().unwrap() < 1e-5);
        }
    }

    #[test]
    fn one_sided_label_smoothing_moves_the_best_real_logit_to_target_point_nine() {
        // without smoothing a more confident D is always better on reals
        assert!(loss(8.0, 1.0) < loss(4.0, 1.0));
        // with target 0.9 the real term is smallest at σ(l) = 0.9, l = ln 9
        let best = 9f32.ln();
        assert!(loss(best, 0.9) < loss(best - 0.5, 0.9));
        assert!(loss(best, 0.9) < loss(best + 0.5, 0.9));
        assert!(loss(8.0, 0.9) > loss(best, 0.9) + 0.3);
        // fakes keep target 0: the fake term is the same under both
        let fake = |t: f64| {
            d_loss_from_logits(&logit(0.0), &logit(2.0), t)
                .unwrap()
                .to_scalar::<f32>()
                .unwrap() as f64
                - loss(0.0, t)
        };
        assert!((fake(1.0) - fake(0.9)).abs() < 1e-6);
    }

    #[test]
    fn pixels_reach_the_discriminator_centred_and_toy_data_unchanged() {
        let x = Tensor::new(&[[0f32, 0.5, 1.0]], &Device::Cpu).unwrap();
        let pixels = d_input(&x, OutputActivation::Sigmoid).unwrap();
        assert_eq!(pixels.to_vec2::<f32>().unwrap(), vec![vec![-1.0, 0.0, 1.0]]);
        let toy = d_input(&x, OutputActivation::Linear).unwrap();
        assert_eq!(toy.to_vec2::<f32>().unwrap(), vec![vec![0.0, 0.5, 1.0]]);
    }
}
