//! The one renderer behind every x–y plot.
//!
//! A plot kind (line, histogram, scatter, …) turns its data into [`Layer`]s; [`render`]
//! computes padded ranges and nice ticks, draws axes, grid, layers and legend with
//! plotters' SVG backend, then swaps each raster placeholder for an embedded PNG.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::Axis;
use super::clip::clip_polyline;
use super::colormap::Colormap;
use super::figure::Figure;
use super::raster::{Rgba, find_placeholder, image_element, marker_color};
use super::style::{
    AXIS, DEFAULT_SIZE, Dash, FONT_FAMILY, GRID, LABEL_FONT, LEGEND_FONT, Legend, Rgb, Scale, TEXT,
    TICK_FONT, TITLE_FONT,
};
use super::ticks::{Tick, label_of, linear_ticks, log_ticks, pad_linear, pad_log};
use crate::{Error, Result};

/// Above this many points in total, a scatter draws its points as one embedded PNG.
pub(crate) const RASTER_POINTS_ABOVE: usize = 2000;
/// Width in pixels reserved for a colorbar.
const COLORBAR_WIDTH: u32 = 95;

/// What every x–y plot can set: title, labels, size, ranges, scale, legend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Axes {
    pub title: Option<String>,
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    pub size: (u32, u32),
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    pub y_scale: Scale,
    pub legend: Legend,
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

/// One drawable layer, in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Layer {
    Line {
        label: Option<String>,
        points: Vec<(f64, f64)>,
        color: Rgb,
        dash: Dash,
        width: u32,
        opacity: f64,
    },
    /// Filled rectangles `[x0, x1, y0, y1]`.
    Bars {
        label: Option<String>,
        rects: Vec<[f64; 4]>,
        color: Rgb,
    },
    Points {
        label: Option<String>,
        points: Vec<(f64, f64)>,
        color: Rgb,
        radius: f64,
        opacity: f64,
    },
    /// An image stretched over `[x0, x1, y0, y1]`; row 0 is the top (`y1`).
    Raster {
        image: Rgba,
        extent: [f64; 4],
        pixelated: bool,
    },
}

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
}

fn plot_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Plot(format!("{e:?}"))
}

/// `Err` naming the first non-finite value of `values`.
pub(crate) fn check_finite(what: &str, name: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(Error::invalid(
            format!("{what}: {name}[{i}]"),
            "a finite number (remove NaN/inf values before plotting)",
            values[i],
        )),
    }
}

/// `Err` unless `a` and `b` have the same length.
pub(crate) fn check_same_len(what: &str, a: (&str, usize), b: (&str, usize)) -> Result<()> {
    if a.1 == b.1 {
        return Ok(());
    }
    Err(Error::shape(
        what,
        format!("{} and {} of equal length", a.0, b.0),
        format!("{} has {} values but {} has {}", a.0, a.1, b.0, b.1),
    ))
}

