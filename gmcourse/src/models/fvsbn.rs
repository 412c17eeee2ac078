//! A fully visible sigmoid belief network (FVSBN): the chain rule with every conditional
//! a logistic regression on all earlier pixels,
//!
//! `p(x_i = 1 | x_<i) = σ(b_i + Σ_{j<i} w_ij x_j)`,  `log p(x) = Σ_i log p(x_i | x_<i)`.
//!
//! Nothing is assumed away: pixel i sees every pixel before it in raster order. The price
//! is `D + D(D − 1)/2 = D(D + 1)/2` parameters (307,720 for D = 784), still far fewer than
//! the `2^D − 1` of a full table because each conditional is a logistic regression and not
//! a lookup table. Training maximises the log-likelihood of the training images by
//! minibatch gradient ascent (Adam on `−log p`); the weight matrix is masked strictly
//! lower-triangular so that `x_i` never sees itself or a later pixel. Shapes: images
//! `(batch, D)`, weights `(D, D)`, logits `(batch, D)`.
//!
//! Source: Frey (1998); Frey, Hinton & Dayan, "Does the wake-sleep algorithm produce good
//! density estimators?" (NIPS 1996); the FVSBN is the model NADE (lesson 05) improves on.

use std::time::Instant;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::prob::pixel_models::{
    BinaryImages, IndependentPixels, PixelFitConfig, PixelModel, check_image,
};
use crate::{Error, Result};

/// Training options of [`Fvsbn::fit`].
///
/// ```
/// let cfg = gmcourse::models::FvsbnConfig { epochs: 2, ..Default::default() };
/// assert_eq!(cfg.batch_size, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FvsbnConfig {
    /// Passes over the training images.
    pub epochs: usize,
    /// Images per gradient step.
    pub batch_size: usize,
    /// Adam's step size.
    pub learning_rate: f64,
    /// The biases start at the logits of the independent model fitted with this
    /// pseudo-count, so training starts from [`IndependentPixels`].
    pub pseudo_count: f64,
    /// Seed of the minibatch order.
    pub seed: u64,
}

impl Default for FvsbnConfig {
    fn default() -> Self {
        Self {
            epochs: 2,
            batch_size: 100,
            learning_rate: 3e-2,
            pseudo_count: 1.0,
            seed: 0,
        }
    }
}

/// A trained FVSBN: biases `b` (D) and strictly lower-triangular weights `w` (D × D,
/// row i holding the weights of pixel i on pixels 0 … i − 1).
///
/// ```
/// use gmcourse::models::{Fvsbn, FvsbnConfig};
/// use gmcourse::prob::pixel_models::{BinaryImages, PixelModel};
/// let images = BinaryImages::new(vec![0, 0, 1, 1, 0, 0, 1, 1], 2)?;
/// let model = Fvsbn::fit(&images, &FvsbnConfig { epochs: 200, batch_size: 4, learning_rate: 0.1, ..Default::default() })?;
/// assert_eq!(model.num_params(), 3); // b_1, b_2, w_21
/// assert!(model.weights()[2] > 2.0); // x_2 copies x_1: a large positive w_21
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fvsbn {
    d: usize,
    b: Vec<f32>,
    w: Vec<f32>,
    train_nll: Vec<f64>,
    seconds: f64,
}

