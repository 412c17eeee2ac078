//! What a plot draws, in data coordinates, and one function per kind of layer that draws
//! it with plotters: lines, bars, points (as circles or one PNG) and rasters.

use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::element::{DashedPathElement, PathElement};
use plotters::prelude::*;

use super::canvas::{Canvas, Image, PixelBox, Rendering};
use super::clip::clip_polyline;
use super::raster::Rgba;
use super::style::{Dash, Rgb};
use crate::{Error, Result};

/// The chart every layer draws on: plotters' context with a linear x axis and a linear or
/// log y axis.
pub(crate) type Chart<'a, 'b, X, Y> = ChartContext<'a, Canvas<'b>, Cartesian2d<X, Y>>;

/// A plotters axis over numbers: linear (`RangedCoordf64`) or log (`LogCoord<f64>`).
pub(crate) trait NumberAxis: Ranged<ValueType = f64> {}
impl<R: Ranged<ValueType = f64>> NumberAxis for R {}

/// A curve through `points`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub label: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub color: Rgb,
    pub dash: Dash,
    pub width: u32,
    pub opacity: f64,
}

impl Line {
    /// A solid, opaque curve 2 pixels wide.
    pub fn solid(label: Option<String>, points: Vec<(f64, f64)>, color: Rgb) -> Self {
        Line {
            label,
            points,
            color,
            dash: Dash::Solid,
            width: 2,
            opacity: 1.0,
        }
    }
}

/// Filled rectangles `[x0, x1, y0, y1]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bars {
    pub label: Option<String>,
    pub rects: Vec<[f64; 4]>,
    pub color: Rgb,
}

/// Dots of one colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Points {
    pub label: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub color: Rgb,
    pub radius: f64,
    pub opacity: f64,
}

/// An image stretched over `[x0, x1, y0, y1]`; row 0 is the top (`y1`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raster {
    pub image: Rgba,
    pub extent: [f64; 4],
    pub rendering: Rendering,
}

/// One drawable layer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Layer {
    Line(Line),
    Bars(Bars),
    Points(Points),
    Raster(Raster),
}

impl Layer {
    /// The legend entry, if the layer has one.
    pub fn label(&self) -> Option<&str> {
        match self {
            Layer::Line(l) => l.label.as_deref(),
            Layer::Bars(b) => b.label.as_deref(),
            Layer::Points(p) => p.label.as_deref(),
            Layer::Raster(_) => None,
        }
    }
}

/// Where the layers are drawn: the whole canvas in pixels, the plotting box, and the data
/// ranges it shows.
pub(crate) struct Frame<'f, 'b> {
    pub root: &'f DrawingArea<Canvas<'b>, Shift>,
    pub pixels: PixelBox,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Frame<'_, '_> {
    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x.0 && x <= self.x.1 && y >= self.y.0 && y <= self.y.1
    }
}

fn plot_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Plot(format!("{e:?}"))
}

/// Bars, clipped to the axes, with a white outline.
pub(crate) fn draw_bars<'a, 'b: 'a, X: NumberAxis, Y: NumberAxis>(
    chart: &mut Chart<'a, 'b, X, Y>,
    frame: &Frame<'_, 'b>,
    bars: &Bars,
) -> Result<()> {
    let fill = bars.color.to_plotters().mix(0.8).filled();
    let rects: Vec<[f64; 4]> = bars
        .rects
        .iter()
        .filter_map(|q| {
            let (x0, x1) = (q[0].max(frame.x.0), q[1].min(frame.x.1));
            let (y0, y1) = (q[2].max(frame.y.0), q[3].min(frame.y.1));
            (x0 < x1 && y0 < y1).then_some([x0, x1, y0, y1])
        })
        .collect();
    let rect =
        |q: &[f64; 4], style: ShapeStyle| Rectangle::new([(q[0], q[3]), (q[1], q[2])], style);
    chart
        .draw_series(rects.iter().map(|q| rect(q, fill)))
        .map_err(plot_err)?;
    chart
        .draw_series(rects.iter().map(|q| rect(q, WHITE.stroke_width(1))))
        .map_err(plot_err)?;
    if let Some(name) = &bars.label {
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(plot_err)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill));
    }
    Ok(())
}

