//! Hidden tests for lesson 06: never copied into exercises/.
use gmcourse::testing::{assert_all_close, assert_close};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use solutions::l06_mixtures::*;

fn data(seed: u64) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let a = Normal::new(-2.0, 0.5).expect("valid normal");
    let b = Normal::new(3.0, 1.0).expect("valid normal");
    (0..400)
        .map(|_| {
            if rng.random::<f64>() < 0.3 {
                a.sample(&mut rng)
            } else {
                b.sample(&mut rng)
            }
        })
        .collect()
}

// exercise 6.1, 1 point
#[test]
fn mixture_log_likelihood_matches_the_weighted_density_sum() {
    let m = Mixture2 {
        pi: 0.25,
        mu: [0.0, 2.0],
        var: [1.0, 4.0],
    };
    let x = [-1.0, 0.5, 3.0];
    let want: f64 = x
        .iter()
        .map(|&v| (0.25 * normal_pdf(v, 0.0, 1.0) + 0.75 * normal_pdf(v, 2.0, 4.0)).ln())
        .sum();
    assert_close(mixture_log_likelihood(&x, &m), want, 1e-12);
}

// exercise 6.2, 1 point
#[test]
fn responsibilities_follow_the_symmetric_hand_values() {
    // x = −2 and 2 with components at ∓1: γ = σ(2x·(−1))… = 0.98201 and 0.01799
    let g = responsibilities(
        &[-2.0, 2.0],
        &Mixture2 {
            pi: 0.5,
            mu: [-1.0, 1.0],
            var: [1.0, 1.0],
        },
    );
    assert_all_close(
        &g,
        &[0.982_013_790_037_908_5, 0.017_986_209_962_091_56],
        1e-12,
    );
}

// exercise 6.2, 1 point
#[test]
fn responsibilities_respect_the_mixing_weight() {
    // equal densities at x = 0, so γ = π
    let g = responsibilities(
        &[0.0],
        &Mixture2 {
            pi: 0.2,
            mu: [-1.0, 1.0],
            var: [1.0, 1.0],
        },
    );
    assert_all_close(&g, &[0.2], 1e-12);
}

// exercise 6.3, 2 points
#[test]
fn em_never_decreases_the_log_likelihood_on_seeded_data() {
    let x = data(6);
    let mut m = Mixture2 {
        pi: 0.5,
        mu: [-0.5, 0.5],
        var: [2.0, 2.0],
    };
    let mut ll = mixture_log_likelihood_reference(&x, &m);
    for step in 0..30 {
        m = em_step(&x, &m);
        let next = mixture_log_likelihood_reference(&x, &m);
        assert!(
            next >= ll - 1e-9,
            "EM step {step} decreased the log-likelihood from {ll} to {next}"
        );
        ll = next;
    }
    // and it finds the generating components (0.3 · N(−2, 0.25) + 0.7 · N(3, 1))
    assert_close(m.pi, 0.3, 0.06);
    assert_close(m.mu[0], -2.0, 0.2);
    assert_close(m.mu[1], 3.0, 0.2);
}

fn mixture_log_likelihood_reference(x: &[f64], m: &Mixture2) -> f64 {
    x.iter()
        .map(|&v| {
            (m.pi * normal_pdf(v, m.mu[0], m.var[0])
                + (1.0 - m.pi) * normal_pdf(v, m.mu[1], m.var[1]))
            .ln()
        })
        .sum()
}
