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
//! The cells are an `ndarray::Array2<f64>`, so the marginals read like the math:
//! `p.sum_axis(Axis(1))` is `Σ_y P(x, y)`.
//!
//! ```
//! use gmcourse::prob::JointTable;
//! use ndarray::{Axis, array};
//! let t = JointTable::dice_and_coin();
//! assert_eq!(t.marginal_x()[2], 2.0 / 12.0);
//! assert_eq!(t.probs().sum_axis(Axis(1)), t.marginal_x());
//! assert_eq!(t.conditional_y_given_x(2)?, array![0.5, 0.5]); // row 2 is x = 3
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{Array1, Array2, Axis};

use crate::check;
use crate::{Error, Result};

/// A table `p[[i, j]] = P(X = x_labels[i], Y = y_labels[j])`.
///
/// The probabilities are an `Array2<f64>` (rows: X, columns: Y); `plot::table` renders it.
///
/// ```
/// let t = gmcourse::prob::JointTable::dice_and_coin();
/// assert_eq!(t.probs()[[2, 0]], 1.0 / 12.0); // P(x = 3, y = H)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JointTable {
    x_labels: Vec<String>,
    y_labels: Vec<String>,
    p: Array2<f64>,
}

impl JointTable {
    /// Builds a table from labels and probabilities `p[[i, j]] = P(x_i, y_j)`.
    ///
    /// # Errors
    /// If there are no labels, if `p` is not `x_labels.len()` rows of
    /// `y_labels.len()` columns (`Error::Shape`), if a cell is NaN, negative or above 1,
    /// or if the cells do not sum to 1 within `1e-9`.
    ///
    /// ```
    /// use gmcourse::prob::JointTable;
    /// use ndarray::array;
    /// let t = JointTable::new(&["rain", "dry"], &["umbrella", "none"],
    ///                         array![[0.3, 0.1], [0.1, 0.5]])?;
    /// assert_eq!(t.prob(0, 0), 0.3);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(
        x_labels: &[impl AsRef<str>],
        y_labels: &[impl AsRef<str>],
        p: Array2<f64>,
    ) -> Result<Self> {
        check::not_empty("JointTable x_labels", x_labels)?;
        check::not_empty("JointTable y_labels", y_labels)?;
        check_shape(x_labels.len(), y_labels.len(), p.dim())?;
        for ((i, j), &p_ij) in p.indexed_iter() {
            check::probability(&format!("JointTable p[[{i}, {j}]]"), p_ij)?;
        }
        check::sums_to_one("JointTable p", p.sum())?;
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
    /// use ndarray::array;
    /// let t = JointTable::from_counts(&["a", "b"], &["u", "v"], &array![[1, 1], [0, 2]])?;
    /// assert_eq!(t.prob(1, 1), 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_counts(
        x_labels: &[impl AsRef<str>],
        y_labels: &[impl AsRef<str>],
        counts: &Array2<u64>,
    ) -> Result<Self> {
        check::not_empty("JointTable x_labels", x_labels)?;
        check::not_empty("JointTable y_labels", y_labels)?;
        check_shape(x_labels.len(), y_labels.len(), counts.dim())?;
        let total: u64 = counts.sum();
        if total == 0 {
            return Err(Error::invalid(
                "JointTable counts",
                "at least one non-zero count",
                "all zeros",
            ));
        }
        let p = counts.mapv(|n| n as f64 / total as f64);
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
            p: Array2::from_elem((6, 2), 1.0 / 12.0),
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

    /// All cells, `probs()[[i, j]] = P(x_i, y_j)`: rows are X, columns Y.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.probs().dim(), (6, 2));
    /// ```
    pub fn probs(&self) -> &Array2<f64> {
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
        self.p.get((i, j)).copied().unwrap_or(0.0)
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
    /// assert_eq!(t.marginal_x(), ndarray::Array1::from_elem(6, 2.0 / 12.0));
    /// ```
    pub fn marginal_x(&self) -> Array1<f64> {
        self.p.sum_axis(Axis(1))
    }

    /// `P(y) = Σ_x P(x, y)`: the column sums.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// gmcourse::testing::assert_all_close(&t.marginal_y().to_vec(), &[0.5, 0.5], 1e-15);
    /// ```
    pub fn marginal_y(&self) -> Array1<f64> {
        self.p.sum_axis(Axis(0))
    }

    /// `P(y | x_i) = P(x_i, y) / P(x_i)`, one entry per Y value.
    ///
    /// # Errors
    /// If `i` is not a row, or if `P(x_i) = 0` (the condition never happens).
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// assert_eq!(t.conditional_y_given_x(2)?, ndarray::array![0.5, 0.5]); // (1/12) / (1/6)
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_y_given_x(&self, i: usize) -> Result<Array1<f64>> {
        if i >= self.p.nrows() {
            return Err(Error::invalid(
                "conditional_y_given_x row",
                format!("an index below {}", self.p.nrows()),
                i,
            ));
        }
        let row = self.p.row(i);
        let p_x = row.sum();
        if p_x <= 0.0 {
            return Err(Error::invalid(
                "conditional_y_given_x",
                format!("P(x = {}) > 0 to condition on it", self.x_labels[i]),
                p_x,
            ));
        }
        Ok(&row / p_x)
    }

    /// `P(x | y_j) = P(x, y_j) / P(y_j)`, one entry per X value.
    ///
    /// # Errors
    /// If `j` is not a column, or if `P(y_j) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable::dice_and_coin();
    /// gmcourse::testing::assert_all_close(&t.conditional_x_given_y(0)?.to_vec(), &[1.0 / 6.0; 6], 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_x_given_y(&self, j: usize) -> Result<Array1<f64>> {
        if j >= self.y_labels.len() {
            return Err(Error::invalid(
                "conditional_x_given_y column",
                format!("an index below {}", self.y_labels.len()),
                j,
            ));
        }
        let column = self.p.column(j);
        let p_y = column.sum();
        if p_y <= 0.0 {
            return Err(Error::invalid(
                "conditional_x_given_y",
                format!("P(y = {}) > 0 to condition on it", self.y_labels[j]),
                p_y,
            ));
        }
        Ok(&column / p_y)
    }

    /// Whether `|P(x, y) − P(x) P(y)| ≤ tol` for every cell (X and Y independent).
    ///
    /// ```
    /// use gmcourse::prob::JointTable;
    /// assert!(JointTable::dice_and_coin().is_independent(1e-12));
    /// let linked = JointTable::new(&["0", "1"], &["0", "1"], ndarray::array![[0.5, 0.0], [0.0, 0.5]])?;
    /// assert!(!linked.is_independent(1e-12));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn is_independent(&self, tol: f64) -> bool {
        let p_x = self.marginal_x().insert_axis(Axis(1));
        let p_y = self.marginal_y().insert_axis(Axis(0));
        // P(x) P(y) as an outer product, by broadcasting a column against a row
        let product = &p_x * &p_y;
        self.p
            .iter()
            .zip(product.iter())
            .all(|(p_xy, q)| (p_xy - q).abs() <= tol)
    }
}

