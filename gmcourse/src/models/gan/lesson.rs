//! The plumbing of lesson 09, where the student writes the GAN's training mathematics: the
//! two networks ([`Nets`], built and seeded here), the three functions a training step
//! calls ([`Fns`]), the loop that trains exactly those functions ([`train_with`]) and the
//! notebook's training cell ([`train_yours`]), which puts the reference in place of every
//! function that is still `todo!()`. One step is Algorithm 1 of the GAN paper with k = 1:
//!
//! ```text
//! (l_real, l_fake_d, _) = step_logits(nets, x_real, z)         exercise 9.3
//! d_loss = discriminator_loss(l_real, l_fake_d, real_target)   exercise 9.1
//! θ ← AdamW_d(θ, ∇θ d_loss)      for EVERY weight θ that d_loss reaches
//! (_, _, l_fake_g) = step_logits(nets, x_real, z')             (fresh z', the updated D)
//! g_loss = generator_loss(l_fake_g, kind)                      exercise 9.2
//! θ ← AdamW_g(θ, ∇θ g_loss)      for EVERY weight θ that g_loss reaches
//! ```
//!
//! Each optimiser holds every weight of both networks ([`optimizer`]), as a single
//! `AdamW::new(varmap.all_vars())` would: a half-step moves whatever its loss reaches. It
//! is the right GAN step (D moved by D's loss only, G by G's only) exactly when D's loss
//! does not reach G's weights and G's loss does not reach D's: the fakes D's loss judges
//! are detached, and G's loss is judged by a frozen D ([`Nets::frozen`]). Exercise 9.3 is
//! that wiring. With the reference functions, [`train_with`] draws the same numbers and
//! takes the same steps as [`super::train`].
//!
//! Nothing here computes the model's mathematics: [`Nets`] has a forward pass per network
//! and no loss, the loop calls the functions it is given. The reference functions are
//! [`Gan::fns`], reached from here only by [`Fns::or_reference`].

use candle_core::{DType, Device, Tensor};
use candle_nn::{ParamsAdamW, VarBuilder, VarMap};
use rand::rngs::StdRng;

use super::{Gan, GanConfig, GeneratorLoss, OutputActivation, d_input};
use crate::models::Model;
use crate::models::nn::{Activation, FusedAdamW, Mlp};
use crate::models::train::{self, History, TrainConfig};
use crate::{Error, Result, check, course};

/// The generator and the discriminator of the lesson's GAN, named as [`Gan`]'s
/// (`generator.fc*`, `discriminator.fc*`), so that a [`Gan`] built on the same [`VarMap`]
/// reads the same weights. A forward pass per network, and no loss.
///
/// ```
/// use gmcourse::models::{GanConfig, gan::Nets};
/// let (nets, varmap) = Nets::seeded(&GanConfig::toy_2d(), 0)?;
/// let z = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 5, 2)?;
/// let x = nets.generate(&z)?;                       // (5, 2)
/// assert_eq!(nets.discriminate(&x)?.dims(), &[5, 1]); // logits
/// assert_eq!(varmap.all_vars().len(), 12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Nets {
    generator: Mlp,
    discriminator: Mlp,
    cfg: GanConfig,
    tensors: Vec<(String, Tensor)>,
}

impl Nets {
    /// Fresh networks sized by `cfg` in their own [`VarMap`], initialised from `seed`
    /// exactly as `Gan::seeded(cfg, seed)` is.
    ///
    /// # Errors
    /// As [`Gan::new`]: `d_steps` or `pack` of 0, or a size of 0.
    pub fn seeded(cfg: &GanConfig, seed: u64) -> Result<(Self, VarMap)> {
        let (_, varmap) = Gan::seeded(cfg, seed)?;
        let nets = Self::on(&varmap, cfg)?;
        Ok((nets, varmap))
    }

