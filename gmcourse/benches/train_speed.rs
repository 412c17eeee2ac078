//! Train steps/s of the reference models at batch 100, for `bench/train_speed.sh`, which
//! runs the PyTorch twins (`bench/torch/train_speed.py`) on the same shapes and prints the
//! gmcourse ÷ PyTorch ratio, the GFLOP/s and the fraction of the machine's peak. See
//! `bench/README.md` for the figures.
//!
//! Usage: `cargo bench -p gmcourse --bench train_speed -- [nade|vae|gan|ae]...` (`ae`: a plain
//! 784-500-784 MLP, the reference point of issue 4)
//! (`BENCH_SECONDS` sets the time per model, default 10; `RAYON_NUM_THREADS` the threads;
//! `GMCOURSE_CPU` caps the kernel path). Prints the CPU and the kernel path, then one line
//! per model:
//!
//! ```text
//! RESULT <model> <steps/s> <peak RSS MB> <model GFLOP/s> <dense GFLOP/s> <path> <CPU ms/step>
//! ```
//!
//! (CPU ms per step: all threads' CPU time over the timed steps, a figure that the load of
//! a shared machine disturbs much less than steps/s.)
//!
//! `model GFLOP/s` counts 6 × parameters × batch per step (forward 2, backward 4 per
//! parameter and example); `dense GFLOP/s` is the FLOPs of the matrix products the step
//! really ran divided by the time spent in them (`nn::cpu::sgemm::profile`; `nan` when the
//! products ran elsewhere, as with `--features openblas`).

use gmcourse::models::Model;
use std::time::{Duration, Instant};

use candle_core::{DType, Tensor};
use gmcourse::Result;
use gmcourse::models::nn::cpu::{Isa, dispatch, sgemm};
use gmcourse::models::nn::mlp::{Activation, Mlp};
use gmcourse::models::{
    Dcgan, DcganConfig, Gan, GanConfig, Nade, NadeConfig, Vae, VaeConfig, gan, nn, train,
};

mod common;
use common::peak_rss_mb;

/// Binary "images" with MNIST's ink density (about 13 % ones), seeded.
fn binary_data(n: usize) -> Result<Tensor> {
    let u = train::rand_uniform(&mut train::rng(0), n, 784)?;
    Ok(u.lt(0.13)?.to_dtype(DType::F32)?)
}

