//! Where a cell's time went, as the reply tells it: `execute_reply` content carries
//! `gmcourse_timing`, an object of seconds per phase, measured by the patched evcxr
//! (`vendor/evcxr/PATCHES.md`) and summed over the cell's builds:
//!
//! - `analysis`: rust-analyzer working out the types of the cell's variables;
//! - `cargo`: cargo's share of the builds (checking what is fresh, rebuilding what is not),
//!   that is each `cargo build` less rustc on the cell's crate;
//! - `rustc`: rustc on the cell's crate, less linking; `link`: the linker;
//! - `load`: loading the cell's shared object; `run`: running it;
//! - `check`: `cargo check` (only when evcxr explains an error with it);
//! - `builds`: how many times the cell's crate was built (a final expression that has no
//!   `evcxr_display` costs one more);
//! - `rebuilt`: the crates cargo compiled again besides the cell's (names of their
//!   targets). Empty on a warm cell: nothing the cell depends on has changed.
//!
//! `bench/notebook_latency.py` reads it; no front end shows it.

use serde_json::Value;

/// The phases evcxr reports, in order of a cell's life.
const PHASES: [&str; 7] = ["analysis", "check", "cargo", "rustc", "link", "load", "run"];

/// The `gmcourse_timing` object of evcxr's phases.
pub(crate) fn phases(phases: &[evcxr::PhaseDetails]) -> Value {
    let mut out = serde_json::Map::new();
    for name in PHASES {
        let seconds: f64 = phases
            .iter()
            .filter(|p| p.name == name)
            .map(|p| p.duration.as_secs_f64())
            .sum();
        out.insert(name.to_owned(), Value::from(seconds));
    }
    let builds = phases.iter().filter(|p| p.name == "cargo").count();
    out.insert("builds".to_owned(), Value::from(builds));
    let rebuilt: Vec<&str> = phases
        .iter()
        .filter_map(|p| p.name.strip_prefix("rebuilt "))
        .collect();
    out.insert("rebuilt".to_owned(), Value::from(rebuilt));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn phases_are_summed_over_builds() {
        let phase = |name: &str, ms| evcxr::PhaseDetails {
            name: name.to_owned(),
            duration: Duration::from_millis(ms),
        };
        let timing = super::phases(&[
            phase("Final compile", 900),
            phase("cargo", 100),
            phase("rustc", 200),
            phase("cargo", 50),
            phase("link", 25),
            phase("rebuilt exercises", 0),
            phase("run", 5),
        ]);
        let ms = |phase: &str| (timing[phase].as_f64().unwrap() * 1000.0).round();
        assert_eq!(ms("cargo"), 150.0);
        assert_eq!(ms("rustc"), 200.0);
        assert_eq!(ms("link"), 25.0);
        assert_eq!(ms("load"), 0.0);
        assert_eq!(timing["builds"], 2);
        assert_eq!(timing["rebuilt"], serde_json::json!(["exercises"]));
        assert!(timing.get("Final compile").is_none());
    }
}
