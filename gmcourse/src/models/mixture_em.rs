//! A 1-D Gaussian mixture fitted by expectation–maximisation (Dempster, Laird & Rubin
//! 1977; Bishop, *PRML* §9.2), the continuous-data conditional of curriculum D3:
//!
//! ```text
//! p(x) = Σ_k π_k N(x; mu_k, σ_k²)
//! E step: r_nk = π_k N(x_n; mu_k, σ_k²) / Σ_j π_j N(x_n; mu_j, σ_j²)
//! M step: N_k = Σ_n r_nk,  π_k = N_k / N,  mu_k = Σ_n r_nk x_n / N_k,
//!         σ_k² = Σ_n r_nk (x_n - mu_k)² / N_k
//! ```
//!
//! Each iteration never lowers the log-likelihood; the history is returned to show it.

use rand::Rng;

use crate::{Error, Result};

/// A 1-D Gaussian mixture: weights `π`, means `mu`, standard deviations `σ`.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture1d {
    /// Mixing weights π_k (sum to one).
    pub weights: Vec<f64>,
    /// Component means mu_k.
    pub means: Vec<f64>,
    /// Component standard deviations σ_k.
    pub stds: Vec<f64>,
}

/// Options of [`fit_em`].
///
/// ```
/// assert_eq!(gmcourse::models::EmConfig::default().k, 2);
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

fn log_normal(x: f64, mu: f64, std: f64) -> f64 {
    let z = (x - mu) / std;
    -0.5 * z * z - std.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
}

impl GaussianMixture1d {
    /// A mixture after checking that the three vectors agree, weights sum to one and
    /// standard deviations are positive.
    ///
    /// ```
    /// let gm = gmcourse::models::GaussianMixture1d::new(vec![0.5, 0.5], vec![-1.0, 1.0], vec![1.0, 1.0])?;
    /// assert_eq!(gm.means.len(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(weights: Vec<f64>, means: Vec<f64>, stds: Vec<f64>) -> Result<Self> {
        if weights.is_empty() || weights.len() != means.len() || weights.len() != stds.len() {
            return Err(Error::shape(
                "GaussianMixture1d",
                "equal, non-zero numbers of weights, means and stds",
                format!("{}, {}, {}", weights.len(), means.len(), stds.len()),
            ));
        }
        let s: f64 = weights.iter().sum();
        if (s - 1.0).abs() > 1e-9 || weights.iter().any(|&w| w < 0.0) {
            return Err(Error::invalid(
                "weights",
                "non-negative and summing to 1",
                format!("{weights:?}"),
            ));
        }
        if stds.iter().any(|&s| s.is_nan() || s <= 0.0) {
            return Err(Error::invalid("stds", "all > 0", format!("{stds:?}")));
        }
        Ok(Self {
            weights,
            means,
            stds,
        })
    }

    /// `log p(x)` of one point.
    ///
    /// ```
    /// let gm = gmcourse::models::GaussianMixture1d::new(vec![1.0], vec![0.0], vec![1.0])?;
    /// gmcourse::testing::assert_close(gm.log_prob(0.0), -0.5 * (2.0 * std::f64::consts::PI).ln(), 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn log_prob(&self, x: f64) -> f64 {
        let terms: Vec<f64> = (0..self.weights.len())
            .map(|k| self.weights[k].ln() + log_normal(x, self.means[k], self.stds[k]))
            .collect();
        log_sum_exp(&terms)
    }

    /// The responsibilities `r_k = p(component k | x)` of one point.
    ///
    /// ```
    /// let gm = gmcourse::models::GaussianMixture1d::new(vec![0.5, 0.5], vec![-1.0, 1.0], vec![1.0, 1.0])?;
    /// let r = gm.responsibilities(0.0);
    /// gmcourse::testing::assert_all_close(&r, &[0.5, 0.5], 1e-12);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn responsibilities(&self, x: f64) -> Vec<f64> {
        let terms: Vec<f64> = (0..self.weights.len())
            .map(|k| self.weights[k].ln() + log_normal(x, self.means[k], self.stds[k]))
            .collect();
        let lse = log_sum_exp(&terms);
        terms.iter().map(|t| (t - lse).exp()).collect()
    }

    /// `n` draws from the mixture.
    ///
    /// ```
    /// let gm = gmcourse::models::GaussianMixture1d::new(vec![1.0], vec![5.0], vec![1e-9])?;
    /// let x = gm.sample(3, &mut gmcourse::models::train::rng(0));
    /// assert!((x[0] - 5.0).abs() < 1e-6);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, rng: &mut rand::rngs::StdRng) -> Vec<f64> {
        (0..n)
            .map(|_| {
                let u: f64 = rng.random();
                let mut acc = 0.0;
                let mut k = self.weights.len() - 1;
                for (j, w) in self.weights.iter().enumerate() {
                    acc += w;
                    if u < acc {
                        k = j;
                        break;
                    }
                }
                let eps: f64 = rng.sample(rand_distr::StandardNormal);
                self.means[k] + self.stds[k] * eps
            })
            .collect()
    }
}

