//! KL divergence between two normals, in closed form (nats):
//!
//! `D(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²))
//!   = log(sigma_q / sigma_p) + (sigma_p² + (mu_p − mu_q)²) / (2 sigma_q²) − ½`.
//!
//! Against the standard normal, with `log_var = log sigma²` as a VAE encoder outputs it
//! (Kingma & Welling 2014, Appendix B):
//!
//! `D(N(mu, sigma²) ‖ N(0, 1)) = −½ (1 + log_var − mu² − exp(log_var))`.
//!
//! Source: curriculum E4, E5 and G2.
//!
//! ```
//! use gmcourse::info::kl_normal;
//! assert_eq!(kl_normal(0.0, 1.0, 0.0, 1.0)?, 0.0);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use crate::Result;
use crate::check;

/// `D(N(mu_p, sigma_p²) ‖ N(mu_q, sigma_q²))` in nats.
///
/// # Errors
/// If a mean is not finite or a standard deviation is not a finite number `> 0`.
///
/// ```
/// use gmcourse::info::kl_normal;
/// // Shifting the mean by one standard deviation costs ½ nat.
/// gmcourse::testing::assert_close(kl_normal(1.0, 1.0, 0.0, 1.0)?, 0.5, 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn kl_normal(mu_p: f64, sigma_p: f64, mu_q: f64, sigma_q: f64) -> Result<f64> {
    check::finite("mu_p", mu_p)?;
    check::finite("mu_q", mu_q)?;
    check::positive("sigma_p", sigma_p)?;
    check::positive("sigma_q", sigma_q)?;
    let log_ratio = (sigma_q / sigma_p).ln();
    let spread = (sigma_p.powi(2) + (mu_p - mu_q).powi(2)) / (2.0 * sigma_q.powi(2));
    Ok(log_ratio + spread - 0.5)
}

/// `D(N(mu, exp(log_var)) ‖ N(0, 1)) = −½ (1 + log_var − mu² − exp(log_var))` in nats:
/// the KL term of the VAE loss for one latent dimension.
///
/// # Errors
/// If `mu` or `log_var` is not finite.
///
/// ```
/// use gmcourse::info::{kl_normal, kl_to_standard_normal};
/// let (mu, log_var) = (0.5, -1.0);
/// let direct = kl_normal(mu, (0.5 * log_var as f64).exp(), 0.0, 1.0)?;
/// gmcourse::testing::assert_close(kl_to_standard_normal(mu, log_var)?, direct, 1e-14);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn kl_to_standard_normal(mu: f64, log_var: f64) -> Result<f64> {
    check::finite("mu", mu)?;
    check::finite("log_var", log_var)?;
    Ok(-0.5 * (1.0 + log_var - mu * mu - log_var.exp()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::{Grid, Unit, kl_on_grid};
    use crate::prob::Normal;
    use crate::testing::assert_close;

    #[test]
    fn the_closed_form_matches_a_numerical_integral() {
        // Closed form (Python): log(2/0.5) + (0.25 + 2.25) / 8 − 0.5 = 1.1987943611198906.
        let (p, q) = (
            Normal::new(1.0, 0.5).unwrap(),
            Normal::new(-0.5, 2.0).unwrap(),
        );
        let closed = kl_normal(1.0, 0.5, -0.5, 2.0).unwrap();
        assert_close(closed, 1.198_794_361_119_890_6, 1e-14);
        let grid = Grid::new(-12.0, 14.0, 20_000).unwrap();
        let numeric = kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &grid, Unit::Nats).unwrap();
        assert_close(numeric, closed, 1e-8);
    }

    #[test]
    fn gaussian_kl_is_asymmetric() {
        let forward = kl_normal(0.0, 1.0, 0.0, 2.0).unwrap();
        let reverse = kl_normal(0.0, 2.0, 0.0, 1.0).unwrap();
        // ln 2 + 1/8 − 1/2 = 0.3181 and −ln 2 + 2 − 1/2 = 0.8069.
        assert_close(forward, 2f64.ln() - 0.375, 1e-15);
        assert_close(reverse, 1.5 - 2f64.ln(), 1e-15);
    }

    #[test]
    fn the_vae_kl_term_is_zero_only_at_the_standard_normal() {
        assert_eq!(kl_to_standard_normal(0.0, 0.0).unwrap(), 0.0);
        assert!(kl_to_standard_normal(0.1, 0.0).unwrap() > 0.0);
        assert!(kl_to_standard_normal(0.0, -0.1).unwrap() > 0.0);
    }

    #[test]
    fn non_positive_standard_deviations_are_rejected() {
        let msg = kl_normal(0.0, 0.0, 0.0, 1.0).unwrap_err().to_string();
        assert!(msg.contains("sigma_p") && msg.contains("> 0"), "{msg}");
        assert!(kl_normal(f64::NAN, 1.0, 0.0, 1.0).is_err());
        assert!(kl_to_standard_normal(0.0, f64::INFINITY).is_err());
    }
}
