//! The AVX2 + FMA path of [`super::sgemm`]: 6×16 tiles, 12 of the 16 `ymm` registers
//! accumulating, two loads of `B` and six broadcasts of `A` per step of `k`; column tails
//! by masked loads and stores. Packing transposes 8×8 blocks in registers.

use std::arch::x86_64::*;

use super::MicroKernel;

pub(in super::super) struct Avx2;

const MR: usize = 6;
const NV: usize = 2;

impl MicroKernel for Avx2 {
    const MR: usize = MR;
    const NR: usize = 8 * NV;
    const KC: usize = 256;

    unsafe fn pack(
        src: *const f32,
        ld: usize,
        rows: usize,
        kc: usize,
        width: usize,
        dst: *mut f32,
    ) {
        // SAFETY: the caller's contract (this CPU runs AVX2 and FMA).
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
        let nv = nr.div_ceil(8);
        let rest = nr - 8 * (nv - 1);
        macro_rules! dispatch {
            ($($m:literal)*) => {
                match (mr, nv) {
                    $(
                        ($m, 1) => unsafe { tile::<$m, 1>(kc, a, a_sk, b, b_sk, c, ldc, beta, rest) },
                        ($m, _) => unsafe { tile::<$m, 2>(kc, a, a_sk, b, b_sk, c, ldc, beta, rest) },
                    )*
                    _ => unreachable!("tile of {mr} rows"),
                }
            };
        }
        // SAFETY: the caller's contract (mr <= 6, nr <= 16).
        dispatch!(1 2 3 4 5 6)
    }
}

/// The mask (all bits set per lane) of the first `n` of 8 lanes.
#[target_feature(enable = "avx2")]
fn lanes(n: usize) -> __m256i {
    let idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    _mm256_cmpgt_epi32(_mm256_set1_epi32(n.min(8) as i32), idx)
}

/// `M` rows × `V` vectors of 8 columns; the last vector has `rest` columns.
#[target_feature(enable = "avx2,fma")]
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
    rest: usize,
) {
    let mask = lanes(rest);
    let full = rest == 8;
    let mut acc = [[_mm256_setzero_ps(); V]; M];
    let (mut pa, mut pb) = (a, b);
    // SAFETY: the caller's contract: a holds M values per step, b 8·V (the last masked).
    unsafe {
        for _ in 0..kc {
            let mut bv = [_mm256_setzero_ps(); V];
            for (v, bv) in bv.iter_mut().enumerate() {
                *bv = if v + 1 == V && !full {
                    _mm256_maskload_ps(pb.add(8 * v), mask)
                } else {
                    _mm256_loadu_ps(pb.add(8 * v))
                };
            }
            for (i, acc) in acc.iter_mut().enumerate() {
                let ai = _mm256_broadcast_ss(&*pa.add(i));
                for v in 0..V {
                    acc[v] = _mm256_fmadd_ps(ai, bv[v], acc[v]);
                }
            }
            pa = pa.add(a_sk);
            pb = pb.add(b_sk);
        }
        let beta_v = _mm256_set1_ps(beta);
        for (i, acc) in acc.iter().enumerate() {
            for (v, &acc) in acc.iter().enumerate() {
                let pc = c.add(i * ldc + 8 * v);
                if v + 1 == V && !full {
                    let out = if beta == 0.0 {
                        acc
                    } else {
                        _mm256_fmadd_ps(beta_v, _mm256_maskload_ps(pc, mask), acc)
                    };
                    _mm256_maskstore_ps(pc, mask, out);
                } else {
                    let out = if beta == 0.0 {
                        acc
                    } else {
                        _mm256_fmadd_ps(beta_v, _mm256_loadu_ps(pc), acc)
                    };
                    _mm256_storeu_ps(pc, out);
                }
            }
        }
    }
}

/// `dst[p·width + r] = src[r·ld + p]` (see [`MicroKernel::pack`]) by 8×8 blocks.
#[target_feature(enable = "avx2")]
unsafe fn pack(src: *const f32, ld: usize, rows: usize, kc: usize, width: usize, dst: *mut f32) {
    // SAFETY: the caller's contract; loads and stores are masked to what exists.
    unsafe {
        let mut r0 = 0;
        while r0 < width {
            let lanes_out = lanes(width - r0);
            let rv = rows.saturating_sub(r0).min(8);
            let mut p0 = 0;
            while p0 < kc {
                let pk = (kc - p0).min(8);
                let kmask = lanes(pk);
                let mut x = [_mm256_setzero_ps(); 8];
                for (r, x) in x.iter_mut().enumerate().take(rv) {
                    *x = _mm256_maskload_ps(src.add((r0 + r) * ld + p0), kmask);
                }
                transpose8(&mut x);
                for (q, x) in x.iter().enumerate().take(pk) {
                    _mm256_maskstore_ps(dst.add((p0 + q) * width + r0), lanes_out, *x);
                }
                p0 += 8;
            }
            r0 += 8;
        }
    }
}

/// Transposes 8 rows of 8 lanes in registers.
#[target_feature(enable = "avx")]
fn transpose8(x: &mut [__m256; 8]) {
    let mut t = [_mm256_setzero_ps(); 8];
    for i in 0..4 {
        t[2 * i] = _mm256_unpacklo_ps(x[2 * i], x[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(x[2 * i], x[2 * i + 1]);
    }
    let mut u = [_mm256_setzero_ps(); 8];
    for g in 0..2 {
        let (lo0, hi0, lo1, hi1) = (t[4 * g], t[4 * g + 1], t[4 * g + 2], t[4 * g + 3]);
        u[4 * g] = _mm256_shuffle_ps::<0x44>(lo0, lo1);
        u[4 * g + 1] = _mm256_shuffle_ps::<0xee>(lo0, lo1);
        u[4 * g + 2] = _mm256_shuffle_ps::<0x44>(hi0, hi1);
        u[4 * g + 3] = _mm256_shuffle_ps::<0xee>(hi0, hi1);
    }
    for i in 0..4 {
        x[i] = _mm256_permute2f128_ps::<0x20>(u[i], u[i + 4]);
        x[i + 4] = _mm256_permute2f128_ps::<0x31>(u[i], u[i + 4]);
    }
}
