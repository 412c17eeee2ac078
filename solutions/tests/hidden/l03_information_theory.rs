//! Hidden tests for lesson 03: never copied into exercises/.
use gmcourse::info::{self, Unit};
use gmcourse::testing::assert_close;
use ndarray::{Array1, Array2, Axis, array};
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

/// A seeded random joint table of shape (n_x, n_y), summing to 1; cell (0, 0) is 0 when
/// `with_zero`.
fn random_joint(n_x: usize, n_y: usize, seed: u64, with_zero: bool) -> Array2<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let raw = Array2::from_shape_fn((n_x, n_y), |(x, y)| {
        if with_zero && x == 0 && y == 0 {
            0.0
        } else {
            rng.random_range(0.05..1.0)
        }
    });
    &raw / raw.sum()
}

/// The reference I(X; Y) in bits: gmcourse's KL between the normalised table, flattened,
/// and the outer product of its marginals (through slices, whatever `info::kl` takes).
fn mutual_information_reference(joint: &Array2<f64>) -> f64 {
    let p = joint / joint.sum();
    let p_x = p.sum_axis(Axis(1));
    let p_y = p.sum_axis(Axis(0));
    let product = &p_x.view().insert_axis(Axis(1)) * &p_y.view().insert_axis(Axis(0));
    info::kl(
        p.as_slice().expect("a table in standard layout"),
        product.as_slice().expect("a table in standard layout"),
        Unit::Bits,
    )
    .expect("two PMFs over the same cells")
}

/// H(P) in bits by gmcourse (through a slice, whatever `info::entropy` takes).
fn entropy_reference(p: &[f64]) -> f64 {
    info::entropy(p, Unit::Bits).expect("a PMF")
}

// exercise 3.5, 1 point
#[test]
fn mutual_information_matches_gmcourse_on_seeded_tables_either_way_round() {
    for seed in 0..6 {
        // 3 values of x, 4 of y; every other table has an empty cell
        let joint = random_joint(3, 4, 200 + seed, seed % 2 == 0);
        let want = mutual_information_reference(&joint);
        assert_close(mutual_information_bits(&joint), want, 1e-12);
        // I(X; Y) = I(Y; X): the same table with x as the columns
        assert_close(mutual_information_bits(&joint.t().to_owned()), want, 1e-12);
    }
}

// exercise 3.5, 1 point
#[test]
fn mutual_information_is_zero_for_independent_variables_and_h_of_x_for_a_copy() {
    // independent: P(x, y) = P(x) P(y), with an impossible x and an impossible y
    let (p_x, p_y) = (array![0.2, 0.5, 0.0, 0.3], array![0.6, 0.0, 0.4]);
    let independent = &p_x.view().insert_axis(Axis(1)) * &p_y.view().insert_axis(Axis(0));
    assert_close(mutual_information_bits(&independent), 0.0, 1e-12);
    // Y = X: the table is diagonal, and Y tells all of X's H(X) bits
    let p = array![0.1, 0.4, 0.0, 0.2, 0.3];
    let copy = Array2::from_diag(&p);
    assert_close(
        mutual_information_bits(&copy),
        entropy_reference(p.as_slice().expect("contiguous")),
        1e-12,
    );
    // and on a seeded table, I(X; Y) = H(X) + H(Y) − H(X, Y) by gmcourse's entropy
    let joint = random_joint(4, 3, 7, true);
    let h = |a: &Array1<f64>| entropy_reference(a.as_slice().expect("contiguous"));
    let h_xy = entropy_reference(joint.as_slice().expect("standard layout"));
    let want = h(&joint.sum_axis(Axis(1))) + h(&joint.sum_axis(Axis(0))) - h_xy;
    assert_close(mutual_information_bits(&joint), want, 1e-12);
}

// exercise 3.5, 1 point
#[test]
fn mutual_information_of_a_table_of_counts_is_that_of_its_frequencies() {
    // counts of (x, y) pairs, total 100: the function normalises by the total
    let counts = array![[30.0, 10.0, 0.0], [5.0, 25.0, 30.0]];
    let want = mutual_information_reference(&(&counts / 100.0));
    assert_close(mutual_information_bits(&counts), want, 1e-12);
    assert_close(mutual_information_bits(&(&counts * 1000.0)), want, 1e-12);
}
