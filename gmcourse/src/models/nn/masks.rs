//! Which earlier pixels each autoregressive architecture lets `p(x_i | x_<i)` see, as 2-D
//! grids for plotting (curriculum D1, D4; van den Oord et al., *Pixel Recurrent Neural
//! Networks*, ICML 2016, figures 2 and 4).
//!
//! In raster order the chain rule allows pixel `(r, c)` to depend on every pixel above it
//! and every pixel to its left in its own row:
//!
//! ```text
//! context(r, c) = {(r', c') : r' < r} ∪ {(r, c') : c' < c}
//! ```
//!
//! - **Diagonal BiLSTM**: its two diagonal scans, one from each side, cover every row
//!   above and the pixels to the left, all but one: the last pixel of the row above,
//!   which only the right-to-left scan of the *current* row could carry, and the
//!   one-row shift that keeps that scan causal drops it (a wider first layer only moves
//!   the column from which it is missed). The paper's figure draws the full context.
//! - **Row LSTM** (one layer over a first masked convolution): the state `h(r, c)` reads
//!   the row it is in through a masked 1×3 input-to-state convolution and
//!   `h(r-1, c-1..=c+1)` through a 3-wide state-to-state convolution, so its field is a
//!   triangle above the pixel that widens by one column per row, and misses the rest of
//!   the context.
//!
//! [`receptive_field`] computes each field by running the architecture on dependency
//! sets, so a change to a mask or a recurrence changes the picture.
//! - **PixelCNN**: `L` stacked 3×3 masked convolutions (mask A first, then mask B) leave a
//!   blind spot to the upper right, however deep the stack.

use crate::{Error, Result};

/// What a pixel of the grid is, relative to the pixel being predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Not used to predict the current pixel.
    Unseen,
    /// Part of the receptive field.
    Context,
    /// The pixel being predicted.
    Current,
}

/// The architecture whose receptive field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everything the raster-order chain rule allows (what NADE uses).
    ChainRule,
    /// One Row LSTM layer with 3-wide kernels.
    RowLstm,
    /// Diagonal BiLSTM: all of the available context but the last pixel of the row above.
    DiagonalBiLstm,
    /// A stack of `layers` 3×3 masked convolutions.
    PixelCnn {
        /// Number of masked convolution layers (≥ 1).
        layers: usize,
    },
}

/// The two masks of a PixelCNN kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskType {
    /// First layer: the centre pixel is excluded (a pixel must not see itself).
    A,
    /// Later layers: the centre is included (it holds features of earlier pixels only).
    B,
}

/// The `k × k` (odd `k`) PixelCNN kernel mask: 1 above the centre row, 1 left of the
/// centre in the centre row, the centre itself for [`MaskType::B`], 0 elsewhere.
///
/// ```
/// use gmcourse::models::nn::masks::{pixelcnn_kernel_mask, MaskType};
/// let m = pixelcnn_kernel_mask(3, MaskType::A)?;
/// assert_eq!(m, vec![vec![1.0, 1.0, 1.0], vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 0.0]]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn pixelcnn_kernel_mask(k: usize, mask: MaskType) -> Result<Vec<Vec<f32>>> {
    if k % 2 == 0 || k == 0 {
        return Err(Error::invalid(
            "kernel size",
            "an odd size such as 3 or 5",
            k,
        ));
    }
    let mid = k / 2;
    Ok((0..k)
        .map(|r| {
            (0..k)
                .map(|c| {
                    let on = r < mid
                        || (r == mid && c < mid)
                        || (r == mid && c == mid && mask == MaskType::B);
                    if on { 1.0 } else { 0.0 }
                })
                .collect()
        })
        .collect())
}

