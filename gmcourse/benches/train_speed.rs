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
//! RESULT <model> <steps/s> <peak RSS MB> <model GFLOP/s> <dense GFLOP/s> <path>
//! ```
//!
//! `model GFLOP/s` counts 6 × parameters × batch per step (forward 2, backward 4 per
//! parameter and example); `dense GFLOP/s` is the FLOPs of the matrix products the step
//! really ran divided by the time spent in them (`nn::cpu::sgemm::profile`; `nan` when the
//! products ran elsewhere, as with `--features openblas`).

use std::time::{Duration, Instant};

use candle_core::{DType, Tensor};
use gmcourse::Result;
use gmcourse::models::mlp::{Activation, Mlp};
use gmcourse::models::nn::cpu::{Isa, dispatch, sgemm};
use gmcourse::models::{Gan, GanConfig, Nade, NadeConfig, Vae, VaeConfig, train};

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
    let start = Instant::now();
    let mut steps = 0usize;
    let mut loss = 0.0;
    while steps < 5 || start.elapsed() < budget {
        loss = step()?;
        steps += 1;
    }
    let secs = start.elapsed().as_secs_f64();
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
        "RESULT {name} {sps:.2} {:.0} {model_gflops:.1} {dense_gflops:.1} {}  (steps {steps}, \
         last loss {loss:.2}, {params} parameters, {:.0}% of the time in matrix products)",
        peak_rss_mb(),
        Isa::detected().name(),
        100.0 * dense_secs / secs
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
                let mut opt = train::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("nade", param_count(&varmap), batch, budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let loss = nade.nll(&x)?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "vae" => {
                let (vae, varmap) = Vae::seeded(&VaeConfig::default(), 0)?;
                let mut opt = train::adamw(varmap.all_vars(), 1e-3)?;
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
                let mut opt = train::adamw(varmap.all_vars(), 1e-3)?;
                time_steps("ae", param_count(&varmap), batch, budget, || {
                    let x = train::random_batch(&data, batch, &mut rng)?;
                    let l = mlp.forward(&x)?;
                    let loss = train::bce_with_logits_sum(&l, &x)?.mean_all()?;
                    train::checked_step(&mut opt, &loss, 0)
                })?;
            }
            "gan" => {
                let cfg = GanConfig::mnist();
                let (g, varmap) = Gan::seeded(&cfg, 0)?;
                let mut opt_g = train::adamw(train::vars_with_prefix(&varmap, "generator")?, 2e-4)?;
                let mut opt_d =
                    train::adamw(train::vars_with_prefix(&varmap, "discriminator")?, 2e-4)?;
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
            "cpu" => {} // the CPU line above is all
            other => eprintln!("unknown model {other}; use nade, vae, gan, ae or cpu"),
        }
    }
    Ok(())
}
