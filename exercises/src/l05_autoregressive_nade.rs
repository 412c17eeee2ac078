// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Lesson 05: you write NADE's mathematics on batched `candle_core::Tensor`s, and the
//! notebook trains what you wrote.
//!
//! The course gives the plumbing: the parameters (`Params`: `w (H, D)`, `c (H)`, `v (D, H)`,
//! `b (D)`, built and seeded by the course), the batches, the optimiser and the loop
//! (`gmcourse::models::nade::train_with`), and the uniform random numbers your sampler
//! turns into pixels (drawn from a seeded generator, so your function is pure). You give
//! the conditionals, the exact log-likelihood built from them, the sampler, and one count
//! the notebook does not work out. Images are `(batch, D)` f32 tensors of 0s and 1s;
//! every tensor function works on a whole batch at once.
//!
//! A candle error converts into `gmcourse::Error` with `?`.
//!
//! Source: lecture notes 000, 002, 004; Larochelle & Murray, "The Neural Autoregressive
//! Distribution Estimator", AISTATS 2011.

// `D` (a dimension: `D::Minus1` is the last) and `DType` are unused until you write the
// first exercise that needs them.
#[allow(unused_imports)]
use candle_core::{D, DType, Tensor};
use gmcourse::Result;
use gmcourse::models::nade::{Fns, Params};

/// Exercise 5.1 — the logits `(batch, D)` of every conditional p(x_i = 1 | x_<i) of the
/// binary images `x` `(batch, D)`, pixel i in column i (raster order), under the NADE
/// `params`; p_i is the sigmoid of logit i. Use the recursion that shares `W`: the work
/// must grow as D·H per image, not D²·H.
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "The NADE equations".
pub fn conditional_logits(params: &Params, x: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 5.1: implement `conditional_logits` — see notebooks/05-autoregressive-nade.ipynb, section The NADE equations"
    )
}

/// Exercise 5.2 — the exact log-likelihood log p(x) of each image, `(batch,)`, in nats,
/// from the binary images `x` `(batch, D)` and the `logits` `(batch, D)` of their
/// conditionals (exercise 5.1's output). It must stay finite and right when a logit is
/// ±100.
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "Exact log-likelihoods".
pub fn log_likelihood(x: &Tensor, logits: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 5.2: implement `log_likelihood` — see notebooks/05-autoregressive-nade.ipynb, section Exact log-likelihoods"
    )
}

/// Exercise 5.3 — `n` images `(n, D)` of 0s and 1s drawn from the NADE `params` pixel by
/// pixel in raster order, given the uniform numbers `u` `(n, D)` in [0, 1): pixel i of
/// image s is 1 exactly when `u[s][i]` is below its conditional probability of being 1.
/// All n images at once; the work grows as D·H per image.
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "Sampling".
pub fn sample(params: &Params, u: &Tensor) -> Result<Tensor> {
    todo!(
        "exercise 5.3: implement `sample` — see notebooks/05-autoregressive-nade.ipynb, section Sampling"
    )
}

/// Exercise 5.4 — the exact number of parameters of a binary AR(n) model of `n_pixels`
/// pixels that keeps a full table for each conditional p(x_i | n previous pixels). The
/// notebook's count (2ⁿ per pixel, times the pixels) is a little too high: count the
/// first pixels, which have fewer than n predecessors, exactly. As an `f64`: the count
/// can exceed any integer type.
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "An ordering of the variables".
pub fn ar_params(n_pixels: u32, n_back: u32) -> f64 {
    todo!(
        "exercise 5.4: implement `ar_params` — see notebooks/05-autoregressive-nade.ipynb, section An ordering of the variables"
    )
}

/// The course's plumbing (not an exercise): your three functions, for the training loop
/// and the sampler.
pub fn nade_fns() -> Fns {
    Fns {
        conditional_logits,
        log_likelihood,
        sample,
    }
}

/// The course's plumbing (not an exercise), for the grader: trains fresh parameters
/// (`D → hidden`, initialised from `seed`) on `data` for `steps` steps of the course's
/// loop with your functions, and returns the trained tensors by name.
pub fn train_for_test(
    data: &Tensor,
    hidden: usize,
    steps: usize,
    seed: u64,
) -> Result<Vec<(String, Tensor)>> {
    let (_, varmap) = gmcourse::models::nade::fit_seeded(&nade_fns(), data, hidden, steps, seed)?;
    gmcourse::models::train::named_tensors(&varmap)
}

/// The course's plumbing (not an exercise), for the grader: the gradients of
/// `Σ g ⊙ conditional_logits(params, x)` (`g` `(batch, D)` given) with respect to `w`,
/// `c`, `v` and `b`, by candle's autograd through your `conditional_logits`.
pub fn logits_grads(params: &Params, x: &Tensor, g: &Tensor) -> Result<Vec<Tensor>> {
    let vars = [&params.w, &params.c, &params.v, &params.b]
        .map(|t| candle_core::Var::from_tensor(t).map_err(gmcourse::Error::from));
    let [w, c, v, b] = vars;
    let (w, c, v, b) = (w?, c?, v?, b?);
    let tracked = Params {
        w: w.as_tensor().clone(),
        c: c.as_tensor().clone(),
        v: v.as_tensor().clone(),
        b: b.as_tensor().clone(),
    };
    let logits = conditional_logits(&tracked, x)?;
    let grads = (logits * g)?.sum_all()?.backward()?;
    let mut out = Vec::new();
    for var in [&w, &c, &v, &b] {
        out.push(match grads.get(var.as_tensor()) {
            Some(g) => g.clone(),
            None => var.as_tensor().zeros_like()?,
        });
    }
    Ok(out)
}

/// The course's plumbing (not an exercise), for the grader: the gradient of the sum of
/// your `log_likelihood` with respect to `logits`, by candle's autograd.
pub fn log_likelihood_grad(x: &Tensor, logits: &Tensor) -> Result<Tensor> {
    let l = candle_core::Var::from_tensor(logits)?;
    let grads = log_likelihood(x, l.as_tensor())?.sum_all()?.backward()?;
    Ok(match grads.get(l.as_tensor()) {
        Some(g) => g.clone(),
        None => logits.zeros_like()?,
    })
}
