//! The plumbing of lesson 10, where the student writes the conditional GAN's conditioning
//! and its matching-aware discriminator loss: the two networks ([`Nets`], built and seeded
//! here, a forward pass each on an input that is already conditioned), the four functions
//! a training step calls ([`Fns`]), the loop that trains exactly those functions
//! ([`train_with`]) and the notebook's training cell ([`train_yours`]), which puts the
//! reference in place of every function that is still `todo!()`. One step:
//!
//! ```text
//! x_fake = G(conditioned_input(z, one_hot(y_fake)))                  exercises 10.1, 10.2
//! y_wrong = mismatched_labels(y_real, u)                             exercise 10.3
//! (convolutional players: x_real and x_fake shifted by up to 2 pixels, Nets::augmented)
//! l_real  = D(conditioned_input(x_real, one_hot(y_real)))
//! l_wrong = D(conditioned_input(x_real, one_hot(y_wrong)))
//! l_fake  = D(conditioned_input(x_fake, one_hot(y_fake)))            (fakes detached)
//! d_loss  = discriminator_loss(l_real, l_wrong, l_fake, real_target) exercise 10.4
//! an AdamW step on D's weights
//! g_loss  = the non-saturating loss of lesson 09 on D(G(z', y'), y') (D frozen)
//! an AdamW step on G's weights
//! ```
//!
//! Nothing here computes the exercises' mathematics: [`Nets`] has a forward pass per
//! network and no loss, the loop calls the functions it is given (G's loss is lesson 09's,
//! not an exercise here). The reference functions are [`Cgan::fns`], reached from here
//! only by [`Fns::or_reference`] and the reference run of [`train_yours`].

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::Rng;

use super::{Cgan, CganConfig, Players, label_values};
use crate::models::Model;
use crate::models::dcgan::{self, DcganConfig, SIDE};
use crate::models::gan::{OutputActivation, d_input, g_loss_from_logits, gan_optimizer};
use crate::models::nn::{Activation, Mlp};
use crate::models::train::{self, History, TrainConfig};
use crate::{Error, Result, check, course};

/// The generator and the discriminator of the lesson's cGAN, named as [`Cgan`]'s
/// (`generator.*`, `discriminator.*`), so that a [`Cgan`] built on the same
/// [`VarMap`] reads the same weights. A forward pass per network on an input that already
/// carries the label, and no loss.
///
/// ```
/// use gmcourse::models::{CganConfig, cgan::Nets};
/// let cfg = CganConfig::toy_2d(3);
/// let (nets, _) = Nets::seeded(&cfg, 0)?;
/// let zy = candle_core::Tensor::zeros((5, 2 + 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let x = nets.generate(&zy)?;                                       // (5, 2)
/// let xy = candle_core::Tensor::cat(&[&nets.centred(&x)?, &zy.narrow(1, 2, 3)?], 1)?;
/// assert_eq!(nets.discriminate(&xy)?.dims(), &[5, 1]);              // logits
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Nets {
    networks: Networks,
    cfg: CganConfig,
}

/// The networks of [`Players`].
#[derive(Debug, Clone)]
enum Networks {
    Mlp {
        generator: Mlp,
        discriminator: Mlp,
    },
    Conv {
        generator: dcgan::Generator,
        discriminator: dcgan::Discriminator,
        translate: usize,
    },
}

