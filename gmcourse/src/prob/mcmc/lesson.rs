//! The plumbing of lesson 06's Metropolis–Hastings, where the student writes the chain and
//! the search for its proposal width on `ndarray` arrays: the chain's random draws
//! ([`Draws`], seeded here), the two functions ([`Fns`]) and the notebook's cell
//! ([`sample_yours`]), which puts the reference in place of every function that is still
//! `todo!()`.
//!
//! ```text
//! (chain, rate) = metropolis_hastings(log_p, x0, width, eps, u)   exercise 6.4
//! width         = tune_proposal_width(log_p, x0, eps, u, low, high)         6.5
//! ```
//!
//! The draws are given, not drawn inside: the same draws give the same chain, so the
//! student's chain can be compared with the reference's state by state. Nothing here
//! computes a chain: the reference functions are [`super::chain_from_draws`] and
//! [`super::tune_width`], reached from here only by [`Fns::or_reference`].

use ndarray::Array1;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::{Error, Result, course};

/// Exercise 6.4's signature: `(chain, acceptance rate)` from `(log_p, x0, width, eps, u)`.
pub type ChainFn =
    fn(&dyn Fn(f64) -> f64, f64, f64, &Array1<f64>, &Array1<f64>) -> (Array1<f64>, f64);
/// Exercise 6.5's signature: a width from `(log_p, x0, eps, u, low, high)`.
pub type TuneWidthFn = fn(&dyn Fn(f64) -> f64, f64, &Array1<f64>, &Array1<f64>, f64, f64) -> f64;

/// The random draws of an `n`-step chain: `eps[t] ~ N(0, 1)` scales the proposal's step,
/// `u[t] ~ U(0, 1)` decides its acceptance.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// Standard normal draws, one per step.
    pub eps: Array1<f64>,
    /// Uniform draws in `[0, 1)`, one per step.
    pub u: Array1<f64>,
}

impl Draws {
    /// `n` of each, from `seed`.
    ///
    /// ```
    /// let d = gmcourse::prob::mcmc::Draws::seeded(1000, 6);
    /// assert_eq!((d.eps.len(), d.u.len()), (1000, 1000));
    /// assert!(d.u.iter().all(|u| (0.0..1.0).contains(u)));
    /// assert_eq!(d, gmcourse::prob::mcmc::Draws::seeded(1000, 6));
    /// ```
    pub fn seeded(n: usize, seed: u64) -> Draws {
        let mut rng = StdRng::seed_from_u64(seed);
        let eps = (0..n)
            .map(|_| rng.sample::<f64, _>(StandardNormal))
            .collect();
        let u = (0..n).map(|_| rng.random::<f64>()).collect();
        Draws { eps, u }
    }

    /// The number of steps they drive.
    pub fn len(&self) -> usize {
        self.eps.len()
    }

    /// Whether they drive no step.
    pub fn is_empty(&self) -> bool {
        self.eps.is_empty()
    }
}

/// The two functions of the lesson's chain, as fn pointers (the notebook names the
/// student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 6.4.
    pub chain: ChainFn,
    /// Exercise 6.5.
    pub tune_width: TuneWidthFn,
}

/// The exercises behind [`Fns`]' fields, in order.
const PIECES: [(&str, &str); 2] = [
    ("6.4", "metropolis_hastings"),
    ("6.5", "tune_proposal_width"),
];

impl Fns {
    /// The course's own functions.
    pub fn reference() -> Fns {
        Fns {
            chain: super::chain_from_draws,
            tune_width: super::tune_width,
        }
    }

