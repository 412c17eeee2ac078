//! The loss of a Bernoulli pixel with logit `l` and target `x`: the binary cross-entropy
//! written in its softplus form (Goodfellow et al., *Deep Learning*, 3.10),
//!
//! ```text
//! BCE(l, x) = -x log σ(l) - (1 - x) log(1 - σ(l)) = softplus(l) - x·l,
//! softplus(l) = max(l, 0) + log(1 + exp(-|l|)),
//! ```
//!
//! which never evaluates `log 0`, so saturated logits give a finite loss.

use candle_core::{DType, Tensor};

use crate::{Error, Result};

/// `softplus(l) = max(l, 0) + log(1 + exp(-|l|))`, element-wise and finite for any `l`.
///
/// ```
/// let l = candle_core::Tensor::new(&[-1000f32, 0.0, 1000.0], &candle_core::Device::Cpu)?;
/// let s = gmcourse::models::nn::softplus(&l)?.to_vec1::<f32>()?;
/// gmcourse::testing::assert_all_close(&[s[0] as f64, s[1] as f64, s[2] as f64], &[0.0, 2f64.ln(), 1000.0], 1e-5);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn softplus(l: &Tensor) -> Result<Tensor> {
    let pos = l.relu()?;
    let neg_abs = l.abs()?.neg()?;
    let tail = (neg_abs.exp()? + 1.0)?.log()?;
    Ok((pos + tail)?)
}

/// Binary cross-entropy of logits `l` against targets `x` (same shape), summed over the
/// last dimension: `Σ_i softplus(l_i) - x_i·l_i`, shape `(batch,)`. This is `-log p(x)` of
/// independent Bernoulli pixels. `l` and `x` are `(batch, n)` f32; one fused kernel
/// ([`super::cpu::bce`], compiled per instruction set) with a hand-written backward pass.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let l = Tensor::new(&[[0f32, 0.0]], &Device::Cpu)?;
/// let x = Tensor::new(&[[1f32, 0.0]], &Device::Cpu)?;
/// let bce = gmcourse::models::nn::bce_with_logits_sum(&l, &x)?.to_vec1::<f32>()?;
/// gmcourse::testing::assert_close(bce[0] as f64, 2.0 * 2f64.ln(), 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bce_with_logits_sum(l: &Tensor, x: &Tensor) -> Result<Tensor> {
    if l.dims() != x.dims() || l.rank() != 2 {
        return Err(Error::shape(
            "BCE targets",
            format!("the logits' shape {:?}, (batch, n)", l.dims()),
            format!("{:?}", x.dims()),
        ));
    }
    if l.dtype() != DType::F32 || x.dtype() != DType::F32 {
        return Err(Error::invalid(
            "BCE inputs",
            "f32 logits and targets",
            format!("{:?} and {:?}", l.dtype(), x.dtype()),
        ));
    }
    let l = l.contiguous()?;
    let x = x.contiguous()?;
    Ok(l.apply_op2(&x, BceWithLogitsSum)?)
}

/// The fused kernel of [`bce_with_logits_sum`]: one pass forward, and the backward pass
/// `∂/∂l = σ(l) - x` and, only when the targets track gradients, `∂/∂x = -l`, each times
/// the row's incoming gradient.
#[derive(Debug, Clone, Copy)]
struct BceWithLogitsSum;

impl candle_core::CustomOp2 for BceWithLogitsSum {
    fn name(&self) -> &'static str {
        "bce-with-logits-sum"
    }

    fn cpu_fwd(
        &self,
        s1: &candle_core::CpuStorage,
        l1: &candle_core::Layout,
        s2: &candle_core::CpuStorage,
        l2: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let (rows, cols) = l1.shape().dims2()?;
        let (Some((a1, b1)), Some((a2, b2))) = (l1.contiguous_offsets(), l2.contiguous_offsets())
        else {
            candle_core::bail!("bce kernel: inputs must be contiguous");
        };
        let l = &s1.as_slice::<f32>()?[a1..b1];
        let x = &s2.as_slice::<f32>()?[a2..b2];
        let mut out = vec![0f32; rows];
        super::cpu::bce::forward(l, x, cols, &mut out).map_err(candle_core::Error::wrap)?;
        Ok((
            candle_core::CpuStorage::F32(out),
            candle_core::Shape::from(rows),
        ))
    }

    fn bwd(
        &self,
        l: &Tensor,
        x: &Tensor,
        _res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let (rows, cols) = l.dims2()?;
        let lv = l.flatten_all()?.to_vec1::<f32>()?;
        let xv = x.flatten_all()?.to_vec1::<f32>()?;
        let g = grad_res.to_vec1::<f32>()?;
        let mut dl = vec![0f32; rows * cols];
        super::cpu::bce::backward(&lv, &xv, &g, cols, &mut dl).map_err(candle_core::Error::wrap)?;
        let dl = Tensor::from_vec(dl, (rows, cols), l.device())?;
        // ∂/∂x only when the targets need it (they are data in every model here)
        let dx = if x.track_op() {
            let dx: Vec<f32> = lv
                .chunks(cols)
                .zip(&g)
                .flat_map(|(l_r, &g_r)| l_r.iter().map(move |&l| -g_r * l))
                .collect();
            Some(Tensor::from_vec(dx, (rows, cols), x.device())?)
        } else {
            None
        };
        Ok((Some(dl), dx))
    }
}
