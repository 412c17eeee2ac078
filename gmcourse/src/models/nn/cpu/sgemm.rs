//! `C ← β·C + op(A)·op(B)` in f32, row-major, the product under every dense layer.
//!
//! The classic blocked scheme (Goto & van de Geijn, *Anatomy of High-Performance Matrix
//! Multiplication*, TOMS 2008): `C` is cut into `MR×NR` tiles; each tile is summed in
//! vector registers over the whole of `k` by a micro-kernel that multiplies a column of
//! `MR` broadcast values of `A` with a row of `NR` values of `B` per step; operands whose
//! layout does not already put those values next to each other are first copied
//! ("packed") into thin panels. The dense layer's three products need this:
//!
//! ```text
//! forward   y  = x Wᵀ   op(A) = x    packed (rows of x become columns)
//!                        op(B) = Wᵀ   packed
//! ∂x        ∂x = g W    op(A) = g    packed;  op(B) = W  read in place
//! ∂W        ∂W = gᵀ x   op(A) = gᵀ   copied into panels;  op(B) = x  read in place
//! ```
//!
//! (An `A` whose panels are already contiguous runs, like `gᵀ`, is read in place only when
//! a single panel of `B` uses it.) The work is split over the rayon threads by column
//! panels (or by row panels when `B` is read in place and `A` is the larger side), one
//! contiguous share per thread; products under about 4 MFLOP run on the calling thread.
//! The micro-kernel and the packing are written once
//! (`sgemm/kernel.rs`) over a small vector interface that each instruction set implements
//! (`sgemm/avx512.rs`, `sgemm/avx2.rs`, `sgemm/portable.rs`), chosen by
//! [`Isa::detected`]; on aarch64 the `gemm` crate's NEON kernels do the work.
//!
//! ```
//! use gmcourse::models::nn::cpu::sgemm::sgemm;
//! // (2×3)·(3×2)
//! let a = [1f32, 2., 3., 4., 5., 6.];
//! let b = [1f32, 0., 0., 1., 1., 1.];
//! let mut c = [0f32; 4];
//! sgemm(false, false, 2, 2, 3, &a, &b, 0.0, &mut c)?;
//! assert_eq!(c, [4., 5., 10., 11.]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod kernel;
mod portable;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use self::kernel::{MicroKernel, Pack, Tile};
use self::portable::Portable;
use super::Isa;
use crate::{Error, Result};

/// Products with fewer floating-point operations than this run on one thread: below it,
/// waking a second thread costs more than it saves.
const PARALLEL_FLOPS: usize = 4 << 20;

/// `c (m×n) ← beta·c + op(a)·op(b)` on the path [`Isa::detected`] chose, with `op(a)`
/// `m×k` (`a` is stored `k×m` when `trans_a`) and `op(b)` `k×n` (`b` stored `n×k` when
/// `trans_b`), all row-major and contiguous. With `beta == 0` the old `c` is not read.
///
/// # Errors
/// [`Error::Shape`] when a buffer is shorter than its matrix.
#[allow(clippy::too_many_arguments)]
pub fn sgemm(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) -> Result<()> {
    sgemm_with(Isa::detected(), trans_a, trans_b, m, n, k, a, b, beta, c)
}

/// [`sgemm`] on the given path.
///
/// # Errors
/// As [`sgemm`], and [`Error::InvalidArgument`] when this CPU cannot run `isa`.
///
/// ```
/// use gmcourse::models::nn::cpu::{Isa, sgemm::sgemm_with};
/// let (a, b) = ([1f32, 2.], [3f32, 4.]);
/// for isa in Isa::supported() {
///     let mut c = [1f32];
///     sgemm_with(isa, false, true, 1, 1, 2, &a, &b, 1.0, &mut c)?; // 1 + 1·3 + 2·4
///     assert_eq!(c, [12.0]);
/// }
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn sgemm_with(
    isa: Isa,
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) -> Result<()> {
    isa.check()?;
    if c.len() < m * n {
        return Err(Error::shape(
            "sgemm c",
            format!("at least {} values for {m}×{k} · {k}×{n}", m * n),
            c.len(),
        ));
    }
    if k == 0 {
        let c = &mut c[..m * n];
        if beta == 0.0 {
            c.fill(0.0);
        } else {
            c.iter_mut().for_each(|v| *v *= beta);
        }
        return Ok(());
    }
    // SAFETY: c holds m·n values.
    unsafe { product(isa, trans_a, trans_b, m, n, k, a, b, beta, c.as_mut_ptr()) }
}

