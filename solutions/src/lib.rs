//! Reference solutions of the graded gmcourse exercises.
//!
//! Each `lNN_topic` module mirrors `exercises/src/lNN_topic.rs`: the two differ only
//! between `// BEGIN SOLUTION` and `// END SOLUTION`, which `./course gen` turns into a
//! `todo!()`. Lesson NN goes with `notebooks/NN-topic.ipynb`.
//! `solutions/exercises.toml` is the manifest; see `solutions/README.md`.

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
