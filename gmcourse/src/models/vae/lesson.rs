//! The plumbing of lesson 07, where the student writes the VAE's mathematics: the layers
//! ([`Layers`], built and seeded here), the four functions a training step calls
//! ([`Fns`]), the loop that trains exactly those functions ([`train_with`]), their test
//! scores ([`evaluate_with`]) and the notebook's training cell ([`train_yours`]), which puts
//! the reference in place of every function that is still `todo!()`.
//!
//! ```text
//! (mu, log_var) = encode(layers, x)          exercise 7.1
//! z             = reparameterize(mu, log_var, eps),  eps ~ N(0, I) from the seeded rng   7.2
//! logits        = decode(layers, z)          exercise 7.3
//! (nll, kl)     = neg_elbo(x, logits, mu, log_var)   per example                         7.4
//! loss          = mean(nll + kl);  θ ← AdamW(θ, ∇θ loss)
//! ```
//!
//! Nothing here computes the model's mathematics: [`Layers`] has fields and constructors,
//! the loop calls the functions it is given. The reference functions are
//! [`Vae::fns`](super::Vae::fns), reached from here only by [`Fns::or_reference`].

use candle_core::{DType, Device, Tensor};
use candle_nn::{Linear, VarBuilder, VarMap};
use rand::rngs::StdRng;

use super::{Vae, VaeConfig};
use crate::models::Model;
use crate::models::train::{self, History, TrainConfig};
use crate::{Error, Result, check, course};

/// The five linear layers of the lesson's VAE, named as [`Vae`]'s (`encoder.fc`,
/// `encoder.mu`, `encoder.log_var`, `decoder.fc`, `decoder.out`), so that a [`Vae`] built
/// on the same [`VarMap`] reads the same weights. Fields and constructors only.
///
/// ```
/// use gmcourse::models::{VaeConfig, vae::Layers};
/// let (layers, varmap) = Layers::seeded(&VaeConfig { n_pixels: 4, hidden: 3, latent: 2 }, 0)?;
/// assert_eq!(layers.encoder_fc.weight().dims(), &[3, 4]);
/// assert_eq!(varmap.all_vars().len(), 10);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Layers {
    /// `n_pixels → hidden`, followed by a ReLU.
    pub encoder_fc: Linear,
    /// `hidden → latent`: the mean of q(z|x).
    pub encoder_mu: Linear,
    /// `hidden → latent`: the log-variance of q(z|x).
    pub encoder_log_var: Linear,
    /// `latent → hidden`, followed by a ReLU.
    pub decoder_fc: Linear,
    /// `hidden → n_pixels`: the Bernoulli logits of p(x|z).
    pub decoder_out: Linear,
}

impl Layers {
    /// The layers under `vb`, sized by `cfg`.
    ///
    /// # Errors
    /// A size of 0 in `cfg`.
    pub fn new(vb: VarBuilder, cfg: &VaeConfig) -> Result<Self> {
        check::sizes("VaeConfig", &[cfg.n_pixels, cfg.hidden, cfg.latent], cfg)?;
        let (enc, dec) = (vb.pp("encoder"), vb.pp("decoder"));
        Ok(Self {
            encoder_fc: candle_nn::linear(cfg.n_pixels, cfg.hidden, enc.pp("fc"))?,
            encoder_mu: candle_nn::linear(cfg.hidden, cfg.latent, enc.pp("mu"))?,
            encoder_log_var: candle_nn::linear(cfg.hidden, cfg.latent, enc.pp("log_var"))?,
            decoder_fc: candle_nn::linear(cfg.latent, cfg.hidden, dec.pp("fc"))?,
            decoder_out: candle_nn::linear(cfg.hidden, cfg.n_pixels, dec.pp("out"))?,
        })
    }

