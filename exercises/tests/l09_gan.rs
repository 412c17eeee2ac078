// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 09. Run them with `./course check 09`.
use exercises::l09_gan::*;
use gmcourse::testing::assert_close;

// exercise 9.1, 1 point
#[test]
fn optimal_discriminator_is_one_half_where_the_densities_agree() {
    assert_close(optimal_discriminator(0.3, 0.3), 0.5, 1e-15);
}

// exercise 9.2, 1 point
#[test]
fn gan_value_at_the_global_optimum_is_minus_log_four() {
    // Goodfellow et al. 2014, Theorem 1
    assert_close(gan_value(&[0.5, 0.5], &[0.5]), -(4f64.ln()), 1e-12);
}

// exercise 9.3, 1 point
#[test]
fn non_saturating_loss_at_one_half_is_log_two() {
    assert_close(
        generator_loss(&[0.5], GeneratorLoss::NonSaturating),
        2f64.ln(),
        1e-12,
    );
}

// exercise 9.4, 1 point
#[test]
fn minimax_gradient_at_logit_zero_is_minus_one_half() {
    assert_close(
        generator_loss_grad_wrt_logit(0.0, GeneratorLoss::Minimax),
        -0.5,
        1e-12,
    );
}
