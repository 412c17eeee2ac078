//! Grading: a judge crate per lesson, built by one `cargo build --keep-going`; an
//! exercise server per submission (all its lessons in one binary; per lesson where that
//! does not compile), each compiled by rustc in a sandbox (`compile.rs`); then one
//! judge + server pair per test, with a time limit for the pair and the sandbox and
//! limits for the server (see `judge.rs`).
//!
//! Layout of a run (`build/<label>/`, deleted and rewritten on every run):
//!
//! ```text
//! build/<label>/Cargo.toml                 [workspace] of every package below
//! build/<label>/<label>_judge_lNN/src/     main.rs (generated), <module>.rs (the proxy),
//!                                          public_tests.rs, hidden_tests.rs (deleted after
//!                                          the build), wire.rs, wire_gmcourse.rs
//! build/<label>/<pkg>/src/                 main.rs (the dispatch table), <module>.rs (the
//!                                          student's file, copied), wire.rs, wire_gmcourse.rs
//! build/<label>/<label>N_<name>_all/src/   the same for all of submission N's lessons
//! build/<label>/cwd/                       empty working directory of the processes
//! ```
//!
//! All packages share one target directory (`$CARGO_TARGET_DIR`, else `<root>/target`),
//! so gmcourse and its dependencies are built once for every student and lesson.

use crate::compile;
use crate::judge;
use crate::manifest::{Course, Lesson, Limits, TestCase, Visibility};
use crate::policy;
use crate::sandbox::{self, Sandbox};
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A folder holding `src/<module>.rs` files: a copy of a student's `exercises/`.
#[derive(Debug, Clone)]
pub struct Submission {
    pub name: String,
    pub dir: PathBuf,
    /// Grade only these lesson ids (the hostile fixtures); `None`: every configured lesson.
    pub only: Option<Vec<String>>,
    /// Skip the token scan of `policy.rs` (validate's fixtures that play a hole in it,
    /// so that the build's sandbox is what is tested). Never set for a real submission.
    pub skip_scan: bool,
}

/// Where the public tests come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicTests {
    /// `solutions/tests/public/` (grading: the student's copy is not trusted).
    Solutions,
    /// `exercises/tests/` (the student's own check).
    Exercises,
}

/// Whether hidden tests run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Run,
    Skip,
}

#[derive(Debug, Clone)]
pub struct GradeConfig {
    /// Sub-directory of `build/` for the scratch crates; also the package-name prefix.
    pub label: String,
    pub lessons: Vec<Lesson>,
    pub public: PublicTests,
    pub hidden: Hidden,
    pub jobs: usize,
    pub quiet: bool,
    /// Where the tests run ([`Sandbox::probe`], or unsandboxed for `--no-sandbox` and a
    /// student's own check).
    pub sandbox: Sandbox,
}

pub use course_contract::Status;

#[derive(Debug, Clone)]
pub struct TestResult {
    pub lesson: String,
    pub test: TestCase,
    pub status: Status,
    pub message: String,
    /// What the test process itself said, unfiltered (student text for a hidden test too):
    /// for the grader's own checks (`validate`'s stubs-fail-by-their-todo check), never
    /// written into a report.
    pub raw: String,
    pub millis: u128,
}

impl TestResult {
    pub fn score(&self) -> u32 {
        if self.status == Status::Pass {
            self.test.points
        } else {
            0
        }
    }
}

#[derive(Debug, Clone)]
pub struct SubmissionReport {
    pub name: String,
    pub results: Vec<TestResult>,
    /// Lesson id → compiler output the student may see.
    pub compile_errors: BTreeMap<String, String>,
    /// How the tests ran ([`Sandbox::describe`]), recorded in every report.
    pub sandbox: String,
}

impl SubmissionReport {
    pub fn score(&self) -> u32 {
        self.results.iter().map(TestResult::score).sum()
    }
    pub fn max_score(&self) -> u32 {
        self.results.iter().map(|r| r.test.points).sum()
    }
}

/// Timings of a run, printed by the commands.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub build: Duration,
    pub run: Duration,
    pub tests: usize,
}

/// One lesson of a run: its tests and its judge, shared by every submission.
struct LessonPlan {
    tests: Vec<TestCase>,
    public: String,
    hidden: Option<String>,
    /// The interface, parsed once the first submission needs the lesson.
    items: Option<judge::Items>,
    judge_pkg: String,
    judge: Option<(PathBuf, (u64, u64, u64, i64))>,
    judge_error: Option<String>,
}

struct Unit {
    sub: usize,
    lesson: Lesson,
    pkg: String,
    tests: Vec<TestCase>,
    /// Set when the lesson cannot be built (missing file, policy, compiler error).
    compile_error: Option<String>,
    exe: Option<(PathBuf, (u64, u64, u64, i64))>,
    /// Set when `exe` is the submission's combined server: the lesson to serve (`l07`).
    serves: Option<String>,
}

/// The tests of a lesson as the run sees them.
pub fn lesson_tests(
    course: &Course,
    lesson: &Lesson,
    public: PublicTests,
    hidden: Hidden,
) -> Result<Vec<TestCase>, String> {
    let mut tests = Vec::new();
    let ppath = public_path(course, lesson, public);
    let text = std::fs::read_to_string(&ppath)
        .map_err(|e| format!("cannot read {}: {e}", ppath.display()))?;
    tests.extend(crate::manifest::parse_tests(&text, Visibility::Public)?);
    if hidden == Hidden::Run {
        tests.extend(
            course
                .tests_of(lesson)?
                .into_iter()
                .filter(|t| t.visibility == Visibility::Hidden),
        );
    }
    Ok(tests)
}

fn public_path(course: &Course, lesson: &Lesson, public: PublicTests) -> PathBuf {
    match public {
        PublicTests::Solutions => course.test_file(lesson, Visibility::Public),
        PublicTests::Exercises => course
            .exercises_dir()
            .join(format!("tests/{}.rs", lesson.module)),
    }
}

pub fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    s
}

