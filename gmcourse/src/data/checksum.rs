//! Checksums of data files: SHA-256 against a `SHA256SUMS` manifest (`sha256sum -c`
//! format, `<64 hex>  <file name>` per line) for the shipped subset.

use std::path::Path;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_match_published_test_vectors() {
        // FIPS 180-2 appendix B.1, message "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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
