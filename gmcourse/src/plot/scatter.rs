//! Scatter plots of 2-D points `(x_i, y_i)` in labelled groups, e.g. a VAE's latent codes
//! `z` coloured by digit class. Above 2,000 points in total the points become one
//! embedded PNG layer (see [`PointLayer`]) so the SVG stays small.

use super::chart::{Axes, Plan, PointLayer, check_finite, check_nonempty, check_same_len, render};
use super::figure::Figure;
use super::layer::{self, Layer};
use super::style::{PALETTE, Rgb};
use crate::{Error, Result};

#[derive(Debug, Clone)]
struct Group {
    name: Option<String>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    color: Option<Rgb>,
}

/// A scatter plot under construction. [`Scatter::name`] and [`Scatter::color`] apply to
/// the group added last.
///
/// ```
/// use gmcourse::plot;
/// let fig = plot::scatter(&[0.0, 1.0, 2.0], &[1.0, 0.0, 1.0]).name("real")
///     .group("fake", &[0.5, 1.5], &[0.5, 0.5])
///     .build()?;
/// assert!(fig.to_svg().contains("fake"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scatter {
    axes: Axes,
    groups: Vec<Group>,
    point_layer: PointLayer,
    radius: Option<f64>,
    opacity: Option<f64>,
    pending: Option<String>,
}

fn to_f64<T: Copy + Into<f64>>(v: &[T]) -> Vec<f64> {
    v.iter().map(|&x| x.into()).collect()
}

/// A scatter plot of one unnamed group; add more with [`Scatter::group`].
///
/// ```
/// let fig = gmcourse::plot::scatter(&[0.0, 1.0], &[1.0, 0.0]).build()?;
/// assert!(fig.to_svg().contains("<circle"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn scatter<X: Copy + Into<f64>, Y: Copy + Into<f64>>(xs: &[X], ys: &[Y]) -> Scatter {
    Scatter::new().push(None, xs, ys)
}

impl Default for Scatter {
    fn default() -> Self {
        Scatter {
            axes: Axes::default(),
            groups: Vec::new(),
            point_layer: PointLayer::Auto,
            radius: None,
            opacity: None,
            pending: None,
        }
    }
}

