//! Maximum likelihood in closed form: `θ̂ = argmax_θ (1/m) Σ_k log p_θ(x⁽ᵏ⁾)`, one θ shared
//! by all m samples.
//!
//! | model | log-likelihood of one sample | MLE |
//! |---|---|---|
//! | Bernoulli(θ) | `x log θ + (1 − x) log(1 − θ)` | `θ̂ = k / m`, the fraction of ones |
//! | Categorical(p_1 … p_K) | `log p_x` | `p̂_j = n_j / m`, the frequencies |
//! | Normal(mu, sigma²) | `−½ log(2π sigma²) − (x − mu)² / (2 sigma²)` | `mu = mean`, `sigma² = (1/m) Σ (x − mu)²` |
//!
//! Each comes with its mean log-likelihood (in nats per sample), which the MLE maximises
//! and [`super::ascent`] climbs numerically. The log matters: the likelihood
//! `Π_k p_θ(x⁽ᵏ⁾)` of a few thousand samples underflows to 0 in f64, its log does not.
//!
//! Source: seed notes \[001\] and \[003\] (curriculum F2–F5, Z6); Bishop, *Pattern
//! Recognition and Machine Learning* (2006), §2.1–2.3.
//!
//! A data set is an `ndarray` array: flips `Array1<u8>`, outcome indices `Array1<usize>`,
//! real samples `Array1<f64>`. Each function takes it as `impl Into<ArrayView1<_>>`, so a
//! view, `&Vec`, `&[_]` (a prefix `&v[..k]`) and `&[_; N]` work as well.
//!
//! ```
//! use gmcourse::prob::mle;
//! use ndarray::array;
//! assert_eq!(mle::bernoulli_mle(&array![1, 1, 0, 1])?, 0.75);
//! let (mu, var) = mle::gaussian_mle(&array![1.0, 2.0, 3.0])?;
//! assert_eq!((mu, var), (2.0, 2.0 / 3.0)); // divides by m, not m − 1
//! assert_eq!(mle::categorical_mle(&array![0, 2, 2, 2], 3)?, vec![0.25, 0.0, 0.75]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{Array1, ArrayView1};

use crate::check;
use crate::{Error, Result};

/// The Bernoulli MLE `θ̂ = k / m` for flips `x` (each 0 or 1).
///
/// # Errors
/// If `x` is empty or holds a value other than 0 or 1.
///
/// ```
/// use ndarray::array;
/// assert_eq!(gmcourse::prob::mle::bernoulli_mle(&array![1, 0, 0, 0])?, 0.25);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bernoulli_mle<'a>(x: impl Into<ArrayView1<'a, u8>>) -> Result<f64> {
    let x = x.into();
    check_binary(x)?;
    Ok(ones(x) / x.len() as f64)
}

/// The mean Bernoulli log-likelihood `(1/m) Σ_k [x_k log θ + (1 − x_k) log(1 − θ)]` in
/// nats; `−inf` when θ gives probability 0 to an observed value.
///
/// # Errors
/// If `x` is empty or not binary, or θ is not in `[0, 1]`.
///
/// ```
/// use ndarray::array;
/// let ll = gmcourse::prob::mle::bernoulli_log_likelihood(0.5, &array![1, 0])?;
/// gmcourse::testing::assert_close(ll, -(2f64).ln(), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bernoulli_log_likelihood<'a>(theta: f64, x: impl Into<ArrayView1<'a, u8>>) -> Result<f64> {
    let x = x.into();
    check_binary(x)?;
    check::probability("theta", theta)?;
    let k = ones(x);
    let m = x.len() as f64;
    Ok((xlogy(k, theta) + xlogy(m - k, 1.0 - theta)) / m)
}

/// The Categorical MLE `p̂_j = n_j / m` for outcomes `x` in `0 … n_outcomes − 1`: the
/// frequencies, a distribution over the `n_outcomes` outcomes.
///
/// # Errors
/// If `x` is empty, `n_outcomes` is 0, or an outcome is out of range.
///
/// ```
/// use ndarray::array;
/// let p = gmcourse::prob::mle::categorical_mle(&array![0, 2, 2, 2], 3)?;
/// assert_eq!(p, vec![0.25, 0.0, 0.75]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn categorical_mle<'a>(
    x: impl Into<ArrayView1<'a, usize>>,
    n_outcomes: usize,
) -> Result<Vec<f64>> {
    let x = x.into();
    let n = counts(x, n_outcomes)?;
    Ok((n / x.len() as f64).to_vec())
}

