//! Small synthetic data shared by the model tests (no MNIST needed).
#![allow(dead_code)]

use candle_core::{Device, Tensor};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Four 28×28 binary prototypes: a horizontal bar, a vertical bar, a box and a diagonal.
pub fn prototypes() -> Vec<Vec<f32>> {
    let mut protos = vec![vec![0f32; 784]; 4];
    for r in 0..28 {
        for c in 0..28 {
            let k = r * 28 + c;
            if (12..16).contains(&r) && (4..24).contains(&c) {
                protos[0][k] = 1.0;
            }
            if (12..16).contains(&c) && (4..24).contains(&r) {
                protos[1][k] = 1.0;
            }
            let on_box = (6..22).contains(&r)
                && (6..22).contains(&c)
                && !((9..19).contains(&r) && (9..19).contains(&c));
            if on_box {
                protos[2][k] = 1.0;
            }
            if (r as i32 - c as i32).abs() <= 1 {
                protos[3][k] = 1.0;
            }
        }
    }
    protos
}

/// `n` images `(n, 784)`: a random prototype with each bit flipped with probability
/// `flip`, and the prototype index of each image.
///
/// The entropy of this distribution is 784·H(flip) + ln 4 nats (≈ 107 nats for flip =
/// 0.03), the best NLL any model can reach.
pub fn patterns(n: usize, flip: f64, seed: u64) -> (Tensor, Vec<u32>) {
    let protos = prototypes();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = Vec::with_capacity(n * 784);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let k = rng.random_range(0..protos.len());
        labels.push(k as u32);
        for &p in &protos[k] {
            let flipped = rng.random::<f64>() < flip;
            data.push(if flipped { 1.0 - p } else { p });
        }
    }
    (
        Tensor::from_vec(data, (n, 784), &Device::Cpu).unwrap(),
        labels,
    )
}
