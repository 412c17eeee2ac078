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
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A hostile submission: the solutions with some function bodies replaced.
#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    pub description: String,
    /// Lessons to grade (default: the lessons of the patches).
    pub lessons: Option<Vec<String>>,
    pub patch: Vec<Patch>,
    /// Exercise id ("1.1") or lesson id ("01") → expected status of each of its tests;
    /// every other test of the graded lessons must pass.
    pub expect: BTreeMap<String, String>,
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

pub fn run(course: &Course, jobs: usize) -> Result<bool, String> {
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
            name: "solutions".into(),
            dir: course.solutions_dir(),
            only: None,
        },
        Submission {
            name: "stubs".into(),
            dir: stubs,
            only: None,
        },
    ];
    let fixtures = load_fixtures(course)?;
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
                src = patch_source(&src, &p.function, &p.body)
                    .map_err(|e| format!("fixture {name}: {e}"))?;
            }
            write_file(&dir.join(format!("src/{}.rs", lesson.module)), &src)?;
        }
        subs.push(Submission {
            name: format!("hostile-{name}"),
            dir,
            only: Some(lessons),
        });
    }
    let cfg = GradeConfig {
        label: "validate".into(),
        lessons: course.lessons.clone(),
        public: PublicTests::Solutions,
        hidden: Hidden::Run,
        jobs,
        quiet: true,
    };
    let (reps, t) = grade::grade(course, &subs, &cfg)?;

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
        .filter(|r| r.status != Status::Fail || !r.message.contains("not yet implemented"))
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
    println!(
        "  {:<28} {:>6} {:>9}  {:<11} {}",
        "fixture", "tests", "score", "verdict", "outcomes (expected = got)"
    );
    for ((name, f), rep) in fixtures.iter().zip(&reps[2..]) {
        let mut mismatches = Vec::new();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rep.results {
            let want = f
                .expect
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
            "  {:<28} {:>6} {:>4} / {:<3}  {:<11} {summary}",
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

#[cfg(test)]
mod tests {
    use super::*;

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