    /// Fresh layers in their own [`VarMap`], initialised from `seed` exactly as
    /// `Vae::seeded(cfg, seed)` is.
    ///
    /// # Errors
    /// As [`Layers::new`].
    pub fn seeded(cfg: &VaeConfig, seed: u64) -> Result<(Self, VarMap)> {
        let varmap = VarMap::new();
        let layers = Self::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            cfg,
        )?;
        train::init_seeded(&varmap, seed)?;
        Ok((layers, varmap))
    }

    /// The sizes these layers were built with.
    pub fn config(&self) -> VaeConfig {
        let (hidden, n_pixels) = self.encoder_fc.weight().dims2().unwrap_or((0, 0));
        let latent = self.encoder_mu.weight().dim(0).unwrap_or(0);
        VaeConfig {
            n_pixels,
            hidden,
            latent,
        }
    }
}

/// Exercise 7.1's signature: `(mu, log_var)` of q(z|x), each `(batch, latent)`.
pub type EncodeFn = fn(&Layers, &Tensor) -> Result<(Tensor, Tensor)>;
/// Exercise 7.2's signature: `z` from `(mu, log_var, eps)`.
pub type ReparameterizeFn = fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor>;
/// Exercise 7.3's signature: the logits `(batch, n_pixels)` of p(x|z).
pub type DecodeFn = fn(&Layers, &Tensor) -> Result<Tensor>;
/// Exercise 7.4's signature: per example `(−log p(x|z), KL(q(z|x) ‖ p(z)))`, each `(batch,)`.
pub type NegElboFn = fn(&Tensor, &Tensor, &Tensor, &Tensor) -> Result<(Tensor, Tensor)>;

/// Exercise 7.5's signature: the IWAE bound `(batch,)` from `(x, mu, log_var, z, logits)`.
pub type IwaeFn = fn(&Tensor, &Tensor, &Tensor, &Tensor, &Tensor) -> Result<Tensor>;

/// The four functions a training step calls, as fn pointers (the lesson file's
/// `vae_fns()` returns the student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 7.1.
    pub encode: EncodeFn,
    /// Exercise 7.2.
    pub reparameterize: ReparameterizeFn,
    /// Exercise 7.3.
    pub decode: DecodeFn,
    /// Exercise 7.4.
    pub neg_elbo: NegElboFn,
}

/// Which of the four functions are still the reference's, by exercise.
const PIECES: [(&str, &str); 4] = [
    ("7.1", "encode"),
    ("7.2", "reparameterize"),
    ("7.3", "decode"),
    ("7.4", "neg_elbo"),
];

impl Fns {
    /// Puts the reference in place of each function that is still a `todo!()` stub, and
    /// prints one line that says which, e.g. `exercise 7.4 not done yet: the reference
    /// neg_elbo trains in its place`. Each function is called once, on a tiny
    /// seeded input, with panic messages silenced; a function that panics for another
    /// reason is kept (the training loop then reports its panic). Returns the functions
    /// and, per exercise, whether the student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 4]) {
        let reference = Vae::fns();
        let probe = Probe::new();
        let done = match probe {
            Ok(p) => [
                p.unfinished(|| (self.encode)(&p.layers, &p.x).map(drop)),
                p.unfinished(|| (self.reparameterize)(&p.mu, &p.log_var, &p.eps).map(drop)),
                p.unfinished(|| (self.decode)(&p.layers, &p.z).map(drop)),
                p.unfinished(|| (self.neg_elbo)(&p.x, &p.logits, &p.mu, &p.log_var).map(drop)),
            ]
            .map(|todo| !todo),
            Err(_) => [true; 4],
        };
        if let Some(line) = course::reference_line(&PIECES, &done) {
            println!("{line}");
        }
        let fns = Fns {
            encode: if done[0] {
                self.encode
            } else {
                reference.encode
            },
            reparameterize: if done[1] {
                self.reparameterize
            } else {
                reference.reparameterize
            },
            decode: if done[2] {
                self.decode
            } else {
                reference.decode
            },
            neg_elbo: if done[3] {
                self.neg_elbo
            } else {
                reference.neg_elbo
            },
        };
        (fns, done)
    }
}

/// The tiny input each function is probed with.
struct Probe {
    layers: Layers,
    x: Tensor,
    mu: Tensor,
    log_var: Tensor,
    eps: Tensor,
    z: Tensor,
    logits: Tensor,
}

