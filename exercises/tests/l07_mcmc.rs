// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 07. Run them with `./course check 07`.
use exercises::l07_mcmc::*;
use gmcourse::testing::assert_close;

// exercise 7.1, 1 point
#[test]
fn a_proposal_half_as_likely_is_accepted_half_the_time() {
    assert_close(mh_acceptance(0.0, 0.5f64.ln(), 0.0, 0.0), 0.5, 1e-12);
}

// exercise 7.2, 1 point
#[test]
fn an_uphill_proposal_is_always_accepted() {
    let log_p = |x: f64| -0.5 * x * x;
    assert_close(metropolis_step(2.0, 1.0, 0.999, &log_p), 1.0, 1e-15);
}
