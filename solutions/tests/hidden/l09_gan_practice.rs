//! Hidden tests for lesson 09: never copied into exercises/. They grade behaviour against
//! the course's reference GAN (`gmcourse::models::Gan`): values on seeded random logits,
//! stability and gradients for saturated logits against the reference's autograd, the
//! routing of gradients in a training step (which weights each loss may move, checked
//! bitwise after one step of the course's optimiser), and a short seeded training run of
//! the student's functions on the ring of Gaussians.
use candle_core::{DType, Device, Tensor};
use gmcourse::data::{Points, RingConfig, synthetic};
use gmcourse::info::{self, Unit};
use gmcourse::models::gan::{Nets, OutputActivation};
use gmcourse::models::train::{rand_uniform, randn, rng};
use gmcourse::models::{Gan, GanConfig, GeneratorLoss};
use gmcourse::testing::{assert_close, assert_tensors_close};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l09_gan_practice::*;

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

/// Logits ±100 with both signs, `(4, 1)`.
fn saturated() -> Tensor {
    Tensor::new(&[[100f32], [-100.0], [100.0], [-100.0]], &Device::Cpu).expect("logits")
}

// exercise 9.1, 3 points
#[test]
fn discriminator_loss_matches_the_reference_with_and_without_label_smoothing() {
    for (t, n_real, n_fake, seed) in [(1.0, 8, 8, 1), (0.9, 5, 7, 2), (0.75, 16, 3, 3)] {
        let l_real = normal(n_real, 1, 3.0, seed);
        let l_fake = normal(n_fake, 1, 3.0, seed + 10);
        let got = discriminator_loss(&l_real, &l_fake, t).expect("discriminator_loss");
        let want = Gan::discriminator_loss_of_logits(&l_real, &l_fake, t).expect("reference");
        assert_close(scalar(&got), scalar(&want), 1e-5);
    }
}

// exercise 9.1, 2 points
#[test]
fn discriminator_loss_is_finite_and_right_for_saturated_logits() {
    // two right and two wrong answers of 100 nats on each batch: 50 + 50; with target 0.9
    // the confident right real answers cost 0.1 · 100 too: 0.9·50 + 0.1·50 + 50 = 100
    for t in [1.0, 0.9] {
        let loss = scalar(&discriminator_loss(&saturated(), &saturated(), t).expect("loss"));
        assert!(
            loss.is_finite(),
            "D's loss must be finite for logits ±100, got {loss}"
        );
        assert_close(loss, 100.0, 1e-3);
    }
}

// exercise 9.1, 2 points
#[test]
fn discriminator_loss_gradients_match_the_references_autograd_including_saturated_logits() {
    for (l_real, l_fake, t) in [
        (normal(6, 1, 2.0, 20), normal(4, 1, 2.0, 21), 0.9),
        (saturated(), saturated(), 1.0),
        (saturated(), normal(4, 1, 50.0, 22), 0.9),
    ] {
        let (g_real, g_fake) = discriminator_loss_grads(&l_real, &l_fake, t).expect("gradients");
        let (v_real, v_fake) = (
            candle_core::Var::from_tensor(&l_real).expect("var"),
            candle_core::Var::from_tensor(&l_fake).expect("var"),
        );
        let grads = Gan::discriminator_loss_of_logits(v_real.as_tensor(), v_fake.as_tensor(), t)
            .and_then(|l| Ok(l.backward()?))
            .expect("reference backward");
        for (got, var) in [(&g_real, &v_real), (&g_fake, &v_fake)] {
            assert!(
                values(got).iter().all(|g| g.is_finite()),
                "gradients must be finite, got {:?}",
                values(got)
            );
            assert_tensors_close(got, grads.get(var.as_tensor()).expect("a gradient"), 1e-5);
        }
    }
}

// exercise 9.2, 2 points
#[test]
fn generator_losses_match_the_reference_in_both_forms() {
    for (seed, n) in [(30, 8), (31, 1), (32, 33)] {
        let l_fake = normal(n, 1, 3.0, seed);
        for kind in [GeneratorLoss::Minimax, GeneratorLoss::NonSaturating] {
            let got = generator_loss(&l_fake, kind).expect("generator_loss");
            let want = Gan::generator_loss_of_logits(&l_fake, kind).expect("reference");
            assert_close(scalar(&got), scalar(&want), 1e-5);
        }
    }
}

