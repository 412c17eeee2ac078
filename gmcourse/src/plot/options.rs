//! The options every x–y plot shares — title, axis labels, size, ranges, log scale,
//! legend — written once as the trait [`ChartOptions`], which each plot kind implements
//! with its own `build`. `use gmcourse::prelude::*;` brings the trait into scope.

use std::path::Path;

use super::figure::{Figure, show};
use super::style::{DEFAULT_SIZE, Legend, Scale};
use crate::Result;

/// What every x–y plot can set. (`pub` only so that [`ChartOptions::axes_mut`] may name
/// it: outside this crate it cannot be named, so no other type can implement the trait.)
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    pub(crate) title: Option<String>,
    pub(crate) x_label: Option<String>,
    pub(crate) y_label: Option<String>,
    pub(crate) size: (u32, u32),
    pub(crate) x_range: Option<(f64, f64)>,
    pub(crate) y_range: Option<(f64, f64)>,
    pub(crate) y_scale: Scale,
    pub(crate) legend: Legend,
}

impl Default for Axes {
    fn default() -> Self {
        Axes {
            title: None,
            x_label: None,
            y_label: None,
            size: DEFAULT_SIZE,
            x_range: None,
            y_range: None,
            y_scale: Scale::Linear,
            legend: Legend::UpperRight,
        }
    }
}

