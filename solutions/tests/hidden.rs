//! The hidden tests of every lesson, run against the reference solutions.
#[path = "hidden/l01_probability.rs"]
mod l01_probability;
#[path = "hidden/l02_parameters.rs"]
mod l02_parameters;
#[path = "hidden/l03_information.rs"]
mod l03_information;
