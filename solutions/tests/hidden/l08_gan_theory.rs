//! Hidden tests for lesson 08: never copied into exercises/.
use gmcourse::info::{self, Unit};
use gmcourse::testing::assert_close;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l08_gan_theory::*;

/// A seeded random PMF over `n` outcomes; outcome 0 has probability 0 when `with_zero`.
fn random_pmf(n: usize, seed: u64, with_zero: bool) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let raw: Vec<f64> = (0..n)
        .map(|i| {
            if with_zero && i == 0 {
                0.0
            } else {
                rng.random_range(0.05..1.0)
            }
        })
        .collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|r| r / total).collect()
}

// exercise 8.1, 2 points
#[test]
fn gan_value_at_the_optimal_discriminator_is_minus_log_four_plus_twice_the_jsd() {
    // p_data = (0.5, 0.5), p_g = (0.9, 0.1) on two points; D* = (5/14, 5/6).
    // Samples in proportion: 5 + 5 real, 9 + 1 fake. V = −log 4 + 2·JSD = −1.18280 (Python)
    let d = [0.5 / (0.5 + 0.9), 0.5 / (0.5 + 0.1)];
    let real: Vec<f64> = [d[0]; 5].into_iter().chain([d[1]; 5]).collect();
    let fake: Vec<f64> = [d[0]; 9].into_iter().chain([d[1]; 1]).collect();
    assert_close(gan_value(&real, &fake), -1.182_795_910_961_497_4, 1e-12);
}

// exercise 8.2, 1 point
#[test]
fn optimal_discriminator_weighs_the_two_densities() {
    assert_close(optimal_discriminator(0.3, 0.1), 0.75, 1e-12);
    assert_close(optimal_discriminator(0.2, 0.0), 1.0, 1e-12);
    assert_close(optimal_discriminator(0.0, 0.2), 0.0, 1e-12);
}

// exercise 8.2, 1 point
#[test]
fn optimal_discriminator_is_one_half_where_both_densities_vanish() {
    let d = optimal_discriminator(0.0, 0.0);
    assert_close(d, 0.5, 1e-15);
}

// exercise 8.3, 2 points
#[test]
fn js_divergence_matches_gmcourse_on_seeded_pmfs() {
    for seed in 0..6 {
        let p = random_pmf(5, seed, seed % 2 == 0);
        let q = random_pmf(5, 100 + seed, seed % 3 == 0);
        // reference: gmcourse::info::js_divergence in nats
        let want = info::js_divergence(&p, &q, Unit::Nats).expect("valid PMFs");
        assert_close(js_divergence(&p, &q), want, 1e-12);
    }
}

// exercise 8.3, 1 point
#[test]
fn js_divergence_is_symmetric_and_zero_for_equal_pmfs() {
    let p = [0.1, 0.6, 0.3];
    let q = [0.5, 0.25, 0.25];
    assert_close(js_divergence(&p, &q), js_divergence(&q, &p), 1e-15);
    assert_close(js_divergence(&p, &p), 0.0, 1e-15);
}

// exercise 8.4, 1 point
#[test]
fn value_at_optimal_discriminator_matches_gmcourse_on_seeded_pmfs() {
    for seed in 0..6 {
        let p_data = random_pmf(6, seed, false);
        let p_g = random_pmf(6, 50 + seed, seed % 2 == 1);
        // reference: gmcourse::info::value_at_optimal_discriminator
        let want = info::value_at_optimal_discriminator(&p_data, &p_g).expect("valid PMFs");
        assert_close(value_at_optimal_discriminator(&p_data, &p_g), want, 1e-12);
    }
}

// exercise 8.4, 1 point
#[test]
fn value_at_optimal_discriminator_is_minus_log_four_plus_twice_the_jsd() {
    // Goodfellow et al. 2014, Theorem 1: V(D*, G) = −log 4 + 2 · JSD(p_data ‖ p_g)
    let p_data = [0.5, 0.5, 0.0];
    let p_g = [0.1, 0.2, 0.7];
    let jsd = info::js_divergence(&p_data, &p_g, Unit::Nats).expect("valid PMFs");
    assert_close(
        value_at_optimal_discriminator(&p_data, &p_g),
        -(4f64.ln()) + 2.0 * jsd,
        1e-12,
    );
}

