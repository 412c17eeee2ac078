//! `./course train [NN ...]`: trains the heavier models of lessons 05, 07, 09 and 10 for
//! minutes instead of the seconds a notebook has in class, with the notebooks' own
//! configurations, data and seeds, and saves each with its loss history to
//! `build/checkpoints/` ([`gmcourse::models::pretrained`]). The notebooks load these
//! checkpoints when they exist and print so.
//!
//! `TRAIN_MINUTES` sets the budget per model (default 5; a model also stops at its step
//! bound).

use std::time::{Duration, Instant};

use candle_core::Device;
use gmcourse::data::{Mnist, Pixels};
use gmcourse::models::{self, TrainConfig, pretrained};
use gmcourse::{Error, Result};

/// The GANs' step bound. Past it, at the notebooks' learning rate, more steps stop paying:
/// measured on lesson 09's GAN, MNIST score 6.6 after 3,000 steps and 6.0 after 12,000
/// (the game oscillates rather than converges; a lower rate was worse at equal steps).
const GAN_STEPS: usize = 6_000;

/// Lessons 09 and 10 train their GANs with the notebooks' batch size and learning rate.
fn gan_train_config(seed: u64) -> TrainConfig {
    TrainConfig {
        steps: GAN_STEPS,
        batch_size: 64,
        lr: 1e-3,
        seed,
        log_every: 2000,
        time_budget: Some(budget()),
        ..Default::default()
    }
}

