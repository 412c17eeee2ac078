//! Checksums of data files: SHA-256 against a `SHA256SUMS` manifest (`sha256sum -c`
//! format, `<64 hex>  <file name>` per line) for the shipped subset, and MD5 against the
//! published digests of the four standard MNIST `.gz` files.

use std::path::Path;

use md5::Md5;
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// Lower-case hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// MD5 of `bytes` as 32 lower-case hex digits.
pub(crate) fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

/// Parses a `SHA256SUMS` manifest into (file name, digest) pairs.
pub(crate) fn parse_manifest(
    text: &str,
    path: &Path,
    remedy: &str,
) -> Result<Vec<(String, String)>> {
    let mut entries = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line
            .split_once(char::is_whitespace)
            .and_then(|(digest, name)| {
                let name = name.trim_start().trim_start_matches('*');
                let ok = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
                (ok && !name.is_empty()).then(|| (name.to_string(), digest.to_ascii_lowercase()))
            });
        match parsed {
            Some(entry) => entries.push(entry),
            None => {
                return Err(Error::Data {
                    path: path.to_path_buf(),
                    problem: format!(
                        "line {} is not `<64 hex digits>  <file name>`: {line:?}",
                        k + 1
                    ),
                    remedy: remedy.into(),
                });
            }
        }
    }
    Ok(entries)
}

/// The MD5 digests of the standard MNIST files as listed in torchvision's
/// `torchvision/datasets/mnist.py` (`MNIST.resources`), the same in every mirror.
pub(crate) const MNIST_GZ_MD5: [(&str, &str); 4] = [
    (
        "train-images-idx3-ubyte.gz",
        "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    ),
    (
        "train-labels-idx1-ubyte.gz",
        "d53e105ee54ea40749a09fcbcd1e9432",
    ),
    (
        "t10k-images-idx3-ubyte.gz",
        "9fb629c4189551a2d022fa330f9573f3",
    ),
    (
        "t10k-labels-idx1-ubyte.gz",
        "ec29112dd5afa0611ce80d1b7f02629c",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_published_test_vectors() {
        // FIPS 180-2 appendix B.1 and RFC 1321 appendix A.5, message "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn manifest_lines_parse_and_garbage_is_rejected() {
        let d = "a".repeat(64);
        let text = format!("{d}  one.gz\n\n{d} *two.gz\n");
        let m = parse_manifest(&text, Path::new("SUMS"), "fix").unwrap();
        assert_eq!(m, vec![("one.gz".into(), d.clone()), ("two.gz".into(), d)]);
        let err = parse_manifest("xyz  one.gz", Path::new("SUMS"), "fix").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
