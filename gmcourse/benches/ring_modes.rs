//! The mode counts lesson 09 quotes for the ring of 8 Gaussians (section 4): the plain
//! GAN, PacGAN with packs of 2, and k = 5 discriminator steps per generator step, each
//! trained for 1,500 generator steps on seeds 9, 1, 2 and 3, exactly as the lesson trains
//! (batch 128, lr 1e-3, Adam β₁ 0.5), without the lesson's time budget.
//!
//! `./course bench ring_modes` prints one row per run, "modes covered" (a mode counts
//! when at least 20 of 2,000 samples lie within 0.2 of its centre), the time of each run
//! and the process's peak memory. The lesson's recorded table comes from this output.

mod common;

use gmcourse::data::synthetic::mode_counts;
use gmcourse::data::{Points, RingConfig};
use gmcourse::models::Model;
use gmcourse::models::{self, GanConfig, TrainConfig};
use rand::SeedableRng;
use rand::rngs::StdRng;
use std::time::{Duration, Instant};

fn main() -> gmcourse::Result<()> {
    let ring = RingConfig::default();
    let centers = ring.centers();
    let mut packed = GanConfig::toy_2d();
    packed.pack = 2;
    let mut k5 = GanConfig::toy_2d();
    k5.d_steps = 5;
    let runs = [
        ("plain, k = 1", GanConfig::toy_2d()),
        ("pack = 2", packed),
        ("k = 5", k5),
    ];
    let seeds = [9_u64, 1, 2, 3];
    println!("run            seed  modes covered  samples per mode                          time");
    for (name, cfg) in &runs {
        let mut covered = Vec::new();
        for &seed in &seeds {
            let t = Instant::now();
            let (gan, vm) = models::Gan::seeded(cfg, seed)?;
            let tc = TrainConfig {
                steps: 1500,
                batch_size: 128,
                lr: 1e-3,
                seed,
                log_every: 0,
                time_budget: Some(Duration::from_secs(3600)),
                ..Default::default()
            };
            models::gan::train(
                &gan,
                &vm,
                |rng, n| ring.draw(rng, n)?.to_tensor(),
                &tc,
                |_, _| Ok(()),
            )?;
            let mut rng = StdRng::seed_from_u64(seed);
            let fake = Points::from_tensor(&gan.sample(2000, &mut rng)?)?;
            let counts = mode_counts(&fake, &centers, 0.2);
            let n = counts.covered(20);
            covered.push(n);
            println!(
                "{name:<14} {seed:>4}  {n:>5} / 8      {:<40}  {:.1} s",
                format!("{:?}", counts.counts),
                t.elapsed().as_secs_f64()
            );
        }
        println!("{name}: modes covered over seeds {seeds:?}: {covered:?}");
    }
    println!("peak RSS {:.0} MB", common::peak_rss_mb());
    Ok(())
}
