//! Vector loops, written once in plain Rust and compiled once per instruction set: each
//! public function runs the same `#[inline(always)]` body inside a function built with
//! `#[target_feature(enable = "avx512f")]`, `"avx2,fma"` or nothing (portable, and NEON on
//! aarch64), and the compiler vectorises it for that set (16, 8 or 4 lanes; with fused
//! multiply-adds where the set has them). NADE's recursion ([`super::nade`]) is built from these bodies.
//!
//! ```
//! use gmcourse::models::nn::cpu::{Isa, vector};
//! let (a, b) = ([1f32, 2., 3.], [4f32, 5., 6.]);
//! for isa in Isa::supported() {
//!     assert_eq!(vector::dot_with(isa, &a, &b)?, 32.0);
//! }
//! let mut s = [0f32; 1];
//! vector::sigmoid(&[0.0], &mut s);
//! assert_eq!(s, [0.5]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use super::Isa;
use crate::{Error, Result};

/// `a·b + c`, fused when the instruction set has FMA (`FMA = true` only inside functions
/// built with it: without the instruction `mul_add` is a slow library call).
#[inline(always)]
pub(super) fn madd<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
    if FMA { a.mul_add(b, c) } else { a * b + c }
}

/// `y += alpha·x`.
#[inline(always)]
pub(super) fn axpy_body<const FMA: bool>(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y = madd::<FMA>(alpha, x, *y);
    }
}

/// `Σ a_k b_k`, in 32 partial sums so that the loop vectorises at any width.
#[inline(always)]
pub(super) fn dot_body<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    const L: usize = 32;
    let n = a.len().min(b.len());
    let mut acc = [0f32; L];
    let (ac, bc) = (a[..n].chunks_exact(L), b[..n].chunks_exact(L));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (a, b) in ac.zip(bc) {
        for j in 0..L {
            acc[j] = madd::<FMA>(a[j], b[j], acc[j]);
        }
    }
    for (j, (&a, &b)) in ar.iter().zip(br).enumerate() {
        acc[j] = madd::<FMA>(a, b, acc[j]);
    }
    // pairwise, the same order at every width
    let mut w = L;
    while w > 1 {
        w /= 2;
        for j in 0..w {
            acc[j] += acc[j + w];
        }
    }
    acc[0]
}

/// `out = σ(a)`.
#[inline(always)]
pub(super) fn sigmoid_body<const FMA: bool>(a: &[f32], out: &mut [f32]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = 1.0 / (1.0 + exp::<FMA>(-x));
    }
}

/// `e^x` with a vectorisable body (Cephes-style: `2^n · e^f`, `|f| <= ln 2 / 2`, Taylor to
/// degree 6; relative error about 2e-7). Inputs are clamped to `[-87, 88]`.
#[inline(always)]
pub(super) fn exp<const FMA: bool>(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let t = x * std::f32::consts::LOG2_E;
    // round to nearest with the 1.5·2^23 trick (vectorises without SSE4.1)
    let n = (t + 12_582_912.0) - 12_582_912.0;
    // f = x - n·ln2, with ln2 split in two (Cody–Waite) so that f keeps its precision
    let f = madd::<FMA>(n, 2.121_944_4e-4, madd::<FMA>(n, -0.693_359_4, x));
    let mut p = 1.0 / 720.0;
    for c in [1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0] {
        p = madd::<FMA>(p, f, c);
    }
    let bits = ((n as i32 + 127) << 23) as u32;
    p * f32::from_bits(bits)
}

/// `ln(1 + y)` for `y` in `[0, 1]` with a vectorisable body (Cephes `logf`: `1 + y = 2^e m`
/// with `m` in `[1/√2, √2)`, a degree-9 polynomial in `m - 1`, which is formed exactly from
/// `y`; relative error about 1e-7, and `y` itself for tiny `y`).
#[inline(always)]
pub(super) fn ln_1p_unit<const FMA: bool>(y: f32) -> f32 {
    // 1 + y > √2: m = (1 + y) / 2, e = 1
    let big = y > std::f32::consts::SQRT_2 - 1.0;
    let t = if big { (y - 1.0) * 0.5 } else { y };
    let e = if big { 1.0 } else { 0.0 };
    let z = t * t;
    let mut p = 7.037_683_6e-2;
    for c in [
        -1.151_461e-1,
        1.167_699_9e-1,
        -1.242_014_1e-1,
        1.424_932_3e-1,
        -1.666_805_8e-1,
        2.000_071_4e-1,
        -2.499_999_4e-1,
        3.333_333_1e-1,
    ] {
        p = madd::<FMA>(p, t, c);
    }
    let mut r = p * t * z;
    r = madd::<FMA>(e, -2.121_944_4e-4, r);
    r = madd::<FMA>(-0.5, z, r);
    madd::<FMA>(e, 0.693_359_4, t + r)
}

