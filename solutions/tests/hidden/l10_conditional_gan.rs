//! Hidden tests for lesson 10: never copied into exercises/.
use gmcourse::testing::{assert_all_close, assert_close};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::l10_conditional_gan::*;

// exercise 10.1, 1 point
#[test]
fn one_hot_of_every_digit_has_a_single_one_at_the_label() {
    for y in 0..10 {
        let v = one_hot(y, 10).expect("every digit 0..10 is a class");
        let want: Vec<f64> = (0..10).map(|k| if k == y { 1.0 } else { 0.0 }).collect();
        assert_all_close(&v, &want, 0.0);
    }
}

// exercise 10.1, 2 points
#[test]
fn one_hot_of_a_label_outside_the_classes_is_an_invalid_argument_error() {
    for (y, n_classes) in [(10, 10), (3, 2), (0, 0)] {
        let got = one_hot(y, n_classes);
        assert!(
            matches!(got, Err(gmcourse::Error::InvalidArgument { .. })),
            "one_hot({y}, {n_classes}): label {y} is not a class of 0..{n_classes}; expected Err(gmcourse::Error::invalid(..)), got {got:?}"
        );
    }
}

// exercise 10.2, 2 points
#[test]
fn conditioned_input_keeps_a_seeded_z_and_appends_the_label() {
    let mut rng = StdRng::seed_from_u64(10);
    let z: Vec<f64> = (0..100).map(|_| rng.random_range(-3.0..3.0)).collect();
    let input = conditioned_input(&z, 7, 10).expect("7 is a class of 0..10");
    assert_eq!(
        input.len(),
        110,
        "[z ‖ one_hot(y)] with 100 noise values and 10 classes has 110 entries"
    );
    assert_all_close(&input[..100], &z, 0.0);
    let mut label = vec![0.0; 10];
    label[7] = 1.0;
    assert_all_close(&input[100..], &label, 0.0);
}

// exercise 10.2, 1 point
#[test]
fn conditioned_input_rejects_a_label_outside_the_classes() {
    let got = conditioned_input(&[0.1, 0.2], 10, 10);
    assert!(
        matches!(got, Err(gmcourse::Error::InvalidArgument { .. })),
        "conditioned_input(z, 10, 10): label 10 is not a class of 0..10; expected the error of one_hot, got {got:?}"
    );
}

// exercise 10.3, 2 points
#[test]
fn label_agreement_matches_a_reference_on_seeded_classifier_outputs() {
    let mut rng = StdRng::seed_from_u64(1010);
    let n = 500;
    let class_probs: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            let raw: Vec<f64> = (0..10).map(|_| rng.random_range(0.0..1.0)).collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|r| r / total).collect()
        })
        .collect();
    let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..10)).collect();
    // reference: count argmax == label directly
    let hits = class_probs
        .iter()
        .zip(&labels)
        .filter(|(p, y)| {
            let best = (0..10).fold(0, |b, k| if p[k] > p[b] { k } else { b });
            best == **y
        })
        .count();
    assert_close(
        label_agreement(&class_probs, &labels),
        hits as f64 / n as f64,
        1e-12,
    );
}

// exercise 10.3, 1 point
#[test]
fn label_agreement_is_one_for_a_perfect_generator_and_zero_for_a_wrong_one() {
    let probs = vec![vec![0.9, 0.1], vec![0.3, 0.7]];
    assert_close(label_agreement(&probs, &[0, 1]), 1.0, 1e-15);
    assert_close(label_agreement(&probs, &[1, 0]), 0.0, 1e-15);
}

// exercise 10.3, 1 point
#[test]
fn ties_in_the_classifier_output_go_to_the_smaller_class() {
    // argmax of (0.4, 0.4, 0.2) is class 0, as in NumPy
    let probs = vec![vec![0.4, 0.4, 0.2], vec![0.25, 0.25, 0.5]];
    assert_close(label_agreement(&probs, &[0, 2]), 1.0, 1e-15);
    assert_close(label_agreement(&probs, &[1, 2]), 0.5, 1e-15);
}
