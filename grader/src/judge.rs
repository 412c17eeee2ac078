//! The judge and the exercise server: the two crates a lesson's tests become.
//!
//! Student code and test code never share a process. From one lesson's reference solution
//! (trusted) this module generates:
//!
//! - the **proxy module**: the lesson's types as the solution declares them, and every
//!   public function with the solution's signature and a body that forwards the call over
//!   the wire ([`proxy_module`]). The judge crate is this module, the tests and
//!   [`judge_main`]. It holds the assertions, the hidden tests and their expected values,
//!   and runs outside the sandbox;
//! - the **dispatch table** of the exercise server ([`server_main`]): it decodes each
//!   call's arguments, calls the student's function and encodes the result. The server
//!   crate is this table and the student's file, nothing else, and runs in the sandbox.
//!
//! The wire format is `grader/wire/wire.rs`. Every argument and result type
//! must have `Put` and `Get`: numbers, `bool`, `String`, vectors, arrays, tuples,
//! `Option`, `Result`, `gmcourse::Error`, and the structs and enums a lesson declares
//! (their impls are generated here, field by field, from the solution's declaration, so
//! a student's file needs no derive). A parameter `&dyn Fn(A) -> R` stays in the judge:
//! the server calls it back.
//!
//! The solution files are rustfmt-formatted: an item starts at column 0 and ends with a
//! `}` at column 0. Anything the parser does not know is an error that names the line.

use crate::manifest::{TestCase, Visibility};

/// The wire protocol, copied into every generated crate as `src/wire.rs`.
pub const WIRE_RS: &str = include_str!("../wire/wire.rs");
/// `gmcourse::Error` on the wire, copied as `src/wire_gmcourse.rs`.
pub const WIRE_GMCOURSE_RS: &str = include_str!("../wire/gmcourse_error.rs");

