//! Public tests for lesson 03. Run them with `./course check 03`.
use gmcourse::testing::assert_close;
use ndarray::array;
use solutions::l03_information_theory::*;

// exercise 3.1, 1 point
#[test]
fn tails_of_the_biased_coin_carries_3_32_bits() {
    // note 003: I(T) = −log2 0.1 = 3.3219...
    assert_close(self_information_bits(0.1), 3.321_928_094_887_362, 1e-12);
}

// exercise 3.2, 1 point
#[test]
fn entropy_of_the_biased_coin_is_0_469_bits() {
    // H(0.9) = 0.4689955935892812 (note 003 rounds to 0.467; see curriculum Z4)
    assert_close(
        entropy_bits(&array![0.9, 0.1]),
        0.468_995_593_589_281_2,
        1e-12,
    );
}

// exercise 3.3, 1 point
#[test]
fn cross_entropy_of_a_distribution_with_itself_is_its_entropy() {
    assert_close(
        cross_entropy_bits(&array![0.9, 0.1], &array![0.9, 0.1]),
        0.468_995_593_589_281_2,
        1e-12,
    );
}

// exercise 3.4, 1 point
#[test]
fn kl_of_identical_distributions_is_zero() {
    assert_close(
        kl_bits(&array![0.2, 0.3, 0.5], &array![0.2, 0.3, 0.5]),
        0.0,
        1e-12,
    );
}

// exercise 3.5, 1 point
#[test]
fn a_fair_coin_and_its_copy_share_one_bit() {
    // Y = X for a fair coin: seeing Y tells X exactly
    assert_close(
        mutual_information_bits(&array![[0.5, 0.0], [0.0, 0.5]]),
        1.0,
        1e-12,
    );
}
