//! VAE training that records both terms of the ELBO at every step (Kingma & Welling 2014;
//! lecture note 001, curriculum G2), for plotting them over training:
//!
//! ```text
//! ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) ‖ p(z))      reconstruction − KL, nats per image
//! loss    = -ELBO                                     what the optimiser minimises
//! ```
//!
//! [`train_recording`] is [`super::vae::train`] with the same batches, draws of `eps` and
//! updates for the same config, but it keeps the two terms apart instead of only their
//! difference.

use candle_core::Tensor;
use candle_nn::VarMap;

use super::train::{self, TrainConfig};
use super::vae::Vae;
use crate::Result;
use crate::check;

/// The per-step history of a VAE run: each entry is a batch mean in nats.
///
/// ```
/// let h = gmcourse::models::vae_history::ElboHistory::default();
/// assert!(h.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ElboHistory {
    /// `E_q[log p(x|z)]` (one draw of z per image), per step.
    pub reconstruction: Vec<f64>,
    /// `KL(q(z|x) ‖ p(z))`, per step.
    pub kl: Vec<f64>,
    /// `reconstruction − kl`, per step.
    pub elbo: Vec<f64>,
}

impl ElboHistory {
    /// Number of recorded steps.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::vae_history::ElboHistory::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.elbo.len()
    }

    /// True before the first step.
    ///
    /// ```
    /// assert!(gmcourse::models::vae_history::ElboHistory::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.elbo.is_empty()
    }

    /// The negative reconstruction term, `-E_q[log p(x|z)]`, per step: a loss to plot next
    /// to the KL (both positive, both lower is better).
    ///
    /// ```
    /// let h = gmcourse::models::vae_history::ElboHistory { reconstruction: vec![-90.0], kl: vec![5.0], elbo: vec![-95.0] };
    /// assert_eq!(h.reconstruction_loss(), vec![90.0]);
    /// ```
    pub fn reconstruction_loss(&self) -> Vec<f64> {
        self.reconstruction.iter().map(|r| -r).collect()
    }

    /// The mean of the last `n` steps of each term, `(reconstruction, kl, elbo)`: a less
    /// noisy summary of where training ended. All steps if fewer than `n` were recorded.
    ///
    /// ```
    /// let h = gmcourse::models::vae_history::ElboHistory {
    ///     reconstruction: vec![-100.0, -90.0, -80.0], kl: vec![1.0, 2.0, 3.0], elbo: vec![-101.0, -92.0, -83.0] };
    /// assert_eq!(h.last_mean(2), (-85.0, 2.5, -87.5));
    /// ```
    pub fn last_mean(&self, n: usize) -> (f64, f64, f64) {
        let mean = |v: &[f64]| {
            let k = n.min(v.len()).max(1);
            let tail = &v[v.len().saturating_sub(k)..];
            if tail.is_empty() {
                f64::NAN
            } else {
                tail.iter().sum::<f64>() / tail.len() as f64
            }
        };
        (mean(&self.reconstruction), mean(&self.kl), mean(&self.elbo))
    }
}

/// Trains `vae` on `data` `(n, 784)` in `[0, 1]` by maximising the ELBO, like
/// [`super::vae::train`], and returns the reconstruction, KL and ELBO of every step.
/// Stops early on `cfg.time_budget`.
///
/// # Errors
/// A wrong data shape, or [`crate::Error::Diverged`] if the loss stops being finite.
///
/// ```
/// let cfg = gmcourse::models::VaeConfig { n_pixels: 4, hidden: 8, latent: 2 };
/// let (vae, varmap) = gmcourse::models::Vae::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &candle_core::Device::Cpu)?;
/// let tc = gmcourse::models::TrainConfig { steps: 30, batch_size: 2, lr: 0.01, log_every: 0, ..Default::default() };
/// let h = gmcourse::models::vae_history::train_recording(&vae, &varmap, &data, &tc)?;
/// assert_eq!(h.len(), 30);
/// assert!(h.elbo[29] > h.elbo[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_recording(
    vae: &Vae,
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
) -> Result<ElboHistory> {
    check::matrix(data, "data (VAE training set)", vae.config().n_pixels)?;
    let mut opt = train::adamw(varmap.all_vars(), cfg.lr)?;
    let mut history = ElboHistory::default();
    train::run(cfg, varmap, |step, rng| {
        let x = train::random_batch(data, cfg.batch_size, rng)?;
        let terms = vae.elbo(&x, rng)?;
        let loss = terms.elbo.neg()?;
        let value = train::checked_step(&mut opt, &loss, step)?;
        history
            .reconstruction
            .push(train::finite_loss(&terms.reconstruction, step)?);
        history.kl.push(train::finite_loss(&terms.kl, step)?);
        history.elbo.push(-value);
        Ok(value)
    })?;
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::VaeConfig;
    use crate::testing::assert_close;
    use candle_core::Device;

    fn toy() -> Result<(Vae, VarMap, Tensor)> {
        let cfg = VaeConfig {
            n_pixels: 4,
            hidden: 8,
            latent: 2,
        };
        let (vae, varmap) = Vae::seeded(&cfg, 0)?;
        let data = Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &Device::Cpu)?;
        Ok((vae, varmap, data))
    }

    fn config(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 2,
            lr: 0.01,
            log_every: 0,
            ..Default::default()
        }
    }

    #[test]
    fn elbo_is_reconstruction_minus_kl_at_every_step() -> Result<()> {
        let (vae, varmap, data) = toy()?;
        let h = train_recording(&vae, &varmap, &data, &config(10))?;
        for i in 0..h.len() {
            assert_close(h.elbo[i], h.reconstruction[i] - h.kl[i], 1e-4);
        }
        Ok(())
    }

    #[test]
    fn kl_is_never_negative() -> Result<()> {
        let (vae, varmap, data) = toy()?;
        let h = train_recording(&vae, &varmap, &data, &config(10))?;
        assert!(
            h.kl.iter().all(|&k| k >= -1e-6),
            "KL went negative: {:?}",
            h.kl
        );
        Ok(())
    }

    #[test]
    fn recording_gives_the_same_losses_as_plain_training() -> Result<()> {
        // same seed, same batches and eps: the loss history of vae::train is -elbo here
        let (vae_a, varmap_a, data) = toy()?;
        let (vae_b, varmap_b, _) = toy()?;
        let plain = crate::models::vae::train(&vae_a, &varmap_a, &data, &config(15))?;
        let h = train_recording(&vae_b, &varmap_b, &data, &config(15))?;
        for (p, e) in plain.iter().zip(&h.elbo) {
            assert_close(*p, -e, 1e-9);
        }
        Ok(())
    }

    #[test]
    fn wrong_data_width_is_refused() -> Result<()> {
        let (vae, varmap, _) = toy()?;
        let bad = Tensor::zeros((2, 3), candle_core::DType::F32, &Device::Cpu)?;
        assert!(train_recording(&vae, &varmap, &bad, &config(1)).is_err());
        Ok(())
    }

    #[test]
    fn last_mean_of_an_empty_history_is_nan() {
        let (r, k, e) = ElboHistory::default().last_mean(5);
        assert!(r.is_nan() && k.is_nan() && e.is_nan());
    }
}