impl Fvsbn {
    /// Trains on `images` for `cfg.epochs` epochs of minibatch Adam on the mean negative
    /// log-likelihood (nats per image), on the CPU.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a zero batch size or epoch count, or a learning rate
    /// that is not positive; [`Error::Diverged`] if the loss stops being finite.
    ///
    /// ```
    /// use gmcourse::models::{Fvsbn, FvsbnConfig};
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// let images = BinaryImages::new(vec![1, 0, 1, 0], 2)?;
    /// assert!(Fvsbn::fit(&images, &FvsbnConfig { batch_size: 0, ..Default::default() }).is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn fit(images: &BinaryImages, cfg: &FvsbnConfig) -> Result<Self> {
        check_config(cfg)?;
        let start = Instant::now();
        let device = Device::Cpu;
        let d = images.pixels();
        let m = images.len();
        let init = IndependentPixels::fit(
            images,
            &PixelFitConfig {
                pseudo_count: cfg.pseudo_count,
            },
        )?;
        let b0: Vec<f32> = init.theta().iter().map(|&t| logit(t) as f32).collect();
        let b = Var::from_tensor(&Tensor::from_vec(b0, d, &device)?)?;
        let w = Var::zeros((d, d), DType::F32, &device)?;
        // Strictly lower triangular: ones below the diagonal.
        let mask = (Tensor::tril2(d, DType::F32, &device)? - Tensor::eye(d, DType::F32, &device)?)?;
        let params = ParamsAdamW {
            lr: cfg.learning_rate,
            weight_decay: 0.0,
            ..Default::default()
        };
        let mut opt = AdamW::new(vec![b.clone(), w.clone()], params)?;
        let x_all: Vec<f32> = images.as_slice().iter().map(|&v| f32::from(v)).collect();
        let mut order: Vec<usize> = (0..m).collect();
        let mut rng = StdRng::seed_from_u64(cfg.seed);
        let mut train_nll = Vec::with_capacity(cfg.epochs);
        let mut step = 0;
        for _ in 0..cfg.epochs {
            order.shuffle(&mut rng);
            let (mut total, mut seen) = (0.0, 0usize);
            for batch in order.chunks(cfg.batch_size) {
                let mut xb = Vec::with_capacity(batch.len() * d);
                for &k in batch {
                    xb.extend_from_slice(&x_all[k * d..(k + 1) * d]);
                }
                let x = Tensor::from_vec(xb, (batch.len(), d), &device)?;
                let loss = nll(&x, w.as_tensor(), b.as_tensor(), &mask)?;
                let value = f64::from(loss.to_scalar::<f32>()?);
                if !value.is_finite() {
                    return Err(Error::Diverged {
                        step,
                        loss: value,
                        remedy: "lower FvsbnConfig::learning_rate".into(),
                    });
                }
                opt.backward_step(&loss)?;
                total += value * batch.len() as f64;
                seen += batch.len();
                step += 1;
            }
            train_nll.push(total / seen as f64);
        }
        let w_masked = (w.as_tensor() * &mask)?;
        Ok(Self {
            d,
            b: b.as_tensor().to_vec1()?,
            w: w_masked.flatten_all()?.to_vec1()?,
            train_nll,
            seconds: start.elapsed().as_secs_f64(),
        })
    }

    /// The biases `b_i`, one per pixel.
    ///
    /// ```
    /// use gmcourse::models::{Fvsbn, FvsbnConfig};
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// let model = Fvsbn::fit(&BinaryImages::new(vec![1, 0], 2)?, &FvsbnConfig { epochs: 1, ..Default::default() })?;
    /// assert_eq!(model.bias().len(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn bias(&self) -> &[f32] {
        &self.b
    }

    /// The weights `w_ij`, row-major `(D, D)`, zero on and above the diagonal.
    ///
    /// ```
    /// use gmcourse::models::{Fvsbn, FvsbnConfig};
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// let model = Fvsbn::fit(&BinaryImages::new(vec![1, 0], 2)?, &FvsbnConfig { epochs: 1, ..Default::default() })?;
    /// assert_eq!(model.weights()[1], 0.0); // w_01: pixel 0 cannot see pixel 1
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn weights(&self) -> &[f32] {
        &self.w
    }

    /// The mean negative log-likelihood on the training images after each epoch (nats per
    /// image, averaged over the epoch's minibatches).
    ///
    /// ```
    /// use gmcourse::models::{Fvsbn, FvsbnConfig};
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// let model = Fvsbn::fit(&BinaryImages::new(vec![1, 0], 2)?, &FvsbnConfig { epochs: 2, ..Default::default() })?;
    /// assert_eq!(model.train_nll().len(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn train_nll(&self) -> &[f64] {
        &self.train_nll
    }

    /// Wall-clock seconds [`Fvsbn::fit`] took.
    ///
    /// ```
    /// use gmcourse::models::{Fvsbn, FvsbnConfig};
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// let model = Fvsbn::fit(&BinaryImages::new(vec![1, 0], 2)?, &FvsbnConfig { epochs: 1, ..Default::default() })?;
    /// assert!(model.seconds() >= 0.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn seconds(&self) -> f64 {
        self.seconds
    }
}

