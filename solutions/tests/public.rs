//! The public tests of every lesson, run against the reference solutions.
#[path = "public/l01_probability.rs"]
mod l01_probability;
#[path = "public/l02_parameters.rs"]
mod l02_parameters;
#[path = "public/l03_information.rs"]
mod l03_information;
#[path = "public/l04_likelihood.rs"]
mod l04_likelihood;
#[path = "public/l05_nade.rs"]
mod l05_nade;
#[path = "public/l06_mixtures.rs"]
mod l06_mixtures;
#[path = "public/l07_mcmc.rs"]
mod l07_mcmc;
#[path = "public/l08_vae.rs"]
mod l08_vae;
#[path = "public/l09_gan.rs"]
mod l09_gan;
#[path = "public/l10_evaluation.rs"]
mod l10_evaluation;
