//! Public tests for lesson 04. Run them with `./course check 04`.
use gmcourse::testing::assert_close;
use ndarray::array;
use solutions::l04_maximum_likelihood::*;

// exercise 4.1, 1 point
#[test]
fn log_likelihood_of_a_fair_coin_is_m_log_one_half() {
    assert_close(
        bernoulli_log_likelihood(0.5, &array![1, 0, 1]),
        3.0 * 0.5f64.ln(),
        1e-12,
    );
}

// exercise 4.2, 1 point
#[test]
fn bernoulli_mle_of_three_heads_in_four_flips_is_three_quarters() {
    assert_close(bernoulli_mle(&array![1, 0, 1, 1]), 0.75, 1e-12);
}

// exercise 4.3, 1 point
#[test]
fn gaussian_mle_of_one_to_four_divides_by_m() {
    // mean 2.5; (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25 (not / 3)
    let (mu, var) = gaussian_mle(&array![1.0, 2.0, 3.0, 4.0]);
    assert_close(mu, 2.5, 1e-12);
    assert_close(var, 1.25, 1e-12);
}

// exercise 4.4, 1 point
#[test]
fn map_with_a_beta_2_2_prior_pulls_towards_one_half() {
    // (3 + 2 − 1) / (3 + 2 + 2 − 2) = 4/5
    assert_close(bernoulli_map(&array![1, 1, 1], 2.0, 2.0), 0.8, 1e-12);
}

// exercise 4.5, 1 point
#[test]
fn exponential_rate_of_three_waits_summing_to_one_is_three() {
    // three events in one unit of time in all: three per unit
    assert_close(exponential_rate_mle(&array![0.2, 0.3, 0.5]), 3.0, 1e-12);
}
