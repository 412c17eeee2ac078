//! The training loop every model shares ([`run`]), its options ([`TrainConfig`]) and what
//! watches it ([`Observer`]), with what a loop needs around it:
//!
//! | file | what |
//! |---|---|
//! | `train.rs` (here) | the loop: `cfg.steps` optimiser steps, a time budget, a non-finite loss stops it |
//! | [`random`] | the seeded generator, noise tensors, random batches |
//! | [`params`] | seeded initialisation, the variables by name |
//! | [`history`] | [`History`]: the per-step losses of a run, named |
//! | [`checkpoint`] | weights (and history) saved and loaded, refused when they do not fit |
//!
//! A model's `train` function is this loop with the model's step inside:
//!
//! ```text
//! for step in 0..steps:  x ~ batch(data, rng);  loss = L(θ; x);  θ ← AdamW(θ, ∇θ loss)
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use candle_core::{DType, Tensor};
use candle_nn::VarMap;
use rand::rngs::StdRng;

use super::nn::FusedAdamW;
use crate::{Error, Result};

pub mod checkpoint;
pub mod history;
pub mod params;
pub mod random;

pub use checkpoint::{Checkpoints, load_checkpoint, save_checkpoint};
pub use history::History;
pub use params::{init_seeded, named_tensors, sorted_vars, varmap_of, vars_with_prefix};
pub use random::{rand_uniform, randn, random_batch, rng, select_rows};

/// Options of a training run.
///
/// ```
/// let cfg = gmcourse::models::TrainConfig { steps: 10, ..Default::default() };
/// assert_eq!(cfg.batch_size, 100);
/// ```
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Number of optimiser steps.
    pub steps: usize,
    /// Examples per step.
    pub batch_size: usize,
    /// AdamW learning rate.
    pub lr: f64,
    /// Seed of the batch order and of every random draw (eps, z).
    pub seed: u64,
    /// Print one line every `log_every` steps ([`Log`]); 0 prints nothing.
    pub log_every: usize,
    /// Stop early once this much wall-clock time has passed.
    pub time_budget: Option<Duration>,
    /// Save the weights here every `log_every` steps and at the end (safetensors).
    pub checkpoint: Option<PathBuf>,
    /// Show progress while training ([`crate::live::Progress`]): under the course kernel a
    /// bar (steps, rate, time left, loss) and a loss curve that redraw in place; under
    /// another notebook kernel a line every 10 %; outside a notebook nothing.
    pub progress: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            steps: 1000,
            batch_size: 100,
            lr: 1e-3,
            seed: 0,
            log_every: 100,
            time_budget: None,
            checkpoint: None,
            progress: true,
        }
    }
}

impl TrainConfig {
    /// What watches a run of this config: a [`Log`] line every `log_every` steps and, with
    /// `progress`, the live bar and loss curve of [`crate::live::Progress`].
    ///
    /// ```
    /// let cfg = gmcourse::models::TrainConfig { progress: false, ..Default::default() };
    /// assert!(cfg.observer().1.is_none());
    /// ```
    pub fn observer(&self) -> (Log, Option<crate::live::Progress>) {
        let progress = self.progress.then(|| {
            crate::live::Progress::new("training", self.steps).time_budget(self.time_budget)
        });
        (Log::every(self.log_every), progress)
    }
}

/// Watches a training run: told the loss after every step and when the run ends. [`run`]
/// calls it and never asks it anything, so it cannot change the run.
pub trait Observer {
    /// Step `done` (counting from 1) finished with `loss`.
    fn step(&mut self, done: usize, loss: f64);
    /// The run ended after `done` steps; `budget` is the time budget if it ended the run.
    fn finish(&mut self, done: usize, budget: Option<Duration>) {
        let _ = (done, budget);
    }
}

/// Watches nothing.
impl Observer for () {
    fn step(&mut self, _done: usize, _loss: f64) {}
}

/// An observer that may be absent.
impl<O: Observer> Observer for Option<O> {
    fn step(&mut self, done: usize, loss: f64) {
        if let Some(o) = self {
            o.step(done, loss);
        }
    }
    fn finish(&mut self, done: usize, budget: Option<Duration>) {
        if let Some(o) = self {
            o.finish(done, budget);
        }
    }
}

/// Two observers, told in order.
impl<A: Observer, B: Observer> Observer for (A, B) {
    fn step(&mut self, done: usize, loss: f64) {
        self.0.step(done, loss);
        self.1.step(done, loss);
    }
    fn finish(&mut self, done: usize, budget: Option<Duration>) {
        self.0.finish(done, budget);
        self.1.finish(done, budget);
    }
}

/// Prints `step, steps/s, loss` every `every` steps, and a line when the time budget ends
/// the run; `every = 0` prints nothing.
///
/// ```
/// use gmcourse::models::train::{Log, Observer};
/// let mut log = Log::every(2);
/// log.step(1, 0.5); // silent
/// log.step(2, 0.4); // prints "step       2  … steps/s  loss 0.4000"
/// ```
#[derive(Debug, Clone)]
pub struct Log {
    every: usize,
    last: Instant,
}

