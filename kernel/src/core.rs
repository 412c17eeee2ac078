// Copyright 2020 The Evcxr Authors.
//
// Licensed under the Apache License, Version 2.0 <LICENSE or
// https://www.apache.org/licenses/LICENSE-2.0> or the MIT license <LICENSE
// or https://opensource.org/licenses/MIT>, at your option. This file may not be
// copied, modified, or distributed except according to those terms.

use crate::complete;
use crate::connection::Connection;
use crate::connection::ConnectionGroup;
use crate::connection::ConnectionShutdownRequester;
use crate::connection::RecvError;
use crate::control_file;
use crate::jupyter_message::JupyterMessage;
use crate::magic;
use crate::pipe;
use crate::protocol;
use anyhow::Result;
use anyhow::bail;
use ariadne::sources;
use crossbeam_channel::RecvTimeoutError;
use crossbeam_channel::Select;
use evcxr::CommandContext;
use evcxr::Theme;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;
use yansi::Paint as _;

// Note, to avoid potential deadlocks, each thread should lock at most one mutex at a time.
#[derive(Clone)]
pub(crate) struct Server {
    iopub: Arc<Mutex<Connection<zeromq::PubSocket>>>,
    stdin: Arc<Mutex<Connection<zeromq::RouterSocket>>>,
    latest_execution_request: Arc<Mutex<Option<JupyterMessage>>>,
    io_thread_shutdown_sender: Arc<Mutex<Option<crossbeam_channel::Sender<()>>>>,
    tokio_handle: tokio::runtime::Handle,
    /// What the output thread saw of the running cell (a panic, dropped output).
    cell: Arc<std::sync::Mutex<CellState>>,
    /// Asks the output thread to send everything it holds, then acknowledge.
    flush_sender: crossbeam_channel::Sender<FlushRequest>,
    /// Set by an interrupt_request, so the failure of the cell can be explained.
    interrupted: Arc<AtomicBool>,
    /// The child process in which the panic hook is installed (0: none yet).
    hook_pid: Arc<AtomicU32>,
    /// The code of each executed cell, for history_request.
    history: Arc<std::sync::Mutex<Vec<String>>>,
    /// The prelude the warm-up ran, until the notebook's identical first cell arrives:
    /// that cell then has nothing left to do.
    prelude_done: Arc<std::sync::Mutex<Option<String>>>,
}

/// Most stream output one cell may send; the rest is counted and reported. A cell that
/// prints 100 MB must not freeze the browser or the kernel.
const MAX_STREAM_BYTES: usize = 4 << 20;

/// Where the pipe behind the child's stderr cannot be asked, how long stderr must stay
/// quiet after a cell ends before its reply is sent.
const STDERR_QUIET: Duration = Duration::from_millis(30);

/// Asks the output thread to send everything of the cell that ended; `child_pid` is the
/// process that ran it (whose stderr pipe is checked), the sender takes the acknowledgement.
type FlushRequest = (crossbeam_channel::Sender<()>, Option<u32>);

#[derive(Default)]
struct CellState {
    panic: Option<protocol::Panic>,
    /// A panic printed by the default hook (the course hook was not installed).
    stderr_panic: bool,
    stream_bytes: usize,
    dropped_lines: usize,
}

