//! Hidden tests for lesson 04: never copied into exercises/.
use gmcourse::prob::{self, Bernoulli, Categorical};
use gmcourse::testing::assert_close;
use ndarray::{Array1, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use solutions::l04_maximum_likelihood::*;

fn flips(theta: f64, m: usize, seed: u64) -> Array1<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array1::from_shape_fn(m, |_| u8::from(rng.random::<f64>() < theta))
}

// exercise 4.1, 2 points
#[test]
fn log_likelihood_of_ten_thousand_flips_stays_finite() {
    // the product 0.5^10000 underflows to 0 in f64; the sum of logs is 10000 · ln 0.5
    let x = flips(0.5, 10_000, 9);
    assert_close(
        bernoulli_log_likelihood(0.5, &x),
        10_000.0 * 0.5f64.ln(),
        1e-6,
    );
}

// exercise 4.1, 1 point
#[test]
fn log_likelihood_is_minus_infinity_when_theta_rules_out_the_data() {
    let ll = bernoulli_log_likelihood(0.0, &array![0, 1]);
    assert!(
        ll == f64::NEG_INFINITY,
        "θ = 0 and one head: expected −inf, got {ll}"
    );
}

// exercise 4.2, 1 point
#[test]
fn bernoulli_mle_recovers_theta_from_ten_thousand_seeded_flips() {
    let x = flips(0.3, 10_000, 4);
    let ones = x.iter().filter(|&&v| v == 1).count() as f64;
    assert_close(bernoulli_mle(&x), ones / 10_000.0, 1e-12);
    assert_close(bernoulli_mle(&x), 0.3, 0.02);
}

// exercise 4.2, 1 point
#[test]
fn bernoulli_mle_of_all_tails_is_zero() {
    assert_close(bernoulli_mle(&Array1::zeros(7)), 0.0, 1e-15);
}

// exercise 4.3, 1 point
#[test]
fn gaussian_mle_recovers_mean_and_variance_of_seeded_normal_samples() {
    let mut rng = StdRng::seed_from_u64(42);
    let normal = Normal::new(2.0, 3.0).expect("valid normal");
    let x = Array1::from_shape_fn(20_000, |_| normal.sample(&mut rng));
    let (mu, var) = gaussian_mle(&x);
    assert_close(mu, 2.0, 0.1);
    assert_close(var, 9.0, 0.4);
}

// exercise 4.3, 1 point
#[test]
fn gaussian_mle_of_two_points_uses_the_biased_variance() {
    let (mu, var) = gaussian_mle(&array![1.0, 3.0]);
    assert_close(mu, 2.0, 1e-12);
    assert_close(var, 1.0, 1e-12);
}

// exercise 4.4, 1 point
#[test]
fn map_with_a_flat_prior_equals_the_mle() {
    let x = flips(0.7, 50, 3);
    assert_close(
        bernoulli_map(&x, 1.0, 1.0),
        bernoulli_mle_reference(&x),
        1e-12,
    );
}

// exercise 4.4, 1 point
#[test]
fn map_with_one_head_in_four_and_a_beta_3_3_prior_is_three_eighths() {
    // (1 + 3 − 1) / (4 + 3 + 3 − 2) = 3/8
    assert_close(bernoulli_map(&array![1, 0, 0, 0], 3.0, 3.0), 0.375, 1e-12);
}

fn bernoulli_mle_reference(x: &Array1<u8>) -> f64 {
    x.iter().filter(|&&v| v == 1).count() as f64 / x.len() as f64
}

// exercise 4.1, 1 point
#[test]
fn log_likelihood_matches_gmcourse_bernoulli_log_prob() {
    let x = flips(0.35, 200, 41);
    for theta in [0.1, 0.35, 0.5, 0.9] {
        // reference: Σ gmcourse::prob::Bernoulli::log_prob
        let model = Bernoulli::new(theta).expect("theta in [0, 1]");
        let want: f64 = x.iter().map(|&xi| model.log_prob(xi == 1)).sum();
        assert_close(bernoulli_log_likelihood(theta, &x), want, 1e-9);
    }
}

// exercise 4.2, 1 point
#[test]
fn bernoulli_mle_matches_the_gmcourse_categorical_fitted_from_counts() {
    let x = flips(0.62, 137, 42);
    let ones = x.iter().filter(|&&v| v == 1).count() as u64;
    // reference: gmcourse::prob::Categorical::from_counts is the categorical MLE
    let fitted = Categorical::from_counts(&[x.len() as u64 - ones, ones]).expect("some flips");
    assert_close(bernoulli_mle(&x), fitted.probs()[1], 1e-12);
}

// exercise 4.3, 1 point
#[test]
fn gaussian_mle_matches_gmcourse_moments_with_uniform_weights() {
    let x = Array1::from_shape_fn(50, |i| (i as f64 * 0.37).sin() * 4.0 + 1.0);
    let w = Array1::from_elem(50, 1.0 / 50.0);
    // reference: gmcourse::prob::expectation and variance under the empirical distribution
    let (mu, var) = gaussian_mle(&x);
    assert_close(mu, prob::expectation(&w, &x).expect("valid weights"), 1e-12);
    assert_close(var, prob::variance(&w, &x).expect("valid weights"), 1e-12);
}
