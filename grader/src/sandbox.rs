//! Where submitted code runs: a bubblewrap sandbox per exercise server.
//!
//! The exercise server of each graded test (the student's code; the tests stay in the
//! judge, outside) runs as `bwrap … /grade/test` and sees:
//!
//! - no network: its own, empty network namespace;
//! - no course tree, no other submission, no home folder: the root is an empty tmpfs
//!   with, read-only, the server binary at `/grade/test` and the system library folders
//!   (`/lib`, `/lib64`, `/usr/lib`, `/usr/lib64`, `/etc/ld.so.cache`) its loader needs;
//! - a private writable `/tmp` of [`TMP_BYTES`], thrown away with the process;
//! - no `/proc` at all, so no view of other processes;
//! - its own PID namespace with bubblewrap's init as PID 1: when the test ends, times out
//!   or the grader dies, every descendant dies with it, whatever session or process group
//!   it made;
//! - run by root: an unprivileged user id of its own per test of a run (`60000 + slot`,
//!   slots taken modulo [`UID_SLOTS`]), so that `RLIMIT_NPROC` caps the processes of that
//!   test alone (for root it would not apply), and a fork flood's leftovers never block the
//!   next test. Run by an ordinary user (an instructor's laptop), the test keeps that
//!   user's id, and the cap is what the user runs already plus 64 ([`process_cap`]);
//!   plus the address-space, CPU and file-size limits of [`crate::grade::run_test`].
//!
//! Where bubblewrap or unprivileged user namespaces are missing, [`Sandbox::probe`] says
//! why and how to fix it; `grade`, `grade-class` and `validate` then refuse unless given
//! `--no-sandbox`, which the report records.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Size of the test's private `/tmp`.
pub const TMP_BYTES: u64 = 8 * 1024 * 1024;
/// Processes (and threads) one test may have at once.
pub const MAX_PROCESSES: u64 = 64;
/// The first unprivileged user id of the test slots, and how many there are.
const FIRST_UID: u32 = 60000;
pub const UID_SLOTS: usize = 5000;
/// The slots are split into this many ranges, and a run holds one range for as long as it
/// lives: grading runs at the same time on one machine (`validate` in one course folder
/// beside `grade-class` in another) never share a user id, so one run's tests never count
/// against another's `RLIMIT_NPROC`. Sharing them once made a solution's test crash ("the
/// judge ended without a verdict") in a class graded beside three `validate` runs.
pub const UID_RANGES: usize = 10;
const UID_RANGE: usize = UID_SLOTS / UID_RANGES;

/// Takes the first free range of user ids, by a lock file per range in `dir`, held until
/// the returned file is dropped; when all are taken, waits for the first.
fn take_uid_range(dir: &Path) -> std::io::Result<(usize, std::fs::File)> {
    std::fs::create_dir_all(dir)?;
    let open = |k: usize| std::fs::File::create(dir.join(format!("range-{k}.lock")));
    for k in 0..UID_RANGES {
        let f = open(k)?;
        if f.try_lock().is_ok() {
            return Ok((k, f));
        }
    }
    let f = open(0)?;
    f.lock()?;
    Ok((0, f))
}

/// This run's user ids: one range of [`UID_RANGES`], taken on first use and held until the
/// process ends.
pub fn run_uids() -> std::ops::Range<u32> {
    static RANGE: std::sync::OnceLock<(usize, Option<std::fs::File>)> = std::sync::OnceLock::new();
    let (k, _) = RANGE.get_or_init(|| {
        match take_uid_range(&std::env::temp_dir().join("gmcourse-grader-uids")) {
            Ok((k, f)) => (k, Some(f)),
            Err(e) => {
                eprintln!("grader: cannot reserve a range of test user ids ({e}); using the first");
                (0, None)
            }
        }
    });
    let first = FIRST_UID + (k * UID_RANGE) as u32;
    first..first + UID_RANGE as u32
}

/// How test processes are started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sandbox {
    /// Inside bubblewrap (the path of `bwrap`, its version line).
    Bubblewrap { bwrap: PathBuf, version: String },
    /// Directly, as a plain child process: `--no-sandbox`, or a student's own check.
    Unsandboxed,
}

/// How every refusal for want of a sandbox begins (the grader then exits with code 3).
pub const REFUSAL: &str = "no sandbox for student code";

/// Why no sandbox can be had, with the remedy.
pub fn unavailable_message(why: &str) -> String {
    format!(
        "{REFUSAL}: {why}\n  \
         remedy: run ./course setup (it installs bubblewrap with apt-get), or install it \
         yourself (Debian/Ubuntu: apt-get install bubblewrap) on a kernel that allows \
         unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1); \
         in a throwaway container such as Gradescope's, pass --no-sandbox (the report \
         records it)"
    )
}

