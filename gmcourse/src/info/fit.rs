//! Fitting one normal q to a mixture p by KL, in either direction (the figure of
//! curriculum E5):
//!
//! - **forward**, `min_q D(p‖q) = E_p[log p − log q]`: q must put mass wherever p has
//!   mass, so it spreads over every mode ("mass-covering"). For a normal q the minimiser
//!   matches p's mean and variance (moment matching), in closed form.
//! - **reverse**, `min_q D(q‖p) = E_q[log q − log p]`: q is punished for mass where p has
//!   little, so it settles on one mode ("mode-seeking"). There is no closed form; we
//!   minimise over `theta = (mu, log sigma)` numerically.
//!
//! The reverse objective is computed with the reparameterisation `x = mu + sigma · eps`,
//! `eps ~ N(0, 1)`, as a midpoint-rule integral over `eps ∈ [−10, 10]` (2000 cells), and
//! minimised with Nelder–Mead (Nelder & Mead 1965), which needs no gradients. The forward
//! KL value is integrated on a grid over x ([`kl_on_grid`]).
//!
//! Source: seed notes \[001\] and \[003\], curriculum E4 and E5; Bishop, *Pattern Recognition
//! and Machine Learning* (2006), Fig. 10.3.
//!
//! ```
//! use gmcourse::info::{fit_normal_forward_kl, fit_normal_reverse_kl};
//! use gmcourse::prob::{Mixture, Normal};
//! let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-3.0, 0.5)?, Normal::new(3.0, 0.5)?])?;
//! let covering = fit_normal_forward_kl(&p)?;
//! let seeking = fit_normal_reverse_kl(&p, &Normal::new(1.0, 1.0)?)?;
//! assert!(covering.normal.sigma() > 3.0); // spans both modes
//! gmcourse::testing::assert_close(seeking.normal.mu(), 3.0, 0.01); // sits on one
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::{Grid, Unit, kl_on_grid};
use crate::Result;
use crate::prob::{Mixture, Normal};

/// A fitted normal and the KL divergence (in nats) it reaches.
///
/// ```
/// use gmcourse::prob::{Mixture, Normal};
/// let p = Mixture::new(&[1.0], vec![Normal::new(2.0, 1.0)?])?;
/// let fit = gmcourse::info::fit_normal_forward_kl(&p)?;
/// assert_eq!((fit.normal.mu(), fit.normal.sigma()), (2.0, 1.0));
/// gmcourse::testing::assert_close(fit.kl, 0.0, 1e-9);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalFit {
    /// The fitted q.
    pub normal: Normal,
    /// `D(p‖q)` for a forward fit, `D(q‖p)` for a reverse fit, in nats.
    pub kl: f64,
}

/// The normal minimising the forward KL `D(p‖q)`: `mu = E_p[x]`, `sigma² = Var_p[x]`.
///
/// # Errors
/// Only if the mixture's variance is not positive and finite (it always is for
/// components with `sigma > 0`).
///
/// ```
/// use gmcourse::prob::{Mixture, Normal};
/// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-3.0, 0.5)?, Normal::new(3.0, 0.5)?])?;
/// let fit = gmcourse::info::fit_normal_forward_kl(&p)?;
/// assert_eq!(fit.normal.mu(), 0.0);
/// gmcourse::testing::assert_close(fit.normal.variance(), 9.25, 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fit_normal_forward_kl(p: &Mixture) -> Result<NormalFit> {
    let q = Normal::new(p.mean(), p.variance().sqrt())?;
    let grid = covering_grid(p)?;
    let kl = kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &grid, Unit::Nats)?;
    Ok(NormalFit { normal: q, kl })
}

/// The normal minimising the reverse KL `D(q‖p)`, found by Nelder–Mead over
/// `(mu, log sigma)` starting from `init`. Which mode it finds depends on `init`.
///
/// # Errors
/// If the optimum has a non-finite `mu` or `sigma` (it does not for a mixture with
/// finite parameters).
///
/// ```
/// use gmcourse::prob::{Mixture, Normal};
/// let p = Mixture::new(&[0.5, 0.5], vec![Normal::new(-3.0, 0.5)?, Normal::new(3.0, 0.5)?])?;
/// let fit = gmcourse::info::fit_normal_reverse_kl(&p, &Normal::new(-1.0, 1.0)?)?;
/// gmcourse::testing::assert_close(fit.normal.mu(), -3.0, 0.01);
/// gmcourse::testing::assert_close(fit.kl, 2f64.ln(), 0.01); // q ≈ one half of p
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fit_normal_reverse_kl(p: &Mixture, init: &Normal) -> Result<NormalFit> {
    let eps = Grid::new(-10.0, 10.0, 2000)?;
    let objective = |theta: [f64; 2]| reverse_kl(p, theta, &eps);
    let start = [init.mu(), init.sigma().ln()];
    let step = [init.sigma(), 0.5];
    let theta = nelder_mead(objective, start, step);
    let normal = Normal::new(theta[0], theta[1].exp())?;
    Ok(NormalFit {
        normal,
        kl: reverse_kl(p, theta, &eps),
    })
}