/// A lesson's public items, as its solution declares them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items {
    /// `use` lines at the top level, copied into the generated code.
    pub uses: Vec<String>,
    pub types: Vec<TypeItem>,
    pub fns: Vec<FnSig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeItem {
    pub name: String,
    /// The declaration with its attributes and docs, verbatim.
    pub text: String,
    pub shape: Shape,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Named fields: `(name, type)`.
    Struct(Vec<(String, String)>),
    /// Unit variants.
    Enum(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FnSig {
    pub name: String,
    /// The whole item, from `pub fn` to its closing `}` (for trusted functions, which
    /// the server compiles from the reference's text).
    pub text: String,
    /// `pub fn name(…) -> R`, without the body.
    pub signature: String,
    pub params: Vec<(String, Param)>,
    /// The return type; `()` if none.
    pub ret: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// Sent over the wire: decoded as `owned`, passed as `&owned` if `by_ref`.
    Value { owned: String, by_ref: bool },
    /// `&dyn Fn(args) -> ret`: called back in the judge.
    Callback { args: Vec<String>, ret: String },
}

/// Parses the public items of a solution file.
pub fn parse_items(src: &str) -> Result<Items, String> {
    let lines: Vec<&str> = src.lines().collect();
    let mut items = Items::default();
    let mut pending: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let at = |m: &str| format!("line {}: {m}", i + 1);
        // inner docs, plain comments (a generated stub's first line) and blank lines
        if line.starts_with("//!")
            || (line.starts_with("//") && !line.starts_with("///"))
            || line.trim().is_empty()
        {
            pending.clear();
            i += 1;
            continue;
        }
        if line.starts_with("///") || line.starts_with("#[") {
            pending.push(line);
            i += 1;
            continue;
        }
        if line.starts_with("use ") || line.starts_with("pub use ") {
            if !line.ends_with(';') {
                return Err(at("a `use` over several lines is not supported here"));
            }
            items.uses.push(line.trim_start_matches("pub ").to_string());
            pending.clear();
            i += 1;
            continue;
        }
        let end = (i..lines.len())
            .find(|&j| lines[j] == "}" || (j == i && line.ends_with(';')))
            .ok_or_else(|| at("the item has no closing `}` at column 0"))?;
        if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = ident(rest);
            if !rest[name.len()..].trim_start().starts_with('{') {
                return Err(at("only structs with named fields cross the wire"));
            }
            let mut fields = Vec::new();
            for l in &lines[i + 1..end] {
                let t = l.trim();
                if t.is_empty() || t.starts_with("//") || t.starts_with("#[") {
                    continue;
                }
                let t = t
                    .strip_prefix("pub ")
                    .ok_or_else(|| at(&format!("field `{t}` of `{name}` is not public")))?;
                let (f, ty) = t
                    .split_once(':')
                    .ok_or_else(|| at(&format!("cannot read the field `{t}`")))?;
                fields.push((
                    f.trim().to_string(),
                    ty.trim().trim_end_matches(',').trim().to_string(),
                ));
            }
            items.types.push(type_item(
                &name,
                &pending,
                &lines[i..=end],
                Shape::Struct(fields),
            ));
        } else if let Some(rest) = line.strip_prefix("pub enum ") {
            let name = ident(rest);
            let mut variants = Vec::new();
            for l in &lines[i + 1..end] {
                let t = l.trim();
                if t.is_empty() || t.starts_with("//") || t.starts_with("#[") {
                    continue;
                }
                let v = t.trim_end_matches(',');
                if ident(v) != v {
                    return Err(at(&format!("only unit variants cross the wire, not `{v}`")));
                }
                variants.push(v.to_string());
            }
            items.types.push(type_item(
                &name,
                &pending,
                &lines[i..=end],
                Shape::Enum(variants),
            ));
        } else if line.starts_with("pub fn ") {
            let sig_end = (i..end)
                .find(|&j| lines[j].ends_with('{'))
                .ok_or_else(|| at("cannot find where the signature ends"))?;
            let sig = lines[i..=sig_end].join("\n");
            let sig = sig.trim_end().trim_end_matches('{').trim_end().to_string();
            let mut f = parse_signature(&sig).map_err(|e| at(&e))?;
            f.text = lines[i..=end].join("\n");
            items.fns.push(f);
        } else if line.starts_with("pub ") {
            return Err(at(&format!(
                "public item `{line}` cannot be served to the judge (only `pub fn`, `pub struct` and `pub enum`)"
            )));
        }
        // private items (helpers) stay out of both generated crates
        pending.clear();
        i = end + 1;
    }
    Ok(items)
}