/// `Err` when `values` is empty.
pub(crate) fn check_nonempty(what: &str, name: &str, len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::invalid(
            format!("{what}: {name}"),
            "at least one value",
            "an empty slice",
        ));
    }
    Ok(())
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
            Layer::Line { points, .. } | Layer::Points { points, .. } => {
                for &(x, y) in points {
                    px.add(x);
                    add_y(&mut py, y)?;
                }
            }
            Layer::Bars { rects, .. } => {
                bars = true;
                for r in rects {
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
            Layer::Raster { extent, .. } => {
                tx.add(extent[0]);
                tx.add(extent[1]);
                ty.add(extent[2]);
                ty.add(extent[3]);
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

/// A raster to paste in place of placeholder `k`.
struct RasterJob {
    k: usize,
    element: String,
}

/// Renders the plan to an SVG [`Figure`].
pub(crate) fn render(plan: &Plan) -> Result<Figure> {
    check_axes(plan.what, plan.axes)?;
    let (xr, yr) = ranges(plan)?;
    let (w, h) = plan.axes.size;
    let x_ticks: Vec<Tick> = match &plan.x_axis {
        XAxis::Numeric => linear_ticks(xr.0, xr.1, (w as usize / 110).clamp(3, 10)),
        XAxis::Categories(names) => names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as f64, n.clone()))
            .collect(),
    };
    let y_ticks: Vec<Tick> = match plan.axes.y_scale {
        Scale::Linear => linear_ticks(yr.0, yr.1, (h as usize / 70).clamp(3, 10)),
        Scale::Log => log_ticks(yr.0, yr.1),
    };
    let mut svg = String::new();
    let mut jobs = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
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
        let ctx = Ctx {
            plan,
            x_axis: Axis {
                lo: xr.0,
                hi: xr.1,
                log: false,
                ticks: x_ticks.iter().map(|t| t.0).collect(),
            },
            y_axis: Axis {
                lo: yr.0,
                hi: yr.1,
                log: plan.axes.y_scale == Scale::Log,
                ticks: y_ticks.iter().map(|t| t.0).collect(),
            },
            x_ticks: &x_ticks,
            y_ticks: &y_ticks,
        };
        let plot_box = ctx.draw(&main, &mut jobs)?;
        if let (Some(cb), Some(side)) = (&plan.colorbar, side) {
            draw_colorbar(cb, &side, plot_box, jobs.len(), &mut jobs)?;
        }
        root.present().map_err(plot_err)?;
    }
    for job in jobs {
        let (_, range) = find_placeholder(&svg, job.k)?;
        svg.replace_range(range, &job.element);
    }
    Ok(Figure::from_svg(svg))
}

fn font(size: f64) -> FontDesc<'static> {
    (FONT_FAMILY, size).into_font()
}

/// The pixel box of the plotting area: left, top, right, bottom.
type PixelBox = (f64, f64, f64, f64);

struct Ctx<'p> {
    plan: &'p Plan<'p>,
    x_axis: Axis,
    y_axis: Axis,
    x_ticks: &'p [Tick],
    y_ticks: &'p [Tick],
}

