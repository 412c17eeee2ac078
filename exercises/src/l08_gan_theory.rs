// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 08, GAN theory: the value function
//! V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))], the optimal discriminator
//! D*(x) = p_data(x) / (p_data(x) + p_g(x)), and the value at D*,
//! V(D*, G) = −log 4 + 2 · JSD(p_data ‖ p_g), whose minimum −log 4 is reached exactly
//! when p_g = p_data.
//!
//! Source: lecture notes 002 and 004; Goodfellow et al., "Generative Adversarial Nets",
//! 2014 (Proposition 1 and Theorem 1). Distributions here are PMFs over the same finite
//! set of outcomes; logarithms are natural (nats).

/// Exercise 8.1 — the Monte Carlo estimate of the GAN value V(D, G) from the
/// discriminator's outputs on a batch of real samples, `d_real`, and on a batch of
/// generated ones, `d_fake` (each in (0, 1); the batches may differ in size).
///
/// Notebook: `notebooks/08-gan-theory.ipynb`, section "The value function".
pub fn gan_value(d_real: &[f64], d_fake: &[f64]) -> f64 {
    todo!(
        "exercise 8.1: implement `gan_value` — see notebooks/08-gan-theory.ipynb, section The value function"
    )
}

/// Exercise 8.2 — the optimal discriminator D*(x) for a fixed generator, at a point x
/// where the data density is `p_data` and the generator's is `p_g`. Where both densities
/// are 0, return 1/2 (D* is arbitrary there).
///
/// Notebook: `notebooks/08-gan-theory.ipynb`, section "The optimal discriminator".
pub fn optimal_discriminator(p_data: f64, p_g: f64) -> f64 {
    todo!(
        "exercise 8.2: implement `optimal_discriminator` — see notebooks/08-gan-theory.ipynb, section The optimal discriminator"
    )
}

/// Exercise 8.3 — the Jensen–Shannon divergence JSD(P ‖ Q), in nats, of the PMFs `p` and
/// `q` (same length).
///
/// Outcomes of probability 0 contribute nothing. Unlike KL, the JSD is symmetric and
/// never infinite.
///
/// Notebook: `notebooks/08-gan-theory.ipynb`, section "The optimum: −log 4 and the JSD".
pub fn js_divergence(p: &[f64], q: &[f64]) -> f64 {
    todo!(
        "exercise 8.3: implement `js_divergence` — see notebooks/08-gan-theory.ipynb, section The optimum: −log 4 and the JSD"
    )
}

/// Exercise 8.4 — the exact value V(D*, G) of the game at the optimal discriminator, for
/// the PMFs `p_data` and `p_g` over the same outcomes (terms whose weight is 0 contribute
/// nothing). Compute it from the definition of V, not from the JSD: the notebook's
/// identity between the two is what the tests check.
///
/// Notebook: `notebooks/08-gan-theory.ipynb`, section "The optimum: −log 4 and the JSD".
pub fn value_at_optimal_discriminator(p_data: &[f64], p_g: &[f64]) -> f64 {
    todo!(
        "exercise 8.4: implement `value_at_optimal_discriminator` — see notebooks/08-gan-theory.ipynb, section The optimum: −log 4 and the JSD"
    )
}

/// Exercise 8.5 — the optimal discriminator D*(x) at one point x when D's loss weighs
/// its real term by `pi_real` = π and its fake term by 1 − π (for example, batches that
/// hold real and fake samples in the proportion π : 1 − π), given the densities
/// `p_data` = p_data(x) and `p_g` = p_g(x) (both ≥ 0) and π in [0, 1]. The notebook
/// derives D* for π = ½ only (exercise 8.2); derive the general case.
///
/// Where p_data(x) and p_g(x) are both 0, no sample reaches x and D* is arbitrary there:
/// return `pi_real`.
///
/// Notebook: `notebooks/08-gan-theory.ipynb`, section "The optimal discriminator".
pub fn optimal_discriminator_weighted(p_data: f64, p_g: f64, pi_real: f64) -> f64 {
    todo!(
        "exercise 8.5: implement `optimal_discriminator_weighted` — see notebooks/08-gan-theory.ipynb, section The optimal discriminator"
    )
}
