//! The cell's output on its way to the front end: every line a cell printed is sent before
//! its result, reply and idle status (a flush the execution task waits for); plain lines
//! are batched into one `stream` message per burst and capped at 4 MiB per cell; the
//! course's marker lines (`protocol`) become panics and live displays.

use crate::core::Server;
use crate::jupyter_message::JupyterMessage;
use crate::pipe;
use crate::protocol;
use anyhow::Result;
use crossbeam_channel::RecvTimeoutError;
use crossbeam_channel::Select;
use serde_json::Value;
use std::time::Duration;

/// Most stream output one cell may send; the rest is counted and reported. A cell that
/// prints 100 MB must not freeze the browser or the kernel.
pub(crate) const MAX_STREAM_BYTES: usize = 4 << 20;

/// Where the pipe behind the child's stderr cannot be asked, how long stderr must stay
/// quiet after a cell ends before its reply is sent.
const STDERR_QUIET: Duration = Duration::from_millis(30);

/// Asks the output thread to send everything of the cell that ended; `child_pid` is the
/// process that ran it (whose stderr pipe is checked), the sender takes the acknowledgement.
pub(crate) type FlushRequest = (crossbeam_channel::Sender<()>, Option<u32>);

#[derive(Default)]
pub(crate) struct CellState {
    pub(crate) panic: Option<protocol::Panic>,
    /// A panic printed by the default hook (the course hook was not installed).
    pub(crate) stderr_panic: bool,
    pub(crate) stream_bytes: usize,
    pub(crate) dropped_lines: usize,
}

