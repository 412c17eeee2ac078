mod models_common;

use gmcourse::Error;
use gmcourse::models::Model;
use gmcourse::models::{Autoencoder, AutoencoderConfig, TrainConfig};

#[test]
fn autoencoder_reconstruction_loss_drops_well_below_uniform() {
    let (data, _) = models_common::patterns(512, 0.03, 0);
    let (test, _) = models_common::patterns(64, 0.03, 1);
    let cfg = AutoencoderConfig {
        hidden: 64,
        latent: 4,
        ..Default::default()
    };
    let (ae, varmap) = Autoencoder::seeded(&cfg, 0).unwrap();
    let tc = TrainConfig {
        steps: 300,
        batch_size: 32,
        lr: 3e-3,
        log_every: 100,
        ..Default::default()
    };
    gmcourse::models::autoencoder::train(&ae, &varmap, &data, &tc).unwrap();
    let loss = ae.loss(&test).unwrap().to_scalar::<f32>().unwrap() as f64;
    let uniform = 784.0 * std::f64::consts::LN_2;
    println!("test reconstruction loss {loss:.1} nats (uniform {uniform:.1})");
    assert!(loss < 0.3 * uniform, "loss {loss}");
    // the reconstruction is closer to the clean prototype than the noisy input is
    let protos = models_common::prototypes();
    let x_hat = ae
        .reconstruct(&test.narrow(0, 0, 1).unwrap())
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let best = protos
        .iter()
        .map(|p| {
            p.iter()
                .zip(&x_hat)
                .filter(|(a, b)| (**a - **b).abs() > 0.5)
                .count()
        })
        .min()
        .unwrap();
    assert!(
        best < 10,
        "reconstruction differs from every prototype in {best} pixels"
    );
}

#[test]
fn a_code_of_the_wrong_size_is_a_shape_error() {
    let (ae, _) = Autoencoder::seeded(&AutoencoderConfig::default(), 0).unwrap();
    let z = candle_core::Tensor::zeros((1, 3), candle_core::DType::F32, &candle_core::Device::Cpu)
        .unwrap();
    let err = ae.decode(&z).unwrap_err();
    assert!(matches!(err, Error::Shape { .. }), "{err}");
    assert!(err.to_string().contains("(batch, 32)"), "{err}");
}
