//! Train steps/s of the reference models at batch 100, for `bench/train_speed.sh`, which
//! runs the PyTorch twins (`bench/torch/train_speed.py`) on the same shapes and prints the
//! gmcourse ÷ PyTorch ratio. Expected on the course machine (2 shared cores, TUNE=1,
//! load ≈ 6): NADE ≈ 1.8 steps/s (6× PyTorch), VAE ≈ 75 (2×), GAN ≈ 40 (2.3×); at load
//! ≈ 3 the VAE and GAN are at parity (≈ 110 and ≈ 35). See `bench/README.md`.
//!
//! Usage: `cargo bench -p gmcourse --bench train_speed -- [nade|vae|gan|ae]...` (`ae`: a plain
//! 784-500-784 MLP, the reference point of issue 4)
//! (`BENCH_SECONDS` sets the time per model, default 10; `RAYON_NUM_THREADS` the threads).
//! Prints one `RESULT <model> <steps/s> <peak RSS MB>` line per model.

use gmcourse::models::Model;
use std::time::{Duration, Instant};

use candle_core::{DType, Tensor};
use gmcourse::Result;
use gmcourse::models::nn::mlp::{Activation, Mlp};
use gmcourse::models::{Gan, GanConfig, Nade, NadeConfig, Vae, VaeConfig, nn, train};

mod common;
use common::peak_rss_mb;

/// Binary "images" with MNIST's ink density (about 13 % ones), seeded.
fn binary_data(n: usize) -> Result<Tensor> {
    let u = train::rand_uniform(&mut train::rng(0), n, 784)?;
    Ok(u.lt(0.13)?.to_dtype(DType::F32)?)
}

fn time_steps(name: &str, budget: Duration, mut step: impl FnMut() -> Result<f64>) -> Result<()> {
    for _ in 0..2 {
        step()?; // warm-up
    }
    let start = Instant::now();
    let mut steps = 0usize;
    let mut loss = 0.0;
    while steps < 5 || start.elapsed() < budget {
        loss = step()?;
        steps += 1;
    }
    let sps = steps as f64 / start.elapsed().as_secs_f64();
    println!(
        "RESULT {name} {sps:.2} {:.0}  (steps {steps}, last loss {loss:.2})",
        peak_rss_mb()
    );
    Ok(())
}

fn main() -> Result<()> {
    let budget = Duration::from_secs_f64(
        std::env::var("BENCH_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10.0),
    );
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let models: Vec<String> = if args.is_empty() {
        ["nade", "vae", "gan"].map(String::from).to_vec()
    } else {
        args
    };
    println!("threads {}", candle_core::utils::get_num_threads());
    let data = binary_data(1000)?;
    let batch = 100;
    for m in &models {
        let mut rng = train::rng(1);
        match m.as_str() {
            "nade" => {
                let (nade, varmap) = Nade::seeded(&NadeConfig::default(), 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("nade", budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let loss = nade.nll(&x)?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "vae" => {
                let (vae, varmap) = Vae::seeded(&VaeConfig::default(), 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("vae", budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let loss = vae.elbo(&x, &mut rng)?.elbo.neg()?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "ae" => {
                // the reference point: a plain 784-500-784 MLP with AdamW
                let varmap = candle_nn::VarMap::new();
                let vb = candle_nn::VarBuilder::from_varmap(
                    &varmap,
                    DType::F32,
                    &candle_core::Device::Cpu,
                );
                let mlp = Mlp::new(vb.pp("mlp"), &[784, 500, 784], Activation::Relu)?;
                train::init_seeded(&varmap, 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("ae", budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let l = mlp.forward(&x)?;
                    let loss = nn::bce_with_logits_sum(&l, &x)?.mean_all()?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "gan" => {
                let cfg = GanConfig::mnist();
                let (g, varmap) = Gan::seeded(&cfg, 0)?;
                let mut opt_g = nn::adamw(train::vars_with_prefix(&varmap, "generator")?, 2e-4)?;
                let mut opt_d =
                    nn::adamw(train::vars_with_prefix(&varmap, "discriminator")?, 2e-4)?;
                time_steps("gan", budget, || {
                    let x_real = train::random_batch(&data, batch, &mut rng)?;
                    let x_fake = g.sample(batch, &mut rng)?.detach();
                    let d_loss = g.discriminator_loss(&x_real, &x_fake)?;
                    train::checked_step(&mut opt_d, &d_loss, 0)?;
                    let z = train::randn(&mut rng, batch, cfg.latent)?;
                    let g_loss = g.generator_loss(&z)?;
                    train::checked_step(&mut opt_g, &g_loss, 0)
                })?;
            }
            other => eprintln!("unknown model {other}; use nade, vae, gan or ae"),
        }
    }
    Ok(())
}
