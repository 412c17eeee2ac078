//! Markov pixels in raster order: `p(x) = p(x_1) Π_{i=2}^{D} p(x_i | x_{i−1})`.
//!
//! The Markov assumption says that, given the previous pixel `x_{i−1}`, pixel `x_i` is
//! conditionally independent of all the earlier ones, `p(x_i | x_1 … x_{i−1}) =
//! p(x_i | x_{i−1})`: `x_i` *depends* on `x_{i−1}`, and only on it (seed note \[000\] puts
//! it the other way round; curriculum Z3). Each conditional is a Bernoulli per value of
//! the previous pixel, so the model has `1 + 2(D − 1) = 2D − 1` parameters (C5). Every
//! position i has its own pair (the chain is not homogeneous). In raster order the last
//! pixel of a row is the "previous pixel" of the first pixel of the next row.

use rand::Rng;

use super::images::check_image;
use super::{
    BinaryImages, PixelFitConfig, PixelModel, check_pseudo_count, log_bernoulli, smoothed,
};
use crate::Result;

/// `P(x_1 = 1)` and, for each later pixel i, `P(x_i = 1 | x_{i−1} = 0)` and
/// `P(x_i = 1 | x_{i−1} = 1)`.
///
/// ```
/// use gmcourse::prob::pixel_models::{BinaryImages, MarkovPixels, PixelFitConfig, PixelModel};
/// // Two pixels that are always equal: x_2 copies x_1.
/// let images = BinaryImages::new(vec![0, 0, 1, 1, 1, 1], 2)?;
/// let model = MarkovPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 })?;
/// assert_eq!(model.theta_given_previous(1), [0.0, 1.0]);
/// assert_eq!(model.num_params(), 3);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MarkovPixels {
    theta_first: f64,
    /// `theta_given[i] = [P(x_i = 1 | x_{i−1} = 0), P(x_i = 1 | x_{i−1} = 1)]`; entry 0 unused.
    theta_given: Vec<[f64; 2]>,
}

impl MarkovPixels {
    /// Fits every conditional by counting: `P(x_i = 1 | x_{i−1} = v)` is the smoothed
    /// fraction of ones at pixel i among the images with `x_{i−1} = v`.
    ///
    /// # Errors
    /// If `cfg.pseudo_count` is negative or not finite.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{BinaryImages, MarkovPixels, PixelFitConfig};
    /// let images = BinaryImages::new(vec![1, 0, 1, 1], 2)?;
    /// let model = MarkovPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 })?;
    /// assert_eq!(model.theta_first(), 1.0);
    /// assert_eq!(model.theta_given_previous(1)[1], 0.5); // after a 1: one 0, one 1
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn fit(images: &BinaryImages, cfg: &PixelFitConfig) -> Result<Self> {
        check_pseudo_count(cfg)?;
        let d = images.pixels();
        let alpha = cfg.pseudo_count;
        let mut first_ones = 0.0;
        // counts[i][v] = (images with x_{i−1} = v, of which x_i = 1)
        let mut counts = vec![[(0.0, 0.0); 2]; d];
        for x in images.iter() {
            first_ones += f64::from(x[0]);
            for i in 1..d {
                let c = &mut counts[i][usize::from(x[i - 1])];
                c.0 += 1.0;
                c.1 += f64::from(x[i]);
            }
        }
        let theta_first = smoothed(first_ones, images.len() as f64, alpha);
        let theta_given = counts
            .iter()
            .map(|c| c.map(|(m, k)| smoothed(k, m, alpha)))
            .collect();
        Ok(Self {
            theta_first,
            theta_given,
        })
    }

    /// `P(x_1 = 1)`.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{BinaryImages, MarkovPixels, PixelFitConfig};
    /// let m = MarkovPixels::fit(&BinaryImages::new(vec![1, 0], 1)?, &PixelFitConfig { pseudo_count: 0.0 })?;
    /// assert_eq!(m.theta_first(), 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn theta_first(&self) -> f64 {
        self.theta_first
    }

    /// `[P(x_i = 1 | x_{i−1} = 0), P(x_i = 1 | x_{i−1} = 1)]` for pixel `i ≥ 1`
    /// (0-based). Pixel 0 has no previous pixel: for `i = 0` (or `i ≥ D`) it returns
    /// `[P(x_1 = 1); 2]`.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::{BinaryImages, MarkovPixels, PixelFitConfig};
    /// let m = MarkovPixels::fit(&BinaryImages::new(vec![0, 1, 1, 0], 2)?, &PixelFitConfig { pseudo_count: 0.0 })?;
    /// assert_eq!(m.theta_given_previous(1), [1.0, 0.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn theta_given_previous(&self, i: usize) -> [f64; 2] {
        if i == 0 || i >= self.theta_given.len() {
            [self.theta_first; 2]
        } else {
            self.theta_given[i]
        }
    }
}

