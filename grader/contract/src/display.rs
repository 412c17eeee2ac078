//! What user code prints to show and redraw output in the course kernel: one line of
//! stdout, [`DISPLAY_PREFIX`] followed by a [`DisplayOp`] as JSON. `gmcourse::live` writes
//! it with [`DisplayOp::line`]; the kernel reads it back with [`DisplayOp::parse`] and
//! sends the matching Jupyter message (`display_data`, `update_display_data`,
//! `clear_output`). Both sides compile this one type, so they cannot disagree.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The environment variable the kernel sets for the code it runs: without it, user code
/// prints plain text lines instead of display messages.
pub const KERNEL_ENV: &str = "GMCOURSE_KERNEL";

/// How a display line starts.
pub const DISPLAY_PREFIX: &str = "GMCOURSE_DISPLAY ";

/// One display message. `data` maps a MIME type (`text/html`, `text/plain`) to the content.
///
/// ```
/// use course_contract::display::DisplayOp;
/// let op = DisplayOp::Update {
///     id: "bar-1".into(),
///     data: [("text/plain".to_string(), "step 3 \"of\" 10\n".to_string())].into(),
/// };
/// let line = op.line();
/// assert!(line.starts_with("GMCOURSE_DISPLAY {") && line.ends_with("}\n"));
/// assert_eq!(line.matches('\n').count(), 1); // one line, whatever the content
/// assert_eq!(DisplayOp::parse(line.trim_end()), Some(op));
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum DisplayOp {
    /// Shows `data` in a new output area named `id`.
    Display {
        id: String,
        data: BTreeMap<String, String>,
    },
    /// Replaces what the output area `id` shows.
    Update {
        id: String,
        data: BTreeMap<String, String>,
    },
    /// Clears the cell's output (at the next output when `wait`).
    Clear {
        #[serde(default)]
        wait: bool,
    },
}

impl DisplayOp {
    /// The stdout line, newline included; JSON escapes every newline in the content.
    pub fn line(&self) -> String {
        let json = serde_json::to_string(self).expect("a DisplayOp always serialises");
        format!("{DISPLAY_PREFIX}{json}\n")
    }

    /// The message on a line of stdout; `None` for any other line, or a display line that
    /// does not hold one.
    ///
    /// ```
    /// use course_contract::display::DisplayOp;
    /// assert_eq!(DisplayOp::parse(r#"GMCOURSE_DISPLAY {"op":"clear"}"#), Some(DisplayOp::Clear { wait: false }));
    /// assert_eq!(DisplayOp::parse(r#"GMCOURSE_DISPLAY {"op":"explode"}"#), None);
    /// assert_eq!(DisplayOp::parse("hello"), None);
    /// ```
    pub fn parse(line: &str) -> Option<DisplayOp> {
        serde_json::from_str(line.strip_prefix(DISPLAY_PREFIX)?).ok()
    }
}
