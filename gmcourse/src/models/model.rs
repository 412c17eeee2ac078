//! What every neural model here has, written once: a configuration, a constructor that
//! builds the layers under a `VarBuilder` (so checkpoint names follow the struct's
//! fields), and [`Model::seeded`], a fresh model with its own parameters initialised from
//! a seed ([`super::train::init_seeded`]).
//!
//! ```
//! use gmcourse::models::{Model, Vae, VaeConfig};
//! let (vae, varmap) = Vae::seeded(&VaeConfig::latent_2d(), 0)?;
//! assert_eq!((vae.config().latent, varmap.all_vars().len()), (2, 10));
//! # Ok::<(), gmcourse::Error>(())
//! ```

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use super::nn;
use super::train::{self, History, TrainConfig};
use crate::Result;

/// A model built from a [`Model::Config`] under a `VarBuilder`.
pub trait Model: Sized {
    /// The sizes and options the model is built with.
    type Config;

    /// Builds the model's layers under `vb`, after checking `cfg`.
    ///
    /// # Errors
    /// If `cfg` is impossible (a size of 0, …); the message names the field.
    fn new(vb: VarBuilder, cfg: &Self::Config) -> Result<Self>;

    /// The configuration this model was built with.
    fn config(&self) -> &Self::Config;

    /// A fresh model with its own [`VarMap`], every parameter initialised from `seed`.
    ///
    /// # Errors
    /// As [`Model::new`].
    fn seeded(cfg: &Self::Config, seed: u64) -> Result<(Self, VarMap)> {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let model = Self::new(vb, cfg)?;
        train::init_seeded(&varmap, seed)?;
        Ok((model, varmap))
    }
}

/// Training by minimising `loss(x)` with AdamW over every variable of `varmap`, `x` a
/// mini-batch of `cfg.batch_size` rows drawn at random from `data` each step; the
/// per-step losses as a [`History`]. (What the likelihood models' `train` do.)
pub(crate) fn minimise_on_batches(
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
    loss: impl Fn(&Tensor) -> Result<Tensor>,
) -> Result<History> {
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    let losses = train::run(cfg, varmap, |step, rng| {
        let x = train::random_batch(data, cfg.batch_size, rng)?;
        train::checked_step(&mut opt, &loss(&x)?, step)
    })?;
    Ok(History::from_losses(losses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{
        Autoencoder, Cgan, Classifier, Dcgan, Gan, GanConfig, Nade, NadeConfig, PixelCnn, Vae,
    };

    fn tensors<M: Model>(cfg: &M::Config) -> usize {
        M::seeded(cfg, 0).unwrap().1.all_vars().len()
    }

    #[test]
    fn every_model_builds_the_tensors_its_checkpoints_name() {
        // a weight and a bias per dense layer (NADE: w, c, v, b; PixelCNN: 4 conv layers
        // and the 1×1 output)
        let nade = NadeConfig {
            n_pixels: 6,
            hidden: 4,
        };
        assert_eq!(tensors::<Nade>(&nade), 4);
        assert_eq!(tensors::<Autoencoder>(&Default::default()), 8);
        assert_eq!(tensors::<Vae>(&Default::default()), 10);
        assert_eq!(tensors::<Gan>(&GanConfig::toy_1d()), 12);
        assert_eq!(tensors::<Cgan>(&crate::models::CganConfig::mlp()), 12);
        // DCGAN: G fc (2), two batch norms (2 each), up1 (weight), up2 (2); D conv1, conv2,
        // hidden and fc, 2 each; with clusters (the default), D's cluster embedding (2) and
        // the clusters' centres and frequencies
        let plain = crate::models::DcganConfig {
            clusters: 0,
            ..Default::default()
        };
        assert_eq!(tensors::<Dcgan>(&plain), 17);
        assert_eq!(tensors::<Dcgan>(&Default::default()), 21);
        // the conditional DCGAN: the same, and D's label embedding (2)
        assert_eq!(tensors::<Cgan>(&Default::default()), 19);
        assert_eq!(tensors::<Classifier>(&Default::default()), 6);
        assert_eq!(tensors::<PixelCnn>(&Default::default()), 10);
    }
}
