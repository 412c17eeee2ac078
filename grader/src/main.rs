//! `course-grader`: the course's exercise tool. `./course <command>` calls it.
//!
//! ```text
//! gen [--check]                      write exercises/ from solutions/ (or check it is in sync)
//! check <lesson> [--report F|-]      run the public tests of one lesson on exercises/ (--report: the
//!                                    contract as JSON, to a file or stdout; the kernel's :check reads it)
//! hint <exercise> [--all]            the next hint of an exercise (`hint 3.2`; again: the next tier)
//! progress                           done/pending per exercise (public tests)
//! watch [lesson]                     re-run `check` whenever a file in exercises/src changes
//! grade <dir> [--json F] [--markdown F] [--report F] [--lessons 01,03]
//!                                    (--json: Gradescope's results.json; --report: the contract)
//!                                    grade one submission (a copy of exercises/)
//! grade-class <dir> --csv F [--reports D]
//!                                    grade every sub-folder of <dir>, one CSV row each
//! validate                           solutions 100 %, stubs 0 %, hostile suite as expected, content checks
//! validate --content                 the content checks alone: sections, paths, exercise tables, prose numbers, exercise references
//! ```
//! Common option: `--jobs N` (default: the number of cores).

mod compile;
mod content;
mod generate;
mod grade;
mod hint;
mod judge;
mod manifest;
mod policy;
mod report;
mod sandbox;
mod validate;

use course_contract::render;
use grade::{GradeConfig, Hidden, PublicTests, Status, Submission};
use manifest::Course;
use sandbox::Sandbox;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The course folder, found as every course process finds it
/// ([`course_contract::course_root`]): `$GMCOURSE_ROOT`, else at or above the working
/// folder, else where this grader was built.
fn find_root() -> PathBuf {
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::current_dir()
        .ok()
        .and_then(|d| course_contract::course_root(&d))
        .or_else(|| course_contract::course_root(&built_in))
        .unwrap_or(built_in)
}

/// `--name value` from the argument list.
fn opt(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn positional(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if a.starts_with("--") {
            skip = !matches!(
                a.as_str(),
                "--check" | "--no-sandbox" | "--content" | "--all"
            );
            continue;
        }
        out.push(a.clone());
    }
    out
}

