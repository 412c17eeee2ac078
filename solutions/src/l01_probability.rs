//! Lesson 01, probability basics: a joint table p(x, y), its marginal
//! p(x) = Σ_y p(x, y), the conditional p(y | x) = p(x, y) / p(x), Bayes' rule
//! p(x | y) = p(y | x) p(x) / p(y), and the expectation E[f(x)] = Σ_x p(x) f(x).
//!
//! Source: lecture note 001 (the die-and-coin table, every cell 1/12; Bayes' rule; the
//! expectation) and notes 000 and 002 (Bayes' rule).
//!
//! A joint table is an `ndarray::Array2<f64>` whose entry `[[x, y]]` is p(x, y): rows are
//! the values of x, columns the values of y. A distribution over one variable is an
//! `Array1<f64>`. Every function takes its arrays by reference (`&Array2<f64>`), so the
//! notebook calls `marginal_x(&joint)` on the table it holds.

#[allow(unused_imports)]
use ndarray::Axis;
use ndarray::{Array1, Array2};

/// Exercise 1.1 — the marginal p(x) of a joint table.
///
/// `joint` has one row per value of x and one column per value of y; return one number
/// per row (shape: rows of `joint`). For the die-and-coin table (6 × 2, every cell 1/12)
/// every entry is 2/12.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Joint, marginal and conditional".
pub fn marginal_x(joint: &Array2<f64>) -> Array1<f64> {
    // BEGIN SOLUTION
    joint.sum_axis(Axis(1))
    // END SOLUTION
}

/// Exercise 1.2 — the conditional p(y | x) for one row `x` of a joint table: one number
/// per column, summing to one.
///
/// For the die-and-coin table, p(y | x = 3) is 1/2 for both coin faces (row index 2).
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Joint, marginal and conditional".
pub fn conditional_y_given_x(joint: &Array2<f64>, x: usize) -> Array1<f64> {
    // BEGIN SOLUTION
    let row = joint.row(x);
    &row / row.sum()
    // END SOLUTION
}

/// Exercise 1.3 — Bayes' rule: the posterior p(x | y) over all x, for one observed y.
///
/// `prior[x]` is p(x) and `likelihood[x]` is p(y | x) (same length). The result has one
/// entry per x and sums to one.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Bayes' rule".
pub fn bayes_posterior(prior: &Array1<f64>, likelihood: &Array1<f64>) -> Array1<f64> {
    // BEGIN SOLUTION
    let joint = prior * likelihood;
    let evidence = joint.sum();
    joint / evidence
    // END SOLUTION
}

/// Exercise 1.4 — the mean E[f(x)] and the variance Var[f(x)], returned as
/// `(mean, variance)`.
///
/// `p[x]` is the probability of outcome `x` and `f[x]` its value (same length). A fair
/// die (`f = [1, ..., 6]`) has mean 3.5 and variance 35/12.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Expectation, variance, covariance".
pub fn mean_and_variance(p: &Array1<f64>, f: &Array1<f64>) -> (f64, f64) {
    // BEGIN SOLUTION
    let mean = p.dot(f);
    let variance = p.dot(&(f - mean).powi(2));
    (mean, variance)
    // END SOLUTION
}
