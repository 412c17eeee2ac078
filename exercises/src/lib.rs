// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Your graded exercises: one module per lesson. Replace each `todo!()` with your
//! code, then run `./course check <lesson>`; `./course hint <id>` helps.

// The `todo!()` stubs leave their arguments unused; delete this line when you are done.
#![allow(unused_variables)]

pub mod l01_probability;
pub mod l02_parameter_counting;
pub mod l03_information_theory;
pub mod l04_maximum_likelihood;
pub mod l05_autoregressive_nade;
pub mod l06_mixtures_and_mcmc;
pub mod l07_autoencoders_vae;
pub mod l08_gan_theory;
pub mod l09_gan_practice;
pub mod l10_conditional_gan;