impl Server {
    pub(crate) fn run(config: &control_file::Control) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            // We only technically need 1 thread. However we've observed that
            // when using vscode's jupyter extension, we can get requests on the
            // shell socket before we have any subscribers on iopub. The iopub
            // subscription then completes, but the execution_state="idle"
            // message(s) have already been sent to a channel that at the time
            // had no subscriptions. The vscode extension then waits
            // indefinitely for an execution_state="idle" message that will
            // never come. Having multiple threads at least reduces the chances
            // of this happening.
            .worker_threads(4)
            .enable_all()
            .build()
            .unwrap();
        let handle = runtime.handle().clone();
        runtime.block_on(Self::run_async(config, handle))?;
        Ok(())
    }

    async fn run_async(
        config: &control_file::Control,
        tokio_handle: tokio::runtime::Handle,
    ) -> Result<()> {
        let (connection_group, group_shutdown) = ConnectionGroup::new();
        let mut heartbeat = bind_socket::<zeromq::RepSocket>(
            config,
            config.hb_port,
            Some(connection_group.clone()),
        )
        .await?;
        let shell_socket = bind_socket::<zeromq::RouterSocket>(
            config,
            config.shell_port,
            Some(connection_group.clone()),
        )
        .await?;
        let control_socket = bind_socket::<zeromq::RouterSocket>(
            config,
            config.control_port,
            Some(connection_group.clone()),
        )
        .await?;
        let stdin_socket =
            bind_socket::<zeromq::RouterSocket>(config, config.stdin_port, None).await?;
        let iopub_socket =
            bind_socket::<zeromq::PubSocket>(config, config.iopub_port, None).await?;
        let iopub = Arc::new(Mutex::new(iopub_socket));

        // Create a channel pair that's used to signal to the IO thread when to shut down. This
        // needs to be a crossbeam channel because the IO thread uses select together with other
        // crossbeam channels.
        let (shutdown_sender, shutdown_receiver) = crossbeam_channel::unbounded();
        let (flush_sender, flush_receiver) = crossbeam_channel::unbounded();

        let server = Server {
            iopub,
            latest_execution_request: Arc::new(Mutex::new(None)),
            stdin: Arc::new(Mutex::new(stdin_socket)),
            io_thread_shutdown_sender: Arc::new(Mutex::new(Some(shutdown_sender))),
            tokio_handle,
            cell: Arc::new(std::sync::Mutex::new(CellState::default())),
            flush_sender,
            interrupted: Arc::new(AtomicBool::new(false)),
            hook_pid: Arc::new(AtomicU32::new(0)),
            history: Arc::new(std::sync::Mutex::new(Vec::new())),
            prelude_done: Arc::new(std::sync::Mutex::new(None)),
        };

        let (execution_sender, mut execution_receiver) = tokio::sync::mpsc::unbounded_channel();
        let (execution_response_sender, mut execution_response_receiver) =
            tokio::sync::mpsc::unbounded_channel();

        tokio::spawn(async move {
            if let Err(error) = Self::handle_hb(&mut heartbeat).await {
                eprintln!("hb error: {error:?}");
            }
        });
        let (mut context, outputs) = CommandContext::new()?;
        context.execute(":load_config")?;
        let process_handle = context.process_handle();
        let context = Arc::new(std::sync::Mutex::new(context));
        server.start_warm_up(&context);
        {
            let context = context.clone();
            let server = server.clone();
            tokio::spawn(async move {
                let result = server
                    .handle_shell(
                        shell_socket,
                        &execution_sender,
                        &mut execution_response_receiver,
                        context,
                    )
                    .await;
                if let Err(error) = result {
                    eprintln!("shell error: {error:?}");
                }
            });
        }
        {
            let server = server.clone();
            tokio::spawn(async move {
                let result = server
                    .handle_execution_requests(
                        &context,
                        &mut execution_receiver,
                        &execution_response_sender,
                    )
                    .await;
                if let Err(error) = result {
                    eprintln!("execution error: {error:?}");
                }
            });
        }
        server
            .clone()
            .start_output_pass_through_thread(
                outputs.stdout,
                outputs.stderr,
                flush_receiver,
                shutdown_receiver.clone(),
            )
            .await;

        // Don't keep any outstanding instances of our connection group, otherwise things won't shut
        // down properly.
        drop(connection_group);

        // Run the control channel on the main task. Once the control channel handler terminates,
        // we're done.
        server
            .handle_control(control_socket, process_handle, group_shutdown)
            .await?;
        Ok(())
    }

    async fn shutdown_io_thread(&mut self) {
        self.io_thread_shutdown_sender.lock().await.take();
    }

    async fn handle_hb(connection: &mut Connection<zeromq::RepSocket>) -> Result<()> {
        loop {
            match connection.recv().await {
                Ok(_) => {}
                Err(RecvError::ShutdownRequested) => return Ok(()),
                Err(RecvError::Other(e)) => return Err(e),
            }
            connection
                .send(zeromq::ZmqMessage::from(b"ping".to_vec()))
                .await?;
        }
    }

    async fn handle_execution_requests(
        self,
        context: &Arc<std::sync::Mutex<CommandContext>>,
        receiver: &mut tokio::sync::mpsc::UnboundedReceiver<JupyterMessage>,
        execution_reply_sender: &tokio::sync::mpsc::UnboundedSender<JupyterMessage>,
    ) -> Result<()> {
        let mut execution_count = 0;
        loop {
            let message = match receiver.recv().await {
                Some(x) => x,
                None => {
                    // Other end has closed. This is expected when we're shutting
                    // down.
                    return Ok(());
                }
            };

            // If we want this clone to be cheaper, we probably only need the header, not the
            // whole message.
            *self.latest_execution_request.lock().await = Some(message.clone());
            let src = message.code().to_owned();
            execution_count += 1;
            message
                .new_message("execute_input")
                .with_content(object! {
                    "execution_count" => execution_count,
                    "code" => src.clone()
                })
                .send(&mut *self.iopub.lock().await)
                .await?;
            if message.get_content()["store_history"].as_bool() != Some(false) {
                self.history.lock().unwrap().push(src.clone());
            }
            *self.cell.lock().unwrap() = CellState::default();
            self.interrupted.store(false, Ordering::SeqCst);

            if let Some(parsed) = magic::parse(&src) {
                let shown = match parsed {
                    Ok(m) => tokio::task::spawn_blocking(move || magic::run(&m)).await?,
                    Err(e) => vec![magic::Shown::Error(e)],
                };
                let reply = self.show_magic(&message, shown, execution_count).await?;
                execution_reply_sender.send(reply)?;
                continue;
            }

            let context = Arc::clone(context);
            let server = self.clone();
            let (eval_result, message, child_pid) = tokio::task::spawn_blocking(move || {
                let mut context = context.lock().unwrap();
                // The warm-up (which held the lock until now) already ran this very cell.
                let prelude = server.prelude_done.lock().unwrap().take();
                if prelude.is_some_and(|p| p.trim() == message.code().trim()) {
                    return (Ok(evcxr::EvalOutputs::default()), message, None);
                }
                server.ensure_panic_hook(&mut context);
                let eval_result = context.execute_with_callbacks(
                    message.code(),
                    &mut evcxr::EvalCallbacks {
                        input_reader: &|input_request| {
                            server.tokio_handle.block_on(async {
                                server
                                    .request_input(
                                        &message,
                                        &input_request.prompt,
                                        input_request.is_password,
                                    )
                                    .await
                                    .unwrap_or_default()
                            })
                        },
                    },
                );
                // After a crash evcxr has already started a new process: no pipe to check.
                let child_pid = match &eval_result {
                    Err(evcxr::Error::SubprocessTerminated(_)) => None,
                    _ => Some(context.process_handle().lock().unwrap().id()),
                };
                (eval_result, message, child_pid)
            })
            .await?;
            // Every line the cell printed is in the output thread's queue by now (evcxr
            // reads stdout up to its completion marker); send it all before the result,
            // the reply and the idle status, so that no client misses output.
            self.flush_outputs(child_pid).await;
            let (panic, stderr_panic, dropped) = {
                let mut cell = self.cell.lock().unwrap();
                (cell.panic.take(), cell.stderr_panic, cell.dropped_lines)
            };
            if dropped > 0 {
                self.send_stream(
                    &message,
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
            let reply = match (eval_result, panic) {
                (Ok(_), Some(panic)) => {
                    let evalue = panic.summary();
                    let traceback = vec![
                        format!("{} {}", "panic:".bright_red().bold(), evalue),
                        "Variables defined by this cell were dropped; those from earlier cells are kept.".to_string(),
                    ];
                    self.send_error(&message, "panic", &evalue, &traceback)
                        .await?;
                    error_reply(&message, execution_count, "panic", &evalue, &traceback)
                }
                (Ok(output), None) => {
                    if !output.is_empty() {
                        let mut data = HashMap::new();
                        for (k, v) in output.content_by_mime_type {
                            if k.contains("json") {
                                data.insert(
                                    k,
                                    serde_json::from_str(&v).unwrap_or_else(|_| Value::from(v)),
                                );
                            } else {
                                data.insert(k, Value::from(v));
                            }
                        }
                        message
                            .new_message("execute_result")
                            .with_content(object! {
                                "execution_count" => execution_count,
                                "data" => data,
                                "metadata" => object!(),
                            })
                            .send(&mut *self.iopub.lock().await)
                            .await?;
                    }
                    if let Some(duration) = output.timing {
                        let ms = duration.as_millis();
                        let mut data: HashMap<String, Value> = HashMap::new();
                        data.insert(
                            "text/html".into(),
                            Value::from(format!(
                                "<span style=\"color: rgba(0,0,0,0.4);\">Took {ms}ms</span>"
                            )),
                        );
                        message
                            .new_message("execute_result")
                            .with_content(object! {
                                "execution_count" => execution_count,
                                "data" => data,
                                "metadata" => object!(),
                            })
                            .send(&mut *self.iopub.lock().await)
                            .await?;
                    }
                    message.new_reply().with_content(object! {
                        "status" => "ok",
                        "execution_count" => execution_count,
                        "user_expressions" => object!(),
                    })
                }
                (Err(evcxr::Error::SubprocessTerminated(detail)), _) => {
                    let (ename, evalue) = if self.interrupted.load(Ordering::SeqCst) {
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
                    self.send_error(&message, ename, &evalue, &traceback)
                        .await?;
                    error_reply(&message, execution_count, ename, &evalue, &traceback)
                }
                (Err(errors), _) => {
                    self.emit_errors(&errors, &message, message.code(), execution_count)
                        .await?;
                    let evalue = errors.to_string();
                    error_reply(&message, execution_count, "Error", &evalue, &[])
                }
            };
            execution_reply_sender.send(reply)?;
        }
    }

    /// Installs the course panic hook in the child process, once per process (an
    /// interrupt or a crash starts a new one).
    fn ensure_panic_hook(&self, context: &mut CommandContext) {
        let pid = context.process_handle().lock().unwrap().id();
        if self.hook_pid.load(Ordering::SeqCst) == pid {
            return;
        }
        match context.execute(protocol::PANIC_HOOK_CELL) {
            Ok(_) => self.hook_pid.store(pid, Ordering::SeqCst),
            Err(e) => eprintln!("gmcourse kernel: could not install the panic hook: {e}"),
        }
    }

    /// Installs the panic hook and, if `GMCOURSE_PRELUDE` names a file, runs it (the
    /// course's shared first cell) in the background while the student reads: the first
    /// cell then finds its dependencies loaded. Requests wait for it on the context lock.
    /// Hook and prelude compile as one cell, so the warm-up costs no extra build.
    fn start_warm_up(&self, context: &Arc<std::sync::Mutex<CommandContext>>) {
        let context = Arc::clone(context);
        let server = self.clone();
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
                    server.hook_pid.store(pid, Ordering::SeqCst);
                    *server.prelude_done.lock().unwrap() = Some(prelude);
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

    async fn flush_outputs(&self, child_pid: Option<u32>) {
        let (ack_sender, ack_receiver) = crossbeam_channel::bounded(1);
        if self.flush_sender.send((ack_sender, child_pid)).is_ok() {
            let _ = tokio::task::spawn_blocking(move || {
                ack_receiver.recv_timeout(Duration::from_secs(30))
            })
            .await;
        }
    }

    async fn send_stream(&self, parent: &JupyterMessage, name: &str, text: String) -> Result<()> {
        parent
            .new_message("stream")
            .with_content(object! { "name" => name, "text" => text })
            .send(&mut *self.iopub.lock().await)
            .await
    }

    async fn send_error(
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

    async fn request_input(
        &self,
        current_request: &JupyterMessage,
        prompt: &str,
        password: bool,
    ) -> Option<String> {
        if current_request.get_content()["allow_stdin"].as_bool() != Some(true) {
            return None;
        }
        let mut stdin = self.stdin.lock().await;
        let stdin_request = current_request
            .new_reply()
            .with_message_type("input_request")
            .with_content(object! {
                "prompt" => prompt,
                "password" => password,
            });
        stdin_request.send(&mut *stdin).await.ok()?;

        let input_response = JupyterMessage::read(&mut *stdin).await.ok()?;
        input_response.get_content()["value"]
            .as_str()
            .map(|value| value.to_owned())
    }

    async fn handle_shell<S: zeromq::Socket + zeromq::SocketRecv + zeromq::SocketSend>(
        self,
        mut connection: Connection<S>,
        execution_channel: &tokio::sync::mpsc::UnboundedSender<JupyterMessage>,
        execution_reply_receiver: &mut tokio::sync::mpsc::UnboundedReceiver<JupyterMessage>,
        context: Arc<std::sync::Mutex<CommandContext>>,
    ) -> Result<()> {
        loop {
            let message = match JupyterMessage::read(&mut connection).await {
                Ok(m) => m,
                Err(RecvError::ShutdownRequested) => return Ok(()),
                Err(RecvError::Other(error)) => return Err(error),
            };
            let message_type = message.message_type().to_owned();
            let r = self
                .handle_shell_message(
                    message,
                    &mut connection,
                    execution_channel,
                    execution_reply_receiver,
                    &context,
                )
                .await;
            if let Err(error) = r {
                // We see this often after issuing a restart-kernel from the Jupyter UI. Not sure
                // why, but provided we continue to handle subsequent shell requests, things seem to
                // work. So for now, we just print the error and continue.
                eprintln!("Error handling shell message `{message_type}`: {error:#}");
            }
        }
    }

    async fn handle_shell_message<S: zeromq::SocketRecv + zeromq::SocketSend>(
        &self,
        message: JupyterMessage,
        connection: &mut Connection<S>,
        execution_channel: &tokio::sync::mpsc::UnboundedSender<JupyterMessage>,
        execution_reply_receiver: &mut tokio::sync::mpsc::UnboundedReceiver<JupyterMessage>,
        context: &Arc<std::sync::Mutex<CommandContext>>,
    ) -> Result<()> {
        // Processing of every message should be enclosed between "busy" and "idle"
        // see https://jupyter-client.readthedocs.io/en/latest/messaging.html#messages-on-the-shell-router-dealer-channel
        // Jupiter Lab doesn't use the kernel until it received "idle" for kernel_info_request
        message
            .new_message("status")
            .with_content(object! {"execution_state" => "busy"})
            .send(&mut *self.iopub.lock().await)
            .await?;
        let idle = message
            .new_message("status")
            .with_content(object! {"execution_state" => "idle"});
        if message.message_type() == "kernel_info_request" {
            message
                .new_reply()
                .with_content(kernel_info())
                .send(connection)
                .await?;
        } else if message.message_type() == "is_complete_request" {
            message
                .new_reply()
                .with_content(complete::is_complete(message.code()).reply())
                .send(connection)
                .await?;
        } else if message.message_type() == "execute_request" {
            execution_channel.send(message)?;
            if let Some(reply) = execution_reply_receiver.recv().await {
                reply.send(connection).await?;
            }
        } else if message.message_type() == "comm_open" {
            comm_open(message, context, Arc::clone(&self.iopub)).await?;
        } else if message.message_type() == "comm_info_request" {
            message
                .new_reply()
                .with_content(object! {"status" => "ok", "comms" => object!()})
                .send(connection)
                .await?;
        } else if message.message_type() == "comm_msg" {
            // No comm targets of our own.
        } else if message.message_type() == "complete_request" {
            let reply = message.new_reply().with_content(
                match handle_completion_request(context, message).await {
                    Ok(response_content) => response_content,
                    Err(error) => object! {
                        "status" => "error",
                        "ename" => error.to_string(),
                        "evalue" => "",
                    },
                },
            );
            reply.send(connection).await?;
        } else if message.message_type() == "inspect_request" {
            let reply = message.new_reply().with_content(
                match handle_inspect_request(context, message).await {
                    Ok(response_content) => response_content,
                    Err(error) => object! {
                        "status" => "error",
                        "ename" => error.to_string(),
                        "evalue" => "",
                    },
                },
            );
            reply.send(connection).await?;
        } else if message.message_type() == "history_request" {
            let history = history_reply(&self.history.lock().unwrap(), message.get_content());
            message
                .new_reply()
                .with_content(history)
                .send(connection)
                .await?;
        } else {
            eprintln!(
                "Got unrecognized message type on shell channel: {}",
                message.message_type()
            );
        }
        idle.send(&mut *self.iopub.lock().await).await?;
        Ok(())
    }

    async fn handle_control(
        mut self,
        mut connection: Connection<zeromq::RouterSocket>,
        process_handle: Arc<std::sync::Mutex<std::process::Child>>,
        group_shutdown: ConnectionShutdownRequester,
    ) -> Result<()> {
        loop {
            let message = match JupyterMessage::read(&mut connection).await {
                Ok(m) => m,
                Err(RecvError::ShutdownRequested) => return Ok(()),
                Err(RecvError::Other(error)) => return Err(error),
            };
            match message.message_type() {
                "kernel_info_request" => {
                    message
                        .new_reply()
                        .with_content(kernel_info())
                        .send(&mut connection)
                        .await?
                }
                "shutdown_request" => {
                    let is_restart = message.get_content()["restart"].as_bool().unwrap_or(false);
                    let response = object! {
                        "status": "ok",
                        "restart": is_restart,
                    };
                    connection.shutdown_all_connections(group_shutdown).await;
                    self.shutdown_io_thread().await;
                    message
                        .new_reply()
                        .with_content(response)
                        .send(&mut connection)
                        .await?;
                    return Ok(());
                }
                "interrupt_request" => {
                    self.interrupted.store(true, Ordering::SeqCst);
                    let process_handle = process_handle.clone();
                    tokio::task::spawn_blocking(move || {
                        if let Err(error) = process_handle.lock().unwrap().kill() {
                            eprintln!("Failed to restart subprocess: {error}");
                        }
                    })
                    .await?;

                    message
                        .new_reply()
                        .with_content(object! {"status": "ok"})
                        .send(&mut connection)
                        .await?;
                }
                _ => {
                    eprintln!(
                        "Got unrecognized message type on control channel: {}",
                        message.message_type()
                    );
                }
            }
        }
    }

    async fn start_output_pass_through_thread(
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
                        self.cell.lock().unwrap().stderr_panic = true;
                    }
                    let keep = {
                        let mut cell = self.cell.lock().unwrap();
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
                    self.cell.lock().unwrap().panic = Some(panic);
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

    async fn emit_errors(
        &self,
        errors: &evcxr::Error,
        parent_message: &JupyterMessage,
        source: &str,
        execution_count: u32,
    ) -> Result<()> {
        match errors {
            evcxr::Error::CompilationErrors(errors) => {
                for error in errors {
                    let message = format!("{}", error.message().bright_red());
                    if error.is_from_user_code() {
                        let file_name = format!("command_{execution_count}");
                        let mut traceback = Vec::new();
                        if let Some(report) =
                            error.build_report(file_name.clone(), source.to_string(), Theme::Light)
                        {
                            let mut s = Vec::new();
                            report
                                .write(sources([(file_name, source)]), &mut s)
                                .unwrap();
                            let s = String::from_utf8_lossy(&s);
                            traceback = s.lines().map(|x| x.to_string()).collect::<Vec<_>>();
                        } else {
                            for spanned_message in error.spanned_messages() {
                                for line in &spanned_message.lines {
                                    traceback.push(line.clone());
                                }
                                if let Some(span) = &spanned_message.span {
                                    let mut carrots = String::new();
                                    for _ in 1..span.start_column {
                                        carrots.push(' ');
                                    }
                                    for _ in span.start_column..span.end_column {
                                        carrots.push('^');
                                    }
                                    traceback.push(format!(
                                        "{} {}",
                                        carrots.bright_red(),
                                        spanned_message.label.bright_blue()
                                    ));
                                } else {
                                    traceback.push(spanned_message.label.clone());
                                }
                            }
                            traceback.push(error.message());
                            for help in error.help() {
                                traceback.push(format!("{}: {}", "help".bold(), help));
                            }
                        }
                        parent_message
                            .new_message("error")
                            .with_content(object! {
                                "ename" => "Error",
                                "evalue" => error.message(),
                                "traceback" => traceback,
                            })
                            .send(&mut *self.iopub.lock().await)
                            .await?;
                    } else {
                        parent_message
                            .new_message("error")
                            .with_content(object! {
                                "ename" => "Error",
                                "evalue" => error.message(),
                                "traceback" => array![
                                    message
                                ],
                            })
                            .send(&mut *self.iopub.lock().await)
                            .await?;
                    }
                }
            }
            error => {
                let displayed_error = format!("{error}");
                parent_message
                    .new_message("error")
                    .with_content(object! {
                        "ename" => "Error",
                        "evalue" => displayed_error.clone(),
                        "traceback" => array![displayed_error],
                    })
                    .send(&mut *self.iopub.lock().await)
                    .await?;
            }
        }
        Ok(())
    }
}

/// An `execute_reply` for a failed cell: the status with the same ename, evalue and
/// traceback as the iopub `error` message.
fn error_reply(
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

/// Whether every `path = "…"` of the prelude's `:dep` lines exists from here.
fn prelude_paths_exist(prelude: &str) -> bool {
    prelude
        .lines()
        .filter(|line| line.trim_start().starts_with(":dep"))
        .filter_map(|line| line.split("path = \"").nth(1)?.split('"').next())
        .all(|path| std::path::Path::new(path).join("Cargo.toml").is_file())
}

/// The `history_reply` content over the cells of this session (session number 0):
/// `tail` (the last n), `range` (start..stop) and `search` (a glob with `*` and `?`,
/// optionally `unique`, the last n). With `output`, each entry is (input, null): the kernel
/// does not keep outputs.
fn last<T>(mut v: Vec<T>, n: Option<usize>) -> Vec<T> {
    if let Some(n) = n {
        v.drain(..v.len().saturating_sub(n));
    }
    v
}

fn history_reply(cells: &[String], request: &Value) -> Value {
    let numbered: Vec<(usize, &String)> =
        cells.iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
    let n = request["n"].as_u64().map(|n| n as usize);
    let picked: Vec<(usize, &String)> = match request["hist_access_type"].as_str() {
        Some("tail") => last(numbered, Some(n.unwrap_or(10))),
        Some("range") => {
            let start = request["start"].as_u64().unwrap_or(0) as usize;
            let stop = request["stop"]
                .as_u64()
                .map(|s| s as usize)
                .unwrap_or(usize::MAX);
            numbered
                .into_iter()
                .filter(|(i, _)| *i >= start && *i < stop)
                .collect()
        }
        Some("search") => {
            let pattern: Vec<char> = request["pattern"].as_str().unwrap_or("*").chars().collect();
            let mut found: Vec<(usize, &String)> = numbered
                .into_iter()
                .filter(|(_, c)| glob_match(&pattern, &c.chars().collect::<Vec<_>>()))
                .collect();
            if request["unique"].as_bool() == Some(true) {
                let mut seen = std::collections::HashSet::new();
                found.reverse();
                found.retain(|(_, c)| seen.insert(c.as_str()));
                found.reverse();
            }
            last(found, n)
        }
        _ => Vec::new(),
    };
    let with_output = request["output"].as_bool() == Some(true);
    let history: Vec<Value> = picked
        .into_iter()
        .map(|(i, c)| {
            if with_output {
                array![0, i, array![c, Value::Null]]
            } else {
                array![0, i, c]
            }
        })
        .collect();
    object! { "status" => "ok", "history" => history }
}

/// Glob matching with `*` (any run) and `?` (one character).
fn glob_match(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|k| glob_match(rest, &text[k..])),
        Some(('?', rest)) => !text.is_empty() && glob_match(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob_match(rest, &text[1..]),
    }
}

async fn comm_open(
    message: JupyterMessage,
    context: &Arc<std::sync::Mutex<CommandContext>>,
    iopub: Arc<Mutex<Connection<zeromq::PubSocket>>>,
) -> Result<()> {
    if message.target_name() == "evcxr-cargo-check" {
        let context = Arc::clone(context);
        tokio::spawn(async move {
            if let Some(code) = message.data()["code"].as_str() {
                let data = cargo_check(code.to_owned(), context).await;
                let response_content = object! {
                    "comm_id" => message.comm_id(),
                    "data" => data,
                };
                message
                    .new_message("comm_msg")
                    .without_parent_header()
                    .with_content(response_content)
                    .send(&mut *iopub.lock().await)
                    .await
                    .unwrap();
            }
            message
                .comm_close_message()
                .send(&mut *iopub.lock().await)
                .await
                .unwrap();
        });
        Ok(())
    } else {
        // Unrecognised comm target, just close the comm.
        message
            .comm_close_message()
            .send(&mut *iopub.lock().await)
            .await
    }
}

async fn cargo_check(code: String, context: Arc<std::sync::Mutex<CommandContext>>) -> Value {
    let problems = tokio::task::spawn_blocking(move || {
        context.lock().unwrap().check(&code).unwrap_or_default()
    })
    .await
    .unwrap_or_default();
    let problems_json: Vec<Value> = problems
        .iter()
        .filter_map(|problem| {
            if let Some(primary_spanned_message) = problem.primary_spanned_message()
                && let Some(span) = primary_spanned_message.span
            {
                use std::fmt::Write;
                let mut message = primary_spanned_message.label.clone();
                if !message.is_empty() {
                    message.push('\n');
                }
                message.push_str(&problem.message());
                for help in problem.help() {
                    write!(message, "\nhelp: {help}").unwrap();
                }
                return Some(object! {
                    "message" => message,
                    "severity" => problem.level(),
                    "start_line" => span.start_line,
                    "start_column" => span.start_column,
                    "end_column" => span.end_column,
                    "end_line" => span.end_line,
                });
            }
            None
        })
        .collect();
    object! {
        "problems" => problems_json,
    }
}

async fn bind_socket<S: zeromq::Socket>(
    config: &control_file::Control,
    port: u16,
    group: Option<ConnectionGroup>,
) -> Result<Connection<S>> {
    let endpoint = format!("{}://{}:{}", config.transport, config.ip, port);
    let mut socket = S::new();
    socket.bind(&endpoint).await?;
    Connection::new(socket, &config.key, group)
}

/// See [Kernel info documentation](https://jupyter-client.readthedocs.io/en/stable/messaging.html#kernel-info)
fn kernel_info() -> Value {
    object! {
        "protocol_version" => "5.3",
        "implementation" => env!("CARGO_PKG_NAME"),
        "implementation_version" => env!("CARGO_PKG_VERSION"),
        "language_info" => object!{
            "name" => "Rust",
            "version" => "",
            "mimetype" => "text/rust",
            "file_extension" => ".rs",
            // Pygments lexer, for highlighting Only needed if it differs from the 'name' field.
            // see http://pygments.org/docs/lexers/#lexers-for-the-rust-language
            "pygment_lexer" => "rust",
            // Codemirror mode, for for highlighting in the notebook. Only needed if it differs from the 'name' field.
            // codemirror use text/x-rustsrc as mimetypes
            // see https://codemirror.net/mode/rust/
            "codemirror_mode" => "rust",
        },
        "banner" => format!("EvCxR {} - Evaluation Context for Rust", env!("CARGO_PKG_VERSION")),
        "help_links" => array![
            object!{"text" => "Rust std docs",
                    "url" => "https://doc.rust-lang.org/stable/std/"}
        ],
        "status" => "ok"
    }
}

async fn handle_completion_request(
    context: &Arc<std::sync::Mutex<CommandContext>>,
    message: JupyterMessage,
) -> Result<Value> {
    let context = Arc::clone(context);
    tokio::task::spawn_blocking(move || {
        let code = message.code();
        let completions = context.lock().unwrap().completions(
            code,
            grapheme_offset_to_byte_offset(code, message.cursor_pos()),
        )?;
        let cursor_start = byte_offset_to_grapheme_offset(code, completions.start_offset)?;
        let cursor_end = byte_offset_to_grapheme_offset(code, completions.end_offset)?;
        let mut matches: Vec<String> = Vec::new();
        let mut type_metadata: Vec<Value> = Vec::new();
        for c in &completions.completions {
            matches.push(c.code.clone());
            type_metadata.push(object! {
                "text"  => c.label.clone(),
                "type"  => c.kind,
                "start" => cursor_start,
                "end"   => cursor_end,
            });
        }
        Ok(object! {
            "status" => "ok",
            "matches" => matches,
            "cursor_start" => cursor_start,
            "cursor_end" => cursor_end,
            "metadata" => object! {
                "_jupyter_types_experimental" => type_metadata,
            },
        })
    })
    .await?
}

async fn handle_inspect_request(
    context: &Arc<std::sync::Mutex<CommandContext>>,
    message: JupyterMessage,
) -> Result<Value> {
    let context = Arc::clone(context);
    tokio::task::spawn_blocking(move || {
        let code = message.code();
        let position = grapheme_offset_to_byte_offset(code, message.cursor_pos());
        // hover_at returns Ok("No documentation found", ...) for unresolvable
        // symbols rather than Err; treat that as found:false per Jupyter spec.
        match context.lock().unwrap().hover_at(code, position) {
            Ok((plain, _)) if plain == "No documentation found" => Ok(object! {
                "status"   => "ok",
                "found"    => false,
                "data"     => object!{},
                "metadata" => object!{},
            }),
            Ok((plain, html)) => Ok(object! {
                "status"   => "ok",
                "found"    => true,
                "data"     => object! {
                    "text/plain" => plain,
                    "text/html"  => html,
                },
                "metadata" => object!{},
            }),
            Err(_) => Ok(object! {
                "status"   => "ok",
                "found"    => false,
                "data"     => object!{},
                "metadata" => object!{},
            }),
        }
    })
    .await?
}

/// Returns the byte offset for the start of the specified grapheme. Any grapheme beyond the last
/// grapheme will return the end position of the input.
fn grapheme_offset_to_byte_offset(code: &str, grapheme_offset: usize) -> usize {
    unicode_segmentation::UnicodeSegmentation::grapheme_indices(code, true)
        .nth(grapheme_offset)
        .map(|(byte_offset, _)| byte_offset)
        .unwrap_or_else(|| code.len())
}

/// Returns the grapheme offset of the grapheme that starts at
fn byte_offset_to_grapheme_offset(code: &str, target_byte_offset: usize) -> Result<usize> {
    let mut grapheme_offset = 0;
    for (byte_offset, _) in unicode_segmentation::UnicodeSegmentation::grapheme_indices(code, true)
    {
        if byte_offset == target_byte_offset {
            break;
        }
        if byte_offset > target_byte_offset {
            bail!(
                "Byte offset {} is not on a grapheme boundary in '{}'",
                target_byte_offset,
                code
            );
        }
        grapheme_offset += 1;
    }
    Ok(grapheme_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_answers_tail_range_and_search() {
        let cells: Vec<String> = ["let a = 1;", "println!(\"{a}\");", "let a = 1;"]
            .map(String::from)
            .to_vec();
        let tail = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "tail", "n": 2}),
        );
        assert_eq!(
            tail["history"],
            serde_json::json!([[0, 2, "println!(\"{a}\");"], [0, 3, "let a = 1;"]])
        );
        let range = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "range", "start": 1, "stop": 2}),
        );
        assert_eq!(range["history"], serde_json::json!([[0, 1, "let a = 1;"]]));
        let search = |extra: Value| {
            let mut req = serde_json::json!({"hist_access_type": "search", "pattern": "let*"});
            req.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            history_reply(&cells, &req)["history"]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!(search(serde_json::json!({})), 2);
        assert_eq!(search(serde_json::json!({"unique": true})), 1);
        assert_eq!(search(serde_json::json!({"n": 1})), 1);
        let with_output = history_reply(
            &cells,
            &serde_json::json!({"hist_access_type": "tail", "n": 1, "output": true}),
        );
        assert_eq!(with_output["history"][0][2].as_array().unwrap().len(), 2);
    }

    #[test]
    fn glob_patterns() {
        let m = |p: &str, t: &str| {
            glob_match(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*print*", "println!(1)"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(!m("print*", "eprintln!()"));
    }

    #[test]
    fn grapheme_offsets() {
        let src = "a̐éx";
        assert_eq!(grapheme_offset_to_byte_offset(src, 0), 0);
        assert_eq!(grapheme_offset_to_byte_offset(src, 1), 3);
        assert_eq!(grapheme_offset_to_byte_offset(src, 2), 6);
        assert_eq!(grapheme_offset_to_byte_offset(src, 3), 7);

        assert_eq!(byte_offset_to_grapheme_offset(src, 0).unwrap(), 0);
        assert_eq!(byte_offset_to_grapheme_offset(src, 3).unwrap(), 1);
        assert_eq!(byte_offset_to_grapheme_offset(src, 6).unwrap(), 2);
        assert_eq!(byte_offset_to_grapheme_offset(src, 7).unwrap(), 3);
    }
}
