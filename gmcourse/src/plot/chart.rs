//! The one renderer behind every x–y plot.
//!
//! A plot kind (line, histogram, scatter, …) turns its data into [`Layer`]s; [`render`]
//! pads the data's ranges, lets plotters place the ticks (labelled by [`super::ticks`])
//! and draw axes and grid, draws each layer with its function in [`super::layer`], then
//! the legend and an optional colorbar, all on a [`Canvas`] that embeds the raster layers
//! as PNG.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;

use super::canvas::{Canvas, Image, PixelBox, Rendering};
use super::colormap::Colormap;
use super::figure::Figure;
use super::layer::{
    Frame, Layer, NumberAxis, draw_bars, draw_line, draw_points, draw_points_raster, draw_raster,
};
use super::options::Axes;
use super::raster::Rgba;
use super::style::{
    AXIS, FONT_FAMILY, GRID, LABEL_FONT, LEGEND_FONT, Legend, Scale, TEXT, TICK_FONT, TITLE_FONT,
};
use super::ticks::{Tick, label_of, linear_coord, linear_ticks, log_ticks, pad_linear, pad_log};
use crate::{Error, Result};

/// Above this many points in total, a scatter draws its points as one embedded PNG.
pub(crate) const RASTER_POINTS_ABOVE: usize = 2000;
/// Width in pixels reserved for a colorbar.
const COLORBAR_WIDTH: u32 = 95;

/// Numeric x axis, or one category per integer position `0, 1, …`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum XAxis {
    Numeric,
    Categories(Vec<String>),
}

/// Whether a scatter's points are drawn as SVG circles or as one embedded PNG.
///
/// ```
/// assert_eq!(gmcourse::plot::PointLayer::default(), gmcourse::plot::PointLayer::Auto);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PointLayer {
    /// Vector up to 2,000 points in total, raster above.
    #[default]
    Auto,
    /// Always SVG circles (sharp at any zoom, large files).
    Vector,
    /// Always one PNG layer (small files).
    Raster,
}

impl PointLayer {
    /// Whether `n` points are drawn as one PNG.
    pub(crate) fn is_raster(self, n: usize) -> bool {
        match self {
            PointLayer::Auto => n > RASTER_POINTS_ABOVE,
            PointLayer::Vector => false,
            PointLayer::Raster => true,
        }
    }
}

/// A vertical colour scale next to the plot.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Colorbar {
    pub colormap: Colormap,
    pub lo: f64,
    pub hi: f64,
}

/// Everything [`render`] needs.
#[derive(Debug, Clone)]
pub(crate) struct Plan<'a> {
    pub what: &'static str,
    pub axes: &'a Axes,
    pub x_axis: XAxis,
    pub layers: Vec<Layer>,
    pub point_layer: PointLayer,
    pub colorbar: Option<Colorbar>,
}

impl<'a> Plan<'a> {
    pub fn new(what: &'static str, axes: &'a Axes) -> Self {
        Plan {
            what,
            axes,
            x_axis: XAxis::Numeric,
            layers: Vec::new(),
            point_layer: PointLayer::Auto,
            colorbar: None,
        }
    }

    fn raster_points(&self) -> bool {
        let n = self
            .layers
            .iter()
            .map(|l| match l {
                Layer::Points(p) => p.points.len(),
                _ => 0,
            })
            .sum();
        self.point_layer.is_raster(n)
    }
}

fn plot_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Plot(format!("{e:?}"))
}

fn check_axes(what: &str, axes: &Axes) -> Result<()> {
    let (w, h) = axes.size;
    if !(160..=4000).contains(&w) || !(120..=4000).contains(&h) {
        return Err(Error::invalid(
            format!("{what}: size"),
            "width in 160..=4000 and height in 120..=4000 pixels",
            format!("({w}, {h})"),
        ));
    }
    for (name, r) in [("x_range", axes.x_range), ("y_range", axes.y_range)] {
        if let Some((a, b)) = r
            && !(a.is_finite() && b.is_finite() && a < b)
        {
            return Err(Error::invalid(
                format!("{what}: {name}"),
                "finite bounds with lo < hi",
                format!("({a}, {b})"),
            ));
        }
    }
    if axes.y_scale == Scale::Log
        && let Some((a, _)) = axes.y_range
        && a <= 0.0
    {
        return Err(Error::invalid(
            format!("{what}: y_range"),
            "a positive lower bound on a log axis",
            a,
        ));
    }
    Ok(())
}

