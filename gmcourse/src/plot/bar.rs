//! Bar charts of a probability mass function `p(k)` over named categories, grouped side
//! by side to compare several PMFs (e.g. `p` and `q` in a KL lesson).

use super::chart::{Plan, XAxis, render};
use super::figure::Figure;
use super::input::{Values, not_empty, same_len};
use super::layer::{Bars, Layer};
use super::options::{Axes, ChartOptions};
use super::style::{PALETTE, Rgb};
use crate::Result;

#[derive(Debug, Clone)]
struct Group {
    name: Option<String>,
    values: Values,
    color: Option<Rgb>,
}

/// A bar chart under construction. [`BarChart::name`] and [`BarChart::color`] apply to
/// the group added last.
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::bar(&["H", "T"], &[0.5, 0.5]).name("fair")
///     .series("biased", &[0.9, 0.1])
///     .y_label("p(k)")
///     .build()?;
/// assert!(fig.to_svg().contains("biased"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BarChart {
    axes: Axes,
    categories: Vec<String>,
    groups: Vec<Group>,
}

/// A bar chart with one bar per category; `values` is a slice, vector or tensor of
/// numbers (counts too).
///
/// ```
/// use gmcourse::prelude::*;
/// let digits: Vec<usize> = (0..10).collect();
/// let fig = plot::bar(&digits, &[0.1; 10]).build()?;
/// let counts: Vec<usize> = vec![3, 5];
/// assert!(plot::bar(&["a", "b"], &counts).build().is_ok());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn bar<S: ToString>(categories: &[S], values: impl Into<Values>) -> BarChart {
    BarChart {
        axes: Axes::default(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        groups: vec![Group {
            name: None,
            values: values.into(),
            color: None,
        }],
    }
}

impl BarChart {
    /// Adds a named group of bars, one per category, drawn beside the others.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::bar(&["a", "b"], &[0.3, 0.7]).series("q", &[0.5, 0.5]).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn series(mut self, name: impl Into<String>, values: impl Into<Values>) -> Self {
        self.groups.push(Group {
            name: Some(name.into()),
            values: values.into(),
            color: None,
        });
        self
    }

    /// Names the group added last (shown in the legend).
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let fig = plot::bar(&["a"], &[1.0]).name("p").build()?;
    /// assert!(fig.to_svg().contains(">\np\n<"));
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
    /// use gmcourse::prelude::*;
    /// let fig = plot::bar(&["a"], &[1.0]).color(plot::Rgb::GREEN).build()?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn color(mut self, color: Rgb) -> Self {
        if let Some(g) = self.groups.last_mut() {
            g.color = Some(color);
        }
        self
    }
}

impl ChartOptions for BarChart {
    fn axes_mut(&mut self) -> &mut Axes {
        &mut self.axes
    }

    /// Renders the chart.
    ///
    /// # Errors
    /// No categories, a group whose length differs from the categories, or NaN values.
    ///
    /// ```
    /// # use gmcourse::prelude::*;
    /// let err = plot::bar(&["a", "b"], &[1.0]).build().unwrap_err();
    /// assert!(err.to_string().contains("categories has 2 values but values has 1"));
    /// ```
    fn build(&self) -> Result<Figure> {
        let what = "plot::bar";
        not_empty(what, "categories", &self.categories)?;
        let mut plan = Plan::new(what, &self.axes);
        plan.x_axis = XAxis::Categories(self.categories.clone());
        let n = self.groups.len();
        let slot = 0.8 / n as f64;
        for (g, group) in self.groups.iter().enumerate() {
            let name = group.name.as_deref().unwrap_or("values");
            let values = group.values.read(what, name)?;
            same_len(
                what,
                ("categories", self.categories.len()),
                (name, values.len()),
            )?;
            let rects = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let x0 = i as f64 - 0.4 + slot * g as f64;
                    [x0, x0 + slot, v.min(0.0), v.max(0.0)]
                })
                .collect();
            plan.layers.push(Layer::Bars(Bars {
                label: group.name.clone(),
                rects,
                color: group.color.unwrap_or(PALETTE[g % PALETTE.len()]),
            }));
        }
        render(&plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_label_is_drawn() {
        let svg = bar(&["cat", "dog", "fish"], &[0.2, 0.3, 0.5])
            .build()
            .unwrap()
            .to_svg();
        for c in ["cat", "dog", "fish"] {
            assert!(svg.contains(&format!("\n{c}\n</text>")), "{c} missing");
        }
    }

    #[test]
    fn a_short_group_is_reported_by_name() {
        let err = bar(&["a", "b"], &[0.5, 0.5])
            .series("q", &[1.0])
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("q has 1"), "{err}");
    }

    #[test]
    fn negative_values_are_drawn_below_zero() {
        assert!(bar(&["a", "b"], &[-1.0, 2.0]).build().is_ok());
    }
}
