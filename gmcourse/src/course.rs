//! The course's own plumbing for notebooks: calling a student's exercise safely, and
//! checking the exercises from a cell.
//!
//! A lesson cell that uses an exercise function runs it through [`attempt`]. While the
//! exercise is still a `todo!()` stub, the cell prints which exercise to implement and
//! where, instead of a panic: the kernel and the earlier variables are untouched, and
//! "Run All" goes on. [`check`] runs a lesson's public tests with the course grader (the
//! same machinery as `./course check NN`) and shows the pass/fail table inline.

use crate::{Error, Result};
use std::panic::{self, AssertUnwindSafe};

/// The grader's judge–server wire (`grader/wire/wire.rs`, std only, copied into every
/// judge and exercise server), compiled here too so that a notebook reads a panicking
/// exercise's message with the very code the grader reads it with.
#[allow(dead_code)]
#[path = "../../grader/wire/wire.rs"]
mod wire;
use std::path::PathBuf;
use std::process::Command;

/// The root of the course repository (the folder holding `./course`), found as every
/// course process finds it ([`course_contract::course_root`]): `$GMCOURSE_ROOT`, else at
/// or above this crate's folder.
///
/// ```
/// assert!(gmcourse::course::root().join("course").exists());
/// ```
pub fn root() -> PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    course_contract::course_root(here).unwrap_or_else(|| here.join(".."))
}

/// Runs the public tests of `lesson` (e.g. `"01"`) on the student's current
/// `exercises/` and shows the pass/fail table, with the count of hidden tests, inline.
/// The course kernel's `:check 01` does the same; this function serves kernels without
/// the course's commands.
///
/// It runs the course grader and reads its answer, the one contract
/// ([`course_contract::Report`]), then shows [`course_contract::render::html`]. It tests
/// the files on disk, so save them first; no kernel restart is needed for the check
/// itself.
///
/// # Errors
/// If the grader cannot be started or answers without a report (the message then holds
/// the grader's own output).
///
/// ```no_run
/// gmcourse::course::check("01")?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn check(lesson: &str) -> Result<()> {
    let root = root();
    let mut cmd = Command::new("cargo");
    cmd.args(["run", "-q", "--release", "-p", "course-grader", "--"])
        .args(["check", lesson, "--report", "-"])
        .env(course_contract::ROOT_VAR, &root)
        .current_dir(&root);
    // a kernel's cargo profile settings would make the grader's builds miss set-up's
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("CARGO_PROFILE_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.output().map_err(|e| Error::io("cargo", e))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    match serde_json::from_str::<course_contract::Report>(stdout.trim()) {
        Ok(rep) => {
            crate::plot::Html::new(course_contract::render::html(&rep)).evcxr_display();
            Ok(())
        }
        Err(_) => Err(Error::invalid(
            format!("the course grader's check of lesson {lesson}"),
            "a report (run ./course setup if the grader is missing)",
            format!(
                "{}{}",
                stdout.trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        )),
    }
}

/// What [`attempt`] saw when the exercise did not return a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt<T> {
    /// The exercise returned this value.
    Done(T),
    /// The exercise is still the `todo!()` stub; the message says which one and where.
    NotYetImplemented(String),
    /// The exercise panicked for another reason (an index out of bounds, an `unwrap`).
    Panicked(String),
}

impl<T> Attempt<T> {
    /// The value, if the exercise returned one.
    ///
    /// ```
    /// use gmcourse::course::attempt;
    /// assert_eq!(attempt("0.1", || 2 + 2).ok(), Some(4));
    /// ```
    pub fn ok(self) -> Option<T> {
        match self {
            Attempt::Done(v) => Some(v),
            _ => None,
        }
    }
}

/// Runs a student's exercise function, turning a panic into a clear printed message.
///
/// The default panic message is silenced during the call, so a stub does not print a
/// panic with a source location in the student's notebook; the message below replaces it.
///
/// ```
/// use gmcourse::course::{attempt, Attempt};
/// let stub = || -> f64 { todo!("exercise 1.1: implement `marginal_x`") };
/// match attempt("1.1", stub) {
///     Attempt::NotYetImplemented(msg) => assert!(msg.contains("exercise 1.1")),
///     other => panic!("expected a stub, got {other:?}"),
/// }
/// ```
pub fn attempt<T>(exercise: &str, f: impl FnOnce() -> T) -> Attempt<T> {
    match silently(f) {
        Ok(v) => Attempt::Done(v),
        Err(text) => {
            if text.contains("not yet implemented") {
                let msg = format!(
                    "Exercise {exercise} is not implemented yet ({text}).\n\
                     Implement it in exercises/src/, save, and run the cell again: the kernel \
                     builds your new code, no restart needed. `./course check` runs its public \
                     tests."
                );
                println!("{msg}");
                Attempt::NotYetImplemented(msg)
            } else {
                let msg = format!("Exercise {exercise} panicked: {text}");
                println!("{msg}");
                Attempt::Panicked(msg)
            }
        }
    }
}