struct Extent {
    lo: f64,
    hi: f64,
}

impl Extent {
    fn empty() -> Self {
        Extent {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        }
    }
    fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }
    fn is_empty(&self) -> bool {
        self.lo > self.hi
    }
}

/// The x and y ranges: the user's, or the data's padded by 4 % (rasters are not padded,
/// bars start at zero).
fn ranges(plan: &Plan) -> Result<((f64, f64), (f64, f64))> {
    let log = plan.axes.y_scale == Scale::Log;
    let (mut px, mut py) = (Extent::empty(), Extent::empty());
    let (mut tx, mut ty) = (Extent::empty(), Extent::empty());
    let mut bars = false;
    let add_y = |e: &mut Extent, y: f64| -> Result<()> {
        if log && y <= 0.0 {
            return Err(Error::invalid(
                format!("{}: log_y", plan.what),
                "positive y values on a log axis (use a linear axis, or plot -y or y + c)",
                y,
            ));
        }
        e.add(y);
        Ok(())
    };
    for layer in &plan.layers {
        match layer {
            Layer::Line(super::layer::Line { points, .. })
            | Layer::Points(super::layer::Points { points, .. }) => {
                for &(x, y) in points {
                    px.add(x);
                    add_y(&mut py, y)?;
                }
            }
            Layer::Bars(b) => {
                bars = true;
                for r in &b.rects {
                    px.add(r[0]);
                    px.add(r[1]);
                    if !log || r[3] > 0.0 {
                        add_y(&mut py, r[3])?;
                    }
                    if !log {
                        py.add(r[2]);
                    }
                }
            }
            Layer::Raster(r) => {
                tx.add(r.extent[0]);
                tx.add(r.extent[1]);
                ty.add(r.extent[2]);
                ty.add(r.extent[3]);
            }
        }
    }
    let x = match (&plan.x_axis, plan.axes.x_range) {
        (_, Some(r)) => r,
        (XAxis::Categories(names), None) => (-0.6, names.len() as f64 - 0.4),
        (XAxis::Numeric, None) => {
            let mut r = if px.is_empty() {
                (tx.lo, tx.hi)
            } else {
                pad_linear(px.lo, px.hi, 0.04)
            };
            if !tx.is_empty() {
                r = (r.0.min(tx.lo), r.1.max(tx.hi));
            }
            r
        }
    };
    let y = match plan.axes.y_range {
        Some(r) => r,
        None => {
            let mut r = if py.is_empty() {
                (ty.lo, ty.hi)
            } else if log {
                pad_log(py.lo, py.hi, 0.05)
            } else {
                let (lo, hi) = pad_linear(py.lo, py.hi, 0.05);
                if bars && py.lo >= 0.0 {
                    (0.0, if py.hi > 0.0 { py.hi * 1.05 } else { 1.0 })
                } else {
                    (lo, hi)
                }
            };
            if !ty.is_empty() {
                r = (r.0.min(ty.lo), r.1.max(ty.hi));
            }
            r
        }
    };
    if log && y.0 <= 0.0 {
        return Err(Error::invalid(
            format!("{}: log_y", plan.what),
            "a y range above zero on a log axis",
            format!("({}, {})", y.0, y.1),
        ));
    }
    if !(x.0.is_finite() && x.1.is_finite() && y.0.is_finite() && y.1.is_finite()) {
        return Err(Error::invalid(
            format!("{}: data", plan.what),
            "at least one point to plot",
            "nothing",
        ));
    }
    Ok((x, y))
}

fn values(ticks: &[Tick]) -> Vec<f64> {
    ticks.iter().map(|t| t.0).collect()
}