/// The mean Categorical log-likelihood `(1/m) Σ_k log p_{x_k}` in nats.
///
/// # Errors
/// If `p` is not a PMF, `x` is empty or an outcome is out of range.
///
/// ```
/// use ndarray::array;
/// let ll = gmcourse::prob::mle::categorical_log_likelihood(&array![0.5, 0.25, 0.25], &array![0, 1])?;
/// gmcourse::testing::assert_close(ll, 0.5 * (0.5f64.ln() + 0.25f64.ln()), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn categorical_log_likelihood<'a, 'b>(
    p: impl Into<ArrayView1<'a, f64>>,
    x: impl Into<ArrayView1<'b, usize>>,
) -> Result<f64> {
    let (p, x) = (p.into(), x.into());
    check::pmf("p", p)?;
    let n = counts(x, p.len())?;
    let total: f64 = n.iter().zip(&p).map(|(&n_j, &p_j)| xlogy(n_j, p_j)).sum();
    Ok(total / x.len() as f64)
}

/// The Gaussian MLE `(mu, sigma²)`: the sample mean and the *biased* variance
/// `(1/m) Σ (x_k − mu)²`.
///
/// # Errors
/// If `x` is empty or holds a non-finite value.
///
/// ```
/// use ndarray::array;
/// let (mu, var) = gmcourse::prob::mle::gaussian_mle(&array![0.0, 4.0])?;
/// assert_eq!((mu, var), (2.0, 4.0));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn gaussian_mle<'a>(x: impl Into<ArrayView1<'a, f64>>) -> Result<(f64, f64)> {
    let x = x.into();
    check_finite(x)?;
    let m = x.len() as f64;
    let mu = x.iter().sum::<f64>() / m;
    let var = x.iter().map(|&x_k| (x_k - mu).powi(2)).sum::<f64>() / m;
    Ok((mu, var))
}

/// The mean Gaussian log-likelihood
/// `(1/m) Σ_k [−½ log(2π sigma²) − (x_k − mu)² / (2 sigma²)]` in nats.
///
/// # Errors
/// If `x` is empty or not finite, `mu` is not finite or `var` is not positive.
///
/// ```
/// use ndarray::array;
/// let ll = gmcourse::prob::mle::gaussian_log_likelihood(0.0, 1.0, &array![0.0])?;
/// gmcourse::testing::assert_close(ll, -0.5 * (2.0 * std::f64::consts::PI).ln(), 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn gaussian_log_likelihood<'a>(
    mu: f64,
    var: f64,
    x: impl Into<ArrayView1<'a, f64>>,
) -> Result<f64> {
    let x = x.into();
    check_finite(x)?;
    check::finite("mu", mu)?;
    check::positive("var", var)?;
    let m = x.len() as f64;
    let sq: f64 = x.iter().map(|&x_k| (x_k - mu).powi(2)).sum();
    Ok(-0.5 * (2.0 * std::f64::consts::PI * var).ln() - sq / (2.0 * var * m))
}

/// `a · log b` with the convention `0 · log 0 = 0`.
fn xlogy(a: f64, b: f64) -> f64 {
    if a == 0.0 { 0.0 } else { a * b.ln() }
}

fn ones(x: ArrayView1<'_, u8>) -> f64 {
    x.iter().map(|&x_k| f64::from(x_k)).sum()
}

pub(crate) fn check_binary(x: ArrayView1<'_, u8>) -> Result<()> {
    check::not_empty_array("x", &x)?;
    match x.iter().position(|&v| v > 1) {
        Some(k) => Err(Error::invalid(format!("x[{k}]"), "0 or 1", x[k])),
        None => Ok(()),
    }
}

fn check_finite(x: ArrayView1<'_, f64>) -> Result<()> {
    check::not_empty_array("x", &x)?;
    check::all_finite("x", x)
}

