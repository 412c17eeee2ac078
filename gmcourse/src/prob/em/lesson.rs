//! The plumbing of lesson 06's EM, where the student writes the mixture's mathematics on
//! `ndarray` arrays: a mixture's parameters ([`Params`], and where EM starts), the three
//! functions an EM run calls ([`Fns`]), the loop that runs exactly those functions
//! ([`run_with`]) and the notebook's cell ([`fit_yours`]), which puts the reference in
//! place of every function that is still `todo!()`.
//!
//! ```text
//! r        = responsibilities(x, pi, mu, var)   (N, K): p(component k | x_n)   exercise 6.2
//! pi,mu,var = m_step(x, r)                       (K,) each                      6.3
//! ll       = log_likelihood(x, pi, mu, var)     Σ_n log p(x_n), nats            6.1
//! ```
//!
//! Nothing here computes the mixture's mathematics: the loop calls the functions it is
//! given. The reference functions are [`super::log_likelihood`],
//! [`super::responsibilities`] and [`super::m_step`], reached from here only by
//! [`Fns::or_reference`].

use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::prob::{Mixture, Normal};
use crate::{Error, Result, check, course};

/// Exercise 6.1's signature: `Σ_n log p(x_n)` from `(x, pi, mu, var)`.
pub type LogLikelihoodFn = fn(&Array1<f64>, &Array1<f64>, &Array1<f64>, &Array1<f64>) -> f64;
/// Exercise 6.2's signature: the responsibilities `(N, K)` from `(x, pi, mu, var)`.
pub type ResponsibilitiesFn =
    fn(&Array1<f64>, &Array1<f64>, &Array1<f64>, &Array1<f64>) -> Array2<f64>;
/// Exercise 6.3's signature: `(pi, mu, var)` from `(x, r)`.
pub type MStepFn = fn(&Array1<f64>, &Array2<f64>) -> (Array1<f64>, Array1<f64>, Array1<f64>);

/// The three functions an EM run calls, as fn pointers (the notebook names the student's).
#[derive(Debug, Clone, Copy)]
pub struct Fns {
    /// Exercise 6.1.
    pub log_likelihood: LogLikelihoodFn,
    /// Exercise 6.2.
    pub responsibilities: ResponsibilitiesFn,
    /// Exercise 6.3.
    pub m_step: MStepFn,
}

/// The exercises behind [`Fns`]' fields, in order.
const PIECES: [(&str, &str); 3] = [
    ("6.1", "log_likelihood"),
    ("6.2", "responsibilities"),
    ("6.3", "m_step"),
];

impl Fns {
    /// The course's own functions.
    pub fn reference() -> Fns {
        Fns {
            log_likelihood: super::log_likelihood,
            responsibilities: super::responsibilities,
            m_step: super::m_step,
        }
    }

    /// Puts the reference in place of each function that is still a `todo!()` stub, and
    /// prints one line that says which, e.g. `exercise 6.3 not done yet: the reference
    /// m_step runs in its place`. Each function is called once, on a tiny input, with
    /// panic messages silenced; a function that panics for another reason is kept (the
    /// run then reports its panic). Returns the functions and, per exercise, whether the
    /// student's is used.
    pub fn or_reference(self) -> (Fns, [bool; 3]) {
        let reference = Fns::reference();
        let (x, pi, mu, var) = (
            Array1::from(vec![-1.0, 0.5, 2.0]),
            Array1::from(vec![0.4, 0.6]),
            Array1::from(vec![-1.0, 1.0]),
            Array1::from(vec![1.0, 0.5]),
        );
        let r = super::responsibilities(&x, &pi, &mu, &var);
        let done = [
            course::is_todo(|| (self.log_likelihood)(&x, &pi, &mu, &var)),
            course::is_todo(|| (self.responsibilities)(&x, &pi, &mu, &var)),
            course::is_todo(|| (self.m_step)(&x, &r)),
        ]
        .map(|todo| !todo);
        if let Some(line) = course::reference_line_for(&PIECES, &done, ("runs", "run")) {
            println!("{line}");
        }
        let fns = Fns {
            log_likelihood: if done[0] {
                self.log_likelihood
            } else {
                reference.log_likelihood
            },
            responsibilities: if done[1] {
                self.responsibilities
            } else {
                reference.responsibilities
            },
            m_step: if done[2] {
                self.m_step
            } else {
                reference.m_step
            },
        };
        (fns, done)
    }
}

