//! What a plot reads: numbers, 2-D points and images, from the slices, vectors and
//! candle tensors a lesson already holds.
//!
//! Every plot entry point takes `impl Into<Values>` (or [`Points`], [`Images`]), so a
//! cell passes `&losses`, `&xs[..200]` or the tensor `&samples` as it is, with no
//! `.flatten_all()?.to_vec1()?` in between. A tensor is read when the plot is built:
//! a wrong shape shows as the cell's error, never a panic. Every number is checked
//! finite there too, by [`crate::check`].

use candle_core::{DType, Tensor};

use crate::check;
use crate::{Error, Result};

/// A number a plot can read: any primitive integer or float (converted to `f64`).
///
/// ```
/// use gmcourse::plot::Number;
/// assert_eq!(7_usize.to_f64(), 7.0);
/// ```
pub trait Number: Copy {
    /// The value as `f64` (integers above 2^53 are rounded).
    fn to_f64(self) -> f64;
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
number!(f64, f32, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

#[derive(Debug, Clone)]
enum Source {
    Numbers(Vec<f64>),
    Tensor(Tensor),
}

/// A sequence of numbers: a slice, array or `Vec` of any [`Number`], or a tensor of any
/// shape, read in row-major order.
///
/// ```
/// use gmcourse::prelude::*;
/// let loss = Tensor::new(&[2.0f32, 1.0, 0.5], &Device::Cpu)?;
/// let fig = plot::training_curves().series("loss", &loss).build()?;
/// assert!(fig.to_svg().contains("loss"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Values(Source);

impl Values {
    /// The numbers as `f64`, each checked finite; errors name them `what: name[i]`.
    pub(crate) fn read(&self, what: &str, name: &str) -> Result<Vec<f64>> {
        let values = match &self.0 {
            Source::Numbers(v) => v.clone(),
            Source::Tensor(t) => t.flatten_all()?.to_dtype(DType::F64)?.to_vec1::<f64>()?,
        };
        for (i, &v) in values.iter().enumerate() {
            check::finite(
                &format!("{what}: {name}[{i}] (remove NaN/inf values before plotting)"),
                v,
            )?;
        }
        Ok(values)
    }
}

impl<T: Number> From<&[T]> for Values {
    fn from(v: &[T]) -> Self {
        Values(Source::Numbers(v.iter().map(|&x| x.to_f64()).collect()))
    }
}

impl<T: Number, const N: usize> From<&[T; N]> for Values {
    fn from(v: &[T; N]) -> Self {
        Values::from(&v[..])
    }
}

impl<T: Number> From<&Vec<T>> for Values {
    fn from(v: &Vec<T>) -> Self {
        Values::from(&v[..])
    }
}

impl<T: Number> From<Vec<T>> for Values {
    fn from(v: Vec<T>) -> Self {
        Values::from(&v[..])
    }
}

impl From<&Tensor> for Values {
    fn from(t: &Tensor) -> Self {
        Values(Source::Tensor(t.clone()))
    }
}

/// The points near each mode, as bar heights.
///
/// ```
/// use gmcourse::data::synthetic::ModeCounts;
/// let counts = ModeCounts { counts: vec![1, 2], n_points: 6 };
/// use gmcourse::plot::ChartOptions;
/// let svg = gmcourse::plot::bar(&["a", "b"], &counts).build()?.to_svg();
/// assert!(svg.contains("<svg"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
impl From<&crate::data::synthetic::ModeCounts> for Values {
    fn from(c: &crate::data::synthetic::ModeCounts) -> Self {
        Values::from(&c.counts)
    }
}

/// `Err` naming both lengths unless `a` and `b` have the same length.
pub(crate) fn same_len(what: &str, a: (&str, usize), b: (&str, usize)) -> Result<()> {
    if a.1 == b.1 {
        return Ok(());
    }
    Err(Error::shape(
        what,
        format!("{} and {} of equal length", a.0, b.0),
        format!("{} has {} values but {} has {}", a.0, a.1, b.0, b.1),
    ))
}

/// `Err` when there is nothing to plot.
pub(crate) fn not_empty<T>(what: &str, name: &str, items: &[T]) -> Result<()> {
    check::not_empty(&format!("{what}: {name}"), items)
}

#[derive(Debug, Clone)]
enum PointSource {
    Columns(Values, Values),
    Pairs(Vec<[f64; 2]>),
    Tensor(Tensor),
}

/// 2-D points `(x_i, y_i)`: an `(n, 2)` tensor, a slice of `[x, y]` pairs, or two
/// columns `(xs, ys)` of [`Values`].
///
/// ```
/// use gmcourse::prelude::*;
/// let z = Tensor::new(&[[0.0f32, 1.0], [1.0, 0.5], [2.0, 0.0]], &Device::Cpu)?; // (3, 2)
/// let fig = plot::scatter(&z).group("pairs", &[[0.5, 0.5], [1.5, 0.5]])
///     .group("columns", (&[0.0, 2.0], &[1.0, 1.0])).build()?;
/// assert_eq!(fig.to_svg().matches("<circle").count(), 7 + 2); // 7 points, 2 in the legend
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Points(PointSource);

impl Points {
    /// The columns `(xs, ys)`, checked finite and of equal length; errors call the x
    /// values `xs` and the y values `name`.
    pub(crate) fn read(&self, what: &str, name: &str) -> Result<(Vec<f64>, Vec<f64>)> {
        let pairs =
            |p: &[[f64; 2]]| -> (Vec<f64>, Vec<f64>) { p.iter().map(|q| (q[0], q[1])).unzip() };
        let (xs, ys) = match &self.0 {
            PointSource::Columns(xs, ys) => (xs.read(what, "xs")?, ys.read(what, name)?),
            PointSource::Pairs(p) => pairs(p),
            PointSource::Tensor(t) => {
                let (_, 2) = t.dims2().map_err(|_| points_shape(what, t))? else {
                    return Err(points_shape(what, t));
                };
                let rows = t.to_dtype(DType::F64)?.to_vec2::<f64>()?;
                rows.iter().map(|r| (r[0], r[1])).unzip()
            }
        };
        same_len(what, ("xs", xs.len()), (name, ys.len()))?;
        if !matches!(self.0, PointSource::Columns(..)) {
            Values::from(&xs).read(what, "xs")?;
            Values::from(&ys).read(what, name)?;
        }
        Ok((xs, ys))
    }
}

fn points_shape(what: &str, t: &Tensor) -> Error {
    Error::shape(
        what,
        "an (n, 2) tensor of points (select two columns with .narrow(1, 0, 2)?)",
        format!("{:?}", t.dims()),
    )
}

impl From<&Tensor> for Points {
    fn from(t: &Tensor) -> Self {
        Points(PointSource::Tensor(t.clone()))
    }
}

impl<T: Number> From<&[[T; 2]]> for Points {
    fn from(p: &[[T; 2]]) -> Self {
        Points(PointSource::Pairs(
            p.iter().map(|q| [q[0].to_f64(), q[1].to_f64()]).collect(),
        ))
    }
}

impl<T: Number, const N: usize> From<&[[T; 2]; N]> for Points {
    fn from(p: &[[T; 2]; N]) -> Self {
        Points::from(&p[..])
    }
}

impl<T: Number> From<&Vec<[T; 2]>> for Points {
    fn from(p: &Vec<[T; 2]>) -> Self {
        Points::from(&p[..])
    }
}

/// A data set of 2-D points (the ring, the grid, a generator's samples).
impl From<&crate::data::Points> for Points {
    fn from(p: &crate::data::Points) -> Self {
        Points::from(&p.0)
    }
}

impl<X: Into<Values>, Y: Into<Values>> From<(X, Y)> for Points {
    fn from((xs, ys): (X, Y)) -> Self {
        Points(PointSource::Columns(xs.into(), ys.into()))
    }
}

#[derive(Debug, Clone)]
enum ImageSource {
    Nested(Vec<Vec<f32>>),
    Tensor(Tensor),
}

/// Grey-level images with values in `[0, 1]`: a tensor `(n, height, width)`,
/// `(n, 1, height, width)` or `(n, height · width)` (square images, e.g. `(n, 784)` for
/// 28 × 28), or one `Vec` per image (square too, unless the grid is told
/// [`super::ImageGrid::image_size`]).
///
/// ```
/// use gmcourse::prelude::*;
/// let x = Tensor::zeros((6, 784), DType::F32, &Device::Cpu)?; // six blank 28 × 28 digits
/// let fig = plot::image_grid(&x).cols(3).build()?;
/// assert_eq!(fig.format(), plot::Format::Png);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Images(ImageSource);

/// Pixels of `n` images, back to back, and their size.
pub(crate) struct ImageData {
    pub pixels: Vec<f32>,
    pub n: usize,
    pub height: usize,
    pub width: usize,
}

impl Images {
    /// The pixels, checked finite, with the image size: `size` if given, else read from
    /// the tensor's shape, else the side of a square image.
    pub(crate) fn read(&self, what: &str, size: Option<(usize, usize)>) -> Result<ImageData> {
        let (pixels, n, per, shape) = match &self.0 {
            ImageSource::Nested(images) => {
                let per = images.first().map_or(0, Vec::len);
                if let Some((i, img)) = images.iter().enumerate().find(|(_, m)| m.len() != per) {
                    return Err(Error::shape(
                        format!("{what}: image {i}"),
                        format!("{per} values, as image 0"),
                        format!("{} values", img.len()),
                    ));
                }
                (images.concat(), images.len(), per, None)
            }
            ImageSource::Tensor(t) => {
                let dims = t.dims().to_vec();
                let (n, shape) = match dims.as_slice() {
                    &[n, d] => (n, (d, None)),
                    &[n, h, w] | &[n, 1, h, w] => (n, (h * w, Some((h, w)))),
                    _ => {
                        return Err(Error::shape(
                            what,
                            "a tensor (n, height · width), (n, height, width) or (n, 1, height, width)",
                            format!("{dims:?}"),
                        ));
                    }
                };
                let pixels = t.flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>()?;
                (pixels, n, shape.0, shape.1)
            }
        };
        let (height, width) = match size.or(shape) {
            Some(s) => s,
            None => {
                let side = (per as f64).sqrt().round() as usize;
                if side * side != per {
                    return Err(Error::shape(
                        what,
                        "square images (or give their size with .image_size(height, width))",
                        format!("{per} values per image"),
                    ));
                }
                (side, side)
            }
        };
        if height * width != per || per == 0 {
            return Err(Error::shape(
                what,
                format!("{height} × {width} = {} values per image", height * width),
                format!("{per} values"),
            ));
        }
        if n == 0 {
            return Err(Error::invalid(
                format!("{what}: images"),
                "at least one image",
                "none",
            ));
        }
        if let Some(p) = pixels.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                format!("{what}: image {}, pixel {}", p / per, p % per),
                "a finite grey level in [0, 1]",
                pixels[p],
            ));
        }
        Ok(ImageData {
            pixels,
            n,
            height,
            width,
        })
    }
}

