//! HTML tables of discrete distributions: a joint `p(x, y)` with its marginals
//! `p(x) = Σ_y p(x, y)` (row sums) and `p(y) = Σ_x p(x, y)` (column sums), or a
//! conditional `p(y | x)` whose rows each sum to one.

use std::path::Path;

use super::figure::{Html, evcxr_error_block};
use crate::{Error, Result};

/// Which sums a table appends.
///
/// ```
/// assert_eq!(gmcourse::plot::Totals::default(), gmcourse::plot::Totals::None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Totals {
    /// No sums.
    #[default]
    None,
    /// A last column holding each row's sum (the marginal over rows, `p(x)`).
    RowSums,
    /// A last row holding each column's sum (the marginal over columns, `p(y)`).
    ColumnSums,
    /// Both, with the grand total in the corner.
    Both,
}

/// A table under construction.
///
/// ```
/// use gmcourse::plot::{self, Totals};
/// let joint = [[0.1, 0.2], [0.3, 0.4]];
/// let html = plot::table(&["x=0", "x=1"], &["y=0", "y=1"], &joint)
///     .totals(Totals::Both)
///     .caption("p(x, y)")
///     .build()?;
/// assert!(html.as_str().contains("<caption"));
/// assert!(html.as_str().contains("1.000")); // grand total
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Table {
    row_labels: Vec<String>,
    col_labels: Vec<String>,
    values: Vec<Vec<f64>>,
    precision: usize,
    totals: Totals,
    caption: Option<String>,
    corner: String,
}

/// The cells of a table, row by row: rows of numbers (`[[f64; N]; M]`, `Vec<Vec<f64>>`,
/// `&[Vec<f64>]`) or an `ndarray::Array2<f64>` (or a view of one).
///
/// ```
/// use ndarray::array;
/// let joint = array![[0.1, 0.2], [0.3, 0.4]];
/// let html = gmcourse::plot::table(&["x=0", "x=1"], &["y=0", "y=1"], &joint).build()?;
/// assert!(html.as_str().contains("0.400"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub trait Cells {
    /// The cells as rows.
    fn rows(&self) -> Vec<Vec<f64>>;
}

impl<V: AsRef<[f64]>> Cells for [V] {
    fn rows(&self) -> Vec<Vec<f64>> {
        self.iter().map(|r| r.as_ref().to_vec()).collect()
    }
}

impl<V: AsRef<[f64]>, const N: usize> Cells for [V; N] {
    fn rows(&self) -> Vec<Vec<f64>> {
        self.as_slice().rows()
    }
}

impl<V: AsRef<[f64]>> Cells for Vec<V> {
    fn rows(&self) -> Vec<Vec<f64>> {
        self.as_slice().rows()
    }
}

impl<S: ndarray::Data<Elem = f64>> Cells for ndarray::ArrayBase<S, ndarray::Ix2> {
    fn rows(&self) -> Vec<Vec<f64>> {
        self.outer_iter().map(|r| r.to_vec()).collect()
    }
}

/// A table with one row per row label and one column per column label; `values[i][j]`
/// is the cell in row `i`, column `j`. NaN cells are shown as "NaN" (e.g. `p(y | x)` for
/// an `x` of probability zero).
///
/// ```
/// let html = gmcourse::plot::table(&["a"], &["b"], &[vec![0.5]]).build()?;
/// assert!(html.as_str().contains("0.500"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn table<R: ToString, C: ToString, V: Cells + ?Sized>(
    row_labels: &[R],
    col_labels: &[C],
    values: &V,
) -> Table {
    Table {
        row_labels: row_labels.iter().map(|r| r.to_string()).collect(),
        col_labels: col_labels.iter().map(|c| c.to_string()).collect(),
        values: values.rows(),
        precision: 3,
        totals: Totals::None,
        caption: None,
        corner: String::new(),
    }
}

