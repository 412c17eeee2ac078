//! Shared pieces of every training loop: the config, seeded tensors and initialisation,
//! numerically stable losses, checkpoints, and the loop itself.
//!
//! The loss of a Bernoulli pixel with logit `l` and target `x` is the binary
//! cross-entropy written in its softplus form (Goodfellow et al., *Deep Learning*, 3.10):
//!
//! ```text
//! BCE(l, x) = -x log σ(l) - (1 - x) log(1 - σ(l)) = softplus(l) - x·l,
//! softplus(l) = max(l, 0) + log(1 + exp(-|l|)),
//! ```
//!
//! which never evaluates `log 0`, so saturated logits give a finite loss.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{ParamsAdamW, VarMap};

use super::optim::FusedAdamW;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::{Error, Result};

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
    /// Print one line every `log_every` steps; 0 prints nothing.
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

/// A seeded random number generator: the one source of randomness in training.
///
/// ```
/// use rand::Rng;
/// let a: f64 = gmcourse::models::train::rng(7).random();
/// let b: f64 = gmcourse::models::train::rng(7).random();
/// assert_eq!(a, b);
/// ```
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A `(rows, cols)` tensor of standard normal draws from `rng` (candle's CPU RNG cannot be
/// seeded, so all noise comes from here).
///
/// ```
/// let eps = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 3, 2)?;
/// assert_eq!(eps.dims(), &[3, 2]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn randn(rng: &mut StdRng, rows: usize, cols: usize) -> Result<Tensor> {
    let v: Vec<f32> = (0..rows * cols)
        .map(|_| rng.sample(StandardNormal))
        .collect();
    Ok(Tensor::from_vec(v, (rows, cols), &Device::Cpu)?)
}

/// A `(rows, cols)` tensor of uniform draws in `[0, 1)`.
///
/// ```
/// let u = gmcourse::models::train::rand_uniform(&mut gmcourse::models::train::rng(0), 2, 2)?;
/// assert!(u.flatten_all()?.to_vec1::<f32>()?.iter().all(|&v| (0.0..1.0).contains(&v)));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn rand_uniform(rng: &mut StdRng, rows: usize, cols: usize) -> Result<Tensor> {
    let v: Vec<f32> = (0..rows * cols).map(|_| rng.random::<f32>()).collect();
    Ok(Tensor::from_vec(v, (rows, cols), &Device::Cpu)?)
}

/// Re-initialises every variable of `varmap` from `seed`, in name order, the way PyTorch's
/// `nn.Linear` does: a rank-2 weight `(out, in)` gets U(-1/√in, 1/√in), a rank-4 conv
/// weight U(-1/√fan_in, 1/√fan_in), a rank-1 bias zeros.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// let varmap = VarMap::new();
/// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
/// let _fc = candle_nn::linear(4, 2, vb.pp("fc"))?;
/// gmcourse::models::train::init_seeded(&varmap, 0)?;
/// let b = varmap.data().lock().unwrap()["fc.bias"].as_tensor().to_vec1::<f32>()?;
/// assert_eq!(b, vec![0.0, 0.0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn init_seeded(varmap: &VarMap, seed: u64) -> Result<()> {
    let mut rng = rng(seed);
    for (_name, var) in sorted_vars(varmap)? {
        let dims = var.dims().to_vec();
        let n: usize = dims.iter().product();
        let values: Vec<f32> = if dims.len() < 2 {
            vec![0.0; n]
        } else {
            let fan_in: usize = dims[1..].iter().product();
            let bound = 1.0 / (fan_in.max(1) as f32).sqrt();
            (0..n).map(|_| rng.random_range(-bound..bound)).collect()
        };
        let t = Tensor::from_vec(values, dims, &Device::Cpu)?;
        var.set(&t)?;
    }
    Ok(())
}

/// The variables of `varmap` sorted by name.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// assert!(gmcourse::models::train::sorted_vars(&varmap)?.is_empty());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn sorted_vars(varmap: &VarMap) -> Result<Vec<(String, Var)>> {
    let data = varmap
        .data()
        .lock()
        .map_err(|_| Error::invalid("varmap", "an unpoisoned lock", "a poisoned lock"))?;
    let mut vars: Vec<(String, Var)> = data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(vars)
}

