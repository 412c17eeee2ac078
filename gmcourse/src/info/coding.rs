//! Real codes, real bits: the coding reading of cross-entropy and KL (lesson 03).
//!
//! A prefix code gives outcome `x` a codeword of `ℓ(x)` bits. The **Shannon code** of a
//! distribution Q uses `ℓ(x) = ⌈−log₂ Q(x)⌉`; these lengths satisfy Kraft's inequality
//! `Σ 2^(−ℓ(x)) ≤ 1`, so a prefix code with them exists. Coding outcomes of P with Q's
//! code costs on average between `H(P, Q)` and `H(P, Q) + 1` bits; coding them in blocks
//! of `k` outcomes (the code of Q's i.i.d. blocks) brings the cost per outcome within
//! `1/k` of `H(P, Q)`. The bits paid beyond P's own code tend to `D(P‖Q)`.
//!
//! A distribution `q` and a sample of outcome indices are `ndarray` arrays (or anything
//! that views as one: `&Vec`, `&[_]`, `&[_; N]`).
//!
//! ```
//! use gmcourse::info::coding::{bits_to_code, shannon_code_lengths};
//! use ndarray::array;
//! let q = array![0.5, 0.25, 0.25];
//! assert_eq!(shannon_code_lengths(&q)?, vec![1, 2, 2]);
//! // "a", "b", "a", "c" under the code (1, 2, 2 bits): 6 bits
//! assert_eq!(bits_to_code(&array![0, 1, 0, 2], &q, 1)?, 6);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use ndarray::{ArrayView1, Axis};

use crate::check;
use crate::{Error, Result};

/// The Shannon code lengths `⌈−log₂ q_i⌉` of a PMF, in bits, one per outcome.
///
/// # Errors
/// If `q` is not a PMF, or gives some outcome probability 0 (it has no codeword).
///
/// ```
/// use ndarray::array;
/// let lengths = gmcourse::info::coding::shannon_code_lengths(&array![0.1, 0.3, 0.6])?;
/// assert_eq!(lengths, vec![4, 2, 1]);
/// // Kraft's inequality: Σ 2^(−ℓ) ≤ 1
/// assert!(lengths.iter().map(|&l| 2f64.powi(-(l as i32))).sum::<f64>() <= 1.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn shannon_code_lengths<'a>(q: impl Into<ArrayView1<'a, f64>>) -> Result<Vec<u32>> {
    let q = q.into();
    check::pmf("q", q)?;
    q.iter()
        .enumerate()
        .map(|(i, &q_i)| {
            if q_i > 0.0 {
                Ok(length_of(q_i.log2()))
            } else {
                Err(no_codeword(i))
            }
        })
        .collect()
}

/// The bits needed to code `sample` (outcome indices into `q`) with the Shannon code of
/// blocks of `block` outcomes drawn i.i.d. from `q`: each block of the sample costs
/// `⌈−Σ log₂ q(x)⌉` over its outcomes, and a shorter last block is coded the same way.
///
/// # Errors
/// If `q` is not a PMF, `block` is 0, an index is out of range, or `q` gives an outcome
/// of the sample probability 0 (no code built for `q` can code it: `D(P‖Q) = ∞`).
pub fn bits_to_code<'a, 'b>(
    sample: impl Into<ArrayView1<'a, usize>>,
    q: impl Into<ArrayView1<'b, f64>>,
    block: usize,
) -> Result<u64> {
    let (sample, q) = (sample.into(), q.into());
    check::pmf("q", q)?;
    if block == 0 {
        return Err(Error::invalid("block length", "at least 1 outcome", 0));
    }
    let mut bits = 0_u64;
    for chunk in sample.axis_chunks_iter(Axis(0), block) {
        let mut log2_prob = 0.0;
        for &x in &chunk {
            let q_x = *q.get(x).ok_or_else(|| {
                Error::invalid("outcome", format!("an index below {}", q.len()), x)
            })?;
            if q_x <= 0.0 {
                return Err(no_codeword(x));
            }
            log2_prob += q_x.log2();
        }
        bits += u64::from(length_of(log2_prob));
    }
    Ok(bits)
}

/// `⌈−log₂ p⌉` from `log₂ p`, with a little slack so that exact powers of two (where
/// rounding leaves `−log₂ p` a hair above an integer) get their exact length.
fn length_of(log2_prob: f64) -> u32 {
    (-log2_prob - 1e-9).ceil().max(0.0) as u32
}

fn no_codeword(i: usize) -> Error {
    Error::invalid(
        "q",
        format!("a positive probability for outcome {i}, or a code has no codeword for it"),
        0.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::{Unit, cross_entropy, entropy, kl};
    use ndarray::{Array1, array};
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rand_distr::{Distribution, weighted::WeightedIndex};

    #[test]
    fn shannon_lengths_satisfy_kraft_and_cost_less_than_one_bit_above_the_cross_entropy() {
        let (p, q) = (array![0.5, 0.3, 0.2], array![0.1, 0.3, 0.6]);
        let len = shannon_code_lengths(&q).unwrap();
        assert_eq!(len, vec![4, 2, 1]);
        let kraft: f64 = len.iter().map(|&l| 2f64.powi(-(l as i32))).sum();
        assert!(kraft <= 1.0);
        let mean: f64 = p.iter().zip(&len).map(|(p, &l)| p * f64::from(l)).sum(); // Σ_x P(x) ℓ(x)
        let h_pq = cross_entropy(&p, &q, Unit::Bits).unwrap();
        assert!(h_pq <= mean && mean < h_pq + 1.0, "{mean} vs {h_pq}");
    }

    #[test]
    fn counted_extra_bits_per_outcome_approach_the_kl_as_blocks_grow() {
        let (p, q) = ([0.5, 0.3, 0.2], [0.1, 0.3, 0.6]);
        let mut rng = StdRng::seed_from_u64(3);
        let dist = WeightedIndex::new(p).unwrap();
        let sample: Array1<usize> = (0..60_000).map(|_| dist.sample(&mut rng)).collect();
        let n = sample.len() as f64;
        let kl_pq = kl(&p, &q, Unit::Bits).unwrap();
        let (h_p, h_pq) = (
            entropy(&p, Unit::Bits).unwrap(),
            cross_entropy(&p, &q, Unit::Bits).unwrap(),
        );
        let mut gaps = Vec::new();
        for k in [1, 4, 16] {
            let with_q = bits_to_code(&sample, &q, k).unwrap() as f64 / n;
            let with_p = bits_to_code(&sample, &p, k).unwrap() as f64 / n;
            let slack = 1.0 / k as f64 + 0.02; // block rounding, plus sampling noise
            assert!(
                (with_q - h_pq).abs() < slack,
                "k = {k}: {with_q} vs H(P,Q) {h_pq}"
            );
            assert!(
                (with_p - h_p).abs() < slack,
                "k = {k}: {with_p} vs H(P) {h_p}"
            );
            gaps.push(((with_q - with_p) - kl_pq).abs());
        }
        assert!(gaps[2] < 0.1 && gaps[2] < gaps[0], "{gaps:?}");
    }

    #[test]
    fn an_outcome_q_rules_out_cannot_be_coded() {
        let e = bits_to_code(&[0, 1], &[1.0, 0.0], 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("outcome 1"), "{e}");
        assert!(shannon_code_lengths(&[1.0, 0.0]).is_err());
        assert!(bits_to_code(&[5], &[0.5, 0.5], 1).is_err());
        assert!(bits_to_code(&[0], &[0.5, 0.5], 0).is_err());
    }
}
