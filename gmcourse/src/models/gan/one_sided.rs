//! One player of a GAN trained against a frozen opponent (Goodfellow et al. 2014,
//! Proposition 1 and section 4; lecture note 004, curriculum H3, H7).
//!
//! ```text
//! D step only:  max_D E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))]   → D*(x) = p_data / (p_data + p_g)
//! G step only:  min_G -E_z[log D(G(z))]  with D fixed                  → G piles onto argmax_x D(x)
//! ```
//!
//! The first shows that a discriminator trained long enough against a *fixed* generator
//! approaches the optimal `D*`; the second is the "Helvetica scenario": a generator trained
//! too far ahead of its discriminator maps many `z` to the few points that fool the frozen
//! `D`, and its samples collapse.

use candle_core::Tensor;
use candle_nn::VarMap;
use rand::rngs::StdRng;

use super::{Gan, gan_optimizer};
use crate::Result;
use crate::models::Model;
use crate::models::train::{self, History, TrainConfig};

/// Trains only the discriminator of `gan`: each step draws a real batch from
/// `p_data(rng, n)` and a fake batch from the fixed sampler `p_g(rng, n)` (any
/// distribution, e.g. the gan's own frozen generator) and takes one step on
/// `softplus(-l(x_real)) + softplus(l(x_fake))`. The generator's weights are untouched.
/// Returns the [`History`] of series `discriminator`.
///
/// ```
/// use gmcourse::models::{gan::one_sided, Gan, GanConfig, Model, TrainConfig};
/// let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
/// let cfg = TrainConfig { steps: 5, batch_size: 16, log_every: 0, ..Default::default() };
/// let losses = one_sided::train_discriminator(&g, &varmap,
///     |rng, n| gmcourse::data::synthetic::normal_1d(rng, n, 2.0, 0.5),
///     |rng, n| gmcourse::data::synthetic::normal_1d(rng, n, -2.0, 0.5), &cfg)?;
/// assert_eq!(losses.series("discriminator")?.len(), 5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
/// use gmcourse::models::Model;
///
/// # Errors
/// If a sampler fails, a batch has the wrong width, or the loss is not finite.
pub fn train_discriminator(
    gan: &Gan,
    varmap: &VarMap,
    mut p_data: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    mut p_g: impl FnMut(&mut StdRng, usize) -> Result<Tensor>,
    cfg: &TrainConfig,
) -> Result<History> {
    let mut opt_d = gan_optimizer(
        train::vars_with_prefix(varmap, "discriminator")?,
        cfg.lr,
        gan.config().beta1,
    )?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let x_real = p_data(rng, cfg.batch_size)?;
        let x_fake = p_g(rng, cfg.batch_size)?.detach();
        let loss = gan.discriminator_loss(&x_real, &x_fake)?;
        train::checked_step(&mut opt_d, &loss, step)
    })?;
    Ok(History::new().with("discriminator", losses))
}

/// Trains only the generator of `gan` against its frozen discriminator, with the loss of
/// [`super::GanConfig::loss`]. Returns the [`History`] of series `generator`.
///
/// ```
/// use gmcourse::models::{gan::one_sided, Gan, GanConfig, Model, TrainConfig};
/// let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
/// let before = g.discriminator_on_grid(&[0.0, 1.0])?;
/// let cfg = TrainConfig { steps: 5, batch_size: 16, log_every: 0, ..Default::default() };
/// one_sided::train_generator(&g, &varmap, &cfg)?;
/// assert_eq!(g.discriminator_on_grid(&[0.0, 1.0])?, before); // D did not move
/// # Ok::<(), gmcourse::Error>(())
/// ```
/// use gmcourse::models::Model;
///
/// # Errors
/// If the loss is not finite.
pub fn train_generator(gan: &Gan, varmap: &VarMap, cfg: &TrainConfig) -> Result<History> {
    let mut opt_g = gan_optimizer(
        train::vars_with_prefix(varmap, "generator")?,
        cfg.lr,
        gan.config().beta1,
    )?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let z = train::randn(rng, cfg.batch_size, gan.config().latent)?;
        let loss = gan.generator_loss(&z)?;
        train::checked_step(&mut opt_g, &loss, step)
    })?;
    Ok(History::new().with("generator", losses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synthetic::normal_1d;
    use crate::models::GanConfig;
    use crate::testing::assert_close;

    fn normal_pdf(x: f64, mean: f64, std: f64) -> f64 {
        (-(x - mean).powi(2) / (2.0 * std * std)).exp()
            / (std * (2.0 * std::f64::consts::PI).sqrt())
    }

    #[test]
    fn discriminator_against_a_fixed_generator_approaches_d_star() -> Result<()> {
        // p_data = N(1, 1), p_g = N(-1, 1): D*(x) = σ(2x), so D*(0) = 1/2, D*(1) ≈ 0.881.
        let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 3)?;
        let cfg = TrainConfig {
            steps: 1500,
            batch_size: 256,
            lr: 2e-3,
            log_every: 0,
            ..Default::default()
        };
        train_discriminator(
            &g,
            &varmap,
            |rng, n| normal_1d(rng, n, 1.0, 1.0),
            |rng, n| normal_1d(rng, n, -1.0, 1.0),
            &cfg,
        )?;
        let grid = [-1.0f32, 0.0, 1.0];
        let d = g.discriminator_on_grid(&grid)?;
        for (x, d) in grid.iter().zip(d) {
            let (p, q) = (
                normal_pdf(*x as f64, 1.0, 1.0),
                normal_pdf(*x as f64, -1.0, 1.0),
            );
            assert_close(d as f64, p / (p + q), 0.08);
        }
        Ok(())
    }

    #[test]
    fn discriminator_training_leaves_the_generator_unchanged() -> Result<()> {
        let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
        let z = train::randn(&mut train::rng(1), 4, 1)?;
        let before = g.generate(&z)?.flatten_all()?.to_vec1::<f32>()?;
        let cfg = TrainConfig {
            steps: 20,
            batch_size: 8,
            log_every: 0,
            ..Default::default()
        };
        train_discriminator(
            &g,
            &varmap,
            |rng, n| normal_1d(rng, n, 0.0, 1.0),
            |rng, n| g.sample(n, rng),
            &cfg,
        )?;
        assert_eq!(g.generate(&z)?.flatten_all()?.to_vec1::<f32>()?, before);
        Ok(())
    }

    #[test]
    fn generator_against_a_frozen_discriminator_lowers_its_loss() -> Result<()> {
        let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
        let cfg = TrainConfig {
            steps: 200,
            batch_size: 64,
            log_every: 0,
            ..Default::default()
        };
        let history = train_generator(&g, &varmap, &cfg)?;
        let losses = history.series("generator")?;
        assert!(losses[losses.len() - 1] < losses[0]);
        Ok(())
    }
}