impl Nets {
    /// The networks of `cfg` under `vb` (`generator.*`, `discriminator.*`).
    ///
    /// # Errors
    /// Fewer than 2 classes; convolutional players for data that are not 28×28 images
    /// with a sigmoid output.
    pub(crate) fn new(vb: VarBuilder, cfg: &CganConfig) -> Result<Self> {
        if cfg.n_classes < 2 {
            return Err(Error::invalid(
                "CganConfig::n_classes",
                "at least 2",
                cfg.n_classes,
            ));
        }
        let (g, d) = (vb.pp("generator"), vb.pp("discriminator"));
        let k = cfg.n_classes;
        let networks = match &cfg.players {
            Players::Mlp { g_hidden, d_hidden } => {
                let g_sizes = Mlp::sizes(cfg.latent + k, g_hidden, cfg.data_dim);
                let d_sizes = Mlp::sizes(cfg.data_dim + k, d_hidden, 1);
                Networks::Mlp {
                    generator: Mlp::new(g, &g_sizes, Activation::LeakyRelu(0.2))?,
                    discriminator: Mlp::new(d, &d_sizes, Activation::LeakyRelu(0.2))?,
                }
            }
            Players::Conv {
                channels,
                d_hidden,
                translate,
            } => {
                if cfg.data_dim != SIDE * SIDE || cfg.output != OutputActivation::Sigmoid {
                    return Err(Error::invalid(
                        "CganConfig::players",
                        "Players::Mlp for data that are not 28×28 images in [0, 1] \
                         (Players::Conv needs data_dim 784 and a sigmoid output)",
                        format!("Players::Conv with data_dim {}", cfg.data_dim),
                    ));
                }
                if *channels == 0 {
                    return Err(Error::invalid("Players::Conv::channels", "at least 1", 0));
                }
                let d_cfg = DcganConfig {
                    channels: *channels,
                    d_hidden: *d_hidden,
                    pack: 1,
                    d_batch_norm: false,
                    ..DcganConfig::mnist()
                };
                Networks::Conv {
                    generator: dcgan::Generator::new(g, cfg.latent + k, *channels)?,
                    discriminator: dcgan::Discriminator::new(d, &d_cfg, k)?,
                    translate: *translate,
                }
            }
        };
        Ok(Self {
            networks,
            cfg: cfg.clone(),
        })
    }

    /// Fresh networks sized by `cfg` in their own [`VarMap`], initialised from `seed`
    /// exactly as `Cgan::seeded(cfg, seed)` is.
    ///
    /// # Errors
    /// As [`Cgan::new`]: fewer than 2 classes, or convolutional players for data that are
    /// not 28×28 images.
    pub fn seeded(cfg: &CganConfig, seed: u64) -> Result<(Self, VarMap)> {
        let (_, varmap) = Cgan::seeded(cfg, seed)?;
        let nets = Self::on(&varmap, cfg)?;
        Ok((nets, varmap))
    }

    /// The networks of `cfg` on the variables of `varmap` (which must hold them, by name).
    ///
    /// # Errors
    /// A tensor missing from `varmap` or of the wrong shape.
    pub fn on(varmap: &VarMap, cfg: &CganConfig) -> Result<Self> {
        let vb = VarBuilder::from_varmap(varmap, DType::F32, &Device::Cpu);
        let before = varmap.all_vars().len();
        let nets = Self::new(vb, cfg)?;
        if varmap.all_vars().len() != before {
            return Err(Error::invalid(
                "cgan::Nets::on",
                "a varmap holding the networks' tensors",
                "a varmap without some of them",
            ));
        }
        Ok(nets)
    }

    /// The configuration the networks were built with.
    pub fn config(&self) -> &CganConfig {
        &self.cfg
    }

    /// `x = G(input)`, `(batch, data_dim)`, from the conditioned noise `[z ‖ one_hot(y)]`
    /// `(batch, latent + n_classes)` (pixels in `[0, 1]` for MNIST; the convolutional
    /// generator's batch norm uses this batch's statistics).
    ///
    /// # Errors
    /// An input of the wrong width.
    pub fn generate(&self, input: &Tensor) -> Result<Tensor> {
        check::matrix(
            input,
            "[z ‖ one_hot(y)] (generator input)",
            self.cfg.latent + self.cfg.n_classes,
        )?;
        match &self.networks {
            Networks::Mlp { generator, .. } => {
                let out = generator.forward(input)?;
                Ok(match self.cfg.output {
                    OutputActivation::Linear => out,
                    OutputActivation::Sigmoid => candle_nn::ops::sigmoid(&out)?,
                })
            }
            Networks::Conv { generator, .. } => generator.forward(input),
        }
    }

