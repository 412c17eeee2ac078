//! NADE's recursion for one image, forward and backward, compiled per instruction set
//! (see [`super::vector`]). `models::nade` runs it over the rows of a batch.
//!
//! With `x_shift` and `w_shift` as in `models::nade` (`a_i = Σ_{j<=i} w[j] x[j]`, `w` is
//! `(D, H)` row-major, `v` is `(D, H)`):
//!
//! ```text
//! forward    out_i = V_i · σ(a_i)
//! backward   ∂V_i += g_i σ(a_i),   ∂a_i = g_i V_i ⊙ σ(a_i) ⊙ (1 - σ(a_i)),
//!            ∂w_i += x_i Σ_{k>=i} ∂a_k        (the pixels walked in reverse, a_i recovered
//!                                               by subtracting w_i x_i again)
//! ```
//!
//! ```
//! use gmcourse::models::nn::cpu::{Isa, nade};
//! // D = 2 pixels, H = 1 hidden unit: a_0 = w_0 x_0 = 0, a_1 = 0 + 2·1 = 2
//! let (x, w, v) = ([0f32, 1.], [5f32, 2.], [1f32, 1.]);
//! let mut out = [0f32; 2];
//! nade::forward_row(Isa::Portable, &x, &w, &v, &mut out)?;
//! assert!((out[0] - 0.5).abs() < 1e-6 && (out[1] - 1.0 / (1.0 + (-2f32).exp())).abs() < 1e-6);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::Isa;
use super::vector::{axpy_body, dot_body, madd, multiversion, sigmoid_body};
use crate::{Error, Result};

/// Checks the shapes of one row: `x` `(D)`, `w` and `v` `(D, H)` with `H >= 1`; returns H.
fn hidden(x: &[f32], w: &[f32], v: &[f32]) -> Result<usize> {
    let d = x.len();
    if d == 0 || w.len() % d != 0 || w.len() == 0 || v.len() != w.len() {
        return Err(Error::shape(
            "NADE row kernel",
            format!("x (D), w and v (D, H) with D = {d}"),
            format!("w {} and v {} values", w.len(), v.len()),
        ));
    }
    Ok(w.len() / d)
}

/// `out_i = V_i · σ(a_i)` for one image `x` (`out` has `D` values).
///
/// # Errors
/// [`Error::InvalidArgument`] when this CPU cannot run `isa`, [`Error::Shape`] for lengths
/// that do not fit.
pub fn forward_row(isa: Isa, x: &[f32], w: &[f32], v: &[f32], out: &mut [f32]) -> Result<()> {
    isa.check()?;
    let h = hidden(x, w, v)?;
    if out.len() != x.len() {
        return Err(Error::shape(
            "NADE row output",
            format!("{} values", x.len()),
            out.len(),
        ));
    }
    multiversion!(isa, fn(x: &[f32], w: &[f32], v: &[f32], out: &mut [f32], h: usize) -> () {
        let mut a = vec![0f32; h];
        let mut hid = vec![0f32; h];
        for (i, (&xi, o)) in x.iter().zip(out.iter_mut()).enumerate() {
            if xi != 0.0 {
                axpy_body::<FMA>(xi, &w[i * h..(i + 1) * h], &mut a);
            }
            sigmoid_body::<FMA>(&a, &mut hid);
            *o = dot_body::<FMA>(&v[i * h..(i + 1) * h], &hid);
        }
    });
    Ok(())
}

/// Adds one image's gradients to `dw` and `dv` (`(D, H)` each), given `g_i = ∂L/∂out_i`.
///
/// # Errors
/// As [`forward_row`].
pub fn backward_row(
    isa: Isa,
    x: &[f32],
    g: &[f32],
    w: &[f32],
    v: &[f32],
    dw: &mut [f32],
    dv: &mut [f32],
) -> Result<()> {
    isa.check()?;
    let h = hidden(x, w, v)?;
    if g.len() != x.len() || dw.len() != w.len() || dv.len() != w.len() {
        return Err(Error::shape(
            "NADE row gradients",
            format!("g ({}), dw and dv ({})", x.len(), w.len()),
            format!("{}, {} and {}", g.len(), dw.len(), dv.len()),
        ));
    }
    multiversion!(isa, fn(x: &[f32], g: &[f32], w: &[f32], v: &[f32], dw: &mut [f32], dv: &mut [f32], h: usize) -> () {
        let mut a = vec![0f32; h];
        let mut hid = vec![0f32; h];
        let mut acc = vec![0f32; h];
        for (i, &xi) in x.iter().enumerate() {
            if xi != 0.0 {
                axpy_body::<FMA>(xi, &w[i * h..(i + 1) * h], &mut a);
            }
        }
        for i in (0..x.len()).rev() {
            // here a = a_i; hid = σ(a_i)
            sigmoid_body::<FMA>(&a, &mut hid);
            let gi = g[i];
            let rows = i * h..(i + 1) * h;
            for ((dv, acc), (&s, &vk)) in dv[rows.clone()]
                .iter_mut()
                .zip(acc.iter_mut())
                .zip(hid.iter().zip(&v[rows.clone()]))
            {
                *dv = madd::<FMA>(gi, s, *dv);
                *acc = madd::<FMA>(gi * vk, s * (1.0 - s), *acc);
            }
            let xi = x[i];
            if xi != 0.0 {
                axpy_body::<FMA>(xi, &acc, &mut dw[rows.clone()]);
                axpy_body::<FMA>(-xi, &w[rows], &mut a);
            }
        }
    });
    Ok(())
}
