// gmcourse patch (see PATCHES.md): where the time of a cell goes.
//
// Licensed under the Apache License, Version 2.0 <LICENSE or
// https://www.apache.org/licenses/LICENSE-2.0> or the MIT license <LICENSE
// or https://opensource.org/licenses/MIT>, at your option, as the rest of evcxr.

//! A cell is compiled by `cargo build`, which runs rustc (through evcxr's wrapper) on the
//! cell's crate, which runs the linker. To tell those apart, the wrapper times rustc on the
//! cell's crate and makes itself that crate's linker, which times the real one. Both append
//! a line `<phase> <seconds>` to the file named by [`TIMING_PATH_ENV`]; [`read`] collects
//! them after the build. Dependencies are not timed: they belong to cargo's share.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use std::time::Instant;

/// The file the wrapper and the linker append their times to.
pub(crate) const TIMING_PATH_ENV: &str = "EVCXR_TIMING_PATH";
/// Set on the cell crate's rustc: the linker this process stands in for.
const REAL_LINKER_ENV: &str = "EVCXR_REAL_LINKER";
pub(crate) const TIMING_FILE: &str = ".evcxr-timing";

/// When this process was started as the cell crate's linker: runs the real one, records
/// its time and exits with its status. Returns otherwise.
pub(crate) fn linker_hook() {
    let Some(linker) = std::env::var_os(REAL_LINKER_ENV) else {
        return;
    };
    let start = Instant::now();
    let status = Command::new(&linker)
        .args(std::env::args_os().skip(1))
        .env_remove(REAL_LINKER_ENV)
        .status();
    record("link", start.elapsed());
    match status {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(error) => {
            eprintln!("Failed to run the linker {linker:?}: {error}");
            std::process::exit(1);
        }
    }
}

/// The cell crate's rustc command with this executable as its linker, standing in for the
/// linker the command named (`-C linker=`), or `cc`.
pub(crate) fn with_timed_linker(command: &Command) -> Command {
    let mut linker = None;
    let mut args = Vec::new();
    let mut iter = command.get_args().peekable();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if text == "-C"
            && let Some(next) = iter.peek()
            && let Some(value) = next.to_string_lossy().strip_prefix("linker=")
        {
            linker = Some(value.to_owned());
            iter.next();
            continue;
        }
        if let Some(value) = text.strip_prefix("-Clinker=") {
            linker = Some(value.to_owned());
            continue;
        }
        args.push(arg.to_owned());
    }
    let mut timed = Command::new(command.get_program());
    timed.args(args);
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => timed.env(key, value),
            None => timed.env_remove(key),
        };
    }
    if let Ok(exe) = std::env::current_exe() {
        let mut arg = std::ffi::OsString::from("linker=");
        arg.push(exe);
        timed.arg("-C").arg(arg);
        timed.env(REAL_LINKER_ENV, linker.as_deref().unwrap_or("cc"));
    }
    timed
}

/// Appends `<phase> <seconds>` to the timing file, if there is one.
pub(crate) fn record(phase: &str, duration: Duration) {
    let Some(path) = std::env::var_os(TIMING_PATH_ENV) else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{phase} {}", duration.as_secs_f64());
    }
}

/// The phases recorded in `path`, then removes it.
pub(crate) fn read(path: &Path) -> Vec<(String, Duration)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let _ = std::fs::remove_file(path);
    text.lines()
        .filter_map(|line| {
            let (phase, seconds) = line.split_once(' ')?;
            let seconds: f64 = seconds.trim().parse().ok()?;
            Some((phase.to_owned(), Duration::from_secs_f64(seconds)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    #[test]
    fn the_cell_crate_links_through_this_executable() {
        let mut command = Command::new("rustc");
        command
            .args(["--crate-name", "ctx", "-C", "linker=clang", "-Copt-level=2"])
            .env("A", "1");
        let timed = super::with_timed_linker(&command);
        let args: Vec<String> = timed
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(!args.iter().any(|a| a == "linker=clang"), "{args:?}");
        assert!(args.iter().any(|a| a == "-Copt-level=2"), "{args:?}");
        let exe = std::env::current_exe().unwrap();
        assert_eq!(
            args[args.len() - 1],
            format!("linker={}", exe.to_string_lossy())
        );
        let envs: Vec<_> = timed.get_envs().collect();
        assert!(envs.contains(&(
            std::ffi::OsStr::new(super::REAL_LINKER_ENV),
            Some(std::ffi::OsStr::new("clang"))
        )));
        assert!(envs.contains(&(std::ffi::OsStr::new("A"), Some(std::ffi::OsStr::new("1")))));
    }

    #[test]
    fn phases_are_read_back_and_the_file_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(super::TIMING_FILE);
        std::fs::write(&path, "rustc 0.25\nlink 0.5\nbroken\n").unwrap();
        let phases = super::read(&path);
        assert_eq!(
            phases,
            vec![
                ("rustc".to_owned(), std::time::Duration::from_millis(250)),
                ("link".to_owned(), std::time::Duration::from_millis(500)),
            ]
        );
        assert!(!path.exists());
    }
}
