// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Your graded exercises: one module per lesson. Replace each `todo!()` with your
//! code, then run `./course check <lesson>`; `./course hint <id>` helps.

// The `todo!()` stubs leave their arguments unused; delete this line when you are done.
#![allow(unused_variables)]

pub mod l01_probability;
pub mod l02_parameters;
pub mod l03_information;
pub mod l04_likelihood;
pub mod l05_nade;
pub mod l06_mixtures;
pub mod l07_mcmc;
pub mod l08_vae;
pub mod l09_gan;
pub mod l10_evaluation;