    /// What the discriminator sees of data `x` `(batch, data_dim)`: pixels centred to
    /// `2x − 1`, toy data as they are. Condition this, not `x`, for [`Nets::discriminate`].
    ///
    /// # Errors
    /// `x` of the wrong width.
    pub fn centred(&self, x: &Tensor) -> Result<Tensor> {
        check::matrix(x, "x (discriminator input)", self.cfg.data_dim)?;
        d_input(x, self.cfg.output)
    }

    /// `x` as the discriminator sees it in training: for the convolutional players each
    /// image shifted by up to [`Players::Conv`]'s `translate` pixels, drawn from `rng`;
    /// otherwise `x` itself (and nothing is drawn).
    ///
    /// # Errors
    /// `x` of the wrong width.
    pub fn augmented(&self, x: &Tensor, rng: &mut rand::rngs::StdRng) -> Result<Tensor> {
        check::matrix(x, "x (discriminator input)", self.cfg.data_dim)?;
        match &self.networks {
            Networks::Conv { translate, .. } if *translate > 0 => {
                dcgan::shifted(x, *translate, rng)
            }
            _ => Ok(x.clone()),
        }
    }

    /// The discriminator's logits `(batch, 1)` of the conditioned data
    /// `[centred(x) ‖ one_hot(y)]` `(batch, data_dim + n_classes)`.
    ///
    /// # Errors
    /// An input of the wrong width.
    pub fn discriminate(&self, input: &Tensor) -> Result<Tensor> {
        let n = check::matrix(
            input,
            "[x ‖ one_hot(y)] (discriminator input)",
            self.cfg.data_dim + self.cfg.n_classes,
        )?;
        match &self.networks {
            Networks::Mlp { discriminator, .. } => discriminator.forward(input),
            Networks::Conv { discriminator, .. } => {
                let d = self.cfg.data_dim;
                // the image part as one channel-major map (1, n, 28, 28), the label beside
                let x = input
                    .narrow(1, 0, d)?
                    .contiguous()?
                    .reshape((1, n, SIDE, SIDE))?;
                let y = input.narrow(1, d, self.cfg.n_classes)?.contiguous()?;
                discriminator.forward(&x, Some(&y))
            }
        }
    }

    /// The same networks with every weight detached from the graph: a loss through them
    /// sends gradients to their inputs and none to their weights.
    pub fn frozen(&self) -> Self {
        let networks = match &self.networks {
            Networks::Mlp {
                generator,
                discriminator,
            } => Networks::Mlp {
                generator: generator.frozen(),
                discriminator: discriminator.frozen(),
            },
            Networks::Conv {
                generator,
                discriminator,
                translate,
            } => Networks::Conv {
                generator: generator.frozen(),
                discriminator: discriminator.frozen(),
                translate: *translate,
            },
        };
        Self {
            networks,
            cfg: self.cfg.clone(),
        }
    }
}

/// Exercise 10.1's signature: one-hot rows `(n, k)` f32 from u32 labels `(n,)` and `k`.
pub type OneHotFn = fn(&Tensor, usize) -> Result<Tensor>;
/// Exercise 10.2's signature: `[v ‖ y_one_hot]` from `v` and the one-hot rows.
pub type ConditionedInputFn = fn(&Tensor, &Tensor) -> Result<Tensor>;
/// Exercise 10.3's signature: wrong labels `(n,)` from labels `(n,)`, uniforms `(n,)`, `k`.
pub type MismatchedLabelsFn = fn(&Tensor, &Tensor, usize) -> Result<Tensor>;
/// Exercise 10.4's signature: D's loss from `(l_real, l_wrong, l_fake, real_target)`.
pub type DiscriminatorLossFn = fn(&Tensor, &Tensor, &Tensor, f64) -> Result<Tensor>;

/// The four functions a training step calls, as fn pointers (the lesson file's
/// `cgan_fns()` returns the student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 10.1.
    pub one_hot: OneHotFn,
    /// Exercise 10.2.
    pub conditioned_input: ConditionedInputFn,
    /// Exercise 10.3.
    pub mismatched_labels: MismatchedLabelsFn,
    /// Exercise 10.4.
    pub discriminator_loss: DiscriminatorLossFn,
}

