//! Hidden tests for lesson 06: never copied into exercises/. They grade behaviour against
//! the course's reference (`gmcourse::prob::em` and `gmcourse::prob::mcmc`, which the
//! lesson forbids): values on seeded data and mixtures, rows that sum to 1, stability far
//! from every component and where densities underflow, EM's monotone log-likelihood, the
//! chain state by state on the same draws, its samples' moments on a long seeded chain,
//! and the tuned width's acceptance band on fresh seeds.
use std::cell::Cell;

use gmcourse::prob::em;
use gmcourse::prob::mcmc::{Draws, chain_from_draws};
use gmcourse::testing::{assert_all_close, assert_close};
use ndarray::{Array1, Array2, array};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use solutions::l06_mixtures_and_mcmc::*;

/// 400 points of 0.3 · N(−2, 0.5²) + 0.7 · N(3, 1).
fn data(seed: u64) -> Array1<f64> {
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

/// A random K-component mixture: weights from uniforms (normalised), means in (−4, 4),
/// variances in (0.2, 3).
fn mixture(k: usize, seed: u64) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let w: Array1<f64> = (0..k).map(|_| 0.1 + rng.random::<f64>()).collect();
    let pi = &w / w.sum();
    let mu = (0..k).map(|_| rng.random_range(-4.0..4.0)).collect();
    let var = (0..k).map(|_| rng.random_range(0.2..3.0)).collect();
    (pi, mu, var)
}

fn flat(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

// exercise 6.1, 2 points
#[test]
fn log_likelihood_matches_the_reference_on_seeded_mixtures() {
    for (k, seed) in [(1, 1), (2, 2), (3, 3), (5, 4)] {
        let x = data(60 + seed);
        let (pi, mu, var) = mixture(k, seed);
        let want = em::log_likelihood(&x, &pi, &mu, &var);
        let got = log_likelihood(&x, &pi, &mu, &var);
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "K = {k}: log-likelihood {got}, expected {want}"
        );
    }
}

// exercise 6.1, 2 points
#[test]
fn log_likelihood_stays_finite_far_from_every_component() {
    // |x − μ| ≈ 1000σ: every density is 0 in f64, log p(x) ≈ −5·10⁵ is not
    let (x, pi, mu, var) = (
        array![1000.0, -2000.0, 0.5],
        array![0.5, 0.5],
        array![-1.0, 1.0],
        array![1.0, 1.0],
    );
    let got = log_likelihood(&x, &pi, &mu, &var);
    assert!(
        got.is_finite(),
        "log-likelihood {got} for points far from every component"
    );
    assert_close(got, em::log_likelihood(&x, &pi, &mu, &var), 1e-6);
}

// exercise 6.2, 2 points
#[test]
fn responsibilities_match_the_reference_on_seeded_mixtures() {
    for (k, seed) in [(2, 11), (3, 12), (4, 13)] {
        let x = data(70 + seed);
        let (pi, mu, var) = mixture(k, seed);
        let got = responsibilities(&x, &pi, &mu, &var);
        assert_eq!(got.dim(), (x.len(), k), "responsibilities are (N, K)");
        assert_all_close(
            &flat(&got),
            &flat(&em::responsibilities(&x, &pi, &mu, &var)),
            1e-9,
        );
    }
}

// exercise 6.2, 1 point
#[test]
fn every_row_of_the_responsibilities_sums_to_one() {
    let x = data(81);
    let (pi, mu, var) = mixture(4, 81);
    let r = responsibilities(&x, &pi, &mu, &var);
    for (n, row) in r.rows().into_iter().enumerate() {
        assert!(
            row.iter().all(|&g| (0.0..=1.0).contains(&g)),
            "row {n} of the responsibilities has an entry outside [0, 1]: {row}"
        );
        assert_close(row.sum(), 1.0, 1e-12);
    }
}

// exercise 6.2, 2 points
#[test]
fn a_point_far_from_every_component_goes_to_the_nearest_without_nan() {
    let (x, pi, mu, var) = (
        array![1000.0, -1000.0, 0.0],
        array![0.5, 0.5],
        array![-1.0, 1.0],
        array![1.0, 1.0],
    );
    let r = responsibilities(&x, &pi, &mu, &var);
    assert!(
        r.iter().all(|g| g.is_finite()),
        "responsibilities of points far from every component: {r}"
    );
    assert_all_close(&flat(&r), &[0.0, 1.0, 1.0, 0.0, 0.5, 0.5], 1e-12);
    // and narrow components: variances 1e-6, a point 1.0 and 1.1 away from them
    let r = responsibilities(
        &array![0.4],
        &array![0.5, 0.5],
        &array![-0.6, 1.5],
        &array![1e-6, 1e-6],
    );
    assert_all_close(&flat(&r), &[1.0, 0.0], 1e-12);
}

