//! The drawing backend of every figure: plotters' SVG backend, plus RGBA images.
//!
//! plotters writes lines, shapes and text as SVG elements. Its SVG backend can blit a
//! bitmap only with the `bitmap_encoder` feature (which pulls in a second `image` crate),
//! only as opaque RGB and only at one pixel per pixel. The course's raster layers need more:
//! 10,000 scatter points drawn at twice the screen resolution on a transparent layer, a
//! 150 × 150 density grid stretched over the axes, a 1 × 256 colorbar. [`Canvas`] wraps
//! `SVGBackend`: each drawing call is handed to plotters and its element appended to the
//! document, and [`Canvas::image`] appends an `<image>` holding a PNG at the same place
//! in the drawing order (under what is drawn later).

use std::io;

use base64::Engine;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, SVGBackend};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

use super::raster::Rgba;

/// How an image is scaled to its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rendering {
    /// The viewer blends neighbouring pixels.
    Smooth,
    /// Every pixel stays a sharp rectangle.
    Pixelated,
}

/// A pixel rectangle: left, top, right, bottom.
pub(crate) type PixelBox = (i32, i32, i32, i32);

type DrawResult<T> = Result<T, DrawingErrorKind<io::Error>>;

/// An SVG document under construction, written into `out` (as `SVGBackend::with_string`).
pub(crate) struct Canvas<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// plotters' `<svg …>` opening line and closing tag for this size.
    frame: (String, String),
    /// Where plotters writes one element at a time.
    scratch: String,
    finished: bool,
}

impl<'a> Canvas<'a> {
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        let mut empty = String::new();
        drop(SVGBackend::with_string(&mut empty, size));
        let split = empty.find('\n').map_or(empty.len(), |i| i + 1);
        let frame = (empty[..split].to_string(), empty[split..].to_string());
        out.push_str(&frame.0);
        Canvas {
            out,
            size,
            frame,
            scratch: String::new(),
            finished: false,
        }
    }

    /// Runs one drawing call on plotters' SVG backend and keeps the element it wrote.
    fn svg<T>(&mut self, draw: impl FnOnce(&mut SVGBackend) -> DrawResult<T>) -> DrawResult<T> {
        self.scratch.clear();
        let result = {
            let mut backend = SVGBackend::with_string(&mut self.scratch, self.size);
            draw(&mut backend)
        };
        let element = self
            .scratch
            .strip_prefix(&self.frame.0)
            .and_then(|s| s.strip_suffix(&self.frame.1))
            .ok_or_else(|| {
                DrawingErrorKind::DrawingError(io::Error::other(
                    "plotters' SVG backend wrote a document frame Canvas does not know",
                ))
            })?;
        self.out.push_str(element);
        result
    }

    /// Appends `image` stretched over `rect`, cut to `clip` when given.
    pub fn image(
        &mut self,
        rect: PixelBox,
        image: &Rgba,
        rendering: Rendering,
        clip: Option<PixelBox>,
    ) -> DrawResult<()> {
        let png = image
            .to_png()
            .map_err(|e| DrawingErrorKind::DrawingError(io::Error::other(e.to_string())))?;
        self.png(rect, &png, rendering, clip);
        Ok(())
    }

    /// Appends an `<image>` showing the PNG bytes `png` stretched over `rect`, inside a
    /// viewport that cuts it to `clip` when given.
    pub fn png(
        &mut self,
        rect: PixelBox,
        png: &[u8],
        rendering: Rendering,
        clip: Option<PixelBox>,
    ) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(png);
        let (x, y, w, h) = (rect.0, rect.1, rect.2 - rect.0, rect.3 - rect.1);
        let style = match rendering {
            Rendering::Smooth => "",
            Rendering::Pixelated => {
                " style=\"image-rendering:pixelated\" image-rendering=\"optimizeSpeed\""
            }
        };
        let element = format!(
            "<image x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"none\"{style} href=\"data:image/png;base64,{b64}\"/>"
        );
        match clip {
            None => self.out.push_str(&element),
            Some((l, t, r, b)) => {
                let (w, h) = (r - l, b - t);
                self.out.push_str(&format!(
                    "<svg x=\"{l}\" y=\"{t}\" width=\"{w}\" height=\"{h}\" viewBox=\"{l} {t} {w} {h}\" overflow=\"hidden\">{element}</svg>"
                ));
            }
        }
        self.out.push('\n');
    }
}

/// An RGBA image stretched over a pixel rectangle: a plotters element, so that it takes
/// its place in the drawing order; drawn by [`Canvas::image`].
pub(crate) struct Image<'i> {
    corners: [BackendCoord; 2],
    image: &'i Rgba,
    rendering: Rendering,
    clip: Option<PixelBox>,
}

