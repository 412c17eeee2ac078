//! Hidden tests for lesson 07: never copied into exercises/. They grade behaviour against
//! the course's reference VAE (`gmcourse::models::Vae`): shapes, values on seeded random
//! inputs, gradients against the reference's autograd, stability for saturated logits and
//! tiny importance weights, and a short seeded training run of the student's functions.
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use gmcourse::info;
use gmcourse::models::train::{rand_uniform, randn, rng};
use gmcourse::models::vae::{self, Layers};
use gmcourse::models::{Vae, VaeConfig};
use gmcourse::testing::{assert_close, assert_tensors_close};
use solutions::l07_autoencoders_vae::*;

/// Seeded standard normal draws `(rows, cols)`, scaled.
fn normal(rows: usize, cols: usize, scale: f64, seed: u64) -> Tensor {
    (randn(&mut rng(seed), rows, cols).expect("randn") * scale).expect("scale")
}

/// Seeded binary images `(rows, cols)`.
fn binary(rows: usize, cols: usize, seed: u64) -> Tensor {
    rand_uniform(&mut rng(seed), rows, cols)
        .and_then(|u| Ok(u.ge(0.5)?.to_dtype(DType::F32)?))
        .expect("binary")
}

fn layers(n_pixels: usize, hidden: usize, latent: usize, seed: u64) -> Layers {
    let cfg = VaeConfig {
        n_pixels,
        hidden,
        latent,
    };
    Layers::seeded(&cfg, seed).expect("layers").0
}

