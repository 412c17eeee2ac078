//! NADE, the Neural Autoregressive Distribution Estimator (Larochelle & Murray, AISTATS
//! 2011; lecture note 002, curriculum D2).
//!
//! Binary pixels `x ∈ {0,1}^D` in a fixed order, with the chain rule
//! `p(x) = Π_i p(x_i | x_<i)` and one weight matrix `W (H×D)` shared by all conditionals:
//!
//! ```text
//! a_1 = c,            a_{i+1} = a_i + W[:, i] x_i          (the shared-weight recursion)
//! h_i = σ(a_i),       p(x_i = 1 | x_<i) = σ(V_i · h_i + b_i)
//! log p(x) = -Σ_i BCE(V_i · h_i + b_i, x_i)                 (exact, no approximation)
//! ```
//!
//! The recursion costs `O(D·H)` per image. [`Nade::logits`] runs it in one fused kernel
//! with a hand-written backward pass (no `(batch, D, H)` intermediate is stored);
//! [`Nade::logits_reference`] spells out the same recursion with ordinary candle
//! operations, for teaching and for the test that checks the kernel.
//!
//! In lesson 05 the student writes this mathematics (`exercises/src/l05_autoregressive_nade.rs`)
//! on the plumbing of `nade/lesson.rs`: [`Params`] (the four tensors, named as this
//! model's), [`Fns`] (the student's functions), [`train_with`] (the course's loop, strict)
//! and [`train_yours`] (the notebook's cell, with the reference in place of each unfinished
//! exercise). The reference answers are associated functions of [`Nade`] ([`Nade::fns`],
//! [`Nade::conditional_logits`], [`Nade::log_likelihood`], [`Nade::sample_from_uniforms`]),
//! a name lesson 05 forbids.

use candle_core::{CpuStorage, CustomOp3, DType, Device, Layout, Shape, Tensor};
use candle_nn::{VarBuilder, VarMap};
use rand::Rng;
use rand::rngs::StdRng;

use super::nn::cpu::{self, Isa};
use super::nn::dense::slice;
use super::train::{History, TrainConfig};
use super::{Model, minimise_on_batches, nn};
use crate::check;
use crate::{Error, Result};

mod lesson;
pub use lesson::{
    ConditionalLogitsFn, Fns, LogLikelihoodFn, Params, SampleFn, Trained, evaluate_with,
    fit_seeded, log_prob_with, sample_with, train_with, train_yours,
};

/// Sizes of a [`Nade`].
///
/// ```
/// let cfg = gmcourse::models::NadeConfig::default();
/// assert_eq!((cfg.n_pixels, cfg.hidden), (784, 500));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NadeConfig {
    /// D, the number of binary pixels (784 for 28×28 images).
    pub n_pixels: usize,
    /// H, the hidden units shared by all conditionals.
    pub hidden: usize,
}

impl Default for NadeConfig {
    fn default() -> Self {
        Self {
            n_pixels: 784,
            hidden: 500,
        }
    }
}

/// A NADE: `w (H, D)`, `c (H)`, `v (D, H)` and `b (D)`, named as in the paper.
#[derive(Debug, Clone)]
pub struct Nade {
    w: Tensor,
    c: Tensor,
    v: Tensor,
    b: Tensor,
    cfg: NadeConfig,
}

impl Model for Nade {
    type Config = NadeConfig;

