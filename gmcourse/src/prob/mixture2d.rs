//! An isotropic 2-D mixture of normals, the toy target of GAN mode-collapse experiments:
//!
//! `p(x, y) = Σ_k w_k · 1 / (2π sigma²) · exp(−((x − a_k)² + (y − b_k)²) / (2 sigma²))`,
//!
//! with centres `(a_k, b_k)` and one shared `sigma`. Two standard layouts:
//! - the ring of 8 Gaussians (Metz et al. 2017, *Unrolled GANs*: radius 2, sigma 0.02);
//! - the 5×5 grid (Srivastava et al. 2017, *VEEGAN*: centres at −4, −2, 0, 2, 4,
//!   sigma 0.05).
//!
//! Source: curriculum H7 (mode collapse). [`Mixture2d::density_grid`] feeds a heatmap.
//! Sampling uses `rand_distr::StandardNormal` and `rand_distr::weighted::WeightedIndex`.
//!
//! ```
//! let ring = gmcourse::prob::Mixture2d::ring(8, 2.0, 0.02)?;
//! assert_eq!(ring.means().len(), 8);
//! assert!(ring.pdf(2.0, 0.0) > 100.0 * ring.pdf(0.0, 0.0));
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rand::Rng;
use rand_distr::weighted::WeightedIndex;
use rand_distr::{Distribution, StandardNormal};

use super::check;
use super::logsumexp::log_sum_exp_unchecked;
use crate::{Error, Result};

/// A mixture of isotropic 2-D normals sharing one `sigma`.
///
/// ```
/// let p = gmcourse::prob::Mixture2d::new(&[1.0], vec![[1.0, -1.0]], 0.5)?;
/// assert!(p.pdf(1.0, -1.0) > p.pdf(0.0, 0.0));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Mixture2d {
    weights: Vec<f64>,
    means: Vec<[f64; 2]>,
    sigma: f64,
    choose: WeightedIndex<f64>,
}

