//! Image grids: `n` grey-level images (values in `[0, 1]`) tiled into `rows × cols` cells
//! of one PNG, upscaled by nearest neighbour with thin separators. One image per cell
//! output keeps evcxr's one-PNG-per-cell rule. With row labels or a title, plotters draws
//! the text around the grid, which becomes a raster layer of an SVG.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Canvas, Image, Rendering};
use super::colormap::Colormap;
use super::figure::{Figure, show};
use super::input::Images;
use super::raster::Rgba;
use super::style::{FONT_FAMILY, Rgb, TEXT};
use crate::{Error, Result};

/// Gap between cells, in output pixels.
const GAP: usize = 2;
const SEPARATOR: Rgb = Rgb(128, 128, 128);
/// Font sizes in plotters units (plotters writes `size / 1.24` as the SVG font-size).
const TITLE_FONT: f64 = 21.08;
const LABEL_FONT: f64 = 17.36;

/// An image grid under construction.
///
/// ```
/// use gmcourse::prelude::*;
/// // four 2x2 "images": black, white, and two checkerboards
/// let imgs = vec![vec![0.0; 4], vec![1.0; 4], vec![0.0, 1.0, 1.0, 0.0], vec![1.0, 0.0, 0.0, 1.0]];
/// let fig = plot::image_grid(&imgs).cols(2).build()?;
/// assert!(fig.png_bytes().is_some());
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ImageGrid {
    images: Images,
    size: Option<(usize, usize)>,
    cols: Option<usize>,
    scale: Option<usize>,
    row_labels: Vec<String>,
    title: Option<String>,
    colormap: Colormap,
}

/// A grid of [`Images`]: a tensor `(n, 784)`, `(n, 28, 28)` or `(n, 1, 28, 28)` as a
/// model returns it, or one `Vec` per image.
///
/// ```
/// use gmcourse::prelude::*;
/// let x = Tensor::zeros((2, 1, 28, 28), DType::F32, &Device::Cpu)?;
/// let fig = plot::image_grid(&x).build()?;
/// assert_eq!(fig.format(), plot::Format::Png);
/// assert!(plot::image_grid(&[vec![0.5f32; 9]]).build().is_ok()); // one 3 × 3 image
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn image_grid(images: impl Into<Images>) -> ImageGrid {
    ImageGrid {
        images: images.into(),
        size: None,
        cols: None,
        scale: None,
        row_labels: Vec::new(),
        title: None,
        colormap: Colormap::Greys,
    }
}

