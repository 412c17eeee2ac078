//! Three models of a binary image `x ∈ {0, 1}^D`, from the strongest assumption to the
//! weakest:
//!
//! | model | factorisation | parameters (D = 784) |
//! |---|---|---|
//! | [`IndependentPixels`] | `p(x) = Π_i p(x_i)` | `D` = 784 |
//! | [`MarkovPixels`] | `p(x) = p(x_1) Π_{i>1} p(x_i given x_{i−1})` | `2D − 1` = 1,567 |
//! | [`Fvsbn`](crate::models::Fvsbn) (trained, in `models`) | `p(x) = Π_i p(x_i given x_<i)`, `p(x_i = 1 given x_<i) = σ(b_i + Σ_{j<i} w_ij x_j)` | `D(D + 1)/2` = 307,720 |
//!
//! Every model is explicit: it gives the exact log-probability `log p(x)` of any image
//! and can sample new ones, pixel by pixel in raster order (row after row, left to
//! right). The first two are fitted in closed form by counting (maximum likelihood, with
//! an optional pseudo-count so that no probability is exactly 0); the third is a
//! logistic regression per pixel on every earlier pixel, the "fully visible sigmoid
//! belief network" (Frey 1998), trained by gradient ascent on the log-likelihood.
//!
//! Source: seed notes \[000\] and \[002\] (independence, the chain rule, the Markov
//! assumption; curriculum C3–C5, Z3, Z5) and Frey, *Graphical Models for Machine Learning
//! and Digital Communication* (MIT Press, 1998) for the FVSBN.
//!
//! ```
//! use gmcourse::prob::pixel_models::{BinaryImages, IndependentPixels, MarkovPixels, PixelFitConfig, PixelModel};
//! let x = [0, 1, 1, 0, 1, 1, 1, 1]; // two images of D = 4 pixels
//! let images = BinaryImages::new(x.to_vec(), 4)?;
//! let cfg = PixelFitConfig { pseudo_count: 0.0 };
//! let independent = IndependentPixels::fit(&images, &cfg)?;
//! assert_eq!(independent.theta(), &[0.5, 1.0, 1.0, 0.5]);
//! let markov = MarkovPixels::fit(&images, &cfg)?;
//! assert_eq!((independent.num_params(), markov.num_params()), (4, 7));
//! # Ok::<(), gmcourse::Error>(())
//! ```

mod images;
mod independent;
mod markov;

pub use images::BinaryImages;
pub(crate) use images::check_image;
pub use independent::IndependentPixels;
pub use markov::MarkovPixels;

use rand::Rng;

use crate::Result;

/// Options for fitting a pixel model by counting.
///
/// `pseudo_count` α adds α imaginary 0s and α imaginary 1s to every count (additive, or
/// Laplace, smoothing): `θ = (k + α) / (m + 2α)`. With `α = 0` this is the maximum
/// likelihood estimate, which gives probability 0 to a pixel never seen on, and so
/// `log p(x) = −∞` to any test image that has it on.
///
/// ```
/// assert_eq!(gmcourse::prob::pixel_models::PixelFitConfig::default().pseudo_count, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelFitConfig {
    /// Imaginary observations of each value per count, `α ≥ 0`.
    pub pseudo_count: f64,
}

impl Default for PixelFitConfig {
    fn default() -> Self {
        Self { pseudo_count: 1.0 }
    }
}

/// An explicit model of binary images: exact `log p(x)` and ancestral sampling.
///
/// ```
/// use gmcourse::prob::pixel_models::{IndependentPixels, PixelModel};
/// let model = IndependentPixels::from_theta(vec![0.5; 3])?;
/// gmcourse::testing::assert_close(model.log_prob(&[1, 0, 1])?, 3.0 * 0.5_f64.ln(), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub trait PixelModel {
    /// The number of pixels D of an image.
    fn pixels(&self) -> usize;

    /// The number of free parameters of the model.
    fn num_params(&self) -> usize;

    /// `log p(x)` in nats for one image of D pixels, each 0 or 1.
    ///
    /// # Errors
    /// If `x` does not have D entries or holds a value other than 0 or 1.
    fn log_prob(&self, x: &[u8]) -> Result<f64>;

    /// One image drawn from the model, pixel by pixel in raster order.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<u8>;

    /// The average log-likelihood `(1/m) Σ_k log p(x⁽ᵏ⁾)` of m images, in nats per image.
    ///
    /// # Errors
    /// If the images do not have D pixels.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{BinaryImages, IndependentPixels, PixelModel};
    /// let model = IndependentPixels::from_theta(vec![0.5; 2])?;
    /// let images = BinaryImages::new(vec![0, 1, 1, 1], 2)?;
    /// gmcourse::testing::assert_close(model.mean_log_prob(&images)?, -2.0 * 2f64.ln(), 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn mean_log_prob(&self, images: &BinaryImages) -> Result<f64> {
        images::check_pixels(self.pixels(), images.pixels())?;
        let mut total = 0.0;
        for x in images.iter() {
            total += self.log_prob(x)?;
        }
        Ok(total / images.len() as f64)
    }

    /// `n` images drawn from the model, concatenated (`n × D` values).
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{IndependentPixels, PixelModel};
    /// use rand::SeedableRng;
    /// let model = IndependentPixels::from_theta(vec![1.0, 0.0])?;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// assert_eq!(model.sample_n(&mut rng, 2), vec![1, 0, 1, 0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn sample_n<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<u8> {
        (0..n).flat_map(|_| self.sample(rng)).collect()
    }
}

/// `θ = (k + α) / (m + 2α)`: the smoothed frequency of ones among m observations.
fn smoothed(k: f64, m: f64, alpha: f64) -> f64 {
    if m + 2.0 * alpha == 0.0 {
        0.5
    } else {
        (k + alpha) / (m + 2.0 * alpha)
    }
}

/// `log P(x_i)` for a pixel with `P(x_i = 1) = theta`.
fn log_bernoulli(theta: f64, x: u8) -> f64 {
    if x == 1 {
        theta.ln()
    } else {
        (1.0 - theta).ln()
    }
}

fn check_pseudo_count(cfg: &PixelFitConfig) -> Result<()> {
    crate::check::non_negative("PixelFitConfig::pseudo_count", cfg.pseudo_count)
}