/// The variables whose name starts with `prefix` (e.g. `"generator"`), sorted by name.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// assert!(gmcourse::models::train::vars_with_prefix(&varmap, "generator")?.is_empty());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn vars_with_prefix(varmap: &VarMap, prefix: &str) -> Result<Vec<Var>> {
    Ok(sorted_vars(varmap)?
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(_, v)| v)
        .collect())
}

/// An AdamW optimiser ([`FusedAdamW`]) over `vars` with learning rate `lr` and PyTorch's
/// default betas, eps and weight decay (0.01).
///
/// ```
/// let opt = gmcourse::models::train::adamw(vec![], 1e-3)?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn adamw(vars: Vec<Var>, lr: f64) -> Result<FusedAdamW> {
    let params = ParamsAdamW {
        lr,
        ..Default::default()
    };
    FusedAdamW::new(vars, params)
}

/// `softplus(l) = max(l, 0) + log(1 + exp(-|l|))`, element-wise and finite for any `l`.
///
/// ```
/// let l = candle_core::Tensor::new(&[-1000f32, 0.0, 1000.0], &candle_core::Device::Cpu)?;
/// let s = gmcourse::models::train::softplus(&l)?.to_vec1::<f32>()?;
/// gmcourse::testing::assert_all_close(&[s[0] as f64, s[1] as f64, s[2] as f64], &[0.0, 2f64.ln(), 1000.0], 1e-5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn softplus(l: &Tensor) -> Result<Tensor> {
    let pos = l.relu()?;
    let neg_abs = l.abs()?.neg()?;
    let tail = (neg_abs.exp()? + 1.0)?.log()?;
    Ok((pos + tail)?)
}

/// Binary cross-entropy of logits `l` against targets `x` (same shape), summed over the
/// last dimension: `Σ_i softplus(l_i) - x_i·l_i`, shape `(batch,)`. This is `-log p(x)` of
/// independent Bernoulli pixels. `l` and `x` are `(batch, n)` f32; one fused kernel with a
/// hand-written backward pass.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let l = Tensor::new(&[[0f32, 0.0]], &Device::Cpu)?;
/// let x = Tensor::new(&[[1f32, 0.0]], &Device::Cpu)?;
/// let bce = gmcourse::models::train::bce_with_logits_sum(&l, &x)?.to_vec1::<f32>()?;
/// gmcourse::testing::assert_close(bce[0] as f64, 2.0 * 2f64.ln(), 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bce_with_logits_sum(l: &Tensor, x: &Tensor) -> Result<Tensor> {
    if l.dims() != x.dims() || l.rank() != 2 {
        return Err(Error::shape(
            "BCE targets",
            format!("the logits' shape {:?}, (batch, n)", l.dims()),
            format!("{:?}", x.dims()),
        ));
    }
    if l.dtype() != DType::F32 || x.dtype() != DType::F32 {
        return Err(Error::invalid(
            "BCE inputs",
            "f32 logits and targets",
            format!("{:?} and {:?}", l.dtype(), x.dtype()),
        ));
    }
    let l = l.contiguous()?;
    let x = x.contiguous()?;
    Ok(l.apply_op2(&x, BceWithLogitsSum)?)
}

/// The fused kernel of [`bce_with_logits_sum`]: one pass forward, and the backward pass
/// `∂/∂l = σ(l) - x`, `∂/∂x = -l`, each times the row's incoming gradient.
#[derive(Debug, Clone, Copy)]
struct BceWithLogitsSum;