impl From<&Tensor> for Images {
    fn from(t: &Tensor) -> Self {
        Images(ImageSource::Tensor(t.clone()))
    }
}

impl<T: Number> From<&[Vec<T>]> for Images {
    fn from(images: &[Vec<T>]) -> Self {
        Images(ImageSource::Nested(
            images
                .iter()
                .map(|img| img.iter().map(|&v| v.to_f64() as f32).collect())
                .collect(),
        ))
    }
}

impl<T: Number, const N: usize> From<&[Vec<T>; N]> for Images {
    fn from(images: &[Vec<T>; N]) -> Self {
        Images::from(&images[..])
    }
}

impl<T: Number> From<&Vec<Vec<T>>> for Images {
    fn from(images: &Vec<Vec<T>>) -> Self {
        Images::from(&images[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn a_tensor_is_read_in_row_major_order_whatever_its_shape() {
        let t = Tensor::new(&[[1u32, 2], [3, 4]], &Device::Cpu).unwrap();
        assert_eq!(
            Values::from(&t).read("w", "t").unwrap(),
            [1.0, 2.0, 3.0, 4.0]
        );
    }

    #[test]
    fn a_nan_in_a_tensor_is_named_by_its_index() {
        let t = Tensor::new(&[0.5f32, f32::NAN], &Device::Cpu).unwrap();
        let err = Values::from(&t)
            .read("plot::line", "loss")
            .unwrap_err()
            .to_string();
        assert!(err.contains("loss[1]"), "{err}");
    }

    #[test]
    fn points_from_a_tensor_pairs_and_columns_agree() {
        let t = Tensor::new(&[[0.0f32, 1.0], [2.0, 3.0]], &Device::Cpu).unwrap();
        let want = (vec![0.0, 2.0], vec![1.0, 3.0]);
        assert_eq!(Points::from(&t).read("w", "ys").unwrap(), want);
        assert_eq!(
            Points::from(&[[0.0, 1.0], [2.0, 3.0]])
                .read("w", "ys")
                .unwrap(),
            want
        );
        assert_eq!(
            Points::from((&[0.0, 2.0], &[1.0, 3.0]))
                .read("w", "ys")
                .unwrap(),
            want
        );
    }

    #[test]
    fn a_tensor_that_is_not_n_by_2_is_refused_with_its_shape() {
        let t = Tensor::zeros((4, 3), DType::F32, &Device::Cpu).unwrap();
        let err = Points::from(&t)
            .read("plot::scatter", "ys")
            .unwrap_err()
            .to_string();
        assert!(err.contains("(n, 2)") && err.contains("[4, 3]"), "{err}");
    }

    #[test]
    fn images_take_their_size_from_the_tensor_or_the_square_side() {
        let cpu = &Device::Cpu;
        let flat = Tensor::zeros((2, 784), DType::F32, cpu).unwrap();
        let cube = Tensor::zeros((2, 1, 3, 5), DType::F32, cpu).unwrap();
        let side = |i: Images| {
            let d = i.read("w", None).unwrap();
            (d.n, d.height, d.width)
        };
        assert_eq!(side(Images::from(&flat)), (2, 28, 28));
        assert_eq!(side(Images::from(&cube)), (2, 3, 5));
        assert_eq!(side(Images::from(&[vec![0.0; 9]])), (1, 3, 3));
    }

    #[test]
    fn rows_that_are_not_square_images_name_the_remedy() {
        let t = Tensor::zeros((2, 50), DType::F32, &Device::Cpu).unwrap();
        let err = Images::from(&t)
            .read("plot::image_grid", None)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains(".image_size(height, width)"), "{err}");
    }
}
