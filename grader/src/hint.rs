//! Hints in tiers. `./course hint 7.3` (or `:hint 7.3` in a notebook) shows the first hint
//! of exercise 7.3; asking again shows the next one as well, until the last; `--all` shows
//! every tier at once. How far each exercise has got is kept in [`LEVELS`] under the
//! course folder, so the terminal and the notebook share it.

use crate::manifest::{Exercise, Lesson};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the number of tiers shown per exercise is kept, under the course folder.
pub const LEVELS: &str = "build/hint-levels.json";

/// Moves `ex` one tier on (or to the last with `all`) in the file at `path`, and returns
/// how many tiers to show now: 1 the first time, never more than there are.
pub fn advance(path: &Path, ex: &Exercise, all: bool) -> usize {
    // a missing or damaged file only means that no hint was shown yet
    let mut levels: BTreeMap<String, usize> = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let tiers = ex.hints.len();
    let shown = if all {
        tiers
    } else {
        (levels.get(&ex.id).copied().unwrap_or(0) + 1).min(tiers)
    };
    levels.insert(ex.id.clone(), shown);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(text) = serde_json::to_string_pretty(&levels) {
        // not being able to remember is no reason to withhold the hint
        let _ = std::fs::write(path, text);
    }
    shown
}

/// The first `shown` tiers of `ex`'s hints, where to read, and how to get the next.
pub fn text(ex: &Exercise, lesson: &Lesson, shown: usize) -> String {
    let tiers = ex.hints.len();
    let mut out = format!(
        "exercise {} — `{}` (lesson {}: {})\n",
        ex.id, ex.function, lesson.id, lesson.title
    );
    for (k, h) in ex.hints.iter().take(shown).enumerate() {
        if tiers > 1 {
            out.push_str(&format!("hint {} of {tiers}:\n", k + 1));
        }
        out.push_str(h.trim());
        out.push('\n');
    }
    out.push_str(&format!(
        "read: {}, section \"{}\"\n",
        lesson.notebook, ex.section
    ));
    if shown < tiers {
        out.push_str(&format!(
            "(ask again — `./course hint {id}` or `:hint {id}` — for hint {} of {tiers}; \
             `--all` shows every hint)\n",
            shown + 1,
            id = ex.id,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise(tiers: &[&str]) -> Exercise {
        Exercise {
            id: "7.3".into(),
            lesson: "07".into(),
            function: "neg_elbo".into(),
            section: "The ELBO".into(),
            points: 3,
            hints: tiers.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn lesson() -> Lesson {
        Lesson {
            id: "07".into(),
            title: "VAE".into(),
            module: "l07_autoencoders_vae".into(),
            notebook: "notebooks/07-autoencoders-vae.ipynb".into(),
            trusted: vec![],
            forbidden: vec![],
        }
    }

    #[test]
    fn asking_again_shows_the_next_tier_until_the_last() {
        let dir = std::env::temp_dir().join(format!("grader-hints-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("build/hint-levels.json");
        let ex = exercise(&["first nudge", "second", "third"]);
        let shown: Vec<usize> = (0..4).map(|_| advance(&path, &ex, false)).collect();
        assert_eq!(shown, [1, 2, 3, 3]);
        let other = Exercise {
            id: "7.4".into(),
            ..exercise(&["a", "b"])
        };
        assert_eq!(
            advance(&path, &other, false),
            1,
            "each exercise has its own level"
        );
        let t = text(&ex, &lesson(), 2);
        assert!(t.contains("hint 1 of 3:\nfirst nudge") && t.contains("hint 2 of 3:\nsecond"));
        assert!(!t.contains("third") && t.contains("for hint 3 of 3"), "{t}");
        let last = text(&ex, &lesson(), 3);
        assert!(
            last.contains("third") && !last.contains("ask again"),
            "{last}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn all_shows_every_tier_and_a_damaged_file_starts_over() {
        let dir = std::env::temp_dir().join(format!("grader-hints-all-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("levels.json");
        std::fs::write(&path, "{not json").unwrap();
        let ex = exercise(&["a", "b", "c"]);
        assert_eq!(advance(&path, &ex, false), 1);
        assert_eq!(advance(&path, &ex, true), 3);
        let one = exercise(&["only"]);
        let t = text(&one, &lesson(), advance(&path, &one, false));
        assert!(t.contains("only") && !t.contains("hint 1 of 1"), "{t}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
