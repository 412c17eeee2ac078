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
    // BEGIN SOLUTION
    let n = d_fake.len() as f64;
    match kind {
        GeneratorLoss::Minimax => d_fake.iter().map(|d| (1.0 - d).ln()).sum::<f64>() / n,
        GeneratorLoss::NonSaturating => -d_fake.iter().map(|d| d.ln()).sum::<f64>() / n,
    }
    // END SOLUTION
}

/// Exercise 9.2 — the derivative of one sample's generator loss with respect to the
/// discriminator's logit a, where D = σ(a): −σ(a) for `Minimax` and −(1 − σ(a)) for
/// `NonSaturating`. Early in training D(G(z)) ≈ 0 and the minimax gradient vanishes.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "Generator losses: minimax vs non-saturating".
pub fn generator_loss_grad_wrt_logit(a: f64, kind: GeneratorLoss) -> f64 {
    // BEGIN SOLUTION
    let d = 1.0 / (1.0 + (-a).exp());
    match kind {
        GeneratorLoss::Minimax => -d,
        GeneratorLoss::NonSaturating => -(1.0 - d),
    }
    // END SOLUTION
}

/// Exercise 9.3 — the Inception/MNIST score of N samples: `class_probs[n]` is the
/// classifier's p(y | x_n). Compute the marginal p(y) = mean over n, then
/// exp(mean_n KL(p(y | x_n) ‖ p(y))) in nats. It lies between 1 and the number of classes.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "The MNIST score".
pub fn inception_score(class_probs: &[Vec<f64>]) -> f64 {
    // BEGIN SOLUTION
    let n = class_probs.len() as f64;
    let k = class_probs[0].len();
    let p_y: Vec<f64> = (0..k)
        .map(|j| class_probs.iter().map(|p| p[j]).sum::<f64>() / n)
        .collect();
    let mean_kl = class_probs
        .iter()
        .map(|p| {
            p.iter()
                .zip(&p_y)
                .filter(|(pj, _)| **pj > 0.0)
                .map(|(pj, qj)| pj * (pj / qj).ln())
                .sum::<f64>()
        })
        .sum::<f64>()
        / n;
    mean_kl.exp()
    // END SOLUTION
}

/// Exercise 9.4 — FID between two Gaussians with diagonal covariances:
/// Σ_j (mu1_j − mu2_j)² + Σ_j (var1_j + var2_j − 2 √(var1_j var2_j)).
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "FID between Gaussians".
pub fn fid_diagonal(mu1: &[f64], var1: &[f64], mu2: &[f64], var2: &[f64]) -> f64 {
    // BEGIN SOLUTION
    let mean_term: f64 = mu1.iter().zip(mu2).map(|(a, b)| (a - b).powi(2)).sum();
    let cov_term: f64 = var1
        .iter()
        .zip(var2)
        .map(|(a, b)| a + b - 2.0 * (a * b).sqrt())
        .sum();
    mean_term + cov_term
    // END SOLUTION
}

/// Exercise 9.5 — FID between two 2-D Gaussians with full covariances `s1`, `s2`
/// (symmetric positive definite, row-major): use Tr((Σ₁Σ₂)^{1/2}) = √(Tr(Σ₁Σ₂) + 2 √det(Σ₁Σ₂)).
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "FID between Gaussians".
pub fn fid_2d(mu1: [f64; 2], s1: [[f64; 2]; 2], mu2: [f64; 2], s2: [[f64; 2]; 2]) -> f64 {
    // BEGIN SOLUTION
    let mean_term = (mu1[0] - mu2[0]).powi(2) + (mu1[1] - mu2[1]).powi(2);
    let tr_prod =
        s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
    let det = |m: [[f64; 2]; 2]| m[0][0] * m[1][1] - m[0][1] * m[1][0];
    let tr_sqrt = (tr_prod + 2.0 * (det(s1) * det(s2)).sqrt()).sqrt();
    mean_term + s1[0][0] + s1[1][1] + s2[0][0] + s2[1][1] - 2.0 * tr_sqrt
    // END SOLUTION
}
