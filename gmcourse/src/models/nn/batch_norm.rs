//! Batch normalisation (Ioffe & Szegedy, *Batch Normalization*, ICML 2015) of a
//! channel-major map `(C, N, H, W)` ([`super::conv`]'s layout), followed by a ReLU or a
//! leaky ReLU of slope `a`, in one pass forward and one backward:
//!
//! ```text
//! x̂ = (x − μ_c) / sqrt(σ²_c + ε)       μ_c, σ²_c over the N·H·W values of channel c
//! t = γ_c x̂ + β_c                       γ_c = 1 + scale_c,  β_c = shift_c
//! y = max(t, a·t)                        a = 0: ReLU
//! backward, with g = ∂y · (1 if t > 0, else a):
//!   ∂β_c = Σ g,   ∂scale_c = Σ g x̂,   ∂x = γ_c / sqrt(σ²_c + ε) · (g − mean g − x̂ · mean(g x̂))
//! ```
//!
//! The statistics are the batch's own, in training and sampling alike. The gain is stored
//! as `1 + scale` so that a parameter of zeros (the course's seeded initialisation of every
//! 1-D tensor) is the identity.
//!
//! ```
//! use candle_core::{Device, Tensor};
//! let x = Tensor::new(&[[[[1f32, 3.0]]], [[[5.0, 5.0]]]], &Device::Cpu)?; // 2 channels
//! let zero = Tensor::zeros(2, candle_core::DType::F32, &Device::Cpu)?;
//! let y = gmcourse::models::nn::batch_norm::batch_norm_relu(&x, &zero, &zero)?;
//! let y = y.flatten_all()?.to_vec1::<f32>()?;
//! assert!(y[0] == 0.0 && (y[1] - 1.0).abs() < 1e-4); // (−1, 1) after normalising, ReLU
//! assert_eq!(&y[2..], &[0.0, 0.0]);                   // a constant channel normalises to 0
//! # Ok::<(), gmcourse::Error>(())
//! ```

use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::dense::slice;
use crate::{Error, Result};

const EPS: f32 = 1e-5;

/// `max(0, (1 + scale) · x̂ + shift)` per channel of `x` `(C, N, H, W)` (any rank ≥ 2 with
/// the channels first); `scale` and `shift` have `C` values.
///
/// # Errors
/// [`Error::Shape`] when `scale` or `shift` does not have one value per channel.
pub fn batch_norm_relu(x: &Tensor, scale: &Tensor, shift: &Tensor) -> Result<Tensor> {
    batch_norm_leaky_relu(x, scale, shift, 0.0)
}

/// As [`batch_norm_relu`], with a leaky ReLU of slope `slope` (in `[0, 1]`) instead:
/// `t = (1 + scale) · x̂ + shift`, `y = max(t, slope · t)`.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let x = Tensor::new(&[[[[1f32, 3.0]]]], &Device::Cpu)?; // 1 channel: x̂ = (−1, 1)
/// let zero = Tensor::zeros(1, candle_core::DType::F32, &Device::Cpu)?;
/// let y = gmcourse::models::nn::batch_norm::batch_norm_leaky_relu(&x, &zero, &zero, 0.2)?;
/// let y = y.flatten_all()?.to_vec1::<f32>()?;
/// assert!((y[0] + 0.2).abs() < 1e-4 && (y[1] - 1.0).abs() < 1e-4);
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// As [`batch_norm_relu`], and [`Error::InvalidArgument`] for a slope outside `[0, 1]`.
pub fn batch_norm_leaky_relu(
    x: &Tensor,
    scale: &Tensor,
    shift: &Tensor,
    slope: f32,
) -> Result<Tensor> {
    if !(0.0..=1.0).contains(&slope) {
        return Err(Error::invalid("batch norm slope", "in [0, 1]", slope));
    }
    super::cpu::threads::join_pool();
    let c = x.dims().first().copied().unwrap_or(0);
    for (what, t) in [("batch norm scale", scale), ("batch norm shift", shift)] {
        if t.dims() != [c] {
            return Err(Error::shape(
                what,
                format!("({c},), one value per channel"),
                format!("{:?}", t.dims()),
            ));
        }
    }
    if x.rank() < 2 || x.elem_count() == 0 {
        return Err(Error::shape(
            "batch norm input",
            "a non-empty map (channels, …)",
            format!("{:?}", x.dims()),
        ));
    }
    Ok(x.contiguous()?.apply_op3(
        &scale.contiguous()?,
        &shift.contiguous()?,
        BatchNormRelu { slope },
    )?)
}