/// `n_j`, the number of samples equal to j, as floats.
pub(crate) fn counts(x: ArrayView1<'_, usize>, n_outcomes: usize) -> Result<Array1<f64>> {
    check::not_empty_array("x", &x)?;
    if n_outcomes == 0 {
        return Err(Error::invalid("n_outcomes", "at least 1", 0));
    }
    let mut n = Array1::zeros(n_outcomes);
    for (k, &x_k) in x.iter().enumerate() {
        if x_k >= n_outcomes {
            return Err(Error::invalid(
                format!("x[{k}]"),
                format!("an outcome in 0..{n_outcomes}"),
                x_k,
            ));
        }
        n[x_k] += 1.0;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_all_close, assert_close};
    use ndarray::array;

    #[test]
    fn the_bernoulli_mle_maximises_the_log_likelihood_on_a_grid() {
        let x = array![1, 1, 1, 0, 1, 0, 1, 1, 1, 1]; // 8 ones of 10
        let theta_hat = bernoulli_mle(&x).unwrap();
        assert_eq!(theta_hat, 0.8);
        let best = (1..1000)
            .map(|i| i as f64 / 1000.0)
            .max_by(|a, b| {
                let la = bernoulli_log_likelihood(*a, &x).unwrap();
                let lb = bernoulli_log_likelihood(*b, &x).unwrap();
                la.total_cmp(&lb)
            })
            .unwrap();
        assert_close(best, 0.8, 1e-12);
    }

    #[test]
    fn a_theta_that_rules_out_the_data_has_minus_infinite_log_likelihood() {
        assert_eq!(
            bernoulli_log_likelihood(0.0, &array![1]).unwrap(),
            f64::NEG_INFINITY
        );
        assert_eq!(bernoulli_log_likelihood(1.0, &array![1, 1]).unwrap(), 0.0);
    }

    #[test]
    fn the_categorical_mle_is_the_frequency_table() {
        let x = array![0, 1, 1, 2, 2, 2];
        let p = categorical_mle(&x, 4).unwrap();
        assert_all_close(&p, &[1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0, 0.0], 1e-15);
        // Any other PMF scores lower.
        let ll_hat = categorical_log_likelihood(&p, &x).unwrap();
        let ll_other = categorical_log_likelihood(&Array1::from_elem(4, 0.25), &x).unwrap();
        assert!(ll_hat > ll_other);
    }

    #[test]
    fn the_gaussian_mle_divides_by_m_and_maximises_the_log_likelihood() {
        // numpy: x = [2, 4, 4, 4, 5, 5, 7, 9]; x.mean() = 5, x.var() = 4 (ddof = 0)
        let x = array![2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let (mu, var) = gaussian_mle(&x).unwrap();
        assert_eq!((mu, var), (5.0, 4.0));
        let ll = gaussian_log_likelihood(mu, var, &x).unwrap();
        // At the MLE the log-likelihood is −½ log(2π σ²) − ½.
        assert_close(
            ll,
            -0.5 * (2.0 * std::f64::consts::PI * 4.0).ln() - 0.5,
            1e-12,
        );
        for (dm, dv) in [(0.1, 0.0), (-0.1, 0.0), (0.0, 0.3), (0.0, -0.3)] {
            assert!(gaussian_log_likelihood(mu + dm, var + dv, &x).unwrap() < ll);
        }
    }

    #[test]
    fn bad_samples_are_rejected_with_their_index() {
        assert!(bernoulli_mle(&[]).is_err());
        let err = bernoulli_mle(&[0, 1, 2]).unwrap_err().to_string();
        assert!(err.contains("x[2]"), "{err}");
        assert!(categorical_mle(&[0, 3], 3).is_err());
        assert!(gaussian_mle(&[1.0, f64::NAN]).is_err());
        assert!(gaussian_log_likelihood(0.0, 0.0, &[1.0]).is_err());
        let empty = bernoulli_mle(&Array1::<u8>::zeros(0))
            .unwrap_err()
            .to_string();
        assert!(empty.contains("x: expected at least one value"), "{empty}");
    }

    #[test]
    fn arrays_views_vecs_and_slices_give_the_same_estimates() {
        // A column of a table is a view with a stride: no slice of it exists.
        let table = array![[9.0, 1.0], [9.0, 2.0], [9.0, 3.0]];
        let column = table.column(1);
        assert!(column.as_slice().is_none());
        let x = array![1.0, 2.0, 3.0];
        let v = vec![1.0, 2.0, 3.0];
        let want = gaussian_mle(&x).unwrap();
        assert_eq!(gaussian_mle(column).unwrap(), want);
        assert_eq!(gaussian_mle(&v).unwrap(), want);
        assert_eq!(gaussian_mle(&v[..]).unwrap(), want);
        assert_eq!(gaussian_mle(&[1.0, 2.0, 3.0]).unwrap(), want);
        let flips = vec![1_u8, 0, 1, 1, 0];
        assert_eq!(bernoulli_mle(&flips[..4]).unwrap(), 0.75); // a prefix of a Vec
        assert_eq!(bernoulli_mle(flips.as_slice()).unwrap(), 0.6);
    }
}