    /// The networks of `cfg` on the variables of `varmap` (which must hold them, by name).
    ///
    /// # Errors
    /// A tensor missing from `varmap` or of the wrong shape.
    pub fn on(varmap: &VarMap, cfg: &GanConfig) -> Result<Self> {
        let vb = VarBuilder::from_varmap(varmap, DType::F32, &Device::Cpu);
        let g_sizes = Mlp::sizes(cfg.latent, &cfg.g_hidden, cfg.data_dim);
        let d_sizes = Mlp::sizes(cfg.data_dim * cfg.pack, &cfg.d_hidden, 1);
        let tensors_before = varmap.all_vars().len();
        let nets = Self {
            generator: Mlp::new(vb.pp("generator"), &g_sizes, Activation::LeakyRelu(0.2))?,
            discriminator: Mlp::new(vb.pp("discriminator"), &d_sizes, Activation::LeakyRelu(0.2))?,
            cfg: cfg.clone(),
            tensors: train::named_tensors(varmap)?,
        };
        if varmap.all_vars().len() != tensors_before {
            return Err(Error::invalid(
                "Nets::on",
                "a varmap holding the networks' tensors",
                "a varmap without some of them",
            ));
        }
        Ok(nets)
    }

    /// Networks of `cfg` on copies of `tensors` (as [`Nets::tensors`] gives them), in a
    /// new [`VarMap`] that training can update (the originals are left as they are).
    ///
    /// # Errors
    /// A tensor missing or of the wrong shape.
    pub fn from_tensors(cfg: &GanConfig, tensors: &[(String, Tensor)]) -> Result<(Self, VarMap)> {
        let copies = tensors
            .iter()
            .map(|(name, t)| Ok((name.clone(), t.copy()?)))
            .collect::<Result<Vec<_>>>()?;
        let varmap = train::varmap_of(&copies)?;
        let nets = Self::on(&varmap, cfg)?;
        if nets.tensors.len() != tensors.len() {
            return Err(Error::invalid(
                "Nets::from_tensors",
                format!("the {} tensors of the networks", nets.tensors.len()),
                format!("{} tensors", tensors.len()),
            ));
        }
        Ok((nets, varmap))
    }

    /// The configuration the networks were built with.
    pub fn config(&self) -> &GanConfig {
        &self.cfg
    }

    /// Every weight of both networks by name, sorted (`discriminator.*` first). They share
    /// their storage with the networks: after a training step they hold the new values.
    pub fn tensors(&self) -> &[(String, Tensor)] {
        &self.tensors
    }

    /// `x = G(z)`, `(batch, data_dim)` from `z` `(batch, latent)` (pixels in `[0, 1]` for
    /// MNIST, real numbers for toy data).
    ///
    /// # Errors
    /// `z` of the wrong width.
    pub fn generate(&self, z: &Tensor) -> Result<Tensor> {
        check::matrix(z, "z (generator input)", self.cfg.latent)?;
        let out = self.generator.forward(z)?;
        Ok(match self.cfg.output {
            OutputActivation::Linear => out,
            OutputActivation::Sigmoid => candle_nn::ops::sigmoid(&out)?,
        })
    }

    /// The discriminator's logits `l(x)`, `(batch, 1)`, `D(x) = σ(l(x))`; with
    /// `pack = m` one logit per `m` consecutive rows, `(batch / m, 1)`.
    ///
    /// # Errors
    /// `x` of the wrong width, or a batch that is not a multiple of `pack`.
    pub fn discriminate(&self, x: &Tensor) -> Result<Tensor> {
        self.discriminator.forward(&packed(x, &self.cfg)?)
    }

