//! Hidden tests for lesson 03: never copied into exercises/.
use gmcourse::info::{self, Unit};
use gmcourse::testing::assert_close;
use ndarray::{Array1, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l03_information_theory::*;

/// A seeded random PMF over `n` outcomes; outcome 0 has probability 0 when `with_zero`.
fn random_pmf(n: usize, seed: u64, with_zero: bool) -> Array1<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let raw = Array1::from_shape_fn(n, |i| {
        if with_zero && i == 0 {
            0.0
        } else {
            rng.random_range(0.05..1.0)
        }
    });
    &raw / raw.sum()
}

// exercise 3.1, 1 point
#[test]
fn surprise_of_heads_heads_tails_is_3_62_bits() {
    // note 003: I(H) + I(H) + I(T) = 2·0.1520031 + 3.3219281 = 3.6259343
    let total = 2.0 * self_information_bits(0.9) + self_information_bits(0.1);
    assert_close(total, 3.625_934_281_777_462, 1e-9);
}

// exercise 3.1, 1 point
#[test]
fn a_certain_event_carries_no_information() {
    assert_close(self_information_bits(1.0), 0.0, 1e-15);
}

// exercise 3.2, 1 point
#[test]
fn entropy_treats_zero_probabilities_as_contributing_nothing() {
    assert_close(entropy_bits(&array![0.5, 0.0, 0.5]), 1.0, 1e-12);
    assert_close(entropy_bits(&array![1.0, 0.0]), 0.0, 1e-12);
}

// exercise 3.2, 1 point
#[test]
fn entropy_of_a_uniform_distribution_over_eight_outcomes_is_three_bits() {
    assert_close(entropy_bits(&Array1::from_elem(8, 0.125)), 3.0, 1e-12);
}

// exercise 3.3, 1 point
#[test]
fn cross_entropy_minus_entropy_is_kl() {
    // H(P, Q) = H(P) + D(P‖Q); values by hand with log2:
    // P = (0.5, 0.5), Q = (0.25, 0.75): H(P,Q) = 0.5·2 + 0.5·0.415037 = 1.2075187
    assert_close(
        cross_entropy_bits(&array![0.5, 0.5], &array![0.25, 0.75]),
        1.207_518_749_639_422,
        1e-12,
    );
}

// exercise 3.3, 1 point
#[test]
fn cross_entropy_is_infinite_where_q_misses_p() {
    let h = cross_entropy_bits(&array![0.5, 0.5], &array![1.0, 0.0]);
    assert!(
        h.is_infinite() && h > 0.0,
        "expected +inf when Q(x) = 0 < P(x), got {h}"
    );
}

// exercise 3.4, 1 point
#[test]
fn kl_is_asymmetric() {
    // D(P‖Q) = 0.5 log2(2) + 0.5 log2(2/3) = 0.2075187...
    // D(Q‖P) = 0.25 log2(0.5) + 0.75 log2(1.5) = 0.1887219...
    let p = array![0.5, 0.5];
    let q = array![0.25, 0.75];
    assert_close(kl_bits(&p, &q), 0.207_518_749_639_422, 1e-12);
    assert_close(kl_bits(&q, &p), 0.188_721_875_540_867, 1e-12);
}

// exercise 3.4, 1 point
#[test]
fn kl_ignores_outcomes_that_p_never_produces() {
    assert_close(kl_bits(&array![1.0, 0.0], &array![0.5, 0.5]), 1.0, 1e-12);
}

// exercise 3.1, 1 point
#[test]
fn self_information_matches_gmcourse() {
    for p in [0.9, 0.5, 0.1, 0.01, 1e-9] {
        // reference: gmcourse::info::self_information in bits
        let want = info::self_information(p, Unit::Bits).expect("p in (0, 1]");
        assert_close(self_information_bits(p), want, 1e-12);
    }
}

// exercise 3.2, 1 point
#[test]
fn entropy_matches_gmcourse_on_seeded_pmfs() {
    for seed in 0..6 {
        let p = random_pmf(8, seed, seed % 2 == 0);
        // reference: gmcourse::info::entropy in bits
        assert_close(
            entropy_bits(&p),
            info::entropy(&p, Unit::Bits).expect("valid PMF"),
            1e-12,
        );
    }
}

// exercise 3.3, 1 point
#[test]
fn cross_entropy_matches_gmcourse_on_seeded_pmfs() {
    for seed in 0..6 {
        let p = random_pmf(8, seed, seed % 2 == 0);
        let q = random_pmf(8, 100 + seed, false);
        // reference: gmcourse::info::cross_entropy in bits
        let want = info::cross_entropy(&p, &q, Unit::Bits).expect("valid PMFs");
        assert_close(cross_entropy_bits(&p, &q), want, 1e-12);
    }
}

// exercise 3.4, 1 point
#[test]
fn kl_matches_gmcourse_on_seeded_pmfs() {
    for seed in 0..6 {
        let p = random_pmf(8, seed, seed % 2 == 0);
        let q = random_pmf(8, 100 + seed, false);
        // reference: gmcourse::info::kl in bits
        assert_close(
            kl_bits(&p, &q),
            info::kl(&p, &q, Unit::Bits).expect("valid PMFs"),
            1e-12,
        );
    }
}