// exercise 9.2, 2 points
#[test]
fn generator_losses_are_finite_and_right_for_saturated_logits() {
    // minimax: mean log(1 − σ(l)) = (0 − 100 + 0 − 100) / 4 = −50 (the −100s are D's
    // confident rejections); non-saturating: mean −log σ(l) = (0 + 100 + 0 + 100) / 4 = 50
    let minimax = scalar(&generator_loss(&saturated(), GeneratorLoss::Minimax).expect("mm"));
    let ns = scalar(&generator_loss(&saturated(), GeneratorLoss::NonSaturating).expect("ns"));
    assert!(
        minimax.is_finite() && ns.is_finite(),
        "G's losses must be finite for logits ±100, got {minimax} and {ns}"
    );
    assert_close(minimax, -50.0, 1e-3);
    assert_close(ns, 50.0, 1e-3);
}

// exercise 9.2, 2 points
#[test]
fn generator_loss_gradients_match_the_references_and_the_minimax_one_vanishes_when_d_wins() {
    for l_fake in [normal(5, 1, 2.0, 40), saturated()] {
        for kind in [GeneratorLoss::Minimax, GeneratorLoss::NonSaturating] {
            let got = generator_loss_grads(&l_fake, kind).expect("gradient");
            let var = candle_core::Var::from_tensor(&l_fake).expect("var");
            let grads = Gan::generator_loss_of_logits(var.as_tensor(), kind)
                .and_then(|l| Ok(l.backward()?))
                .expect("reference backward");
            assert!(
                values(&got).iter().all(|g| g.is_finite()),
                "finite gradients"
            );
            assert_tensors_close(&got, grads.get(var.as_tensor()).expect("a gradient"), 1e-5);
        }
    }
    // D rejects every fake (logit −10): per sample the minimax gradient is −σ(−10)/n,
    // the non-saturating one −(1 − σ(−10))/n
    let rejected = Tensor::full(-10f32, (2, 1), &Device::Cpu).expect("logits");
    let mm = values(&generator_loss_grads(&rejected, GeneratorLoss::Minimax).expect("mm"));
    let ns = values(&generator_loss_grads(&rejected, GeneratorLoss::NonSaturating).expect("ns"));
    let sigma = 1.0 / (1.0 + 10f64.exp());
    assert_close(mm[0], -sigma / 2.0, 1e-7);
    assert_close(ns[0], -(1.0 - sigma) / 2.0, 1e-6);
}

/// Seeded networks: the ring's, or small pixel networks with packing.
fn nets(pixels: bool, seed: u64) -> Nets {
    let cfg = if pixels {
        GanConfig {
            data_dim: 12,
            latent: 3,
            g_hidden: vec![8],
            d_hidden: vec![8, 4],
            output: OutputActivation::Sigmoid,
            pack: 2,
            ..GanConfig::mnist()
        }
    } else {
        GanConfig {
            g_hidden: vec![16, 16],
            d_hidden: vec![16, 16],
            ..GanConfig::toy_2d()
        }
    };
    Nets::seeded(&cfg, seed).expect("nets").0
}

/// A seeded real batch and z for `nets`.
fn batch(nets: &Nets, n: usize, seed: u64) -> (Tensor, Tensor) {
    let cfg = nets.config();
    let x = match cfg.output {
        OutputActivation::Sigmoid => rand_uniform(&mut rng(seed), n, cfg.data_dim).expect("x"),
        OutputActivation::Linear => normal(n, cfg.data_dim, 1.5, seed),
    };
    (x, normal(n, cfg.latent, 1.0, seed + 1))
}

// exercise 9.3, 2 points
#[test]
fn step_logits_match_the_reference_on_seeded_networks_with_and_without_packing() {
    for (pixels, seed) in [(false, 50), (true, 51)] {
        let nets = nets(pixels, seed);
        let (x, z) = batch(&nets, 6, seed + 2);
        let got = step_logits(&nets, &x, &z).expect("step_logits");
        let want = Gan::step_logits(&nets, &x, &z).expect("reference");
        assert_tensors_close(&got.0, &want.0, 1e-5);
        assert_tensors_close(&got.1, &want.1, 1e-5);
        assert_tensors_close(&got.2, &want.2, 1e-5);
    }
}

/// Whether a gradient is absent or all zeros.
fn none_or_zero(g: &Option<Tensor>) -> bool {
    g.as_ref()
        .is_none_or(|g| values(g).iter().all(|v| *v == 0.0))
}

