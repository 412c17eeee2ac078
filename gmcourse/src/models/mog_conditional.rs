//! A mixture-of-Gaussians conditional for continuous autoregressive models (curriculum
//! D3; RNADE, Uria et al., NeurIPS 2013; Bishop's mixture density network, 1994).
//!
//! For real-valued pixels each conditional of the chain rule must be a density. A network
//! reads the context `x_<i` and outputs the `K` weights, means and standard deviations of
//! a mixture:
//!
//! ```text
//! (logits, mu, s) = f_θ(context)             each (batch, K)
//! π = softmax(logits),  σ = softplus(s) + min_std
//! log p(x | context) = log Σ_k π_k N(x; μ_k, σ_k²)      (log-sum-exp over k)
//! ```
//!
//! Trained by maximum likelihood (lesson 04), it can say "either background or ink" where
//! one Gaussian can only say "grey".
//!
//! ```
//! use gmcourse::models::Model;
//! use gmcourse::models::{MogConditional, MogConditionalConfig};
//! let cfg = MogConditionalConfig { context: 2, hidden: 8, k: 3, min_std: 0.02 };
//! let (m, _) = MogConditional::seeded(&cfg, 0)?;
//! let mix = m.mixture(&[0.0, 1.0])?;          // p(x | context = (0, 1)) as a prob::Mixture
//! assert_eq!(mix.weights().len(), 3);
//! # Ok::<(), gmcourse::Error>(())
//! ```
//! use gmcourse::models::Model;

