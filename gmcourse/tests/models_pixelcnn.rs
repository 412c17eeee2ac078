mod models_common;

use candle_core::{Device, Tensor, Var};
use gmcourse::models::Model;
use gmcourse::models::nn::masks::{Cell, Context, receptive_field};
use gmcourse::models::{PixelCnn, PixelCnnConfig, TrainConfig, train};

fn small() -> PixelCnnConfig {
    PixelCnnConfig {
        height: 8,
        width: 8,
        channels: 4,
        layers: 3,
        kernel: 3,
    }
}

#[test]
fn pixelcnn_logits_depend_only_on_earlier_pixels_within_the_drawn_receptive_field() {
    let cfg = small();
    let (m, _) = PixelCnn::seeded(&cfg, 0).unwrap();
    let x0 = train::rand_uniform(&mut train::rng(1), 1, 64)
        .unwrap()
        .ge(0.5)
        .unwrap()
        .to_dtype(candle_core::DType::F32)
        .unwrap();
    let x = Var::from_tensor(&x0).unwrap();
    let (row, col) = (5, 4);
    let i = row * 8 + col;
    let l_i = m
        .logits(x.as_tensor())
        .unwrap()
        .narrow(1, i, 1)
        .unwrap()
        .sum_all()
        .unwrap();
    let g = l_i
        .backward()
        .unwrap()
        .get(x.as_tensor())
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let field = receptive_field(Context::PixelCnn { layers: cfg.layers }, 8, 8, row, col).unwrap();
    for (j, &gj) in g.iter().enumerate() {
        let cell = field[j / 8][j % 8];
        if gj != 0.0 {
            assert_eq!(
                cell,
                Cell::Context,
                "pixel {j} influences l_{i} but is outside the drawn field"
            );
        }
        assert!(
            j < i || gj == 0.0,
            "l_{i} depends on pixel {j}, which comes after it"
        );
    }
    let seen = g.iter().filter(|&&gj| gj != 0.0).count();
    assert!(seen > 10, "only {seen} pixels influence l_{i}");
}

/// The synthetic patterns at 14×14 (every other row and column), to keep the test short.
fn patterns_14(n: usize, seed: u64) -> Tensor {
    let (x, _) = models_common::patterns(n, 0.03, seed);
    let keep: Vec<u32> = (0..14u32)
        .flat_map(|r| (0..14u32).map(move |c| (2 * r) * 28 + 2 * c))
        .collect();
    let keep = Tensor::from_vec(keep, 196, &Device::Cpu).unwrap();
    x.index_select(&keep, 1).unwrap()
}

#[test]
fn pixelcnn_nll_drops_well_below_uniform_on_synthetic_patterns() {
    let data = patterns_14(256, 0);
    let cfg = PixelCnnConfig {
        height: 14,
        width: 14,
        channels: 8,
        layers: 2,
        kernel: 3,
    };
    let (m, varmap) = PixelCnn::seeded(&cfg, 0).unwrap();
    let tc = TrainConfig {
        steps: 80,
        batch_size: 16,
        lr: 1e-2,
        log_every: 40,
        ..Default::default()
    };
    gmcourse::models::pixelcnn::train(&m, &varmap, &data, &tc).unwrap();
    let nll = m
        .nll(&patterns_14(64, 1))
        .unwrap()
        .to_scalar::<f32>()
        .unwrap() as f64;
    let uniform = 196.0 * std::f64::consts::LN_2; // ≈ 135.9 nats
    println!("PixelCNN test NLL {nll:.1} nats (uniform {uniform:.1})");
    assert!(nll < 0.5 * uniform, "NLL {nll}");
}

#[test]
fn pixelcnn_log_prob_of_all_binary_images_sums_to_one() {
    let cfg = PixelCnnConfig {
        height: 2,
        width: 3,
        channels: 3,
        layers: 2,
        kernel: 3,
    };
    let (m, _) = PixelCnn::seeded(&cfg, 4).unwrap();
    let all: Vec<f32> = (0..64u32)
        .flat_map(|b| (0..6).map(move |k| ((b >> k) & 1) as f32))
        .collect();
    let x = Tensor::from_vec(all, (64, 6), &Device::Cpu).unwrap();
    let total: f64 = m
        .log_prob(&x)
        .unwrap()
        .to_vec1::<f32>()
        .unwrap()
        .iter()
        .map(|&l| (l as f64).exp())
        .sum();
    gmcourse::testing::assert_close(total, 1.0, 1e-5);
}
