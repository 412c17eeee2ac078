//! Lesson 02, parameter counting: a joint distribution over variables with
//! k₁, …, k_n outcomes has Π k_i outcomes and Π k_i − 1 free parameters; independence
//! leaves Σ (k_i − 1); the Markov assumption p(x_i | x_{i−1}) on n binary pixels leaves
//! 2n − 1.
//!
//! Source: lecture notes 000 and 002 (one RGB pixel: 256³ − 1 parameters) and note 003
//! (2^784 ≈ 10^236 binary 28×28 images). Note 000 writes the count of independent binary
//! pixels next to "2ⁿ cases": the cases stay 2ⁿ, the parameters drop to n.

/// Exercise 2.1 — free parameters of a full joint table: Π k_i − 1.
///
/// `cardinalities[i]` is the number of outcomes k_i of variable i. One RGB pixel
/// (`[256, 256, 256]`) needs 256³ − 1 = 16 777 215 parameters.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "Counting parameters".
pub fn joint_params(cardinalities: &[u64]) -> u64 {
    // BEGIN SOLUTION
    cardinalities.iter().product::<u64>() - 1
    // END SOLUTION
}

/// Exercise 2.2 — free parameters when all variables are independent: Σ (k_i − 1).
///
/// n independent binary pixels need n parameters (not 2ⁿ).
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "Independence".
pub fn independent_params(cardinalities: &[u64]) -> u64 {
    // BEGIN SOLUTION
    cardinalities.iter().map(|k| k - 1).sum()
    // END SOLUTION
}

/// Exercise 2.3 — free parameters of a Markov chain p(x₁) Π p(x_i | x_{i−1}) over
/// `n ≥ 1` binary pixels: 1 for p(x₁), then 2 for each of the n − 1 conditionals.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "The Markov assumption".
pub fn markov_params_binary(n: u64) -> u64 {
    // BEGIN SOLUTION
    2 * n - 1
    // END SOLUTION
}

/// Exercise 2.4 — log₁₀ of the number of binary images with `n_pixels` pixels,
/// log₁₀ 2ⁿ = n log₁₀ 2. The number itself overflows every integer type for 28×28
/// images; its logarithm is about 236.
///
/// Notebook: `notebooks/02-parameter-counting.ipynb`, section "How many images are there?".
pub fn log10_binary_images(n_pixels: u64) -> f64 {
    // BEGIN SOLUTION
    n_pixels as f64 * 2f64.log10()
    // END SOLUTION
}
