// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 02, parameter counting: a joint distribution over variables with
//! k₁, …, k_n outcomes has Π k_i outcomes and Π k_i − 1 free parameters; independence
//! leaves Σ (k_i − 1); the Markov assumption p(x_i | x_{i−1}) on n binary pixels leaves
//! 2n − 1.
//!
//! Source: lecture notes 000 and 002 (one RGB pixel: 256³ − 1 parameters) and note 003
//! (2^784 ≈ 10^236 binary 28×28 images). Note 000 writes the count of independent binary
//! pixels next to "2ⁿ cases": the cases stay 2ⁿ, the parameters drop to n.

/// Exercise 2.1 — the number of free parameters of a full joint table over the variables.
///
/// `cardinalities[i]` is the number of outcomes k_i of variable i. "Free" means: the
/// entries you could choose independently, once the table must be a distribution. One
/// RGB pixel is `[256, 256, 256]`.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "Counting parameters".
pub fn joint_params(cardinalities: &[u64]) -> u64 {
    todo!(
        "exercise 2.1: implement `joint_params` — see notebooks/02-parameter-counting.ipynb, section Counting parameters"
    )
}

/// Exercise 2.2 — the number of free parameters when all the variables are independent.
///
/// `cardinalities[i]` is the number of outcomes k_i of variable i, as in exercise 2.1.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "Independence".
pub fn independent_params(cardinalities: &[u64]) -> u64 {
    todo!(
        "exercise 2.2: implement `independent_params` — see notebooks/02-parameter-counting.ipynb, section Independence"
    )
}

/// Exercise 2.3 — the number of free parameters of a first-order Markov chain over
/// `n ≥ 1` binary pixels, each pixel depending on the one before it.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "The Markov assumption".
pub fn markov_params_binary(n: u64) -> u64 {
    todo!(
        "exercise 2.3: implement `markov_params_binary` — see notebooks/02-parameter-counting.ipynb, section The Markov assumption"
    )
}

/// Exercise 2.4 — log₁₀ of the number of distinct binary images with `n_pixels` pixels.
/// The number itself overflows every integer type (and `f64`) long before 28×28 pixels:
/// compute its logarithm without forming it.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "How many images are there?".
pub fn log10_binary_images(n_pixels: u64) -> f64 {
    todo!(
        "exercise 2.4: implement `log10_binary_images` — see notebooks/02-parameter-counting.ipynb, section How many images are there?"
    )
}