    /// Builds the parameters under `vb` (`w`, `c`, `v`, `b`).
    fn new(vb: VarBuilder, cfg: &NadeConfig) -> Result<Self> {
        Self::check_config(cfg)?;
        let (d, h) = (cfg.n_pixels, cfg.hidden);
        let w = vb.get((h, d), "w")?;
        let c = vb.get(h, "c")?;
        let v = vb.get((d, h), "v")?;
        let b = vb.get(d, "b")?;
        Ok(Self {
            w,
            c,
            v,
            b,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &NadeConfig {
        &self.cfg
    }
}

impl Nade {
    /// Checks that `cfg` describes a NADE: at least 2 pixels and 1 hidden unit.
    fn check_config(cfg: &NadeConfig) -> Result<()> {
        if cfg.n_pixels < 2 || cfg.hidden == 0 {
            return Err(Error::invalid(
                "NadeConfig",
                "n_pixels >= 2 and hidden >= 1",
                format!("{cfg:?}"),
            ));
        }
        Ok(())
    }

    /// This model's tensors as lesson 05's [`Params`] (the same tensors, not copies).
    pub fn params(&self) -> Params {
        Params {
            w: self.w.clone(),
            c: self.c.clone(),
            v: self.v.clone(),
            b: self.b.clone(),
        }
    }

    /// The reference functions of lesson 05's exercises 5.1 to 5.3.
    pub fn fns() -> Fns {
        Fns {
            conditional_logits: Self::conditional_logits,
            log_likelihood: Self::log_likelihood,
            sample: Self::sample_from_uniforms,
        }
    }

    /// The reference of exercise 5.1: the logits `(batch, D)` of every conditional of the
    /// binary `x` `(batch, D)`, by the shared-weight recursion in the fused kernel (the
    /// one [`Nade::logits`] runs), whose hand-written backward pass gives candle's
    /// autograd the gradients of `params`.
    ///
    /// ```
    /// use gmcourse::models::{Model, Nade, NadeConfig};
    /// let (nade, _) = Nade::seeded(&NadeConfig { n_pixels: 4, hidden: 3 }, 0)?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// let l = Nade::conditional_logits(&nade.params(), &x)?;
    /// gmcourse::testing::assert_tensors_close(&l, &nade.logits_reference(&x)?, 1e-5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// Shapes that do not fit together.
    pub fn conditional_logits(params: &Params, x: &Tensor) -> Result<Tensor> {
        let (x_shift, w_shift) = Self::shifted(params, x)?;
        let v = params.v.contiguous()?;
        let vh = x_shift.apply_op3(&w_shift, &v, NadeRecursion)?;
        Ok(vh.broadcast_add(&params.b)?)
    }

    /// The reference of exercise 5.2: `log p(x)` `(batch,)` in nats of the binary `x`
    /// `(batch, D)` whose conditionals have `logits` `(batch, D)`, stable for any logit.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let x = Tensor::new(&[[1f32, 0.]], &Device::Cpu)?;
    /// let l = Tensor::new(&[[0f32, 0.]], &Device::Cpu)?;
    /// let lp = gmcourse::models::Nade::log_likelihood(&x, &l)?.to_vec1::<f32>()?;
    /// gmcourse::testing::assert_close(lp[0] as f64, 2.0 * 0.5f64.ln(), 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// Shapes that differ.
    pub fn log_likelihood(x: &Tensor, logits: &Tensor) -> Result<Tensor> {
        Ok(nn::bce_with_logits_sum(logits, x)?.neg()?)
    }

    /// The reference of exercise 5.3: ancestral sampling of `u.dim(0)` images `(n, D)`,
    /// pixel `i` of image `s` on when `u[s][i] < p(x_i = 1 | x_<i)`. With `u` from
    /// [`train::rand_uniform`](super::train::rand_uniform) on an rng, the images are those
    /// [`Nade::sample`] draws from that rng.
    ///
    /// ```
    /// use gmcourse::models::{Model, Nade, NadeConfig, train};
    /// let (nade, _) = Nade::seeded(&NadeConfig { n_pixels: 4, hidden: 3 }, 0)?;
    /// let u = train::rand_uniform(&mut train::rng(1), 5, 4)?;
    /// let x = Nade::sample_from_uniforms(&nade.params(), &u)?;
    /// gmcourse::testing::assert_tensors_close(&x, &nade.sample(5, &mut train::rng(1))?, 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// Shapes that do not fit together.
    pub fn sample_from_uniforms(params: &Params, u: &Tensor) -> Result<Tensor> {
        let (n, d) = u.dims2()?;
        let hidden = params.c.dim(0)?;
        let mut a = params
            .c
            .unsqueeze(0)?
            .broadcast_as((n, hidden))?
            .contiguous()?;
        let mut columns = Vec::with_capacity(d);
        for i in 0..d {
            let h_i = candle_nn::ops::sigmoid(&a)?;
            let l_i = h_i
                .broadcast_mul(&params.v.narrow(0, i, 1)?)?
                .sum_keepdim(1)?
                .broadcast_add(&params.b.narrow(0, i, 1)?)?;
            let p_i = candle_nn::ops::sigmoid(&l_i)?;
            let x_i = u.narrow(1, i, 1)?.lt(&p_i)?.to_dtype(DType::F32)?;
            a = (a + x_i.broadcast_mul(&params.w.narrow(1, i, 1)?.t()?)?)?;
            columns.push(x_i);
        }
        Ok(Tensor::cat(&columns, 1)?)
    }

    /// Checks that `x` is `(batch, D)` and binary.
    fn check_input(&self, x: &Tensor) -> Result<()> {
        check::matrix(x, "x (NADE input)", self.cfg.n_pixels)?;
        let values = x.flatten_all()?.to_vec1::<f32>()?;
        if let Some((k, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| **v != 0.0 && **v != 1.0)
        {
            let (row, col) = (k / self.cfg.n_pixels, k % self.cfg.n_pixels);
            return Err(Error::invalid(
                "x (NADE input)",
                "binary pixels 0 or 1 (binarise first, e.g. x.ge(0.5)?.to_dtype(F32))",
                format!("{v} at row {row}, pixel {col}"),
            ));
        }
        Ok(())
    }

    /// The logits `l_i = V_i·h_i + b_i` of every conditional, `(batch, D)` from a binary
    /// `(batch, D)` input, computed by the fused kernel.
    ///
    /// # Errors
    /// [`Error::Shape`] for a wrong shape, [`Error::InvalidArgument`] for non-binary pixels.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
    /// let (nade, _) = gmcourse::models::Nade::seeded(&cfg, 0)?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// assert_eq!(nade.logits(&x)?.dims(), &[1, 4]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn logits(&self, x: &Tensor) -> Result<Tensor> {
        self.check_input(x)?;
        Self::conditional_logits(&self.params(), x)
    }

    /// Shifts the recursion by one so that `a_i = Σ_{j<=i} w_shift[j] x_shift[j]`:
    /// `x_shift = [1, x_1 … x_{D-1}]` and `w_shift = [c; W[:, 1]ᵀ … W[:, D-1]ᵀ]`.
    fn shifted(params: &Params, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let (batch, d) = x.dims2()?;
        let (_, d_params) = params.w.dims2()?;
        if d != d_params || params.v.dims2()?.0 != d || params.b.dims1()? != d {
            return Err(Error::shape(
                "x (NADE input) and the parameters",
                format!("(batch, {d_params}) with v (D, H) and b (D)"),
                format!(
                    "x {:?}, w {:?}, v {:?}, b {:?}",
                    x.dims(),
                    params.w.dims(),
                    params.v.dims(),
                    params.b.dims()
                ),
            ));
        }
        let ones = Tensor::ones((batch, 1), DType::F32, x.device())?;
        let x_head = x.narrow(1, 0, d - 1)?;
        let x_shift = Tensor::cat(&[&ones, &x_head], 1)?.contiguous()?;
        let w_t = params.w.t()?;
        let w_head = w_t.narrow(0, 0, d - 1)?;
        let c_row = params.c.unsqueeze(0)?;
        let w_shift = Tensor::cat(&[&c_row, &w_head], 0)?.contiguous()?;
        Ok((x_shift, w_shift))
    }

    /// The same logits as [`Nade::logits`], from the recursion written literally with
    /// candle operations (one loop iteration per pixel). Slow; for teaching and checking.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
    /// let (nade, _) = gmcourse::models::Nade::seeded(&cfg, 0)?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// let fast = nade.logits(&x)?.to_vec2::<f32>()?;
    /// let slow = nade.logits_reference(&x)?.to_vec2::<f32>()?;
    /// assert!((fast[0][3] - slow[0][3]).abs() < 1e-5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn logits_reference(&self, x: &Tensor) -> Result<Tensor> {
        self.check_input(x)?;
        let (batch, d) = x.dims2()?;
        // a_1 = c, broadcast to (batch, H)
        let mut a = self
            .c
            .unsqueeze(0)?
            .broadcast_as((batch, self.cfg.hidden))?
            .contiguous()?;
        let mut columns = Vec::with_capacity(d);
        for i in 0..d {
            let h_i = candle_nn::ops::sigmoid(&a)?;
            let v_i = self.v.narrow(0, i, 1)?;
            columns.push(h_i.broadcast_mul(&v_i)?.sum_keepdim(1)?);
            // a_{i+1} = a_i + W[:, i] x_i
            let x_i = x.narrow(1, i, 1)?;
            let w_i = self.w.narrow(1, i, 1)?.t()?;
            a = (a + x_i.broadcast_mul(&w_i)?)?;
        }
        Ok(Tensor::cat(&columns, 1)?.broadcast_add(&self.b)?)
    }

    /// The per-pixel conditionals `p(x_i = 1 | x_<i)`, `(batch, D)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
    /// let (nade, _) = gmcourse::models::Nade::seeded(&cfg, 0)?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// let p = nade.conditionals(&x)?.to_vec2::<f32>()?;
    /// assert!(p[0].iter().all(|&p| p > 0.0 && p < 1.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditionals(&self, x: &Tensor) -> Result<Tensor> {
        let l = self.logits(x)?;
        Ok(candle_nn::ops::sigmoid(&l)?)
    }

    /// The exact `log p(x)` of each image, `(batch,)`, in nats. Its negative is the anomaly
    /// score of an image.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// // With all parameters zero every conditional is 1/2: log p(x) = D log(1/2).
    /// use candle_nn::{VarBuilder, VarMap};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let nade = gmcourse::models::Nade::new(vb, &gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 })?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// let lp = nade.log_prob(&x)?.to_vec1::<f32>()?;
    /// gmcourse::testing::assert_close(lp[0] as f64, 4.0 * 0.5f64.ln(), 1e-5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob(&self, x: &Tensor) -> Result<Tensor> {
        let l = self.logits(x)?;
        let nll = nn::bce_with_logits_sum(&l, x)?;
        Ok(nll.neg()?)
    }