/// A mixture of K 1-D Gaussians as three arrays of length K: weights, means, variances.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Weights π_k (≥ 0, sum 1).
    pub pi: Array1<f64>,
    /// Means μ_k.
    pub mu: Array1<f64>,
    /// Variances σ_k² (> 0).
    pub var: Array1<f64>,
}

impl Params {
    /// Where EM starts, as [`super::fit_em`] does: `k` distinct data points drawn with
    /// `seed` as the means (sorted), the data's variance for every component, equal
    /// weights.
    ///
    /// # Errors
    /// If `k == 0`, there are fewer than `k` points, or a point is not finite.
    ///
    /// ```
    /// let start = gmcourse::prob::em::lesson::Params::start(&[-2.0, -1.0, 1.0, 2.0], 2, 0)?;
    /// assert_eq!(start.pi.to_vec(), vec![0.5, 0.5]);
    /// assert_eq!(start.var.to_vec(), vec![2.5, 2.5]);
    /// assert!(start.mu[0] < start.mu[1]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn start(x: &[f64], k: usize, seed: u64) -> Result<Params> {
        if k == 0 || x.len() < k {
            return Err(Error::invalid(
                "Params::start",
                format!("k >= 1 and at least k = {k} points"),
                format!("{} points", x.len()),
            ));
        }
        check::all_finite("x", x)?;
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut idx: Vec<usize> = (0..x.len()).collect();
        for i in 0..k {
            let j = rng.random_range(i..idx.len());
            idx.swap(i, j);
        }
        let mut mu: Vec<f64> = idx[..k].iter().map(|&i| x[i]).collect();
        mu.sort_by(f64::total_cmp);
        Ok(Params {
            pi: Array1::from_elem(k, 1.0 / k as f64),
            mu: Array1::from(mu),
            var: Array1::from_elem(k, var.max(1e-12)),
        })
    }

    /// The same mixture as a [`Mixture`], for its density in a figure.
    ///
    /// # Errors
    /// Weights that are not a PMF, or a variance that is not positive.
    pub fn mixture(&self) -> Result<Mixture> {
        let components = self
            .mu
            .iter()
            .zip(&self.var)
            .map(|(&mu, &var)| Normal::new(mu, var.sqrt()))
            .collect::<Result<Vec<_>>>()?;
        Mixture::new(&self.pi.to_vec(), components)
    }

    /// The density `p(x)` at each of `grid`, for a figure; NaN if the parameters are not a
    /// mixture.
    pub fn pdf_on(&self, grid: &[f64]) -> Vec<f64> {
        match self.mixture() {
            Ok(m) => grid.iter().map(|&g| m.pdf(g)).collect(),
            Err(_) => vec![f64::NAN; grid.len()],
        }
    }
}

/// The mixtures and log-likelihoods of an EM run.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where it started.
    pub start: Params,
    /// The mixture after each step: `steps[t - 1]` after `t` steps.
    pub steps: Vec<Params>,
    /// The mean log-likelihood `(1/N) Σ_n log p(x_n)` after each step, nats per point.
    pub log_likelihood: Vec<f64>,
}

impl Run {
    /// The mixture after the last step (the start if there was none).
    pub fn last(&self) -> &Params {
        self.steps.last().unwrap_or(&self.start)
    }
}

