// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 09: you write the GAN's training mathematics on batched `candle_core::Tensor`s
//! of logits, and the notebook trains what you wrote; then two scores for a model without
//! a likelihood.
//!
//! The course gives the plumbing: the two networks (`Nets`, built and seeded by the
//! course, with `generate`, `discriminate` and `frozen`), the noise, the batches, the
//! optimiser and the loop (`gmcourse::models::gan::train_with`). A step of that loop is
//! Algorithm 1 of the GAN paper:
//!
//! ```text
//! (l_real, l_fake_d, _) = step_logits(nets, x_real, z)          your 9.3
//! d_loss = discriminator_loss(l_real, l_fake_d, real_target)    your 9.1
//! an AdamW step on d_loss over EVERY weight of G and D
//! (_, _, l_fake_g) = step_logits(nets, x_real, z')              fresh z', the new D
//! g_loss = generator_loss(l_fake_g, kind)                       your 9.2
//! an AdamW step on g_loss over EVERY weight of G and D
//! ```
//!
//! Logits are `(batch, 1)` f32 tensors, `D(x) = σ(logit)`; the losses are scalar (rank 0)
//! tensors. A candle error converts into `gmcourse::Error` with `?`.
//!
//! Sources: lecture notes 002 and 004; Goodfellow et al., "Generative Adversarial Nets",
//! 2014 (Algorithm 1; §3 on the non-saturating loss); Salimans et al., "Improved
//! Techniques for Training GANs", 2016 (label smoothing, IS); Heusel et al. 2017 (FID).

use candle_core::Tensor;
use gmcourse::Result;
use gmcourse::models::GeneratorLoss;
use gmcourse::models::gan::{Fns, Nets};

/// Exercise 9.1 — the discriminator's loss, to be minimised: the value function's
/// estimate on a batch of real logits `l_real` and a batch of fake logits `l_fake` (each
/// `(batch, 1)`), written as a loss for D, each batch's term a mean over that batch. D's
/// target for real data is `real_target`: 1.0 is the plain game, 0.9 is one-sided label
/// smoothing (the fakes' target stays 0). A scalar tensor, finite (with the right
/// gradients) even for logits of ±100.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "A GAN on MNIST".
pub fn discriminator_loss(l_real: &Tensor, l_fake: &Tensor, real_target: f64) -> Result<Tensor> {
    todo!(
        "exercise 9.1: implement `discriminator_loss` — see notebooks/09-gan-practice.ipynb, section A GAN on MNIST"
    )
}

/// Exercise 9.2 — the generator's loss, to be minimised, from the discriminator's logits
/// on fakes `l_fake` `(batch, 1)`, a mean over the batch: `Minimax` is the value
/// function's own term for G; `NonSaturating` is the paper's practical replacement
/// (section 3 of the notebook). A scalar tensor, finite (with the right gradients) even
/// for logits of ±100.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "Generator losses: minimax vs non-saturating".
pub fn generator_loss(l_fake: &Tensor, kind: GeneratorLoss) -> Result<Tensor> {
    todo!(
        "exercise 9.2: implement `generator_loss` — see notebooks/09-gan-practice.ipynb, section Generator losses: minimax vs non-saturating"
    )
}

/// Exercise 9.3 — the forward pass of one training step: the discriminator's logits
/// `(l_real, l_fake_d, l_fake_g)`, each `(batch, 1)`, on the real batch `x_real`
/// `(batch, data_dim)` and on the fakes `G(z)` (`z` `(batch, latent)`): `l_fake_d` for
/// D's loss and `l_fake_g` for G's loss. The course's loop steps on D's loss, then on
/// G's loss, each time with an optimiser that holds EVERY weight of both networks (as
/// `AdamW::new(varmap.all_vars())` would) and moves whatever the loss reaches: wire the
/// logits so that D's step moves D only and G's step moves G only. Use `nets.generate`,
/// `nets.discriminate` and what else `Nets` offers.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "A GAN on MNIST".
pub fn step_logits(nets: &Nets, x_real: &Tensor, z: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
    todo!(
        "exercise 9.3: implement `step_logits` — see notebooks/09-gan-practice.ipynb, section A GAN on MNIST"
    )
}

/// Exercise 9.4 — the optimal discriminator D*(x), element by element, when D's target is
/// `real_target` on real data and `fake_target` on fakes (smoothing both sides), given the
/// densities `p_data` and `p_g` at the same points (tensors of one shape, f64, positive).
/// The notebook gives D* for the plain game and for one-sided smoothing only: derive the
/// general case from D's loss at one point x.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "The oscillation of the losses".
pub fn optimal_discriminator_smoothed(
    p_data: &Tensor,
    p_g: &Tensor,
    real_target: f64,
    fake_target: f64,
) -> Result<Tensor> {
    todo!(
        "exercise 9.4: implement `optimal_discriminator_smoothed` — see notebooks/09-gan-practice.ipynb, section The oscillation of the losses"
    )
}

/// Exercise 9.5 — the Inception score (here, the MNIST score) of N samples:
/// `class_probs[n]` is the classifier's p(y | x_n), one row per sample. Logarithms in nats.
/// It lies between 1 and the number of classes.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "The MNIST score".
pub fn inception_score(class_probs: &[Vec<f64>]) -> f64 {
    todo!(
        "exercise 9.5: implement `inception_score` — see notebooks/09-gan-practice.ipynb, section The MNIST score"
    )
}

