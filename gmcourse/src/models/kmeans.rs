//! k-means: `k` centres, each the mean of the rows nearest to it (Lloyd's iterations, seeded
//! by k-means++, Arthur & Vassilvitskii 2007). It is the hard-assignment limit of lesson
//! 06's mixture of Gaussians, with every variance equal and going to zero.
//!
//! [`super::Dcgan`] uses it to tell its two players which cluster of the training images
//! each digit belongs to (see [`super::DcganConfig::clusters`]): the clusters come from the
//! pixels alone, never from the labels.
//!
//! ```
//! use candle_core::{Device, Tensor};
//! use gmcourse::models::{kmeans, train};
//! // two blobs, around 0 and around 10
//! let x = Tensor::new(&[[0f32, 0.], [0., 1.], [1., 0.], [10., 10.], [10., 11.], [11., 10.]], &Device::Cpu)?;
//! let centres = kmeans::fit(&x, 2, 10, &mut train::rng(0))?;
//! let ids = kmeans::assign(&x, &centres)?.to_vec1::<u32>()?;
//! assert_eq!(ids[0], ids[1]);
//! assert_eq!(ids[3], ids[5]);
//! assert_ne!(ids[0], ids[3]);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use candle_core::{D, DType, Tensor};
use rand::Rng;
use rand::rngs::StdRng;
use rand_distr::Distribution;
use rand_distr::weighted::WeightedIndex;

use crate::{Error, Result};

/// The centres `(k, d)` of `iters` Lloyd iterations on the rows of `x` `(n, d)`, seeded by
/// k-means++ from `rng`: the first centre is a random row, each next one a row drawn with
/// probability proportional to its squared distance to the nearest centre so far. A
/// centre that loses all its rows stays where it was.
///
/// # Errors
/// `x` not a matrix of at least `k` rows, or `k = 0`.
pub fn fit(x: &Tensor, k: usize, iters: usize, rng: &mut StdRng) -> Result<Tensor> {
    let (n, _) = x.dims2().map_err(|_| {
        Error::invalid(
            "x (k-means data)",
            "a matrix (rows, features)",
            format!("{:?}", x.dims()),
        )
    })?;
    if k == 0 || n < k {
        return Err(Error::invalid(
            "k (k-means clusters)",
            format!("between 1 and the number of rows, {n}"),
            k,
        ));
    }
    let x = x.to_dtype(DType::F32)?;
    let row = |i: usize| x.narrow(0, i, 1);
    let mut centres = vec![row(rng.random_range(0..n))?];
    let sq = |c: &Tensor| -> Result<Vec<f32>> {
        Ok(x.broadcast_sub(c)?.sqr()?.sum(1)?.to_vec1::<f32>()?)
    };
    let mut nearest = sq(&centres[0])?;
    while centres.len() < k {
        let pick = match WeightedIndex::new(&nearest) {
            Ok(by_distance) => by_distance.sample(rng),
            Err(_) => rng.random_range(0..n), // every row is already a centre
        };
        centres.push(row(pick)?);
        for (m, d) in nearest.iter_mut().zip(sq(centres.last().expect("pushed"))?) {
            *m = m.min(d);
        }
    }
    let mut centres = Tensor::cat(&centres, 0)?;
    let classes = Tensor::arange(0u32, k as u32, x.device())?;
    for _ in 0..iters {
        let ids = assign(&x, &centres)?;
        let member = ids
            .unsqueeze(1)?
            .broadcast_eq(&classes.unsqueeze(0)?)?
            .to_dtype(DType::F32)?; // (n, k)
        let sums = member.t()?.matmul(&x)?; // (k, d)
        let counts = member.sum(0)?.unsqueeze(1)?; // (k, 1)
        let means = sums.broadcast_div(&counts.maximum(1.0)?)?;
        let empty = counts.eq(0.0)?.broadcast_as(centres.shape())?;
        centres = empty.where_cond(&centres, &means)?;
    }
    Ok(centres)
}

/// The nearest centre of each row of `x` `(n, d)`: u32 `(n,)`, indices into the rows of
/// `centres` `(k, d)`.
pub fn assign(x: &Tensor, centres: &Tensor) -> Result<Tensor> {
    let x = x.to_dtype(DType::F32)?;
    // |x − c|² = |x|² − 2 x·c + |c|², and |x|² is the same for every centre
    let cross = x.matmul(&centres.t()?)?; // (n, k)
    let c2 = centres.sqr()?.sum(1)?.unsqueeze(0)?;
    Ok(c2.broadcast_sub(&(cross * 2.0)?)?.argmin(D::Minus1)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::train;

    #[test]
    fn recovers_three_separated_blobs_and_rejects_bad_k() {
        // three blobs of 50 points in 5-D, centred 20 apart, unit noise
        let mut rng = train::rng(4);
        let noise = train::randn(&mut rng, 150, 5).unwrap();
        let offsets: Vec<f32> = (0..150).map(|i| 20.0 * (i / 50) as f32).collect();
        let x = noise
            .broadcast_add(
                &Tensor::new(offsets, noise.device())
                    .unwrap()
                    .unsqueeze(1)
                    .unwrap(),
            )
            .unwrap();
        let centres = fit(&x, 3, 10, &mut train::rng(1)).unwrap();
        let ids = assign(&x, &centres).unwrap().to_vec1::<u32>().unwrap();
        for blob in 0..3 {
            let first = ids[blob * 50];
            assert!(
                ids[blob * 50..(blob + 1) * 50].iter().all(|&i| i == first),
                "{ids:?}"
            );
        }
        assert_ne!(ids[0], ids[50]);
        assert_ne!(ids[50], ids[100]);
        assert_ne!(ids[0], ids[100]);
        // each centre is its blob's mean: 20 × blob in every coordinate, within the noise
        let mut means: Vec<f32> = centres.mean(1).unwrap().to_vec1().unwrap();
        means.sort_by(f32::total_cmp);
        for (m, want) in means.iter().zip([0.0, 20.0, 40.0]) {
            assert!((m - want).abs() < 0.5, "{means:?}");
        }
        assert!(fit(&x, 0, 1, &mut train::rng(0)).is_err());
        assert!(fit(&x.narrow(0, 0, 2).unwrap(), 3, 1, &mut train::rng(0)).is_err());
    }
}
