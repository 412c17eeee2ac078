//! Sample-quality scores computed with the course classifier.
//!
//! ```text
//! MNIST score = exp( E_x KL( p(y|x) ‖ p(y) ) ),  p(y) = E_x p(y|x)     (Salimans et al. 2016)
//! FID = ‖mu_a - mu_b‖² + Tr(S_a + S_b - 2 (S_a^{1/2} S_b S_a^{1/2})^{1/2})  (Heusel et al. 2017)
//! ```
//!
//! The score is 1 for samples that all look alike or that the classifier cannot place, and
//! at most the number of classes (10) for confident, evenly spread samples. FID is the
//! Fréchet distance between Gaussians fitted to the classifier's penultimate features of
//! two sample sets; 0 means identical statistics.
//!
//! The matrix square root uses an eigen-decomposition of a symmetric PSD matrix by the
//! cyclic Jacobi method ([`symmetric_eigen`]), written here so that the crate needs no
//! linear-algebra dependency.

use candle_core::{DType, Tensor};

use super::classifier::Classifier;
use crate::{Error, Result};

/// The MNIST score (Inception score with the course classifier) of class probabilities
/// `probs` `(n, classes)`, rows summing to one.
///
/// ```
/// use candle_core::{Device, Tensor};
/// // confident and evenly spread over 2 classes: score 2
/// let p = Tensor::new(&[[1f32, 0.0], [0.0, 1.0]], &Device::Cpu)?;
/// gmcourse::testing::assert_close(gmcourse::models::eval::mnist_score(&p)?, 2.0, 1e-9);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn mnist_score(probs: &Tensor) -> Result<f64> {
    let (rows, p_y) = class_probs(probs)?;
    let n = rows.len() as f64;
    let mean_kl = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&p_y)
                .filter(|(p, _)| **p > 0.0)
                .map(|(p, q)| p * (p / q).ln())
                .sum::<f64>()
        })
        .sum::<f64>()
        / n;
    Ok(mean_kl.exp())
}

/// `probs` `(n, classes)` checked (rows of probabilities summing to one) as `f64` rows,
/// with their mean `p(y) = E_x p(y|x)`.
fn class_probs(probs: &Tensor) -> Result<(Vec<Vec<f64>>, Vec<f64>)> {
    let dims = probs.dims();
    if dims.len() != 2 || dims[0] == 0 || dims[1] < 2 {
        return Err(Error::shape(
            "probs",
            "(n, classes) with n >= 1 and classes >= 2",
            format!("{dims:?}"),
        ));
    }
    let rows = probs.to_dtype(DType::F64)?.to_vec2::<f64>()?;
    for (i, r) in rows.iter().enumerate() {
        let s: f64 = r.iter().sum();
        if (s - 1.0).abs() > 1e-3 || r.iter().any(|&p| !(0.0..=1.0 + 1e-6).contains(&p)) {
            return Err(Error::invalid(
                "probs",
                "rows of probabilities summing to 1 (apply softmax first)",
                format!("row {i} sums to {s}"),
            ));
        }
    }
    let n = rows.len() as f64;
    let p_y = (0..dims[1])
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n)
        .collect();
    Ok((rows, p_y))
}

/// The two factors of the MNIST score, `score = spread / ambiguity`
/// (`E KL(p(y|x) ‖ p(y)) = H(y) − E H(y|x)`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreParts {
    /// `p(y) = E_x p(y|x)`: the samples' class mix.
    pub p_y: Vec<f64>,
    /// `exp H(y)`: the effective number of classes the samples spread over (10 for
    /// evenly spread digits, 1 for a single class).
    pub spread: f64,
    /// `exp E_x H(y|x)`: how many classes the classifier hesitates between on one sample
    /// (1 = certain).
    pub ambiguity: f64,
}

