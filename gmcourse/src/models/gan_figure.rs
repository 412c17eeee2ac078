//! Figure 1 of Goodfellow et al. (2014), drawn from a recorded 1-D training run (lecture
//! note 004, curriculum H4): the data density `p_data` (black, dotted), the generator
//! density `p_g` (green, solid) and the discriminator `D(x)` (blue, dashed).
//!
//! ```text
//! p̂_g(x) = (1/n) Σ_i N(x; x_i, h²)     (Gaussian kernel density estimate of G's samples)
//! ```
//!
//! The generator of a GAN has no density of its own ("implicit model"), so the green curve
//! is estimated from samples `x_i = G(z_i)` with a kernel of bandwidth `h`.

use super::gan::GanSnapshot;
use crate::plot::{self, ChartOptions, Dash, LinePlot, Rgb};
use crate::{Error, Result};

/// The Gaussian kernel density estimate `(1/n) Σ_i N(x; x_i, h²)` of `samples` at each
/// point of `grid`, with bandwidth `h > 0`.
///
/// ```
/// // one sample at 0: the estimate is the N(0, h²) density, 1/(h√(2π)) at x = 0
/// let p = gmcourse::models::gan_figure::density_on_grid(&[0.0], &[0.0], 0.5)?;
/// gmcourse::testing::assert_close(p[0], 1.0 / (0.5 * (2.0 * std::f64::consts::PI).sqrt()), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// If `samples` is empty, a value is not finite, or `h` is not positive.
pub fn density_on_grid(samples: &[f32], grid: &[f32], h: f64) -> Result<Vec<f64>> {
    if samples.is_empty() || samples.iter().any(|s| !s.is_finite()) {
        return Err(Error::invalid(
            "samples",
            "at least one finite sample",
            format!("{} samples", samples.len()),
        ));
    }
    if !(h > 0.0 && h.is_finite()) {
        return Err(Error::invalid("bandwidth h", "a positive number", h));
    }
    let norm = 1.0 / (samples.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    Ok(grid
        .iter()
        .map(|&x| {
            samples
                .iter()
                .map(|&s| (-0.5 * ((x as f64 - s as f64) / h).powi(2)).exp())
                .sum::<f64>()
                * norm
        })
        .collect())
}

/// A density discretised on a grid: `P(x_i) = p(x_i) / Σ_j p(x_j)`, a PMF over the grid
/// points, so that the finite-set formulas of `info` (JSD, the GAN value at `D*`) apply
/// to continuous densities.
///
/// ```
/// let pmf = gmcourse::models::gan_figure::pmf_on_grid(|x| (-x * x / 2.0).exp(), &[-1.0, 0.0, 1.0])?;
/// gmcourse::testing::assert_close(pmf.iter().sum::<f64>(), 1.0, 1e-12);
/// assert_eq!(pmf[0], pmf[2]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// If the grid is empty, or the density is negative, not finite, or zero everywhere on it.
pub fn pmf_on_grid(pdf: impl Fn(f64) -> f64, grid: &[f32]) -> Result<Vec<f64>> {
    let p: Vec<f64> = grid.iter().map(|&x| pdf(x as f64)).collect();
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

/// The paper's figure for one snapshot: `p_data` on `grid` (black dotted), the kernel
/// density of the snapshot's generator samples with bandwidth `h` (green) and `D(x)` (blue
/// dashed), titled with the step.
///
/// ```
/// use gmcourse::models::{gan::GanSnapshot, gan_figure};
/// use gmcourse::plot::ChartOptions;
/// let grid = [-1.0f32, 0.0, 1.0];
/// let snap = GanSnapshot { step: 7, d_on_grid: vec![0.4, 0.5, 0.6], samples: vec![0.0, 0.2] };
/// let fig = gan_figure::paper_figure(&snap, &grid, &[0.2, 0.4, 0.2], 0.3)?.build()?;
/// assert!(fig.to_svg().contains("step 7"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// As [`density_on_grid`], or if `p_data` or the snapshot's `D` has not one value per grid
/// point.
pub fn paper_figure(
    snapshot: &GanSnapshot,
    grid: &[f32],
    p_data: &[f64],
    h: f64,
) -> Result<LinePlot> {
    if p_data.len() != grid.len() || snapshot.d_on_grid.len() != grid.len() {
        return Err(Error::shape(
            "p_data and D(x)",
            format!("one value per grid point ({})", grid.len()),
            format!("{} and {}", p_data.len(), snapshot.d_on_grid.len()),
        ));
    }
    let p_g = density_on_grid(&snapshot.samples, grid, h)?;
    Ok(plot::line(grid, p_data)
        .name("p_data (data)")
        .color(Rgb::BLACK)
        .dash(Dash::Dotted)
        .series("p_g (generator)", grid, &p_g)
        .color(Rgb::GREEN)
        .series("D(x) (discriminator)", grid, &snapshot.d_on_grid)
        .color(Rgb::BLUE)
        .dash(Dash::Dashed)
        .title(format!("step {}", snapshot.step))
        .x_label("x"))
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
    fn a_density_that_is_zero_on_the_grid_is_refused() {
        assert!(pmf_on_grid(|_| 0.0, &[0.0, 1.0]).is_err());
    }

    #[test]
    fn non_positive_bandwidth_is_refused() {
        assert!(density_on_grid(&[0.0], &[0.0], 0.0).is_err());
    }

    #[test]
    fn paper_figure_refuses_mismatched_lengths() {
        let snap = GanSnapshot {
            step: 0,
            d_on_grid: vec![0.5],
            samples: vec![0.0],
        };
        assert!(paper_figure(&snap, &[0.0, 1.0], &[0.1, 0.2], 0.3).is_err());
    }
}