/// `D(q‖p) = E_{eps ~ N(0,1)}[log q(x) − log p(x)]` with `x = mu + sigma · eps` and
/// `theta = (mu, log sigma)`, by the midpoint rule over the `eps` grid. `+inf` for a
/// theta that does not give a valid normal.
fn reverse_kl(p: &Mixture, theta: [f64; 2], eps: &Grid) -> f64 {
    let [mu, log_sigma] = theta;
    let Ok(q) = Normal::new(mu, log_sigma.exp()) else {
        return f64::INFINITY;
    };
    let standard = Normal::standard();
    let kl: f64 = eps
        .points()
        .iter()
        .map(|&e| {
            let x = mu + q.sigma() * e;
            standard.pdf(e) * eps.dx() * (q.log_pdf(x) - p.log_pdf(x))
        })
        .sum();
    if kl.is_nan() { f64::INFINITY } else { kl }
}

/// A grid over x that covers every component of p out to 12 standard deviations.
fn covering_grid(p: &Mixture) -> Result<Grid> {
    let lo = p
        .components()
        .iter()
        .map(|c| c.mu() - 12.0 * c.sigma())
        .fold(f64::INFINITY, f64::min);
    let hi = p
        .components()
        .iter()
        .map(|c| c.mu() + 12.0 * c.sigma())
        .fold(f64::NEG_INFINITY, f64::max);
    let wide = 12.0 * p.variance().sqrt();
    Grid::new(lo.min(p.mean() - wide), hi.max(p.mean() + wide), 20_000)
}

