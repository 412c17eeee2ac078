//! Hidden tests for lesson 06: never copied into exercises/.
use gmcourse::prob::{Mixture, Normal as GmNormal};
use gmcourse::testing::{assert_all_close, assert_close};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use solutions::l06_mixtures_and_mcmc::*;

/// The same mixture as a gmcourse reference (`Normal` takes σ, not σ²).
fn gmcourse_mixture(m: &Mixture2) -> Mixture {
    Mixture::new(
        &[m.pi, 1.0 - m.pi],
        vec![
            GmNormal::new(m.mu[0], m.var[0].sqrt()).expect("var > 0"),
            GmNormal::new(m.mu[1], m.var[1].sqrt()).expect("var > 0"),
        ],
    )
    .expect("a valid mixture")
}

fn data(seed: u64) -> Vec<f64> {
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

// exercise 6.1, 1 point
#[test]
fn mixture_log_likelihood_matches_the_weighted_density_sum() {
    let m = Mixture2 {
        pi: 0.25,
        mu: [0.0, 2.0],
        var: [1.0, 4.0],
    };
    let x = [-1.0, 0.5, 3.0];
    let want: f64 = x
        .iter()
        .map(|&v| (0.25 * normal_pdf(v, 0.0, 1.0) + 0.75 * normal_pdf(v, 2.0, 4.0)).ln())
        .sum();
    assert_close(mixture_log_likelihood(&x, &m), want, 1e-12);
}

// exercise 6.2, 1 point
#[test]
fn responsibilities_follow_the_symmetric_hand_values() {
    // x = −2 and 2 with components at ∓1: γ = σ(2x·(−1))… = 0.98201 and 0.01799
    let g = responsibilities(
        &[-2.0, 2.0],
        &Mixture2 {
            pi: 0.5,
            mu: [-1.0, 1.0],
            var: [1.0, 1.0],
        },
    );
    assert_all_close(
        &g,
        &[0.982_013_790_037_908_5, 0.017_986_209_962_091_56],
        1e-12,
    );
}

// exercise 6.2, 1 point
#[test]
fn responsibilities_respect_the_mixing_weight() {
    // equal densities at x = 0, so γ = π
    let g = responsibilities(
        &[0.0],
        &Mixture2 {
            pi: 0.2,
            mu: [-1.0, 1.0],
            var: [1.0, 1.0],
        },
    );
    assert_all_close(&g, &[0.2], 1e-12);
}

// exercise 6.3, 2 points
#[test]
fn em_never_decreases_the_log_likelihood_on_seeded_data() {
    let x = data(6);
    let mut m = Mixture2 {
        pi: 0.5,
        mu: [-0.5, 0.5],
        var: [2.0, 2.0],
    };
    let mut ll = mixture_log_likelihood_reference(&x, &m);
    for step in 0..30 {
        m = em_step(&x, &m);
        let next = mixture_log_likelihood_reference(&x, &m);
        assert!(
            next >= ll - 1e-9,
            "EM step {step} decreased the log-likelihood from {ll} to {next}"
        );
        ll = next;
    }
    // and it finds the generating components (0.3 · N(−2, 0.25) + 0.7 · N(3, 1))
    assert_close(m.pi, 0.3, 0.06);
    assert_close(m.mu[0], -2.0, 0.2);
    assert_close(m.mu[1], 3.0, 0.2);
}

fn mixture_log_likelihood_reference(x: &[f64], m: &Mixture2) -> f64 {
    x.iter()
        .map(|&v| {
            (m.pi * normal_pdf(v, m.mu[0], m.var[0])
                + (1.0 - m.pi) * normal_pdf(v, m.mu[1], m.var[1]))
            .ln()
        })
        .sum()
}

// exercise 6.1, 1 point
#[test]
fn mixture_log_likelihood_matches_gmcourse_on_seeded_data() {
    let x = data(61);
    let m = Mixture2 {
        pi: 0.35,
        mu: [-1.5, 2.5],
        var: [0.5, 2.0],
    };
    // reference: Σ_n gmcourse::prob::Mixture::log_pdf(x_n)
    let want: f64 = x.iter().map(|&v| gmcourse_mixture(&m).log_pdf(v)).sum();
    assert_close(mixture_log_likelihood(&x, &m), want, 1e-8);
}

// exercise 6.2, 1 point
#[test]
fn responsibilities_match_gmcourse_densities_on_seeded_data() {
    let x = data(62);
    let m = Mixture2 {
        pi: 0.6,
        mu: [-1.0, 2.0],
        var: [1.5, 0.8],
    };
    let mixture = gmcourse_mixture(&m);
    let first = GmNormal::new(m.mu[0], m.var[0].sqrt()).expect("var > 0");
    // reference: γ_n = π N₀(x_n) / p(x_n) with gmcourse's Normal and Mixture densities
    let want: Vec<f64> = x
        .iter()
        .map(|&v| m.pi * first.pdf(v) / mixture.pdf(v))
        .collect();
    assert_all_close(&responsibilities(&x, &m), &want, 1e-9);
}

// exercise 6.4, 1 point
#[test]
fn acceptance_is_capped_at_one() {
    assert_close(mh_acceptance(-3.0, -1.0, 0.0, 0.0), 1.0, 1e-15);
}

// exercise 6.4, 1 point
#[test]
fn an_asymmetric_proposal_enters_through_the_hastings_ratio() {
    // exp(−1 + 0.3 − 0.5) = exp(−1.2)
    assert_close(mh_acceptance(0.0, -1.0, 0.5, 0.3), (-1.2f64).exp(), 1e-12);
}

// exercise 6.4, 1 point
#[test]
fn acceptance_works_where_the_densities_underflow() {
    // p(x) = e^−1000 underflows to 0 in f64; the log ratio is still −1
    assert_close(
        mh_acceptance(-1000.0, -1001.0, 0.0, 0.0),
        (-1.0f64).exp(),
        1e-12,
    );
}

// exercise 6.5, 1 point
#[test]
fn a_downhill_proposal_is_accepted_only_when_u_is_below_alpha() {
    let log_p = |x: f64| -0.5 * x * x;
    // α = exp(−0.5·4 + 0.5·1) = exp(−1.5) = 0.2231
    assert_close(metropolis_step(1.0, 2.0, 0.2, &log_p), 2.0, 1e-15);
    assert_close(metropolis_step(1.0, 2.0, 0.3, &log_p), 1.0, 1e-15);
}

// exercise 6.5, 2 points
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
