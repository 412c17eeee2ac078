// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 10: you write the conditional GAN's conditioning and its matching-aware
//! discriminator loss on batched `candle_core::Tensor`s, and the notebook trains what you
//! wrote; then you measure how often the generator draws the digit it is asked for.
//!
//! Both networks see the label y as a one-hot vector concatenated to their input,
//! G: [z ‖ one_hot(y)] → x and D: [x ‖ one_hot(y)] → logit. The course gives the plumbing:
//! the two networks (`gmcourse::models::cgan::Nets`, a forward pass each on an input that
//! already carries the label), the noise, the batches, the optimisers and the loop
//! (`gmcourse::models::cgan::train_with`). A step of that loop:
//!
//! ```text
//! x_fake  = G(conditioned_input(z, one_hot(y_fake, k)))              your 10.1, 10.2
//! y_wrong = mismatched_labels(y_real, u, k)                          your 10.3
//! l_real  = D(conditioned_input(x_real, one_hot(y_real, k)))
//! l_wrong = D(conditioned_input(x_real, one_hot(y_wrong, k)))
//! l_fake  = D(conditioned_input(x_fake, one_hot(y_fake, k)))
//! d_loss  = discriminator_loss(l_real, l_wrong, l_fake, real_target) your 10.4
//! an Adam step on D, then one on G with lesson 09's non-saturating loss
//! ```
//!
//! Labels are u32 tensors `(n,)`, as candle's own losses take class indices; logits are
//! `(n, 1)` f32 tensors, `D(x, y) = σ(logit)`; a loss is a scalar (rank 0) tensor. A candle
//! error converts into `gmcourse::Error` with `?`.
//!
//! Sources: Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014 (§3.2);
//! Reed et al., "Generative Adversarial Text to Image Synthesis", 2016 (§4.1, the
//! matching-aware discriminator, GAN-CLS); lecture note 004.

use candle_core::Tensor;
use gmcourse::Result;
use gmcourse::models::cgan::Fns;

/// Exercise 10.1 — the one-hot rows of a batch of labels: `labels` is a u32 tensor `(n,)`
/// of classes in `0..n_classes`; the result is an f32 tensor `(n, n_classes)` whose row i
/// is 1 at column `labels[i]` and 0 elsewhere. Work on the tensor (no loop over rows).
///
/// # Errors
/// A label of `n_classes` or more (there is no such class): return
/// `gmcourse::Error::invalid(what, expected, got)`, e.g.
/// `gmcourse::Error::invalid("labels", format!("classes in 0..{n_classes}"), largest)`.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Conditioning on a label".
pub fn one_hot(labels: &Tensor, n_classes: usize) -> Result<Tensor> {
    todo!(
        "exercise 10.1: implement `one_hot` — see notebooks/10-conditional-gan.ipynb, section Conditioning on a label"
    )
}

/// Exercise 10.2 — a network's conditioned input: each row of `v` `(n, width)` (the noise
/// z for G, the data x for D) followed by the same row of `y_one_hot` `(n, k)`, an f32
/// tensor `(n, width + k)`. The course trains G through this function: gradients must
/// flow back through it to `v`.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Conditioning on a label".
pub fn conditioned_input(v: &Tensor, y_one_hot: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 10.2: implement `conditioned_input` — see notebooks/10-conditional-gan.ipynb, section Conditioning on a label"
    )
}

/// Exercise 10.3 — the wrong labels the matching-aware discriminator is shown real images
/// with: for each label in `labels` (u32 `(n,)`, classes `0..n_classes`, `n_classes ≥ 2`),
/// a label that is NOT that one, drawn uniformly among the `n_classes − 1` others, using
/// the row's number in `u` (f32 `(n,)`, uniform in `[0, 1)`) as the only randomness. A u32
/// tensor `(n,)`. The notebook does not say how: design the map from `u` to a class.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Training the cGAN".
pub fn mismatched_labels(labels: &Tensor, u: &Tensor, n_classes: usize) -> Result<Tensor> {
    todo!(
        "exercise 10.3: implement `mismatched_labels` — see notebooks/10-conditional-gan.ipynb, section Training the cGAN"
    )
}

