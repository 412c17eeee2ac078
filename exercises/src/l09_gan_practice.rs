// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 09, GAN practice: the two generator losses (minimax log(1 − D(G(z))) versus
//! non-saturating −log D(G(z))) and why the first one stalls early in training, then
//! evaluation: the Inception (here: MNIST) score
//! IS = exp(E_x[KL(p(y|x) ‖ p(y))]) from a classifier's class probabilities, and the
//! Fréchet distance between Gaussians
//! FID = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).
//!
//! Sources: lecture notes 002 and 004; Goodfellow et al., "Generative Adversarial Nets",
//! 2014 (§3 on the non-saturating loss); Salimans et al. 2016 (IS); Heusel et al. 2017
//! (FID). For 2 × 2 matrices, Tr √M = √(Tr M + 2 √det M) for M with non-negative
//! eigenvalues, and Σ₁^{1/2} Σ₂ Σ₁^{1/2} has the eigenvalues of Σ₁ Σ₂.

/// Which generator loss to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratorLoss {
    /// E[log(1 − D(G(z)))], minimised: the original minimax game.
    Minimax,
    /// −E[log D(G(z))], minimised: same fixed point, strong gradients early on.
    NonSaturating,
}

/// Exercise 9.1 — the generator loss (to be minimised) on discriminator outputs
/// `d_fake` = D(G(z)): mean log(1 − D) for `Minimax`, −mean log D for `NonSaturating`.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "Generator losses: minimax vs non-saturating".
pub fn generator_loss(d_fake: &[f64], kind: GeneratorLoss) -> f64 {
    todo!(
        "exercise 9.1: implement `generator_loss` — see notebooks/09-gan-practice.ipynb, section Generator losses: minimax vs non-saturating"
    )
}

/// Exercise 9.2 — the derivative of one sample's generator loss with respect to the
/// discriminator's logit a, where D = σ(a): −σ(a) for `Minimax` and −(1 − σ(a)) for
/// `NonSaturating`. Early in training D(G(z)) ≈ 0 and the minimax gradient vanishes.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "Generator losses: minimax vs non-saturating".
pub fn generator_loss_grad_wrt_logit(a: f64, kind: GeneratorLoss) -> f64 {
    todo!(
        "exercise 9.2: implement `generator_loss_grad_wrt_logit` — see notebooks/09-gan-practice.ipynb, section Generator losses: minimax vs non-saturating"
    )
}

/// Exercise 9.3 — the Inception/MNIST score of N samples: `class_probs[n]` is the
/// classifier's p(y | x_n). Compute the marginal p(y) = mean over n, then
/// exp(mean_n KL(p(y | x_n) ‖ p(y))) in nats. It lies between 1 and the number of classes.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "The MNIST score".
pub fn inception_score(class_probs: &[Vec<f64>]) -> f64 {
    todo!(
        "exercise 9.3: implement `inception_score` — see notebooks/09-gan-practice.ipynb, section The MNIST score"
    )
}

/// Exercise 9.4 — FID between two Gaussians with diagonal covariances:
/// Σ_j (mu1_j − mu2_j)² + Σ_j (var1_j + var2_j − 2 √(var1_j var2_j)).
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "FID between Gaussians".
pub fn fid_diagonal(mu1: &[f64], var1: &[f64], mu2: &[f64], var2: &[f64]) -> f64 {
    todo!(
        "exercise 9.4: implement `fid_diagonal` — see notebooks/09-gan-practice.ipynb, section FID between Gaussians"
    )
}

/// Exercise 9.5 — FID between two 2-D Gaussians with full covariances `s1`, `s2`
/// (symmetric positive definite, row-major): use Tr((Σ₁Σ₂)^{1/2}) = √(Tr(Σ₁Σ₂) + 2 √det(Σ₁Σ₂)).
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "FID between Gaussians".
pub fn fid_2d(mu1: [f64; 2], s1: [[f64; 2]; 2], mu2: [f64; 2], s2: [[f64; 2]; 2]) -> f64 {
    todo!(
        "exercise 9.5: implement `fid_2d` — see notebooks/09-gan-practice.ipynb, section FID between Gaussians"
    )
}