impl Ctx<'_> {
    fn log(&self) -> bool {
        self.y_axis.log
    }

    /// y in the space where the axis is linear.
    fn ty(&self, y: f64) -> f64 {
        self.y_axis.t(y)
    }

    fn draw(
        &self,
        area: &DrawingArea<SVGBackend, Shift>,
        jobs: &mut Vec<RasterJob>,
    ) -> Result<PixelBox> {
        let axes = self.plan.axes;
        let xr = (self.x_axis.lo, self.x_axis.hi);
        let yr = (self.y_axis.lo, self.y_axis.hi);
        let widest = self
            .y_ticks
            .iter()
            .map(|t| t.1.chars().count())
            .max()
            .unwrap_or(1) as f64;
        let y_area = widest * TICK_FONT * 0.5
            + 12.0
            + if axes.y_label.is_some() {
                LABEL_FONT + 2.0
            } else {
                0.0
            };
        let x_area = TICK_FONT
            + 10.0
            + if axes.x_label.is_some() {
                LABEL_FONT + 4.0
            } else {
                0.0
            };
        let mut chart = ChartBuilder::on(area)
            .margin_top(if axes.title.is_some() { 4 } else { 14 })
            .margin_right(if self.plan.colorbar.is_some() { 8 } else { 22 })
            .margin_left(6)
            .margin_bottom(6)
            .x_label_area_size(x_area as u32)
            .y_label_area_size(y_area as u32)
            .build_cartesian_2d(self.x_axis.clone(), self.y_axis.clone())
            .map_err(plot_err)?;

        let x_fmt = |v: &f64| label_of(self.x_ticks, *v);
        let y_fmt = |v: &f64| label_of(self.y_ticks, *v);
        {
            let mut mesh = chart.configure_mesh();
            mesh.bold_line_style(GRID.to_plotters().stroke_width(1))
                .light_line_style(WHITE.mix(0.0))
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
            if matches!(self.plan.x_axis, XAxis::Categories(_)) {
                mesh.disable_x_mesh();
            }
            mesh.draw().map_err(plot_err)?;
        }

        let (l, b) = chart.backend_coord(&(xr.0, yr.0));
        let (r, t) = chart.backend_coord(&(xr.1, yr.1));
        let pbox: PixelBox = (l as f64, t as f64, r as f64, b as f64);
        let fx = |x: f64| pbox.0 + (x - xr.0) / (xr.1 - xr.0) * (pbox.2 - pbox.0);
        let (ty0, ty1) = (self.ty(yr.0), self.ty(yr.1));
        let fy = |y: f64| pbox.3 + (self.ty(y) - ty0) / (ty1 - ty0) * (pbox.1 - pbox.3);

        let total_points: usize = self
            .plan
            .layers
            .iter()
            .map(|l| match l {
                Layer::Points { points, .. } => points.len(),
                _ => 0,
            })
            .sum();
        let raster_points = match self.plan.point_layer {
            PointLayer::Auto => total_points > RASTER_POINTS_ABOVE,
            PointLayer::Vector => false,
            PointLayer::Raster => true,
        };
        let mut points_rastered = false;
        let mut has_labels = false;
        let in_x = |x: f64| x >= xr.0 && x <= xr.1;
        let in_y = |y: f64| y >= yr.0 && y <= yr.1;

        for layer in &self.plan.layers {
            match layer {
                Layer::Bars {
                    label,
                    rects,
                    color,
                } => {
                    let fill = color.to_plotters().mix(0.8).filled();
                    let clipped: Vec<[f64; 4]> = rects
                        .iter()
                        .filter_map(|q| {
                            let x0 = q[0].max(xr.0);
                            let x1 = q[1].min(xr.1);
                            let y0 = q[2].max(yr.0);
                            let y1 = q[3].min(yr.1);
                            (x0 < x1 && y0 < y1).then_some([x0, x1, y0, y1])
                        })
                        .collect();
                    chart
                        .draw_series(
                            clipped
                                .iter()
                                .map(|q| Rectangle::new([(q[0], q[3]), (q[1], q[2])], fill)),
                        )
                        .map_err(plot_err)?;
                    chart
                        .draw_series(clipped.iter().map(|q| {
                            Rectangle::new([(q[0], q[3]), (q[1], q[2])], WHITE.stroke_width(1))
                        }))
                        .map_err(plot_err)?;
                    if let Some(name) = label {
                        has_labels = true;
                        chart
                            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                            .map_err(plot_err)?
                            .label(name.clone())
                            .legend(move |(x, y)| {
                                Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill)
                            });
                    }
                }
                Layer::Line {
                    label,
                    points,
                    color,
                    dash,
                    width,
                    opacity,
                } => {
                    let style = color.to_plotters().mix(*opacity).stroke_width(*width);
                    let transformed: Vec<(f64, f64)> =
                        points.iter().map(|&(x, y)| (x, self.ty(y))).collect();
                    let pieces = clip_polyline(&transformed, xr, (ty0, ty1));
                    for piece in pieces {
                        let piece: Vec<(f64, f64)> = piece
                            .into_iter()
                            .map(|(x, y)| (x, if self.log() { 10f64.powf(y) } else { y }))
                            .collect();
                        match dash {
                            Dash::Solid => chart.draw_series(LineSeries::new(piece, style)),
                            Dash::Dashed => {
                                chart.draw_series(DashedLineSeries::new(piece, 9, 6, style))
                            }
                            Dash::Dotted => {
                                chart.draw_series(DashedLineSeries::new(piece, 2, 5, style))
                            }
                        }
                        .map_err(plot_err)?;
                    }
                    if let Some(name) = label {
                        has_labels = true;
                        let dash = *dash;
                        chart
                            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                            .map_err(plot_err)?
                            .label(name.clone())
                            .legend(move |(x, y)| {
                                let segs: [(i32, i32); 3] = match dash {
                                    Dash::Solid => [(0, 8), (8, 16), (16, 24)],
                                    Dash::Dashed => [(0, 7), (11, 18), (22, 24)],
                                    Dash::Dotted => [(0, 2), (7, 9), (14, 16)],
                                };
                                EmptyElement::at((x, y))
                                    + PathElement::new(vec![(segs[0].0, 0), (segs[0].1, 0)], style)
                                    + PathElement::new(vec![(segs[1].0, 0), (segs[1].1, 0)], style)
                                    + PathElement::new(vec![(segs[2].0, 0), (segs[2].1, 0)], style)
                            });
                    }
                }
                Layer::Points {
                    label,
                    points,
                    color,
                    radius,
                    opacity,
                } => {
                    if raster_points {
                        if !points_rastered {
                            points_rastered = true;
                            let k = jobs.len();
                            chart
                                .draw_series(std::iter::once(Rectangle::new(
                                    [(xr.0, yr.1), (xr.1, yr.0)],
                                    marker_color(k).to_plotters().filled(),
                                )))
                                .map_err(plot_err)?;
                            let element = self.points_raster(pbox, &fx, &fy)?;
                            jobs.push(RasterJob { k, element });
                        }
                    } else {
                        let fill = color.to_plotters().mix(*opacity).filled();
                        let r = radius.round().max(1.0) as i32;
                        chart
                            .draw_series(
                                points
                                    .iter()
                                    .filter(|p| in_x(p.0) && in_y(p.1))
                                    .map(|&p| Circle::new(p, r, fill)),
                            )
                            .map_err(plot_err)?;
                    }
                    if let Some(name) = label {
                        has_labels = true;
                        let fill = color.to_plotters().filled();
                        chart
                            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                            .map_err(plot_err)?
                            .label(name.clone())
                            .legend(move |(x, y)| Circle::new((x + 9, y), 5, fill));
                    }
                }
                Layer::Raster {
                    image,
                    extent,
                    pixelated,
                } => {
                    let k = jobs.len();
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(xr.0, yr.1), (xr.1, yr.0)],
                            marker_color(k).to_plotters().filled(),
                        )))
                        .map_err(plot_err)?;
                    let (x0, x1) = (fx(extent[0]), fx(extent[1]));
                    let (y1, y0) = (fy(extent[2]), fy(extent[3]));
                    let png = if *pixelated {
                        let up = |px: f64, n: u32| {
                            ((px.abs() / n as f64).ceil() as u32).clamp(1, 2000 / n.max(1))
                        };
                        image
                            .upscale(up(x1 - x0, image.width), up(y1 - y0, image.height))
                            .to_png()?
                    } else {
                        image.to_png()?
                    };
                    let inner = image_element(x0, y0, x1 - x0, y1 - y0, &png, *pixelated);
                    jobs.push(RasterJob {
                        k,
                        element: clipped(pbox, &inner),
                    });
                }
            }
        }

        if has_labels && axes.legend != Legend::Hidden {
            let pos = match axes.legend {
                Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
                Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
                Legend::LowerRight => SeriesLabelPosition::LowerRight,
                _ => SeriesLabelPosition::UpperRight,
            };
            chart
                .configure_series_labels()
                .position(pos)
                .margin(12)
                .legend_area_size(34)
                .background_style(WHITE.mix(0.9))
                .border_style(AXIS.to_plotters().mix(0.4))
                .label_font(font(LEGEND_FONT).color(&TEXT.to_plotters()))
                .draw()
                .map_err(plot_err)?;
        }
        Ok(pbox)
    }

    /// Every points layer drawn into one transparent PNG at twice the screen resolution.
    fn points_raster(
        &self,
        pbox: PixelBox,
        fx: &dyn Fn(f64) -> f64,
        fy: &dyn Fn(f64) -> f64,
    ) -> Result<String> {
        const SCALE: f64 = 2.0;
        let w = ((pbox.2 - pbox.0) * SCALE).round().max(1.0) as u32;
        let h = ((pbox.3 - pbox.1) * SCALE).round().max(1.0) as u32;
        let mut img = Rgba::transparent(w, h);
        for layer in &self.plan.layers {
            if let Layer::Points {
                points,
                color,
                radius,
                opacity,
                ..
            } = layer
            {
                for &(x, y) in points {
                    let px = (fx(x) - pbox.0) * SCALE;
                    let py = (fy(y) - pbox.1) * SCALE;
                    img.disc(px, py, radius * SCALE, *color, *opacity);
                }
            }
        }
        let png = img.to_png()?;
        let inner = image_element(
            pbox.0,
            pbox.1,
            pbox.2 - pbox.0,
            pbox.3 - pbox.1,
            &png,
            false,
        );
        Ok(clipped(pbox, &inner))
    }
}

