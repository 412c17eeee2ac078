//! The threads the CPU kernels share: rayon's global pool, with the program's main thread
//! as one of its workers.
//!
//! A product split over two threads from a thread outside the pool is sent to the pool as
//! a job: the calling thread sleeps until a worker has run it, and each hand-over waits on
//! a thread to wake. Products of the course's layers take 0.1–2 ms, so these waits cost
//! 5–15 % of a training step. [`join_pool`] makes the main thread (the one a notebook
//! kernel runs every cell on, and the one a program trains on) worker 0 of the global pool
//! (`ThreadPoolBuilder::use_current_thread`), so it runs its own share of every split and
//! only the other shares wait for a worker (`bench/README.md` has the figures).
//!
//! Only the process's main thread joins: a thread that ends (a test's, a helper's) must not
//! be a worker of a pool that outlives it. On Linux that is the thread whose id is the
//! process id (the course kernel runs cells on it from a library whose `std` does not know
//! its name); elsewhere, the thread named `main`. It joins only a pool of two threads or
//! more: the other workers then run whatever other threads send to the pool, while the
//! main thread runs its own work (alone in a pool of one, it would leave their jobs
//! waiting). If something built the global pool first, it is left as it is, and the
//! kernels run as before.
//!
//! ```
//! use gmcourse::models::nn::cpu::threads;
//! threads::join_pool();
//! // the main thread is a worker now, unless the pool would have had one thread (or a
//! // thread other than main ran this)
//! assert!(!threads::in_pool() || threads::count() >= 2);
//! # Ok::<(), gmcourse::Error>(())
//! ```

use std::sync::atomic::{AtomicBool, Ordering};

static TRIED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Whether this thread is the process's main thread, found once per thread.
    static MAIN_THREAD: bool = is_main_thread();
}

/// On Linux, `/proc/thread-self` names `<pid>/task/<tid>`, equal for the main thread;
/// elsewhere (or without `/proc`), the thread's name.
fn is_main_thread() -> bool {
    #[cfg(target_os = "linux")]
    if let Ok(link) = std::fs::read_link("/proc/thread-self")
        && let Some((pid, tid)) = link.to_string_lossy().split_once("/task/")
    {
        return pid == tid;
    }
    std::thread::current().name() == Some("main")
}

/// Makes the calling thread worker 0 of rayon's global pool, once, if it is the process's
/// main thread, the pool does not exist yet and will have two threads or more; otherwise
/// does nothing. The pool has the threads rayon would give it (`RAYON_NUM_THREADS`, else
/// one per CPU).
pub fn join_pool() {
    if TRIED.load(Ordering::Relaxed) || !MAIN_THREAD.with(|main| *main) {
        return;
    }
    if !TRIED.swap(true, Ordering::SeqCst) {
        let threads = default_threads();
        if threads >= 2 {
            // an error means the global pool was built already: it stays as it is
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .use_current_thread()
                .build_global();
        }
    }
}

/// The threads rayon gives its global pool when nobody says: `RAYON_NUM_THREADS` (or the
/// older `RAYON_RS_NUM_CPUS`) if a positive number, else one per CPU.
fn default_threads() -> usize {
    ["RAYON_NUM_THREADS", "RAYON_RS_NUM_CPUS"]
        .iter()
        .filter_map(|v| std::env::var(v).ok()?.trim().parse::<usize>().ok())
        .find(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether the calling thread is a worker of the global pool (after [`join_pool`], the
/// main thread is, unless the pool was built before or has one thread).
pub fn in_pool() -> bool {
    rayon::current_thread_index().is_some()
}

/// The threads of the global pool, after [`join_pool`]: what the kernels split their work
/// over.
pub fn count() -> usize {
    join_pool();
    rayon::current_num_threads().max(1)
}
