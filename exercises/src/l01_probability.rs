// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 01, probability basics: a joint table p(x, y), its marginal
//! p(x) = Σ_y p(x, y), the conditional p(y | x) = p(x, y) / p(x), Bayes' rule
//! p(x | y) = p(y | x) p(x) / p(y), and the expectation E[f(x)] = Σ_x p(x) f(x).
//!
//! Source: lecture note 001 (the die-and-coin table, every cell 1/12; Bayes' rule; the
//! expectation) and notes 000 and 002 (Bayes' rule).
//! A joint table is a `&[Vec<f64>]` whose row `x` holds `p(x, y)` for every `y`.

/// Exercise 1.1 — the marginal p(x) = Σ_y p(x, y) of a joint table.
///
/// Row `x` of `joint` holds p(x, y) for every y; return one number per row.
/// For the die-and-coin table (6 rows of `[1/12, 1/12]`) every entry is 2/12.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Joint, marginal and conditional".
pub fn marginal_x(joint: &[Vec<f64>]) -> Vec<f64> {
    todo!(
        "exercise 1.1: implement `marginal_x` — see notebooks/01-probability.ipynb, section Joint, marginal and conditional"
    )
}

/// Exercise 1.2 — the conditional p(y | x) = p(x, y) / p(x) for one row `x` of a joint
/// table.
///
/// For the die-and-coin table, p(y | x = 3) = (1/12) / (1/6) = 1/2 for both coin faces.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Joint, marginal and conditional".
pub fn conditional_y_given_x(joint: &[Vec<f64>], x: usize) -> Vec<f64> {
    todo!(
        "exercise 1.2: implement `conditional_y_given_x` — see notebooks/01-probability.ipynb, section Joint, marginal and conditional"
    )
}

/// Exercise 1.3 — Bayes' rule: the posterior p(x | y) = p(y | x) p(x) / p(y) over all x.
///
/// `prior[x]` is p(x) and `likelihood[x]` is p(y | x) for the one observed y. The
/// evidence p(y) = Σ_x p(y | x) p(x) normalises the result, which sums to one.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Bayes' rule".
pub fn bayes_posterior(prior: &[f64], likelihood: &[f64]) -> Vec<f64> {
    todo!(
        "exercise 1.3: implement `bayes_posterior` — see notebooks/01-probability.ipynb, section Bayes' rule"
    )
}

/// Exercise 1.4 — the mean E[f(x)] = Σ_x p(x) f(x) and the variance
/// Var[f(x)] = E[(f(x) − E[f(x)])²], returned as `(mean, variance)`.
///
/// `p[x]` is the probability of outcome `x` and `f[x]` its value. A fair die
/// (`f = [1, ..., 6]`) has mean 3.5 and variance 35/12.
///
/// Notebook: `notebooks/01-probability.ipynb`, section "Expectation, variance, covariance".
pub fn mean_and_variance(p: &[f64], f: &[f64]) -> (f64, f64) {
    todo!(
        "exercise 1.4: implement `mean_and_variance` — see notebooks/01-probability.ipynb, section Expectation, variance, covariance"
    )
}
