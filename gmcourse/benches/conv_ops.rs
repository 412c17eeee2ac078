//! The convolutions of the DCGAN (`models::dcgan`) timed one by one, forward and forward +
//! backward, for `bench/conv_ops.sh`, which times PyTorch's on the same shapes in the same
//! run (`bench/torch/conv_ops.py`) and prints the ratios. The shapes are the DCGAN's at
//! batch 64 on MNIST (channels `CH`, default 64 and 128):
//!
//! ```text
//! D conv1   (64, 1, 28, 28)   4×4 stride 2 pad 1 → (64, CH, 14, 14)
//! D conv2   (64, CH, 14, 14)  4×4 stride 2 pad 1 → (64, 2CH, 7, 7)
//! G convT1  (64, 2CH, 7, 7)   4×4 stride 2 pad 1 transposed → (64, CH, 14, 14)
//! G convT2  (64, CH, 14, 14)  4×4 stride 2 pad 1 transposed → (64, 1, 28, 28)
//! G up1     nearest ×2 of (64, 2CH, 7, 7), then 3×3 pad 1 → (64, CH, 14, 14)
//! G up2     nearest ×2 of (64, CH, 14, 14), then 3×3 pad 1 → (64, 1, 28, 28)
//! ```
//!
//! Implementations: `candle` (candle's `conv2d`, `conv_transpose2d`, `upsample_nearest2d`
//! and their backward passes) and `course` (`models::nn::conv`, im2col / col2im on the
//! course's sgemm). Prints `OP <impl> <op> <fwd ms> <fwd+bwd ms>`, medians.
//!
//! Usage: `cargo bench -p gmcourse --bench conv_ops -- [candle] [course]` (`REPS_SECONDS`,
//! default 1, per op and pass)

use std::time::{Duration, Instant};

use candle_core::{Tensor, Var};
use gmcourse::Result;
use gmcourse::models::nn::conv;
use gmcourse::models::nn::cpu::dispatch;

mod common;

struct Case {
    name: &'static str,
    x: (usize, usize, usize, usize),
    w: (usize, usize, usize, usize),
}

fn cases(ch: usize) -> Vec<Case> {
    vec![
        Case {
            name: "D_conv1",
            x: (64, 1, 28, 28),
            w: (ch, 1, 4, 4),
        },
        Case {
            name: "D_conv2",
            x: (64, ch, 14, 14),
            w: (2 * ch, ch, 4, 4),
        },
        // transposed: weight (c_in, c_out, k, k) as in PyTorch and candle
        Case {
            name: "G_convT1",
            x: (64, 2 * ch, 7, 7),
            w: (2 * ch, ch, 4, 4),
        },
        Case {
            name: "G_convT2",
            x: (64, ch, 14, 14),
            w: (ch, 1, 4, 4),
        },
        Case {
            name: "G_up1",
            x: (64, 2 * ch, 7, 7),
            w: (ch, 2 * ch, 3, 3),
        },
        Case {
            name: "G_up2",
            x: (64, ch, 14, 14),
            w: (1, ch, 3, 3),
        },
    ]
}

fn median_ms(budget: Duration, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 3 || start.elapsed() < budget {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn randn(shape: (usize, usize, usize, usize), seed: u64) -> Result<Tensor> {
    let mut rng = gmcourse::models::train::rng(seed);
    let n = shape.0 * shape.1 * shape.2 * shape.3;
    let t = gmcourse::models::train::randn(&mut rng, 1, n)?;
    Ok(t.reshape(shape)?)
}

fn candle_op(name: &str, x: &Tensor, w: &Tensor) -> Result<Tensor> {
    Ok(match name {
        "D_conv1" | "D_conv2" => x.conv2d(w, 1, 2, 1, 1)?,
        "G_convT1" | "G_convT2" => x.conv_transpose2d(w, 1, 0, 2, 1)?,
        _ => {
            let (_, _, h, wd) = x.dims4()?;
            x.upsample_nearest2d(2 * h, 2 * wd)?.conv2d(w, 1, 1, 1, 1)?
        }
    })
}

/// The course's op on the same numbers, as the DCGAN runs it: on channel-major maps
/// `(C, N, H, W)` (the input is given NCHW and swapped outside the timed op).
fn course_op(name: &str, x: &Tensor, w: &Tensor) -> Result<Tensor> {
    Ok(match name {
        "D_conv1" | "D_conv2" => conv::conv2d(x, w, None, 2, 1)?,
        "G_convT1" | "G_convT2" => conv::conv_transpose2d(x, w, None, 2, 1)?,
        _ => {
            let (_, _, h, wd) = x.dims4()?;
            conv::conv2d(&x.upsample_nearest2d(2 * h, 2 * wd)?, w, None, 1, 1)?
        }
    })
}

fn main() -> Result<()> {
    let budget = Duration::from_secs_f64(
        std::env::var("REPS_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1.0),
    );
    let ch: usize = std::env::var("CH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let impls: Vec<String> = if args.is_empty() {
        vec!["candle".into(), "course".into()]
    } else {
        args
    };
    println!("{}", dispatch::describe());
    for imp in impls.iter().filter(|i| *i != "none") {
        for c in cases(ch) {
            let mut x = randn(c.x, 1)?;
            if imp == "course" {
                // channel-major (C, N, H, W)
                x = x.transpose(0, 1)?.contiguous()?;
            }
            let x = Var::from_tensor(&x)?;
            let w = Var::from_tensor(&(randn(c.w, 2)? * 0.05)?)?;
            let run = |backward: bool| -> Result<()> {
                let y = match imp.as_str() {
                    "candle" => candle_op(c.name, x.as_tensor(), w.as_tensor())?,
                    "course" => course_op(c.name, x.as_tensor(), w.as_tensor())?,
                    other => {
                        return Err(gmcourse::Error::invalid(
                            "implementation",
                            "candle or course",
                            other,
                        ));
                    }
                };
                if backward {
                    let g = y.ones_like()?;
                    let grads = (y * g)?.sum_all()?.backward()?;
                    assert!(
                        grads.get(x.as_tensor()).is_some() && grads.get(w.as_tensor()).is_some()
                    );
                }
                Ok(())
            };
            let fwd = median_ms(budget, || run(false))?;
            let both = median_ms(budget, || run(true))?;
            println!(
                "OP {imp} {} {fwd:.3} {both:.3}  (peak RSS {:.0} MB)",
                c.name,
                common::peak_rss_mb()
            );
        }
    }
    Ok(())
}
