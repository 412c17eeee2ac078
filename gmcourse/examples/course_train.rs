//! `./course train [NN ...]`: trains the heavier models of lessons 07 and 09 for
//! minutes instead of the seconds a notebook has in class, with the notebooks' own
//! configurations, data and seeds, and saves each with its loss history to
//! `build/checkpoints/` ([`gmcourse::models::Checkpoints`]). The notebooks load these
//! checkpoints when they exist and print so.
//!
//! `TRAIN_MINUTES` sets the budget per model (default 5; a model also stops at its step
//! bound). `--checkpoints DIR` names the folder (default `build/checkpoints`, relative to
//! the folder it runs in: `./course train` runs it in the course folder, and the notebooks
//! look in `../build/checkpoints` from `notebooks/`).

use gmcourse::models::Model;
use std::time::{Duration, Instant};

use candle_core::Device;
use gmcourse::data::{Mnist, Pixels};
use gmcourse::models::{self, Checkpoints, TrainConfig};
use gmcourse::{Error, Result};

/// The GANs' step bound. Past it, at the notebooks' learning rate, more steps stop paying:
/// measured on lesson 09's GAN, MNIST score 6.6 after 3,000 steps and 6.0 after 12,000
/// (the game oscillates rather than converges; a lower rate was worse at equal steps).
const GAN_STEPS: usize = 6_000;

/// Lesson 09 trains its GAN with the notebook's batch size and learning rate.
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
    budget_or(5.0)
}

/// `TRAIN_MINUTES` if set, else `default` minutes.
fn budget_or(default: f64) -> Duration {
    let minutes: f64 = std::env::var("TRAIN_MINUTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    Duration::from_secs_f64(minutes * 60.0)
}

/// The DCGAN's default budget: lesson 09's MLP GAN stops at its step bound in well under
/// a minute, so `./course train 09` stays within 10 minutes.
const DCGAN_MINUTES: f64 = 9.0;

/// Trains with `train` and saves the model and its history as checkpoint `name`.
fn train_and_save(
    checkpoints: &Checkpoints,
    name: &str,
    varmap: &models::VarMap,
    train: impl FnOnce() -> Result<models::History>,
) -> Result<()> {
    let start = Instant::now();
    let history = train()?;
    let seconds = start.elapsed().as_secs_f64();
    let path = checkpoints.save(name, varmap, &history, seconds)?;
    println!(
        "  saved {} ({} steps in {seconds:.0} s)",
        path.display(),
        history.len()
    );
    Ok(())
}

/// Lesson 07: the autoencoder and the 2-D VAE (section 5's VAE is the student's, trained
/// in its cell).
fn lesson07(mnist: &Mnist, checkpoints: &Checkpoints) -> Result<()> {
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
    train_and_save(checkpoints, "l07-ae", &ae_vars, || {
        models::autoencoder::train(&ae, &ae_vars, &x, &tc)
    })?;

    let cfg = models::VaeConfig::latent_2d();
    let (vae, vars) = models::Vae::seeded(&cfg, seed)?;
    println!("lesson 07: VAE {cfg:?}");
    train_and_save(checkpoints, "l07-vae2d", &vars, || {
        models::vae::train(&vae, &vars, &x, &tc)
    })
}

/// Lesson 09: the MNIST GAN (the notebook's small MLPs, its 4,000 training digits).
fn lesson09(mnist: &Mnist, checkpoints: &Checkpoints) -> Result<()> {
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
    train_and_save(checkpoints, "l09-gan", &varmap, || {
        models::gan::train(
            &gan,
            &varmap,
            |rng, n| models::train::random_batch(&x, n, rng),
            &tc,
            |_, _| Ok(()),
        )
    })?;

    // section 8's DCGAN: the notebook's configuration, data (every training digit), batch,
    // learning rate and seed; the averaged generator is saved
    let x_all = mnist.train.x(Pixels::Grey, &Device::Cpu)?;
    let cfg = models::DcganConfig::mnist();
    let (dcgan, varmap) = models::Dcgan::seeded(&cfg, seed)?;
    let tc = TrainConfig {
        steps: 1_000_000,
        batch_size: 64,
        lr: DCGAN_LR,
        seed,
        log_every: 2000,
        time_budget: Some(budget_or(DCGAN_MINUTES)),
        ..Default::default()
    };
    println!("lesson 09: DCGAN {cfg:?} for {:?}", tc.time_budget.unwrap());
    train_and_save(checkpoints, "l09-dcgan", &varmap, || {
        models::dcgan::train_averaged(
            &dcgan,
            &varmap,
            |rng, n| models::train::random_batch(&x_all, n, rng),
            &tc,
        )
    })
}

/// Lesson 09's DCGAN learning rate (the notebook's `dcgan_lr`).
const DCGAN_LR: f64 = 2e-3;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut lessons: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = "build/checkpoints".to_string();
    if let Some(i) = lessons.iter().position(|a| a == "--checkpoints") {
        if i + 1 >= lessons.len() {
            return Err(Error::invalid(
                "--checkpoints",
                "a folder after it",
                "nothing",
            ));
        }
        dir = lessons.remove(i + 1);
        lessons.remove(i);
    }
    let checkpoints = Checkpoints::new(dir);
    let all = ["07", "09"];
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
            "07" => lesson07(&mnist, &checkpoints)?,
            "09" => lesson09(&mnist, &checkpoints)?,
            _ => unreachable!("checked above"),
        }
    }
    Ok(())
}
