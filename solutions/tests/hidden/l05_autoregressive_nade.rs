//! Hidden tests for lesson 05: never copied into exercises/. They grade behaviour against
//! the course's reference NADE (`gmcourse::models::Nade`, its fused kernel): shapes,
//! values on seeded random inputs, gradients against the reference's autograd, stability
//! for saturated logits, the exact distribution of the sampler, and a short seeded
//! training run of the student's functions scored against the reference's.
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use gmcourse::models::nade::{self, Params};
use gmcourse::models::train::{rand_uniform, randn, rng};
use gmcourse::models::{Nade, NadeConfig};
use gmcourse::testing::{assert_close, assert_tensors_close};
use solutions::l05_autoregressive_nade::*;

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

/// A NADE of `d` pixels and `h` hidden units with every parameter drawn at random
/// (biases too, unlike a fresh model's).
fn random_params(d: usize, h: usize, seed: u64) -> Params {
    let vector = |n: usize, s: u64| normal(1, n, 1.0, s).squeeze(0).expect("vector");
    Params {
        w: normal(h, d, 1.0, seed),
        c: vector(h, seed + 1),
        v: normal(d, h, 1.0, seed + 2),
        b: vector(d, seed + 3),
    }
}

fn values(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

// exercise 5.1, 4 points
#[test]
fn conditional_logits_match_the_reference_on_seeded_nades_and_batches() {
    for (d, h, batch, seed) in [(6, 4, 5, 1), (20, 7, 1, 2), (50, 16, 9, 3)] {
        let p = random_params(d, h, seed);
        let x = binary(batch, d, seed + 10);
        let got = conditional_logits(&p, &x).expect("conditional_logits");
        let want = Nade::conditional_logits(&p, &x).expect("reference");
        assert_tensors_close(&got, &want, 1e-4);
    }
}

// exercise 5.1, 1 point
#[test]
fn the_first_conditional_ignores_the_image_and_the_last_pixel_changes_nothing() {
    let p = random_params(5, 3, 4);
    let x = Tensor::new(
        &[[1f32, 1., 0., 1., 0.], [0., 0., 1., 0., 1.]],
        &Device::Cpu,
    )
    .expect("x");
    let l = values(&conditional_logits(&p, &x).expect("conditional_logits"));
    assert_close(l[0], l[5], 1e-6);
    // the last pixel is nobody's context: flipping it leaves every logit as it was
    let flipped = Tensor::new(&[[1f32, 1., 0., 1., 1.]], &Device::Cpu).expect("x");
    let lf = values(&conditional_logits(&p, &flipped).expect("conditional_logits"));
    gmcourse::testing::assert_all_close(&lf, &l[..5], 1e-6);
}

// exercise 5.1, 3 points
#[test]
fn logits_gradients_match_the_references_autograd() {
    for (d, h, seed) in [(8, 5, 20), (30, 6, 21)] {
        let p = random_params(d, h, seed);
        let x = binary(6, d, seed + 5);
        // the gradients of Σ g ⊙ logits, for a random g: every logit's gradient counts
        let g = normal(6, d, 1.0, seed + 6);
        let got = logits_grads(&p, &x, &g).expect("gradients");
        // the reference's autograd on the same sum
        let vars: Vec<candle_core::Var> = [&p.w, &p.c, &p.v, &p.b]
            .iter()
            .map(|t| candle_core::Var::from_tensor(t).expect("var"))
            .collect();
        let tracked = Params {
            w: vars[0].as_tensor().clone(),
            c: vars[1].as_tensor().clone(),
            v: vars[2].as_tensor().clone(),
            b: vars[3].as_tensor().clone(),
        };
        let grads = Nade::conditional_logits(&tracked, &x)
            .and_then(|l| Ok((l * &g)?.sum_all()?.backward()?))
            .expect("reference backward");
        assert_eq!(got.len(), 4, "gradients with respect to w, c, v and b");
        for (g, v) in got.iter().zip(&vars) {
            let want = grads.get(v.as_tensor()).expect("a gradient");
            assert_tensors_close(g, want, 1e-4);
        }
    }
}

// exercise 5.2, 3 points
#[test]
fn log_likelihood_matches_the_reference_on_seeded_logits() {
    for (batch, d, scale, seed) in [(7, 12, 3.0, 30), (1, 40, 1.0, 31)] {
        let x = binary(batch, d, seed);
        let logits = normal(batch, d, scale, seed + 1);
        let got = log_likelihood(&x, &logits).expect("log_likelihood");
        assert_tensors_close(&got, &Nade::log_likelihood(&x, &logits).expect("ref"), 1e-4);
    }
}

// exercise 5.2, 3 points
#[test]
fn log_likelihood_is_finite_and_right_for_saturated_logits() {
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
    let got = values(&log_likelihood(&x, &logits).expect("log_likelihood"));
    assert!(
        got.iter().all(|v| v.is_finite()),
        "log p(x) must be finite for logits ±100, got {got:?}"
    );
    gmcourse::testing::assert_all_close(&got, &[0.0, -200.0], 1e-3);
}

// exercise 5.2, 2 points
#[test]
fn log_likelihood_gradients_match_the_references_autograd_including_saturated_logits() {
    for (scale, seed) in [(2.0, 40), (100.0, 41)] {
        let x = binary(4, 6, seed);
        let logits = normal(4, 6, scale, seed + 1);
        let got = log_likelihood_grad(&x, &logits).expect("gradient");
        let l = candle_core::Var::from_tensor(&logits).expect("var");
        let grads = Nade::log_likelihood(&x, l.as_tensor())
            .and_then(|lp| Ok(lp.sum_all()?.backward()?))
            .expect("reference backward");
        assert!(
            values(&got).iter().all(|v| v.is_finite()),
            "the gradient must be finite (logit scale {scale})"
        );
        assert_tensors_close(&got, grads.get(l.as_tensor()).expect("a gradient"), 1e-4);
    }
}

// exercise 5.2, 2 points
#[test]
fn your_nade_is_a_distribution_its_probabilities_sum_to_one_over_all_images() {
    // NADE is an explicit model: Σ_x p(x) = 1 over all 2^8 binary images
    let p = random_params(8, 5, 50);
    let all: Vec<f32> = (0..256u32)
        .flat_map(|k| (0..8).map(move |i| ((k >> i) & 1) as f32))
        .collect();
    let all = Tensor::from_vec(all, (256, 8), &Device::Cpu).expect("images");
    // the reference's conditionals, your log-likelihood
    let logits = Nade::conditional_logits(&p, &all).expect("reference logits");
    let lp = log_likelihood(&all, &logits).expect("log p(x)");
    let total: f64 = values(&lp).iter().map(|v| v.exp()).sum();
    assert_close(total, 1.0, 1e-4);
}

// exercise 5.3, 3 points
#[test]
fn sample_matches_the_reference_on_the_same_uniforms() {
    for (n, d, h, seed) in [(20, 10, 4, 60), (5, 64, 12, 61)] {
        let p = random_params(d, h, seed);
        let u = rand_uniform(&mut rng(seed + 1), n, d).expect("u");
        let got = sample(&p, &u).expect("sample");
        let want = Nade::sample_from_uniforms(&p, &u).expect("reference");
        assert_eq!(got.dims(), want.dims(), "images are (n, D)");
        // a uniform within rounding of its p_i may land either side: allow one such pixel
        let differ = values(&(got.to_dtype(DType::F32).expect("f32") - want).expect("diff"))
            .iter()
            .filter(|v| v.abs() > 0.5)
            .count();
        assert!(
            differ <= 1,
            "{differ} of {} pixels differ from the reference's on the same uniforms",
            n * d
        );
    }
}

// exercise 5.3, 3 points
#[test]
fn sampled_images_have_the_models_exact_probabilities() {
    // D = 3: the frequency of each of the 8 images over 40 000 draws is its p(x)
    let p = random_params(3, 4, 70);
    let n = 40_000;
    let x = sample(&p, &rand_uniform(&mut rng(71), n, 3).expect("u")).expect("sample");
    let xs = values(&x);
    assert!(
        xs.iter().all(|v| *v == 0.0 || *v == 1.0),
        "every pixel of a sample is 0 or 1"
    );
    let mut counts = [0usize; 8];
    for row in xs.chunks(3) {
        counts[row
            .iter()
            .enumerate()
            .map(|(i, v)| (*v as usize) << i)
            .sum::<usize>()] += 1;
    }
    let all: Vec<f32> = (0..8u32)
        .flat_map(|k| (0..3).map(move |i| ((k >> i) & 1) as f32))
        .collect();
    let all = Tensor::from_vec(all, (8, 3), &Device::Cpu).expect("images");
    let lp = Nade::conditional_logits(&p, &all)
        .and_then(|l| Nade::log_likelihood(&all, &l))
        .expect("reference log p(x)");
    for (k, lp) in values(&lp).iter().enumerate() {
        let (freq, prob) = (counts[k] as f64 / n as f64, lp.exp());
        // 4 standard errors of a frequency
        let tol = 4.0 * (prob * (1.0 - prob) / n as f64).sqrt() + 1e-3;
        assert_close(freq, prob, tol);
    }
}

// exercise 5.4, 2 points
#[test]
fn ar_params_counts_the_first_pixels_exactly() {
    // AR(28) of a 28×28 image: pixels 1–28 need 2^0 + … + 2^27 = 2^28 − 1, the other 756 need 2^28
    assert_close(ar_params(784, 28), 757.0 * 2f64.powi(28) - 1.0, 0.5);
    assert_close(ar_params(10, 3), 1.0 + 2.0 + 4.0 + 7.0 * 8.0, 1e-9);
    // no context: one number per pixel (lesson 02's independent pixels)
    assert_close(ar_params(784, 0), 784.0, 1e-9);
}

// exercise 5.4, 2 points
#[test]
fn ar_params_with_the_whole_past_is_the_full_joint_table() {
    // AR(D − 1) is the chain rule with full tables: 2^D − 1 numbers, as lesson 02 counts
    for d in [1_u32, 5, 20, 60] {
        assert_close(ar_params(d, d - 1), 2f64.powi(d as i32) - 1.0, 1e-6);
        assert_close(ar_params(d, d + 10), 2f64.powi(d as i32) - 1.0, 1e-6);
    }
    let big = ar_params(784, 783);
    assert!(
        (big / 2f64.powi(784) - 1.0).abs() < 1e-9,
        "AR(783) of 784 pixels: 2^784 − 1 ≈ 1.0e236, got {big:e}"
    );
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

/// The test NLL (nats per image) of trained tensors, by the reference's fused kernel.
fn test_nll(params: &Params, test: &Tensor) -> f64 {
    nade::evaluate_with(&Nade::fns(), params, test).expect("the reference's score")
}

// exercise 5.2, 3 points, 60 s, 2048 MB
#[test]
fn your_nade_trained_by_the_course_loop_scores_as_the_reference_does() {
    let (train, test) = (toy_digits(512, 1), toy_digits(256, 2));
    let (hidden, steps, seed) = (16, 150, 7);
    let trained = train_for_test(&train, hidden, steps, seed).expect("training your functions");
    let varmap = gmcourse::models::train::varmap_of(&trained).expect("the trained tensors");
    let cfg = NadeConfig {
        n_pixels: 64,
        hidden,
    };
    let yours = Params::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        &cfg,
    )
    .expect("the trained parameters, by name");
    // the bound: the reference's functions, same data, seed and steps
    let (theirs, _) =
        nade::fit_seeded(&Nade::fns(), &train, hidden, steps, seed).expect("the reference");
    let untrained = test_nll(&Params::seeded(&cfg, seed).expect("fresh").0, &test);
    let (mine, reference) = (test_nll(&yours, &test), test_nll(&theirs, &test));
    assert!(
        reference < untrained - 10.0,
        "the test's own premise: the reference learns"
    );
    assert!(
        mine < reference + 1.0,
        "test NLL after {steps} steps: {mine:.2} nats (the reference reaches {reference:.2}; \
         untrained parameters score {untrained:.2})"
    );
}
