//! Hidden tests for lesson 07: never copied into exercises/.
use gmcourse::testing::assert_close;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use solutions::l07_mcmc::*;

// exercise 7.1, 1 point
#[test]
fn acceptance_is_capped_at_one() {
    assert_close(mh_acceptance(-3.0, -1.0, 0.0, 0.0), 1.0, 1e-15);
}

// exercise 7.1, 1 point
#[test]
fn an_asymmetric_proposal_enters_through_the_hastings_ratio() {
    // exp(−1 + 0.3 − 0.5) = exp(−1.2)
    assert_close(mh_acceptance(0.0, -1.0, 0.5, 0.3), (-1.2f64).exp(), 1e-12);
}

// exercise 7.1, 1 point
#[test]
fn acceptance_works_where_the_densities_underflow() {
    // p(x) = e^−1000 underflows to 0 in f64; the log ratio is still −1
    assert_close(
        mh_acceptance(-1000.0, -1001.0, 0.0, 0.0),
        (-1.0f64).exp(),
        1e-12,
    );
}

// exercise 7.2, 1 point
#[test]
fn a_downhill_proposal_is_accepted_only_when_u_is_below_alpha() {
    let log_p = |x: f64| -0.5 * x * x;
    // α = exp(−0.5·4 + 0.5·1) = exp(−1.5) = 0.2231
    assert_close(metropolis_step(1.0, 2.0, 0.2, &log_p), 2.0, 1e-15);
    assert_close(metropolis_step(1.0, 2.0, 0.3, &log_p), 1.0, 1e-15);
}

// exercise 7.2, 2 points
#[test]
fn a_seeded_random_walk_chain_samples_a_normal_target() {
    let mut rng = StdRng::seed_from_u64(2024);
    let step = Normal::new(0.0, 1.0).expect("valid normal");
    let log_p = |x: f64| -0.5 * (x - 3.0) * (x - 3.0);
    let mut x = 0.0;
    let mut samples = Vec::new();
    for t in 0..40_000 {
        let proposal = x + step.sample(&mut rng);
        x = metropolis_step(x, proposal, rng.random::<f64>(), &log_p);
        if t >= 2_000 {
            samples.push(x);
        }
    }
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let var = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
    assert_close(mean, 3.0, 0.1);
    assert_close(var, 1.0, 0.15);
}