/// The pieces, by exercise.
const PIECES: [(&str, &str); 4] = [
    ("10.1", "one_hot"),
    ("10.2", "conditioned_input"),
    ("10.3", "mismatched_labels"),
    ("10.4", "discriminator_loss"),
];

impl Fns {
    /// Puts the reference in place of each function that is still a `todo!()` stub, and
    /// prints one line that says which, e.g. `exercise 10.4 not done yet: the reference
    /// discriminator_loss trains in its place`. Each function is called once, on a tiny
    /// input, with panic messages silenced; a function that panics for another reason is
    /// kept (the training loop then reports its panic). Returns the functions and, per
    /// exercise, whether the student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 4]) {
        let reference = Cgan::fns();
        let done = match probe() {
            Ok((y, u, v, oh, l)) => [
                course::is_todo(|| (self.one_hot)(&y, 3).map(drop)),
                course::is_todo(|| (self.conditioned_input)(&v, &oh).map(drop)),
                course::is_todo(|| (self.mismatched_labels)(&y, &u, 3).map(drop)),
                course::is_todo(|| (self.discriminator_loss)(&l, &l, &l, 1.0).map(drop)),
            ]
            .map(|todo| !todo),
            Err(_) => [true; 4],
        };
        if let Some(line) = course::reference_line(&PIECES, &done) {
            println!("{line}");
        }
        let fns = Fns {
            one_hot: if done[0] {
                self.one_hot
            } else {
                reference.one_hot
            },
            conditioned_input: if done[1] {
                self.conditioned_input
            } else {
                reference.conditioned_input
            },
            mismatched_labels: if done[2] {
                self.mismatched_labels
            } else {
                reference.mismatched_labels
            },
            discriminator_loss: if done[3] {
                self.discriminator_loss
            } else {
                reference.discriminator_loss
            },
        };
        (fns, done)
    }
}

/// The tiny input each function is probed with: labels, uniforms, a batch, its one-hot
/// rows and logits.
fn probe() -> Result<(Tensor, Tensor, Tensor, Tensor, Tensor)> {
    let y = super::labels(&[0, 2])?;
    let u = Tensor::new(&[0.25f32, 0.75], &Device::Cpu)?;
    let mut rng = train::rng(0);
    let v = train::randn(&mut rng, 2, 2)?;
    let oh = Tensor::new(&[[1f32, 0.0, 0.0], [0.0, 0.0, 1.0]], &Device::Cpu)?;
    let l = train::randn(&mut rng, 2, 1)?;
    Ok((y, u, v, oh, l))
}

/// `t` must have `dims` (and `dtype`); else a shape error naming the exercise that made it.
fn expect(t: &Tensor, dims: &[usize], dtype: DType, what: &str) -> Result<()> {
    if t.dims() != dims || t.dtype() != dtype {
        return Err(Error::shape(
            what,
            format!("a {dtype:?} tensor {dims:?}"),
            format!("a {:?} tensor {:?}", t.dtype(), t.dims()),
        ));
    }
    Ok(())
}

/// `[v ‖ one_hot(labels)]` by `fns`, shapes and dtypes checked with errors that name the
/// exercise.
fn conditioned(fns: &Fns, v: &Tensor, labels: &Tensor, k: usize) -> Result<Tensor> {
    let (n, width) = v.dims2()?;
    let y = (fns.one_hot)(labels, k)?;
    expect(
        &y,
        &[n, k],
        DType::F32,
        "the rows from one_hot (exercise 10.1)",
    )?;
    let input = (fns.conditioned_input)(v, &y)?;
    expect(
        &input,
        &[n, width + k],
        DType::F32,
        "the input from conditioned_input (exercise 10.2)",
    )?;
    Ok(input)
}

