//! Hidden tests for lesson 10: never copied into exercises/. They grade behaviour against
//! the course's reference cGAN (`gmcourse::models::Cgan`): values, shapes and dtypes on
//! seeded labels, inputs and logits, the uniformity of the wrong labels, stability and
//! gradients for saturated logits against the reference's autograd, gradients through the
//! conditioned input, and a short seeded training run of the student's functions on the
//! labelled ring of Gaussians.
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use gmcourse::data::RingConfig;
use gmcourse::models::train::{rand_uniform, randn, rng, varmap_of};
use gmcourse::models::{Cgan, CganConfig, Model};
use gmcourse::testing::{assert_close, assert_tensors_close};
use rand::Rng;
use solutions::l10_conditional_gan::*;

/// `n` seeded labels in `0..k`, u32 `(n,)`.
fn seeded_labels(n: usize, k: u32, seed: u64) -> Tensor {
    let mut r = rng(seed);
    let v: Vec<u32> = (0..n).map(|_| r.random_range(0..k)).collect();
    Tensor::new(v.as_slice(), &Device::Cpu).expect("labels")
}

/// `n` seeded uniforms in `[0, 1)`, f32 `(n,)`.
fn seeded_uniforms(n: usize, seed: u64) -> Tensor {
    rand_uniform(&mut rng(seed), n, 1)
        .and_then(|u| Ok(u.flatten_all()?))
        .expect("uniforms")
}

/// Seeded standard normal draws `(rows, cols)`, scaled.
fn normal(rows: usize, cols: usize, scale: f64, seed: u64) -> Tensor {
    (randn(&mut rng(seed), rows, cols).expect("randn") * scale).expect("scale")
}

