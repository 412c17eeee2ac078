//! The course's state in a running kernel, one field of the upstream server
//! (`core::Server::course`), shared by the course's parts: `cell`, `output`, `warm_up`
//! and `history`.

use crate::output::CellState;
use crate::output::FlushRequest;
use evcxr::CommandContext;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

#[derive(Clone)]
pub(crate) struct Course {
    /// What the output thread saw of the running cell (a panic, dropped output).
    pub(crate) cell: Arc<Mutex<CellState>>,
    /// Asks the output thread to send everything it holds, then acknowledge.
    pub(crate) flush_sender: crossbeam_channel::Sender<FlushRequest>,
    /// Set by an interrupt_request, so the failure of the cell can be explained.
    pub(crate) interrupted: Arc<AtomicBool>,
    /// The child process in which the panic hook is installed (0: none yet).
    pub(crate) hook_pid: Arc<AtomicU32>,
    /// The code of each executed cell, for history_request.
    pub(crate) history: Arc<Mutex<Vec<String>>>,
    /// The prelude the warm-up ran, until the notebook's identical first cell arrives:
    /// that cell then has nothing left to do.
    pub(crate) prelude_done: Arc<Mutex<Option<String>>>,
}

impl Course {
    /// The state, and the receiving end of flush requests for the output thread.
    pub(crate) fn new() -> (Course, crossbeam_channel::Receiver<FlushRequest>) {
        let (flush_sender, flush_receiver) = crossbeam_channel::unbounded();
        let course = Course {
            cell: Arc::new(Mutex::new(CellState::default())),
            flush_sender,
            interrupted: Arc::new(AtomicBool::new(false)),
            hook_pid: Arc::new(AtomicU32::new(0)),
            history: Arc::new(Mutex::new(Vec::new())),
            prelude_done: Arc::new(Mutex::new(None)),
        };
        (course, flush_receiver)
    }

    pub(crate) fn interrupted(&self) {
        self.interrupted.store(true, Ordering::SeqCst);
    }

    /// The process that ran the cell, whose stderr pipe the flush checks; none after a
    /// crash (evcxr has started a new process already).
    pub(crate) fn child_pid(
        context: &CommandContext,
        eval_result: &Result<evcxr::EvalOutputs, evcxr::Error>,
    ) -> Option<u32> {
        match eval_result {
            Err(evcxr::Error::SubprocessTerminated(_)) => None,
            _ => Some(context.process_handle().lock().unwrap().id()),
        }
    }
}