/// Trains `nets` (whose variables are `varmap`'s) with `fns` on `data` `(n, data_dim)` and
/// its `labels` (u32 `(n,)`): each step draws a batch of real pairs, fakes for random
/// labels and a wrong label for each real image, takes a step of D's optimiser on `fns`'s
/// matching-aware loss, then one of G's on the non-saturating loss against the frozen D,
/// as in the module docs. Uses exactly the functions it is given. Returns the [`History`]
/// with series `discriminator` and `generator`.
///
/// # Errors
/// Bad data or labels; a function that fails or returns a wrong shape or dtype (named), a
/// mismatched label outside the classes (exercise 10.3), or [`Error::Diverged`].
///
/// ```
/// use gmcourse::models::{Cgan, CganConfig, TrainConfig, cgan::{self, Nets}};
/// let (nets, varmap) = Nets::seeded(&CganConfig::toy_2d(2), 0)?;
/// let x = candle_core::Tensor::new(&[[1f32, 0.], [0., 1.]], &candle_core::Device::Cpu)?;
/// let tc = TrainConfig { steps: 3, batch_size: 4, log_every: 0, progress: false, ..Default::default() };
/// let h = cgan::train_with(&Cgan::fns(), &nets, &varmap, &x, &cgan::labels(&[0, 1])?, &tc)?;
/// assert_eq!(h.series("discriminator")?.len(), 3);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_with(
    fns: &Fns,
    nets: &Nets,
    varmap: &VarMap,
    data: &Tensor,
    labels: &Tensor,
    tc: &TrainConfig,
) -> Result<History> {
    let cfg = nets.config().clone();
    let k = cfg.n_classes;
    let n = check::matrix(data, "data (cGAN training set)", cfg.data_dim)?;
    let values = label_values(labels, k)?;
    if values.len() != n || n == 0 {
        return Err(Error::shape(
            "labels",
            format!("{n} labels, one per image (at least one)"),
            format!("{} labels", values.len()),
        ));
    }
    let mut opt_d = gan_optimizer(varmap, "discriminator", tc.lr, cfg.beta1)?;
    let mut opt_g = gan_optimizer(varmap, "generator", tc.lr, cfg.beta1)?;
    let batch = tc.batch_size;
    let random_labels = |rng: &mut rand::rngs::StdRng| -> Result<Tensor> {
        let y: Vec<u32> = (0..batch).map(|_| rng.random_range(0..k as u32)).collect();
        super::labels(&y)
    };
    let mut d_history = Vec::with_capacity(tc.steps);
    let g_history = train::run(tc, varmap, |step, rng| {
        let idx: Vec<u32> = (0..batch).map(|_| rng.random_range(0..n as u32)).collect();
        let x_real = nets.centred(&nets.augmented(&train::select_rows(data, &idx)?, rng)?)?;
        let y_real = super::labels(&idx.iter().map(|&i| values[i as usize]).collect::<Vec<_>>())?;
        let y_fake = random_labels(rng)?;
        let z = train::randn(rng, batch, cfg.latent)?;
        let x_fake = nets.generate(&conditioned(fns, &z, &y_fake, k)?)?.detach();
        let u = train::rand_uniform(rng, batch, 1)?.flatten_all()?;
        let y_wrong = (fns.mismatched_labels)(&y_real, &u, k)?;
        expect(
            &y_wrong,
            &[batch],
            DType::U32,
            "the labels from mismatched_labels (exercise 10.3)",
        )?;
        if let Some(&bad) = y_wrong.to_vec1::<u32>()?.iter().find(|&&y| y as usize >= k) {
            return Err(Error::invalid(
                "the labels from mismatched_labels (exercise 10.3)",
                format!("classes in 0..{k}"),
                bad,
            ));
        }
        let l_real = nets.discriminate(&conditioned(fns, &x_real, &y_real, k)?)?;
        let l_wrong = nets.discriminate(&conditioned(fns, &x_real, &y_wrong, k)?)?;
        let x_fake = nets.centred(&nets.augmented(&x_fake, rng)?)?;
        let l_fake = nets.discriminate(&conditioned(fns, &x_fake, &y_fake, k)?)?;
        let d_loss = (fns.discriminator_loss)(&l_real, &l_wrong, &l_fake, cfg.real_target)?;
        expect(
            &d_loss,
            &[],
            DType::F32,
            "the loss from discriminator_loss (exercise 10.4)",
        )?;
        d_history.push(train::checked_step(&mut opt_d, &d_loss, step)?);
        let y_gen = random_labels(rng)?;
        let z = train::randn(rng, batch, cfg.latent)?;
        let x_gen = nets.generate(&conditioned(fns, &z, &y_gen, k)?)?;
        let x_gen = nets.centred(&nets.augmented(&x_gen, rng)?)?;
        let l_gen = nets
            .frozen()
            .discriminate(&conditioned(fns, &x_gen, &y_gen, k)?)?;
        let g_loss = g_loss_from_logits(&l_gen, cfg.loss)?;
        train::checked_step(&mut opt_g, &g_loss, step)
    })?;
    Ok(History::new()
        .with("discriminator", d_history)
        .with("generator", g_history))
}

