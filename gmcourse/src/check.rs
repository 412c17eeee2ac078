//! Input checks for the whole crate (`prob`, `info`, `data`, `models`, `plot`), so every
//! function rejects bad input with the same message: `what: expected …, got …`
//! ([`Error::InvalidArgument`]) or `shape mismatch in what: …` ([`Error::Shape`]), naming
//! the first bad index where there is one.

use candle_core::{DType, Tensor};
use ndarray::{ArrayBase, ArrayView1, Dimension, RawData};

use crate::{Error, Result};

/// How far `Σ p` may be from 1 before a PMF is rejected.
pub(crate) const SUM_TOL: f64 = 1e-9;

/// `p` must be a finite number in `[0, 1]`.
pub(crate) fn probability(what: &str, p: f64) -> Result<()> {
    if p.is_finite() && (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(Error::invalid(what, "a probability in [0, 1]", p))
    }
}

/// `x` must be a finite number, `>= 0`.
pub(crate) fn non_negative(what: &str, x: f64) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(what, "a finite number >= 0", x))
    }
}

/// `x` must be a finite number, `> 0`.
pub(crate) fn positive(what: &str, x: f64) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(what, "a finite number > 0", x))
    }
}

/// `x` must be finite (not NaN, not ±inf).
pub(crate) fn finite(what: &str, x: f64) -> Result<()> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(what, "a finite number", x))
    }
}

/// Every `xs[i]` must be finite; the error names the first that is not, as `what[i]`.
/// `xs` is a slice, a `Vec` or an ndarray array or view.
pub(crate) fn all_finite<'a>(what: &str, xs: impl Into<ArrayView1<'a, f64>>) -> Result<()> {
    let xs = xs.into();
    match xs.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(i) => Err(Error::invalid(
            format!("{what}[{i}]"),
            "a finite number",
            xs[i],
        )),
    }
}

/// `sigma` must be a standard deviation: finite and `>= 0` (0 is a point mass).
pub(crate) fn std_dev(what: &str, sigma: f64) -> Result<()> {
    if sigma.is_finite() && sigma >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "a finite standard deviation >= 0",
            sigma,
        ))
    }
}

/// A count (of modes, components, steps) must be at least `min`.
pub(crate) fn at_least(what: &str, n: usize, min: usize) -> Result<()> {
    if n >= min {
        Ok(())
    } else {
        Err(Error::invalid(what, format!("at least {min}"), n))
    }
}

/// Every size of a model's configuration `cfg` must be at least 1; the error shows the
/// whole configuration.
pub(crate) fn sizes(what: &str, sizes: &[usize], cfg: &impl std::fmt::Debug) -> Result<()> {
    if sizes.contains(&0) {
        Err(Error::invalid(what, "all sizes >= 1", format!("{cfg:?}")))
    } else {
        Ok(())
    }
}

/// `xs` must not be empty.
pub(crate) fn not_empty<T>(what: &str, xs: &[T]) -> Result<()> {
    if xs.is_empty() {
        Err(Error::invalid(what, "at least one value", "an empty slice"))
    } else {
        Ok(())
    }
}

/// An ndarray array or view must not be empty (no row, no column, no value).
pub(crate) fn not_empty_array<S: RawData, D: Dimension>(
    what: &str,
    xs: &ArrayBase<S, D>,
) -> Result<()> {
    if xs.is_empty() {
        let got = format!("an empty array of shape {:?}", xs.shape());
        Err(Error::invalid(what, "at least one value", got))
    } else {
        Ok(())
    }
}

/// `p` must be a PMF: non-empty, every entry finite and `>= 0`, summing to 1 within
/// [`SUM_TOL`]. `p` is a slice, a `Vec` or an ndarray array or view (a row of a table).
pub(crate) fn pmf<'a>(what: &str, p: impl Into<ArrayView1<'a, f64>>) -> Result<()> {
    let p = p.into();
    not_empty_array(what, &p)?;
    for (i, &p_i) in p.iter().enumerate() {
        probability(&format!("{what}[{i}]"), p_i)?;
    }
    sums_to_one(what, p.sum())
}

