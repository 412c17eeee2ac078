//! One split of MNIST: n images x⁽ⁱ⁾ ∈ {0 … 255}⁷⁸⁴, their labels y⁽ⁱ⁾ ∈ {0 … 9}, and
//! the fixed binarization b⁽ⁱ⁾ = [x⁽ⁱ⁾ ≥ 128] ∈ {0, 1}⁷⁸⁴.
//!
//! Binary-pixel models (NADE, the Bernoulli VAE) need x ∈ {0, 1}⁷⁸⁴. Two conventions:
//! the *fixed* binarization thresholds grey at 0.5 once; the *stochastic* one
//! (Salakhutdinov & Murray 2008) draws each pixel x_j ~ Bernoulli(grey_j / 255) afresh
//! every epoch, which regularises. See [`Pixels`].

use candle_core::{Device, Tensor};
use rand::{RngCore, SeedableRng, rngs::StdRng};

use crate::{Error, Result};

/// Side of an MNIST image in pixels.
///
/// ```
/// assert_eq!(gmcourse::data::IMAGE_SIDE * gmcourse::data::IMAGE_SIDE, gmcourse::data::PIXELS);
/// ```
pub const IMAGE_SIDE: usize = 28;

/// Pixels per MNIST image, 28 × 28 = 784: the dimension of x.
///
/// ```
/// assert_eq!(gmcourse::data::PIXELS, 784);
/// ```
pub const PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;

/// Which version of x a tensor holds.
///
/// ```
/// use gmcourse::data::Pixels;
/// let p = Pixels::Stochastic { seed: 0, epoch: 3 };
/// assert_ne!(p, Pixels::Binarized);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pixels {
    /// Grey levels scaled to `[0, 1]` (grey / 255).
    #[default]
    Grey,
    /// The fixed binarization shipped with the data: 1 where grey ≥ 128.
    Binarized,
    /// x_j ~ Bernoulli(grey_j / 255), re-drawn for each `(seed, epoch)`.
    Stochastic { seed: u64, epoch: u64 },
}

/// One split (train, val or test): `n` images with labels.
///
/// Fields are public for reading; the three vectors always have `n × 784`, `n` and
/// `n × 784` bytes.
///
/// ```
/// let mnist = gmcourse::data::Mnist::load()?;
/// let test = &mnist.test;
/// assert_eq!(test.images.len(), test.len() * 784);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Split {
    /// Grey levels 0 … 255, image after image, each 28 rows of 28 (row-major).
    pub images: Vec<u8>,
    /// The digit shown, 0 … 9, one per image.
    pub labels: Vec<u8>,
    /// The fixed binarization, 0 or 1 per pixel (1 where grey ≥ 128).
    pub binarized: Vec<u8>,
}

/// Grey level at or above which the fixed binarization gives 1 (grey / 255 ≥ 0.5).
///
/// ```
/// assert_eq!(gmcourse::data::BINARIZE_THRESHOLD, 128);
/// ```
pub const BINARIZE_THRESHOLD: u8 = 128;

