//! Public tests for lesson 07. Run them with `./course check 07`.
use candle_core::{Device, Tensor};
use candle_nn::Linear;
use gmcourse::models::vae::Layers;
use gmcourse::testing::assert_all_close;
use solutions::l07_autoencoders_vae::*;

/// A tensor from rows of numbers.
fn t(rows: &[&[f32]]) -> Tensor {
    let cols = rows[0].len();
    let flat: Vec<f32> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    Tensor::from_vec(flat, (rows.len(), cols), &Device::Cpu).expect("a matrix")
}

/// The elements of a tensor, as f64.
fn v(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .and_then(|t| t.to_dtype(candle_core::DType::F64))
        .and_then(|t| t.to_vec1::<f64>())
        .expect("numbers")
}

/// A layer `y = x Wᵀ + b`.
fn linear(w: &[&[f32]], b: &[f32]) -> Linear {
    let bias = Tensor::new(b, &Device::Cpu).expect("a vector");
    Linear::new(t(w), Some(bias))
}

/// 2 pixels → 2 hidden (the identity) → 1 latent, and back.
fn tiny_layers() -> Layers {
    Layers {
        encoder_fc: linear(&[&[1.0, 0.0], &[0.0, 1.0]], &[0.0, -1.0]),
        encoder_mu: linear(&[&[1.0, 1.0]], &[0.0]),
        encoder_log_var: linear(&[&[1.0, -1.0]], &[0.5]),
        decoder_fc: linear(&[&[1.0], &[-1.0]], &[0.0, 0.0]),
        decoder_out: linear(&[&[2.0, 0.0], &[0.0, 3.0]], &[0.0, 1.0]),
    }
}

// exercise 7.1, 1 point
#[test]
fn encode_gives_mu_and_log_var_from_one_hidden_layer() {
    // x = (1, 1): hidden relu(1, 0) = (1, 0), mu = 1, log_var = 1 + 0.5
    let (mu, log_var) = encode(&tiny_layers(), &t(&[&[1.0, 1.0]])).expect("encode");
    assert_eq!(mu.dims(), &[1, 1], "mu is (batch, latent)");
    assert_all_close(&v(&mu), &[1.0], 1e-6);
    assert_all_close(&v(&log_var), &[1.5], 1e-6);
}

// exercise 7.2, 1 point
#[test]
fn reparameterize_scales_eps_by_the_standard_deviation() {
    // σ = exp(ln 4 / 2) = 2, so z = (0 + 1·1, 1 + 2·1)
    let z = reparameterize(
        &t(&[&[0.0, 1.0]]),
        &t(&[&[0.0, 4f32.ln()]]),
        &t(&[&[1.0, 1.0]]),
    )
    .expect("reparameterize");
    assert_all_close(&v(&z), &[1.0, 3.0], 1e-6);
}

// exercise 7.3, 1 point
#[test]
fn decode_gives_logits_not_probabilities() {
    // z = 2: hidden relu(2, −2) = (2, 0), logits (4, 1): a probability is never 4
    let logits = decode(&tiny_layers(), &t(&[&[2.0]])).expect("decode");
    assert_eq!(logits.dims(), &[1, 2], "logits are (batch, n_pixels)");
    assert_all_close(&v(&logits), &[4.0, 1.0], 1e-6);
}

// exercise 7.4, 1 point
#[test]
fn neg_elbo_of_zero_logits_is_ln_2_per_pixel_and_no_kl_at_the_prior() {
    let x = t(&[&[1.0, 0.0, 1.0], &[0.0, 0.0, 0.0]]);
    let logits = t(&[&[0.0, 0.0, 0.0], &[0.0, 0.0, 0.0]]);
    let zero = t(&[&[0.0, 0.0], &[0.0, 0.0]]);
    let (nll, kl) = neg_elbo(&x, &logits, &zero, &zero).expect("neg_elbo");
    assert_eq!(nll.dims(), &[2], "one −log p(x|z) per example");
    assert_all_close(&v(&nll), &[3.0 * 2f64.ln(); 2], 1e-5);
    assert_all_close(&v(&kl), &[0.0, 0.0], 1e-6);
}

// exercise 7.5, 1 point
#[test]
fn iwae_bound_with_uninformative_logits_is_minus_ln_2_per_pixel() {
    // logits 0, z = mu: log w_k = −3 ln 2 for every k, so the bound is too
    let x = t(&[&[1.0, 0.0, 1.0]]);
    let zero = t(&[&[0.0]]);
    let z = Tensor::zeros((4, 1, 1), candle_core::DType::F32, &Device::Cpu).expect("z");
    let logits = Tensor::zeros((4, 1, 3), candle_core::DType::F32, &Device::Cpu).expect("l");
    let bound = iwae_bound(&x, &zero, &zero, &z, &logits).expect("iwae_bound");
    assert_eq!(bound.dims(), &[1], "one bound per example");
    assert_all_close(&v(&bound), &[-3.0 * 2f64.ln()], 1e-5);
}

// exercise 7.6, 1 point
#[test]
fn kl_of_a_gaussian_to_itself_is_zero() {
    let mu = t(&[&[0.5, -1.0], &[2.0, 0.0]]);
    let log_var = t(&[&[0.3, -0.2], &[1.0, -2.0]]);
    let kl = kl_diagonal_gaussians(&mu, &log_var, &mu, &log_var).expect("kl");
    assert_eq!(kl.dims(), &[2], "one KL per row");
    assert_all_close(&v(&kl), &[0.0, 0.0], 1e-6);
}
