//! The hidden tests of every lesson, run against the reference solutions.
#[path = "hidden/l01_probability.rs"]
mod l01_probability;
#[path = "hidden/l02_parameters.rs"]
mod l02_parameters;
#[path = "hidden/l03_information.rs"]
mod l03_information;
#[path = "hidden/l04_likelihood.rs"]
mod l04_likelihood;
#[path = "hidden/l05_nade.rs"]
mod l05_nade;
#[path = "hidden/l06_mixtures.rs"]
mod l06_mixtures;
#[path = "hidden/l07_mcmc.rs"]
mod l07_mcmc;
#[path = "hidden/l08_vae.rs"]
mod l08_vae;
#[path = "hidden/l09_gan.rs"]
mod l09_gan;
#[path = "hidden/l10_evaluation.rs"]
mod l10_evaluation;
