//! Two-player zero-sum games, and why the order of `min` and `max` matters (lesson 08,
//! curriculum Z10).
//!
//! The minimising player picks a row `i`, the maximising player a column `j`, and the
//! payoff is `a[[i, j]]`, an `ndarray::Array2<f64>`. For any payoff,
//!
//! ```text
//! max_j min_i a[[i, j]]  ≤  min_i max_j a[[i, j]]
//! ```
//!
//! (the player who moves second, knowing the other's choice, can only do better). Equality
//! is a property of the game, not a rule: von Neumann's minimax theorem gives it when both
//! players may mix their choices, because the expected payoff `pᵀ A q` is then bilinear in
//! the mixtures `p` and `q`. The GAN game over network weights is not of that kind.
//!
//! ```
//! use gmcourse::game::MatrixGame;
//! let pennies = MatrixGame::matching_pennies();
//! assert_eq!((pennies.min_max(), pennies.max_min()), (1.0, -1.0));
//! let (min_max, max_min) = pennies.mixed_values(100)?;
//! assert!(min_max.abs() < 1e-12 && max_min.abs() < 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{Array2, Axis, array};

use crate::{Error, Result};

/// A zero-sum game in normal form: rows for the minimiser, columns for the maximiser.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixGame {
    payoff: Array2<f64>,
}

impl MatrixGame {
    /// A game from its payoff table `a[[i, j]]`: at least one row and one column, finite
    /// entries.
    ///
    /// # Errors
    /// If the table has no row or no column (`Error::Shape`), or an entry is not finite.
    ///
    /// ```
    /// use gmcourse::game::MatrixGame;
    /// use ndarray::array;
    /// // a pure saddle point: row 1, column 1
    /// let saddle = MatrixGame::new(array![[1.0, 3.0], [0.0, 2.0]])?;
    /// assert_eq!((saddle.min_max(), saddle.max_min()), (2.0, 2.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(payoff: Array2<f64>) -> Result<Self> {
        if payoff.is_empty() {
            let (rows, cols) = payoff.dim();
            return Err(Error::shape(
                "payoff table",
                "at least one row and one column",
                format!("{rows}×{cols}"),
            ));
        }
        if let Some(((i, j), v)) = payoff.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::invalid(
                format!("payoff[[{i}, {j}]]"),
                "a finite number",
                v,
            ));
        }
        Ok(Self { payoff })
    }

    /// Matching pennies: the minimiser picks x = ±1, the maximiser y = ±1, payoff `x·y`.
    /// The bilinear game `V(x, y) = x y` restricted to the two pure strategies of each.
    pub fn matching_pennies() -> Self {
        Self {
            payoff: array![[1.0, -1.0], [-1.0, 1.0]],
        }
    }

    /// The payoff table `a[[i, j]]`.
    pub fn payoff(&self) -> &Array2<f64> {
        &self.payoff
    }

    /// `min_i max_j a[[i, j]]`: the minimiser commits first, the maximiser answers.
    pub fn min_max(&self) -> f64 {
        // max over the columns of each row, then min over the rows
        min(&self.payoff.map_axis(Axis(1), max))
    }

    /// `max_j min_i a[[i, j]]`: the maximiser commits first, the minimiser answers.
    pub fn max_min(&self) -> f64 {
        // min over the rows of each column, then max over the columns
        max(&self.payoff.map_axis(Axis(0), min))
    }

    /// For a 2×2 game, `(min_p max_q, max_q min_p)` of the expected payoff when the
    /// players mix: the minimiser plays row 0 with probability `p`, the maximiser column 0
    /// with probability `q`, both scanned on a grid of `steps + 1` values in [0, 1]. The
    /// inner player's best answer to a fixed mixture is always a pure strategy, so only the
    /// outer choice is approximated by the grid.
    pub fn mixed_values(&self, steps: usize) -> Result<(f64, f64)> {
        if self.payoff.dim() != (2, 2) {
            let (rows, cols) = self.payoff.dim();
            return Err(Error::shape(
                "game",
                "a 2×2 payoff table",
                format!("{rows}×{cols}"),
            ));
        }
        if steps == 0 {
            return Err(Error::invalid("grid steps", "at least 1", steps));
        }
        let a = &self.payoff;
        let grid = (0..=steps).map(|k| k as f64 / steps as f64);
        // expected payoff of mixture p against pure column j, and of pure row i against q
        let col = |p: f64, j: usize| p * a[[0, j]] + (1.0 - p) * a[[1, j]];
        let row = |q: f64, i: usize| q * a[[i, 0]] + (1.0 - q) * a[[i, 1]];
        let min_max = grid
            .clone()
            .map(|p| col(p, 0).max(col(p, 1)))
            .fold(f64::INFINITY, f64::min);
        let max_min = grid
            .map(|q| row(q, 0).min(row(q, 1)))
            .fold(f64::NEG_INFINITY, f64::max);
        Ok((min_max, max_min))
    }
}

