//! `gen [--check]`: writes `exercises/` from `solutions/`.
//!
//! Every `// BEGIN SOLUTION` … `// END SOLUTION` block becomes one `todo!()` naming the
//! exercise and its notebook section; public tests are copied with `solutions::`
//! replaced by `exercises::`; hidden tests are never copied. `exercises/exercises.toml`
//! is the students' manifest (hidden tests appear only as counts and points). `--check` compares the
//! tree on disk with what would be written and lists every difference.

use crate::manifest::{Course, Lesson, STUDENT_MANIFEST, Visibility};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const HEADER: &str =
    "generated from solutions/ by `./course gen`; edit your copy freely — it is yours";
pub const BEGIN: &str = "// BEGIN SOLUTION";
pub const END: &str = "// END SOLUTION";

/// The `todo!()` line that replaces an exercise's solution block.
pub fn todo_line(indent: &str, id: &str, function: &str, notebook: &str, section: &str) -> String {
    let msg = format!("exercise {id}: implement `{function}` — see {notebook}, section {section}");
    let msg = msg
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('{', "{{")
        .replace('}', "}}");
    format!("{indent}todo!(\"{msg}\")")
}

/// Replaces each solution block of one lesson's source by its `todo!()`.
///
/// Errors if a block is unterminated, nested, outside a function named in the
/// manifest, or if an exercise of the lesson has no block or several.
pub fn stub_source(src: &str, course: &Course, lesson: &Lesson) -> Result<String, String> {
    let mut out = Vec::new();
    let mut current_fn: Option<String> = None;
    let mut in_block = false;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in src.lines().enumerate() {
        let t = line.trim();
        if in_block {
            if t == END {
                in_block = false;
            } else if t == BEGIN {
                return Err(format!("line {}: nested `{BEGIN}`", i + 1));
            }
            continue;
        }
        if t == END {
            return Err(format!("line {}: `{END}` without `{BEGIN}`", i + 1));
        }
        if let Some(name) = fn_name(t) {
            current_fn = Some(name);
        }
        if t == BEGIN {
            let f = current_fn
                .clone()
                .ok_or_else(|| format!("line {}: `{BEGIN}` outside a function", i + 1))?;
            let ex = course
                .exercises_of(lesson)
                .find(|e| e.function == f)
                .ok_or_else(|| {
                    format!(
                        "line {}: solution block in `{f}`, which is not an exercise of lesson {} in exercises.toml",
                        i + 1,
                        lesson.id
                    )
                })?;
            *seen.entry(ex.id.clone()).or_default() += 1;
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            out.push(todo_line(
                &indent,
                &ex.id,
                &ex.function,
                &lesson.notebook,
                &ex.section,
            ));
            in_block = true;
            continue;
        }
        out.push(line.to_string());
    }
    if in_block {
        return Err(format!("unterminated `{BEGIN}` (no `{END}`)"));
    }
    for ex in course.exercises_of(lesson) {
        match seen.get(&ex.id).copied().unwrap_or(0) {
            1 => {}
            0 => {
                return Err(format!(
                    "exercise {} (`{}`) has no solution block",
                    ex.id, ex.function
                ));
            }
            n => {
                return Err(format!(
                    "exercise {} has {n} solution blocks; expected one",
                    ex.id
                ));
            }
        }
    }
    Ok(format!("// {HEADER}\n{}\n", out.join("\n")))
}