/// The receptive field of pixel `(row, col)` of a `height × width` image under `context`.
///
/// The field is **computed**, not drawn by hand: every architecture is run as a network of
/// dependency sets, where each position of each feature map holds the set of input pixels
/// it depends on, and each layer takes unions exactly as its masked kernels and
/// recurrences connect positions. Only [`Context::ChainRule`] is the definition itself.
///
/// - [`Context::PixelCnn`]: a 3×3 convolution with [`pixelcnn_kernel_mask`] `A`, then
///   `layers − 1` with mask `B`.
/// - The two LSTMs read, as in PixelRNN, the output of a first 3×3 convolution with mask
///   `A` (7×7 in the paper), so no state ever sees its own pixel.
/// - [`Context::RowLstm`]: the input-to-state convolution is the centre row of the 3×3
///   mask `B` (it reads the first layer at `(r, c−1)` and `(r, c)`); the state `h(r, c)`
///   also reads the three states `h(r−1, c−1..=c+1)` of the row above, as a whole row is
///   computed at once.
/// - [`Context::DiagonalBiLstm`]: a 1×1 input-to-state convolution; one LSTM scans from
///   the left, `h(r, c) ← h(r−1, c), h(r, c−1)`, one from the right,
///   `h′(r, c) ← h′(r−1, c), h′(r, c+1)`, and the output adds `h(r, c)` to `h′(r−1, c)`,
///   the right-to-left state shifted down one row so that it never sees the current row.
///
/// ```
/// use gmcourse::models::nn::masks::{receptive_field, Cell, Context};
/// let g = receptive_field(Context::ChainRule, 3, 3, 1, 1)?;
/// assert_eq!(g[1], vec![Cell::Context, Cell::Current, Cell::Unseen]);
/// assert!(g[0].iter().all(|&c| c == Cell::Context));
/// // computed through its two scans, the Diagonal BiLSTM reaches all of it here
/// assert_eq!(receptive_field(Context::DiagonalBiLstm, 3, 3, 1, 1)?, g);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn receptive_field(
    context: Context,
    height: usize,
    width: usize,
    row: usize,
    col: usize,
) -> Result<Vec<Vec<Cell>>> {
    if row >= height || col >= width {
        return Err(Error::invalid(
            "pixel",
            format!("row < {height} and col < {width}"),
            format!("({row}, {col})"),
        ));
    }
    let deps = match context {
        Context::ChainRule => {
            let mut d = Deps::empty(height, width);
            for i in 0..row * width + col {
                d.sets[row * width + col][i / 64] |= 1 << (i % 64);
            }
            d
        }
        Context::RowLstm => {
            let first = first_layer(height, width)?;
            let b = pixelcnn_kernel_mask(3, MaskType::B)?;
            let input = first.conv(&[b[1].clone()]);
            let mut h = Deps::empty(height, width);
            for r in 0..height {
                for c in 0..width {
                    let mut set = input.at(r, c).to_vec();
                    for dc in [-1, 0, 1] {
                        h.union_from(&mut set, r as i64 - 1, c as i64 + dc);
                    }
                    h.sets[r * width + c] = set;
                }
            }
            h
        }
        Context::DiagonalBiLstm => {
            let input = first_layer(height, width)?;
            let (mut left, mut right) = (Deps::empty(height, width), Deps::empty(height, width));
            for r in 0..height {
                for c in 0..width {
                    let mut set = input.at(r, c).to_vec();
                    left.union_from(&mut set, r as i64 - 1, c as i64);
                    left.union_from(&mut set, r as i64, c as i64 - 1);
                    left.sets[r * width + c] = set;
                }
                for c in (0..width).rev() {
                    let mut set = input.at(r, c).to_vec();
                    right.union_from(&mut set, r as i64 - 1, c as i64);
                    right.union_from(&mut set, r as i64, c as i64 + 1);
                    right.sets[r * width + c] = set;
                }
            }
            let mut out = left;
            for r in 0..height {
                for c in 0..width {
                    let mut set = out.at(r, c).to_vec();
                    right.union_from(&mut set, r as i64 - 1, c as i64);
                    out.sets[r * width + c] = set;
                }
            }
            out
        }
        Context::PixelCnn { layers } => {
            if layers == 0 {
                return Err(Error::invalid("PixelCnn layers", "at least 1", 0));
            }
            let mut d = Deps::pixels(height, width).conv(&pixelcnn_kernel_mask(3, MaskType::A)?);
            let b = pixelcnn_kernel_mask(3, MaskType::B)?;
            for _ in 1..layers {
                d = d.conv(&b);
            }
            d
        }
    };
    let set = deps.at(row, col);
    let mut grid = vec![vec![Cell::Unseen; width]; height];
    for (i, cell) in grid.iter_mut().flatten().enumerate() {
        if set[i / 64] >> (i % 64) & 1 == 1 {
            *cell = Cell::Context;
        }
    }
    grid[row][col] = Cell::Current;
    Ok(grid)
}

