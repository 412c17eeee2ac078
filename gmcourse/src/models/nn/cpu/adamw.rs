//! One AdamW update of one parameter in a single pass over `θ`, `m`, `v` and the gradient
//! `g`, compiled per instruction set (see [`super::vector`]) and split over the rayon
//! threads for large parameters:
//!
//! ```text
//! m ← β1 m + (1 - β1) g,      v ← β2 v + (1 - β2) g²
//! θ ← θ·decay - lr · (m·scale_m) / (√(v·scale_v) + ε)
//! ```
//!
//! with `decay = 1 - lr·λ`, `scale_m = 1 / (1 - β1^t)` and `scale_v = 1 / (1 - β2^t)` at
//! step `t` ([`crate::models::nn::FusedAdamW`] computes them).
//!
//! ```
//! use gmcourse::models::nn::cpu::{Isa, adamw};
//! let h = adamw::Hyper { lr: 0.1, decay: 1.0, beta1: 0.9, beta2: 0.999, scale_m: 10.0, scale_v: 1000.0, eps: 0.0 };
//! let (mut theta, mut m, mut v) = ([1f32], [0f32], [0f32]);
//! adamw::step_with(Isa::Portable, &h, &mut theta, &mut m, &mut v, &[2.0])?;
//! // first step: m̂ = g, v̂ = g², so θ moves by lr·sign(g)
//! assert!((theta[0] - 0.9).abs() < 1e-6);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use rayon::prelude::*;

use super::Isa;
use super::vector::{madd, multiversion};
use crate::{Error, Result};

/// Parameters at least this long are updated by all rayon threads, a share each.
const PARALLEL_LEN: usize = 1 << 16;

/// The constants of one update.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    /// The learning rate `lr`.
    pub lr: f32,
    /// `1 - lr·λ`, the decoupled weight decay.
    pub decay: f32,
    /// `β1`.
    pub beta1: f32,
    /// `β2`.
    pub beta2: f32,
    /// `1 / (1 - β1^t)`.
    pub scale_m: f32,
    /// `1 / (1 - β2^t)`.
    pub scale_v: f32,
    /// `ε`.
    pub eps: f32,
}

/// One update on the detected path.
///
/// # Errors
/// [`Error::Shape`] unless the four slices have the same length.
pub fn step(h: &Hyper, theta: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32]) -> Result<()> {
    step_with(Isa::detected(), h, theta, m, v, g)
}

/// [`step`] on the given path.
///
/// # Errors
/// As [`step`], and [`Error::InvalidArgument`] when this CPU cannot run `isa`.
pub fn step_with(
    isa: Isa,
    h: &Hyper,
    theta: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
) -> Result<()> {
    isa.check()?;
    let n = theta.len();
    if m.len() != n || v.len() != n || g.len() != n {
        return Err(Error::shape(
            "AdamW step",
            format!("theta, m, v and g of {n} values each"),
            format!("{}, {}, {}", m.len(), v.len(), g.len()),
        ));
    }
    let threads = super::threads::count();
    if n < PARALLEL_LEN || threads < 2 {
        chunk(isa, h, theta, m, v, g);
    } else {
        let size = n.div_ceil(threads).next_multiple_of(64);
        theta
            .par_chunks_mut(size)
            .zip(m.par_chunks_mut(size))
            .zip(v.par_chunks_mut(size))
            .zip(g.par_chunks(size))
            .for_each(|(((t, m), v), g)| chunk(isa, h, t, m, v, g));
    }
    Ok(())
}

fn chunk(isa: Isa, h: &Hyper, theta: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32]) {
    multiversion!(isa, fn(h: &Hyper, theta: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32]) -> () {
        let (b1, b2) = (h.beta1, h.beta2);
        for (((t, m), v), &g) in theta.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g) {
            let m1 = madd::<FMA>(b1, *m, (1.0 - b1) * g);
            let v1 = madd::<FMA>(b2, *v, (1.0 - b2) * g * g);
            *m = m1;
            *v = v1;
            *t = *t * h.decay - h.lr * (m1 * h.scale_m) / ((v1 * h.scale_v).sqrt() + h.eps);
        }
    })
}
