//! Binary cross-entropy of logits, the loss of every Bernoulli-pixel model here, compiled
//! per instruction set (see [`super::vector`]): per row `Σ_i softplus(l_i) - x_i l_i` with
//! `softplus(l) = max(l, 0) + ln(1 + e^{-|l|})`, and its gradient `∂/∂l = g (σ(l) - x)`.
//! [`crate::models::nn::bce_with_logits_sum`] is the tensor operation on top.
//!
//! ```
//! use gmcourse::models::nn::cpu::{Isa, bce};
//! let mut sums = [0f32; 1];
//! bce::forward_with(Isa::Portable, &[0.0, 0.0], &[1.0, 0.0], 2, &mut sums)?;
//! assert!((sums[0] - 2.0 * 2f32.ln()).abs() < 1e-6);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::Isa;
use super::vector::{exp, ln_1p_unit, multiversion};
use crate::{Error, Result};

fn check(l: usize, x: usize, cols: usize, rows: usize, what: &str) -> Result<()> {
    if cols == 0 || l != x || l != rows * cols {
        return Err(Error::shape(
            what,
            format!("logits and targets of {rows} rows × {cols}"),
            format!("{l} and {x} values"),
        ));
    }
    Ok(())
}

/// `sums[r] = Σ_i softplus(l[r, i]) - x[r, i] l[r, i]` over rows of `cols` values.
///
/// # Errors
/// [`Error::Shape`] unless `l`, `x` hold `sums.len()` rows of `cols` values.
pub fn forward(l: &[f32], x: &[f32], cols: usize, sums: &mut [f32]) -> Result<()> {
    forward_with(Isa::detected(), l, x, cols, sums)
}

/// [`forward`] on the given path.
///
/// # Errors
/// As [`forward`], and [`Error::InvalidArgument`] when this CPU cannot run `isa`.
pub fn forward_with(isa: Isa, l: &[f32], x: &[f32], cols: usize, sums: &mut [f32]) -> Result<()> {
    isa.check()?;
    check(l.len(), x.len(), cols, sums.len(), "BCE forward")?;
    multiversion!(isa, fn(l: &[f32], x: &[f32], cols: usize, sums: &mut [f32]) -> () {
        const L: usize = 16;
        for ((l, x), s) in l.chunks_exact(cols).zip(x.chunks_exact(cols)).zip(sums.iter_mut()) {
            let mut acc = [0f32; L];
            let (lc, xc) = (l.chunks_exact(L), x.chunks_exact(L));
            let (lr, xr) = (lc.remainder(), xc.remainder());
            for (l, x) in lc.zip(xc) {
                for j in 0..L {
                    let t = l[j].max(0.0) + ln_1p_unit::<FMA>(exp::<FMA>(-l[j].abs()));
                    acc[j] += t - x[j] * l[j];
                }
            }
            for (j, (&l, &x)) in lr.iter().zip(xr).enumerate() {
                acc[j] += l.max(0.0) + ln_1p_unit::<FMA>(exp::<FMA>(-l.abs())) - x * l;
            }
            *s = acc.iter().sum();
        }
    });
    Ok(())
}

/// `dl[r, i] = g[r] (σ(l[r, i]) - x[r, i])`.
///
/// # Errors
/// [`Error::Shape`] unless `l`, `x` and `dl` hold `g.len()` rows of `cols` values.
pub fn backward(l: &[f32], x: &[f32], g: &[f32], cols: usize, dl: &mut [f32]) -> Result<()> {
    backward_with(Isa::detected(), l, x, g, cols, dl)
}

/// [`backward`] on the given path.
///
/// # Errors
/// As [`backward`], and [`Error::InvalidArgument`] when this CPU cannot run `isa`.
pub fn backward_with(
    isa: Isa,
    l: &[f32],
    x: &[f32],
    g: &[f32],
    cols: usize,
    dl: &mut [f32],
) -> Result<()> {
    isa.check()?;
    check(l.len(), x.len(), cols, g.len(), "BCE backward")?;
    check(l.len(), dl.len(), cols, g.len(), "BCE gradient")?;
    multiversion!(isa, fn(l: &[f32], x: &[f32], g: &[f32], cols: usize, dl: &mut [f32]) -> () {
        let rows = l.chunks_exact(cols).zip(x.chunks_exact(cols)).zip(dl.chunks_exact_mut(cols));
        for (((l, x), dl), &g) in rows.zip(g) {
            for ((d, &l), &x) in dl.iter_mut().zip(l).zip(x) {
                *d = g * (1.0 / (1.0 + exp::<FMA>(-l)) - x);
            }
        }
    });
    Ok(())
}