/// `pub fn name(` / `fn name<` / `pub(crate) fn name(` → `name`.
pub(crate) fn fn_name(t: &str) -> Option<String> {
    let idx = t.find("fn ")?;
    let before = &t[..idx];
    let ok_prefix = before
        .split_whitespace()
        .all(|w| matches!(w, "pub" | "pub(crate)" | "const" | "async" | "unsafe"));
    if !ok_prefix || t.starts_with("//") {
        return None;
    }
    let name: String = t[idx + 3..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The public test file as students get it.
pub fn public_tests_for_students(src: &str) -> String {
    format!("// {HEADER}\n{}", src.replace("solutions::", "exercises::"))
}

/// Every file of `exercises/`, relative to it, with its content.
pub fn generate(course: &Course) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    // the solutions' manifest, renamed: the stubs build with exactly the references' crates
    let cargo = course.solutions_dir().join("Cargo.toml");
    let cargo = std::fs::read_to_string(&cargo)
        .map_err(|e| format!("cannot read {}: {e}", cargo.display()))?;
    let renamed = cargo.replacen("name = \"solutions\"", "name = \"exercises\"", 1);
    if renamed == cargo {
        return Err("solutions/Cargo.toml has no `name = \"solutions\"` line".into());
    }
    files.insert(
        PathBuf::from("Cargo.toml"),
        format!("# {HEADER}\n{renamed}"),
    );
    let mut lib = format!(
        "// {HEADER}\n//! Your graded exercises: one module per lesson. Replace each `todo!()` with your\n//! code, then run `./course check <lesson>`; `./course hint <id>` helps.\n\n// The `todo!()` stubs leave their arguments unused; delete this line when you are done.\n#![allow(unused_variables)]\n\n"
    );
    for lesson in &course.lessons {
        lib.push_str(&format!("pub mod {};\n", lesson.module));
        let path = course.solution_file(lesson);
        let src = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let stub =
            stub_source(&src, course, lesson).map_err(|e| format!("{}: {e}", path.display()))?;
        files.insert(PathBuf::from(format!("src/{}.rs", lesson.module)), stub);
        let tpath = course.test_file(lesson, Visibility::Public);
        let tests = std::fs::read_to_string(&tpath)
            .map_err(|e| format!("cannot read {}: {e}", tpath.display()))?;
        files.insert(
            PathBuf::from(format!("tests/{}.rs", lesson.module)),
            public_tests_for_students(&tests),
        );
    }
    files.insert(PathBuf::from("src/lib.rs"), lib);
    files.insert(PathBuf::from(STUDENT_MANIFEST), course.student_manifest()?);
    // Leak check: no solution marker and no hidden test name may reach exercises/.
    for lesson in &course.lessons {
        let hidden = course
            .tests_of(lesson)?
            .into_iter()
            .filter(|t| t.visibility == Visibility::Hidden);
        for t in hidden {
            for (p, text) in &files {
                let leaks = if p.extension().is_some_and(|e| e == "rs") {
                    text.contains(&format!("fn {}(", t.name))
                } else {
                    text.contains(&t.name)
                };
                if leaks {
                    return Err(format!(
                        "hidden test `{}` would leak into exercises/{}",
                        t.name,
                        p.display()
                    ));
                }
            }
        }
    }
    // Students get rustfmt-formatted files, and `cargo fmt --check` holds for the tree.
    for (p, text) in files.iter_mut() {
        if p.extension().is_some_and(|e| e == "rs") {
            *text = rustfmt(text).map_err(|e| format!("exercises/{}: {e}", p.display()))?;
        }
    }
    for (p, text) in &files {
        if text.contains(BEGIN) || text.contains(END) {
            return Err(format!(
                "a solution marker would leak into exercises/{}",
                p.display()
            ));
        }
    }
    Ok(files)
}

/// `src` formatted by rustfmt (read from stdin, written to stdout).
fn rustfmt(src: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run rustfmt ({e}); install it with `rustup component add rustfmt`")
        })?;
    child
        .stdin
        .take()
        .ok_or("rustfmt has no stdin")?
        .write_all(src.as_bytes())
        .map_err(|e| format!("writing to rustfmt: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt output: {e}"))
}

/// Differences between the generated files and `dir`: missing, changed, and extra
/// `.rs` files under `src/` and `tests/`.
pub fn diff(files: &BTreeMap<PathBuf, String>, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, want) in files {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(have) if &have == want => {}
            Ok(_) => out.push(format!("differs: exercises/{}", rel.display())),
            Err(_) => out.push(format!("missing: exercises/{}", rel.display())),
        }
    }
    for sub in ["src", "tests"] {
        for rel in list_rs(&dir.join(sub)) {
            let rel = Path::new(sub).join(rel);
            if !files.contains_key(&rel) {
                out.push(format!("extra: exercises/{}", rel.display()));
            }
        }
    }
    out
}

fn list_rs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| PathBuf::from(e.file_name()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    v.sort();
    v
}

