//! `validate`'s content checks: the lessons, stubs, hints and docs point at things that
//! exist, and what a lesson says about its own run is checked.
//!
//! 1. **sections**: every manifest `section` is a heading of its lesson's notebook (the
//!    `todo!()` messages and hints send students there), and so is every section a
//!    solution's doc comment names (the stubs copy them);
//! 2. **paths**: every repository path named in a notebook, a stub, the manifest (hints)
//!    or a doc exists;
//! 3. **exercise tables**: the exercise table of each notebook lists exactly the
//!    manifest's exercises of that lesson, in order, each with its function;
//! 4. **prose numbers**: every number a lesson's markdown states (a decimal such as
//!    `0.45`, a percentage, a count such as `1,500`) appears in a number test of that
//!    notebook (`scripts/tests/test_notebook_numbers*.py` that names the notebook),
//!    outside comments: asserted there, or listed in the file's `PROSE` table with the
//!    reason it is not a result of the run (a setting, a constant, a citation);
//! 5. **exercise references**: where a notebook, stub, hint or doc names an exercise with
//!    its function (``4.1 `bernoulli_log_likelihood` ``) or a function with its section
//!    (`` `marginal_x`: Joint, marginal and conditional ``), the pair is the manifest's,
//!    and every "exercise N.M" it mentions exists.
//!
//! Each check prints one line, and every offender with the file and cell it is in.

use crate::manifest::Course;
use regex::Regex;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level folders whose paths are checked. `build/` is made by the course, so its
/// paths need not exist in a clone.
const ROOTS: &[&str] = &[
    "notebooks",
    "exercises",
    "solutions",
    "gmcourse",
    "scripts",
    "docs",
    "bench",
    "kernel",
    "classroom",
    "data",
    ".ci",
];

/// Runs the five checks, printing a line for each; true when all pass.
pub fn run(course: &Course) -> bool {
    let mut ok = true;
    for (name, result) in [
        ("sections", sections(course)),
        ("paths", paths(&course.root)),
        ("exercise tables", exercise_tables(course)),
        ("prose numbers", prose_numbers(course)),
        ("exercise references", exercise_references(course)),
    ] {
        match result {
            Ok(summary) => println!("content, {name}: ok ({summary})"),
            Err(problems) => {
                ok = false;
                println!("content, {name}: FAILED");
                for p in problems {
                    println!("  {p}");
                }
            }
        }
    }
    ok
}

type Check = Result<String, Vec<String>>;

/// The cells of a notebook: (index, kind, source).
fn cells(path: &Path) -> Result<Vec<(usize, String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let nb: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let list = nb["cells"]
        .as_array()
        .ok_or_else(|| format!("{}: no cells", path.display()))?;
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let source = match &c["source"] {
                serde_json::Value::Array(parts) => {
                    parts.iter().filter_map(|p| p.as_str()).collect::<String>()
                }
                serde_json::Value::String(s) => s.clone(),
                _ => String::new(),
            };
            (i, c["cell_type"].as_str().unwrap_or("").to_string(), source)
        })
        .collect())
}

/// The headings of a notebook's markdown, without `#`s and without a `3 · ` number.
pub fn headings(cells: &[(usize, String, String)]) -> Vec<String> {
    let numbered = Regex::new(r"^\d+ · ").expect("valid regex");
    cells
        .iter()
        .filter(|(_, kind, _)| kind == "markdown")
        .flat_map(|(_, _, src)| src.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            numbered
                .replace(l.trim_start_matches('#').trim(), "")
                .into_owned()
        })
        .collect()
}