    /// Puts the reference in place of each function that is still a `todo!()` stub (a
    /// width search that runs an unfinished chain counts as unfinished too), and prints
    /// one line that says which, e.g. `exercise 6.5 not done yet: the reference
    /// tune_proposal_width runs in its place`. Each function is called once, on a tiny
    /// input, with panic messages silenced; a function that panics for another reason is
    /// kept. Returns the functions and, per exercise, whether the student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 2]) {
        let reference = Fns::reference();
        let log_p = |x: f64| -0.5 * x * x;
        let d = Draws::seeded(8, 0);
        let done = [
            course::is_todo(|| (self.chain)(&log_p, 0.0, 1.0, &d.eps, &d.u)),
            course::is_todo(|| (self.tune_width)(&log_p, 0.0, &d.eps, &d.u, 0.2, 0.5)),
        ]
        .map(|todo| !todo);
        if let Some(line) = course::reference_line_for(&PIECES, &done, ("runs", "run")) {
            println!("{line}");
        }
        let fns = Fns {
            chain: if done[0] { self.chain } else { reference.chain },
            tune_width: if done[1] {
                self.tune_width
            } else {
                reference.tune_width
            },
        };
        (fns, done)
    }

    /// The chain of `self.chain` from `x0` with proposal width `width`, driven by `draws`:
    /// its `draws.len()` states and its acceptance rate, checked.
    ///
    /// # Errors
    /// A width that is not positive and finite, or a chain of the wrong length or with an
    /// acceptance rate outside `[0, 1]` (named as exercise 6.4's).
    pub fn run(
        &self,
        log_p: &dyn Fn(f64) -> f64,
        x0: f64,
        width: f64,
        draws: &Draws,
    ) -> Result<(Vec<f64>, f64)> {
        if !(width.is_finite() && width > 0.0) {
            return Err(Error::invalid(
                "the proposal width",
                "a positive, finite number",
                width,
            ));
        }
        let (chain, rate) = (self.chain)(log_p, x0, width, &draws.eps, &draws.u);
        if chain.len() != draws.len() {
            return Err(Error::shape(
                "the chain from metropolis_hastings (exercise 6.4)",
                format!("one state per step, {}", draws.len()),
                chain.len(),
            ));
        }
        if !(0.0..=1.0).contains(&rate) {
            return Err(Error::invalid(
                "the acceptance rate from metropolis_hastings (exercise 6.4)",
                "a fraction in [0, 1]",
                rate,
            ));
        }
        Ok((chain.to_vec(), rate))
    }

    /// The width `self.tune_width` finds for the band `[low, high]` on `draws` from `x0`.
    ///
    /// # Errors
    /// A width that is not positive and finite (named as exercise 6.5's).
    pub fn tune(
        &self,
        log_p: &dyn Fn(f64) -> f64,
        x0: f64,
        draws: &Draws,
        low: f64,
        high: f64,
    ) -> Result<f64> {
        let width = (self.tune_width)(log_p, x0, &draws.eps, &draws.u, low, high);
        if !(width.is_finite() && width > 0.0) {
            return Err(Error::invalid(
                "the width from tune_proposal_width (exercise 6.5)",
                "a positive, finite number",
                width,
            ));
        }
        Ok(width)
    }
}

/// A chain of [`sample_yours`].
#[derive(Debug, Clone)]
pub struct Sampled {
    /// The functions that ran it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (6.4, 6.5) are the student's.
    pub done: [bool; 2],
    /// Every state, one per draw.
    pub chain: Vec<f64>,
    /// The fraction of proposals accepted.
    pub acceptance_rate: f64,
    /// With the student's chain (6.4) done: the reference's chain on the same draws.
    pub reference: Option<(Vec<f64>, f64)>,
}