/// Exercise 10.4 — the matching-aware discriminator's loss, to be minimised, from D's
/// logits `(n, 1)` on three kinds of pair: real images with their own labels (`l_real`,
/// target `real_target`: 1.0, or 0.9 with one-sided label smoothing), real images with a
/// wrong label (`l_wrong`, target 0) and generated images with the labels they were made
/// for (`l_fake`, target 0). Each kind's term is a mean over its batch (the batches may
/// differ in size); the two kinds of negative share the weight of one, half each, as in
/// GAN-CLS. A scalar tensor, finite (with the right gradients) even for logits of ±100.
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Training the cGAN".
pub fn discriminator_loss(
    l_real: &Tensor,
    l_wrong: &Tensor,
    l_fake: &Tensor,
    real_target: f64,
) -> Result<Tensor> {
    todo!(
        "exercise 10.4: implement `discriminator_loss` — see notebooks/10-conditional-gan.ipynb, section Training the cGAN"
    )
}

/// Exercise 10.5 — the label agreement of n ≥ 1 generated samples: the fraction whose most
/// probable class under a classifier equals the label they were generated for.
/// `class_probs` `(n, k)` holds the classifier's p(class | x_i) in row i (f32 or f64) and
/// `labels` (u32 `(n,)`) the labels. Ties go to the smallest class index. A number in
/// [0, 1].
///
/// Notebook: `notebooks/10-conditional-gan.ipynb`, section "Label agreement".
pub fn label_agreement(class_probs: &Tensor, labels: &Tensor) -> Result<f64> {
    todo!(
        "exercise 10.5: implement `label_agreement` — see notebooks/10-conditional-gan.ipynb, section Label agreement"
    )
}

/// The course's plumbing (not an exercise): your four training functions, for the loop.
pub fn cgan_fns() -> Fns {
    Fns {
        one_hot,
        conditioned_input,
        mismatched_labels,
        discriminator_loss,
    }
}

/// The course's plumbing (not an exercise), for the grader: trains fresh 2-D networks
/// (`CganConfig::toy_2d(n_classes)`, initialised from `seed`) for `steps` steps of the
/// course's loop with your functions, on batches of 128 rows of `data` `(n, 2)` and their
/// `labels` (u32 `(n,)`) at learning rate 1e-3, and returns the trained tensors by name.
pub fn train_for_test(
    data: &Tensor,
    labels: &Tensor,
    n_classes: usize,
    steps: usize,
    seed: u64,
) -> Result<Vec<(String, Tensor)>> {
    let cfg = gmcourse::models::CganConfig::toy_2d(n_classes);
    let (nets, varmap) = gmcourse::models::cgan::Nets::seeded(&cfg, seed)?;
    let tc = gmcourse::models::TrainConfig {
        steps,
        batch_size: 128,
        lr: 1e-3,
        seed,
        log_every: 0,
        progress: false,
        ..Default::default()
    };
    gmcourse::models::cgan::train_with(&cgan_fns(), &nets, &varmap, data, labels, &tc)?;
    gmcourse::models::train::named_tensors(&varmap)
}

/// The course's plumbing (not an exercise), for the grader: the gradient, by candle's
/// autograd, of the sum of your `conditioned_input(v, y_one_hot)` with respect to `v`
/// (`None` where none flows).
pub fn conditioned_input_grad(v: &Tensor, y_one_hot: &Tensor) -> Result<Option<Tensor>> {
    let v = candle_core::Var::from_tensor(v)?;
    let grads = conditioned_input(v.as_tensor(), y_one_hot)?
        .sum_all()?
        .backward()?;
    Ok(grads.get(v.as_tensor()).cloned())
}

/// The course's plumbing (not an exercise), for the grader: the gradients of your
/// `discriminator_loss` with respect to `l_real`, `l_wrong` and `l_fake`, by candle's
/// autograd.
pub fn discriminator_loss_grads(
    l_real: &Tensor,
    l_wrong: &Tensor,
    l_fake: &Tensor,
    real_target: f64,
) -> Result<(Tensor, Tensor, Tensor)> {
    let vars = [l_real, l_wrong, l_fake]
        .map(|l| candle_core::Var::from_tensor(l).map_err(gmcourse::Error::from));
    let [l_real, l_wrong, l_fake] = vars;
    let (l_real, l_wrong, l_fake) = (l_real?, l_wrong?, l_fake?);
    let loss = discriminator_loss(
        l_real.as_tensor(),
        l_wrong.as_tensor(),
        l_fake.as_tensor(),
        real_target,
    )?;
    let grads = loss.backward()?;
    let of = |v: &candle_core::Var| -> Result<Tensor> {
        Ok(match grads.get(v.as_tensor()) {
            Some(g) => g.clone(),
            None => v.as_tensor().zeros_like()?,
        })
    };
    Ok((of(&l_real)?, of(&l_wrong)?, of(&l_fake)?))
}