/// Minimises `f` over two variables with the Nelder–Mead simplex method (reflection 1,
/// expansion 2, contraction ½, shrink ½). Stops when the simplex is smaller than 1e-9 and
/// its values agree to 1e-13, or after 2000 iterations; returns the best vertex.
fn nelder_mead(f: impl Fn([f64; 2]) -> f64, start: [f64; 2], step: [f64; 2]) -> [f64; 2] {
    let mut simplex = [
        start,
        [start[0] + step[0], start[1]],
        [start[0], start[1] + step[1]],
    ];
    let mut values = simplex.map(&f);
    for _ in 0..2000 {
        // Order the vertices best (lowest f) to worst.
        let mut order = [0, 1, 2];
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        simplex = order.map(|i| simplex[i]);
        values = order.map(|i| values[i]);
        let size = (1..3)
            .map(|i| {
                (simplex[i][0] - simplex[0][0])
                    .abs()
                    .max((simplex[i][1] - simplex[0][1]).abs())
            })
            .fold(0.0, f64::max);
        if size < 1e-9 && values[2] - values[0] < 1e-13 {
            break;
        }
        let centroid = [
            0.5 * (simplex[0][0] + simplex[1][0]),
            0.5 * (simplex[0][1] + simplex[1][1]),
        ];
        let toward = |t: f64| {
            [
                centroid[0] + t * (simplex[2][0] - centroid[0]),
                centroid[1] + t * (simplex[2][1] - centroid[1]),
            ]
        };
        let reflected = toward(-1.0);
        let f_reflected = f(reflected);
        if f_reflected < values[0] {
            let expanded = toward(-2.0);
            let f_expanded = f(expanded);
            (simplex[2], values[2]) = if f_expanded < f_reflected {
                (expanded, f_expanded)
            } else {
                (reflected, f_reflected)
            };
        } else if f_reflected < values[1] {
            (simplex[2], values[2]) = (reflected, f_reflected);
        } else {
            let contracted = toward(0.5);
            let f_contracted = f(contracted);
            if f_contracted < values[2] {
                (simplex[2], values[2]) = (contracted, f_contracted);
            } else {
                // Shrink every vertex halfway toward the best one.
                for i in 1..3 {
                    simplex[i] = [
                        0.5 * (simplex[0][0] + simplex[i][0]),
                        0.5 * (simplex[0][1] + simplex[i][1]),
                    ];
                    values[i] = f(simplex[i]);
                }
            }
        }
    }
    let best = (0..3)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    simplex[best]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    /// The two-mode p of the figure: ½ N(−3, 0.5²) + ½ N(3, 0.5²).
    fn two_modes() -> Mixture {
        Mixture::new(
            &[0.5, 0.5],
            vec![
                Normal::new(-3.0, 0.5).unwrap(),
                Normal::new(3.0, 0.5).unwrap(),
            ],
        )
        .unwrap()
    }

    fn x_grid() -> Grid {
        Grid::new(-25.0, 25.0, 50_000).unwrap()
    }

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_quadratic_bowl() {
        let theta = nelder_mead(
            |t| (t[0] - 1.5).powi(2) + 10.0 * (t[1] + 0.5).powi(2),
            [0.0, 0.0],
            [1.0, 1.0],
        );
        assert_close(theta[0], 1.5, 1e-6);
        assert_close(theta[1], -0.5, 1e-6);
    }

    #[test]
    fn the_forward_fit_matches_the_mixture_mean_and_variance() {
        // Moment matching: mean 0, variance 0.25 + 9 = 9.25.
        let fit = fit_normal_forward_kl(&two_modes()).unwrap();
        assert_close(fit.normal.mu(), 0.0, 1e-12);
        assert_close(fit.normal.sigma(), 9.25_f64.sqrt(), 1e-12);
    }

    #[test]
    fn moment_matching_is_a_minimum_of_the_forward_kl() {
        let p = two_modes();
        let fit = fit_normal_forward_kl(&p).unwrap();
        let forward = |mu: f64, sigma: f64| {
            let q = Normal::new(mu, sigma).unwrap();
            kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &x_grid(), Unit::Nats).unwrap()
        };
        let (mu, sigma) = (fit.normal.mu(), fit.normal.sigma());
        assert_close(forward(mu, sigma), fit.kl, 1e-6);
        for (d_mu, d_sigma) in [(0.2, 0.0), (-0.2, 0.0), (0.0, 0.2), (0.0, -0.2)] {
            assert!(
                forward(mu + d_mu, sigma + d_sigma) > fit.kl,
                "({d_mu}, {d_sigma})"
            );
        }
    }

    #[test]
    fn the_reverse_fit_picks_the_mode_nearest_its_start() {
        // q ≈ N(3, 0.5²), which is half of p, so D(q‖p) ≈ E_q[log q − log(q/2)] = ln 2.
        let p = two_modes();
        let right = fit_normal_reverse_kl(&p, &Normal::new(2.0, 1.0).unwrap()).unwrap();
        assert_close(right.normal.mu(), 3.0, 1e-3);
        assert_close(right.normal.sigma(), 0.5, 1e-3);
        assert_close(right.kl, 2f64.ln(), 1e-3);
        let left = fit_normal_reverse_kl(&p, &Normal::new(-2.0, 1.0).unwrap()).unwrap();
        assert_close(left.normal.mu(), -3.0, 1e-3);
    }

    #[test]
    fn the_reverse_kl_value_agrees_with_a_grid_integral_over_x() {
        let p = two_modes();
        let fit = fit_normal_reverse_kl(&p, &Normal::new(2.0, 1.0).unwrap()).unwrap();
        let q = fit.normal;
        let on_grid =
            kl_on_grid(|x| q.log_pdf(x), |x| p.log_pdf(x), &x_grid(), Unit::Nats).unwrap();
        assert_close(fit.kl, on_grid, 1e-6);
    }

    #[test]
    fn each_fit_wins_in_its_own_direction_and_loses_in_the_other() {
        // Forward fit covers the modes; reverse fit seeks one: each minimises its own KL.
        let p = two_modes();
        let covering = fit_normal_forward_kl(&p).unwrap().normal;
        let seeking = fit_normal_reverse_kl(&p, &Normal::new(2.0, 1.0).unwrap())
            .unwrap()
            .normal;
        let grid = x_grid();
        let d_pq =
            |q: Normal| kl_on_grid(|x| p.log_pdf(x), |x| q.log_pdf(x), &grid, Unit::Nats).unwrap();
        let d_qp =
            |q: Normal| kl_on_grid(|x| q.log_pdf(x), |x| p.log_pdf(x), &grid, Unit::Nats).unwrap();
        assert!(
            d_pq(covering) < d_pq(seeking),
            "forward: {} vs {}",
            d_pq(covering),
            d_pq(seeking)
        );
        assert!(
            d_qp(seeking) < d_qp(covering),
            "reverse: {} vs {}",
            d_qp(seeking),
            d_qp(covering)
        );
    }

    #[test]
    fn a_single_normal_is_fitted_exactly_in_both_directions() {
        let p = Mixture::new(&[1.0], vec![Normal::new(1.0, 2.0).unwrap()]).unwrap();
        let forward = fit_normal_forward_kl(&p).unwrap();
        let reverse = fit_normal_reverse_kl(&p, &Normal::new(0.0, 1.0).unwrap()).unwrap();
        assert_close(forward.kl, 0.0, 1e-9);
        assert_close(reverse.normal.mu(), 1.0, 1e-4);
        assert_close(reverse.normal.sigma(), 2.0, 1e-4);
        assert_close(reverse.kl, 0.0, 1e-9);
    }
}
