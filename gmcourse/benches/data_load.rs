//! Expected: loading the shipped 10,000-digit MNIST subset (SHA-256 checks + gunzip of
//! 9 files) takes about 25-35 ms in release (median 34 ms on a busy shared 2-core machine),
//! well under the 100 ms budget; one stochastic binarization of the train split about
//! 20 ms; peak RSS about 50 MB.
//!
//! Run: `cargo bench -p gmcourse --bench data_load`. Prints the figures; asserts nothing.

use std::time::{Duration, Instant};

use candle_core::Device;
use gmcourse::data::Mnist;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    let min = times.iter().min().copied().unwrap_or_default();
    (min, median(times))
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> gmcourse::Result<()> {
    let start = Instant::now();
    let mnist = Mnist::load()?;
    let first = start.elapsed();
    println!(
        "Mnist::load(), first (cold) call: {:.1} ms  [train {} / val {} / test {}]",
        ms(first),
        mnist.train.len(),
        mnist.val.len(),
        mnist.test.len()
    );

    let (min, med) = time(20, Mnist::load);
    println!(
        "Mnist::load(), 20 runs: min {:.1} ms, median {:.1} ms (budget 100 ms)",
        ms(min),
        ms(med)
    );

    let (min, med) = time(10, || mnist.train.to_tensor(&Device::Cpu));
    println!(
        "train.to_tensor() (8000, 784) f32: min {:.1} ms, median {:.1} ms",
        ms(min),
        ms(med)
    );

    let mut epoch = 0;
    let (min, med) = time(10, || {
        epoch += 1;
        mnist.train.stochastic_binarized(0, epoch)
    });
    println!(
        "train.stochastic_binarized(seed, epoch), one epoch: min {:.1} ms, median {:.1} ms",
        ms(min),
        ms(med)
    );

    match peak_rss_mb() {
        Some(mb) => println!("peak RSS (VmHWM): {mb:.1} MB"),
        None => println!("peak RSS: /proc/self/status not available"),
    }
    Ok(())
}
