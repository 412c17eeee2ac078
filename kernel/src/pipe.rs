//! How many bytes the child process has written to its stderr that nobody has read yet.
//!
//! evcxr reads the child's stderr on a thread of its own, so when a cell ends, its last
//! lines of stderr may still be in the pipe. Asking the pipe (Linux `FIONREAD` on the
//! read end this process holds) tells the kernel when it has all of them, instead of
//! guessing with a pause.

use std::path::Path;

const FIONREAD: u64 = 0x541B;

unsafe extern "C" {
    fn ioctl(fd: i32, request: u64, ...) -> i32;
}

/// Unread bytes in the pipe behind `child_pid`'s stderr, or None when that cannot be
/// told (not Linux, no such process, stderr not a pipe of ours).
pub fn pending_stderr_bytes(child_pid: u32) -> Option<usize> {
    let target = std::fs::read_link(format!("/proc/{child_pid}/fd/2")).ok()?;
    if !target.to_string_lossy().starts_with("pipe:") {
        return None;
    }
    let fd = own_fd_for(&target)?;
    let mut n: i32 = 0;
    // SAFETY: FIONREAD writes one int through the pointer; fd is open in this process.
    let rc = unsafe { ioctl(fd, FIONREAD, &mut n as *mut i32) };
    (rc == 0).then_some(n.max(0) as usize)
}

/// A file descriptor of this process that refers to `target` (e.g. `pipe:[1234]`).
fn own_fd_for(target: &Path) -> Option<i32> {
    std::fs::read_dir("/proc/self/fd")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let fd: i32 = entry.file_name().to_str()?.parse().ok()?;
            (std::fs::read_link(entry.path()).ok()? == target).then_some(fd)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    #[test]
    fn unread_stderr_of_a_child_is_counted_then_drained() {
        let mut child = Command::new("sh")
            .args(["-c", "printf 'twelve bytes' >&2; sleep 5"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        let mut pending = None;
        for _ in 0..100 {
            pending = pending_stderr_bytes(pid);
            if pending == Some(12) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(pending, Some(12));
        let mut buf = [0u8; 12];
        std::io::Read::read_exact(child.stderr.as_mut().unwrap(), &mut buf).unwrap();
        assert_eq!(pending_stderr_bytes(pid), Some(0));
        child.kill().unwrap();
        let _ = child.wait();
        let _ = std::io::stderr().flush();
    }

    #[test]
    fn no_answer_for_a_process_that_does_not_exist() {
        assert_eq!(pending_stderr_bytes(u32::MAX), None);
    }
}
