// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 10, evaluating generative models: the Inception (here: MNIST) score
//! IS = exp(E_x[KL(p(y|x) ‖ p(y))]) from a classifier's class probabilities, and the
//! Fréchet distance between Gaussians
//! FID = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
//!
//! Source: lecture note 004 (evaluation is subjective, hence the Inception Score);
//! Salimans et al. 2016 (IS); Heusel et al. 2017 (FID). For 2 × 2 matrices,
//! Tr √M = √(Tr M + 2 √det M) for M with non-negative eigenvalues, and
//! Σ₁^{1/2} Σ₂ Σ₁^{1/2} has the eigenvalues of Σ₁ Σ₂.

/// Exercise 10.1 — the Inception/MNIST score of N samples: `class_probs[n]` is the
/// classifier's p(y | x_n). Compute the marginal p(y) = mean over n, then
/// exp(mean_n KL(p(y | x_n) ‖ p(y))) in nats. It lies between 1 and the number of classes.
///
/// Notebook: `notebooks/10-evaluation.ipynb`, section "The Inception score".
pub fn inception_score(class_probs: &[Vec<f64>]) -> f64 {
    todo!(
        "exercise 10.1: implement `inception_score` — see notebooks/10-evaluation.ipynb, section The Inception score"
    )
}

/// Exercise 10.2 — FID between two Gaussians with diagonal covariances:
/// Σ_j (mu1_j − mu2_j)² + Σ_j (var1_j + var2_j − 2 √(var1_j var2_j)).
///
/// Notebook: `notebooks/10-evaluation.ipynb`, section "Fréchet distance".
pub fn fid_diagonal(mu1: &[f64], var1: &[f64], mu2: &[f64], var2: &[f64]) -> f64 {
    todo!(
        "exercise 10.2: implement `fid_diagonal` — see notebooks/10-evaluation.ipynb, section Fréchet distance"
    )
}

/// Exercise 10.3 — FID between two 2-D Gaussians with full covariances `s1`, `s2`
/// (symmetric positive definite, row-major): use Tr((Σ₁Σ₂)^{1/2}) = √(Tr(Σ₁Σ₂) + 2 √det(Σ₁Σ₂)).
///
/// Notebook: `notebooks/10-evaluation.ipynb`, section "Fréchet distance with full covariances".
pub fn fid_2d(mu1: [f64; 2], s1: [[f64; 2]; 2], mu2: [f64; 2], s2: [[f64; 2]; 2]) -> f64 {
    todo!(
        "exercise 10.3: implement `fid_2d` — see notebooks/10-evaluation.ipynb, section Fréchet distance with full covariances"
    )
}