impl Table {
    /// Digits after the decimal point (default 3).
    ///
    /// ```
    /// let html = gmcourse::plot::table(&["a"], &["b"], &[[0.12345]]).precision(1).build()?;
    /// assert!(html.as_str().contains(">0.1<"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn precision(mut self, digits: usize) -> Self {
        self.precision = digits.min(12);
        self
    }

    /// Appends row and/or column sums.
    ///
    /// ```
    /// use gmcourse::plot::{self, Totals};
    /// let html = plot::table(&["a"], &["b", "c"], &[[0.25, 0.5]]).totals(Totals::RowSums).build()?;
    /// assert!(html.as_str().contains("0.750"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn totals(mut self, totals: Totals) -> Self {
        self.totals = totals;
        self
    }

    /// Sets the caption shown above the table.
    ///
    /// ```
    /// let html = gmcourse::plot::table(&["a"], &["b"], &[[1.0]]).caption("p(y | x)").build()?;
    /// assert!(html.as_str().contains("p(y | x)"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Sets the top-left header cell, e.g. `"x \\ y"`.
    ///
    /// ```
    /// let html = gmcourse::plot::table(&["a"], &["b"], &[[1.0]]).corner("x \\ y").build()?;
    /// assert!(html.as_str().contains("x \\ y"));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn corner(mut self, text: impl Into<String>) -> Self {
        self.corner = text.into();
        self
    }

    fn fmt(&self, v: f64) -> String {
        if v.is_nan() {
            "NaN".to_string()
        } else {
            let s = format!("{:.*}", self.precision, v);
            // "-0.000" reads as a bug in a probability table.
            if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
                s[1..].to_string()
            } else {
                s
            }
        }
    }

    /// Renders the table as HTML.
    ///
    /// # Errors
    /// A row count or a row length that does not match the labels.
    ///
    /// ```
    /// let err = gmcourse::plot::table(&["a", "b"], &["c"], &[[1.0]]).build().unwrap_err();
    /// assert!(err.to_string().contains("2 rows"));
    /// ```
    pub fn build(&self) -> Result<Html> {
        let what = "plot::table";
        let (nr, nc) = (self.row_labels.len(), self.col_labels.len());
        if self.values.len() != nr {
            return Err(Error::shape(
                what,
                format!("{nr} rows (one per row label)"),
                format!("{} rows", self.values.len()),
            ));
        }
        if let Some((i, r)) = self.values.iter().enumerate().find(|(_, r)| r.len() != nc) {
            return Err(Error::shape(
                format!("{what}: row {i}"),
                format!("{nc} values (one per column label)"),
                format!("{} values", r.len()),
            ));
        }
        let row_sums = matches!(self.totals, Totals::RowSums | Totals::Both);
        let col_sums = matches!(self.totals, Totals::ColumnSums | Totals::Both);
        let cell = "padding:4px 10px;text-align:right;border-bottom:1px solid #e5e5e5";
        let head =
            "padding:4px 10px;text-align:right;border-bottom:2px solid #555;font-weight:bold";
        let side =
            "padding:4px 10px;text-align:left;font-weight:bold;border-bottom:1px solid #e5e5e5";
        let total = "background:#f4f4f4;font-style:italic";
        let total_cell = |s: f64| format!("<td style=\"{cell};{total}\">{}</td>", self.fmt(s));
        let mut h = String::from(
            "<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:14px;font-variant-numeric:tabular-nums\">\n",
        );
        if let Some(c) = &self.caption {
            h.push_str(&format!(
                "<caption style=\"caption-side:top;padding:4px;font-weight:bold\">{}</caption>\n",
                escape(c)
            ));
        }
        h.push_str(&format!(
            "<tr><th style=\"{head};text-align:left\">{}</th>",
            escape(&self.corner)
        ));
        for c in &self.col_labels {
            h.push_str(&format!("<th style=\"{head}\">{}</th>", escape(c)));
        }
        if row_sums {
            h.push_str(&format!("<th style=\"{head};{total}\">total</th>"));
        }
        h.push_str("</tr>\n");
        for (label, row) in self.row_labels.iter().zip(&self.values) {
            h.push_str(&format!("<tr><th style=\"{side}\">{}</th>", escape(label)));
            for &v in row {
                h.push_str(&format!("<td style=\"{cell}\">{}</td>", self.fmt(v)));
            }
            if row_sums {
                h.push_str(&total_cell(row.iter().sum()));
            }
            h.push_str("</tr>\n");
        }
        if col_sums {
            h.push_str(&format!("<tr><th style=\"{side};{total}\">total</th>"));
            for j in 0..nc {
                h.push_str(&total_cell(self.values.iter().map(|r| r[j]).sum()));
            }
            if row_sums {
                h.push_str(&total_cell(self.values.iter().flatten().sum()));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
        Ok(Html::new(h))
    }

    /// Renders and writes the table to a `.html` file, creating missing folders.
    ///
    /// # Errors
    /// A table whose shape does not match its labels, a wrong extension or an I/O failure.
    ///
    /// ```
    /// let path = std::env::temp_dir().join("gmcourse-doc-save/table.html");
    /// gmcourse::plot::table(&["x=0", "x=1"], &["y=0"], &[[0.4], [0.6]]).save(&path)?;
    /// assert!(path.exists());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.build()?.save(path)
    }

    /// Renders and prints the table for evcxr, so a notebook cell can end with the table
    /// itself. A rendering error is printed as text, not panicked.
    ///
    /// ```
    /// gmcourse::plot::table(&["x=0", "x=1"], &["y=0"], &[[0.4]]).evcxr_display(); // "error: …"
    /// ```
    pub fn evcxr_display(&self) {
        match self.build() {
            Ok(html) => html.evcxr_display(),
            Err(e) => print!("{}", evcxr_error_block(&e)),
        }
    }
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_sums_are_the_marginal_of_the_columns() {
        // p(x, y) = [[0.1, 0.2], [0.3, 0.4]] -> p(y) = [0.4, 0.6] (column sums).
        let html = table(&["0", "1"], &["0", "1"], &[[0.1, 0.2], [0.3, 0.4]])
            .totals(Totals::ColumnSums)
            .build()
            .unwrap();
        let last_row = html.as_str().lines().rev().nth(1).unwrap();
        assert!(
            last_row.contains(">0.400<") && last_row.contains(">0.600<"),
            "{last_row}"
        );
    }

    #[test]
    fn labels_are_html_escaped() {
        let html = table(&["<x>"], &["a&b"], &[[1.0]]).build().unwrap();
        assert!(html.as_str().contains("&lt;x&gt;"));
        assert!(html.as_str().contains("a&amp;b"));
    }

    #[test]
    fn a_short_row_is_reported_with_its_index() {
        let rows: Vec<Vec<f64>> = vec![vec![1.0, 2.0], vec![3.0]];
        let err = table(&["a", "b"], &["c", "d"], &rows)
            .build()
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 1"), "{err}");
    }

    #[test]
    fn nan_cells_render_as_nan_and_negative_zero_as_zero() {
        let html = table(&["a"], &["b", "c"], &[[f64::NAN, -0.0001]])
            .build()
            .unwrap();
        assert!(html.as_str().contains(">NaN<"));
        assert!(html.as_str().contains(">0.000<"));
    }
}
