//! Hidden tests for lesson 09: never copied into exercises/.
use gmcourse::info::{self, Unit};
use gmcourse::testing::assert_close;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l09_gan_practice::*;

// exercise 9.1, 1 point
#[test]
fn minimax_generator_loss_is_the_mean_of_log_one_minus_d() {
    assert_close(
        generator_loss(&[0.1, 0.2], GeneratorLoss::Minimax),
        (0.9f64.ln() + 0.8f64.ln()) / 2.0,
        1e-12,
    );
}

// exercise 9.1, 1 point
#[test]
fn non_saturating_generator_loss_is_minus_the_mean_of_log_d() {
    assert_close(
        generator_loss(&[0.1, 0.2], GeneratorLoss::NonSaturating),
        -(0.1f64.ln() + 0.2f64.ln()) / 2.0,
        1e-12,
    );
}

// exercise 9.2, 2 points
#[test]
fn the_minimax_gradient_vanishes_when_the_discriminator_wins() {
    // a = −10: σ(a) = 4.54e−5
    let sat = generator_loss_grad_wrt_logit(-10.0, GeneratorLoss::Minimax);
    let ns = generator_loss_grad_wrt_logit(-10.0, GeneratorLoss::NonSaturating);
    assert_close(sat, -4.539_786_870_243_442e-5, 1e-15);
    assert_close(ns, -(1.0 - 4.539_786_870_243_442e-5), 1e-12);
}

// exercise 9.3, 1 point
#[test]
fn a_generator_that_always_makes_the_same_digit_scores_one() {
    let same = vec![vec![0.1, 0.7, 0.2]; 5];
    assert_close(inception_score(&same), 1.0, 1e-12);
}

// exercise 9.3, 2 points
#[test]
fn inception_score_of_mixed_predictions_matches_python() {
    // p(y) = (17/30, 13/30); exp(mean KL) = 1.2028969 (direct Python computation)
    let probs = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.6, 0.4]];
    assert_close(inception_score(&probs), 1.202_896_915_527_108_3, 1e-12);
}

// exercise 9.3, 1 point
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

// exercise 9.4, 2 points
#[test]
fn fid_between_diagonal_gaussians_adds_mean_and_covariance_terms() {
    // (1 + 4) + (1 + 4 − 2·2) + (1 + 9 − 2·3) = 10
    assert_close(
        fid_diagonal(&[0.0, 0.0], &[1.0, 1.0], &[1.0, 2.0], &[4.0, 9.0]),
        10.0,
        1e-12,
    );
}

// exercise 9.5, 1 point
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

// exercise 9.5, 2 points
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
