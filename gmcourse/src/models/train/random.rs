//! The one source of randomness in training: a seeded generator, the noise tensors drawn
//! from it (candle's CPU generator cannot be seeded), and random batches of a data set.

use candle_core::{Device, Tensor};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::{Error, Result};

/// A seeded random number generator: the one source of randomness in training.
///
/// ```
/// use rand::Rng;
/// let a: f64 = gmcourse::models::train::rng(7).random();
/// let b: f64 = gmcourse::models::train::rng(7).random();
/// assert_eq!(a, b);
/// ```
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A `(rows, cols)` tensor of standard normal draws from `rng` (candle's CPU RNG cannot be
/// seeded, so all noise comes from here).
///
/// ```
/// let eps = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(0), 3, 2)?;
/// assert_eq!(eps.dims(), &[3, 2]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn randn(rng: &mut StdRng, rows: usize, cols: usize) -> Result<Tensor> {
    let v: Vec<f32> = (0..rows * cols)
        .map(|_| rng.sample(StandardNormal))
        .collect();
    Ok(Tensor::from_vec(v, (rows, cols), &Device::Cpu)?)
}

/// A `(rows, cols)` tensor of uniform draws in `[0, 1)`.
///
/// ```
/// let u = gmcourse::models::train::rand_uniform(&mut gmcourse::models::train::rng(0), 2, 2)?;
/// assert!(u.flatten_all()?.to_vec1::<f32>()?.iter().all(|&v| (0.0..1.0).contains(&v)));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn rand_uniform(rng: &mut StdRng, rows: usize, cols: usize) -> Result<Tensor> {
    let v: Vec<f32> = (0..rows * cols).map(|_| rng.random::<f32>()).collect();
    Ok(Tensor::from_vec(v, (rows, cols), &Device::Cpu)?)
}

/// A random batch of `batch_size` rows of `data` `(n, cols)`, drawn with replacement.
///
/// ```
/// let data = candle_core::Tensor::zeros((5, 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
/// let b = gmcourse::models::train::random_batch(&data, 4, &mut gmcourse::models::train::rng(0))?;
/// assert_eq!(b.dims(), &[4, 3]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn random_batch(data: &Tensor, batch_size: usize, rng: &mut StdRng) -> Result<Tensor> {
    let n = data.dim(0)?;
    if n == 0 || batch_size == 0 {
        return Err(Error::invalid(
            "batch",
            "a non-empty data set and batch_size >= 1",
            format!("n = {n}, batch_size = {batch_size}"),
        ));
    }
    let idx: Vec<u32> = (0..batch_size)
        .map(|_| rng.random_range(0..n as u32))
        .collect();
    let idx = Tensor::from_vec(idx, batch_size, data.device())?;
    Ok(data.index_select(&idx, 0)?)
}

/// Rows `idx` of `data` (used to draw the same rows from images and labels).
///
/// ```
/// let data = candle_core::Tensor::arange(0f32, 6.0, &candle_core::Device::Cpu)?.reshape((3, 2))?;
/// let rows = gmcourse::models::train::select_rows(&data, &[2, 0])?;
/// assert_eq!(rows.to_vec2::<f32>()?, vec![vec![4.0, 5.0], vec![0.0, 1.0]]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn select_rows(data: &Tensor, idx: &[u32]) -> Result<Tensor> {
    let idx = Tensor::from_vec(idx.to_vec(), idx.len(), data.device())?;
    Ok(data.index_select(&idx, 0)?)
}