    /// The same networks with every weight detached from the graph (sharing its storage):
    /// a loss computed through them sends gradients to their inputs but none to their
    /// weights, so no optimiser step on that loss can move them.
    ///
    /// ```
    /// use gmcourse::models::{GanConfig, gan::Nets};
    /// let (nets, varmap) = Nets::seeded(&GanConfig::toy_2d(), 0)?;
    /// let x = candle_core::Var::new(&[[1f32, 2.0]], &candle_core::Device::Cpu)?;
    /// let grads = nets.frozen().discriminate(x.as_tensor())?.sum_all()?.backward()?;
    /// assert!(grads.get(x.as_tensor()).is_some());
    /// assert!(varmap.all_vars().iter().all(|v| grads.get(v.as_tensor()).is_none()));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn frozen(&self) -> Self {
        Self {
            generator: self.generator.frozen(),
            discriminator: self.discriminator.frozen(),
            cfg: self.cfg.clone(),
            tensors: self.tensors.clone(),
        }
    }
}

/// What the discriminator network is fed for `x` `(n, data_dim)`: centred pixels, and
/// `pack` consecutive rows side by side, `(n / pack, data_dim · pack)`.
pub(crate) fn packed(x: &Tensor, cfg: &GanConfig) -> Result<Tensor> {
    let n = check::matrix(x, "x (discriminator input)", cfg.data_dim)?;
    let x = d_input(x, cfg.output)?;
    let m = cfg.pack;
    if m == 1 {
        return Ok(x);
    }
    if n % m != 0 {
        return Err(Error::invalid(
            "x (discriminator input)",
            format!("a batch whose size is a multiple of GanConfig::pack = {m}"),
            format!("{n} rows"),
        ));
    }
    Ok(x.reshape((n / m, cfg.data_dim * m))?)
}

/// Exercise 9.1's signature: D's loss, a scalar, from the logits of the real and the fake
/// batch and the real target.
pub type DiscriminatorLossFn = fn(&Tensor, &Tensor, f64) -> Result<Tensor>;
/// Exercise 9.2's signature: G's loss, a scalar, from D's logits on fakes.
pub type GeneratorLossFn = fn(&Tensor, GeneratorLoss) -> Result<Tensor>;
/// Exercise 9.3's signature: `(l_real, l_fake_d, l_fake_g)` from `(nets, x_real, z)`.
pub type StepLogitsFn = fn(&Nets, &Tensor, &Tensor) -> Result<(Tensor, Tensor, Tensor)>;

/// The three functions a training step calls, as fn pointers (the lesson file's
/// `gan_fns()` returns the student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 9.1.
    pub discriminator_loss: DiscriminatorLossFn,
    /// Exercise 9.2.
    pub generator_loss: GeneratorLossFn,
    /// Exercise 9.3.
    pub step_logits: StepLogitsFn,
}

/// The pieces, by exercise.
const PIECES: [(&str, &str); 3] = [
    ("9.1", "discriminator_loss"),
    ("9.2", "generator_loss"),
    ("9.3", "step_logits"),
];

impl Fns {
    /// Puts the reference in place of each function that is still a `todo!()` stub, and
    /// prints one line that says which, e.g. `exercise 9.3 not done yet: the reference
    /// step_logits trains in its place`. Each function is called once, on a tiny seeded
    /// input, with panic messages silenced; a function that panics for another reason is
    /// kept (the training loop then reports its panic). Returns the functions and, per
    /// exercise, whether the student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 3]) {
        let reference = Gan::fns();
        let done = match probe() {
            Ok((nets, x, z, l)) => [
                course::is_todo(|| (self.discriminator_loss)(&l, &l, 1.0).map(drop)),
                course::is_todo(|| {
                    (self.generator_loss)(&l, GeneratorLoss::NonSaturating).map(drop)
                }),
                course::is_todo(|| (self.step_logits)(&nets, &x, &z).map(drop)),
            ]
            .map(|todo| !todo),
            Err(_) => [true; 3],
        };
        if let Some(line) = course::reference_line(&PIECES, &done) {
            println!("{line}");
        }
        let fns = Fns {
            discriminator_loss: if done[0] {
                self.discriminator_loss
            } else {
                reference.discriminator_loss
            },
            generator_loss: if done[1] {
                self.generator_loss
            } else {
                reference.generator_loss
            },
            step_logits: if done[2] {
                self.step_logits
            } else {
                reference.step_logits
            },
        };
        (fns, done)
    }
}

