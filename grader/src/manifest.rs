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
    /// Public functions of the lesson file that are the course's plumbing, not exercises
    /// (e.g. the training loop that runs the student's functions). The exercise server
    /// runs the reference solution's copy of them, never the submitted one, so a
    /// submission cannot change what they do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted: Vec<String>,
    /// Identifiers a submission of this lesson may not name (`grader/src/policy.rs`): the
    /// crate or items holding the course's own answers, e.g. `gmcourse` for a lesson
    /// written with std and ndarray, or a reference model's type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden: Vec<String>,
}

/// One graded function.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Exercise {
    pub id: String,
    pub lesson: String,
    pub function: String,
    pub section: String,
    pub points: u32,
    /// Hints in tiers: `hint` shows the first, asking again shows the next as well.
    pub hints: Vec<String>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    trusted: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    forbidden: Vec<String>,
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
    /// The marker's own limits (`// exercise 7.5, 3 points, 30 s, 2048 MB`), for a test
    /// that trains a model; `None`: the manifest's `[grading]` limits.
    pub timeout_ms: Option<u64>,
    pub memory_mb: Option<u64>,
}

impl TestCase {
    /// The name the harness knows it by: `public::name` or `hidden::name`.
    pub fn key(&self) -> String {
        format!("{}::{}", self.visibility.prefix(), self.name)
    }

    /// The limits this test runs under: its marker's, else `default`.
    pub fn limits(&self, default: &Limits) -> Limits {
        Limits {
            timeout_ms: self.timeout_ms.unwrap_or(default.timeout_ms),
            memory_mb: self.memory_mb.unwrap_or(default.memory_mb),
        }
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
                    trusted: l.trusted,
                    forbidden: l.forbidden,
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
                trusted: l.trusted.clone(),
                forbidden: l.forbidden.clone(),
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
            if e.hints.is_empty() || e.hints.iter().any(|h| h.trim().is_empty()) {
                problems.push(format!("exercise {} needs hints, none of them empty", e.id));
            }
            if self.lesson(&e.lesson).is_none() {
                problems.push(format!(
                    "exercise {} names unknown lesson {}",
                    e.id, e.lesson
                ));
            }
        }
        for lesson in &self.lessons {
            if !lesson.trusted.is_empty() {
                let path = self.solution_file(lesson);
                let items = std::fs::read_to_string(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|t| crate::judge::parse_items(&t));
                match items {
                    Err(e) => problems.push(format!("{}: {e}", path.display())),
                    Ok(items) => {
                        for name in &lesson.trusted {
                            if self.exercises_of(lesson).any(|e| &e.function == name) {
                                problems.push(format!(
                                    "lesson {}: `{name}` is an exercise, so it cannot be trusted",
                                    lesson.id
                                ));
                            } else if !items.fns.iter().any(|f| &f.name == name) {
                                problems.push(format!(
                                    "lesson {}: trusted `{name}` is no public function of {}",
                                    lesson.id,
                                    path.display()
                                ));
                            }
                        }
                    }
                }
            }
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

/// Parses `// exercise 1.2, 2 points` markers followed by `#[test] fn name(`. A marker
/// may add the test's own time and memory limits: `// exercise 7.5, 3 points, 30 s, 2048 MB`.
///
/// Test functions must start at column 0 (`fn name()` with no indentation), so that
/// the grader can make them `pub(crate)` by a plain text rewrite.
pub fn parse_tests(text: &str, vis: Visibility) -> Result<Vec<TestCase>, String> {
    let mut tests = Vec::new();
    let mut marker: Option<Marker> = None;
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
            let Some(m) = marker.take() else {
                return Err(format!(
                    "line {}: test `{name}` has no `// exercise N.M, P points` marker above it",
                    i + 1
                ));
            };
            tests.push(TestCase {
                name,
                exercise: m.exercise,
                points: m.points,
                visibility: vis,
                timeout_ms: m.timeout_ms,
                memory_mb: m.memory_mb,
            });
            saw_test_attr = false;
        }
    }
    Ok(tests)
}

/// What a `// exercise …` marker says.
struct Marker {
    exercise: String,
    points: u32,
    timeout_ms: Option<u64>,
    memory_mb: Option<u64>,
}

/// Longest time and most memory a marker may give one test.
const MAX_TEST_SECONDS: u64 = 300;
const MAX_TEST_MB: u64 = 8192;

fn parse_marker(rest: &str) -> Result<Marker, String> {
    let bad = |what: &str| {
        format!(
            "bad {what} in marker `// exercise {rest}`: expected `// exercise 1.2, 2 points`, \
             optionally followed by `, 30 s` and `, 2048 MB`"
        )
    };
    let mut parts = rest.split(',').map(str::trim);
    let id = parts.next().unwrap_or_default();
    let pts = parts.next().ok_or_else(|| bad("marker"))?;
    let n = pts
        .strip_suffix("points")
        .or_else(|| pts.strip_suffix("point"))
        .ok_or_else(|| bad("points"))?;
    let points = n.trim().parse::<u32>().map_err(|_| bad("points"))?;
    let mut m = Marker {
        exercise: id.to_string(),
        points,
        timeout_ms: None,
        memory_mb: None,
    };
    for part in parts {
        let number = |suffix: &str, max: u64| -> Option<u64> {
            let v = part.strip_suffix(suffix)?.trim().parse::<u64>().ok()?;
            (1..=max).contains(&v).then_some(v)
        };
        if let (Some(s), None) = (number(" s", MAX_TEST_SECONDS), m.timeout_ms) {
            m.timeout_ms = Some(s * 1000);
        } else if let (Some(mb), None) = (number(" MB", MAX_TEST_MB), m.memory_mb) {
            m.memory_mb = Some(mb);
        } else {
            return Err(bad(&format!(
                "limit `{part}` (seconds 1 to {MAX_TEST_SECONDS}, MB 1 to {MAX_TEST_MB}, each once)"
            )));
        }
    }
    Ok(m)
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
    fn a_marker_may_give_its_test_its_own_limits() {
        let src = "// exercise 7.5, 3 points, 30 s, 2048 MB\n#[test]\nfn trains() {}\n\
                   // exercise 7.5, 1 point, 12 s\n#[test]\nfn short() {}\n";
        let t = parse_tests(src, Visibility::Hidden).unwrap();
        let default = Limits {
            timeout_ms: 5000,
            memory_mb: 1024,
        };
        let l = t[0].limits(&default);
        assert_eq!((l.timeout_ms, l.memory_mb, t[0].points), (30_000, 2048, 3));
        let l = t[1].limits(&default);
        assert_eq!((l.timeout_ms, l.memory_mb), (12_000, 1024));
        for bad in [
            "// exercise 7.5, 3 points, 30 min\n",
            "// exercise 7.5, 3 points, 0 s\n",
            "// exercise 7.5, 3 points, 999 s\n",
            "// exercise 7.5, 3 points, 3 s, 4 s\n",
            "// exercise 7.5, 3\n",
        ] {
            let src = format!("{bad}#[test]\nfn t() {{}}\n");
            assert!(parse_tests(&src, Visibility::Public).is_err(), "{bad}");
        }
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
                (&a.id, &a.function, &a.section, a.points, &a.hints),
                (&b.id, &b.function, &b.section, b.points, &b.hints)
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
