//! Writes one file per plot kind into a folder (argv[1], default `build/gallery`).
//! Expected: line.svg, ... each a few kB to ~100 kB; run with
//! `cargo run -p gmcourse --example plot_gallery -- build/gallery`.

use gmcourse::Result;
use gmcourse::plot::{self, Dash, Rgb};

fn normal_pdf(x: f64, mu: f64, sigma: f64) -> f64 {
    (-(x - mu).powi(2) / (2.0 * sigma * sigma)).exp()
        / (sigma * (2.0 * std::f64::consts::PI).sqrt())
}

fn main() -> Result<()> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "build/gallery".to_string()),
    );

    // GAN paper, Fig. 1: data density black dotted, generator green, discriminator blue dashed.
    let x: Vec<f64> = (0..=200).map(|i| -1.0 + 7.0 * i as f64 / 200.0).collect();
    let p_data: Vec<f64> = x.iter().map(|&x| normal_pdf(x, 2.0, 0.7)).collect();
    let p_g: Vec<f64> = x.iter().map(|&x| normal_pdf(x, 3.0, 1.0)).collect();
    let d: Vec<f64> = p_data.iter().zip(&p_g).map(|(a, b)| a / (a + b)).collect();
    plot::line(&x, &p_data)
        .name("p_data")
        .color(Rgb::BLACK)
        .dash(Dash::Dotted)
        .series("p_g", &x, &p_g)
        .color(Rgb::GREEN)
        .series("D(x)", &x, &d)
        .color(Rgb::BLUE)
        .dash(Dash::Dashed)
        .title("GAN training: D(x) = p_data / (p_data + p_g)")
        .x_label("x")
        .y_label("density")
        .save(dir.join("line.svg"))?;

    let steps: Vec<f64> = (1..=100).map(|i| i as f64).collect();
    let a: Vec<f64> = steps
        .iter()
        .map(|s| 3.0 * (-s / 20.0).exp() + 0.01)
        .collect();
    let b: Vec<f64> = steps.iter().map(|s| 1.0 / s).collect();
    plot::line(&steps, &a)
        .name("exp decay")
        .series("1 / step", &steps, &b)
        .log_y()
        .x_label("step")
        .y_label("loss")
        .save(dir.join("line_log.svg"))?;
    println!("wrote {}", dir.display());
    Ok(())
}
