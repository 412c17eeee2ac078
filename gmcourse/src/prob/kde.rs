//! The Gaussian kernel density estimate of samples `x_1 … x_n` with bandwidth `h`: the
//! equal-weight [`Mixture`] of one normal per sample (Rosenblatt 1956, Parzen 1962):
//!
//! ```text
//! p̂(x) = (1/n) Σ_i N(x; x_i, h²)
//! ```
//!
//! It estimates the density of a model that has none of its own, such as a GAN's generator
//! ("implicit model", lecture note 004, curriculum H4): the green curve of the GAN paper's
//! figure 1 is [`density_on_grid`] of the generator's samples.
//!
//! ```
//! let p = gmcourse::prob::kde(&[-1.0, 1.0], 0.5)?;
//! assert_eq!(p.means(), vec![-1.0, 1.0]);
//! assert!(p.pdf(1.0) > p.pdf(0.0));
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::{Mixture, Normal};
use crate::check;
use crate::{Error, Result};

/// The kernel density estimate `(1/n) Σ_i N(x; samples[i], h²)` as a [`Mixture`].
///
/// # Errors
/// If `samples` is empty, a sample is not finite, or `h` is not positive.
///
/// ```
/// // one sample at 0: the estimate is the N(0, h²) density, 1/(h√(2π)) at x = 0
/// let p = gmcourse::prob::kde(&[0.0], 0.5)?;
/// gmcourse::testing::assert_close(p.pdf(0.0), 1.0 / (0.5 * (2.0 * std::f64::consts::PI).sqrt()), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn kde(samples: &[f64], h: f64) -> Result<Mixture> {
    if samples.is_empty() || samples.iter().any(|s| !s.is_finite()) {
        return Err(Error::invalid(
            "samples",
            "at least one finite sample",
            format!("{} samples", samples.len()),
        ));
    }
    check::positive("bandwidth h", h)?;
    let components = samples
        .iter()
        .map(|&s| Normal::new(s, h))
        .collect::<Result<Vec<_>>>()?;
    Mixture::new(&vec![1.0 / samples.len() as f64; samples.len()], components)
}

/// The kernel density estimate of `samples` (bandwidth `h > 0`) at each point of `grid`.
///
/// ```
/// let p = gmcourse::prob::kde::density_on_grid(&[0.0f32], &[0.0f32, 10.0], 0.5)?;
/// assert!(p[0] > 0.7 && p[1] < 1e-20);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// As [`kde`].
pub fn density_on_grid<T: Copy + Into<f64>>(samples: &[T], grid: &[T], h: f64) -> Result<Vec<f64>> {
    let samples: Vec<f64> = samples.iter().map(|&s| s.into()).collect();
    let p = kde(&samples, h)?;
    Ok(grid.iter().map(|&x| p.pdf(x.into())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn kernel_density_integrates_to_one() -> Result<()> {
        let grid: Vec<f32> = (0..2001).map(|i| -10.0 + i as f32 * 0.01).collect();
        let p = density_on_grid(&[-1.0, 0.5, 2.0], &grid, 0.4)?;
        assert_close(p.iter().sum::<f64>() * 0.01, 1.0, 1e-4);
        Ok(())
    }

    #[test]
    fn non_positive_bandwidth_is_refused() {
        assert!(density_on_grid(&[0.0], &[0.0], 0.0).is_err());
    }
}