/// The first layer of both LSTMs: a 3×3 convolution of the pixels with mask A.
fn first_layer(height: usize, width: usize) -> Result<Deps> {
    Ok(Deps::pixels(height, width).conv(&pixelcnn_kernel_mask(3, MaskType::A)?))
}

/// For each position of a `height × width` feature map, the set of input pixels it
/// depends on, as a bit set over the `height · width` pixels in raster order.
#[derive(Clone)]
struct Deps {
    height: usize,
    width: usize,
    sets: Vec<Vec<u64>>,
}

impl Deps {
    fn empty(height: usize, width: usize) -> Self {
        let words = (height * width).div_ceil(64);
        Self {
            height,
            width,
            sets: vec![vec![0; words]; height * width],
        }
    }

    /// The input itself: each pixel depends on itself alone.
    fn pixels(height: usize, width: usize) -> Self {
        let mut d = Self::empty(height, width);
        for (i, set) in d.sets.iter_mut().enumerate() {
            set[i / 64] |= 1 << (i % 64);
        }
        d
    }

    fn at(&self, r: usize, c: usize) -> &[u64] {
        &self.sets[r * self.width + c]
    }

    /// Adds the set of position `(r, c)`, if it lies inside the map (zero padding).
    fn union_from(&self, into: &mut [u64], r: i64, c: i64) {
        if (0..self.height as i64).contains(&r) && (0..self.width as i64).contains(&c) {
            for (a, b) in into.iter_mut().zip(self.at(r as usize, c as usize)) {
                *a |= b;
            }
        }
    }

    /// A same-size convolution with the 0/1 kernel `mask`, centred on its middle entry.
    fn conv(&self, mask: &[Vec<f32>]) -> Self {
        let (mr, mc) = ((mask.len() / 2) as i64, (mask[0].len() / 2) as i64);
        let mut out = Self::empty(self.height, self.width);
        for r in 0..self.height {
            for c in 0..self.width {
                let mut set = out.at(r, c).to_vec();
                for (i, k_row) in mask.iter().enumerate() {
                    for (j, &k) in k_row.iter().enumerate() {
                        if k != 0.0 {
                            self.union_from(
                                &mut set,
                                r as i64 + i as i64 - mr,
                                c as i64 + j as i64 - mc,
                            );
                        }
                    }
                }
                out.sets[r * self.width + c] = set;
            }
        }
        out
    }
}

/// The grid as numbers for a heat map: context 1.0, current pixel 0.5, unseen 0.0.
///
/// ```
/// use gmcourse::models::nn::masks::{as_values, Cell};
/// assert_eq!(as_values(&[vec![Cell::Context, Cell::Current, Cell::Unseen]]), vec![vec![1.0, 0.5, 0.0]]);
/// ```
pub fn as_values(grid: &[Vec<Cell>]) -> Vec<Vec<f32>> {
    grid.iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Context => 1.0,
                    Cell::Current => 0.5,
                    Cell::Unseen => 0.0,
                })
                .collect()
        })
        .collect()
}
