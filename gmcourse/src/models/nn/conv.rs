//! 2-D convolution and transposed convolution as matrix products on the course's
//! [`super::cpu::sgemm`], written for the DCGAN ([`crate::models::dcgan`]).
//!
//! Maps are stored **channel-major**, `(C, N, H, W)` (channels, batch, height, width), so
//! that one matrix product covers the whole batch and a layer's output is the next
//! layer's input without a transpose. A convolution with a `K×K` kernel, stride `s` and
//! padding `p` relates a *large* map `H×W` to a *small* one `h×w`,
//! `h = (H + 2p − K)/s + 1`. `im2col` copies, for every position of the small map, the
//! `C·K·K` values of the large map under the kernel into a column; `col2im` adds columns
//! back onto the large map. With `X` the columns of the input:
//!
//! ```text
//! conv2d            W (O, C·K·K), x large (C, N, H, W) → y small (O, N, h, w)
//!   forward   y  = W · im2col(x)
//!   backward  ∂x = col2im(Wᵀ · ∂y),   ∂W = ∂y · im2col(x)ᵀ
//! conv_transpose2d  W (C, O·K·K), x small (C, N, h, w) → y large (O, N, H, W)
//!   forward   y  = col2im(Wᵀ · x)
//!   backward  ∂x = W · im2col(∂y),    ∂W = x · im2col(∂y)ᵀ
//! ```
//!
//! The transposed convolution is the convolution's backward pass run forward (and its
//! weight has PyTorch's layout `(C_in, C_out, K, K)`); `bench/conv_ops.sh` compares both
//! with candle's and PyTorch's convolutions on the DCGAN's shapes. An optional bias per
//! output channel is added in the pass that writes the output (`col2im` starts each
//! channel at its bias), and its gradient sums each channel's contiguous block of `∂y`.
//!
//! ```
//! use candle_core::{Device, Tensor};
//! use gmcourse::models::nn::conv;
//! // one 2×2 image of ones, a 2×2 kernel of ones: the sum of the four pixels
//! let x = Tensor::ones((1, 1, 2, 2), candle_core::DType::F32, &Device::Cpu)?;
//! let w = Tensor::ones((1, 1, 2, 2), candle_core::DType::F32, &Device::Cpu)?;
//! let y = conv::conv2d(&x, &w, None, 1, 0)?;
//! assert_eq!(y.flatten_all()?.to_vec1::<f32>()?, vec![4.0]);
//! // and back: the transposed convolution spreads the value over the four pixels
//! assert_eq!(conv::conv_transpose2d(&y, &w, None, 1, 0)?.flatten_all()?.to_vec1::<f32>()?, vec![4.0; 4]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use std::mem::MaybeUninit;
use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp2, CustomOp3, Layout, Shape, Storage, Tensor};
use rayon::prelude::*;

use super::cpu::sgemm::sgemm_new;
use super::dense::slice;
use crate::{Error, Result};

/// The geometry shared by a convolution and its transpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Geometry {
    /// Channels of the large map (conv2d's input, conv_transpose2d's output).
    c: usize,
    n: usize,
    big: (usize, usize),
    small: (usize, usize),
    k: usize,
    stride: usize,
    pad: usize,
}

impl Geometry {
    fn rows(&self) -> usize {
        self.c * self.k * self.k
    }
    fn cols(&self) -> usize {
        self.n * self.small.0 * self.small.1
    }
    fn big_len(&self) -> usize {
        self.c * self.n * self.big.0 * self.big.1
    }
}

/// The small map's side for a large side `big`, or an error naming the layer.
fn small_side(big: usize, k: usize, stride: usize, pad: usize) -> Result<usize> {
    if stride == 0 || k == 0 || big + 2 * pad < k {
        return Err(Error::invalid(
            "convolution",
            "stride ≥ 1 and a kernel no larger than the padded map",
            format!("map {big}, kernel {k}, stride {stride}, padding {pad}"),
        ));
    }
    Ok((big + 2 * pad - k) / stride + 1)
}

/// The positions `lo..hi` of a small-map row of `w` whose kernel column `kj` lands inside
/// the large row of `ww` (`0 <= oj·s + kj − pad < ww`).
fn inside(w: usize, ww: usize, s: usize, kj: usize, pad: usize) -> (usize, usize) {
    let lo = pad.saturating_sub(kj).div_ceil(s);
    let hi = (ww + pad).saturating_sub(kj).div_ceil(s).min(w);
    (lo.min(hi), hi)
}

