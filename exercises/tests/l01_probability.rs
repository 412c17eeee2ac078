// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 01. Run them with `./course check 01`.
use exercises::l01_probability::*;
use gmcourse::testing::{assert_all_close, assert_close};
use ndarray::{Array1, Array2, array};

/// The die-and-coin table of note 000: 6 × 2 cells of 1/12.
fn die_and_coin() -> Array2<f64> {
    Array2::from_elem((6, 2), 1.0 / 12.0)
}

// exercise 1.1, 1 point
#[test]
fn marginal_of_die_and_coin_is_two_twelfths_per_face() {
    // note 000: p(x) = 1/12 + 1/12 = 2/12
    let p_x = marginal_x(&die_and_coin());
    assert_all_close(&p_x, &[2.0 / 12.0; 6], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_of_coin_given_die_three_is_one_half() {
    // note 000: p(y | x = 3) = (1/12) / (1/6) = 1/2
    let p_y_given_3 = conditional_y_given_x(&die_and_coin(), 2);
    assert_all_close(&p_y_given_3, &[0.5, 0.5], 1e-12);
}

// exercise 1.3, 1 point
#[test]
fn posterior_of_uniform_prior_is_normalised_likelihood() {
    let posterior = bayes_posterior(&array![0.5, 0.5], &array![0.2, 0.6]);
    assert_all_close(&posterior, &[0.25, 0.75], 1e-12);
}

// exercise 1.4, 1 point
#[test]
fn fair_die_has_mean_three_and_a_half() {
    let fair = Array1::from_elem(6, 1.0 / 6.0);
    let (mean, variance) = mean_and_variance(&fair, &array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_close(mean, 3.5, 1e-12);
    // 35/12: the variance of a fair die, Σ (k − 3.5)² / 6
    assert_close(variance, 35.0 / 12.0, 1e-12);
}