/// Wraps `inner` in a nested `<svg>` viewport, which clips it to the plotting area.
fn clipped(pbox: PixelBox, inner: &str) -> String {
    let (l, t, w, h) = (pbox.0, pbox.1, pbox.2 - pbox.0, pbox.3 - pbox.1);
    format!(
        "<svg x=\"{l}\" y=\"{t}\" width=\"{w}\" height=\"{h}\" viewBox=\"{l} {t} {w} {h}\" overflow=\"hidden\">{inner}</svg>"
    )
}

fn draw_colorbar(
    cb: &Colorbar,
    side: &DrawingArea<SVGBackend, Shift>,
    plot_box: PixelBox,
    k: usize,
    jobs: &mut Vec<RasterJob>,
) -> Result<()> {
    let (_, ys) = side.get_pixel_range();
    let top = (plot_box.1 as i32 - ys.start).max(0);
    let bottom = (ys.end - plot_box.3 as i32).max(0);
    let ticks = linear_ticks(cb.lo, cb.hi, 5);
    let widest = ticks.iter().map(|t| t.1.chars().count()).max().unwrap_or(1) as f64;
    let mut chart = ChartBuilder::on(side)
        .margin_top(top)
        .margin_bottom(bottom)
        .margin_left(4)
        .margin_right(
            (COLORBAR_WIDTH as f64 - 30.0 - widest * TICK_FONT * 0.5 - 12.0).max(2.0) as i32,
        )
        .right_y_label_area_size((widest * TICK_FONT * 0.5 + 12.0) as u32)
        .build_cartesian_2d(
            0.0..1.0,
            Axis {
                lo: cb.lo,
                hi: cb.hi,
                log: false,
                ticks: ticks.iter().map(|t| t.0).collect(),
            },
        )
        .map_err(plot_err)?;
    let y_fmt = |v: &f64| label_of(&ticks, *v);
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .axis_style(AXIS.to_plotters())
        .label_style(font(TICK_FONT).color(&TEXT.to_plotters()))
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(plot_err)?;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, cb.hi), (1.0, cb.lo)],
            marker_color(k).to_plotters().filled(),
        )))
        .map_err(plot_err)?;
    let (l, t) = chart.backend_coord(&(0.0, cb.hi));
    let (r, b) = chart.backend_coord(&(1.0, cb.lo));
    let mut img = Rgba::transparent(1, 256);
    for i in 0..256u32 {
        img.put(0, i, cb.colormap.at(1.0 - i as f64 / 255.0));
    }
    let png = img.to_png()?;
    jobs.push(RasterJob {
        k,
        element: image_element(
            l as f64,
            t as f64,
            (r - l) as f64,
            (b - t) as f64,
            &png,
            false,
        ),
    });
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(0.0, cb.hi), (1.0, cb.lo)],
            AXIS.to_plotters().stroke_width(1),
        )))
        .map_err(plot_err)?;
    Ok(())
}