/// Renders the plan to an SVG [`Figure`].
pub(crate) fn render(plan: &Plan) -> Result<Figure> {
    check_axes(plan.what, plan.axes)?;
    let (xr, yr) = ranges(plan)?;
    let (w, h) = plan.axes.size;
    // At most this many ticks; plotters picks the finest 1-2-5 step that fits, which for
    // `n` categories over (-0.6, n - 0.4) is one per category.
    let (x_max, x_ticks) = match &plan.x_axis {
        XAxis::Numeric => {
            let max = (w as usize / 90).clamp(4, 12);
            (max, linear_ticks(xr.0, xr.1, max))
        }
        XAxis::Categories(names) => (
            names.len(),
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as f64, n.clone()))
                .collect(),
        ),
    };
    let y_max = (h as usize / 45).clamp(4, 12);
    let x = Axis {
        coord: linear_coord(xr.0, xr.1),
        ticks: x_ticks,
        max: x_max,
    };
    let mut svg = String::new();
    {
        let root = Canvas::new(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_err)?;
        let body = match &plan.axes.title {
            Some(t) => root
                .titled(t, font(TITLE_FONT).color(&TEXT.to_plotters()))
                .map_err(plot_err)?,
            None => root.clone(),
        };
        let (main, side) = match plan.colorbar {
            Some(_) => {
                let (a, b) = body.split_horizontally(w.saturating_sub(COLORBAR_WIDTH));
                (a, Some(b))
            }
            None => (body.clone(), None),
        };
        let plot_box = match plan.axes.y_scale {
            Scale::Linear => {
                let y = Axis {
                    coord: linear_coord(yr.0, yr.1),
                    ticks: linear_ticks(yr.0, yr.1, y_max),
                    max: y_max,
                };
                draw(plan, &root, &main, x, y)?
            }
            Scale::Log => {
                let ticks = log_ticks(yr.0, yr.1, y_max);
                let y = Axis {
                    coord: (yr.0..yr.1).log_scale().with_key_points(values(&ticks)),
                    ticks,
                    max: y_max,
                };
                draw(plan, &root, &main, x, y)?
            }
        };
        if let (Some(cb), Some(side)) = (&plan.colorbar, side) {
            draw_colorbar(cb, &root, &side, plot_box)?;
        }
        root.present().map_err(plot_err)?;
    }
    Ok(Figure::from_svg(svg))
}

fn font(size: f64) -> FontDesc<'static> {
    (FONT_FAMILY, size).into_font()
}

/// One axis as plotters maps it, with its labelled ticks and the most ticks plotters may
/// place on it.
struct Axis<C> {
    coord: C,
    ticks: Vec<Tick>,
    max: usize,
}