/// `im2col`: the columns `(C·K·K, N·h·w)` of the large map `x` `(C, N, H, W)`; positions
/// in the padding read 0. One row of the columns per task, every element written once (no
/// zeroing pass first).
fn im2col(g: &Geometry, x: &[f32]) -> Vec<f32> {
    let (hh, ww) = g.big;
    let (h, w) = g.small;
    let (k, s, pad) = (g.k, g.stride, g.pad);
    let cols = g.cols();
    let len = g.rows() * cols;
    let mut out: Vec<f32> = Vec::with_capacity(len);
    out.spare_capacity_mut()[..len]
        .par_chunks_mut(cols)
        .enumerate()
        .for_each(|(r, row)| {
            let (c, ki, kj) = (r / (k * k), (r / k) % k, r % k);
            let xc = &x[c * g.n * hh * ww..(c + 1) * g.n * hh * ww];
            let (lo, hi) = inside(w, ww, s, kj, pad);
            let zero = MaybeUninit::new(0.0);
            for n in 0..g.n {
                for oi in 0..h {
                    let dst = &mut row[(n * h + oi) * w..][..w];
                    let ii = (oi * s + ki) as isize - pad as isize;
                    if ii < 0 || ii >= hh as isize || lo == hi {
                        dst.fill(zero);
                        continue;
                    }
                    dst[..lo].fill(zero);
                    dst[hi..].fill(zero);
                    // position oj reads column oj·s + kj − pad of the large row
                    let src = &xc[(n * hh + ii as usize) * ww + lo * s + kj - pad..];
                    gather(s, &mut dst[lo..hi], src);
                }
            }
        });
    // SAFETY: the loop above wrote every one of the first `len` elements (each row's
    // positions are either zero-filled or copied).
    unsafe { out.set_len(len) };
    out
}

/// `dst[i] = src[i·s]` for every `i` of `dst`; stride 2 (the DCGAN's) compiled on its own.
#[inline(always)]
fn gather(s: usize, dst: &mut [MaybeUninit<f32>], src: &[f32]) {
    #[inline(always)]
    fn strided<const S: usize>(dst: &mut [MaybeUninit<f32>], src: &[f32]) {
        let src = &src[..(dst.len() - 1) * S + 1];
        for (i, d) in dst.iter_mut().enumerate() {
            *d = MaybeUninit::new(src[i * S]);
        }
    }
    if dst.is_empty() {
        return;
    }
    match s {
        1 => strided::<1>(dst, src),
        2 => strided::<2>(dst, src),
        _ => {
            for (d, &v) in dst.iter_mut().zip(src.iter().step_by(s)) {
                *d = MaybeUninit::new(v);
            }
        }
    }
}

/// `dst[i·s] += src[i]` for every `i` of `src`; stride 2 compiled on its own.
#[inline(always)]
fn scatter_add(s: usize, dst: &mut [f32], src: &[f32]) {
    #[inline(always)]
    fn strided<const S: usize>(dst: &mut [f32], src: &[f32]) {
        let dst = &mut dst[..(src.len() - 1) * S + 1];
        for (i, v) in src.iter().enumerate() {
            dst[i * S] += v;
        }
    }
    if src.is_empty() {
        return;
    }
    match s {
        1 => strided::<1>(dst, src),
        2 => strided::<2>(dst, src),
        _ => {
            for (d, v) in dst.iter_mut().step_by(s).zip(src) {
                *d += v;
            }
        }
    }
}