/// Runs `steps` EM steps of `fns` on the points `x` from `start`: responsibilities, then
/// the M step, then the log-likelihood. Uses exactly the functions it is given; checks
/// what each returns, with errors that name the exercise.
///
/// # Errors
/// A point that is not finite, a function that returns a wrong shape, or an M step whose
/// mixture is not one (weights not a PMF, a variance not positive, a NaN).
///
/// ```
/// use gmcourse::prob::em::lesson::{Fns, Params, run_with};
/// let x = [-2.1, -1.9, -2.0, 2.0, 2.1, 1.9];
/// let run = run_with(&Fns::reference(), &x, &Params::start(&x, 2, 0)?, 20)?;
/// gmcourse::testing::assert_all_close(&run.last().mu.to_vec(), &[-2.0, 2.0], 1e-6);
/// assert!(run.log_likelihood.windows(2).all(|w| w[1] >= w[0] - 1e-12));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn run_with(fns: &Fns, x: &[f64], start: &Params, steps: usize) -> Result<Run> {
    check::all_finite("x", x)?;
    let data = Array1::from(x.to_vec());
    let (n, k) = (x.len(), start.pi.len());
    let mut current = start.clone();
    let mut run = Run {
        start: start.clone(),
        steps: Vec::with_capacity(steps),
        log_likelihood: Vec::with_capacity(steps),
    };
    for step in 1..=steps {
        let r = (fns.responsibilities)(&data, &current.pi, &current.mu, &current.var);
        if r.dim() != (n, k) {
            return Err(Error::shape(
                "the responsibilities from responsibilities (exercise 6.2)",
                format!("({n}, {k})"),
                format!("{:?}", r.dim()),
            ));
        }
        let (pi, mu, var) = (fns.m_step)(&data, &r);
        let next = Params { pi, mu, var };
        if [&next.pi, &next.mu, &next.var].iter().any(|a| a.len() != k) {
            return Err(Error::shape(
                "pi, mu and var from m_step (exercise 6.3)",
                format!("{k} each"),
                format!(
                    "{}, {} and {}",
                    next.pi.len(),
                    next.mu.len(),
                    next.var.len()
                ),
            ));
        }
        if let Err(e) = next.mixture() {
            return Err(Error::invalid(
                format!("the mixture after EM step {step} (m_step, exercise 6.3)"),
                "weights that sum to 1 and positive, finite variances",
                e,
            ));
        }
        let ll = (fns.log_likelihood)(&data, &next.pi, &next.mu, &next.var);
        run.log_likelihood.push(ll / n as f64);
        run.steps.push(next.clone());
        current = next;
    }
    Ok(run)
}

/// An EM fit by [`fit_yours`].
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The functions that ran it (the student's, the reference in place of each
    /// unfinished one).
    pub fns: Fns,
    /// Which exercises (6.1 to 6.3) are the student's.
    pub done: [bool; 3],
    /// The run of those functions.
    pub run: Run,
    /// With every exercise done: the reference's run from the same start, as long.
    pub reference: Option<Run>,
}

impl Fitted {
    /// Whether all three functions are the student's.
    pub fn all_yours(&self) -> bool {
        self.done.iter().all(|&d| d)
    }

    /// The notebook's table: the fitted mixture and its mean log-likelihood, the student's
    /// and the reference's next to it when there is one.
    pub fn table(&self) -> crate::plot::Html {
        let row = |name: &str, run: &Run| {
            let p = run.last();
            let ll = run.log_likelihood.last().copied().unwrap_or(f64::NAN);
            format!(
                "<tr><td>{name}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{ll:.4}</td></tr>",
                p.pi, p.mu, p.var
            )
        };
        let who = if self.all_yours() {
            "your EM"
        } else {
            "your EM (reference in place of the unfinished exercises)"
        };
        let mut body = row(who, &self.run);
        if let Some(r) = &self.reference {
            body.push_str(&row("reference, same start and steps", r));
        }
        crate::plot::Html::new(format!(
            "<table><tr><th>after {} EM steps</th><th>π</th><th>μ</th><th>σ²</th>\
             <th>(1/N) Σ log p(x_n)</th></tr>{body}</table>",
            self.run.steps.len()
        ))
    }
}