/// The tiny input each function is probed with: networks, a real batch, z and logits.
fn probe() -> Result<(Nets, Tensor, Tensor, Tensor)> {
    let cfg = GanConfig {
        g_hidden: vec![3],
        d_hidden: vec![3],
        ..GanConfig::toy_2d()
    };
    let (nets, _) = Nets::seeded(&cfg, 0)?;
    let mut rng = train::rng(0);
    let x = train::randn(&mut rng, 2, 2)?;
    let z = train::randn(&mut rng, 2, 2)?;
    let l = train::randn(&mut rng, 2, 1)?;
    Ok((nets, x, z, l))
}

/// `t` must have `dims`; else a shape error naming the exercise that made it.
fn expect_dims(t: &Tensor, dims: &[usize], what: &str) -> Result<()> {
    if t.dims() != dims {
        return Err(Error::shape(
            what,
            format!("{dims:?}"),
            format!("{:?}", t.dims()),
        ));
    }
    Ok(())
}

/// The logits of one call of `fns.step_logits`, shapes checked with errors that name the
/// exercise.
fn logits(fns: &Fns, nets: &Nets, x_real: &Tensor, z: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    let dims = [x_real.dim(0)? / nets.config().pack, 1];
    let (l_real, l_fake_d, l_fake_g) = (fns.step_logits)(nets, x_real, z)?;
    expect_dims(&l_real, &dims, "l_real from step_logits (exercise 9.3)")?;
    expect_dims(&l_fake_d, &dims, "l_fake_d from step_logits (exercise 9.3)")?;
    expect_dims(&l_fake_g, &dims, "l_fake_g from step_logits (exercise 9.3)")?;
    Ok((l_real, l_fake_d, l_fake_g))
}

/// D's loss of `fns` on the real batch `x_real` and the fakes from `z`, a scalar (shapes
/// checked, errors name the exercise).
///
/// # Errors
/// A function that fails or returns a wrong shape.
pub fn d_step_loss(fns: &Fns, nets: &Nets, x_real: &Tensor, z: &Tensor) -> Result<Tensor> {
    let (l_real, l_fake_d, _) = logits(fns, nets, x_real, z)?;
    let d_loss = (fns.discriminator_loss)(&l_real, &l_fake_d, nets.config().real_target)?;
    expect_dims(
        &d_loss,
        &[],
        "the loss from discriminator_loss (exercise 9.1)",
    )?;
    Ok(d_loss)
}

/// G's loss of `fns` on the fakes from `z` (`x_real` is passed on to `step_logits`), a
/// scalar (shapes checked, errors name the exercise).
///
/// # Errors
/// A function that fails or returns a wrong shape.
pub fn g_step_loss(fns: &Fns, nets: &Nets, x_real: &Tensor, z: &Tensor) -> Result<Tensor> {
    let (_, _, l_fake_g) = logits(fns, nets, x_real, z)?;
    let g_loss = (fns.generator_loss)(&l_fake_g, nets.config().loss)?;
    expect_dims(&g_loss, &[], "the loss from generator_loss (exercise 9.2)")?;
    Ok(g_loss)
}

/// An optimiser of the course's loop: AdamW with the configuration's β1 and no weight
/// decay, over EVERY variable of `varmap` (both networks), as in the module docs.
///
/// # Errors
/// A variable that is not f32 on the CPU.
pub fn optimizer(varmap: &VarMap, cfg: &GanConfig, lr: f64) -> Result<FusedAdamW> {
    let vars = train::sorted_vars(varmap)?
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    FusedAdamW::new(
        vars,
        ParamsAdamW {
            lr,
            beta1: cfg.beta1,
            weight_decay: 0.0,
            ..Default::default()
        },
    )
}

