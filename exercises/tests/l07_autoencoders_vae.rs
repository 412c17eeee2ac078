// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 07. Run them with `./course check 07`.
use exercises::l07_autoencoders_vae::*;
use gmcourse::testing::{assert_all_close, assert_close};

// exercise 7.1, 1 point
#[test]
fn reparameterize_scales_eps_by_the_standard_deviation() {
    // σ = exp(ln 4 / 2) = 2, so z = (0 + 1·1, 1 + 2·1)
    let z = reparameterize(&[0.0, 1.0], &[0.0, 4f64.ln()], &[1.0, 1.0]);
    assert_all_close(&z, &[1.0, 3.0], 1e-12);
}

// exercise 7.2, 1 point
#[test]
fn kl_of_the_prior_to_itself_is_zero() {
    assert_close(gaussian_kl(&[0.0, 0.0], &[0.0, 0.0]), 0.0, 1e-15);
}

// exercise 7.3, 1 point
#[test]
fn elbo_with_a_posterior_equal_to_the_prior_is_the_reconstruction_term() {
    assert_close(elbo(-10.0, &[0.0], &[0.0]), -10.0, 1e-12);
}

// exercise 7.4, 1 point
#[test]
fn log_mean_exp_of_zero_and_log_three_is_log_two() {
    assert_close(log_mean_exp(&[0.0, 3f64.ln()]), 2f64.ln(), 1e-12);
}

// exercise 7.5, 1 point
#[test]
fn iwae_with_equal_weights_is_the_single_log_weight() {
    assert_close(iwae_bound(&[-5.0, -5.0], &[-2.0, -2.0]), -3.0, 1e-12);
}