impl Scatter {
    /// An empty scatter plot.
    ///
    /// ```
    /// let fig = gmcourse::plot::Scatter::new().group("a", &[0.0], &[0.0]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new() -> Self {
        Scatter::default()
    }

    fn push<X: Copy + Into<f64>, Y: Copy + Into<f64>>(
        mut self,
        name: Option<String>,
        xs: &[X],
        ys: &[Y],
    ) -> Self {
        self.groups.push(Group {
            name,
            xs: to_f64(xs),
            ys: to_f64(ys),
            color: None,
        });
        self
    }

    /// Adds a named group of points.
    ///
    /// ```
    /// let fig = gmcourse::plot::Scatter::new().group("z | y=3", &[0.1], &[0.2]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn group<X: Copy + Into<f64>, Y: Copy + Into<f64>>(
        self,
        name: impl Into<String>,
        xs: &[X],
        ys: &[Y],
    ) -> Self {
        self.push(Some(name.into()), xs, ys)
    }

    /// A scatter with one group per class: point `i` goes to group `classes[i]`, named
    /// after the class number (e.g. latent codes coloured by digit).
    ///
    /// ```
    /// let fig = gmcourse::plot::Scatter::by_class(&[0.0, 1.0, 2.0], &[0.0, 1.0, 0.0], &[0, 1, 0]).build()?;
    /// assert!(fig.to_svg().contains("\n1\n</text>"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn by_class<X: Copy + Into<f64>, Y: Copy + Into<f64>>(
        xs: &[X],
        ys: &[Y],
        classes: &[usize],
    ) -> Self {
        let mut s = Scatter::new();
        if xs.len() != classes.len() || ys.len() != classes.len() {
            s.pending = Some(format!(
                "xs has {} values, ys has {} and classes has {}",
                xs.len(),
                ys.len(),
                classes.len()
            ));
            return s;
        }
        let max = classes.iter().copied().max().unwrap_or(0);
        for c in 0..=max {
            let idx: Vec<usize> = (0..classes.len()).filter(|&i| classes[i] == c).collect();
            if idx.is_empty() {
                continue;
            }
            let gx: Vec<f64> = idx.iter().map(|&i| xs[i].into()).collect();
            let gy: Vec<f64> = idx.iter().map(|&i| ys[i].into()).collect();
            s.groups.push(Group {
                name: Some(c.to_string()),
                xs: gx,
                ys: gy,
                color: Some(PALETTE[c % PALETTE.len()]),
            });
        }
        s
    }

    /// Names the group added last.
    ///
    /// ```
    /// let fig = gmcourse::plot::scatter(&[0.0], &[0.0]).name("x_hat").build()?;
    /// assert!(fig.to_svg().contains("x_hat"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        if let Some(g) = self.groups.last_mut() {
            g.name = Some(name.into());
        }
        self
    }

    /// Colours the group added last.
    ///
    /// ```
    /// use gmcourse::plot::{self, Rgb};
    /// let fig = plot::scatter(&[0.0], &[0.0]).color(Rgb::RED).build()?;
    /// assert!(fig.to_svg().contains("#D62728"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn color(mut self, color: Rgb) -> Self {
        if let Some(g) = self.groups.last_mut() {
            g.color = Some(color);
        }
        self
    }

    /// Chooses SVG circles or one PNG layer (default: PNG above 2,000 points).
    ///
    /// ```
    /// use gmcourse::plot::{self, PointLayer};
    /// let fig = plot::scatter(&[0.0, 1.0], &[0.0, 1.0]).points(PointLayer::Raster).build()?;
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
    /// let fig = gmcourse::plot::scatter(&[0.0], &[0.0]).radius(5.0).build()?;
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
    /// let fig = gmcourse::plot::scatter(&[0.0], &[0.0]).opacity(0.3).build()?;
    /// assert!(fig.to_svg().contains("opacity=\"0.3\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn opacity(mut self, alpha: f64) -> Self {
        self.opacity = Some(alpha);
        self
    }

    /// Renders the plot.
    ///
    /// # Errors
    /// No points, mismatched lengths, NaN coordinates, or a radius/opacity out of range.
    ///
    /// ```
    /// let err = gmcourse::plot::scatter(&[0.0, 1.0], &[f64::NAN, 1.0]).build().unwrap_err();
    /// assert!(err.to_string().contains("ys[0]"));
    /// ```
    pub fn build(&self) -> Result<Figure> {
        let what = "plot::scatter";
        if let Some(problem) = &self.pending {
            return Err(Error::shape(
                format!("{what}::by_class"),
                "xs, ys and classes of equal length",
                problem,
            ));
        }
        check_nonempty(what, "groups", self.groups.len())?;
        let total: usize = self.groups.iter().map(|g| g.xs.len()).sum();
        check_nonempty(what, "points", total)?;
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
        for g in &self.groups {
            let name = g.name.as_deref().unwrap_or("ys");
            check_same_len(what, ("xs", g.xs.len()), (name, g.ys.len()))?;
            check_finite(what, "xs", &g.xs)?;
            check_finite(what, name, &g.ys)?;
            let color = g.color.unwrap_or_else(|| {
                auto += 1;
                PALETTE[(auto - 1) % PALETTE.len()]
            });
            plan.layers.push(Layer::Points(layer::Points {
                label: g.name.clone(),
                points: g.xs.iter().copied().zip(g.ys.iter().copied()).collect(),
                color,
                radius,
                opacity,
            }));
        }
        render(&plan)
    }
}

axes_options!(
    Scatter,
    "gmcourse::plot::scatter(&[0.0, 1.0, 2.0], &[1.0, 3.0, 2.0])"
);

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
        let svg = Scatter::by_class(&xs, &ys, &cs).build().unwrap().to_svg();
        assert_eq!(svg.matches("data:image/png;base64,").count(), 1);
        // Only the ten legend markers remain SVG circles.
        assert_eq!(svg.matches("<circle").count(), 10);
        // 10k SVG circles take ~1 MB; the raster layer must stay far below.
        assert!(svg.len() < 300_000, "svg is {} bytes", svg.len());
    }

    #[test]
    fn few_points_stay_vector_circles() {
        let (xs, ys, _) = cloud(100, 1);
        let svg = scatter(&xs, &ys).build().unwrap().to_svg();
        assert_eq!(svg.matches("<circle").count(), 100);
        assert!(!svg.contains("data:image/png"));
    }

    #[test]
    fn raster_scatter_is_deterministic() {
        let (xs, ys, cs) = cloud(3000, 2);
        let a = Scatter::by_class(&xs, &ys, &cs).build().unwrap();
        let b = Scatter::by_class(&xs, &ys, &cs).build().unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn by_class_with_mismatched_lengths_is_an_error() {
        let err = Scatter::by_class(&[0.0, 1.0], &[0.0, 1.0], &[0])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("classes has 1"), "{err}");
    }
}
