//! A validated view of m binary images of D pixels each, stored image after image.

use crate::data::{PIXELS, Split};
use crate::{Error, Result};

/// m binary images of D pixels, `x[k·D + i]` being pixel i of image k, each 0 or 1.
///
/// ```
/// use gmcourse::prob::pixel_models::BinaryImages;
/// let images = BinaryImages::new(vec![0, 1, 1, 1], 2)?;
/// assert_eq!((images.len(), images.pixels()), (2, 2));
/// assert_eq!(images.image(1), &[1, 1]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BinaryImages {
    x: Vec<u8>,
    d: usize,
}

impl BinaryImages {
    /// Checks and wraps `x`, a whole number of images of `d` pixels.
    ///
    /// # Errors
    /// If `d` is 0, `x` is empty or not a multiple of `d` long, or a value is not 0 or 1.
    ///
    /// ```
    /// use gmcourse::prob::pixel_models::BinaryImages;
    /// assert!(BinaryImages::new(vec![0, 1, 1], 2).is_err()); // 1.5 images
    /// assert!(BinaryImages::new(vec![0, 2], 2).is_err());    // not binary
    /// ```
    pub fn new(x: Vec<u8>, d: usize) -> Result<Self> {
        if d == 0 {
            return Err(Error::invalid("pixels per image", "at least 1", d));
        }
        if x.is_empty() || x.len() % d != 0 {
            return Err(Error::shape(
                "binary images",
                format!("a positive multiple of {d} values (whole images of {d} pixels)"),
                format!("{} values", x.len()),
            ));
        }
        if let Some(i) = x.iter().position(|&v| v > 1) {
            return Err(Error::invalid(
                format!("pixel {} of image {}", i % d, i / d),
                "0 or 1 (binarize first, e.g. Split::binarized)",
                x[i],
            ));
        }
        Ok(Self { x, d })
    }

    /// A copy of the fixed binarization of an MNIST split, D = 784.
    ///
    /// # Errors
    /// If the split is empty.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// let test = gmcourse::prob::pixel_models::BinaryImages::from_split(&mnist.test)?;
    /// assert_eq!((test.len(), test.pixels()), (1000, 784));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_split(split: &Split) -> Result<Self> {
        Self::new(split.binarized.clone(), PIXELS)
    }

    /// The number of images m.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::pixel_models::BinaryImages::new(vec![1; 6], 3)?.len(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.x.len() / self.d
    }

    /// Always false: a `BinaryImages` holds at least one image.
    ///
    /// ```
    /// assert!(!gmcourse::prob::pixel_models::BinaryImages::new(vec![1], 1)?.is_empty());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The number of pixels D per image.
    ///
    /// ```
    /// assert_eq!(gmcourse::prob::pixel_models::BinaryImages::new(vec![1; 6], 3)?.pixels(), 3);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn pixels(&self) -> usize {
        self.d
    }

    /// Image k (panics if `k >= len()`, like slice indexing).
    ///
    /// ```
    /// let images = gmcourse::prob::pixel_models::BinaryImages::new(vec![0, 0, 1, 1], 2)?;
    /// assert_eq!(images.image(0), &[0, 0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn image(&self, k: usize) -> &[u8] {
        &self.x[k * self.d..(k + 1) * self.d]
    }

    /// A copy of the first `n` images (at least one; all of them if there are fewer).
    ///
    /// ```
    /// let images = gmcourse::prob::pixel_models::BinaryImages::new(vec![0, 0, 1, 1], 2)?;
    /// assert_eq!(images.take(1).len(), 1);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn take(&self, n: usize) -> Self {
        let n = n.clamp(1, self.len());
        Self {
            x: self.x[..n * self.d].to_vec(),
            d: self.d,
        }
    }

    /// The images one after the other.
    ///
    /// ```
    /// let images = gmcourse::prob::pixel_models::BinaryImages::new(vec![0, 0, 1, 1], 2)?;
    /// assert_eq!(images.iter().count(), 2);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn iter(&self) -> std::slice::ChunksExact<'_, u8> {
        self.x.chunks_exact(self.d)
    }

    /// All values, image after image.
    ///
    /// ```
    /// let images = gmcourse::prob::pixel_models::BinaryImages::new(vec![0, 1], 2)?;
    /// assert_eq!(images.as_slice(), &[0, 1]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn as_slice(&self) -> &[u8] {
        &self.x
    }
}

/// A model of `d_model` pixels can only score images of `d_model` pixels.
pub(super) fn check_pixels(d_model: usize, d_images: usize) -> Result<()> {
    if d_model == d_images {
        Ok(())
    } else {
        Err(Error::shape(
            "image",
            format!("{d_model} pixels (the model's D)"),
            format!("{d_images} pixels"),
        ))
    }
}

/// One image `x` of exactly `d` binary pixels.
pub(crate) fn check_image(d: usize, x: &[u8]) -> Result<()> {
    check_pixels(d, x.len())?;
    match x.iter().position(|&v| v > 1) {
        Some(i) => Err(Error::invalid(format!("pixel {i}"), "0 or 1", x[i])),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ragged_buffer_is_rejected_with_its_length() {
        let err = BinaryImages::new(vec![0, 1, 1], 2).unwrap_err().to_string();
        assert!(err.contains("3 values"), "{err}");
    }

    #[test]
    fn a_grey_value_is_rejected_with_its_position() {
        let err = BinaryImages::new(vec![0, 1, 1, 200], 2)
            .unwrap_err()
            .to_string();
        assert!(err.contains("pixel 1 of image 1"), "{err}");
    }

    #[test]
    fn images_are_cut_in_order() {
        let images = BinaryImages::new(vec![0, 0, 0, 1, 1, 1], 3).unwrap();
        let all: Vec<&[u8]> = images.iter().collect();
        assert_eq!(all, vec![&[0, 0, 0][..], &[1, 1, 1][..]]);
        assert_eq!(images.take(5).len(), 2);
    }
}
