//! An exponential moving average of parameters: `θ_ema ← β θ_ema + (1 − β) θ` after every
//! step.
//!
//! A GAN's generator never settles: G and D chase each other, and the weights at any one
//! step carry that step's oscillation. Averaging the generator's recent weights cancels
//! much of it and gives cleaner samples at no training cost (Yazıcı et al., *The unusual
//! effectiveness of averaging in GAN training*, ICLR 2019). Training keeps using the raw
//! weights; only sampling uses the average.

use candle_core::{Tensor, Var};
use candle_nn::VarMap;

use crate::models::train;
use crate::{Error, Result};

/// The running average of a set of [`Var`]s.
#[derive(Debug)]
pub struct Ema {
    decay: f64,
    warmup: bool,
    updates: usize,
    vars: Vec<Var>,
    average: Vec<Tensor>,
}

impl Ema {
    /// Starts the average of the parameters of `varmap` whose names begin with `prefix`
    /// (e.g. `"generator"`) at their current values. `decay` is β, in `[0, 1)`: the
    /// average spans roughly the last `1 / (1 − β)` steps.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (_gan, varmap) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_1d(), 0)?;
    /// let ema = gmcourse::models::nn::Ema::new(&varmap, "generator", 0.999)?;
    /// assert!(ema.len() > 0);
    /// assert!(gmcourse::models::nn::Ema::new(&varmap, "generator", 1.0).is_err());
    /// assert!(gmcourse::models::nn::Ema::new(&varmap, "no such prefix", 0.9).is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(varmap: &VarMap, prefix: &str, decay: f64) -> Result<Self> {
        if !(0.0..1.0).contains(&decay) {
            return Err(Error::invalid(
                "EMA decay",
                "0 <= decay < 1, e.g. 0.999",
                decay,
            ));
        }
        let vars = train::vars_with_prefix(varmap, prefix)?;
        if vars.is_empty() {
            return Err(Error::invalid(
                "EMA prefix",
                "the start of some parameter names, e.g. \"generator\"",
                prefix,
            ));
        }
        let average = vars
            .iter()
            .map(|v| Ok(v.as_tensor().copy()?.detach()))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            decay,
            warmup: false,
            updates: 0,
            vars,
            average,
        })
    }

    /// Ramps the decay up over the first steps: update `t` (from 0) uses
    /// `min(β, (1 + t) / (10 + t))`, so the average forgets the untrained initial weights
    /// within tens of steps instead of `1 / (1 − β)`; a short run's average is then as
    /// useful as a long one's (the ramp of TensorFlow's `ExponentialMovingAverage`).
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let varmap = candle_nn::VarMap::new();
    /// let vb = candle_nn::VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    /// let w = vb.get_with_hints(1, "g.w", candle_nn::Init::Const(0.0))?;
    /// let mut ema = gmcourse::models::nn::Ema::new(&varmap, "g", 0.999)?.with_warmup();
    /// varmap.data().lock().unwrap()["g.w"].set(&Tensor::new(&[4f32], &Device::Cpu)?)?;
    /// ema.update()?; // β = min(0.999, 1/10): 0.1 · 0 + 0.9 · 4
    /// assert!((ema.averages()[0].to_vec1::<f32>()?[0] - 3.6).abs() < 1e-6);
    /// # let _ = w;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn with_warmup(mut self) -> Self {
        self.warmup = true;
        self
    }

    /// The number of averaged tensors.
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    /// Whether no tensor is averaged (never true for an `Ema` built by [`Ema::new`]).
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Folds the parameters' current values into the average; call after each step.
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let varmap = candle_nn::VarMap::new();
    /// let vb = candle_nn::VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    /// let w = vb.get_with_hints(1, "g.w", candle_nn::Init::Const(0.0))?;
    /// let mut ema = gmcourse::models::nn::Ema::new(&varmap, "g", 0.5)?;
    /// varmap.data().lock().unwrap()["g.w"].set(&Tensor::new(&[4f32], &Device::Cpu)?)?;
    /// ema.update()?; // 0.5 · 0 + 0.5 · 4
    /// assert_eq!(ema.averages()[0].to_vec1::<f32>()?, vec![2.0]);
    /// # let _ = w;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn update(&mut self) -> Result<()> {
        let t = self.updates as f64;
        let decay = if self.warmup {
            self.decay.min((1.0 + t) / (10.0 + t))
        } else {
            self.decay
        };
        self.updates += 1;
        for (var, avg) in self.vars.iter().zip(self.average.iter_mut()) {
            // detached: an average that kept its autograd history would hold every
            // earlier step's tensors alive
            let theta = var.as_tensor().detach();
            *avg = ((&*avg * decay)? + (theta * (1.0 - decay))?)?.detach();
        }
        Ok(())
    }

    /// The averaged tensors, in the order of the parameters' sorted names.
    pub fn averages(&self) -> &[Tensor] {
        &self.average
    }

    /// Exchanges the parameters' values with the average: after one call the model uses
    /// the averaged weights (to sample or save them), after a second call the raw ones
    /// again (to go on training).
    ///
    /// ```
    /// use candle_core::{Device, Tensor};
    /// let varmap = candle_nn::VarMap::new();
    /// let vb = candle_nn::VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    /// let w = vb.get_with_hints(1, "g.w", candle_nn::Init::Const(0.0))?;
    /// let mut ema = gmcourse::models::nn::Ema::new(&varmap, "g", 0.5)?;
    /// varmap.data().lock().unwrap()["g.w"].set(&Tensor::new(&[4f32], &Device::Cpu)?)?;
    /// ema.update()?;
    /// ema.swap()?;
    /// assert_eq!(w.to_vec1::<f32>()?, vec![2.0]); // the model now holds the average
    /// ema.swap()?;
    /// assert_eq!(w.to_vec1::<f32>()?, vec![4.0]); // and the raw weights again
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn swap(&mut self) -> Result<()> {
        for (var, avg) in self.vars.iter().zip(self.average.iter_mut()) {
            let raw = var.as_tensor().copy()?.detach();
            var.set(avg)?;
            *avg = raw;
        }
        Ok(())
    }
}
