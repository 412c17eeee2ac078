//! Shared test helpers: one way to compare floats across the crate, the exercises and
//! the hidden tests.

/// Panics unless `|actual - expected| <= tol`, with a message that shows both values.
///
/// `tol` is absolute; pass a relative tolerance by scaling it yourself.
///
/// ```
/// gmcourse::testing::assert_close(0.1 + 0.2, 0.3, 1e-12);
/// ```
///
/// ```should_panic
/// gmcourse::testing::assert_close(0.469, 0.467, 1e-4);
/// ```
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tol: f64) {
    let ok = (actual - expected).abs() <= tol || (actual.is_infinite() && actual == expected);
    assert!(
        ok,
        "expected {expected} (± {tol}), got {actual} (off by {:e})",
        (actual - expected).abs()
    );
}

/// [`assert_close`] for arrays of equal length, element by element: `ndarray` arrays or
/// views, `&Vec<f64>`, `&[f64]` or `&[f64; N]`.
///
/// ```
/// use ndarray::array;
/// gmcourse::testing::assert_all_close(&array![0.5, 0.25], &[0.5, 0.25], 1e-12);
/// gmcourse::testing::assert_all_close(&vec![0.5, 0.25], array![[0.5], [0.25]].column(0), 1e-12);
/// ```
#[track_caller]
pub fn assert_all_close<'a, 'b>(
    actual: impl Into<ndarray::ArrayView1<'a, f64>>,
    expected: impl Into<ndarray::ArrayView1<'b, f64>>,
    tol: f64,
) {
    let (actual, expected) = (actual.into(), expected.into());
    assert_eq!(
        actual.len(),
        expected.len(),
        "length differs: expected {}, got {}",
        expected.len(),
        actual.len()
    );
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        let ok = (a - e).abs() <= tol || (a.is_infinite() && a == e);
        assert!(ok, "at index {i}: expected {e} (± {tol}), got {a}");
    }
}

/// Panics unless `actual` and `expected` have the same shape and dtype and every element
/// is within `tol · (1 + |expected|)` of the other (a relative tolerance that becomes
/// absolute near 0). A NaN anywhere in `actual` fails; the message names the first element
/// off and both shapes.
///
/// ```
/// use candle_core::{Device, Tensor};
/// let a = Tensor::new(&[[1.0f32, 2.0]], &Device::Cpu)?;
/// gmcourse::testing::assert_tensors_close(&a, &(&a + 1e-7)?, 1e-5);
/// # Ok::<(), candle_core::Error>(())
/// ```
///
/// ```should_panic
/// use candle_core::{Device, Tensor};
/// let a = Tensor::new(&[1.0f32, 2.0], &Device::Cpu).unwrap();
/// gmcourse::testing::assert_tensors_close(&a, &a.reshape((1, 2)).unwrap(), 1e-5);
/// ```
#[track_caller]
pub fn assert_tensors_close(
    actual: &candle_core::Tensor,
    expected: &candle_core::Tensor,
    tol: f64,
) {
    use candle_core::DType;
    assert_eq!(
        actual.dims(),
        expected.dims(),
        "shape differs: expected {:?}, got {:?}",
        expected.dims(),
        actual.dims()
    );
    assert_eq!(
        actual.dtype(),
        expected.dtype(),
        "dtype differs: expected {:?}, got {:?}",
        expected.dtype(),
        actual.dtype()
    );
    let flat = |t: &candle_core::Tensor| -> Vec<f64> {
        t.to_dtype(DType::F64)
            .and_then(|t| t.flatten_all())
            .and_then(|t| t.to_vec1::<f64>())
            .expect("a tensor of numbers")
    };
    let (a, e) = (flat(actual), flat(expected));
    for (i, (a, e)) in a.iter().zip(&e).enumerate() {
        let ok = (a - e).abs() <= tol * (1.0 + e.abs()) || (a.is_infinite() && a == e);
        assert!(
            ok,
            "element {i} (of shape {:?}): expected {e} (± {tol} relative), got {a}",
            expected.dims()
        );
    }
}

#[cfg(test)]
pub(crate) use temp::{TempDir, temp_dir};

/// Every binary image of `d` pixels, `2^d` of them (for sums over all images).
#[cfg(test)]
pub(crate) fn all_binary_images(d: usize) -> Vec<Vec<u8>> {
    (0..1u32 << d)
        .map(|b| (0..d).map(|i| ((b >> i) & 1) as u8).collect())
        .collect()
}

/// Folders for the crate's own tests (data files, checkpoints).
#[cfg(test)]
mod temp {
    use std::path::{Path, PathBuf};

    /// A fresh, empty folder under the system temp dir, unique to this process and
    /// `tag`, removed again when the guard drops.
    #[derive(Debug)]
    pub(crate) struct TempDir(PathBuf);

    impl std::ops::Deref for TempDir {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl AsRef<Path> for TempDir {
        fn as_ref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    pub(crate) fn temp_dir(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("gmcourse-test-{}-{tag}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}
