//! Every rendering of a [`Report`]: the terminal table and failure list, the Markdown
//! feedback, Gradescope's `results.json`, the class CSV, and the notebook's HTML table.

use crate::{Report, Status, TestOutcome, Visibility, truncate};
use std::fmt::Write as _;

fn status_cell(s: Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::Timeout => "TIMEOUT",
        Status::Crash => "CRASH",
        Status::CompileError => "NO BUILD",
    }
}

/// The exercises of a lesson's results, in order, each with its results.
fn by_exercise(results: &[TestOutcome]) -> Vec<(&str, Vec<&TestOutcome>)> {
    let mut out: Vec<(&str, Vec<&TestOutcome>)> = Vec::new();
    for r in results {
        match out.iter_mut().find(|(e, _)| *e == r.exercise) {
            Some((_, v)) => v.push(r),
            None => out.push((&r.exercise, vec![r])),
        }
    }
    out
}

/// Terminal table: one row per exercise (lesson, exercise, function, points, status).
pub fn table(rep: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<7} {:<9} {:<28} {:>9}  status",
        "lesson", "exercise", "function", "points"
    );
    for lesson in &rep.lessons {
        for (ex, rs) in by_exercise(&lesson.results) {
            let got: u32 = rs.iter().map(|r| r.score()).sum();
            let max: u32 = rs.iter().map(|r| r.points).sum();
            let worst = rs.iter().map(|r| r.status).max().unwrap_or(Status::Pass);
            let n_pass = rs.iter().filter(|r| r.status == Status::Pass).count();
            let status = if worst == Status::Pass {
                "PASS".to_string()
            } else {
                format!("{} ({}/{} tests)", status_cell(worst), n_pass, rs.len())
            };
            let _ = writeln!(
                out,
                "{:<7} {:<9} {:<28} {:>4} / {:<2}  {}",
                lesson.id,
                ex,
                truncate(&rs[0].function, 28),
                got,
                max,
                status
            );
        }
    }
    let _ = writeln!(out, "total: {} / {} points", rep.score(), rep.max_score());
    out
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Failure details for the terminal: test name, status and message.
pub fn failures(rep: &Report) -> String {
    let mut out = String::new();
    for l in &rep.lessons {
        if let Some(err) = &l.compile_error {
            let _ = writeln!(
                out,
                "lesson {} did not build:\n{}\n",
                l.id,
                indent(&truncate(err, 3000))
            );
        }
    }
    let mut n_todo = 0;
    for r in rep
        .results()
        .filter(|r| r.status != Status::Pass && r.status != Status::CompileError)
    {
        if r.todo {
            n_todo += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "{} {} [{}]: {}",
            status_cell(r.status),
            r.key(),
            r.exercise,
            r.message
        );
    }
    if n_todo > 0 {
        let _ = writeln!(
            out,
            "({n_todo} more tests fail because their exercise is still `todo!()`)"
        );
    }
    out
}

/// The student's own check in the terminal: every public test with its message, and the
/// hidden tests that grading will add.
pub fn check(rep: &Report) -> String {
    let mut out = String::new();
    for l in &rep.lessons {
        let _ = writeln!(out, "lesson {} — {}", l.id, l.title);
        if let Some(err) = &l.compile_error {
            let _ = writeln!(out, "  does not compile:\n{}", indent(&truncate(err, 3000)));
        }
        for r in &l.results {
            let mark = match r.status {
                Status::Pass => "ok  ",
                Status::CompileError => "----",
                _ => "FAIL",
            };
            let _ = writeln!(out, "  {mark} {:<5} {}", r.exercise, r.test);
            if !matches!(r.status, Status::Pass | Status::CompileError) {
                let _ = writeln!(out, "         {}", r.message.replace('\n', "\n         "));
            }
        }
        if let Some((n, p)) = l.hidden_not_run {
            let _ = writeln!(out, "  hidden: {n} tests, {p} points, run at grading");
        }
    }
    out
}

/// The Gradescope autograder `results.json` (also read by GitHub Classroom tooling).
pub fn gradescope_json(rep: &Report) -> serde_json::Value {
    let mut tests = Vec::new();
    for l in &rep.lessons {
        for r in &l.results {
            let output = match r.status {
                Status::Pass => String::new(),
                Status::CompileError => format!(
                    "{}\n{}",
                    r.message,
                    truncate(l.compile_error.as_deref().unwrap_or(""), 3000)
                ),
                _ => format!("{}: {}", r.status.as_str(), r.message),
            };
            tests.push(serde_json::json!({
                "name": format!("{} {} [{}]", r.exercise, r.test, r.visibility.prefix()),
                "number": r.exercise,
                "score": r.score(),
                "max_score": r.points,
                "status": if r.status == Status::Pass { "passed" } else { "failed" },
                "visibility": match r.visibility {
                    Visibility::Public => "visible",
                    Visibility::Hidden => "after_published",
                },
                "output": output,
                "extra_data": { "millis": r.millis, "status": r.status.as_str() },
            }));
        }
    }
    serde_json::json!({
        "score": rep.score(),
        "max_score": rep.max_score(),
        "execution_time": rep.timings.build_s + rep.timings.run_s,
        "output": format!("{} / {} points (sandbox: {})", rep.score(), rep.max_score(), rep.sandbox),
        "visibility": "visible",
        "tests": tests,
    })
}