    /// The mean negative log-likelihood of a batch, in nats per image: the training loss.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
    /// let (nade, _) = gmcourse::models::Nade::seeded(&cfg, 0)?;
    /// let x = candle_core::Tensor::new(&[[1f32, 0., 1., 1.]], &candle_core::Device::Cpu)?;
    /// assert!(nade.nll(&x)?.to_scalar::<f32>()? > 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn nll(&self, x: &Tensor) -> Result<Tensor> {
        let lp = self.log_prob(x)?;
        Ok(lp.mean_all()?.neg()?)
    }

    /// Draws `n` images by ancestral sampling, pixel by pixel: `x_i ~ Bernoulli(p(x_i |
    /// x_<i))`. Returns `(n, D)` binary.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
    /// let (nade, _) = gmcourse::models::Nade::seeded(&cfg, 0)?;
    /// let x = nade.sample(5, &mut gmcourse::models::train::rng(1))?;
    /// assert_eq!(x.dims(), &[5, 4]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, rng: &mut StdRng) -> Result<Tensor> {
        let (d, h) = (self.cfg.n_pixels, self.cfg.hidden);
        let w_t = self.w.t()?.contiguous()?.flatten_all()?.to_vec1::<f32>()?;
        let c = self.c.to_vec1::<f32>()?;
        let v = self.v.flatten_all()?.to_vec1::<f32>()?;
        let b = self.b.to_vec1::<f32>()?;
        let mut out = vec![0f32; n * d];
        let mut hid = vec![0f32; h];
        for s in 0..n {
            let mut a = c.clone();
            for i in 0..d {
                cpu::vector::sigmoid(&a, &mut hid);
                let l = cpu::vector::dot(&v[i * h..(i + 1) * h], &hid) + b[i];
                let p = 1.0 / (1.0 + (-l).exp());
                if rng.random::<f32>() < p {
                    out[s * d + i] = 1.0;
                    cpu::vector::axpy(1.0, &w_t[i * h..(i + 1) * h], &mut a);
                }
            }
        }
        Ok(Tensor::from_vec(out, (n, d), &Device::Cpu)?)
    }
}

