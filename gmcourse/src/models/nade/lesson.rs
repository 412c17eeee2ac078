//! The plumbing of lesson 05, where the student writes NADE's mathematics: the parameters
//! ([`Params`], built and seeded here), the three functions the lesson calls ([`Fns`]),
//! the loop that trains exactly those functions ([`train_with`]), their test score
//! ([`evaluate_with`]) and the notebook's training cell ([`train_yours`]), which puts the
//! reference in place of every function that is still `todo!()`.
//!
//! ```text
//! logits = conditional_logits(params, x)   (batch, D): logit of p(x_i = 1 | x_<i)     exercise 5.1
//! log_p  = log_likelihood(x, logits)       (batch,):  log p(x), nats                    5.2
//! loss   = −mean(log_p);  θ ← AdamW(θ, ∇θ loss)
//! x      = sample(params, u)               (n, D), pixel by pixel, u ~ U(0, 1) given    5.3
//! ```
//!
//! Nothing here computes the model's mathematics: [`Params`] has fields and constructors,
//! the loop calls the functions it is given. The reference functions are
//! [`Nade::fns`](super::Nade::fns), reached from here only by [`Fns::or_reference`].

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use super::{Nade, NadeConfig};
use crate::models::Model;
use crate::models::train::{self, History, TrainConfig};
use crate::{Error, Result, course};

/// NADE's four parameter tensors, named as [`Nade`]'s (`w`, `c`, `v`, `b`), so that a
/// [`Nade`] built on the same [`VarMap`] reads the same weights. Fields and constructors
/// only.
///
/// ```
/// use gmcourse::models::{NadeConfig, nade::Params};
/// let (params, varmap) = Params::seeded(&NadeConfig { n_pixels: 6, hidden: 3 }, 0)?;
/// assert_eq!(params.w.dims(), &[3, 6]);
/// assert_eq!(params.v.dims(), &[6, 3]);
/// assert_eq!(varmap.all_vars().len(), 4);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Params {
    /// `W (H, D)`: column `i` is what pixel `i` adds to every later pre-activation.
    pub w: Tensor,
    /// `c (H)`: the hidden bias, the pre-activation before any pixel is seen.
    pub c: Tensor,
    /// `V (D, H)`: row `i` (the paper's α_i) reads pixel `i`'s hidden units.
    pub v: Tensor,
    /// `b (D)`: the output bias of each pixel.
    pub b: Tensor,
}

impl Params {
    /// The parameters under `vb`, sized by `cfg`.
    ///
    /// # Errors
    /// Fewer than 2 pixels or no hidden unit.
    pub fn new(vb: VarBuilder, cfg: &NadeConfig) -> Result<Self> {
        Nade::check_config(cfg)?;
        let (d, h) = (cfg.n_pixels, cfg.hidden);
        Ok(Self {
            w: vb.get((h, d), "w")?,
            c: vb.get(h, "c")?,
            v: vb.get((d, h), "v")?,
            b: vb.get(d, "b")?,
        })
    }

    /// Fresh parameters in their own [`VarMap`], initialised from `seed` exactly as
    /// `Nade::seeded(cfg, seed)` is.
    ///
    /// # Errors
    /// As [`Params::new`].
    pub fn seeded(cfg: &NadeConfig, seed: u64) -> Result<(Self, VarMap)> {
        let varmap = VarMap::new();
        let params = Self::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            cfg,
        )?;
        train::init_seeded(&varmap, seed)?;
        Ok((params, varmap))
    }

    /// The sizes these parameters were built with.
    pub fn config(&self) -> NadeConfig {
        let (hidden, n_pixels) = self.w.dims2().unwrap_or((0, 0));
        NadeConfig { n_pixels, hidden }
    }
}

/// Exercise 5.1's signature: the logits `(batch, D)` of every conditional.
pub type ConditionalLogitsFn = fn(&Params, &Tensor) -> Result<Tensor>;
/// Exercise 5.2's signature: `log p(x)` `(batch,)` from `(x, logits)`.
pub type LogLikelihoodFn = fn(&Tensor, &Tensor) -> Result<Tensor>;
/// Exercise 5.3's signature: binary images `(n, D)` from the uniforms `u` `(n, D)`.
pub type SampleFn = fn(&Params, &Tensor) -> Result<Tensor>;