impl Mixture2d {
    /// Builds `Σ_k weights[k] N(means[k], sigma² I)`.
    ///
    /// # Errors
    /// If `weights` is not a PMF, the lengths differ, a centre is not finite, or `sigma`
    /// is not `> 0`.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture2d::new(&[0.5, 0.5], vec![[-1.0, 0.0], [1.0, 0.0]], 0.3)?;
    /// assert_eq!(p.sigma(), 0.3);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(weights: &[f64], means: Vec<[f64; 2]>, sigma: f64) -> Result<Self> {
        check::pmf("Mixture2d weights", weights)?;
        check::same_len(
            "Mixture2d means (one centre per weight)",
            weights.len(),
            means.len(),
        )?;
        for (k, m) in means.iter().enumerate() {
            check::finite(&format!("Mixture2d means[{k}][0]"), m[0])?;
            check::finite(&format!("Mixture2d means[{k}][1]"), m[1])?;
        }
        check::positive("Mixture2d sigma", sigma)?;
        let choose = WeightedIndex::new(weights)
            .map_err(|e| Error::invalid("Mixture2d weights", "non-negative weights", e))?;
        Ok(Self {
            weights: weights.to_vec(),
            means,
            sigma,
            choose,
        })
    }

    /// `n` equal-weight components on a circle of `radius`, the first at `(radius, 0)`.
    ///
    /// # Errors
    /// If `n == 0`, `radius` is not finite, or `sigma` is not `> 0`.
    ///
    /// ```
    /// let ring = gmcourse::prob::Mixture2d::ring(4, 1.0, 0.1)?;
    /// gmcourse::testing::assert_close(ring.means()[1][1], 1.0, 1e-15); // (0, 1)
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn ring(n: usize, radius: f64, sigma: f64) -> Result<Self> {
        if n == 0 {
            return Err(Error::invalid(
                "Mixture2d::ring n",
                "at least 1 component",
                n,
            ));
        }
        let means = (0..n)
            .map(|k| {
                let angle = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
                [radius * angle.cos(), radius * angle.sin()]
            })
            .collect();
        Self::new(&vec![1.0 / n as f64; n], means, sigma)
    }

    /// A `side × side` grid of equal-weight components, `spacing` apart, centred on 0.
    ///
    /// # Errors
    /// If `side == 0`, `spacing` is not finite, or `sigma` is not `> 0`.
    ///
    /// ```
    /// let grid = gmcourse::prob::Mixture2d::grid(5, 2.0, 0.05)?;
    /// assert_eq!(grid.means().len(), 25);
    /// assert_eq!(grid.means()[0], [-4.0, -4.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn grid(side: usize, spacing: f64, sigma: f64) -> Result<Self> {
        if side == 0 {
            return Err(Error::invalid("Mixture2d::grid side", "at least 1", side));
        }
        let offset = (side - 1) as f64 / 2.0;
        let coordinate = |i: usize| (i as f64 - offset) * spacing;
        let means = (0..side)
            .flat_map(|i| (0..side).map(move |j| [coordinate(i), coordinate(j)]))
            .collect();
        let n = side * side;
        Self::new(&vec![1.0 / n as f64; n], means, sigma)
    }

    /// The mixing weights.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Mixture2d::ring(2, 1.0, 0.1)?.weights(), &[0.5, 0.5]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The component centres `[a_k, b_k]`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Mixture2d::ring(1, 3.0, 0.1)?.means(), &[[3.0, 0.0]]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn means(&self) -> &[[f64; 2]] {
        &self.means
    }

    /// The shared standard deviation.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::Mixture2d::grid(5, 2.0, 0.05)?.sigma(), 0.05);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// The log density `log p(x, y)` in nats (by log-sum-exp).
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture2d::new(&[1.0], vec![[0.0, 0.0]], 1.0)?;
    /// gmcourse::testing::assert_close(p.log_pdf(0.0, 0.0), -(2.0 * std::f64::consts::PI).ln(), 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_pdf(&self, x: f64, y: f64) -> f64 {
        let var = self.sigma * self.sigma;
        let log_norm = -(2.0 * std::f64::consts::PI * var).ln();
        let terms: Vec<f64> = self
            .weights
            .iter()
            .zip(&self.means)
            .map(|(w, m)| {
                let r2 = (x - m[0]).powi(2) + (y - m[1]).powi(2);
                w.ln() + log_norm - r2 / (2.0 * var)
            })
            .collect();
        log_sum_exp_unchecked(&terms)
    }

    /// The density `p(x, y)`.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture2d::new(&[1.0], vec![[0.0, 0.0]], 1.0)?;
    /// gmcourse::testing::assert_close(p.pdf(0.0, 0.0), 1.0 / (2.0 * std::f64::consts::PI), 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pdf(&self, x: f64, y: f64) -> f64 {
        self.log_pdf(x, y).exp()
    }

    /// The density on a regular grid for a heatmap: `grid[j][i] = p(x_i, y_j)` with
    /// `x_i` running over `nx` points from `x_range.0` to `x_range.1` (inclusive) and
    /// `y_j` over `ny` points from `y_range.0` to `y_range.1`.
    ///
    /// # Errors
    /// If `nx` or `ny` is below 2 or a range bound is not finite.
    ///
    /// ```
    /// let p = gmcourse::prob::Mixture2d::ring(8, 2.0, 0.2)?;
    /// let grid = p.density_grid((-3.0, 3.0), (-3.0, 3.0), 61, 41)?;
    /// assert_eq!((grid.len(), grid[0].len()), (41, 61));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn density_grid(
        &self,
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Result<Vec<Vec<f64>>> {
        let xs = linspace("density_grid x", x_range, nx)?;
        let ys = linspace("density_grid y", y_range, ny)?;
        Ok(ys
            .iter()
            .map(|&y| xs.iter().map(|&x| self.pdf(x, y)).collect())
            .collect())
    }

    /// Draws one point: a component k ~ Categorical(w), then `means[k] + sigma · z`,
    /// `z ~ N(0, I)`.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// let [x, y] = gmcourse::prob::Mixture2d::ring(8, 2.0, 0.02)?.sample(&mut rng);
    /// gmcourse::testing::assert_close((x * x + y * y).sqrt(), 2.0, 0.2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> [f64; 2] {
        let m = self.means[self.choose.sample(rng)];
        let z_x: f64 = StandardNormal.sample(rng);
        let z_y: f64 = StandardNormal.sample(rng);
        [m[0] + self.sigma * z_x, m[1] + self.sigma * z_y]
    }

    /// Draws `n` independent points.
    ///
    /// ```
    /// use rand::SeedableRng;
    /// let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    /// assert_eq!(gmcourse::prob::Mixture2d::grid(5, 2.0, 0.05)?.sample_n(&mut rng, 3).len(), 3);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample_n<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Vec<[f64; 2]> {
        (0..n).map(|_| self.sample(rng)).collect()
    }
}

