//! Public tests for lesson 06. Run them with `./course check 06`.
use gmcourse::testing::{assert_all_close, assert_close};
use ndarray::{Array1, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use solutions::l06_mixtures_and_mcmc::*;

// exercise 6.1, 1 point
#[test]
fn log_likelihood_of_zero_under_two_standard_normals_is_minus_half_log_two_pi() {
    let ll = log_likelihood(
        &array![0.0],
        &array![0.3, 0.7],
        &array![0.0, 0.0],
        &array![1.0, 1.0],
    );
    assert_close(ll, -0.918_938_533_204_672_7, 1e-12);
}

// exercise 6.2, 1 point
#[test]
fn a_point_halfway_between_equal_components_is_shared_equally() {
    let r = responsibilities(
        &array![0.0],
        &array![0.5, 0.5],
        &array![-1.0, 1.0],
        &array![1.0, 1.0],
    );
    assert_eq!(r.dim(), (1, 2), "responsibilities are (N, K)");
    assert_all_close(&r.row(0).to_vec(), &[0.5, 0.5], 1e-12);
}

// exercise 6.3, 1 point
#[test]
fn an_m_step_on_hard_assignments_fits_each_cluster_alone() {
    // points −2, −1 belong to component 0, points 1, 2 to component 1
    let r = array![[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]];
    let (pi, mu, var) = m_step(&array![-2.0, -1.0, 1.0, 2.0], &r);
    assert_all_close(&pi.to_vec(), &[0.5, 0.5], 1e-12);
    assert_all_close(&mu.to_vec(), &[-1.5, 1.5], 1e-12);
    assert_all_close(&var.to_vec(), &[0.25, 0.25], 1e-12);
}

// exercise 6.4, 1 point
#[test]
fn an_uphill_proposal_is_accepted_and_a_steep_downhill_one_is_not() {
    let log_p = |x: f64| -0.5 * x * x;
    // 2 → 1 raises p: accepted even with u = 0.999; 1 → 3 has p(3)/p(1) = e^−4 < 0.5
    let (chain, rate) =
        metropolis_hastings(&log_p, 2.0, 1.0, &array![-1.0, 2.0], &array![0.999, 0.5]);
    assert_all_close(&chain.to_vec(), &[1.0, 1.0], 1e-15);
    assert_close(rate, 0.5, 1e-15);
}

// exercise 6.5, 1 point
#[test]
fn the_tuned_width_lands_a_standard_normal_chain_in_the_band() {
    let mut rng = StdRng::seed_from_u64(65);
    let eps: Array1<f64> = (0..2000).map(|_| rng.sample(StandardNormal)).collect();
    let u: Array1<f64> = (0..2000).map(|_| rng.random::<f64>()).collect();
    let log_p = |x: f64| -0.5 * x * x;
    let width = tune_proposal_width(&log_p, 0.0, &eps, &u, 0.2, 0.5);
    assert!(width > 0.0 && width.is_finite(), "width {width}");
    let (_, rate) = metropolis_hastings(&log_p, 0.0, width, &eps, &u);
    assert!(
        (0.2..=0.5).contains(&rate),
        "width {width} gives acceptance rate {rate}, outside [0.2, 0.5]"
    );
}