/// The three functions the lesson trains and samples with, as fn pointers (the lesson
/// file's `nade_fns()` returns the student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 5.1.
    pub conditional_logits: ConditionalLogitsFn,
    /// Exercise 5.2.
    pub log_likelihood: LogLikelihoodFn,
    /// Exercise 5.3.
    pub sample: SampleFn,
}

/// The exercises behind [`Fns`]' fields, in order.
const PIECES: [(&str, &str); 3] = [
    ("5.1", "conditional_logits"),
    ("5.2", "log_likelihood"),
    ("5.3", "sample"),
];

impl Fns {
    /// Puts the reference in place of each function that is still a `todo!()` stub, and
    /// prints one line that says which, e.g. `exercise 5.3 not done yet: the reference
    /// sample trains in its place`. Each function is called once, on a tiny seeded input,
    /// with panic messages silenced; a function that panics for another reason is kept
    /// (the training loop then reports its panic). Returns the functions and, per
    /// exercise, whether the student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 3]) {
        let reference = Nade::fns();
        let done = match Probe::new() {
            Ok(p) => [
                course::is_todo(|| (self.conditional_logits)(&p.params, &p.x).map(drop)),
                course::is_todo(|| (self.log_likelihood)(&p.x, &p.logits).map(drop)),
                course::is_todo(|| (self.sample)(&p.params, &p.u).map(drop)),
            ]
            .map(|todo| !todo),
            Err(_) => [true; 3],
        };
        if let Some(line) = course::reference_line(&PIECES, &done) {
            println!("{line}");
        }
        let fns = Fns {
            conditional_logits: if done[0] {
                self.conditional_logits
            } else {
                reference.conditional_logits
            },
            log_likelihood: if done[1] {
                self.log_likelihood
            } else {
                reference.log_likelihood
            },
            sample: if done[2] {
                self.sample
            } else {
                reference.sample
            },
        };
        (fns, done)
    }
}

/// The tiny input each function is probed with.
struct Probe {
    params: Params,
    x: Tensor,
    logits: Tensor,
    u: Tensor,
}

impl Probe {
    fn new() -> Result<Self> {
        let cfg = NadeConfig {
            n_pixels: 4,
            hidden: 3,
        };
        let (params, _) = Params::seeded(&cfg, 0)?;
        let mut rng = train::rng(0);
        let x = train::rand_uniform(&mut rng, 2, 4)?
            .ge(0.5)?
            .to_dtype(DType::F32)?;
        let logits = train::randn(&mut rng, 2, 4)?;
        let u = train::rand_uniform(&mut rng, 2, 4)?;
        Ok(Self {
            params,
            x,
            logits,
            u,
        })
    }
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

/// `log p(x)` `(batch,)` of the binary batch `x` by `fns`, shapes checked with errors that
/// name the exercise.
pub fn log_prob_with(fns: &Fns, params: &Params, x: &Tensor) -> Result<Tensor> {
    let (batch, d) = x.dims2()?;
    let logits = (fns.conditional_logits)(params, x)?;
    expect_dims(
        &logits,
        &[batch, d],
        "logits from conditional_logits (exercise 5.1)",
    )?;
    let log_p = (fns.log_likelihood)(x, &logits)?;
    expect_dims(
        &log_p,
        &[batch],
        "log p(x) from log_likelihood (exercise 5.2)",
    )?;
    Ok(log_p)
}

/// Trains `params` (whose variables are `varmap`'s) on the binary rows of `data` `(n, D)`
/// by maximum likelihood: AdamW on the mean of `−log p(x)` that `fns` compute, over random
/// mini-batches. Uses exactly the functions it is given. Returns the per-step loss (mean
/// NLL of the batch, nats per image) as a [`History`], as [`super::train`] does.
///
/// # Errors
/// A wrong data shape, a function that returns a wrong shape (named), or
/// [`Error::Diverged`].
///
/// ```
/// use gmcourse::models::{NadeConfig, TrainConfig, nade::{self, Params}};
/// let cfg = NadeConfig { n_pixels: 4, hidden: 3 };
/// let (params, varmap) = Params::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &candle_core::Device::Cpu)?;
/// let tc = TrainConfig { steps: 20, batch_size: 2, lr: 0.05, log_every: 0, progress: false, ..Default::default() };
/// let (fns, _) = nade::Fns { conditional_logits: |_, _| todo!(), log_likelihood: |_, _| todo!(),
///     sample: |_, _| todo!() }.or_reference();
/// let h = nade::train_with(&fns, &params, &varmap, &data, &tc)?;
/// assert!(h.loss()?[19] < h.loss()?[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_with(
    fns: &Fns,
    params: &Params,
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
) -> Result<History> {
    crate::check::matrix(data, "training data", params.config().n_pixels)?;
    crate::models::minimise_on_batches(varmap, data, cfg, |x| {
        Ok(log_prob_with(fns, params, x)?.mean_all()?.neg()?)
    })
}

