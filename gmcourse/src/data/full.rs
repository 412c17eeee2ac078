//! Full MNIST from the four standard IDX files (LeCun, Cortes & Burges,
//! <http://yann.lecun.com/exdb/mnist/>): 60,000 training and 10,000 test digits.
//!
//! The validation split is the last ⌊n_train / 6⌋ training images, i.e. train 50,000 /
//! val 10,000 / test 10,000, the split of the classic `mnist.pkl.gz` (Theano
//! deep-learning tutorials). Gzip'd files with the standard names are checked against
//! the MD5 digests listed in torchvision's `datasets/mnist.py`; uncompressed files are
//! checked for structure only (magic number, 28 × 28 sizes, matching counts, labels 0 … 9).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::checksum::{MNIST_GZ_MD5, md5_hex};
use super::idx::{maybe_gunzip, parse_idx_owned};
use super::mnist::{Mnist, MnistSource};
use super::split::{IMAGE_SIDE, Split};
use crate::{Error, Result};

/// The standard file stems, in the order train images, train labels, test images, test labels.
const STEMS: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// Where `fetch` downloads from, tried in order (torchvision's mirror list).
const MIRRORS: [&str; 2] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
];

const FULL_REMEDY: &str = "download the four standard files again (`Mnist::fetch(dir)`, or from http://yann.lecun.com/exdb/mnist/), or use the shipped subset with `Mnist::load()`";

/// The file for `stem` in `dir`: `stem.gz`, `stem`, or `stem` with its last `-` as a
/// `.` (as some mirrors name them), whichever exists first.
fn find_file(dir: &Path, stem: &str) -> Result<PathBuf> {
    let dotted = match stem.rfind("-idx") {
        Some(k) => format!("{}.{}", &stem[..k], &stem[k + 1..]),
        None => stem.to_string(),
    };
    let candidates = [
        format!("{stem}.gz"),
        stem.to_string(),
        format!("{dotted}.gz"),
        dotted,
    ];
    candidates
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| Error::Data {
            path: dir.join(format!("{stem}.gz")),
            problem: format!(
                "not found (looked for {} in {})",
                candidates.join(", "),
                dir.display()
            ),
            remedy: FULL_REMEDY.into(),
        })
}

/// Reads one standard file: MD5 for the canonical `.gz` names, then IDX structure.
fn read_full_file(path: &Path) -> Result<(Vec<usize>, Vec<u8>)> {
    let data_err = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
        remedy: FULL_REMEDY.into(),
    };
    let raw = std::fs::read(path).map_err(|e| data_err(format!("cannot read it ({e})")))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some((_, expected)) = MNIST_GZ_MD5.iter().find(|(n, _)| *n == name) {
        let got = md5_hex(&raw);
        if got != *expected {
            return Err(data_err(format!(
                "MD5 mismatch: the standard file has {expected} (torchvision's list), this one ({} bytes) has {got}; it is truncated, corrupt or not MNIST",
                raw.len()
            )));
        }
    }
    let bytes = maybe_gunzip(raw, path).map_err(|e| match e {
        Error::Data { problem, .. } => data_err(problem),
        other => other,
    })?;
    let a = parse_idx_owned(bytes, path).map_err(|e| match e {
        Error::Data { problem, .. } => data_err(problem),
        other => other,
    })?;
    Ok((a.dims, a.data))
}

/// Loads one (images, labels) pair into a split, checking that they agree.
fn load_pair(images: &Path, labels: &Path) -> Result<Split> {
    let (img_dims, img) = read_full_file(images)?;
    let (lab_dims, lab) = read_full_file(labels)?;
    let data_err = |path: &Path, problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
        remedy: FULL_REMEDY.into(),
    };
    if img_dims.len() != 3 || img_dims[1] != IMAGE_SIDE || img_dims[2] != IMAGE_SIDE {
        return Err(data_err(
            images,
            format!("expected image sizes (n, 28, 28), got {img_dims:?}"),
        ));
    }
    if lab_dims.len() != 1 || lab_dims[0] != img_dims[0] {
        return Err(data_err(
            labels,
            format!(
                "expected label sizes ({},) to match the {} images, got {lab_dims:?}",
                img_dims[0], img_dims[0]
            ),
        ));
    }
    if let Some(&y) = lab.iter().find(|&&y| y > 9) {
        return Err(data_err(
            labels,
            format!("expected digits 0 … 9, found label {y}"),
        ));
    }
    Split::new(img, lab)
}

