//! The course's own cell commands, answered by the kernel without compiling anything:
//!
//! - `:check 03` runs the public tests of lesson 3 on the student's `exercises/` and shows
//!   the pass/fail table with the count of hidden tests;
//! - `:hint 3.2` shows the hint of exercise 3.2.
//!
//! Both run the course grader (`course-grader`, the same machinery as the terminal
//! commands), so there is one test runner in the course. `:check` reads its answer as the
//! grader's one contract, a `course_contract::Report` in JSON, and renders it with
//! `course_contract::render::html`: no output is parsed as text.

pub use course_contract::course_root;
use std::path::PathBuf;
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

/// The grader, run in the course folder: `cargo run` of `course-grader`, which set-up has
/// built (cargo only checks that it is fresh).
/// The kernel's own cargo profile settings (its kernelspec sets `CARGO_PROFILE_DEV_*` for
/// the cells) are removed: with them, the grader's builds would not reuse set-up's.
fn grader(root: &std::path::Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    let mut cmd = Command::new("cargo");
    cmd.args(["run", "-q", "--release", "-p", "course-grader", "--"])
        .args(args)
        .env(course_contract::ROOT_VAR, root)
        .current_dir(root);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("CARGO_PROFILE_") {
            cmd.env_remove(k);
        }
    }
    cmd.output()
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
        Magic::Check(lesson) => vec!["check", lesson, "--report", "-"],
        Magic::Hint(exercise) => vec!["hint", exercise],
    };
    let out = match grader(&root, &args) {
        Ok(out) => out,
        Err(e) => {
            return vec![Shown::Error(format!(
                "could not start the course grader (cargo run -p course-grader in {}): {e}. \
                 Remedy: run ./course setup",
                root.display()
            ))];
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match magic {
        Magic::Check(_) => {
            // A failing test is a normal outcome of `check`: the report says so. Only a
            // run without a report (unknown lesson, grader build failure) is an error.
            match serde_json::from_str::<course_contract::Report>(stdout.trim()) {
                Ok(rep) => {
                    let mut shown = vec![Shown::Html(course_contract::render::html(&rep))];
                    push_text(&mut shown, stderr.trim());
                    shown
                }
                Err(_) => vec![Shown::Error(format!("{}{}", stdout.trim(), stderr.trim()))],
            }
        }
        Magic::Hint(_) => {
            if !out.status.success() {
                return vec![Shown::Error(format!("{}{}", stdout.trim(), stderr.trim()))];
            }
            let mut shown = Vec::new();
            push_text(&mut shown, &stdout);
            push_text(&mut shown, stderr.trim());
            shown
        }
    }
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
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let found = course_root(&root.join("notebooks")).expect("course root");
        assert!(found.join("course").is_file());
    }
}
