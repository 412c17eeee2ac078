//! Reference solutions of the graded gmcourse exercises.
//!
//! Each `lNN_topic` module mirrors `exercises/src/lNN_topic.rs`: the two differ only
//! between `// BEGIN SOLUTION` and `// END SOLUTION`, which `./course gen` turns into a
//! `todo!()`. `solutions/exercises.toml` is the manifest; see `solutions/README.md`.

pub mod l01_probability;
pub mod l02_parameters;
pub mod l03_information;
