//! Scatter plots of 2-D points `(x_i, y_i)` in labelled groups, e.g. a VAE's latent codes
//! `z` coloured by digit class. Above 2,000 points in total the points become one
//! embedded PNG layer (see [`PointLayer`]) so the SVG stays small.

use super::chart::{Plan, PointLayer, render};
use super::figure::Figure;
use super::input::{Points, Values, not_empty, same_len};
use super::layer::{self, Layer};
use super::options::{Axes, ChartOptions};
use super::style::{PALETTE, Rgb};
use crate::{Error, Result};

#[derive(Debug, Clone)]
enum Group {
    /// Points of one colour.
    Points {
        name: Option<String>,
        points: Points,
        color: Option<Rgb>,
    },
    /// Points split into one group per class, named after it.
    ByClass { points: Points, classes: Values },
}

/// A scatter plot under construction. [`Scatter::name`] and [`Scatter::color`] apply to
/// the group added last.
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::scatter((&[0.0, 1.0, 2.0], &[1.0, 0.0, 1.0])).name("real")
///     .group("fake", (&[0.5, 1.5], &[0.5, 0.5]))
///     .build()?;
/// assert!(fig.to_svg().contains("fake"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Scatter {
    axes: Axes,
    groups: Vec<Group>,
    point_layer: PointLayer,
    radius: Option<f64>,
    opacity: Option<f64>,
}

/// A scatter plot of one unnamed group of [`Points`]: an `(n, 2)` tensor, `[x, y]` pairs,
/// or two columns `(xs, ys)`. Add more with [`Scatter::group`].
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::scatter((&[0.0, 1.0], &[1.0, 0.0])).build()?;
/// assert!(fig.to_svg().contains("<circle"));
/// let z = Tensor::new(&[[0.0f32, 1.0], [1.0, 0.0]], &Device::Cpu)?; // (n, 2)
/// assert_eq!(plot::scatter(&z).build()?, fig);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn scatter(points: impl Into<Points>) -> Scatter {
    Scatter::new().push(None, points.into())
}

