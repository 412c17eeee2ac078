//! `validate`: the dev check CI runs.
//!
//! 1. the manifest and test markers agree (`Course::lint`);
//! 2. `exercises/` is in sync with the generator;
//! 3. the solutions score 100 %;
//! 4. the freshly generated stubs score 0, every test failing with its `todo!()`;
//! 5. each hostile fixture in `solutions/hostile/*.toml` is graded exactly as it states;
//! 6. the lessons' content: sections, named paths, exercise tables, prose numbers
//!    ([`crate::content`]).
//!
//! Everything is graded in one run, so one `cargo build` compiles all scratch crates.

use crate::generate;
use crate::grade::{self, GradeConfig, Hidden, PublicTests, Status, Submission};
use crate::manifest::Course;
use course_contract::render;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A hostile submission: the solutions with some function bodies replaced.
#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    pub description: String,
    /// Harmful outside a sandbox (it deletes files, floods processes, …): run only sandboxed.
    #[serde(default)]
    pub needs_sandbox: bool,
    /// Plays a hole in the grader's token scan (`policy.rs`): the submission skips it, so
    /// that the sandbox of the build is what stops the attack. `@COURSE_ROOT@` in a body
    /// is replaced by the course's absolute path.
    #[serde(default)]
    pub past_the_scan: bool,
    /// Lessons to grade (default: the lessons of the patches).
    pub lessons: Option<Vec<String>>,
    pub patch: Vec<Patch>,
    /// Exercise id ("1.1") or lesson id ("01") → expected status of each of its tests;
    /// every other test of the graded lessons must pass.
    pub expect: BTreeMap<String, String>,
    /// What to expect instead when validate runs with `--no-sandbox`, where it differs.
    #[serde(default)]
    pub expect_without_sandbox: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Patch {
    pub lesson: String,
    pub function: String,
    pub body: String,
}

/// Replaces the solution block of `function` in `src` by `body`.
pub fn patch_source(src: &str, function: &str, body: &str) -> Result<String, String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut skipping = false;
    let mut done = false;
    for line in src.lines() {
        let t = line.trim();
        if skipping {
            if t == generate::END {
                skipping = false;
            }
            continue;
        }
        if let Some(n) = generate::fn_name(t) {
            current = Some(n);
        }
        if t == generate::BEGIN && current.as_deref() == Some(function) && !done {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            out.extend(body.trim_end().lines().map(|l| format!("{indent}{l}")));
            skipping = true;
            done = true;
            continue;
        }
        out.push(line.to_string());
    }
    if !done {
        return Err(format!("no solution block in function `{function}`"));
    }
    Ok(out.join("\n") + "\n")
}

