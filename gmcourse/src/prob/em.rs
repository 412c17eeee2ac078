//! A 1-D mixture of normals fitted by expectation–maximisation (Dempster, Laird & Rubin
//! 1977; Bishop, *PRML* §9.2), the continuous-data conditional of curriculum D3:
//!
//! ```text
//! p(x) = Σ_k π_k N(x; mu_k, σ_k²)
//! E step: r_nk = π_k N(x_n; mu_k, σ_k²) / Σ_j π_j N(x_n; mu_j, σ_j²)
//! M step: N_k = Σ_n r_nk,  π_k = N_k / N,  mu_k = Σ_n r_nk x_n / N_k,
//!         σ_k² = Σ_n r_nk (x_n - mu_k)² / N_k
//! ```
//!
//! [`fit_em`] returns a [`Mixture`]. Its steps are the array functions below, the ones
//! lesson 06 has the student write. Each iteration never lowers the log-likelihood; the
//! history is returned to show it.
//!
//! Lesson 06 has the student write the same steps on `ndarray` arrays, a mixture being
//! its three arrays `(pi, mu, var)` of length K: [`log_likelihood`], [`responsibilities`]
//! and [`m_step`] here are the course's answers, which the lesson's plumbing
//! ([`lesson`]) puts in place of an unfinished exercise and the hidden tests compare with.

pub mod lesson;

pub use lesson::{Fitted, Fns, Params, Run, fit_yours, run_with};

use ndarray::{Array1, Array2, Axis};

use super::logsumexp::log_sum_exp_unchecked;
use super::{Mixture, Normal};
use crate::{Error, Result};

/// Options of [`fit_em`].
///
/// ```
/// assert_eq!(gmcourse::prob::EmConfig::default().k, 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EmConfig {
    /// Number of components.
    pub k: usize,
    /// Maximum number of EM iterations.
    pub max_iters: usize,
    /// Stop when the mean log-likelihood improves by less than this.
    pub tol: f64,
    /// Floor on σ_k, so that no component collapses onto one point.
    pub min_std: f64,
    /// Seed of the initial means (k distinct data points).
    pub seed: u64,
}

impl Default for EmConfig {
    fn default() -> Self {
        Self {
            k: 2,
            max_iters: 200,
            tol: 1e-8,
            min_std: 1e-3,
            seed: 0,
        }
    }
}

/// `Σ_k weights[k] N(means[k], stds[k]²)`.
fn mixture(weights: &[f64], means: &[f64], stds: &[f64]) -> Result<Mixture> {
    let components = means
        .iter()
        .zip(stds)
        .map(|(&mu, &sigma)| Normal::new(mu, sigma))
        .collect::<Result<Vec<_>>>()?;
    Mixture::new(weights, components)
}

/// Fits a `cfg.k`-component mixture to `x` by EM. Returns the mixture (components sorted
/// by mean) and the mean log-likelihood after each iteration.
///
/// # Errors
/// If `k == 0`, there are fewer than `k` points, or a point is not finite.
///
/// ```
/// let x = [-2.1, -1.9, -2.0, 2.0, 2.1, 1.9];
/// let (gm, history) = gmcourse::prob::fit_em(&x, &Default::default())?;
/// gmcourse::testing::assert_all_close(&gm.means(), &[-2.0, 2.0], 1e-6);
/// assert!(history.windows(2).all(|w| w[1] >= w[0] - 1e-12));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fit_em(x: &[f64], cfg: &EmConfig) -> Result<(Mixture, Vec<f64>)> {
    if cfg.k == 0 || x.len() < cfg.k {
        return Err(Error::invalid(
            "fit_em",
            format!("k >= 1 and at least k = {} points", cfg.k),
            format!("{} points", x.len()),
        ));
    }
    // lesson 06's start and steps: responsibilities, then the M step
    let min_var = cfg.min_std * cfg.min_std;
    let mut p = lesson::Params::start(x, cfg.k, cfg.seed)?;
    p.var.mapv_inplace(|v| v.max(min_var));
    let data = Array1::from(x.to_vec());
    let n = x.len() as f64;
    let mut history = Vec::new();
    let mut prev = f64::NEG_INFINITY;
    for _ in 0..cfg.max_iters {
        let r = responsibilities(&data, &p.pi, &p.mu, &p.var);
        let (pi, mu, var) = m_step(&data, &r);
        // A component no point is responsible for keeps its place and its width, at
        // weight 0, instead of 0 / 0.
        for k in 0..cfg.k {
            if pi[k] > 0.0 {
                p.mu[k] = mu[k];
                p.var[k] = var[k].max(min_var);
            }
        }
        p.pi = &pi / pi.sum();
        let ll = log_likelihood(&data, &p.pi, &p.mu, &p.var) / n;
        history.push(ll);
        if ll - prev < cfg.tol {
            break;
        }
        prev = ll;
    }
    let mut order: Vec<usize> = (0..cfg.k).collect();
    order.sort_by(|&a, &b| p.mu[a].total_cmp(&p.mu[b]));
    let pick = |v: &Array1<f64>| order.iter().map(|&k| v[k]).collect::<Vec<_>>();
    let stds: Vec<f64> = pick(&p.var).iter().map(|v| v.sqrt()).collect();
    Ok((mixture(&pick(&p.pi), &pick(&p.mu), &stds)?, history))
}