/// `col2im`: the large map `(C, N, H, W)` that sums the columns `(C·K·K, N·h·w)` back onto
/// the positions they were read from (the adjoint of [`im2col`]), on top of `bias[c]` per
/// channel (0 without). One image of one channel per task (so that a map of one channel is
/// shared out too), each filling its own part of the map first.
fn col2im(g: &Geometry, cols_data: &[f32], bias: Option<&[f32]>) -> Vec<f32> {
    let (hh, ww) = g.big;
    let (h, w) = g.small;
    let (k, s, p) = (g.k, g.stride, g.pad as isize);
    let cols = g.cols();
    let len = g.big_len();
    let mut out: Vec<f32> = Vec::with_capacity(len);
    out.spare_capacity_mut()[..len]
        .par_chunks_mut(hh * ww)
        .enumerate()
        .for_each(|(task, img)| {
            let (c, n) = (task / g.n, task % g.n);
            img.fill(MaybeUninit::new(bias.map_or(0.0, |b| b[c])));
            // SAFETY: every element of `img` was just initialised.
            let img = unsafe { &mut *(img as *mut [MaybeUninit<f32>] as *mut [f32]) };
            for ki in 0..k {
                for kj in 0..k {
                    let (lo, hi) = inside(w, ww, s, kj, g.pad);
                    if lo == hi {
                        continue;
                    }
                    // this image's part of the row (c, ki, kj) of the columns
                    let row = &cols_data[(c * k * k + ki * k + kj) * cols + n * h * w..][..h * w];
                    for oi in 0..h {
                        let ii = (oi * s + ki) as isize - p;
                        if ii < 0 || ii >= hh as isize {
                            continue;
                        }
                        let dst = &mut img[ii as usize * ww + lo * s + kj - g.pad..];
                        let src = &row[oi * w..][lo..hi];
                        scatter_add(s, dst, src);
                    }
                }
            }
        });
    // SAFETY: every image's chunk was filled above, and the chunks cover `len`.
    unsafe { out.set_len(len) };
    out
}

fn cpu_slice<R>(
    t: &Tensor,
    f: impl FnOnce(&[f32]) -> candle_core::Result<R>,
) -> candle_core::Result<R> {
    let t = t.contiguous()?;
    let (s, l) = t.storage_and_layout();
    match &*s {
        Storage::Cpu(cpu) => f(slice(cpu, l, "conv: a tensor")?),
        _ => candle_core::bail!("conv: CPU tensors only"),
    }
}

fn product(
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
) -> candle_core::Result<Vec<f32>> {
    sgemm_new(ta, tb, m, n, k, a, b).map_err(candle_core::Error::wrap)
}

/// Checks a map `(C, N, H, W)` and a weight, returns the dims of both.
fn dims(x: &Tensor, w: &Tensor, what: &str) -> Result<([usize; 4], [usize; 4])> {
    let four = |t: &Tensor, name: &str, layout: &str| -> Result<[usize; 4]> {
        match t.dims() {
            &[a, b, c, d] => Ok([a, b, c, d]),
            other => Err(Error::shape(
                format!("{what} {name}"),
                layout,
                format!("{other:?}"),
            )),
        }
    };
    let xd = four(x, "input", "4 dims (channels, batch, height, width)")?;
    let wd = four(w, "weight", "4 dims")?;
    if wd[2] != wd[3] {
        return Err(Error::shape(
            format!("{what} weight"),
            "a square kernel",
            format!("{wd:?}"),
        ));
    }
    Ok((xd, wd))
}

/// The convolution of the channel-major map `x` `(C, N, H, W)` with `w` `(O, C, K, K)`,
/// plus `bias[o]` `(O,)` on output channel `o` if given, stride `stride`, zero padding
/// `pad` on each side: `(O, N, h, w)` with `h = (H + 2·pad − K)/stride + 1`. Gradients
/// flow to `x`, `w` and `bias`.
///
/// # Errors
/// [`Error::Shape`] when the channels of `x` and `w` differ or a map is not 4-D;
/// [`Error::InvalidArgument`] when the kernel does not fit the padded map.
///
/// ```
/// use gmcourse::models::nn::conv::conv2d;
/// let x = candle_core::Tensor::ones((3, 2, 28, 28), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let w = candle_core::Tensor::ones((8, 3, 4, 4), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// assert_eq!(conv2d(&x, &w, None, 2, 1)?.dims(), &[8, 2, 14, 14]);
/// assert!(conv2d(&x, &w.narrow(1, 0, 2)?, None, 2, 1).is_err()); // 2 channels for 3
/// let b = candle_core::Tensor::arange(0f32, 8.0, &candle_core::Device::Cpu)?;
/// let y = conv2d(&x, &w, Some(&b), 2, 1)?;                     // channel o gets + o
/// assert_eq!(y.get(5)?.get(0)?.get(3)?.get(3)?.to_scalar::<f32>()?, 3.0 * 16.0 + 5.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn conv2d(
    x: &Tensor,
    w: &Tensor,
    bias: Option<&Tensor>,
    stride: usize,
    pad: usize,
) -> Result<Tensor> {
    let ([c, n, hh, ww], [o, cw, k, _]) = dims(x, w, "conv2d")?;
    if cw != c {
        return Err(Error::shape(
            "conv2d weight",
            format!("{c} input channels (the map's)"),
            cw,
        ));
    }
    let g = Geometry {
        c,
        n,
        big: (hh, ww),
        small: (
            small_side(hh, k, stride, pad)?,
            small_side(ww, k, stride, pad)?,
        ),
        k,
        stride,
        pad,
    };
    apply(x, w, bias, Conv::new(g, o, false))
}

