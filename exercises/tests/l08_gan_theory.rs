// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 08. Run them with `./course check 08`.
use exercises::l08_gan_theory::*;
use gmcourse::testing::assert_close;

// exercise 8.1, 1 point
#[test]
fn gan_value_at_the_global_optimum_is_minus_log_four() {
    // Goodfellow et al. 2014, Theorem 1
    assert_close(gan_value(&[0.5, 0.5], &[0.5]), -(4f64.ln()), 1e-12);
}

// exercise 8.2, 1 point
#[test]
fn optimal_discriminator_is_one_half_where_the_densities_agree() {
    assert_close(optimal_discriminator(0.3, 0.3), 0.5, 1e-15);
}

// exercise 8.3, 1 point
#[test]
fn jsd_of_distributions_that_never_overlap_is_log_two() {
    // M = (0.5, 0.5): each KL to M is ln 2, so JSD = ½ ln 2 + ½ ln 2
    assert_close(js_divergence(&[1.0, 0.0], &[0.0, 1.0]), 2f64.ln(), 1e-12);
}

// exercise 8.4, 1 point
#[test]
fn value_at_the_optimal_discriminator_is_minus_log_four_when_p_g_equals_p_data() {
    // Goodfellow et al. 2014, Theorem 1: D* = 1/2 everywhere
    let p = [0.2, 0.3, 0.5];
    assert_close(value_at_optimal_discriminator(&p, &p), -(4f64.ln()), 1e-12);
}

// exercise 8.5, 1 point
#[test]
fn weighted_discriminator_with_equal_weights_is_the_plain_one() {
    // π = ½ is exercise 8.2's game: D*(0.3, 0.1) = 0.3 / 0.4
    assert_close(optimal_discriminator_weighted(0.3, 0.1, 0.5), 0.75, 1e-12);
}