/// Trains `nade` on the binary rows of `data` `(n, D)` by maximum likelihood with AdamW,
/// returning the per-step loss (mean NLL in nats).
///
/// ```
/// use gmcourse::models::Model;
/// let cfg = gmcourse::models::NadeConfig { n_pixels: 4, hidden: 3 };
/// let (nade, varmap) = gmcourse::models::Nade::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &candle_core::Device::Cpu)?;
/// let train_cfg = gmcourse::models::TrainConfig { steps: 20, batch_size: 2, lr: 0.05, log_every: 0, ..Default::default() };
/// let losses = gmcourse::models::nade::train(&nade, &varmap, &data, &train_cfg)?;
/// let losses = losses.loss()?;
/// assert!(losses[19] < losses[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(nade: &Nade, varmap: &VarMap, data: &Tensor, cfg: &TrainConfig) -> Result<History> {
    nade.check_input(data)?;
    minimise_on_batches(varmap, data, cfg, |x| nade.nll(x))
}

// ---------------------------------------------------------------------------------------
// The fused kernel: forward and hand-written backward of the recursion.

/// `(x_shift (B, D), w_shift (D, H), v (D, H)) -> V_i · σ(a_i)` of shape `(B, D)`, with
/// `a_i = Σ_{j<=i} w_shift[j] x_shift[j]`.
#[derive(Debug, Clone, Copy)]
struct NadeRecursion;