/// Times `step` for `budget` after two warm-up steps and prints the RESULT line; `params`
/// is the model's parameter count.
fn time_steps(
    name: &str,
    params: usize,
    batch: usize,
    budget: Duration,
    mut step: impl FnMut() -> Result<f64>,
) -> Result<()> {
    for _ in 0..2 {
        step()?; // warm-up
    }
    sgemm::profile(true);
    let cpu0 = cpu_secs();
    let start = Instant::now();
    let mut steps = 0usize;
    let mut loss = 0.0;
    while steps < 5 || start.elapsed() < budget {
        loss = step()?;
        steps += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu_ms = (cpu_secs() - cpu0) * 1e3 / steps as f64;
    let (flops, dense_secs) = sgemm::profiled();
    sgemm::profile(false);
    let sps = steps as f64 / secs;
    let model_gflops = 6.0 * (params * batch) as f64 * sps / 1e9;
    let dense_gflops = if flops > 0.0 {
        flops / dense_secs / 1e9
    } else {
        f64::NAN
    };
    println!(
        "RESULT {name} {sps:.2} {:.0} {model_gflops:.1} {dense_gflops:.1} {} {cpu_ms:.2}  \
         (steps {steps}, last loss {loss:.2}, {params} parameters, {:.0}% of the time in \
         matrix products)",
        peak_rss_mb(),
        Isa::detected().name(),
        100.0 * dense_secs / secs
    );
    Ok(())
}

/// CPU time of this process, all threads, in seconds (`/proc/self/stat`, 10 ms ticks).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// A lesson's training call, timed the way `bench/kernel_speed.py` times the same code in
/// a notebook cell of the course kernel: `models::vae::train` (lesson 07's VAE, batch 100)
/// or `models::gan::train` (lesson 09's MNIST GAN, batch 64) for `STEPS` steps (default
/// 300) after 20 warm-up steps, progress bar on as in the lessons.
fn lesson(name: &str, data: &Tensor) -> Result<()> {
    use gmcourse::models::{TrainConfig, gan, vae};
    let steps: usize = std::env::var("STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let warm = TrainConfig {
        steps: 20,
        log_every: 0,
        ..Default::default()
    };
    let timed = TrainConfig {
        steps,
        ..warm.clone()
    };
    let secs = if name == "lesson_vae" {
        let (model, varmap) = Vae::seeded(&VaeConfig::default(), 0)?;
        vae::train(&model, &varmap, data, &warm)?;
        let start = Instant::now();
        vae::train(&model, &varmap, data, &timed)?;
        start.elapsed().as_secs_f64()
    } else {
        let mut cfg = GanConfig::mnist();
        cfg.g_hidden = vec![128, 256];
        cfg.d_hidden = vec![256, 128];
        let (model, varmap) = Gan::seeded(&cfg, 9)?;
        let (warm, timed) = (
            TrainConfig {
                batch_size: 64,
                lr: 1e-3,
                ..warm
            },
            TrainConfig {
                batch_size: 64,
                lr: 1e-3,
                ..timed
            },
        );
        let batches = |rng: &mut rand::rngs::StdRng, n| train::random_batch(data, n, rng);
        gan::train(&model, &varmap, batches, &warm, |_, _| Ok(()))?;
        let start = Instant::now();
        gan::train(&model, &varmap, batches, &timed, |_, _| Ok(()))?;
        start.elapsed().as_secs_f64()
    };
    println!(
        "RESULT {name} {:.2} {:.0}  ({steps} steps in {secs:.2} s, path {}, in the thread pool: {})",
        steps as f64 / secs,
        peak_rss_mb(),
        Isa::detected().name(),
        nn::cpu::threads::in_pool()
    );
    Ok(())
}

fn param_count(varmap: &candle_nn::VarMap) -> usize {
    varmap.all_vars().iter().map(|v| v.elem_count()).sum()
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
    println!("{}", dispatch::describe());
    println!("threads {}", candle_core::utils::get_num_threads());
    let data = binary_data(1000)?;
    let batch = 100;
    for m in &models {
        let mut rng = train::rng(1);
        match m.as_str() {
            "nade" => {
                let (nade, varmap) = Nade::seeded(&NadeConfig::default(), 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("nade", param_count(&varmap), batch, budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let loss = nade.nll(&x)?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "vae" => {
                let (vae, varmap) = Vae::seeded(&VaeConfig::default(), 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("vae", param_count(&varmap), batch, budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let loss = vae.elbo(&x, &mut rng)?.elbo.neg()?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "ae" => {
                // the issue's reference point: a plain 784-500-784 MLP with AdamW
                let varmap = candle_nn::VarMap::new();
                let vb = candle_nn::VarBuilder::from_varmap(
                    &varmap,
                    DType::F32,
                    &candle_core::Device::Cpu,
                );
                let mlp = Mlp::new(vb.pp("mlp"), &[784, 500, 784], Activation::Relu)?;
                train::init_seeded(&varmap, 0)?;
                let mut opt = nn::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("ae", param_count(&varmap), batch, budget, || {
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
                time_steps("gan", param_count(&varmap), batch, budget, || {
                    let x_real = train::random_batch(&data, batch, &mut rng)?;
                    let x_fake = g.sample(batch, &mut rng)?.detach();
                    let d_loss = g.discriminator_loss(&x_real, &x_fake)?;
                    train::checked_step(&mut opt_d, &d_loss, 0)?;
                    let z = train::randn(&mut rng, batch, cfg.latent)?;
                    let g_loss = g.generator_loss(&z)?;
                    train::checked_step(&mut opt_g, &g_loss, 0)
                })?;
            }
            "dcgan" => {
                // models::Dcgan with DcganConfig::mnist(), batch 64, Adam(2e-4, β1 0.5): the
                // step of dcgan::train (one D step, one G step, D's random shifts included),
                // without DcganConfig::clusters, as the twin; DCGAN_CLUSTERS=k times the
                // course's recipe with them (a (64 × 784) × (784 × k) assignment and a k-wide
                // projection more per step) against the same twin
                let cfg = DcganConfig {
                    clusters: std::env::var("DCGAN_CLUSTERS")
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                    channels: std::env::var("DCGAN_CH")
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(DcganConfig::mnist().channels),
                    ..DcganConfig::mnist()
                };
                let (g, varmap) = Dcgan::seeded(&cfg, 0)?;
                g.fit_clusters(&varmap, &data, &mut rng)?; // nothing without clusters
                let mut opt_g = gan::gan_optimizer(&varmap, "generator", 2e-4, cfg.beta1)?;
                let mut opt_d = gan::gan_optimizer(&varmap, "discriminator", 2e-4, cfg.beta1)?;
                let n = 64;
                time_steps("dcgan", param_count(&varmap), n, budget, || {
                    let x_real = train::random_batch(&data, n, &mut rng)?;
                    Ok(g.train_step(&mut opt_d, &mut opt_g, &x_real, &mut rng, 0)?
                        .1)
                })?;
            }
            "lesson_vae" | "lesson_gan" => lesson(m, &data)?,
            "cpu" => {} // the CPU line above is all
            other => eprintln!("unknown model {other}; use nade, vae, gan, ae or cpu"),
        }
    }
    Ok(())
}
