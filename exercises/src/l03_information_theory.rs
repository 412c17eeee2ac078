// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 03, information theory in bits: self-information I(x) = −log₂ P(x), entropy
//! H(P) = −Σ P log₂ P, cross-entropy H(P, Q) = −Σ P log₂ Q and the KL divergence
//! D(P‖Q) = Σ P log₂(P / Q) = H(P, Q) − H(P).
//!
//! Source: lecture notes 001 and 003 (the coin with P(H) = 0.9). Note 003 rounds to
//! 0.467 bits; the exact entropy H(0.9) is 0.4690 bits. Convention: 0 · log 0 = 0.
//!
//! A distribution over outcomes 0..n is an `ndarray::Array1<f64>` with `p[x] = P(x)`,
//! taken by reference (`entropy_bits(&p)`); a joint distribution of two variables is an
//! `ndarray::Array2<f64>` with `joint[[x, y]] = P(x, y)` (rows x, columns y).

use ndarray::{Array1, Array2};
#[allow(unused_imports)]
use ndarray::{Axis, Zip};

/// Exercise 3.1 — the self-information ("surprise"), in bits, of an outcome of
/// probability `p` (0 < p ≤ 1).
///
/// Notebook: `notebooks/03-information-theory.ipynb`, section "Self-information".
pub fn self_information_bits(p: f64) -> f64 {
    todo!(
        "exercise 3.1: implement `self_information_bits` — see notebooks/03-information-theory.ipynb, section Self-information"
    )
}

/// Exercise 3.2 — the entropy H(P), in bits, of the distribution `p` (one probability
/// per outcome). Outcomes of probability 0 contribute nothing (0 · log 0 = 0).
///
/// Notebook: `notebooks/03-information-theory.ipynb`, section "Entropy".
pub fn entropy_bits(p: &Array1<f64>) -> f64 {
    todo!(
        "exercise 3.2: implement `entropy_bits` — see notebooks/03-information-theory.ipynb, section Entropy"
    )
}

/// Exercise 3.3 — the cross-entropy H(P, Q), in bits, of `q` relative to `p` (same
/// length). Outcomes with P(x) = 0 contribute nothing; a Q(x) = 0 where P(x) > 0 makes it
/// +∞.
///
/// Notebook: `notebooks/03-information-theory.ipynb`, section "Cross-entropy".
pub fn cross_entropy_bits(p: &Array1<f64>, q: &Array1<f64>) -> f64 {
    todo!(
        "exercise 3.3: implement `cross_entropy_bits` — see notebooks/03-information-theory.ipynb, section Cross-entropy"
    )
}

/// Exercise 3.4 — the KL divergence D(P‖Q), in bits (same length). Outcomes with
/// P(x) = 0 contribute nothing; a Q(x) = 0 where P(x) > 0 makes it +∞.
///
/// Notebook: `notebooks/03-information-theory.ipynb`, section "KL divergence".
pub fn kl_bits(p: &Array1<f64>, q: &Array1<f64>) -> f64 {
    todo!(
        "exercise 3.4: implement `kl_bits` — see notebooks/03-information-theory.ipynb, section KL divergence"
    )
}

/// Exercise 3.5 — the mutual information I(X; Y) in bits of two variables whose joint
/// distribution is the table `joint`, of shape (number of x values, number of y values):
/// `joint[[x, y]]` is P(x, y), rows x and columns y. It says how many bits, on average,
/// seeing Y tells about X; it is 0 exactly when X and Y are independent, and it does not
/// depend on which variable is the rows.
///
/// The notebook defines entropy, cross-entropy and the KL divergence, not this: express
/// it with what it defines. The table need not sum to 1: a table of counts is normalised
/// by its total first (entries ≥ 0, with a positive total), so it gives the mutual
/// information of its frequencies. Cells with P(x, y) = 0 contribute nothing
/// (0 · log 0 = 0).
///
/// Notebook: `notebooks/03-information-theory.ipynb`, section "KL divergence".
pub fn mutual_information_bits(joint: &Array2<f64>) -> f64 {
    todo!(
        "exercise 3.5: implement `mutual_information_bits` — see notebooks/03-information-theory.ipynb, section KL divergence"
    )
}