/// Axes, grid, layers and legend in `area`; returns the plotting box in pixels.
fn draw<'b, X, Y>(
    plan: &Plan,
    root: &DrawingArea<Canvas<'b>, Shift>,
    area: &DrawingArea<Canvas<'b>, Shift>,
    x: Axis<impl AsRangedCoord<CoordDescType = X, Value = f64>>,
    y: Axis<impl AsRangedCoord<CoordDescType = Y, Value = f64>>,
) -> Result<PixelBox>
where
    X: NumberAxis + ValueFormatter<f64>,
    Y: NumberAxis + ValueFormatter<f64>,
{
    let axes = plan.axes;
    let (x_ticks, y_ticks) = (&x.ticks, &y.ticks);
    let widest = y_ticks
        .iter()
        .map(|t| t.1.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let y_label = if axes.y_label.is_some() {
        LABEL_FONT + 2.0
    } else {
        0.0
    };
    let x_label = if axes.x_label.is_some() {
        LABEL_FONT + 4.0
    } else {
        0.0
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(if axes.title.is_some() { 4 } else { 14 })
        .margin_right(if plan.colorbar.is_some() { 8 } else { 22 })
        .margin_left(6)
        .margin_bottom(6)
        .x_label_area_size((TICK_FONT + 10.0 + x_label) as u32)
        .y_label_area_size((widest * TICK_FONT * 0.5 + 12.0 + y_label) as u32)
        .build_cartesian_2d(x.coord, y.coord)
        .map_err(plot_err)?;
    let (xr, yr) = (chart.x_range(), chart.y_range());

    let x_fmt = |v: &f64| label_of(x_ticks, *v);
    let y_fmt = |v: &f64| label_of(y_ticks, *v);
    {
        let mut mesh = chart.configure_mesh();
        mesh.bold_line_style(GRID.to_plotters().stroke_width(1))
            .max_light_lines(0)
            .x_labels(x.max)
            .y_labels(y.max)
            .axis_style(AXIS.to_plotters().stroke_width(1))
            .label_style(font(TICK_FONT).color(&TEXT.to_plotters()))
            .axis_desc_style(font(LABEL_FONT).color(&TEXT.to_plotters()))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt);
        if let Some(l) = &axes.x_label {
            mesh.x_desc(l.clone());
        }
        if let Some(l) = &axes.y_label {
            mesh.y_desc(l.clone());
        }
        if matches!(plan.x_axis, XAxis::Categories(_)) {
            mesh.disable_x_mesh();
        }
        mesh.draw().map_err(plot_err)?;
    }

    let (l, b) = chart.backend_coord(&(xr.start, yr.start));
    let (r, t) = chart.backend_coord(&(xr.end, yr.end));
    let frame = Frame {
        root,
        pixels: (l, t, r, b),
        x: (xr.start, xr.end),
        y: (yr.start, yr.end),
    };
    let raster_points = plan.raster_points();
    let mut points_drawn = false;
    for layer in &plan.layers {
        match layer {
            Layer::Bars(bars) => draw_bars(&mut chart, &frame, bars)?,
            Layer::Line(line) => draw_line(&mut chart, &frame, line)?,
            Layer::Points(points) => {
                if raster_points && !points_drawn {
                    draw_points_raster(&chart, &frame, &plan.layers)?;
                    points_drawn = true;
                }
                draw_points(&mut chart, &frame, points, raster_points)?;
            }
            Layer::Raster(raster) => draw_raster(&chart, &frame, raster)?,
        }
    }

    let has_labels = plan.layers.iter().any(|l| l.label().is_some());
    if has_labels && axes.legend != Legend::Hidden {
        let position = match axes.legend {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
            _ => SeriesLabelPosition::UpperRight,
        };
        chart
            .configure_series_labels()
            .position(position)
            .margin(12)
            .legend_area_size(34)
            .background_style(WHITE.mix(0.9))
            .border_style(AXIS.to_plotters().mix(0.4))
            .label_font(font(LEGEND_FONT).color(&TEXT.to_plotters()))
            .draw()
            .map_err(plot_err)?;
    }
    Ok(frame.pixels)
}

/// The colour scale beside the plot, as tall as its plotting box.
fn draw_colorbar(
    cb: &Colorbar,
    root: &DrawingArea<Canvas, Shift>,
    side: &DrawingArea<Canvas, Shift>,
    plot_box: PixelBox,
) -> Result<()> {
    let (_, ys) = side.get_pixel_range();
    let top = (plot_box.1 - ys.start).max(0);
    let bottom = (ys.end - plot_box.3).max(0);
    const MAX_TICKS: usize = 7;
    let ticks = linear_ticks(cb.lo, cb.hi, MAX_TICKS);
    let widest = ticks.iter().map(|t| t.1.chars().count()).max().unwrap_or(1) as f64;
    let label_width = widest * TICK_FONT * 0.5 + 12.0;
    let mut chart = ChartBuilder::on(side)
        .margin_top(top)
        .margin_bottom(bottom)
        .margin_left(4)
        .margin_right((COLORBAR_WIDTH as f64 - 30.0 - label_width).max(2.0) as i32)
        .right_y_label_area_size(label_width as u32)
        .build_cartesian_2d(0.0..1.0, linear_coord(cb.lo, cb.hi))
        .map_err(plot_err)?;
    let y_fmt = |v: &f64| label_of(&ticks, *v);
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(MAX_TICKS)
        .axis_style(AXIS.to_plotters())
        .label_style(font(TICK_FONT).color(&TEXT.to_plotters()))
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(plot_err)?;
    let (l, t) = chart.backend_coord(&(0.0, cb.hi));
    let (r, b) = chart.backend_coord(&(1.0, cb.lo));
    let mut scale = Rgba::transparent(1, 256);
    for i in 0..256u32 {
        scale.put(0, i, cb.colormap.at(1.0 - i as f64 / 255.0));
    }
    root.draw(&Image::new((l, t, r, b), &scale, Rendering::Smooth, None))
        .map_err(plot_err)?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, cb.hi), (1.0, cb.lo)],
            AXIS.to_plotters().stroke_width(1),
        )))
        .map_err(plot_err)?;
    Ok(())
}
