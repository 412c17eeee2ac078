//! The lines user code prints to talk to this kernel, beyond plain output.
//!
//! evcxr runs user code in a child process whose stdout is line-based. Two kinds of lines
//! are taken out of the stream and turned into Jupyter messages instead:
//!
//! - `GMCOURSE_PANIC "<location>" "<message>"`: printed by the panic hook the kernel
//!   installs in the child (both fields are Rust string literals, as `{:?}` prints them).
//!   The cell then ends with an `error` reply.
//! - `GMCOURSE_DISPLAY {json}`: printed by `gmcourse::live`, a
//!   [`course_contract::display::DisplayOp`]: the one type both sides compile.
//!
//! `gmcourse` only prints the display lines when `GMCOURSE_KERNEL` is set in its
//! environment, which this kernel does for its child process; under any other kernel it
//! falls back to plain text lines.

pub use course_contract::display::KERNEL_ENV;
use course_contract::display::{DISPLAY_PREFIX, DisplayOp};
use serde_json::Value;

pub const PANIC_PREFIX: &str = "GMCOURSE_PANIC ";

/// Installed in the child process before the first cell runs. User code is linked against
/// the shared libstd, so the hook stays for every later cell.
pub const PANIC_HOOK_CELL: &str = r#"std::panic::set_hook(Box::new(|info| {
    let payload = info.payload();
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("a panic without a message")
    };
    let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
    println!("GMCOURSE_PANIC {:?} {:?}", location, message);
}));"#;

/// What a line of the child's stdout is.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Text(String),
    Panic(Panic),
    /// An iopub message type (`display_data`, `update_display_data`, `clear_output`) and
    /// its content.
    Display(&'static str, Value),
    /// A display line that could not be read; shown as a warning, never dropped silently.
    BadDisplay(String),
}

/// A panic reported by the hook.
#[derive(Debug, Clone, PartialEq)]
pub struct Panic {
    pub location: String,
    pub message: String,
}

impl Panic {
    /// One line for the student: the message, and where it happened when that is not the
    /// generated code of the cell itself.
    pub fn summary(&self) -> String {
        if self.location.is_empty() || self.location.starts_with("src/lib.rs") {
            self.message.clone()
        } else {
            format!("{} (at {})", self.message, self.location)
        }
    }
}

/// Classifies one stdout line.
pub fn parse(line: String) -> Line {
    if let Some(rest) = line.strip_prefix(PANIC_PREFIX) {
        if let Some((location, rest)) = parse_literal(rest)
            && let Some((message, _)) = parse_literal(rest.trim_start())
        {
            return Line::Panic(Panic { location, message });
        }
        return Line::Text(line);
    }
    if let Some(rest) = line.strip_prefix(DISPLAY_PREFIX) {
        return match DisplayOp::parse(&line) {
            Some(op) => {
                let (kind, content) = display_message(op);
                Line::Display(kind, content)
            }
            None => Line::BadDisplay(rest.chars().take(200).collect()),
        };
    }
    Line::Text(line)
}

/// The iopub message type and content of a display message.
fn display_message(op: DisplayOp) -> (&'static str, Value) {
    let (kind, id, data) = match op {
        DisplayOp::Clear { wait } => return ("clear_output", serde_json::json!({ "wait": wait })),
        DisplayOp::Display { id, data } => ("display_data", id, data),
        DisplayOp::Update { id, data } => ("update_display_data", id, data),
    };
    let content = serde_json::json!({
        "data": data,
        "metadata": {},
        "transient": { "display_id": id },
    });
    (kind, content)
}

/// Reads one Rust string literal as `{:?}` prints it; returns it and the rest of the line.
fn parse_literal(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &s[i + 2..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                'u' => {
                    let mut hex = String::new();
                    for (_, h) in chars.by_ref() {
                        match h {
                            '{' => {}
                            '}' => break,
                            h => hex.push(h),
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_lines_round_trip_through_debug_formatting() {
        let message = "index out of bounds: \"len\" is 3\nsecond line ü \u{1F600}";
        let line = format!(
            "GMCOURSE_PANIC {:?} {:?}",
            "gmcourse/src/prob.rs:12", message
        );
        match parse(line) {
            Line::Panic(p) => {
                assert_eq!(p.message, message);
                assert_eq!(p.location, "gmcourse/src/prob.rs:12");
                assert_eq!(
                    p.summary(),
                    format!("{message} (at gmcourse/src/prob.rs:12)")
                );
            }
            other => panic!("not a panic: {other:?}"),
        }
    }

    #[test]
    fn a_panic_in_the_cell_itself_has_no_location_in_its_summary() {
        let p = Panic {
            location: "src/lib.rs:40".into(),
            message: "boom".into(),
        };
        assert_eq!(p.summary(), "boom");
    }

    #[test]
    fn display_lines_become_display_messages() {
        let line = r#"GMCOURSE_DISPLAY {"op":"update","id":"p1","data":{"text/plain":"step 3"}}"#;
        match parse(line.to_string()) {
            Line::Display(kind, content) => {
                assert_eq!(kind, "update_display_data");
                assert_eq!(content["transient"]["display_id"], "p1");
                assert_eq!(content["data"]["text/plain"], "step 3");
            }
            other => panic!("not a display: {other:?}"),
        }
        match parse(r#"GMCOURSE_DISPLAY {"op":"clear","wait":true}"#.to_string()) {
            Line::Display(kind, content) => {
                assert_eq!(kind, "clear_output");
                assert_eq!(content["wait"], true);
            }
            other => panic!("not a clear: {other:?}"),
        }
    }

    #[test]
    fn malformed_markers_are_reported_not_swallowed() {
        assert!(matches!(
            parse("GMCOURSE_DISPLAY {not json".into()),
            Line::BadDisplay(_)
        ));
        assert_eq!(
            parse("GMCOURSE_PANIC oops".into()),
            Line::Text("GMCOURSE_PANIC oops".into())
        );
        assert_eq!(parse("hello".into()), Line::Text("hello".into()));
    }
}
