//! Reports: terminal table, Gradescope JSON, Markdown feedback, class CSV.
//!
//! None of them contains test code: only test names (sentences), points, statuses and
//! the failure messages the tests chose to show.

use crate::grade::{Status, SubmissionReport, Timings, truncate};
use crate::manifest::{Course, Visibility};
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

/// Terminal table: one row per exercise (lesson, exercise, function, points, status).
pub fn table(course: &Course, rep: &SubmissionReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<7} {:<9} {:<28} {:>9}  status",
        "lesson", "exercise", "function", "points"
    );
    for lesson in &course.lessons {
        let rs: Vec<_> = rep
            .results
            .iter()
            .filter(|r| r.lesson == lesson.id)
            .collect();
        if rs.is_empty() {
            continue;
        }
        for ex in course.exercises_of(lesson) {
            let ers: Vec<_> = rs.iter().filter(|r| r.test.exercise == ex.id).collect();
            if ers.is_empty() {
                continue;
            }
            let got: u32 = ers.iter().map(|r| r.score()).sum();
            let max: u32 = ers.iter().map(|r| r.test.points).sum();
            let worst = ers.iter().map(|r| r.status).max().unwrap_or(Status::Pass);
            let n_pass = ers.iter().filter(|r| r.status == Status::Pass).count();
            let status = if worst == Status::Pass {
                "PASS".to_string()
            } else {
                format!("{} ({}/{} tests)", status_cell(worst), n_pass, ers.len())
            };
            let _ = writeln!(
                out,
                "{:<7} {:<9} {:<28} {:>4} / {:<2}  {}",
                lesson.id,
                ex.id,
                truncate(&ex.function, 28),
                got,
                max,
                status
            );
        }
    }
    let _ = writeln!(out, "total: {} / {} points", rep.score(), rep.max_score());
    out
}

