//! A density discretised on a grid of points `x_1 … x_m`:
//!
//! ```text
//! P(x_i) = p(x_i) / Σ_j p(x_j)
//! ```
//!
//! a PMF over the grid points, so that the finite-set formulas of [`crate::info`] (KL,
//! JSD, the GAN value at `D*`) apply to continuous densities (lecture note 004, curriculum
//! H2–H4).

use crate::{Error, Result};

/// `P(x_i) = p(x_i) / Σ_j p(x_j)` for the points `x_i` of `grid`.
///
/// ```
/// let pmf = gmcourse::prob::pmf_on_grid(|x| (-x * x / 2.0).exp(), &[-1.0f32, 0.0, 1.0])?;
/// gmcourse::testing::assert_close(pmf.iter().sum::<f64>(), 1.0, 1e-12);
/// assert_eq!(pmf[0], pmf[2]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// If the grid is empty, or the density is negative, not finite, or zero everywhere on it.
pub fn pmf_on_grid<T: Copy + Into<f64>>(pdf: impl Fn(f64) -> f64, grid: &[T]) -> Result<Vec<f64>> {
    let p: Vec<f64> = grid.iter().map(|&x| pdf(x.into())).collect();
    let total: f64 = p.iter().sum();
    if p.iter().any(|v| !(v.is_finite() && *v >= 0.0)) || !(total > 0.0 && total.is_finite()) {
        return Err(Error::invalid(
            "pdf on the grid",
            "finite non-negative values, not all zero",
            format!("{} grid points summing to {total}", grid.len()),
        ));
    }
    Ok(p.iter().map(|v| v / total).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_density_that_is_zero_on_the_grid_is_refused() {
        assert!(pmf_on_grid(|_| 0.0, &[0.0f32, 1.0]).is_err());
    }
}