fn values(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

// exercise 7.1, 5 points
#[test]
fn encode_matches_the_reference_on_seeded_layers_and_batches() {
    for (seed, batch) in [(1, 7), (2, 1), (3, 16)] {
        let l = layers(12, 9, 3, seed);
        let x = binary(batch, 12, seed + 10);
        let (mu, log_var) = encode(&l, &x).expect("encode");
        let (mu_ref, log_var_ref) = Vae::encode_layers(&l, &x).expect("reference");
        assert_tensors_close(&mu, &mu_ref, 1e-5);
        assert_tensors_close(&log_var, &log_var_ref, 1e-5);
    }
}

// exercise 7.2, 2 points
#[test]
fn reparameterize_matches_the_reference_on_seeded_inputs() {
    let (mu, log_var, eps) = (
        normal(6, 4, 2.0, 21),
        normal(6, 4, 1.5, 22),
        normal(6, 4, 1.0, 23),
    );
    let z = reparameterize(&mu, &log_var, &eps).expect("reparameterize");
    assert_tensors_close(
        &z,
        &Vae::reparameterize(&mu, &log_var, &eps).expect("reference"),
        1e-5,
    );
}

// exercise 7.2, 2 points
#[test]
fn reparameterized_samples_have_mean_mu_and_variance_exp_log_var() {
    let n = 20_000;
    let mu = Tensor::full(2f32, (n, 1), &Device::Cpu).expect("mu");
    let log_var = Tensor::full(0.25f32.ln(), (n, 1), &Device::Cpu).expect("log_var");
    let z = values(&reparameterize(&mu, &log_var, &normal(n, 1, 1.0, 8)).expect("z"));
    assert_eq!(z.len(), n, "one z per eps");
    let mean = z.iter().sum::<f64>() / n as f64;
    let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
    assert_close(mean, 2.0, 0.02);
    assert_close(var, 0.25, 0.02);
}

// exercise 7.3, 4 points
#[test]
fn decode_matches_the_reference_on_seeded_layers_and_codes() {
    for (seed, batch) in [(4, 5), (5, 1)] {
        let l = layers(10, 8, 3, seed);
        let z = normal(batch, 3, 2.0, seed + 30);
        let logits = decode(&l, &z).expect("decode");
        assert_tensors_close(
            &logits,
            &Vae::decode_layers(&l, &z).expect("reference"),
            1e-5,
        );
    }
}

/// Seeded (x, logits, mu, log_var) for exercise 7.4: `batch` images of `d` pixels.
fn elbo_inputs(batch: usize, d: usize, logit_scale: f64, seed: u64) -> [Tensor; 4] {
    [
        binary(batch, d, seed),
        normal(batch, d, logit_scale, seed + 1),
        normal(batch, 3, 1.5, seed + 2),
        normal(batch, 3, 1.0, seed + 3),
    ]
}

// exercise 7.4, 3 points
#[test]
fn neg_elbo_matches_the_reference_term_by_term() {
    for seed in [40, 41] {
        let [x, logits, mu, log_var] = elbo_inputs(8, 20, 3.0, seed);
        let (nll, kl) = neg_elbo(&x, &logits, &mu, &log_var).expect("neg_elbo");
        let (nll_ref, kl_ref) = Vae::neg_elbo_terms(&x, &logits, &mu, &log_var).expect("ref");
        assert_tensors_close(&nll, &nll_ref, 1e-5);
        assert_tensors_close(&kl, &kl_ref, 1e-5);
    }
}

// exercise 7.4, 3 points
#[test]
fn neg_elbo_is_finite_and_right_for_saturated_logits() {
    // right pixels cost ~e^−100 nats, wrong ones 100 nats each: a log of σ(±100) is −∞
    let x = Tensor::new(&[[1f32, 0.0, 1.0, 0.0], [1.0, 1.0, 0.0, 0.0]], &Device::Cpu).expect("x");
    let logits = Tensor::new(
        &[
            [100f32, -100.0, 100.0, -100.0],
            [-100.0, 100.0, 100.0, -100.0],
        ],
        &Device::Cpu,
    )
    .expect("logits");
    let zero = Tensor::zeros((2, 2), DType::F32, &Device::Cpu).expect("zero");
    let (nll, _) = neg_elbo(&x, &logits, &zero, &zero).expect("neg_elbo");
    let got = values(&nll);
    assert!(
        got.iter().all(|v| v.is_finite()),
        "−log p(x|z) must be finite for logits ±100, got {got:?}"
    );
    gmcourse::testing::assert_all_close(&got, &[0.0, 200.0], 1e-3);
}

// exercise 7.4, 3 points
#[test]
fn neg_elbo_gradients_match_the_references_autograd_including_saturated_logits() {
    for (scale, seed) in [(2.0, 50), (100.0, 51)] {
        let [x, logits, mu, log_var] = elbo_inputs(4, 6, scale, seed);
        let got = neg_elbo_grads(&x, &logits, &mu, &log_var).expect("gradients");
        // the reference's autograd on the same mean(nll + kl)
        let vars: Vec<candle_core::Var> = [&logits, &mu, &log_var]
            .iter()
            .map(|t| candle_core::Var::from_tensor(t).expect("var"))
            .collect();
        let (nll, kl) = Vae::neg_elbo_terms(
            &x,
            vars[0].as_tensor(),
            vars[1].as_tensor(),
            vars[2].as_tensor(),
        )
        .expect("reference");
        let grads = (nll + kl)
            .and_then(|l| l.mean_all())
            .and_then(|l| l.backward())
            .expect("backward");
        assert_eq!(
            got.len(),
            3,
            "gradients with respect to logits, mu and log_var"
        );
        for (g, v) in got.iter().zip(&vars) {
            let want = grads.get(v.as_tensor()).expect("a gradient");
            assert!(
                values(g).iter().all(|x| x.is_finite()),
                "gradients must be finite (logit scale {scale})"
            );
            assert_tensors_close(g, want, 1e-4);
        }
    }
}

/// A toy binary data set: 4 random 64-pixel prototypes, each pixel flipped with
/// probability 0.05, `n` images.
fn toy_digits(n: usize, seed: u64) -> Tensor {
    let protos = binary(4, 64, 99);
    let pick: Vec<u32> = (0..n as u32).map(|i| i % 4).collect();
    let idx = Tensor::new(pick.as_slice(), &Device::Cpu).expect("idx");
    let clean = protos.index_select(&idx, 0).expect("rows");
    let flip = rand_uniform(&mut rng(seed), n, 64)
        .and_then(|u| Ok(u.lt(0.05)?.to_dtype(DType::F32)?))
        .expect("flip");
    // x xor flip = |x − flip|
    (clean - flip).and_then(|d| d.abs()).expect("xor")
}

// exercise 7.4, 3 points, 60 s, 2048 MB
#[test]
fn your_vae_trained_by_the_course_loop_reaches_a_test_neg_elbo_below_22_nats() {
    let train = toy_digits(512, 1);
    let test = toy_digits(256, 2);
    let trained = train_for_test(&train, 32, 4, 300, 7).expect("training your functions");
    let varmap = gmcourse::models::train::varmap_of(&trained).expect("the trained tensors");
    let cfg = VaeConfig {
        n_pixels: 64,
        hidden: 32,
        latent: 4,
    };
    let l = Layers::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        &cfg,
    )
    .expect("the trained layers, by name");
    // scored by the reference's functions on held-out images
    let scores = vae::evaluate_with(&Vae::fns(), &l, &test, &mut rng(3)).expect("scores");
    assert!(
        scores.neg_elbo < 22.0,
        "test −ELBO after 300 steps: {:.2} nats (the reference reaches 17.1; untrained layers score 45.5)",
        scores.neg_elbo
    );
}

/// Seeded inputs of exercise 7.5: `k` samples for `batch` images of `d` pixels.
fn iwae_inputs(k: usize, batch: usize, d: usize, logit_scale: f64, seed: u64) -> [Tensor; 5] {
    let x = binary(batch, d, seed);
    let mu = normal(batch, 3, 1.0, seed + 1);
    let log_var = normal(batch, 3, 0.5, seed + 2);
    let z = normal(k * batch, 3, 1.5, seed + 3)
        .reshape((k, batch, 3))
        .expect("z");
    let logits = normal(k * batch, d, logit_scale, seed + 4)
        .reshape((k, batch, d))
        .expect("l");
    [x, mu, log_var, z, logits]
}