/// [`axes_common`] plus `log_y`.
macro_rules! axes_options {
    ($ty:ident, $ex:literal) => {
        impl $ty {
            /// Uses a base-10 log scale on the y axis (all y values must be positive).
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".log_y().build()?;")]
            /// assert!(fig.to_svg().starts_with("<svg"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn log_y(mut self) -> Self {
                self.axes.y_scale = $crate::plot::Scale::Log;
                self
            }
        }
        axes_common!($ty, $ex);
    };
}

/// Implements the shared options (title, labels, size, ranges, legend) plus `build`-based
/// `save` and `evcxr_display` for a builder with an `axes: Axes` field. `$ex` is an
/// expression building a small instance, used in the doctests.
macro_rules! axes_common {
    ($ty:ident, $ex:literal) => {
        impl $ty {
            /// Sets the title drawn above the plot.
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".title(\"p(x)\").build()?;")]
            /// assert!(fig.to_svg().contains("p(x)"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn title(mut self, title: impl Into<String>) -> Self {
                self.axes.title = Some(title.into());
                self
            }

            /// Sets the label under the x axis.
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".x_label(\"x\").build()?;")]
            /// assert!(fig.to_svg().contains("\nx\n</text>"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn x_label(mut self, label: impl Into<String>) -> Self {
                self.axes.x_label = Some(label.into());
                self
            }

            /// Sets the label beside the y axis.
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".y_label(\"density\").build()?;")]
            /// assert!(fig.to_svg().contains("density"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn y_label(mut self, label: impl Into<String>) -> Self {
                self.axes.y_label = Some(label.into());
                self
            }

            /// Sets the figure size in pixels (default 640 × 420).
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".size(800, 300).build()?;")]
            /// assert!(fig.to_svg().contains("width=\"800\" height=\"300\""));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn size(mut self, width: u32, height: u32) -> Self {
                self.axes.size = (width, height);
                self
            }

            /// Fixes the x range instead of fitting it to the data.
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".x_range(-4.0, 4.0).build()?;")]
            /// assert!(fig.to_svg().starts_with("<svg"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn x_range(mut self, lo: f64, hi: f64) -> Self {
                self.axes.x_range = Some((lo, hi));
                self
            }

            /// Fixes the y range instead of fitting it to the data; what falls outside
            /// is clipped.
            ///
            /// ```
            #[doc = concat!("let fig = ", $ex, ".y_range(0.0, 10.0).build()?;")]
            /// assert!(fig.to_svg().contains("10"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn y_range(mut self, lo: f64, hi: f64) -> Self {
                self.axes.y_range = Some((lo, hi));
                self
            }

            /// Moves or hides the legend (default: upper right).
            ///
            /// ```
            /// use gmcourse::plot::Legend;
            #[doc = concat!("let fig = ", $ex, ".legend(Legend::Hidden).build()?;")]
            /// assert!(fig.to_svg().starts_with("<svg"));
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn legend(mut self, position: $crate::plot::Legend) -> Self {
                self.axes.legend = position;
                self
            }
        }
        figure_methods!($ty, $ex, "svg");
    };
}

