//! Hidden tests for lesson 07: never copied into exercises/.
use gmcourse::testing::assert_close;
use gmcourse::{info, prob};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};
use solutions::l07_autoencoders_vae::*;

/// Seeded (mu, log_var) of a `d`-dimensional diagonal Gaussian posterior.
fn random_posterior(d: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mu = (0..d).map(|_| rng.random_range(-2.0..2.0)).collect();
    let log_var = (0..d).map(|_| rng.random_range(-3.0..1.5)).collect();
    (mu, log_var)
}

/// Reference: Σ_j gmcourse::info::kl_to_standard_normal(mu_j, log_var_j).
fn kl_reference(mu: &[f64], log_var: &[f64]) -> f64 {
    mu.iter()
        .zip(log_var)
        .map(|(&m, &lv)| info::kl_to_standard_normal(m, lv).expect("finite inputs"))
        .sum()
}

// exercise 7.1, 2 points
#[test]
fn reparameterized_samples_have_mean_mu_and_variance_exp_log_var() {
    let mut rng = StdRng::seed_from_u64(8);
    let n = 100_000;
    let eps: Vec<f64> = (0..n)
        .map(|_| {
            Normal::new(0.0, 1.0)
                .expect("valid normal")
                .sample(&mut rng)
        })
        .collect();
    let z = reparameterize(&vec![2.0; n], &vec![0.25f64.ln(); n], &eps);
    assert_eq!(z.len(), n, "one z per eps");
    let mean = z.iter().sum::<f64>() / n as f64;
    let var = z.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
    assert_close(mean, 2.0, 0.01);
    assert_close(var, 0.25, 0.01);
}

// exercise 7.2, 2 points
#[test]
fn gaussian_kl_matches_the_closed_form_by_hand() {
    // −½[(1 + 0 − 1 − 1) + (1 + ln 2 − 4 − 2)] = 2.65343 (Kingma & Welling, App. B)
    assert_close(
        gaussian_kl(&[1.0, 2.0], &[0.0, 2f64.ln()]),
        2.653_426_409_720_027_3,
        1e-12,
    );
}

// exercise 7.2, 1 point
#[test]
fn gaussian_kl_is_positive_for_a_narrow_posterior() {
    let kl = gaussian_kl(&[0.0], &[-4.0]);
    // −½(1 − 4 − e^−4) = 1.50916
    assert_close(kl, 1.509_157_819_444_367, 1e-12);
}

// exercise 7.3, 1 point
#[test]
fn elbo_subtracts_the_kl_term() {
    assert_close(
        elbo(-3.0, &[1.0, 2.0], &[0.0, 2f64.ln()]),
        -3.0 - 2.653_426_409_720_027_3,
        1e-12,
    );
}

// exercise 7.4, 2 points
#[test]
fn log_mean_exp_is_stable_for_large_and_small_arguments() {
    assert_close(log_mean_exp(&[-1000.0, -1000.0]), -1000.0, 1e-9);
    assert_close(log_mean_exp(&[1000.0, 1000.0, 1000.0]), 1000.0, 1e-9);
    assert_close(log_mean_exp(&[7.5]), 7.5, 1e-12);
}

// exercise 7.5, 2 points
#[test]
fn iwae_bound_is_at_least_the_average_log_weight() {
    // Jensen: log mean w ≥ mean log w, with equality only for equal weights
    let log_p = [-4.0, -7.0, -5.5, -6.0];
    let log_q = [-1.0, -1.5, -0.5, -2.0];
    let mean_log_w = log_p.iter().zip(&log_q).map(|(p, q)| p - q).sum::<f64>() / 4.0;
    let bound = iwae_bound(&log_p, &log_q);
    assert!(
        bound > mean_log_w,
        "IWAE bound {bound} should exceed the mean log weight {mean_log_w}"
    );
    // log((e^−3 + e^−5.5 + e^−5 + e^−4) / 4)
    let want = (((-3.0f64).exp() + (-5.5f64).exp() + (-5.0f64).exp() + (-4.0f64).exp()) / 4.0).ln();
    assert_close(bound, want, 1e-12);
}

// exercise 7.2, 1 point
#[test]
fn gaussian_kl_matches_gmcourse_on_seeded_posteriors() {
    for seed in 0..5 {
        let (mu, log_var) = random_posterior(16, seed);
        assert_close(
            gaussian_kl(&mu, &log_var),
            kl_reference(&mu, &log_var),
            1e-10,
        );
    }
}

// exercise 7.3, 1 point
#[test]
fn elbo_matches_the_reconstruction_minus_the_gmcourse_kl() {
    let (mu, log_var) = random_posterior(8, 73);
    assert_close(
        elbo(-87.25, &mu, &log_var),
        -87.25 - kl_reference(&mu, &log_var),
        1e-10,
    );
}

// exercise 7.4, 1 point
#[test]
fn log_mean_exp_matches_gmcourse_on_seeded_log_weights() {
    let mut rng = StdRng::seed_from_u64(74);
    for k in [1, 2, 5, 50, 500] {
        let a: Vec<f64> = (0..k).map(|_| rng.random_range(-900.0..-100.0)).collect();
        // reference: gmcourse::prob::log_mean_exp
        let want = prob::log_mean_exp(&a).expect("non-empty, no NaN");
        assert_close(log_mean_exp(&a), want, 1e-9);
    }
}

// exercise 7.5, 1 point
#[test]
fn iwae_bound_matches_gmcourse_log_mean_exp_of_the_log_weights() {
    let mut rng = StdRng::seed_from_u64(75);
    let log_p: Vec<f64> = (0..64).map(|_| rng.random_range(-400.0..-300.0)).collect();
    let log_q: Vec<f64> = (0..64).map(|_| rng.random_range(-20.0..5.0)).collect();
    let log_w: Vec<f64> = log_p.iter().zip(&log_q).map(|(p, q)| p - q).collect();
    // reference: gmcourse::prob::log_mean_exp of log w_k = log p(x, z_k) − log q(z_k | x)
    let want = prob::log_mean_exp(&log_w).expect("non-empty, no NaN");
    assert_close(iwae_bound(&log_p, &log_q), want, 1e-9);
}