/// Runs `$body::<FMA>($args)` compiled for `$isa`: the one dispatch of this module and of
/// [`super::nade`] and [`super::adamw`]. The caller has checked that the CPU runs `$isa`.
macro_rules! multiversion {
    ($isa:expr, fn($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {{
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx512f")]
        fn avx512($($arg: $ty),*) -> $ret {
            const FMA: bool = true;
            $body
        }
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        fn avx2($($arg: $ty),*) -> $ret {
            const FMA: bool = true;
            $body
        }
        #[cfg(target_arch = "aarch64")]
        fn neon($($arg: $ty),*) -> $ret {
            const FMA: bool = true;
            $body
        }
        fn portable($($arg: $ty),*) -> $ret {
            const FMA: bool = false;
            $body
        }
        match $isa {
            // SAFETY: the caller checked that this CPU runs the path.
            #[cfg(target_arch = "x86_64")]
            $crate::models::nn::cpu::Isa::Avx512 => unsafe { avx512($($arg),*) },
            // SAFETY: as above.
            #[cfg(target_arch = "x86_64")]
            $crate::models::nn::cpu::Isa::Avx2 => unsafe { avx2($($arg),*) },
            #[cfg(target_arch = "aarch64")]
            $crate::models::nn::cpu::Isa::Neon => neon($($arg),*),
            _ => portable($($arg),*),
        }
    }};
}
pub(super) use multiversion;

fn same_len(what: &str, a: usize, b: usize) -> Result<()> {
    if a == b {
        Ok(())
    } else {
        Err(Error::shape(what, format!("{a} values, as the first"), b))
    }
}

/// `y += alpha·x` on the detected path (lengths must agree; not checked here, the shorter
/// wins: this is the inner loop of NADE's sampler).
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    let isa = Isa::detected();
    multiversion!(isa, fn(alpha: f32, x: &[f32], y: &mut [f32]) -> () {
        axpy_body::<FMA>(alpha, x, y)
    })
}

/// `Σ a_k b_k` on the detected path (the shorter length wins).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let isa = Isa::detected();
    multiversion!(isa, fn(a: &[f32], b: &[f32]) -> f32 { dot_body::<FMA>(a, b) })
}

/// `out = σ(a)` on the detected path (the shorter length wins).
pub fn sigmoid(a: &[f32], out: &mut [f32]) {
    let isa = Isa::detected();
    multiversion!(isa, fn(a: &[f32], out: &mut [f32]) -> () { sigmoid_body::<FMA>(a, out) })
}

/// [`dot`] on the given path.
///
/// # Errors
/// [`Error::InvalidArgument`] when this CPU cannot run `isa`, [`Error::Shape`] when the
/// lengths differ.
pub fn dot_with(isa: Isa, a: &[f32], b: &[f32]) -> Result<f32> {
    isa.check()?;
    same_len("dot b", a.len(), b.len())?;
    Ok(multiversion!(isa, fn(a: &[f32], b: &[f32]) -> f32 { dot_body::<FMA>(a, b) }))
}

/// [`sigmoid`] on the given path.
///
/// # Errors
/// As [`dot_with`].
pub fn sigmoid_with(isa: Isa, a: &[f32], out: &mut [f32]) -> Result<()> {
    isa.check()?;
    same_len("sigmoid out", a.len(), out.len())?;
    multiversion!(isa, fn(a: &[f32], out: &mut [f32]) -> () { sigmoid_body::<FMA>(a, out) });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_1p_matches_std_on_every_path() {
        for isa in Isa::supported() {
            let ys: Vec<f32> = (0..=20_000)
                .map(|k| k as f32 / 20_000.0)
                .chain((1..40).map(|k| 2f32.powi(-k)))
                .collect();
            let mut out = vec![0f32; ys.len()];
            let (ys, out) = (&ys[..], &mut out[..]);
            multiversion!(isa, fn(ys: &[f32], out: &mut [f32]) -> () {
                for (o, &y) in out.iter_mut().zip(ys) {
                    *o = ln_1p_unit::<FMA>(y);
                }
            });
            for (&y, &l) in ys.iter().zip(out.iter()) {
                let want = (y as f64).ln_1p();
                let rel = (l as f64 - want).abs() / want.max(1e-38);
                assert!(
                    rel < 3e-7,
                    "{}: y = {y}: {l} vs {want}, rel err {rel}",
                    isa.name()
                );
            }
        }
    }

    #[test]
    fn exp_matches_std_exp_on_every_path() {
        for isa in Isa::supported() {
            let xs: Vec<f32> = (-800..800).map(|k| k as f32 * 0.1).collect();
            let mut out = vec![0f32; xs.len()];
            let (xs, out) = (&xs[..], &mut out[..]);
            multiversion!(isa, fn(xs: &[f32], out: &mut [f32]) -> () {
                for (o, &x) in out.iter_mut().zip(xs) {
                    *o = exp::<FMA>(x);
                }
            });
            for (&x, &e) in xs.iter().zip(out.iter()) {
                let rel = (e - x.exp()).abs() / x.exp();
                assert!(rel < 1e-6, "{}: x = {x}: rel err {rel}", isa.name());
            }
        }
    }
}