/// Failure details for the terminal: test name, status and message.
pub fn failures(rep: &SubmissionReport) -> String {
    let mut out = String::new();
    for (lesson, err) in &rep.compile_errors {
        let _ = writeln!(
            out,
            "lesson {lesson} did not build:\n{}\n",
            indent(&truncate(err, 3000))
        );
    }
    let mut n_todo = 0;
    for r in rep
        .results
        .iter()
        .filter(|r| r.status != Status::Pass && r.status != Status::CompileError)
    {
        // counted by the raw message (a hidden test's shown one hides why), never printed
        if r.status == Status::Fail && r.raw.starts_with("not yet implemented") {
            n_todo += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "{} {} [{}]: {}",
            status_cell(r.status),
            r.test.key(),
            r.test.exercise,
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

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Gradescope autograder `results.json` (also read by GitHub Classroom tooling).
pub fn gradescope_json(rep: &SubmissionReport, timings: &Timings) -> serde_json::Value {
    let tests: Vec<serde_json::Value> = rep
        .results
        .iter()
        .map(|r| {
            let output = match r.status {
                Status::Pass => String::new(),
                Status::CompileError => format!(
                    "{}\n{}",
                    r.message,
                    truncate(rep.compile_errors.get(&r.lesson).map(String::as_str).unwrap_or(""), 3000)
                ),
                _ => format!("{}: {}", r.status.as_str(), r.message),
            };
            serde_json::json!({
                "name": format!("{} {} [{}]", r.test.exercise, r.test.name, r.test.visibility.prefix()),
                "number": r.test.exercise,
                "score": r.score(),
                "max_score": r.test.points,
                "status": if r.status == Status::Pass { "passed" } else { "failed" },
                "visibility": match r.test.visibility {
                    Visibility::Public => "visible",
                    Visibility::Hidden => "after_published",
                },
                "output": output,
                "extra_data": { "millis": r.millis, "status": r.status.as_str() },
            })
        })
        .collect();
    serde_json::json!({
        "score": rep.score(),
        "max_score": rep.max_score(),
        "execution_time": (timings.build + timings.run).as_secs_f64(),
        "output": format!("{} / {} points (sandbox: {})", rep.score(), rep.max_score(), rep.sandbox),
        "visibility": "visible",
        "tests": tests,
    })
}

/// Markdown feedback for one student.
pub fn markdown(course: &Course, rep: &SubmissionReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Feedback for {}\n", rep.name);
    let _ = writeln!(
        out,
        "**Total: {} / {} points**\n\nTests ran in: {}\n",
        rep.score(),
        rep.max_score(),
        rep.sandbox
    );
    for lesson in &course.lessons {
        let rs: Vec<_> = rep
            .results
            .iter()
            .filter(|r| r.lesson == lesson.id)
            .collect();
        if rs.is_empty() {
            continue;
        }
        let (s, m) = rep.lesson_score(&lesson.id);
        let _ = writeln!(
            out,
            "## Lesson {} — {} ({s} / {m})\n",
            lesson.id, lesson.title
        );
        if let Some(err) = rep.compile_errors.get(&lesson.id) {
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
        for r in &rs {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} / {} | {} |",
                r.test.exercise,
                r.test.name.replace('_', " "),
                r.test.visibility.prefix(),
                r.score(),
                r.test.points,
                status_cell(r.status)
            );
        }
        let failed: Vec<_> = rs
            .iter()
            .filter(|r| !matches!(r.status, Status::Pass | Status::CompileError))
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(out, "\nWhat went wrong:\n");
            let mut todo_reported: Vec<&str> = Vec::new();
            for r in failed {
                // decided on the raw message, which is never printed for a hidden test
                let is_todo = r.status == Status::Fail && r.raw.starts_with("not yet implemented");
                if is_todo && todo_reported.contains(&r.test.exercise.as_str()) {
                    continue;
                }
                let hint = course
                    .exercise(&r.test.exercise)
                    .map(|e| {
                        format!(
                            " (see {}, section \"{}\"; `./course hint {}`)",
                            lesson.notebook, e.section, e.id
                        )
                    })
                    .unwrap_or_default();
                if is_todo {
                    todo_reported.push(&r.test.exercise);
                    let _ = writeln!(
                        out,
                        "- **{}** not started: still `todo!()`{hint}",
                        r.test.exercise
                    );
                    continue;
                }
                let _ = writeln!(
                    out,
                    "- **{}** `{}`{hint}: {}",
                    r.test.exercise,
                    r.test.name,
                    r.message.replace('\n', " ")
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// Class CSV: one row per student, points per lesson, total and maximum.
pub fn class_csv(course: &Course, reps: &[SubmissionReport]) -> String {
    let mut out = String::from("student");
    for l in &course.lessons {
        let _ = write!(out, ",l{}", l.id);
    }
    out.push_str(",total,max\n");
    for rep in reps {
        let name = rep.name.replace(['"', ','], "_");
        let _ = write!(out, "{name}");
        for l in &course.lessons {
            let _ = write!(out, ",{}", rep.lesson_score(&l.id).0);
        }
        let _ = writeln!(out, ",{},{}", rep.score(), rep.max_score());
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The student's check as an HTML table wrapped in evcxr's display markers, so that a
/// notebook cell that prints this output shows the table inline (`check 01 --evcxr`).
pub fn evcxr_html(
    course: &Course,
    rep: &SubmissionReport,
    lessons: &[crate::manifest::Lesson],
) -> String {
    let mut h = String::from(
        "EVCXR_BEGIN_CONTENT text/html\n<table><tr><th>exercise</th><th>public test</th><th>status</th><th>message</th></tr>\n",
    );
    for lesson in lessons {
        if let Some(err) = rep.compile_errors.get(&lesson.id) {
            let _ = writeln!(
                h,
                "<tr><td colspan=4><b>lesson {} does not compile</b><pre>{}</pre></td></tr>",
                lesson.id,
                html_escape(&truncate(err, 3000))
            );
        }
        for r in rep.results.iter().filter(|r| r.lesson == lesson.id) {
            let (mark, color) = match r.status {
                Status::Pass => ("PASS", "green"),
                Status::CompileError => ("NO BUILD", "gray"),
                _ => ("FAIL", "red"),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td style=\"color:{color}\"><b>{mark}</b></td><td>{}</td></tr>",
                r.test.exercise,
                r.test.name.replace('_', " "),
                html_escape(if r.status == Status::CompileError {
                    ""
                } else {
                    &r.message
                })
            );
        }
        if let Ok(hidden) = course.hidden_summary(lesson) {
            let _ = writeln!(
                h,
                "<tr><td colspan=4><i>lesson {}: hidden: {} tests, {} points, run at grading</i></td></tr>",
                lesson.id, hidden.tests, hidden.points
            );
        }
    }
    h.push_str("</table>\nEVCXR_END_CONTENT\n");
    h
}