impl PixelModel for MarkovPixels {
    fn pixels(&self) -> usize {
        self.theta_given.len()
    }

    fn num_params(&self) -> usize {
        2 * self.theta_given.len() - 1
    }

    fn log_prob(&self, x: &[u8]) -> Result<f64> {
        check_image(self.theta_given.len(), x)?;
        let mut total = log_bernoulli(self.theta_first, x[0]);
        for i in 1..x.len() {
            total += log_bernoulli(self.theta_given[i][usize::from(x[i - 1])], x[i]);
        }
        Ok(total)
    }

    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<u8> {
        let d = self.theta_given.len();
        let mut x = Vec::with_capacity(d);
        x.push(u8::from(rng.random::<f64>() < self.theta_first));
        for i in 1..d {
            let theta = self.theta_given[i][usize::from(x[i - 1])];
            x.push(u8::from(rng.random::<f64>() < theta));
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::pixel_models::IndependentPixels;
    use crate::testing::{all_binary_images, assert_all_close, assert_close};
    use rand::SeedableRng;

    #[test]
    fn the_probabilities_of_all_images_sum_to_one() {
        let images = BinaryImages::new(vec![0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1], 4).unwrap();
        let model = MarkovPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        let total: f64 = all_binary_images(4)
            .iter()
            .map(|x| model.log_prob(x).unwrap().exp())
            .sum();
        assert_close(total, 1.0, 1e-12);
    }

    #[test]
    fn a_copied_pixel_is_predicted_with_certainty_by_markov_but_not_by_independence() {
        // x_2 = x_1 always, x_1 on half the time.
        let x = [0, 0, 1, 1, 0, 0, 1, 1];
        let images = BinaryImages::new(x.to_vec(), 2).unwrap();
        let cfg = PixelFitConfig { pseudo_count: 0.0 };
        let markov = MarkovPixels::fit(&images, &cfg).unwrap();
        let independent = IndependentPixels::fit(&images, &cfg).unwrap();
        // Markov: log p = log 0.5 per image; independent: 2 log 0.5.
        assert_close(markov.mean_log_prob(&images).unwrap(), 0.5_f64.ln(), 1e-12);
        assert_close(
            independent.mean_log_prob(&images).unwrap(),
            2.0 * 0.5_f64.ln(),
            1e-12,
        );
        assert_eq!(markov.log_prob(&[0, 1]).unwrap(), f64::NEG_INFINITY);
    }

    #[test]
    fn the_fitted_conditionals_are_the_smoothed_transition_frequencies() {
        // After x_1 = 1 (three images), x_2 is 1 twice; after x_1 = 0 (one image), once.
        let images = BinaryImages::new(vec![1, 1, 1, 1, 1, 0, 0, 1], 2).unwrap();
        let model = MarkovPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        // (1 + 1) / (1 + 2) and (2 + 1) / (3 + 2).
        assert_all_close(&model.theta_given_previous(1), &[2.0 / 3.0, 0.6], 1e-15);
        assert_close(model.theta_first(), 4.0 / 6.0, 1e-15);
    }

    #[test]
    fn markov_has_two_d_minus_one_parameters() {
        let images = BinaryImages::new(vec![0; 784], 784).unwrap();
        let model = MarkovPixels::fit(&images, &PixelFitConfig::default()).unwrap();
        assert_eq!(model.num_params(), 1567);
    }

    #[test]
    fn samples_reproduce_the_transition_frequencies() {
        let images = BinaryImages::new(vec![0, 0, 1, 1, 0, 0, 1, 0], 2).unwrap();
        let model = MarkovPixels::fit(&images, &PixelFitConfig { pseudo_count: 0.0 }).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let x = model.sample_n(&mut rng, 20_000);
        let refit = MarkovPixels::fit(
            &BinaryImages::new(x.to_vec(), 2).unwrap(),
            &PixelFitConfig { pseudo_count: 0.0 },
        )
        .unwrap();
        assert_all_close(
            &refit.theta_given_previous(1),
            &model.theta_given_previous(1),
            0.02,
        );
    }
}