/// Runs `f` with the panic hook silenced: its panic, if any, comes back as its message.
fn silently<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| wire::panic_text(payload.as_ref()))
}

/// Whether `f` is still a `todo!()` stub: it panics with "not yet implemented". The panic
/// is silenced. A function that returns, or panics for another reason, counts as written
/// (its caller then reports what it does). A model lesson's training cell probes each
/// student function with this once, on a tiny input.
///
/// ```
/// use gmcourse::course::is_todo;
/// assert!(is_todo(|| -> f64 { todo!("exercise 9.1: implement `d_loss`") }));
/// assert!(!is_todo(|| 1.0));
/// assert!(!is_todo(|| -> f64 { panic!("index out of bounds") }));
/// ```
pub fn is_todo<T>(f: impl FnOnce() -> T) -> bool {
    matches!(silently(f), Err(text) if text.starts_with("not yet implemented"))
}

/// The one line a training cell prints for the exercises it replaced by the course's
/// reference: `pieces` are a lesson's `(id, function)` pairs and `done[i]` says whether
/// the student's `pieces[i]` is used; `None` when every piece is the student's.
///
/// ```
/// use gmcourse::course::reference_line;
/// let pieces = [("7.1", "encode"), ("7.3", "decode"), ("7.4", "neg_elbo")];
/// assert_eq!(
///     reference_line(&pieces, &[true, true, false]).unwrap(),
///     "exercise 7.4 not done yet: the reference neg_elbo trains in its place"
/// );
/// assert_eq!(
///     reference_line(&pieces, &[false, false, true]).unwrap(),
///     "exercises 7.1 and 7.3 not done yet: the reference encode and decode train in their place"
/// );
/// assert_eq!(reference_line(&pieces, &[true; 3]), None);
/// ```
pub fn reference_line(pieces: &[(&str, &str)], done: &[bool]) -> Option<String> {
    reference_line_for(pieces, done, ("trains", "train"))
}

/// [`reference_line`] for a cell that runs rather than trains (EM, a Markov chain):
/// `verb` is its (singular, plural) form, e.g. `("runs", "run")`.
///
/// ```
/// use gmcourse::course::reference_line_for;
/// assert_eq!(
///     reference_line_for(&[("6.3", "m_step")], &[false], ("runs", "run")).unwrap(),
///     "exercise 6.3 not done yet: the reference m_step runs in its place"
/// );
/// ```
pub fn reference_line_for(
    pieces: &[(&str, &str)],
    done: &[bool],
    verb: (&str, &str),
) -> Option<String> {
    let todo: Vec<(&str, &str)> = pieces
        .iter()
        .zip(done)
        .filter(|(_, done)| !**done)
        .map(|(piece, _)| *piece)
        .collect();
    if todo.is_empty() {
        return None;
    }
    let ids: Vec<&str> = todo.iter().map(|t| t.0).collect();
    let names: Vec<&str> = todo.iter().map(|t| t.1).collect();
    let (s, verb, pronoun) = if todo.len() == 1 {
        ("", verb.0, "its")
    } else {
        ("s", verb.1, "their")
    };
    Some(format!(
        "exercise{s} {} not done yet: the reference {} {verb} in {pronoun} place",
        and_list(&ids),
        and_list(&names)
    ))
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returning_exercise_gives_its_value() {
        assert_eq!(attempt("1.1", || 0.5), Attempt::Done(0.5));
    }

    #[test]
    fn a_todo_stub_is_reported_as_not_yet_implemented_with_its_exercise() {
        let got = attempt("3.2", || -> f64 { todo!("exercise 3.2: implement `kl`") });
        match got {
            Attempt::NotYetImplemented(msg) => {
                assert!(
                    msg.starts_with("Exercise 3.2 is not implemented yet"),
                    "{msg}"
                );
                assert!(msg.contains("implement `kl`"), "{msg}");
            }
            other => panic!("expected NotYetImplemented, got {other:?}"),
        }
    }

    #[test]
    fn the_reference_line_lists_three_pieces_with_commas_and_and() {
        let pieces = [
            ("7.1", "encode"),
            ("7.2", "reparameterize"),
            ("7.4", "neg_elbo"),
        ];
        let line = reference_line(&pieces, &[false; 3]);
        assert_eq!(
            line.as_deref(),
            Some(
                "exercises 7.1, 7.2 and 7.4 not done yet: the reference encode, reparameterize and neg_elbo train in their place"
            )
        );
    }

    #[test]
    fn another_panic_is_reported_with_its_message() {
        let v: Vec<f64> = vec![];
        let got = attempt("1.2", || v[3]);
        match got {
            Attempt::Panicked(msg) => assert!(msg.contains("index out of bounds"), "{msg}"),
            other => panic!("expected Panicked, got {other:?}"),
        }
    }
}