impl Split {
    /// Builds a split from grey images and labels, computing the fixed binarization.
    ///
    /// # Errors
    /// [`Error::Shape`] if `images.len() != labels.len() * 784`;
    /// [`Error::InvalidArgument`] if a label is above 9.
    ///
    /// ```
    /// use gmcourse::data::Split;
    /// let s = Split::new(vec![200; 784], vec![3])?;
    /// assert_eq!((s.len(), s.binarized[0]), (1, 1));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(images: Vec<u8>, labels: Vec<u8>) -> Result<Self> {
        let binarized = images
            .iter()
            .map(|&g| u8::from(g >= BINARIZE_THRESHOLD))
            .collect();
        Self::from_parts(images, labels, binarized)
    }

    /// Builds a split from all three parts, checking that they agree.
    ///
    /// # Errors
    /// [`Error::Shape`] if the lengths disagree; [`Error::InvalidArgument`] if a label is
    /// above 9 or a binarized pixel is not 0 or 1.
    ///
    /// ```
    /// use gmcourse::data::Split;
    /// assert!(Split::from_parts(vec![0; 784], vec![1], vec![0; 784]).is_ok());
    /// assert!(Split::from_parts(vec![0; 784], vec![1], vec![2; 784]).is_err());
    /// ```
    pub fn from_parts(images: Vec<u8>, labels: Vec<u8>, binarized: Vec<u8>) -> Result<Self> {
        let n = labels.len();
        if images.len() != n * PIXELS {
            return Err(Error::shape(
                "Split images",
                format!("{n} labels × 784 = {} bytes", n * PIXELS),
                format!("{} bytes", images.len()),
            ));
        }
        if binarized.len() != images.len() {
            return Err(Error::shape(
                "Split binarized",
                format!("{} bytes, as many as the images", images.len()),
                format!("{} bytes", binarized.len()),
            ));
        }
        if let Some((i, &y)) = labels.iter().enumerate().find(|(_, y)| **y > 9) {
            return Err(Error::invalid(format!("label {i}"), "a digit 0 … 9", y));
        }
        if let Some(&b) = binarized.iter().find(|b| **b > 1) {
            return Err(Error::invalid("binarized pixel", "0 or 1", b));
        }
        Ok(Split {
            images,
            labels,
            binarized,
        })
    }

    /// Number of images n.
    ///
    /// ```
    /// assert_eq!(gmcourse::data::Mnist::load()?.val.len(), 1000);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when the split holds no image.
    ///
    /// ```
    /// assert!(gmcourse::data::Split::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    fn check_index(&self, i: usize) -> Result<()> {
        if i < self.len() {
            Ok(())
        } else {
            Err(Error::invalid(
                "image index",
                format!("an index below the split's length {}", self.len()),
                i,
            ))
        }
    }

    /// Image `i` of `pixels`, or an error if the index (or a hand-edited field) is off.
    fn row<'a>(&self, pixels: &'a [u8], what: &str, i: usize) -> Result<&'a [u8]> {
        self.check_index(i)?;
        pixels.get(i * PIXELS..(i + 1) * PIXELS).ok_or_else(|| {
            Error::shape(
                format!("Split {what}"),
                format!("{} bytes (784 per label)", self.len() * PIXELS),
                format!("{} bytes", pixels.len()),
            )
        })
    }

    /// The 784 grey levels of image `i` (28 rows of 28).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `i >= len()`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// let x = mnist.train.image(0)?;
    /// assert_eq!(x.len(), 784);
    /// assert!(mnist.train.image(8000).is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn image(&self, i: usize) -> Result<&[u8]> {
        self.row(&self.images, "images", i)
    }

    /// The 784 fixed-binarized pixels (0/1) of image `i`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `i >= len()`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// assert!(mnist.test.binarized_image(0)?.iter().all(|&b| b <= 1));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn binarized_image(&self, i: usize) -> Result<&[u8]> {
        self.row(&self.binarized, "binarized", i)
    }

    /// The digit shown by image `i`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `i >= len()`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// assert!(mnist.train.label(0)? <= 9);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn label(&self, i: usize) -> Result<u8> {
        self.check_index(i)?;
        Ok(self.labels[i])
    }

    /// How many images show each digit 0 … 9.
    ///
    /// ```
    /// let counts = gmcourse::data::Mnist::load()?.test.class_counts();
    /// assert_eq!(counts.iter().sum::<usize>(), 1000);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn class_counts(&self) -> [usize; 10] {
        let mut counts = [0; 10];
        for &y in &self.labels {
            counts[usize::from(y.min(9))] += 1;
        }
        counts
    }

    /// The images with indices `indices`, in that order (repeats allowed).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if an index is `>= len()`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// let two = mnist.train.select(&[5, 0])?;
    /// assert_eq!(two.image(1)?, mnist.train.image(0)?);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn select(&self, indices: &[usize]) -> Result<Split> {
        let mut out = Split {
            images: Vec::with_capacity(indices.len() * PIXELS),
            labels: Vec::with_capacity(indices.len()),
            binarized: Vec::with_capacity(indices.len() * PIXELS),
        };
        for &i in indices {
            out.images.extend_from_slice(self.image(i)?);
            out.binarized.extend_from_slice(self.binarized_image(i)?);
            out.labels.push(self.labels[i]);
        }
        Ok(out)
    }

    /// The images of one digit, in their order in the split.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `digit > 9`.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// let sevens = mnist.train.filter_label(7)?;
    /// assert!(sevens.labels.iter().all(|&y| y == 7));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn filter_label(&self, digit: u8) -> Result<Split> {
        if digit > 9 {
            return Err(Error::invalid("digit", "0 … 9", digit));
        }
        let indices: Vec<usize> = (0..self.len())
            .filter(|&i| self.labels[i] == digit)
            .collect();
        self.select(&indices)
    }

    /// The first `n` images (all of them if there are fewer). The splits are shuffled,
    /// so the first `n` mix all digits.
    ///
    /// ```
    /// let mnist = gmcourse::data::Mnist::load()?;
    /// assert_eq!(mnist.train.take(100).len(), 100);
    /// assert_eq!(mnist.test.take(5000).len(), 1000);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn take(&self, n: usize) -> Split {
        let n = n
            .min(self.len())
            .min(self.images.len() / PIXELS)
            .min(self.binarized.len() / PIXELS);
        Split {
            images: self.images[..n * PIXELS].to_vec(),
            labels: self.labels[..n].to_vec(),
            binarized: self.binarized[..n * PIXELS].to_vec(),
        }
    }

    /// x as a tensor of shape `(n, 784)`, f32, in the chosen [`Pixels`] version.
    ///
    /// # Errors
    /// [`Error::Candle`] if the tensor cannot be built on `device`.
    ///
    /// ```
    /// use gmcourse::data::{Mnist, Pixels};
    /// let x = Mnist::load()?.test.x(Pixels::Stochastic { seed: 1, epoch: 0 }, &candle_core::Device::Cpu)?;
    /// assert_eq!(x.dims(), &[1000, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn x(&self, pixels: Pixels, device: &Device) -> Result<Tensor> {
        let values: Vec<f32> = match pixels {
            Pixels::Grey => self.images.iter().map(|&g| f32::from(g) / 255.0).collect(),
            Pixels::Binarized => self.binarized.iter().map(|&b| f32::from(b)).collect(),
            Pixels::Stochastic { seed, epoch } => self
                .stochastic_binarized(seed, epoch)
                .into_iter()
                .map(f32::from)
                .collect(),
        };
        Ok(Tensor::from_vec(values, (self.len(), PIXELS), device)?)
    }

    /// Grey levels as a `(n, 784)` f32 tensor in `[0, 1]`; same as `x(Pixels::Grey, device)`.
    ///
    /// # Errors
    /// [`Error::Candle`] if the tensor cannot be built on `device`.
    ///
    /// ```
    /// let t = gmcourse::data::Mnist::load()?.val.to_tensor(&candle_core::Device::Cpu)?;
    /// assert_eq!(t.dims(), &[1000, 784]);
    /// assert!(t.max_all()?.to_scalar::<f32>()? <= 1.0);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn to_tensor(&self, device: &Device) -> Result<Tensor> {
        self.x(Pixels::Grey, device)
    }

    /// The fixed binarization as a `(n, 784)` f32 tensor of 0s and 1s.
    ///
    /// # Errors
    /// [`Error::Candle`] if the tensor cannot be built on `device`.
    ///
    /// ```
    /// let b = gmcourse::data::Mnist::load()?.val.binarized_tensor(&candle_core::Device::Cpu)?;
    /// assert_eq!(b.dims(), &[1000, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn binarized_tensor(&self, device: &Device) -> Result<Tensor> {
        self.x(Pixels::Binarized, device)
    }

    /// Labels as a `(n,)` u32 tensor (the index type candle's `cross_entropy` expects).
    ///
    /// # Errors
    /// [`Error::Candle`] if the tensor cannot be built on `device`.
    ///
    /// ```
    /// let y = gmcourse::data::Mnist::load()?.val.labels_tensor(&candle_core::Device::Cpu)?;
    /// assert_eq!(y.dims(), &[1000]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn labels_tensor(&self, device: &Device) -> Result<Tensor> {
        let y: Vec<u32> = self.labels.iter().map(|&y| u32::from(y)).collect();
        Ok(Tensor::from_vec(y, self.len(), device)?)
    }

    /// A stochastic binarization: each pixel x_j ~ Bernoulli(grey_j / 255), drawn from a
    /// generator seeded by `(seed, epoch)`. The same pair gives the same bytes; a new
    /// epoch gives a fresh draw. Returns `n × 784` bytes of 0/1.
    ///
    /// ```
    /// let val = gmcourse::data::Mnist::load()?.val;
    /// let a = val.stochastic_binarized(7, 0);
    /// assert_eq!(a, val.stochastic_binarized(7, 0));
    /// assert_ne!(a, val.stochastic_binarized(7, 1));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn stochastic_binarized(&self, seed: u64, epoch: u64) -> Vec<u8> {
        let mut rng = StdRng::seed_from_u64(mix_seed(seed, epoch));
        let mut out = Vec::with_capacity(self.images.len());
        for chunk in self.images.chunks(2) {
            // One u64 gives two 32-bit uniforms u; pixel = [u·255 / 2³² < grey], so
            // P(1) = grey / 255 up to 2⁻³².
            let r = rng.next_u64();
            for (k, &g) in chunk.iter().enumerate() {
                let u = (r >> (32 * k)) & 0xffff_ffff;
                out.push(u8::from(((u * 255) >> 32) < u64::from(g)));
            }
        }
        out
    }

    /// Shuffled minibatches of indices for one epoch: a permutation of `0..n` drawn from
    /// `(seed, epoch)`, cut into batches of `batch_size` (the last may be shorter).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `batch_size` is 0.
    ///
    /// ```
    /// let val = gmcourse::data::Mnist::load()?.val;
    /// let batches = val.batches(128, 0, 0)?;
    /// assert_eq!(batches.len(), 8); // 7 × 128 + 104
    /// let x = val.select(&batches[0])?.binarized_tensor(&candle_core::Device::Cpu)?;
    /// assert_eq!(x.dims(), &[128, 784]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn batches(&self, batch_size: usize, seed: u64, epoch: u64) -> Result<Vec<Vec<usize>>> {
        use rand::seq::SliceRandom;
        if batch_size == 0 {
            return Err(Error::invalid("batch_size", "at least 1", 0));
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.shuffle(&mut StdRng::seed_from_u64(mix_seed(seed, epoch)));
        Ok(order.chunks(batch_size).map(<[usize]>::to_vec).collect())
    }

    /// Mean grey level of each pixel over the split, in `[0, 1]`: the maximum-likelihood
    /// p(x_j = 1) of the fully independent pixel model, 784 values.
    ///
    /// ```
    /// let m = gmcourse::data::Mnist::load()?.train.mean_image();
    /// assert_eq!(m.len(), 784);
    /// assert!(m[0] < 0.01); // the corner is background
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn mean_image(&self) -> Vec<f64> {
        let mut sums = vec![0u64; PIXELS];
        for img in self.images.chunks_exact(PIXELS) {
            for (s, &g) in sums.iter_mut().zip(img) {
                *s += u64::from(g);
            }
        }
        let denom = 255.0 * self.len().max(1) as f64;
        sums.into_iter().map(|s| s as f64 / denom).collect()
    }
}