/// Rewrites a test file so it compiles as a module of the harness binary.
pub fn harness_tests_module(src: &str, tests: &[TestCase]) -> String {
    let mut out = String::from("#![allow(unused_imports, dead_code)]\n");
    for line in src.lines() {
        let line = if line.trim() == "#[test]" { "" } else { line };
        let mut l = line
            .replace("solutions::", "crate::")
            .replace("exercises::", "crate::");
        if l.starts_with("fn ")
            && tests
                .iter()
                .any(|t| l[3..].starts_with(&format!("{}(", t.name)))
        {
            l = format!("pub(crate) {l}");
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn target_dir(course: &Course) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| course.root.join("target"))
}

fn workspace_toml(course: &Course, members: &[String]) -> Result<String, String> {
    let root_toml = std::fs::read_to_string(course.root.join("Cargo.toml"))
        .map_err(|e| format!("root Cargo.toml: {e}"))?;
    let root: toml::Table =
        toml::from_str(&root_toml).map_err(|e| format!("root Cargo.toml: {e}"))?;
    let mut t = toml::Table::new();
    let mut ws = toml::Table::new();
    ws.insert("resolver".into(), "3".into());
    ws.insert(
        "members".into(),
        toml::Value::Array(
            members
                .iter()
                .map(|m| toml::Value::from(m.as_str()))
                .collect(),
        ),
    );
    t.insert("workspace".into(), toml::Value::Table(ws));
    // Same profiles as the course workspace, so the shared target dir's dependency
    // builds are reused; no incremental caches for the throw-away packages.
    let mut profile = root
        .get("profile")
        .and_then(|p| p.as_table())
        .cloned()
        .unwrap_or_default();
    let dev = profile
        .entry("dev")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(dev) = dev.as_table_mut() {
        dev.insert("incremental".into(), false.into());
    }
    t.insert("profile".into(), toml::Value::Table(profile));
    Ok(format!(
        "# generated by course-grader; rewritten on every run\n{}",
        toml::to_string(&t).map_err(|e| e.to_string())?
    ))
}

fn package_toml(course: &Course, pkg: &str) -> Result<String, String> {
    let root_toml = std::fs::read_to_string(course.root.join("Cargo.toml"))
        .map_err(|e| format!("root Cargo.toml: {e}"))?;
    let root: toml::Table =
        toml::from_str(&root_toml).map_err(|e| format!("root Cargo.toml: {e}"))?;
    let deps = root
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    let mut d = toml::Table::new();
    let mut g = toml::Table::new();
    g.insert(
        "path".into(),
        course.root.join("gmcourse").display().to_string().into(),
    );
    d.insert("gmcourse".into(), toml::Value::Table(g));
    // the crates a lesson file may use (solutions/Cargo.toml), and what the wire of the
    // course's types needs (src/wire_gmcourse.rs)
    for name in ["rand", "rand_distr", "candle-core", "candle-nn", "ndarray"] {
        if let Some(v) = deps.and_then(|d| d.get(name)) {
            d.insert(name.into(), v.clone());
        }
    }
    let mut p = toml::Table::new();
    p.insert("name".into(), pkg.into());
    p.insert("version".into(), "0.0.0".into());
    p.insert("edition".into(), "2024".into());
    p.insert("publish".into(), false.into());
    let mut t = toml::Table::new();
    t.insert("package".into(), toml::Value::Table(p));
    t.insert("dependencies".into(), toml::Value::Table(d));
    toml::to_string(&t).map_err(|e| e.to_string())
}

fn fingerprint(path: &Path) -> Option<(u64, u64, u64, i64)> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.file_type().is_file().then(|| {
        (
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime_nsec() + m.mtime() * 1_000_000_000,
        )
    })
}

/// Holds `build/<label>/` for one run until the returned file is dropped. Every run deletes
/// and rewrites that folder, so a second run at the same time (a notebook's `:check` while
/// `./course watch` checks, or two `./course grade` in one course folder) waits here for the
/// first to finish, saying so once, instead of deleting the first one's packages under it.
fn lock_scratch(scratch: &Path) -> Result<std::fs::File, String> {
    let path = scratch.with_extension("lock");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if file.try_lock().is_err() {
        eprintln!(
            "another run is using {} in this course folder: waiting for it to finish",
            scratch.display()
        );
        file.lock()
            .map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    }
    Ok(file)
}

