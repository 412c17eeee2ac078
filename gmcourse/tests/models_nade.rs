mod models_common;

use candle_core::{Device, Tensor, Var};
use gmcourse::Error;
use gmcourse::models::Model;
use gmcourse::models::{Nade, NadeConfig, TrainConfig};
use gmcourse::models::{nn, train};
use gmcourse::testing::{assert_all_close, assert_close};

fn small_binary(rows: usize, cols: usize, seed: u64) -> Tensor {
    let u = train::rand_uniform(&mut train::rng(seed), rows, cols).unwrap();
    u.ge(0.5)
        .unwrap()
        .to_dtype(candle_core::DType::F32)
        .unwrap()
}

#[test]
fn fused_kernel_matches_the_literal_recursion() {
    let cfg = NadeConfig {
        n_pixels: 12,
        hidden: 5,
    };
    let (nade, _) = Nade::seeded(&cfg, 3).unwrap();
    let x = small_binary(4, 12, 1);
    let fast = nade
        .logits(&x)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let slow = nade
        .logits_reference(&x)
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let fast: Vec<f64> = fast.iter().map(|&v| v as f64).collect();
    let slow: Vec<f64> = slow.iter().map(|&v| v as f64).collect();
    assert_all_close(&fast, &slow, 1e-5);
}

#[test]
fn hand_written_backward_matches_autograd_of_the_literal_recursion() {
    let cfg = NadeConfig {
        n_pixels: 10,
        hidden: 6,
    };
    let (nade, varmap) = Nade::seeded(&cfg, 5).unwrap();
    let x = small_binary(3, 10, 2);
    let vars = train::sorted_vars(&varmap).unwrap();
    let grads_fast = nade.nll(&x).unwrap().backward().unwrap();
    let grads_slow = {
        let l = nade.logits_reference(&x).unwrap();
        let nll = nn::bce_with_logits_sum(&l, &x).unwrap().mean_all().unwrap();
        nll.backward().unwrap()
    };
    for (name, var) in &vars {
        let get = |g: &candle_core::backprop::GradStore, v: &Var| -> Vec<f64> {
            g.get(v.as_tensor())
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
                .iter()
                .map(|&v| v as f64)
                .collect()
        };
        let (a, b) = (get(&grads_fast, var), get(&grads_slow, var));
        assert_eq!(a.len(), b.len(), "{name}");
        assert_all_close(&a, &b, 1e-5);
    }
}

#[test]
fn log_prob_of_all_binary_vectors_sums_to_one() {
    // An exact model: Σ_x p(x) over all 2^D inputs is 1.
    let d = 6;
    let (nade, _) = Nade::seeded(
        &NadeConfig {
            n_pixels: d,
            hidden: 4,
        },
        9,
    )
    .unwrap();
    let all: Vec<f32> = (0..1u32 << d)
        .flat_map(|m| (0..d).map(move |i| ((m >> i) & 1) as f32))
        .collect();
    let x = Tensor::from_vec(all, (1 << d, d), &Device::Cpu).unwrap();
    let lp = nade.log_prob(&x).unwrap().to_vec1::<f32>().unwrap();
    let total: f64 = lp.iter().map(|&l| (l as f64).exp()).sum();
    assert_close(total, 1.0, 1e-5);
}

#[test]
fn nade_nll_drops_well_below_uniform_on_synthetic_patterns() {
    let (data, _) = models_common::patterns(512, 0.03, 0);
    let (test, _) = models_common::patterns(128, 0.03, 1);
    let (nade, varmap) = Nade::seeded(
        &NadeConfig {
            n_pixels: 784,
            hidden: 32,
        },
        0,
    )
    .unwrap();
    let uniform = 784.0 * std::f64::consts::LN_2; // ≈ 543.4 nats
    let before = nade.nll(&test).unwrap().to_scalar::<f32>().unwrap() as f64;
    let cfg = TrainConfig {
        steps: 150,
        batch_size: 32,
        lr: 0.01,
        log_every: 50,
        ..Default::default()
    };
    let losses = gmcourse::models::nade::train(&nade, &varmap, &data, &cfg).unwrap();
    let after = nade.nll(&test).unwrap().to_scalar::<f32>().unwrap() as f64;
    println!(
        "test NLL before {before:.1}, after {after:.1}, last train loss {:.1}",
        losses.loss().unwrap().last().unwrap()
    );
    // the data entropy is 784·H(0.03) + ln 4 ≈ 107 nats
    assert!(
        after < 0.5 * uniform,
        "NLL {after} not well below uniform {uniform}"
    );
    assert!(after > 100.0, "NLL {after} below the data entropy: a bug");
}

