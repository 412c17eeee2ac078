//! Jensen–Shannon divergence `JSD(P‖Q) = ½ D(P‖M) + ½ D(Q‖M)` with `M = ½ (P + Q)`.
//!
//! It is symmetric, finite, and `0 ≤ JSD ≤ log 2` (1 bit), with `log 2` exactly when P and
//! Q have disjoint supports. In GAN theory (Goodfellow et al. 2014, Theorem 1), with the
//! optimal discriminator `D*(x) = p_data(x) / (p_data(x) + p_g(x))` the value function
//! becomes `V(D*, G) = −log 4 + 2 · JSD(p_data‖p_g)`, so its global minimum is `−log 4`,
//! reached iff `p_g = p_data` (where `D* = 1/2`).
//!
//! Source: seed note \[004\], curriculum H3.
//!
//! ```
//! use gmcourse::info::{Unit, js_divergence};
//! use ndarray::array;
//! assert_eq!(js_divergence(&array![1.0, 0.0], &array![0.0, 1.0], Unit::Bits)?, 1.0);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{Array1, ArrayView1};

use super::{Unit, kl};
use crate::Result;
use crate::check;

/// `JSD(P‖Q) = ½ D(P‖M) + ½ D(Q‖M)`, `M = ½ (P + Q)`.
///
/// # Errors
/// If `p` or `q` is not a PMF or their lengths differ.
///
/// ```
/// use gmcourse::info::{Unit, js_divergence};
/// use ndarray::array;
/// let (p, q) = (array![0.5, 0.5], array![0.9, 0.1]);
/// assert_eq!(js_divergence(&p, &q, Unit::Bits)?, js_divergence(&q, &p, Unit::Bits)?);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn js_divergence<'a, 'b>(
    p: impl Into<ArrayView1<'a, f64>>,
    q: impl Into<ArrayView1<'b, f64>>,
    unit: Unit,
) -> Result<f64> {
    let (p, q) = (p.into(), q.into());
    check::pmf_pair("p", p, "q", q)?;
    let m: Array1<f64> = (&p + &q) * 0.5;
    Ok(0.5 * kl(p, &m, unit)? + 0.5 * kl(q, &m, unit)?)
}

/// The GAN value `V(D*, G) = E_{p_data}[log D*(x)] + E_{p_g}[log(1 − D*(x))]` at the
/// optimal discriminator `D* = p_data / (p_data + p_g)`, in nats. It equals
/// `−log 4 + 2 · JSD(p_data‖p_g)`.
///
/// # Errors
/// If `p_data` or `p_g` is not a PMF or their lengths differ.
///
/// ```
/// use gmcourse::info::value_at_optimal_discriminator;
/// use ndarray::array;
/// // At the global optimum p_g = p_data, D* = 1/2 everywhere and V = −log 4.
/// let p_data = array![0.2, 0.8];
/// let v = value_at_optimal_discriminator(&p_data, &p_data)?;
/// gmcourse::testing::assert_close(v, -(4.0_f64).ln(), 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn value_at_optimal_discriminator<'a, 'b>(
    p_data: impl Into<ArrayView1<'a, f64>>,
    p_g: impl Into<ArrayView1<'b, f64>>,
) -> Result<f64> {
    let (p_data, p_g) = (p_data.into(), p_g.into());
    check::pmf_pair("p_data", p_data, "p_g", p_g)?;
    let mut v = 0.0;
    for (&p_d, &p_gen) in p_data.iter().zip(&p_g) {
        // log D* = log p_d − log(p_d + p_g) and log(1 − D*) = log p_g − log(p_d + p_g):
        // forming 1 − D* first would round to 0 (and give −∞) when p_g ≪ p_d.
        let log_sum = (p_d + p_gen).ln();
        if p_d > 0.0 {
            v += p_d * (p_d.ln() - log_sum); // E_{p_data}[log D*(x)]
        }
        if p_gen > 0.0 {
            v += p_gen * (p_gen.ln() - log_sum); // E_{p_g}[log(1 − D*(x))]
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn distributions_with_disjoint_support_are_one_bit_apart() {
        let jsd = js_divergence(&[0.5, 0.5, 0.0, 0.0], &[0.0, 0.0, 0.3, 0.7], Unit::Nats).unwrap();
        assert_close(jsd, std::f64::consts::LN_2, 1e-15);
    }

    #[test]
    fn jsd_is_symmetric_bounded_by_log_two_and_zero_for_equal_inputs() {
        let (p, q) = ([0.1, 0.6, 0.3], [0.5, 0.1, 0.4]);
        let pq = js_divergence(&p, &q, Unit::Bits).unwrap();
        assert_close(pq, js_divergence(&q, &p, Unit::Bits).unwrap(), 1e-15);
        assert!(pq > 0.0 && pq <= 1.0, "{pq}");
        assert_eq!(js_divergence(&p, &p, Unit::Bits).unwrap(), 0.0);
    }

    #[test]
    fn jsd_stays_finite_where_kl_is_infinite() {
        let (p, q) = ([0.5, 0.5], [1.0, 0.0]);
        assert_eq!(crate::info::kl(&p, &q, Unit::Bits).unwrap(), f64::INFINITY);
        assert!(js_divergence(&p, &q, Unit::Bits).unwrap().is_finite());
    }

    #[test]
    fn the_gan_value_at_the_optimal_discriminator_is_minus_log_four_plus_twice_the_jsd() {
        // Goodfellow et al. 2014, Theorem 1: C(G) = −log 4 + 2 · JSD(p_data‖p_g).
        let (p_data, p_g) = ([0.1, 0.6, 0.3], [0.5, 0.1, 0.4]);
        let v = value_at_optimal_discriminator(&p_data, &p_g).unwrap();
        let jsd = js_divergence(&p_data, &p_g, Unit::Nats).unwrap();
        assert_close(v, -(4.0_f64).ln() + 2.0 * jsd, 1e-14);
        assert!(v > -(4.0_f64).ln());
    }

    #[test]
    fn the_gan_value_is_minus_log_four_when_the_generator_matches_the_data() {
        let p = [0.25, 0.25, 0.5];
        assert_close(
            value_at_optimal_discriminator(&p, &p).unwrap(),
            -(4.0_f64).ln(),
            1e-15,
        );
    }

    #[test]
    fn the_gan_value_stays_finite_when_one_probability_is_negligible_next_to_the_other() {
        // p_g = 1e-20 next to p_data = 0.5: D* rounds to 1, but the term p_g·log(1 − D*)
        // = 1e-20·log(1e-20 / 0.5) ≈ −4.5e-19 is tiny, so V ≈ value of the other outcome.
        let (p_data, p_g) = ([0.5, 0.5], [1e-20, 1.0 - 1e-20]);
        let v = value_at_optimal_discriminator(&p_data, &p_g).unwrap();
        let jsd = js_divergence(&p_data, &p_g, Unit::Nats).unwrap();
        assert!(v.is_finite(), "{v}");
        assert_close(v, -(4.0_f64).ln() + 2.0 * jsd, 1e-12);
    }

    #[test]
    fn mismatched_lengths_are_rejected() {
        assert!(js_divergence(&[1.0], &[0.5, 0.5], Unit::Bits).is_err());
        assert!(value_at_optimal_discriminator(&[1.0], &[0.5, 0.5]).is_err());
    }
}
