//! Where evcxr builds the cells, and with which versions.
//!
//! evcxr builds every cell as a crate (`ctx`) in a temporary folder that it deletes when
//! the kernel exits, so each kernel used to start from an empty target folder: the
//! registry crates came back from evcxr's cache, but `gmcourse` and `exercises` (local and
//! incremental, which evcxr never caches) compiled again, most of a first cell. The
//! kernelspec names a folder instead (`GMCOURSE_KERNEL_WORK`); the kernel builds in
//! `slot-N` inside it, the first that no other running kernel holds (a lock on
//! `slot-N/.lock`, held for the kernel's life). Set-up's prewarm leaves `slot-0` built, and
//! the next kernel finds it fresh. A second kernel running at the same time gets `slot-1`,
//! which is built once, the first time.
//!
//! Whatever the folder, the kernel copies the course's `Cargo.lock` into it before the
//! first dependency is resolved: cells then use the versions the course was built and
//! prewarmed with, not the newest ones that happen to be in the local registry (cargo
//! resolves offline to the newest), and evcxr's cache keeps hitting.

use evcxr::CommandContext;
use std::fs::File;
use std::path::Path;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The folder that holds the slots (set in the kernelspec by `./course setup`).
pub const WORK_ENV: &str = "GMCOURSE_KERNEL_WORK";
/// evcxr builds in this folder when it is set (and then does not delete it).
const EVCXR_TMPDIR: &str = "EVCXR_TMPDIR";
/// More kernels than this at once build in evcxr's own temporary folders.
const SLOTS: usize = 8;

/// The lock on the claimed slot, held until the process exits.
static HELD: OnceLock<File> = OnceLock::new();

/// Claims the first free slot of `$GMCOURSE_KERNEL_WORK` for evcxr. Call before evcxr
/// starts, while the process has one thread (it sets `EVCXR_TMPDIR`). Returns the slot.
pub(crate) fn claim_slot() -> Option<PathBuf> {
    if std::env::var_os(EVCXR_TMPDIR).is_some() {
        return None;
    }
    let (slot, lock) = first_free_slot(Path::new(&std::env::var_os(WORK_ENV)?))?;
    forget_old_cells(&slot);
    let _ = HELD.set(lock);
    let libdir = std_libdir();
    // SAFETY: called before any other thread is started (see above).
    unsafe {
        std::env::set_var(EVCXR_TMPDIR, &slot);
        if let Some(path) = libdir.and_then(|dir| with_first(dir, std::env::var_os(LIBRARY_PATH))) {
            std::env::set_var(LIBRARY_PATH, path);
        }
    }
    Some(slot)
}

/// Where the dynamic loader looks first for the libraries of a shared object.
const LIBRARY_PATH: &str = "LD_LIBRARY_PATH";

/// The folder of the toolchain's `libstd-*.so` (`rustc --print target-libdir`).
///
/// Every cell is a shared object linked to that `libstd` (`-C prefer-dynamic`) and finds it
/// through a run path relative to the object (`$ORIGIN/../..`), which rustc computes for
/// `deps/libctx.so`. evcxr loads a copy one folder up (`debug/libcode_N.so`), so the path
/// is one `..` short. In evcxr's own temporary folder (`/tmp/.tmpXXXX`) that does not
/// show, because `..` stops at `/` and the toolchain lives under `/root` or `/home`; in a
/// slot under the home folder (`~/.cache/gmcourse/kernel-work/…`) it lands one folder too
/// high and every cell fails with "dlopen failed". The loader searches `LD_LIBRARY_PATH`
/// before the run path, so the kernel names the folder there, for its runtime process.
fn std_libdir() -> Option<PathBuf> {
    let out = std::process::Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    dir.is_dir().then_some(dir)
}