// exercise 8.4, 1 point
#[test]
fn value_is_zero_when_the_supports_do_not_overlap() {
    // D* = 1 on p_data's support and 0 on p_g's: both log terms vanish; the last outcome
    // has p_data = p_g = 0 and must contribute nothing (not NaN)
    let v = value_at_optimal_discriminator(&[0.5, 0.5, 0.0, 0.0, 0.0], &[0.0, 0.0, 0.3, 0.7, 0.0]);
    assert_close(v, 0.0, 1e-15);
}

/// The discriminator's weighted objective at one point, as a function of y = D(x):
/// π p_data ln y + (1 − π) p_g ln(1 − y).
fn weighted_value(p_data: f64, p_g: f64, pi_real: f64, y: f64) -> f64 {
    pi_real * p_data * y.ln() + (1.0 - pi_real) * p_g * (1.0 - y).ln()
}

// exercise 8.5, 1 point
#[test]
fn weighted_discriminator_maximises_the_weighted_value_at_each_point() {
    let mut rng = StdRng::seed_from_u64(85);
    for _ in 0..20 {
        let (p_data, p_g) = (rng.random_range(0.05..2.0), rng.random_range(0.05..2.0));
        let pi_real = rng.random_range(0.05..0.95);
        let d = optimal_discriminator_weighted(p_data, p_g, pi_real);
        // reference: the plain D* of the densities weighted by π and 1 − π
        let (a, b) = (pi_real * p_data, (1.0 - pi_real) * p_g);
        assert_close(d, a / (a + b), 1e-12);
        let best = weighted_value(p_data, p_g, pi_real, d);
        for step in [-1e-4, 1e-4] {
            let other = weighted_value(p_data, p_g, pi_real, d + step);
            assert!(
                other < best,
                "p_data = {p_data}, p_g = {p_g}, π = {pi_real}: D = {} scores higher than your D* = {d}",
                d + step
            );
        }
        // π = ½ is the plain game of exercise 8.2
        assert_close(
            optimal_discriminator_weighted(p_data, p_g, 0.5),
            p_data / (p_data + p_g),
            1e-12,
        );
    }
}

// exercise 8.5, 1 point
#[test]
fn weighted_discriminator_follows_the_weights_to_their_limits() {
    let (p_data, p_g) = (0.3, 1.2);
    // only real samples count: D* = 1 wherever the data is; only fakes: 0
    assert_close(optimal_discriminator_weighted(p_data, p_g, 1.0), 1.0, 1e-15);
    assert_close(optimal_discriminator_weighted(p_data, p_g, 0.0), 0.0, 1e-15);
    assert_close(optimal_discriminator_weighted(p_data, p_g, 1e-9), 0.0, 1e-8);
    assert_close(
        optimal_discriminator_weighted(p_data, p_g, 1.0 - 1e-9),
        1.0,
        1e-8,
    );
    // D* grows with the weight of the real term
    let mut last = 0.0;
    for k in 1..10 {
        let d = optimal_discriminator_weighted(p_data, p_g, k as f64 / 10.0);
        assert!(
            d > last,
            "D* at π = {} is {d}, not above {last} at π = {}",
            k as f64 / 10.0,
            (k - 1) as f64 / 10.0
        );
        last = d;
    }
    // outside the other side's support the answer is certain, whatever the weights
    for pi_real in [0.1, 0.5, 0.9] {
        assert_close(
            optimal_discriminator_weighted(0.4, 0.0, pi_real),
            1.0,
            1e-15,
        );
        assert_close(
            optimal_discriminator_weighted(0.0, 0.4, pi_real),
            0.0,
            1e-15,
        );
    }
}

// exercise 8.5, 1 point
#[test]
fn weighted_discriminator_is_pi_where_both_densities_vanish() {
    for pi_real in [0.0, 0.2, 0.5, 0.9, 1.0] {
        assert_close(
            optimal_discriminator_weighted(0.0, 0.0, pi_real),
            pi_real,
            1e-15,
        );
    }
}
