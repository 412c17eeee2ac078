// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 09. Run them with `./course check 09`.
use exercises::l09_gan_practice::*;
use gmcourse::testing::assert_close;

// exercise 9.1, 1 point
#[test]
fn non_saturating_loss_at_one_half_is_log_two() {
    assert_close(
        generator_loss(&[0.5], GeneratorLoss::NonSaturating),
        2f64.ln(),
        1e-12,
    );
}

// exercise 9.2, 1 point
#[test]
fn minimax_gradient_at_logit_zero_is_minus_one_half() {
    assert_close(
        generator_loss_grad_wrt_logit(0.0, GeneratorLoss::Minimax),
        -0.5,
        1e-12,
    );
}

// exercise 9.3, 1 point
#[test]
fn confident_and_diverse_predictions_over_four_classes_score_four() {
    let eye: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    assert_close(inception_score(&eye), 4.0, 1e-12);
}

// exercise 9.4, 1 point
#[test]
fn fid_between_identical_diagonal_gaussians_is_zero() {
    assert_close(
        fid_diagonal(&[1.0, 2.0], &[0.5, 3.0], &[1.0, 2.0], &[0.5, 3.0]),
        0.0,
        1e-12,
    );
}

// exercise 9.5, 1 point
#[test]
fn fid_between_identical_2d_gaussians_is_zero() {
    let s = [[2.0, 0.5], [0.5, 1.0]];
    assert_close(fid_2d([0.0, 1.0], s, [0.0, 1.0], s), 0.0, 1e-9);
}