impl Mnist {
    /// Loads full MNIST from `dir` holding `train-images-idx3-ubyte[.gz]`,
    /// `train-labels-idx1-ubyte[.gz]`, `t10k-images-idx3-ubyte[.gz]` and
    /// `t10k-labels-idx1-ubyte[.gz]`. The last ⌊n_train / 6⌋ training images become the
    /// validation split (50,000 / 10,000 / 10,000 for the standard files). Pixels get the
    /// same fixed binarization as the subset (grey ≥ 128).
    ///
    /// # Errors
    /// [`Error::Data`] naming the file if one is missing, has a bad magic number, wrong
    /// sizes, is truncated, or (for the standard `.gz` names) has the wrong MD5.
    ///
    /// ```
    /// // Writes a tiny but well-formed "full MNIST" of 12 + 2 digits, then loads it.
    /// use gmcourse::data::{idx::write_idx, Mnist};
    /// let dir = std::env::temp_dir().join(format!("gmcourse-doc-full-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// write_idx(dir.join("train-images-idx3-ubyte"), &[12, 28, 28], &[0; 12 * 784])?;
    /// write_idx(dir.join("train-labels-idx1-ubyte"), &[12], &[3; 12])?;
    /// write_idx(dir.join("t10k-images-idx3-ubyte"), &[2, 28, 28], &[255; 2 * 784])?;
    /// write_idx(dir.join("t10k-labels-idx1-ubyte"), &[2], &[1, 7])?;
    /// let mnist = Mnist::load_full(&dir)?;
    /// assert_eq!((mnist.train.len(), mnist.val.len(), mnist.test.len()), (10, 2, 2));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_full(dir: impl AsRef<Path>) -> Result<Mnist> {
        let dir = dir.as_ref();
        let paths = STEMS
            .iter()
            .map(|stem| find_file(dir, stem))
            .collect::<Result<Vec<_>>>()?;
        let (train_all, test) = std::thread::scope(|scope| {
            let train = scope.spawn(|| load_pair(&paths[0], &paths[1]));
            let test = load_pair(&paths[2], &paths[3]);
            let train = train.join().unwrap_or_else(|_| {
                Err(Error::Data {
                    path: paths[0].clone(),
                    problem: "the loader thread panicked".into(),
                    remedy: FULL_REMEDY.into(),
                })
            });
            (train, test)
        });
        let (train_all, test) = (train_all?, test?);
        let n = train_all.len();
        let n_val = n / 6;
        let train_idx: Vec<usize> = (0..n - n_val).collect();
        let val_idx: Vec<usize> = (n - n_val..n).collect();
        Ok(Mnist {
            train: train_all.select(&train_idx)?,
            val: train_all.select(&val_idx)?,
            test,
            source: MnistSource::Full {
                dir: dir.to_path_buf(),
            },
        })
    }

    /// Downloads the four standard `.gz` files into `dir` by running `curl`, checks
    /// their MD5, and returns `dir`. Files already present with the right MD5 are kept.
    ///
    /// Without network (or without `curl`) it returns an [`Error::Data`] whose message is
    /// one line; keep using the shipped subset ([`Mnist::load`]) then.
    ///
    /// # Errors
    /// [`Error::Data`] if `curl` is missing, every mirror fails, or a download has the
    /// wrong MD5; [`Error::Io`] if `dir` cannot be created.
    ///
    /// ```no_run
    /// // Not run by the doctests: it needs network access.
    /// use gmcourse::data::Mnist;
    /// let dir = std::path::Path::new("mnist-full");
    /// let mnist = match Mnist::fetch(dir) {
    ///     Ok(dir) => Mnist::load_full(dir)?,
    ///     Err(e) => { eprintln!("{e}"); Mnist::load()? }
    /// };
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn fetch(dir: impl AsRef<Path>) -> Result<PathBuf> {
        fetch_with(dir.as_ref(), "curl")
    }
}