/// A curve, cut where it leaves the axes; dashes and dots as plotters draws them.
pub(crate) fn draw_line<'a, 'b: 'a, X: NumberAxis, Y: NumberAxis>(
    chart: &mut Chart<'a, 'b, X, Y>,
    frame: &Frame<'_, 'b>,
    line: &Line,
) -> Result<()> {
    let style = line
        .color
        .to_plotters()
        .mix(line.opacity)
        .stroke_width(line.width);
    let pixels: Vec<(f64, f64)> = line
        .points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(p);
            (x as f64, y as f64)
        })
        .collect();
    let (l, t, r, b) = frame.pixels;
    for piece in clip_polyline(&pixels, (l as f64, r as f64), (t as f64, b as f64)) {
        let piece: Vec<(i32, i32)> = piece
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        match line.dash {
            Dash::Solid => frame.root.draw(&PathElement::new(piece, style)),
            Dash::Dashed => frame.root.draw(&DashedPathElement::new(piece, 9, 6, style)),
            Dash::Dotted => frame.root.draw(&DashedPathElement::new(piece, 2, 5, style)),
        }
        .map_err(plot_err)?;
    }
    if let Some(name) = &line.label {
        let segments: [(i32, i32); 3] = match line.dash {
            Dash::Solid => [(0, 8), (8, 16), (16, 24)],
            Dash::Dashed => [(0, 7), (11, 18), (22, 24)],
            Dash::Dotted => [(0, 2), (7, 9), (14, 16)],
        };
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(plot_err)?
            .label(name)
            .legend(move |(x, y)| {
                // relative to the EmptyElement's anchor
                let dash = |(a, b): (i32, i32)| PathElement::new(vec![(a, 0), (b, 0)], style);
                EmptyElement::at((x, y)) + dash(segments[0]) + dash(segments[1]) + dash(segments[2])
            });
    }
    Ok(())
}

/// Points as SVG circles; with `raster`, only their legend entry (the dots are in the
/// layer [`draw_points_raster`] drew).
pub(crate) fn draw_points<'a, 'b: 'a, X: NumberAxis, Y: NumberAxis>(
    chart: &mut Chart<'a, 'b, X, Y>,
    frame: &Frame<'_, 'b>,
    points: &Points,
    raster: bool,
) -> Result<()> {
    if !raster {
        let fill = points.color.to_plotters().mix(points.opacity).filled();
        let r = points.radius.round().max(1.0) as i32;
        chart
            .draw_series(
                points
                    .points
                    .iter()
                    .filter(|&&p| frame.contains(p))
                    .map(|&p| Circle::new(p, r, fill)),
            )
            .map_err(plot_err)?;
    }
    if let Some(name) = &points.label {
        let fill = points.color.to_plotters().filled();
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(plot_err)?
            .label(name)
            .legend(move |(x, y)| Circle::new((x + 9, y), 5, fill));
    }
    Ok(())
}

/// Every points layer as one transparent PNG over the axes, at twice the screen resolution.
pub(crate) fn draw_points_raster<'b, X: NumberAxis, Y: NumberAxis>(
    chart: &Chart<'_, 'b, X, Y>,
    frame: &Frame<'_, 'b>,
    layers: &[Layer],
) -> Result<()> {
    const SCALE: i32 = 2;
    let (l, t, r, b) = frame.pixels;
    let (w, h) = (((r - l) * SCALE).max(1), ((b - t) * SCALE).max(1));
    let mut image = Rgba::transparent(w as u32, h as u32);
    let spec = chart.as_coord_spec();
    for layer in layers {
        if let Layer::Points(p) = layer {
            for (x, y) in &p.points {
                let px = spec.x_spec().map(x, (0, w)) as f64;
                let py = spec.y_spec().map(y, (h, 0)) as f64;
                let radius = p.radius * SCALE as f64;
                image.disc(px, py, radius, p.color, p.opacity);
            }
        }
    }
    let element = Image::new(frame.pixels, &image, Rendering::Smooth, None);
    frame.root.draw(&element).map_err(plot_err)
}

/// An image over its extent, cut to the axes. Sharp cells are enlarged by repeating
/// pixels, so they stay sharp in viewers that smooth images anyway.
pub(crate) fn draw_raster<'b, X: NumberAxis, Y: NumberAxis>(
    chart: &Chart<'_, 'b, X, Y>,
    frame: &Frame<'_, 'b>,
    raster: &Raster,
) -> Result<()> {
    let [x0, x1, y0, y1] = raster.extent;
    let (l, t) = chart.backend_coord(&(x0, y1));
    let (r, b) = chart.backend_coord(&(x1, y0));
    let rect = (l, t, r, b);
    let image = match raster.rendering {
        Rendering::Pixelated => {
            let (iw, ih) = (raster.image.width, raster.image.height);
            let up = |px: i32, n: u32| {
                ((px.unsigned_abs() as f64 / n as f64).ceil() as u32).clamp(1, 2000 / n.max(1))
            };
            raster.image.upscale(up(r - l, iw), up(b - t, ih))
        }
        Rendering::Smooth => raster.image.clone(),
    };
    let element = Image::new(rect, &image, raster.rendering, Some(frame.pixels));
    frame.root.draw(&element).map_err(plot_err)
}
