//! Hidden tests for lesson 04: never copied into exercises/.
use gmcourse::prob::{self, Bernoulli, Categorical};
use gmcourse::testing::assert_close;
use ndarray::{Array1, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, Normal};
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

/// m seeded waiting times from the exponential distribution of rate `rate`.
fn waits(rate: f64, m: usize, seed: u64) -> Array1<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let exp = Exp::new(rate).expect("a positive rate");
    Array1::from_shape_fn(m, |_| exp.sample(&mut rng))
}

/// The exponential log-likelihood Σ_i log(λ e^(−λ x_i)) in nats, sample by sample.
fn exponential_log_likelihood(rate: f64, x: &Array1<f64>) -> f64 {
    x.iter().map(|&xi| (rate * (-rate * xi).exp()).ln()).sum()
}

// exercise 4.5, 1 point
#[test]
fn exponential_rate_mle_recovers_the_rate_of_seeded_samples() {
    // 20,000 waits of rate 2.5: the estimate is within sampling error of 2.5
    let x = waits(2.5, 20_000, 45);
    let rate = exponential_rate_mle(&x);
    assert_close(rate, 2.5, 0.05);
    // and exactly where the score m/λ − Σ x_i vanishes, on small seeded data sets too
    for (m, seed) in [(20_000, 45), (7, 46), (40, 47)] {
        let x = waits(1.7, m, seed);
        let rate = exponential_rate_mle(&x);
        assert_close(m as f64 / rate, x.sum(), 1e-9 * x.sum());
    }
}

// exercise 4.5, 1 point
#[test]
fn exponential_rate_mle_maximises_the_log_likelihood() {
    for (m, seed) in [(3, 48), (5, 49), (10, 50), (200, 51)] {
        let x = waits(0.8, m, seed);
        let rate = exponential_rate_mle(&x);
        let best = exponential_log_likelihood(rate, &x);
        for factor in [0.8, 0.98, 0.998, 1.002, 1.02, 1.25] {
            let other = exponential_log_likelihood(rate * factor, &x);
            assert!(
                other < best,
                "m = {m}: the log-likelihood at {factor} × your estimate ({other}) is not below its value at your estimate ({best}), so your estimate is not the maximum"
            );
        }
    }
}

// exercise 4.5, 1 point
#[test]
fn exponential_rate_mle_scales_as_one_over_the_unit_and_handles_the_edges() {
    // waits measured in hours instead of seconds: the rate per hour is 3600 times the rate per second
    let x = waits(0.3, 25, 52);
    let rate = exponential_rate_mle(&x);
    for c in [1e-3, 60.0, 3600.0] {
        let scaled = exponential_rate_mle(&(&x * c));
        assert_close(scaled * c, rate, 1e-12 * rate);
    }
    // one wait of 4: one event per 4 units
    assert_close(exponential_rate_mle(&array![4.0]), 0.25, 1e-12);
    // every wait 0: the likelihood grows without bound, the estimate is +inf
    assert_close(exponential_rate_mle(&Array1::zeros(5)), f64::INFINITY, 0.0);
}
