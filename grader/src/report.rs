//! The grader's results as the one contract every caller reads ([`course_contract::Report`]).
//! Its renderings (terminal, Markdown, Gradescope, CSV, notebook HTML) are in
//! `course_contract::render`.

use crate::grade::{Status, SubmissionReport, Timings};
use crate::manifest::{Course, Lesson};
use course_contract::{LessonReport, Report, TestOutcome};

/// `rep` on `lessons`, as the contract says it. `hidden_not_run`: say, per lesson, how many
/// hidden tests grading will add (a student's own check).
pub fn contract(
    course: &Course,
    rep: &SubmissionReport,
    lessons: &[Lesson],
    timings: &Timings,
    hidden_not_run: bool,
) -> Report {
    let lessons = lessons
        .iter()
        .filter(|l| {
            rep.results.iter().any(|r| r.lesson == l.id) || rep.compile_errors.contains_key(&l.id)
        })
        .map(|l| LessonReport {
            id: l.id.clone(),
            title: l.title.clone(),
            notebook: l.notebook.clone(),
            compile_error: rep.compile_errors.get(&l.id).cloned(),
            hidden_not_run: hidden_not_run
                .then(|| course.hidden_summary(l).ok())
                .flatten()
                .map(|h| (h.tests as u32, h.points)),
            results: rep
                .results
                .iter()
                .filter(|r| r.lesson == l.id)
                .map(|r| {
                    let ex = course.exercise(&r.test.exercise);
                    TestOutcome {
                        exercise: r.test.exercise.clone(),
                        function: ex.map(|e| e.function.clone()).unwrap_or_default(),
                        section: ex.map(|e| e.section.clone()).unwrap_or_default(),
                        test: r.test.name.clone(),
                        visibility: r.test.visibility,
                        points: r.test.points,
                        status: r.status,
                        message: r.message.clone(),
                        // decided on the raw message, which a hidden test never shows
                        todo: r.status == Status::Fail && r.raw.starts_with("not yet implemented"),
                        millis: r.millis as u64,
                    }
                })
                .collect(),
        })
        .collect();
    Report {
        submission: rep.name.clone(),
        sandbox: rep.sandbox.clone(),
        lessons,
        timings: course_contract::Timings {
            build_s: timings.build.as_secs_f64(),
            run_s: timings.run.as_secs_f64(),
            tests: timings.tests,
        },
    }
}
