//! Hidden tests for lesson 01: never copied into exercises/.
use gmcourse::testing::{assert_all_close, assert_close};
use solutions::l01_probability::*;

/// A non-uniform 3 × 2 table; values checked by hand (row sums 0.3, 0.5, 0.2).
fn skewed() -> Vec<Vec<f64>> {
    vec![vec![0.1, 0.2], vec![0.4, 0.1], vec![0.05, 0.15]]
}

// exercise 1.1, 1 point
#[test]
fn marginal_sums_each_row_of_a_skewed_table() {
    assert_all_close(&marginal_x(&skewed()), &[0.3, 0.5, 0.2], 1e-12);
}

// exercise 1.1, 1 point
#[test]
fn marginal_of_a_table_with_one_column_is_that_column() {
    assert_all_close(&marginal_x(&[vec![0.25], vec![0.75]]), &[0.25, 0.75], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_of_a_skewed_row_is_renormalised() {
    // row 1 = [0.4, 0.1], p(x = 1) = 0.5
    assert_all_close(&conditional_y_given_x(&skewed(), 1), &[0.8, 0.2], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_sums_to_one_for_every_row() {
    for x in 0..3 {
        let c = conditional_y_given_x(&skewed(), x);
        assert_close(c.iter().sum::<f64>(), 1.0, 1e-12);
    }
}

// exercise 1.3, 1 point
#[test]
fn posterior_of_a_rare_disease_with_a_good_test_is_still_small() {
    // p(d) = 0.01, p(+|d) = 0.99, p(+|¬d) = 0.05:
    // p(d|+) = 0.0099 / (0.0099 + 0.0495) = 0.16666...
    let post = bayes_posterior(&[0.01, 0.99], &[0.99, 0.05]);
    assert_all_close(&post, &[0.0099 / 0.0594, 0.0495 / 0.0594], 1e-12);
}

// exercise 1.3, 1 point
#[test]
fn posterior_is_zero_where_the_prior_is_zero() {
    let post = bayes_posterior(&[0.0, 0.5, 0.5], &[0.9, 0.1, 0.3]);
    assert_all_close(&post, &[0.0, 0.25, 0.75], 1e-12);
}

// exercise 1.4, 2 points
#[test]
fn mean_and_variance_of_a_skewed_distribution_match_hand_values() {
    // E = 0.2·0 + 0.5·10 + 0.3·(−5) = 3.5; E[f²] = 50 + 7.5 = 57.5; Var = 57.5 − 12.25
    let (mean, variance) = mean_and_variance(&[0.2, 0.5, 0.3], &[0.0, 10.0, -5.0]);
    assert_close(mean, 3.5, 1e-12);
    assert_close(variance, 45.25, 1e-10);
}