/// `p` and `q` must both be PMFs ([`pmf`]) over the same outcomes (the same length), as
/// every divergence between two distributions needs.
pub(crate) fn pmf_pair(
    p_name: &str,
    p: ArrayView1<'_, f64>,
    q_name: &str,
    q: ArrayView1<'_, f64>,
) -> Result<()> {
    pmf(p_name, p)?;
    pmf(q_name, q)?;
    same_len(
        &format!("{q_name} (the same outcomes as {p_name})"),
        p.len(),
        q.len(),
    )
}

/// The total of a PMF or table must be 1 within [`SUM_TOL`].
pub(crate) fn sums_to_one(what: &str, sum: f64) -> Result<()> {
    if (sum - 1.0).abs() <= SUM_TOL {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            "probabilities summing to 1 (within 1e-9); divide by the sum, or build from counts",
            format!("a sum of {sum}"),
        ))
    }
}

/// Two slices that must have the same length.
pub(crate) fn same_len(what: &str, a: usize, b: usize) -> Result<()> {
    if a == b {
        Ok(())
    } else {
        Err(Error::shape(
            what,
            format!("{a} entries (the length of the first argument)"),
            format!("{b}"),
        ))
    }
}

/// `x` must be a `(batch, cols)` f32 tensor with `batch >= 1`; returns `batch`.
pub(crate) fn matrix(x: &Tensor, what: &str, cols: usize) -> Result<usize> {
    let dims = x.dims();
    if dims.len() != 2 || dims[1] != cols || dims[0] == 0 {
        return Err(Error::shape(
            what,
            format!("(batch, {cols}) with batch >= 1"),
            format!("{dims:?}"),
        ));
    }
    if x.dtype() != DType::F32 {
        return Err(Error::invalid(
            what,
            "dtype f32",
            format!("{:?}", x.dtype()),
        ));
    }
    Ok(dims[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pmf_that_sums_to_point_nine_is_rejected_with_its_sum() {
        let msg = pmf("p", &[0.5, 0.4]).unwrap_err().to_string();
        assert!(msg.contains("a sum of 0.9"), "{msg}");
        assert!(msg.contains("summing to 1"), "{msg}");
    }

    #[test]
    fn a_pmf_with_a_nan_names_the_bad_index() {
        let msg = pmf("p", &[0.5, f64::NAN, 0.5]).unwrap_err().to_string();
        assert!(msg.contains("p[1]") && msg.contains("NaN"), "{msg}");
    }

    #[test]
    fn an_empty_pmf_is_rejected() {
        let msg = pmf("p", &[]).unwrap_err().to_string();
        assert!(msg.contains("empty"), "{msg}");
    }

    #[test]
    fn a_pmf_off_by_less_than_the_tolerance_is_accepted() {
        assert!(pmf("p", &[0.5, 0.5 + 1e-10]).is_ok());
    }

    #[test]
    fn a_matrix_of_the_wrong_width_or_dtype_is_refused() {
        use candle_core::Device;
        let x = Tensor::zeros((2, 3), DType::F32, &Device::Cpu).unwrap();
        assert_eq!(matrix(&x, "x", 3).unwrap(), 2);
        assert!(matrix(&x, "x", 784).is_err());
        let x64 = Tensor::zeros((2, 3), DType::F64, &Device::Cpu).unwrap();
        assert!(matrix(&x64, "x", 3).is_err());
    }

    #[test]
    fn the_first_non_finite_value_is_named_by_its_index() {
        let msg = all_finite("xs", &[0.0, 1.0, f64::INFINITY, f64::NAN])
            .unwrap_err()
            .to_string();
        assert_eq!(msg, "xs[2]: expected a finite number, got inf");
    }
}