// exercise 9.3, 3 points
#[test]
fn ds_loss_sends_no_gradient_to_g_and_gs_loss_none_to_ds_weights() {
    for (pixels, seed) in [(false, 60), (true, 61)] {
        let nets = nets(pixels, seed);
        let (x, z) = batch(&nets, 6, seed + 2);
        let (d_side, g_side) = step_grads(&nets, &x, &z).expect("gradients of your step");
        // the reference's autograd on the same sums
        let (l_real, l_fake_d, l_fake_g) = Gan::step_logits(&nets, &x, &z).expect("reference");
        let d_ref = (l_real.sum_all().expect("sum") + l_fake_d.sum_all().expect("sum"))
            .and_then(|l| l.backward())
            .expect("backward");
        let g_ref = l_fake_g
            .sum_all()
            .and_then(|l| l.backward())
            .expect("backward");
        assert_eq!(
            d_side.len(),
            nets.tensors().len(),
            "one gradient per tensor"
        );
        for (k, (name, t)) in nets.tensors().iter().enumerate() {
            for (side, got, reference) in [("D's", &d_side[k], &d_ref), ("G's", &g_side[k], &g_ref)]
            {
                match reference.get(t) {
                    None => assert!(
                        none_or_zero(got),
                        "{side} loss must not reach {name}: it would move that weight"
                    ),
                    Some(want) => {
                        let got = got.as_ref().unwrap_or_else(|| {
                            panic!("{side} loss must reach {name}, and no gradient flows there")
                        });
                        assert_tensors_close(got, want, 1e-4);
                    }
                }
            }
        }
    }
}

fn same_bits(a: &Tensor, b: &Tensor) -> bool {
    let bits = |t: &Tensor| -> Vec<u32> {
        t.flatten_all()
            .and_then(|t| t.to_vec1::<f32>())
            .expect("f32")
            .iter()
            .map(|v| v.to_bits())
            .collect()
    };
    bits(a) == bits(b)
}

// exercise 9.3, 3 points
#[test]
fn one_step_of_the_course_optimiser_on_gs_loss_leaves_d_bitwise_unchanged_and_vice_versa() {
    for (pixels, seed) in [(false, 70), (true, 71)] {
        let nets = nets(pixels, seed);
        let (x, z) = batch(&nets, 8, seed + 2);
        let (after_d, after_g) = one_sided_updates(&nets, &x, &z, 1e-2).expect("the two updates");
        let mut moved = [0, 0];
        for (k, (name, t)) in nets.tensors().iter().enumerate() {
            let is_d = name.starts_with("discriminator");
            let (d_kept, g_kept) = (
                same_bits(&after_d.tensors()[k].1, t),
                same_bits(&after_g.tensors()[k].1, t),
            );
            if is_d {
                assert!(
                    g_kept,
                    "G's update moved the discriminator's {name}: D must be frozen in G's loss"
                );
                moved[0] += usize::from(!d_kept);
            } else {
                assert!(
                    d_kept,
                    "D's update moved the generator's {name}: the fakes must be detached in D's loss"
                );
                moved[1] += usize::from(!g_kept);
            }
        }
        assert!(moved[0] > 0, "D's update must move D");
        assert!(moved[1] > 0, "G's update must move G");
    }
}

// exercise 9.3, 3 points, 60 s, 2048 MB
#[test]
fn your_gan_trained_by_the_course_loop_puts_its_samples_on_the_ring() {
    let ring = RingConfig::default();
    let data = ring
        .sample(4096, 1)
        .and_then(|p| p.to_tensor())
        .expect("ring");
    let trained = train_for_test(&data, 64, 800, 9).expect("training your functions");
    let cfg = GanConfig {
        g_hidden: vec![64, 64],
        d_hidden: vec![64, 64],
        ..GanConfig::toy_2d()
    };
    let (nets, _) = Nets::from_tensors(&cfg, &trained).expect("the trained networks, by name");
    let fake =
        Points::from_tensor(&nets.generate(&normal(2000, 2, 1.0, 5)).expect("G")).expect("points");
    let counts = synthetic::mode_counts(&fake, &ring.centers(), 0.2);
    assert!(
        counts.covered(20) >= 6 && counts.near() > 0.25,
        "after 800 steps, {} of 8 modes covered and {:.0} % of the samples within 0.2 of a mode (the reference: 8 and 36 %; untrained: 0 and 0 %)",
        counts.covered(20),
        100.0 * counts.near()
    );
}

/// Seeded positive densities at `n` points.
fn densities(n: usize, seed: u64) -> Tensor {
    let t = (normal(n, 1, 1.5, seed).exp().expect("exp") + 1e-3).expect("positive");
    t.flatten_all()
        .and_then(|t| t.to_dtype(DType::F64))
        .expect("f64")
}

// exercise 9.4, 2 points
#[test]
fn optimal_discriminator_matches_the_reference_for_smoothing_on_both_sides() {
    for (t, f, seed) in [(1.0, 0.0, 80), (0.9, 0.1, 81), (0.8, 0.3, 82)] {
        let (p, q) = (densities(10, seed), densities(10, seed + 5));
        let got =
            optimal_discriminator_smoothed(&p, &q, t, f).expect("optimal_discriminator_smoothed");
        let want = Gan::optimal_discriminator_smoothed(&p, &q, t, f).expect("reference");
        assert_tensors_close(&got, &want, 1e-9);
    }
}

