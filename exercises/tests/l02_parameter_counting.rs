// generated from solutions/ by `./course gen`; edit your copy freely — it is yours
//! Public tests for lesson 02. Run them with `./course check 02`.
use exercises::l02_parameter_counting::*;
use gmcourse::testing::assert_close;

// exercise 2.1, 1 point
#[test]
fn one_rgb_pixel_needs_256_cubed_minus_one_parameters() {
    // note 000: 256 × 256 × 256 − 1
    assert_eq!(joint_params(&[256, 256, 256]), 16_777_215);
}

// exercise 2.2, 1 point
#[test]
fn ten_independent_binary_pixels_need_ten_parameters() {
    assert_eq!(independent_params(&[2; 10]), 10);
}

// exercise 2.3, 1 point
#[test]
fn markov_chain_of_three_binary_pixels_needs_five_parameters() {
    assert_eq!(markov_params_binary(3), 5);
}

// exercise 2.4, 1 point
#[test]
fn there_are_about_ten_to_the_236_binary_mnist_images() {
    // note 003: 2^784 ≈ 10^236; 784 · log10(2) = 236.00751...
    assert_close(log10_binary_images(784), 236.007_516_6, 1e-6);
}