/// The builder methods every x–y plot shares ([`super::LinePlot`], [`super::Histogram`],
/// [`super::BarChart`], [`super::Scatter`], [`super::Heatmap`],
/// [`super::TrainingCurves`]), plus `build`, `save` and the notebook display.
///
/// ```
/// use gmcourse::prelude::*; // brings `plot::ChartOptions` into scope
/// let fig = plot::line(&[0.0, 1.0, 2.0], &[1.0, 2.0, 4.0])
///     .title("p(x)")
///     .x_label("x")
///     .build()?;
/// assert!(fig.to_svg().contains("p(x)"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub trait ChartOptions: Sized {
    /// The options this plot holds (for the provided methods; not for callers).
    #[doc(hidden)]
    fn axes_mut(&mut self) -> &mut Axes;

    /// Renders the plot.
    ///
    /// # Errors
    /// Bad data (NaN, mismatched lengths, a tensor of the wrong shape; each kind lists
    /// its own) or bad options (an inverted range, a size out of bounds).
    fn build(&self) -> Result<Figure>;

    /// Sets the title drawn above the plot.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).title("p(x)").build()?;
    /// assert!(fig.to_svg().contains("p(x)"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn title(mut self, title: impl Into<String>) -> Self {
        self.axes_mut().title = Some(title.into());
        self
    }

    /// Sets the label under the x axis.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).x_label("x").build()?;
    /// assert!(fig.to_svg().contains("\nx\n</text>"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn x_label(mut self, label: impl Into<String>) -> Self {
        self.axes_mut().x_label = Some(label.into());
        self
    }

    /// Sets the label beside the y axis.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).y_label("density").build()?;
    /// assert!(fig.to_svg().contains("density"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn y_label(mut self, label: impl Into<String>) -> Self {
        self.axes_mut().y_label = Some(label.into());
        self
    }

    /// Sets the figure size in pixels (default 640 × 420).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).size(800, 300).build()?;
    /// assert!(fig.to_svg().contains("width=\"800\" height=\"300\""));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn size(mut self, width: u32, height: u32) -> Self {
        self.axes_mut().size = (width, height);
        self
    }

    /// Fixes the x range instead of fitting it to the data.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).x_range(-4.0, 4.0).build()?;
    /// assert!(fig.to_svg().contains("\n-4\n</text>"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn x_range(mut self, lo: f64, hi: f64) -> Self {
        self.axes_mut().x_range = Some((lo, hi));
        self
    }

    /// Fixes the y range instead of fitting it to the data; what falls outside is clipped.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).y_range(0.0, 10.0).build()?;
    /// assert!(fig.to_svg().contains("10"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn y_range(mut self, lo: f64, hi: f64) -> Self {
        self.axes_mut().y_range = Some((lo, hi));
        self
    }

    /// Uses a base-10 log scale on the y axis (all y values must be positive; a heatmap
    /// refuses it).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0, 2.0], &[1.0, 10.0, 100.0]).log_y().build()?;
    /// assert!(fig.to_svg().contains("\n100\n</text>"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn log_y(mut self) -> Self {
        self.axes_mut().y_scale = Scale::Log;
        self
    }

    /// Moves or hides the legend (default: upper right).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 2.0]).name("p")
    ///     .legend(plot::Legend::Hidden).build()?;
    /// assert!(!fig.to_svg().contains("\np\n</text>"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn legend(mut self, position: Legend) -> Self {
        self.axes_mut().legend = position;
        self
    }

    /// Renders and writes the figure, creating missing folders (see [`Figure::save`]).
    ///
    /// # Errors
    /// Invalid data, an extension other than `.svg`, or an I/O failure.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let path = std::env::temp_dir().join("gmcourse-doc-save/line.svg");
    /// plot::line(&[0.0, 1.0], &[1.0, 2.0]).save(&path)?;
    /// assert!(path.exists());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.build()?.save(path)
    }

    /// Renders and prints the figure for evcxr, so a notebook cell can end with the
    /// builder itself. A rendering error is printed as text, not panicked.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// plot::line(&[0.0, 1.0], &[1.0, f64::NAN]).evcxr_display(); // prints "error: …"
    /// ```
    fn evcxr_display(&self) {
        show(self.build());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{self, Legend};

    /// The `<text …>` element that shows `label`.
    fn text_element<'s>(svg: &'s str, label: &str) -> &'s str {
        let end = svg.find(&format!(">\n{label}\n</text>")).expect(label);
        &svg[svg[..end].rfind("<text").unwrap()..end]
    }

    /// Every option, on every kind, does what its doc example shows for a line plot.
    fn check_every_option<P: ChartOptions + Clone>(plot: P) {
        let svg = |p: P| p.build().unwrap().to_svg();
        assert!(svg(plot.clone().title("p(x)")).contains("p(x)"));
        // the y label is turned a quarter, the x label is not
        let x = svg(plot.clone().x_label("x"));
        assert!(!text_element(&x, "x").contains("rotate"), "{x}");
        let y = svg(plot.clone().y_label("density"));
        assert!(text_element(&y, "density").contains("rotate"), "{y}");
        assert!(svg(plot.clone().size(800, 300)).contains("width=\"800\" height=\"300\""));
        assert!(svg(plot.clone().x_range(-4.0, 4.0)).starts_with("<svg"));
        assert!(svg(plot.clone().y_range(0.0, 10.0)).contains("10"));
        assert!(svg(plot.clone().legend(Legend::Hidden)).starts_with("<svg"));
        let path = std::env::temp_dir().join("gmcourse-test-options/plot.svg");
        plot.save(&path).unwrap();
        assert!(path.exists());
    }

    #[test]
    fn every_plot_kind_takes_every_option() {
        check_every_option(plot::line(&[0.0, 1.0, 2.0], &[1.0, 2.0, 4.0]));
        check_every_option(plot::histogram(&[0.5, 1.0, 1.5, 2.0], 4));
        check_every_option(plot::bar(&["a", "b", "c"], &[0.2, 0.3, 0.5]));
        check_every_option(plot::scatter((&[0.0, 1.0, 2.0], &[1.0, 3.0, 2.0])));
        check_every_option(plot::heatmap(&[0.0, 1.0, 2.0, 3.0], 2, 2));
        check_every_option(plot::training_curves().series("loss", &[2.0, 1.0, 0.7, 0.6]));
    }

    #[test]
    fn log_y_works_on_every_kind_but_the_heatmap() {
        assert!(
            plot::line(&[0.0, 1.0], &[1.0, 10.0])
                .log_y()
                .build()
                .is_ok()
        );
        assert!(plot::histogram(&[0.5, 1.0, 1.5], 3).log_y().build().is_ok());
        assert!(plot::bar(&["a", "b"], &[0.2, 0.8]).log_y().build().is_ok());
        assert!(
            plot::scatter((&[0.0, 1.0], &[1.0, 3.0]))
                .log_y()
                .build()
                .is_ok()
        );
        let curves = plot::training_curves().series("loss", &[2.0, 1.0]);
        assert!(curves.log_y().build().is_ok());
        let err = plot::heatmap(&[0.0, 1.0], 2, 1)
            .log_y()
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("linear y axis"), "{err}");
    }
}
