//! The IDX format of the MNIST distribution (LeCun et al., <http://yann.lecun.com/exdb/mnist/>).
//!
//! ```text
//! bytes 0..4   00 00 08 ndim          magic: two zero bytes, type 0x08 = u8, ndim
//! bytes 4..    ndim × u32 big-endian  the sizes, e.g. 60000 28 28
//! then         Π sizes bytes          the values, row-major
//! ```
//!
//! Files may be gzip'd (name ends in `.gz`). Only the u8 type is supported, which is the
//! only one MNIST uses.

use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// An n-dimensional array of bytes read from an IDX file.
///
/// ```
/// let a = gmcourse::data::idx::parse_idx(&[0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 5, 6], "a.idx")?;
/// assert_eq!(a, gmcourse::data::idx::IdxArray { dims: vec![1, 2], data: vec![5, 6] });
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The sizes from the header, e.g. `[60000, 28, 28]`.
    pub dims: Vec<usize>,
    /// The values, row-major; `data.len()` is the product of `dims`.
    pub data: Vec<u8>,
}

/// Parses IDX bytes (already un-gzip'd). `path` only names the source in errors.
///
/// # Errors
/// [`Error::Data`] for a bad magic number, a type other than u8, or a payload whose
/// length is not the product of the sizes (a truncated or padded file).
///
/// ```
/// use gmcourse::data::idx::parse_idx;
/// let bytes = [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9];
/// let a = parse_idx(&bytes, "labels.idx1-ubyte")?;
/// assert_eq!((a.dims, a.data), (vec![3], vec![7, 8, 9]));
/// assert!(parse_idx(&bytes[..10], "labels.idx1-ubyte").is_err());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn parse_idx(bytes: &[u8], path: impl AsRef<Path>) -> Result<IdxArray> {
    let path = path.as_ref();
    let (dims, header) = parse_header(bytes, path)?;
    Ok(IdxArray {
        dims,
        data: bytes[header..].to_vec(),
    })
}

/// [`parse_idx`] without copying the payload.
pub(crate) fn parse_idx_owned(mut bytes: Vec<u8>, path: &Path) -> Result<IdxArray> {
    let (dims, header) = parse_header(&bytes, path)?;
    bytes.drain(..header);
    Ok(IdxArray { dims, data: bytes })
}

/// Checks the header and the payload length; returns the sizes and the header length.
fn parse_header(bytes: &[u8], path: &Path) -> Result<(Vec<usize>, usize)> {
    let bad = |problem: String| Error::Data {
        path: path.to_path_buf(),
        problem,
        remedy: "replace the file with an intact copy (IDX files start with 00 00 08 <ndim>)"
            .into(),
    };
    if bytes.len() < 4 {
        return Err(bad(format!(
            "expected an IDX header of at least 4 bytes, got {} bytes",
            bytes.len()
        )));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err(bad(format!(
            "bad magic number: expected 00 00 08 <ndim>, got {:02x} {:02x} {:02x} {:02x}",
            bytes[0], bytes[1], bytes[2], bytes[3]
        )));
    }
    if bytes[2] != 0x08 {
        return Err(bad(format!(
            "unsupported IDX type 0x{:02x}: expected 0x08 (unsigned byte)",
            bytes[2]
        )));
    }
    let ndim = bytes[3] as usize;
    let header = 4 + 4 * ndim;
    if ndim == 0 || bytes.len() < header {
        return Err(bad(format!(
            "expected a header of {header} bytes for {ndim} dimensions, got {} bytes",
            bytes.len()
        )));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| bad(format!("sizes {dims:?} overflow")))?;
    let got = bytes.len() - header;
    if got != expected {
        return Err(bad(format!(
            "header says sizes {dims:?} = {expected} bytes of data, file has {got} (truncated or corrupt)"
        )));
    }
    Ok((dims, header))
}

/// Reads a whole file, un-gzip'ing it when the name ends in `.gz`.
///
/// # Errors
/// [`Error::Io`] if the file cannot be read; [`Error::Data`] if the gzip stream is
/// corrupt or truncated.
///
/// ```
/// let path = std::env::temp_dir().join(format!("gmcourse-doc-bytes-{}.gz", std::process::id()));
/// gmcourse::data::idx::write_idx(&path, &[2], &[4, 2])?;
/// let bytes = gmcourse::data::idx::read_bytes(&path)?;
/// assert_eq!(bytes, [0, 0, 8, 1, 0, 0, 0, 2, 4, 2]);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn read_bytes(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let path = path.as_ref();
    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    maybe_gunzip(raw, path)
}

/// Un-gzips `raw` when `path` ends in `.gz`; otherwise returns it unchanged.
pub(crate) fn maybe_gunzip(raw: Vec<u8>, path: &Path) -> Result<Vec<u8>> {
    if path.extension().is_none_or(|e| e != "gz") {
        return Ok(raw);
    }
    // MNIST images inflate about 5×; reserve to avoid regrowing.
    let mut out = Vec::with_capacity(raw.len() * 6);
    flate2::read::GzDecoder::new(raw.as_slice())
        .read_to_end(&mut out)
        .map_err(|e| Error::Data {
            path: path.to_path_buf(),
            problem: format!("not a valid gzip stream ({e}); the file is truncated or corrupt"),
            remedy: "replace the file with an intact copy".into(),
        })?;
    Ok(out)
}