/// Markdown feedback for one student.
pub fn markdown(rep: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Feedback for {}\n", rep.submission);
    let _ = writeln!(
        out,
        "**Total: {} / {} points**\n\nTests ran in: {}\n",
        rep.score(),
        rep.max_score(),
        rep.sandbox
    );
    for lesson in &rep.lessons {
        let (s, m) = rep.lesson_score(&lesson.id);
        let _ = writeln!(
            out,
            "## Lesson {} — {} ({s} / {m})\n",
            lesson.id, lesson.title
        );
        if let Some(err) = &lesson.compile_error {
            let _ = writeln!(
                out,
                "This lesson did not build, so none of its tests ran:\n\n```text\n{}\n```\n",
                truncate(err, 3000).replace("```", "'''")
            );
        }
        let _ = writeln!(
            out,
            "| exercise | test | kind | points | status |\n|---|---|---|---|---|"
        );
        for r in &lesson.results {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} / {} | {} |",
                r.exercise,
                r.test.replace('_', " "),
                r.visibility.prefix(),
                r.score(),
                r.points,
                status_cell(r.status)
            );
        }
        let failed: Vec<_> = lesson
            .results
            .iter()
            .filter(|r| !matches!(r.status, Status::Pass | Status::CompileError))
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(out, "\nWhat went wrong:\n");
            let mut todo_reported: Vec<&str> = Vec::new();
            for r in failed {
                if r.todo && todo_reported.contains(&r.exercise.as_str()) {
                    continue;
                }
                let hint = format!(
                    " (see {}, section \"{}\"; `./course hint {}`)",
                    lesson.notebook, r.section, r.exercise
                );
                if r.todo {
                    todo_reported.push(&r.exercise);
                    let _ = writeln!(
                        out,
                        "- **{}** not started: still `todo!()`{hint}",
                        r.exercise
                    );
                    continue;
                }
                let _ = writeln!(
                    out,
                    "- **{}** `{}`{hint}: {}",
                    r.exercise,
                    r.test,
                    r.message.replace('\n', " ")
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// Class CSV: one row per student, points per lesson (of `lesson_ids`), total and maximum.
pub fn class_csv(lesson_ids: &[String], reps: &[Report]) -> String {
    let mut out = String::from("student");
    for l in lesson_ids {
        let _ = write!(out, ",l{l}");
    }
    out.push_str(",total,max\n");
    for rep in reps {
        let name = rep.submission.replace(['"', ','], "_");
        let _ = write!(out, "{name}");
        for l in lesson_ids {
            let _ = write!(out, ",{}", rep.lesson_score(l).0);
        }
        let _ = writeln!(out, ",{},{}", rep.score(), rep.max_score());
    }
    out
}

/// `s` with `&`, `<`, `>` and `"` escaped for HTML text and attributes.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The student's check as an HTML table, for a notebook cell (`:check NN`).
///
/// ```
/// use course_contract::{render, LessonReport, Report, Status, TestOutcome, Timings, Visibility};
/// let rep = Report {
///     submission: "exercises".into(),
///     sandbox: "none".into(),
///     lessons: vec![LessonReport {
///         id: "01".into(), title: "Probability".into(), notebook: "notebooks/01.ipynb".into(),
///         compile_error: None, hidden_not_run: Some((11, 12)),
///         results: vec![TestOutcome {
///             exercise: "1.1".into(), function: "marginal_x".into(), section: "Joint".into(),
///             test: "sums_rows".into(), visibility: Visibility::Public, points: 1,
///             status: Status::Fail, message: "expected <2>".into(), todo: false, millis: 3,
///         }],
///     }],
///     timings: Timings::default(),
/// };
/// let h = render::html(&rep);
/// assert!(h.contains("sums rows") && h.contains("expected &lt;2&gt;") && h.contains("11 tests"));
/// ```
pub fn html(rep: &Report) -> String {
    let mut h = String::from(
        "<table><tr><th>exercise</th><th>public test</th><th>status</th><th>message</th></tr>\n",
    );
    for lesson in &rep.lessons {
        if let Some(err) = &lesson.compile_error {
            let _ = writeln!(
                h,
                "<tr><td colspan=4><b>lesson {} does not compile</b><pre>{}</pre></td></tr>",
                lesson.id,
                html_escape(&truncate(err, 3000))
            );
        }
        for r in &lesson.results {
            let (mark, color) = match r.status {
                Status::Pass => ("PASS", "green"),
                Status::CompileError => ("NO BUILD", "gray"),
                _ => ("FAIL", "red"),
            };
            let msg = if r.status == Status::CompileError {
                ""
            } else {
                &r.message
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td style=\"color:{color}\"><b>{mark}</b></td><td>{}</td></tr>",
                html_escape(&r.exercise),
                html_escape(&r.test.replace('_', " ")),
                html_escape(msg)
            );
        }
        if let Some((n, p)) = lesson.hidden_not_run {
            let _ = writeln!(
                h,
                "<tr><td colspan=4><i>lesson {}: hidden: {n} tests, {p} points, run at grading</i></td></tr>",
                lesson.id
            );
        }
    }
    h.push_str("</table>\n");
    h
}