impl Probe {
    fn new() -> Result<Self> {
        let cfg = VaeConfig {
            n_pixels: 4,
            hidden: 3,
            latent: 2,
        };
        let (layers, _) = Layers::seeded(&cfg, 0)?;
        let mut rng = train::rng(0);
        let x = train::rand_uniform(&mut rng, 2, 4)?
            .ge(0.5)?
            .to_dtype(DType::F32)?;
        let mu = train::randn(&mut rng, 2, 2)?;
        let log_var = train::randn(&mut rng, 2, 2)?;
        let eps = train::randn(&mut rng, 2, 2)?;
        let z = train::randn(&mut rng, 2, 2)?;
        let logits = train::randn(&mut rng, 2, 4)?;
        Ok(Self {
            layers,
            x,
            mu,
            log_var,
            eps,
            z,
            logits,
        })
    }

    /// Whether `f` is still a `todo!()` stub.
    fn unfinished(&self, f: impl FnOnce() -> Result<()>) -> bool {
        course::is_todo(f)
    }
}

/// `t` must have `dims`; else a shape error naming the exercise that made it.
fn expect_dims(t: &Tensor, dims: &[usize], what: &str) -> Result<()> {
    if t.dims() != dims {
        return Err(Error::shape(
            what,
            format!("{dims:?}"),
            format!("{:?}", t.dims()),
        ));
    }
    Ok(())
}

/// One forward pass of `fns` on the batch `x` with noise `eps`: per example
/// `(−log p(x|z), KL)`, each `(batch,)`, shapes checked with errors that name the exercise.
fn forward(fns: &Fns, layers: &Layers, x: &Tensor, eps: &Tensor) -> Result<(Tensor, Tensor)> {
    let (batch, latent) = eps.dims2()?;
    let n_pixels = x.dim(1)?;
    let (mu, log_var) = (fns.encode)(layers, x)?;
    expect_dims(&mu, &[batch, latent], "mu from encode (exercise 7.1)")?;
    expect_dims(
        &log_var,
        &[batch, latent],
        "log_var from encode (exercise 7.1)",
    )?;
    let z = (fns.reparameterize)(&mu, &log_var, eps)?;
    expect_dims(&z, &[batch, latent], "z from reparameterize (exercise 7.2)")?;
    let logits = (fns.decode)(layers, &z)?;
    expect_dims(
        &logits,
        &[batch, n_pixels],
        "logits from decode (exercise 7.3)",
    )?;
    let (nll, kl) = (fns.neg_elbo)(x, &logits, &mu, &log_var)?;
    expect_dims(&nll, &[batch], "−log p(x|z) from neg_elbo (exercise 7.4)")?;
    expect_dims(&kl, &[batch], "KL from neg_elbo (exercise 7.4)")?;
    Ok((nll, kl))
}

/// Trains `layers` (whose variables are `varmap`'s) on `data` `(n, n_pixels)` in `[0, 1]`
/// by minimising the mean of `nll + kl` that `fns` compute, with AdamW and one `eps` per
/// image and step from the seeded rng. Uses exactly the functions it is given. Returns the
/// [`History`] as [`super::train`] does: `reconstruction` (`E_q log p(x|z)`), `kl`, `elbo`
/// and `loss` (`−elbo`), each a batch mean per step.
///
/// # Errors
/// A wrong data shape, a function that returns a wrong shape (named), or
/// [`Error::Diverged`].
///
/// ```
/// use gmcourse::models::{Vae, VaeConfig, TrainConfig, vae::{self, Layers}};
/// let cfg = VaeConfig { n_pixels: 4, hidden: 8, latent: 2 };
/// let (layers, varmap) = Layers::seeded(&cfg, 0)?;
/// let data = candle_core::Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &candle_core::Device::Cpu)?;
/// let tc = TrainConfig { steps: 30, batch_size: 2, lr: 0.01, log_every: 0, progress: false, ..Default::default() };
/// let (fns, _) = vae::Fns { encode: |_, _| todo!(), reparameterize: |_, _, _| todo!(),
///     decode: |_, _| todo!(), neg_elbo: |_, _, _, _| todo!() }.or_reference();
/// let h = vae::train_with(&fns, &layers, &varmap, &data, &tc)?;
/// assert!(h.series("elbo")?[29] > h.series("elbo")?[0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train_with(
    fns: &Fns,
    layers: &Layers,
    varmap: &VarMap,
    data: &Tensor,
    cfg: &TrainConfig,
) -> Result<History> {
    let vae_cfg = layers.config();
    super::fit(varmap, data, vae_cfg.n_pixels, cfg, |x, rng| {
        let eps = train::randn(rng, x.dim(0)?, vae_cfg.latent)?;
        let (nll, kl) = forward(fns, layers, x, &eps)?;
        Ok((nll.mean_all()?.neg()?, kl.mean_all()?))
    })
}

