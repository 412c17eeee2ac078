//! Hidden tests for lesson 05: never copied into exercises/.
use gmcourse::testing::{assert_all_close, assert_close};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l05_autoregressive_nade::*;

fn random_nade(d: usize, h: usize, seed: u64) -> NadeParams {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut r = |n: usize| {
        (0..n)
            .map(|_| rng.random_range(-1.5..1.5))
            .collect::<Vec<f64>>()
    };
    NadeParams {
        w: (0..h).map(|_| r(d)).collect(),
        c: r(h),
        alpha: (0..d).map(|_| r(h)).collect(),
        b: r(d),
    }
}

/// Reference: recompute every h_i from scratch, O(D² H).
fn conditionals_from_scratch(p: &NadeParams, x: &[f64]) -> Vec<f64> {
    let s = |t: f64| 1.0 / (1.0 + (-t).exp());
    (0..x.len())
        .map(|i| {
            let h: Vec<f64> = (0..p.c.len())
                .map(|k| s(p.c[k] + (0..i).map(|j| p.w[k][j] * x[j]).sum::<f64>()))
                .collect();
            s(p.b[i] + (0..h.len()).map(|k| p.alpha[i][k] * h[k]).sum::<f64>())
        })
        .collect()
}

// exercise 5.1, 2 points
#[test]
fn conditionals_match_a_from_scratch_reference_on_a_seeded_nade() {
    let p = random_nade(6, 4, 11);
    for x in [[1.0, 0.0, 1.0, 1.0, 0.0, 1.0], [0.0; 6], [1.0; 6]] {
        assert_all_close(
            &nade_conditionals(&p, &x),
            &conditionals_from_scratch(&p, &x),
            1e-12,
        );
    }
}

// exercise 5.1, 1 point
#[test]
fn the_first_conditional_ignores_the_input() {
    let p = random_nade(5, 3, 2);
    let a = nade_conditionals(&p, &[1.0, 1.0, 0.0, 1.0, 0.0])[0];
    let b = nade_conditionals(&p, &[0.0, 0.0, 1.0, 0.0, 1.0])[0];
    assert_close(a, b, 1e-15);
}

// exercise 5.2, 2 points
#[test]
fn nade_probabilities_of_all_binary_inputs_sum_to_one() {
    // NADE is an explicit model: Σ_x p(x) = 1 over all 2^6 inputs
    let p = random_nade(6, 4, 5);
    let total: f64 = (0..64u32)
        .map(|bits| {
            let x: Vec<f64> = (0..6).map(|i| f64::from((bits >> i) & 1)).collect();
            nade_log_likelihood(&p, &x).exp()
        })
        .sum();
    assert_close(total, 1.0, 1e-9);
}
