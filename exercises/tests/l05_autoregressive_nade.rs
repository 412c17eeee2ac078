// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 05. Run them with `./course check 05`.
use candle_core::{Device, Tensor};
use exercises::l05_autoregressive_nade::*;
use gmcourse::models::nade::Params;
use gmcourse::testing::{assert_all_close, assert_close};

/// A tensor from rows of numbers.
fn t(rows: &[&[f32]]) -> Tensor {
    let cols = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_vec(flat, (rows.len(), cols), &Device::Cpu).expect("a matrix")
}

/// A vector tensor.
fn vec1(v: &[f32]) -> Tensor {
    Tensor::new(v, &Device::Cpu).expect("a vector")
}

/// The elements of a tensor, as f64.
fn v(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(candle_core::DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

/// D = 2 pixels, H = 1 hidden unit; values worked out by hand below.
fn tiny() -> Params {
    Params {
        w: t(&[&[1.0, 2.0]]),
        c: vec1(&[0.0]),
        v: t(&[&[1.0], &[-1.0]]),
        b: vec1(&[0.0, 0.5]),
    }
}

// exercise 5.1, 1 point
#[test]
fn conditionals_of_a_tiny_nade_match_hand_computation() {
    // x = (1, 0): logit_1 = 1·σ(0) + 0 = 0.5; logit_2 = −1·σ(0 + 1·1) + 0.5 = −0.23106
    // x = (0, 1): logit_1 = 0.5 again (no pixel seen yet); logit_2 = −σ(0) + 0.5 = 0
    let logits = conditional_logits(&tiny(), &t(&[&[1.0, 0.0], &[0.0, 1.0]])).expect("logits");
    assert_eq!(logits.dims(), &[2, 2], "logits are (batch, D)");
    assert_all_close(&v(&logits), &[0.5, -0.231_058_6, 0.5, 0.0], 1e-6);
}

// exercise 5.2, 1 point
#[test]
fn log_likelihood_of_zero_logits_is_ln_half_per_pixel() {
    let x = t(&[&[1.0, 0.0, 1.0], &[0.0, 0.0, 0.0]]);
    let zero = t(&[&[0.0, 0.0, 0.0], &[0.0, 0.0, 0.0]]);
    let lp = log_likelihood(&x, &zero).expect("log_likelihood");
    assert_eq!(lp.dims(), &[2], "one log p(x) per image");
    assert_all_close(&v(&lp), &[3.0 * 0.5f64.ln(); 2], 1e-5);
}

// exercise 5.3, 1 point
#[test]
fn sample_with_uniforms_near_0_and_1_gives_all_ones_and_all_zeros() {
    // every p_i lies strictly between 0 and 1: u = 0 is below each, u = 0.999999 above
    let u = t(&[&[0.0, 0.0], &[0.999_999, 0.999_999]]);
    let x = sample(&tiny(), &u).expect("sample");
    assert_eq!(x.dims(), &[2, 2], "images are (n, D)");
    assert_all_close(&v(&x), &[1.0, 1.0, 0.0, 0.0], 0.0);
}

// exercise 5.4, 1 point
#[test]
fn ar_1_of_784_pixels_is_the_markov_chain_of_lesson_02() {
    // p(x_1) needs 1 number, each later p(x_i | x_(i−1)) needs 2
    assert_close(ar_params(784, 1), 1.0 + 2.0 * 783.0, 1e-9);
}
