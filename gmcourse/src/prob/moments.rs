//! Exact moments of a discrete distribution:
//!
//! - expectation `E[f(x)] = Σ_x P(x) f(x)`;
//! - variance `Var[x] = E[(x − E[x])²]`;
//! - covariance `Cov[x, y] = Σ_{x,y} P(x, y) (x − E[x]) (y − E[y])`; its sign says
//!   whether x and y move together (+) or in opposite directions (−).
//!
//! Source: seed note \[000\] (the board-game dice example), curriculum B7. For estimates
//! from samples see [`monte_carlo`](super::monte_carlo).
//!
//! ```
//! // Board game: a die decides how many squares you move. On average you move 3.5.
//! let p = [1.0 / 6.0; 6];
//! let squares = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
//! gmcourse::testing::assert_close(gmcourse::prob::expectation(&p, &squares)?, 3.5, 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::JointTable;
use crate::Result;
use crate::check;

/// `E[f(x)] = Σ_i p[i] · f_x[i]`, where `f_x[i]` is the value of f at outcome i.
///
/// # Errors
/// If `p` is not a PMF, the lengths differ, or a value of f is not finite.
///
/// ```
/// // Board game: roll a 6 and win 5 coins, otherwise pay 1 coin. A fair game:
/// // E[payoff] = 5 · 1/6 − 1 · 5/6 = 0.
/// let p = [1.0 / 6.0; 6];
/// let payoff = [-1.0, -1.0, -1.0, -1.0, -1.0, 5.0];
/// gmcourse::testing::assert_close(gmcourse::prob::expectation(&p, &payoff)?, 0.0, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn expectation(p: &[f64], f_x: &[f64]) -> Result<f64> {
    check::pmf("p", p)?;
    check::same_len("f_x (one value per outcome of p)", p.len(), f_x.len())?;
    for (i, &f) in f_x.iter().enumerate() {
        check::finite(&format!("f_x[{i}]"), f)?;
    }
    Ok(p.iter().zip(f_x).map(|(p_i, f_i)| p_i * f_i).sum())
}

/// `Var[x] = Σ_i p[i] (x[i] − E[x])²`.
///
/// # Errors
/// As [`expectation`].
///
/// ```
/// // A fair die: Var = 35/12.
/// let v = gmcourse::prob::variance(&[1.0 / 6.0; 6], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// gmcourse::testing::assert_close(v, 35.0 / 12.0, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn variance(p: &[f64], x: &[f64]) -> Result<f64> {
    let mean = expectation(p, x)?;
    let squared_deviation: Vec<f64> = x.iter().map(|x_i| (x_i - mean).powi(2)).collect();
    expectation(p, &squared_deviation)
}

/// `Cov[x, y] = Σ_{i,j} P(x_i, y_j) (x_values[i] − E[x]) (y_values[j] − E[y])`.
///
/// `x_values[i]` is the number attached to row i of the table, `y_values[j]` to column j.
///
/// # Errors
/// If the value slices do not match the table's shape or hold a non-finite number.
///
/// ```
/// use gmcourse::prob::{JointTable, covariance};
/// // x and y are both 0 or both 1: they move together.
/// let together = JointTable::new(&["0", "1"], &["0", "1"], vec![vec![0.5, 0.0], vec![0.0, 0.5]])?;
/// gmcourse::testing::assert_close(covariance(&together, &[0.0, 1.0], &[0.0, 1.0])?, 0.25, 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn covariance(table: &JointTable, x_values: &[f64], y_values: &[f64]) -> Result<f64> {
    let mean_x = expectation(&table.marginal_x(), x_values)?;
    let mean_y = expectation(&table.marginal_y(), y_values)?;
    let mut cov = 0.0;
    for (i, row) in table.probs().iter().enumerate() {
        for (j, &p_xy) in row.iter().enumerate() {
            cov += p_xy * (x_values[i] - mean_x) * (y_values[j] - mean_y);
        }
    }
    Ok(cov)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::testing::assert_close;

    const FACES: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];

    #[test]
    fn a_fair_die_has_mean_three_and_a_half_and_variance_35_over_12() {
        // Known values: (1+…+6)/6 = 3.5 and (6² − 1)/12 = 35/12.
        assert_close(expectation(&[1.0 / 6.0; 6], &FACES).unwrap(), 3.5, 1e-12);
        assert_close(
            variance(&[1.0 / 6.0; 6], &FACES).unwrap(),
            35.0 / 12.0,
            1e-12,
        );
    }

    #[test]
    fn variance_equals_mean_of_squares_minus_square_of_mean() {
        let p = [0.1, 0.2, 0.3, 0.4];
        let x = [-1.0, 0.5, 2.0, 3.0];
        let squares: Vec<f64> = x.iter().map(|v| v * v).collect();
        let mean = expectation(&p, &x).unwrap();
        assert_close(
            variance(&p, &x).unwrap(),
            expectation(&p, &squares).unwrap() - mean * mean,
            1e-12,
        );
    }

    #[test]
    fn opposite_movement_gives_a_negative_covariance() {
        let opposite = JointTable::new(
            &["0", "1"],
            &["0", "1"],
            vec![vec![0.0, 0.5], vec![0.5, 0.0]],
        )
        .unwrap();
        assert_close(
            covariance(&opposite, &[0.0, 1.0], &[0.0, 1.0]).unwrap(),
            -0.25,
            1e-15,
        );
    }

    #[test]
    fn independent_variables_have_zero_covariance() {
        let t = JointTable::dice_and_coin();
        assert_close(covariance(&t, &FACES, &[1.0, 0.0]).unwrap(), 0.0, 1e-15);
    }

    #[test]
    fn the_covariance_of_x_with_itself_is_its_variance() {
        let p = [0.2, 0.5, 0.3];
        let x = [1.0, 4.0, 9.0];
        let diagonal = vec![
            vec![0.2, 0.0, 0.0],
            vec![0.0, 0.5, 0.0],
            vec![0.0, 0.0, 0.3],
        ];
        let t = JointTable::new(&["1", "4", "9"], &["1", "4", "9"], diagonal).unwrap();
        assert_close(
            covariance(&t, &x, &x).unwrap(),
            variance(&p, &x).unwrap(),
            1e-12,
        );
    }

    #[test]
    fn mismatched_lengths_and_nan_values_are_rejected() {
        assert!(matches!(
            expectation(&[0.5, 0.5], &[1.0]),
            Err(Error::Shape { .. })
        ));
        assert!(expectation(&[0.5, 0.5], &[1.0, f64::NAN]).is_err());
        assert!(expectation(&[0.5, 0.4], &[1.0, 2.0]).is_err());
        assert!(covariance(&JointTable::dice_and_coin(), &[1.0], &[0.0, 1.0]).is_err());
    }
}