impl<'i> Image<'i> {
    pub fn new(
        rect: PixelBox,
        image: &'i Rgba,
        rendering: Rendering,
        clip: Option<PixelBox>,
    ) -> Self {
        Image {
            corners: [(rect.0, rect.1), (rect.2, rect.3)],
            image,
            rendering,
            clip,
        }
    }
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Image<'_> {
    type Point = &'a BackendCoord;
    type IntoIter = &'a [BackendCoord];

    fn point_iter(self) -> Self::IntoIter {
        &self.corners
    }
}

impl<'b> Drawable<Canvas<'b>> for Image<'_> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut corners: I,
        canvas: &mut Canvas<'b>,
        _: (u32, u32),
    ) -> DrawResult<()> {
        match (corners.next(), corners.next()) {
            (Some(a), Some(b)) => {
                canvas.image((a.0, a.1, b.0, b.1), self.image, self.rendering, self.clip)
            }
            _ => Ok(()),
        }
    }
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> DrawResult<()> {
        Ok(())
    }

    fn present(&mut self) -> DrawResult<()> {
        if !self.finished {
            self.out.push_str(&self.frame.1);
            self.finished = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DrawResult<()> {
        self.svg(|b| b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> DrawResult<()> {
        self.svg(|b| b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> DrawResult<()> {
        self.svg(|b| b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> DrawResult<()> {
        self.svg(|b| b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> DrawResult<()> {
        self.svg(|b| b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DrawResult<()> {
        self.svg(|b| b.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> DrawResult<()> {
        self.svg(|b| b.draw_text(text, style, pos))
    }

    /// `src` is RGBA (4 bytes a pixel, straight alpha), drawn one pixel per pixel.
    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> DrawResult<()> {
        let image = Rgba::from_rgba(w, h, src.to_vec())
            .map_err(|e| DrawingErrorKind::DrawingError(io::Error::other(e.to_string())))?;
        let rect = (pos.0, pos.1, pos.0 + w as i32, pos.1 + h as i32);
        self.image(rect, &image, Rendering::Pixelated, None)
    }
}

impl Drop for Canvas<'_> {
    fn drop(&mut self) {
        let _ = self.present();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn without_images_the_document_is_plotters_own() {
        fn draw<B: DrawingBackend>(backend: B) {
            let area = backend.into_drawing_area();
            area.fill(&WHITE).unwrap();
            area.draw(&Circle::new((20, 30), 5, RED.filled())).unwrap();
            area.draw(&Text::new("p(x) < 1", (5, 5), ("sans-serif", 12)))
                .unwrap();
            area.present().unwrap();
        }
        let (mut plain, mut wrapped) = (String::new(), String::new());
        draw(SVGBackend::with_string(&mut plain, (80, 60)));
        draw(Canvas::new(&mut wrapped, (80, 60)));
        assert_eq!(wrapped, plain);
    }

    #[test]
    fn an_image_lands_between_the_elements_drawn_before_and_after_it() {
        let mut svg = String::new();
        {
            let mut canvas = Canvas::new(&mut svg, (40, 40));
            canvas.draw_rect((0, 0), (40, 40), &WHITE, true).unwrap();
            canvas
                .blit_bitmap((5, 5), (1, 1), &[255, 0, 0, 128])
                .unwrap();
            canvas.draw_line((0, 0), (40, 40), &BLACK).unwrap();
        }
        let rect = svg.find("<rect").unwrap();
        let image = svg
            .find("<image x=\"5\" y=\"5\" width=\"1\" height=\"1\"")
            .unwrap();
        let line = svg.find("<line").unwrap();
        assert!(rect < image && image < line, "{svg}");
        assert!(svg.ends_with("</svg>\n"), "{svg}");
    }

    #[test]
    fn a_clipped_image_sits_in_a_viewport_of_the_clip_box() {
        let mut svg = String::new();
        {
            let mut canvas = Canvas::new(&mut svg, (40, 40));
            let img = Rgba::transparent(2, 2);
            canvas
                .image(
                    (-10, 0, 50, 40),
                    &img,
                    Rendering::Smooth,
                    Some((0, 0, 40, 40)),
                )
                .unwrap();
        }
        assert!(svg.contains("<svg x=\"0\" y=\"0\" width=\"40\" height=\"40\" viewBox=\"0 0 40 40\" overflow=\"hidden\"><image x=\"-10\""), "{svg}");
    }

    #[test]
    fn a_bitmap_of_the_wrong_length_is_an_error_not_a_panic() {
        let mut svg = String::new();
        let mut canvas = Canvas::new(&mut svg, (10, 10));
        assert!(canvas.blit_bitmap((0, 0), (2, 2), &[0; 3]).is_err());
    }
}