impl Sampled {
    /// The notebook's table: acceptance rate, mean and standard deviation of the states
    /// after `burn_in`, for the student's chain and the reference's on the same draws.
    pub fn table(&self, burn_in: usize) -> crate::plot::Html {
        let row = |name: &str, chain: &[f64], rate: f64| {
            let kept = &chain[burn_in.min(chain.len())..];
            let n = kept.len().max(1) as f64;
            let mean = kept.iter().sum::<f64>() / n;
            let sd = (kept.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
            format!("<tr><td>{name}</td><td>{rate:.3}</td><td>{mean:.3}</td><td>{sd:.3}</td></tr>")
        };
        let who = if self.done[0] {
            "your chain"
        } else {
            "the reference chain (exercise 6.4 not done yet)"
        };
        let mut body = row(who, &self.chain, self.acceptance_rate);
        if let Some((chain, rate)) = &self.reference {
            let same = if chain == &self.chain {
                "reference, same draws (the same states)"
            } else {
                "reference, same draws (other states: compare the acceptance test)"
            };
            body.push_str(&row(same, chain, *rate));
        }
        crate::plot::Html::new(format!(
            "<table><tr><th>after {burn_in} burn-in steps</th><th>acceptance rate</th>\
             <th>mean</th><th>standard deviation</th></tr>{body}</table>"
        ))
    }
}

/// The MCMC cell of lesson 06: the student's chain (the reference in place of each
/// unfinished function, said in one line) from `x0` with proposal width `width`, driven by
/// `draws`. With the student's chain done, the reference runs too, on the same draws.
///
/// # Errors
/// Those of [`Fns::run`].
pub fn sample_yours(
    fns: Fns,
    log_p: &dyn Fn(f64) -> f64,
    x0: f64,
    width: f64,
    draws: &Draws,
) -> Result<Sampled> {
    let (fns, done) = fns.or_reference();
    let (chain, acceptance_rate) = fns.run(log_p, x0, width, draws)?;
    let reference = if done[0] {
        Some(Fns::reference().run(log_p, x0, width, draws)?)
    } else {
        None
    };
    Ok(Sampled {
        fns,
        done,
        chain,
        acceptance_rate,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo_chain(
        _: &dyn Fn(f64) -> f64,
        _: f64,
        _: f64,
        _: &Array1<f64>,
        _: &Array1<f64>,
    ) -> (Array1<f64>, f64) {
        todo!("exercise 6.4: implement `metropolis_hastings`")
    }

    /// A width search that runs the unfinished chain above.
    fn tune_on_todo_chain(
        log_p: &dyn Fn(f64) -> f64,
        x0: f64,
        eps: &Array1<f64>,
        u: &Array1<f64>,
        _: f64,
        _: f64,
    ) -> f64 {
        todo_chain(log_p, x0, 1.0, eps, u).1
    }

    fn short_chain(
        _: &dyn Fn(f64) -> f64,
        x0: f64,
        _: f64,
        _: &Array1<f64>,
        _: &Array1<f64>,
    ) -> (Array1<f64>, f64) {
        (Array1::from(vec![x0]), 0.0)
    }

    #[test]
    fn a_search_that_runs_an_unfinished_chain_is_unfinished_too() {
        let (fns, done) = Fns {
            chain: todo_chain,
            tune_width: tune_on_todo_chain,
        }
        .or_reference();
        assert_eq!(done, [false, false]);
        let log_p = |x: f64| -0.5 * x * x;
        assert!(fns.run(&log_p, 0.0, 1.0, &Draws::seeded(10, 0)).is_ok());
    }

    #[test]
    fn a_chain_of_the_wrong_length_is_named_with_its_exercise() {
        let fns = Fns {
            chain: short_chain,
            ..Fns::reference()
        };
        let log_p = |x: f64| -0.5 * x * x;
        let err = fns
            .run(&log_p, 0.0, 1.0, &Draws::seeded(10, 0))
            .unwrap_err();
        assert!(err.to_string().contains("exercise 6.4"), "{err}");
        assert!(err.to_string().contains("10"), "{err}");
    }

    #[test]
    fn with_the_chain_done_the_reference_runs_on_the_same_draws() -> Result<()> {
        let log_p = |x: f64| -0.5 * (x - 3.0).powi(2);
        let s = sample_yours(Fns::reference(), &log_p, 0.0, 1.0, &Draws::seeded(500, 1))?;
        assert_eq!(s.done, [true, true]);
        let (chain, rate) = s.reference.as_ref().expect("a reference chain");
        assert_eq!((chain, *rate), (&s.chain, s.acceptance_rate));
        assert!(s.table(100).as_str().contains("the same states"));
        Ok(())
    }
}
