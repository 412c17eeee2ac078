//! The warm-up: while the student reads, the kernel installs the panic hook in the
//! process that runs user code and loads the course prelude (`GMCOURSE_PRELUDE`, the
//! notebooks' shared first cell), so that the notebook's own first cell finds everything
//! built and loaded. Cells wait for it on the context lock.

use crate::core::Server;
use crate::protocol;
use evcxr::CommandContext;
use std::sync::Arc;
use std::sync::atomic::Ordering;

impl Server {
    /// Installs the course panic hook in the child process, once per process (an
    /// interrupt or a crash starts a new one).
    pub(crate) fn ensure_panic_hook(&self, context: &mut CommandContext) {
        let pid = context.process_handle().lock().unwrap().id();
        if self.course.hook_pid.load(Ordering::SeqCst) == pid {
            return;
        }
        match context.execute(protocol::PANIC_HOOK_CELL) {
            Ok(_) => self.course.hook_pid.store(pid, Ordering::SeqCst),
            Err(e) => eprintln!("gmcourse kernel: could not install the panic hook: {e}"),
        }
    }

    /// Installs the panic hook and, if `GMCOURSE_PRELUDE` names a file, runs it (the
    /// course's shared first cell) in the background while the student reads: the first
    /// cell then finds its dependencies loaded. Requests wait for it on the context lock.
    /// Hook and prelude compile as one cell, so the warm-up costs no extra build.
    pub(crate) fn start_warm_up(&self, context: &Arc<std::sync::Mutex<CommandContext>>) {
        let context = Arc::clone(context);
        let server = self.clone();
        // Before any dependency is resolved: the versions the course was built with.
        crate::work_dir::pin_versions(&mut context.lock().unwrap());
        std::thread::spawn(move || {
            let mut context = context.lock().unwrap();
            let prelude = std::env::var_os("GMCOURSE_PRELUDE")
                .and_then(|path| std::fs::read_to_string(path).ok())
                // The prelude names its path dependencies relative to notebooks/; elsewhere
                // it would only fail, so leave it to the notebook's own first cell.
                .filter(|prelude| prelude_paths_exist(prelude));
            let Some(prelude) = prelude else {
                server.ensure_panic_hook(&mut context);
                return;
            };
            let started = std::time::Instant::now();
            let pid = context.process_handle().lock().unwrap().id();
            match context.execute(&format!("{prelude}\n{}", protocol::PANIC_HOOK_CELL)) {
                Ok(_) => {
                    server.course.hook_pid.store(pid, Ordering::SeqCst);
                    *server.course.prelude_done.lock().unwrap() = Some(prelude);
                    eprintln!(
                        "gmcourse kernel: prelude loaded in {:.1} s",
                        started.elapsed().as_secs_f64()
                    );
                }
                Err(e) => {
                    eprintln!(
                        "gmcourse kernel: the prelude failed (the first cell will show why): {e}"
                    );
                    server.ensure_panic_hook(&mut context);
                }
            }
        });
    }
}

/// Whether every `path = "…"` of the prelude's `:dep` lines exists from here.
fn prelude_paths_exist(prelude: &str) -> bool {
    prelude
        .lines()
        .filter(|line| line.trim_start().starts_with(":dep"))
        .filter_map(|line| line.split("path = \"").nth(1)?.split('"').next())
        .all(|path| std::path::Path::new(path).join("Cargo.toml").is_file())
}
