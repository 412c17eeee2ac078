// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 05. Run them with `./course check 05`.
use exercises::l05_autoregressive_nade::*;
use gmcourse::testing::{assert_all_close, assert_close};

/// D = 2 inputs, H = 1 hidden unit; values worked out by hand below.
fn tiny() -> NadeParams {
    NadeParams {
        w: vec![vec![1.0, 2.0]],
        c: vec![0.0],
        alpha: vec![vec![1.0], vec![-1.0]],
        b: vec![0.0, 0.5],
    }
}

// exercise 5.1, 1 point
#[test]
fn conditionals_of_a_tiny_nade_match_hand_computation() {
    // p0 = σ(0 + 1·σ(0)) = σ(0.5) = 0.62246; p1 = σ(0.5 − σ(0 + 1·1)) = σ(−0.23106) = 0.44249
    let p = nade_conditionals(&tiny(), &[1.0, 0.0]);
    assert_all_close(
        &p,
        &[0.622_459_331_201_854_6, 0.442_490_985_892_538_8],
        1e-12,
    );
}

// exercise 5.2, 1 point
#[test]
fn log_likelihood_of_a_tiny_nade_is_the_sum_of_log_conditionals() {
    // ln p0 + ln(1 − p1) for x = (1, 0)
    assert_close(
        nade_log_likelihood(&tiny(), &[1.0, 0.0]),
        -1.058_353_591_156_062_4,
        1e-12,
    );
}