fn type_item(name: &str, attrs: &[&str], body: &[&str], shape: Shape) -> TypeItem {
    let mut text: Vec<&str> = attrs.to_vec();
    text.extend_from_slice(body);
    TypeItem {
        name: name.to_string(),
        text: text.join("\n"),
        shape,
    }
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Splits at top-level commas, treating `->` as one token.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let mut prev = ' ';
    for c in s.chars() {
        match c {
            '(' | '[' | '<' => depth += 1,
            ')' | ']' => depth -= 1,
            '>' if prev != '-' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                prev = c;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        prev = c;
    }
    out.push(cur);
    out.into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The index of the `)` matching the `(` at `open`.
fn matching_paren(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses `pub fn name(params) -> Ret`.
pub fn parse_signature(sig: &str) -> Result<FnSig, String> {
    let rest = sig
        .strip_prefix("pub fn ")
        .ok_or("a signature starts with `pub fn`")?;
    let name = ident(rest);
    let open = sig.find('(').ok_or("no parameter list")?;
    if sig[..open].contains('<') {
        return Err(format!(
            "`{name}` is generic; generic functions cannot be served"
        ));
    }
    let close = matching_paren(sig, open).ok_or("unbalanced parentheses")?;
    let ret = sig[close + 1..].trim();
    let ret = match ret.strip_prefix("->") {
        Some(r) => r.trim().to_string(),
        None if ret.is_empty() => "()".to_string(),
        None => return Err(format!("cannot read the return type `{ret}`")),
    };
    let mut params = Vec::new();
    for p in split_top(&sig[open + 1..close]) {
        let (n, ty) = p
            .split_once(':')
            .ok_or_else(|| format!("cannot read the parameter `{p}`"))?;
        params.push((n.trim().to_string(), param(ty.trim())?));
    }
    Ok(FnSig {
        name,
        text: String::new(),
        signature: sig
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(", )", ")"),
        params,
        ret,
    })
}

fn param(ty: &str) -> Result<Param, String> {
    for prefix in ["&dyn Fn(", "&impl Fn("] {
        if let Some(rest) = ty.strip_prefix(prefix) {
            let open = prefix.len() - 1;
            let close = matching_paren(ty, open).ok_or("unbalanced parentheses")?;
            let args = split_top(&rest[..close - open - 1]);
            let ret = ty[close + 1..].trim();
            let ret = ret.strip_prefix("->").map(str::trim).unwrap_or("()");
            return Ok(Param::Callback {
                args,
                ret: ret.to_string(),
            });
        }
    }
    if ty.starts_with("&mut ") {
        return Err(format!(
            "`{ty}`: a `&mut` parameter cannot cross the wire; return the value instead"
        ));
    }
    if let Some(inner) = ty.strip_prefix("&[").and_then(|t| t.strip_suffix(']')) {
        if !inner.contains(';') {
            return Ok(Param::Value {
                owned: format!("Vec<{inner}>"),
                by_ref: true,
            });
        }
    }
    if ty == "&str" {
        return Ok(Param::Value {
            owned: "String".into(),
            by_ref: true,
        });
    }
    if let Some(inner) = ty.strip_prefix('&') {
        return Ok(Param::Value {
            owned: inner.trim().to_string(),
            by_ref: true,
        });
    }
    Ok(Param::Value {
        owned: ty.to_string(),
        by_ref: false,
    })
}

/// `Put` and `Get` for the lesson's own types, as `crate::<module>::Name`. The same text
/// serves the judge (the solution's declarations) and the server (the student's): if the
/// student's type lost a field, the server does not compile.
pub fn wire_impls(module: &str, items: &Items) -> String {
    let mut out = String::new();
    for t in &items.types {
        let path = format!("crate::{module}::{}", t.name);
        let (put, get) = match &t.shape {
            Shape::Struct(fields) => {
                let put: String = fields
                    .iter()
                    .map(|(f, _)| format!("        crate::wire::Put::put(&self.{f}, out);\n"))
                    .collect();
                let get: String = fields
                    .iter()
                    .map(|(f, _)| format!("            {f}: crate::wire::Get::get(input)?,\n"))
                    .collect();
                (put, format!("        Some(Self {{\n{get}        }})\n"))
            }
            Shape::Enum(vs) => {
                let put: String = vs
                    .iter()
                    .enumerate()
                    .map(|(k, v)| format!("            Self::{v} => {k}u32,\n"))
                    .collect();
                let get: String = vs
                    .iter()
                    .enumerate()
                    .map(|(k, v)| format!("            {k} => Some(Self::{v}),\n"))
                    .collect();
                (
                    format!(
                        "        #[allow(unreachable_patterns)]\n        let k: u32 = match self {{\n{put}            _ => u32::MAX,\n        }};\n        crate::wire::Put::put(&k, out);\n"
                    ),
                    format!(
                        "        match <u32 as crate::wire::Get>::get(input)? {{\n{get}            _ => None,\n        }}\n"
                    ),
                )
            }
        };
        out.push_str(&format!(
            "impl crate::wire::Put for {path} {{\n    fn put(&self, out: &mut Vec<u8>) {{\n{put}    }}\n}}\n\
             impl crate::wire::Get for {path} {{\n    fn get(input: &mut &[u8]) -> Option<Self> {{\n{get}    }}\n}}\n"
        ));
    }
    out
}

/// The judge's copy of the lesson module: the solution's types and, for every public
/// function, its signature with a body that calls the exercise server.
pub fn proxy_module(lesson_id: &str, items: &Items) -> String {
    let mut out = format!(
        "// Generated by course-grader from the reference solution of lesson {lesson_id}: the\n\
         // judge's view of the lesson. Every function forwards to the exercise server.\n\
         #![allow(unused_imports, dead_code, clippy::all)]\n"
    );
    for u in &items.uses {
        out.push_str(u);
        out.push('\n');
    }
    for t in &items.types {
        out.push('\n');
        out.push_str(&t.text);
        out.push('\n');
    }
    for f in &items.fns {
        let mut callbacks = Vec::new();
        let mut sent = Vec::new();
        for (k, (name, p)) in f.params.iter().enumerate() {
            match p {
                Param::Value { .. } => sent.push(format!("&{name}")),
                Param::Callback { args, ret } => {
                    let vars: Vec<String> = (0..args.len()).map(|j| format!("p{j}")).collect();
                    callbacks.push(format!(
                        "    let cb{k} = |b: &[u8]| -> Option<Vec<u8>> {{\n        let ({vs},): ({ts},) = crate::wire::decode(b)?;\n        let r: {ret} = {name}({vs});\n        Some(crate::wire::encode(&r))\n    }};\n",
                        vs = vars.join(", "),
                        ts = args.join(", "),
                    ));
                    sent.push(String::new());
                }
            }
        }
        let sent: Vec<&String> = sent.iter().filter(|s| !s.is_empty()).collect();
        let tuple = match sent.len() {
            0 => "()".to_string(),
            _ => format!(
                "({},)",
                sent.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let cbs: Vec<String> = f
            .params
            .iter()
            .enumerate()
            .filter(|(_, (_, p))| matches!(p, Param::Callback { .. }))
            .map(|(k, _)| format!("({k}, &cb{k})"))
            .collect();
        out.push_str(&format!(
            "\n{} {{\n{}    crate::wire::call(\"{}\", &{tuple}, &[{}])\n}}\n",
            f.signature,
            callbacks.concat(),
            f.name,
            cbs.join(", ")
        ));
    }
    out
}

/// The exercise server's `main.rs`: the student's module, the wire, and one dispatch arm
/// per public function of the solution. No test code, no expected value. The functions
/// named in `trusted` (the lesson's plumbing) are compiled from the solution's text, in a
/// module of their own that sees the student's items, and their arms call that copy.
/// One lesson's part of an exercise server: the wire impls of its types, its plumbing
/// (`trusted_<tag>`) and its dispatch table (`dispatch_<tag>::dispatch`), for the student's
/// module `crate::<module>`.
fn server_part(module: &str, items: &Items, trusted: &[String], tag: &str) -> String {
    let mut arms = String::new();
    let mut trusted_fns = String::new();
    for f in &items.fns {
        let callee = if trusted.contains(&f.name) {
            trusted_fns.push_str(&f.text);
            trusted_fns.push('\n');
            format!("crate::trusted_{tag}::{}", f.name)
        } else {
            f.name.clone()
        };
        let mut decl_vars = Vec::new();
        let mut decl_types = Vec::new();
        let mut call_args = Vec::new();
        for (k, (_, p)) in f.params.iter().enumerate() {
            match p {
                Param::Value { owned, by_ref } => {
                    decl_vars.push(format!("mut a{k}"));
                    decl_types.push(owned.clone());
                    call_args.push(if *by_ref {
                        format!("&a{k}")
                    } else {
                        format!("a{k}")
                    });
                }
                Param::Callback { args, ret } => {
                    let vars: Vec<String> = (0..args.len()).map(|j| format!("p{j}")).collect();
                    let typed: Vec<String> = vars
                        .iter()
                        .zip(args)
                        .map(|(v, t)| format!("{v}: {t}"))
                        .collect();
                    call_args.push(format!(
                        "&|{}| -> {ret} {{ chan.callback({k}, &({},)) }}",
                        typed.join(", "),
                        vars.join(", ")
                    ));
                }
            }
        }
        let decode = if decl_vars.is_empty() {
            "let (): () = crate::wire::decode(args)?;".to_string()
        } else {
            format!(
                "let ({},): ({},) = crate::wire::decode(args)?;",
                decl_vars.join(", "),
                decl_types.join(", ")
            )
        };
        arms.push_str(&format!(
            "        \"{name}\" => {{\n            {decode}\n            let r: {ret} = {callee}({args});\n            Some(crate::wire::encode(&r))\n        }}\n",
            name = f.name,
            ret = f.ret,
            args = call_args.join(", "),
        ));
    }
    let uses: String = items.uses.iter().map(|u| format!("    {u}\n")).collect();
    format!(
        r#"{impls}
/// The lesson's plumbing, compiled from the reference solution: it calls the student's
/// functions, but what it does with them is the course's.
mod trusted_{tag} {{
    use super::{module}::*;
{uses}
{trusted_fns}}}

mod dispatch_{tag} {{
    use super::{module}::*;
{uses}
    pub fn dispatch(name: &str, args: &[u8], chan: &crate::wire::Channel) -> Option<Vec<u8>> {{
        match name {{
{arms}            _ => None,
        }}
    }}
}}
"#,
        impls = wire_impls(module, items),
    )
}

const SERVER_HEADER: &str = "#![forbid(unsafe_code)]
#![allow(dead_code, unused_imports, unused_variables, unused_mut, clippy::all)]
mod wire;
mod wire_gmcourse;
";

/// The exercise server of one submission and lesson: the student's module `module`, the
/// lesson's dispatch table, and no test.
pub fn server_main(module: &str, items: &Items, trusted: &[String]) -> String {
    format!(
        r#"// Generated by course-grader: the exercise server of one submission and lesson. It
// holds the student's module and this dispatch table, and no test: the judge sends each
// call over the wire (src/wire.rs) and decides the verdict in its own process.
{SERVER_HEADER}pub mod {module};
{part}
fn main() {{
    wire::serve(dispatch_s::dispatch);
}}
"#,
        part = server_part(module, items, trusted, "s"),
    )
}

/// One lesson of a combined server: its id, the student's module, the interface and the
/// plumbing functions.
pub struct ServerLesson<'a> {
    pub id: &'a str,
    pub module: &'a str,
    pub items: &'a Items,
    pub trusted: &'a [String],
}

/// The exercise server of one submission and all its lessons in one binary: one compile
/// and one link instead of one per lesson, for a class's grading. It serves the lesson its
/// first argument names (`l07`), exactly as that lesson's own server would; any other
/// argument ends it with no answer, which the judge reports as a crash.
pub fn combined_server_main(lessons: &[ServerLesson]) -> String {
    let mut mods = String::new();
    let mut parts = String::new();
    let mut arms = String::new();
    for l in lessons {
        let tag = format!("l{}", l.id);
        mods.push_str(&format!("pub mod {};\n", l.module));
        parts.push_str(&server_part(l.module, l.items, l.trusted, &tag));
        arms.push_str(&format!(
            "        Some(\"{tag}\") => wire::serve(dispatch_{tag}::dispatch),\n"
        ));
    }
    format!(
        r#"// Generated by course-grader: the exercise server of one submission, every lesson in
// one binary. It holds the student's modules and the dispatch tables, and no test.
{SERVER_HEADER}{mods}{parts}
fn main() {{
    match std::env::args().nth(1).as_deref() {{
{arms}        _ => std::process::exit(3),
    }}
}}
"#
    )
}

/// The judge's `main.rs`: runs ONE test (named by its first argument) against the exercise
/// server on its stdin and stdout, and writes `VERDICT …` on its stderr.
pub fn judge_main(module: &str, items: &Items, tests: &[TestCase], with_hidden: bool) -> String {
    let mut table = String::new();
    for t in tests {
        let m = match t.visibility {
            Visibility::Public => "public_tests",
            Visibility::Hidden => "hidden_tests",
        };
        table.push_str(&format!("    (\"{}\", {m}::{}),\n", t.key(), t.name));
    }
    let hidden_mod = if with_hidden {
        "mod hidden_tests;\n"
    } else {
        ""
    };
    format!(
        r#"// Generated by course-grader: the judge of one lesson. Trusted code only: the tests and
// a proxy of the lesson module whose functions call the exercise server over the wire.
// It runs ONE test and writes `VERDICT <kind> <text>` on its stderr.
#![forbid(unsafe_code)]
#![allow(dead_code, unused_imports, unused_variables, unused_mut, clippy::all)]
pub mod {module};
mod wire;
mod wire_gmcourse;
mod public_tests;
{hidden_mod}
{impls}
const TESTS: &[(&str, fn())] = &[
{table}];

fn main() {{
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(test) = TESTS.iter().find(|t| t.0 == name).map(|t| t.1) else {{
        eprintln!("\nVERDICT fail the judge has no test named {{name}}");
        std::process::exit(2);
    }};
    std::panic::set_hook(Box::new(|_| {{}}));
    let outcome = std::panic::catch_unwind(test);
    eprintln!("\n{{}}", wire::verdict(&outcome));
}}
"#,
        impls = wire_impls(module, items),
    )
}

/// A one-lesson judge and exercise server under `dir`, compiled with plain rustc (no
/// cargo, no gmcourse): `interface` is the reference solution of lesson `l00_t`, `student`
/// the submitted file, `public` the public tests, `trusted` the interface's plumbing
/// functions. For the grader's unit tests and `bench-sandbox`. Returns `(judge, server)`;
/// an error that starts with "the server" if the student's file does not compile into a
/// server.
pub fn tiny_pair(
    dir: &std::path::Path,
    interface: &str,
    student: &str,
    public: &str,
    trusted: &[String],
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let tests = crate::manifest::parse_tests(public, Visibility::Public)?;
    let items = parse_items(interface)?;
    let build = |sub: &str, main: String, module: String| -> Result<std::path::PathBuf, String> {
        let d = dir.join(sub);
        let w = |name: &str, text: &str| {
            std::fs::write(d.join(name), text).map_err(|e| format!("{}: {e}", d.display()))
        };
        std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        w("main.rs", &main)?;
        w("l00_t.rs", &module)?;
        w("wire.rs", WIRE_RS)?;
        w("wire_gmcourse.rs", "")?;
        w(
            "public_tests.rs",
            &crate::grade::harness_tests_module(public, &tests),
        )?;
        let exe = d.join(sub);
        let out = std::process::Command::new("rustc")
            .args(["--edition", "2024", "-C", "opt-level=0", "-o"])
            .arg(&exe)
            .arg(d.join("main.rs"))
            .output()
            .map_err(|e| format!("cannot run rustc: {e}"))?;
        if out.status.success() {
            Ok(exe)
        } else {
            Err(format!(
                "the {sub} does not compile:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    };
    let judge = build(
        "judge",
        judge_main("l00_t", &items, &tests, false),
        proxy_module("00", &items),
    )?;
    let server = build(
        "server",
        server_main("l00_t", &items, trusted),
        student.to_string(),
    )?;
    Ok((judge, server))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"//! Lesson docs.
use gmcourse::Result;

/// Params.
#[derive(Debug, Clone)]
pub struct P {
    /// weights
    pub w: Vec<Vec<f64>>,
    pub mu: [f64; 2],
}

/// Which one.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// first
    A,
    B,
}

fn helper(x: f64) -> f64 {
    x
}

/// Exercise 1.
pub fn f(joint: &[Vec<f64>], x: usize) -> Vec<f64> {
    // BEGIN SOLUTION
    vec![]
    // END SOLUTION
}

pub fn step(
    x: f64,
    log_p: &dyn Fn(f64) -> f64,
) -> f64 {
    log_p(x)
}

pub fn one(y: usize, p: &P, k: Kind) -> Result<Vec<f64>> {
    todo!()
}
"#;

    #[test]
    fn a_solution_file_parses_into_its_public_types_and_signatures() {
        let items = parse_items(SRC).unwrap();
        assert_eq!(items.uses, vec!["use gmcourse::Result;"]);
        assert_eq!(items.types.len(), 2);
        assert_eq!(
            items.types[0].shape,
            Shape::Struct(vec![
                ("w".into(), "Vec<Vec<f64>>".into()),
                ("mu".into(), "[f64; 2]".into())
            ])
        );
        assert!(items.types[0].text.starts_with("/// Params.\n#[derive"));
        assert_eq!(
            items.types[1].shape,
            Shape::Enum(vec!["A".into(), "B".into()])
        );
        let names: Vec<&str> = items.fns.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["f", "step", "one"], "the private helper stays out");
        assert_eq!(
            items.fns[0].params[0].1,
            Param::Value {
                owned: "Vec<Vec<f64>>".into(),
                by_ref: true
            }
        );
        assert_eq!(
            items.fns[1].params[1].1,
            Param::Callback {
                args: vec!["f64".into()],
                ret: "f64".into()
            }
        );
        assert_eq!(
            items.fns[1].signature,
            "pub fn step(x: f64, log_p: &dyn Fn(f64) -> f64) -> f64"
        );
        assert_eq!(items.fns[2].ret, "Result<Vec<f64>>");
        assert_eq!(
            items.fns[2].params[2].1,
            Param::Value {
                owned: "Kind".into(),
                by_ref: false
            }
        );
    }

    #[test]
    fn a_generated_stub_parses_like_its_solution() {
        // a student copy without solutions/ reads the interface from the stub, whose first
        // line is the generator's comment
        let stub = format!(
            "// generated from solutions/ by `./course gen`\n{}",
            SRC.replace("    vec![]\n", "    todo!()\n")
        );
        let (a, b) = (parse_items(SRC).unwrap(), parse_items(&stub).unwrap());
        let names = |i: &Items| {
            i.fns
                .iter()
                .map(|f| f.signature.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.types, b.types);
    }

    #[test]
    fn items_that_cannot_cross_the_wire_are_refused_with_their_line() {
        for (src, want) in [
            ("pub fn f(x: &mut Vec<f64>) {\n}\n", "&mut"),
            ("pub fn f<T>(x: T) {\n}\n", "generic"),
            ("pub struct T(f64);\n", "named fields"),
            ("pub enum E {\n    A(f64),\n}\n", "unit variants"),
            ("pub const N: usize = 3;\n", "cannot be served"),
            ("pub struct S {\n    x: f64,\n}\n", "not public"),
        ] {
            let e = parse_items(src).unwrap_err();
            assert!(e.contains(want) && e.starts_with("line "), "{src:?}: {e}");
        }
    }

    #[test]
    fn the_server_holds_no_test_and_the_proxy_no_solution() {
        let items = parse_items(SRC).unwrap();
        let server = server_main("l00", &items, &[]);
        assert!(server.contains("\"step\" => {"));
        assert!(server.contains("chan.callback(1, &(p0,))"));
        assert!(!server.contains("tests"), "{server}");
        let proxy = proxy_module("00", &items);
        assert!(!proxy.contains("BEGIN SOLUTION") && !proxy.contains("helper"));
        assert!(proxy.contains("crate::wire::call(\"f\", &(&joint, &x,), &[])"));
        assert!(proxy.contains("(1, &cb1)"));
    }
}