/// The grader's short training run, one copy for both sides: fresh parameters
/// (`D → hidden`, initialised from `seed`) trained by [`train_with`] on `data` for `steps`
/// steps of 32 images at learning rate 0.01. The lesson's trusted `train_for_test` runs it
/// on the student's functions; a hidden test runs it on the reference's for its bound.
///
/// # Errors
/// As [`train_with`].
pub fn fit_seeded(
    fns: &Fns,
    data: &Tensor,
    hidden: usize,
    steps: usize,
    seed: u64,
) -> Result<(Params, VarMap)> {
    let cfg = NadeConfig {
        n_pixels: data.dim(1)?,
        hidden,
    };
    let (params, varmap) = Params::seeded(&cfg, seed)?;
    let tc = TrainConfig {
        steps,
        batch_size: 32,
        lr: 1e-2,
        seed,
        log_every: 0,
        progress: false,
        ..Default::default()
    };
    train_with(fns, &params, &varmap, data, &tc)?;
    Ok((params, varmap))
}

/// The mean `−log p(x)` of the rows of `x` by `fns`, nats per image, 500 images at a time.
///
/// # Errors
/// As [`log_prob_with`].
pub fn evaluate_with(fns: &Fns, params: &Params, x: &Tensor) -> Result<f64> {
    let n = x.dim(0)?;
    let mut sum = 0.0;
    for start in (0..n).step_by(500) {
        let chunk = x.narrow(0, start, 500.min(n - start))?;
        let lp = log_prob_with(fns, params, &chunk)?;
        sum += lp.to_dtype(DType::F64)?.sum_all()?.to_scalar::<f64>()?;
    }
    Ok(-sum / n.max(1) as f64)
}

/// `n` images drawn by `fns.sample` from `params`, with the uniforms `(n, D)` drawn from
/// `seed`; checked to be `(n, D)` and binary.
///
/// # Errors
/// A sampler that fails, or returns a wrong shape or a value other than 0 and 1.
pub fn sample_with(fns: &Fns, params: &Params, n: usize, seed: u64) -> Result<Tensor> {
    let d = params.config().n_pixels;
    let u = train::rand_uniform(&mut train::rng(seed), n, d)?;
    let x = (fns.sample)(params, &u)?;
    expect_dims(&x, &[n, d], "images from sample (exercise 5.3)")?;
    let x = x.to_dtype(DType::F32)?;
    let binary = x
        .eq(0f32)?
        .add(&x.eq(1f32)?)?
        .min_all()?
        .to_scalar::<u8>()?;
    if binary == 0 {
        return Err(Error::invalid(
            "images from sample (exercise 5.3)",
            "pixels 0 or 1",
            "another value",
        ));
    }
    Ok(x)
}

