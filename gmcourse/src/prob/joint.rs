//! A joint probability table P(X, Y): rows are the values of X, columns the values of Y.
//!
//! - marginal: `P(x) = Σ_y P(x, y)` and `P(y) = Σ_x P(x, y)`;
//! - conditional: `P(y | x) = P(x, y) / P(x)`;
//! - independence: `P(x, y) = P(x) P(y)` for every cell.
//!
//! Source: seed notes \[000\] and \[002\], curriculum B3 and B6. The example is a die and a
//! coin thrown together: every cell is 1/12, each marginal of the die is 2/12, and
//! `P(y | x = 3) = (1/12) / (1/6) = 1/2`.
//!
//! ```
//! use gmcourse::prob::JointTable;
//! let t = JointTable::dice_and_coin();
//! assert_eq!(t.marginal_x()[2], 2.0 / 12.0);
//! assert_eq!(t.conditional_y_given_x(2)?, vec![0.5, 0.5]); // row 2 is x = 3
//! # Ok::<(), gmcourse::Error>(())
//! ```

use crate::check;
use crate::{Error, Result};

/// A table `p[i][j] = P(X = x_labels[i], Y = y_labels[j])`.
///
/// The probabilities are a plain `Vec<Vec<f64>>`, so a plot helper can render the table.
///
/// ```
/// let t = gmcourse::prob::JointTable::dice_and_coin();
/// assert_eq!(t.probs()[2][0], 1.0 / 12.0); // P(x = 3, y = H)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JointTable {
    x_labels: Vec<String>,
    y_labels: Vec<String>,
    p: Vec<Vec<f64>>,
}