/// Reads an IDX file (gzip'd if the name ends in `.gz`).
///
/// # Errors
/// As [`read_bytes`] and [`parse_idx`].
///
/// ```
/// use gmcourse::data::idx::{read_idx, write_idx};
/// let path = std::env::temp_dir().join(format!("gmcourse-doc-read-{}.idx", std::process::id()));
/// write_idx(&path, &[2, 2], &[0, 255, 255, 0])?;
/// let a = read_idx(&path)?;
/// assert_eq!(a.dims, vec![2, 2]);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn read_idx(path: impl AsRef<Path>) -> Result<IdxArray> {
    let path = path.as_ref();
    parse_idx(&read_bytes(path)?, path)
}

/// Encodes `data` with sizes `dims` as IDX bytes (not gzip'd).
///
/// # Errors
/// [`Error::InvalidArgument`] if `data.len()` is not the product of `dims`, or there are
/// no dimensions, more than 255 of them, or a size above `u32::MAX`.
///
/// ```
/// let bytes = gmcourse::data::idx::encode_idx(&[3], &[7, 8, 9])?;
/// assert_eq!(bytes, [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn encode_idx(dims: &[usize], data: &[u8]) -> Result<Vec<u8>> {
    if dims.is_empty() || dims.len() > 255 {
        return Err(Error::invalid(
            "IDX dimensions",
            "between 1 and 255 sizes",
            dims.len(),
        ));
    }
    let product = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d));
    if product != Some(data.len()) {
        return Err(Error::invalid(
            "IDX data length",
            format!("the product of the sizes {dims:?}"),
            data.len(),
        ));
    }
    let mut out = Vec::with_capacity(4 + 4 * dims.len() + data.len());
    out.extend_from_slice(&[0, 0, 0x08, dims.len() as u8]);
    for &d in dims {
        let d32 =
            u32::try_from(d).map_err(|_| Error::invalid("IDX size", "at most u32::MAX", d))?;
        out.extend_from_slice(&d32.to_be_bytes());
    }
    out.extend_from_slice(data);
    Ok(out)
}

/// Writes an IDX file, gzip'd (with a zero timestamp) when the name ends in `.gz`.
///
/// # Errors
/// As [`encode_idx`], and [`Error::Io`] if the file cannot be written.
///
/// ```
/// let path = std::env::temp_dir().join(format!("gmcourse-doc-write-{}.gz", std::process::id()));
/// gmcourse::data::idx::write_idx(&path, &[3], &[1, 2, 3])?;
/// assert_eq!(gmcourse::data::idx::read_idx(&path)?.data, vec![1, 2, 3]);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn write_idx(path: impl AsRef<Path>, dims: &[usize], data: &[u8]) -> Result<()> {
    use std::io::Write;
    let path = path.as_ref();
    let bytes = encode_idx(dims, data)?;
    let out = if path.extension().is_some_and(|e| e == "gz") {
        let mut gz = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).map_err(|e| Error::io(path, e))?;
        gz.finish().map_err(|e| Error::io(path, e))?
    } else {
        bytes
    };
    std::fs::write(path, out).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idx_round_trips_through_a_gzip_file() {
        let dir = crate::testing::temp_dir("idx-round-trip");
        let path = dir.join("a.idx3-ubyte.gz");
        let data: Vec<u8> = (0..2 * 3 * 4).map(|v| v as u8).collect();
        write_idx(&path, &[2, 3, 4], &data).unwrap();
        let a = read_idx(&path).unwrap();
        assert_eq!(a.dims, vec![2, 3, 4]);
        assert_eq!(a.data, data);
    }

    #[test]
    fn a_bad_magic_number_is_rejected_with_the_bytes_seen() {
        let err = parse_idx(&[1, 2, 8, 1, 0, 0, 0, 0], "x.idx").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("bad magic number"), "{msg}");
        assert!(msg.contains("01 02 08 01"), "{msg}");
        assert!(msg.contains("x.idx"), "{msg}");
    }

    #[test]
    fn a_non_byte_type_is_rejected() {
        let err = parse_idx(&[0, 0, 0x0d, 1, 0, 0, 0, 0], "f.idx").unwrap_err();
        assert!(
            err.to_string().contains("unsupported IDX type 0x0d"),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_payload_is_rejected_with_both_sizes() {
        let bytes = encode_idx(&[2, 2], &[1, 2, 3, 4]).unwrap();
        let err = parse_idx(&bytes[..bytes.len() - 1], "t.idx").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("4 bytes of data, file has 3"), "{msg}");
    }

    #[test]
    fn a_truncated_gzip_stream_is_a_data_error() {
        let dir = crate::testing::temp_dir("idx-trunc-gz");
        let path = dir.join("t.idx1-ubyte.gz");
        write_idx(&path, &[1000], &[7; 1000]).unwrap();
        let raw = std::fs::read(&path).unwrap();
        std::fs::write(&path, &raw[..raw.len() / 2]).unwrap();
        let err = read_idx(&path).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert!(err.to_string().contains("not a valid gzip stream"), "{err}");
    }

    #[test]
    fn encoding_rejects_data_that_does_not_match_the_sizes() {
        assert!(encode_idx(&[2, 2], &[0; 3]).is_err());
        assert!(encode_idx(&[], &[]).is_err());
    }
}
