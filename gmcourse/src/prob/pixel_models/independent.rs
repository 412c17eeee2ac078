//! Independent pixels: `p(x) = Π_i θ_i^{x_i} (1 − θ_i)^{1 − x_i}`, one Bernoulli per
//! pixel, D parameters. The maximum likelihood estimate of `θ_i` is the fraction of
//! training images with pixel i on (curriculum C3).

use rand::Rng;

use super::images::check_image;
use super::{
    BinaryImages, PixelFitConfig, PixelModel, check_pseudo_count, log_bernoulli, smoothed,
};
use crate::Result;
use crate::check;

/// D independent Bernoulli pixels, `θ_i = P(x_i = 1)`.
///
/// ```
/// use gmcourse::prob::pixel_models::{BinaryImages, IndependentPixels, PixelFitConfig};
/// let images = BinaryImages::new(vec![1, 0, 1, 1], 2)?;
/// let model = IndependentPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 })?;
/// assert_eq!(model.theta(), &[1.0, 0.5]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IndependentPixels {
    theta: Vec<f64>,
}

impl IndependentPixels {
    /// Fits `θ_i = (k_i + α) / (m + 2α)`, with `k_i` the images among m with pixel i on.
    ///
    /// # Errors
    /// If `cfg.pseudo_count` is negative or not finite.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{BinaryImages, IndependentPixels, PixelFitConfig};
    /// let images = BinaryImages::new(vec![1, 1], 1)?;
    /// let model = IndependentPixels::fit(&images, &PixelFitConfig { pseudo_count: 1.0 })?;
    /// assert_eq!(model.theta(), &[0.75]); // (2 + 1) / (2 + 2)
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn fit(images: &BinaryImages, cfg: &PixelFitConfig) -> Result<Self> {
        check_pseudo_count(cfg)?;
        let d = images.pixels();
        let mut ones = vec![0.0; d];
        for x in images.iter() {
            for (k, &x_i) in ones.iter_mut().zip(x) {
                *k += f64::from(x_i);
            }
        }
        let m = images.len() as f64;
        let theta = ones
            .iter()
            .map(|&k| smoothed(k, m, cfg.pseudo_count))
            .collect();
        Ok(Self { theta })
    }

    /// A model with the given `θ_i = P(x_i = 1)`.
    ///
    /// # Errors
    /// If `theta` is empty or holds a value outside `[0, 1]`.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::IndependentPixels;
    /// assert!(IndependentPixels::from_theta(vec![0.2, 0.9]).is_ok());
    /// assert!(IndependentPixels::from_theta(vec![1.2]).is_err());
    /// ```
    pub fn from_theta(theta: Vec<f64>) -> Result<Self> {
        check::not_empty("theta", &theta)?;
        for (i, &t) in theta.iter().enumerate() {
            check::probability(&format!("theta[{i}]"), t)?;
        }
        Ok(Self { theta })
    }

    /// `θ_i = P(x_i = 1)` for every pixel: the "mean image".
    ///
    /// ```
    /// let model = gmcourse::prob::pixel_models::IndependentPixels::from_theta(vec![0.25])?;
    /// assert_eq!(model.theta(), &[0.25]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// The D factors `p(x_i)` of `p(x) = Π_i p(x_i)` for one image: `θ_i` where
    /// `x_i = 1`, `1 − θ_i` where `x_i = 0`. Multiplying them underflows; summing their
    /// logs does not (curriculum F5).
    ///
    /// # Errors
    /// If `x` does not have D binary entries.
    ///
    /// ```
    /// let model = gmcourse::prob::pixel_models::IndependentPixels::from_theta(vec![0.9, 0.2])?;
    /// let f = model.pixel_probs(&[1, 1])?;
    /// gmcourse::testing::assert_all_close(&f, &[0.9, 0.2], 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pixel_probs(&self, x: &[u8]) -> Result<Vec<f64>> {
        check_image(self.theta.len(), x)?;
        Ok(self
            .theta
            .iter()
            .zip(x)
            .map(|(&t, &x_i)| if x_i == 1 { t } else { 1.0 - t })
            .collect())
    }
}