impl JointTable {
    /// Builds a table from labels and probabilities `p[i][j] = P(x_i, y_j)`.
    ///
    /// # Errors
    /// If there are no labels, if `p` is not `x_labels.len()` rows of
    /// `y_labels.len()` columns, if a cell is NaN, negative or above 1, or if the cells
    /// do not sum to 1 within `1e-9`.
    ///
    /// ```
    /// use gmcourse::prob::JointTable;
    /// let t = JointTable::new(&["rain", "dry"], &["umbrella", "none"],
    ///                         vec![vec![0.3, 0.1], vec![0.1, 0.5]])?;
    /// assert_eq!(t.prob(0, 0), 0.3);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(
        x_labels: &[impl AsRef<str>],
        y_labels: &[impl AsRef<str>],
        p: Vec<Vec<f64>>,
    ) -> Result<Self> {
        check::not_empty("JointTable x_labels", x_labels)?;
        check::not_empty("JointTable y_labels", y_labels)?;
        check_shape(x_labels.len(), y_labels.len(), p.len(), |i| p[i].len())?;
        let mut total = 0.0;
        for (i, row) in p.iter().enumerate() {
            for (j, &p_ij) in row.iter().enumerate() {
                check::probability(&format!("JointTable p[{i}][{j}]"), p_ij)?;
                total += p_ij;
            }
        }
        check::sums_to_one("JointTable p", total)?;
        Ok(Self {
            x_labels: x_labels.iter().map(|s| s.as_ref().to_string()).collect(),
            y_labels: y_labels.iter().map(|s| s.as_ref().to_string()).collect(),
            p,
        })
    }

    /// The maximum-likelihood table from counts: `P(x_i, y_j) = n_ij / Σ n`.
    ///
    /// # Errors
    /// On a shape mismatch or if every count is zero.
    ///
    /// ```
    /// use gmcourse::prob::JointTable;
    /// let t = JointTable::from_counts(&["a", "b"], &["u", "v"], vec![vec![1, 1], vec![0, 2]])?;
    /// assert_eq!(t.prob(1, 1), 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_counts(
        x_labels: &[impl AsRef<str>],
        y_labels: &[impl AsRef<str>],
        counts: Vec<Vec<u64>>,
    ) -> Result<Self> {
        check::not_empty("JointTable x_labels", x_labels)?;
        check::not_empty("JointTable y_labels", y_labels)?;
        check_shape(x_labels.len(), y_labels.len(), counts.len(), |i| {
            counts[i].len()
        })?;
        let total: u64 = counts.iter().flatten().sum();
        if total == 0 {
            return Err(Error::invalid(
                "JointTable counts",
                "at least one non-zero count",
                "all zeros",
            ));
        }
        let p = counts
            .iter()
            .map(|row| row.iter().map(|&n| n as f64 / total as f64).collect())
            .collect();
        Self::new(x_labels, y_labels, p)
    }

    /// The die-and-coin table of curriculum B3: X is a die (`"1"`..`"6"`), Y a coin
    /// (`"H"`, `"T"`), every cell `1/12`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.prob(0, 1), 1.0 / 12.0);
    /// assert_eq!(t.y_labels(), &["H", "T"]);
    /// ```
    pub fn dice_and_coin() -> Self {
        Self {
            x_labels: (1..=6).map(|face| face.to_string()).collect(),
            y_labels: vec!["H".to_string(), "T".to_string()],
            p: vec![vec![1.0 / 12.0; 2]; 6],
        }
    }

    /// The labels of X (one per row).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable::dice_and_coin().x_labels()[2], "3");
    /// ```
    pub fn x_labels(&self) -> &[String] {
        &self.x_labels
    }

    /// The labels of Y (one per column).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable::dice_and_coin().y_labels().len(), 2);
    /// ```
    pub fn y_labels(&self) -> &[String] {
        &self.y_labels
    }

    /// All cells, `probs()[i][j] = P(x_i, y_j)`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.probs().len(), 6);
    /// assert_eq!(t.probs()[0].len(), 2);
    /// ```
    pub fn probs(&self) -> &[Vec<f64>] {
        &self.p
    }

    /// One cell, `P(x_i, y_j)`; 0 outside the table.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.prob(5, 0), 1.0 / 12.0);
    /// assert_eq!(t.prob(9, 0), 0.0);
    /// ```
    pub fn prob(&self, i: usize, j: usize) -> f64 {
        self.p
            .get(i)
            .and_then(|row| row.get(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// `(rows, columns)` = (number of X values, number of Y values).
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable::dice_and_coin().shape(), (6, 2));
    /// ```
    pub fn shape(&self) -> (usize, usize) {
        (self.x_labels.len(), self.y_labels.len())
    }

    /// `P(x) = Σ_y P(x, y)`: the row sums.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.marginal_x(), vec![2.0 / 12.0; 6]);
    /// ```
    pub fn marginal_x(&self) -> Vec<f64> {
        self.p.iter().map(|row| row.iter().sum()).collect()
    }

    /// `P(y) = Σ_x P(x, y)`: the column sums.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// gmcourse::testing::assert_all_close(&t.marginal_y(), &[0.5, 0.5], 1e-15);
    /// ```
    pub fn marginal_y(&self) -> Vec<f64> {
        (0..self.y_labels.len())
            .map(|j| self.p.iter().map(|row| row[j]).sum())
            .collect()
    }

    /// `P(y | x_i) = P(x_i, y) / P(x_i)`, one entry per Y value.
    ///
    /// # Errors
    /// If `i` is not a row, or if `P(x_i) = 0` (the condition never happens).
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.conditional_y_given_x(2)?, vec![0.5, 0.5]); // (1/12) / (1/6)
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_y_given_x(&self, i: usize) -> Result<Vec<f64>> {
        let row = self.p.get(i).ok_or_else(|| {
            Error::invalid(
                "conditional_y_given_x row",
                format!("an index below {}", self.p.len()),
                i,
            )
        })?;
        let p_x: f64 = row.iter().sum();
        if p_x <= 0.0 {
            return Err(Error::invalid(
                "conditional_y_given_x",
                format!("P(x = {}) > 0 to condition on it", self.x_labels[i]),
                p_x,
            ));
        }
        Ok(row.iter().map(|&p_xy| p_xy / p_x).collect())
    }

    /// `P(x | y_j) = P(x, y_j) / P(y_j)`, one entry per X value.
    ///
    /// # Errors
    /// If `j` is not a column, or if `P(y_j) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// gmcourse::testing::assert_all_close(&t.conditional_x_given_y(0)?, &[1.0 / 6.0; 6], 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_x_given_y(&self, j: usize) -> Result<Vec<f64>> {
        if j >= self.y_labels.len() {
            return Err(Error::invalid(
                "conditional_x_given_y column",
                format!("an index below {}", self.y_labels.len()),
                j,
            ));
        }
        let p_y: f64 = self.p.iter().map(|row| row[j]).sum();
        if p_y <= 0.0 {
            return Err(Error::invalid(
                "conditional_x_given_y",
                format!("P(y = {}) > 0 to condition on it", self.y_labels[j]),
                p_y,
            ));
        }
        Ok(self.p.iter().map(|row| row[j] / p_y).collect())
    }

    /// Whether `|P(x, y) − P(x) P(y)| ≤ tol` for every cell (X and Y independent).
    ///
    /// ```
    /// use gmcourse::prob::JointTable;
    /// assert!(JointTable::dice_and_coin().is_independent(1e-12));
    /// let linked = JointTable::new(&["0", "1"], &["0", "1"], vec![vec![0.5, 0.0], vec![0.0, 0.5]])?;
    /// assert!(!linked.is_independent(1e-12));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn is_independent(&self, tol: f64) -> bool {
        let p_x = self.marginal_x();
        let p_y = self.marginal_y();
        self.p.iter().enumerate().all(|(i, row)| {
            row.iter()
                .enumerate()
                .all(|(j, &p_xy)| (p_xy - p_x[i] * p_y[j]).abs() <= tol)
        })
    }
}