// exercise 6.3, 2 points
#[test]
fn m_step_matches_the_reference_on_seeded_responsibilities() {
    for (k, seed) in [(2, 21), (3, 22), (5, 23)] {
        let x = data(90 + seed);
        let (pi, mu, var) = mixture(k, seed);
        let r = em::responsibilities(&x, &pi, &mu, &var);
        let (pi1, mu1, var1) = m_step(&x, &r);
        let (pi2, mu2, var2) = em::m_step(&x, &r);
        assert_all_close(&pi1.to_vec(), &pi2.to_vec(), 1e-9);
        assert_all_close(&mu1.to_vec(), &mu2.to_vec(), 1e-9);
        assert_all_close(&var1.to_vec(), &var2.to_vec(), 1e-9);
    }
}

// exercise 6.3, 2 points
#[test]
fn em_never_decreases_the_log_likelihood_over_twenty_steps() {
    // the course's E step, your M step; the log-likelihood by the course
    let x = data(6);
    for k in [2, 3] {
        let (mut pi, mut mu, mut var) = (
            Array1::from_elem(k, 1.0 / k as f64),
            Array1::linspace(-0.5, 0.5, k),
            Array1::from_elem(k, 2.0),
        );
        let mut ll = em::log_likelihood(&x, &pi, &mu, &var);
        for step in 1..=20 {
            let r = em::responsibilities(&x, &pi, &mu, &var);
            (pi, mu, var) = m_step(&x, &r);
            let next = em::log_likelihood(&x, &pi, &mu, &var);
            assert!(
                next >= ll - 1e-9 * ll.abs(),
                "K = {k}: EM step {step} decreased the log-likelihood from {ll} to {next}"
            );
            ll = next;
        }
        if k == 2 {
            // and it finds the generating components, 0.3 · N(−2, 0.25) + 0.7 · N(3, 1)
            assert_close(pi[0], 0.3, 0.06);
            assert_close(mu[0], -2.0, 0.2);
            assert_close(mu[1], 3.0, 0.2);
            assert_close(var[1], 1.0, 0.3);
        }
    }
}

// exercise 6.3, 1 point
#[test]
fn the_weights_of_an_m_step_sum_to_one_and_the_variances_are_positive() {
    let x = data(99);
    let (pi, mu, var) = mixture(4, 99);
    let (pi, _, var) = m_step(&x, &em::responsibilities(&x, &pi, &mu, &var));
    assert_close(pi.sum(), 1.0, 1e-12);
    assert!(
        var.iter().all(|&v| v > 0.0 && v.is_finite()),
        "variances after an M step: {var}"
    );
}

/// Targets for the chains: (name, log-density up to a constant, start).
fn targets() -> Vec<(&'static str, Box<dyn Fn(f64) -> f64>, f64)> {
    vec![
        ("N(3, 1)", Box::new(|x: f64| -0.5 * (x - 3.0).powi(2)), 0.0),
        (
            "0.5 N(−2, 0.25) + 0.5 N(2, 0.25)",
            Box::new(|x: f64| {
                let a = -2.0 * (x + 2.0).powi(2);
                let b = -2.0 * (x - 2.0).powi(2);
                a.max(b) + (1.0 + (-(a - b).abs()).exp()).ln()
            }),
            0.0,
        ),
        (
            "Laplace(1, 2)",
            Box::new(|x: f64| -(x - 1.0).abs() / 2.0),
            5.0,
        ),
    ]
}

// exercise 6.4, 2 points
#[test]
fn the_chain_equals_the_reference_given_the_same_draws() {
    for (i, (name, log_p, x0)) in targets().into_iter().enumerate() {
        for width in [0.3, 1.5, 6.0] {
            let d = Draws::seeded(3000, 640 + i as u64);
            let (chain, rate) = metropolis_hastings(&log_p, x0, width, &d.eps, &d.u);
            let (want, want_rate) = chain_from_draws(&log_p, x0, width, &d.eps, &d.u);
            assert_eq!(chain.len(), d.len(), "{name}: one state per step");
            assert_all_close(&chain.to_vec(), &want.to_vec(), 1e-9);
            assert_close(rate, want_rate, 1e-12);
        }
    }
}

