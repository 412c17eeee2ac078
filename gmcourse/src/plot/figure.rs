//! A finished figure: SVG text or PNG bytes, shown inline by evcxr and saved for slides.
//!
//! evcxr renders a cell's last value by calling its inherent `evcxr_display(&self)`, which
//! prints one block `EVCXR_BEGIN_CONTENT <mime>\n<payload>\nEVCXR_END_CONTENT\n` to stdout
//! (source: the evcxr README, "Custom output").

use std::path::Path;

use base64::Engine;

use super::canvas::{Canvas, Rendering};
use crate::{Error, Result};

/// The encoding a [`Figure`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Vector graphics (text stays text); saved as `.svg`.
    Svg,
    /// Raster graphics; saved as `.png`.
    Png,
}

impl Format {
    /// The file extension a figure of this format is saved under.
    ///
    /// ```
    /// assert_eq!(gmcourse::plot::Format::Svg.extension(), "svg");
    /// ```
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }

    /// The MIME type evcxr is told.
    ///
    /// ```
    /// assert_eq!(gmcourse::plot::Format::Png.mime(), "image/png");
    /// ```
    pub fn mime(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    Svg(String),
    Png {
        bytes: Vec<u8>,
        width: u32,
        height: u32,
    },
}

/// A rendered plot. Every builder in [`crate::plot`] ends in one (`.build()?`), and every
/// builder also displays itself, so a notebook cell can simply end with the builder.
///
/// ```
/// use gmcourse::prelude::*;
/// let fig = plot::line(&[0.0, 1.0, 2.0], &[0.0, 1.0, 4.0]).build()?;
/// assert_eq!(fig.format(), plot::Format::Svg);
/// assert!(fig.to_svg().starts_with("<svg"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    content: Content,
}

impl Figure {
    /// Wraps SVG text. The text must be a complete `<svg>` document.
    ///
    /// ```
    /// let fig = gmcourse::plot::Figure::from_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    /// assert_eq!(fig.format(), gmcourse::plot::Format::Svg);
    /// ```
    pub fn from_svg(svg: impl Into<String>) -> Self {
        Figure {
            content: Content::Svg(svg.into()),
        }
    }

    /// Wraps PNG bytes of an image `width` × `height` pixels.
    ///
    /// ```
    /// let fig = gmcourse::plot::Figure::from_png(vec![0x89, b'P', b'N', b'G'], 1, 1);
    /// assert_eq!(fig.png_bytes().map(|b| b.len()), Some(4));
    /// ```
    pub fn from_png(bytes: Vec<u8>, width: u32, height: u32) -> Self {
        Figure {
            content: Content::Png {
                bytes,
                width,
                height,
            },
        }
    }

    /// Whether this figure is SVG or PNG.
    ///
    /// ```
    /// let fig = gmcourse::plot::Figure::from_svg("<svg/>");
    /// assert_eq!(fig.format(), gmcourse::plot::Format::Svg);
    /// ```
    pub fn format(&self) -> Format {
        match self.content {
            Content::Svg(_) => Format::Svg,
            Content::Png { .. } => Format::Png,
        }
    }

    /// The figure as an SVG document. A PNG figure comes back as an SVG that embeds the
    /// PNG, so this always works (e.g. to paste into HTML).
    ///
    /// ```
    /// let fig = gmcourse::plot::Figure::from_png(vec![1, 2, 3], 4, 5);
    /// assert!(fig.to_svg().contains("data:image/png;base64,AQID"));
    /// ```
    pub fn to_svg(&self) -> String {
        match &self.content {
            Content::Svg(svg) => svg.clone(),
            Content::Png {
                bytes,
                width,
                height,
            } => {
                let mut svg = String::new();
                let (w, h) = (*width as i32, *height as i32);
                Canvas::new(&mut svg, (*width, *height)).png(
                    (0, 0, w, h),
                    bytes,
                    Rendering::Smooth,
                    None,
                );
                svg
            }
        }
    }

    /// The PNG bytes of a raster figure, `None` for an SVG figure.
    ///
    /// ```
    /// let fig = gmcourse::plot::Figure::from_svg("<svg/>");
    /// assert!(fig.png_bytes().is_none());
    /// ```
    pub fn png_bytes(&self) -> Option<&[u8]> {
        match &self.content {
            Content::Svg(_) => None,
            Content::Png { bytes, .. } => Some(bytes),
        }
    }

