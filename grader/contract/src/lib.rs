//! What the course grader answers, to every caller: one serde type, [`Report`].
//!
//! `course-grader check NN --json` prints a [`Report`] as JSON; the notebook kernel's
//! `:check` reads it back and shows [`render::html`]. `grade` and `grade-class` build the
//! same type and render it as the terminal table, the Markdown feedback, Gradescope's
//! `results.json` and the class CSV ([`render`]). Nothing in it is test code: test names
//! (sentences), points, statuses, and the messages a test may show (for a hidden test,
//! only the kind of failure in the grader's words).
//!
//! It also says where the course is, one way for every process: [`course_root`]; and how
//! user code talks to the course kernel: [`display`].

pub mod display;
pub mod render;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The environment variable that names the course folder (set in the kernelspec and by
/// `./course`); without it, the folder is searched for from a starting point.
pub const ROOT_VAR: &str = "GMCOURSE_ROOT";

/// The course folder: `$GMCOURSE_ROOT` if it holds the `course` script, else the first
/// folder at or above `start` that holds `course` and `exercises/`.
///
/// ```
/// let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
/// let root = course_contract::course_root(here).unwrap();
/// assert!(root.join("course").is_file() && root.join("exercises").is_dir());
/// ```
pub fn course_root(start: &Path) -> Option<PathBuf> {
    if let Some(root) = std::env::var_os(ROOT_VAR).map(PathBuf::from)
        && root.join("course").is_file()
    {
        return Some(root);
    }
    start
        .ancestors()
        .find(|d| d.join("course").is_file() && d.join("exercises").is_dir())
        .map(Path::to_path_buf)
}

/// The outcome of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Timeout,
    Crash,
    CompileError,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Timeout => "timeout",
            Status::Crash => "crash",
            Status::CompileError => "compile_error",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Pass,
            Status::Fail,
            Status::Timeout,
            Status::Crash,
            Status::CompileError,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// Whether students see a test before grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    Hidden,
}

impl Visibility {
    pub fn prefix(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Hidden => "hidden",
        }
    }
}

/// One submission (or a student's own check), graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The submission's name (its folder), or "exercises" for a student's own check.
    pub submission: String,
    /// How the student's code ran: the sandbox, or that there was none.
    pub sandbox: String,
    pub lessons: Vec<LessonReport>,
    pub timings: Timings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonReport {
    pub id: String,
    pub title: String,
    pub notebook: String,
    /// The compiler's messages, as the student may see them, if the lesson did not build.
    pub compile_error: Option<String>,
    /// Hidden tests that did not run here (a student's own check): count and points.
    pub hidden_not_run: Option<(u32, u32)>,
    pub results: Vec<TestOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestOutcome {
    /// Exercise id, e.g. "3.2".
    pub exercise: String,
    /// The exercise's function and the notebook section that teaches it.
    pub function: String,
    pub section: String,
    /// The test's name, a sentence in snake case.
    pub test: String,
    pub visibility: Visibility,
    pub points: u32,
    pub status: Status,
    /// What the student may read: capped for a public test, the grader's words only for a
    /// hidden one.
    pub message: String,
    /// The exercise is still its `todo!()` stub.
    pub todo: bool,
    pub millis: u64,
}

impl TestOutcome {
    pub fn score(&self) -> u32 {
        if self.status == Status::Pass {
            self.points
        } else {
            0
        }
    }

    /// `public::name` or `hidden::name`.
    pub fn key(&self) -> String {
        format!("{}::{}", self.visibility.prefix(), self.test)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub build_s: f64,
    pub run_s: f64,
    pub tests: usize,
}

impl Report {
    pub fn results(&self) -> impl Iterator<Item = &TestOutcome> {
        self.lessons.iter().flat_map(|l| l.results.iter())
    }
    pub fn score(&self) -> u32 {
        self.results().map(TestOutcome::score).sum()
    }
    pub fn max_score(&self) -> u32 {
        self.results().map(|r| r.points).sum()
    }
    pub fn lesson(&self, id: &str) -> Option<&LessonReport> {
        self.lessons.iter().find(|l| l.id == id)
    }
    /// (score, maximum) of one lesson; (0, 0) if it was not graded.
    pub fn lesson_score(&self, id: &str) -> (u32, u32) {
        self.lesson(id).map_or((0, 0), |l| {
            l.results
                .iter()
                .fold((0, 0), |(s, m), r| (s + r.score(), m + r.points))
        })
    }
    pub fn all_pass(&self) -> bool {
        self.results().all(|r| r.status == Status::Pass)
            && self.lessons.iter().all(|l| l.compile_error.is_none())
    }
}

/// `s`, cut to `n` characters with an ellipsis.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status, vis: Visibility, todo: bool) -> TestOutcome {
        TestOutcome {
            exercise: "1.1".into(),
            function: "marginal_x".into(),
            section: "Joint".into(),
            test: "sums_rows".into(),
            visibility: vis,
            points: 2,
            status,
            message: "m".into(),
            todo,
            millis: 1,
        }
    }

    #[test]
    fn a_report_round_trips_through_json_and_scores_only_passes() {
        let rep = Report {
            submission: "s".into(),
            sandbox: "none".into(),
            lessons: vec![LessonReport {
                id: "01".into(),
                title: "t".into(),
                notebook: "n".into(),
                compile_error: None,
                hidden_not_run: None,
                results: vec![
                    outcome(Status::Pass, Visibility::Public, false),
                    outcome(Status::Fail, Visibility::Hidden, true),
                ],
            }],
            timings: Timings::default(),
        };
        let back: Report = serde_json::from_str(&serde_json::to_string(&rep).unwrap()).unwrap();
        assert_eq!(back, rep);
        assert_eq!((rep.score(), rep.max_score()), (2, 4));
        assert_eq!(rep.lesson_score("01"), (2, 4));
        assert!(!rep.all_pass());
        assert!(
            serde_json::to_string(&rep)
                .unwrap()
                .contains("\"status\":\"fail\"")
        );
        // a todo!() is counted, not listed
        let f = render::failures(&rep);
        assert!(
            f.contains("1 more tests fail") && !f.contains("hidden::sums_rows"),
            "{f}"
        );
        let csv = render::class_csv(&["01".into(), "02".into()], &[rep]);
        assert_eq!(csv, "student,l01,l02,total,max\ns,2,0,2,4\n");
    }
}
