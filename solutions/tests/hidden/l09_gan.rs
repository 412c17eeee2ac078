//! Hidden tests for lesson 09: never copied into exercises/.
use gmcourse::testing::assert_close;
use solutions::l09_gan::*;

// exercise 9.1, 1 point
#[test]
fn optimal_discriminator_weighs_the_two_densities() {
    assert_close(optimal_discriminator(0.3, 0.1), 0.75, 1e-12);
    assert_close(optimal_discriminator(0.2, 0.0), 1.0, 1e-12);
    assert_close(optimal_discriminator(0.0, 0.2), 0.0, 1e-12);
}

// exercise 9.1, 1 point
#[test]
fn optimal_discriminator_is_one_half_where_both_densities_vanish() {
    let d = optimal_discriminator(0.0, 0.0);
    assert_close(d, 0.5, 1e-15);
}

// exercise 9.2, 2 points
#[test]
fn gan_value_at_the_optimal_discriminator_is_minus_log_four_plus_twice_the_jsd() {
    // p_data = (0.5, 0.5), p_g = (0.9, 0.1) on two points; D* = (5/14, 5/6).
    // Samples in proportion: 5 + 5 real, 9 + 1 fake. V = −log 4 + 2·JSD = −1.18280 (Python)
    let d = [0.5 / (0.5 + 0.9), 0.5 / (0.5 + 0.1)];
    let real: Vec<f64> = [d[0]; 5].into_iter().chain([d[1]; 5]).collect();
    let fake: Vec<f64> = [d[0]; 9].into_iter().chain([d[1]; 1]).collect();
    assert_close(gan_value(&real, &fake), -1.182_795_910_961_497_4, 1e-12);
}

// exercise 9.3, 1 point
#[test]
fn minimax_generator_loss_is_the_mean_of_log_one_minus_d() {
    assert_close(
        generator_loss(&[0.1, 0.2], GeneratorLoss::Minimax),
        (0.9f64.ln() + 0.8f64.ln()) / 2.0,
        1e-12,
    );
}

// exercise 9.3, 1 point
#[test]
fn non_saturating_generator_loss_is_minus_the_mean_of_log_d() {
    assert_close(
        generator_loss(&[0.1, 0.2], GeneratorLoss::NonSaturating),
        -(0.1f64.ln() + 0.2f64.ln()) / 2.0,
        1e-12,
    );
}

// exercise 9.4, 2 points
#[test]
fn the_minimax_gradient_vanishes_when_the_discriminator_wins() {
    // a = −10: σ(a) = 4.54e−5
    let sat = generator_loss_grad_wrt_logit(-10.0, GeneratorLoss::Minimax);
    let ns = generator_loss_grad_wrt_logit(-10.0, GeneratorLoss::NonSaturating);
    assert_close(sat, -4.539_786_870_243_442e-5, 1e-15);
    assert_close(ns, -(1.0 - 4.539_786_870_243_442e-5), 1e-12);
}
