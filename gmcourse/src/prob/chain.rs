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
//! ```
//! use gmcourse::prob::JointTable3;
//! let t = JointTable3::uniform(2, 3, 2);
//! gmcourse::testing::assert_close(t.chain_rule(1, 2, 0)?, t.prob(1, 2, 0), 1e-15);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use crate::check;
use crate::{Error, Result};

/// A table `p[a][b][c] = P(A = a, B = b, C = c)` over index outcomes.
///
/// ```
/// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
/// assert_eq!(t.marginal_c(), vec![0.5, 0.5]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct JointTable3 {
    p: Vec<Vec<Vec<f64>>>,
}

impl JointTable3 {
    /// Builds the table from `p[a][b][c]`.
    ///
    /// # Errors
    /// If the table is empty or ragged, a cell is NaN or outside `[0, 1]`, or the cells do
    /// not sum to 1 within `1e-9`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::new(vec![vec![vec![0.25, 0.25]], vec![vec![0.25, 0.25]]])?;
    /// assert_eq!(t.shape(), (2, 1, 2));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(p: Vec<Vec<Vec<f64>>>) -> Result<Self> {
        check::not_empty("JointTable3 p (A values)", &p)?;
        check::not_empty("JointTable3 p[0] (B values)", &p[0])?;
        check::not_empty("JointTable3 p[0][0] (C values)", &p[0][0])?;
        let (n_b, n_c) = (p[0].len(), p[0][0].len());
        let mut total = 0.0;
        for (a, plane) in p.iter().enumerate() {
            if plane.len() != n_b {
                return Err(Error::shape(
                    format!("JointTable3 p[{a}]"),
                    format!("{n_b} B values"),
                    plane.len(),
                ));
            }
            for (b, row) in plane.iter().enumerate() {
                if row.len() != n_c {
                    return Err(Error::shape(
                        format!("JointTable3 p[{a}][{b}]"),
                        format!("{n_c} C values"),
                        row.len(),
                    ));
                }
                for (c, &p_abc) in row.iter().enumerate() {
                    check::probability(&format!("JointTable3 p[{a}][{b}][{c}]"), p_abc)?;
                    total += p_abc;
                }
            }
        }
        check::sums_to_one("JointTable3 p", total)?;
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
            p: vec![vec![vec![cell; n_c]; n_b]; n_a],
        }
    }

    /// Builds `P(a, b, c) = P(a | c) P(b | c) P(c)`: A and B conditionally independent
    /// given C, by construction.
    ///
    /// `p_a_given_c[c]` and `p_b_given_c[c]` are the conditional PMFs for each value of C.
    ///
    /// # Errors
    /// If `p_c` or any conditional is not a PMF, or there is not one conditional per C
    /// value.
    ///
    /// ```
    /// use gmcourse::prob::JointTable3;
    /// let t = JointTable3::from_conditionally_independent(
    ///     &[0.5, 0.5],
    ///     &[vec![0.9, 0.1], vec![0.2, 0.8]],
    ///     &[vec![0.7, 0.3], vec![0.4, 0.6]],
    /// )?;
    /// assert!(t.is_conditionally_independent(1e-12));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_conditionally_independent(
        p_c: &[f64],
        p_a_given_c: &[Vec<f64>],
        p_b_given_c: &[Vec<f64>],
    ) -> Result<Self> {
        check::pmf("p_c", p_c)?;
        check::same_len(
            "p_a_given_c (one PMF per C value)",
            p_c.len(),
            p_a_given_c.len(),
        )?;
        check::same_len(
            "p_b_given_c (one PMF per C value)",
            p_c.len(),
            p_b_given_c.len(),
        )?;
        let n_a = p_a_given_c[0].len();
        let n_b = p_b_given_c[0].len();
        for c in 0..p_c.len() {
            check::pmf(&format!("p_a_given_c[{c}]"), &p_a_given_c[c])?;
            check::pmf(&format!("p_b_given_c[{c}]"), &p_b_given_c[c])?;
            check::same_len(&format!("p_a_given_c[{c}]"), n_a, p_a_given_c[c].len())?;
            check::same_len(&format!("p_b_given_c[{c}]"), n_b, p_b_given_c[c].len())?;
        }
        let p = (0..n_a)
            .map(|a| {
                (0..n_b)
                    .map(|b| {
                        (0..p_c.len())
                            .map(|c| p_a_given_c[c][a] * p_b_given_c[c][b] * p_c[c])
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Self::new(p)
    }

    /// `(number of A values, number of B values, number of C values)`.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable3::uniform(2, 3, 4).shape(), (2, 3, 4));
    /// ```
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.p.len(), self.p[0].len(), self.p[0][0].len())
    }

    /// `P(a, b, c)`; 0 outside the table.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::JointTable3::uniform(1, 1, 2).prob(0, 0, 1), 0.5);
    /// ```
    pub fn prob(&self, a: usize, b: usize, c: usize) -> f64 {
        self.p
            .get(a)
            .and_then(|plane| plane.get(b))
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0.0)
    }

    /// `P(c) = Σ_a Σ_b P(a, b, c)`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 4);
    /// assert_eq!(t.marginal_c(), vec![0.25; 4]);
    /// ```
    pub fn marginal_c(&self) -> Vec<f64> {
        let (_, _, n_c) = self.shape();
        (0..n_c)
            .map(|c| self.p.iter().flatten().map(|row| row[c]).sum())
            .collect()
    }

    /// `P(b, c) = Σ_a P(a, b, c)`, as `[b][c]`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
    /// assert_eq!(t.marginal_bc()[1][0], 0.25);
    /// ```
    pub fn marginal_bc(&self) -> Vec<Vec<f64>> {
        let (_, n_b, n_c) = self.shape();
        (0..n_b)
            .map(|b| {
                (0..n_c)
                    .map(|c| self.p.iter().map(|plane| plane[b][c]).sum())
                    .collect()
            })
            .collect()
    }

    /// `P(a, c) = Σ_b P(a, b, c)`, as `[a][c]`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 2, 2);
    /// assert_eq!(t.marginal_ac()[0][1], 0.25);
    /// ```
    pub fn marginal_ac(&self) -> Vec<Vec<f64>> {
        self.p
            .iter()
            .map(|plane| {
                let n_c = plane[0].len();
                (0..n_c)
                    .map(|c| plane.iter().map(|row| row[c]).sum())
                    .collect()
            })
            .collect()
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
    /// assert_eq!(t.conditional_b_given_c(1)?, vec![0.25; 4]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_b_given_c(&self, c: usize) -> Result<Vec<f64>> {
        let p_c = self.p_c(c)?;
        Ok(self.marginal_bc().iter().map(|row| row[c] / p_c).collect())
    }

    /// `P(a | c) = P(a, c) / P(c)`, one entry per A value.
    ///
    /// # Errors
    /// If `c` is out of range or `P(c) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(2, 4, 2);
    /// assert_eq!(t.conditional_a_given_c(0)?, vec![0.5; 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_a_given_c(&self, c: usize) -> Result<Vec<f64>> {
        let p_c = self.p_c(c)?;
        Ok(self.marginal_ac().iter().map(|row| row[c] / p_c).collect())
    }

    /// `P(a | b, c) = P(a, b, c) / P(b, c)`, one entry per A value.
    ///
    /// # Errors
    /// If `b` or `c` is out of range or `P(b, c) = 0`.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::uniform(4, 2, 2);
    /// assert_eq!(t.conditional_a_given_bc(1, 1)?, vec![0.25; 4]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn conditional_a_given_bc(&self, b: usize, c: usize) -> Result<Vec<f64>> {
        let (_, n_b, n_c) = self.shape();
        if b >= n_b || c >= n_c {
            return Err(Error::invalid(
                "(b, c)",
                format!("indices below ({n_b}, {n_c})"),
                format!("({b}, {c})"),
            ));
        }
        let p_bc = self.marginal_bc()[b][c];
        if p_bc <= 0.0 {
            return Err(Error::invalid(
                "P(b, c)",
                format!("P(B = {b}, C = {c}) > 0 to condition on it"),
                p_bc,
            ));
        }
        Ok(self.p.iter().map(|plane| plane[b][c] / p_bc).collect())
    }

    /// The chain-rule product `P(a | b, c) · P(b | c) · P(c)`; equals `P(a, b, c)`.
    ///
    /// # Errors
    /// If an index is out of range or a conditioning event has probability 0.
    ///
    /// ```
    /// let t = gmcourse::prob::JointTable3::new(vec![
    ///     vec![vec![0.1, 0.2], vec![0.05, 0.15]],
    ///     vec![vec![0.2, 0.1], vec![0.15, 0.05]],
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
                .all(|a| (0..n_b).all(|b| (self.p[a][b][c] / p_c - p_a[a] * p_b[b]).abs() <= tol))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};

    fn lopsided() -> JointTable3 {
        // An arbitrary table with no independence at all; cells sum to 1.
        JointTable3::new(vec![
            vec![vec![0.02, 0.08, 0.10], vec![0.05, 0.01, 0.04]],
            vec![vec![0.20, 0.03, 0.07], vec![0.15, 0.09, 0.16]],
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
            &[0.3, 0.7],
            &[vec![0.9, 0.1], vec![0.2, 0.8]],
            &[vec![0.6, 0.4], vec![0.1, 0.9]],
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
    fn a_ragged_table_is_a_shape_error() {
        let err = JointTable3::new(vec![vec![vec![0.5, 0.5]], vec![vec![0.0]]]).unwrap_err();
        assert!(matches!(err, Error::Shape { .. }), "{err}");
    }

    #[test]
    fn conditioning_out_of_range_is_an_error() {
        let t = lopsided();
        assert!(t.conditional_b_given_c(3).is_err());
        assert!(t.conditional_a_given_bc(2, 0).is_err());
        assert!(t.chain_rule(5, 0, 0).is_err());
    }
}
