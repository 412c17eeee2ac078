//! What the live progress bar and loss curve cost a training loop (issue: "a live progress
//! bar must add under 2 % to a training loop's time").
//!
//! Trains the same VAE (784-400-20, batch 100) twice for the same number of steps, in
//! alternating rounds: once with no progress display, once with `gmcourse::live::Progress`
//! in live mode (the JSON lines the course kernel turns into display updates, with the
//! loss curve, written to a sink so the terminal stays readable). Prints steps/s of
//! both, the overhead in percent and the peak RSS.
//!
//! Usage: `cargo bench -p gmcourse --bench live_overhead` (`BENCH_STEPS`, default 600).

use gmcourse::models::Model;
use std::io::Write;
use std::time::Instant;

use candle_core::{DType, Tensor};
use gmcourse::Result;
use gmcourse::live::{Display, Mode, Progress};
use gmcourse::models::{Vae, VaeConfig, nn, train};

mod common;
use common::peak_rss_mb;

/// Counts what the display wrote, so the work of formatting is not optimised away.
struct CountingSink(std::sync::Arc<std::sync::atomic::AtomicUsize>);
impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .fetch_add(buf.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> Result<()> {
    let steps: usize = std::env::var("BENCH_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let data = train::rand_uniform(&mut train::rng(0), 1000, 784)?
        .lt(0.13)?
        .to_dtype(DType::F32)?;
    let (vae, vars) = Vae::seeded(
        &VaeConfig {
            n_pixels: 784,
            hidden: 400,
            latent: 20,
        },
        0,
    )?;
    let mut opt = nn::adamw(vars.all_vars(), 1e-3)?;
    let mut rng = train::rng(1);
    let mut step = |rng: &mut _| -> Result<f64> {
        let batch: Tensor = train::random_batch(&data, 100, rng)?;
        let loss = vae.elbo(&batch, rng)?.elbo.neg()?;
        train::checked_step(&mut opt, &loss, 0)
    };
    for _ in 0..20 {
        step(&mut rng)?; // warm-up
    }
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let n = steps / 4;
    // One round of n steps, with or without the live display; returns its seconds.
    let mut round = |rng: &mut _, live: bool| -> Result<f64> {
        let mut bar = live.then(|| {
            let display = Display::with_output(Mode::Live, Box::new(CountingSink(written.clone())));
            Progress::with_display("bench", n, display)
        });
        let t = Instant::now();
        for i in 0..n {
            let loss = step(rng)?;
            match bar.as_mut() {
                Some(bar) => bar.update(i + 1, loss),
                None => {
                    std::hint::black_box(loss);
                }
            }
        }
        if let Some(bar) = bar.as_mut() {
            bar.finish();
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let (mut plain_s, mut live_s, mut draws) = (0.0, 0.0, 0usize);
    for r in 0..4 {
        // Alternate which goes first, so drift in the machine's load hits both alike.
        let live_first = r % 2 == 1;
        for live in [live_first, !live_first] {
            let secs = round(&mut rng, live)?;
            if live {
                live_s += secs;
            } else {
                plain_s += secs;
            }
        }
        draws += 1;
    }
    let total = (steps / 4 * 4) as f64;
    let (plain_sps, live_sps) = (total / plain_s, total / live_s);
    println!(
        "VAE 784-400-20, batch 100, {} steps each way, {draws} rounds",
        steps / 4 * 4
    );
    println!("no progress display : {plain_sps:>7.1} steps/s");
    println!(
        "live bar + curve    : {live_sps:>7.1} steps/s   ({} KiB of display updates)",
        written.load(std::sync::atomic::Ordering::Relaxed) / 1024
    );
    println!(
        "overhead            : {:+.2} %   (target: under 2 %)",
        100.0 * (live_s - plain_s) / plain_s
    );
    println!("peak RSS            : {:.0} MB", peak_rss_mb());
    Ok(())
}
