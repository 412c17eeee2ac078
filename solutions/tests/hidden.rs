//! The hidden tests of every lesson, run against the reference solutions.
#[path = "hidden/l01_probability.rs"]
mod l01_probability;
#[path = "hidden/l02_parameter_counting.rs"]
mod l02_parameter_counting;
#[path = "hidden/l03_information_theory.rs"]
mod l03_information_theory;
#[path = "hidden/l04_maximum_likelihood.rs"]
mod l04_maximum_likelihood;
#[path = "hidden/l05_autoregressive_nade.rs"]
mod l05_autoregressive_nade;
#[path = "hidden/l06_mixtures_and_mcmc.rs"]
mod l06_mixtures_and_mcmc;
#[path = "hidden/l07_autoencoders_vae.rs"]
mod l07_autoencoders_vae;
#[path = "hidden/l08_gan_theory.rs"]
mod l08_gan_theory;
#[path = "hidden/l09_gan_practice.rs"]
mod l09_gan_practice;
#[path = "hidden/l10_conditional_gan.rs"]
mod l10_conditional_gan;
