//! The AVX2 + FMA path of [`super::sgemm`]: 6×16 tiles, 12 of the 16 `ymm` registers
//! accumulating, two loads of `B` and six broadcasts of `A` per step of `k`; column tails
//! by masked loads and stores. Packing transposes 8×8 blocks in registers.

use std::arch::x86_64::*;

use super::kernel::{Simd, micro_kernel};

pub(in super::super) struct Avx2;

// SAFETY (every method): called only inside functions built with AVX2 and FMA, on
// addresses the caller vouches for.
impl Simd for Avx2 {
    const W: usize = 8;
    type V = __m256;
    type Mask = __m256i;
    type Block = [__m256; 8];

    #[inline(always)]
    unsafe fn mask(n: usize) -> __m256i {
        unsafe {
            let idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            _mm256_cmpgt_epi32(_mm256_set1_epi32(n.min(8) as i32), idx)
        }
    }
    #[inline(always)]
    unsafe fn zero() -> __m256 {
        unsafe { _mm256_setzero_ps() }
    }
    #[inline(always)]
    unsafe fn splat(p: *const f32) -> __m256 {
        unsafe { _mm256_broadcast_ss(&*p) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> __m256 {
        unsafe { _mm256_loadu_ps(p) }
    }
    #[inline(always)]
    unsafe fn load_mask(p: *const f32, m: __m256i) -> __m256 {
        unsafe { _mm256_maskload_ps(p, m) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: __m256) {
        unsafe { _mm256_storeu_ps(p, v) }
    }
    #[inline(always)]
    unsafe fn store_mask(p: *mut f32, m: __m256i, v: __m256) {
        unsafe { _mm256_maskstore_ps(p, m, v) }
    }
    #[inline(always)]
    unsafe fn madd(a: __m256, b: __m256, c: __m256) -> __m256 {
        unsafe { _mm256_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    unsafe fn block() -> [__m256; 8] {
        unsafe { [_mm256_setzero_ps(); 8] }
    }
    #[inline(always)]
    unsafe fn transpose(x: &mut [__m256; 8]) {
        unsafe { transpose8(x) }
    }
}

micro_kernel!(Avx2, features: ["avx2,fma"], vectors: 2, kc: 256, rows: [1 2 3 4 5 6]);

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
