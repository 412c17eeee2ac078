//! Data augmentation for images stored as rows of `side × side` pixels.
//!
//! A classifier trained on 8,000 digits memorises them; showing it each digit moved by a
//! pixel or two is the cheapest way to teach it that a digit's identity does not depend
//! on where it sits (LeCun et al. 1998 used the same distortions).

use candle_core::Tensor;
use rand::Rng;
use rand::rngs::StdRng;

use crate::{Error, Result};

/// Moves every image of `images` `(n, side·side)` by its own random offset
/// `(dx, dy) ∈ [-max_shift, max_shift]²`, filling the uncovered border with 0.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let mut img = vec![0f32; 9];
/// img[4] = 1.0; // the centre pixel of a 3 × 3 image
/// let x = Tensor::from_vec(img, (1, 9), &Device::Cpu)?;
/// let mut rng = gmcourse::models::train::rng(0);
/// let moved = gmcourse::data::augment::shift(&x, 3, 1, &mut rng)?;
/// // the one bright pixel is still there, somewhere in the 3 × 3 window
/// assert_eq!(moved.sum_all()?.to_scalar::<f32>()?, 1.0);
/// assert!(gmcourse::data::augment::shift(&x, 4, 1, &mut rng).is_err());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn shift(images: &Tensor, side: usize, max_shift: usize, rng: &mut StdRng) -> Result<Tensor> {
    let (n, d) = images.dims2().map_err(|_| {
        Error::shape(
            "images",
            format!("(n, {}) rows of pixels", side * side),
            format!("{:?}", images.dims()),
        )
    })?;
    if d != side * side {
        return Err(Error::shape(
            "images",
            format!("(n, {}) for {side} × {side} images", side * side),
            format!("{:?}", images.dims()),
        ));
    }
    if max_shift >= side {
        return Err(Error::invalid(
            "max_shift",
            format!("fewer pixels than the image side ({side})"),
            max_shift,
        ));
    }
    if max_shift == 0 {
        return Ok(images.clone());
    }
    let src = images
        .to_dtype(candle_core::DType::F32)?
        .flatten_all()?
        .to_vec1::<f32>()?;
    let mut out = vec![0f32; n * d];
    let s = max_shift as i64;
    let side_i = side as i64;
    for (img, dst) in src.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
        let dx = rng.random_range(-s..=s);
        let dy = rng.random_range(-s..=s);
        for r in 0..side_i {
            let r_src = r - dy;
            if !(0..side_i).contains(&r_src) {
                continue;
            }
            // columns c with 0 <= c - dx < side
            let c0 = dx.max(0);
            let c1 = (side_i + dx).min(side_i);
            let to = (r * side_i + c0) as usize;
            let from = (r_src * side_i + c0 - dx) as usize;
            let len = (c1 - c0) as usize;
            dst[to..to + len].copy_from_slice(&img[from..from + len]);
        }
    }
    Ok(Tensor::from_vec(out, (n, d), images.device())?.to_dtype(images.dtype())?)
}