/// Test figures of a trained VAE, each a mean over the test images, in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// `−ELBO`, one draw of z per image.
    pub neg_elbo: f64,
    /// `−E_q log p(x|z)`, one draw.
    pub reconstruction: f64,
    /// `KL(q(z|x) ‖ p(z))`.
    pub kl: f64,
}

/// [`Scores`] of `fns` on `x` `(n, n_pixels)`, with eps from `rng`, 200 images at a time.
///
/// # Errors
/// As [`train_with`].
pub fn evaluate_with(fns: &Fns, layers: &Layers, x: &Tensor, rng: &mut StdRng) -> Result<Scores> {
    let latent = layers.config().latent;
    let n = x.dim(0)?;
    let (mut nll_sum, mut kl_sum) = (0.0, 0.0);
    for start in (0..n).step_by(200) {
        let chunk = x.narrow(0, start, 200.min(n - start))?;
        let eps = train::randn(rng, chunk.dim(0)?, latent)?;
        let (nll, kl) = forward(fns, layers, &chunk, &eps)?;
        nll_sum += nll.to_dtype(DType::F64)?.sum_all()?.to_scalar::<f64>()?;
        kl_sum += kl.to_dtype(DType::F64)?.sum_all()?.to_scalar::<f64>()?;
    }
    let n = n.max(1) as f64;
    Ok(Scores {
        neg_elbo: (nll_sum + kl_sum) / n,
        reconstruction: nll_sum / n,
        kl: kl_sum / n,
    })
}

/// `n` samples through `decode`: Bernoulli means `σ(decode(layers, z))`, `z ~ N(0, I)`.
///
/// # Errors
/// A decode that fails or returns a wrong shape.
pub fn sample_with(fns: &Fns, layers: &Layers, n: usize, rng: &mut StdRng) -> Result<Tensor> {
    let cfg = layers.config();
    let z = train::randn(rng, n, cfg.latent)?;
    let logits = (fns.decode)(layers, &z)?;
    expect_dims(
        &logits,
        &[n, cfg.n_pixels],
        "logits from decode (exercise 7.3)",
    )?;
    Ok(candle_nn::ops::sigmoid(&logits)?)
}

/// A VAE trained by [`train_yours`].
pub struct Trained {
    /// The functions that trained it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (7.1 to 7.4) are the student's.
    pub done: [bool; 4],
    /// The trained layers.
    pub layers: Layers,
    /// Their variables.
    pub varmap: VarMap,
    /// The per-step history.
    pub history: History,
    /// The same weights read by the course's [`Vae`] (sampling, interpolation, IWAE).
    pub vae: Vae,
    /// Test scores of the functions that trained it.
    pub scores: Scores,
    /// With every exercise done: the reference trained on the same seed for the same
    /// number of steps, and its test scores.
    pub reference: Option<(Layers, Vae, History, Scores)>,
}

impl std::fmt::Debug for Trained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trained")
            .field("done", &self.done)
            .field("steps", &self.history.len())
            .field("scores", &self.scores)
            .field("reference", &self.reference.as_ref().map(|r| r.3))
            .finish_non_exhaustive()
    }
}

impl Trained {
    /// Whether all four functions are the student's.
    pub fn all_yours(&self) -> bool {
        self.done.iter().all(|&d| d)
    }