/// A cGAN trained by [`train_yours`].
pub struct Trained {
    /// The functions that trained it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (10.1 to 10.4) are the student's.
    pub done: [bool; 4],
    /// Its variables.
    pub varmap: VarMap,
    /// The per-step history.
    pub history: History,
    /// The trained weights read by the course's [`Cgan`] (sampling).
    pub cgan: Cgan,
    /// With every exercise done: the reference trained on the same seed for the same
    /// number of steps, and its history.
    pub reference: Option<(Cgan, History)>,
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
    /// Whether all four functions are the student's.
    pub fn all_yours(&self) -> bool {
        self.done.iter().all(|&d| d)
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
            "your cGAN"
        } else {
            "your cGAN (reference in place of the unfinished exercises)"
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

/// The training cell of lesson 10: the student's `fns` (the reference in place of each
/// unfinished one, said in one line), trained by [`train_with`] from `tc.seed`-initialised
/// networks of `cfg` on `data` and `labels`. With every exercise done, the reference is
/// trained too, on the same seed for the same number of steps. Prints one line with the
/// step count.
///
/// # Errors
/// Those of [`train_with`] (a student's function that panics is reported by its panic).
pub fn train_yours(
    fns: Fns,
    cfg: &CganConfig,
    data: &Tensor,
    labels: &Tensor,
    tc: &TrainConfig,
) -> Result<Trained> {
    let (fns, done) = fns.or_reference();
    let start = std::time::Instant::now();
    let (nets, varmap) = Nets::seeded(cfg, tc.seed)?;
    let history = train_with(&fns, &nets, &varmap, data, labels, tc)?;
    println!(
        "trained for {:.0} s, {} steps",
        start.elapsed().as_secs_f64(),
        history.len()
    );
    let read = |varmap: &VarMap| {
        Cgan::new(
            VarBuilder::from_varmap(varmap, DType::F32, &Device::Cpu),
            cfg,
        )
    };
    let cgan = read(&varmap)?;
    let reference = if done.iter().all(|&d| d) {
        let same = TrainConfig {
            steps: history.len(),
            time_budget: None,
            ..tc.clone()
        };
        let (r_nets, r_vars) = Nets::seeded(cfg, tc.seed)?;
        let h = train_with(&Cgan::fns(), &r_nets, &r_vars, data, labels, &same)?;
        Some((read(&r_vars)?, h))
    } else {
        None
    };
    Ok(Trained {
        fns,
        done,
        varmap,
        history,
        cgan,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::RingConfig;

    fn todo_loss(_: &Tensor, _: &Tensor, _: &Tensor, _: f64) -> Result<Tensor> {
        todo!("exercise 10.4: implement `discriminator_loss`")
    }

    /// One-hot rows in u8, as `broadcast_eq` gives them.
    fn u8_one_hot(labels: &Tensor, k: usize) -> Result<Tensor> {
        let classes = Tensor::arange(0u32, k as u32, labels.device())?;
        Ok(labels.unsqueeze(1)?.broadcast_eq(&classes.unsqueeze(0)?)?)
    }

    /// The input without its label.
    fn no_label(v: &Tensor, _: &Tensor) -> Result<Tensor> {
        Ok(v.clone())
    }

    fn tc(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 16,
            log_every: 0,
            progress: false,
            ..Default::default()
        }
    }

    fn ring(n: usize) -> (Tensor, Tensor) {
        let (x, y) = RingConfig {
            modes: 4,
            radius: 2.0,
            sigma: 0.05,
        }
        .draw_labelled(&mut train::rng(0), n)
        .unwrap();
        (x.to_tensor().unwrap(), super::super::labels(&y).unwrap())
    }

    #[test]
    fn a_todo_function_is_replaced_and_a_finished_one_is_kept() {
        let fns = Fns {
            discriminator_loss: todo_loss,
            one_hot: u8_one_hot,
            ..Cgan::fns()
        };
        let (fns, done) = fns.or_reference();
        assert_eq!(done, [true, true, true, false]);
        let (y, _, _, _, l) = probe().unwrap();
        let loss = (fns.discriminator_loss)(&l, &l, &l, 1.0).unwrap();
        assert_eq!(
            loss.dims(),
            &[] as &[usize],
            "the reference loss is in place"
        );
        assert_eq!(
            (fns.one_hot)(&y, 3).unwrap().dtype(),
            DType::U8,
            "the student's one_hot is kept"
        );
    }

    #[test]
    fn train_with_names_the_exercise_that_returned_a_wrong_dtype_or_shape() -> Result<()> {
        let (x, y) = ring(64);
        for (fns, exercise) in [
            (
                Fns {
                    one_hot: u8_one_hot,
                    ..Cgan::fns()
                },
                "exercise 10.1",
            ),
            (
                Fns {
                    conditioned_input: no_label,
                    ..Cgan::fns()
                },
                "exercise 10.2",
            ),
        ] {
            let (nets, varmap) = Nets::seeded(&CganConfig::toy_2d(4), 0)?;
            let err = train_with(&fns, &nets, &varmap, &x, &y, &tc(1)).unwrap_err();
            assert!(err.to_string().contains(exercise), "{err}");
        }
        Ok(())
    }

    #[test]
    fn the_reference_functions_train_and_a_cgan_on_the_same_varmap_reads_the_weights() -> Result<()>
    {
        let (x, y) = ring(256);
        let cfg = CganConfig::toy_2d(4);
        let (nets, varmap) = Nets::seeded(&cfg, 0)?;
        let h = train_with(&Cgan::fns(), &nets, &varmap, &x, &y, &tc(10))?;
        assert_eq!(h.series("generator")?.len(), 10);
        let cgan = Cgan::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &cfg,
        )?;
        let z = train::randn(&mut train::rng(3), 4, 2)?;
        let labels = [0u32, 1, 2, 3];
        let y = Cgan::one_hot(&super::super::labels(&labels)?, 4)?;
        let input = Cgan::conditioned_input(&z, &y)?;
        crate::testing::assert_tensors_close(
            &cgan.generate(&z, &labels)?,
            &nets.generate(&input)?,
            0.0,
        );
        Ok(())
    }

    /// Small convolutional players on digits.
    fn conv_cfg() -> CganConfig {
        CganConfig {
            players: Players::Conv {
                channels: 4,
                d_hidden: 8,
                translate: 2,
            },
            latent: 6,
            ..CganConfig::default()
        }
    }

    /// `[v ‖ one_hot(label)]` for one label on every row.
    fn with_label(v: &Tensor, label: u32) -> Tensor {
        let labels = super::super::labels(&vec![label; v.dim(0).unwrap()]).unwrap();
        Cgan::conditioned_input(v, &Cgan::one_hot(&labels, 10).unwrap()).unwrap()
    }

    #[test]
    fn both_convolutional_players_read_the_label() -> Result<()> {
        let (nets, _) = Nets::seeded(&conv_cfg(), 0)?;
        let mut rng = train::rng(1);
        let z = train::randn(&mut rng, 4, 6)?;
        let (a, b) = (
            nets.generate(&with_label(&z, 0))?,
            nets.generate(&with_label(&z, 7))?,
        );
        assert_eq!(a.dims(), &[4, 784]);
        let gap = (a - b)?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(gap > 1e-4, "the generator ignores the label ({gap})");
        let x = nets.centred(&train::rand_uniform(&mut rng, 4, 784)?)?;
        let (a, b) = (
            nets.discriminate(&with_label(&x, 0))?,
            nets.discriminate(&with_label(&x, 7))?,
        );
        assert_eq!(a.dims(), &[4, 1]);
        let gap = (a - b)?.abs()?.max_all()?.to_scalar::<f32>()?;
        assert!(gap > 1e-4, "the discriminator ignores the label ({gap})");
        Ok(())
    }

    #[test]
    fn through_the_frozen_convolutional_discriminator_only_the_generator_gets_gradients()
    -> Result<()> {
        let (nets, varmap) = Nets::seeded(&conv_cfg(), 0)?;
        let mut rng = train::rng(1);
        let z = train::randn(&mut rng, 4, 6)?;
        let x = nets.centred(&nets.augmented(&nets.generate(&with_label(&z, 3))?, &mut rng)?)?;
        let l = nets.frozen().discriminate(&with_label(&x, 3))?;
        let grads = l.sum_all()?.backward()?;
        let d_loss = nets.discriminate(&with_label(&x.detach(), 3))?.sum_all()?;
        let d_grads = d_loss.backward()?;
        for (name, var) in train::sorted_vars(&varmap)? {
            let g = name.starts_with("generator");
            assert_eq!(grads.get(var.as_tensor()).is_some(), g, "{name}");
            assert_eq!(d_grads.get(var.as_tensor()).is_some(), !g, "{name}");
        }
        assert!(
            train::sorted_vars(&varmap)?
                .iter()
                .any(|(n, _)| n == "discriminator.embed.weight"),
            "the projection's label embedding"
        );
        Ok(())
    }

    #[test]
    fn convolutional_players_need_digits_and_say_so() {
        let cfg = CganConfig {
            players: conv_cfg().players,
            ..CganConfig::toy_2d(4)
        };
        let Err(err) = Nets::seeded(&cfg, 0) else {
            panic!("convolutional players built for 2-D data")
        };
        let err = err.to_string();
        assert!(err.contains("Players::Mlp"), "{err}");
    }

    #[test]
    fn the_convolutional_cgan_trains_and_a_cgan_on_the_same_varmap_reads_the_weights() -> Result<()>
    {
        let mut rng = train::rng(0);
        let x = train::rand_uniform(&mut rng, 32, 784)?;
        let y = super::super::labels(&(0..32).map(|i| i % 10).collect::<Vec<u32>>())?;
        let cfg = conv_cfg();
        let (nets, varmap) = Nets::seeded(&cfg, 0)?;
        let copies = |vm: &VarMap| -> Result<Vec<(String, Tensor)>> {
            train::named_tensors(vm)?
                .into_iter()
                .map(|(n, t)| Ok((n, t.copy()?)))
                .collect()
        };
        let before = copies(&varmap)?;
        let h = train_with(&Cgan::fns(), &nets, &varmap, &x, &y, &tc(3))?;
        assert_eq!(h.series("discriminator")?.len(), 3);
        for ((name, t0), (_, t1)) in before.iter().zip(copies(&varmap)?) {
            let moved = (t0 - t1)?.abs()?.max_all()?.to_scalar::<f32>()?;
            assert!(moved > 0.0, "{name} did not train");
        }
        let cgan = Cgan::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &cfg,
        )?;
        let z = train::randn(&mut train::rng(3), 4, 6)?;
        crate::testing::assert_tensors_close(
            &cgan.generate(&z, &[2, 2, 2, 2])?,
            &nets.generate(&with_label(&z, 2))?,
            0.0,
        );
        Ok(())
    }
}