/// `n >= 2` evenly spaced points from `range.0` to `range.1`, both included.
fn linspace(what: &str, range: (f64, f64), n: usize) -> Result<Vec<f64>> {
    check::finite(&format!("{what} range start"), range.0)?;
    check::finite(&format!("{what} range end"), range.1)?;
    if n < 2 {
        return Err(Error::invalid(format!("{what} points"), "at least 2", n));
    }
    let step = (range.1 - range.0) / (n - 1) as f64;
    Ok((0..n).map(|i| range.0 + i as f64 * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;
    use rand::SeedableRng;

    #[test]
    fn the_ring_density_integrates_to_one() {
        let p = Mixture2d::ring(8, 2.0, 0.25).unwrap();
        let n = 401;
        let grid = p.density_grid((-4.0, 4.0), (-4.0, 4.0), n, n).unwrap();
        let cell = (8.0 / (n - 1) as f64).powi(2);
        let total: f64 = grid.iter().flatten().sum::<f64>() * cell;
        assert_close(total, 1.0, 1e-6);
    }

    #[test]
    fn the_grid_has_25_centres_from_minus_four_to_four() {
        let p = Mixture2d::grid(5, 2.0, 0.05).unwrap();
        assert_eq!(p.means().len(), 25);
        assert_eq!(p.means()[24], [4.0, 4.0]);
        assert_eq!(p.means()[12], [0.0, 0.0]);
    }

    #[test]
    fn every_ring_sample_lands_near_a_centre() {
        // Seed 8: with sigma 0.02 every sample is within 0.2 (10 sigma) of its centre.
        let p = Mixture2d::ring(8, 2.0, 0.02).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        for [x, y] in p.sample_n(&mut rng, 2000) {
            let nearest = p
                .means()
                .iter()
                .map(|m| ((x - m[0]).powi(2) + (y - m[1]).powi(2)).sqrt())
                .fold(f64::INFINITY, f64::min);
            assert!(nearest < 0.2, "({x}, {y}) is {nearest} from every centre");
        }
    }

    #[test]
    fn the_log_pdf_stays_finite_between_narrow_modes() {
        // Between centres the squared distance is 2, so exp(−2 / (2 · 0.02²)) = exp(−2500).
        let p = Mixture2d::grid(5, 2.0, 0.02).unwrap();
        assert_eq!(p.pdf(1.0, 1.0), 0.0);
        assert!(p.log_pdf(1.0, 1.0).is_finite());
    }

    #[test]
    fn bad_layouts_are_rejected() {
        assert!(Mixture2d::ring(0, 2.0, 0.1).is_err());
        assert!(Mixture2d::grid(5, 2.0, 0.0).is_err());
        assert!(Mixture2d::new(&[1.0], vec![[f64::NAN, 0.0]], 1.0).is_err());
        assert!(
            Mixture2d::ring(8, 2.0, 0.1)
                .unwrap()
                .density_grid((0.0, 1.0), (0.0, 1.0), 1, 5)
                .is_err()
        );
    }
}
