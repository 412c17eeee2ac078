use gmcourse::models::Model;
use std::time::Duration;

use gmcourse::Error;
use gmcourse::models::{TrainConfig, train};

#[test]
fn training_stops_early_on_the_time_budget() {
    let varmap = candle_nn::VarMap::new();
    let cfg = TrainConfig {
        steps: 1_000_000,
        log_every: 0,
        time_budget: Some(Duration::from_millis(50)),
        ..Default::default()
    };
    let losses = train::run(&cfg, &varmap, |_, _| {
        std::thread::sleep(Duration::from_millis(5));
        Ok(1.0)
    })
    .unwrap();
    assert!(
        !losses.is_empty() && losses.len() < 1000,
        "{} steps",
        losses.len()
    );
}

#[test]
fn a_nan_loss_stops_training_with_diverged_naming_the_step() {
    let varmap = candle_nn::VarMap::new();
    let cfg = TrainConfig {
        steps: 10,
        log_every: 0,
        ..Default::default()
    };
    let err = train::run(&cfg, &varmap, |step, _| {
        Ok(if step == 3 { f64::NAN } else { 1.0 })
    })
    .unwrap_err();
    assert!(matches!(err, Error::Diverged { step: 3, .. }), "{err}");
    assert!(
        err.to_string().contains("training diverged at step 3"),
        "{err}"
    );
}

#[test]
fn the_same_seed_gives_the_same_loss_history() {
    let run = || {
        let (data, _) = {
            let u = train::rand_uniform(&mut train::rng(0), 64, 784).unwrap();
            (
                u.ge(0.5)
                    .unwrap()
                    .to_dtype(candle_core::DType::F32)
                    .unwrap(),
                (),
            )
        };
        let (vae, varmap) = gmcourse::models::Vae::seeded(
            &gmcourse::models::VaeConfig {
                hidden: 16,
                latent: 2,
                ..Default::default()
            },
            3,
        )
        .unwrap();
        let cfg = TrainConfig {
            steps: 5,
            batch_size: 8,
            log_every: 0,
            seed: 11,
            ..Default::default()
        };
        gmcourse::models::vae::train(&vae, &varmap, &data, &cfg).unwrap()
    };
    assert_eq!(run(), run());
}