fn jobs(args: &[String]) -> usize {
    opt(args, "--jobs")
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = find_root();
    let cmd = args.first().cloned().unwrap_or_default();
    // Student commands work from a copy with exercises/ but no solutions/.
    let student = matches!(cmd.as_str(), "check" | "hint" | "progress" | "watch");
    let loaded = if student {
        Course::load_student(&root)
    } else {
        Course::load(&root)
    };
    let course = match loaded {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let rest = &args[args.len().min(1)..];
    let result = match cmd.as_str() {
        "gen" => cmd_gen(&course, rest.iter().any(|a| a == "--check")),
        "check" => cmd_check(&course, rest),
        "hint" => cmd_hint(&course, rest),
        "progress" => cmd_progress(&course, rest),
        "watch" => cmd_watch(&course, rest),
        "grade" => cmd_grade(&course, rest),
        "grade-class" => cmd_grade_class(&course, rest),
        "validate" if rest.iter().any(|a| a == "--content") => Ok(content::run(&course)),
        "bench-sandbox" => cmd_bench_sandbox(rest),
        "validate" => grading_sandbox(rest).and_then(|sb| validate::run(&course, jobs(rest), sb)),
        _ => {
            eprintln!("{}", include_str!("usage.txt"));
            Err(String::new())
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            // 3: refused for want of a sandbox (scripts may retry with --no-sandbox)
            if e.starts_with(sandbox::REFUSAL) {
                ExitCode::from(3)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

/// `bench-sandbox [ROUNDS]`: start-to-exit time of a trivial program, bare and inside the
/// sandbox, interleaved; prints medians, p95 and the difference (bench/grading.sh).
fn cmd_bench_sandbox(args: &[String]) -> Result<bool, String> {
    let rounds: usize = positional(args)
        .first()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let sandbox = Sandbox::probe()?;
    let exe = ["/usr/bin/true", "/bin/true"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file())
        .ok_or("no /usr/bin/true to time")?;
    let time = |sb: &Sandbox, i: usize| -> Result<f64, String> {
        let t = Instant::now();
        let status = sb
            .command(exe, &[], i)
            .stdin(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("the timed program failed: {status}"));
        }
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    let (mut bare, mut boxed) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        bare.push(time(&Sandbox::Unsandboxed, i)?);
        boxed.push(time(&sandbox, i)?);
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
    };
    let ((b50, b95), (s50, s95)) = (stats(&mut bare), stats(&mut boxed));
    println!("sandbox: {}", sandbox.describe());
    println!("process start to exit, {rounds} runs each, interleaved:");
    println!("  bare:      median {b50:6.2} ms, p95 {b95:6.2} ms");
    println!("  sandboxed: median {s50:6.2} ms, p95 {s95:6.2} ms");
    println!(
        "  the sandbox adds {:.2} ms per test process (median; target at most 20 ms), ratio {:.1}x",
        s50 - b50,
        s50 / b50
    );

    // A whole test as grading runs it: the judge outside, the exercise server in the
    // sandbox, one call of the student's function (and 1000 calls, for the wire's cost).
    let dir = std::env::temp_dir().join(format!("grader-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let public = "use exercises::l00_t::*;\n// exercise 0.1, 1 point\n#[test]\nfn one_call() {\n    assert_eq!(answer(&[1.0, 2.0]), 3.0);\n}\n// exercise 0.1, 1 point\n#[test]\nfn a_thousand_calls() {\n    for _ in 0..1000 {\n        assert_eq!(answer(&[1.0, 2.0]), 3.0);\n    }\n}\n";
    let answer = "pub fn answer(x: &[f64]) -> f64 {\n    x.iter().sum()\n}\n";
    let (judge, server) = judge::tiny_pair(&dir, answer, answer, public, &[])?;
    let pair = grade::Pair {
        judge: &judge,
        server: &server,
        serves: None,
    };
    let limits = manifest::Limits {
        timeout_ms: 10_000,
        memory_mb: 512,
    };
    let time_test = |sb: &Sandbox, key: &str, i: usize| -> Result<f64, String> {
        let t = Instant::now();
        let (status, msg) = grade::run_test(&pair, key, &dir, &limits, sb, i);
        if status != Status::Pass {
            return Err(format!("the timed test did not pass: {msg}"));
        }
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    let (mut one, mut thousand) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        one.push(time_test(&sandbox, "public::one_call", i)?);
        if i % 4 == 0 {
            thousand.push(time_test(&sandbox, "public::a_thousand_calls", i)?);
        }
    }
    let (o50, o95) = stats(&mut one);
    let (t50, _) = stats(&mut thousand);
    println!("one test, judge + sandboxed exercise server, {rounds} runs:");
    println!("  one call:    median {o50:6.2} ms, p95 {o95:6.2} ms");
    println!(
        "  judge and sandbox add {:.2} ms per test over a bare process start (median; target at most 20 ms)",
        o50 - b50
    );
    println!(
        "  one call over the wire: {:.1} us ({} runs of 1000 calls, median {t50:.2} ms)",
        (t50 - o50) * 1000.0 / 999.0,
        thousand.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(true)
}

fn cmd_gen(course: &Course, check: bool) -> Result<bool, String> {
    let files = generate::generate(course)?;
    let dir = course.exercises_dir();
    if check {
        let d = generate::diff(&files, &dir);
        if d.is_empty() {
            println!(
                "exercises/ is in sync with solutions/ ({} files)",
                files.len()
            );
            Ok(true)
        } else {
            for l in &d {
                println!("{l}");
            }
            println!("exercises/ is out of sync: run `./course gen`");
            Ok(false)
        }
    } else {
        let n = generate::write(&files, &dir)?;
        println!("generated exercises/ ({} files, {n} changed)", files.len());
        Ok(true)
    }
}

fn lessons_arg(course: &Course, spec: Option<&str>) -> Result<Vec<manifest::Lesson>, String> {
    match spec {
        None | Some("all") => Ok(course.lessons.clone()),
        Some(s) => {
            s.split(',')
                .map(|id| {
                    course.lesson(id.trim()).cloned().ok_or_else(|| {
                        format!("no lesson `{id}`; lessons are {}", lesson_ids(course))
                    })
                })
                .collect()
        }
    }
}

fn lesson_ids(course: &Course) -> String {
    course
        .lessons
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sandbox of `grade`, `grade-class` and `validate`: they refuse to run student code
/// without one, unless `--no-sandbox` says the machine is a throwaway container.
pub fn grading_sandbox(args: &[String]) -> Result<Sandbox, String> {
    if args.iter().any(|a| a == "--no-sandbox") {
        eprintln!(
            "warning: --no-sandbox: submitted code runs as plain processes with this user's \
             rights (use it only in a throwaway container); every report records it"
        );
        return Ok(Sandbox::Unsandboxed);
    }
    Sandbox::probe()
}

/// The sandbox of a student's own `check`, `progress` and `watch`: used when the machine
/// has one; otherwise the student's own code runs unsandboxed, which is said once.
fn student_sandbox() -> Sandbox {
    Sandbox::probe().unwrap_or_else(|why| {
        let first = why.lines().next().unwrap_or("");
        eprintln!(
            "note: your tests run without a sandbox ({first}); that is fine for your own code"
        );
        Sandbox::Unsandboxed
    })
}

/// Runs the public tests of `lessons` on exercises/.
fn student_check(
    course: &Course,
    lessons: Vec<manifest::Lesson>,
    jobs: usize,
    sandbox: &Sandbox,
) -> Result<course_contract::Report, String> {
    let sub = Submission {
        skip_scan: false,
        name: "exercises".into(),
        dir: course.exercises_dir(),
        only: None,
    };
    let cfg = GradeConfig {
        label: "check".into(),
        lessons: lessons.clone(),
        public: PublicTests::Exercises,
        hidden: Hidden::Skip,
        jobs,
        quiet: true,
        sandbox: sandbox.clone(),
    };
    let (mut reps, t) = grade::grade(course, &[sub], &cfg)?;
    let rep = reps.pop().ok_or("no report")?;
    Ok(report::contract(course, &rep, &lessons, &t, true))
}

/// `check` in the terminal: the tests, then one summary line.
fn print_check(rep: &course_contract::Report) {
    print!("{}", render::check(rep));
    let passed = rep.results().filter(|r| r.status == Status::Pass).count();
    println!(
        "public tests: {passed}/{} passed  (build {:.1} s, run {:.1} s)",
        rep.results().count(),
        rep.timings.build_s,
        rep.timings.run_s
    );
}

fn cmd_check(course: &Course, args: &[String]) -> Result<bool, String> {
    let pos = positional(args);
    let Some(id) = pos.first() else {
        return Err(format!(
            "usage: check <lesson>; lessons are {}",
            lesson_ids(course)
        ));
    };
    let lessons = lessons_arg(course, Some(id))?;
    let rep = student_check(course, lessons, jobs(args), &student_sandbox())?;
    match opt(args, "--report").as_deref() {
        // the contract on stdout: the notebook kernel's `:check` reads it back
        Some("-") => println!(
            "{}",
            serde_json::to_string(&rep).map_err(|e| e.to_string())?
        ),
        Some(p) => {
            print_check(&rep);
            write_out(
                p,
                &serde_json::to_string_pretty(&rep).map_err(|e| e.to_string())?,
            )?;
        }
        None => print_check(&rep),
    }
    Ok(rep.all_pass())
}

/// `hint N.M [--all]`: see [`hint`].
fn cmd_hint(course: &Course, args: &[String]) -> Result<bool, String> {
    let pos = positional(args);
    let id = pos
        .first()
        .ok_or("usage: hint <exercise> [--all], e.g. hint 3.2")?;
    let ex = course
        .exercise(id)
        .ok_or_else(|| format!("no exercise `{id}` (`./course progress` lists them)"))?;
    let lesson = course
        .lesson(&ex.lesson)
        .ok_or("manifest names an unknown lesson")?;
    let all = args.iter().any(|a| a == "--all");
    let shown = hint::advance(&course.root.join(hint::LEVELS), ex, all);
    print!("{}", hint::text(ex, lesson, shown));
    Ok(true)
}

fn cmd_progress(course: &Course, args: &[String]) -> Result<bool, String> {
    let rep = student_check(
        course,
        course.lessons.clone(),
        jobs(args),
        &student_sandbox(),
    )?;
    let mut done = 0;
    for lesson in &course.lessons {
        println!("lesson {} — {}", lesson.id, lesson.title);
        for ex in course.exercises_of(lesson) {
            let rs: Vec<_> = rep.results().filter(|r| r.exercise == ex.id).collect();
            let ok = !rs.is_empty() && rs.iter().all(|r| r.status == Status::Pass);
            done += usize::from(ok);
            println!(
                "  [{}] {:<5} {}",
                if ok { "done" } else { "    " },
                ex.id,
                ex.function
            );
        }
    }
    println!(
        "{done}/{} exercises pass their public tests",
        course.exercises.len()
    );
    Ok(done == course.exercises.len())
}

fn mtimes(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .collect();
    v.sort();
    v
}

fn cmd_watch(course: &Course, args: &[String]) -> Result<bool, String> {
    let pos = positional(args);
    let fixed = pos
        .first()
        .map(|id| lessons_arg(course, Some(id)))
        .transpose()?;
    let src = course.exercises_dir().join("src");
    let mut last = mtimes(&src);
    let sandbox = student_sandbox();
    println!("watching {} (Ctrl-C to stop)", src.display());
    if let Some(ls) = &fixed {
        let _ = student_check(course, ls.clone(), jobs(args), &sandbox).map(|r| print_check(&r));
    }
    loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = mtimes(&src);
        if now == last {
            continue;
        }
        let changed: Vec<PathBuf> = now
            .iter()
            .filter(|x| !last.contains(x))
            .map(|x| x.0.clone())
            .collect();
        last = now;
        let lessons = match &fixed {
            Some(ls) => ls.clone(),
            None => course
                .lessons
                .iter()
                .filter(|l| {
                    changed
                        .iter()
                        .any(|p| p.file_stem().is_some_and(|s| s == l.module.as_str()))
                })
                .cloned()
                .collect(),
        };
        if lessons.is_empty() {
            continue;
        }
        println!("\n--- change detected, re-running ---");
        if let Err(e) =
            student_check(course, lessons, jobs(args), &sandbox).map(|r| print_check(&r))
        {
            println!("error: {e}");
        }
    }
}

fn print_timings(t: &grade::Timings, started: Instant) {
    println!(
        "timings: build {:.1} s, {} tests run in {:.1} s, total {:.1} s",
        t.build.as_secs_f64(),
        t.tests,
        t.run.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

fn write_out(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))
}

fn cmd_grade(course: &Course, args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let pos = positional(args);
    let dir = pos
        .first()
        .ok_or("usage: grade <submission_dir> [--json out.json] [--markdown out.md]")?;
    let dir = PathBuf::from(dir);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "submission".into());
    let lessons = lessons_arg(course, opt(args, "--lessons").as_deref())?;
    let cfg = GradeConfig {
        label: "grade".into(),
        lessons,
        public: PublicTests::Solutions,
        hidden: Hidden::Run,
        jobs: jobs(args),
        quiet: true,
        sandbox: grading_sandbox(args)?,
    };
    let (reps, t) = grade::grade(
        course,
        &[Submission {
            name,
            dir,
            only: None,
            skip_scan: false,
        }],
        &cfg,
    )?;
    let rep = report::contract(course, &reps[0], &cfg.lessons, &t, false);
    println!("sandbox: {}", rep.sandbox);
    print!("{}", render::table(&rep));
    print!("{}", render::failures(&rep));
    if let Some(p) = opt(args, "--json") {
        let j = serde_json::to_string_pretty(&render::gradescope_json(&rep))
            .map_err(|e| e.to_string())?;
        write_out(&p, &j)?;
    }
    if let Some(p) = opt(args, "--markdown") {
        write_out(&p, &render::markdown(&rep))?;
    }
    if let Some(p) = opt(args, "--report") {
        let j = serde_json::to_string_pretty(&rep).map_err(|e| e.to_string())?;
        write_out(&p, &j)?;
    }
    print_timings(&t, started);
    Ok(true)
}

fn cmd_grade_class(course: &Course, args: &[String]) -> Result<bool, String> {
    let started = Instant::now();
    let pos = positional(args);
    let dir = PathBuf::from(
        pos.first()
            .ok_or("usage: grade-class <folder> --csv class.csv [--reports dir]")?,
    );
    let mut subs: Vec<Submission> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| Submission {
            skip_scan: false,
            name: e.file_name().to_string_lossy().into_owned(),
            dir: e.path(),
            only: None,
        })
        .collect();
    subs.sort_by(|a, b| a.name.cmp(&b.name));
    let lessons = lessons_arg(course, opt(args, "--lessons").as_deref())?;
    let cfg = GradeConfig {
        label: "class".into(),
        lessons,
        public: PublicTests::Solutions,
        hidden: Hidden::Run,
        jobs: jobs(args),
        quiet: true,
        sandbox: grading_sandbox(args)?,
    };
    let (reps, t) = grade::grade(course, &subs, &cfg)?;
    let reps: Vec<course_contract::Report> = reps
        .iter()
        .map(|r| report::contract(course, r, &cfg.lessons, &t, false))
        .collect();
    println!("sandbox: {}", cfg.sandbox.describe());
    for rep in &reps {
        println!(
            "{:<24} {:>4} / {}",
            rep.submission,
            rep.score(),
            rep.max_score()
        );
    }
    let ids: Vec<String> = course.lessons.iter().map(|l| l.id.clone()).collect();
    let csv = render::class_csv(&ids, &reps);
    match opt(args, "--csv") {
        Some(p) => write_out(&p, &csv)?,
        None => print!("{csv}"),
    }
    if let Some(d) = opt(args, "--reports") {
        std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
        for rep in &reps {
            let base = Path::new(&d).join(grade::sanitize(&rep.submission));
            write_out(&format!("{}.md", base.display()), &render::markdown(rep))?;
            let j = serde_json::to_string_pretty(&render::gradescope_json(rep))
                .map_err(|e| e.to_string())?;
            write_out(&format!("{}.json", base.display()), &j)?;
        }
    }
    print_timings(&t, started);
    Ok(true)
}
