//! Hidden tests for lesson 02: never copied into exercises/.
use gmcourse::testing::assert_close;
use solutions::l02_parameters::*;

// exercise 2.1, 1 point
#[test]
fn n_binary_pixels_need_two_to_the_n_minus_one_parameters() {
    for n in 1..20u32 {
        assert_eq!(
            joint_params(&vec![2; n as usize]),
            2u64.pow(n) - 1,
            "n = {n} binary pixels"
        );
    }
}

// exercise 2.1, 1 point
#[test]
fn a_single_variable_needs_one_fewer_parameter_than_outcomes() {
    assert_eq!(joint_params(&[7]), 6, "one variable with 7 outcomes");
}

// exercise 2.2, 1 point
#[test]
fn independent_mixed_variables_need_the_sum_of_k_minus_one() {
    // (256 − 1) · 3 for an independent RGB pixel, plus 1 for a coin
    assert_eq!(
        independent_params(&[256, 256, 256, 2]),
        766,
        "RGB pixel plus a coin"
    );
}

// exercise 2.3, 1 point
#[test]
fn markov_chain_over_a_binary_mnist_image_needs_1567_parameters() {
    assert_eq!(markov_params_binary(784), 1567, "784 binary pixels");
    assert_eq!(markov_params_binary(1), 1, "a single pixel");
}

// exercise 2.4, 1 point
#[test]
fn log10_of_small_image_counts_is_exact() {
    assert_close(log10_binary_images(10), 1024f64.log10(), 1e-12);
    assert_close(log10_binary_images(0), 0.0, 1e-12);
}
