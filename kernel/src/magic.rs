//! The course's own cell commands, answered by the kernel without compiling anything:
//!
//! - `:check 03` runs the public tests of lesson 3 on the student's `exercises/` and shows
//!   the pass/fail table with the count of hidden tests;
//! - `:hint 3.2` shows the hint of exercise 3.2.
//!
//! Both call `./course` (the course grader, the same machinery as the terminal commands),
//! so there is one test runner in the course.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A cell that is one of the course commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Magic {
    Check(String),
    Hint(String),
}

/// What the kernel shows for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Html(String),
    Text(String),
    Error(String),
}

/// The command in `code`, if the cell is exactly one course command.
///
/// ```
/// use gmcourse_kernel::magic::{parse, Magic};
/// assert_eq!(parse(":check 03"), Some(Ok(Magic::Check("03".into()))));
/// assert_eq!(parse("  :hint 3.2\n"), Some(Ok(Magic::Hint("3.2".into()))));
/// assert_eq!(parse(":dep foo = \"1\""), None);
/// assert!(parse(":check").unwrap().is_err());
/// ```
pub fn parse(code: &str) -> Option<Result<Magic, String>> {
    let code = code.trim();
    let (name, arg) = match code.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, arg.trim()),
        None => (code, ""),
    };
    let valid = |arg: &str| {
        !arg.is_empty()
            && !arg.contains(char::is_whitespace)
            && arg.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    match name {
        ":check" if valid(arg) => Some(Ok(Magic::Check(arg.to_string()))),
        ":check" => Some(Err(
            "`:check` needs a lesson number, for example `:check 03`.".to_string(),
        )),
        ":hint" if valid(arg) => Some(Ok(Magic::Hint(arg.to_string()))),
        ":hint" => Some(Err(
            "`:hint` needs an exercise number, for example `:hint 3.2`.".to_string(),
        )),
        _ => None,
    }
}

/// Finds the course root: `$GMCOURSE_ROOT` (set in the kernelspec), else the first
/// folder at or above `start` holding the `course` script.
pub fn course_root(start: &Path) -> Option<PathBuf> {
    if let Some(root) = std::env::var_os("GMCOURSE_ROOT").map(PathBuf::from)
        && root.join("course").is_file()
    {
        return Some(root);
    }
    start
        .ancestors()
        .find(|dir| dir.join("course").is_file() && dir.join("exercises").is_dir())
        .map(Path::to_path_buf)
}

/// Runs the command and collects what to show.
pub fn run(magic: &Magic) -> Vec<Shown> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let Some(root) = course_root(&cwd) else {
        return vec![Shown::Error(format!(
            "`:check` and `:hint` need the course folder, but no `course` script was found at or above {}. \
             Open the notebook from the course's notebooks/ folder.",
            cwd.display()
        ))];
    };
    let args: Vec<&str> = match magic {
        Magic::Check(lesson) => vec!["check", lesson, "--evcxr"],
        Magic::Hint(exercise) => vec!["hint", exercise],
    };
    let out = match Command::new(root.join("course"))
        .args(&args)
        .current_dir(&root)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            return vec![Shown::Error(format!(
                "could not start {}/course: {e}",
                root.display()
            ))];
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut shown = Vec::new();
    let mut rest = stdout.as_str();
    // `--evcxr` prints the table as one EVCXR_BEGIN_CONTENT text/html block.
    while let Some(start) = rest.find("EVCXR_BEGIN_CONTENT text/html\n") {
        push_text(&mut shown, &rest[..start]);
        let body = &rest[start + "EVCXR_BEGIN_CONTENT text/html\n".len()..];
        let end = body.find("\nEVCXR_END_CONTENT").unwrap_or(body.len());
        shown.push(Shown::Html(body[..end].to_string()));
        rest = body.get(end + "\nEVCXR_END_CONTENT".len()..).unwrap_or("");
    }
    push_text(&mut shown, rest);
    let produced_table = shown.iter().any(|s| matches!(s, Shown::Html(_)));
    // A failing test is a normal outcome of `check`; only a run that produced nothing to
    // show (unknown lesson, build failure) is an error.
    if !out.status.success() && !produced_table {
        let detail = format!("{}{}", stdout.trim(), stderr.trim());
        shown.retain(|s| !matches!(s, Shown::Text(_)));
        shown.push(Shown::Error(detail));
    } else {
        push_text(&mut shown, stderr.trim());
    }
    shown
}

fn push_text(shown: &mut Vec<Shown>, text: &str) {
    let text = text.trim_matches('\n');
    if !text.trim().is_empty() {
        shown.push(Shown::Text(format!("{text}\n")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_course_commands_are_magics() {
        assert_eq!(parse(":check 10"), Some(Ok(Magic::Check("10".into()))));
        assert_eq!(parse(":hint 10.3"), Some(Ok(Magic::Hint("10.3".into()))));
        assert_eq!(parse("let check = 1;"), None);
        assert_eq!(parse(":checkx 1"), None);
        assert!(parse(":hint three").unwrap().is_err());
        assert!(
            parse(":check 03\nlet x = 1;").unwrap().is_err(),
            "a magic is a cell of its own"
        );
    }

    #[test]
    fn the_course_root_is_found_from_a_notebook_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let found = course_root(&root.join("notebooks")).expect("course root");
        assert!(found.join("course").is_file());
    }
}