/// A NADE trained by [`train_yours`].
pub struct Trained {
    /// The functions that trained it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (5.1 to 5.3) are the student's.
    pub done: [bool; 3],
    /// The trained parameters.
    pub params: Params,
    /// Their variables.
    pub varmap: VarMap,
    /// The per-step loss.
    pub history: History,
    /// How long the training took, in seconds.
    pub seconds: f64,
    /// The same weights read by the course's [`Nade`] (its fused kernel scores thousands
    /// of images quickly).
    pub nade: Nade,
    /// The test NLL by the functions that trained it, nats per image.
    pub test_nll: f64,
    /// With every exercise done: the reference (the fused kernel) trained on the same
    /// seed for the same number of steps, its history, its test NLL and its training time
    /// in seconds.
    pub reference: Option<(Nade, History, f64, f64)>,
}

impl std::fmt::Debug for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trained")
            .field("done", &self.done)
            .field("steps", &self.history.len())
            .field("test_nll", &self.test_nll)
            .field("reference", &self.reference.as_ref().map(|r| r.2))
            .field("seconds", &self.seconds)
            .finish_non_exhaustive()
    }
}

impl Trained {
    /// Whether all three functions are the student's.
    pub fn all_yours(&self) -> bool {
        self.done.iter().all(|&d| d)
    }

    /// The notebook's table of test figures: the student's, and the reference's next to
    /// them when there is one.
    pub fn table(&self) -> crate::plot::Html {
        let row = |name: &str, h: &History, nll: f64, seconds: f64| {
            format!(
                "<tr><td>{name}</td><td>{}</td><td>{seconds:.1}</td><td>{nll:.1}</td><td>{:.3}</td></tr>",
                h.len(),
                nll / self.params.config().n_pixels as f64 / 2f64.ln()
            )
        };
        let who = if self.all_yours() {
            "your NADE"
        } else {
            "your NADE (reference in place of the unfinished exercises)"
        };
        let mut body = row(who, &self.history, self.test_nll, self.seconds);
        if let Some((_, h, nll, seconds)) = &self.reference {
            body.push_str(&row(
                "reference (fused kernel), same seed",
                h,
                *nll,
                *seconds,
            ));
        }
        crate::plot::Html::new(format!(
            "<table><tr><th>model</th><th>steps</th><th>training, s</th>\
             <th>test NLL, nats per image</th><th>bits per pixel</th></tr>{body}</table>"
        ))
    }

    /// `n` samples drawn by the student's sampler (exercise 5.3) from the trained
    /// parameters, then, when there is one, `n` by the reference model from the same
    /// uniforms (`seed`): `(n or 2n, D)`.
    ///
    /// # Errors
    /// As [`sample_with`].
    pub fn samples(&self, n: usize, seed: u64) -> Result<Tensor> {
        let mine = sample_with(&self.fns, &self.params, n, seed)?;
        match &self.reference {
            Some((nade, _, _, _)) => {
                let theirs = nade.sample(n, &mut train::rng(seed))?;
                Ok(Tensor::cat(&[&mine, &theirs], 0)?)
            }
            None => Ok(mine),
        }
    }
}