fn sections(course: &Course) -> Check {
    let mut problems = Vec::new();
    for lesson in &course.lessons {
        let path = course.root.join(&lesson.notebook);
        let hs = match cells(&path) {
            Ok(c) => headings(&c),
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for ex in course.exercises_of(lesson) {
            if !hs.contains(&ex.section) {
                problems.push(format!(
                    "exercise {}: section \"{}\" is no heading of {} (its headings: {})",
                    ex.id,
                    ex.section,
                    lesson.notebook,
                    hs.join(" | ")
                ));
            }
        }
    }
    // The stubs' doc comments name a notebook and a section too (solutions/src is their
    // source): `/// Notebook: `notebooks/…`, section "…".`
    let doc = Regex::new(r#"Notebook: `([^`]+)`, section "([^"]+)""#).expect("valid regex");
    let mut docs = 0;
    for lesson in &course.lessons {
        let src_path = course.solution_file(lesson);
        let rel = src_path
            .strip_prefix(&course.root)
            .unwrap_or(&src_path)
            .display()
            .to_string();
        let Ok(text) = std::fs::read_to_string(&src_path) else {
            problems.push(format!("{rel}: cannot be read"));
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            let Some(m) = doc.captures(line) else {
                continue;
            };
            docs += 1;
            let hs = cells(&course.root.join(&m[1]))
                .map(|c| headings(&c))
                .unwrap_or_default();
            if !hs.iter().any(|h| h == &m[2]) {
                problems.push(format!(
                    "{rel}:{}: section \"{}\" is no heading of {}",
                    n + 1,
                    &m[2],
                    &m[1]
                ));
            }
        }
    }
    finish(
        problems,
        format!("{} exercises, {docs} doc comments", course.exercises.len()),
    )
}

/// Repository paths named in `text`: tokens that start with a top-level folder.
pub fn named_paths(text: &str) -> Vec<String> {
    let token = Regex::new(r"[A-Za-z0-9_./-]+").expect("valid regex");
    token
        .find_iter(text)
        // a glob or a placeholder continues the path: scripts/tests/test_*.py, src/<module>.rs
        .filter(|m| !text[m.end()..].starts_with(['*', '<', '{']))
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
        .filter(|t| {
            ROOTS
                .iter()
                .any(|r| t.len() > r.len() && t.starts_with(r) && t[r.len()..].starts_with('/'))
        })
        // placeholders such as notebooks/NN-topic.ipynb or exercises/src/lNN_…
        .filter(|t| !t.contains("NN"))
        .collect()
}

/// The files whose text may name repository paths.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut add_dir = |dir: &str, ext: &str| {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            let mut files: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect();
            files.sort();
            v.extend(files);
        }
    };
    add_dir("notebooks", "ipynb");
    add_dir("notebooks", "md");
    add_dir("exercises/src", "rs");
    add_dir("docs", "md");
    add_dir("classroom", "md");
    for f in [
        "README.md",
        "environment.md",
        "kernel/README.md",
        "bench/README.md",
        "solutions/README.md",
        "solutions/exercises.toml",
        "exercises/exercises.toml",
    ] {
        if root.join(f).is_file() {
            v.push(root.join(f));
        }
    }
    v
}

/// The texts of a document with where each is: one per notebook cell, else the file.
fn units(root: &Path, doc: &Path) -> Result<Vec<(String, String)>, String> {
    let rel = doc.strip_prefix(root).unwrap_or(doc).display().to_string();
    if rel.ends_with(".ipynb") {
        Ok(cells(doc)?
            .into_iter()
            .map(|(i, _, s)| (format!("{rel}, cell {i}"), s))
            .collect())
    } else {
        let text = std::fs::read_to_string(doc).map_err(|e| format!("{rel}: {e}"))?;
        Ok(vec![(rel, text)])
    }
}

fn paths(root: &Path) -> Check {
    let mut problems = Vec::new();
    let mut checked = BTreeSet::new();
    let docs = documents(root);
    for doc in &docs {
        let units = match units(root, doc) {
            Ok(u) => u,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for (place, text) in units {
            for p in named_paths(&text) {
                checked.insert(p.clone());
                if !root.join(&p).exists() {
                    problems.push(format!("{place}: names {p}, which does not exist"));
                }
            }
        }
    }
    finish(
        problems,
        format!("{} paths named in {} files", checked.len(), docs.len()),
    )
}

/// The exercise ids and function cells of the first table headed `| exercise |`.
pub fn exercise_table(markdown: &str) -> Option<Vec<(String, String)>> {
    let mut lines = markdown
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("| exercise |"));
    lines.next()?;
    let rows = lines
        .skip_while(|l| l.trim_start().starts_with("|---") || l.trim_start().starts_with("| ---"))
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|l| {
            let cols: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            (
                cols.first().unwrap_or(&"").to_string(),
                cols.get(1).unwrap_or(&"").to_string(),
            )
        })
        .collect();
    Some(rows)
}