/// `op(a)·op(b)` (as [`sgemm`] with `beta = 0`) in a new buffer, on the detected path,
/// without first filling it with zeros: the product writes every value.
///
/// # Errors
/// [`Error::Shape`] when a buffer is shorter than its matrix.
///
/// ```
/// use gmcourse::models::nn::cpu::sgemm::sgemm_new;
/// // (1×2)·(2×1)ᵀᵀ: b stored as 1×2 with trans_b
/// assert_eq!(sgemm_new(false, true, 1, 1, 2, &[1., 2.], &[3., 4.])?, vec![11.0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn sgemm_new(
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
) -> Result<Vec<f32>> {
    if k == 0 {
        return Ok(vec![0.0; m * n]);
    }
    let mut c = Vec::with_capacity(m * n);
    // SAFETY: c has room for m·n values; with beta = 0 the product writes every one of them
    // (through raw pointers) and reads none, so they are all initialised when its length is
    // set.
    unsafe {
        product(
            Isa::detected(),
            trans_a,
            trans_b,
            m,
            n,
            k,
            a,
            b,
            0.0,
            c.as_mut_ptr(),
        )?;
        c.set_len(m * n);
    }
    Ok(c)
}

/// Time and floating-point operations of every product since [`profile`] switched the
/// count on: what `bench/train_speed.sh` divides to print the GFLOP/s of the dense layers.
static PROFILE_ON: AtomicBool = AtomicBool::new(false);
static PROFILE_NS: AtomicU64 = AtomicU64::new(0);
static PROFILE_FLOPS: AtomicU64 = AtomicU64::new(0);

/// Starts (and zeroes) or stops counting the products' time and FLOPs, process-wide. Off
/// by default; on, it costs two clock reads per product.
///
/// ```
/// use gmcourse::models::nn::cpu::sgemm::{profile, profiled, sgemm};
/// profile(true);
/// let mut c = [0f32; 4];
/// sgemm(false, false, 2, 2, 2, &[1.; 4], &[1.; 4], 0.0, &mut c)?;
/// let (flops, secs) = profiled();
/// assert!(flops >= 16.0 && secs >= 0.0); // 2·2·2·2 (other threads may add theirs)
/// profile(false);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn profile(on: bool) {
    if on {
        PROFILE_NS.store(0, Ordering::Relaxed);
        PROFILE_FLOPS.store(0, Ordering::Relaxed);
    }
    PROFILE_ON.store(on, Ordering::Relaxed);
}

/// `(floating-point operations, seconds)` of the products counted since [`profile`]`(true)`.
pub fn profiled() -> (f64, f64) {
    (
        PROFILE_FLOPS.load(Ordering::Relaxed) as f64,
        PROFILE_NS.load(Ordering::Relaxed) as f64 * 1e-9,
    )
}

/// Checks `a` and `b`, then `c ← beta·c + op(a)·op(b)` for `k >= 1`.
///
/// # Safety
/// `c` is valid for writes of `m·n` values (and reads when `beta != 0`); `isa` was checked.
#[allow(clippy::too_many_arguments)]
unsafe fn product(
    isa: Isa,
    trans_a: bool,
    trans_b: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: *mut f32,
) -> Result<()> {
    for (what, len, need) in [("sgemm a", a.len(), m * k), ("sgemm b", b.len(), k * n)] {
        if len < need {
            return Err(Error::shape(
                what,
                format!("at least {need} values for {m}×{k} · {k}×{n}"),
                len,
            ));
        }
    }
    if m == 0 || n == 0 {
        return Ok(());
    }
    // element (i, p) of op(a) is a[i·ars + p·acs]; element (p, j) of op(b) is b[p·brs + j·bcs]
    let (ars, acs) = if trans_a { (1, m) } else { (k, 1) };
    let (brs, bcs) = if trans_b { (1, k) } else { (n, 1) };
    let threads = if 2 * m * n * k < PARALLEL_FLOPS {
        1
    } else {
        super::threads::count()
    };
    let problem = Problem {
        m,
        n,
        k,
        a: a.as_ptr(),
        ars,
        acs,
        b: b.as_ptr(),
        brs,
        bcs,
        beta,
        c,
    };
    let start = PROFILE_ON.load(Ordering::Relaxed).then(Instant::now);
    // SAFETY: the lengths were checked here and by the caller, the strides keep every
    // access inside them, and the caller checked that this CPU runs the path.
    unsafe {
        match isa {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => run::<avx512::Avx512>(&problem, threads),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => run::<avx2::Avx2>(&problem, threads),
            Isa::Neon => gemm_crate(&problem, threads),
            _ => run::<Portable>(&problem, threads),
        }
    }
    if let Some(start) = start {
        PROFILE_NS.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        PROFILE_FLOPS.fetch_add(2 * (m * n * k) as u64, Ordering::Relaxed);
    }
    Ok(())
}

