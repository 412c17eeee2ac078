//! Writes one file per plot kind into a folder (argv[1], default `build/gallery`).
//! Expected: line.svg, ... each a few kB to ~100 kB; run with
//! `cargo run -p gmcourse --example plot_gallery -- build/gallery`.

use gmcourse::Result;
use gmcourse::plot::{self, ChartOptions, Dash, Rgb, Scatter, Smoothing, Totals};
use rand::{SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, Normal};

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
    // Histogram of N(0, 1) samples with the pdf on top.
    let mut rng = StdRng::seed_from_u64(0);
    let normal = Normal::new(0.0, 1.0).map_err(|e| gmcourse::Error::Plot(e.to_string()))?;
    let samples: Vec<f64> = (0..5000).map(|_| normal.sample(&mut rng)).collect();
    plot::histogram(&samples, 40)
        .label("5000 samples")
        .density(|x| normal_pdf(x, 0.0, 1.0))
        .density_label("N(0, 1)")
        .title("Samples against the density")
        .x_label("x")
        .y_label("density")
        .save(dir.join("histogram.svg"))?;

    // PMF bars: two distributions over digits.
    let digits: Vec<usize> = (0..10).collect();
    let p: Vec<f64> = vec![0.1; 10];
    let q: Vec<f64> = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0]
        .iter()
        .map(|v| v / 30.0)
        .collect();
    plot::bar(&digits, &p)
        .name("p (uniform)")
        .series("q", &q)
        .title("Two PMFs over digits")
        .x_label("k")
        .y_label("p(k)")
        .save(dir.join("bar.svg"))?;

    // Scatter, 10,000 points in ten classes: the point layer becomes one PNG.
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut cs = Vec::new();
    for i in 0..10_000 {
        let c = i % 10;
        let angle = c as f64 / 10.0 * std::f64::consts::TAU;
        xs.push(3.0 * angle.cos() + 0.6 * normal.sample(&mut rng));
        ys.push(3.0 * angle.sin() + 0.6 * normal.sample(&mut rng));
        cs.push(c);
    }
    Scatter::by_class((&xs, &ys), &cs)
        .title("Latent codes z by digit")
        .x_label("z_1")
        .y_label("z_2")
        .save(dir.join("scatter.svg"))?;
    plot::scatter((&xs[..200], &ys[..200]))
        .name("real")
        .group("fake", (&ys[200..400], &xs[200..400]))
        .legend(plot::Legend::UpperLeft)
        .save(dir.join("scatter_small.svg"))?;

    // Density heatmap of a two-component mixture, with samples on top.
    let mixture = |x: f64, y: f64| {
        0.5 * (-((x - 1.0).powi(2) + y * y) / 0.5).exp()
            + 0.5 * (-((x + 1.0).powi(2) + (y - 1.0).powi(2)) / 0.3).exp()
    };
    plot::heatmap_fn(mixture, (-3.0, 3.0), (-2.0, 3.0))
        .points(
            "samples",
            (
                xs[..60].iter().map(|x| x / 3.0).collect::<Vec<_>>(),
                ys[..60].iter().map(|y| y / 3.0).collect::<Vec<_>>(),
            ),
        )
        .title("p(x, y), a mixture of two Gaussians")
        .x_label("x")
        .y_label("y")
        .save(dir.join("heatmap.svg"))?;
    let joint = [0.02, 0.08, 0.1, 0.2, 0.3, 0.1, 0.05, 0.1, 0.05];
    plot::heatmap(&joint, 3, 3)
        .title("a 3 × 3 joint table")
        .save(dir.join("heatmap_small.svg"))?;

    // Image grid: 30 synthetic "digits" (rings of growing radius), 3 labelled rows.
    let images: Vec<Vec<f32>> = (0..30)
        .map(|k| {
            let r = 3.0 + (k % 10) as f32;
            (0..784)
                .map(|p| {
                    let (y, x) = ((p / 28) as f32 - 13.5, (p % 28) as f32 - 13.5);
                    let d = (x * x + y * y).sqrt();
                    (1.0 - (d - r).abs() / 2.0).clamp(0.0, 1.0)
                })
                .collect()
        })
        .collect();
    plot::image_grid(&images).save(dir.join("image_grid.png"))?;
    plot::image_grid(&images)
        .row_labels(&["epoch 1", "epoch 10", "epoch 100"])
        .title("generated samples")
        .save(dir.join("image_grid_labelled.svg"))?;

    // Training curves with EMA smoothing.
    let loss_d: Vec<f64> = (0..500)
        .map(|t| 1.386 - 0.3 * (t as f64 / 100.0).tanh() + 0.15 * normal.sample(&mut rng))
        .collect();
    let loss_g: Vec<f64> = (0..500)
        .map(|t| 0.693 + 0.6 * (t as f64 / 100.0).tanh() + 0.15 * normal.sample(&mut rng))
        .collect();
    plot::training_curves()
        .series("loss_D", &loss_d)
        .series("loss_G", &loss_g)
        .smooth(Smoothing::Ema(0.95))
        .every(10)
        .title("GAN losses")
        .save(dir.join("training.svg"))?;

    // Joint table with marginals.
    plot::table(
        &["x = 0", "x = 1", "x = 2"],
        &["y = 0", "y = 1", "y = 2"],
        &[[0.02, 0.08, 0.1], [0.2, 0.3, 0.1], [0.05, 0.1, 0.05]],
    )
    .totals(Totals::Both)
    .corner("x \\ y")
    .caption("p(x, y) with marginals")
    .save(dir.join("table.html"))?;

    println!("wrote {}", dir.display());
    Ok(())
}