// exercise 6.4, 2 points, 30 s
#[test]
fn a_long_seeded_chain_has_the_mean_and_variance_of_its_target() {
    // N(3, 2²): the chain's stationary distribution must be the target (detailed balance)
    let log_p = |x: f64| -0.125 * (x - 3.0).powi(2);
    let d = Draws::seeded(60_000, 641);
    let (chain, _) = metropolis_hastings(&log_p, 0.0, 5.0, &d.eps, &d.u);
    let kept: Array1<f64> = chain.iter().skip(2_000).copied().collect();
    let mean = kept.mean().expect("states");
    let var = kept.var(0.0);
    assert_close(mean, 3.0, 0.1);
    assert_close(var, 4.0, 0.4);
}

// exercise 6.4, 1 point
#[test]
fn the_chain_works_where_the_densities_underflow() {
    // p(x) ∝ e^(−1000 − x²/2): every density is 0 in f64, every ratio is not
    let log_p = |x: f64| -1000.0 - 0.5 * x * x;
    let d = Draws::seeded(500, 642);
    let (chain, rate) = metropolis_hastings(&log_p, 0.0, 1.0, &d.eps, &d.u);
    let (want, want_rate) = chain_from_draws(&log_p, 0.0, 1.0, &d.eps, &d.u);
    assert!(
        rate > 0.3,
        "acceptance rate {rate} where the densities underflow"
    );
    assert_all_close(&chain.to_vec(), &want.to_vec(), 1e-9);
    assert_close(rate, want_rate, 1e-12);
}

// exercise 6.4, 1 point
#[test]
fn the_chain_calls_log_p_once_per_step() {
    let calls = Cell::new(0usize);
    let log_p = |x: f64| {
        calls.set(calls.get() + 1);
        -0.5 * x * x
    };
    let d = Draws::seeded(200, 643);
    metropolis_hastings(&log_p, 0.0, 1.0, &d.eps, &d.u);
    assert!(
        calls.get() <= d.len() + 1,
        "a 200-step chain called log_p {} times: keep log p(x) of the current state",
        calls.get()
    );
}

/// The acceptance rate of the course's chain with `width` on `d` from `x0`.
fn rate_of(log_p: &dyn Fn(f64) -> f64, x0: f64, width: f64, d: &Draws) -> f64 {
    chain_from_draws(log_p, x0, width, &d.eps, &d.u).1
}

// exercise 6.5, 3 points, 30 s
#[test]
fn the_tuned_width_lands_in_the_band_on_fresh_seeds() {
    let targets: Vec<(&str, Box<dyn Fn(f64) -> f64>, f64)> = vec![
        ("N(0, 1)", Box::new(|x: f64| -0.5 * x * x), 0.0),
        (
            "N(5, 0.01²)",
            Box::new(|x: f64| -0.5 * ((x - 5.0) / 0.01).powi(2)),
            5.0,
        ),
        (
            "N(0, 100²)",
            Box::new(|x: f64| -0.5 * (x / 100.0).powi(2)),
            0.0,
        ),
        (
            "Laplace(1, 2)",
            Box::new(|x: f64| -(x - 1.0).abs() / 2.0),
            1.0,
        ),
    ];
    for (i, (name, log_p, x0)) in targets.into_iter().enumerate() {
        let d = Draws::seeded(2000, 650 + i as u64);
        let width = tune_proposal_width(&log_p, x0, &d.eps, &d.u, 0.2, 0.5);
        assert!(width > 0.0 && width.is_finite(), "{name}: width {width}");
        let rate = rate_of(&log_p, x0, width, &d);
        assert!(
            (0.2..=0.5).contains(&rate),
            "{name}: width {width} gives acceptance rate {rate}, outside [0.2, 0.5]"
        );
    }
}

// exercise 6.5, 2 points, 30 s
#[test]
fn a_narrow_band_is_met_too() {
    let log_p = |x: f64| {
        let a = -2.0 * (x + 2.0).powi(2);
        let b = -2.0 * (x - 2.0).powi(2);
        a.max(b) + (1.0 + (-(a - b).abs()).exp()).ln()
    };
    for seed in [660, 661] {
        let d = Draws::seeded(3000, seed);
        let width = tune_proposal_width(&log_p, 0.0, &d.eps, &d.u, 0.40, 0.45);
        let rate = rate_of(&log_p, 0.0, width, &d);
        assert!(
            (0.40..=0.45).contains(&rate),
            "two modes, seed {seed}: width {width} gives acceptance rate {rate}, outside [0.40, 0.45]"
        );
    }
}