/// The transposed convolution of the channel-major map `x` `(C, N, h, w)` with `w`
/// `(C, O, K, K)` (PyTorch's layout), plus `bias[o]` `(O,)` if given: `(O, N, H, W)` with
/// `H = (h − 1)·stride − 2·pad + K`, the map whose [`conv2d`] with the same stride and
/// padding has `x`'s size. Gradients flow to `x`, `w` and `bias`.
///
/// # Errors
/// As [`conv2d`].
///
/// ```
/// use gmcourse::models::nn::conv::conv_transpose2d;
/// let x = candle_core::Tensor::ones((8, 2, 7, 7), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let w = candle_core::Tensor::ones((8, 4, 4, 4), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// assert_eq!(conv_transpose2d(&x, &w, None, 2, 1)?.dims(), &[4, 2, 14, 14]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn conv_transpose2d(
    x: &Tensor,
    w: &Tensor,
    bias: Option<&Tensor>,
    stride: usize,
    pad: usize,
) -> Result<Tensor> {
    let ([c, n, h, wd], [cw, o, k, _]) = dims(x, w, "conv_transpose2d")?;
    if cw != c {
        return Err(Error::shape(
            "conv_transpose2d weight",
            format!("{c} input channels (the map's)"),
            cw,
        ));
    }
    if stride == 0
        || (h.max(1) - 1) * stride + k < 2 * pad + 1
        || (wd.max(1) - 1) * stride + k < 2 * pad + 1
    {
        return Err(Error::invalid(
            "conv_transpose2d",
            "stride ≥ 1 and an output of at least one pixel",
            format!("map {h}×{wd}, kernel {k}, stride {stride}, padding {pad}"),
        ));
    }
    let big = (
        (h - 1) * stride + k - 2 * pad,
        (wd - 1) * stride + k - 2 * pad,
    );
    let g = Geometry {
        c: o,
        n,
        big,
        small: (h, wd),
        k,
        stride,
        pad,
    };
    if small_side(big.0, k, stride, pad)? != h || small_side(big.1, k, stride, pad)? != wd {
        return Err(Error::invalid(
            "conv_transpose2d",
            "a geometry conv2d inverts",
            format!("{g:?}"),
        ));
    }
    apply(x, w, bias, Conv::new(g, c, true))
}

/// `x` and `w` through `op`, with `bias` `(channels of the output,)` as a third input if
/// given.
fn apply(x: &Tensor, w: &Tensor, bias: Option<&Tensor>, op: Conv) -> Result<Tensor> {
    super::cpu::threads::join_pool();
    let x = x.contiguous()?;
    let w = w.contiguous()?;
    Ok(match bias {
        None => x.apply_op2(&w, op)?,
        Some(b) => {
            let out = if op.transposed { op.g.c } else { op.o };
            if b.dims() != [out] {
                return Err(Error::shape(
                    "convolution bias",
                    format!("({out},), one per output channel"),
                    format!("{:?}", b.dims()),
                ));
            }
            x.apply_op3(&w, &b.contiguous()?, op)?
        }
    })
}

/// The fused operation: `g` is the geometry of the large map, `o` the channels of the small
/// one. A convolution keeps the columns of its input from the forward pass for the weight
/// gradient of the backward pass (taken once; recomputed if they are gone). With a bias
/// (a third input) it is added in the pass that writes the output.
struct Conv {
    g: Geometry,
    o: usize,
    transposed: bool,
    columns: Mutex<Option<Vec<f32>>>,
}