impl CustomOp3 for NadeRecursion {
    fn name(&self) -> &'static str {
        "nade-recursion"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (batch, d) = l1.shape().dims2()?;
        let x = slice(s1, l1, "nade kernel: x")?;
        let w = slice(s2, l2, "nade kernel: w")?;
        let v = slice(s3, l3, "nade kernel: v")?;
        let mut out = vec![0f32; batch * d];
        let isa = Isa::detected();
        let failed = std::sync::Mutex::new(None);
        parallel_rows(&mut out, d, |row, out_row| {
            let xr = &x[row * d..(row + 1) * d];
            if let Err(e) = cpu::nade::forward_row(isa, xr, w, v, out_row) {
                *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
            }
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(candle_core::Error::wrap(e));
        }
        Ok((CpuStorage::F32(out), Shape::from((batch, d))))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        v: &Tensor,
        _res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (batch, d) = x.dims2()?;
        let (_, h) = w.dims2()?;
        let xs = x.flatten_all()?.to_vec1::<f32>()?;
        let ws = w.flatten_all()?.to_vec1::<f32>()?;
        let vs = v.flatten_all()?.to_vec1::<f32>()?;
        let g = grad_res.contiguous()?.flatten_all()?.to_vec1::<f32>()?;
        let n_threads = candle_core::utils::get_num_threads().clamp(1, batch);
        let chunk = batch.div_ceil(n_threads);
        let isa = Isa::detected();
        let partials: Vec<Result<(Vec<f32>, Vec<f32>)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n_threads)
                .map(|t| {
                    let (xs, ws, vs, g) = (&xs, &ws, &vs, &g);
                    scope.spawn(move || {
                        let mut dw = vec![0f32; d * h];
                        let mut dv = vec![0f32; d * h];
                        for row in t * chunk..((t + 1) * chunk).min(batch) {
                            let xr = &xs[row * d..(row + 1) * d];
                            let gr = &g[row * d..(row + 1) * d];
                            cpu::nade::backward_row(isa, xr, gr, ws, vs, &mut dw, &mut dv)?;
                        }
                        Ok((dw, dv))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Ok(Default::default())))
                .collect()
        });
        let mut dw = vec![0f32; d * h];
        let mut dv = vec![0f32; d * h];
        for partial in partials {
            let (pw, pv) = partial.map_err(candle_core::Error::wrap)?;
            if pw.len() != d * h {
                candle_core::bail!("nade kernel: a worker thread panicked");
            }
            cpu::vector::axpy(1.0, &pw, &mut dw);
            cpu::vector::axpy(1.0, &pv, &mut dv);
        }
        let dw = Tensor::from_vec(dw, (d, h), w.device())?;
        let dv = Tensor::from_vec(dv, (d, h), v.device())?;
        Ok((None, Some(dw), Some(dv)))
    }
}

/// Runs `f(row, out_row)` over the rows of `out` on candle's thread count.
fn parallel_rows(out: &mut [f32], cols: usize, f: impl Fn(usize, &mut [f32]) + Sync) {
    let rows = out.len() / cols.max(1);
    let n_threads = candle_core::utils::get_num_threads().clamp(1, rows.max(1));
    let chunk_rows = rows.div_ceil(n_threads).max(1);
    std::thread::scope(|scope| {
        for (t, block) in out.chunks_mut(chunk_rows * cols).enumerate() {
            let f = &f;
            scope.spawn(move || {
                for (r, out_row) in block.chunks_mut(cols).enumerate() {
                    f(t * chunk_rows + r, out_row);
                }
            });
        }
    });
}