/// Grades every submission on the configured lessons.
pub fn grade(
    course: &Course,
    subs: &[Submission],
    cfg: &GradeConfig,
) -> Result<(Vec<SubmissionReport>, Timings), String> {
    let scratch = course.root.join("build").join(&cfg.label);
    let _lock = lock_scratch(&scratch)?;
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)
            .map_err(|e| format!("cannot clear {}: {e}", scratch.display()))?;
    }
    std::fs::create_dir_all(scratch.join("cwd"))
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut units = Vec::new();
    // Per lesson: its tests, the test texts, and the interface (the solution's items).
    let mut lessons: BTreeMap<String, LessonPlan> = BTreeMap::new();
    for lesson in &cfg.lessons {
        let tests = lesson_tests(course, lesson, cfg.public, cfg.hidden)?;
        let public = std::fs::read_to_string(public_path(course, lesson, cfg.public))
            .map_err(|e| e.to_string())?;
        let hidden = match cfg.hidden {
            Hidden::Run => Some(
                std::fs::read_to_string(course.test_file(lesson, Visibility::Hidden))
                    .map_err(|e| e.to_string())?,
            ),
            Hidden::Skip => None,
        };
        lessons.insert(
            lesson.id.clone(),
            LessonPlan {
                tests,
                public,
                hidden,
                items: None,
                judge_pkg: format!("{}_judge_l{}", sanitize(&cfg.label), lesson.id),
                judge: None,
                judge_error: None,
            },
        );
    }
    let mut members = Vec::new();
    let write = |dir: &Path, rel: &str, text: &str| -> Result<(), String> {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    for (si, sub) in subs.iter().enumerate() {
        for lesson in &cfg.lessons {
            if sub.only.as_ref().is_some_and(|o| !o.contains(&lesson.id)) {
                continue;
            }
            let plan = lessons.get_mut(&lesson.id).ok_or("lesson plan missing")?;
            let pkg = format!(
                "{}{}_{}_l{}",
                sanitize(&cfg.label),
                si,
                sanitize(&sub.name),
                lesson.id
            );
            let mut unit = Unit {
                sub: si,
                lesson: lesson.clone(),
                pkg: pkg.clone(),
                tests: plan.tests.clone(),
                compile_error: None,
                exe: None,
                serves: None,
            };
            match read_submission_file(&sub.dir, &lesson.module) {
                Err(why) => unit.compile_error = Some(why),
                Ok(src) => {
                    let scanned = if sub.skip_scan {
                        None
                    } else {
                        policy::violation(&src, &lesson.forbidden, &lesson.id)
                    };
                    if let Some(v) = scanned {
                        unit.compile_error = Some(format!("src/{}.rs: {v}", lesson.module));
                    } else {
                        if plan.items.is_none() {
                            // the interface: the reference solution, or (a student's own
                            // check without solutions/) the student's file itself
                            let sol = course.solution_file(lesson);
                            let text = match std::fs::read_to_string(&sol) {
                                Ok(t) => t,
                                Err(_) if cfg.public == PublicTests::Exercises => src.clone(),
                                Err(e) => return Err(format!("{}: {e}", sol.display())),
                            };
                            let items = judge::parse_items(&text)
                                .map_err(|e| format!("{}: {e}", sol.display()))?;
                            let dir = scratch.join(&plan.judge_pkg);
                            write(&dir, "Cargo.toml", &package_toml(course, &plan.judge_pkg)?)?;
                            write(
                                &dir,
                                &format!("src/{}.rs", lesson.module),
                                &judge::proxy_module(&lesson.id, &items),
                            )?;
                            write(
                                &dir,
                                "src/main.rs",
                                &judge::judge_main(
                                    &lesson.module,
                                    &items,
                                    &plan.tests,
                                    plan.hidden.is_some(),
                                ),
                            )?;
                            write(&dir, "src/wire.rs", judge::WIRE_RS)?;
                            write(&dir, "src/wire_gmcourse.rs", judge::WIRE_GMCOURSE_RS)?;
                            write(
                                &dir,
                                "src/public_tests.rs",
                                &harness_tests_module(&plan.public, &plan.tests),
                            )?;
                            if let Some(h) = &plan.hidden {
                                write(
                                    &dir,
                                    "src/hidden_tests.rs",
                                    &harness_tests_module(h, &plan.tests),
                                )?;
                            }
                            members.push(plan.judge_pkg.clone());
                            plan.items = Some(items);
                        }
                        let items = plan.items.as_ref().ok_or("interface missing")?;
                        let dir = scratch.join(&pkg);
                        write(&dir, &format!("src/{}.rs", lesson.module), &src)?;
                        write(
                            &dir,
                            "src/main.rs",
                            &judge::server_main(&lesson.module, items, &lesson.trusted),
                        )?;
                        write(&dir, "src/wire.rs", judge::WIRE_RS)?;
                        write(&dir, "src/wire_gmcourse.rs", judge::WIRE_GMCOURSE_RS)?;
                    }
                }
            }
            units.push(unit);
        }
    }
    // Each submission with two or more lessons to build also gets a combined package:
    // every lesson's module and dispatch table in one server (`judge::combined_server_main`).
    let mut combined: Vec<(String, Vec<usize>)> = Vec::new();
    for (si, sub) in subs.iter().enumerate() {
        let us: Vec<usize> = (0..units.len())
            .filter(|&u| units[u].sub == si && units[u].compile_error.is_none())
            .collect();
        if us.len() < 2 {
            continue;
        }
        let pkg = format!("{}{}_{}_all", sanitize(&cfg.label), si, sanitize(&sub.name));
        let dir = scratch.join(&pkg);
        let mut parts = Vec::new();
        for &u in &us {
            let unit = &units[u];
            let plan = lessons.get(&unit.lesson.id).ok_or("lesson plan missing")?;
            let items = plan.items.as_ref().ok_or("interface missing")?;
            let rel = format!("src/{}.rs", unit.lesson.module);
            let src = std::fs::read_to_string(scratch.join(&unit.pkg).join(&rel))
                .map_err(|e| format!("{rel}: {e}"))?;
            write(&dir, &rel, &src)?;
            parts.push(judge::ServerLesson {
                id: &unit.lesson.id,
                module: &unit.lesson.module,
                items,
                trusted: &unit.lesson.trusted,
            });
        }
        write(&dir, "src/main.rs", &judge::combined_server_main(&parts))?;
        write(&dir, "src/wire.rs", judge::WIRE_RS)?;
        write(&dir, "src/wire_gmcourse.rs", judge::WIRE_GMCOURSE_RS)?;
        combined.push((pkg, us));
    }
    let mut timings = Timings::default();
    let t0 = Instant::now();
    if !members.is_empty() {
        std::fs::write(
            scratch.join("Cargo.toml"),
            workspace_toml(course, &members)?,
        )
        .map_err(|e| e.to_string())?;
        let _ = std::fs::copy(course.root.join("Cargo.lock"), scratch.join("Cargo.lock"));
        let (built, artifacts) = cargo_build(course, &scratch, cfg)?;
        for plan in lessons.values_mut().filter(|p| p.items.is_some()) {
            let dir = scratch.join(&plan.judge_pkg);
            match built.get(&dir) {
                Some(b) if b.exe.is_some() => {
                    let exe = b.exe.clone().unwrap_or_default();
                    plan.judge = fingerprint(&exe).map(|fp| (exe, fp));
                }
                Some(b) => plan.judge_error = Some(b.errors.join("\n")),
                None => plan.judge_error = Some("no compiler output".into()),
            }
            // The hidden tests' source is not needed any more.
            let _ = std::fs::remove_file(dir.join("src/hidden_tests.rs"));
            if let Some(e) = &plan.judge_error {
                // the judge is built from trusted files only: this is the course's bug
                return Err(format!(
                    "the judge of lesson {} does not compile (a grader or test bug, not the student's):\n{e}",
                    plan.judge_pkg
                ));
            }
        }
        // The servers: the student's code, compiled by rustc in a sandbox of its own. A
        // submission with several lessons first gets one server for them all (one compile
        // and one link: most of a class's grading time otherwise); if that does not
        // compile, each lesson is compiled alone, so an error in one lesson costs only
        // that lesson and the messages name it.
        let tc = compile::Toolchain::prepare(&course.root, &scratch.join("deps"), &artifacts)?;
        // outside build/<label>/, which every run deletes; seen by no sandbox
        let cache = course.root.join("build/server-cache");
        let compile_all = |pkgs: &[String]| -> Vec<Result<PathBuf, String>> {
            let next = AtomicUsize::new(0);
            let done: Mutex<BTreeMap<usize, Result<PathBuf, String>>> = Mutex::new(BTreeMap::new());
            std::thread::scope(|s| {
                for _ in 0..cfg.jobs.max(1) {
                    let (next, done, tc, scratch, cache) = (&next, &done, &tc, &scratch, &cache);
                    s.spawn(move || {
                        loop {
                            let i = next.fetch_add(1, Ordering::SeqCst);
                            let Some(pkg) = pkgs.get(i) else { break };
                            let r = compile::compile_server(
                                tc,
                                &scratch.join(pkg),
                                pkg,
                                &cfg.sandbox,
                                cache,
                            );
                            if let Ok(mut d) = done.lock() {
                                d.insert(i, r);
                            }
                        }
                    });
                }
            });
            let mut done = done.into_inner().unwrap_or_default();
            (0..pkgs.len())
                .map(|i| {
                    done.remove(&i)
                        .unwrap_or_else(|| Err("the compile did not run".into()))
                })
                .collect()
        };
        let with_fp = |r: Result<PathBuf, String>| {
            r.and_then(|exe| {
                fingerprint(&exe)
                    .map(|fp| (exe, fp))
                    .ok_or_else(|| "the built exercise binary is missing".to_string())
            })
        };
        let combined_pkgs: Vec<String> = combined.iter().map(|(pkg, _)| pkg.clone()).collect();
        for ((_, us), r) in combined.iter().zip(compile_all(&combined_pkgs)) {
            if let Ok((exe, fp)) = with_fp(r) {
                for &u in us {
                    units[u].exe = Some((exe.clone(), fp));
                    units[u].serves = Some(format!("l{}", units[u].lesson.id));
                }
            }
        }
        let todo: Vec<usize> = (0..units.len())
            .filter(|&u| units[u].compile_error.is_none() && units[u].exe.is_none())
            .collect();
        let pkgs: Vec<String> = todo.iter().map(|&u| units[u].pkg.clone()).collect();
        for (&u, r) in todo.iter().zip(compile_all(&pkgs)) {
            match with_fp(r) {
                Ok(e) => units[u].exe = Some(e),
                Err(e) => units[u].compile_error = Some(e),
            }
        }
    }
    timings.build = t0.elapsed();

    // Run every test of every built unit in a pool of worker threads.
    let t1 = Instant::now();
    let tasks: Vec<(usize, usize)> = units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.exe.is_some())
        .flat_map(|(ui, u)| (0..u.tests.len()).map(move |ti| (ui, ti)))
        .collect();
    timings.tests = tasks.len();
    let next = AtomicUsize::new(0);
    let results: Mutex<BTreeMap<(usize, usize), (Status, String, String, u128)>> =
        Mutex::new(BTreeMap::new());
    let cwd = scratch.join("cwd");
    std::thread::scope(|s| {
        for _ in 0..cfg.jobs.max(1) {
            let (next, tasks, units, results, cwd, lessons) =
                (&next, &tasks, &units, &results, &cwd, &lessons);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&(ui, ti)) = tasks.get(i) else { break };
                    let unit = &units[ui];
                    let test = &unit.tests[ti];
                    let started = Instant::now();
                    let judge = lessons.get(&unit.lesson.id).and_then(|p| p.judge.as_ref());
                    let (status, message) = match (judge, &unit.exe) {
                        (Some((jexe, jfp)), Some((exe, fp)))
                            if fingerprint(exe).as_ref() == Some(fp)
                                && fingerprint(jexe).as_ref() == Some(jfp) =>
                        {
                            let pair = Pair {
                                judge: jexe,
                                server: exe,
                                serves: unit.serves.as_deref(),
                            };
                            let limits = test.limits(&course.limits);
                            run_test(&pair, &test.key(), cwd, &limits, &cfg.sandbox, i)
                        }
                        _ => (
                            Status::Crash,
                            "a test binary was modified or removed during grading".to_string(),
                        ),
                    };
                    let shown = student_message(test, status, message.clone());
                    if let Ok(mut r) = results.lock() {
                        let ms = started.elapsed().as_millis();
                        r.insert((ui, ti), (status, shown, message, ms));
                    }
                }
            });
        }
    });
    timings.run = t1.elapsed();
    let results = results.into_inner().unwrap_or_default();

    let mut reports: Vec<SubmissionReport> = subs
        .iter()
        .map(|s| SubmissionReport {
            name: s.name.clone(),
            results: Vec::new(),
            compile_errors: BTreeMap::new(),
            sandbox: cfg.sandbox.describe(),
        })
        .collect();
    for (ui, unit) in units.iter().enumerate() {
        let rep = &mut reports[unit.sub];
        if let Some(err) = &unit.compile_error {
            rep.compile_errors
                .insert(unit.lesson.id.clone(), err.clone());
        }
        for (ti, test) in unit.tests.iter().enumerate() {
            let (status, message, raw, millis) = match &unit.compile_error {
                Some(_) => {
                    let m = format!(
                        "lesson {} did not compile; see the compiler output",
                        unit.lesson.id
                    );
                    (Status::CompileError, m.clone(), m, 0)
                }
                None => results.get(&(ui, ti)).cloned().unwrap_or((
                    Status::Crash,
                    "the test did not run".into(),
                    String::new(),
                    0,
                )),
            };
            rep.results.push(TestResult {
                lesson: unit.lesson.id.clone(),
                test: test.clone(),
                status,
                message,
                raw,
                millis,
            });
        }
    }
    Ok((reports, timings))
}