// exercise 9.4, 1 point
#[test]
fn optimal_discriminator_minimises_ds_smoothed_loss_at_every_point() {
    let (p, q, t, f) = (densities(12, 90), densities(12, 91), 0.85, 0.2);
    let d = values(
        &optimal_discriminator_smoothed(&p, &q, t, f).expect("optimal_discriminator_smoothed"),
    );
    let (p, q) = (values(&p), values(&q));
    // D's expected loss at one point, as a function of the number D(x)
    let loss = |k: usize, d: f64| {
        -p[k] * (t * d.ln() + (1.0 - t) * (1.0 - d).ln())
            - q[k] * (f * d.ln() + (1.0 - f) * (1.0 - d).ln())
    };
    for k in 0..12 {
        assert!(
            d[k] > 0.0 && d[k] < 1.0,
            "D* is a probability, got {}",
            d[k]
        );
        for step in [-1e-3, 1e-3] {
            assert!(
                loss(k, d[k]) <= loss(k, (d[k] + step).clamp(1e-9, 1.0 - 1e-9)),
                "moving D away from your D* = {} lowers D's loss at point {k}",
                d[k]
            );
        }
    }
}

// exercise 9.4, 1 point
#[test]
fn without_smoothing_d_star_is_lesson_08s_and_where_p_g_is_p_data_it_is_the_mean_target() {
    let (p, q) = (densities(6, 95), densities(6, 96));
    let plain = values(&optimal_discriminator_smoothed(&p, &q, 1.0, 0.0).expect("D*"));
    for ((d, a), b) in plain.iter().zip(values(&p)).zip(values(&q)) {
        assert_close(*d, a / (a + b), 1e-12);
    }
    let same = values(&optimal_discriminator_smoothed(&p, &p, 0.9, 0.2).expect("D*"));
    gmcourse::testing::assert_all_close(&same, &[0.55; 6], 1e-12);
}

// exercise 9.5, 1 point
#[test]
fn a_generator_that_always_makes_the_same_digit_scores_one() {
    let same = vec![vec![0.1, 0.7, 0.2]; 5];
    assert_close(inception_score(&same), 1.0, 1e-12);
}

// exercise 9.5, 2 points
#[test]
fn inception_score_of_mixed_predictions_matches_python() {
    // p(y) = (17/30, 13/30); exp(mean KL) = 1.2028969 (direct Python computation)
    let probs = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.6, 0.4]];
    assert_close(inception_score(&probs), 1.202_896_915_527_108_3, 1e-12);
}

// exercise 9.5, 1 point
#[test]
fn inception_score_matches_gmcourse_kl_on_seeded_classifier_outputs() {
    let mut rng = StdRng::seed_from_u64(93);
    let class_probs: Vec<Vec<f64>> = (0..200)
        .map(|_| {
            let raw: Vec<f64> = (0..10)
                .map(|_| rng.random_range(0.0..1.0f64).powi(4))
                .collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|r| r / total).collect()
        })
        .collect();
    let p_y: Vec<f64> = (0..10)
        .map(|k| class_probs.iter().map(|p| p[k]).sum::<f64>() / 200.0)
        .collect();
    // reference: exp(mean_n gmcourse::info::kl(p(y | x_n) ‖ p(y))) in nats
    let mean_kl = class_probs
        .iter()
        .map(|p| info::kl(p, &p_y, Unit::Nats).expect("valid PMFs"))
        .sum::<f64>()
        / 200.0;
    assert_close(inception_score(&class_probs), mean_kl.exp(), 1e-9);
}

// exercise 9.6, 1 point
#[test]
fn fid_2d_with_diagonal_covariances_agrees_with_the_diagonal_formula() {
    let d = fid_2d(
        [0.0, 0.0],
        [[1.0, 0.0], [0.0, 1.0]],
        [1.0, 2.0],
        [[4.0, 0.0], [0.0, 9.0]],
    );
    assert_close(d, 10.0, 1e-9);
}

// exercise 9.6, 2 points
#[test]
fn fid_2d_with_correlated_covariances_matches_an_eigenvalue_computation() {
    // Python: eigenvalues of Σ₁^½ Σ₂ Σ₁^½ by the quadratic formula → 5.9293119
    let d = fid_2d(
        [0.0, 1.0],
        [[2.0, 0.5], [0.5, 1.0]],
        [1.0, -1.0],
        [[1.0, -0.3], [-0.3, 3.0]],
    );
    assert_close(d, 5.929_311_854_967_773, 1e-9);
}