fn exercise_tables(course: &Course) -> Check {
    let mut problems = Vec::new();
    for lesson in &course.lessons {
        let expected: Vec<_> = course.exercises_of(lesson).collect();
        if expected.is_empty() {
            continue;
        }
        let cs = match cells(&course.root.join(&lesson.notebook)) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let Some((cell, table)) = cs
            .iter()
            .filter(|(_, kind, _)| kind == "markdown")
            .find_map(|(i, _, s)| exercise_table(s).map(|t| (*i, t)))
        else {
            problems.push(format!(
                "{}: no exercise table (`| exercise | function | …`)",
                lesson.notebook
            ));
            continue;
        };
        let ids: Vec<&str> = table.iter().map(|(id, _)| id.as_str()).collect();
        let want: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
        if ids != want {
            problems.push(format!(
                "{}, cell {cell}: the table lists {ids:?}, the manifest has {want:?}",
                lesson.notebook
            ));
            continue;
        }
        for ((id, function), ex) in table.iter().zip(&expected) {
            let named = function.trim_matches('`');
            if named != ex.function && !named.starts_with(&format!("{}(", ex.function)) {
                problems.push(format!(
                    "{}, cell {cell}: exercise {id} names `{named}`, the manifest's function is `{}`",
                    lesson.notebook, ex.function
                ));
            }
        }
    }
    finish(problems, format!("{} lessons", course.lessons.len()))
}

