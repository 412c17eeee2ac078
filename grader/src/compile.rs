//! Compiling an exercise server: rustc alone, in the sandbox, per submission and lesson.
//!
//! The judges are built by cargo, outside the sandbox: they are the course's own code. The
//! servers hold the student's file, so their build is untrusted work too. Each one is a
//! single `rustc` run in its own bubblewrap sandbox, which sees, read-only, the system's
//! `/usr` (the linker and C runtime), the Rust toolchain, the server's `src/` and the
//! dependency artifacts of the judge build (gmcourse, rand, candle and what they need),
//! hard-linked into `build/<label>/deps/`; writable, only its own `out/` and a private
//! `/tmp`. No course tree, no hidden test, no judge binary, no other submission, no
//! network. A compile has [`COMPILE_TIMEOUT`]; where no sandbox is used (a student's own
//! check, `--no-sandbox`) the same rustc command runs directly.

use crate::sandbox::Sandbox;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a server compile may take (an endless const evaluation, say).
pub const COMPILE_TIMEOUT: Duration = Duration::from_secs(180);

/// The crates a server may name, as in the generated packages' `[dependencies]`.
pub const EXTERNS: [&str; 6] = [
    "gmcourse",
    "rand",
    "rand_distr",
    "candle_core",
    "candle_nn",
    "ndarray",
];

/// What servers are compiled with: the toolchain and the judge build's dependencies.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub sysroot: PathBuf,
    /// `build/<label>/deps/`: every library artifact of the judge build's dependencies.
    pub deps: PathBuf,
    /// Crate name → file name in `deps`.
    pub externs: BTreeMap<String, String>,
    /// Folders of native libraries that build scripts asked to link (read-only in the
    /// sandbox, at the same path).
    pub native: Vec<PathBuf>,
    /// `-C` options of the server crate ([`codegen_options`]).
    pub codegen: Vec<String>,
}

/// The artifacts of a cargo build, from its JSON messages.
#[derive(Debug, Default)]
pub struct Artifacts {
    /// (crate name, its library files) of every package built or fresh.
    pub libs: Vec<(String, Vec<PathBuf>)>,
    pub native: Vec<PathBuf>,
}

impl Artifacts {
    /// Reads one message of `cargo build --message-format=json` (not of the scratch
    /// packages themselves, whose manifests are under `scratch`).
    pub fn note(&mut self, v: &serde_json::Value, scratch: &Path) {
        let in_scratch = v
            .get("manifest_path")
            .and_then(|m| m.as_str())
            .is_some_and(|m| Path::new(m).starts_with(scratch));
        if in_scratch {
            return;
        }
        match v.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-artifact") => {
                let is_lib = v["target"]["kind"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|k| matches!(k.as_str(), Some("lib" | "rlib" | "proc-macro")));
                let name = v["target"]["name"].as_str().unwrap_or("").replace('-', "_");
                if !is_lib || name.is_empty() {
                    return;
                }
                let files = v["filenames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f.as_str().map(PathBuf::from))
                    .collect();
                self.libs.push((name, files));
            }
            Some("build-script-executed") => {
                for p in v["linked_paths"].as_array().into_iter().flatten() {
                    if let Some(p) = p.as_str() {
                        // "native=/path", "all=/path" or a bare path
                        let p = p.split_once('=').map(|(_, p)| p).unwrap_or(p);
                        self.native.push(PathBuf::from(p));
                    }
                }
            }
            _ => {}
        }
    }
}