/// The `gemm` crate (candle's matrix product), which picks its own NEON or AVX2 kernels:
/// the path on aarch64.
///
/// # Safety
/// The problem's buffers hold their matrices.
#[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
unsafe fn gemm_crate(p: &Problem, threads: usize) {
    let parallelism = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    let s = |v: usize| v as isize;
    // SAFETY: the caller's contract; gemm takes (column, row) strides.
    unsafe {
        gemm::gemm(
            p.m,
            p.n,
            p.k,
            p.c,
            1,
            s(p.n),
            p.beta != 0.0,
            p.a,
            s(p.acs),
            s(p.ars),
            p.b,
            s(p.bcs),
            s(p.brs),
            if p.beta != 0.0 { p.beta } else { 0.0 },
            1.0,
            false,
            false,
            false,
            parallelism,
        )
    };
}

/// One product, as raw parts (shared by the worker threads, which write disjoint tiles).
struct Problem {
    m: usize,
    n: usize,
    k: usize,
    a: *const f32,
    ars: usize,
    acs: usize,
    b: *const f32,
    brs: usize,
    bcs: usize,
    beta: f32,
    c: *mut f32,
}

// SAFETY: the workers read a and b and write disjoint tiles of c.
unsafe impl Sync for Problem {}

/// Buffers of 64-byte lines, so that packed panels start on a cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([f32; 16]);

thread_local! {
    static PACK_A: RefCell<Vec<Line>> = const { RefCell::new(Vec::new()) };
    static PACK_B: RefCell<Vec<Line>> = const { RefCell::new(Vec::new()) };
}

/// A buffer of at least `len` floats from `cell`, reused across calls on this thread.
fn buffer(cell: &RefCell<Vec<Line>>, len: usize) -> *mut f32 {
    let mut v = cell.borrow_mut();
    let lines = len.div_ceil(16);
    if v.len() < lines {
        v.resize(lines, Line([0.0; 16]));
    }
    v.as_mut_ptr().cast()
}

/// Splits `panels` into `parts` contiguous ranges of nearly equal length, the longer ones
/// last: the last panel of a matrix is often a partial one (100 rows are 8 tiles of 12 and
/// one of 4, split 48 + 52 rather than 60 + 40).
fn share(panels: usize, parts: usize, which: usize) -> (usize, usize) {
    let base = panels / parts;
    let short = parts - panels % parts;
    let start = which * base + which.saturating_sub(short);
    (start, start + base + usize::from(which >= short))
}

/// Runs `p` on `threads` threads with the micro-kernel `K`.
///
/// # Safety
/// As [`MicroKernel::tile`]: the problem's buffers hold their matrices.
unsafe fn run<K: MicroKernel>(p: &Problem, threads: usize) {
    // (`block` decides how each operand is packed; here only whether A's rows are strided,
    // so that it is packed by transposing, and whether B is read in place matter.)
    let a_strided = p.ars != 1;
    let b_in_place = p.bcs == 1;
    let m_panels = p.m.div_ceil(K::MR);
    let n_panels = p.n.div_ceil(K::NR);
    // Split by columns, so that each thread reads only its own part of B (packing all of
    // A, the small side, itself); by rows only where B is read in place and A is the larger
    // side, or there are too few columns. (Split by rows, the DCGAN's 64 × 3,136 products
    // had both threads stream all of B, 3–6 MB, and ran 30–45 % slower.)
    let by_rows = (a_strided && b_in_place && m_panels >= n_panels) || n_panels < threads;
    let parts = threads
        .min(if by_rows { m_panels } else { n_panels })
        .max(1);
    let work = |w: usize| {
        let (lo, hi) = share(if by_rows { m_panels } else { n_panels }, parts, w);
        let (mp, np) = if by_rows {
            ((lo, hi), (0, n_panels))
        } else {
            ((0, m_panels), (lo, hi))
        };
        // SAFETY: the caller's contract; tiles of different workers do not overlap.
        unsafe { block::<K>(p, mp, np) };
    };
    if parts == 1 {
        work(0);
    } else {
        // the calling thread, which starts first, takes the last (longest) share
        rayon::scope(|s| {
            for w in 0..parts - 1 {
                let work = &work;
                s.spawn(move |_| work(w));
            }
            work(parts - 1);
        });
    }
}