impl Server {
    pub(crate) async fn start_course_output_thread(
        self,
        stdout: crossbeam_channel::Receiver<String>,
        stderr: crossbeam_channel::Receiver<String>,
        flush: crossbeam_channel::Receiver<FlushRequest>,
        shutdown_recv: crossbeam_channel::Receiver<()>,
    ) {
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let mut select = Select::new();
            let stdout_index = select.recv(&stdout);
            let stderr_index = select.recv(&stderr);
            let flush_index = select.recv(&flush);
            let shutdown_index = select.recv(&shutdown_recv);
            loop {
                let index = select.ready();
                if index == shutdown_index {
                    return;
                }
                if index == flush_index {
                    let Ok((ack, child_pid)) = flush.try_recv() else {
                        continue;
                    };
                    if self.flush(&handle, &stdout, &stderr, child_pid).is_err() {
                        return;
                    }
                    let _ = ack.send(());
                    continue;
                }
                let (name, channel) = if index == stdout_index {
                    ("stdout", &stdout)
                } else if index == stderr_index {
                    ("stderr", &stderr)
                } else {
                    continue;
                };
                // Read from the channel until it has been idle for 1 ms before checking the
                // others: this keeps a multi-line print in one piece.
                if self
                    .forward(&handle, name, channel, Some(Duration::from_millis(1)))
                    .is_err()
                {
                    return;
                }
            }
        });
    }

    /// Sends everything of the cell that just ended. stdout is complete (evcxr read it up
    /// to its completion marker). stderr is a separate pipe that evcxr reads on a thread
    /// of its own: wait until that pipe is empty and its lines are sent (at most 2 s).
    fn flush(
        &self,
        handle: &tokio::runtime::Handle,
        stdout: &crossbeam_channel::Receiver<String>,
        stderr: &crossbeam_channel::Receiver<String>,
        child_pid: Option<u32>,
    ) -> std::result::Result<(), ()> {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        loop {
            self.forward(handle, "stdout", stdout, None)?;
            self.forward(handle, "stderr", stderr, None)?;
            match child_pid.and_then(pipe::pending_stderr_bytes) {
                Some(0) => {
                    // evcxr's reader may be between reading the pipe and queueing the
                    // lines: look once more after it has had the chance.
                    std::thread::sleep(Duration::from_millis(5));
                    if stderr.is_empty()
                        && child_pid.and_then(pipe::pending_stderr_bytes) == Some(0)
                    {
                        self.forward(handle, "stdout", stdout, None)?;
                        return Ok(());
                    }
                }
                Some(_) => std::thread::sleep(Duration::from_millis(1)),
                None => {
                    self.forward(handle, "stderr", stderr, Some(STDERR_QUIET))?;
                    if stderr.is_empty() {
                        return Ok(());
                    }
                }
            }
            if std::time::Instant::now() > deadline {
                return Ok(());
            }
        }
    }

    /// Sends what `channel` holds (waiting up to `linger` for more), batching plain lines
    /// into one stream message and turning the course's marker lines into messages of their
    /// own. Err means the channel is closed.
    fn forward(
        &self,
        handle: &tokio::runtime::Handle,
        name: &'static str,
        channel: &crossbeam_channel::Receiver<String>,
        linger: Option<Duration>,
    ) -> std::result::Result<(), ()> {
        let mut text = String::new();
        loop {
            let line = match linger {
                Some(timeout) => match channel.recv_timeout(timeout) {
                    Ok(line) => line,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Err(()),
                },
                None => match channel.try_recv() {
                    Ok(line) => line,
                    Err(crossbeam_channel::TryRecvError::Empty) => break,
                    Err(crossbeam_channel::TryRecvError::Disconnected) => return Err(()),
                },
            };
            let parsed = if name == "stdout" {
                protocol::parse(line)
            } else {
                protocol::Line::Text(line)
            };
            match parsed {
                protocol::Line::Text(line) => {
                    if name == "stderr" && line.contains("panicked at") {
                        self.course.cell.lock().unwrap().stderr_panic = true;
                    }
                    let keep = {
                        let mut cell = self.course.cell.lock().unwrap();
                        if cell.stream_bytes + line.len() < MAX_STREAM_BYTES {
                            cell.stream_bytes += line.len() + 1;
                            true
                        } else {
                            cell.dropped_lines += 1;
                            false
                        }
                    };
                    if keep {
                        text.push_str(&line);
                        text.push('\n');
                    }
                    if text.len() > 64 << 10 {
                        handle.block_on(self.pass_output(name, std::mem::take(&mut text)));
                    }
                }
                protocol::Line::Panic(panic) => {
                    handle.block_on(self.pass_output(name, std::mem::take(&mut text)));
                    self.course.cell.lock().unwrap().panic = Some(panic);
                }
                protocol::Line::Display(kind, content) => {
                    handle.block_on(self.pass_output(name, std::mem::take(&mut text)));
                    handle.block_on(self.pass_display(kind, content));
                }
                protocol::Line::BadDisplay(start) => {
                    handle.block_on(self.pass_output(name, std::mem::take(&mut text)));
                    handle.block_on(self.pass_output(
                        "stderr",
                        format!(
                            "[gmcourse kernel] a live display update could not be read: {start}\n"
                        ),
                    ));
                }
            }
        }
        handle.block_on(self.pass_output(name, text));
        Ok(())
    }

    async fn pass_output(&self, output_name: &'static str, text: String) {
        if text.is_empty() {
            return;
        }
        let mut message = None;
        if let Some(exec_request) = &*self.latest_execution_request.lock().await {
            message = Some(exec_request.new_message("stream"));
        }
        if let Some(message) = message
            && let Err(error) = message
                .with_content(object! {
                    "name" => output_name,
                    "text" => text,
                })
                .send(&mut *self.iopub.lock().await)
                .await
        {
            eprintln!("output {output_name} error: {error}");
        }
    }

    async fn pass_display(&self, kind: &'static str, content: Value) {
        let mut message = None;
        if let Some(exec_request) = &*self.latest_execution_request.lock().await {
            message = Some(exec_request.new_message(kind));
        }
        if let Some(message) = message
            && let Err(error) = message
                .with_content(content)
                .send(&mut *self.iopub.lock().await)
                .await
        {
            eprintln!("display error: {error}");
        }
    }

    pub(crate) async fn flush_outputs(&self, child_pid: Option<u32>) {
        let (ack_sender, ack_receiver) = crossbeam_channel::bounded(1);
        if self
            .course
            .flush_sender
            .send((ack_sender, child_pid))
            .is_ok()
        {
            let _ = tokio::task::spawn_blocking(move || {
                ack_receiver.recv_timeout(Duration::from_secs(30))
            })
            .await;
        }
    }

    pub(crate) async fn send_stream(
        &self,
        parent: &JupyterMessage,
        name: &str,
        text: String,
    ) -> Result<()> {
        parent
            .new_message("stream")
            .with_content(object! { "name" => name, "text" => text })
            .send(&mut *self.iopub.lock().await)
            .await
    }
}
