//! Public tests for lesson 09. Run them with `./course check 09`.
use candle_core::{DType, Device, Tensor};
use gmcourse::models::gan::Nets;
use gmcourse::models::{GanConfig, GeneratorLoss};
use gmcourse::testing::{assert_all_close, assert_close};
use solutions::l09_gan_practice::*;

/// A column of logits `(n, 1)`.
fn logits(v: &[f32]) -> Tensor {
    Tensor::from_vec(v.to_vec(), (v.len(), 1), &Device::Cpu).expect("logits")
}

/// The value of a scalar (or the elements of any) tensor, as f64.
fn v(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

// exercise 9.1, 1 point
#[test]
fn a_discriminator_that_says_one_half_everywhere_loses_two_ln_2() {
    let zero = logits(&[0.0, 0.0, 0.0]);
    let loss = discriminator_loss(&zero, &zero, 1.0).expect("discriminator_loss");
    assert_eq!(loss.dims(), &[] as &[usize], "the loss is a scalar");
    assert_close(v(&loss)[0], 2.0 * 2f64.ln(), 1e-6);
}

// exercise 9.2, 1 point
#[test]
fn generator_losses_at_d_one_half_are_minus_and_plus_ln_2() {
    let zero = logits(&[0.0, 0.0]);
    let minimax = generator_loss(&zero, GeneratorLoss::Minimax).expect("minimax");
    let non_saturating = generator_loss(&zero, GeneratorLoss::NonSaturating).expect("ns");
    assert_eq!(minimax.dims(), &[] as &[usize], "the loss is a scalar");
    assert_close(v(&minimax)[0], -(2f64.ln()), 1e-6);
    assert_close(v(&non_saturating)[0], 2f64.ln(), 1e-6);
}

// exercise 9.3, 1 point
#[test]
fn step_logits_are_ds_logits_on_the_real_batch_and_twice_on_the_fakes() {
    let (nets, _) = Nets::seeded(&GanConfig::toy_2d(), 0).expect("nets");
    let mut rng = gmcourse::models::train::rng(1);
    let x_real = gmcourse::models::train::randn(&mut rng, 4, 2).expect("x");
    let z = gmcourse::models::train::randn(&mut rng, 4, 2).expect("z");
    let (l_real, l_fake_d, l_fake_g) = step_logits(&nets, &x_real, &z).expect("step_logits");
    assert_eq!(l_real.dims(), &[4, 1], "one logit per row");
    let on_fakes = nets
        .discriminate(&nets.generate(&z).expect("G"))
        .expect("D");
    assert_all_close(
        &v(&l_real),
        &v(&nets.discriminate(&x_real).expect("D")),
        1e-6,
    );
    assert_all_close(&v(&l_fake_d), &v(&on_fakes), 1e-6);
    assert_all_close(&v(&l_fake_g), &v(&on_fakes), 1e-6);
}

// exercise 9.4, 1 point
#[test]
fn with_one_sided_smoothing_d_star_is_the_real_target_over_two_where_p_g_is_p_data() {
    let p = Tensor::new(&[0.2f64, 1.0, 3.0], &Device::Cpu).expect("p");
    let d =
        optimal_discriminator_smoothed(&p, &p, 0.9, 0.0).expect("optimal_discriminator_smoothed");
    assert_all_close(&v(&d), &[0.45, 0.45, 0.45], 1e-12);
}

// exercise 9.5, 1 point
#[test]
fn confident_and_diverse_predictions_over_four_classes_score_four() {
    let eye: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..4).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    assert_close(inception_score(&eye), 4.0, 1e-12);
}

// exercise 9.6, 1 point
#[test]
fn fid_between_identical_2d_gaussians_is_zero() {
    let s = [[2.0, 0.5], [0.5, 1.0]];
    assert_close(fid_2d([0.0, 1.0], s, [0.0, 1.0], s), 0.0, 1e-9);
}