impl Scatter {
    /// An empty scatter plot.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::Scatter::new().group("a", &[[0.0, 0.0]]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new() -> Self {
        Scatter::default()
    }

    fn push(mut self, name: Option<String>, points: Points) -> Self {
        self.groups.push(Group::Points {
            name,
            points,
            color: None,
        });
        self
    }

    /// Adds a named group of points.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::Scatter::new().group("z | y=3", &[[0.1, 0.2]]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn group(self, name: impl Into<String>, points: impl Into<Points>) -> Self {
        self.push(Some(name.into()), points.into())
    }

    /// A scatter with one group per class: point `i` goes to group `classes[i]`, named
    /// after the class number (e.g. latent codes coloured by digit). `classes` holds
    /// numbers 0, 1, 2, …: a slice, vector or tensor such as a labels tensor.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let z = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]];
    /// let fig = plot::Scatter::by_class(&z, &[0, 1, 0]).build()?;
    /// assert!(fig.to_svg().contains("\n1\n</text>"));
    /// let digits = Tensor::new(&[0u32, 1, 0], &Device::Cpu)?;
    /// assert_eq!(plot::Scatter::by_class(&z, &digits).build()?, fig);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn by_class(points: impl Into<Points>, classes: impl Into<Values>) -> Self {
        let mut s = Scatter::new();
        s.groups.push(Group::ByClass {
            points: points.into(),
            classes: classes.into(),
        });
        s
    }

    /// Names the group added last.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::scatter(&[[0.0, 0.0]]).name("x_hat").build()?;
    /// assert!(fig.to_svg().contains("x_hat"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn name(mut self, new: impl Into<String>) -> Self {
        if let Some(Group::Points { name, .. }) = self.groups.last_mut() {
            *name = Some(new.into());
        }
        self
    }

    /// Colours the group added last.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::scatter(&[[0.0, 0.0]]).color(plot::Rgb::RED).build()?;
    /// assert!(fig.to_svg().contains("#D62728"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn color(mut self, new: Rgb) -> Self {
        if let Some(Group::Points { color, .. }) = self.groups.last_mut() {
            *color = Some(new);
        }
        self
    }

    /// Chooses SVG circles or one PNG layer (default: PNG above 2,000 points).
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let fig = plot::scatter(&[[0.0, 0.0], [1.0, 1.0]]).points(plot::PointLayer::Raster).build()?;
    /// assert!(fig.to_svg().contains("data:image/png;base64,"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn points(mut self, layer: PointLayer) -> Self {
        self.point_layer = layer;
        self
    }

    /// Sets the point radius in pixels (default 3, or 1.5 above 2,000 points).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::scatter(&[[0.0, 0.0]]).radius(5.0).build()?;
    /// assert!(fig.to_svg().contains("r=\"5\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn radius(mut self, px: f64) -> Self {
        self.radius = Some(px);
        self
    }

    /// Sets the point opacity in `(0, 1]` (default 0.8, or 0.5 above 2,000 points).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::scatter(&[[0.0, 0.0]]).opacity(0.3).build()?;
    /// assert!(fig.to_svg().contains("opacity=\"0.3\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn opacity(mut self, alpha: f64) -> Self {
        self.opacity = Some(alpha);
        self
    }

    /// The groups as `(name, xs, ys, colour)`, classes split into their own groups.
    #[allow(clippy::type_complexity)]
    fn read(&self, what: &str) -> Result<Vec<(Option<String>, Vec<f64>, Vec<f64>, Option<Rgb>)>> {
        let mut out = Vec::new();
        for group in &self.groups {
            match group {
                Group::Points {
                    name,
                    points,
                    color,
                } => {
                    let (xs, ys) = points.read(what, name.as_deref().unwrap_or("ys"))?;
                    out.push((name.clone(), xs, ys, *color));
                }
                Group::ByClass { points, classes } => {
                    let what = format!("{what}::by_class");
                    let (xs, ys) = points.read(&what, "ys")?;
                    let classes = class_numbers(&what, classes)?;
                    same_len(&what, ("points", xs.len()), ("classes", classes.len()))?;
                    let max = classes.iter().copied().max().unwrap_or(0);
                    for c in 0..=max {
                        let idx: Vec<usize> =
                            (0..classes.len()).filter(|&i| classes[i] == c).collect();
                        if !idx.is_empty() {
                            let pick = |v: &[f64]| idx.iter().map(|&i| v[i]).collect();
                            out.push((
                                Some(c.to_string()),
                                pick(&xs),
                                pick(&ys),
                                Some(PALETTE[c % PALETTE.len()]),
                            ));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The classes as indices, each checked to be 0, 1, 2, ….
fn class_numbers(what: &str, classes: &Values) -> Result<Vec<usize>> {
    let numbers = classes.read(what, "classes")?;
    let mut out = Vec::with_capacity(numbers.len());
    for (i, c) in numbers.into_iter().enumerate() {
        if !(c >= 0.0 && c.fract() == 0.0 && c < 1e6) {
            return Err(Error::invalid(
                format!("{what}: classes[{i}]"),
                "a class number 0, 1, 2, … (below a million)",
                c,
            ));
        }
        out.push(c as usize);
    }
    Ok(out)
}

impl ChartOptions for Scatter {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the plot.
    ///
    /// # Errors
    /// No points, mismatched lengths, NaN coordinates, a tensor that is not `(n, 2)`,
    /// or a radius/opacity out of range.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let err = plot::scatter((&[0.0, 1.0], &[f64::NAN, 1.0])).build().unwrap_err();
    /// assert!(err.to_string().contains("ys[0]"));
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::scatter";
        not_empty(what, "groups", &self.groups)?;
        let groups = self.read(what)?;
        let total: usize = groups.iter().map(|g| g.1.len()).sum();
        if total == 0 {
            return Err(Error::invalid(
                format!("{what}: points"),
                "at least one value",
                "an empty slice",
            ));
        }
        let many = self.point_layer.is_raster(total);
        let radius = self.radius.unwrap_or(if many { 1.5 } else { 3.0 });
        let opacity = self.opacity.unwrap_or(if many { 0.5 } else { 0.8 });
        if !(radius.is_finite() && radius > 0.0 && radius <= 50.0) {
            return Err(Error::invalid(
                format!("{what}: radius"),
                "a radius in (0, 50] pixels",
                radius,
            ));
        }
        if !(opacity > 0.0 && opacity <= 1.0) {
            return Err(Error::invalid(
                format!("{what}: opacity"),
                "an opacity in (0, 1]",
                opacity,
            ));
        }
        let mut plan = Plan::new(what, &self.axes);
        plan.point_layer = self.point_layer;
        let mut auto = 0;
        for (label, xs, ys, color) in groups {
            let color = color.unwrap_or_else(|| {
                auto += 1;
                PALETTE[(auto - 1) % PALETTE.len()]
            });
            plan.layers.push(Layer::Points(layer::Points {
                label,
                points: xs.into_iter().zip(ys).collect(),
                color,
                radius,
                opacity,
            }));
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    fn cloud(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<usize>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut xs = Vec::with_capacity(n);
        let mut ys = Vec::with_capacity(n);
        let mut cs = Vec::with_capacity(n);
        for i in 0..n {
            let c = i % 10;
            let angle = c as f64 / 10.0 * std::f64::consts::TAU;
            xs.push(3.0 * angle.cos() + rng.random::<f64>() - 0.5);
            ys.push(3.0 * angle.sin() + rng.random::<f64>() - 0.5);
            cs.push(c);
        }
        (xs, ys, cs)
    }

    #[test]
    fn ten_thousand_points_make_a_small_svg_with_one_embedded_png() {
        let (xs, ys, cs) = cloud(10_000, 0);
        let svg = Scatter::by_class((&xs, &ys), &cs).build().unwrap().to_svg();
        assert_eq!(svg.matches("data:image/png;base64,").count(), 1);
        // Only the ten legend markers remain SVG circles.
        assert_eq!(svg.matches("<circle").count(), 10);
        // 10k SVG circles take ~1 MB; the raster layer must stay far below.
        assert!(svg.len() < 300_000, "svg is {} bytes", svg.len());
    }

    #[test]
    fn few_points_stay_vector_circles() {
        let (xs, ys, _) = cloud(100, 1);
        let svg = scatter((&xs, &ys)).build().unwrap().to_svg();
        assert_eq!(svg.matches("<circle").count(), 100);
        assert!(!svg.contains("data:image/png"));
    }

    #[test]
    fn raster_scatter_is_deterministic() {
        let (xs, ys, cs) = cloud(3000, 2);
        let a = Scatter::by_class((&xs, &ys), &cs).build().unwrap();
        let b = Scatter::by_class((&xs, &ys), &cs).build().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_class_that_is_not_a_whole_number_is_named() {
        let err = Scatter::by_class(&[[0.0, 0.0], [1.0, 1.0]], &[0.0, 1.5])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("classes[1]"), "{err}");
    }

    #[test]
    fn by_class_with_mismatched_lengths_is_an_error() {
        let err = Scatter::by_class((&[0.0, 1.0], &[0.0, 1.0]), &[0])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("classes has 1"), "{err}");
    }
}
