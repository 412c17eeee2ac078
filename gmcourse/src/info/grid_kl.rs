//! KL divergence between two densities by numerical integration on a grid:
//!
//! `D(p‖q) = ∫ p(x) log(p(x) / q(x)) dx ≈ Σ_i p(x_i) (log p(x_i) − log q(x_i)) Δx`,
//!
//! with `x_i` the midpoints of `n` equal cells of `[lo, hi]` (the midpoint rule).
//!
//! The densities are passed as **log**-densities: in the tails both p and q underflow to
//! 0 while their logs stay finite, so `p · (log p − log q)` stays exact where
//! `p · log(p / q)` would read `0 · log(0 / 0)`. Source: curriculum E5 (the KL-asymmetry
//! figure compares densities, not PMFs).
//!
//! ```
//! use gmcourse::info::{Grid, Unit, kl_on_grid};
//! use gmcourse::prob::Normal;
//! let (p, q) = (Normal::new(0.0, 1.0)?, Normal::new(1.0, 1.0)?);
//! let grid = Grid::new(-10.0, 11.0, 10_000)?;
//! let d = kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &grid, Unit::Nats)?;
//! gmcourse::testing::assert_close(d, 0.5, 1e-6); // closed form: (mu_p − mu_q)² / 2
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::Unit;
use crate::check;
use crate::{Error, Result};

/// `n` equal cells covering `[lo, hi]`; integrals use the cell midpoints.
///
/// ```
/// let grid = gmcourse::info::Grid::new(-1.0, 1.0, 4)?;
/// assert_eq!(grid.points(), vec![-0.75, -0.25, 0.25, 0.75]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    lo: f64,
    hi: f64,
    n: usize,
}

impl Grid {
    /// Builds the grid.
    ///
    /// # Errors
    /// If `lo` or `hi` is not finite, `lo >= hi`, or `n == 0`.
    ///
    /// ```
    /// let grid = gmcourse::info::Grid::new(0.0, 1.0, 4)?;
    /// assert_eq!(grid.dx(), 0.25);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(lo: f64, hi: f64, n: usize) -> Result<Self> {
        check::finite("Grid lo", lo)?;
        check::finite("Grid hi", hi)?;
        if lo >= hi {
            return Err(Error::invalid(
                "Grid",
                "lo < hi",
                format!("lo = {lo}, hi = {hi}"),
            ));
        }
        if n == 0 {
            return Err(Error::invalid("Grid n", "at least 1 cell", n));
        }
        Ok(Self { lo, hi, n })
    }

    /// The cell width `Δx = (hi − lo) / n`.
    ///
    /// ```
    /// assert_eq!(gmcourse::info::Grid::new(-1.0, 1.0, 8)?.dx(), 0.25);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn dx(&self) -> f64 {
        (self.hi - self.lo) / self.n as f64
    }

    /// The cell midpoints `lo + (i + ½) Δx`, `i = 0..n`.
    ///
    /// ```
    /// assert_eq!(gmcourse::info::Grid::new(0.0, 1.0, 2)?.points(), vec![0.25, 0.75]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn points(&self) -> Vec<f64> {
        let dx = self.dx();
        (0..self.n)
            .map(|i| self.lo + (i as f64 + 0.5) * dx)
            .collect()
    }
}

/// `D(p‖q) ≈ Σ_i exp(log_p(x_i)) (log_p(x_i) − log_q(x_i)) Δx` over the grid's midpoints.
///
/// Cells where `p = 0` contribute 0; a cell where `p > 0` and `log_q = −inf` makes the
/// result `+inf`. Accuracy depends on the grid covering p's mass.
///
/// # Errors
/// If `log_p` or `log_q` returns NaN or `+inf` at a grid point.
///
/// ```
/// use gmcourse::info::{Grid, Unit, kl_on_grid};
/// use gmcourse::prob::Normal;
/// let p = Normal::standard();
/// let grid = Grid::new(-8.0, 8.0, 1000)?;
/// assert_eq!(kl_on_grid(|x| p.log_pdf(x), |x| p.log_pdf(x), &grid, Unit::Bits)?, 0.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn kl_on_grid(
    log_p: impl Fn(f64) -> f64,
    log_q: impl Fn(f64) -> f64,
    grid: &Grid,
    unit: Unit,
) -> Result<f64> {
    let mut nats = 0.0;
    for x in grid.points() {
        let (lp, lq) = (log_p(x), log_q(x));
        if lp.is_nan() || lp == f64::INFINITY || lq.is_nan() || lq == f64::INFINITY {
            return Err(Error::invalid(
                format!("log densities at x = {x}"),
                "numbers or -inf",
                format!("log p = {lp}, log q = {lq}"),
            ));
        }
        let p = lp.exp();
        if p > 0.0 {
            nats += p * (lp - lq) * grid.dx();
        }
    }
    Ok(unit.from_nats(nats))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::kl_normal;
    use crate::prob::{Mixture, Normal};
    use crate::testing::assert_close;

    #[test]
    fn grid_kl_between_normals_matches_the_closed_form_in_both_directions() {
        let (p, q) = (
            Normal::new(0.0, 1.0).unwrap(),
            Normal::new(2.0, 0.5).unwrap(),
        );
        let grid = Grid::new(-15.0, 15.0, 30_000).unwrap();
        let forward = kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &grid, Unit::Nats).unwrap();
        let reverse = kl_on_grid(|x| q.log_pdf(x), |x| p.log_pdf(x), &grid, Unit::Nats).unwrap();
        assert_close(forward, kl_normal(0.0, 1.0, 2.0, 0.5).unwrap(), 1e-8);
        assert_close(reverse, kl_normal(2.0, 0.5, 0.0, 1.0).unwrap(), 1e-8);
    }

    #[test]
    fn log_densities_keep_far_tails_exact() {
        // With sigma 0.1 the mixture's density underflows to 0 a few units from the modes;
        // the log form still counts every cell where q has mass.
        let p = Mixture::new(
            &[0.5, 0.5],
            vec![
                Normal::new(-3.0, 0.1).unwrap(),
                Normal::new(3.0, 0.1).unwrap(),
            ],
        )
        .unwrap();
        let q = Normal::new(0.0, 3.0).unwrap();
        let grid = Grid::new(-40.0, 40.0, 40_000).unwrap();
        let d = kl_on_grid(|x| q.log_pdf(x), |x| p.log_pdf(x), &grid, Unit::Nats).unwrap();
        assert!(d.is_finite() && d > 10.0, "{d}");
    }

    #[test]
    fn zero_density_in_q_where_p_has_mass_gives_infinity() {
        let grid = Grid::new(0.0, 1.0, 10).unwrap();
        let d = kl_on_grid(
            |_| 0.0,
            |x| if x < 0.5 { 0.0 } else { f64::NEG_INFINITY },
            &grid,
            Unit::Nats,
        )
        .unwrap();
        assert_eq!(d, f64::INFINITY);
    }

    #[test]
    fn bad_grids_and_nan_densities_are_rejected() {
        assert!(Grid::new(1.0, 0.0, 10).is_err());
        assert!(Grid::new(0.0, 1.0, 0).is_err());
        assert!(Grid::new(f64::NAN, 1.0, 5).is_err());
        let grid = Grid::new(0.0, 1.0, 10).unwrap();
        assert!(kl_on_grid(|_| f64::NAN, |_| 0.0, &grid, Unit::Nats).is_err());
    }
}