/// Fits a `cfg.k`-component mixture to `x` by EM. Returns the mixture (components sorted
/// by mean) and the mean log-likelihood after each iteration.
///
/// ```
/// let x = [-2.1, -1.9, -2.0, 2.0, 2.1, 1.9];
/// let (gm, history) = gmcourse::models::mixture_em::fit_em(&x, &Default::default())?;
/// gmcourse::testing::assert_all_close(&gm.means, &[-2.0, 2.0], 1e-6);
/// assert!(history.windows(2).all(|w| w[1] >= w[0] - 1e-12));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fit_em(x: &[f64], cfg: &EmConfig) -> Result<(GaussianMixture1d, Vec<f64>)> {
    if cfg.k == 0 || x.len() < cfg.k {
        return Err(Error::invalid(
            "fit_em",
            format!("k >= 1 and at least k = {} points", cfg.k),
            format!("{} points", x.len()),
        ));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("x", "finite values", "NaN or infinity"));
    }
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let std = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
        .sqrt()
        .max(cfg.min_std);
    // initial means: k distinct random data points
    let mut rng = super::train::rng(cfg.seed);
    let mut idx: Vec<usize> = (0..x.len()).collect();
    for i in 0..cfg.k {
        let j = rng.random_range(i..idx.len());
        idx.swap(i, j);
    }
    let mut gm = GaussianMixture1d {
        weights: vec![1.0 / cfg.k as f64; cfg.k],
        means: idx[..cfg.k].iter().map(|&i| x[i]).collect(),
        stds: vec![std; cfg.k],
    };
    let mut history = Vec::new();
    let mut prev = f64::NEG_INFINITY;
    for _ in 0..cfg.max_iters {
        // E step
        let r: Vec<Vec<f64>> = x.iter().map(|&v| gm.responsibilities(v)).collect();
        // M step
        for k in 0..cfg.k {
            let nk: f64 = r.iter().map(|rn| rn[k]).sum::<f64>().max(1e-12);
            let mu = r.iter().zip(x).map(|(rn, v)| rn[k] * v).sum::<f64>() / nk;
            let var = r
                .iter()
                .zip(x)
                .map(|(rn, v)| rn[k] * (v - mu).powi(2))
                .sum::<f64>()
                / nk;
            gm.weights[k] = nk / n;
            gm.means[k] = mu;
            gm.stds[k] = var.sqrt().max(cfg.min_std);
        }
        let total: f64 = gm.weights.iter().sum();
        gm.weights.iter_mut().for_each(|w| *w /= total);
        let ll = x.iter().map(|&v| gm.log_prob(v)).sum::<f64>() / n;
        history.push(ll);
        if ll - prev < cfg.tol {
            break;
        }
        prev = ll;
    }
    let mut order: Vec<usize> = (0..cfg.k).collect();
    order.sort_by(|&a, &b| gm.means[a].total_cmp(&gm.means[b]));
    let sorted = GaussianMixture1d {
        weights: order.iter().map(|&k| gm.weights[k]).collect(),
        means: order.iter().map(|&k| gm.means[k]).collect(),
        stds: order.iter().map(|&k| gm.stds[k]).collect(),
    };
    Ok((sorted, history))
}
