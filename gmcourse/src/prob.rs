//! Probability: distributions, joint tables, Bayes' rule, expectations, counting.
//!
//! A distribution over a finite set D is a PMF with `0 ≤ P(x) ≤ 1` and `Σ_x P(x) = 1`
//! (seed note \[000\], curriculum B2). This module is the trusted reference the lessons
//! and the grading tests compare against, so every function is short and validates its
//! input: an empty array, a NaN, a negative probability or a PMF that does not sum to one
//! (within `1e-9`) returns an [`Error`](crate::Error) that says what was expected.
//!
//! Tables, distributions and data sets are `ndarray` arrays: a joint table P(X, Y) is an
//! `Array2<f64>`, P(A, B, C) an `Array3<f64>`, a distribution or a sample an `Array1`.
//! Functions that read a distribution or a sample take `impl Into<ArrayView1<_>>`, so an
//! array, a view (a row or column of a table), a `&Vec`, a `&[_]` or a `&[_; N]` all work.
//!
//! | file | concept | curriculum |
//! |---|---|---|
//! | [`bernoulli`](mod@bernoulli) | `Bernoulli(p)`, one parameter | B1 |
//! | [`categorical`](mod@categorical) | `Categorical(p_1..p_m)`, m − 1 parameters | B1, B2 |
//! | [`joint`](mod@joint) | a table P(X, Y): marginals, conditionals, independence | B3, B6 |
//! | [`chain`](mod@chain) | a table P(A, B, C): the chain rule, conditional independence | B4, B6 |
//! | [`bayes`](mod@bayes) | Bayes' rule, single and over many hypotheses | B5, F6 |
//! | [`moments`](mod@moments) | E[f(x)], variance, covariance, exactly | B7 |
//! | [`monte_carlo`](mod@monte_carlo) | E[f(x)] estimated from samples, with a standard error | B7, H6 |
//! | [`logsumexp`](mod@logsumexp) | `log Σ exp(a_i)` without overflow or underflow | F5 |
//! | [`gaussian`](mod@gaussian) | `Normal(mu, sigma)` | D3, E5 |
//! | [`mixture`](mod@mixture) | a 1-D mixture of normals | D3, E5 |
//! | [`em`](mod@em) | a mixture fitted by expectation–maximisation; on arrays, with lesson 06's plumbing ([`em::lesson`]) | D3 |
//! | [`kde`](mod@kde) | the Gaussian kernel density estimate of samples, a mixture | H4 |
//! | [`discretize`](mod@discretize) | a density as a PMF over grid points | H2–H4 |
//! | [`mcmc`](mod@mcmc) | Metropolis–Hastings: accept with min(1, p(x')/p(x)); from given draws, with lesson 06's plumbing ([`mcmc::lesson`]) | H6 |
//! | [`counting`](mod@counting) | how many outcomes and how many parameters | C1–C6, Z5 |
//! | [`mle`](mod@mle) | Bernoulli, Categorical and Gaussian MLE in closed form, log-likelihoods | F2–F4, Z6 |
//! | [`ascent`](mod@ascent) | the same MLEs by gradient ascent on the log-likelihood | F4 |
//! | [`beta`](mod@beta) | the Beta prior, its posterior and the MAP estimate | F6 |
//! | [`pixel_models`](mod@pixel_models) | independent, Markov and FVSBN models of binary images | C3–C5, Z3 |
//!
//! ## Which library does what
//!
//! - [`statrs`] (0.18, without its `rand` feature) evaluates the normal density, log
//!   density and CDF ([`Normal::pdf`], [`Normal::log_pdf`], [`Normal::cdf`]).
//! - [`rand_distr`] (0.5) draws every sample: `rand_distr::Bernoulli`,
//!   `rand_distr::Normal` and `rand_distr::weighted::WeightedIndex` (categorical
//!   and mixture component choice).
//! - [`ndarray`] (0.17) holds the tables and samples; its `sum_axis` gives the marginals.
//! - Everything else (PMF tables, marginals, conditionals, Bayes, moments, log-sum-exp,
//!   counting) is written out here in plain Rust, because it is what the lessons teach.
//!
//! ```
//! use gmcourse::prob::JointTable;
//! let t = JointTable::dice_and_coin();
//! assert_eq!(t.conditional_y_given_x(2)?, ndarray::array![0.5, 0.5]); // P(y | x = 3) = 1/2
//! # Ok::<(), gmcourse::Error>(())
//! ```

pub mod ascent;
pub mod bayes;
pub mod bernoulli;
pub mod beta;
pub mod categorical;
pub mod chain;
pub mod counting;
pub mod discretize;
pub mod em;
pub mod gaussian;
pub mod joint;
pub mod kde;
pub mod logsumexp;
pub mod mcmc;
pub mod mixture;
pub mod mle;
pub mod moments;
pub mod monte_carlo;
pub mod pixel_models;

pub use bayes::{bayes, bayes_posterior};
pub use bernoulli::Bernoulli;
pub use beta::Beta;
pub use categorical::Categorical;
pub use chain::JointTable3;
pub use counting::Count;
pub use discretize::pmf_on_grid;
pub use em::{EmConfig, fit_em};
pub use gaussian::Normal;
pub use joint::JointTable;
pub use kde::kde;
pub use logsumexp::{log_mean_exp, log_sum_exp};
pub use mcmc::{Chain, McmcConfig, metropolis_hastings};
pub use mixture::Mixture;
pub use moments::{covariance, expectation, variance};
pub use monte_carlo::{Estimate, monte_carlo_expectation};
