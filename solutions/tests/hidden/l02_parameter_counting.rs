//! Hidden tests for lesson 02: never copied into exercises/.
use gmcourse::prob::counting;
use gmcourse::testing::assert_close;
use solutions::l02_parameter_counting::*;

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

// exercise 2.1, 1 point
#[test]
fn joint_params_match_gmcourse_for_small_tables() {
    for k in 2..=6u32 {
        for n in 1..=6u32 {
            // reference: gmcourse::prob::counting::full_joint_params
            let want = counting::full_joint_params(k, n).expect("k ≥ 1").exact();
            let got = u128::from(joint_params(&vec![u64::from(k); n as usize]));
            assert_eq!(Some(got), want, "{n} variables with {k} values each");
        }
    }
}

// exercise 2.2, 1 point
#[test]
fn independent_binary_params_match_gmcourse() {
    for n in [1u32, 2, 10, 784] {
        // reference: gmcourse::prob::counting::independent_params (binary pixels)
        let got = u128::from(independent_params(&vec![2; n as usize]));
        assert_eq!(
            Some(got),
            counting::independent_params(n).exact(),
            "{n} independent binary pixels"
        );
    }
}

// exercise 2.3, 1 point
#[test]
fn markov_params_match_gmcourse() {
    for n in [1u32, 2, 3, 100, 784, 3072] {
        // reference: gmcourse::prob::counting::markov_params
        let got = u128::from(markov_params_binary(u64::from(n)));
        assert_eq!(
            Some(got),
            counting::markov_params(n).exact(),
            "a Markov chain over {n} binary pixels"
        );
    }
}

// exercise 2.4, 1 point
#[test]
fn log10_of_image_counts_matches_gmcourse() {
    for n in [1u32, 64, 200, 784, 3072] {
        // reference: gmcourse::prob::counting::binary_outcomes, which is exact up to 2^127
        assert_close(
            log10_binary_images(u64::from(n)),
            counting::binary_outcomes(n).log10(),
            1e-9,
        );
    }
}
