//! Hidden tests for lesson 10: never copied into exercises/.
use gmcourse::testing::assert_close;
use solutions::l10_evaluation::*;

// exercise 10.1, 1 point
#[test]
fn a_generator_that_always_makes_the_same_digit_scores_one() {
    let same = vec![vec![0.1, 0.7, 0.2]; 5];
    assert_close(inception_score(&same), 1.0, 1e-12);
}

// exercise 10.1, 2 points
#[test]
fn inception_score_of_mixed_predictions_matches_python() {
    // p(y) = (17/30, 13/30); exp(mean KL) = 1.2028969 (direct Python computation)
    let probs = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.6, 0.4]];
    assert_close(inception_score(&probs), 1.202_896_915_527_108_3, 1e-12);
}

// exercise 10.2, 2 points
#[test]
fn fid_between_diagonal_gaussians_adds_mean_and_covariance_terms() {
    // (1 + 4) + (1 + 4 − 2·2) + (1 + 9 − 2·3) = 10
    assert_close(
        fid_diagonal(&[0.0, 0.0], &[1.0, 1.0], &[1.0, 2.0], &[4.0, 9.0]),
        10.0,
        1e-12,
    );
}

// exercise 10.3, 1 point
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

// exercise 10.3, 2 points
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
