// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 10, the conditional GAN: both networks see the label y as a one-hot vector
//! concatenated to their input, G: [z ‖ one_hot(y)] → x and D: [x ‖ one_hot(y)] → logit,
//! in the game min_G max_D E_{x,y}[log D(x, y)] + E_{z,y}[log(1 − D(G(z, y), y))].
//! A trained cGAN draws the digit it is asked for; a classifier measures how often it
//! does, the label agreement (1/N) Σ_n [argmax_k p(k | x_n) = y_n].
//!
//! Source: Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014 (§3.2);
//! lecture note 004. Errors use the course's one error type, `gmcourse::Error`.

use gmcourse::Result;

/// Exercise 10.1 — the one-hot encoding of label `y` among `n_classes` classes: a vector
/// of `n_classes` zeros with a 1 at index `y`. `one_hot(2, 4)` is `[0, 0, 1, 0]`.
///
/// # Errors
/// If `y >= n_classes` (there is no such class; this includes `n_classes == 0`), return
/// `gmcourse::Error::invalid(what, expected, got)`, e.g.
/// `gmcourse::Error::invalid("label y", format!("a class in 0..{n_classes}"), y)`.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Conditioning on a label".
pub fn one_hot(y: usize, n_classes: usize) -> Result<Vec<f64>> {
    todo!(
        "exercise 10.1: implement `one_hot` — see notebooks/10-conditional-gan.ipynb, section Conditioning on a label"
    )
}

/// Exercise 10.2 — the generator's input [z ‖ one_hot(y)]: the noise `z` followed by the
/// one-hot label, `z.len() + n_classes` numbers. `conditioned_input(&[0.5, -1.0], 1, 3)`
/// is `[0.5, -1.0, 0, 1, 0]`.
///
/// # Errors
/// As [`one_hot`], for a label outside `0..n_classes`.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Conditioning on a label".
pub fn conditioned_input(z: &[f64], y: usize, n_classes: usize) -> Result<Vec<f64>> {
    todo!(
        "exercise 10.2: implement `conditioned_input` — see notebooks/10-conditional-gan.ipynb, section Conditioning on a label"
    )
}

/// Exercise 10.3 — the label agreement of N ≥ 1 generated samples: the fraction of
/// samples whose most probable class under a classifier equals the label they were
/// generated for. `class_probs[n]` is the classifier's p(k | x_n) over the classes and
/// `labels[n]` the label y_n that conditioned the generator. Ties go to the smallest
/// class index (like NumPy's `argmax`). The result lies in [0, 1].
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Label agreement".
pub fn label_agreement(class_probs: &[Vec<f64>], labels: &[usize]) -> f64 {
    todo!(
        "exercise 10.3: implement `label_agreement` — see notebooks/10-conditional-gan.ipynb, section Label agreement"
    )
}
