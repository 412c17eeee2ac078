//! Expected figures (shipped MNIST subset, test split, seed 0, 2 shared cores): mean test
//! log-likelihood −205.83 nats/image (independent), −136.19 (Markov), about −102 for the
//! FVSBN trained on 4,000 images for 2 epochs at lr 0.03 (≈ 19 s; −118.6 at lr 0.01 in
//! 28 s); scoring the 1,000 test images takes ≈ 0.3 s; peak RSS ≈ 115 MB.
//!
//! `cargo bench -p gmcourse --bench pixel_models` prints each model's test log-likelihood,
//! the FVSBN's time per epoch and the process's peak RSS.

use gmcourse::data::Mnist;
use gmcourse::models::{Fvsbn, FvsbnConfig};
use gmcourse::prob::pixel_models::{
    BinaryImages, IndependentPixels, MarkovPixels, PixelFitConfig, PixelModel,
};
use std::time::Instant;

fn main() -> gmcourse::Result<()> {
    let mnist = Mnist::load()?;
    let train = BinaryImages::from_split(&mnist.train)?;
    let test = BinaryImages::from_split(&mnist.test)?;
    let cfg = PixelFitConfig::default();
    let independent = IndependentPixels::fit(&train, &cfg)?;
    let markov = MarkovPixels::fit(&train, &cfg)?;
    println!(
        "independent: {:.2} nats/image",
        independent.mean_log_prob(&test)?
    );
    println!(
        "markov:      {:.2} nats/image",
        markov.mean_log_prob(&test)?
    );
    let runs: [(usize, usize, f64); 3] = [(4000, 2, 1e-2), (4000, 2, 3e-2), (8000, 1, 2e-2)];
    for (n_train, epochs, learning_rate) in runs {
        let fcfg = FvsbnConfig {
            epochs,
            learning_rate,
            ..Default::default()
        };
        let model = Fvsbn::fit(&train.take(n_train), &fcfg)?;
        let t = Instant::now();
        let ll = model.mean_log_prob(&test)?;
        println!(
            "fvsbn ({n_train} images, {epochs} epochs, lr {learning_rate}): {ll:.2} nats/image, trained in {:.1} s, train nll {:?}, scored test in {:.2} s",
            model.seconds(),
            model.train_nll(),
            t.elapsed().as_secs_f64()
        );
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM")) {
        println!("peak RSS {line}");
    }
    Ok(())
}
