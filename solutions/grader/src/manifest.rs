//! `solutions/exercises.toml`, the one manifest, and the test files it points to.
//!
//! A test belongs to an exercise through a marker comment on the line(s) above
//! `#[test]`: `// exercise 1.2, 2 points`. The points of an exercise are the sum of its
//! tests' points, and must equal the manifest's `points` (checked by [`Course::lint`]).

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Per-test resource limits, from `[grading]`.
#[derive(Debug, Clone, Deserialize)]
pub struct Limits {
    pub timeout_ms: u64,
    pub memory_mb: u64,
}

/// One lesson: one notebook, one module, one public and one hidden test file.
#[derive(Debug, Clone, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub module: String,
    pub notebook: String,
}

/// One graded function.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    pub id: String,
    pub lesson: String,
    pub function: String,
    pub section: String,
    pub points: u32,
    pub hint: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ManifestFile {
    grading: Limits,
    lessons: Vec<Lesson>,
    exercises: Vec<Exercise>,
}

/// Whether students see a test before grading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// One `#[test]` function with its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    pub exercise: String,
    pub points: u32,
    pub visibility: Visibility,
}

impl TestCase {
    /// The name the harness knows it by: `public::name` or `hidden::name`.
    pub fn key(&self) -> String {
        format!("{}::{}", self.visibility.prefix(), self.name)
    }
}

/// The manifest plus the repository root it was read from.
#[derive(Debug, Clone)]
pub struct Course {
    pub root: PathBuf,
    pub limits: Limits,
    pub lessons: Vec<Lesson>,
    pub exercises: Vec<Exercise>,
}

impl Course {
    /// Reads `<root>/solutions/exercises.toml`.
    pub fn load(root: &Path) -> Result<Course, String> {
        let path = root.join("solutions/exercises.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let m: ManifestFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Course {
            root: root.to_path_buf(),
            limits: m.grading,
            lessons: m.lessons,
            exercises: m.exercises,
        })
    }

    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("solutions")
    }

    pub fn exercises_dir(&self) -> PathBuf {
        self.root.join("exercises")
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        let id = id.trim_start_matches('l');
        self.lessons
            .iter()
            .find(|l| l.id == id || l.id.trim_start_matches('0') == id)
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    pub fn exercises_of<'a>(&'a self, lesson: &'a Lesson) -> impl Iterator<Item = &'a Exercise> {
        self.exercises.iter().filter(move |e| e.lesson == lesson.id)
    }

    pub fn solution_file(&self, lesson: &Lesson) -> PathBuf {
        self.solutions_dir()
            .join(format!("src/{}.rs", lesson.module))
    }

    pub fn test_file(&self, lesson: &Lesson, vis: Visibility) -> PathBuf {
        self.solutions_dir()
            .join(format!("tests/{}/{}.rs", vis.prefix(), lesson.module))
    }

    /// Public and hidden tests of a lesson, read from `solutions/tests/`.
    pub fn tests_of(&self, lesson: &Lesson) -> Result<Vec<TestCase>, String> {
        let mut all = Vec::new();
        for vis in [Visibility::Public, Visibility::Hidden] {
            let path = self.test_file(lesson, vis);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            all.extend(parse_tests(&text, vis).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        Ok(all)
    }

    /// Consistency checks: every exercise in a known lesson, every test marked with a
    /// known exercise of its lesson, and manifest points equal to the tests' points.
    pub fn lint(&self) -> Result<(), String> {
        let mut problems = Vec::new();
        for e in &self.exercises {
            if self.lesson(&e.lesson).is_none() {
                problems.push(format!(
                    "exercise {} names unknown lesson {}",
                    e.id, e.lesson
                ));
            }
        }
        for lesson in &self.lessons {
            let tests = match self.tests_of(lesson) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            for t in &tests {
                if !self.exercises_of(lesson).any(|e| e.id == t.exercise) {
                    problems.push(format!(
                        "test {} is marked with exercise {}, which is not in lesson {}",
                        t.key(),
                        t.exercise,
                        lesson.id
                    ));
                }
            }
            for e in self.exercises_of(lesson) {
                let sum: u32 = tests
                    .iter()
                    .filter(|t| t.exercise == e.id)
                    .map(|t| t.points)
                    .sum();
                if sum != e.points {
                    problems.push(format!(
                        "exercise {} has points = {} in the manifest but its tests carry {sum}",
                        e.id, e.points
                    ));
                }
                if !tests
                    .iter()
                    .any(|t| t.exercise == e.id && t.visibility == Visibility::Public)
                {
                    problems.push(format!("exercise {} has no public test", e.id));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

/// Parses `// exercise 1.2, 2 points` markers followed by `#[test] fn name(`.
///
/// Test functions must start at column 0 (`fn name()` with no indentation), so that
/// the grader can make them `pub(crate)` by a plain text rewrite.
pub fn parse_tests(text: &str, vis: Visibility) -> Result<Vec<TestCase>, String> {
    let mut tests = Vec::new();
    let mut marker: Option<(String, u32)> = None;
    let mut saw_test_attr = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("// exercise ") {
            marker = Some(parse_marker(rest).map_err(|e| format!("line {}: {e}", i + 1))?);
        } else if t == "#[test]" {
            saw_test_attr = true;
        } else if saw_test_attr && t.starts_with("fn ") {
            if !line.starts_with("fn ") {
                return Err(format!(
                    "line {}: test functions must start at column 0",
                    i + 1
                ));
            }
            let name: String = t[3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let Some((exercise, points)) = marker.take() else {
                return Err(format!(
                    "line {}: test `{name}` has no `// exercise N.M, P points` marker above it",
                    i + 1
                ));
            };
            tests.push(TestCase {
                name,
                exercise,
                points,
                visibility: vis,
            });
            saw_test_attr = false;
        }
    }
    Ok(tests)
}

fn parse_marker(rest: &str) -> Result<(String, u32), String> {
    let (id, pts) = rest.split_once(',').ok_or_else(|| {
        format!("bad marker `// exercise {rest}`: expected `// exercise 1.2, 2 points`")
    })?;
    let n = pts
        .trim()
        .trim_end_matches("points")
        .trim_end_matches("point")
        .trim();
    let points = n
        .parse::<u32>()
        .map_err(|_| format!("bad points `{}` in marker `// exercise {rest}`", pts.trim()))?;
    Ok((id.trim().to_string(), points))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_assign_exercise_and_points_to_the_next_test() {
        let src = "// exercise 1.2, 2 points\n#[test]\nfn a_b() {}\n\n// exercise 1.3, 1 point\n#[test]\nfn c() {}\n";
        let t = parse_tests(src, Visibility::Hidden).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].name.as_str(), t[0].exercise.as_str(), t[0].points),
            ("a_b", "1.2", 2)
        );
        assert_eq!(t[1].key(), "hidden::c");
    }

    #[test]
    fn a_test_without_a_marker_is_rejected() {
        assert!(parse_tests("#[test]\nfn lonely() {}\n", Visibility::Public).is_err());
    }

    #[test]
    fn an_indented_test_is_rejected() {
        let src = "// exercise 1.1, 1 point\n#[test]\n    fn nested() {}\n";
        assert!(parse_tests(src, Visibility::Public).is_err());
    }
}
