//! Information theory: self-information, entropy, cross-entropy, KL and JS divergence.
//!
//! - self-information `I(x) = −log P(x)`, the surprise of seeing x;
//! - entropy `H(P) = −Σ_x P(x) log P(x)`, the average surprise;
//! - cross-entropy `H(P, Q) = −Σ_x P(x) log Q(x)`;
//! - KL divergence `D(P‖Q) = Σ_x P(x) log(P(x) / Q(x)) = H(P, Q) − H(P) ≥ 0`.
//!
//! Source: seed notes \[001\] and \[003\], curriculum E1–E6 and F2; Z2 and Z4 for the places
//! the notes get wrong. The convention `0 · log 0 = 0` holds everywhere, and
//! `P(x) > 0 = Q(x)` makes a cross-entropy or KL `+inf`. Results come in [`Unit::Bits`]
//! (log base 2) or [`Unit::Nats`] (natural log). A distribution is an `ndarray` array,
//! taken as `impl Into<ArrayView1<f64>>`: `&Array1<f64>`, a view, `&Vec<f64>`, `&[f64]` or
//! `&[f64; N]` (see [`entropy`](mod@entropy)).
//!
//! | file | concept | curriculum |
//! |---|---|---|
//! | [`unit`](mod@unit) | bits or nats | E1 |
//! | [`self_information`](mod@self_information) | `I(x)` and the surprise of a sequence | E1, E2 |
//! | [`entropy`](mod@entropy) | `H(P)`, binary entropy (the basis of BCE) | E2, E3, Z4 |
//! | [`cross_entropy`](mod@cross_entropy) | `H(P, Q)` | E6, Z2 |
//! | [`kl`](mod@kl) | `D(P‖Q)` for PMFs | E4, F2 |
//! | [`coding`](mod@coding) | Shannon codes: cross-entropy and KL as counted bits | E4, E6 |
//! | [`js`](mod@js) | Jensen–Shannon divergence and the GAN value at the optimal D | H3 |
//! | [`gaussian_kl`](mod@gaussian_kl) | closed-form KL between normals | E5, G2 |
//! | [`grid_kl`](mod@grid_kl) | KL between densities by numerical integration | E5 |
//! | [`fit`](mod@fit) | fitting one normal to a mixture by forward or reverse KL | E5 |
//!
//! ## Which library does what
//!
//! Every formula here is written out in plain Rust, because it is what the lessons teach
//! and what the exercises ask students to re-implement. The densities used by
//! [`grid_kl`] and [`fit`] come from [`crate::prob`] (which evaluates normal densities
//! with `statrs`). [`fit`] minimises with a small Nelder–Mead written out in the file.
//!
//! ```
//! use gmcourse::info::{Unit, entropy};
//! use ndarray::array;
//! // Coin with P(H) = 0.9 (curriculum E2): H = 0.4690 bits.
//! gmcourse::testing::assert_close(entropy(&array![0.9, 0.1], Unit::Bits)?, 0.4690, 5e-5);
//! # Ok::<(), gmcourse::Error>(())
//! ```

pub mod coding;
pub mod cross_entropy;
pub mod entropy;
pub mod fit;
pub mod gaussian_kl;
pub mod grid_kl;
pub mod js;
pub mod kl;
pub mod self_information;
pub mod unit;

pub use cross_entropy::cross_entropy;
pub use entropy::{binary_entropy, entropy};
pub use fit::{NormalFit, fit_normal_forward_kl, fit_normal_reverse_kl};
pub use gaussian_kl::{kl_normal, kl_to_standard_normal};
pub use grid_kl::{Grid, kl_on_grid};
pub use js::{js_divergence, value_at_optimal_discriminator};
pub use kl::kl;
pub use self_information::{self_information, surprise};
pub use unit::Unit;