pub fn load_fixtures(course: &Course) -> Result<Vec<(String, Fixture)>, String> {
    let dir = course.solutions_dir().join("hostile");
    let mut v = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| e.to_string())?;
        let f: Fixture = toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        v.push((name, f));
    }
    Ok(v)
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(course: &Course, jobs: usize, sandbox: crate::sandbox::Sandbox) -> Result<bool, String> {
    let started = Instant::now();
    let mut ok = true;
    match course.lint() {
        Ok(()) => println!(
            "manifest: ok ({} lessons, {} exercises)",
            course.lessons.len(),
            course.exercises.len()
        ),
        Err(e) => {
            println!("manifest: FAILED\n{e}");
            ok = false;
        }
    }
    ok &= crate::content::run(course);
    let files = generate::generate(course)?;
    let d = generate::diff(&files, &course.exercises_dir());
    if d.is_empty() {
        println!("exercises/: in sync with solutions/");
    } else {
        println!(
            "exercises/: OUT OF SYNC (run `./course gen`)\n  {}",
            d.join("\n  ")
        );
        ok = false;
    }

    let subs_dir = course.root.join("build/validate-submissions");
    let _ = std::fs::remove_dir_all(&subs_dir);
    let stubs = subs_dir.join("stubs");
    for (rel, text) in &files {
        if rel.starts_with("src") {
            write_file(&stubs.join(rel), text)?;
        }
    }
    let mut subs = vec![
        Submission {
            skip_scan: false,
            name: "solutions".into(),
            dir: course.solutions_dir(),
            only: None,
        },
        Submission {
            skip_scan: false,
            name: "stubs".into(),
            dir: stubs,
            only: None,
        },
    ];
    let mut fixtures = load_fixtures(course)?;
    if !sandbox.is_sandboxed() {
        let skipped: Vec<String> = fixtures
            .iter()
            .filter(|(_, f)| f.needs_sandbox)
            .map(|(n, _)| n.clone())
            .collect();
        if !skipped.is_empty() {
            println!(
                "hostile suite: without a sandbox, {} fixtures that would harm this machine are skipped: {}",
                skipped.len(),
                skipped.join(", ")
            );
        }
        fixtures.retain(|(_, f)| !f.needs_sandbox);
    }
    for (name, f) in &fixtures {
        let dir = subs_dir.join(format!("hostile-{name}"));
        let lessons: Vec<String> = f
            .lessons
            .clone()
            .unwrap_or_else(|| f.patch.iter().map(|p| p.lesson.clone()).collect());
        for lid in &lessons {
            let lesson = course
                .lesson(lid)
                .ok_or_else(|| format!("fixture {name}: unknown lesson {lid}"))?;
            let mut src =
                std::fs::read_to_string(course.solution_file(lesson)).map_err(|e| e.to_string())?;
            for p in f.patch.iter().filter(|p| &p.lesson == lid) {
                let root = course
                    .root
                    .canonicalize()
                    .unwrap_or_else(|_| course.root.clone());
                let body = p.body.replace("@COURSE_ROOT@", &root.display().to_string());
                src = patch_source(&src, &p.function, &body)
                    .map_err(|e| format!("fixture {name}: {e}"))?;
            }
            write_file(&dir.join(format!("src/{}.rs", lesson.module)), &src)?;
        }
        subs.push(Submission {
            skip_scan: f.past_the_scan,
            name: format!("hostile-{name}"),
            dir,
            only: Some(lessons),
        });
    }
    let cfg = GradeConfig {
        label: "validate".into(),
        lessons: course.lessons.clone(),
        public: PublicTests::Solutions,
        sandbox: sandbox.clone(),
        hidden: Hidden::Run,
        jobs,
        quiet: true,
    };
    let before = tree_hash(&course.root)?;
    let listener = Listener::start(LISTENER_PORT, sandbox.is_sandboxed())?;
    let (reps, t) = grade::grade(course, &subs, &cfg)?;
    let received = listener.stop();
    let after = tree_hash(&course.root)?;

    // Solutions: 100 %.
    let sol = &reps[0];
    let bad: Vec<_> = sol
        .results
        .iter()
        .filter(|r| r.status != Status::Pass)
        .collect();
    if bad.is_empty() {
        println!(
            "solutions: {} / {} points, all {} tests pass",
            sol.score(),
            sol.max_score(),
            sol.results.len()
        );
    } else {
        ok = false;
        println!(
            "solutions: FAILED {} of {} tests",
            bad.len(),
            sol.results.len()
        );
        for (l, e) in &sol.compile_errors {
            println!("  lesson {l} does not compile:\n{e}");
        }
        for r in bad {
            println!("  {} {}: {}", r.status.as_str(), r.test.key(), r.message);
        }
    }
    // Stubs: 0, every test failed by its todo!().
    let st = &reps[1];
    let bad: Vec<_> = st
        .results
        .iter()
        // the raw message: a hidden test's shown message no longer says why it failed
        .filter(|r| r.status != Status::Fail || !r.raw.contains("not yet implemented"))
        .collect();
    if bad.is_empty() && st.score() == 0 {
        println!(
            "stubs: 0 / {} points, all {} tests fail with their todo!()",
            st.max_score(),
            st.results.len()
        );
    } else {
        ok = false;
        println!("stubs: FAILED ({} points)", st.score());
        for r in bad {
            println!("  {} {}: {}", r.status.as_str(), r.test.key(), r.message);
        }
    }
    // Hostile suite.
    println!("hostile suite:");
    let width = fixtures
        .iter()
        .map(|(n, _)| n.len())
        .max()
        .unwrap_or(0)
        .max(7);
    println!(
        "  {:<width$} {:>6} {:>9}  {:<11} {}",
        "fixture", "tests", "score", "verdict", "outcomes (expected = got)"
    );
    for ((name, f), rep) in fixtures.iter().zip(&reps[2..]) {
        let mut mismatches = Vec::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let expect = match (&f.expect_without_sandbox, sandbox.is_sandboxed()) {
            (Some(e), false) => e,
            _ => &f.expect,
        };
        for r in &rep.results {
            let want = expect
                .get(&r.test.exercise)
                .or_else(|| f.expect.get(&r.lesson))
                .map(String::as_str)
                .unwrap_or("pass");
            let Some(want_status) = Status::parse(want) else {
                return Err(format!("fixture {name}: unknown status `{want}`"));
            };
            *counts.entry(r.status.as_str()).or_default() += 1;
            if r.status != want_status {
                mismatches.push(format!(
                    "{}: expected {want}, got {} ({})",
                    r.test.key(),
                    r.status.as_str(),
                    r.message
                ));
            }
        }
        let summary = counts
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let verdict = if mismatches.is_empty() {
            "as expected"
        } else {
            "MISMATCH"
        };
        println!(
            "  {:<width$} {:>6} {:>4} / {:<3}  {:<11} {summary}",
            name,
            rep.results.len(),
            rep.score(),
            rep.max_score(),
            verdict
        );
        if !mismatches.is_empty() {
            ok = false;
            println!("    ({})", f.description);
            for m in mismatches {
                println!("    {m}");
            }
        }
    }
    ok &= containment(
        course,
        &reps,
        &fixtures,
        sandbox.is_sandboxed(),
        before,
        after,
        received,
    );
    println!(
        "timings: build {:.1} s, {} test processes in {:.1} s, validate total {:.1} s",
        t.build.as_secs_f64(),
        t.tests,
        t.run.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!("validate: {}", if ok { "OK" } else { "FAILED" });
    Ok(ok)
}

/// The loopback port the network fixture tries; the suite listens on it.
const LISTENER_PORT: u16 = 47631;

/// A TCP listener on 127.0.0.1 that counts the bytes anyone sends it.
struct Listener {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: Option<std::thread::JoinHandle<usize>>,
}

impl Listener {
    fn start(port: u16, wanted: bool) -> Result<Listener, String> {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        if !wanted {
            return Ok(Listener { stop, handle: None });
        }
        let l = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            format!("the hostile suite's loopback listener cannot bind 127.0.0.1:{port}: {e} (is another validate running?)")
        })?;
        l.set_nonblocking(true).map_err(|e| e.to_string())?;
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            use std::io::Read;
            let mut bytes = 0;
            while !flag.load(std::sync::atomic::Ordering::SeqCst) {
                match l.accept() {
                    Ok((mut s, _)) => {
                        bytes += 1; // a connection counts even without data
                        let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(200)));
                        let mut buf = [0u8; 256];
                        while let Ok(n) = s.read(&mut buf) {
                            if n == 0 {
                                break;
                            }
                            bytes += n;
                        }
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
            bytes
        });
        Ok(Listener {
            stop,
            handle: Some(handle),
        })
    }

    /// Stops listening; the connections and bytes received, or `None` if not listening.
    fn stop(self) -> Option<usize> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.handle.and_then(|h| h.join().ok())
    }
}

