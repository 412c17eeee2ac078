//! CPU kernels with one code path per instruction set, chosen when the program runs
//! (`is_x86_feature_detected!`, never at build time), so that one build of the course is
//! as fast as the CPU it meets allows:
//!
//! | kernel | AVX-512 | AVX2 + FMA | NEON (aarch64) | portable (SSE2 on x86-64) |
//! |---|---|---|---|---|
//! | [`sgemm`], the dense layers | 12×32 register tiles of `zmm` | 6×16 tiles of `ymm` | the `gemm` crate | 4×8 tiles, plain Rust |
//! | [`nade`], NADE's recursion, on [`vector`] loops | 16 lanes, FMA | 8 lanes, FMA | 4 lanes, FMA | 4 lanes |
//! | [`adamw`], the optimiser | 16 lanes | 8 lanes | 4 lanes | 4 lanes |
//! | [`bce`], the Bernoulli loss | 16 lanes, FMA | 8 lanes, FMA | 4 lanes, FMA | 4 lanes |
//!
//! [`dispatch`] detects the instruction set once and names the chosen paths;
//! `GMCOURSE_CPU=portable|neon|avx2|avx512` caps it (for benchmarks and comparisons). Each
//! kernel also has a `*_with(isa, …)` form that runs one given path, which the tests use to
//! check every path the machine can run against the portable one on the same inputs. The
//! kernels split their work over rayon's global pool, which the program's main thread
//! joins as a worker ([`threads`]).

pub mod adamw;
pub mod bce;
pub mod dispatch;
pub mod nade;
pub mod sgemm;
pub mod threads;
pub mod vector;

pub use dispatch::Isa;