/// Exercise 9.6 — the FID between two 2-D Gaussians N(`mu1`, `s1`) and N(`mu2`, `s2`),
/// with full covariances (symmetric positive definite, row-major). Its matrix square
/// root has a closed form in 2-D: no eigen-decomposition needed.
///
/// Notebook: `notebooks/09-gan-practice.ipynb`, section "FID between Gaussians".
pub fn fid_2d(mu1: [f64; 2], s1: [[f64; 2]; 2], mu2: [f64; 2], s2: [[f64; 2]; 2]) -> f64 {
    todo!(
        "exercise 9.6: implement `fid_2d` — see notebooks/09-gan-practice.ipynb, section FID between Gaussians"
    )
}

/// The course's plumbing (not an exercise): your three functions, for the training loop.
pub fn gan_fns() -> Fns {
    Fns {
        discriminator_loss,
        generator_loss,
        step_logits,
    }
}

/// The course's plumbing (not an exercise), for the grader: trains fresh 2-D networks
/// (`GanConfig::toy_2d` with `hidden` units in each of the two hidden layers of G and D,
/// initialised from `seed`) for `steps` steps of the course's loop with your functions, on
/// batches of 128 rows of `data` `(n, 2)` at learning rate 2e-3, and returns the trained
/// tensors by name.
pub fn train_for_test(
    data: &Tensor,
    hidden: usize,
    steps: usize,
    seed: u64,
) -> Result<Vec<(String, Tensor)>> {
    let cfg = gmcourse::models::GanConfig {
        g_hidden: vec![hidden, hidden],
        d_hidden: vec![hidden, hidden],
        ..gmcourse::models::GanConfig::toy_2d()
    };
    let (nets, varmap) = Nets::seeded(&cfg, seed)?;
    let tc = gmcourse::models::TrainConfig {
        steps,
        batch_size: 128,
        lr: 2e-3,
        seed,
        log_every: 0,
        progress: false,
        ..Default::default()
    };
    gmcourse::models::gan::train_with(
        &gan_fns(),
        &nets,
        &varmap,
        |rng, n| gmcourse::models::train::random_batch(data, n, rng),
        &tc,
    )?;
    gmcourse::models::train::named_tensors(&varmap)
}

/// The course's plumbing (not an exercise), for the grader: the gradients, by candle's
/// autograd, of the sum of D's side of your `step_logits` (`l_real` and `l_fake_d`) and
/// of G's side (`l_fake_g`), with respect to every tensor of `nets` in the order of
/// `nets.tensors()` (`None` where none flows).
pub fn step_grads(
    nets: &Nets,
    x_real: &Tensor,
    z: &Tensor,
) -> Result<(Vec<Option<Tensor>>, Vec<Option<Tensor>>)> {
    let (l_real, l_fake_d, l_fake_g) = step_logits(nets, x_real, z)?;
    let d_side = (l_real.sum_all()? + l_fake_d.sum_all()?)?.backward()?;
    let g_side = l_fake_g.sum_all()?.backward()?;
    let of = |grads: &candle_core::backprop::GradStore| -> Vec<Option<Tensor>> {
        nets.tensors()
            .iter()
            .map(|(_, t)| grads.get(t).cloned())
            .collect()
    };
    Ok((of(&d_side), of(&g_side)))
}

/// The course's plumbing (not an exercise), for the grader: one step of the course's
/// optimiser (one AdamW over every weight of both networks, learning rate `lr`) on D's
/// side of your `step_logits` alone (`mean l_fake_d − mean l_real`), and, from the same
/// start, one on G's side alone (`−mean l_fake_g`): the networks after each.
pub fn one_sided_updates(
    nets: &Nets,
    x_real: &Tensor,
    z: &Tensor,
    lr: f64,
) -> Result<(Nets, Nets)> {
    let mut after = Vec::new();
    for side in 0..2 {
        let (nets, varmap) = Nets::from_tensors(nets.config(), nets.tensors())?;
        let mut opt = gmcourse::models::gan::optimizer(&varmap, nets.config(), lr)?;
        let (l_real, l_fake_d, l_fake_g) = step_logits(&nets, x_real, z)?;
        let loss = if side == 0 {
            (l_fake_d.mean_all()? - l_real.mean_all()?)?
        } else {
            l_fake_g.mean_all()?.neg()?
        };
        opt.backward_step(&loss)?;
        after.push(nets);
    }
    let g_side = after.pop().expect("two updates");
    let d_side = after.pop().expect("two updates");
    Ok((d_side, g_side))
}

/// The course's plumbing (not an exercise), for the grader: the gradients of your
/// `discriminator_loss` with respect to `l_real` and `l_fake`, by candle's autograd.
pub fn discriminator_loss_grads(
    l_real: &Tensor,
    l_fake: &Tensor,
    real_target: f64,
) -> Result<(Tensor, Tensor)> {
    let l_real = candle_core::Var::from_tensor(l_real)?;
    let l_fake = candle_core::Var::from_tensor(l_fake)?;
    let loss = discriminator_loss(l_real.as_tensor(), l_fake.as_tensor(), real_target)?;
    let grads = loss.backward()?;
    let of = |v: &candle_core::Var| -> Result<Tensor> {
        Ok(match grads.get(v.as_tensor()) {
            Some(g) => g.clone(),
            None => v.as_tensor().zeros_like()?,
        })
    };
    Ok((of(&l_real)?, of(&l_fake)?))
}

/// The course's plumbing (not an exercise), for the grader: the gradient of your
/// `generator_loss` with respect to `l_fake`, by candle's autograd.
pub fn generator_loss_grads(l_fake: &Tensor, kind: GeneratorLoss) -> Result<Tensor> {
    let l_fake = candle_core::Var::from_tensor(l_fake)?;
    let loss = generator_loss(l_fake.as_tensor(), kind)?;
    let grads = loss.backward()?;
    Ok(match grads.get(l_fake.as_tensor()) {
        Some(g) => g.clone(),
        None => l_fake.as_tensor().zeros_like()?,
    })
}