/// [`Mnist::fetch`] with the download program named (tests use a missing one).
pub(crate) fn fetch_with(dir: &Path, curl: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (name, md5) in MNIST_GZ_MD5 {
        let target = dir.join(name);
        if std::fs::read(&target).is_ok_and(|raw| md5_hex(&raw) == md5) {
            continue;
        }
        let partial = dir.join(format!("{name}.part"));
        let mut failures = Vec::new();
        for mirror in MIRRORS {
            let url = format!("{mirror}{name}");
            let output = Command::new(curl)
                .args(["-fsSL", "--connect-timeout", "15", "--retry", "2", "-o"])
                .arg(&partial)
                .arg(&url)
                .output();
            match output {
                Err(e) => {
                    return Err(Error::Data {
                        path: target,
                        problem: format!("cannot run `{curl}` to download it ({e})"),
                        remedy: "install curl, or copy the four MNIST .gz files into the folder by hand; the shipped subset (`Mnist::load()`) works without them".into(),
                    });
                }
                Ok(out) if out.status.success() => {
                    let raw = std::fs::read(&partial).map_err(|e| Error::io(&partial, e))?;
                    let got = md5_hex(&raw);
                    if got == md5 {
                        std::fs::rename(&partial, &target).map_err(|e| Error::io(&target, e))?;
                        failures.clear();
                        break;
                    }
                    failures.push(format!("{url}: MD5 {got}, expected {md5}"));
                }
                Ok(out) => {
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    let first = stderr.lines().next().unwrap_or("no message").trim();
                    failures.push(format!("{url}: {first}"));
                }
            }
        }
        std::fs::remove_file(&partial).ok();
        if !target.is_file() || !failures.is_empty() {
            return Err(Error::Data {
                path: target,
                problem: format!("download failed ({})", failures.join("; ")),
                remedy: "no network? copy the four MNIST .gz files into the folder by hand, or keep using the shipped 10,000-digit subset (`Mnist::load()`)".into(),
            });
        }
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::data::PIXELS;
    use crate::data::idx::write_idx;

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

    /// Writes a small well-formed full-MNIST folder: 30 train and 5 test images whose
    /// grey level is 8 × their label, so every pixel says where it came from.
    fn write_small_full(tag: &str) -> TempDir {
        let dir = temp_dir(tag);
        for (prefix, n) in [("train", 30usize), ("t10k", 5)] {
            let labels: Vec<u8> = (0..n).map(|i| (i % 10) as u8).collect();
            let images: Vec<u8> = labels
                .iter()
                .flat_map(|&y| vec![y * 8 + 100; PIXELS])
                .collect();
            write_idx(
                dir.join(format!("{prefix}-images-idx3-ubyte")),
                &[n, 28, 28],
                &images,
            )
            .unwrap();
            write_idx(
                dir.join(format!("{prefix}-labels-idx1-ubyte")),
                &[n],
                &labels,
            )
            .unwrap();
        }
        dir
    }

    #[test]
    fn small_full_mnist_loads_with_a_sixth_held_out_for_validation() {
        let dir = write_small_full("full-ok");
        let m = Mnist::load_full(&dir).unwrap();
        assert_eq!((m.train.len(), m.val.len(), m.test.len()), (25, 5, 5));
        // Validation is the last 5 training images: labels 5..9.
        assert_eq!(m.val.labels, vec![5, 6, 7, 8, 9]);
        assert_eq!(m.val.image(0).unwrap()[0], 5 * 8 + 100);
        assert_eq!(m.test.labels, vec![0, 1, 2, 3, 4]);
        // Grey 100..172 < 128 for labels 0..3, >= 128 from label 4 on.
        assert_eq!(m.test.binarized_image(3).unwrap()[0], 0);
        assert_eq!(m.test.binarized_image(4).unwrap()[0], 1);
        assert_eq!(
            m.source,
            MnistSource::Full {
                dir: dir.to_path_buf()
            }
        );
    }

    #[test]
    fn dotted_file_names_are_found() {
        let dir = write_small_full("full-dotted");
        std::fs::rename(
            dir.join("t10k-labels-idx1-ubyte"),
            dir.join("t10k-labels.idx1-ubyte"),
        )
        .unwrap();
        assert_eq!(Mnist::load_full(&dir).unwrap().test.len(), 5);
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = write_small_full("full-missing");
        std::fs::remove_file(dir.join("train-labels-idx1-ubyte")).unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(msg.contains("train-labels-idx1-ubyte"), "{msg}");
        assert!(msg.contains("not found"), "{msg}");
        assert!(
            msg.contains("Remedy: download the four standard files again"),
            "{msg}"
        );
    }

    #[test]
    fn a_truncated_file_is_rejected_with_its_sizes() {
        let dir = write_small_full("full-truncated");
        let path = dir.join("t10k-images-idx3-ubyte");
        let raw = std::fs::read(&path).unwrap();
        std::fs::write(&path, &raw[..raw.len() - 100]).unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(msg.contains("t10k-images-idx3-ubyte"), "{msg}");
        assert!(msg.contains("3920 bytes of data, file has 3820"), "{msg}");
    }

    #[test]
    fn a_bad_magic_number_is_rejected() {
        let dir = write_small_full("full-magic");
        let path = dir.join("train-images-idx3-ubyte");
        let mut raw = std::fs::read(&path).unwrap();
        raw[..4].copy_from_slice(&[0x1f, 0x8b, 0x08, 0x00]);
        std::fs::write(&path, &raw).unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(msg.contains("train-images-idx3-ubyte"), "{msg}");
        assert!(msg.contains("bad magic number"), "{msg}");
    }

    #[test]
    fn images_and_labels_must_agree_in_count() {
        let dir = write_small_full("full-count");
        write_idx(dir.join("t10k-labels-idx1-ubyte"), &[4], &[0, 1, 2, 3]).unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(msg.contains("expected label sizes (5,)"), "{msg}");
    }

    #[test]
    fn images_must_be_28_by_28() {
        let dir = write_small_full("full-side");
        write_idx(
            dir.join("t10k-images-idx3-ubyte"),
            &[5, 32, 32],
            &[0; 5 * 1024],
        )
        .unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(
            msg.contains("expected image sizes (n, 28, 28), got [5, 32, 32]"),
            "{msg}"
        );
    }

    #[test]
    fn a_standard_gz_name_with_other_content_fails_the_md5_check() {
        let dir = write_small_full("full-md5");
        std::fs::remove_file(dir.join("t10k-labels-idx1-ubyte")).unwrap();
        write_idx(
            dir.join("t10k-labels-idx1-ubyte.gz"),
            &[5],
            &[0, 1, 2, 3, 4],
        )
        .unwrap();
        let msg = Mnist::load_full(&dir).unwrap_err().to_string();
        assert!(
            msg.contains("t10k-labels-idx1-ubyte.gz: MD5 mismatch"),
            "{msg}"
        );
        assert!(msg.contains("ec29112dd5afa0611ce80d1b7f02629c"), "{msg}");
    }

    #[test]
    fn fetch_without_curl_fails_with_one_line_and_a_remedy() {
        let dir = temp_dir("fetch-no-curl");
        let err = fetch_with(&dir, "gmcourse-no-such-curl-program").unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains('\n'), "{msg}");
        assert!(
            msg.contains("cannot run `gmcourse-no-such-curl-program`"),
            "{msg}"
        );
        assert!(msg.contains("shipped subset"), "{msg}");
    }
}
