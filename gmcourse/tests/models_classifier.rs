mod models_common;

use gmcourse::Error;
use gmcourse::models::Model;
use gmcourse::models::eval;
use gmcourse::models::{Classifier, ClassifierConfig, TrainConfig};
use gmcourse::testing::{assert_all_close, assert_close};

#[test]
fn classifier_beats_ninety_percent_on_noisy_patterns() {
    let (x, y) = models_common::patterns(1000, 0.2, 0);
    let (x_test, y_test) = models_common::patterns(300, 0.2, 1);
    let cfg = ClassifierConfig {
        hidden: vec![64, 32],
        n_classes: 4,
        ..Default::default()
    };
    let (clf, varmap) = Classifier::seeded(&cfg, 0).unwrap();
    let tc = TrainConfig {
        steps: 200,
        batch_size: 64,
        lr: 1e-3,
        log_every: 100,
        ..Default::default()
    };
    gmcourse::models::classifier::train(&clf, &varmap, &x, &y, &tc).unwrap();
    let acc = clf.accuracy(&x_test, &y_test).unwrap();
    println!("test accuracy {acc:.3}");
    assert!(acc > 0.9, "accuracy {acc}");
}

#[test]
fn mnist_score_of_a_trained_classifier_on_balanced_real_data_approaches_the_class_count() {
    let (x, y) = models_common::patterns(800, 0.1, 0);
    let cfg = ClassifierConfig {
        hidden: vec![64, 32],
        n_classes: 4,
        ..Default::default()
    };
    let (clf, varmap) = Classifier::seeded(&cfg, 0).unwrap();
    let tc = TrainConfig {
        steps: 200,
        batch_size: 64,
        lr: 1e-3,
        log_every: 0,
        ..Default::default()
    };
    gmcourse::models::classifier::train(&clf, &varmap, &x, &y, &tc).unwrap();
    let (x_test, _) = models_common::patterns(400, 0.1, 2);
    let score = eval::mnist_score_of(&clf, &x_test).unwrap();
    // 4 balanced classes, confidently classified: the score is close to 4
    assert!(score > 3.5 && score <= 4.0 + 1e-9, "score {score}");
    // one class only ("mode collapse"): the score falls to about 1
    let (all, labels) = models_common::patterns(400, 0.1, 3);
    let idx: Vec<u32> = (0..400u32).filter(|&i| labels[i as usize] == 0).collect();
    let collapsed = gmcourse::models::train::select_rows(&all, &idx).unwrap();
    let s1 = eval::mnist_score_of(&clf, &collapsed).unwrap();
    assert!(s1 < 1.2, "collapsed score {s1}");
    // FID: two real samples are close, real vs collapsed far apart
    let fid_real = eval::fid_of(&clf, &x_test, &all).unwrap();
    let fid_collapsed = eval::fid_of(&clf, &x_test, &collapsed).unwrap();
    println!(
        "score {score:.3}, collapsed {s1:.3}, FID real/real {fid_real:.3}, real/collapsed {fid_collapsed:.3}"
    );
    assert!(
        fid_collapsed > 5.0 * fid_real,
        "{fid_collapsed} vs {fid_real}"
    );
}

#[test]
fn jacobi_eigen_decomposition_reconstructs_a_random_symmetric_matrix() {
    use rand::Rng;
    let d = 12;
    let mut rng = gmcourse::models::train::rng(0);
    let b: Vec<f64> = (0..d * d).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mut a = vec![0f64; d * d];
    for i in 0..d {
        for j in 0..d {
            a[i * d + j] = b[i * d + j] + b[j * d + i];
        }
    }
    let (eig, v) = eval::symmetric_eigen(&a, d).unwrap();
    let mut back = vec![0f64; d * d];
    for i in 0..d {
        for j in 0..d {
            back[i * d + j] = (0..d).map(|k| v[i * d + k] * eig[k] * v[j * d + k]).sum();
        }
    }
    assert_all_close(&back, &a, 1e-10);
}