// exercise 7.5, 4 points
#[test]
fn iwae_bound_matches_the_reference_on_seeded_samples() {
    for (k, seed) in [(1, 60), (5, 61), (32, 62)] {
        let [x, mu, log_var, z, logits] = iwae_inputs(k, 6, 10, 2.0, seed);
        let got = iwae_bound(&x, &mu, &log_var, &z, &logits).expect("iwae_bound");
        let want = Vae::iwae_bound(&x, &mu, &log_var, &z, &logits).expect("reference");
        assert_tensors_close(&got, &want, 1e-4);
    }
}

// exercise 7.5, 4 points
#[test]
fn iwae_bound_is_finite_when_every_weight_is_below_e_to_the_minus_1000() {
    // 200 pixels with wrong logits of ±20 to ±60: log w ≈ −7000 nats, exp(log w) = 0
    let [x, mu, log_var, z, _] = iwae_inputs(8, 3, 200, 1.0, 70);
    let wrong = (x
        .unsqueeze(0)
        .and_then(|x| x.broadcast_as((8, 3, 200)))
        .and_then(|x| (x * -2.0)? + 1.0))
    .expect("sign");
    let logits = (wrong
        * normal(8 * 3, 200, 1.0, 71)
            .abs()
            .and_then(|a| (a * 20.0)? + 20.0)
            .and_then(|a| a.reshape((8, 3, 200)))
            .expect("size"))
    .expect("logits");
    let got = iwae_bound(&x, &mu, &log_var, &z, &logits).expect("iwae_bound");
    let want = Vae::iwae_bound(&x, &mu, &log_var, &z, &logits).expect("reference");
    assert!(
        values(&want).iter().all(|v| *v < -1000.0),
        "the test's own premise"
    );
    assert!(
        values(&got).iter().all(|v| v.is_finite()),
        "the bound must be finite, got {:?}",
        values(&got)
    );
    assert_tensors_close(&got, &want, 1e-4);
}

// exercise 7.5, 1 point
#[test]
fn iwae_bound_of_k_copies_of_one_sample_is_the_bound_of_that_sample() {
    let [x, mu, log_var, z, logits] = iwae_inputs(1, 4, 10, 2.0, 80);
    let one = iwae_bound(&x, &mu, &log_var, &z, &logits).expect("K = 1");
    let z5 = Tensor::cat(&[&z; 5], 0).expect("z");
    let l5 = Tensor::cat(&[&logits; 5], 0).expect("logits");
    let five = iwae_bound(&x, &mu, &log_var, &z5, &l5).expect("K = 5");
    assert_tensors_close(&five, &one, 1e-5);
}

// exercise 7.6, 2 points
#[test]
fn kl_diagonal_gaussians_to_the_standard_normal_is_the_closed_form() {
    let (mu, log_var) = (normal(5, 4, 2.0, 90), normal(5, 4, 1.0, 91));
    let zero = mu.zeros_like().expect("zero");
    let got = values(&kl_diagonal_gaussians(&mu, &log_var, &zero, &zero).expect("kl"));
    let (m, lv) = (values(&mu), values(&log_var));
    for (row, g) in got.iter().enumerate() {
        // Σ_j gmcourse::info::kl_to_standard_normal(mu_j, log_var_j)
        let want: f64 = (0..4)
            .map(|j| info::kl_to_standard_normal(m[row * 4 + j], lv[row * 4 + j]).expect("finite"))
            .sum();
        assert_close(*g, want, 1e-4 * (1.0 + want.abs()));
    }
}

// exercise 7.6, 3 points
#[test]
fn kl_diagonal_gaussians_matches_the_reference_between_general_gaussians() {
    for seed in [100, 101] {
        let [mu_q, lv_q, mu_p, lv_p] = [0, 1, 2, 3].map(|k| normal(6, 5, 1.5, seed * 10 + k));
        let got = kl_diagonal_gaussians(&mu_q, &lv_q, &mu_p, &lv_p).expect("kl");
        assert_tensors_close(
            &got,
            &Vae::kl_diagonal(&mu_q, &lv_q, &mu_p, &lv_p).expect("ref"),
            1e-4,
        );
    }
}

// exercise 7.6, 1 point
#[test]
fn kl_diagonal_gaussians_is_not_symmetric() {
    // KL(N(0, 1) ‖ N(0, e²)) = ½(e^−2 + 2 − 1) = 0.5677; the other way ½(e² − 2 − 1) = 2.1945
    let (zero, two) = (
        Tensor::new(&[[0f32]], &Device::Cpu).expect("0"),
        Tensor::new(&[[2f32]], &Device::Cpu).expect("2"),
    );
    let q_p = values(&kl_diagonal_gaussians(&zero, &zero, &zero, &two).expect("kl"))[0];
    let p_q = values(&kl_diagonal_gaussians(&zero, &two, &zero, &zero).expect("kl"))[0];
    assert_close(q_p, 0.5 * ((-2f64).exp() + 1.0), 1e-5);
    assert_close(p_q, 0.5 * (2f64.exp() - 3.0), 1e-5);
}
