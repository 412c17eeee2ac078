mod models_common;

use candle_core::{Device, Tensor};
use gmcourse::Error;
use gmcourse::models::Model;
use gmcourse::models::train;
use gmcourse::models::{TrainConfig, Vae, VaeConfig};
use gmcourse::testing::assert_close;

fn small_vae() -> VaeConfig {
    VaeConfig {
        n_pixels: 784,
        hidden: 64,
        latent: 4,
    }
}

#[test]
fn kl_is_zero_when_q_equals_the_prior() {
    // A model whose encoder outputs mu = 0 and log_var = 0 has KL(N(0,1) ‖ N(0,1)) = 0.
    use candle_nn::{VarBuilder, VarMap};
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    let vae = Vae::new(vb, &small_vae()).unwrap();
    for var in varmap.all_vars() {
        var.set(&var.as_tensor().zeros_like().unwrap()).unwrap();
    }
    let x = Tensor::ones((2, 784), candle_core::DType::F32, &Device::Cpu).unwrap();
    let e = vae.elbo(&x, &mut train::rng(0)).unwrap();
    assert_close(e.kl.to_scalar::<f32>().unwrap() as f64, 0.0, 1e-7);
    // all-zero decoder: every pixel has p = 1/2, log p(x|z) = 784 ln(1/2)
    assert_close(
        e.reconstruction.to_scalar::<f32>().unwrap() as f64,
        -784.0 * 2f64.ln(),
        1e-3,
    );
}

#[test]
fn vae_elbo_and_importance_nll_drop_well_below_uniform() {
    let (data, _) = models_common::patterns(512, 0.03, 0);
    let (test, _) = models_common::patterns(64, 0.03, 1);
    let (vae, varmap) = Vae::seeded(&small_vae(), 0).unwrap();
    let cfg = TrainConfig {
        steps: 300,
        batch_size: 32,
        lr: 3e-3,
        log_every: 100,
        ..Default::default()
    };
    let losses = gmcourse::models::vae::train(&vae, &varmap, &data, &cfg).unwrap();
    let uniform = 784.0 * std::f64::consts::LN_2;
    let mut rng = train::rng(7);
    let elbo = vae
        .elbo(&test, &mut rng)
        .unwrap()
        .elbo
        .to_scalar::<f32>()
        .unwrap() as f64;
    let nll_is = -(vae
        .log_prob_importance(&test, 50, &mut rng)
        .unwrap()
        .mean_all()
        .unwrap()
        .to_scalar::<f32>()
        .unwrap() as f64);
    println!(
        "last loss {:.1}, test -ELBO {:.1}, IS NLL (k=50) {nll_is:.1}",
        losses.loss().unwrap().last().unwrap(),
        -elbo
    );
    assert!(
        -elbo < 0.5 * uniform,
        "-ELBO {} not well below {uniform}",
        -elbo
    );
    // the importance-sampled NLL is at most the -ELBO (up to Monte Carlo noise)
    assert!(
        nll_is <= -elbo + 2.0,
        "IS NLL {nll_is} above -ELBO {}",
        -elbo
    );
    assert!(nll_is > 100.0, "below the data entropy ≈ 107 nats: a bug");
}

#[test]
fn samples_and_interpolations_have_image_shape_and_probabilities() {
    let (vae, _) = Vae::seeded(&VaeConfig::latent_2d(), 0).unwrap();
    let mut rng = train::rng(0);
    let s = vae.sample(3, &mut rng).unwrap();
    assert_eq!(s.dims(), &[3, 784]);
    let v = s.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    assert!(v.iter().all(|&p| (0.0..=1.0).contains(&p)));
    let (x, _) = models_common::patterns(2, 0.0, 0);
    let a = x.narrow(0, 0, 1).unwrap();
    let b = x.narrow(0, 1, 1).unwrap();
    assert_eq!(vae.interpolate(&a, &b, 7).unwrap().dims(), &[7, 784]);
    assert_eq!(vae.decode_grid(5, 2.0).unwrap().dims(), &[25, 784]);
}

#[test]
fn wrong_input_shape_is_a_shape_error_naming_the_expected_shape() {
    let (vae, _) = Vae::seeded(&VaeConfig::default(), 0).unwrap();
    let x = Tensor::zeros((4, 28, 28), candle_core::DType::F32, &Device::Cpu).unwrap();
    let err = vae.encode(&x).unwrap_err();
    assert!(matches!(err, Error::Shape { .. }), "{err}");
    assert!(
        err.to_string().contains("expected (batch, 784)")
            && err.to_string().contains("[4, 28, 28]"),
        "{err}"
    );
}

#[test]
fn a_nade_checkpoint_does_not_load_into_a_vae() {
    let path = std::env::temp_dir().join(format!(
        "gmcourse_vae_ckpt_{}.safetensors",
        std::process::id()
    ));
    let (_, nade_map) = gmcourse::models::Nade::seeded(&Default::default(), 0).unwrap();
    train::save_checkpoint(&nade_map, &path).unwrap();
    let (_, vae_map) = Vae::seeded(&VaeConfig::default(), 0).unwrap();
    let err = train::load_checkpoint(&vae_map, &path).unwrap_err();
    assert!(
        err.to_string()
            .contains("decoder.fc.bias` of the model is missing"),
        "{err}"
    );
}

#[test]
fn diverging_training_stops_with_a_clear_error_and_keeps_the_last_checkpoint() {
    let dir = std::env::temp_dir().join(format!("gmcourse_vae_div_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("vae.safetensors");
    let (data, _) = models_common::patterns(64, 0.03, 0);
    let (vae, varmap) = Vae::seeded(&small_vae(), 0).unwrap();
    // a learning rate of 1e30 blows the weights up within a few steps
    let cfg = TrainConfig {
        steps: 50,
        batch_size: 16,
        lr: 1e30,
        log_every: 1,
        checkpoint: Some(path.clone()),
        ..Default::default()
    };
    let err = gmcourse::models::vae::train(&vae, &varmap, &data, &cfg).unwrap_err();
    assert!(matches!(err, Error::Diverged { .. }), "{err}");
    assert!(err.to_string().contains("lower the learning rate"), "{err}");
    // the checkpoint on disk holds finite weights
    let saved = candle_core::safetensors::load(&path, &Device::Cpu).unwrap();
    for (name, t) in saved {
        let v = t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert!(
            v.iter().all(|x| x.is_finite()),
            "{name} has non-finite values"
        );
    }
}
