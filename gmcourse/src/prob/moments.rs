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
//! let p = ndarray::Array1::from_elem(6, 1.0 / 6.0);
//! let squares = ndarray::array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
//! gmcourse::testing::assert_close(gmcourse::prob::expectation(&p, &squares)?, 3.5, 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::Array1;

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
/// let p = ndarray::Array1::from_elem(6, 1.0 / 6.0);
/// let payoff = ndarray::array![-1.0, -1.0, -1.0, -1.0, -1.0, 5.0];
/// gmcourse::testing::assert_close(gmcourse::prob::expectation(&p, &payoff)?, 0.0, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn expectation(p: &Array1<f64>, f_x: &Array1<f64>) -> Result<f64> {
    check::pmf("p", p)?;
    check::same_len("f_x (one value per outcome of p)", p.len(), f_x.len())?;
    for (i, &f) in f_x.iter().enumerate() {
        check::finite(&format!("f_x[{i}]"), f)?;
    }
    Ok(p.dot(f_x))
}

/// `Var[x] = Σ_i p[i] (x[i] − E[x])²`.
///
/// # Errors
/// As [`expectation`].
///
/// ```
/// // A fair die: Var = 35/12.
/// let p = ndarray::Array1::from_elem(6, 1.0 / 6.0);
/// let v = gmcourse::prob::variance(&p, &ndarray::array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// gmcourse::testing::assert_close(v, 35.0 / 12.0, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn variance(p: &Array1<f64>, x: &Array1<f64>) -> Result<f64> {
    let mean = expectation(p, x)?;
    expectation(p, &(x - mean).powi(2))
}

/// `Cov[x, y] = Σ_{i,j} P(x_i, y_j) (x_values[i] − E[x]) (y_values[j] − E[y])`.
///
/// `x_values[i]` is the number attached to row i of the table, `y_values[j]` to column j.
///
/// # Errors
/// If the values do not match the table's shape or hold a non-finite number.
///
/// ```
/// use gmcourse::prob::{JointTable, covariance};
/// use ndarray::array;
/// // x and y are both 0 or both 1: they move together.
/// let together = JointTable::new(&["0", "1"], &["0", "1"], array![[0.5, 0.0], [0.0, 0.5]])?;
/// let values = array![0.0, 1.0];
/// gmcourse::testing::assert_close(covariance(&together, &values, &values)?, 0.25, 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn covariance(
    table: &JointTable,
    x_values: &Array1<f64>,
    y_values: &Array1<f64>,
) -> Result<f64> {
    let mean_x = expectation(&table.marginal_x(), x_values)?;
    let mean_y = expectation(&table.marginal_y(), y_values)?;
    // Σ_{i,j} (x_i − E[x]) P(x_i, y_j) (y_j − E[y])
    Ok((x_values - mean_x).dot(&table.probs().dot(&(y_values - mean_y))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::testing::assert_close;
    use ndarray::{Array2, array};

    fn faces() -> Array1<f64> {
        array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    }

    #[test]
    fn a_fair_die_has_mean_three_and_a_half_and_variance_35_over_12() {
        // Known values: (1+…+6)/6 = 3.5 and (6² − 1)/12 = 35/12.
        let fair = Array1::from_elem(6, 1.0 / 6.0);
        assert_close(expectation(&fair, &faces()).unwrap(), 3.5, 1e-12);
        assert_close(variance(&fair, &faces()).unwrap(), 35.0 / 12.0, 1e-12);
    }

    #[test]
    fn variance_equals_mean_of_squares_minus_square_of_mean() {
        let p = array![0.1, 0.2, 0.3, 0.4];
        let x = array![-1.0, 0.5, 2.0, 3.0];
        let mean = expectation(&p, &x).unwrap();
        assert_close(
            variance(&p, &x).unwrap(),
            expectation(&p, &(&x * &x)).unwrap() - mean * mean,
            1e-12,
        );
    }

    #[test]
    fn opposite_movement_gives_a_negative_covariance() {
        let opposite =
            JointTable::new(&["0", "1"], &["0", "1"], array![[0.0, 0.5], [0.5, 0.0]]).unwrap();
        let values = array![0.0, 1.0];
        assert_close(
            covariance(&opposite, &values, &values).unwrap(),
            -0.25,
            1e-15,
        );
    }

    #[test]
    fn independent_variables_have_zero_covariance() {
        let t = JointTable::dice_and_coin();
        assert_close(
            covariance(&t, &faces(), &array![1.0, 0.0]).unwrap(),
            0.0,
            1e-15,
        );
    }

    #[test]
    fn the_covariance_of_x_with_itself_is_its_variance() {
        let p = array![0.2, 0.5, 0.3];
        let x = array![1.0, 4.0, 9.0];
        let t = JointTable::new(&["1", "4", "9"], &["1", "4", "9"], Array2::from_diag(&p)).unwrap();
        assert_close(
            covariance(&t, &x, &x).unwrap(),
            variance(&p, &x).unwrap(),
            1e-12,
        );
    }

    #[test]
    fn mismatched_lengths_and_nan_values_are_rejected() {
        let half = array![0.5, 0.5];
        assert!(matches!(
            expectation(&half, &array![1.0]),
            Err(Error::Shape { .. })
        ));
        assert!(expectation(&half, &array![1.0, f64::NAN]).is_err());
        assert!(expectation(&array![0.5, 0.4], &array![1.0, 2.0]).is_err());
        let t = JointTable::dice_and_coin();
        assert!(covariance(&t, &array![1.0], &array![0.0, 1.0]).is_err());
    }
}