/// `dir` first, then the folders of `path` (a `PATH`-style list), if any.
fn with_first(dir: PathBuf, path: Option<std::ffi::OsString>) -> Option<std::ffi::OsString> {
    let rest = path.map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    std::env::join_paths(std::iter::once(dir).chain(rest.into_iter().flatten())).ok()
}

/// The first slot of `base` that no one holds, and its lock (held while the file is open).
fn first_free_slot(base: &Path) -> Option<(PathBuf, File)> {
    for n in 0..SLOTS {
        let slot = base.join(format!("slot-{n}"));
        if let Err(e) = std::fs::create_dir_all(&slot) {
            eprintln!("gmcourse kernel: cannot use {}: {e}", slot.display());
            return None;
        }
        let Ok(lock) = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(slot.join(".lock"))
        else {
            continue;
        };
        if lock.try_lock().is_ok() {
            return Some((slot, lock));
        }
    }
    None
}

/// Deletes the shared objects of an earlier kernel's cells (`libcode_N.so`, one per cell).
fn forget_old_cells(slot: &Path) {
    let Ok(targets) = std::fs::read_dir(slot.join("target")) else {
        return;
    };
    for target in targets.flatten() {
        let Ok(files) = std::fs::read_dir(target.path().join("debug").join("deps")) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("libcode_") && name.ends_with(".so") {
                let _ = std::fs::remove_file(file.path());
            }
        }
    }
}

/// Copies the course's `Cargo.lock` (`$GMCOURSE_ROOT/Cargo.lock`) into the folder where
/// evcxr builds. Call before the first `:dep`.
pub(crate) fn pin_versions(context: &mut CommandContext) {
    let Some(root) = std::env::var_os(course_contract::ROOT_VAR) else {
        return;
    };
    let lock = Path::new(&root).join("Cargo.lock");
    let Ok(out) = context.execute(":last_compile_dir") else {
        return;
    };
    let Some(dir) = out.get("text/plain") else {
        return;
    };
    if let Err(e) = std::fs::copy(&lock, Path::new(dir.trim()).join("Cargo.lock")) {
        eprintln!(
            "gmcourse kernel: could not use the course's versions ({}): {e}",
            lock.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_running_kernel_gets_a_slot_of_its_own() {
        let base = std::env::temp_dir().join(format!("gmcourse-slots-{}", std::process::id()));
        let (first, lock) = first_free_slot(&base).unwrap();
        let (second, _lock2) = first_free_slot(&base).unwrap();
        assert_eq!(first, base.join("slot-0"));
        assert_eq!(second, base.join("slot-1"));
        drop(lock);
        assert_eq!(first_free_slot(&base).unwrap().0, base.join("slot-0"));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn the_toolchains_std_comes_first_on_the_library_path() {
        let dir = std_libdir().expect("rustc --print target-libdir");
        assert!(
            std::fs::read_dir(&dir)
                .unwrap()
                .flatten()
                .any(|f| f.file_name().to_string_lossy().starts_with("libstd-")),
            "{} holds no libstd",
            dir.display()
        );
        let path = with_first(dir.clone(), Some("/a:/b".into())).unwrap();
        assert_eq!(
            path,
            std::ffi::OsString::from(format!("{}:/a:/b", dir.display()))
        );
        assert_eq!(with_first(dir.clone(), None).unwrap(), dir.into_os_string());
    }

    #[test]
    fn old_cells_go_and_everything_else_stays() {
        let dir = std::env::temp_dir().join(format!("gmcourse-work-{}", std::process::id()));
        let deps = dir.join("target/x86_64-unknown-linux-gnu/debug/deps");
        std::fs::create_dir_all(&deps).unwrap();
        for name in [
            "libcode_1.so",
            "libcode_17.so",
            "libgmcourse-abc.rlib",
            "libctx.so",
        ] {
            std::fs::write(deps.join(name), "x").unwrap();
        }
        forget_old_cells(&dir);
        let mut left: Vec<String> = std::fs::read_dir(&deps)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["libctx.so", "libgmcourse-abc.rlib"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