/// The fused op; `slope` 0 is a plain ReLU.
struct BatchNormRelu {
    slope: f32,
}

/// Mean and `1 / sqrt(var + ε)` of one channel.
fn stats(row: &[f32]) -> (f32, f32) {
    let m = row.len() as f64;
    let mean = row.iter().map(|&v| v as f64).sum::<f64>() / m;
    let var = row.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / m;
    (mean as f32, 1.0 / (var as f32 + EPS).sqrt())
}

impl CustomOp3 for BatchNormRelu {
    fn name(&self) -> &'static str {
        "batch-norm-relu"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = slice(s1, l1, "batch norm: x")?;
        let scale = slice(s2, l2, "batch norm: scale")?;
        let shift = slice(s3, l3, "batch norm: shift")?;
        let m = x.len() / scale.len();
        let mut y = vec![0f32; x.len()];
        y.par_chunks_mut(m)
            .zip(x.par_chunks(m))
            .enumerate()
            .for_each(|(c, (yc, xc))| {
                let (mean, inv) = stats(xc);
                let a = (1.0 + scale[c]) * inv;
                let b = shift[c] - mean * a;
                let slope = self.slope;
                for (y, &x) in yc.iter_mut().zip(xc) {
                    let t = a * x + b;
                    *y = t.max(slope * t);
                }
            });
        Ok((CpuStorage::F32(y), l1.shape().clone()))
    }

    fn bwd(
        &self,
        x: &Tensor,
        scale: &Tensor,
        shift: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let xv = x.flatten_all()?.to_vec1::<f32>()?;
        let sv = scale.to_vec1::<f32>()?;
        let bv = shift.to_vec1::<f32>()?;
        let gv = grad.flatten_all()?.to_vec1::<f32>()?;
        let c = sv.len();
        let m = xv.len() / c;
        let mut dx = vec![0f32; xv.len()];
        let sums: Vec<(f32, f32)> = dx
            .par_chunks_mut(m)
            .zip(xv.par_chunks(m).zip(gv.par_chunks(m)))
            .enumerate()
            .map(|(ch, (dxc, (xc, gc)))| {
                let (mean, inv) = stats(xc);
                let gamma = 1.0 + sv[ch];
                // g = ∂y · (1 if t > 0, else the slope); Σ g and Σ g x̂
                let (mut sg, mut sgx) = (0f64, 0f64);
                for ((d, &x), &g) in dxc.iter_mut().zip(xc).zip(gc) {
                    let xh = (x - mean) * inv;
                    let g = if gamma * xh + bv[ch] > 0.0 {
                        g
                    } else {
                        g * self.slope
                    };
                    *d = g;
                    sg += g as f64;
                    sgx += (g * xh) as f64;
                }
                let (mg, mgx) = ((sg / m as f64) as f32, (sgx / m as f64) as f32);
                let k = gamma * inv;
                for (d, &x) in dxc.iter_mut().zip(xc) {
                    let xh = (x - mean) * inv;
                    *d = k * (*d - mg - xh * mgx);
                }
                (sg as f32, sgx as f32)
            })
            .collect();
        let dx = x
            .track_op()
            .then(|| Tensor::from_vec(dx, x.shape(), x.device()))
            .transpose()?;
        let d_scale = scale
            .track_op()
            .then(|| Tensor::from_vec(sums.iter().map(|s| s.1).collect(), c, x.device()))
            .transpose()?;
        let d_shift = shift
            .track_op()
            .then(|| Tensor::from_vec(sums.iter().map(|s| s.0).collect(), c, x.device()))
            .transpose()?;
        Ok((dx, d_scale, d_shift))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    /// The same function from candle's own ops, differentiated by candle.
    fn reference(x: &Tensor, scale: &Tensor, shift: &Tensor, slope: f64) -> Tensor {
        let c = x.dim(0).unwrap();
        let rows = x.reshape((c, ())).unwrap();
        let centred = rows.broadcast_sub(&rows.mean_keepdim(1).unwrap()).unwrap();
        let var = centred.sqr().unwrap().mean_keepdim(1).unwrap();
        let inv = (var + EPS as f64).unwrap().sqrt().unwrap().recip().unwrap();
        let gain = (scale.unsqueeze(1).unwrap() + 1.0).unwrap();
        let t = centred
            .broadcast_mul(&(inv * gain).unwrap())
            .unwrap()
            .broadcast_add(&shift.unsqueeze(1).unwrap())
            .unwrap();
        t.maximum(&(&t * slope).unwrap())
            .unwrap()
            .reshape(x.dims())
            .unwrap()
    }

    #[test]
    fn output_and_gradients_match_candles_own_ops() {
        for slope in [0.0, 0.2] {
            output_and_gradients_match_at(slope);
        }
    }

    fn output_and_gradients_match_at(slope: f32) {
        let mut rng = crate::models::train::rng(0);
        let r = |rng: &mut _, n| {
            crate::models::train::randn(rng, 1, n)
                .unwrap()
                .squeeze(0)
                .unwrap()
        };
        let x = Var::from_tensor(
            &(r(&mut rng, 3 * 2 * 4 * 4) * 3.0)
                .unwrap()
                .reshape((3, 2, 4, 4))
                .unwrap(),
        )
        .unwrap();
        let scale = Var::from_tensor(&(r(&mut rng, 3) * 0.5).unwrap()).unwrap();
        let shift = Var::from_tensor(&(r(&mut rng, 3) * 0.5).unwrap()).unwrap();
        let w = r(&mut rng, 3 * 2 * 4 * 4).reshape((3, 2, 4, 4)).unwrap();
        let ours =
            batch_norm_leaky_relu(x.as_tensor(), scale.as_tensor(), shift.as_tensor(), slope)
                .unwrap();
        let theirs = reference(
            x.as_tensor(),
            scale.as_tensor(),
            shift.as_tensor(),
            slope as f64,
        );
        let ga = (&ours * &w).unwrap().sum_all().unwrap().backward().unwrap();
        let gb = (&theirs * &w)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        let diff = |a: &Tensor, b: &Tensor| {
            let a = a.flatten_all().unwrap().to_vec1::<f32>().unwrap();
            let b = b.flatten_all().unwrap().to_vec1::<f32>().unwrap();
            a.iter()
                .zip(&b)
                .map(|(p, q)| (p - q).abs())
                .fold(0f32, f32::max)
        };
        assert!(diff(&ours, &theirs) < 1e-5);
        for v in [&x, &scale, &shift] {
            let d = diff(
                ga.get(v.as_tensor()).unwrap(),
                gb.get(v.as_tensor()).unwrap(),
            );
            assert!(d < 1e-4, "{d}");
        }
    }

    #[test]
    fn parameters_of_the_wrong_size_are_errors() {
        let x = Tensor::zeros((3, 2, 2, 2), candle_core::DType::F32, &Device::Cpu).unwrap();
        let two = Tensor::zeros(2, candle_core::DType::F32, &Device::Cpu).unwrap();
        let e = batch_norm_relu(&x, &two, &two).unwrap_err().to_string();
        assert!(e.contains("batch norm scale"), "{e}");
        let one = Tensor::zeros(3, candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(batch_norm_leaky_relu(&x, &one, &one, 1.5).is_err());
    }
}
