//! The micro-kernel and the packing of [`super::sgemm`], written once over a small
//! vector interface ([`Simd`]: `W` lanes of f32, masks of the first `n` lanes, a fused or
//! plain multiply-add, a `W×W` transpose) that each path implements with its own
//! instructions (`portable.rs`, `avx2.rs`, `avx512.rs`). [`micro_kernel!`] builds the two
//! bodies for a path inside functions compiled with its `#[target_feature]`s, where every
//! `#[inline(always)]` method is inlined into one loop of that instruction set.
//!
//! A tile is `MR` rows × `NV` vectors: `MR·NV` accumulators, `NV` loads of `B` and `MR`
//! broadcasts of `A` per step of `k`; column tails by masked loads and stores, never by
//! reading past a row.

/// `W` lanes of f32 on one instruction set. Every method is `#[inline(always)]` in the
/// implementations and only called inside a function built for that set.
pub(in super::super) trait Simd {
    /// Lanes of a vector.
    const W: usize;
    /// A vector of `W` lanes.
    type V: Copy;
    /// A choice of lanes: the first `n`.
    type Mask: Copy;
    /// `W` vectors, the rows of a `W×W` block.
    type Block: AsRef<[Self::V]> + AsMut<[Self::V]>;

    /// The first `n` lanes (all of them when `n >= W`).
    unsafe fn mask(n: usize) -> Self::Mask;
    /// All lanes zero.
    unsafe fn zero() -> Self::V;
    /// `*p` in every lane.
    unsafe fn splat(p: *const f32) -> Self::V;
    /// `p[..W]`.
    unsafe fn load(p: *const f32) -> Self::V;
    /// The masked lanes of `p[..W]` (the others zero, and not read).
    unsafe fn load_mask(p: *const f32, m: Self::Mask) -> Self::V;
    /// `p[..W] = v`.
    unsafe fn store(p: *mut f32, v: Self::V);
    /// The masked lanes of `p[..W] = v` (the others not written).
    unsafe fn store_mask(p: *mut f32, m: Self::Mask, v: Self::V);
    /// `a·b + c`, lane by lane (fused where the set has FMA).
    unsafe fn madd(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// A block of zeros.
    unsafe fn block() -> Self::Block;
    /// Rows become columns.
    unsafe fn transpose(x: &mut Self::Block);
}

/// One tile's operands: `c[i·ldc + j] ← beta·c[i·ldc + j] + Σ_{p<kc} a[p·a_sk + i]·b[p·b_sk
/// + j]`; `c` is not read when `beta == 0` (it may be uninitialised then, so it is only
/// written through raw pointers).
#[derive(Clone, Copy)]
pub(in super::super) struct Tile {
    pub kc: usize,
    pub a: *const f32,
    pub a_sk: usize,
    pub b: *const f32,
    pub b_sk: usize,
    pub c: *mut f32,
    pub ldc: usize,
    pub beta: f32,
}

/// One panel to pack: `dst[p·width + r] = src[r·ld + p]` for `r < rows`, `p < kc`; zero for
/// `rows <= r < width`: `rows` rows of a row-major matrix become a panel with `width` values
/// per `p`.
#[derive(Clone, Copy)]
pub(in super::super) struct Pack {
    pub src: *const f32,
    pub ld: usize,
    pub rows: usize,
    pub kc: usize,
    pub width: usize,
    pub dst: *mut f32,
}

/// What a path gives the driver: a micro-kernel and a packing routine.
pub(in super::super) trait MicroKernel {
    /// Rows of a tile.
    const MR: usize;
    /// Columns of a tile.
    const NR: usize;
    /// The longest block of `k` a tile sums before `C` is updated.
    const KC: usize;

    /// Packs `p`.
    ///
    /// # Safety
    /// `src` readable at every `r·ld + p` named, `dst` writable for `kc·width` values, the
    /// CPU runs the path.
    unsafe fn pack(p: Pack);

