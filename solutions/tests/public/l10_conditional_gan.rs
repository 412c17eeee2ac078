//! Public tests for lesson 10. Run them with `./course check 10`.
use gmcourse::testing::{assert_all_close, assert_close};
use solutions::l10_conditional_gan::*;

// exercise 10.1, 1 point
#[test]
fn one_hot_of_label_two_among_four_classes_has_its_one_at_index_two() {
    let y = one_hot(2, 4).expect("2 is a class of 0..4");
    assert_all_close(&y, &[0.0, 0.0, 1.0, 0.0], 0.0);
}

// exercise 10.2, 1 point
#[test]
fn conditioned_input_appends_the_one_hot_label_to_z() {
    let input = conditioned_input(&[0.5, -1.0], 1, 3).expect("1 is a class of 0..3");
    assert_all_close(&input, &[0.5, -1.0, 0.0, 1.0, 0.0], 0.0);
}

// exercise 10.3, 1 point
#[test]
fn three_of_four_samples_classified_as_their_label_agree_three_quarters() {
    let class_probs = vec![
        vec![0.8, 0.1, 0.1], // class 0, asked for 0: agrees
        vec![0.2, 0.7, 0.1], // class 1, asked for 1: agrees
        vec![0.1, 0.2, 0.7], // class 2, asked for 2: agrees
        vec![0.6, 0.3, 0.1], // class 0, asked for 2: disagrees
    ];
    assert_close(label_agreement(&class_probs, &[0, 1, 2, 2]), 0.75, 1e-12);
}