#[test]
fn samples_of_a_trained_nade_are_binary_and_pattern_like() {
    let (data, _) = models_common::patterns(256, 0.03, 0);
    let (nade, varmap) = Nade::seeded(
        &NadeConfig {
            n_pixels: 784,
            hidden: 32,
        },
        1,
    )
    .unwrap();
    let cfg = TrainConfig {
        steps: 100,
        batch_size: 32,
        lr: 0.01,
        log_every: 0,
        ..Default::default()
    };
    gmcourse::models::nade::train(&nade, &varmap, &data, &cfg).unwrap();
    let x = nade.sample(8, &mut train::rng(4)).unwrap();
    let v = x.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    assert!(v.iter().all(|&p| p == 0.0 || p == 1.0));
    // samples are scored far above uniform noise by the model
    let lp_samples = nade
        .log_prob(&x)
        .unwrap()
        .mean_all()
        .unwrap()
        .to_scalar::<f32>()
        .unwrap();
    let noise = small_binary(8, 784, 8);
    let lp_noise = nade
        .log_prob(&noise)
        .unwrap()
        .mean_all()
        .unwrap()
        .to_scalar::<f32>()
        .unwrap();
    assert!(
        lp_samples > lp_noise + 100.0,
        "samples {lp_samples} vs noise {lp_noise}"
    );
}

#[test]
fn non_binary_input_is_refused_with_the_offending_pixel() {
    let (nade, _) = Nade::seeded(
        &NadeConfig {
            n_pixels: 4,
            hidden: 3,
        },
        0,
    )
    .unwrap();
    let x = Tensor::new(&[[1f32, 0.0, 0.37, 1.0]], &Device::Cpu).unwrap();
    let err = nade.log_prob(&x).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
    assert!(err.to_string().contains("0.37 at row 0, pixel 2"), "{err}");
}

#[test]
fn wrong_input_shape_is_a_shape_error() {
    let (nade, _) = Nade::seeded(&NadeConfig::default(), 0).unwrap();
    let x = Tensor::zeros((2, 100), candle_core::DType::F32, &Device::Cpu).unwrap();
    let err = nade.log_prob(&x).unwrap_err();
    assert!(matches!(err, Error::Shape { .. }), "{err}");
    assert!(err.to_string().contains("(batch, 784)"), "{err}");
}

#[test]
fn checkpoint_round_trips_and_refuses_another_architecture() {
    let dir = std::env::temp_dir().join(format!("gmcourse_nade_ckpt_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nade.safetensors");
    let (nade, varmap) = Nade::seeded(
        &NadeConfig {
            n_pixels: 8,
            hidden: 4,
        },
        0,
    )
    .unwrap();
    train::save_checkpoint(&varmap, &path).unwrap();
    let (other, other_map) = Nade::seeded(
        &NadeConfig {
            n_pixels: 8,
            hidden: 4,
        },
        99,
    )
    .unwrap();
    train::load_checkpoint(&other_map, &path).unwrap();
    let x = small_binary(2, 8, 0);
    let a = nade.log_prob(&x).unwrap().to_vec1::<f32>().unwrap();
    let b = other.log_prob(&x).unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(a, b);
    let (_, wider) = Nade::seeded(
        &NadeConfig {
            n_pixels: 8,
            hidden: 5,
        },
        0,
    )
    .unwrap();
    let err = train::load_checkpoint(&wider, &path).unwrap_err();
    assert!(matches!(err, Error::Checkpoint { .. }), "{err}");
    assert!(
        err.to_string().contains("shape [4] in the file but [5]"),
        "{err}"
    );
}