/// `log π_k + log N(x_n; mu_k, var_k)` `(N, K)`.
fn log_joint(
    x: &Array1<f64>,
    pi: &Array1<f64>,
    mu: &Array1<f64>,
    var: &Array1<f64>,
) -> Array2<f64> {
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    Array2::from_shape_fn((x.len(), pi.len()), |(n, k)| {
        pi[k].ln() - 0.5 * ((x[n] - mu[k]).powi(2) / var[k] + var[k].ln() + log_2pi)
    })
}

/// `Σ_n log Σ_k π_k N(x_n; mu_k, var_k)`, nats, by log-sum-exp over k: finite for a point
/// where every density underflows to 0. `pi`, `mu` and `var` have length K.
///
/// ```
/// use ndarray::array;
/// // one point 1000 standard deviations from both components
/// let ll = gmcourse::prob::em::log_likelihood(&array![1000.0], &array![0.5, 0.5], &array![-1.0, 1.0], &array![1.0, 1.0]);
/// assert!(ll.is_finite() && ll < -4.9e5);
/// ```
pub fn log_likelihood(
    x: &Array1<f64>,
    pi: &Array1<f64>,
    mu: &Array1<f64>,
    var: &Array1<f64>,
) -> f64 {
    log_joint(x, pi, mu, var)
        .rows()
        .into_iter()
        .map(|row| log_sum_exp_unchecked(&row.to_vec()))
        .sum()
}

/// The E step: `r_nk = π_k N(x_n; mu_k, var_k) / Σ_j π_j N(x_n; mu_j, var_j)` `(N, K)`,
/// by log-sum-exp over k, so a point far from every component goes to the nearest one
/// instead of 0/0.
///
/// ```
/// use ndarray::array;
/// let r = gmcourse::prob::em::responsibilities(&array![0.0, 1000.0], &array![0.5, 0.5], &array![-1.0, 1.0], &array![1.0, 1.0]);
/// gmcourse::testing::assert_all_close(&r.iter().copied().collect::<Vec<_>>(), &[0.5, 0.5, 0.0, 1.0], 1e-12);
/// ```
pub fn responsibilities(
    x: &Array1<f64>,
    pi: &Array1<f64>,
    mu: &Array1<f64>,
    var: &Array1<f64>,
) -> Array2<f64> {
    let mut r = log_joint(x, pi, mu, var);
    for mut row in r.rows_mut() {
        let log_p = log_sum_exp_unchecked(&row.to_vec());
        row.mapv_inplace(|t| (t - log_p).exp());
    }
    r
}

/// The M step from the responsibilities `r` `(N, K)` of the points `x`: with
/// `N_k = Σ_n r_nk`, `π_k = N_k / N`, `mu_k = Σ_n r_nk x_n / N_k` and
/// `var_k = Σ_n r_nk (x_n − mu_k)² / N_k` (the new means). Returns `(pi, mu, var)`.
///
/// ```
/// use ndarray::array;
/// let (pi, mu, var) = gmcourse::prob::em::m_step(&array![-2.0, -1.0, 1.0, 2.0], &array![[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]);
/// assert_eq!((pi, mu, var), (array![0.5, 0.5], array![-1.5, 1.5], array![0.25, 0.25]));
/// ```
pub fn m_step(x: &Array1<f64>, r: &Array2<f64>) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
    let n_k = r.sum_axis(Axis(0));
    let pi = &n_k / x.len() as f64;
    let mu = r.t().dot(x) / &n_k;
    let sq = Array2::from_shape_fn(r.dim(), |(n, k)| (x[n] - mu[k]).powi(2));
    let var = (r * &sq).sum_axis(Axis(0)) / &n_k;
    (pi, mu, var)
}