fn budget() -> Duration {
    let minutes: f64 = std::env::var("TRAIN_MINUTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    Duration::from_secs_f64(minutes * 60.0)
}

fn saved(name: &str, steps: usize, start: Instant) {
    println!(
        "  saved build/checkpoints/{name}.safetensors ({steps} steps in {:.0} s)",
        start.elapsed().as_secs_f64()
    );
}

/// Lesson 05: NADE on binarized MNIST without the held-out digit 8 (the anomaly test).
fn lesson05(mnist: &Mnist) -> Result<()> {
    let (seed, held_out) = (5_u64, 8_u8);
    let cfg = models::NadeConfig {
        n_pixels: 784,
        hidden: 100,
    };
    let tc = TrainConfig {
        steps: 1_000_000,
        batch_size: 50,
        lr: 5e-3,
        seed,
        log_every: 500,
        time_budget: Some(budget()),
        ..Default::default()
    };
    let keep: Vec<usize> = (0..mnist.train.len())
        .filter(|&i| mnist.train.label(i).is_ok_and(|y| y != held_out))
        .collect();
    let x = mnist.train.select(&keep)?.binarized_tensor(&Device::Cpu)?;
    let (nade, varmap) = models::Nade::seeded(&cfg, seed)?;
    println!(
        "lesson 05: NADE {cfg:?}, {} images, up to {:?}",
        keep.len(),
        tc.time_budget.unwrap()
    );
    let start = Instant::now();
    let losses = models::nade::train(&nade, &varmap, &x, &tc)?;
    pretrained::save("l05-nade", &varmap, &losses, start.elapsed().as_secs_f64())?;
    saved("l05-nade", losses.len(), start);
    Ok(())
}

/// Lesson 07: the autoencoder, the VAE and the 2-D VAE.
fn lesson07(mnist: &Mnist) -> Result<()> {
    let seed = 7_u64;
    let x = mnist.train.binarized_tensor(&Device::Cpu)?;
    let tc = TrainConfig {
        steps: 1_000_000,
        batch_size: 100,
        lr: 1e-3,
        seed,
        log_every: 1000,
        time_budget: Some(budget()),
        ..Default::default()
    };

    let ae_cfg = models::AutoencoderConfig {
        n_pixels: 784,
        hidden: 256,
        latent: 32,
    };
    let (ae, ae_vars) = models::Autoencoder::seeded(&ae_cfg, seed)?;
    println!("lesson 07: autoencoder {ae_cfg:?}");
    let start = Instant::now();
    let losses = models::autoencoder::train(&ae, &ae_vars, &x, &tc)?;
    pretrained::save("l07-ae", &ae_vars, &losses, start.elapsed().as_secs_f64())?;
    saved("l07-ae", losses.len(), start);

    for (name, cfg) in [
        (
            "l07-vae",
            models::VaeConfig {
                n_pixels: 784,
                hidden: 400,
                latent: 20,
            },
        ),
        ("l07-vae2d", models::VaeConfig::latent_2d()),
    ] {
        let (vae, vars) = models::Vae::seeded(&cfg, seed)?;
        println!("lesson 07: VAE {cfg:?}");
        let start = Instant::now();
        let hist = models::vae_history::train_recording(&vae, &vars, &x, &tc)?;
        pretrained::save(name, &vars, &hist, start.elapsed().as_secs_f64())?;
        saved(name, hist.len(), start);
    }
    Ok(())
}

/// Lesson 09: the MNIST GAN (the notebook's small MLPs, its 4,000 training digits).
fn lesson09(mnist: &Mnist) -> Result<()> {
    let seed = 9_u64;
    let x = mnist.train.take(4000).x(Pixels::Grey, &Device::Cpu)?;
    let mut cfg = models::GanConfig::mnist();
    cfg.g_hidden = vec![128, 256];
    cfg.d_hidden = vec![256, 128];
    let (gan, varmap) = models::Gan::seeded(&cfg, seed)?;
    let tc = gan_train_config(seed);
    println!(
        "lesson 09: GAN {cfg:?}, up to {GAN_STEPS} steps or {:?}",
        tc.time_budget.unwrap()
    );
    let start = Instant::now();
    let losses = models::gan::train(
        &gan,
        &varmap,
        |rng, n| models::train::random_batch(&x, n, rng),
        &tc,
        |_, _| Ok(()),
    )?;
    pretrained::save("l09-gan", &varmap, &losses, start.elapsed().as_secs_f64())?;
    saved("l09-gan", losses.generator.len(), start);
    Ok(())
}

/// Lesson 10: the cGAN on the 8,000 training digits and their labels.
fn lesson10(mnist: &Mnist) -> Result<()> {
    let seed = 10_u64;
    let train = mnist.train.take(8000);
    let x = train.x(Pixels::Grey, &Device::Cpu)?;
    let y: Vec<u32> = train.labels.iter().map(|&y| y as u32).collect();
    let cfg = models::CganConfig {
        g_hidden: vec![128, 256],
        d_hidden: vec![256, 128],
        ..Default::default()
    };
    let (cgan, varmap) = models::Cgan::seeded(&cfg, seed)?;
    let tc = gan_train_config(seed);
    println!(
        "lesson 10: cGAN {cfg:?}, up to {GAN_STEPS} steps or {:?}",
        tc.time_budget.unwrap()
    );
    let start = Instant::now();
    let losses = models::cgan::train(&cgan, &varmap, &x, &y, &tc)?;
    pretrained::save("l10-cgan", &varmap, &losses, start.elapsed().as_secs_f64())?;
    saved("l10-cgan", losses.len(), start);
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let lessons: Vec<String> = std::env::args().skip(1).collect();
    let all = ["05", "07", "09", "10"];
    let wanted: Vec<&str> = if lessons.is_empty() {
        all.to_vec()
    } else {
        lessons.iter().map(String::as_str).collect()
    };
    if let Some(bad) = wanted.iter().find(|l| !all.contains(l)) {
        return Err(Error::invalid(
            "./course train",
            format!("a lesson with heavier training: {}", all.join(", ")),
            bad,
        ));
    }
    let mnist = Mnist::load()?;
    for lesson in wanted {
        match lesson {
            "05" => lesson05(&mnist)?,
            "07" => lesson07(&mnist)?,
            "09" => lesson09(&mnist)?,
            "10" => lesson10(&mnist)?,
            _ => unreachable!("checked above"),
        }
    }
    Ok(())
}
