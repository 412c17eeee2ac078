//! AdamW (Loshchilov & Hutter, *Decoupled Weight Decay Regularization*, ICLR 2019) fused
//! into two passes over each parameter, with no allocation per step:
//!
//! ```text
//! m ← β1 m + (1 - β1) g,      v ← β2 v + (1 - β2) g²
//! θ ← θ (1 - lr λ) - lr · (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε)
//! ```
//!
//! The same update as `candle_nn::AdamW` (and PyTorch's `torch.optim.AdamW`), which spends
//! about sixteen tensor operations, each allocating a parameter-sized buffer, per
//! parameter and step; profiling the course's VAE showed those allocations and page faults
//! as a large share of a training step.

use candle_core::backprop::GradStore;
use candle_core::{CpuStorage, DType, InplaceOp2, Layout, Tensor, Var};
use candle_nn::ParamsAdamW;

use crate::{Error, Result};

/// One parameter with its moments, stored as one `(2, n)` tensor `[m; v]`.
#[derive(Debug)]
struct Slot {
    theta: Var,
    moments: Tensor,
}

/// AdamW with PyTorch's defaults and candle's [`ParamsAdamW`], in two fused passes.
#[derive(Debug)]
pub struct FusedAdamW {
    slots: Vec<Slot>,
    step_t: i32,
    params: ParamsAdamW,
}

impl FusedAdamW {
    /// An optimiser for the f32 CPU variables `vars`.
    ///
    /// ```
    /// let w = candle_core::Var::new(&[1f32, -2.0], &candle_core::Device::Cpu)?;
    /// let mut opt = gmcourse::models::nn::optim::FusedAdamW::new(vec![w.clone()], Default::default())?;
    /// let loss = w.as_tensor().sqr()?.sum_all()?;
    /// opt.step(&loss.backward()?)?;
    /// // the first Adam step moves every weight by lr (0.001) against its gradient's sign,
    /// // after the decoupled weight decay θ(1 - lr·λ)
    /// let w1 = w.as_tensor().to_vec1::<f32>()?;
    /// gmcourse::testing::assert_close(w1[0] as f64, 1.0 * (1.0 - 1e-3 * 0.01) - 1e-3, 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(vars: Vec<Var>, params: ParamsAdamW) -> Result<Self> {
        let mut slots = Vec::with_capacity(vars.len());
        for theta in vars {
            if theta.dtype() != DType::F32 || !theta.device().is_cpu() {
                return Err(Error::invalid(
                    "FusedAdamW variable",
                    "an f32 CPU variable",
                    format!("{:?} on {:?}", theta.dtype(), theta.device()),
                ));
            }
            let n = theta.elem_count();
            let moments = Tensor::zeros((2, n), DType::F32, theta.device())?;
            slots.push(Slot { theta, moments });
        }
        Ok(Self {
            slots,
            step_t: 0,
            params,
        })
    }

    /// The learning rate.
    ///
    /// ```
    /// let opt = gmcourse::models::nn::optim::FusedAdamW::new(vec![], Default::default())?;
    /// assert_eq!(opt.learning_rate(), 0.001);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn learning_rate(&self) -> f64 {
        self.params.lr
    }

    /// Changes the learning rate (for schedules).
    ///
    /// ```
    /// let mut opt = gmcourse::models::nn::optim::FusedAdamW::new(vec![], Default::default())?;
    /// opt.set_learning_rate(0.1);
    /// assert_eq!(opt.learning_rate(), 0.1);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn set_learning_rate(&mut self, lr: f64) {
        self.params.lr = lr;
    }

    /// One update from the gradients in `grads` (variables without a gradient are left
    /// alone).
    ///
    /// ```
    /// let w = candle_core::Var::new(&[3f32], &candle_core::Device::Cpu)?;
    /// let mut opt = gmcourse::models::nn::optim::FusedAdamW::new(vec![w.clone()], candle_nn::ParamsAdamW { lr: 0.1, ..Default::default() })?;
    /// for _ in 0..100 {
    ///     let loss = w.as_tensor().sqr()?.sum_all()?;
    ///     opt.step(&loss.backward()?)?;
    /// }
    /// assert!(w.as_tensor().to_vec1::<f32>()?[0].abs() < 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn step(&mut self, grads: &GradStore) -> Result<()> {
        self.step_t += 1;
        let p = &self.params;
        let moments_op = Moments {
            beta1: p.beta1 as f32,
            beta2: p.beta2 as f32,
        };
        let update_op = Update {
            lr: p.lr as f32,
            decay: (1.0 - p.lr * p.weight_decay) as f32,
            scale_m: (1.0 / (1.0 - p.beta1.powi(self.step_t))) as f32,
            scale_v: (1.0 / (1.0 - p.beta2.powi(self.step_t))) as f32,
            eps: p.eps as f32,
        };
        for slot in &self.slots {
            let Some(g) = grads.get(slot.theta.as_tensor()) else {
                continue;
            };
            let g = g.contiguous()?;
            slot.moments.inplace_op2(&g, &moments_op)?;
            slot.theta
                .as_tensor()
                .inplace_op2(&slot.moments, &update_op)?;
        }
        Ok(())
    }

    /// Computes the gradients of `loss` and applies one update.
    ///
    /// ```
    /// let w = candle_core::Var::new(&[3f32], &candle_core::Device::Cpu)?;
    /// let mut opt = gmcourse::models::nn::optim::FusedAdamW::new(vec![w.clone()], Default::default())?;
    /// opt.backward_step(&w.as_tensor().sqr()?.sum_all()?)?;
    /// assert!(w.as_tensor().to_vec1::<f32>()?[0] < 3.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn backward_step(&mut self, loss: &Tensor) -> Result<()> {
        let grads = loss.backward()?;
        self.step(&grads)
    }
}