/// Every file of the course tree with a hash of its contents, leaving out what the
/// course itself writes: build/, target/, .git/, .venv/.
pub fn tree_hash(root: &Path) -> Result<BTreeMap<PathBuf, u64>, String> {
    use std::hash::{Hash, Hasher};
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if dir == root && matches!(top.as_deref(), Some("build" | "target" | ".git" | ".venv"))
            {
                continue;
            }
            let ft = e.file_type().map_err(|e| e.to_string())?;
            if ft.is_dir() {
                stack.push(p);
            } else {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(&p).unwrap_or_default().hash(&mut h);
                files.insert(rel, h.finish());
            }
        }
    }
    Ok(files)
}

/// Processes still running under this run's sandbox user ids (not another run's).
fn sandbox_processes() -> Vec<String> {
    let mut left = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let status = std::fs::read_to_string(e.path().join("status")).unwrap_or_default();
        let uid = status
            .lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|u| u.parse::<u32>().ok());
        let zombie = status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        if uid.is_some_and(|u| crate::sandbox::run_uids().contains(&u)) && !zombie {
            left.push(format!("pid {pid} (uid {})", uid.unwrap_or(0)));
        }
    }
    left
}

/// The checks after the hostile suite: tree unchanged, no process left, nothing reached
/// the loopback listener, no test past its time limit, no hidden-test text in a report.
fn containment(
    course: &Course,
    reps: &[grade::SubmissionReport],
    fixtures: &[(String, Fixture)],
    sandboxed: bool,
    before: BTreeMap<PathBuf, u64>,
    after: BTreeMap<PathBuf, u64>,
    received: Option<usize>,
) -> bool {
    let mut ok = true;
    let mut line = |good: bool, what: String| {
        println!("  {} {what}", if good { "ok  " } else { "FAIL" });
        ok &= good;
    };
    println!("containment:");
    let changed: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| p.display().to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    line(
        changed.is_empty(),
        format!(
            "course tree unchanged ({} files before, {} after{})",
            before.len(),
            after.len(),
            if changed.is_empty() {
                String::new()
            } else {
                format!("; changed: {}", changed.join(", "))
            }
        ),
    );
    if sandboxed {
        let mut left = sandbox_processes();
        for _ in 0..20 {
            if left.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            left = sandbox_processes();
        }
        line(
            left.is_empty(),
            format!(
                "processes left: {}",
                if left.is_empty() {
                    "none".into()
                } else {
                    left.join(", ")
                }
            ),
        );
        line(
            received == Some(0),
            format!(
                "loopback listener on 127.0.0.1:{LISTENER_PORT} received {} bytes",
                received.unwrap_or(0)
            ),
        );
    } else {
        println!("  (no sandbox: the process and network checks are skipped with their fixtures)");
    }
    // the test that overran its own limit the most
    let slowest = reps[2..]
        .iter()
        .flat_map(|r| r.results.iter())
        .max_by_key(|r| r.millis as i128 - r.test.limits(&course.limits).timeout_ms as i128);
    if let Some(r) = slowest {
        let limit = r.test.limits(&course.limits).timeout_ms;
        line(
            r.millis <= limit as u128 + 1500,
            format!(
                "slowest hostile test against its limit: {} ms ({}), limit {limit} ms + 1.5 s",
                r.millis,
                r.test.key(),
            ),
        );
    }
    // Distinctive lines of the hidden tests, and the probe string of a fixture.
    let mut secrets: Vec<String> = Vec::new();
    for lesson in &course.lessons {
        let text =
            std::fs::read_to_string(course.test_file(lesson, crate::manifest::Visibility::Hidden))
                .unwrap_or_default();
        secrets.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| l.len() >= 30 && !l.starts_with("//"))
                .map(String::from),
        );
    }
    let mut leaks = Vec::new();
    let mut lines = 0;
    for (i, rep) in reps.iter().enumerate() {
        // every rendering a caller may show: Markdown, terminal, Gradescope, the contract
        // itself (what the kernel reads) and the notebook's HTML
        let c = crate::report::contract(course, rep, &course.lessons, &Default::default(), true);
        let texts = [
            render::markdown(&c),
            render::failures(&c),
            render::check(&c),
            render::gradescope_json(&c).to_string(),
            serde_json::to_string(&c).unwrap_or_default(),
            render::html(&c),
        ]
        .join("\n");
        lines += texts.lines().count();
        for s in &secrets {
            if texts.contains(s.as_str()) {
                leaks.push(format!("{}: {s}", rep.name));
            }
        }
        if i >= 2 {
            for r in rep
                .results
                .iter()
                .filter(|r| r.test.visibility == crate::manifest::Visibility::Hidden)
            {
                if r.message.contains("HIDDEN-TEXT-PROBE") {
                    leaks.push(format!(
                        "{}: a hidden test shows the tested code's panic text",
                        rep.name
                    ));
                }
            }
        }
    }
    let _ = fixtures;
    line(
        leaks.is_empty(),
        format!(
            "hidden-test text in {lines} report lines: {}",
            if leaks.is_empty() {
                "none".into()
            } else {
                leaks.join("; ")
            }
        ),
    );
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_hash_sees_a_change_a_deletion_and_a_new_file_but_not_build_outputs() {
        let root = std::env::temp_dir().join(format!("grader-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("solutions/tests")).unwrap();
        std::fs::create_dir_all(root.join("build")).unwrap();
        std::fs::write(root.join("README.md"), "course").unwrap();
        std::fs::write(root.join("solutions/tests/h.rs"), "secret").unwrap();
        let before = tree_hash(&root).unwrap();
        std::fs::write(root.join("build/scratch"), "made by the grader").unwrap();
        assert_eq!(tree_hash(&root).unwrap(), before, "build/ is left out");
        std::fs::write(root.join("README.md"), "").unwrap();
        assert_ne!(
            tree_hash(&root).unwrap(),
            before,
            "a truncated file is seen"
        );
        std::fs::write(root.join("README.md"), "course").unwrap();
        std::fs::remove_file(root.join("solutions/tests/h.rs")).unwrap();
        assert_ne!(tree_hash(&root).unwrap(), before, "a deleted file is seen");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_listener_counts_what_reaches_it() {
        use std::io::Write;
        let port = 47000 + (std::process::id() % 500) as u16;
        let l = Listener::start(port, true).unwrap();
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"leak").unwrap();
        drop(s);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(l.stop(), Some(5), "one connection and four bytes");
        assert_eq!(Listener::start(port, false).unwrap().stop(), None);
    }

    #[test]
    fn a_process_left_under_a_sandbox_uid_is_found() {
        // as root, start a sleeping process under the last sandbox uid, as a test would leave it
        if unsafe { libc::geteuid() } != 0 {
            return;
        }
        use std::os::unix::process::CommandExt;
        let uid = crate::sandbox::run_uids().end - 1;
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .uid(uid)
            .gid(uid)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let left = sandbox_processes();
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            left.iter().any(|p| p.contains(&format!("uid {uid}"))),
            "{left:?}"
        );
    }

    #[test]
    fn a_patch_replaces_only_the_named_function_block() {
        let src = "pub fn a() -> u8 {\n    // BEGIN SOLUTION\n    1\n    // END SOLUTION\n}\npub fn b() -> u8 {\n    // BEGIN SOLUTION\n    2\n    // END SOLUTION\n}\n";
        let out = patch_source(src, "b", "loop {}\n").unwrap();
        assert!(
            out.contains("    1\n") && out.contains("    loop {}\n") && !out.contains("    2\n")
        );
        assert!(patch_source(src, "c", "0").is_err());
    }
}