#[test]
fn fid_of_correlated_gaussians_matches_the_closed_form() {
    // Same covariance S: the trace term is Tr(2S - 2S) = 0, so FID = |mu_a - mu_b|².
    let s = [2.0, 0.5, 0.5, 1.0];
    let d = eval::frechet_distance(&[0.0, 0.0], &s, &[1.0, 2.0], &s).unwrap();
    assert_close(d, 5.0, 1e-9);
}

#[test]
fn probabilities_that_do_not_sum_to_one_are_refused() {
    let p = candle_core::Tensor::new(&[[0.7f32, 0.7]], &candle_core::Device::Cpu).unwrap();
    let err = eval::mnist_score(&p).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
    assert!(err.to_string().contains("row 0 sums to"), "{err}");
}

#[test]
fn labels_out_of_range_are_refused() {
    let (clf, _) = Classifier::seeded(&ClassifierConfig::default(), 0).unwrap();
    let (x, _) = models_common::patterns(2, 0.0, 0);
    let err = clf.accuracy(&x, &[3, 12]).unwrap_err();
    assert!(err.to_string().contains("12 at position 1"), "{err}");
}

/// Centre of mass (row, column) of a 28 × 28 image.
fn centroid(img: &[f32]) -> (f64, f64) {
    let (mut m, mut r, mut c) = (0.0, 0.0, 0.0);
    for (i, &v) in img.iter().enumerate() {
        let v = f64::from(v);
        m += v;
        r += v * (i / 28) as f64;
        c += v * (i % 28) as f64;
    }
    (r / m, c / m)
}

#[test]
fn shifting_real_digits_moves_them_by_whole_pixels_without_losing_ink() {
    let mnist = gmcourse::data::Mnist::load().unwrap();
    let x = mnist
        .train
        .take(200)
        .x(gmcourse::data::Pixels::Grey, &candle_core::Device::Cpu)
        .unwrap();
    let mut rng = gmcourse::models::train::rng(3);
    let moved = gmcourse::data::augment::shift(&x, 28, 2, &mut rng).unwrap();
    assert_eq!(moved.dims(), x.dims());
    let before = x.to_vec2::<f32>().unwrap();
    let after = moved.to_vec2::<f32>().unwrap();
    let mut offsets = std::collections::BTreeSet::new();
    let inside = |img: &[f32]| {
        img.iter()
            .enumerate()
            .all(|(i, &v)| v == 0.0 || (2..26).contains(&(i / 28)) && (2..26).contains(&(i % 28)))
    };
    let mut checked = 0;
    for (a, b) in before.iter().zip(&after) {
        // A digit with an empty 2-pixel frame loses no ink when moved by up to 2 pixels.
        if !inside(a) {
            continue;
        }
        checked += 1;
        let (sa, sb): (f32, f32) = (a.iter().sum(), b.iter().sum());
        assert_close(f64::from(sb), f64::from(sa), 1e-3);
        let ((ra, ca), (rb, cb)) = (centroid(a), centroid(b));
        let (dy, dx) = (rb - ra, cb - ca);
        assert_close(dy, dy.round(), 1e-3);
        assert_close(dx, dx.round(), 1e-3);
        assert!(
            dy.abs() <= 2.0 + 1e-9 && dx.abs() <= 2.0 + 1e-9,
            "moved by ({dy}, {dx})"
        );
        offsets.insert((dy.round() as i64, dx.round() as i64));
    }
    assert!(
        checked >= 150,
        "only {checked} of 200 digits have an empty frame"
    );
    // 25 possible offsets: all of them turn up.
    assert_eq!(offsets.len(), 25, "{offsets:?}");
}

#[test]
fn a_shift_on_images_that_are_not_square_is_refused_with_the_remedy() {
    let cfg = ClassifierConfig {
        n_pixels: 10,
        hidden: vec![4],
        max_shift: 2,
        ..Default::default()
    };
    let Err(err) = Classifier::seeded(&cfg, 0) else {
        panic!("a shift on 10-pixel images was accepted");
    };
    assert!(
        err.to_string()
            .contains("max_shift = 0 unless n_pixels is a square"),
        "{err}"
    );
}
