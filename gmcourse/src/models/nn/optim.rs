//! AdamW (Loshchilov & Hutter, *Decoupled Weight Decay Regularization*, ICLR 2019) fused
//! into one pass over each parameter ([`crate::models::nn::cpu::adamw`], compiled per
//! instruction set), with no allocation per step:
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

use std::cell::RefCell;

use candle_core::backprop::GradStore;
use candle_core::{CpuStorage, DType, InplaceOp2, Layout, Tensor, Var};
use candle_nn::ParamsAdamW;

use super::cpu::adamw::{self, Hyper};
use crate::{Error, Result};

/// One parameter with its first and second moments.
#[derive(Debug)]
struct Slot {
    theta: Var,
    m: Vec<f32>,
    v: Vec<f32>,
}

/// AdamW with PyTorch's defaults and candle's [`ParamsAdamW`], in one fused pass.
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
            slots.push(Slot {
                theta,
                m: vec![0.0; n],
                v: vec![0.0; n],
            });
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
        let hyper = Hyper {
            lr: p.lr as f32,
            decay: (1.0 - p.lr * p.weight_decay) as f32,
            beta1: p.beta1 as f32,
            beta2: p.beta2 as f32,
            scale_m: (1.0 / (1.0 - p.beta1.powi(self.step_t))) as f32,
            scale_v: (1.0 / (1.0 - p.beta2.powi(self.step_t))) as f32,
            eps: p.eps as f32,
        };
        for slot in &mut self.slots {
            let Some(g) = grads.get(slot.theta.as_tensor()) else {
                continue;
            };
            let g = g.contiguous()?;
            let op = Update {
                hyper,
                m: RefCell::new(&mut slot.m),
                v: RefCell::new(&mut slot.v),
            };
            slot.theta.as_tensor().inplace_op2(&g, &op)?;
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

/// `θ`, `m` and `v` updated in place from the gradient: one [`adamw::step`].
struct Update<'a> {
    hyper: Hyper,
    m: RefCell<&'a mut Vec<f32>>,
    v: RefCell<&'a mut Vec<f32>>,
}

impl InplaceOp2 for Update<'_> {
    fn name(&self) -> &'static str {
        "adamw"
    }

    fn cpu_fwd(
        &self,
        s1: &mut CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<()> {
        let theta = slice_of_mut(s1, l1)?;
        let g = slice_of(s2, l2)?;
        let (mut m, mut v) = (self.m.borrow_mut(), self.v.borrow_mut());
        adamw::step(&self.hyper, theta, &mut m[..], &mut v[..], g).map_err(candle_core::Error::wrap)
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