/// SplitMix64 finaliser of (seed, epoch): nearby pairs give unrelated generator seeds.
fn mix_seed(seed: u64, epoch: u64) -> u64 {
    let mut z = seed ^ epoch.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    fn tiny() -> Split {
        // Two images: all grey 51 (p = 0.2), and a ramp.
        let mut images = vec![51u8; PIXELS];
        images.extend((0..PIXELS).map(|j| (j % 256) as u8));
        Split::new(images, vec![4, 9]).unwrap()
    }

    #[test]
    fn new_binarizes_at_grey_128() {
        let s = Split::new((0..=255).cycle().take(PIXELS).collect(), vec![0]).unwrap();
        for (g, b) in s.images.iter().zip(&s.binarized) {
            assert_eq!(*b, u8::from(*g >= 128), "grey {g}");
        }
    }

    #[test]
    fn mismatched_lengths_and_bad_labels_are_rejected() {
        assert!(matches!(
            Split::new(vec![0; 783], vec![1]),
            Err(Error::Shape { .. })
        ));
        let err = Split::new(vec![0; PIXELS], vec![10]).unwrap_err();
        assert!(
            err.to_string().contains("expected a digit 0 … 9, got 10"),
            "{err}"
        );
    }

    #[test]
    fn stochastic_binarization_has_mean_grey_over_255() {
        let s = tiny();
        let mut total = 0.0;
        let epochs = 50;
        for epoch in 0..epochs {
            let b = s.stochastic_binarized(3, epoch);
            total += b[..PIXELS].iter().map(|&v| f64::from(v)).sum::<f64>();
        }
        let mean = total / (epochs as f64 * PIXELS as f64);
        // 39,200 Bernoulli(0.2) draws: standard error sqrt(0.16 / 39200) ≈ 0.002.
        assert_close(mean, 51.0 / 255.0, 0.01);
    }

    #[test]
    fn stochastic_binarization_never_flips_black_or_white() {
        let s = Split::new([0u8, 255].repeat(PIXELS / 2), vec![0]).unwrap();
        let b = s.stochastic_binarized(0, 0);
        assert_eq!(b, [0u8, 1].repeat(PIXELS / 2));
    }

    #[test]
    fn out_of_range_indices_are_errors_not_panics() {
        let s = tiny();
        assert!(s.image(2).is_err());
        assert!(s.label(2).is_err());
        assert!(s.select(&[0, 2]).is_err());
        assert!(s.filter_label(10).is_err());
        assert!(s.batches(0, 0, 0).is_err());
    }

    #[test]
    fn batches_cover_every_index_once() {
        let s = tiny().select(&[0, 1, 0, 1, 1]).unwrap();
        let mut all: Vec<usize> = s.batches(2, 9, 4).unwrap().concat();
        all.sort();
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn grey_tensor_is_grey_over_255() {
        let t = tiny().to_tensor(&Device::Cpu).unwrap();
        let v = t.get(0).unwrap().to_vec1::<f32>().unwrap();
        assert_close(f64::from(v[0]), 0.2, 1e-7);
    }
}
