//! A cell as the course sees it, around evcxr's evaluation (`core`): the course commands
//! `:check` and `:hint` answered without compiling, the history, the warm-up's first cell
//! skipped, and after the cell a panic or a lost process turned into an error reply that
//! says what happened.

use crate::core::Server;
use crate::jupyter_message::JupyterMessage;
use crate::magic;
use crate::output::CellState;
use crate::output::MAX_STREAM_BYTES;
use crate::protocol;
use anyhow::Result;
use evcxr::CommandContext;
use std::sync::atomic::Ordering;
use yansi::Paint as _;

impl Server {
    /// Before a cell: keeps it for the history and starts its state. A course command is
    /// answered here: the reply is returned and evcxr never sees the cell.
    pub(crate) async fn course_cell_begins(
        &self,
        message: &JupyterMessage,
        execution_count: u32,
    ) -> Result<Option<JupyterMessage>> {
        let src = message.code().to_owned();
        if message.get_content()["store_history"].as_bool() != Some(false) {
            self.course.history.lock().unwrap().push(src.clone());
        }
        *self.course.cell.lock().unwrap() = CellState::default();
        self.course.interrupted.store(false, Ordering::SeqCst);
        let Some(parsed) = magic::parse(&src) else {
            return Ok(None);
        };
        let shown = match parsed {
            Ok(m) => tokio::task::spawn_blocking(move || magic::run(&m)).await?,
            Err(e) => vec![magic::Shown::Error(e)],
        };
        Ok(Some(
            self.show_magic(message, shown, execution_count).await?,
        ))
    }

    /// In the evaluation thread, with the context locked: the outputs of a cell that needs
    /// no evaluation (the warm-up ran this very cell), else installs the panic hook if the
    /// process running user code is new and returns None.
    pub(crate) fn course_before_eval(
        &self,
        context: &mut CommandContext,
        message: &JupyterMessage,
    ) -> Option<evcxr::EvalOutputs> {
        let prelude = self.course.prelude_done.lock().unwrap().take();
        if prelude.is_some_and(|p| p.trim() == message.code().trim()) {
            return Some(evcxr::EvalOutputs::default());
        }
        self.ensure_panic_hook(context);
        None
    }

    /// After a cell: sends every line it printed (before the result, the reply and the idle
    /// status), says how much was left out, and answers a panic or a lost process with an
    /// error reply. None: the upstream handling of the result follows.
    pub(crate) async fn course_cell_ends(
        &self,
        message: &JupyterMessage,
        eval_result: &Result<evcxr::EvalOutputs, evcxr::Error>,
        child_pid: Option<u32>,
        execution_count: u32,
    ) -> Result<Option<JupyterMessage>> {
        self.flush_outputs(child_pid).await;
        let (panic, stderr_panic, dropped) = {
            let mut cell = self.course.cell.lock().unwrap();
            (cell.panic.take(), cell.stderr_panic, cell.dropped_lines)
        };
        if dropped > 0 {
            self.send_stream(
                message,
                "stderr",
                format!(
                    "[gmcourse kernel] {dropped} more lines of output were not shown: a cell shows at most {} MiB.\n",
                    MAX_STREAM_BYTES >> 20
                ),
            )
            .await?;
        }
        let panic = panic.or_else(|| {
            stderr_panic.then(|| protocol::Panic {
                location: String::new(),
                message: "the cell panicked (the message is printed above)".to_string(),
            })
        });
        let (ename, evalue, traceback) = match (eval_result, panic) {
            (Ok(_), Some(panic)) => {
                let evalue = panic.summary();
                let traceback = vec![
                    format!("{} {}", "panic:".bright_red().bold(), evalue),
                    "Variables defined by this cell were dropped; those from earlier cells are kept.".to_string(),
                ];
                ("panic", evalue, traceback)
            }
            (Err(evcxr::Error::SubprocessTerminated(detail)), _) => {
                let (ename, evalue) = if self.course.interrupted.load(Ordering::SeqCst) {
                    (
                        "Interrupted",
                        "The cell was stopped. Rust code cannot be halted part-way, so the kernel \
                         stopped the process that ran it: every variable is gone, while the compiled \
                         dependencies stay cached. Re-run the cells above this one (Run > Run All Above)."
                            .to_string(),
                    )
                } else {
                    (
                        "ProcessExited",
                        format!(
                            "The process running your code ended ({}): `std::process::exit`, an abort, \
                             a stack overflow or running out of memory. Every variable is gone; the kernel \
                             is ready again. Re-run the cells above this one.",
                            detail.trim().lines().last().unwrap_or("no status")
                        ),
                    )
                };
                let traceback = vec![format!(
                    "{} {}",
                    format!("{ename}:").bright_red().bold(),
                    evalue
                )];
                (ename, evalue, traceback)
            }
            _ => return Ok(None),
        };
        self.send_error(message, ename, &evalue, &traceback).await?;
        Ok(Some(error_reply(
            message,
            execution_count,
            ename,
            &evalue,
            &traceback,
        )))
    }

    pub(crate) async fn send_error(
        &self,
        parent: &JupyterMessage,
        ename: &str,
        evalue: &str,
        traceback: &[String],
    ) -> Result<()> {
        parent
            .new_message("error")
            .with_content(object! {
                "ename" => ename,
                "evalue" => evalue,
                "traceback" => traceback,
            })
            .send(&mut *self.iopub.lock().await)
            .await
    }

    async fn show_magic(
        &self,
        message: &JupyterMessage,
        shown: Vec<magic::Shown>,
        execution_count: u32,
    ) -> Result<JupyterMessage> {
        let mut failure = None;
        for item in shown {
            match item {
                magic::Shown::Html(html) => {
                    message
                        .new_message("display_data")
                        .with_content(object! {
                            "data" => object! {
                                "text/html" => html,
                                "text/plain" => "(a table of test results; open the notebook in JupyterLab to see it)",
                            },
                            "metadata" => object!(),
                            "transient" => object!(),
                        })
                        .send(&mut *self.iopub.lock().await)
                        .await?
                }
                magic::Shown::Text(text) => self.send_stream(message, "stdout", text).await?,
                magic::Shown::Error(e) => failure = Some(e),
            }
        }
        Ok(match failure {
            Some(evalue) => {
                let traceback = vec![format!(
                    "{} {}",
                    "course command:".bright_red().bold(),
                    evalue
                )];
                self.send_error(message, "CourseCommandError", &evalue, &traceback)
                    .await?;
                error_reply(
                    message,
                    execution_count,
                    "CourseCommandError",
                    &evalue,
                    &traceback,
                )
            }
            None => message.new_reply().with_content(object! {
                "status" => "ok",
                "execution_count" => execution_count,
                "user_expressions" => object!(),
            }),
        })
    }
}

/// An `execute_reply` for a failed cell: the status with the same ename, evalue and
/// traceback as the iopub `error` message.
pub(crate) fn error_reply(
    message: &JupyterMessage,
    execution_count: u32,
    ename: &str,
    evalue: &str,
    traceback: &[String],
) -> JupyterMessage {
    message.new_reply().with_content(object! {
        "status" => "error",
        "execution_count" => execution_count,
        "ename" => ename,
        "evalue" => evalue,
        "traceback" => traceback,
    })
}