impl Toolchain {
    /// Links the dependency artifacts into `deps` and finds the toolchain cargo used.
    pub fn prepare(root: &Path, deps: &Path, art: &Artifacts) -> Result<Toolchain, String> {
        std::fs::create_dir_all(deps).map_err(|e| format!("{}: {e}", deps.display()))?;
        let mut externs = BTreeMap::new();
        for (name, files) in &art.libs {
            for f in files {
                let Some(file_name) = f.file_name() else {
                    continue;
                };
                let dest = deps.join(file_name);
                if !dest.exists() && std::fs::hard_link(f, &dest).is_err() {
                    std::fs::copy(f, &dest)
                        .map_err(|e| format!("cannot copy {}: {e}", f.display()))?;
                }
                let is_rlib = f.extension().is_some_and(|e| e == "rlib");
                if is_rlib && EXTERNS.contains(&name.as_str()) {
                    let file = file_name.to_string_lossy().to_string();
                    if let Some(prev) = externs.insert(name.clone(), file.clone()) {
                        if prev != file {
                            return Err(format!(
                                "two builds of `{name}` in the judge build ({prev}, {file}): \
                                 the server would not know which to use"
                            ));
                        }
                    }
                }
            }
        }
        if let Some(missing) = EXTERNS.iter().find(|n| !externs.contains_key(**n)) {
            return Err(format!("the judge build produced no library `{missing}`"));
        }
        let out = Command::new("rustc")
            .arg("--print")
            .arg("sysroot")
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run rustc: {e}"))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if !sysroot.join("bin/rustc").is_file() {
            return Err(format!("no rustc under the sysroot {}", sysroot.display()));
        }
        let mut native: Vec<PathBuf> = art.native.iter().filter(|p| p.is_dir()).cloned().collect();
        native.sort();
        native.dedup();
        Ok(Toolchain {
            sysroot,
            deps: deps.to_path_buf(),
            externs,
            native,
            codegen: codegen_options(),
        })
    }
}

/// The optimisation level of exercise servers. A server is the student's file, the
/// lesson's plumbing and the dispatch table, glue around dependencies that are already
/// compiled at the course's `opt-level = 2` (candle, ndarray, gmcourse). Optimising the
/// glue cost a lesson-07 server 1.85 CPU-s of compile at level 1 against 0.54 at level 0
/// (2026-12-06), and a class's grading is mostly these compiles. Level 0 also turns on
/// debug assertions and overflow checks, as in the course's `[profile.dev]`; at level 1 a
/// bare rustc turns them off.
const SERVER_OPT_LEVEL: &str = "0";

/// `-C` options for the server crate: [`SERVER_OPT_LEVEL`] and no debug information. The
/// server runs with `RUST_BACKTRACE=0` and a panic's message and location need none; line
/// tables cost a combined server of all ten lessons 2.6 CPU-s of compile against 1.75
/// without (2026-12-06).
fn codegen_options() -> Vec<String> {
    vec![
        format!("opt-level={SERVER_OPT_LEVEL}"),
        "debuginfo=0".into(),
        "codegen-units=16".into(),
    ]
}

/// Paths as the compiler sees them: the real ones, or the sandbox's.
struct View {
    src: PathBuf,
    deps: PathBuf,
    out: PathBuf,
}

/// Compiles `<pkg_dir>/src/main.rs` into `<pkg_dir>/out/server`, or takes the binary
/// from `cache/<crate_name>/` when it was built from exactly the same inputs: every
/// source file, the toolchain, the dependency artifacts (their file names carry cargo's
/// hashes), the options, and whether the compile was sandboxed. One slot per package
/// name and mode, so the cache holds what the last run of each package built. `Err` holds the
/// compiler's messages, as the student may see them.
pub fn compile_server(
    tc: &Toolchain,
    pkg_dir: &Path,
    crate_name: &str,
    sandbox: &Sandbox,
    cache: &Path,
) -> Result<PathBuf, String> {
    let key = inputs_key(tc, &pkg_dir.join("src"), sandbox)?;
    // a slot per package and mode, so that grading and a --no-sandbox run do not evict
    // each other
    let mode = if sandbox.is_sandboxed() {
        "sandboxed"
    } else {
        "plain"
    };
    let slot = cache.join(format!("{crate_name}-{mode}"));
    let out = pkg_dir.join("out");
    let exe = out.join("server");
    let cached = slot.join("server");
    if std::fs::read_to_string(slot.join("key")).is_ok_and(|k| k == key) && cached.is_file() {
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        if std::fs::hard_link(&cached, &exe).is_err() {
            std::fs::copy(&cached, &exe).map_err(|e| format!("{}: {e}", exe.display()))?;
        }
        return Ok(exe);
    }
    let built = compile_uncached(tc, pkg_dir, crate_name, sandbox)?;
    // the slot is written last-key-last, so a half-written slot never matches
    let _ = std::fs::remove_dir_all(&slot);
    if std::fs::create_dir_all(&slot).is_ok() && std::fs::copy(&built, &cached).is_ok() {
        let _ = std::fs::write(slot.join("key"), &key);
    }
    Ok(built)
}

