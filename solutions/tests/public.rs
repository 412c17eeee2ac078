//! The public tests of every lesson, run against the reference solutions.
#[path = "public/l01_probability.rs"]
mod l01_probability;
#[path = "public/l02_parameter_counting.rs"]
mod l02_parameter_counting;
#[path = "public/l03_information_theory.rs"]
mod l03_information_theory;
#[path = "public/l04_maximum_likelihood.rs"]
mod l04_maximum_likelihood;
#[path = "public/l05_autoregressive_nade.rs"]
mod l05_autoregressive_nade;
#[path = "public/l06_mixtures_and_mcmc.rs"]
mod l06_mixtures_and_mcmc;
#[path = "public/l07_autoencoders_vae.rs"]
mod l07_autoencoders_vae;
#[path = "public/l08_gan_theory.rs"]
mod l08_gan_theory;
#[path = "public/l09_gan_practice.rs"]
mod l09_gan_practice;
#[path = "public/l10_conditional_gan.rs"]
mod l10_conditional_gan;
