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
//! - **Diagonal BiLSTM** reaches all of it.
//! - **Row LSTM** (one layer): the state `h(r, c)` reads `x(r, c-1)` through a masked 1×3
//!   input-to-state convolution and `h(r-1, c-1..=c+1)` through a 3-wide state-to-state
//!   convolution, so its field is a triangle above the pixel that widens by one column
//!   per row, and misses the rest of the context.
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
    /// Diagonal BiLSTM: the whole available context.
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
/// use gmcourse::models::masks::{pixelcnn_kernel_mask, MaskType};
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
/// ```
/// use gmcourse::models::masks::{receptive_field, Cell, Context};
/// let g = receptive_field(Context::ChainRule, 3, 3, 1, 1)?;
/// assert_eq!(g[1], vec![Cell::Context, Cell::Current, Cell::Unseen]);
/// assert!(g[0].iter().all(|&c| c == Cell::Context));
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
    let mut grid = vec![vec![Cell::Unseen; width]; height];
    let (h, w) = (height as i64, width as i64);
    let mut mark = |r: i64, c: i64| {
        if (0..h).contains(&r) && (0..w).contains(&c) {
            grid[r as usize][c as usize] = Cell::Context;
        }
    };
    let (r0, c0) = (row as i64, col as i64);
    match context {
        Context::ChainRule | Context::DiagonalBiLstm => {
            for r in 0..h {
                for c in 0..w {
                    if r < r0 || (r == r0 && c < c0) {
                        mark(r, c);
                    }
                }
            }
        }
        Context::RowLstm => {
            // states h(r, lo..=hi) are needed; each reads x(r, c-1) and h(r-1, c-1..=c+1)
            let (mut lo, mut hi) = (c0, c0);
            for r in (0..=r0).rev() {
                for c in (lo - 1)..=(hi - 1) {
                    mark(r, c);
                }
                lo -= 1;
                hi += 1;
            }
        }
        Context::PixelCnn { layers } => {
            if layers == 0 {
                return Err(Error::invalid("PixelCnn layers", "at least 1", 0));
            }
            let offsets_a = [(-1, -1), (-1, 0), (-1, 1), (0, -1)];
            let offsets_b = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0)];
            // positions of the layer-1 feature maps the output depends on
            let mut frontier = std::collections::BTreeSet::from([(r0, c0)]);
            for _ in 1..layers {
                frontier = frontier
                    .iter()
                    .flat_map(|&(r, c)| offsets_b.iter().map(move |&(dr, dc)| (r + dr, c + dc)))
                    .filter(|&(r, c)| (0..h).contains(&r) && (0..w).contains(&c))
                    .collect();
            }
            for &(r, c) in &frontier {
                for &(dr, dc) in &offsets_a {
                    mark(r + dr, c + dc);
                }
            }
        }
    }
    grid[row][col] = Cell::Current;
    Ok(grid)
}

/// The grid as numbers for a heat map: context 1.0, current pixel 0.5, unseen 0.0.
///
/// ```
/// use gmcourse::models::masks::{as_values, Cell};
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