    /// The notebook's table of test figures: the student's, and the reference's next to
    /// them when there is one.
    pub fn table(&self) -> crate::plot::Html {
        let row = |name: &str, s: &Scores| {
            format!(
                "<tr><td>{name}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td></tr>",
                s.neg_elbo, s.reconstruction, s.kl
            )
        };
        let who = if self.all_yours() {
            "your VAE"
        } else {
            "your VAE (reference in place of the unfinished exercises)"
        };
        let mut body = row(who, &self.scores);
        if let Some((_, _, h, s)) = &self.reference {
            body.push_str(&row(&format!("reference, same seed, {} steps", h.len()), s));
        }
        crate::plot::Html::new(format!(
            "<table><tr><th>test, nats per image</th><th>−ELBO</th><th>−E log p(x|z)</th>\
             <th>KL</th></tr>{body}</table>"
        ))
    }

    /// The mean IWAE bound of the images `x` with `k` samples each (`z` from `seed`
    /// through the trained encoder), by `iwae` (the student's exercise 7.5) and by the
    /// reference on the same samples: `(iwae's, reference's)`, nats per image.
    ///
    /// # Errors
    /// A function that fails or returns a wrong shape.
    pub fn iwae(&self, iwae: IwaeFn, x: &Tensor, k: usize, seed: u64) -> Result<(f64, f64)> {
        let cfg = self.layers.config();
        let n = x.dim(0)?;
        let (mu, log_var) = (self.fns.encode)(&self.layers, x)?;
        let mu_k = mu.repeat((k, 1))?;
        let log_var_k = log_var.repeat((k, 1))?;
        let eps = train::randn(&mut train::rng(seed), k * n, cfg.latent)?;
        let z = (self.fns.reparameterize)(&mu_k, &log_var_k, &eps)?;
        let logits = (self.fns.decode)(&self.layers, &z)?;
        let z = z.reshape((k, n, cfg.latent))?;
        let logits = logits.reshape((k, n, cfg.n_pixels))?;
        let mine = iwae(x, &mu, &log_var, &z, &logits)?;
        expect_dims(&mine, &[n], "the bound from iwae_bound (exercise 7.5)")?;
        let theirs = Vae::iwae_bound(x, &mu, &log_var, &z, &logits)?;
        let mean = |t: &Tensor| -> Result<f64> {
            Ok(t.to_dtype(DType::F64)?.mean_all()?.to_scalar::<f64>()?)
        };
        Ok((mean(&mine)?, mean(&theirs)?))
    }

    /// 8 samples of each trained model from the same `z` (`seed`): the student's first,
    /// then the reference's when there is one, `(8 or 16, n_pixels)`.
    ///
    /// # Errors
    /// A decode that fails.
    pub fn samples(&self, seed: u64) -> Result<Tensor> {
        let mine = sample_with(&self.fns, &self.layers, 8, &mut train::rng(seed))?;
        match &self.reference {
            Some((layers, _, _, _)) => {
                let theirs = sample_with(&Vae::fns(), layers, 8, &mut train::rng(seed))?;
                Ok(Tensor::cat(&[&mine, &theirs], 0)?)
            }
            None => Ok(mine),
        }
    }
}