use candle_core::{D, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use super::nn::{Activation, Mlp};
use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::check;
use crate::prob::{Mixture, Normal};
use crate::{Error, Result};

/// Sizes of a [`MogConditional`].
#[derive(Debug, Clone, PartialEq)]
pub struct MogConditionalConfig {
    /// How many context values the conditional reads.
    pub context: usize,
    /// Hidden units of the network.
    pub hidden: usize,
    /// Mixture components `K`.
    pub k: usize,
    /// Floor of every σ, so that a component cannot collapse onto one repeated value
    /// (grey level exactly 0) and drive the likelihood to infinity.
    pub min_std: f64,
}

/// `p(x | context)` as a mixture of `K` Gaussians whose parameters a network outputs.
#[derive(Debug, Clone)]
pub struct MogConditional {
    net: Mlp,
    cfg: MogConditionalConfig,
}

impl Model for MogConditional {
    type Config = MogConditionalConfig;

    /// A network `context → hidden → 3K` (ReLU hidden layer).
    fn new(vb: VarBuilder, cfg: &MogConditionalConfig) -> Result<Self> {
        check::sizes(
            "MogConditionalConfig",
            &[cfg.context, cfg.hidden, cfg.k],
            cfg,
        )?;
        check::positive("MogConditionalConfig::min_std", cfg.min_std)?;
        let net = Mlp::new(
            vb.pp("net"),
            &[cfg.context, cfg.hidden, 3 * cfg.k],
            Activation::Relu,
        )?;
        Ok(Self {
            net,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &MogConditionalConfig {
        &self.cfg
    }
}

impl MogConditional {
    /// `(log π, μ, σ)`, each `(batch, K)`, for a `(batch, context)` tensor.
    pub fn params(&self, context: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
        check::matrix(context, "context", self.cfg.context)?;
        let out = self.net.forward(context)?;
        let k = self.cfg.k;
        let log_pi = candle_nn::ops::log_softmax(&out.narrow(1, 0, k)?, D::Minus1)?;
        let mu = out.narrow(1, k, k)?;
        let sigma = (nn::softplus(&out.narrow(1, 2 * k, k)?)? + self.cfg.min_std)?;
        Ok((log_pi, mu, sigma))
    }

    /// `log p(x | context)` for `context` `(batch, context)` and `x` `(batch, 1)`:
    /// shape `(batch,)`.
    pub fn log_prob(&self, context: &Tensor, x: &Tensor) -> Result<Tensor> {
        let n = check::matrix(x, "x (one value per row)", 1)?;
        if context.dims().first() != Some(&n) {
            return Err(Error::invalid(
                "context",
                format!("{n} rows, one per value of x"),
                format!("{:?}", context.dims()),
            ));
        }
        let (log_pi, mu, sigma) = self.params(context)?;
        let z = x.broadcast_sub(&mu)?.div(&sigma)?;
        let half_log_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        let log_normal = ((z.sqr()? * -0.5)? - sigma.log()?)?.affine(1.0, -half_log_2pi)?;
        let terms = (log_pi + log_normal)?;
        let max = terms.max_keepdim(1)?;
        let lse = (terms.broadcast_sub(&max)?.exp()?.sum_keepdim(1)?.log()? + max)?;
        Ok(lse.squeeze(1)?)
    }

    /// The conditional for one context, as a [`Mixture`] of [`Normal`]s (to evaluate or
    /// plot with `prob`).
    pub fn mixture(&self, context: &[f32]) -> Result<Mixture> {
        if context.len() != self.cfg.context {
            return Err(Error::invalid(
                "context",
                format!("{} values", self.cfg.context),
                context.len(),
            ));
        }
        let c = Tensor::from_vec(context.to_vec(), (1, self.cfg.context), &Device::Cpu)?;
        let (log_pi, mu, sigma) = self.params(&c)?;
        let pi: Vec<f64> = log_pi
            .exp()?
            .squeeze(0)?
            .to_vec1::<f32>()?
            .iter()
            .map(|&v| v as f64)
            .collect();
        let mu = mu.squeeze(0)?.to_vec1::<f32>()?;
        let sigma = sigma.squeeze(0)?.to_vec1::<f32>()?;
        let total: f64 = pi.iter().sum();
        let weights: Vec<f64> = pi.iter().map(|p| p / total).collect();
        let comps = mu
            .iter()
            .zip(&sigma)
            .map(|(&m, &s)| Normal::new(m as f64, s as f64))
            .collect::<Result<Vec<_>>>()?;
        Mixture::new(&weights, comps)
    }
}

/// Maximum likelihood on pairs `(context, x)`: AdamW on mini-batches of the negative mean
/// log-likelihood. Returns the loss (nats per value) of every step.
pub fn train(
    model: &MogConditional,
    varmap: &VarMap,
    context: &Tensor,
    x: &Tensor,
    cfg: &TrainConfig,
) -> Result<History> {
    let c = model.cfg.context;
    check::matrix(context, "context", c)?;
    check::matrix(x, "x (one value per row)", 1)?;
    let data = Tensor::cat(&[context, x], 1)?;
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let batch = train::random_batch(&data, cfg.batch_size, rng)?;
        let nll = model
            .log_prob(&batch.narrow(1, 0, c)?, &batch.narrow(1, c, 1)?)?
            .mean_all()?
            .neg()?;
        train::checked_step(&mut opt, &nll, step)
    })?;
    Ok(History::from_losses(losses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::DType;
    use rand::Rng;

    /// Pairs where x is near 0 or near 1 with equal odds whatever the context.
    fn two_valued(n: usize) -> (Tensor, Tensor) {
        let mut rng = train::rng(5);
        let ctx: Vec<f32> = (0..n).map(|_| rng.random::<f32>()).collect();
        let x: Vec<f32> = (0..n)
            .map(|_| if rng.random::<bool>() { 0.05 } else { 0.95 } + 0.02 * (rng.random::<f32>() - 0.5))
            .collect();
        (
            Tensor::from_vec(ctx, (n, 1), &Device::Cpu).unwrap(),
            Tensor::from_vec(x, (n, 1), &Device::Cpu).unwrap(),
        )
    }

    #[test]
    fn log_prob_is_the_log_of_the_mixture_density_it_reports() {
        let cfg = MogConditionalConfig {
            context: 2,
            hidden: 4,
            k: 3,
            min_std: 0.05,
        };
        let (m, _) = MogConditional::seeded(&cfg, 1).unwrap();
        let mix = m.mixture(&[0.3, 0.7]).unwrap();
        for v in [0.0_f32, 0.4, 1.2] {
            let c = Tensor::new(&[[0.3_f32, 0.7]], &Device::Cpu).unwrap();
            let x = Tensor::new(&[[v]], &Device::Cpu).unwrap();
            let lp = m.log_prob(&c, &x).unwrap().to_vec1::<f32>().unwrap()[0] as f64;
            assert!(
                (lp - mix.pdf(v as f64).ln()).abs() < 1e-4,
                "{lp} vs {}",
                mix.pdf(v as f64).ln()
            );
        }
    }

    #[test]
    fn a_trained_mixture_beats_one_gaussian_on_two_valued_data_and_finds_both_values() {
        let (ctx, x) = two_valued(4000);
        let tc = TrainConfig {
            steps: 600,
            batch_size: 200,
            lr: 1e-2,
            seed: 2,
            log_every: 0,
            ..Default::default()
        };
        let mut mean_ll = Vec::new();
        for k in [1, 3] {
            let cfg = MogConditionalConfig {
                context: 1,
                hidden: 16,
                k,
                min_std: 0.01,
            };
            let (m, vm) = MogConditional::seeded(&cfg, 3).unwrap();
            train(&m, &vm, &ctx, &x, &tc).unwrap();
            let ll = m
                .log_prob(&ctx, &x)
                .unwrap()
                .mean_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            mean_ll.push(ll as f64);
            if k == 3 {
                let mix = m.mixture(&[0.5]).unwrap();
                assert!(mix.pdf(0.05) > 5.0 * mix.pdf(0.5), "no mode at 0.05");
                assert!(mix.pdf(0.95) > 5.0 * mix.pdf(0.5), "no mode at 0.95");
            }
        }
        assert!(mean_ll[1] > mean_ll[0] + 1.0, "{mean_ll:?}");
    }

    #[test]
    fn bad_shapes_and_sizes_are_named() {
        let cfg = MogConditionalConfig {
            context: 2,
            hidden: 4,
            k: 2,
            min_std: 0.02,
        };
        let (m, _) = MogConditional::seeded(&cfg, 0).unwrap();
        assert!(m.mixture(&[1.0]).is_err());
        let c = Tensor::zeros((3, 2), DType::F32, &Device::Cpu).unwrap();
        let x = Tensor::zeros((2, 1), DType::F32, &Device::Cpu).unwrap();
        assert!(
            m.log_prob(&c, &x)
                .unwrap_err()
                .to_string()
                .contains("one per value of x")
        );
        assert!(
            MogConditional::seeded(
                &MogConditionalConfig {
                    k: 0,
                    ..cfg.clone()
                },
                0
            )
            .is_err()
        );
        assert!(
            MogConditional::seeded(
                &MogConditionalConfig {
                    min_std: 0.0,
                    ..cfg
                },
                0
            )
            .is_err()
        );
    }
}
