//! Bayes' rule: `P(x | y) = P(y | x) P(x) / P(y)`.
//!
//! Over a set of hypotheses x_1..x_m with prior `P(x_k)` and likelihood `P(y | x_k)`,
//! the evidence is `P(y) = Σ_k P(y | x_k) P(x_k)` and the posterior is
//! `P(x_k | y) = P(y | x_k) P(x_k) / P(y)`.
//!
//! Source: seed notes \[000\] and \[001\], curriculum B5 and F6 (the posterior is
//! likelihood × prior, normalised; MAP picks its largest entry).
//!
//! ```
//! // A test that is 90 % sensitive, 5 % false-positive, for a 1 % condition:
//! use ndarray::array;
//! let posterior = gmcourse::prob::bayes_posterior(&array![0.01, 0.99], &array![0.9, 0.05])?;
//! gmcourse::testing::assert_close(posterior[0], 0.009 / (0.009 + 0.0495), 1e-12);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::Array1;

use crate::check;
use crate::{Error, Result};

/// `P(x | y) = P(y | x) P(x) / P(y)`.
///
/// # Errors
/// If an argument is not a probability, if `P(y) = 0`, or if `P(y | x) P(x) > P(y)` (the
/// three numbers cannot come from one distribution).
///
/// ```
/// // Die and coin (curriculum B3): P(x = 3 | H) = (1/2)(1/6) / (1/2) = 1/6.
/// let p = gmcourse::prob::bayes(0.5, 1.0 / 6.0, 0.5)?;
/// gmcourse::testing::assert_close(p, 1.0 / 6.0, 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bayes(p_y_given_x: f64, p_x: f64, p_y: f64) -> Result<f64> {
    check::probability("P(y|x)", p_y_given_x)?;
    check::probability("P(x)", p_x)?;
    check::probability("P(y)", p_y)?;
    if p_y == 0.0 {
        return Err(Error::invalid("P(y)", "P(y) > 0 to condition on y", p_y));
    }
    let p_x_given_y = p_y_given_x * p_x / p_y;
    if p_x_given_y > 1.0 + check::SUM_TOL {
        return Err(Error::invalid(
            "bayes",
            "P(y|x) P(x) <= P(y), since P(x, y) cannot exceed P(y)",
            format!("P(y|x) P(x) = {} and P(y) = {p_y}", p_y_given_x * p_x),
        ));
    }
    Ok(p_x_given_y.min(1.0))
}

/// The posterior over hypotheses, `P(x_k | y) ∝ P(y | x_k) P(x_k)`, normalised.
///
/// `prior` is a PMF over the hypotheses; `likelihood[k] = P(y | x_k)` is any finite
/// non-negative number (a probability, or a density for a continuous y).
///
/// # Errors
/// If the prior is not a PMF, the lengths differ, a likelihood is NaN or negative, or the
/// evidence `Σ_k P(y | x_k) P(x_k)` is 0.
///
/// ```
/// // Which coin did we flip? Fair (P(H) = 0.5) or biased (P(H) = 0.9); we saw H.
/// use ndarray::array;
/// let posterior = gmcourse::prob::bayes_posterior(&array![0.5, 0.5], &array![0.5, 0.9])?;
/// gmcourse::testing::assert_all_close(&posterior.to_vec(), &[0.5 / 1.4, 0.9 / 1.4], 1e-15);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bayes_posterior(prior: &Array1<f64>, likelihood: &Array1<f64>) -> Result<Array1<f64>> {
    check::pmf("prior", prior)?;
    check::same_len(
        "likelihood (one per hypothesis in the prior)",
        prior.len(),
        likelihood.len(),
    )?;
    for (k, &l) in likelihood.iter().enumerate() {
        check::non_negative(&format!("likelihood[{k}]"), l)?;
    }
    let joint = prior * likelihood;
    let evidence = joint.sum();
    if evidence <= 0.0 {
        return Err(Error::invalid(
            "evidence P(y) = Σ likelihood × prior",
            "a positive number (some hypothesis must explain y)",
            evidence,
        ));
    }
    Ok(joint / evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prob::JointTable;
    use crate::testing::{assert_all_close, assert_close};
    use ndarray::array;

    #[test]
    fn bayes_agrees_with_conditioning_the_joint_table() {
        let t = JointTable::new(&["a", "b"], &["u", "v"], array![[0.1, 0.3], [0.4, 0.2]]).unwrap();
        let (p_x, p_y) = (t.marginal_x(), t.marginal_y());
        let p_y_given_x = t.conditional_y_given_x(0).unwrap()[1];
        let direct = t.conditional_x_given_y(1).unwrap()[0];
        assert_close(bayes(p_y_given_x, p_x[0], p_y[1]).unwrap(), direct, 1e-15);
    }

    #[test]
    fn a_rare_condition_stays_unlikely_after_a_positive_test() {
        // Prior 1 %, sensitivity 90 %, false positives 5 %: posterior 0.009 / 0.0585.
        let posterior = bayes_posterior(&array![0.01, 0.99], &array![0.9, 0.05]).unwrap();
        assert_close(posterior[0], 0.153_846_153_846, 1e-9);
        assert_close(posterior.sum(), 1.0, 1e-15);
    }

    #[test]
    fn density_likelihoods_above_one_are_accepted() {
        let posterior = bayes_posterior(&array![0.5, 0.5], &array![3.0, 1.0]).unwrap();
        assert_all_close(&posterior.to_vec(), &[0.75, 0.25], 1e-15);
    }

    #[test]
    fn inconsistent_probabilities_are_rejected() {
        let msg = bayes(0.9, 0.9, 0.1).unwrap_err().to_string();
        assert!(msg.contains("cannot exceed"), "{msg}");
        assert!(bayes(0.5, 0.5, 0.0).is_err());
        assert!(bayes(f64::NAN, 0.5, 0.5).is_err());
    }

    #[test]
    fn a_posterior_needs_matching_lengths_and_positive_evidence() {
        let half = array![0.5, 0.5];
        assert!(matches!(
            bayes_posterior(&half, &array![1.0]),
            Err(Error::Shape { .. })
        ));
        assert!(bayes_posterior(&half, &array![0.0, 0.0]).is_err());
        assert!(bayes_posterior(&half, &array![-1.0, 1.0]).is_err());
        assert!(bayes_posterior(&array![0.5, 0.6], &array![1.0, 1.0]).is_err());
    }
}
