// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 01. Run them with `./course check 01`.
use exercises::l01_probability::*;
use gmcourse::testing::{assert_all_close, assert_close};

/// The die-and-coin table of note 000: 6 × 2 cells of 1/12.
fn die_and_coin() -> Vec<Vec<f64>> {
    vec![vec![1.0 / 12.0; 2]; 6]
}

// exercise 1.1, 1 point
#[test]
fn marginal_of_die_and_coin_is_two_twelfths_per_face() {
    // note 000: p(x) = 1/12 + 1/12 = 2/12
    assert_all_close(&marginal_x(&die_and_coin()), &[2.0 / 12.0; 6], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_of_coin_given_die_three_is_one_half() {
    // note 000: p(y | x = 3) = (1/12) / (1/6) = 1/2
    assert_all_close(
        &conditional_y_given_x(&die_and_coin(), 2),
        &[0.5, 0.5],
        1e-12,
    );
}

// exercise 1.3, 1 point
#[test]
fn posterior_of_uniform_prior_is_normalised_likelihood() {
    assert_all_close(
        &bayes_posterior(&[0.5, 0.5], &[0.2, 0.6]),
        &[0.25, 0.75],
        1e-12,
    );
}

// exercise 1.4, 1 point
#[test]
fn fair_die_has_mean_three_and_a_half() {
    let (mean, variance) = mean_and_variance(&[1.0 / 6.0; 6], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_close(mean, 3.5, 1e-12);
    // 35/12: the variance of a fair die, Σ (k − 3.5)² / 6
    assert_close(variance, 35.0 / 12.0, 1e-12);
}
