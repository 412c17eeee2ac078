//! Public tests for lesson 06. Run them with `./course check 06`.
use gmcourse::testing::{assert_all_close, assert_close};
use solutions::l06_mixtures_and_mcmc::*;

fn start() -> Mixture2 {
    Mixture2 {
        pi: 0.5,
        mu: [-1.0, 1.0],
        var: [1.0, 1.0],
    }
}

// exercise 6.1, 1 point
#[test]
fn log_likelihood_of_zero_under_two_standard_normals_is_minus_half_log_two_pi() {
    let m = Mixture2 {
        pi: 0.3,
        mu: [0.0, 0.0],
        var: [1.0, 1.0],
    };
    assert_close(
        mixture_log_likelihood(&[0.0], &m),
        -0.918_938_533_204_672_7,
        1e-12,
    );
}

// exercise 6.2, 1 point
#[test]
fn a_point_halfway_between_equal_components_is_shared_equally() {
    assert_all_close(&responsibilities(&[0.0], &start()), &[0.5], 1e-12);
}

// exercise 6.3, 1 point
#[test]
fn one_em_step_on_symmetric_data_moves_the_means_outwards() {
    // data (−2, −1, 1, 2), values from a direct Python computation of the same formulas
    let m = em_step(&[-2.0, -1.0, 1.0, 2.0], &start());
    assert_close(m.pi, 0.5, 1e-12);
    assert_close(m.mu[0], -1.344_824_658_053_699_6, 1e-9);
    assert_close(m.mu[1], 1.344_824_658_053_699_3, 1e-9);
    assert_close(m.var[0], 0.691_446_639_090_750_7, 1e-9);
}

// exercise 6.4, 1 point
#[test]
fn a_proposal_half_as_likely_is_accepted_half_the_time() {
    assert_close(mh_acceptance(0.0, 0.5f64.ln(), 0.0, 0.0), 0.5, 1e-12);
}

// exercise 6.5, 1 point
#[test]
fn an_uphill_proposal_is_always_accepted() {
    let log_p = |x: f64| -0.5 * x * x;
    assert_close(metropolis_step(2.0, 1.0, 0.999, &log_p), 1.0, 1e-15);
}