impl candle_core::CustomOp2 for BceWithLogitsSum {
    fn name(&self) -> &'static str {
        "bce-with-logits-sum"
    }

    fn cpu_fwd(
        &self,
        s1: &candle_core::CpuStorage,
        l1: &candle_core::Layout,
        s2: &candle_core::CpuStorage,
        l2: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (rows, cols) = l1.shape().dims2()?;
        let (Some((a1, b1)), Some((a2, b2))) = (l1.contiguous_offsets(), l2.contiguous_offsets())
        else {
            candle_core::bail!("bce kernel: inputs must be contiguous");
        };
        let l = &s1.as_slice::<f32>()?[a1..b1];
        let x = &s2.as_slice::<f32>()?[a2..b2];
        let mut out = vec![0f32; rows];
        super::nn::cpu::bce::forward(l, x, cols, &mut out).map_err(candle_core::Error::wrap)?;
        Ok((
            candle_core::CpuStorage::F32(out),
            candle_core::Shape::from(rows),
        ))
    }

    fn bwd(
        &self,
        l: &Tensor,
        x: &Tensor,
        _res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (rows, cols) = l.dims2()?;
        let lv = l.flatten_all()?.to_vec1::<f32>()?;
        let xv = x.flatten_all()?.to_vec1::<f32>()?;
        let g = grad_res.to_vec1::<f32>()?;
        let mut dl = vec![0f32; rows * cols];
        super::nn::cpu::bce::backward(&lv, &xv, &g, cols, &mut dl)
            .map_err(candle_core::Error::wrap)?;
        let dl = Tensor::from_vec(dl, (rows, cols), l.device())?;
        // ∂/∂x only when the targets need it (they are data in every model here)
        let dx = if x.track_op() {
            let dx: Vec<f32> = lv
                .chunks(cols)
                .zip(&g)
                .flat_map(|(l_r, &g_r)| l_r.iter().map(move |&l| -g_r * l))
                .collect();
            Some(Tensor::from_vec(dx, (rows, cols), x.device())?)
        } else {
            None
        };
        Ok((Some(dl), dx))
    }
}

/// Checks that `x` is a `(batch, cols)` f32 tensor with `batch >= 1`; `what` names it in the
/// error.
///
/// ```
/// let x = candle_core::Tensor::zeros((2, 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// assert!(gmcourse::models::train::check_matrix(&x, "x", 3).is_ok());
/// assert!(gmcourse::models::train::check_matrix(&x, "x", 784).is_err());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn check_matrix(x: &Tensor, what: &str, cols: usize) -> Result<usize> {
    let dims = x.dims();
    if dims.len() != 2 || dims[1] != cols || dims[0] == 0 {
        return Err(Error::shape(
            what,
            format!("(batch, {cols}) with batch >= 1"),
            format!("{dims:?}"),
        ));
    }
    if x.dtype() != DType::F32 {
        return Err(Error::invalid(
            what,
            "dtype f32",
            format!("{:?}", x.dtype()),
        ));
    }
    Ok(dims[0])
}

/// A random batch of `batch_size` rows of `data` `(n, cols)`, drawn with replacement.
///
/// ```
/// let data = candle_core::Tensor::zeros((5, 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let b = gmcourse::models::train::random_batch(&data, 4, &mut gmcourse::models::train::rng(0))?;
/// assert_eq!(b.dims(), &[4, 3]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn random_batch(data: &Tensor, batch_size: usize, rng: &mut StdRng) -> Result<Tensor> {
    let n = data.dim(0)?;
    if n == 0 || batch_size == 0 {
        return Err(Error::invalid(
            "batch",
            "a non-empty data set and batch_size >= 1",
            format!("n = {n}, batch_size = {batch_size}"),
        ));
    }
    let idx: Vec<u32> = (0..batch_size)
        .map(|_| rng.random_range(0..n as u32))
        .collect();
    let idx = Tensor::from_vec(idx, batch_size, data.device())?;
    Ok(data.index_select(&idx, 0)?)
}

/// Rows `idx` of `data` (used to draw the same rows from images and labels).
///
/// ```
/// let data = candle_core::Tensor::arange(0f32, 6.0, &candle_core::Device::Cpu)?.reshape((3, 2))?;
/// let rows = gmcourse::models::train::select_rows(&data, &[2, 0])?;
/// assert_eq!(rows.to_vec2::<f32>()?, vec![vec![4.0, 5.0], vec![0.0, 1.0]]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn select_rows(data: &Tensor, idx: &[u32]) -> Result<Tensor> {
    let idx = Tensor::from_vec(idx.to_vec(), idx.len(), data.device())?;
    Ok(data.index_select(&idx, 0)?)
}

/// Saves every variable of `varmap` to a safetensors file.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// let path = std::env::temp_dir().join("gmcourse_doc_empty.safetensors");
/// gmcourse::models::train::save_checkpoint(&varmap, &path)?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn save_checkpoint(varmap: &VarMap, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    varmap.save(path).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        problem: format!("cannot write: {e}"),
    })
}

