//! `history_request`: the cells of this session, kept in memory (session number 0).

use crate::course::Course;
use serde_json::Value;

impl Course {
    /// The `history_reply` content for a `history_request`.
    pub(crate) fn history_reply(&self, request: &Value) -> Value {
        history_reply(&self.history.lock().unwrap(), request)
    }
}

/// The last `n` of `v` (all of it without `n`).
fn last<T>(mut v: Vec<T>, n: Option<usize>) -> Vec<T> {
    if let Some(n) = n {
        v.drain(..v.len().saturating_sub(n));
    }
    v
}

/// The `history_reply` content over the cells of this session (session number 0):
/// `tail` (the last n), `range` (start..stop) and `search` (a glob with `*` and `?`,
/// optionally `unique`, the last n). With `output`, each entry is (input, null): the kernel
/// does not keep outputs.
fn history_reply(cells: &[String], request: &Value) -> Value {
    let numbered: Vec<(usize, &String)> =
        cells.iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
    let n = request["n"].as_u64().map(|n| n as usize);
    let picked: Vec<(usize, &String)> = match request["hist_access_type"].as_str() {
        Some("tail") => last(numbered, Some(n.unwrap_or(10))),
        Some("range") => {
            let start = request["start"].as_u64().unwrap_or(0) as usize;
            let stop = request["stop"]
                .as_u64()
                .map(|s| s as usize)
                .unwrap_or(usize::MAX);
            numbered
                .into_iter()
                .filter(|(i, _)| *i >= start && *i < stop)
                .collect()
        }
        Some("search") => {
            let pattern: Vec<char> = request["pattern"].as_str().unwrap_or("*").chars().collect();
            let mut found: Vec<(usize, &String)> = numbered
                .into_iter()
                .filter(|(_, c)| glob_match(&pattern, &c.chars().collect::<Vec<_>>()))
                .collect();
            if request["unique"].as_bool() == Some(true) {
                let mut seen = std::collections::HashSet::new();
                found.reverse();
                found.retain(|(_, c)| seen.insert(c.as_str()));
                found.reverse();
            }
            last(found, n)
        }
        _ => Vec::new(),
    };
    let with_output = request["output"].as_bool() == Some(true);
    let history: Vec<Value> = picked
        .into_iter()
        .map(|(i, c)| {
            if with_output {
                array![0, i, array![c, Value::Null]]
            } else {
                array![0, i, c]
            }
        })
        .collect();
    object! { "status" => "ok", "history" => history }
}

/// Glob matching with `*` (any run) and `?` (one character).
fn glob_match(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|k| glob_match(rest, &text[k..])),
        Some(('?', rest)) => !text.is_empty() && glob_match(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob_match(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_answers_tail_range_and_search() {
        let cells: Vec<String> = ["let a = 1;", "println!(\"{a}\");", "let a = 1;"]
            .map(String::from)
            .to_vec();
        let tail = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "tail", "n": 2}),
        );
        assert_eq!(
            tail["history"],
            serde_json::json!([[0, 2, "println!(\"{a}\");"], [0, 3, "let a = 1;"]])
        );
        let range = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "range", "start": 1, "stop": 2}),
        );
        assert_eq!(range["history"], serde_json::json!([[0, 1, "let a = 1;"]]));
        let search = |extra: Value| {
            let mut req = serde_json::json!({"hist_access_type": "search", "pattern": "let*"});
            req.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            history_reply(&cells, &req)["history"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!(search(serde_json::json!({})), 2);
        assert_eq!(search(serde_json::json!({"unique": true})), 1);
        assert_eq!(search(serde_json::json!({"n": 1})), 1);
        let with_output = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "tail", "n": 1, "output": true}),
        );
        assert_eq!(with_output["history"][0][2].as_array().unwrap().len(), 2);
    }

    #[test]
    fn glob_patterns() {
        let m = |p: &str, t: &str| {
            glob_match(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*print*", "println!(1)"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(!m("print*", "eprintln!()"));
    }
}
