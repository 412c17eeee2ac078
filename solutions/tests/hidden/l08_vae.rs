//! Hidden tests for lesson 08: never copied into exercises/.
use gmcourse::testing::assert_close;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal};
use solutions::l08_vae::*;

// exercise 8.1, 2 points
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

// exercise 8.2, 2 points
#[test]
fn gaussian_kl_matches_the_closed_form_by_hand() {
    // −½[(1 + 0 − 1 − 1) + (1 + ln 2 − 4 − 2)] = 2.65343 (Kingma & Welling, App. B)
    assert_close(
        gaussian_kl(&[1.0, 2.0], &[0.0, 2f64.ln()]),
        2.653_426_409_720_027_3,
        1e-12,
    );
}

// exercise 8.2, 1 point
#[test]
fn gaussian_kl_is_positive_for_a_narrow_posterior() {
    let kl = gaussian_kl(&[0.0], &[-4.0]);
    // −½(1 − 4 − e^−4) = 1.50916
    assert_close(kl, 1.509_157_819_444_367, 1e-12);
}

// exercise 8.3, 1 point
#[test]
fn elbo_subtracts_the_kl_term() {
    assert_close(
        elbo(-3.0, &[1.0, 2.0], &[0.0, 2f64.ln()]),
        -3.0 - 2.653_426_409_720_027_3,
        1e-12,
    );
}

// exercise 8.4, 2 points
#[test]
fn log_mean_exp_is_stable_for_large_and_small_arguments() {
    assert_close(log_mean_exp(&[-1000.0, -1000.0]), -1000.0, 1e-9);
    assert_close(log_mean_exp(&[1000.0, 1000.0, 1000.0]), 1000.0, 1e-9);
    assert_close(log_mean_exp(&[7.5]), 7.5, 1e-12);
}

// exercise 8.5, 2 points
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