/// `save` and `evcxr_display` for a builder with `build(&self) -> Result<T>`; `$ext` is
/// the extension its figures save under.
macro_rules! figure_methods {
    ($ty:ident, $ex:literal, $ext:literal) => {
        impl $ty {
            /// Renders and writes the figure, creating missing folders (see
            /// [`crate::plot::Figure::save`] for the extensions accepted).
            ///
            /// # Errors
            /// Invalid data, a wrong extension or an I/O failure.
            ///
            /// ```
            #[doc = concat!("let path = std::env::temp_dir().join(\"gmcourse-doc-save/", stringify!($ty), ".", $ext, "\");")]
            #[doc = concat!($ex, ".save(&path)?;")]
            /// assert!(path.exists());
            /// # Ok::<(), gmcourse::Error>(())
            /// ```
            pub fn save(&self, path: impl AsRef<std::path::Path>) -> $crate::Result<()> {
                self.build()?.save(path)
            }

            /// Renders and prints the figure for evcxr, so a notebook cell can end with
            /// the builder itself. A rendering error is printed as text, not panicked.
            ///
            /// ```
            #[doc = concat!($ex, ".evcxr_display();")]
            /// ```
            pub fn evcxr_display(&self) {
                match self.build() {
                    Ok(fig) => fig.evcxr_display(),
                    Err(e) => print!("{}", $crate::plot::figure::evcxr_error_block(&e)),
                }
            }
        }
    };
}
