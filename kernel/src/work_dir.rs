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
    // SAFETY: called before any other thread is started (see above).
    unsafe { std::env::set_var(EVCXR_TMPDIR, &slot) };
    Some(slot)
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
