//! `solutions/exercises.toml`, the one manifest, and the test files it points to; and
//! `exercises/exercises.toml`, the students' copy that `gen` writes from it.
//!
//! The students' copy has the lessons, exercises, hints, sections, points and limits,
//! and per lesson only the NUMBER of hidden tests and their points (never their names or
//! code). `check`, `hint`, `progress` and `watch` read it when it exists, so a student
//! copy without `solutions/` works; `gen`, `grade` and `validate` read `solutions/`.
//!
//! A test belongs to an exercise through a marker comment on the line(s) above
//! `#[test]`: `// exercise 1.2, 2 points`. The points of an exercise are the sum of its
//! tests' points, and must equal the manifest's `points` (checked by [`Course::lint`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Per-test resource limits, from `[grading]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Limits {
    pub timeout_ms: u64,
    pub memory_mb: u64,
}

/// One lesson: one notebook, one module, one public and one hidden test file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub module: String,
    pub notebook: String,
}

/// One graded function.
#[derive(Debug, Clone, Deserialize, Serialize)]
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

/// A lesson as students see it: no test names, only the size of the hidden suite.
#[derive(Debug, Clone, Deserialize, Serialize)]
struct StudentLesson {
    id: String,
    title: String,
    module: String,
    notebook: String,
    hidden_tests: usize,
    hidden_points: u32,
}

/// `exercises/exercises.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
struct StudentManifestFile {
    grading: Limits,
    lessons: Vec<StudentLesson>,
    exercises: Vec<Exercise>,
}

/// Where the students' manifest lives, relative to `exercises/`.
pub const STUDENT_MANIFEST: &str = "exercises.toml";

/// How many hidden tests a lesson has and what they are worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenSummary {
    pub tests: usize,
    pub points: u32,
}

pub use course_contract::Visibility;

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
    /// Set when loaded from the students' manifest: the hidden suite's size per lesson
    /// (the hidden tests themselves are not available).
    pub hidden: Option<BTreeMap<String, HiddenSummary>>,
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
            hidden: None,
        })
    }

    /// For the student commands: `<root>/exercises/exercises.toml` when it exists
    /// (a student copy may have no `solutions/`), else `solutions/exercises.toml`.
    pub fn load_student(root: &Path) -> Result<Course, String> {
        let path = root.join("exercises").join(STUDENT_MANIFEST);
        if !path.is_file() {
            return Course::load(root);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let m: StudentManifestFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let hidden = m
            .lessons
            .iter()
            .map(|l| {
                let h = HiddenSummary {
                    tests: l.hidden_tests,
                    points: l.hidden_points,
                };
                (l.id.clone(), h)
            })
            .collect();
        Ok(Course {
            root: root.to_path_buf(),
            limits: m.grading,
            lessons: m
                .lessons
                .into_iter()
                .map(|l| Lesson {
                    id: l.id,
                    title: l.title,
                    module: l.module,
                    notebook: l.notebook,
                })
                .collect(),
            exercises: m.exercises,
            hidden: Some(hidden),
        })
    }

    /// The students' manifest (`exercises/exercises.toml`) as text: everything students
    /// may know, and of the hidden tests only their count and points per lesson.
    pub fn student_manifest(&self) -> Result<String, String> {
        let mut lessons = Vec::new();
        for l in &self.lessons {
            let h = self.hidden_summary(l)?;
            lessons.push(StudentLesson {
                id: l.id.clone(),
                title: l.title.clone(),
                module: l.module.clone(),
                notebook: l.notebook.clone(),
                hidden_tests: h.tests,
                hidden_points: h.points,
            });
        }
        let m = StudentManifestFile {
            grading: self.limits.clone(),
            lessons,
            exercises: self.exercises.clone(),
        };
        let body = toml::to_string_pretty(&m).map_err(|e| e.to_string())?;
        Ok(format!(
            "# generated from solutions/exercises.toml by `./course gen`: the lessons, exercises,\n\
             # hints and points that `./course check`, `hint` and `progress` use. Of the hidden\n\
             # tests it holds only how many each lesson has and what they are worth.\n\n{body}"
        ))
    }

    /// The number and points of a lesson's hidden tests: from the students' manifest,
    /// or counted in `solutions/tests/hidden/`.
    pub fn hidden_summary(&self, lesson: &Lesson) -> Result<HiddenSummary, String> {
        if let Some(h) = &self.hidden {
            return h.get(&lesson.id).copied().ok_or_else(|| {
                format!(
                    "the manifest has no hidden-test summary for lesson {}",
                    lesson.id
                )
            });
        }
        let hidden: Vec<TestCase> = self
            .tests_of(lesson)?
            .into_iter()
            .filter(|t| t.visibility == Visibility::Hidden)
            .collect();
        Ok(HiddenSummary {
            tests: hidden.len(),
            points: hidden.iter().map(|t| t.points).sum(),
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

    /// The course's own repository root (two levels above this crate).
    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_student_manifest_round_trips_without_hidden_test_names() {
        let course = Course::load(&repo_root()).unwrap();
        let text = course.student_manifest().unwrap();
        let dir = std::env::temp_dir().join(format!("grader-student-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("exercises")).unwrap();
        std::fs::write(dir.join("exercises").join(STUDENT_MANIFEST), &text).unwrap();
        // No solutions/ in `dir`: the students' manifest is all there is.
        let student = Course::load_student(&dir).unwrap();
        assert_eq!(student.lessons.len(), course.lessons.len());
        for (a, b) in student.exercises.iter().zip(&course.exercises) {
            assert_eq!(
                (&a.id, &a.function, &a.section, a.points, &a.hint),
                (&b.id, &b.function, &b.section, b.points, &b.hint)
            );
        }
        for lesson in &course.lessons {
            assert_eq!(
                student.hidden_summary(lesson).unwrap(),
                course.hidden_summary(lesson).unwrap(),
                "hidden summary of lesson {}",
                lesson.id
            );
            for t in course.tests_of(lesson).unwrap() {
                if t.visibility == Visibility::Hidden {
                    assert!(!text.contains(&t.name), "hidden test {} leaked", t.name);
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_a_student_manifest_the_student_commands_fall_back_to_solutions() {
        let dir = std::env::temp_dir().join(format!("grader-empty-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let err = Course::load_student(&dir).unwrap_err();
        assert!(err.contains("solutions/exercises.toml"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
