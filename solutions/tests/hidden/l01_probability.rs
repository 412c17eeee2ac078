//! Hidden tests for lesson 01: never copied into exercises/.
use gmcourse::prob::{self, JointTable};
use gmcourse::testing::{assert_all_close, assert_close};
use ndarray::{Array1, Array2, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l01_probability::*;

/// A seeded random `rows × cols` joint table (every cell > 0, total 1), built by gmcourse.
fn random_table(rows: usize, cols: usize, seed: u64) -> JointTable {
    let mut rng = StdRng::seed_from_u64(seed);
    let raw = Array2::from_shape_fn((rows, cols), |_| rng.random_range(0.05..1.0));
    let p = &raw / raw.sum();
    let labels = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
    JointTable::new(&labels(rows), &labels(cols), p).expect("a valid seeded table")
}

/// A seeded random PMF over `n` outcomes.
fn random_pmf(n: usize, seed: u64) -> Array1<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    let raw = Array1::from_shape_fn(n, |_| rng.random_range(0.05..1.0));
    &raw / raw.sum()
}

/// A non-uniform 3 × 2 table; values checked by hand (row sums 0.3, 0.5, 0.2).
fn skewed() -> Array2<f64> {
    array![[0.1, 0.2], [0.4, 0.1], [0.05, 0.15]]
}

// exercise 1.1, 1 point
#[test]
fn marginal_sums_each_row_of_a_skewed_table() {
    let p_x = marginal_x(&skewed());
    assert_eq!(
        p_x.len(),
        3,
        "one entry per row of the table (x), not per column"
    );
    assert_all_close(&p_x, &[0.3, 0.5, 0.2], 1e-12);
}

// exercise 1.1, 1 point
#[test]
fn marginal_of_a_table_with_one_column_is_that_column() {
    let p_x = marginal_x(&array![[0.25], [0.75]]);
    assert_eq!(p_x.len(), 2, "one entry per row of the table");
    assert_all_close(&p_x, &[0.25, 0.75], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_of_a_skewed_row_is_renormalised() {
    // row 1 = [0.4, 0.1], p(x = 1) = 0.5
    let c = conditional_y_given_x(&skewed(), 1);
    assert_all_close(&c, &[0.8, 0.2], 1e-12);
}

// exercise 1.2, 1 point
#[test]
fn conditional_sums_to_one_for_every_row() {
    for x in 0..3 {
        let c = conditional_y_given_x(&skewed(), x);
        assert_eq!(c.len(), 2, "one entry per column of the table");
        assert_close(c.sum(), 1.0, 1e-12);
    }
}

// exercise 1.3, 1 point
#[test]
fn posterior_of_a_rare_disease_with_a_good_test_is_still_small() {
    // p(d) = 0.01, p(+|d) = 0.99, p(+|¬d) = 0.05:
    // p(d|+) = 0.0099 / (0.0099 + 0.0495) = 0.16666...
    let post = bayes_posterior(&array![0.01, 0.99], &array![0.99, 0.05]);
    assert_all_close(&post, &[0.0099 / 0.0594, 0.0495 / 0.0594], 1e-12);
}

// exercise 1.3, 1 point
#[test]
fn posterior_is_zero_where_the_prior_is_zero() {
    let post = bayes_posterior(&array![0.0, 0.5, 0.5], &array![0.9, 0.1, 0.3]);
    assert_all_close(&post, &[0.0, 0.25, 0.75], 1e-12);
}

// exercise 1.4, 2 points
#[test]
fn mean_and_variance_of_a_skewed_distribution_match_hand_values() {
    // E = 0.2·0 + 0.5·10 + 0.3·(−5) = 3.5; E[f²] = 50 + 7.5 = 57.5; Var = 57.5 − 12.25
    let (mean, variance) = mean_and_variance(&array![0.2, 0.5, 0.3], &array![0.0, 10.0, -5.0]);
    assert_close(mean, 3.5, 1e-12);
    assert_close(variance, 45.25, 1e-10);
}

// exercise 1.1, 1 point
#[test]
fn marginal_matches_gmcourse_on_seeded_random_tables() {
    for seed in 0..5 {
        let t = random_table(4, 3, seed);
        // reference: gmcourse::prob::JointTable::marginal_x
        assert_all_close(&marginal_x(t.probs()), &t.marginal_x(), 1e-12);
    }
}

// exercise 1.2, 1 point
#[test]
fn conditional_matches_gmcourse_on_seeded_random_tables() {
    for seed in 0..5 {
        let t = random_table(3, 5, 10 + seed);
        for x in 0..3 {
            // reference: gmcourse::prob::JointTable::conditional_y_given_x
            let want = t.conditional_y_given_x(x).expect("row x has p(x) > 0");
            let got = conditional_y_given_x(t.probs(), x);
            assert_all_close(&got, &want, 1e-12);
        }
    }
}

// exercise 1.3, 1 point
#[test]
fn posterior_matches_gmcourse_on_seeded_priors_and_likelihoods() {
    let mut rng = StdRng::seed_from_u64(13);
    for seed in 0..5 {
        let prior = random_pmf(6, 20 + seed);
        let likelihood = Array1::from_shape_fn(6, |_| rng.random_range(0.01..1.0));
        // reference: gmcourse::prob::bayes_posterior
        let want = prob::bayes_posterior(&prior, &likelihood).expect("valid prior and likelihood");
        let got = bayes_posterior(&prior, &likelihood);
        assert_all_close(&got, &want, 1e-12);
    }
}

// exercise 1.4, 1 point
#[test]
fn mean_and_variance_match_gmcourse_on_seeded_distributions() {
    let mut rng = StdRng::seed_from_u64(14);
    for seed in 0..5 {
        let p = random_pmf(7, 30 + seed);
        let f = Array1::from_shape_fn(7, |_| rng.random_range(-10.0..10.0));
        // reference: gmcourse::prob::expectation and gmcourse::prob::variance
        let (mean, variance) = mean_and_variance(&p, &f);
        assert_close(mean, prob::expectation(&p, &f).expect("valid PMF"), 1e-12);
        assert_close(variance, prob::variance(&p, &f).expect("valid PMF"), 1e-10);
    }
}
