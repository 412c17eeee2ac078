//! Lesson 06: you write expectation–maximisation for a mixture of K Gaussians and a
//! Metropolis–Hastings chain on `ndarray` arrays, and the notebook runs what you wrote.
//!
//! A mixture of K 1-D Gaussians is three arrays of length K: the weights `pi` (each ≥ 0,
//! summing to 1), the means `mu` and the variances `var` (each > 0). The data are the N
//! points of an `Array1<f64>`. A chain's randomness comes in as arrays too, drawn by the
//! course from a seed: the same draws give the same chain, so yours can be compared with
//! the course's state by state. The course gives the plumbing (the data, where EM starts,
//! the loop that runs your steps, the draws, the figures); you give the mathematics.
//!
//! Only `std` and `ndarray` here (`gmcourse` holds the course's answers and is off
//! limits). Useful: `Array2::from_shape_fn`, `.rows()`, `.sum_axis(Axis(0))`, `.dot`,
//! `.mapv`, `.fold`, arithmetic between arrays of the same shape.
//!
//! Sources: Bishop, "Pattern Recognition and Machine Learning", §9.2; Dempster, Laird &
//! Rubin 1977; Metropolis et al. 1953; Hastings 1970; lecture note 004 (what MCMC is, and
//! why GANs avoid it).

// `Array2` and `Axis` are unused until you write the exercises that need them.
#[allow(unused_imports)]
use ndarray::{Array1, Array2, Axis};

/// Exercise 6.1 — the log-likelihood of the N points `x` under the mixture (`pi`, `mu`,
/// `var`, each of length K), in nats: one number for the whole data set. It must stay
/// finite for a point a thousand standard deviations from every component, where every
/// component's density is 0 in `f64`.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn log_likelihood(
    x: &Array1<f64>,
    pi: &Array1<f64>,
    mu: &Array1<f64>,
    var: &Array1<f64>,
) -> f64 {
    // BEGIN SOLUTION
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    // log π_k + log N(x_n; μ_k, σ_k²), (N, K)
    let log_joint = Array2::from_shape_fn((x.len(), pi.len()), |(n, k)| {
        pi[k].ln() - 0.5 * ((x[n] - mu[k]).powi(2) / var[k] + var[k].ln() + log_2pi)
    });
    // log Σ_k exp(a_k) = m + log Σ_k exp(a_k − m), m = max_k a_k
    log_joint
        .rows()
        .into_iter()
        .map(|row| {
            let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            m + row.mapv(|a| (a - m).exp()).sum().ln()
        })
        .sum()
    // END SOLUTION
}

/// Exercise 6.2 — the E step: the responsibilities `(N, K)`, entry (n, k) the posterior
/// probability that component k produced point n, for the mixture (`pi`, `mu`, `var`,
/// each of length K). Each row sums to 1. A point far from every component (where every
/// density is 0 in `f64`) must get its responsibilities, not NaN.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn responsibilities(
    x: &Array1<f64>,
    pi: &Array1<f64>,
    mu: &Array1<f64>,
    var: &Array1<f64>,
) -> Array2<f64> {
    // BEGIN SOLUTION
    let log_2pi = (2.0 * std::f64::consts::PI).ln();
    let mut r = Array2::from_shape_fn((x.len(), pi.len()), |(n, k)| {
        pi[k].ln() - 0.5 * ((x[n] - mu[k]).powi(2) / var[k] + var[k].ln() + log_2pi)
    });
    // a softmax over k per row, shifted by the row's maximum so that one term is e^0 = 1
    for mut row in r.rows_mut() {
        let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|a| (a - m).exp());
        let total = row.sum();
        row /= total;
    }
    r
    // END SOLUTION
}

/// Exercise 6.3 — the M step: the mixture `(pi, mu, var)`, each of length K, that
/// maximises the expected complete-data log-likelihood of the N points `x` given the
/// responsibilities `r` `(N, K)` of exercise 6.2. Every column of `r` has a positive sum.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Mixture of Gaussians and EM".
pub fn m_step(x: &Array1<f64>, r: &Array2<f64>) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
    // BEGIN SOLUTION
    let n_k = r.sum_axis(Axis(0)); // (K,): the points each component is responsible for
    let pi = &n_k / x.len() as f64;
    let mu = r.t().dot(x) / &n_k;
    let sq = Array2::from_shape_fn(r.dim(), |(n, k)| (x[n] - mu[k]).powi(2));
    let var = (r * &sq).sum_axis(Axis(0)) / &n_k;
    (pi, mu, var)
    // END SOLUTION
}

/// Exercise 6.4 — a random-walk Metropolis–Hastings chain on the target whose
/// log-density, up to a constant, is `log_p`. From `x0`, step t proposes
/// x' = x + `width` · `eps[t]` and moves there when `u[t]` is below the acceptance
/// probability; otherwise the chain stays where it is. `eps` (standard normal draws) and
/// `u` (uniform in [0, 1)) have one entry per step. Returns the state after each step
/// (`eps.len()` states, `x0` not included) and the fraction of proposals accepted.
///
/// It must work where the target's density underflows (`log_p` around −1000), and call
/// `log_p` once per step (plus once at `x0`): in practice `log_p` is the expensive part.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Metropolis–Hastings".
pub fn metropolis_hastings(
    log_p: &dyn Fn(f64) -> f64,
    x0: f64,
    width: f64,
    eps: &Array1<f64>,
    u: &Array1<f64>,
) -> (Array1<f64>, f64) {
    // BEGIN SOLUTION
    let (mut x, mut log_p_x) = (x0, log_p(x0));
    let mut accepted = 0usize;
    let chain: Array1<f64> = eps
        .iter()
        .zip(u)
        .map(|(&e, &u)| {
            let proposal = x + width * e;
            let log_p_proposal = log_p(proposal);
            // symmetric proposal: α = min(1, p(x')/p(x)), from the logs; u < 1 does the min
            if u < (log_p_proposal - log_p_x).exp() {
                (x, log_p_x) = (proposal, log_p_proposal);
                accepted += 1;
            }
            x
        })
        .collect();
    (chain, accepted as f64 / eps.len().max(1) as f64)
    // END SOLUTION
}

/// Exercise 6.5 — a proposal width whose chain (exercise 6.4, from `x0` on these draws)
/// accepts a fraction of its proposals between `low` and `high`. Search for it: do not
/// guess a formula for one target. Widths from 1e-4 to 1e4 cover every target the course
/// tests with, from a scale of 0.01 to one of 100.
///
/// Notebook: `notebooks/06-mixtures-and-mcmc.ipynb`, section "Metropolis–Hastings".
pub fn tune_proposal_width(
    log_p: &dyn Fn(f64) -> f64,
    x0: f64,
    eps: &Array1<f64>,
    u: &Array1<f64>,
    low: f64,
    high: f64,
) -> f64 {
    // BEGIN SOLUTION
    let rate = |width: f64| metropolis_hastings(log_p, x0, width, eps, u).1;
    // the acceptance rate falls as the width grows: bisect, on a log scale
    let (mut lo, mut hi) = (1e-4_f64, 1e4_f64);
    let mut width = 1.0;
    for _ in 0..60 {
        width = (lo * hi).sqrt();
        let a = rate(width);
        if a > high {
            lo = width;
        } else if a < low {
            hi = width;
        } else {
            break;
        }
    }
    width
    // END SOLUTION
}