impl Log {
    /// A log line every `every` steps.
    pub fn every(every: usize) -> Self {
        Log {
            every,
            last: Instant::now(),
        }
    }
}

impl Observer for Log {
    fn step(&mut self, done: usize, loss: f64) {
        if self.every > 0 && done % self.every == 0 {
            let sps = self.every as f64 / self.last.elapsed().as_secs_f64();
            println!("step {done:>7}  {sps:>8.1} steps/s  loss {loss:.4}");
            self.last = Instant::now();
        }
    }
    fn finish(&mut self, done: usize, budget: Option<Duration>) {
        if let (true, Some(budget)) = (self.every > 0, budget) {
            println!("time budget of {budget:?} reached after {done} steps");
        }
    }
}

/// Converts a scalar loss to `f64` and stops with [`Error::Diverged`] if it is not finite.
///
/// ```
/// let l = candle_core::Tensor::new(f32::NAN, &candle_core::Device::Cpu)?;
/// assert!(gmcourse::models::train::finite_loss(&l, 3).is_err());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn finite_loss(loss: &Tensor, step: usize) -> Result<f64> {
    let v = loss.to_dtype(DType::F64)?.to_scalar::<f64>()?;
    if !v.is_finite() {
        return Err(Error::Diverged {
            step,
            loss: v,
            remedy: "lower the learning rate; the last good checkpoint (if any) was kept".into(),
        });
    }
    Ok(v)
}

/// One optimiser step on `loss`, refused (with [`Error::Diverged`]) if the loss is not
/// finite so that NaN never reaches the weights. Returns the loss value.
///
/// ```
/// let w = candle_core::Var::new(&[1f32], &candle_core::Device::Cpu)?;
/// let mut opt = gmcourse::models::nn::adamw(vec![w.clone()], 0.1)?;
/// let loss = w.as_tensor().sqr()?.sum_all()?;
/// gmcourse::models::train::checked_step(&mut opt, &loss, 0)?;
/// assert!(w.as_tensor().to_vec1::<f32>()?[0] < 1.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn checked_step(opt: &mut FusedAdamW, loss: &Tensor, step: usize) -> Result<f64> {
    let v = finite_loss(loss, step)?;
    opt.backward_step(loss)?;
    Ok(v)
}

/// The training loop every model shares, watched by [`TrainConfig::observer`]: see
/// [`run_observed`].
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// let cfg = gmcourse::models::TrainConfig { steps: 3, log_every: 0, ..Default::default() };
/// let losses = gmcourse::models::train::run(&cfg, &varmap, |step, _rng| Ok(1.0 / (step + 1) as f64))?;
/// assert_eq!(losses, vec![1.0, 0.5, 1.0 / 3.0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn run(
    cfg: &TrainConfig,
    varmap: &VarMap,
    step: impl FnMut(usize, &mut StdRng) -> Result<f64>,
) -> Result<Vec<f64>> {
    run_observed(cfg, varmap, &mut cfg.observer(), step)
}

/// The loop itself: calls `step(step, rng)` `cfg.steps` times (each call does one
/// optimiser step and returns its loss), tells `observer` every loss, saves a checkpoint
/// of `varmap` every `cfg.log_every` steps and at the end if `cfg.checkpoint` is set, stops
/// early on `cfg.time_budget`, and returns the losses. A non-finite loss stops with
/// [`Error::Diverged`]; the last checkpoint written before it is kept.
///
/// ```
/// use gmcourse::models::train::{self, Observer};
/// struct Count(usize);
/// impl Observer for Count {
///     fn step(&mut self, _done: usize, _loss: f64) { self.0 += 1; }
/// }
/// let cfg = gmcourse::models::TrainConfig { steps: 4, log_every: 0, ..Default::default() };
/// let mut count = Count(0);
/// train::run_observed(&cfg, &candle_nn::VarMap::new(), &mut count, |_, _| Ok(1.0))?;
/// assert_eq!(count.0, 4);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn run_observed(
    cfg: &TrainConfig,
    varmap: &VarMap,
    observer: &mut dyn Observer,
    mut step: impl FnMut(usize, &mut StdRng) -> Result<f64>,
) -> Result<Vec<f64>> {
    let mut rng = rng(cfg.seed);
    let start = Instant::now();
    let mut losses = Vec::with_capacity(cfg.steps);
    let mut stopped_by = None;
    for i in 0..cfg.steps {
        let loss = step(i, &mut rng)?;
        if !loss.is_finite() {
            return Err(Error::Diverged {
                step: i,
                loss,
                remedy: "lower the learning rate; the last good checkpoint (if any) was kept"
                    .into(),
            });
        }
        losses.push(loss);
        let done = i + 1;
        observer.step(done, loss);
        if cfg.log_every > 0
            && done % cfg.log_every == 0
            && let Some(path) = &cfg.checkpoint
        {
            save_checkpoint(varmap, path)?;
        }
        if let Some(budget) = cfg.time_budget
            && start.elapsed() >= budget
        {
            stopped_by = Some(budget);
            break;
        }
    }
    observer.finish(losses.len(), stopped_by);
    if let Some(path) = &cfg.checkpoint {
        save_checkpoint(varmap, path)?;
    }
    Ok(losses)
}