impl ImageGrid {
    /// Gives the image size, for images that are not square or not a tensor of that shape.
    ///
    /// ```
    /// let fig = gmcourse::plot::image_grid(&[vec![0.0, 1.0]]).image_size(1, 2).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn image_size(mut self, height: usize, width: usize) -> Self {
        self.size = Some((height, width));
        self
    }

    /// Sets the number of columns (default: all images in one row up to 10, else a
    /// near-square grid; with row labels, the images split evenly over the rows).
    ///
    /// ```
    /// let fig = gmcourse::plot::image_grid(&vec![vec![0.0; 4]; 6]).cols(3).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn cols(mut self, cols: usize) -> Self {
        self.cols = Some(cols);
        self
    }

    /// Sets the upscaling factor (default: about 56 output pixels per image side).
    ///
    /// ```
    /// let fig = gmcourse::plot::image_grid(&[vec![0.0; 4]]).scale(10).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn scale(mut self, factor: usize) -> Self {
        self.scale = Some(factor);
        self
    }

    /// Labels each row (e.g. the class a conditional GAN was asked for). The figure
    /// becomes an SVG holding the PNG and the labels.
    ///
    /// ```
    /// let fig = gmcourse::plot::image_grid(&vec![vec![0.0; 4]; 4])
    ///     .row_labels(&["y = 0", "y = 1"]).build()?;
    /// assert!(fig.to_svg().contains("y = 1"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn row_labels<S: ToString>(mut self, labels: &[S]) -> Self {
        self.row_labels = labels.iter().map(|l| l.to_string()).collect();
        self
    }

    /// Adds a title above the grid (the figure becomes an SVG holding the PNG).
    ///
    /// ```
    /// let fig = gmcourse::plot::image_grid(&[vec![0.0; 4]]).title("samples").build()?;
    /// assert!(fig.to_svg().contains("samples"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Chooses how grey levels become colours (default [`Colormap::Greys`]: 0 black,
    /// 1 white, as MNIST is usually shown).
    ///
    /// ```
    /// use gmcourse::plot::{self, Colormap};
    /// let fig = plot::image_grid(&[vec![0.0; 4]]).colormap(Colormap::GreysInverted).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn colormap(mut self, colormap: Colormap) -> Self {
        self.colormap = colormap;
        self
    }

    /// `(rows, cols)` of the grid.
    fn layout(&self, n: usize) -> Result<(usize, usize)> {
        let what = "plot::image_grid";
        let cols = match (self.cols, self.row_labels.len()) {
            (Some(0), _) => {
                return Err(Error::invalid(format!("{what}: cols"), "at least 1", 0));
            }
            (Some(c), _) => c,
            (None, 0) if n <= 10 => n,
            (None, 0) => (n as f64).sqrt().ceil() as usize,
            (None, r) => n.div_ceil(r),
        };
        let rows = n.div_ceil(cols);
        if !self.row_labels.is_empty() && self.row_labels.len() != rows {
            return Err(Error::invalid(
                format!("{what}: row_labels"),
                format!("{rows} labels, one per row ({n} images in {cols} columns)"),
                format!("{} labels", self.row_labels.len()),
            ));
        }
        Ok((rows, cols))
    }

    /// The grid as one opaque image.
    fn grid(&self) -> Result<Rgba> {
        let data = self.images.read("plot::image_grid", self.size)?;
        let (rows, cols) = self.layout(data.n)?;
        let (h, w) = (data.height, data.width);
        let s = self.scale.unwrap_or((56 / h.max(w)).clamp(1, 16)).max(1);
        let (cw, ch) = (w * s, h * s);
        let out_w = cols * cw + (cols + 1) * GAP;
        let out_h = rows * ch + (rows + 1) * GAP;
        if out_w > 10_000 || out_h > 10_000 {
            return Err(Error::invalid(
                "plot::image_grid: size",
                "at most 10000 × 10000 output pixels (lower .scale() or show fewer images)",
                format!("{out_w} × {out_h}"),
            ));
        }
        let mut grid = Rgba::transparent(out_w as u32, out_h as u32);
        for y in 0..out_h as u32 {
            for x in 0..out_w as u32 {
                grid.put(x, y, SEPARATOR);
            }
        }
        for (k, img) in data.pixels.chunks(h * w).enumerate() {
            let (r, c) = (k / cols, k % cols);
            let (x0, y0) = (GAP + c * (cw + GAP), GAP + r * (ch + GAP));
            for py in 0..ch {
                for px in 0..cw {
                    let v = img[(py / s) * w + px / s] as f64;
                    grid.put((x0 + px) as u32, (y0 + py) as u32, self.colormap.at(v));
                }
            }
        }
        Ok(grid)
    }

    /// The grid as PNG bytes and its size `(png, width, height)`.
    ///
    /// # Errors
    /// Images of the wrong size, NaN pixels, no images, or a grid too large.
    ///
    /// ```
    /// let (png, w, h) = gmcourse::plot::image_grid(&[vec![0.0; 4]]).scale(1).png()?;
    /// assert_eq!((w, h), (6, 6)); // 2 px image + 2 px border each side
    /// assert_eq!(&png[1..4], b"PNG");
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn png(&self) -> Result<(Vec<u8>, u32, u32)> {
        let grid = self.grid()?;
        Ok((grid.to_png()?, grid.width, grid.height))
    }

    /// Renders the grid: a PNG figure, or an SVG holding the PNG when there are row
    /// labels or a title.
    ///
    /// # Errors
    /// As [`ImageGrid::png`], plus a row-label count that does not match the rows.
    ///
    /// ```
    /// let err = gmcourse::plot::image_grid(&[vec![0.0; 3]]).image_size(2, 2).build().unwrap_err();
    /// assert!(err.to_string().contains("2 × 2 = 4 values"));
    /// ```
    pub fn build(&self) -> Result<Figure> {
        let grid = self.grid()?;
        if self.row_labels.is_empty() && self.title.is_none() {
            return Ok(Figure::from_png(grid.to_png()?, grid.width, grid.height));
        }
        let (w, h) = (grid.width as i32, grid.height as i32);
        let widest = self.row_labels.iter().map(|l| l.chars().count()).max();
        let left = widest.map_or(0, |c| {
            (c as f64 * LABEL_FONT / 1.24 * 0.6 + 14.0).ceil() as i32
        });
        let top = if self.title.is_some() { 30 } else { 0 };
        let err = |e: DrawingAreaErrorKind<std::io::Error>| Error::Plot(format!("{e:?}"));
        let mut svg = String::new();
        {
            let root =
                Canvas::new(&mut svg, ((left + w) as u32, (top + h) as u32)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            let text = |size: f64, h_pos: HPos| {
                (FONT_FAMILY, size)
                    .into_font()
                    .color(&TEXT.to_plotters())
                    .pos(Pos::new(h_pos, VPos::Center))
            };
            if let Some(t) = &self.title {
                root.draw(&Text::new(
                    t.as_str(),
                    ((left + w) / 2, 15),
                    text(TITLE_FONT, HPos::Center),
                ))
                .map_err(err)?;
            }
            root.draw(&Image::new(
                (left, top, left + w, top + h),
                &grid,
                Rendering::Smooth,
                None,
            ))
            .map_err(err)?;
            let row_h = (h as f64 - GAP as f64) / self.row_labels.len().max(1) as f64;
            for (r, label) in self.row_labels.iter().enumerate() {
                let y = top as f64 + GAP as f64 / 2.0 + row_h * (r as f64 + 0.5);
                root.draw(&Text::new(
                    label.as_str(),
                    (left - 8, y.round() as i32),
                    text(LABEL_FONT, HPos::Right),
                ))
                .map_err(err)?;
            }
            root.present().map_err(err)?;
        }
        Ok(Figure::from_svg(svg))
    }

    /// Renders and writes the figure (`.png`, or `.svg` with labels or a title),
    /// creating missing folders.
    ///
    /// # Errors
    /// Invalid images, a wrong extension or an I/O failure.
    ///
    /// ```
    /// let path = std::env::temp_dir().join("gmcourse-doc-save/grid.png");
    /// gmcourse::plot::image_grid(&[vec![0.0f32, 1.0, 1.0, 0.0]]).save(&path)?;
    /// assert!(path.exists());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.build()?.save(path)
    }

    /// Renders and prints the figure for evcxr, so a notebook cell can end with the
    /// grid itself. A rendering error is printed as text, not panicked.
    ///
    /// ```
    /// gmcourse::plot::image_grid(&[vec![0.0f32; 3]]).evcxr_display(); // prints "error: …"
    /// ```
    pub fn evcxr_display(&self) {
        show(self.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_by_one_grid_has_the_right_pixels() {
        // A 1x2 image [0, 1] at scale 1: border grey, then black, white.
        let grid = image_grid(&[vec![0.0, 1.0]]).image_size(1, 2).scale(1);
        let (png, w, h) = grid.png().unwrap();
        assert_eq!((w, h), (2 + 2 * GAP as u32, 1 + 2 * GAP as u32));
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.get_pixel(0, 0).0, [128, 128, 128]);
        assert_eq!(img.get_pixel(GAP as u32, GAP as u32).0, [0, 0, 0]);
        assert_eq!(img.get_pixel(GAP as u32 + 1, GAP as u32).0, [255, 255, 255]);
    }

    #[test]
    fn images_land_in_row_major_cells() {
        // Image 1 (white) sits in row 0, column 1 of a 2-column grid.
        let imgs = vec![vec![0.0; 4], vec![1.0; 4], vec![0.0; 4]];
        let (png, _, _) = image_grid(&imgs).cols(2).scale(1).png().unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let (x, y) = (GAP as u32 + 2 + GAP as u32, GAP as u32);
        assert_eq!(img.get_pixel(x, y).0, [255, 255, 255]);
        let (x, y) = (GAP as u32, GAP as u32 + 2 + GAP as u32);
        assert_eq!(img.get_pixel(x, y).0, [0, 0, 0]);
    }

    #[test]
    fn same_images_give_the_same_png_bytes() {
        let imgs: Vec<Vec<f32>> = (0..16)
            .map(|k| {
                (0..784)
                    .map(|p| ((p * (k + 1)) % 255) as f32 / 255.0)
                    .collect()
            })
            .collect();
        let a = image_grid(&imgs).build().unwrap();
        let b = image_grid(&imgs).build().unwrap();
        assert_eq!(a.png_bytes(), b.png_bytes());
    }

    #[test]
    fn a_tensor_of_the_wrong_row_length_names_the_expected_count() {
        let x =
            candle_core::Tensor::zeros((2, 50), candle_core::DType::F32, &candle_core::Device::Cpu)
                .unwrap();
        let err = image_grid(&x)
            .image_size(28, 28)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("784"), "{err}");
    }

    #[test]
    fn row_labels_must_match_the_number_of_rows() {
        let err = image_grid(&vec![vec![0.0; 4]; 6])
            .cols(3)
            .row_labels(&["a"])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 labels"), "{err}");
    }

    #[test]
    fn labels_are_escaped_in_the_svg() {
        let svg = image_grid(&[vec![0.0; 4]])
            .row_labels(&["a<b"])
            .build()
            .unwrap()
            .to_svg();
        assert!(svg.contains("a&lt;b"));
    }

    #[test]
    fn nan_pixels_are_an_error() {
        assert!(image_grid(&[vec![f32::NAN; 4]]).build().is_err());
    }
}
