//! The chain rule on a table of three variables P(A, B, C):
//!
//! `P(a, b, c) = P(a | b, c) P(b | c) P(c) = P(a, b | c) P(c)`,
//!
//! and conditional independence of A and B given C:
//! `P(a, b | c) = P(a | c) P(b | c)`, equivalently `P(a | b, c) = P(a | c)`.
//!
//! Source: seed notes \[000\] and \[002\], curriculum B4 and B6 (and Z3: under the Markov
//! assumption x_i depends only on x_{i−1} and is conditionally independent of the earlier
//! values given it).
//!
//! The cells are an `ndarray::Array3<f64>` indexed `[[a, b, c]]`, so the marginals read like
//! the math: `P(b, c) = Σ_a P(a, b, c)` is `p.sum_axis(Axis(0))`.
//!
//! ```
//! use gmcourse::prob::JointTable3;
//! use ndarray::Axis;
//! let t = JointTable3::uniform(2, 3, 2);
//! gmcourse::testing::assert_close(t.chain_rule(1, 2, 0)?, t.prob(1, 2, 0), 1e-15);
//! assert_eq!(t.probs().sum_axis(Axis(0)), t.marginal_bc());
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{Array1, Array2, Array3, ArrayView1, ArrayView2, Axis, s};

use crate::check;
use crate::{Error, Result};

/// A table `p[[a, b, c]] = P(A = a, B = B_b, C = c)` over index outcomes.
///
/// ```
/// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
/// assert_eq!(t.marginal_c(), ndarray::array![0.5, 0.5]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JointTable3 {
    p: Array3<f64>,
}