impl Sandbox {
    /// Finds `bwrap` (on `PATH`, or `$GMCOURSE_BWRAP`) and checks that it can start a
    /// process in the namespaces and with the user id a test gets.
    pub fn probe() -> Result<Sandbox, String> {
        let bwrap = std::env::var_os("GMCOURSE_BWRAP")
            .map(PathBuf::from)
            .or_else(|| find_on_path("bwrap"))
            .ok_or_else(|| unavailable_message("bubblewrap (bwrap) is not installed"))?;
        let version = Command::new(&bwrap)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .ok_or_else(|| unavailable_message(&format!("{} does not run", bwrap.display())))?;
        let sb = Sandbox::Bubblewrap { bwrap, version };
        let true_bin = ["/usr/bin/true", "/bin/true"]
            .into_iter()
            .map(Path::new)
            .find(|p| p.is_file())
            .ok_or_else(|| unavailable_message("no `true` binary to probe with"))?;
        let mut cmd = sb.command(true_bin, &[], 0);
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        match cmd.output() {
            Ok(o) if o.status.success() => Ok(sb),
            Ok(o) => Err(unavailable_message(&format!(
                "bubblewrap cannot create the namespaces ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            ))),
            Err(e) => Err(unavailable_message(&format!(
                "bubblewrap could not start: {e}"
            ))),
        }
    }

    /// What the report says about how the tests ran.
    pub fn describe(&self) -> String {
        match self {
            Sandbox::Bubblewrap { version, .. } => format!(
                "{version}: no network, no course files, no /proc, private /tmp, own PID namespace"
            ),
            Sandbox::Unsandboxed => "none (--no-sandbox): tests ran as plain processes".into(),
        }
    }

    pub fn is_sandboxed(&self) -> bool {
        matches!(self, Sandbox::Bubblewrap { .. })
    }

    /// The command that runs `exe args…` for test `slot`. Unsandboxed, it is `exe`
    /// itself; sandboxed, `exe` is visible inside as `/grade/test`.
    pub fn command(&self, exe: &Path, args: &[&str], slot: usize) -> Command {
        match self {
            Sandbox::Unsandboxed => {
                let mut c = Command::new(exe);
                c.args(args);
                c
            }
            Sandbox::Bubblewrap { bwrap, .. } => {
                let mut c = Command::new(bwrap);
                c.args([
                    "--unshare-all",
                    "--die-with-parent",
                    "--new-session",
                    "--clearenv",
                    "--setenv",
                    "RUST_BACKTRACE",
                    "0",
                    "--tmpfs",
                    "/",
                ]);
                for dir in [
                    "/lib",
                    "/lib64",
                    "/usr/lib",
                    "/usr/lib64",
                    "/etc/ld.so.cache",
                ] {
                    c.args(["--ro-bind-try", dir, dir]);
                }
                c.args(["--dev", "/dev"]);
                c.args(["--size", &TMP_BYTES.to_string(), "--tmpfs", "/tmp"]);
                c.arg("--ro-bind").arg(exe).arg("/grade/test");
                c.args(["--chdir", "/tmp", "--", "/grade/test"]);
                c.args(args);
                // As root: a user id of the test's own. An instructor's ordinary account
                // cannot change user; the test keeps it (see `process_cap`).
                if is_root() {
                    let id = run_uids().start + (slot % UID_RANGE) as u32;
                    c.uid(id).gid(id);
                    // SAFETY: setgroups is async-signal-safe; it drops root's
                    // supplementary groups before the user id changes.
                    unsafe {
                        c.pre_exec(|| {
                            libc::setgroups(0, std::ptr::null());
                            Ok(())
                        });
                    }
                }
                c
            }
        }
    }
}

/// Memory a compile may use (address space of rustc and the linker).
pub const COMPILE_MEMORY_BYTES: u64 = 8 << 30;
/// Size of a compile's private `/tmp`.
pub const COMPILE_TMP_BYTES: u64 = 1 << 30;

impl Sandbox {
    /// The command that runs the compiler `rustc args…` for a server build: the system's
    /// `/usr` (linker, C runtime) and the `ro` pairs (real path, path inside) read-only,
    /// `rw` (real, inside) writable, a private `/tmp`, `/proc` of its own PID namespace
    /// (rustc and the linker read it; no student code runs at build time), no network.
    /// It keeps the grader's user id, which can read the toolchain (often under a home
    /// folder that other users cannot enter); what it can see is only what is bound.
    /// Unsandboxed: `rustc args…` itself.
    pub fn compile_command(
        &self,
        rustc: &Path,
        args: &[String],
        ro: &[(PathBuf, PathBuf)],
        rw: (&Path, &Path),
        env: &[(&str, String)],
    ) -> Result<Command, String> {
        let Sandbox::Bubblewrap { bwrap, .. } = self else {
            let mut c = Command::new(rustc);
            c.args(args).envs(env.iter().map(|(k, v)| (k, v)));
            return Ok(c);
        };
        let mut c = Command::new(bwrap);
        c.args([
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "TMPDIR",
            "/tmp",
        ]);
        for (k, v) in env {
            c.arg("--setenv").arg(k).arg(v);
        }
        c.args(["--tmpfs", "/"]);
        for dir in [
            "/usr",
            "/lib",
            "/lib64",
            "/bin",
            "/etc/alternatives",
            "/etc/ld.so.cache",
            "/etc/ld.so.conf",
            "/etc/ld.so.conf.d",
        ] {
            c.args(["--ro-bind-try", dir, dir]);
        }
        c.args(["--proc", "/proc", "--dev", "/dev"]);
        c.args(["--size", &COMPILE_TMP_BYTES.to_string(), "--tmpfs", "/tmp"]);
        for (real, inside) in ro {
            c.arg("--ro-bind").arg(real).arg(inside);
        }
        c.arg("--bind").arg(rw.0).arg(rw.1);
        c.args(["--chdir", "/tmp", "--"]).arg(rustc).args(args);
        let mem = COMPILE_MEMORY_BYTES;
        // SAFETY: only async-signal-safe calls (setsid, setrlimit) between fork and exec.
        unsafe {
            c.pre_exec(move || {
                libc::setsid();
                let lim = libc::rlimit {
                    rlim_cur: mem as libc::rlim_t,
                    rlim_max: mem as libc::rlim_t,
                };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                Ok(())
            });
        }
        Ok(c)
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `RLIMIT_NPROC` for a test. It counts every process and thread of the real user id: as
/// root the test has a user id of its own, so [`MAX_PROCESSES`]; as an ordinary user it
/// shares the instructor's, so the processes that user runs now plus [`MAX_PROCESSES`].
pub fn process_cap() -> u64 {
    if is_root() {
        return MAX_PROCESSES;
    }
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    let mut tasks = 0u64;
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let p = e.path();
        let mine = std::fs::read_to_string(p.join("status")).is_ok_and(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|l| l.split_whitespace().next().map(|u| u == uid.to_string()))
                .unwrap_or(false)
        });
        if mine {
            tasks += std::fs::read_dir(p.join("task"))
                .map(|t| t.count() as u64)
                .unwrap_or(1);
        }
    }
    tasks + MAX_PROCESSES
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|f| f.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_at_the_same_time_take_different_user_id_ranges() {
        let dir = std::env::temp_dir().join(format!("grader-uids-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (a, first) = take_uid_range(&dir).unwrap();
        let (b, second) = take_uid_range(&dir).unwrap();
        assert_ne!(a, b, "two runs at once share user ids");
        drop(first);
        let (c, _third) = take_uid_range(&dir).unwrap();
        assert_eq!(c, a, "a range is free again when its run ends");
        drop(second);
        let _ = std::fs::remove_dir_all(&dir);
        // and this process's own range is one range wide, inside the slots
        let r = run_uids();
        assert_eq!(r.len(), UID_SLOTS / UID_RANGES);
        assert!(r.start >= FIRST_UID && r.end <= FIRST_UID + UID_SLOTS as u32);
    }

    fn sh(sb: &Sandbox, script: &str) -> (bool, String) {
        let shell = Path::new("/bin/sh");
        // the sandbox sees the binary only: /bin/sh from /usr/bin or /bin is bound alone
        let mut c = sb.command(shell, &["-c", script], 1);
        c.stdin(Stdio::null());
        let o = c.output().expect("bwrap runs");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr),
        )
    }

    #[test]
    fn inside_the_sandbox_there_is_no_course_no_proc_and_a_capped_tmp() {
        let Ok(sb) = Sandbox::probe() else {
            eprintln!("no sandbox on this machine: skipped (./course validate requires one)");
            return;
        };
        let seen = |p: &Path| {
            let (_, out) = sh(
                &sb,
                &format!("[ -e '{}' ] && echo SEEN || echo HIDDEN", p.display()),
            );
            out.trim().to_string()
        };
        let here = std::env::current_dir().unwrap();
        assert_eq!(seen(&here), "HIDDEN");
        assert_eq!(seen(Path::new("/proc/self/mem")), "HIDDEN");
        assert_eq!(seen(Path::new("/root")), "HIDDEN");
        assert_eq!(seen(Path::new("/grade/test")), "SEEN");
        let (ok, out) = sh(&sb, "echo x > /tmp/a && read v < /tmp/a && echo $v");
        assert!(ok && out.trim() == "x", "{out}");
        // writing past the tmpfs cap fails: 20 MB in 1 KB writes
        let kb = "x".repeat(1024);
        let script = format!(
            "i=0; while [ $i -lt 20000 ]; do printf %s {kb} >> /tmp/big || exit 7; i=$((i+1)); done"
        );
        let (ok, _) = sh(&sb, &script);
        assert!(!ok, "20 MB fit into the {TMP_BYTES}-byte /tmp");
    }

    #[test]
    fn the_refusal_names_the_remedy() {
        let m = unavailable_message("bubblewrap (bwrap) is not installed");
        assert!(
            m.contains("./course setup") && m.contains("--no-sandbox"),
            "{m}"
        );
    }
}