/// Loads a safetensors checkpoint into `varmap`, after checking that the file holds exactly
/// the model's tensors with the model's shapes. A checkpoint of another architecture gives
/// [`Error::Checkpoint`] naming the first tensor that differs.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// let a = VarMap::new();
/// let _ = candle_nn::linear(4, 2, VarBuilder::from_varmap(&a, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let path = std::env::temp_dir().join("gmcourse_doc_fc.safetensors");
/// gmcourse::models::train::save_checkpoint(&a, &path)?;
/// let b = VarMap::new();
/// let _ = candle_nn::linear(4, 3, VarBuilder::from_varmap(&b, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let err = gmcourse::models::train::load_checkpoint(&b, &path).unwrap_err();
/// assert!(err.to_string().contains("fc.bias"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn load_checkpoint(varmap: &VarMap, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let problem = |p: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem: p,
    };
    if !path.exists() {
        return Err(problem(
            "file not found; train the model first or check the path".into(),
        ));
    }
    let file = candle_core::safetensors::load(path, &Device::Cpu)
        .map_err(|e| problem(format!("not a safetensors file: {e}")))?;
    let vars = sorted_vars(varmap)?;
    for (name, var) in &vars {
        let Some(t) = file.get(name) else {
            return Err(problem(format!(
                "tensor `{name}` of the model is missing from the file (a checkpoint of another architecture?)"
            )));
        };
        if t.dims() != var.dims() {
            return Err(problem(format!(
                "tensor `{name}` has shape {:?} in the file but {:?} in the model (another architecture or config)",
                t.dims(),
                var.dims()
            )));
        }
    }
    let mut extra: Vec<&String> = file
        .keys()
        .filter(|k| !vars.iter().any(|(n, _)| n == *k))
        .collect();
    extra.sort();
    if let Some(k) = extra.first() {
        return Err(problem(format!(
            "tensor `{k}` in the file is not part of the model (a checkpoint of another architecture?)"
        )));
    }
    for (name, var) in &vars {
        if let Some(t) = file.get(name) {
            var.set(&t.to_dtype(var.dtype())?)?;
        }
    }
    Ok(())
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
/// let mut opt = gmcourse::models::train::adamw(vec![w.clone()], 0.1)?;
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

/// The plain training loop every model shares: calls `step(step, rng)` `cfg.steps` times
/// (each call does one optimiser step and returns its loss), prints
/// `step, steps/s, loss` every `cfg.log_every` steps, saves a checkpoint of `varmap` at
/// each print and at the end if `cfg.checkpoint` is set, stops early on
/// `cfg.time_budget`, and returns the loss history. A non-finite loss stops with
/// [`Error::Diverged`]; the last checkpoint written before it is kept.
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
    mut step: impl FnMut(usize, &mut StdRng) -> Result<f64>,
) -> Result<Vec<f64>> {
    let mut rng = rng(cfg.seed);
    let start = Instant::now();
    let mut last_log = Instant::now();
    let mut history = Vec::with_capacity(cfg.steps);
    let mut bar = cfg
        .progress
        .then(|| crate::live::Progress::new("training", cfg.steps).time_budget(cfg.time_budget));
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
        history.push(loss);
        let done = i + 1;
        if let Some(bar) = bar.as_mut() {
            bar.update(done, loss);
        }
        if cfg.log_every > 0 && done % cfg.log_every == 0 {
            let sps = cfg.log_every as f64 / last_log.elapsed().as_secs_f64();
            println!("step {done:>7}  {sps:>8.1} steps/s  loss {loss:.4}");
            last_log = Instant::now();
            if let Some(path) = &cfg.checkpoint {
                save_checkpoint(varmap, path)?;
            }
        }
        if let Some(budget) = cfg.time_budget {
            if start.elapsed() >= budget {
                if cfg.log_every > 0 {
                    println!("time budget of {budget:?} reached after {done} steps");
                }
                break;
            }
        }
    }
    if let Some(bar) = bar.as_mut() {
        bar.finish();
    }
    if let Some(path) = &cfg.checkpoint {
        save_checkpoint(varmap, path)?;
    }
    Ok(history)
}