impl PixelModel for IndependentPixels {
    fn pixels(&self) -> usize {
        self.theta.len()
    }

    fn num_params(&self) -> usize {
        self.theta.len()
    }

    fn log_prob(&self, x: &[u8]) -> Result<f64> {
        check_image(self.theta.len(), x)?;
        Ok(self
            .theta
            .iter()
            .zip(x)
            .map(|(&t, &x_i)| log_bernoulli(t, x_i))
            .sum())
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<u8> {
        self.theta
            .iter()
            .map(|&t| u8::from(rng.random::<f64>() < t))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};
    use rand::SeedableRng;

    #[test]
    fn the_mle_is_the_fraction_of_images_with_the_pixel_on() {
        // Three images of two pixels: pixel 0 on in 2 of 3, pixel 1 on in 0 of 3.
        let images = BinaryImages::new(vec![1, 0, 1, 0, 0, 0], 2).unwrap();
        let mle = IndependentPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 }).unwrap();
        assert_all_close(mle.theta(), &[2.0 / 3.0, 0.0], 1e-15);
        // With α = 1: (2 + 1) / (3 + 2) and (0 + 1) / (3 + 2).
        let smooth = IndependentPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        assert_all_close(smooth.theta(), &[0.6, 0.2], 1e-15);
    }

    #[test]
    fn an_unseen_pixel_gives_minus_infinity_without_smoothing() {
        let images = BinaryImages::new(vec![0, 0], 2).unwrap();
        let mle = IndependentPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 }).unwrap();
        assert_eq!(mle.log_prob(&[1, 0]).unwrap(), f64::NEG_INFINITY);
        let smooth = IndependentPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        assert!(smooth.log_prob(&[1, 0]).unwrap().is_finite());
    }

    #[test]
    fn log_prob_is_the_sum_of_the_log_pixel_factors() {
        let model = IndependentPixels::from_theta(vec![0.9, 0.2, 0.5]).unwrap();
        let x = [1, 0, 1];
        let by_hand = 0.9_f64.ln() + 0.8_f64.ln() + 0.5_f64.ln();
        assert_close(model.log_prob(&x).unwrap(), by_hand, 1e-12);
        let product: f64 = model.pixel_probs(&x).unwrap().iter().product();
        assert_close(product.ln(), by_hand, 1e-12);
    }

    #[test]
    fn the_probabilities_of_all_images_sum_to_one() {
        let model = IndependentPixels::from_theta(vec![0.3, 0.6, 0.9]).unwrap();
        let total: f64 = (0..8u8)
            .map(|b| [b & 1, (b >> 1) & 1, (b >> 2) & 1])
            .map(|x| model.log_prob(&x).unwrap().exp())
            .sum();
        assert_close(total, 1.0, 1e-12);
    }

    #[test]
    fn sample_frequencies_approach_theta() {
        let model = IndependentPixels::from_theta(vec![0.1, 0.7]).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let x = model.sample_n(&mut rng, 20_000);
        let refit = IndependentPixels::fit(
            &BinaryImages::new(x.to_vec(), 2).unwrap(),
            &PixelFitConfig { pseudo_count: 0.0 },
        )
        .unwrap();
        // Standard error sqrt(0.21 / 20000) ≈ 0.003: 0.015 is five of them.
        assert_all_close(refit.theta(), &[0.1, 0.7], 0.015);
    }

    #[test]
    fn an_image_of_the_wrong_size_is_rejected() {
        let model = IndependentPixels::from_theta(vec![0.5; 4]).unwrap();
        let err = model.log_prob(&[1, 0]).unwrap_err().to_string();
        assert!(err.contains("4 pixels"), "{err}");
        assert!(
            IndependentPixels::fit(
                &BinaryImages::new(vec![1], 1).unwrap(),
                &PixelFitConfig { pseudo_count: -1.0 }
            )
            .is_err()
        );
    }
}