fn values(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

fn scalar(t: &Tensor) -> f64 {
    assert_eq!(
        t.dims(),
        &[] as &[usize],
        "a loss is a scalar (rank 0) tensor"
    );
    values(t)[0]
}

// exercise 10.1, 2 points
#[test]
fn one_hot_matches_the_reference_on_seeded_labels_as_f32_rows() {
    for (n, k, seed) in [(50, 10, 1), (7, 2, 2), (1, 5, 3)] {
        let y = seeded_labels(n, k as u32, seed);
        let got = one_hot(&y, k).expect("one_hot");
        assert_eq!(
            got.dims(),
            &[n, k],
            "one_hot of {n} labels among {k} classes is ({n}, {k}): one row per label"
        );
        assert_eq!(
            got.dtype(),
            DType::F32,
            "the one-hot rows are f32, the dtype of the networks' inputs"
        );
        let want = Cgan::one_hot(&y, k).expect("reference");
        assert_tensors_close(&got, &want, 0.0);
    }
}

// exercise 10.1, 2 points
#[test]
fn one_hot_of_a_label_outside_the_classes_is_an_invalid_argument_error() {
    for (y, k) in [(vec![0u32, 10, 3], 10), (vec![2], 2), (vec![1, 0, 7], 5)] {
        let got = one_hot(&Tensor::new(y.as_slice(), &Device::Cpu).expect("labels"), k);
        assert!(
            matches!(got, Err(gmcourse::Error::InvalidArgument { .. })),
            "one_hot({y:?}, {k}): a label is not a class of 0..{k}; expected Err(gmcourse::Error::invalid(..)), got {got:?}"
        );
    }
}

// exercise 10.2, 2 points
#[test]
fn conditioned_input_matches_the_reference_for_the_generators_and_the_discriminators_inputs() {
    for (width, k, n, seed) in [(100, 10, 6, 10), (12, 3, 5, 11), (4, 4, 3, 12)] {
        let v = normal(n, width, 1.0, seed);
        let y = Cgan::one_hot(&seeded_labels(n, k as u32, seed + 1), k).expect("one-hot");
        let got = conditioned_input(&v, &y).expect("conditioned_input");
        assert_eq!(
            got.dims(),
            &[n, width + k],
            "[v ‖ one_hot(y)] of {n} rows of {width} numbers and {k} classes is ({n}, {})",
            width + k
        );
        assert_tensors_close(
            &got,
            &Cgan::conditioned_input(&v, &y).expect("reference"),
            0.0,
        );
    }
}

// exercise 10.2, 1 point
#[test]
fn gradients_flow_through_the_conditioned_input_back_to_its_rows() {
    let v = normal(4, 3, 1.0, 13);
    let y = Cgan::one_hot(&seeded_labels(4, 5, 14), 5).expect("one-hot");
    let g = conditioned_input_grad(&v, &y)
        .expect("gradient")
        .expect("G learns through [z ‖ one_hot(y)]: a gradient must flow back to z");
    assert_tensors_close(&g, &v.ones_like().expect("ones"), 0.0);
}

// exercise 10.3, 2 points
#[test]
fn no_mismatched_label_is_the_images_own_on_seeded_batches() {
    for (n, k, seed) in [(2000, 10, 20), (500, 2, 21), (300, 3, 22)] {
        let y = seeded_labels(n, k, seed);
        let wrong = mismatched_labels(&y, &seeded_uniforms(n, seed + 5), k as usize)
            .expect("mismatched_labels");
        assert_eq!(wrong.dims(), &[n], "one wrong label per image");
        assert_eq!(wrong.dtype(), DType::U32, "labels are u32");
        let wrong = wrong.to_vec1::<u32>().expect("u32");
        let y = y.to_vec1::<u32>().expect("u32");
        for (i, (w, y)) in wrong.iter().zip(&y).enumerate() {
            assert!(
                w != y && *w < k,
                "row {i}: the wrong label for {y} must be another class of 0..{k}, got {w}"
            );
        }
    }
}

// exercise 10.3, 2 points
#[test]
fn mismatched_labels_are_uniform_over_the_other_classes() {
    // K − 1 numbers u at the middles of K − 1 equal slices of [0, 1): a uniform choice
    // among the K − 1 other classes gives each of them once
    for k in [2usize, 3, 10] {
        let m = k - 1;
        let u: Vec<f32> = (0..m).map(|j| (j as f32 + 0.5) / m as f32).collect();
        let u = Tensor::new(u.as_slice(), &Device::Cpu).expect("u");
        for y in 0..k as u32 {
            let same = Tensor::new(vec![y; m].as_slice(), &Device::Cpu).expect("labels");
            let mut got = mismatched_labels(&same, &u, k)
                .and_then(|t| Ok(t.to_vec1::<u32>()?))
                .expect("mismatched_labels");
            got.sort();
            let want: Vec<u32> = (0..k as u32).filter(|&c| c != y).collect();
            assert_eq!(
                got, want,
                "label {y} of {k} classes, u at the middles of {m} equal slices of [0, 1): each other class should come once"
            );
        }
    }
    // and on 9,000 seeded uniforms, each of the 9 other classes about 1,000 times
    let n = 9000;
    let same = Tensor::new(vec![3u32; n].as_slice(), &Device::Cpu).expect("labels");
    let got = mismatched_labels(&same, &seeded_uniforms(n, 23), 10)
        .and_then(|t| Ok(t.to_vec1::<u32>()?))
        .expect("mismatched_labels");
    for c in (0..10u32).filter(|&c| c != 3) {
        let count = got.iter().filter(|&&w| w == c).count();
        assert!(
            (850..=1150).contains(&count),
            "wrong labels for label 3 of 10: class {c} came {count} times in 9,000 draws (expected about 1,000)"
        );
    }
}

/// Logits ±100 with both signs, `(4, 1)`.
fn saturated() -> Tensor {
    Tensor::new(&[[100f32], [-100.0], [100.0], [-100.0]], &Device::Cpu).expect("logits")
}

// exercise 10.4, 3 points
#[test]
fn discriminator_loss_matches_gan_cls_on_seeded_logits_with_batches_of_different_sizes() {
    for (t, n_real, n_wrong, n_fake, seed) in
        [(1.0, 8, 8, 8, 30), (0.9, 5, 7, 3, 31), (0.75, 16, 2, 9, 32)]
    {
        let l_real = normal(n_real, 1, 3.0, seed);
        let l_wrong = normal(n_wrong, 1, 3.0, seed + 10);
        let l_fake = normal(n_fake, 1, 3.0, seed + 20);
        let got = discriminator_loss(&l_real, &l_wrong, &l_fake, t).expect("discriminator_loss");
        let want =
            Cgan::discriminator_loss_of_logits(&l_real, &l_wrong, &l_fake, t).expect("reference");
        assert_close(scalar(&got), scalar(&want), 1e-5);
    }
}

// exercise 10.4, 2 points
#[test]
fn discriminator_loss_is_finite_and_right_for_saturated_logits() {
    // real pairs: two right and two wrong answers of 100 nats, 50 (with target 0.9 the
    // confident right answers cost 0.1 · 100 too: 0.9·50 + 0.1·50); mismatched pairs all
    // rejected, 0; fakes all accepted, 100: 50 + ½(0 + 100) = 100
    let rejected = Tensor::full(-100f32, (4, 1), &Device::Cpu).expect("logits");
    let accepted = Tensor::full(100f32, (4, 1), &Device::Cpu).expect("logits");
    for t in [1.0, 0.9] {
        let loss =
            scalar(&discriminator_loss(&saturated(), &rejected, &accepted, t).expect("loss"));
        assert!(
            loss.is_finite(),
            "D's loss must be finite for logits ±100, got {loss}"
        );
        assert_close(loss, 100.0, 1e-3);
    }
}

// exercise 10.4, 2 points
#[test]
fn discriminator_loss_gradients_match_the_references_autograd_including_saturated_logits() {
    for (l_real, l_wrong, l_fake, t) in [
        (
            normal(6, 1, 2.0, 40),
            normal(4, 1, 2.0, 41),
            normal(5, 1, 2.0, 42),
            0.9,
        ),
        (saturated(), saturated(), saturated(), 1.0),
        (
            saturated(),
            normal(4, 1, 50.0, 43),
            normal(3, 1, 50.0, 44),
            0.9,
        ),
    ] {
        let got = discriminator_loss_grads(&l_real, &l_wrong, &l_fake, t).expect("gradients");
        let vars =
            [&l_real, &l_wrong, &l_fake].map(|l| candle_core::Var::from_tensor(l).expect("var"));
        let grads = Cgan::discriminator_loss_of_logits(
            vars[0].as_tensor(),
            vars[1].as_tensor(),
            vars[2].as_tensor(),
            t,
        )
        .and_then(|l| Ok(l.backward()?))
        .expect("reference backward");
        for (got, var) in [(&got.0, &vars[0]), (&got.1, &vars[1]), (&got.2, &vars[2])] {
            assert!(
                values(got).iter().all(|g| g.is_finite()),
                "gradients must be finite, got {:?}",
                values(got)
            );
            assert_tensors_close(got, grads.get(var.as_tensor()).expect("a gradient"), 1e-5);
        }
    }
}

// exercise 10.4, 3 points, 60 s, 2048 MB
#[test]
fn your_cgan_trained_by_the_course_loop_draws_each_label_at_its_own_mode() {
    let modes = 4;
    let ring = RingConfig {
        modes,
        radius: 2.0,
        sigma: 0.05,
    };
    let (x, y) = ring.draw_labelled(&mut rng(0), 2000).expect("ring");
    let data = x.to_tensor().expect("points");
    let labels = Tensor::new(y.as_slice(), &Device::Cpu).expect("labels");
    let trained = train_for_test(&data, &labels, modes, 600, 10).expect("training your functions");
    let varmap = varmap_of(&trained).expect("the trained tensors");
    let cgan = Cgan::new(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        &CganConfig::toy_2d(modes),
    )
    .expect("the trained networks, by name");
    let centers = ring.centers();
    let mut draws = rng(5);
    let mut agree = 0;
    let n = 200;
    for k in 0..modes as u32 {
        let s = cgan
            .sample(&vec![k; n], &mut draws)
            .and_then(|s| Ok(s.to_vec2::<f32>()?))
            .expect("samples");
        // the label agreement on the ring: the nearest mode is the one asked for
        agree += s
            .iter()
            .filter(|p| {
                let d = |c: &[f64; 2]| (p[0] as f64 - c[0]).powi(2) + (p[1] as f64 - c[1]).powi(2);
                (0..modes).all(|j| d(&centers[k as usize]) <= d(&centers[j]))
            })
            .count();
    }
    let agreement = agree as f64 / (n * modes) as f64;
    assert!(
        agreement >= 0.8,
        "after 600 steps, {:.0} % of your cGAN's samples lie nearest the mode of their label (the reference: 100 %; untrained: about 25 %)",
        100.0 * agreement
    );
}

// exercise 10.5, 2 points
#[test]
fn label_agreement_matches_the_reference_on_seeded_classifier_outputs() {
    for (n, k, seed, dtype) in [(500, 10, 50, DType::F32), (37, 3, 51, DType::F64)] {
        let probs = candle_nn::ops::softmax(&normal(n, k, 2.0, seed), 1)
            .and_then(|p| p.to_dtype(dtype))
            .expect("probabilities");
        let y = seeded_labels(n, k as u32, seed + 1);
        let got = label_agreement(&probs, &y).expect("label_agreement");
        assert_close(
            got,
            Cgan::label_agreement(&probs, &y).expect("reference"),
            1e-12,
        );
    }
}

// exercise 10.5, 1 point
#[test]
fn ties_go_to_the_smaller_class_and_the_bounds_are_zero_and_one() {
    let labels = |v: &[u32]| Tensor::new(v, &Device::Cpu).expect("labels");
    let ties = Tensor::new(&[[0.4f32, 0.4, 0.2], [0.25, 0.25, 0.5]], &Device::Cpu).expect("p");
    assert_close(
        label_agreement(&ties, &labels(&[0, 2])).expect("ties"),
        1.0,
        0.0,
    );
    assert_close(
        label_agreement(&ties, &labels(&[1, 2])).expect("ties"),
        0.5,
        0.0,
    );
    let p = Tensor::new(&[[0.9f64, 0.1], [0.3, 0.7]], &Device::Cpu).expect("p");
    assert_close(
        label_agreement(&p, &labels(&[0, 1])).expect("all"),
        1.0,
        0.0,
    );
    assert_close(
        label_agreement(&p, &labels(&[1, 0])).expect("none"),
        0.0,
        0.0,
    );
}