impl Conv {
    fn new(g: Geometry, o: usize, transposed: bool) -> Self {
        Self {
            g,
            o,
            transposed,
            columns: Mutex::new(None),
        }
    }

    fn label(&self) -> &'static str {
        if self.transposed {
            "conv-transpose2d"
        } else {
            "conv2d"
        }
    }

    fn forward(
        &self,
        x: &[f32],
        w: &[f32],
        bias: Option<&[f32]>,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let g = &self.g;
        let (rows, cols) = (g.rows(), g.cols());
        if self.transposed {
            // x small (o, N·h·w); W (o, C·K·K): y = col2im(Wᵀ x) + bias
            let columns = product(true, false, rows, cols, self.o, w, x)?;
            let y = col2im(g, &columns, bias);
            Ok((
                CpuStorage::F32(y),
                Shape::from((g.c, g.n, g.big.0, g.big.1)),
            ))
        } else {
            let columns = im2col(g, x);
            let mut y = product(false, false, self.o, cols, rows, w, &columns)?;
            if let Some(b) = bias {
                y.par_chunks_mut(cols).zip(b).for_each(|(row, &b)| {
                    row.iter_mut().for_each(|v| *v += b);
                });
            }
            if let Ok(mut kept) = self.columns.lock() {
                *kept = Some(columns);
            }
            Ok((
                CpuStorage::F32(y),
                Shape::from((self.o, g.n, g.small.0, g.small.1)),
            ))
        }
    }

    /// `∂x` and `∂W`, each if tracked, from the output's gradient.
    fn backward(
        &self,
        x: &Tensor,
        w: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let g = &self.g;
        let (rows, cols) = (g.rows(), g.cols());
        let (want_dx, want_dw) = (x.track_op(), w.track_op());
        let (mut dx, mut dw) = (None, None);
        cpu_slice(grad, |dy| {
            if self.transposed {
                // dy is the large map: its columns serve both gradients
                let columns = im2col(g, dy);
                if want_dx {
                    let v = cpu_slice(w, |w| {
                        product(false, false, self.o, cols, rows, w, &columns)
                    })?;
                    dx = Some(Tensor::from_vec(v, x.shape(), x.device())?);
                }
                if want_dw {
                    let v =
                        cpu_slice(x, |x| product(false, true, self.o, rows, cols, x, &columns))?;
                    dw = Some(Tensor::from_vec(v, w.shape(), w.device())?);
                }
            } else {
                if want_dx {
                    let columns =
                        cpu_slice(w, |w| product(true, false, rows, cols, self.o, w, dy))?;
                    dx = Some(Tensor::from_vec(
                        col2im(g, &columns, None),
                        x.shape(),
                        x.device(),
                    )?);
                }
                if want_dw {
                    let kept = self.columns.lock().ok().and_then(|mut c| c.take());
                    let columns = match kept {
                        Some(columns) => columns,
                        None => cpu_slice(x, |x| Ok(im2col(g, x)))?,
                    };
                    let v = product(false, true, self.o, rows, cols, dy, &columns)?;
                    dw = Some(Tensor::from_vec(v, w.shape(), w.device())?);
                }
            }
            Ok(())
        })?;
        Ok((dx, dw))
    }
}

impl CustomOp2 for Conv {
    fn name(&self) -> &'static str {
        self.label()
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = slice(s1, l1, "conv: x")?;
        let w = slice(s2, l2, "conv: weight")?;
        self.forward(x, w, None)
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        self.backward(x, w, grad)
    }
}