/// Trains `nets` (whose variables are `varmap`'s) with `fns`: each step draws a real
/// batch from `p_data(rng, batch)` and `z ~ N(0, I)`, takes a step of one [`optimizer`] on
/// D's loss ([`d_step_loss`]), then draws a fresh `z` and takes a step of another on G's
/// loss ([`g_step_loss`]), as in the module docs. Uses exactly the functions it is given
/// (a GAN's `d_steps` is 1 here). Returns the [`History`] with series `discriminator` and
/// `generator`, as [`super::train`] does.
///
/// # Errors
/// A function that fails or returns a wrong shape (named), or [`Error::Diverged`].
///
/// ```
/// use gmcourse::models::{Gan, GanConfig, TrainConfig, gan::{self, Nets}};
/// let (nets, varmap) = Nets::seeded(&GanConfig::toy_1d(), 0)?;
/// let tc = TrainConfig { steps: 5, batch_size: 16, log_every: 0, progress: false, ..Default::default() };
/// let p_data = |rng: &mut rand::rngs::StdRng, n: usize| gmcourse::data::synthetic::normal_1d(rng, n, 2.0, 0.5);
/// let h = gan::train_with(&Gan::fns(), &nets, &varmap, p_data, &tc)?;
/// assert_eq!(h.series("generator")?.len(), 5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_with(
    fns: &Fns,
    nets: &Nets,
    varmap: &VarMap,
    mut p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    tc: &TrainConfig,
) -> Result<History> {
    let cfg = nets.config().clone();
    let mut opt_d = optimizer(varmap, &cfg, tc.lr)?;
    let mut opt_g = optimizer(varmap, &cfg, tc.lr)?;
    let mut d_history = Vec::with_capacity(tc.steps);
    let g_history = train::run(tc, varmap, |step, rng| {
        let x_real = p_data(rng, tc.batch_size)?;
        let z = train::randn(rng, tc.batch_size, cfg.latent)?;
        let d_loss = d_step_loss(fns, nets, &x_real, &z)?;
        d_history.push(train::checked_step(&mut opt_d, &d_loss, step)?);
        let z = train::randn(rng, tc.batch_size, cfg.latent)?;
        let g_loss = g_step_loss(fns, nets, &x_real, &z)?;
        train::checked_step(&mut opt_g, &g_loss, step)
    })?;
    Ok(History::new()
        .with("discriminator", d_history)
        .with("generator", g_history))
}

/// A GAN trained by [`train_yours`].
pub struct Trained {
    /// The functions that trained it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (9.1 to 9.3) are the student's.
    pub done: [bool; 3],
    /// The trained networks.
    pub nets: Nets,
    /// Their variables.
    pub varmap: VarMap,
    /// The per-step history.
    pub history: History,
    /// The same weights read by the course's [`Gan`] (sampling, scores).
    pub gan: Gan,
    /// With every exercise done: the reference trained on the same seed for the same
    /// number of steps, and its history.
    pub reference: Option<(Gan, History)>,
}

impl std::fmt::Debug for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trained")
            .field("done", &self.done)
            .field("steps", &self.history.len())
            .field("reference", &self.reference.is_some())
            .finish_non_exhaustive()
    }
}

impl Trained {
    /// Whether all three functions are the student's.
    pub fn all_yours(&self) -> bool {
        self.done.iter().all(|&d| d)
    }

    /// `n` samples of each trained GAN from the same `z` (`seed`): the student's first,
    /// then the reference's when there is one, `(n or 2n, data_dim)`.
    ///
    /// # Errors
    /// None in practice.
    pub fn samples(&self, n: usize, seed: u64) -> Result<Tensor> {
        let mine = self.gan.sample(n, &mut train::rng(seed))?;
        match &self.reference {
            Some((gan, _)) => {
                let theirs = gan.sample(n, &mut train::rng(seed))?;
                Ok(Tensor::cat(&[&mine, &theirs], 0)?)
            }
            None => Ok(mine),
        }
    }

