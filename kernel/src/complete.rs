//! `is_complete_request`: does this code form a whole cell, or is the user mid-way
//! through a block? The console front end uses the answer to decide whether Enter runs
//! the code or starts a new line.
//!
//! A full parse is not needed (and would be wrong for evcxr's `:commands`): a cell is
//! incomplete while a bracket, a string or a block comment is still open, invalid when a
//! closing bracket has no partner, and complete otherwise.

/// The answer to an `is_complete_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// Still open; the string is the indent for the next line.
    Incomplete(String),
    Invalid,
}

impl Completeness {
    /// The content of the `is_complete_reply`.
    pub fn reply(&self) -> serde_json::Value {
        match self {
            Completeness::Complete => serde_json::json!({"status": "complete"}),
            Completeness::Incomplete(indent) => {
                serde_json::json!({"status": "incomplete", "indent": indent})
            }
            Completeness::Invalid => serde_json::json!({"status": "invalid"}),
        }
    }
}

/// Classifies `code` by its brackets, strings and comments.
///
/// ```
/// use gmcourse_kernel::complete::{is_complete, Completeness};
/// assert_eq!(is_complete("let x = 1;"), Completeness::Complete);
/// assert_eq!(is_complete("fn f() {"), Completeness::Incomplete("    ".into()));
/// assert_eq!(is_complete("let x = 1; }"), Completeness::Invalid);
/// ```
pub fn is_complete(code: &str) -> Completeness {
    let mut open: Vec<char> = Vec::new();
    let code = skip_command_lines(code);
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                let mut depth = 1;
                i += 2;
                while depth > 0 {
                    if i + 1 >= chars.len() {
                        return Completeness::Incomplete(String::new());
                    }
                    if chars[i] == '/' && chars[i + 1] == '*' {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars[i + 1] == '/' {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            'r' if starts_raw_string(&chars, i) => {
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                j += 1; // the opening quote
                loop {
                    if j >= chars.len() {
                        return Completeness::Incomplete(String::new());
                    }
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        i = j + 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                continue;
            }
            '"' => {
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Completeness::Incomplete(String::new()),
                        Some('\\') => j += 2,
                        Some('"') => break,
                        Some(_) => j += 1,
                    }
                }
                i = j + 1;
                continue;
            }
            '\'' => {
                // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a, 'static).
                if next == Some('\\') {
                    let mut j = i + 2;
                    while j < chars.len() && chars[j] != '\'' {
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
                if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                    continue;
                }
                i += 1;
                continue;
            }
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(want) {
                    return Completeness::Invalid;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if open.is_empty() {
        Completeness::Complete
    } else {
        Completeness::Incomplete("    ".repeat(open.len()))
    }
}

fn skip_command_lines(code: &str) -> String {
    code.lines()
        .filter(|line| !line.trim_start().starts_with(':'))
        .collect::<Vec<_>>()
        .join("\n")
}

fn starts_raw_string(chars: &[char], i: usize) -> bool {
    // `r"…"` or `r#"…"#`, but not an identifier that merely ends in r (`for"` is not code).
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') && chars[i - 1] != 'b' {
        return false;
    }
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: &str) -> &'static str {
        match is_complete(code) {
            Completeness::Complete => "complete",
            Completeness::Incomplete(_) => "incomplete",
            Completeness::Invalid => "invalid",
        }
    }

    #[test]
    fn whole_statements_are_complete() {
        assert_eq!(status("let x = 1;"), "complete");
        assert_eq!(status("fn f() -> u8 { 1 }\nf()"), "complete");
        assert_eq!(
            status(":dep gmcourse = { path = \"../gmcourse\" }\nlet y = 2;"),
            "complete"
        );
        assert_eq!(status(""), "complete");
    }

    #[test]
    fn open_blocks_strings_and_comments_are_incomplete() {
        assert_eq!(
            is_complete("fn f() {"),
            Completeness::Incomplete("    ".into())
        );
        assert_eq!(
            is_complete("fn f() {\n  if x {"),
            Completeness::Incomplete("        ".into())
        );
        assert_eq!(status("let v = vec![1, 2,"), "incomplete");
        assert_eq!(status("let s = \"abc"), "incomplete");
        assert_eq!(status("/* a comment"), "incomplete");
        assert_eq!(status("let s = r#\"raw \" still open"), "incomplete");
    }

    #[test]
    fn brackets_inside_strings_chars_and_comments_do_not_count() {
        assert_eq!(status("let s = \"{\";"), "complete");
        assert_eq!(status("let c = '{';"), "complete");
        assert_eq!(status("let c = '\\'';"), "complete");
        assert_eq!(status("// {\nlet x = 1;"), "complete");
        assert_eq!(status("/* { /* nested } */ */ let x = 1;"), "complete");
        assert_eq!(status("let s = r#\"}\"#;"), "complete");
        assert_eq!(status("fn f<'a>(x: &'a str) -> &'a str { x }"), "complete");
        assert_eq!(status("let s = \"escaped \\\" quote {\";"), "complete");
    }

    #[test]
    fn unmatched_closers_are_invalid() {
        assert_eq!(status("}"), "invalid");
        assert_eq!(status("let x = (1];"), "invalid");
        assert_eq!(status("fn f() { ) }"), "invalid");
    }
}
