//! The fully connected layer `y = x Wᵀ + b` (`x` `(batch, in)`, `W` `(out, in)`, `b`
//! `(out)`), named `weight` and `bias` like `candle_nn::Linear` so that checkpoints are
//! interchangeable.
//!
//! One fused operation with a hand-written backward pass that computes only the gradients
//! the graph needs (no `∂x` for data, no `∂W` for frozen weights), with the bias folded
//! into the matrix product. The products run on [`crate::models::nn::cpu::sgemm`] (one
//! kernel per instruction set, chosen when the program runs) or, with the crate feature
//! `openblas` (Linux, needs `libopenblas0-pthread`), on OpenBLAS's `cblas_sgemm`, the
//! library PyTorch uses on Debian:
//!
//! ```text
//! forward   y  = x Wᵀ + b
//! backward  ∂x = g W,   ∂W = gᵀ x,   ∂b = Σ_rows g
//! ```

use candle_core::Tensor;
use candle_nn::VarBuilder;

use crate::Result;

/// A fully connected layer.
#[derive(Debug, Clone)]
pub struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    /// A layer from `in_dim` to `out_dim` units under `vb` (`weight`, `bias`).
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let fc = gmcourse::models::nn::Dense::new(3, 2, vb.pp("fc"))?;
    /// let x = candle_core::Tensor::zeros((4, 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(fc.forward(&x)?.dims(), &[4, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(in_dim: usize, out_dim: usize, vb: VarBuilder) -> Result<Self> {
        let bound = 1.0 / (in_dim.max(1) as f64).sqrt();
        let init = candle_nn::Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let weight = vb.get_with_hints((out_dim, in_dim), "weight", init)?;
        let bias = vb.get_with_hints(out_dim, "bias", candle_nn::Init::Const(0.0))?;
        Ok(Self { weight, bias })
    }

    /// The same layer with its weights detached from the graph (sharing their storage):
    /// gradients flow through it to its input but not to its weights.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let fc = gmcourse::models::nn::Dense::new(2, 1, vb)?;
    /// let x = candle_core::Var::new(&[[1f32, 2.0]], &candle_core::Device::Cpu)?;
    /// let grads = fc.frozen().forward(x.as_tensor())?.sum_all()?.backward()?;
    /// assert!(grads.get(x.as_tensor()).is_some());
    /// assert!(varmap.all_vars().iter().all(|v| grads.get(v.as_tensor()).is_none()));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn frozen(&self) -> Self {
        Self {
            weight: self.weight.detach(),
            bias: self.bias.detach(),
        }
    }

    /// `x Wᵀ + b`, `(batch, out)`.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let fc = gmcourse::models::nn::Dense::new(2, 1, vb)?;
    /// for v in varmap.all_vars() { v.set(&v.as_tensor().ones_like()?)?; }
    /// let x = candle_core::Tensor::new(&[[1f32, 2.0]], &candle_core::Device::Cpu)?;
    /// assert_eq!(fc.forward(&x)?.to_vec2::<f32>()?, vec![vec![4.0]]); // 1 + 2 + bias 1
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = x.contiguous()?;
        Ok(x.apply_op3(&self.weight, &self.bias, kernel::DenseOp)?)
    }
}

