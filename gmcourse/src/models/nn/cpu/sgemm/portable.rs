//! The portable path of [`super::sgemm`]: plain Rust, 4×8 tiles (one vector of eight
//! lanes per row, which the compiler keeps in two SSE2 or NEON registers), with a separate
//! multiply and add.

use super::kernel::{Simd, micro_kernel};

pub(in super::super) struct Portable;

impl Simd for Portable {
    const W: usize = 8;
    type V = [f32; 8];
    type Mask = usize;
    type Block = [[f32; 8]; 8];

    #[inline(always)]
    unsafe fn mask(n: usize) -> usize {
        n.min(8)
    }
    #[inline(always)]
    unsafe fn zero() -> [f32; 8] {
        [0.0; 8]
    }
    #[inline(always)]
    unsafe fn splat(p: *const f32) -> [f32; 8] {
        // SAFETY: the caller's contract.
        [unsafe { *p }; 8]
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> [f32; 8] {
        // SAFETY: the caller's contract.
        unsafe { p.cast::<[f32; 8]>().read_unaligned() }
    }
    #[inline(always)]
    unsafe fn load_mask(p: *const f32, n: usize) -> [f32; 8] {
        // SAFETY: the caller's contract: the first n values exist.
        std::array::from_fn(|j| if j < n { unsafe { *p.add(j) } } else { 0.0 })
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: [f32; 8]) {
        // SAFETY: the caller's contract.
        unsafe { p.cast::<[f32; 8]>().write_unaligned(v) }
    }
    #[inline(always)]
    unsafe fn store_mask(p: *mut f32, n: usize, v: [f32; 8]) {
        for (j, v) in v.into_iter().enumerate().take(n) {
            // SAFETY: the caller's contract: the first n values exist.
            unsafe { p.add(j).write(v) }
        }
    }
    #[inline(always)]
    unsafe fn madd(a: [f32; 8], b: [f32; 8], c: [f32; 8]) -> [f32; 8] {
        std::array::from_fn(|j| a[j] * b[j] + c[j])
    }
    #[inline(always)]
    unsafe fn block() -> [[f32; 8]; 8] {
        [[0.0; 8]; 8]
    }
    #[inline(always)]
    unsafe fn transpose(x: &mut [[f32; 8]; 8]) {
        let t = *x;
        *x = std::array::from_fn(|i| std::array::from_fn(|j| t[j][i]));
    }
}

micro_kernel!(Portable, features: [], vectors: 1, kc: 512, rows: [1 2 3 4]);
