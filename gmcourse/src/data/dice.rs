//! Rolls of a fair die and a fair coin, independent: P(x, y) = P(x) P(y) = 1/6 · 1/2 = 1/12
//! for every cell of the 6 × 2 joint table (the lecture's joint-table example).
//!
//! Counting the samples estimates the joint table, the marginal P(x) = 2/12 and the
//! conditional P(y | x = 3) = (1/12) / (1/6) = 1/2.

use rand::{Rng, SeedableRng, rngs::StdRng};

/// A coin face.
///
/// ```
/// use gmcourse::data::Coin;
/// assert_eq!(Coin::H.to_string(), "H");
/// assert_eq!(Coin::T.index(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Coin {
    /// Heads.
    H,
    /// Tails.
    T,
}

impl Coin {
    /// Column of the face in a joint table: H = 0, T = 1.
    ///
    /// ```
    /// assert_eq!(gmcourse::data::Coin::H.index(), 0);
    /// ```
    pub fn index(self) -> usize {
        match self {
            Coin::H => 0,
            Coin::T => 1,
        }
    }
}

impl std::fmt::Display for Coin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Coin::H => "H",
            Coin::T => "T",
        })
    }
}

/// `n` independent rolls of (die, coin): the die uniform on 1 … 6, the coin uniform on
/// {H, T}, seeded by `seed`.
///
/// ```
/// use gmcourse::data::{dice_and_coin, Coin};
/// let rolls = dice_and_coin(12_000, 0);
/// let three_heads = rolls.iter().filter(|&&r| r == (3, Coin::H)).count();
/// assert!((800..1200).contains(&three_heads)); // about 12,000 / 12
/// ```
pub fn dice_and_coin(n: usize, seed: u64) -> Vec<(u8, Coin)> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let die = rng.random_range(1..=6u8);
            let coin = if rng.random::<bool>() {
                Coin::H
            } else {
                Coin::T
            };
            (die, coin)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    #[test]
    fn every_joint_cell_is_close_to_one_twelfth() {
        let n = 120_000;
        let rolls = dice_and_coin(n, 17);
        let mut table = [[0usize; 2]; 6];
        for &(die, coin) in &rolls {
            assert!((1..=6).contains(&die));
            table[usize::from(die - 1)][coin.index()] += 1;
        }
        // Each cell ~ Binomial(n, 1/12): sd = sqrt(n · 1/12 · 11/12) / n ≈ 0.0008.
        for row in &table {
            for &c in row {
                assert_close(c as f64 / n as f64, 1.0 / 12.0, 0.004);
            }
        }
        // The conditional P(coin = H | die = 3) = 1/2.
        let p = table[2][0] as f64 / (table[2][0] + table[2][1]) as f64;
        assert_close(p, 0.5, 0.02);
    }

    #[test]
    fn rolls_are_seeded() {
        assert_eq!(dice_and_coin(100, 3), dice_and_coin(100, 3));
        assert_ne!(dice_and_coin(100, 3), dice_and_coin(100, 4));
    }
}