/// Checks that a table has `n_rows` rows and `n_cols` columns.
fn check_shape(n_rows: usize, n_cols: usize, (rows, cols): (usize, usize)) -> Result<()> {
    if rows != n_rows {
        return Err(Error::shape(
            "JointTable rows",
            format!("{n_rows} rows (one per x label)"),
            rows,
        ));
    }
    if cols != n_cols {
        return Err(Error::shape(
            "JointTable columns",
            format!("{n_cols} columns (one per y label)"),
            cols,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};
    use ndarray::array;

    #[test]
    fn die_and_coin_conditional_of_heads_given_three_is_exactly_one_half() {
        // Curriculum B3: P(y | x = 3) = (1/12) / (1/6) = 1/2; row index 2 holds x = 3.
        let t = JointTable::dice_and_coin();
        assert_eq!(t.x_labels()[2], "3");
        assert_eq!(t.conditional_y_given_x(2).unwrap(), array![0.5, 0.5]);
    }

    #[test]
    fn die_and_coin_marginal_of_each_face_is_two_twelfths() {
        let t = JointTable::dice_and_coin();
        assert_all_close(&t.marginal_x().to_vec(), &[2.0 / 12.0; 6], 1e-15);
        assert_all_close(&t.marginal_y().to_vec(), &[0.5, 0.5], 1e-15);
    }

    #[test]
    fn die_and_coin_cells_sum_to_one() {
        assert_close(JointTable::dice_and_coin().probs().sum(), 1.0, 1e-12);
    }

    #[test]
    fn a_die_and_a_coin_are_independent() {
        assert!(JointTable::dice_and_coin().is_independent(1e-12));
    }

    #[test]
    fn a_table_that_does_not_sum_to_one_is_rejected_with_its_sum() {
        let msg = JointTable::new(&["a"], &["b", "c"], array![[0.5, 0.4]])
            .unwrap_err()
            .to_string();
        assert!(msg.contains("a sum of 0.9"), "{msg}");
    }

    #[test]
    fn too_few_columns_is_a_shape_error() {
        let err = JointTable::new(&["a", "b"], &["u", "v"], array![[0.5], [0.5]]).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
        assert!(err.to_string().contains("columns"), "{err}");
    }

    #[test]
    fn a_missing_row_is_a_shape_error() {
        let err = JointTable::new(&["a", "b"], &["u"], array![[1.0]]).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
    }

    #[test]
    fn an_empty_table_is_an_error_not_a_panic() {
        let none: [&str; 0] = [];
        let err = JointTable::new(&none, &["u"], Array2::zeros((0, 1))).unwrap_err();
        assert!(err.to_string().contains("x_labels"), "{err}");
        let counts = Array2::<u64>::zeros((0, 0));
        assert!(JointTable::from_counts(&none, &none, &counts).is_err());
    }

    #[test]
    fn a_negative_cell_is_rejected() {
        assert!(JointTable::new(&["a", "b"], &["u"], array![[1.5], [-0.5]]).is_err());
    }

    #[test]
    fn conditioning_on_an_impossible_value_is_an_error() {
        let t = JointTable::new(&["a", "b"], &["u", "v"], array![[0.5, 0.5], [0.0, 0.0]]).unwrap();
        assert!(t.conditional_y_given_x(1).is_err());
        assert!(t.conditional_y_given_x(7).is_err());
        assert!(t.conditional_x_given_y(9).is_err());
    }

    #[test]
    fn conditionals_times_marginals_give_back_the_joint() {
        let t = JointTable::new(
            &["a", "b"],
            &["u", "v", "w"],
            array![[0.1, 0.2, 0.3], [0.25, 0.05, 0.1]],
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
        let t = JointTable::new(&x_labels, &["y"], array![[0.5], [0.5]]).unwrap();
        assert_eq!(t.x_labels(), &["x1", "x2"]);
    }

    #[test]
    fn counts_become_frequencies() {
        let t = JointTable::from_counts(&["a", "b"], &["u", "v"], &array![[3, 1], [0, 4]]).unwrap();
        assert_all_close(&t.marginal_x().to_vec(), &[0.5, 0.5], 1e-15);
        assert_close(t.prob(0, 0), 3.0 / 8.0, 1e-15);
        assert!(JointTable::from_counts(&["a"], &["u"], &array![[0]]).is_err());
    }
}