/// Largest submitted source file read (a lesson's solution is a few KB).
const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// Reads `<dir>/src/<module>.rs` of an untrusted submission: a regular file, not a
/// symbolic link (at either level), at most [`MAX_SOURCE_BYTES`]. Nothing else in the
/// folder is opened.
pub fn read_submission_file(dir: &Path, module: &str) -> Result<String, String> {
    let rel = format!("src/{module}.rs");
    let src_dir = dir.join("src");
    let file = src_dir.join(format!("{module}.rs"));
    for p in [&src_dir, &file] {
        match std::fs::symlink_metadata(p) {
            Err(_) => return Err(format!("{rel} is missing from the submission")),
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "{rel}: the submission has a symbolic link where a source file or folder \
                     should be; submit the file itself"
                ));
            }
            Ok(_) => {}
        }
    }
    let meta = std::fs::symlink_metadata(&file).map_err(|e| format!("{rel}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{rel} is not a regular file"));
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(format!(
            "{rel} is {} bytes; the grader reads source files of at most {MAX_SOURCE_BYTES} bytes",
            meta.len()
        ));
    }
    let mut text = String::new();
    std::fs::File::open(&file)
        .and_then(|f| f.take(MAX_SOURCE_BYTES).read_to_string(&mut text))
        .map_err(|e| format!("{rel} cannot be read as UTF-8 text: {e}"))?;
    Ok(text)
}

#[derive(Debug, Default)]
struct Built {
    exe: Option<PathBuf>,
    errors: Vec<String>,
}