/// The training cell of lesson 05: the student's `fns` (the reference in place of each
/// unfinished one, said in one line) train `seed`-initialised parameters of size `cfg`
/// on `data` with `tc`, scored on `test`. With every exercise done, the reference (the
/// fused kernel) is trained too, from the same seed for the same number of steps, and
/// scored on the same images. Prints one line with the step count.
///
/// # Errors
/// Those of [`train_with`] (a student's function that panics is reported by its panic).
pub fn train_yours(
    fns: Fns,
    cfg: &NadeConfig,
    data: &Tensor,
    test: &Tensor,
    tc: &TrainConfig,
) -> Result<Trained> {
    let (fns, done) = fns.or_reference();
    let (params, varmap) = Params::seeded(cfg, tc.seed)?;
    let start = std::time::Instant::now();
    let history = train_with(&fns, &params, &varmap, data, tc)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "trained for {seconds:.0} s, {} steps of {} images",
        history.len(),
        tc.batch_size
    );
    let test_nll = evaluate_with(&fns, &params, test)?;
    let nade = Nade::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        cfg,
    )?;
    let reference = if done.iter().all(|&d| d) {
        let same = TrainConfig {
            steps: history.len(),
            time_budget: None,
            ..tc.clone()
        };
        let (theirs, vm) = Nade::seeded(cfg, tc.seed)?;
        let start = std::time::Instant::now();
        let h = super::train(&theirs, &vm, data, &same)?;
        let seconds = start.elapsed().as_secs_f64();
        let nll = theirs.nll(test)?.to_dtype(DType::F64)?.to_scalar::<f64>()?;
        Some((theirs, h, nll, seconds))
    } else {
        None
    };
    Ok(Trained {
        fns,
        done,
        params,
        varmap,
        history,
        seconds,
        nade,
        test_nll,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo_sample(_: &Params, _: &Tensor) -> Result<Tensor> {
        todo!("exercise 5.3: implement `sample`")
    }

    fn broken_log_likelihood(_: &Tensor, _: &Tensor) -> Result<Tensor> {
        panic!("index out of bounds")
    }

    fn per_pixel_log_likelihood(x: &Tensor, logits: &Tensor) -> Result<Tensor> {
        // forgot to sum over the pixels: (batch, D)
        Ok((x * logits)?)
    }

    fn toy() -> Result<(Params, VarMap, Tensor)> {
        let cfg = NadeConfig {
            n_pixels: 4,
            hidden: 8,
        };
        let (params, varmap) = Params::seeded(&cfg, 0)?;
        let data = Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &Device::Cpu)?;
        Ok((params, varmap, data))
    }

    fn tc(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 2,
            lr: 0.05,
            log_every: 0,
            progress: false,
            ..Default::default()
        }
    }

    #[test]
    fn a_todo_function_is_replaced_and_a_finished_or_panicking_one_is_kept() -> Result<()> {
        let fns = Fns {
            sample: todo_sample,
            log_likelihood: broken_log_likelihood,
            ..Nade::fns()
        };
        let (fns, done) = fns.or_reference();
        assert_eq!(done, [true, true, false]);
        let (params, _, _) = toy()?;
        let u = Tensor::full(0.5f32, (3, 4), &Device::Cpu)?;
        assert_eq!((fns.sample)(&params, &u)?.dims(), &[3, 4]);
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (fns.log_likelihood)(
                &u, &u
            )))
            .is_err(),
            "the panicking log_likelihood was kept"
        );
        Ok(())
    }

    #[test]
    fn train_with_names_the_exercise_that_returned_a_wrong_shape() -> Result<()> {
        let (params, varmap, data) = toy()?;
        let fns = Fns {
            log_likelihood: per_pixel_log_likelihood,
            ..Nade::fns()
        };
        let err = train_with(&fns, &params, &varmap, &data, &tc(1)).unwrap_err();
        assert!(err.to_string().contains("exercise 5.2"), "{err}");
        Ok(())
    }

    #[test]
    fn the_reference_functions_train_and_a_nade_on_the_same_varmap_reads_the_weights() -> Result<()>
    {
        let (params, varmap, data) = toy()?;
        let h = train_with(&Nade::fns(), &params, &varmap, &data, &tc(30))?;
        let loss = h.loss()?;
        assert!(
            loss[29] < loss[0],
            "the NLL fell: {} → {}",
            loss[0],
            loss[29]
        );
        let nade = Nade::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &params.config(),
        )?;
        crate::testing::assert_tensors_close(
            &nade.log_prob(&data)?,
            &log_prob_with(&Nade::fns(), &params, &data)?,
            1e-4,
        );
        // the trained tensors survive the trip through named_tensors and varmap_of
        let back = train::varmap_of(&train::named_tensors(&varmap)?)?;
        let again = Params::new(
            VarBuilder::from_varmap(&back, DType::F32, &Device::Cpu),
            &params.config(),
        )?;
        crate::testing::assert_tensors_close(&again.w, &params.w, 0.0);
        Ok(())
    }

    #[test]
    fn the_reference_sampler_with_the_rngs_uniforms_is_the_models_sampler() -> Result<()> {
        let (params, varmap, _) = toy()?;
        let nade = Nade::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &params.config(),
        )?;
        let mine = sample_with(&Nade::fns(), &params, 50, 3)?;
        let theirs = nade.sample(50, &mut train::rng(3))?;
        crate::testing::assert_tensors_close(&mine, &theirs, 0.0);
        Ok(())
    }
}
