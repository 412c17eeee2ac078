use gmcourse::Error;
use gmcourse::prob::{EmConfig, McmcConfig, Mixture, Normal, fit_em, metropolis_hastings};
use gmcourse::testing::{assert_all_close, assert_close};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// `Σ_k weights[k] N(means[k], stds[k]²)`.
fn mixture(weights: &[f64], means: &[f64], stds: &[f64]) -> Mixture {
    let components = means
        .iter()
        .zip(stds)
        .map(|(&mu, &sigma)| Normal::new(mu, sigma).unwrap())
        .collect();
    Mixture::new(weights, components).unwrap()
}

#[test]
fn em_recovers_the_means_weights_and_stds_of_a_known_mixture() {
    let truth = mixture(&[0.3, 0.7], &[-2.0, 3.0], &[0.5, 1.0]);
    let x = truth.sample_n(&mut StdRng::seed_from_u64(0), 5000);
    let (gm, history) = fit_em(
        &x,
        &EmConfig {
            k: 2,
            ..Default::default()
        },
    )
    .unwrap();
    println!("{gm:?} after {} iterations", history.len());
    // tolerances: a few standard errors for n = 5000
    assert_all_close(&gm.means(), &[-2.0, 3.0], 0.05);
    assert_all_close(gm.weights(), &[0.3, 0.7], 0.02);
    assert_all_close(&gm.sigmas(), &[0.5, 1.0], 0.05);
}

#[test]
fn em_log_likelihood_never_decreases() {
    let truth = mixture(&[0.5, 0.25, 0.25], &[-3.0, 0.0, 4.0], &[1.0, 0.5, 1.5]);
    let x = truth.sample_n(&mut StdRng::seed_from_u64(1), 1000);
    let (_, history) = fit_em(
        &x,
        &EmConfig {
            k: 3,
            seed: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(history.len() > 2);
    for w in history.windows(2) {
        assert!(
            w[1] >= w[0] - 1e-9,
            "log-likelihood went down: {} -> {}",
            w[0],
            w[1]
        );
    }
}

#[test]
fn em_refuses_fewer_points_than_components() {
    let err = fit_em(
        &[1.0],
        &EmConfig {
            k: 2,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
}

#[test]
fn metropolis_hastings_matches_the_mean_and_variance_of_a_gaussian() {
    // target N(mu = [1, -2], diag(4, 0.25)), unnormalised
    let log_p = |x: &[f64]| -0.5 * ((x[0] - 1.0).powi(2) / 4.0 + (x[1] + 2.0).powi(2) / 0.25);
    let cfg = McmcConfig {
        n_samples: 50_000,
        burn_in: 2000,
        thin: 5,
        proposal_std: 1.5,
        seed: 0,
    };
    let chain = metropolis_hastings(log_p, &[0.0, 0.0], &cfg).unwrap();
    let n = chain.samples.len() as f64;
    let mean = |d: usize| chain.samples.iter().map(|s| s[d]).sum::<f64>() / n;
    let var = |d: usize| {
        let m = mean(d);
        chain
            .samples
            .iter()
            .map(|s| (s[d] - m).powi(2))
            .sum::<f64>()
            / n
    };
    println!(
        "acceptance {:.2}, mean ({:.3}, {:.3}), var ({:.3}, {:.3})",
        chain.acceptance_rate,
        mean(0),
        mean(1),
        var(0),
        var(1)
    );
    // tolerances allow for the chain's autocorrelation (effective sample size of several thousand)
    assert_close(mean(0), 1.0, 0.15);
    assert_close(mean(1), -2.0, 0.05);
    assert_close(var(0), 4.0, 0.5);
    assert_close(var(1), 0.25, 0.04);
    assert!(chain.acceptance_rate > 0.1 && chain.acceptance_rate < 0.9);
}

#[test]
fn metropolis_hastings_samples_a_bimodal_target_on_both_sides() {
    // 0.5 N(-3, 1) + 0.5 N(3, 1): wide proposals jump between the modes
    let log_p = |x: &[f64]| {
        let a = -0.5 * (x[0] + 3.0).powi(2);
        let b = -0.5 * (x[0] - 3.0).powi(2);
        a.max(b) + (1.0 + (-(a - b).abs()).exp()).ln()
    };
    let cfg = McmcConfig {
        n_samples: 20_000,
        proposal_std: 4.0,
        ..Default::default()
    };
    let chain = metropolis_hastings(log_p, &[0.0], &cfg).unwrap();
    let right =
        chain.samples.iter().filter(|s| s[0] > 0.0).count() as f64 / chain.samples.len() as f64;
    assert_close(right, 0.5, 0.1);
}

#[test]
fn a_start_outside_the_support_is_refused() {
    let log_p = |x: &[f64]| if x[0] > 0.0 { -x[0] } else { f64::NEG_INFINITY };
    let err = metropolis_hastings(log_p, &[-1.0], &McmcConfig::default()).unwrap_err();
    assert!(
        err.to_string().contains("start inside the support"),
        "{err}"
    );
}
