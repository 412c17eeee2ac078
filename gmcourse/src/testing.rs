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

/// [`assert_close`] for slices of equal length, element by element.
///
/// ```
/// gmcourse::testing::assert_all_close(&[0.5, 0.25], &[0.5, 0.25], 1e-12);
/// ```
#[track_caller]
pub fn assert_all_close(actual: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "length differs: expected {}, got {}",
        expected.len(),
        actual.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let ok = (a - e).abs() <= tol || (a.is_infinite() && a == e);
        assert!(ok, "at index {i}: expected {e} (± {tol}), got {a}");
    }
}

#[cfg(test)]
pub(crate) use temp::{TempDir, temp_dir};

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
