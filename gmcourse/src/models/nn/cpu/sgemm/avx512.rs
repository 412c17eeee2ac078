//! The AVX-512 path of [`super::sgemm`]: 12×32 tiles, 24 of the 32 `zmm` registers
//! accumulating, two loads of `B` and twelve broadcasts of `A` (folded into the FMAs) per
//! step of `k`; column tails by mask registers, never by reading past a row. Packing
//! transposes 16×16 blocks in registers.

use std::arch::x86_64::*;

use super::kernel::{Simd, micro_kernel};

pub(in super::super) struct Avx512;

// SAFETY (every method): called only inside functions built with AVX-512 F, on addresses
// the caller vouches for.
impl Simd for Avx512 {
    const W: usize = 16;
    type V = __m512;
    type Mask = __mmask16;
    type Block = [__m512; 16];

    #[inline(always)]
    unsafe fn mask(n: usize) -> __mmask16 {
        if n >= 16 { 0xffff } else { (1u16 << n) - 1 }
    }
    #[inline(always)]
    unsafe fn zero() -> __m512 {
        unsafe { _mm512_setzero_ps() }
    }
    #[inline(always)]
    unsafe fn splat(p: *const f32) -> __m512 {
        unsafe { _mm512_set1_ps(*p) }
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> __m512 {
        unsafe { _mm512_loadu_ps(p) }
    }
    #[inline(always)]
    unsafe fn load_mask(p: *const f32, m: __mmask16) -> __m512 {
        unsafe { _mm512_maskz_loadu_ps(m, p) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: __m512) {
        unsafe { _mm512_storeu_ps(p, v) }
    }
    #[inline(always)]
    unsafe fn store_mask(p: *mut f32, m: __mmask16, v: __m512) {
        unsafe { _mm512_mask_storeu_ps(p, m, v) }
    }
    #[inline(always)]
    unsafe fn madd(a: __m512, b: __m512, c: __m512) -> __m512 {
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    unsafe fn block() -> [__m512; 16] {
        unsafe { [_mm512_setzero_ps(); 16] }
    }
    #[inline(always)]
    unsafe fn transpose(x: &mut [__m512; 16]) {
        unsafe { transpose16(x) }
    }
}

micro_kernel!(Avx512, features: ["avx512f"], vectors: 2, kc: 256, rows: [1 2 3 4 5 6 7 8 9 10 11 12]);

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