fn cargo_build(
    course: &Course,
    scratch: &Path,
    cfg: &GradeConfig,
) -> Result<(BTreeMap<PathBuf, Built>, compile::Artifacts), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--offline",
            "--keep-going",
            "--message-format=json",
        ])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .arg("-j")
        .arg(cfg.jobs.max(1).to_string())
        .env("CARGO_TARGET_DIR", target_dir(course))
        .env_remove("RUSTFLAGS")
        .stdin(Stdio::null())
        .stderr(if cfg.quiet {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut built: BTreeMap<PathBuf, Built> = BTreeMap::new();
    let mut artifacts = compile::Artifacts::default();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        artifacts.note(&v, scratch);
        let Some(manifest) = v.get("manifest_path").and_then(|m| m.as_str()) else {
            continue;
        };
        let dir = Path::new(manifest)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if !dir.starts_with(scratch) {
            continue;
        }
        match v.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-artifact") => {
                if let Some(exe) = v.get("executable").and_then(|e| e.as_str()) {
                    built.entry(dir).or_default().exe = Some(PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                let msg = &v["message"];
                if msg.get("level").and_then(|l| l.as_str()) != Some("error") {
                    continue;
                }
                let in_hidden = msg["spans"].as_array().into_iter().flatten().any(|s| {
                    s.get("file_name")
                        .and_then(|f| f.as_str())
                        .is_some_and(|f| f.ends_with("hidden_tests.rs"))
                });
                let text = if in_hidden {
                    format!(
                        "error: {} (inside a hidden test; check that your function's signature and return type are unchanged)",
                        msg.get("message").and_then(|m| m.as_str()).unwrap_or("?")
                    )
                } else {
                    msg.get("rendered")
                        .and_then(|m| m.as_str())
                        .unwrap_or("?")
                        .to_string()
                };
                let e = &mut built.entry(dir).or_default().errors;
                if e.len() < 8 {
                    e.push(text);
                }
            }
            _ => {}
        }
    }
    if built.is_empty() && !out.status.success() {
        return Err(format!(
            "cargo build of the scratch workspace failed before compiling anything:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok((built, artifacts))
}

const OUTPUT_CAP: usize = 64 * 1024;

/// Output read so far from a pipe (its last `OUTPUT_CAP`-odd bytes), and a signal when
/// the pipe reached its end.
struct Tail {
    buf: std::sync::Arc<Mutex<Vec<u8>>>,
    done: std::sync::mpsc::Receiver<()>,
}

impl Tail {
    /// What was read, after waiting until `deadline` at most for the pipe to close.
    fn take(self, deadline: Instant) -> Vec<u8> {
        let _ = self
            .done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()));
        self.buf.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

fn tail_reader<R: Read + Send + 'static>(mut r: R) -> Tail {
    let buf = std::sync::Arc::new(Mutex::new(Vec::new()));
    let (tx, done) = std::sync::mpsc::channel();
    let shared = buf.clone();
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if let Ok(mut buf) = shared.lock() {
                        buf.extend_from_slice(&chunk[..n]);
                        if buf.len() > 2 * OUTPUT_CAP {
                            let cut = buf.len() - OUTPUT_CAP;
                            buf.drain(..cut);
                        }
                    }
                }
            }
        }
        let _ = tx.send(());
    });
    Tail { buf, done }
}

/// The two binaries of one test: the trusted judge (the tests) and the exercise server
/// (the student's code).
pub struct Pair<'a> {
    pub judge: &'a Path,
    pub server: &'a Path,
    /// The lesson a combined server is to serve (its first argument), `None` for a
    /// one-lesson server.
    pub serves: Option<&'a str>,
}

fn limit_and_detach(cmd: &mut Command, limits: Option<(u64, u64, u64, u64)>) {
    // SAFETY: only async-signal-safe calls (setsid, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setsid();
            if let Some((mem, cpu, fsize, nproc)) = limits {
                let set = |res, v: u64| {
                    let lim = libc::rlimit {
                        rlim_cur: v as libc::rlim_t,
                        rlim_max: v as libc::rlim_t,
                    };
                    libc::setrlimit(res, &lim)
                };
                set(libc::RLIMIT_AS, mem);
                set(libc::RLIMIT_CPU, cpu);
                set(libc::RLIMIT_FSIZE, fsize);
                set(libc::RLIMIT_CORE, 0);
                if nproc > 0 {
                    set(libc::RLIMIT_NPROC, nproc);
                }
            }
            Ok(())
        });
    }
}

/// Whether `pid` has exited, without reaping it (so that its process group id cannot be
/// reused before we kill the group).
fn has_exited(pid: i32) -> bool {
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    r != 0 || unsafe { info.si_pid() } != 0
}

fn kill_group(pid: i32) {
    // In the sandbox, killing bubblewrap ends its PID namespace, and with it every process
    // the student's code made.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
        libc::kill(pid, libc::SIGKILL);
    }
}