    /// Writes the figure to `path`, creating missing parent folders. The extension must
    /// match the format: `.svg` for SVG figures, `.png` for raster ones.
    ///
    /// # Errors
    /// A wrong extension (the message names the right one) or an I/O failure.
    ///
    /// ```
    /// use gmcourse::prelude::*;
    /// let dir = std::env::temp_dir().join("gmcourse-doc-figure-save");
    /// let fig = plot::line(&[0.0, 1.0], &[1.0, 0.0]).build()?;
    /// fig.save(dir.join("line.svg"))?;
    /// assert!(fig.save(dir.join("line.png")).is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let want = self.format().extension();
        check_extension(path, want, "plot::Figure::save")?;
        let bytes: &[u8] = match &self.content {
            Content::Svg(svg) => svg.as_bytes(),
            Content::Png { bytes, .. } => bytes,
        };
        write_file(path, bytes)
    }

    /// Prints the figure for evcxr (Jupyter). Called automatically when a figure is the
    /// last expression of a cell.
    ///
    /// ```
    /// gmcourse::plot::Figure::from_svg("<svg/>").evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {
        print!("{}", self.evcxr_block());
    }

    /// The exact text [`Figure::evcxr_display`] prints.
    pub(crate) fn evcxr_block(&self) -> String {
        let payload = match &self.content {
            Content::Svg(svg) => svg.trim_end().to_string(),
            Content::Png { bytes, .. } => base64::engine::general_purpose::STANDARD.encode(bytes),
        };
        evcxr_block(self.format().mime(), &payload)
    }
}

/// An HTML fragment (a table) shown inline by evcxr as `text/html`.
///
/// ```
/// let html = gmcourse::plot::Html::new("<b>hi</b>");
/// assert_eq!(html.as_str(), "<b>hi</b>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Html(String);

impl Html {
    /// Wraps an HTML fragment.
    ///
    /// ```
    /// let html = gmcourse::plot::Html::new("<p>p(x)</p>");
    /// assert!(html.as_str().contains("p(x)"));
    /// ```
    pub fn new(html: impl Into<String>) -> Self {
        Html(html.into())
    }

    /// The HTML text.
    ///
    /// ```
    /// assert_eq!(gmcourse::plot::Html::new("<i>z</i>").as_str(), "<i>z</i>");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Writes the fragment to a `.html` file, creating missing parent folders.
    ///
    /// # Errors
    /// An extension other than `.html`, or an I/O failure.
    ///
    /// ```
    /// let path = std::env::temp_dir().join("gmcourse-doc-html/table.html");
    /// gmcourse::plot::Html::new("<p>1</p>").save(&path)?;
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        check_extension(path, "html", "plot::Html::save")?;
        write_file(path, self.0.as_bytes())
    }

    /// Prints the fragment for evcxr as `text/html`.
    ///
    /// ```
    /// gmcourse::plot::Html::new("<p>1</p>").evcxr_display();
    /// ```
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_block("text/html", &self.0));
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One evcxr output block.
pub(crate) fn evcxr_block(mime: &str, payload: &str) -> String {
    format!("EVCXR_BEGIN_CONTENT {mime}\n{payload}\nEVCXR_END_CONTENT\n")
}

/// What a builder prints when rendering fails: the error as plain text, no panic.
pub(crate) fn evcxr_error_block(e: &Error) -> String {
    evcxr_block("text/plain", &format!("error: {e}"))
}

/// Prints a rendered figure for evcxr, or the error that stopped it.
pub(crate) fn show(figure: Result<Figure>) {
    match figure {
        Ok(fig) => fig.evcxr_display(),
        Err(e) => print!("{}", evcxr_error_block(&e)),
    }
}

fn check_extension(path: &Path, want: &str, what: &str) -> Result<()> {
    let got = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if got.as_deref() == Some(want) {
        return Ok(());
    }
    Err(Error::invalid(
        what,
        format!(
            "a path ending in .{want} (this figure is {})",
            want.to_uppercase()
        ),
        path.display(),
    ))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_figure_prints_one_svg_block_for_evcxr() {
        let block = Figure::from_svg("<svg></svg>\n").evcxr_block();
        assert_eq!(
            block,
            "EVCXR_BEGIN_CONTENT image/svg+xml\n<svg></svg>\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn png_figure_prints_base64_for_evcxr() {
        let block = Figure::from_png(vec![0, 1, 2], 1, 1).evcxr_block();
        // base64 of [0, 1, 2] is "AAEC" (RFC 4648 alphabet).
        assert_eq!(
            block,
            "EVCXR_BEGIN_CONTENT image/png\nAAEC\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn saving_under_the_wrong_extension_names_the_right_one() {
        let fig = Figure::from_png(vec![1], 1, 1);
        let err = fig.save("figure.svg").unwrap_err().to_string();
        assert!(err.contains(".png"), "{err}");
        assert!(err.contains("figure.svg"), "{err}");
    }

    #[test]
    fn saving_an_html_table_as_svg_is_refused() {
        let err = Html::new("<p/>").save("t.svg").unwrap_err().to_string();
        assert!(err.contains(".html"), "{err}");
    }

    #[test]
    fn save_creates_missing_folders_and_writes_the_bytes() {
        let dir = std::env::temp_dir().join("gmcourse-test-figure-save/a/b");
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("x.SVG");
        Figure::from_svg("<svg/>").save(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg/>");
    }
}