mod kernel {
    use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Storage, Tensor};

    #[cfg(feature = "openblas")]
    const ROW_MAJOR: i32 = 101;
    #[cfg(feature = "openblas")]
    const NO_TRANS: i32 = 111;
    #[cfg(feature = "openblas")]
    const TRANS: i32 = 112;

    #[cfg(feature = "openblas")]
    #[link(name = "libopenblas.so.0", kind = "dylib", modifiers = "+verbatim")]
    unsafe extern "C" {
        fn cblas_sgemm(
            layout: i32,
            trans_a: i32,
            trans_b: i32,
            m: i32,
            n: i32,
            k: i32,
            alpha: f32,
            a: *const f32,
            lda: i32,
            b: *const f32,
            ldb: i32,
            beta: f32,
            c: *mut f32,
            ldc: i32,
        );
    }

    /// `c (m×n) = beta·c + op(a) op(b)`, row-major, with the lengths checked first.
    #[allow(clippy::too_many_arguments)]
    fn sgemm(
        ta: bool,
        tb: bool,
        m: usize,
        n: usize,
        k: usize,
        a: &[f32],
        b: &[f32],
        beta: f32,
        c: &mut [f32],
    ) -> candle_core::Result<()> {
        if a.len() < m * k || b.len() < k * n || c.len() < m * n {
            candle_core::bail!("sgemm: buffers too small for {m}×{k} · {k}×{n}");
        }
        #[cfg(feature = "openblas")]
        {
            let lda = if ta { m } else { k };
            let ldb = if tb { k } else { n };
            // SAFETY: the lengths were checked above; OpenBLAS reads a and b and writes c only.
            unsafe {
                cblas_sgemm(
                    ROW_MAJOR,
                    if ta { TRANS } else { NO_TRANS },
                    if tb { TRANS } else { NO_TRANS },
                    m as i32,
                    n as i32,
                    k as i32,
                    1.0,
                    a.as_ptr(),
                    lda as i32,
                    b.as_ptr(),
                    ldb as i32,
                    beta,
                    c.as_mut_ptr(),
                    n as i32,
                )
            };
        }
        #[cfg(not(feature = "openblas"))]
        crate::models::nn::cpu::sgemm::sgemm(ta, tb, m, n, k, a, b, beta, c)
            .map_err(candle_core::Error::wrap)?;
        Ok(())
    }

    /// `op(a)·b` (`m×n`) in a new buffer: `a` is `m×k`, or `k×m` read transposed.
    fn product(
        ta: bool,
        m: usize,
        n: usize,
        k: usize,
        a: &[f32],
        b: &[f32],
    ) -> candle_core::Result<Vec<f32>> {
        #[cfg(feature = "openblas")]
        {
            let mut c = vec![0f32; m * n];
            sgemm(ta, false, m, n, k, a, b, 0.0, &mut c)?;
            Ok(c)
        }
        #[cfg(not(feature = "openblas"))]
        crate::models::nn::cpu::sgemm::sgemm_new(ta, false, m, n, k, a, b)
            .map_err(candle_core::Error::wrap)
    }

    fn slice<'a>(s: &'a CpuStorage, l: &Layout) -> candle_core::Result<&'a [f32]> {
        match l.contiguous_offsets() {
            Some((a, b)) => Ok(&s.as_slice::<f32>()?[a..b]),
            None => candle_core::bail!("dense: non-contiguous tensor"),
        }
    }

    fn with_slice<R>(
        t: &Tensor,
        f: impl FnOnce(&[f32]) -> candle_core::Result<R>,
    ) -> candle_core::Result<R> {
        let t = t.contiguous()?;
        let (s, l) = t.storage_and_layout();
        match &*s {
            Storage::Cpu(cpu) => f(slice(cpu, l)?),
            _ => candle_core::bail!("dense: CPU tensors only"),
        }
    }

    pub(super) struct DenseOp;

    impl CustomOp3 for DenseOp {
        fn name(&self) -> &'static str {
            "dense"
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
            let (batch, in_dim) = l1.shape().dims2()?;
            let (out_dim, in_w) = l2.shape().dims2()?;
            if in_w != in_dim || l3.shape().dims1()? != out_dim {
                candle_core::bail!(
                    "dense: x {:?}, weight {:?}, bias {:?} do not fit",
                    l1.shape(),
                    l2.shape(),
                    l3.shape()
                );
            }
            let (x, w, b) = (slice(s1, l1)?, slice(s2, l2)?, slice(s3, l3)?);
            let mut y = Vec::with_capacity(batch * out_dim);
            for _ in 0..batch {
                y.extend_from_slice(b);
            }
            sgemm(false, true, batch, out_dim, in_dim, x, w, 1.0, &mut y)?;
            Ok((CpuStorage::F32(y), Shape::from((batch, out_dim))))
        }

        fn bwd(
            &self,
            x: &Tensor,
            w: &Tensor,
            b: &Tensor,
            _res: &Tensor,
            grad: &Tensor,
        ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
            let (batch, in_dim) = x.dims2()?;
            let (out_dim, _) = w.dims2()?;
            // Gradients nobody asked for are not computed: ∂x when x is data or detached,
            // ∂W and ∂b when the weights are detached (the discriminator during a
            // generator step).
            let want_dx = x.track_op();
            let want_dw = w.track_op();
            let want_db = b.track_op();
            let (mut dx, mut dw) = (Vec::new(), Vec::new());
            let mut db = vec![0f32; if want_db { out_dim } else { 0 }];
            with_slice(grad, |g| {
                if want_dx {
                    dx = with_slice(w, |w| product(false, batch, in_dim, out_dim, g, w))?;
                }
                if want_dw {
                    dw = with_slice(x, |x| product(true, out_dim, in_dim, batch, g, x))?;
                }
                if want_db {
                    for row in g.chunks(out_dim) {
                        for (d, v) in db.iter_mut().zip(row) {
                            *d += v;
                        }
                    }
                }
                Ok(())
            })?;
            let dx = if want_dx {
                Some(Tensor::from_vec(dx, (batch, in_dim), x.device())?)
            } else {
                None
            };
            let dw = if want_dw {
                Some(Tensor::from_vec(dw, (out_dim, in_dim), w.device())?)
            } else {
                None
            };
            let db = if want_db {
                Some(Tensor::from_vec(db, out_dim, b.device())?)
            } else {
                None
            };
            Ok((dx, dw, db))
        }
    }
}
