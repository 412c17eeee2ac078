//! Public tests for lesson 10. Run them with `./course check 10`.
use candle_core::{DType, Device, Tensor};
use gmcourse::testing::assert_close;
use solutions::l10_conditional_gan::*;

/// A u32 label vector `(n,)`.
fn labels(v: &[u32]) -> Tensor {
    Tensor::new(v, &Device::Cpu).expect("labels")
}

/// A column of logits `(n, 1)`.
fn logits(v: &[f32]) -> Tensor {
    Tensor::from_vec(v.to_vec(), (v.len(), 1), &Device::Cpu).expect("logits")
}

// exercise 10.1, 1 point
#[test]
fn one_hot_rows_of_labels_two_and_zero_among_three_classes() {
    let y = one_hot(&labels(&[2, 0]), 3).expect("2 and 0 are classes of 0..3");
    assert_eq!(y.dims(), &[2, 3], "one row per label, one column per class");
    assert_eq!(
        y.dtype(),
        DType::F32,
        "the rows are f32, like the networks' inputs"
    );
    assert_eq!(
        y.to_vec2::<f32>().expect("f32"),
        vec![vec![0.0, 0.0, 1.0], vec![1.0, 0.0, 0.0]]
    );
}

// exercise 10.2, 1 point
#[test]
fn conditioned_input_puts_the_one_hot_label_after_each_row() {
    let z = Tensor::new(&[[0.5f32, -1.0], [2.0, 3.0]], &Device::Cpu).expect("z");
    let y = Tensor::new(&[[0f32, 1.0, 0.0], [1.0, 0.0, 0.0]], &Device::Cpu).expect("y");
    let input = conditioned_input(&z, &y).expect("conditioned_input");
    assert_eq!(
        input.to_vec2::<f32>().expect("f32"),
        vec![
            vec![0.5, -1.0, 0.0, 1.0, 0.0],
            vec![2.0, 3.0, 1.0, 0.0, 0.0]
        ]
    );
}

// exercise 10.3, 1 point
#[test]
fn mismatched_labels_are_classes_and_never_the_images_own_label() {
    let y = labels(&[0, 1, 2, 3, 3, 0]);
    let u = Tensor::new(&[0.0f32, 0.3, 0.5, 0.7, 0.999, 0.5], &Device::Cpu).expect("u");
    let wrong = mismatched_labels(&y, &u, 4).expect("mismatched_labels");
    assert_eq!(wrong.dims(), &[6], "one label per image");
    assert_eq!(wrong.dtype(), DType::U32, "labels are u32");
    for (w, y) in wrong
        .to_vec1::<u32>()
        .expect("u32")
        .iter()
        .zip([0, 1, 2, 3, 3, 0])
    {
        assert!(
            *w < 4 && *w != y,
            "the wrong label for {y} must be another class of 0..4, got {w}"
        );
    }
}

// exercise 10.4, 1 point
#[test]
fn a_discriminator_that_says_one_half_everywhere_loses_two_ln_2() {
    // ln 2 on the real pairs, and ½(ln 2 + ln 2) on the two kinds of negative
    let zero = logits(&[0.0, 0.0, 0.0]);
    let loss = discriminator_loss(&zero, &zero, &zero, 1.0).expect("discriminator_loss");
    assert_eq!(loss.dims(), &[] as &[usize], "the loss is a scalar");
    assert_close(
        loss.to_scalar::<f32>().expect("f32") as f64,
        2.0 * 2f64.ln(),
        1e-6,
    );
}

// exercise 10.5, 1 point
#[test]
fn three_of_four_samples_classified_as_their_label_agree_three_quarters() {
    let class_probs = Tensor::new(
        &[
            [0.8f32, 0.1, 0.1], // class 0, asked for 0: agrees
            [0.2, 0.7, 0.1],    // class 1, asked for 1: agrees
            [0.1, 0.2, 0.7],    // class 2, asked for 2: agrees
            [0.6, 0.3, 0.1],    // class 0, asked for 2: disagrees
        ],
        &Device::Cpu,
    )
    .expect("probabilities");
    let agreement = label_agreement(&class_probs, &labels(&[0, 1, 2, 2])).expect("label_agreement");
    assert_close(agreement, 0.75, 1e-12);
}