impl PixelModel for Fvsbn {
    fn pixels(&self) -> usize {
        self.d
    }

    fn num_params(&self) -> usize {
        self.d * (self.d + 1) / 2
    }

    fn log_prob(&self, x: &[u8]) -> Result<f64> {
        check_image(self.d, x)?;
        let on: Vec<usize> = (0..self.d).filter(|&j| x[j] == 1).collect();
        let mut total = 0.0;
        for i in 0..self.d {
            let row = &self.w[i * self.d..(i + 1) * self.d];
            // Only earlier pixels that are on contribute: w_ij = 0 for j ≥ i.
            let a = f64::from(self.b[i]) + on.iter().map(|&j| f64::from(row[j])).sum::<f64>();
            // log σ(a) = −softplus(−a), log(1 − σ(a)) = −softplus(a).
            total -= if x[i] == 1 { softplus(-a) } else { softplus(a) };
        }
        Ok(total)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<u8> {
        let d = self.d;
        let mut a: Vec<f64> = self.b.iter().map(|&b| f64::from(b)).collect();
        let mut x = vec![0u8; d];
        for i in 0..d {
            if rng.random::<f64>() < sigmoid(a[i]) {
                x[i] = 1;
                for (k, a_k) in a.iter_mut().enumerate().skip(i + 1) {
                    *a_k += f64::from(self.w[k * d + i]);
                }
            }
        }
        x
    }
}

/// `(1/batch) Σ_k Σ_i [softplus(l_ki) − x_ki l_ki]` with `l = x (w ⊙ mask)ᵀ + b`: the
/// binary cross-entropy with logits, in nats per image.
fn nll(x: &Tensor, w: &Tensor, b: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let logits = x.matmul(&(w * mask)?.t()?)?.broadcast_add(b)?;
    let softplus = (logits.relu()? + (logits.abs()?.neg()?.exp()? + 1.0)?.log()?)?;
    let per_pixel = (softplus - (x * &logits)?)?;
    per_pixel.sum(1)?.mean(0)
}

fn check_config(cfg: &FvsbnConfig) -> Result<()> {
    if cfg.epochs == 0 {
        return Err(Error::invalid(
            "FvsbnConfig::epochs",
            "at least 1",
            cfg.epochs,
        ));
    }
    if cfg.batch_size == 0 {
        return Err(Error::invalid(
            "FvsbnConfig::batch_size",
            "at least 1",
            cfg.batch_size,
        ));
    }
    crate::check::positive("FvsbnConfig::learning_rate", cfg.learning_rate)?;
    crate::check::non_negative("FvsbnConfig::pseudo_count", cfg.pseudo_count)
}

fn sigmoid(a: f64) -> f64 {
    1.0 / (1.0 + (-a).exp())
}

fn softplus(a: f64) -> f64 {
    a.max(0.0) + (-a.abs()).exp().ln_1p()
}

/// `log(t / (1 − t))`, clamped so that θ = 0 or 1 gives a large finite logit.
fn logit(t: f64) -> f64 {
    let t = t.clamp(1e-6, 1.0 - 1e-6);
    (t / (1.0 - t)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    fn all_images(d: usize) -> Vec<Vec<u8>> {
        (0..1u32 << d)
            .map(|b| (0..d).map(|i| ((b >> i) & 1) as u8).collect())
            .collect()
    }

    fn xor_data() -> Vec<u8> {
        // x_3 = x_1 XOR x_2 is beyond a logistic regression, but x_2 = x_1 is not.
        let mut x = Vec::new();
        for _ in 0..25 {
            x.extend_from_slice(&[0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1]);
        }
        x
    }

    #[test]
    fn the_probabilities_of_all_images_sum_to_one() {
        let x = xor_data();
        let images = BinaryImages::new(x.to_vec(), 3).unwrap();
        let model = Fvsbn::fit(
            &images,
            &FvsbnConfig {
                epochs: 20,
                batch_size: 10,
                learning_rate: 0.05,
                ..Default::default()
            },
        )
        .unwrap();
        let total: f64 = all_images(3)
            .iter()
            .map(|x| model.log_prob(x).unwrap().exp())
            .sum();
        assert_close(total, 1.0, 1e-9);
    }

    #[test]
    fn training_beats_the_independent_model_it_starts_from() {
        let x = xor_data();
        let images = BinaryImages::new(x.to_vec(), 3).unwrap();
        let independent = IndependentPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        let cfg = FvsbnConfig {
            epochs: 100,
            batch_size: 20,
            learning_rate: 0.05,
            ..Default::default()
        };
        let model = Fvsbn::fit(&images, &cfg).unwrap();
        let before = independent.mean_log_prob(&images).unwrap();
        let after = model.mean_log_prob(&images).unwrap();
        assert!(
            after > before + 0.3,
            "FVSBN {after} vs independent {before}"
        );
        let nll = model.train_nll();
        assert!(nll[nll.len() - 1] < nll[0]);
    }

    #[test]
    fn log_prob_matches_the_training_loss_formula() {
        // With zero weights the model is the independent model with θ = σ(b).
        let x = [1u8, 0, 1, 1];
        let images = BinaryImages::new(x.to_vec(), 2).unwrap();
        let model = Fvsbn::fit(
            &images,
            &FvsbnConfig {
                epochs: 1,
                learning_rate: 1e-9,
                ..Default::default()
            },
        )
        .unwrap();
        let theta: Vec<f64> = model
            .bias()
            .iter()
            .map(|&b| sigmoid(f64::from(b)))
            .collect();
        let independent = IndependentPixels::from_theta(theta).unwrap();
        assert_close(
            model.log_prob(&[1, 0]).unwrap(),
            independent.log_prob(&[1, 0]).unwrap(),
            1e-6,
        );
        // θ started from the smoothed fit: (2 + 1) / (2 + 2) and (1 + 1) / (2 + 2).
        assert_close(sigmoid(f64::from(model.bias()[0])), 0.75, 1e-5);
    }

    #[test]
    fn weights_on_and_above_the_diagonal_stay_zero() {
        let x = xor_data();
        let model = Fvsbn::fit(
            &BinaryImages::new(x.to_vec(), 3).unwrap(),
            &FvsbnConfig {
                epochs: 5,
                ..Default::default()
            },
        )
        .unwrap();
        let w = model.weights();
        for i in 0..3 {
            for j in i..3 {
                assert_eq!(w[i * 3 + j], 0.0, "w[{i}][{j}]");
            }
        }
        assert!(w[3] != 0.0, "w[1][0] was never trained");
    }

    #[test]
    fn samples_follow_the_learned_dependence() {
        // x_2 = x_1 in every training image: samples must mostly agree.
        let x: Vec<u8> = (0..100).flat_map(|k| [(k % 2) as u8; 2]).collect();
        let model = Fvsbn::fit(
            &BinaryImages::new(x.to_vec(), 2).unwrap(),
            &FvsbnConfig {
                epochs: 300,
                batch_size: 100,
                learning_rate: 0.1,
                ..Default::default()
            },
        )
        .unwrap();
        let mut rng = StdRng::seed_from_u64(0);
        let agree = (0..1000)
            .filter(|_| {
                let s = model.sample(&mut rng);
                s[0] == s[1]
            })
            .count();
        assert!(agree > 900, "{agree} of 1000 samples agree");
    }

    #[test]
    fn a_zero_learning_rate_is_rejected() {
        let images = BinaryImages::new(vec![1, 0], 2).unwrap();
        let err = Fvsbn::fit(
            &images,
            &FvsbnConfig {
                learning_rate: 0.0,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("learning_rate"), "{err}");
    }
}
