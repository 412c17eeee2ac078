//! The public tests of every lesson, run against the reference solutions.
#[path = "public/l01_probability.rs"]
mod l01_probability;
#[path = "public/l02_parameters.rs"]
mod l02_parameters;
#[path = "public/l03_information.rs"]
mod l03_information;