/// The EM cell of lesson 06: `steps` EM steps of the student's `fns` (the reference in
/// place of each unfinished one, said in one line) on `x` from `start`. With every
/// exercise done, the reference runs too, from the same start for as many steps.
///
/// # Errors
/// Those of [`run_with`] (a student's function that panics is reported by its panic).
pub fn fit_yours(fns: Fns, x: &[f64], start: &Params, steps: usize) -> Result<Fitted> {
    let (fns, done) = fns.or_reference();
    let run = run_with(&fns, x, start, steps)?;
    let reference = if done.iter().all(|&d| d) {
        Some(run_with(&Fns::reference(), x, start, steps)?)
    } else {
        None
    };
    Ok(Fitted {
        fns,
        done,
        run,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo_m_step(_: &Array1<f64>, _: &Array2<f64>) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
        todo!("exercise 6.3: implement `m_step`")
    }

    fn wide_responsibilities(
        x: &Array1<f64>,
        _: &Array1<f64>,
        _: &Array1<f64>,
        _: &Array1<f64>,
    ) -> Array2<f64> {
        Array2::from_elem((x.len(), 3), 1.0 / 3.0)
    }

    fn no_weights(x: &Array1<f64>, r: &Array2<f64>) -> (Array1<f64>, Array1<f64>, Array1<f64>) {
        let (_, mu, var) = crate::prob::em::m_step(x, r);
        (Array1::zeros(mu.len()), mu, var)
    }

    fn data() -> Vec<f64> {
        vec![-2.1, -1.9, -2.0, -2.2, 2.0, 2.1, 1.9, 1.8]
    }

    #[test]
    fn a_todo_function_is_replaced_and_a_finished_one_is_kept() -> Result<()> {
        let fns = Fns {
            m_step: todo_m_step,
            ..Fns::reference()
        };
        let (fns, done) = fns.or_reference();
        assert_eq!(done, [true, true, false]);
        let x = data();
        let run = run_with(&fns, &x, &Params::start(&x, 2, 0)?, 5)?;
        assert_eq!(run.steps.len(), 5);
        Ok(())
    }

    #[test]
    fn a_wrong_shape_is_named_with_its_exercise() -> Result<()> {
        let fns = Fns {
            responsibilities: wide_responsibilities,
            ..Fns::reference()
        };
        let x = data();
        let err = run_with(&fns, &x, &Params::start(&x, 2, 0)?, 1).unwrap_err();
        assert!(err.to_string().contains("exercise 6.2"), "{err}");
        assert!(err.to_string().contains("(8, 2)"), "{err}");
        Ok(())
    }

    #[test]
    fn an_m_step_without_weights_is_named_with_its_step_and_exercise() -> Result<()> {
        let fns = Fns {
            m_step: no_weights,
            ..Fns::reference()
        };
        let x = data();
        let err = run_with(&fns, &x, &Params::start(&x, 2, 0)?, 3).unwrap_err();
        assert!(err.to_string().contains("EM step 1"), "{err}");
        assert!(err.to_string().contains("exercise 6.3"), "{err}");
        Ok(())
    }

    #[test]
    fn with_every_piece_done_the_reference_runs_beside_it() -> Result<()> {
        let x = data();
        let fit = fit_yours(Fns::reference(), &x, &Params::start(&x, 2, 1)?, 10)?;
        assert!(fit.all_yours());
        let reference = fit.reference.as_ref().expect("a reference run");
        assert_eq!(reference.log_likelihood, fit.run.log_likelihood);
        assert!(fit.table().as_str().contains("reference, same start"));
        Ok(())
    }
}