/// The numbers a markdown text states: decimals, percentages and comma-grouped counts,
/// not inside a word, a LaTeX command or an exponent.
pub fn stated_numbers(markdown: &str) -> Vec<String> {
    let re = Regex::new(r"(\d+\.\d+|\d{1,3}(?:,\d{3})+|\d+ ?%)").expect("valid regex");
    re.find_iter(markdown)
        .filter(|m| {
            let before = markdown[..m.start()].chars().next_back();
            let after = markdown[m.end()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || "_.$\\^{".contains(c))
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|m| m.as_str().to_string())
        .collect()
}

/// Python source with comments removed (a `#` outside a string starts one).
fn without_comments(py: &str) -> String {
    py.lines()
        .map(|line| {
            let mut quote: Option<char> = None;
            for (i, c) in line.char_indices() {
                match (quote, c) {
                    (None, '#') => return &line[..i],
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    _ => {}
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `number` occurs in `code` as a number of its own (not inside a longer one).
fn mentions(code: &str, number: &str) -> bool {
    let forms: Vec<String> = if let Some(n) = number.strip_suffix('%') {
        let n = n.trim_end();
        vec![format!("{n} %"), format!("{n}%")]
    } else {
        vec![number.to_string(), number.replace(',', "_")]
    };
    forms.iter().any(|f| {
        code.match_indices(f.as_str()).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + f.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                && !after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

fn prose_numbers(course: &Course) -> Check {
    let mut problems = Vec::new();
    let ids: BTreeSet<&str> = course.exercises.iter().map(|e| e.id.as_str()).collect();
    let test_dir = course.root.join("scripts/tests");
    let tests: Vec<(PathBuf, String)> = std::fs::read_dir(&test_dir)
        .map(|rd| {
            let mut v: Vec<_> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with("test_notebook_numbers") && n.ends_with(".py")
                    })
                })
                .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
                .collect();
            v.sort();
            v
        })
        .unwrap_or_default();
    let mut notebooks: Vec<PathBuf> = std::fs::read_dir(course.root.join("notebooks"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "ipynb"))
                .collect()
        })
        .unwrap_or_default();
    notebooks.sort();
    let mut count = 0;
    for nb in &notebooks {
        let name = nb
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let code: String = tests
            .iter()
            .filter(|(_, t)| t.contains(&name))
            .map(|(_, t)| without_comments(t))
            .collect::<Vec<_>>()
            .join("\n");
        let cs = match cells(nb) {
            Ok(c) => c,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for (i, kind, src) in &cs {
            if kind != "markdown" {
                continue;
            }
            for n in stated_numbers(src) {
                if ids.contains(n.as_str()) {
                    continue; // an exercise id such as 3.2
                }
                count += 1;
                if code.is_empty() {
                    problems.push(format!(
                        "notebooks/{name}, cell {i}: states {n}, and no scripts/tests/test_notebook_numbers*.py reads {name}"
                    ));
                } else if !mentions(&code, &n) {
                    problems.push(format!(
                        "notebooks/{name}, cell {i}: states {n}, which no number test of {name} asserts or lists in PROSE"
                    ));
                }
            }
        }
    }
    finish(
        problems,
        format!("{count} numbers in {} notebooks", notebooks.len()),
    )
}

/// Exercise ids and functions named together (`4.1 `f``), functions named with a section
/// (`` `f`: Section``) and "exercise N.M" mentions in `text`, as (id, function) pairs,
/// (function, section) pairs and ids.
pub fn exercise_mentions(text: &str) -> ExerciseMentions {
    let pair = Regex::new(r"\b(\d{1,2}\.\d{1,2}) `([A-Za-z_][A-Za-z0-9_]*)`").expect("valid regex");
    let section = Regex::new(r"`([A-Za-z_][A-Za-z0-9_]*)`: ([^;|\n]+)").expect("valid regex");
    let id = Regex::new(r"(?i)\bexercises? (\d{1,2}\.\d{1,2})\b").expect("valid regex");
    ExerciseMentions {
        pairs: pair
            .captures_iter(text)
            .map(|c| (c[1].to_string(), c[2].to_string()))
            .collect(),
        sections: section
            .captures_iter(text)
            .map(|c| (c[1].to_string(), c[2].trim().to_string()))
            .collect(),
        ids: id.captures_iter(text).map(|c| c[1].to_string()).collect(),
    }
}

/// What [`exercise_mentions`] finds in a text.
#[derive(Debug, Default, PartialEq)]
pub struct ExerciseMentions {
    pub pairs: Vec<(String, String)>,
    pub sections: Vec<(String, String)>,
    pub ids: Vec<String>,
}

fn exercise_references(course: &Course) -> Check {
    let mut problems = Vec::new();
    let mut count = 0;
    let by_function = |f: &str| course.exercises.iter().find(|e| e.function == f);
    for doc in documents(&course.root) {
        let units = match units(&course.root, &doc) {
            Ok(u) => u,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        for (place, text) in units {
            let found = exercise_mentions(&text);
            for (id, function) in &found.pairs {
                let by_id = course.exercise(id);
                // a number and a name that are no exercise at all are not a reference
                if by_id.is_none() && by_function(function).is_none() {
                    continue;
                }
                count += 1;
                if by_id.is_none_or(|e| &e.function != function) {
                    let truth = by_function(function).map_or_else(
                        || format!("exercise {id} is not `{function}`"),
                        |e| format!("`{function}` is exercise {}", e.id),
                    );
                    problems.push(format!("{place}: names {id} `{function}`, but {truth}"));
                }
            }
            for (function, section) in &found.sections {
                let Some(ex) = by_function(function) else {
                    continue;
                };
                count += 1;
                // two lessons may name a function alike (9.1 and 10.4 `discriminator_loss`)
                let any_has_it = course
                    .exercises
                    .iter()
                    .any(|e| e.function == *function && e.section == *section);
                if !any_has_it {
                    problems.push(format!(
                        "{place}: gives `{function}` the section \"{section}\", the manifest \"{}\"",
                        ex.section
                    ));
                }
            }
            for id in &found.ids {
                count += 1;
                if course.exercise(id).is_none() {
                    problems.push(format!(
                        "{place}: mentions exercise {id}, which does not exist"
                    ));
                }
            }
        }
    }
    finish(problems, format!("{count} references"))
}

fn finish(problems: Vec<String>, summary: String) -> Check {
    if problems.is_empty() {
        Ok(summary)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Exercise, Lesson, Limits};

    /// A one-lesson course in a fresh temporary folder that passes every check;
    /// `break_it` then spoils one file.
    fn course(name: &str, break_it: impl FnOnce(&Path)) -> Course {
        let root =
            std::env::temp_dir().join(format!("gmcourse-content-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let write = |rel: &str, text: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let nb = serde_json::json!({"cells": [
            {"cell_type": "markdown", "source": ["## 1 · Alpha\n", "The run ends at 0.45; see `exercises/src/l01_x.rs`, exercise 1.1."]},
            {"cell_type": "markdown", "source": "## Exercises\n\n| exercise | function | what |\n|---|---|---|\n| 1.1 | `f(x)` | a |\n"}
        ]});
        write("notebooks/01-x.ipynb", &nb.to_string());
        write("exercises/src/l01_x.rs", "pub fn f() {}\n");
        write(
            "docs/guide.md",
            "| 01 | x | 1.1 `f` (1) |\n\nSections: `f`: Alpha; the rest.\n",
        );
        write(
            "solutions/src/l01_x.rs",
            "/// Notebook: `notebooks/01-x.ipynb`, section \"Alpha\".\npub fn f() {}\n",
        );
        write(
            "scripts/tests/test_notebook_numbers_01.py",
            "def test_it():\n    assert read('01-x.ipynb') == 0.45\n",
        );
        break_it(&root);
        Course {
            root,
            limits: Limits {
                timeout_ms: 1000,
                memory_mb: 100,
            },
            lessons: vec![Lesson {
                id: "01".into(),
                title: "x".into(),
                module: "l01_x".into(),
                notebook: "notebooks/01-x.ipynb".into(),
                trusted: vec![],
                forbidden: vec![],
            }],
            exercises: vec![Exercise {
                id: "1.1".into(),
                lesson: "01".into(),
                function: "f".into(),
                section: "Alpha".into(),
                points: 1,
                hints: vec!["a hint".into()],
            }],
            hidden: None,
        }
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(p, text.replace(from, to)).unwrap();
    }

    #[test]
    fn a_consistent_course_passes_all_five_checks() {
        let c = course("ok", |_| {});
        assert_eq!(sections(&c), Ok("1 exercises, 1 doc comments".into()));
        assert!(paths(&c.root).is_ok(), "{:?}", paths(&c.root));
        assert!(exercise_tables(&c).is_ok());
        assert!(prose_numbers(&c).is_ok(), "{:?}", prose_numbers(&c));
        assert_eq!(exercise_references(&c), Ok("3 references".into()));
        assert!(run(&c));
    }

    #[test]
    fn each_check_fails_on_its_own_kind_of_broken_copy() {
        let c = course("section", |r| {
            edit(r, "notebooks/01-x.ipynb", "1 · Alpha", "1 · Beta")
        });
        let e = sections(&c).unwrap_err();
        assert!(
            e.iter()
                .any(|p| p.contains("exercise 1.1: section \"Alpha\"")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|p| p.contains("solutions/src/l01_x.rs:1")),
            "{e:?}"
        );

        let c = course("doc", |r| {
            edit(r, "solutions/src/l01_x.rs", "\"Alpha\"", "\"Gamma\"")
        });
        assert_eq!(sections(&c).unwrap_err().len(), 1);

        let c = course("path", |r| {
            std::fs::remove_file(r.join("exercises/src/l01_x.rs")).unwrap()
        });
        let e = paths(&c.root).unwrap_err();
        assert!(
            e[0].contains("notebooks/01-x.ipynb, cell 0: names exercises/src/l01_x.rs"),
            "{e:?}"
        );

        let c = course("table", |r| {
            edit(r, "notebooks/01-x.ipynb", "| 1.1 |", "| 1.2 |")
        });
        assert!(exercise_tables(&c).unwrap_err()[0].contains("the table lists"));
        let c = course("fn", |r| {
            edit(r, "notebooks/01-x.ipynb", "`f(x)`", "`g(x)`")
        });
        assert!(exercise_tables(&c).unwrap_err()[0].contains("names `g(x)`"));

        let c = course("number", |r| {
            edit(r, "notebooks/01-x.ipynb", "0.45", "0.46")
        });
        let e = prose_numbers(&c).unwrap_err();
        assert!(e[0].contains("states 0.46"), "{e:?}");
        // a number only in a comment of the test does not count
        let c = course("comment", |r| {
            edit(
                r,
                "scripts/tests/test_notebook_numbers_01.py",
                "== 0.45",
                "== x  # 0.45",
            )
        });
        assert!(prose_numbers(&c).is_err());
        assert!(!run(&c));

        // a doc's table that gives an exercise another function, a function another
        // section, or mentions an exercise that does not exist
        let c = course("ref-fn", |r| edit(r, "docs/guide.md", "1.1 `f`", "1.2 `f`"));
        let e = exercise_references(&c).unwrap_err();
        assert!(
            e[0].contains("docs/guide.md: names 1.2 `f`, but `f` is exercise 1.1"),
            "{e:?}"
        );
        let c = course("ref-section", |r| {
            edit(r, "docs/guide.md", "`f`: Alpha", "`f`: Beta")
        });
        let e = exercise_references(&c).unwrap_err();
        assert!(
            e[0].contains("the section \"Beta\", the manifest \"Alpha\""),
            "{e:?}"
        );
        let c = course("ref-id", |r| {
            edit(r, "notebooks/01-x.ipynb", "exercise 1.1", "exercise 1.4")
        });
        let e = exercise_references(&c).unwrap_err();
        assert!(e[0].contains("cell 0: mentions exercise 1.4"), "{e:?}");
    }

    #[test]
    fn exercise_mentions_are_pairs_sections_and_ids_not_other_numbers() {
        let m = exercise_mentions(
            "4.1 `bernoulli_mle`, 4.2 `f`: MLE in closed form; see exercise 2.3 and Exercises 10.1. \
             Adam's 0.5 `beta1` is a pair too; `x`: y | z",
        );
        assert_eq!(
            m.pairs,
            vec![
                ("4.1".into(), "bernoulli_mle".into()),
                ("4.2".into(), "f".into()),
                ("0.5".into(), "beta1".into())
            ]
        );
        assert_eq!(
            m.sections,
            vec![
                ("f".into(), "MLE in closed form".into()),
                ("x".into(), "y".into())
            ]
        );
        assert_eq!(m.ids, vec!["2.3".to_string(), "10.1".to_string()]);
    }

    #[test]
    fn headings_drop_hashes_and_section_numbers() {
        let c = vec![(
            0,
            "markdown".to_string(),
            "## 3 · Cross-entropy\ntext\n### Where it sits".to_string(),
        )];
        assert_eq!(headings(&c), vec!["Cross-entropy", "Where it sits"]);
    }

    #[test]
    fn named_paths_finds_repository_paths_and_skips_urls_placeholders_and_build() {
        let text = "Open `exercises/src/l02_parameters.rs`. See https://github.com/x/docs/a.md, \
                    ../gmcourse, notebooks/NN-topic.ipynb, build/site/index.html, scripts/tests/test_*.py \
                    and docs/guide.md.";
        assert_eq!(
            named_paths(text),
            vec!["exercises/src/l02_parameters.rs", "docs/guide.md"]
        );
    }

    #[test]
    fn the_exercise_table_is_read_row_by_row() {
        let md = "## Exercises\n\n| exercise | function | what |\n|---|---|---|\n| 2.1 | `f(x)` | a |\n| 2.2 | `g` | b |\n\nafter";
        let t = exercise_table(md).unwrap();
        assert_eq!(
            t,
            vec![
                ("2.1".into(), "`f(x)`".into()),
                ("2.2".into(), "`g`".into())
            ]
        );
        assert!(exercise_table("no table").is_none());
    }

    #[test]
    fn stated_numbers_are_decimals_percentages_and_counts_outside_math_commands() {
        let md = "about 0.45, 16 % and 1,500 steps; $10^{2.5}$ and x2.5 and v1.2 are not; 3 alone is not";
        assert_eq!(stated_numbers(md), vec!["0.45", "16 %", "1,500"]);
    }

    #[test]
    fn a_number_in_a_comment_or_inside_a_longer_number_does_not_count() {
        let code =
            without_comments("x = 0.795  # 0.45\ny = '#0.7'\nPROSE = {'16 %': 'x'}\nn = 1_500");
        assert!(!mentions(&code, "0.45"));
        assert!(!mentions(&code, "0.79"));
        assert!(mentions(&code, "0.795"));
        assert!(mentions(&code, "16 %"));
        assert!(mentions(&code, "1,500"));
    }
}