fn slice_of<'a>(s: &'a CpuStorage, l: &Layout) -> candle_core::Result<&'a [f32]> {
    let data = s.as_slice::<f32>()?;
    match l.contiguous_offsets() {
        Some((a, b)) => Ok(&data[a..b]),
        None => candle_core::bail!("fused AdamW: non-contiguous tensor"),
    }
}

fn slice_of_mut<'a>(s: &'a mut CpuStorage, l: &Layout) -> candle_core::Result<&'a mut [f32]> {
    let (a, b) = match l.contiguous_offsets() {
        Some(r) => r,
        None => candle_core::bail!("fused AdamW: non-contiguous tensor"),
    };
    match s {
        CpuStorage::F32(v) => Ok(&mut v[a..b]),
        _ => candle_core::bail!("fused AdamW: expected f32 storage"),
    }
}

/// `[m; v] ← [β1 m + (1-β1) g; β2 v + (1-β2) g²]`, in place.
struct Moments {
    beta1: f32,
    beta2: f32,
}

impl InplaceOp2 for Moments {
    fn name(&self) -> &'static str {
        "adamw-moments"
    }

    fn cpu_fwd(
        &self,
        s1: &mut CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<()> {
        let g = slice_of(s2, l2)?;
        let mv = slice_of_mut(s1, l1)?;
        let (m, v) = mv.split_at_mut(g.len());
        let (b1, b2) = (self.beta1, self.beta2);
        for ((m, v), &g) in m.iter_mut().zip(v.iter_mut()).zip(g) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
        }
        Ok(())
    }
}

/// `θ ← θ·decay - lr·(m·scale_m) / (√(v·scale_v) + ε)`, in place.
struct Update {
    lr: f32,
    decay: f32,
    scale_m: f32,
    scale_v: f32,
    eps: f32,
}

impl InplaceOp2 for Update {
    fn name(&self) -> &'static str {
        "adamw-update"
    }

    fn cpu_fwd(
        &self,
        s1: &mut CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<()> {
        let theta = slice_of_mut(s1, l1)?;
        let mv = slice_of(s2, l2)?;
        let (m, v) = mv.split_at(theta.len());
        for ((t, &m), &v) in theta.iter_mut().zip(m).zip(v) {
            *t = *t * self.decay
                - self.lr * (m * self.scale_m) / ((v * self.scale_v).sqrt() + self.eps);
        }
        Ok(())
    }
}

/// An AdamW optimiser ([`FusedAdamW`]) over `vars` with learning rate `lr` and PyTorch's
/// default betas, eps and weight decay (0.01).
///
/// ```
/// let opt = gmcourse::models::nn::adamw(vec![], 1e-3)?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn adamw(vars: Vec<Var>, lr: f64) -> Result<FusedAdamW> {
    let params = ParamsAdamW {
        lr,
        ..Default::default()
    };
    FusedAdamW::new(vars, params)
}