    /// The notebook's table: the mean losses of the last `last` steps, the student's and
    /// the reference's next to them when there is one.
    ///
    /// # Errors
    /// A history shorter than one step.
    pub fn table(&self, last: usize) -> Result<crate::plot::Html> {
        let row = |name: &str, h: &History| -> Result<String> {
            Ok(format!(
                "<tr><td>{name}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
                h.len(),
                h.last_mean("discriminator", last)?,
                h.last_mean("generator", last)?
            ))
        };
        let who = if self.all_yours() {
            "your GAN"
        } else {
            "your GAN (reference in place of the unfinished exercises)"
        };
        let mut body = row(who, &self.history)?;
        if let Some((_, h)) = &self.reference {
            body.push_str(&row("reference, same seed", h)?);
        }
        Ok(crate::plot::Html::new(format!(
            "<table><tr><th></th><th>steps</th><th>D loss, last {last}</th>\
             <th>G loss, last {last}</th></tr>{body}</table>"
        )))
    }
}

/// The training cell of lesson 09: the student's `fns` (the reference in place of each
/// unfinished one, said in one line), trained by [`train_with`] from `tc.seed`-initialised
/// networks of `cfg` on batches of `p_data`. With every exercise done, the reference is
/// trained too, on the same seed for the same number of steps. Prints one line with the
/// step count.
///
/// # Errors
/// Those of [`train_with`] (a student's function that panics is reported by its panic).
pub fn train_yours(
    fns: Fns,
    cfg: &GanConfig,
    mut p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    tc: &TrainConfig,
) -> Result<Trained> {
    let (fns, done) = fns.or_reference();
    let start = std::time::Instant::now();
    let (nets, varmap) = Nets::seeded(cfg, tc.seed)?;
    let history = train_with(&fns, &nets, &varmap, &mut p_data, tc)?;
    println!(
        "trained for {:.0} s, {} steps",
        start.elapsed().as_secs_f64(),
        history.len()
    );
    let gan = Gan::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        cfg,
    )?;
    let reference = if done.iter().all(|&d| d) {
        let same = TrainConfig {
            steps: history.len(),
            time_budget: None,
            ..tc.clone()
        };
        let (r_nets, r_vars) = Nets::seeded(cfg, tc.seed)?;
        let h = train_with(&Gan::fns(), &r_nets, &r_vars, &mut p_data, &same)?;
        let g = Gan::new(
            VarBuilder::from_varmap(&r_vars, DType::F32, &Device::Cpu),
            cfg,
        )?;
        Some((g, h))
    } else {
        None
    };
    Ok(Trained {
        fns,
        done,
        nets,
        varmap,
        history,
        gan,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synthetic::normal_1d;

    fn todo_step(_: &Nets, _: &Tensor, _: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
        todo!("exercise 9.3: implement `step_logits`")
    }

    /// The mistake the lesson is about: G's loss judged by a D that is not frozen.
    fn unfrozen_step(nets: &Nets, x_real: &Tensor, z: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
        let x_fake = nets.generate(z)?;
        Ok((
            nets.discriminate(x_real)?,
            nets.discriminate(&x_fake.detach())?,
            nets.discriminate(&x_fake)?,
        ))
    }

    fn short_loss(l: &Tensor, _: GeneratorLoss) -> Result<Tensor> {
        Ok(l.clone())
    }

    fn tc(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 8,
            log_every: 0,
            progress: false,
            ..Default::default()
        }
    }

    #[test]
    fn a_todo_function_is_replaced_and_a_finished_one_is_kept() {
        let fns = Fns {
            step_logits: todo_step,
            generator_loss: short_loss,
            ..Gan::fns()
        };
        let (fns, done) = fns.or_reference();
        assert_eq!(done, [true, true, false]);
        // step_logits is the reference's now; generator_loss is still the student's
        let (nets, x, z, l) = probe().unwrap();
        assert_eq!((fns.step_logits)(&nets, &x, &z).unwrap().0.dims(), &[2, 1]);
        let kept = (fns.generator_loss)(&l, GeneratorLoss::Minimax).unwrap();
        assert_eq!(
            kept.dims(),
            &[2, 1],
            "the student's (wrong-shaped) loss was kept"
        );
    }

    #[test]
    fn train_with_names_the_exercise_that_returned_a_wrong_shape() -> Result<()> {
        let (nets, varmap) = Nets::seeded(&GanConfig::toy_1d(), 0)?;
        let fns = Fns {
            generator_loss: short_loss,
            ..Gan::fns()
        };
        let err = train_with(
            &fns,
            &nets,
            &varmap,
            |rng, n| normal_1d(rng, n, 0.0, 1.0),
            &tc(1),
        )
        .unwrap_err();
        assert!(err.to_string().contains("exercise 9.2"), "{err}");
        Ok(())
    }

    #[test]
    fn one_optimiser_on_the_sum_moves_d_by_gs_loss_unless_d_is_frozen() -> Result<()> {
        let cfg = GanConfig::toy_1d();
        let (nets, varmap) = Nets::seeded(&cfg, 0)?;
        let d_before = train::vars_with_prefix(&varmap, "discriminator")?[0]
            .as_tensor()
            .flatten_all()?
            .to_vec1::<f32>()?;
        let d_after = |fns: &Fns| -> Result<Vec<f32>> {
            let (nets, varmap) = Nets::from_tensors(&cfg, nets.tensors())?;
            let mut opt = optimizer(&varmap, &cfg, 1e-2)?;
            let mut rng = train::rng(1);
            let (x, z) = (train::randn(&mut rng, 8, 1)?, train::randn(&mut rng, 8, 1)?);
            // G's loss alone: D must not move
            let g_loss = g_step_loss(fns, &nets, &x, &z)?;
            train::checked_step(&mut opt, &g_loss, 0)?;
            Ok(train::vars_with_prefix(&varmap, "discriminator")?[0]
                .as_tensor()
                .flatten_all()?
                .to_vec1::<f32>()?)
        };
        assert_eq!(d_after(&Gan::fns())?, d_before);
        let broken = Fns {
            step_logits: unfrozen_step,
            ..Gan::fns()
        };
        assert_ne!(d_after(&broken)?, d_before);
        Ok(())
    }

    #[test]
    fn the_reference_functions_train_the_ring_and_a_gan_on_the_same_varmap_reads_the_weights()
    -> Result<()> {
        let cfg = GanConfig::toy_2d();
        let (nets, varmap) = Nets::seeded(&cfg, 0)?;
        let ring = crate::data::RingConfig::default();
        let h = train_with(
            &Gan::fns(),
            &nets,
            &varmap,
            |rng, n| ring.draw(rng, n)?.to_tensor(),
            &tc(20),
        )?;
        assert_eq!(h.series("discriminator")?.len(), 20);
        let gan = Gan::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &cfg,
        )?;
        let z = train::randn(&mut train::rng(3), 4, 2)?;
        crate::testing::assert_tensors_close(&gan.generate(&z)?, &nets.generate(&z)?, 0.0);
        let x = nets.generate(&z)?;
        crate::testing::assert_tensors_close(&gan.discriminate(&x)?, &nets.discriminate(&x)?, 0.0);
        // the tensors survive the trip through from_tensors
        let (again, _) = Nets::from_tensors(&cfg, nets.tensors())?;
        crate::testing::assert_tensors_close(&again.generate(&z)?, &nets.generate(&z)?, 0.0);
        Ok(())
    }
}
