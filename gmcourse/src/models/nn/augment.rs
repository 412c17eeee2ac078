//! Differentiable augmentation (Zhao et al., *Differentiable Augmentation for Data-Efficient
//! GAN Training*, NeurIPS 2020): the discriminator sees every image, real or fake, shifted by
//! a random offset. A discriminator trained on a few thousand digits otherwise learns them
//! by heart, and its verdicts stop teaching the generator anything but those digits. The
//! shift is one gather, so the generator's gradient flows back through it.

use candle_core::{DType, Tensor};
use rand::Rng;
use rand::rngs::StdRng;

use crate::{Error, Result};

/// Each `side × side` image (a row of `x` `(n, side²)`) moved by its own offset
/// `(dy, dx)`, both drawn uniformly from `−max_shift ..= max_shift` by `rng`; pixels moved
/// in from outside are 0 (the background of the course's digits).
///
/// ```
/// use candle_core::{Device, Tensor};
/// use gmcourse::models::nn::augment::translate;
/// let x = Tensor::new(&[[0f32, 0., 0., 0., 1., 0., 0., 0., 0.]], &Device::Cpu)?; // 3×3, a dot in the middle
/// let mut rng = gmcourse::models::train::rng(0);
/// let y = translate(&x, 3, 1, &mut rng)?.to_vec2::<f32>()?;
/// assert_eq!(y[0].iter().sum::<f32>(), 1.0); // the dot moved by at most one pixel, kept whole
/// assert_eq!(translate(&x, 3, 0, &mut rng)?.to_vec2::<f32>()?, x.to_vec2::<f32>()?);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// [`Error::Shape`] when the rows of `x` are not `side²` pixels.
pub fn translate(x: &Tensor, side: usize, max_shift: usize, rng: &mut StdRng) -> Result<Tensor> {
    let (n, d) = x
        .dims2()
        .map_err(|_| Error::shape("images to shift", "(n, side²)", format!("{:?}", x.dims())))?;
    if d != side * side {
        return Err(Error::shape(
            "images to shift",
            format!("rows of {side}×{side} = {} pixels", side * side),
            format!("{d} pixels"),
        ));
    }
    if max_shift == 0 || n == 0 {
        return Ok(x.clone());
    }
    let s = max_shift as i64;
    let side_i = side as i64;
    let mut index = Vec::with_capacity(n * d);
    for _ in 0..n {
        let (dy, dx) = (rng.random_range(-s..=s), rng.random_range(-s..=s));
        for r in 0..side_i {
            for c in 0..side_i {
                let (sr, sc) = (r - dy, c - dx);
                let inside = (0..side_i).contains(&sr) && (0..side_i).contains(&sc);
                // index d is the zero column appended below
                index.push(if inside {
                    (sr * side_i + sc) as u32
                } else {
                    d as u32
                });
            }
        }
    }
    let padded = Tensor::cat(&[x, &Tensor::zeros((n, 1), x.dtype(), x.device())?], 1)?;
    let index = Tensor::from_vec(index, (n, d), x.device())?;
    debug_assert_eq!(index.dtype(), DType::U32);
    Ok(padded.contiguous()?.gather(&index, 1)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    #[test]
    fn every_image_moves_whole_by_its_own_offset_and_the_gradient_flows_back() {
        // 4 images of 5×5, each a single bright pixel in the centre
        let mut v = vec![0f32; 4 * 25];
        for i in 0..4 {
            v[i * 25 + 12] = 1.0 + i as f32;
        }
        let x = Var::from_vec(v, (4, 25), &Device::Cpu).unwrap();
        let mut rng = crate::models::train::rng(3);
        let y = translate(x.as_tensor(), 5, 2, &mut rng).unwrap();
        let rows = y.to_vec2::<f32>().unwrap();
        let mut offsets = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            // the pixel is kept (|shift| ≤ 2 keeps the centre inside) and only it is set
            let at: Vec<usize> = (0..25).filter(|&p| row[p] != 0.0).collect();
            assert_eq!(at.len(), 1, "{row:?}");
            assert_eq!(row[at[0]], 1.0 + i as f32);
            let (dy, dx) = (at[0] as i64 / 5 - 2, at[0] as i64 % 5 - 2);
            assert!(dy.abs() <= 2 && dx.abs() <= 2);
            offsets.push((dy, dx));
        }
        offsets.sort();
        offsets.dedup();
        assert!(
            offsets.len() > 1,
            "every image got the same offset: {offsets:?}"
        );
        // ∂(Σ w·y)/∂x at the source pixel is w at the pixel it moved to
        let w = crate::models::train::randn(&mut rng, 4, 25).unwrap();
        let grads = (&y * &w).unwrap().sum_all().unwrap().backward().unwrap();
        let g = grads.get(x.as_tensor()).unwrap().to_vec2::<f32>().unwrap();
        let w = w.to_vec2::<f32>().unwrap();
        for i in 0..4 {
            let to = (0..25).find(|&p| rows[i][p] != 0.0).unwrap();
            assert_eq!(g[i][12], w[i][to]);
        }
    }

    #[test]
    fn pixels_shifted_in_from_outside_are_background_and_bad_shapes_are_errors() {
        let x = Tensor::ones((64, 9), DType::F32, &Device::Cpu).unwrap();
        let y = translate(&x, 3, 1, &mut crate::models::train::rng(0)).unwrap();
        let sum = y.sum_all().unwrap().to_scalar::<f32>().unwrap();
        assert!(sum < 64.0 * 9.0, "no image lost a row or column: {sum}");
        let e = translate(&x, 4, 1, &mut crate::models::train::rng(0)).unwrap_err();
        assert!(e.to_string().contains("4×4"), "{e}");
    }
}