impl JointTable3 {
    /// Builds the table from `p[[a, b, c]]`.
    ///
    /// # Errors
    /// If an axis of the table is empty, a cell is NaN or outside `[0, 1]`, or the cells
    /// do not sum to 1 within `1e-9`.
    ///
    /// ```
    /// use ndarray::array;
    /// let t = gmcourse::prob::JointTable3::new(array![[[0.25, 0.25]], [[0.25, 0.25]]])?;
    /// assert_eq!(t.shape(), (2, 1, 2));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(p: Array3<f64>) -> Result<Self> {
        if p.is_empty() {
            let (n_a, n_b, n_c) = p.dim();
            return Err(Error::shape(
                "JointTable3 p",
                "at least one value of each of A, B and C",
                format!("{n_a} A × {n_b} B × {n_c} C values"),
            ));
        }
        for ((a, b, c), &p_abc) in p.indexed_iter() {
            check::probability(&format!("JointTable3 p[[{a}, {b}, {c}]]"), p_abc)?;
        }
        check::sums_to_one("JointTable3 p", p.sum())?;
        Ok(Self { p })
    }

    /// The uniform table over `n_a × n_b × n_c` outcomes (A, B, C independent).
    /// A zero size is raised to 1.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
    /// assert_eq!(t.prob(0, 1, 0), 0.125);
    /// ```
    pub fn uniform(n_a: usize, n_b: usize, n_c: usize) -> Self {
        let (n_a, n_b, n_c) = (n_a.max(1), n_b.max(1), n_c.max(1));
        let cell = 1.0 / (n_a * n_b * n_c) as f64;
        Self {
            p: Array3::from_elem((n_a, n_b, n_c), cell),
        }
    }

    /// Builds `P(a, b, c) = P(a | c) P(b | c) P(c)`: A and B conditionally independent
    /// given C, by construction.
    ///
    /// The conditionals are tables with one row per value of C: row `c` of `p_a_given_c`
    /// is the PMF `P(a | c)`, so `p_a_given_c[[c, a]] = P(a | c)`.
    ///
    /// # Errors
    /// If `p_c` or a row of a conditional is not a PMF, or a conditional does not have one
    /// row per C value (`Error::Shape`).
    ///
    /// ```
    /// use gmcourse::prob::JointTable3;
    /// use ndarray::array;
    /// let t = JointTable3::from_conditionally_independent(
    ///     &array![0.5, 0.5],
    ///     &array![[0.9, 0.1], [0.2, 0.8]],
    ///     &array![[0.7, 0.3], [0.4, 0.6]],
    /// )?;
    /// assert!(t.is_conditionally_independent(1e-12));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_conditionally_independent<'a, 'b, 'c>(
        p_c: impl Into<ArrayView1<'c, f64>>,
        p_a_given_c: impl Into<ArrayView2<'a, f64>>,
        p_b_given_c: impl Into<ArrayView2<'b, f64>>,
    ) -> Result<Self> {
        let (p_c, p_a_given_c, p_b_given_c) = (p_c.into(), p_a_given_c.into(), p_b_given_c.into());
        check::pmf("p_c", p_c)?;
        for (name, table) in [("p_a_given_c", p_a_given_c), ("p_b_given_c", p_b_given_c)] {
            if table.nrows() != p_c.len() {
                return Err(Error::shape(
                    format!("{name} (one row, a PMF, per C value)"),
                    format!("{} rows", p_c.len()),
                    format!("{} rows", table.nrows()),
                ));
            }
            for (c, row) in table.outer_iter().enumerate() {
                check::pmf(&format!("{name} row {c}"), row)?;
            }
        }
        let p = Array3::from_shape_fn(
            (p_a_given_c.ncols(), p_b_given_c.ncols(), p_c.len()),
            |(a, b, c)| p_a_given_c[[c, a]] * p_b_given_c[[c, b]] * p_c[c],
        );
        Self::new(p)
    }

    /// The cells, `p[[a, b, c]] = P(a, b, c)`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 3, 4);
    /// assert_eq!(t.probs().dim(), (2, 3, 4));
    /// ```
    pub fn probs(&self) -> &Array3<f64> {
        &self.p
    }

    /// `(number of A values, number of B values, number of C values)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable3::uniform(2, 3, 4).shape(), (2, 3, 4));
    /// ```
    pub fn shape(&self) -> (usize, usize, usize) {
        self.p.dim()
    }

    /// `P(a, b, c)`; 0 outside the table.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable3::uniform(1, 1, 2).prob(0, 0, 1), 0.5);
    /// ```
    pub fn prob(&self, a: usize, b: usize, c: usize) -> f64 {
        self.p.get((a, b, c)).copied().unwrap_or(0.0)
    }

    /// `P(c) = Σ_a Σ_b P(a, b, c)`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 4);
    /// assert_eq!(t.marginal_c(), ndarray::Array1::from_elem(4, 0.25));
    /// ```
    pub fn marginal_c(&self) -> Array1<f64> {
        self.marginal_bc().sum_axis(Axis(0))
    }

    /// `P(b, c) = Σ_a P(a, b, c)`, indexed `[[b, c]]`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
    /// assert_eq!(t.marginal_bc()[[1, 0]], 0.25);
    /// ```
    pub fn marginal_bc(&self) -> Array2<f64> {
        self.p.sum_axis(Axis(0))
    }

    /// `P(a, c) = Σ_b P(a, b, c)`, indexed `[[a, c]]`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
    /// assert_eq!(t.marginal_ac()[[0, 1]], 0.25);
    /// ```
    pub fn marginal_ac(&self) -> Array2<f64> {
        self.p.sum_axis(Axis(1))
    }

    /// `P(c)` for one value, with an error if it is out of range or zero.
    fn p_c(&self, c: usize) -> Result<f64> {
        let p_c = self.marginal_c().get(c).copied().ok_or_else(|| {
            Error::invalid("C value", format!("an index below {}", self.shape().2), c)
        })?;
        if p_c <= 0.0 {
            return Err(Error::invalid(
                "P(c)",
                format!("P(C = {c}) > 0 to condition on it"),
                p_c,
            ));
        }
        Ok(p_c)
    }

    /// `P(b | c) = P(b, c) / P(c)`, one entry per B value.
    ///
    /// # Errors
    /// If `c` is out of range or `P(c) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 4, 2);
    /// assert_eq!(t.conditional_b_given_c(1)?, ndarray::Array1::from_elem(4, 0.25));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_b_given_c(&self, c: usize) -> Result<Array1<f64>> {
        let p_c = self.p_c(c)?;
        Ok(&self.marginal_bc().column(c) / p_c)
    }

    /// `P(a | c) = P(a, c) / P(c)`, one entry per A value.
    ///
    /// # Errors
    /// If `c` is out of range or `P(c) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 4, 2);
    /// assert_eq!(t.conditional_a_given_c(0)?, ndarray::array![0.5, 0.5]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_a_given_c(&self, c: usize) -> Result<Array1<f64>> {
        let p_c = self.p_c(c)?;
        Ok(&self.marginal_ac().column(c) / p_c)
    }

    /// `P(a | b, c) = P(a, b, c) / P(b, c)`, one entry per A value.
    ///
    /// # Errors
    /// If `b` or `c` is out of range or `P(b, c) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(4, 2, 2);
    /// assert_eq!(t.conditional_a_given_bc(1, 1)?, ndarray::Array1::from_elem(4, 0.25));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_a_given_bc(&self, b: usize, c: usize) -> Result<Array1<f64>> {
        let (_, n_b, n_c) = self.shape();
        if b >= n_b || c >= n_c {
            return Err(Error::invalid(
                "(b, c)",
                format!("indices below ({n_b}, {n_c})"),
                format!("({b}, {c})"),
            ));
        }
        let p_bc = self.marginal_bc()[[b, c]];
        if p_bc <= 0.0 {
            return Err(Error::invalid(
                "P(b, c)",
                format!("P(B = {b}, C = {c}) > 0 to condition on it"),
                p_bc,
            ));
        }
        Ok(&self.p.slice(s![.., b, c]) / p_bc)
    }

    /// The chain-rule product `P(a | b, c) · P(b | c) · P(c)`; equals `P(a, b, c)`.
    ///
    /// # Errors
    /// If an index is out of range or a conditioning event has probability 0.
    ///
    /// ```
    /// use ndarray::array;
    /// let t = gmcourse::prob::JointTable3::new(array![
    ///     [[0.1, 0.2], [0.05, 0.15]],
    ///     [[0.2, 0.1], [0.15, 0.05]],
    /// ])?;
    /// gmcourse::testing::assert_close(t.chain_rule(1, 0, 1)?, 0.1, 1e-15);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn chain_rule(&self, a: usize, b: usize, c: usize) -> Result<f64> {
        let p_a_given_bc = self.conditional_a_given_bc(b, c)?;
        let p_b_given_c = self.conditional_b_given_c(c)?;
        let p_c = self.p_c(c)?;
        let p_a = p_a_given_bc.get(a).copied().ok_or_else(|| {
            Error::invalid("A value", format!("an index below {}", self.shape().0), a)
        })?;
        Ok(p_a * p_b_given_c[b] * p_c)
    }

    /// Whether A and B are conditionally independent given C:
    /// `|P(a, b | c) − P(a | c) P(b | c)| ≤ tol` for every cell with `P(c) > 0`.
    ///
    /// ```
    /// assert!(gmcourse::prob::JointTable3::uniform(2, 2, 2).is_conditionally_independent(1e-12));
    /// ```
    pub fn is_conditionally_independent(&self, tol: f64) -> bool {
        let (n_a, n_b, n_c) = self.shape();
        (0..n_c).all(|c| {
            let (Ok(p_c), Ok(p_a), Ok(p_b)) = (
                self.p_c(c),
                self.conditional_a_given_c(c),
                self.conditional_b_given_c(c),
            ) else {
                return true; // P(c) = 0: nothing to check
            };
            (0..n_a)
                .all(|a| (0..n_b).all(|b| (self.p[[a, b, c]] / p_c - p_a[a] * p_b[b]).abs() <= tol))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};
    use ndarray::array;

    fn lopsided() -> JointTable3 {
        // An arbitrary table with no independence at all; cells sum to 1.
        JointTable3::new(array![
            [[0.02, 0.08, 0.10], [0.05, 0.01, 0.04]],
            [[0.20, 0.03, 0.07], [0.15, 0.09, 0.16]],
        ])
        .unwrap()
    }

    #[test]
    fn chain_rule_product_equals_the_joint_in_every_cell() {
        // Curriculum B4: P(a,b,c) = P(a|b,c) P(b|c) P(c).
        let t = lopsided();
        for a in 0..2 {
            for b in 0..2 {
                for c in 0..3 {
                    assert_close(t.chain_rule(a, b, c).unwrap(), t.prob(a, b, c), 1e-15);
                }
            }
        }
    }

    #[test]
    fn joint_given_c_times_p_c_equals_the_joint() {
        // Curriculum B4, second form: P(a,b,c) = P(a,b|c) P(c).
        let t = lopsided();
        let p_c = t.marginal_c();
        for (c, &p_c_value) in p_c.iter().enumerate() {
            let p_ab_given_c = t.prob(1, 0, c) / p_c_value;
            assert_close(p_ab_given_c * p_c_value, t.prob(1, 0, c), 1e-15);
        }
        assert_close(p_c.iter().sum(), 1.0, 1e-12);
    }

    #[test]
    fn a_lopsided_table_is_not_conditionally_independent() {
        assert!(!lopsided().is_conditionally_independent(1e-3));
    }

    #[test]
    fn conditional_independence_means_a_given_b_and_c_equals_a_given_c() {
        // Curriculum B6: P(x | y, z) = P(x | z).
        let t = JointTable3::from_conditionally_independent(
            &array![0.3, 0.7],
            &array![[0.9, 0.1], [0.2, 0.8]],
            &array![[0.6, 0.4], [0.1, 0.9]],
        )
        .unwrap();
        assert!(t.is_conditionally_independent(1e-12));
        for c in 0..2 {
            for b in 0..2 {
                assert_all_close(
                    &t.conditional_a_given_bc(b, c).unwrap(),
                    &t.conditional_a_given_c(c).unwrap(),
                    1e-12,
                );
            }
        }
    }

    #[test]
    fn the_marginals_are_sums_over_axes() {
        let t = lopsided();
        let p = t.probs();
        // P(b, c) = Σ_a P(a, b, c), cell by cell
        let bc = t.marginal_bc();
        assert_eq!(bc.dim(), (2, 3));
        assert_close(bc[[1, 2]], p[[0, 1, 2]] + p[[1, 1, 2]], 1e-15);
        let ac = t.marginal_ac();
        assert_eq!(ac.dim(), (2, 3));
        assert_close(ac[[0, 1]], p[[0, 0, 1]] + p[[0, 1, 1]], 1e-15);
        assert_all_close(&t.marginal_c(), &array![0.42, 0.21, 0.37], 1e-15);
        assert_all_close(&t.marginal_c(), &ac.sum_axis(Axis(0)), 1e-15);
        assert_all_close(
            &t.conditional_a_given_bc(0, 1).unwrap(),
            &array![0.08 / 0.11, 0.03 / 0.11],
            1e-15,
        );
    }

    #[test]
    fn an_empty_table_is_a_shape_error_that_names_the_empty_axis() {
        let err = JointTable3::new(Array3::zeros((2, 0, 3))).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
        assert!(err.to_string().contains("2 A × 0 B × 3 C"), "{err}");
    }

    #[test]
    fn bad_cells_and_conditionals_are_rejected_with_their_place() {
        let mut p = lopsided().probs().clone();
        p[[1, 0, 2]] = f64::NAN;
        let err = JointTable3::new(p).unwrap_err().to_string();
        assert!(err.contains("p[[1, 0, 2]]"), "{err}");
        let unnormalised = JointTable3::new(Array3::from_elem((2, 2, 2), 0.25)).unwrap_err();
        assert!(
            unnormalised.to_string().contains("a sum of 2"),
            "{unnormalised}"
        );
        // one conditional row per C value: 2 values of C, 3 rows
        let err = JointTable3::from_conditionally_independent(
            &array![0.5, 0.5],
            &array![[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]],
            &array![[0.6, 0.4], [0.1, 0.9]],
        )
        .unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
        assert!(err.to_string().contains("p_a_given_c"), "{err}");
        // a row that is not a PMF is named
        let err = JointTable3::from_conditionally_independent(
            &array![0.5, 0.5],
            &array![[0.9, 0.1], [0.2, 0.8]],
            &array![[0.6, 0.4], [0.1, 0.8]],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("p_b_given_c row 1") && err.contains("a sum of 0.9"),
            "{err}"
        );
    }

    #[test]
    fn conditioning_out_of_range_is_an_error() {
        let t = lopsided();
        assert!(t.conditional_b_given_c(3).is_err());
        assert!(t.conditional_a_given_bc(2, 0).is_err());
        assert!(t.chain_rule(5, 0, 0).is_err());
    }
}