/// SHA-256 of everything a server binary is built from.
fn inputs_key(tc: &Toolchain, src: &Path, sandbox: &Sandbox) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(src)
        .map_err(|e| format!("{}: {e}", src.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        h.update(f.file_name().unwrap_or_default().as_encoded_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    let rustc = tc.sysroot.join("bin/rustc");
    let meta = std::fs::metadata(&rustc).map_err(|e| format!("{}: {e}", rustc.display()))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    // The dependencies' file names carry cargo's hashes, which do not change when their
    // source does (a course update that fixes gmcourse): their sizes and times do.
    let deps: Vec<(u64, u128)> = tc
        .externs
        .values()
        .map(|file| {
            std::fs::metadata(tc.deps.join(file)).map_or((0, 0), |m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                (m.len(), t.map_or(0, |d| d.as_nanos()))
            })
        })
        .collect();
    let rest = format!(
        "{}|{}|{modified}|{:?}|{deps:?}|{:?}|{:?}|{}",
        tc.sysroot.display(),
        meta.len(),
        tc.externs,
        tc.native,
        tc.codegen,
        sandbox.is_sandboxed()
    );
    h.update(rest.as_bytes());
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

fn compile_uncached(
    tc: &Toolchain,
    pkg_dir: &Path,
    crate_name: &str,
    sandbox: &Sandbox,
) -> Result<PathBuf, String> {
    let src = pkg_dir.join("src");
    let out = pkg_dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let view = if sandbox.is_sandboxed() {
        View {
            src: "/gm/src".into(),
            deps: "/gm/deps".into(),
            out: "/gm/out".into(),
        }
    } else {
        View {
            src: src.clone(),
            deps: tc.deps.clone(),
            out: out.clone(),
        }
    };
    let rustc = tc.sysroot.join("bin/rustc");
    let mut args: Vec<String> = vec![
        "--edition=2024".into(),
        "--crate-type=bin".into(),
        format!("--crate-name={crate_name}"),
        "--error-format=json".into(),
        "--sysroot".into(),
        tc.sysroot.display().to_string(),
        format!("--remap-path-prefix={}=src", view.src.display()),
        "-L".into(),
        format!("dependency={}", view.deps.display()),
    ];
    for (name, file) in &tc.externs {
        args.push("--extern".into());
        args.push(format!("{name}={}", view.deps.join(file).display()));
    }
    for n in &tc.native {
        args.push("-L".into());
        args.push(format!("native={}", n.display()));
    }
    for c in &tc.codegen {
        args.push("-C".into());
        args.push(c.clone());
    }
    args.push("-o".into());
    args.push(view.out.join("server").display().to_string());
    args.push(view.src.join("main.rs").display().to_string());

    // what cargo would tell the compiler (a student's `env!("CARGO_MANIFEST_DIR")`)
    let env = [
        (
            "CARGO_MANIFEST_DIR",
            view.src.parent().unwrap_or(&view.src).display().to_string(),
        ),
        ("CARGO_PKG_NAME", crate_name.to_string()),
        ("CARGO_CRATE_NAME", crate_name.to_string()),
        ("CARGO_PKG_VERSION", "0.0.0".to_string()),
    ];
    let mut cmd = match sandbox {
        Sandbox::Unsandboxed => {
            let mut c = Command::new(&rustc);
            c.args(&args).envs(env.iter().map(|(k, v)| (k, v)));
            c
        }
        Sandbox::Bubblewrap { .. } => {
            let mut ro: Vec<(PathBuf, PathBuf)> = vec![
                (src.clone(), view.src.clone()),
                (tc.deps.clone(), view.deps.clone()),
                (tc.sysroot.clone(), tc.sysroot.clone()),
            ];
            ro.extend(tc.native.iter().map(|n| (n.clone(), n.clone())));
            sandbox.compile_command(&rustc, &args, &ro, (&out, &view.out), &env)?
        }
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("the compiler could not start: {e}"))?;
    let mut stderr = child.stderr.take().ok_or("no compiler output pipe")?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(4 << 20).read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + COMPILE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let text = reader.join().unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let Some(status) = status else {
        return Err(format!(
            "the compiler took longer than {} s on this lesson and was stopped",
            COMPILE_TIMEOUT.as_secs()
        ));
    };
    let exe = out.join("server");
    if status.success() && exe.is_file() {
        return Ok(exe);
    }
    let mut errors = Vec::new();
    for line in text.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let message = msg.get("message").and_then(|m| m.as_str()).unwrap_or("");
        if msg.get("level").and_then(|l| l.as_str()) != Some("error")
            || message.starts_with("aborting due to")
        {
            continue;
        }
        let in_dispatch = msg["spans"].as_array().into_iter().flatten().any(|s| {
            s.get("file_name")
                .and_then(|f| f.as_str())
                .is_some_and(|f| f.ends_with("main.rs"))
        });
        let text = if in_dispatch {
            format!(
                "error: {} (in the grader's call of your functions: check that each function's \
                 signature, and each type's fields and variants, are as the exercise gives them)",
                msg.get("message").and_then(|m| m.as_str()).unwrap_or("?")
            )
        } else {
            msg.get("rendered")
                .and_then(|m| m.as_str())
                .unwrap_or("?")
                .to_string()
        };
        if errors.len() < 8 {
            errors.push(text);
        }
    }
    if errors.is_empty() {
        let tail: String = text.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
        errors.push(format!(
            "the compiler failed ({status}) without a message{}",
            if tail.is_empty() {
                String::new()
            } else {
                format!(": {tail}")
            }
        ));
    }
    Err(errors.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toolchain without dependencies, for crates that use std only.
    #[test]
    fn a_rebuilt_dependency_changes_the_cache_key() {
        let dir = std::env::temp_dir().join(format!("grader-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut tc = bare_toolchain(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(tc.deps.join("libgmcourse-0123.rlib"), "old build").unwrap();
        tc.externs
            .insert("gmcourse".into(), "libgmcourse-0123.rlib".into());
        let key = |tc: &Toolchain| inputs_key(tc, &dir.join("src"), &Sandbox::Unsandboxed).unwrap();
        let before = key(&tc);
        assert_eq!(key(&tc), before, "the key is stable");
        // cargo rebuilds gmcourse after a course update: same file name, new contents
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(tc.deps.join("libgmcourse-0123.rlib"), "the new build").unwrap();
        assert_ne!(
            key(&tc),
            before,
            "a server linked to the old gmcourse would be replayed"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn bare_toolchain(dir: &Path) -> Toolchain {
        let out = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .unwrap();
        let deps = dir.join("deps");
        std::fs::create_dir_all(&deps).unwrap();
        Toolchain {
            sysroot: PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
            deps,
            externs: BTreeMap::new(),
            native: Vec::new(),
            codegen: vec!["opt-level=0".into()],
        }
    }

    #[test]
    fn a_server_build_in_the_sandbox_cannot_read_the_course_but_compiles_what_it_is_given() {
        let Ok(sb) = Sandbox::probe() else {
            eprintln!("no sandbox on this machine: skipped (./course validate requires one)");
            return;
        };
        let dir = std::env::temp_dir().join(format!("grader-compile-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let secret = dir.join("secret.txt");
        std::fs::create_dir_all(dir.join("pkg/src")).unwrap();
        std::fs::write(&secret, "HIDDEN TEST TEXT").unwrap();
        let tc = bare_toolchain(&dir);
        let main = |body: &str| std::fs::write(dir.join("pkg/src/main.rs"), body).unwrap();
        main(&format!(
            "fn main() {{ println!(\"{{}}\", include_str!(\"{}\")); }}\n",
            secret.display()
        ));
        // outside the sandbox the compiler reads any file the source names…
        let unboxed = compile_uncached(&tc, &dir.join("pkg"), "leak", &Sandbox::Unsandboxed);
        assert!(unboxed.is_ok(), "{unboxed:?}");
        // …inside it, only what it was given
        let err = compile_uncached(&tc, &dir.join("pkg"), "leak", &sb).unwrap_err();
        assert!(err.contains("couldn't read"), "{err}");
        assert!(!err.contains("HIDDEN TEST TEXT"), "{err}");
        // an ordinary crate builds and runs, and an error names the student's file
        main("mod other;\nfn main() { println!(\"{}\", other::x()); }\n");
        std::fs::write(dir.join("pkg/src/other.rs"), "pub fn x() -> u32 { 42 }\n").unwrap();
        let exe = compile_uncached(&tc, &dir.join("pkg"), "ok", &sb).unwrap();
        let out = Command::new(&exe).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
        std::fs::write(
            dir.join("pkg/src/other.rs"),
            "pub fn x() -> u32 { \"no\" }\n",
        )
        .unwrap();
        let err = compile_uncached(&tc, &dir.join("pkg"), "bad", &sb).unwrap_err();
        assert!(
            err.contains("src/other.rs") && err.contains("mismatched types"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