/// The training cell of lesson 07: the student's `fns` (the reference in place of each
/// unfinished one, said in one line), trained from `seed`-initialised layers of
/// size `cfg` on `data` with `tc`, scored on `test`. With every exercise done, the
/// reference is trained too, on the same seed for the same number of steps, and scored
/// with the same eps. Prints one line with the step count.
///
/// # Errors
/// Those of [`train_with`] (a student's function that panics is reported by its panic).
pub fn train_yours(
    fns: Fns,
    cfg: &VaeConfig,
    data: &Tensor,
    test: &Tensor,
    tc: &TrainConfig,
) -> Result<Trained> {
    let (fns, done) = fns.or_reference();
    let run = |fns: &Fns, tc: &TrainConfig| -> Result<(Layers, VarMap, History, Scores)> {
        let (layers, varmap) = Layers::seeded(cfg, tc.seed)?;
        let history = train_with(fns, &layers, &varmap, data, tc)?;
        let scores = evaluate_with(fns, &layers, test, &mut train::rng(tc.seed))?;
        Ok((layers, varmap, history, scores))
    };
    let start = std::time::Instant::now();
    let (layers, varmap, history, scores) = run(&fns, tc)?;
    println!(
        "trained for {:.0} s, {} steps",
        start.elapsed().as_secs_f64(),
        history.len()
    );
    let vae = Vae::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        cfg,
    )?;
    let reference = if done.iter().all(|&d| d) {
        let same = TrainConfig {
            steps: history.len(),
            time_budget: None,
            ..tc.clone()
        };
        let (l, v, h, s) = run(&Vae::fns(), &same)?;
        let vae = Vae::new(VarBuilder::from_varmap(&v, DType::F32, &Device::Cpu), cfg)?;
        Some((l, vae, h, s))
    } else {
        None
    };
    Ok(Trained {
        fns,
        done,
        layers,
        varmap,
        history,
        vae,
        scores,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo_encode(_: &Layers, _: &Tensor) -> Result<(Tensor, Tensor)> {
        todo!("exercise 7.1: implement `encode`")
    }

    fn broken_decode(_: &Layers, _: &Tensor) -> Result<Tensor> {
        panic!("index out of bounds")
    }

    fn wide_reparameterize(mu: &Tensor, _: &Tensor, _: &Tensor) -> Result<Tensor> {
        Ok(Tensor::cat(&[mu, mu], 1)?)
    }

    fn toy() -> Result<(Layers, VarMap, Tensor)> {
        let cfg = VaeConfig {
            n_pixels: 4,
            hidden: 8,
            latent: 2,
        };
        let (layers, varmap) = Layers::seeded(&cfg, 0)?;
        let data = Tensor::new(&[[1f32, 0., 1., 1.], [0., 0., 1., 1.]], &Device::Cpu)?;
        Ok((layers, varmap, data))
    }

    fn tc(steps: usize) -> TrainConfig {
        TrainConfig {
            steps,
            batch_size: 2,
            lr: 0.01,
            log_every: 0,
            progress: false,
            ..Default::default()
        }
    }

    #[test]
    fn a_todo_function_is_replaced_and_a_finished_or_panicking_one_is_kept() -> Result<()> {
        let fns = Fns {
            encode: todo_encode,
            decode: broken_decode,
            ..Vae::fns()
        };
        let (fns, done) = fns.or_reference();
        assert_eq!(done, [false, true, true, true]);
        let (layers, _, data) = toy()?;
        // encode is the reference's now; decode is still the student's (it panics)
        assert_eq!((fns.encode)(&layers, &data)?.0.dims(), &[2, 2]);
        assert!(
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (fns.decode)(
                &layers, &data
            )))
            .is_err(),
            "the panicking decode was kept"
        );
        Ok(())
    }

    #[test]
    fn train_with_names_the_exercise_that_returned_a_wrong_shape() -> Result<()> {
        let (layers, varmap, data) = toy()?;
        let fns = Fns {
            reparameterize: wide_reparameterize,
            ..Vae::fns()
        };
        let err = train_with(&fns, &layers, &varmap, &data, &tc(1)).unwrap_err();
        assert!(err.to_string().contains("exercise 7.2"), "{err}");
        Ok(())
    }

    #[test]
    fn the_reference_functions_train_and_a_vae_on_the_same_varmap_reads_the_weights() -> Result<()>
    {
        let (layers, varmap, data) = toy()?;
        let h = train_with(&Vae::fns(), &layers, &varmap, &data, &tc(40))?;
        let elbo = h.series("elbo")?;
        assert!(
            elbo[39] > elbo[0],
            "the ELBO rose: {} → {}",
            elbo[0],
            elbo[39]
        );
        let vae = Vae::new(
            VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
            &layers.config(),
        )?;
        let (mu, _) = vae.encode(&data)?;
        let (mu_layers, _) = Vae::encode_layers(&layers, &data)?;
        crate::testing::assert_tensors_close(&mu, &mu_layers, 1e-5);
        // the trained tensors survive the trip through named_tensors and varmap_of
        let back = train::varmap_of(&train::named_tensors(&varmap)?)?;
        let again = Layers::new(
            VarBuilder::from_varmap(&back, DType::F32, &Device::Cpu),
            &layers.config(),
        )?;
        crate::testing::assert_tensors_close(
            &Vae::decode_layers(&again, &mu)?,
            &Vae::decode_layers(&layers, &mu)?,
            0.0,
        );
        Ok(())
    }
}
