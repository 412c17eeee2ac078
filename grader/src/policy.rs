//! Source rules for graded code, checked before compiling.
//!
//! Graded code may not read files at compile time (`include_str!`, `include_bytes!`,
//! `include!`, `#[path]`), which could pull in the hidden tests' source. `unsafe` code,
//! `#[no_mangle]` and `#[link_section]` (code that runs before the harness's `main`)
//! are rejected by the compiler through `#![forbid(unsafe_code)]` in the harness.
//!
//! A lesson may also name identifiers its exercises must not use (`forbidden` in the
//! manifest): the crate or the items that hold the course's own answers, e.g. `gmcourse`
//! for the lessons written with std and ndarray, or a reference model's type. Rust cannot
//! build an identifier at compile time on stable (no `concat_idents!`, and graded code can
//! use no proc macro), and a path, `use` or alias must spell every segment, so code that
//! reaches such an item names it.
//!
//! The scan strips comments and string literals first, so a comment that mentions
//! `include_str!` is fine; it then looks at identifiers, which also catches a macro that
//! receives `include_str` as an argument.

/// The first forbidden construct in `src`, with the reason, if any. `forbidden`: the
/// identifiers this lesson's exercises may not name, and why.
pub fn violation(src: &str, forbidden: &[String], lesson: &str) -> Option<String> {
    let code = strip_comments_and_strings(src);
    let squashed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    for attr in ["#[path", "#![path"] {
        if squashed.contains(attr) {
            return Some(
                "`#[path]` (loading other source files) is not allowed in graded code".into(),
            );
        }
    }
    let mut ident = String::new();
    for c in code.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            ident.push(c);
            continue;
        }
        if matches!(ident.as_str(), "include" | "include_str" | "include_bytes") {
            return Some(format!(
                "`{ident}!` (reading files at compile time) is not allowed in graded code"
            ));
        }
        if forbidden.contains(&ident) {
            return Some(format!(
                "the exercises of lesson {lesson} may not use `{ident}`: it holds the course's own \
                 answers to them (write them with what the stub imports)"
            ));
        }
        ident.clear();
    }
    None
}

/// Replaces comments and the contents of string and char literals by spaces.
pub fn strip_comments_and_strings(src: &str) -> String {
    let s: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_ident(&s, i) {
            // raw string r"..." or r#"..."#
            let mut j = i + 1;
            let mut hashes = 0;
            while s.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if s.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= s.len() {
                    break;
                }
                if s[j] == '"' && (0..hashes).all(|k| s.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < s.len() && s[i] != '"' {
                if s[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // char literal ('x', '\n', '\u{..}') or lifetime ('a)
            if next == Some('\\') {
                i += 2;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if s.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(s: &[char], i: usize) -> bool {
    i > 0 && (s[i - 1].is_alphanumeric() || s[i - 1] == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_hidden_tests_at_compile_time_is_rejected() {
        assert!(
            violation(
                "fn f() -> &'static str { include_str!(\"../hidden_tests.rs\") }",
                &[],
                "01"
            )
            .is_some()
        );
        assert!(violation("const B: &[u8] = include_bytes ! (\"x\");", &[], "01").is_some());
        assert!(violation("include!(\"x.rs\");", &[], "01").is_some());
        assert!(violation("#[ path = \"x.rs\" ] mod x;", &[], "01").is_some());
        assert!(
            violation(
                "macro_rules! m { ($i:ident) => { $i!(\"x\") } } m!(include_str);",
                &[],
                "01"
            )
            .is_some()
        );
    }

    #[test]
    fn mentions_in_comments_and_strings_are_fine() {
        let ok = "// never use include_str! here\n/* include!(x) */\nfn f() -> &'static str { \"include_str!\" }\nfn g<'a>(x: &'a str) -> char { let _ = r#\"include!\"#; 'x' }\n";
        assert_eq!(violation(ok, &["gmcourse".into()], "01"), None);
    }

    #[test]
    fn ordinary_code_passes() {
        assert_eq!(
            violation(
                "pub fn included(path: &str) -> usize { path.len() }",
                &[],
                "01"
            ),
            None
        );
    }

    #[test]
    fn a_lessons_forbidden_names_are_rejected_however_they_are_spelled() {
        let forbidden = ["gmcourse".to_string(), "Vae".to_string()];
        for src in [
            "pub fn f() -> f64 { gmcourse::info::entropy(&[0.5, 0.5]).unwrap() }",
            "use gmcourse::info as i;\npub fn f() -> f64 { 1.0 }",
            "extern crate gmcourse as g;",
            "pub fn f() { let _ = ::gmcourse::VERSION; }",
            "pub fn f() { let _ = r#gmcourse::VERSION; }",
            "use gmcourse::models::*;\npub fn f(v: &Vae) {}",
        ] {
            let v = violation(src, &forbidden, "07").unwrap_or_default();
            assert!(v.contains("lesson 07 may not use"), "{src}: {v}");
        }
        // a longer name that contains one, a comment or a string is fine
        let ok = "// gmcourse has the answer\npub fn vae_step(gmcourse_like: f64) -> &'static str { \"Vae\" }";
        assert_eq!(violation(ok, &forbidden, "07"), None);
    }
}