/// Writes the files (and removes extra `.rs` files) under `dir`.
pub fn write(files: &BTreeMap<PathBuf, String>, dir: &Path) -> Result<usize, String> {
    let mut changed = 0;
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        changed += 1;
    }
    for sub in ["src", "tests"] {
        for rel in list_rs(&dir.join(sub)) {
            let rel = Path::new(sub).join(rel);
            if !files.contains_key(&rel) {
                std::fs::remove_file(dir.join(&rel))
                    .map_err(|e| format!("{}: {e}", rel.display()))?;
                changed += 1;
            }
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Exercise, Limits};

    fn course() -> (Course, Lesson) {
        let lesson = Lesson {
            id: "01".into(),
            title: "t".into(),
            module: "l01_x".into(),
            notebook: "notebooks/01-x.ipynb".into(),
            trusted: vec![],
            forbidden: vec![],
        };
        let ex = |id: &str, f: &str| Exercise {
            id: id.into(),
            lesson: "01".into(),
            function: f.into(),
            section: "Bayes' rule {x}".into(),
            points: 1,
            hints: vec!["a hint".into()],
        };
        let c = Course {
            root: PathBuf::from("/nonexistent"),
            limits: Limits {
                timeout_ms: 1,
                memory_mb: 1,
            },
            lessons: vec![lesson.clone()],
            exercises: vec![ex("1.1", "alpha"), ex("1.2", "beta")],
            hidden: None,
        };
        (c, lesson)
    }

    const SRC: &str = "//! doc\npub fn alpha(x: f64) -> f64 {\n    // BEGIN SOLUTION\n    x * 2.0\n    // END SOLUTION\n}\n\npub fn beta() -> u64 {\n    let keep = 1;\n    // BEGIN SOLUTION\n    keep + 41\n    // END SOLUTION\n}\n";

    #[test]
    fn each_solution_block_becomes_one_todo_naming_exercise_and_section() {
        let (c, l) = course();
        let out = stub_source(SRC, &c, &l).unwrap();
        assert!(out.starts_with("// generated from solutions/"));
        assert!(out.contains(
            "    todo!(\"exercise 1.1: implement `alpha` — see notebooks/01-x.ipynb, section Bayes' rule {{x}}\")"
        ));
        assert!(out.contains("exercise 1.2: implement `beta`"));
        assert!(
            out.contains("let keep = 1;"),
            "code outside the markers is kept"
        );
        assert!(
            !out.contains("x * 2.0") && !out.contains("keep + 41"),
            "solution code leaked"
        );
        assert!(!out.contains("SOLUTION"));
    }

    #[test]
    fn an_unterminated_block_is_an_error() {
        let (c, l) = course();
        let src = SRC.replacen("    // END SOLUTION\n", "", 1);
        assert!(stub_source(&src, &c, &l).unwrap_err().contains("nested"));
        let src = "pub fn alpha() {\n// BEGIN SOLUTION\n}\n";
        assert!(stub_source(src, &c, &l).is_err());
    }

    #[test]
    fn a_block_in_a_function_missing_from_the_manifest_is_an_error() {
        let (c, l) = course();
        let src = SRC.replace("pub fn beta", "pub fn gamma");
        let err = stub_source(&src, &c, &l).unwrap_err();
        assert!(err.contains("gamma"), "{err}");
    }

    #[test]
    fn an_exercise_without_a_block_is_an_error() {
        let (c, l) = course();
        let src =
            "pub fn alpha(x: f64) -> f64 {\n    // BEGIN SOLUTION\n    x\n    // END SOLUTION\n}\n";
        assert!(stub_source(src, &c, &l).unwrap_err().contains("1.2"));
    }

    #[test]
    fn public_tests_import_the_exercises_crate() {
        let t = public_tests_for_students("use solutions::l01_x::*;\n");
        assert!(t.contains("use exercises::l01_x::*;") && !t.contains("solutions::"));
    }

    #[test]
    fn check_mode_reports_changed_missing_and_extra_files() {
        let dir = std::env::temp_dir().join(format!("grader-gen-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert(PathBuf::from("src/a.rs"), "a\n".to_string());
        files.insert(PathBuf::from("src/b.rs"), "b\n".to_string());
        write(&files, &dir).unwrap();
        assert!(diff(&files, &dir).is_empty(), "fresh output is in sync");
        std::fs::write(dir.join("src/a.rs"), "edited\n").unwrap();
        std::fs::remove_file(dir.join("src/b.rs")).unwrap();
        std::fs::write(dir.join("src/c.rs"), "stray\n").unwrap();
        let d = diff(&files, &dir);
        assert_eq!(
            d,
            vec![
                "differs: exercises/src/a.rs",
                "missing: exercises/src/b.rs",
                "extra: exercises/src/c.rs"
            ]
        );
        write(&files, &dir).unwrap();
        assert!(
            diff(&files, &dir).is_empty(),
            "writing repairs every difference"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
