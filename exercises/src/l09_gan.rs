// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 09, GAN theory: the value function
//! V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))], the optimal discriminator
//! D*(x) = p_data(x) / (p_data(x) + p_g(x)), the optimum V = −log 4 at p_g = p_data, and
//! the two generator losses (minimax log(1 − D(G(z))) versus non-saturating −log D(G(z))).
//!
//! Source: lecture notes 002 and 004; Goodfellow et al., "Generative Adversarial Nets",
//! 2014 (Proposition 1, Theorem 1, and §3 on the non-saturating loss).

/// Which generator loss to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratorLoss {
    /// E[log(1 − D(G(z)))], minimised: the original minimax game.
    Minimax,
    /// −E[log D(G(z))], minimised: same fixed point, strong gradients early on.
    NonSaturating,
}

/// Exercise 9.1 — the optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)).
/// Where both densities are 0, return 1/2 (D* is arbitrary there).
///
/// Notebook: `notebooks/09-gan.ipynb`, section "The optimal discriminator".
pub fn optimal_discriminator(p_data: f64, p_g: f64) -> f64 {
    todo!(
        "exercise 9.1: implement `optimal_discriminator` — see notebooks/09-gan.ipynb, section The optimal discriminator"
    )
}

/// Exercise 9.2 — the Monte Carlo GAN value: mean of log D(x) over `d_real` plus mean of
/// log(1 − D(G(z))) over `d_fake` (both slices hold discriminator outputs in (0, 1)).
///
/// Notebook: `notebooks/09-gan.ipynb`, section "The value function".
pub fn gan_value(d_real: &[f64], d_fake: &[f64]) -> f64 {
    todo!(
        "exercise 9.2: implement `gan_value` — see notebooks/09-gan.ipynb, section The value function"
    )
}

/// Exercise 9.3 — the generator loss (to be minimised) on discriminator outputs
/// `d_fake` = D(G(z)): mean log(1 − D) for `Minimax`, −mean log D for `NonSaturating`.
///
/// Notebook: `notebooks/09-gan.ipynb`, section "Generator losses".
pub fn generator_loss(d_fake: &[f64], kind: GeneratorLoss) -> f64 {
    todo!(
        "exercise 9.3: implement `generator_loss` — see notebooks/09-gan.ipynb, section Generator losses"
    )
}

/// Exercise 9.4 — the derivative of one sample's generator loss with respect to the
/// discriminator's logit a, where D = σ(a): −σ(a) for `Minimax` and −(1 − σ(a)) for
/// `NonSaturating`. Early in training D(G(z)) ≈ 0 and the minimax gradient vanishes.
///
/// Notebook: `notebooks/09-gan.ipynb`, section "Why the minimax loss saturates".
pub fn generator_loss_grad_wrt_logit(a: f64, kind: GeneratorLoss) -> f64 {
    todo!(
        "exercise 9.4: implement `generator_loss_grad_wrt_logit` — see notebooks/09-gan.ipynb, section Why the minimax loss saturates"
    )
}
