//! Reference solutions of the graded gmcourse exercises.
//!
//! Each `lNN_topic` module mirrors `exercises/src/lNN_topic.rs`: the two differ only
//! between `// BEGIN SOLUTION` and `// END SOLUTION`, which `./course gen` turns into a
//! `todo!()`. `solutions/exercises.toml` is the manifest; see `solutions/README.md`.

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