/// Checks that a table has `n_rows` rows of `n_cols` columns.
fn check_shape(
    n_rows: usize,
    n_cols: usize,
    rows: usize,
    row_len: impl Fn(usize) -> usize,
) -> Result<()> {
    if rows != n_rows {
        return Err(Error::shape(
            "JointTable rows",
            format!("{n_rows} rows (one per x label)"),
            rows,
        ));
    }
    for i in 0..rows {
        if row_len(i) != n_cols {
            return Err(Error::shape(
                format!("JointTable row {i}"),
                format!("{n_cols} columns (one per y label)"),
                row_len(i),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};

    #[test]
    fn die_and_coin_conditional_of_heads_given_three_is_exactly_one_half() {
        // Curriculum B3: P(y | x = 3) = (1/12) / (1/6) = 1/2; row index 2 holds x = 3.
        let t = JointTable::dice_and_coin();
        assert_eq!(t.x_labels()[2], "3");
        assert_eq!(t.conditional_y_given_x(2).unwrap(), vec![0.5, 0.5]);
    }

    #[test]
    fn die_and_coin_marginal_of_each_face_is_two_twelfths() {
        let t = JointTable::dice_and_coin();
        assert_all_close(&t.marginal_x(), &[2.0 / 12.0; 6], 1e-15);
        assert_all_close(&t.marginal_y(), &[0.5, 0.5], 1e-15);
    }

    #[test]
    fn die_and_coin_cells_sum_to_one() {
        let total: f64 = JointTable::dice_and_coin().probs().iter().flatten().sum();
        assert_close(total, 1.0, 1e-12);
    }

    #[test]
    fn a_die_and_a_coin_are_independent() {
        assert!(JointTable::dice_and_coin().is_independent(1e-12));
    }

    #[test]
    fn a_table_that_does_not_sum_to_one_is_rejected_with_its_sum() {
        let msg = JointTable::new(&["a"], &["b", "c"], vec![vec![0.5, 0.4]])
            .unwrap_err()
            .to_string();
        assert!(msg.contains("a sum of 0.9"), "{msg}");
    }

    #[test]
    fn a_row_of_the_wrong_length_is_a_shape_error() {
        let err =
            JointTable::new(&["a", "b"], &["u", "v"], vec![vec![0.5, 0.0], vec![0.5]]).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
        assert!(err.to_string().contains("row 1"), "{err}");
    }

    #[test]
    fn a_missing_row_is_a_shape_error() {
        let err = JointTable::new(&["a", "b"], &["u"], vec![vec![1.0]]).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
    }

    #[test]
    fn a_negative_cell_is_rejected() {
        assert!(JointTable::new(&["a", "b"], &["u"], vec![vec![1.5], vec![-0.5]]).is_err());
    }

    #[test]
    fn conditioning_on_an_impossible_value_is_an_error() {
        let t = JointTable::new(
            &["a", "b"],
            &["u", "v"],
            vec![vec![0.5, 0.5], vec![0.0, 0.0]],
        )
        .unwrap();
        assert!(t.conditional_y_given_x(1).is_err());
        assert!(t.conditional_y_given_x(7).is_err());
        assert!(t.conditional_x_given_y(9).is_err());
    }

    #[test]
    fn conditionals_times_marginals_give_back_the_joint() {
        let t = JointTable::new(
            &["a", "b"],
            &["u", "v", "w"],
            vec![vec![0.1, 0.2, 0.3], vec![0.25, 0.05, 0.1]],
        )
        .unwrap();
        let p_x = t.marginal_x();
        let p_y = t.marginal_y();
        for (i, &p_x_i) in p_x.iter().enumerate() {
            let p_y_given_x = t.conditional_y_given_x(i).unwrap();
            for (j, &p_y_j) in p_y.iter().enumerate() {
                assert_close(p_y_given_x[j] * p_x_i, t.prob(i, j), 1e-15);
                assert_close(
                    t.conditional_x_given_y(j).unwrap()[i] * p_y_j,
                    t.prob(i, j),
                    1e-15,
                );
            }
        }
        assert!(!t.is_independent(1e-3));
    }

    #[test]
    fn labels_can_be_owned_strings() {
        let x_labels: Vec<String> = (1..=2).map(|i| format!("x{i}")).collect();
        let t = JointTable::new(&x_labels, &["y"], vec![vec![0.5], vec![0.5]]).unwrap();
        assert_eq!(t.x_labels(), &["x1", "x2"]);
    }

    #[test]
    fn counts_become_frequencies() {
        let t = JointTable::from_counts(&["a", "b"], &["u", "v"], vec![vec![3, 1], vec![0, 4]])
            .unwrap();
        assert_all_close(&t.marginal_x(), &[0.5, 0.5], 1e-15);
        assert_close(t.prob(0, 0), 3.0 / 8.0, 1e-15);
        assert!(JointTable::from_counts(&["a"], &["u"], vec![vec![0]]).is_err());
    }
}