/// The tiles of row panels `mp.0..mp.1` and column panels `np.0..np.1`, `k` in blocks of
/// at most `K::KC` so that a packed panel of `B` stays in the L1 cache.
///
/// # Safety
/// As [`run`].
unsafe fn block<K: MicroKernel>(p: &Problem, mp: (usize, usize), np: (usize, usize)) {
    let (mr_, nr_) = (K::MR, K::NR);
    // A whose rows are strided (ars != 1) is packed by transposing; one whose rows are
    // contiguous (ars == 1, a transposed operand) is read in place only when one panel of
    // B uses it: across several, its columns are copied into panels first (a tile then
    // reads one stream instead of a cache line per step of k: the DCGAN's 512 × 3,136 × 64
    // products, a transposed convolution's forward pass, ran 14 % faster).
    let a_copied = p.ars == 1 && np.1 - np.0 > 1;
    let a_direct = p.ars == 1 && !a_copied;
    let b_direct = p.bcs == 1;
    let kc_max = p.k.div_ceil(p.k.div_ceil(K::KC));
    PACK_A.with(|pa| {
        PACK_B.with(|pb| {
            let a_buf = if a_direct {
                std::ptr::null_mut()
            } else {
                buffer(pa, (mp.1 - mp.0) * mr_ * kc_max)
            };
            let b_buf = if b_direct {
                std::ptr::null_mut()
            } else {
                buffer(pb, nr_ * kc_max)
            };
            let mut pc = 0;
            while pc < p.k {
                let kc = kc_max.min(p.k - pc);
                let beta = if pc == 0 { p.beta } else { 1.0 };
                // SAFETY: see `run`; the buffers were sized above.
                unsafe {
                    if !a_direct {
                        for (q, ip) in (mp.0..mp.1).enumerate() {
                            let i0 = ip * mr_;
                            let rows = mr_.min(p.m - i0);
                            let src = p.a.add(i0 * p.ars + pc * p.acs);
                            let dst = a_buf.add(q * mr_ * kc);
                            if a_copied {
                                copy_panel(src, p.acs, rows, kc, mr_, dst);
                                continue;
                            }
                            K::pack(Pack {
                                src,
                                ld: p.ars,
                                rows,
                                kc,
                                width: mr_,
                                dst,
                            });
                        }
                    }
                    for jp in np.0..np.1 {
                        let j0 = jp * nr_;
                        let nr = nr_.min(p.n - j0);
                        let (b, b_sk) = if b_direct {
                            (p.b.add(j0 + pc * p.brs), p.brs)
                        } else {
                            let src = p.b.add(j0 * p.bcs + pc * p.brs);
                            K::pack(Pack {
                                src,
                                ld: p.bcs,
                                rows: nr,
                                kc,
                                width: nr_,
                                dst: b_buf,
                            });
                            (b_buf.cast_const(), nr_)
                        };
                        // the rows of B the next panel will pack, fetched towards the L2
                        // cache while this one computes (packing is otherwise a pass
                        // waiting on memory, with nothing to overlap)
                        let next = (!b_direct && jp + 1 < np.1).then(|| {
                            let j1 = j0 + nr_;
                            (p.b.add(j1 * p.bcs + pc * p.brs), nr_.min(p.n - j1))
                        });
                        let tiles = mp.1 - mp.0;
                        for (q, ip) in (mp.0..mp.1).enumerate() {
                            if let Some((src, rows)) = next {
                                let (r_lo, r_hi) = share(rows, tiles, q);
                                for r in r_lo..r_hi {
                                    prefetch_row(src.add(r * p.bcs), kc);
                                }
                            }
                            let i0 = ip * mr_;
                            let mr = mr_.min(p.m - i0);
                            let (a, a_sk) = if a_direct {
                                (p.a.add(i0 + pc * p.acs), p.acs)
                            } else {
                                (a_buf.add(q * mr_ * kc).cast_const(), mr_)
                            };
                            let c = p.c.add(i0 * p.n + j0);
                            let tile = Tile {
                                kc,
                                a,
                                a_sk,
                                b,
                                b_sk,
                                c,
                                ldc: p.n,
                                beta,
                            };
                            K::tile(mr, nr, tile);
                        }
                    }
                }
                pc += kc;
            }
        })
    });
}

/// `dst[q·width + r] = src[q·ld + r]` for `r < rows`, `q < kc`, and zero for `rows <= r <
/// width`: `kc` contiguous runs of `rows` values become a panel (the packing of an operand
/// whose panels' values are already next to each other).
///
/// # Safety
/// `src` readable at every `q·ld + r` named, `dst` writable for `kc·width` values.
unsafe fn copy_panel(
    src: *const f32,
    ld: usize,
    rows: usize,
    kc: usize,
    width: usize,
    dst: *mut f32,
) {
    for q in 0..kc {
        // SAFETY: the caller's contract.
        unsafe {
            std::ptr::copy_nonoverlapping(src.add(q * ld), dst.add(q * width), rows);
            std::ptr::write_bytes(dst.add(q * width + rows), 0, width - rows);
        }
    }
}

/// Asks for the cache lines of `row[..len]` to be brought towards the L2 cache (a hint; no
/// effect where the target has no prefetch instruction).
#[inline(always)]
fn prefetch_row(row: *const f32, len: usize) {
    #[cfg(target_arch = "x86_64")]
    for off in (0..len).step_by(16) {
        // SAFETY: a prefetch never faults, whatever the address; SSE is part of x86-64.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T1 }>(
                row.wrapping_add(off).cast(),
            )
        };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (row, len);
}