impl CustomOp3 for Conv {
    fn name(&self) -> &'static str {
        self.label()
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
        let x = slice(s1, l1, "conv: x")?;
        let w = slice(s2, l2, "conv: weight")?;
        let b = slice(s3, l3, "conv: bias")?;
        self.forward(x, w, Some(b))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (dx, dw) = self.backward(x, w, grad)?;
        let db = if b.track_op() {
            // the output's channels are contiguous blocks: ∂bias[o] sums block o
            let channels = b.elem_count();
            let sums = cpu_slice(grad, |dy| {
                Ok(dy
                    .par_chunks(dy.len() / channels)
                    .map(|block| block.iter().sum::<f32>())
                    .collect::<Vec<f32>>())
            })?;
            Some(Tensor::from_vec(sums, b.shape(), b.device())?)
        } else {
            None
        };
        Ok((dx, dw, db))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Var};

    fn randn(dims: &[usize], seed: u64) -> Tensor {
        let n: usize = dims.iter().product();
        let t = crate::models::train::randn(&mut crate::models::train::rng(seed), 1, n).unwrap();
        t.reshape(dims).unwrap()
    }

    fn max_diff(a: &Tensor, b: &Tensor) -> f32 {
        assert_eq!(a.dims(), b.dims());
        let a = a.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let b = b.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        a.iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max)
    }

    /// candle's NCHW op on our CNHW map: swap the first two dims before and after.
    fn nchw(t: &Tensor) -> Tensor {
        t.transpose(0, 1).unwrap().contiguous().unwrap()
    }

    /// The output, ∂x and ∂W of ours and of candle's own convolution (NCHW) for
    /// `loss = Σ y · r` with a random `r`, on small random inputs.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        transposed: bool,
        c: usize,
        o: usize,
        big: usize,
        k: usize,
        stride: usize,
        pad: usize,
        biased: bool,
    ) -> (f32, f32, f32, f32) {
        let small = (big + 2 * pad - k) / stride + 1;
        let x_dims = if transposed {
            [c, 3, small, small]
        } else {
            [c, 3, big, big]
        };
        let w_dims = [
            if transposed { c } else { o },
            if transposed { o } else { c },
            k,
            k,
        ];
        let x = Var::from_tensor(&randn(&x_dims, 1)).unwrap();
        let w = Var::from_tensor(&randn(&w_dims, 2)).unwrap();
        let b = Var::from_tensor(&randn(&[o], 4)).unwrap();
        let bias = biased.then(|| b.as_tensor());
        let ours = if transposed {
            conv_transpose2d(x.as_tensor(), w.as_tensor(), bias, stride, pad).unwrap()
        } else {
            conv2d(x.as_tensor(), w.as_tensor(), bias, stride, pad).unwrap()
        };
        let theirs = if transposed {
            nchw(x.as_tensor())
                .conv_transpose2d(w.as_tensor(), pad, 0, stride, 1)
                .unwrap()
        } else {
            nchw(x.as_tensor())
                .conv2d(w.as_tensor(), pad, stride, 1, 1)
                .unwrap()
        };
        let theirs = match bias {
            Some(b) => theirs
                .broadcast_add(&b.reshape((1, o, 1, 1)).unwrap())
                .unwrap(),
            None => theirs,
        };
        let theirs = nchw(&theirs);
        let r = randn(ours.dims(), 3);
        let ga = (&ours * &r).unwrap().sum_all().unwrap().backward().unwrap();
        let gb = (&theirs * &r)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        let grad =
            |gs: &candle_core::backprop::GradStore, v: &Var| gs.get(v.as_tensor()).unwrap().clone();
        (
            max_diff(&ours, &theirs),
            max_diff(&grad(&ga, &x), &grad(&gb, &x)),
            max_diff(&grad(&ga, &w), &grad(&gb, &w)),
            if biased {
                max_diff(&grad(&ga, &b), &grad(&gb, &b))
            } else {
                assert!(ga.get(b.as_tensor()).is_none());
                0.0
            },
        )
    }

    #[test]
    fn convolutions_and_their_gradients_match_candles_on_small_inputs() {
        // the DCGAN's 4×4 stride-2 layers, a 3×3 same-size layer, an odd map, no padding
        for (c, o, big, k, stride, pad) in [
            (2, 3, 8, 4, 2, 1),
            (3, 2, 6, 3, 1, 1),
            (2, 2, 7, 3, 2, 0),
            (1, 4, 6, 4, 2, 1),
            (2, 2, 9, 3, 3, 2),
        ] {
            for (transposed, biased) in [(false, false), (true, false), (false, true), (true, true)]
            {
                let (y, dx, dw, db) = compare(transposed, c, o, big, k, stride, pad, biased);
                assert!(
                    y < 1e-4 && dx < 1e-4 && dw < 1e-3 && db < 1e-3,
                    "transposed {transposed}, bias {biased}, c {c} o {o} map {big} k {k} s {stride} p {pad}: {y} {dx} {dw} {db}"
                );
            }
        }
    }

    #[test]
    fn a_second_backward_pass_recomputes_the_columns_the_first_one_took() {
        // the forward pass keeps its columns for one weight gradient; a second backward
        // pass over the same graph must find the same gradient without them
        let x = randn(&[2, 3, 8, 8], 1);
        let w = Var::from_tensor(&randn(&[4, 2, 4, 4], 2)).unwrap();
        let y = conv2d(&x, w.as_tensor(), None, 2, 1).unwrap();
        let loss = (&y * &randn(&[4, 3, 4, 4], 3)).unwrap().sum_all().unwrap();
        let first = loss.backward().unwrap();
        let second = loss.backward().unwrap();
        let (a, b) = (
            first.get(w.as_tensor()).unwrap(),
            second.get(w.as_tensor()).unwrap(),
        );
        assert!(max_diff(a, b) < 1e-6, "{}", max_diff(a, b));
        assert!(
            a.abs()
                .unwrap()
                .sum_all()
                .unwrap()
                .to_scalar::<f32>()
                .unwrap()
                > 0.1
        );
    }

    #[test]
    fn col2im_is_the_adjoint_of_im2col() {
        // <im2col(x), c> = <x, col2im(c)> for any x and c: the identity the backward pass rests on
        let g = Geometry {
            c: 2,
            n: 3,
            big: (7, 6),
            small: (4, 3),
            k: 3,
            stride: 2,
            pad: 1,
        };
        let x = randn(&[g.big_len()], 4).to_vec1::<f32>().unwrap();
        let c = randn(&[g.rows() * g.cols()], 5).to_vec1::<f32>().unwrap();
        let lhs: f64 = im2col(&g, &x)
            .iter()
            .zip(&c)
            .map(|(a, b)| (a * b) as f64)
            .sum();
        let rhs: f64 = x
            .iter()
            .zip(&col2im(&g, &c, None))
            .map(|(a, b)| (a * b) as f64)
            .sum();
        assert!(
            (lhs - rhs).abs() < 1e-3 * lhs.abs().max(1.0),
            "{lhs} vs {rhs}"
        );
    }

    #[test]
    fn gradients_are_computed_only_for_what_tracks_them() {
        let x = randn(&[2, 2, 6, 6], 1); // data: no ∂x
        let w = Var::from_tensor(&randn(&[3, 2, 4, 4], 2)).unwrap();
        let grads = conv2d(&x, w.as_tensor(), None, 2, 1)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        assert!(grads.get(&x).is_none() && grads.get(w.as_tensor()).is_some());
    }

    #[test]
    fn bad_shapes_are_errors_that_name_the_layer() {
        let x = Tensor::zeros((2, 1, 4, 4), candle_core::DType::F32, &Device::Cpu).unwrap();
        let w = Tensor::zeros((3, 5, 3, 3), candle_core::DType::F32, &Device::Cpu).unwrap();
        let e = conv2d(&x, &w, None, 1, 1).unwrap_err().to_string();
        assert!(e.contains("conv2d weight"), "{e}");
        let w = Tensor::zeros((3, 2, 9, 9), candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(conv2d(&x, &w, None, 1, 1).is_err()); // kernel larger than the padded map
        assert!(conv_transpose2d(&x.flatten_all().unwrap(), &w, None, 1, 1).is_err());
        // a bias per output channel: 3 for conv2d's w (3, 2, 3, 3), 3 for conv_transpose2d's
        // w (2, 3, 3, 3)
        let w = Tensor::zeros((3, 2, 3, 3), candle_core::DType::F32, &Device::Cpu).unwrap();
        let b2 = Tensor::zeros(2, candle_core::DType::F32, &Device::Cpu).unwrap();
        let e = conv2d(&x, &w, Some(&b2), 1, 1).unwrap_err().to_string();
        assert!(e.contains("bias") && e.contains("(3,)"), "{e}");
        let b3 = Tensor::zeros(3, candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(conv2d(&x, &w, Some(&b3), 1, 1).is_ok());
        let wt = Tensor::zeros((2, 3, 3, 3), candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(conv_transpose2d(&x, &wt, Some(&b3), 1, 1).is_ok());
        assert!(conv_transpose2d(&x, &wt, Some(&b2), 1, 1).is_err());
    }
}