/// [`ScoreParts`] of class probabilities `probs` `(n, classes)`: whether a low score comes
/// from unbalanced classes or from ambiguous samples.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let p = Tensor::new(&[[1f32, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, 0.5]], &Device::Cpu)?;
/// let parts = gmcourse::models::eval::mnist_score_parts(&p)?;
/// gmcourse::testing::assert_close(parts.spread, 2.0, 1e-9); // p(y) = (1/2, 1/2)
/// gmcourse::testing::assert_close(parts.ambiguity, 2f64.sqrt(), 1e-9); // E H = ln 2 / 2
/// let score = gmcourse::models::eval::mnist_score(&p)?;
/// gmcourse::testing::assert_close(parts.spread / parts.ambiguity, score, 1e-9);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn mnist_score_parts(probs: &Tensor) -> Result<ScoreParts> {
    let (rows, p_y) = class_probs(probs)?;
    // rows are probabilities to 1e-3 (f32 softmax); renormalised for `entropy`'s 1e-9 check
    let h = |p: &[f64]| {
        let s: f64 = p.iter().sum();
        let p: Vec<f64> = p.iter().map(|q| q / s).collect();
        crate::info::entropy(&p, crate::info::Unit::Nats)
    };
    let mut h_y_x = 0.0;
    for r in &rows {
        h_y_x += h(r)?;
    }
    Ok(ScoreParts {
        spread: h(&p_y)?.exp(),
        ambiguity: (h_y_x / rows.len() as f64).exp(),
        p_y,
    })
}

/// The MNIST score of `images` `(n, 784)` under `classifier`.
///
/// ```
/// use gmcourse::models::Model;
/// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
/// let x = candle_core::Tensor::zeros((4, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// // identical images: every p(y|x) equals p(y), the score is 1
/// gmcourse::testing::assert_close(gmcourse::models::eval::mnist_score_of(&clf, &x)?, 1.0, 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn mnist_score_of(classifier: &Classifier, images: &Tensor) -> Result<f64> {
    mnist_score(&classifier.probs(images)?)
}

/// FID between the classifier features of `images_a` and `images_b` (each `(n, 784)`).
///
/// ```
/// use gmcourse::models::Model;
/// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
/// let x = gmcourse::models::train::rand_uniform(&mut gmcourse::models::train::rng(0), 300, 784)?;
/// let fid = gmcourse::models::eval::fid_of(&clf, &x, &x)?;
/// gmcourse::testing::assert_close(fid, 0.0, 1e-6);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fid_of(classifier: &Classifier, images_a: &Tensor, images_b: &Tensor) -> Result<f64> {
    fid(
        &classifier.features(images_a)?,
        &classifier.features(images_b)?,
    )
}

/// FID between two feature sets `(n_a, d)` and `(n_b, d)` (n ≥ 2 each).
///
/// ```
/// use candle_core::{Device, Tensor};
/// let a = Tensor::new(&[[0f32], [2.0]], &Device::Cpu)?; // mean 1, variance 2
/// let b = Tensor::new(&[[3f32], [5.0]], &Device::Cpu)?; // mean 4, variance 2
/// gmcourse::testing::assert_close(gmcourse::models::eval::fid(&a, &b)?, 9.0, 1e-9);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn fid(features_a: &Tensor, features_b: &Tensor) -> Result<f64> {
    let (mu_a, cov_a, d) = mean_and_covariance(features_a, "features_a")?;
    let (mu_b, cov_b, d_b) = mean_and_covariance(features_b, "features_b")?;
    if d != d_b {
        return Err(Error::shape(
            "features_b",
            format!("(n, {d}) like features_a"),
            format!("(n, {d_b})"),
        ));
    }
    frechet_distance(&mu_a, &cov_a, &mu_b, &cov_b)
}

/// The Fréchet distance between `N(mu_a, cov_a)` and `N(mu_b, cov_b)`; covariances are
/// row-major `d × d`.
///
/// ```
/// // N(0, I) vs N(m, 4I) in 2-D: |m|² + 2·(1 + 4 - 2·2) = |m|² + 2
/// let d = gmcourse::models::eval::frechet_distance(&[0.0, 0.0], &[1.0, 0.0, 0.0, 1.0], &[3.0, 4.0], &[4.0, 0.0, 0.0, 4.0])?;
/// gmcourse::testing::assert_close(d, 27.0, 1e-9);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn frechet_distance(mu_a: &[f64], cov_a: &[f64], mu_b: &[f64], cov_b: &[f64]) -> Result<f64> {
    let d = mu_a.len();
    if mu_b.len() != d || cov_a.len() != d * d || cov_b.len() != d * d {
        return Err(Error::shape(
            "frechet_distance",
            format!("means of length {d} and {d}×{d} covariances"),
            format!(
                "means {} and {}, covariances of {} and {} entries",
                d,
                mu_b.len(),
                cov_a.len(),
                cov_b.len()
            ),
        ));
    }
    let mean_term: f64 = mu_a.iter().zip(mu_b).map(|(a, b)| (a - b).powi(2)).sum();
    let sqrt_a = sqrtm_psd(cov_a, d)?;
    let m = matmul(&matmul(&sqrt_a, cov_b, d), &sqrt_a, d);
    let (eig, _) = symmetric_eigen(&m, d)?;
    let tr_covmean: f64 = eig.iter().map(|&l| l.max(0.0).sqrt()).sum();
    let trace = |c: &[f64]| (0..d).map(|i| c[i * d + i]).sum::<f64>();
    Ok(mean_term + trace(cov_a) + trace(cov_b) - 2.0 * tr_covmean)
}

