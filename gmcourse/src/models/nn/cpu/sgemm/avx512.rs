//! The AVX-512 path of [`super::sgemm`]: 12×32 tiles, 24 of the 32 `zmm` registers
//! accumulating, two loads of `B` and twelve broadcasts of `A` (folded into the FMAs) per
//! step of `k`; column tails by mask registers, never by reading past a row. Packing
//! transposes 16×16 blocks in registers.

use std::arch::x86_64::*;

use super::MicroKernel;

pub(in super::super) struct Avx512;

const MR: usize = 12;
const NV: usize = 2;

impl MicroKernel for Avx512 {
    const MR: usize = MR;
    const NR: usize = 16 * NV;
    const KC: usize = 256;

    unsafe fn pack(
        src: *const f32,
        ld: usize,
        rows: usize,
        kc: usize,
        width: usize,
        dst: *mut f32,
    ) {
        // SAFETY: the caller's contract (this CPU runs AVX-512 F).
        unsafe { pack(src, ld, rows, kc, width, dst) }
    }

    unsafe fn tile(
        mr: usize,
        nr: usize,
        kc: usize,
        a: *const f32,
        a_sk: usize,
        b: *const f32,
        b_sk: usize,
        c: *mut f32,
        ldc: usize,
        beta: f32,
    ) {
        let nv = nr.div_ceil(16);
        let mask = lanes(nr - 16 * (nv - 1));
        macro_rules! dispatch {
            ($($m:literal)*) => {
                match (mr, nv) {
                    $(
                        ($m, 1) => unsafe { tile::<$m, 1>(kc, a, a_sk, b, b_sk, c, ldc, beta, mask) },
                        ($m, _) => unsafe { tile::<$m, 2>(kc, a, a_sk, b, b_sk, c, ldc, beta, mask) },
                    )*
                    _ => unreachable!("tile of {mr} rows"),
                }
            };
        }
        // SAFETY: the caller's contract (mr <= 12, nr <= 32).
        dispatch!(1 2 3 4 5 6 7 8 9 10 11 12)
    }
}

/// The mask of the first `n` of 16 lanes.
#[inline(always)]
fn lanes(n: usize) -> __mmask16 {
    if n >= 16 { 0xffff } else { (1u16 << n) - 1 }
}

/// `M` rows × `V` vectors of 16 columns; the last vector's columns are `mask`.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn tile<const M: usize, const V: usize>(
    kc: usize,
    a: *const f32,
    a_sk: usize,
    b: *const f32,
    b_sk: usize,
    c: *mut f32,
    ldc: usize,
    beta: f32,
    mask: __mmask16,
) {
    let mut acc = [[_mm512_setzero_ps(); V]; M];
    let (mut pa, mut pb) = (a, b);
    // SAFETY: the caller's contract: a holds M values per step, b V·16 (the last masked).
    unsafe {
        for _ in 0..kc {
            let mut bv = [_mm512_setzero_ps(); V];
            for (v, bv) in bv.iter_mut().enumerate() {
                *bv = if v + 1 == V {
                    _mm512_maskz_loadu_ps(mask, pb.add(16 * v))
                } else {
                    _mm512_loadu_ps(pb.add(16 * v))
                };
            }
            for (i, acc) in acc.iter_mut().enumerate() {
                let ai = _mm512_set1_ps(*pa.add(i));
                for v in 0..V {
                    acc[v] = _mm512_fmadd_ps(ai, bv[v], acc[v]);
                }
            }
            pa = pa.add(a_sk);
            pb = pb.add(b_sk);
        }
        let beta_v = _mm512_set1_ps(beta);
        for (i, acc) in acc.iter().enumerate() {
            for (v, &acc) in acc.iter().enumerate() {
                let m = if v + 1 == V { mask } else { 0xffff };
                let pc = c.add(i * ldc + 16 * v);
                let out = if beta == 0.0 {
                    acc
                } else {
                    _mm512_fmadd_ps(beta_v, _mm512_maskz_loadu_ps(m, pc), acc)
                };
                _mm512_mask_storeu_ps(pc, m, out);
            }
        }
    }
}

/// `dst[p·width + r] = src[r·ld + p]` (see [`MicroKernel::pack`]) by 16×16 blocks.
#[target_feature(enable = "avx512f")]
unsafe fn pack(src: *const f32, ld: usize, rows: usize, kc: usize, width: usize, dst: *mut f32) {
    // SAFETY: the caller's contract; loads and stores are masked to the rows, columns and
    // width that exist.
    unsafe {
        let mut r0 = 0;
        while r0 < width {
            let lanes_out = lanes(width - r0);
            let rv = rows.saturating_sub(r0).min(16);
            let mut p0 = 0;
            if rv == 16 {
                // whole blocks: unrolled, unmasked loads
                while p0 + 16 <= kc {
                    let mut x = [_mm512_setzero_ps(); 16];
                    for (r, x) in x.iter_mut().enumerate() {
                        *x = _mm512_loadu_ps(src.add((r0 + r) * ld + p0));
                    }
                    transpose16(&mut x);
                    for (q, x) in x.iter().enumerate() {
                        _mm512_mask_storeu_ps(dst.add((p0 + q) * width + r0), lanes_out, *x);
                    }
                    p0 += 16;
                }
            }
            while p0 < kc {
                let pk = (kc - p0).min(16);
                let kmask = lanes(pk);
                let mut x = [_mm512_setzero_ps(); 16];
                for (r, x) in x.iter_mut().enumerate().take(rv) {
                    *x = _mm512_maskz_loadu_ps(kmask, src.add((r0 + r) * ld + p0));
                }
                transpose16(&mut x);
                for (q, x) in x.iter().enumerate().take(pk) {
                    _mm512_mask_storeu_ps(dst.add((p0 + q) * width + r0), lanes_out, *x);
                }
                p0 += 16;
            }
            r0 += 16;
        }
    }
}

/// Transposes 16 rows of 16 lanes in registers.
#[target_feature(enable = "avx512f")]
#[inline]
fn transpose16(x: &mut [__m512; 16]) {
    let mut t = [_mm512_setzero_ps(); 16];
    // 2×2 blocks of single values
    for i in 0..8 {
        t[2 * i] = _mm512_unpacklo_ps(x[2 * i], x[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(x[2 * i], x[2 * i + 1]);
    }
    // 2×2 blocks of pairs
    for i in 0..4 {
        let (a0, a1) = (_mm512_castps_pd(t[4 * i]), _mm512_castps_pd(t[4 * i + 1]));
        let (b0, b1) = (
            _mm512_castps_pd(t[4 * i + 2]),
            _mm512_castps_pd(t[4 * i + 3]),
        );
        x[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, b0));
        x[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, b0));
        x[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, b1));
        x[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, b1));
    }
    // 2×2 blocks of 128-bit lanes: rows i and i + 4 within each group of 8
    for g in 0..2 {
        for i in 0..4 {
            let (lo, hi) = (x[8 * g + i], x[8 * g + i + 4]);
            t[8 * g + i] = _mm512_shuffle_f32x4::<0x88>(lo, hi);
            t[8 * g + i + 4] = _mm512_shuffle_f32x4::<0xdd>(lo, hi);
        }
    }
    // and rows i and i + 8
    for i in 0..8 {
        x[i] = _mm512_shuffle_f32x4::<0x88>(t[i], t[i + 8]);
        x[i + 8] = _mm512_shuffle_f32x4::<0xdd>(t[i], t[i + 8]);
    }
}