/// Runs one test: the exercise server (the student's code) in `sandbox` under the user id
/// of `slot` (one per test of a run, so that one test's processes never count against
/// another's) with rlimits, and the judge outside it, connected through the server's
/// stdin and stdout. The verdict is the judge's `VERDICT` line on its own stderr, which
/// no student code can reach. The grader never waits past the time limit (plus a short
/// grace for the output), whatever the server's processes hold open.
pub fn run_test(
    pair: &Pair,
    key: &str,
    cwd: &Path,
    limits: &Limits,
    sandbox: &Sandbox,
    slot: usize,
) -> (Status, String) {
    let timeout = Duration::from_millis(limits.timeout_ms);
    let mem = limits.memory_mb * 1024 * 1024;
    let cpu = limits.timeout_ms / 1000 + 2;
    // Inside the sandbox only the private, capped /tmp is writable; outside, nothing.
    let (fsize, nproc) = if sandbox.is_sandboxed() {
        // the tmpfs fills (ENOSPC, an error the code sees) before the file-size limit kills
        (2 * sandbox::TMP_BYTES, sandbox::process_cap())
    } else {
        (0, 0)
    };
    let args: Vec<&str> = pair.serves.into_iter().collect();
    let mut scmd = sandbox.command(pair.server, &args, slot);
    scmd.current_dir(cwd)
        .env_clear()
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    limit_and_detach(&mut scmd, Some((mem, cpu, fsize, nproc)));
    let mut server = match scmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return (
                Status::Crash,
                format!("the exercise process could not start: {e}"),
            );
        }
    };
    let spid = server.id() as i32;
    let (Some(to_server), Some(from_server)) = (server.stdin.take(), server.stdout.take()) else {
        kill_group(spid);
        let _ = server.wait();
        return (Status::Crash, "the exercise process has no pipes".into());
    };
    let mut jcmd = Command::new(pair.judge);
    jcmd.arg(key)
        .current_dir(cwd)
        .env_clear()
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::from(from_server))
        .stdout(Stdio::from(to_server))
        .stderr(Stdio::piped());
    limit_and_detach(&mut jcmd, None);
    let judge = jcmd.spawn();
    // the grader keeps no end of the server's pipes: the judge holds them alone
    drop(jcmd);
    let mut judge = match judge {
        Ok(j) => j,
        Err(e) => {
            kill_group(spid);
            let _ = server.wait();
            return (Status::Crash, format!("the judge could not start: {e}"));
        }
    };
    let jpid = judge.id() as i32;
    let verdict_h = judge.stderr.take().map(tail_reader);
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    while !has_exited(jpid) {
        if Instant::now() >= deadline {
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    kill_group(jpid);
    let _ = judge.wait();
    let grace = Instant::now() + Duration::from_millis(200);
    let verdict = verdict_h.map(|t| t.take(grace)).unwrap_or_default();
    let verdict = String::from_utf8_lossy(&verdict);
    let verdict = verdict
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("VERDICT "))
        .unwrap_or("")
        .to_string();
    // The server broke off: give it a moment to be reaped, to say how it ended.
    if verdict == "gone" {
        let until = Instant::now() + Duration::from_millis(200);
        while !has_exited(spid) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let server_ended = has_exited(spid);
    kill_group(spid);
    let server_status = server.wait();
    if timed_out {
        return (
            Status::Timeout,
            format!(
                "the test took longer than {:.1} s and was stopped (an infinite loop?)",
                timeout.as_secs_f64()
            ),
        );
    }
    let (kind, text) = verdict.split_once(' ').unwrap_or((verdict.as_str(), ""));
    match kind {
        "pass" => (Status::Pass, String::new()),
        "fail" | "panic" => (Status::Fail, unescape(text)),
        "bad_reply" => (
            Status::Crash,
            format!(
                "the exercise process broke the protocol: {}",
                unescape(text)
            ),
        ),
        "gone" => {
            let how = match (server_ended, server_status) {
                (true, Ok(s)) => ended_how(s, sandbox.is_sandboxed()),
                _ => "the exercise process stopped answering".to_string(),
            };
            (Status::Crash, how)
        }
        _ => (
            Status::Crash,
            "the judge ended without a verdict (a grader bug: please report it)".to_string(),
        ),
    }
}

/// How the exercise process ended, in the grader's words. Bubblewrap reports a child
/// killed by signal N as exit code 128 + N.
fn ended_how(s: std::process::ExitStatus, sandboxed: bool) -> String {
    let signal = s
        .signal()
        .or_else(|| s.code().filter(|&c| sandboxed && c > 128).map(|c| c - 128));
    match (s.code(), signal) {
        (_, Some(libc::SIGABRT)) => {
            "the process aborted (abort(), a failed allocation or a stack overflow)".to_string()
        }
        (_, Some(libc::SIGSEGV)) => {
            "the process crashed with a segmentation fault (a stack overflow?)".to_string()
        }
        (_, Some(libc::SIGXCPU)) => "the process used up its CPU time limit".to_string(),
        (_, Some(libc::SIGXFSZ)) => {
            "the process tried to write a file (not allowed during grading)".to_string()
        }
        (_, Some(sig)) => format!("the process was killed by signal {sig}"),
        (Some(0), _) => {
            "the process exited with code 0 before the test finished (std::process::exit?)"
                .to_string()
        }
        (Some(c), _) => format!("the process exited with code {c} before the test finished"),
        _ => "the process ended abnormally".to_string(),
    }
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub use course_contract::truncate;

/// Longest message of a public test shown to the student.
const PUBLIC_MESSAGE_CAP: usize = 600;

/// What the student may read about a result. A hidden test shows only the kind of failure,
/// in the grader's words: never its code, its expected values, or any text the tested code
/// produced (which could carry whatever that code read). A public test may show the
/// panic message, capped.
fn student_message(test: &TestCase, status: Status, message: String) -> String {
    if test.visibility == Visibility::Public {
        return truncate(&message, PUBLIC_MESSAGE_CAP);
    }
    match status {
        Status::Pass => String::new(),
        Status::Fail => {
            "wrong value, or the code panicked (a hidden test shows no details)".to_string()
        }
        // the grader's own words: the time limit, or how the process ended
        Status::Timeout | Status::CompileError => message,
        Status::Crash => message
            .split("; stderr:")
            .next()
            .unwrap_or("the test process crashed")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_tests_module_drops_test_attributes_and_rewrites_paths() {
        let t = vec![TestCase {
            name: "a_b".into(),
            exercise: "1.1".into(),
            points: 1,
            visibility: Visibility::Public,
            timeout_ms: None,
            memory_mb: None,
        }];
        let out = harness_tests_module(
            "use exercises::l01::*;\n#[test]\nfn a_b() {}\nfn helper() {}\n",
            &t,
        );
        assert!(out.contains("use crate::l01::*;"));
        assert!(out.contains("pub(crate) fn a_b()"));
        assert!(out.contains("\nfn helper()"), "helpers stay private");
        assert!(!out.contains("#[test]"));
    }

    #[test]
    fn hidden_tests_show_only_the_kind_of_failure_and_public_ones_a_capped_message() {
        let t = TestCase {
            name: "x".into(),
            exercise: "1.1".into(),
            points: 1,
            visibility: Visibility::Hidden,
            timeout_ms: None,
            memory_mb: None,
        };
        let m = student_message(
            &t,
            Status::Fail,
            "assertion failed: secret_fn(3) == 4".into(),
        );
        assert!(!m.contains("secret_fn") && m.contains("wrong value"), "{m}");
        // text the student's code printed never reaches a hidden test's feedback
        let leak =
            "the process exited with code 3 before the test finished; stderr: HIDDEN TEST SOURCE";
        let m = student_message(&t, Status::Crash, leak.into());
        assert!(
            !m.contains("HIDDEN") && m.contains("exited with code 3"),
            "{m}"
        );
        let p = TestCase {
            visibility: Visibility::Public,
            ..t
        };
        assert!(
            student_message(&p, Status::Fail, "assertion failed: f(3) == 4".into())
                .contains("f(3)")
        );
        let long = student_message(&p, Status::Fail, "x".repeat(5000));
        assert!(long.chars().count() <= PUBLIC_MESSAGE_CAP + 1);
    }

    #[test]
    fn a_second_run_in_the_same_folder_waits_for_the_first() {
        let scratch =
            std::env::temp_dir().join(format!("grader-lock-{}/check", std::process::id()));
        let first = lock_scratch(&scratch).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let scratch = scratch.clone();
            std::thread::spawn(move || {
                let _second = lock_scratch(&scratch).unwrap();
                tx.send(Instant::now()).unwrap();
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        assert!(rx.try_recv().is_err(), "the second run did not wait");
        let released = Instant::now();
        drop(first);
        let entered = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(entered >= released);
        waiter.join().unwrap();
        // another label is another folder: no waiting
        let _other = lock_scratch(&scratch.with_file_name("grade")).unwrap();
        let _ = std::fs::remove_dir_all(scratch.parent().unwrap());
    }

    #[test]
    fn a_submission_folder_is_read_as_untrusted_input() {
        let dir = std::env::temp_dir().join(format!("grader-sub-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/l01.rs"), "pub fn f() {}").unwrap();
        assert_eq!(read_submission_file(&dir, "l01").unwrap(), "pub fn f() {}");
        // a link to a file outside the submission (the hidden tests, say) is refused
        std::os::unix::fs::symlink("/etc/hostname", dir.join("src/l02.rs")).unwrap();
        assert!(
            read_submission_file(&dir, "l02")
                .unwrap_err()
                .contains("symbolic link")
        );
        // so is a linked src/ folder, and a huge file
        let other = std::env::temp_dir().join(format!("grader-sub-{}-other", std::process::id()));
        std::fs::create_dir_all(other.join("src")).unwrap();
        std::fs::write(other.join("src/l03.rs"), "x".repeat(2 << 20)).unwrap();
        assert!(
            read_submission_file(&other, "l03")
                .unwrap_err()
                .contains("at most")
        );
        let linked = std::env::temp_dir().join(format!("grader-sub-{}-linked", std::process::id()));
        std::fs::create_dir_all(&linked).unwrap();
        std::os::unix::fs::symlink(dir.join("src"), linked.join("src")).unwrap();
        assert!(
            read_submission_file(&linked, "l01")
                .unwrap_err()
                .contains("symbolic link")
        );
        assert!(
            read_submission_file(&dir, "l09")
                .unwrap_err()
                .contains("missing")
        );
        for d in [dir, other, linked] {
            let _ = std::fs::remove_dir_all(d);
        }
    }

    /// A one-lesson pair in a fresh temporary folder; `None` if the server does not compile.
    fn pair_with(
        tag: &str,
        interface: &str,
        student: &str,
        public: &str,
    ) -> Option<(PathBuf, PathBuf)> {
        trusted_pair_with(tag, interface, student, public, &[])
    }

    fn trusted_pair_with(
        tag: &str,
        interface: &str,
        student: &str,
        public: &str,
        trusted: &[String],
    ) -> Option<(PathBuf, PathBuf)> {
        let dir = std::env::temp_dir().join(format!("grader-pair-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        match judge::tiny_pair(&dir, interface, student, public, trusted) {
            Ok(p) => Some(p),
            Err(e) if e.starts_with("the server") => None,
            Err(e) => panic!("{e}"),
        }
    }

    const ANSWER: &str = "pub fn answer() -> u32 {\n    42\n}\n";
    const ANSWER_TEST: &str = "use exercises::l00_t::*;\n// exercise 0.1, 1 point\n#[test]\nfn answer_is_42() {\n    assert_eq!(answer(), 42, \"the answer\");\n}\n";

    fn harness_with(tag: &str, body: &str) -> Option<(PathBuf, PathBuf)> {
        let student = format!("pub fn answer() -> u32 {{\n{body}\n}}\n");
        pair_with(tag, ANSWER, &student, ANSWER_TEST)
    }

    fn run_pair(pair: &(PathBuf, PathBuf), key: &str) -> (Status, String) {
        let cwd = pair.0.parent().unwrap().parent().unwrap().to_path_buf();
        let limits = Limits {
            timeout_ms: 1500,
            memory_mb: 512,
        };
        let p = Pair {
            judge: &pair.0,
            server: &pair.1,
            serves: None,
        };
        run_test(&p, key, &cwd, &limits, &Sandbox::Unsandboxed, 0)
    }

    fn run(tag: &str, body: &str) -> Status {
        let pair = harness_with(tag, body).expect("the server compiles");
        let (status, _) = run_pair(&pair, "public::answer_is_42");
        let _ = std::fs::remove_dir_all(pair.0.parent().unwrap().parent().unwrap());
        status
    }

    #[test]
    fn a_detached_child_holding_the_pipes_does_not_stall_the_grader() {
        // unsandboxed (the worst case): the code spawns `sleep 30` in a new process group
        let t = Instant::now();
        let body = r#"use std::os::unix::process::CommandExt;
    let _ = std::process::Command::new("sleep").arg("30").process_group(0).spawn();
    42"#;
        assert_eq!(run("stall", body), Status::Pass);
        assert!(
            t.elapsed() < Duration::from_secs(6),
            "waited {:?}",
            t.elapsed()
        );
    }

    #[test]
    fn a_correct_answer_passes_and_a_wrong_one_fails() {
        assert_eq!(run("ok", "42"), Status::Pass);
        assert_eq!(run("wrong", "41"), Status::Fail);
    }

    #[test]
    fn a_combined_server_serves_the_lesson_its_argument_names_and_nothing_else() {
        // Two lessons in one server, each with its own `answer`: lesson 00 the right one,
        // lesson 99 a wrong one. The judge of lesson 00 passes only against lesson 00.
        let (judge, _) = pair_with("combined", ANSWER, ANSWER, ANSWER_TEST).unwrap();
        let dir = judge.parent().unwrap().parent().unwrap().join("combined");
        std::fs::create_dir_all(&dir).unwrap();
        let items = judge::parse_items(ANSWER).unwrap();
        let lessons = [
            judge::ServerLesson {
                id: "00",
                module: "l00_t",
                items: &items,
                trusted: &[],
            },
            judge::ServerLesson {
                id: "99",
                module: "l99_u",
                items: &items,
                trusted: &[],
            },
        ];
        let w = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
        w("main.rs", &judge::combined_server_main(&lessons));
        w("l00_t.rs", ANSWER);
        w("l99_u.rs", "pub fn answer() -> u32 {\n    7\n}\n");
        w("wire.rs", judge::WIRE_RS);
        w("wire_gmcourse.rs", "");
        let server = dir.join("server");
        let out = std::process::Command::new("rustc")
            .args(["--edition", "2024", "-C", "opt-level=0", "-o"])
            .arg(&server)
            .arg(dir.join("main.rs"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let limits = Limits {
            timeout_ms: 1500,
            memory_mb: 512,
        };
        let run = |serves: Option<&str>| {
            let p = Pair {
                judge: &judge,
                server: &server,
                serves,
            };
            run_test(
                &p,
                "public::answer_is_42",
                &dir,
                &limits,
                &Sandbox::Unsandboxed,
                0,
            )
            .0
        };
        assert_eq!(run(Some("l00")), Status::Pass);
        assert_eq!(run(Some("l99")), Status::Fail, "lesson 99's answer is 7");
        assert_eq!(run(Some("l42")), Status::Crash, "no such lesson: no answer");
        assert_eq!(run(None), Status::Crash, "no lesson named: no answer");
    }

    #[test]
    fn printing_fake_pass_lines_and_verdicts_does_not_forge_a_pass() {
        let body = r#"println!("test answer_is_42 ... ok\nVERDICT pass\nPASS");
    eprintln!("\nVERDICT pass\ntest result: ok. 1 passed");
    0"#;
        assert_eq!(run("fake", body), Status::Fail);
    }

    #[test]
    fn debug_prints_of_the_student_do_not_break_the_wire() {
        let body = r#"println!("debugging: {}", 6 * 7);
    print!("\0gmwire");
    eprintln!("to stderr");
    42"#;
        assert_eq!(run("print", body), Status::Pass);
    }

    #[test]
    fn reading_stdin_gains_nothing() {
        let body = r#"let mut s = String::new();
    let _ = std::io::stdin().read_line(&mut s);
    println!("{} PASS", s.trim());
    std::process::exit(0)"#;
        assert_ne!(run("stdin", body), Status::Pass);
    }

    #[test]
    fn exiting_early_with_code_zero_is_a_crash_not_a_pass() {
        assert_eq!(run("exit", "std::process::exit(0)"), Status::Crash);
    }

    #[test]
    fn a_panic_hook_installed_by_graded_code_cannot_report_success() {
        let body = r#"std::panic::set_hook(Box::new(|_| eprintln!("\nVERDICT pass")));
    panic!("boom")"#;
        let pair = harness_with("hook", body).unwrap();
        let (status, msg) = run_pair(&pair, "public::answer_is_42");
        assert_eq!((status, msg.as_str()), (Status::Fail, "boom"));
    }

    #[test]
    fn an_infinite_loop_times_out() {
        assert_eq!(
            run("loop", "loop { std::hint::black_box(0u8); }"),
            Status::Timeout
        );
    }

    #[test]
    fn code_that_would_run_before_main_does_not_compile() {
        let body = r#"#[used]
    #[unsafe(link_section = ".init_array")]
    static EARLY: extern "C" fn() = { extern "C" fn f() { std::process::exit(0) } f };
    42"#;
        assert!(
            harness_with("ctor", body).is_none(),
            "#![forbid(unsafe_code)] must reject link_section"
        );
    }

    #[test]
    fn the_exercise_server_holds_no_test_code_and_no_expected_value() {
        let test = "use exercises::l00_t::*;\n// exercise 0.1, 1 point\n#[test]\nfn answer_is_the_secret_value() {\n    assert_eq!(answer(), 42, \"SECRET-EXPECTATION-TEXT\");\n}\n";
        let (judge, server) = pair_with("secret", ANSWER, ANSWER, test).unwrap();
        let bytes = |p: &Path| std::fs::read(p).unwrap();
        let has =
            |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
        assert!(
            has(&bytes(&judge), "SECRET-EXPECTATION-TEXT"),
            "the judge holds the test"
        );
        for needle in ["SECRET-EXPECTATION-TEXT", "answer_is_the_secret_value"] {
            assert!(
                !has(&bytes(&server), needle),
                "the server binary contains {needle}"
            );
        }
        let _ = std::fs::remove_dir_all(judge.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn closures_are_called_back_in_the_judge_and_structs_cross_the_wire() {
        let interface = "#[derive(Debug, Clone, PartialEq)]\npub struct M {\n    pub pi: f64,\n    pub mu: [f64; 2],\n}\n\n#[derive(Debug, Clone, Copy, PartialEq)]\npub enum K {\n    A,\n    B,\n}\n\npub fn step(x: f64, log_p: &dyn Fn(f64) -> f64) -> f64 {\n    log_p(x)\n}\n\npub fn shift(m: &M, k: K, xs: &[f64]) -> Result<(M, Vec<f64>), String> {\n    todo!()\n}\n";
        let student = "#[derive(Debug, Clone, PartialEq)]\npub struct M {\n    pub pi: f64,\n    pub mu: [f64; 2],\n}\n#[derive(Debug, Clone, Copy, PartialEq)]\npub enum K {\n    A,\n    B,\n}\npub fn step(x: f64, log_p: &dyn Fn(f64) -> f64) -> f64 {\n    log_p(x) + log_p(2.0 * x)\n}\npub fn shift(m: &M, k: K, xs: &[f64]) -> Result<(M, Vec<f64>), String> {\n    if xs.is_empty() { return Err(\"empty\".into()); }\n    let d = if k == K::B { 1.0 } else { 0.0 };\n    Ok((M { pi: m.pi, mu: [m.mu[0] + d, f64::NAN] }, xs.iter().map(|x| x + d).collect()))\n}\n";
        let tests = "use exercises::l00_t::*;\n// exercise 0.1, 1 point\n#[test]\nfn step_calls_log_p_twice() {\n    let calls = std::cell::Cell::new(0);\n    let f = |t: f64| { calls.set(calls.get() + 1); t * 10.0 };\n    assert_eq!(step(1.5, &f), 45.0);\n    assert_eq!(calls.get(), 2);\n}\n// exercise 0.2, 1 point\n#[test]\nfn shift_moves_by_one_for_b() {\n    let m = M { pi: 0.25, mu: [1.0, 2.0] };\n    let (m2, v) = shift(&m, K::B, &[1.0, f64::INFINITY]).unwrap();\n    assert_eq!((m2.pi, m2.mu[0]), (0.25, 2.0));\n    assert!(m2.mu[1].is_nan());\n    assert_eq!(v, vec![2.0, f64::INFINITY]);\n    assert_eq!(shift(&m, K::A, &[]), Err(\"empty\".to_string()));\n}\n";
        let pair = pair_with("cb", interface, student, tests).expect("the server compiles");
        for key in [
            "public::step_calls_log_p_twice",
            "public::shift_moves_by_one_for_b",
        ] {
            let (status, msg) = run_pair(&pair, key);
            assert_eq!(status, Status::Pass, "{key}: {msg}");
        }
        // a student type that lost a field does not compile into the server
        let broken = student.replace(
            "    pub mu: [f64; 2],\n}\n#[derive(Debug, Clone, Copy",
            "}\n#[derive(Debug, Clone, Copy",
        );
        assert!(pair_with("cb-broken", interface, &broken, tests).is_none());
        let _ = std::fs::remove_dir_all(pair.0.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn trusted_plumbing_runs_the_course_copy_whatever_the_submission_says() {
        // `train` is the lesson's plumbing: it calls the student's `step` three times.
        let interface = "pub fn step(x: f64) -> f64 {\n    // BEGIN SOLUTION\n    x + 1.0\n    // END SOLUTION\n}\n\npub fn train(x: f64) -> f64 {\n    step(step(step(x)))\n}\n";
        let tests = "use exercises::l00_t::*;\n// exercise 0.1, 1 point\n#[test]\nfn three_steps_from_zero_reach_three() {\n    assert_eq!(train(0.0), 3.0);\n}\n";
        let trusted = ["train".to_string()];
        let honest = "pub fn step(x: f64) -> f64 {\n    x + 1.0\n}\npub fn train(x: f64) -> f64 {\n    step(step(step(x)))\n}\n";
        // a wrong `step` and a `train` rewritten to return the expected value anyway
        let forged =
            "pub fn step(x: f64) -> f64 {\n    x\n}\npub fn train(x: f64) -> f64 {\n    3.0\n}\n";
        let key = "public::three_steps_from_zero_reach_three";
        for (tag, student, want) in [
            ("trusted-honest", honest, Status::Pass),
            ("trusted-forged", forged, Status::Fail),
        ] {
            let pair = trusted_pair_with(tag, interface, student, tests, &trusted)
                .expect("the server compiles");
            assert_eq!(run_pair(&pair, key).0, want, "{tag}");
            let _ = std::fs::remove_dir_all(pair.0.parent().unwrap().parent().unwrap());
        }
        // without the manifest's `trusted`, the forged plumbing would have passed
        let pair = pair_with("untrusted-forged", interface, forged, tests).unwrap();
        assert_eq!(run_pair(&pair, key).0, Status::Pass);
        let _ = std::fs::remove_dir_all(pair.0.parent().unwrap().parent().unwrap());
    }
}