/// Mean `(d)` and unbiased covariance `(d × d)` of the rows of `x` `(n, d)`.
fn mean_and_covariance(x: &Tensor, what: &str) -> Result<(Vec<f64>, Vec<f64>, usize)> {
    let dims = x.dims();
    if dims.len() != 2 || dims[0] < 2 || dims[1] == 0 {
        return Err(Error::shape(
            what,
            "(n, d) with n >= 2",
            format!("{dims:?}"),
        ));
    }
    let (n, d) = (dims[0], dims[1]);
    let rows = x.to_dtype(DType::F64)?.to_vec2::<f64>()?;
    let mu: Vec<f64> = (0..d)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n as f64)
        .collect();
    let mut cov = vec![0f64; d * d];
    for r in &rows {
        for i in 0..d {
            let ci = r[i] - mu[i];
            for j in i..d {
                cov[i * d + j] += ci * (r[j] - mu[j]);
            }
        }
    }
    for i in 0..d {
        for j in i..d {
            let v = cov[i * d + j] / (n - 1) as f64;
            cov[i * d + j] = v;
            cov[j * d + i] = v;
        }
    }
    Ok((mu, cov, d))
}

fn matmul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut c = vec![0f64; d * d];
    for i in 0..d {
        for k in 0..d {
            let aik = a[i * d + k];
            for j in 0..d {
                c[i * d + j] += aik * b[k * d + j];
            }
        }
    }
    c
}

/// The symmetric square root `V diag(√max(λ, 0)) Vᵀ` of a symmetric PSD `d × d` matrix.
///
/// ```
/// let s = gmcourse::models::eval::sqrtm_psd(&[4.0, 0.0, 0.0, 9.0], 2)?;
/// gmcourse::testing::assert_all_close(&s, &[2.0, 0.0, 0.0, 3.0], 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn sqrtm_psd(a: &[f64], d: usize) -> Result<Vec<f64>> {
    let (eig, v) = symmetric_eigen(a, d)?;
    let mut s = vec![0f64; d * d];
    for k in 0..d {
        let r = eig[k].max(0.0).sqrt();
        for i in 0..d {
            let vik = v[i * d + k] * r;
            for j in 0..d {
                s[i * d + j] += vik * v[j * d + k];
            }
        }
    }
    Ok(s)
}

/// Eigenvalues and eigenvectors (columns of the row-major `V`) of a symmetric `d × d`
/// matrix, by cyclic Jacobi rotations, so that `A = V diag(λ) Vᵀ`.
///
/// ```
/// let (eig, _v) = gmcourse::models::eval::symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2)?;
/// let mut eig = eig;
/// eig.sort_by(f64::total_cmp);
/// gmcourse::testing::assert_all_close(&eig, &[1.0, 3.0], 1e-12);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn symmetric_eigen(a: &[f64], d: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    if a.len() != d * d {
        return Err(Error::shape(
            "symmetric_eigen",
            format!("{d}×{d} = {} entries", d * d),
            a.len(),
        ));
    }
    if a.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "symmetric_eigen",
            "finite entries",
            "NaN or infinity",
        ));
    }
    for i in 0..d {
        for j in 0..i {
            let (x, y) = (a[i * d + j], a[j * d + i]);
            if (x - y).abs() > 1e-9 * (1.0 + x.abs().max(y.abs())) {
                return Err(Error::invalid(
                    "symmetric_eigen",
                    "a symmetric matrix",
                    format!("a[{i}][{j}] = {x} but a[{j}][{i}] = {y}"),
                ));
            }
        }
    }
    let mut a = a.to_vec();
    let mut v = vec![0f64; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    let norm: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|p| ((p + 1)..d).map(move |q| (p, q)))
            .map(|(p, q)| a[p * d + q].powi(2))
            .sum();
        if off <= 1e-30 * norm.max(1e-300) {
            break;
        }
        for p in 0..d {
            for q in (p + 1)..d {
                let apq = a[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let eig = (0..d).map(|i| a[i * d + i]).collect();
    Ok((eig, v))
}