fn max<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values
        .into_iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
}

fn min<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values.into_iter().copied().fold(f64::INFINITY, f64::min)
}

/// Alternating gradient play on the bilinear game `V(x, y) = x·y`, the way GAN training
/// alternates: the minimiser steps `x ← x − lr·y`, then the maximiser, seeing the new `x`,
/// steps `y ← y + lr·x`. Returns the `steps + 1` points `(x, y)` from `start`.
///
/// The unique equilibrium is `(0, 0)`, yet the iterates circle around it for ever instead
/// of converging: each player's step undoes the other's.
///
/// ```
/// let path = gmcourse::game::alternating_gradient((1.0, 0.0), 0.1, 1000)?;
/// let radius = |(x, y): (f64, f64)| (x * x + y * y).sqrt();
/// assert!(radius(path[1000]) > 0.9);       // still far from the equilibrium (0, 0)
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn alternating_gradient(start: (f64, f64), lr: f64, steps: usize) -> Result<Vec<(f64, f64)>> {
    if !(lr > 0.0 && lr < 2.0) {
        return Err(Error::invalid("learning rate", "a number in (0, 2)", lr));
    }
    if !(start.0.is_finite() && start.1.is_finite()) {
        return Err(Error::invalid(
            "start",
            "finite coordinates",
            format!("{start:?}"),
        ));
    }
    let (mut x, mut y) = start;
    let mut path = Vec::with_capacity(steps + 1);
    path.push((x, y));
    for _ in 0..steps {
        x -= lr * y;
        y += lr * x;
        path.push((x, y));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_mover_never_does_worse_on_random_games() {
        let mut seed = 1_u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        };
        let mut strict = 0;
        for _ in 0..200 {
            let g = MatrixGame::new(Array2::from_shape_simple_fn((3, 4), &mut next)).unwrap();
            assert!(g.max_min() <= g.min_max());
            strict += (g.max_min() < g.min_max()) as usize;
        }
        assert!(strict > 0, "some random game must show a gap");
    }

    #[test]
    fn pure_strategies_leave_a_gap_that_mixing_closes_as_the_minimax_theorem_says() {
        let g = MatrixGame::matching_pennies();
        assert_eq!(g.min_max(), 1.0);
        assert_eq!(g.max_min(), -1.0);
        let (mm, xm) = g.mixed_values(10).unwrap();
        assert!(mm.abs() < 1e-12 && xm.abs() < 1e-12);
        // a game with a pure saddle point has no gap at all
        let saddle = MatrixGame::new(array![[1.0, 3.0], [0.0, 2.0]]).unwrap();
        assert_eq!(saddle.min_max(), saddle.max_min());
    }

    #[test]
    fn alternating_steps_orbit_the_equilibrium_and_do_not_reach_it() {
        let path = alternating_gradient((1.0, 0.5), 0.2, 5000).unwrap();
        let r = |(x, y): (f64, f64)| (x * x + y * y).sqrt();
        let radii: Vec<f64> = path.iter().map(|&p| r(p)).collect();
        let min = radii.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(min > 0.5, "came within {min} of (0, 0)");
        // it does go round: x changes sign many times
        let sign_changes = path
            .windows(2)
            .filter(|w| w[0].0.signum() != w[1].0.signum())
            .count();
        assert!(sign_changes > 50, "{sign_changes}");
    }

    #[test]
    fn bad_inputs_are_named() {
        let empty = MatrixGame::new(Array2::zeros((2, 0))).unwrap_err();
        assert!(matches!(empty, Error::Shape { .. }), "{empty}");
        assert!(empty.to_string().contains("2×0"), "{empty}");
        let nan = MatrixGame::new(array![[1.0, 2.0], [3.0, f64::NAN]]).unwrap_err();
        assert!(nan.to_string().contains("payoff[[1, 1]]"), "{nan}");
        let two_by_three = MatrixGame::new(Array2::ones((2, 3))).unwrap();
        let err = two_by_three.mixed_values(10).unwrap_err();
        assert!(err.to_string().contains("2×3"), "{err}");
        assert!(alternating_gradient((1.0, 0.0), 0.0, 10).is_err());
    }
}