    /// The tile `t` of `mr <= MR` rows and `nr <= NR` columns.
    ///
    /// # Safety
    /// Every address named is inside its buffer, the CPU runs the path.
    unsafe fn tile(mr: usize, nr: usize, t: Tile);
}

/// Implements [`MicroKernel`] for the [`Simd`] type `$isa`: tiles of `MR` rows (every
/// count of rows up to it listed in `rows`) × `$nv` vectors (1 or 2) of `W` columns, `k` in
/// blocks of `$kc`, both bodies compiled with the target features `$feature` (none for the
/// portable path).
macro_rules! micro_kernel {
    (
        $isa:ty,
        features: [$($feature:literal)?],
        vectors: $nv:literal,
        kc: $kc:literal,
        rows: [$($m:literal)*]
    ) => {
        impl $crate::models::nn::cpu::sgemm::kernel::MicroKernel for $isa {
            const MR: usize = [$($m),*].len();
            const NR: usize = $nv * <$isa as $crate::models::nn::cpu::sgemm::kernel::Simd>::W;
            const KC: usize = $kc;

            unsafe fn pack(p: $crate::models::nn::cpu::sgemm::kernel::Pack) {
                $(#[target_feature(enable = $feature)])?
                unsafe fn pack(p: $crate::models::nn::cpu::sgemm::kernel::Pack) {
                    // SAFETY: the caller's contract.
                    unsafe { $crate::models::nn::cpu::sgemm::kernel::pack::<$isa>(p) }
                }
                // SAFETY: the caller's contract (this CPU runs the features).
                unsafe { pack(p) }
            }

            unsafe fn tile(mr: usize, nr: usize, t: $crate::models::nn::cpu::sgemm::kernel::Tile) {
                use $crate::models::nn::cpu::sgemm::kernel::{Simd, Tile, tile as body};
                $(#[target_feature(enable = $feature)])?
                unsafe fn tile<const M: usize>(nr: usize, t: Tile) {
                    // SAFETY: the caller's contract.
                    unsafe {
                        if nr <= <$isa as Simd>::W {
                            body::<$isa, M, 1>(nr, t)
                        } else {
                            body::<$isa, M, $nv>(nr, t)
                        }
                    }
                }
                // SAFETY: the caller's contract (mr <= MR, nr <= NR, this CPU runs the
                // features).
                match mr {
                    $($m => unsafe { tile::<$m>(nr, t) },)*
                    _ => unreachable!("tile of {mr} rows"),
                }
            }
        }
    };
}
pub(super) use micro_kernel;

/// The tile `t` of `M` rows × `V` vectors, the last with `nr - W·(V - 1)` columns.
///
/// # Safety
/// As [`MicroKernel::tile`], inside a function built for `S`'s instruction set.
#[inline(always)]
pub(in super::super) unsafe fn tile<S: Simd, const M: usize, const V: usize>(nr: usize, t: Tile) {
    let rest = nr - S::W * (V - 1);
    // SAFETY: the caller's contract.
    unsafe {
        if rest == S::W {
            tile_masked::<S, M, V, true>(rest, t)
        } else {
            tile_masked::<S, M, V, false>(rest, t)
        }
    }
}

/// [`tile`] with the last vector's `rest` columns masked unless `FULL`.
///
/// # Safety
/// As [`tile`].
#[inline(always)]
unsafe fn tile_masked<S: Simd, const M: usize, const V: usize, const FULL: bool>(
    rest: usize,
    t: Tile,
) {
    // SAFETY: the caller's contract: a holds M values per step, b W·V (the last masked).
    unsafe {
        let mask = S::mask(rest);
        let mut acc = [[S::zero(); V]; M];
        let (mut pa, mut pb) = (t.a, t.b);
        for _ in 0..t.kc {
            let mut bv = [S::zero(); V];
            for (v, bv) in bv.iter_mut().enumerate() {
                *bv = if v + 1 == V && !FULL {
                    S::load_mask(pb.add(S::W * v), mask)
                } else {
                    S::load(pb.add(S::W * v))
                };
            }
            for (i, acc) in acc.iter_mut().enumerate() {
                let ai = S::splat(pa.add(i));
                for v in 0..V {
                    acc[v] = S::madd(ai, bv[v], acc[v]);
                }
            }
            pa = pa.add(t.a_sk);
            pb = pb.add(t.b_sk);
        }
        let beta = S::splat(&t.beta);
        for (i, acc) in acc.iter().enumerate() {
            for (v, &acc) in acc.iter().enumerate() {
                let pc = t.c.add(i * t.ldc + S::W * v);
                if v + 1 == V && !FULL {
                    let out = if t.beta == 0.0 {
                        acc
                    } else {
                        S::madd(beta, S::load_mask(pc, mask), acc)
                    };
                    S::store_mask(pc, mask, out);
                } else {
                    let out = if t.beta == 0.0 {
                        acc
                    } else {
                        S::madd(beta, S::load(pc), acc)
                    };
                    S::store(pc, out);
                }
            }
        }
    }
}

/// Packs `p` (see [`Pack`]) by `W×W` blocks transposed in registers.
///
/// # Safety
/// As [`MicroKernel::pack`], inside a function built for `S`'s instruction set.
#[inline(always)]
pub(in super::super) unsafe fn pack<S: Simd>(p: Pack) {
    let Pack {
        src,
        ld,
        rows,
        kc,
        width,
        dst,
    } = p;
    // SAFETY: the caller's contract; loads and stores are masked to the rows, columns and
    // width that exist.
    unsafe {
        let mut r0 = 0;
        while r0 < width {
            let lanes_out = S::mask(width - r0);
            let rv = rows.saturating_sub(r0).min(S::W);
            let mut p0 = 0;
            if rv == S::W {
                // whole blocks: unmasked loads
                while p0 + S::W <= kc {
                    let mut x = S::block();
                    for (r, x) in x.as_mut().iter_mut().enumerate() {
                        *x = S::load(src.add((r0 + r) * ld + p0));
                    }
                    S::transpose(&mut x);
                    for (q, x) in x.as_ref().iter().enumerate() {
                        S::store_mask(dst.add((p0 + q) * width + r0), lanes_out, *x);
                    }
                    p0 += S::W;
                }
            }
            while p0 < kc {
                let pk = (kc - p0).min(S::W);
                let kmask = S::mask(pk);
                let mut x = S::block();
                for (r, x) in x.as_mut().iter_mut().enumerate().take(rv) {
                    *x = S::load_mask(src.add((r0 + r) * ld + p0), kmask);
                }
                S::transpose(&mut x);
                for (q, x) in x.as_ref().iter().enumerate().take(pk) {
                    S::store_mask(dst.add((p0 + q) * width + r0), lanes_out, *x);
                }
                p0 += S::W;
            }
            r0 += S::W;
        }
    }
}
