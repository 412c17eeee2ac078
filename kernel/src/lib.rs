// Copyright 2020 The Evcxr Authors.
//
// Licensed under the Apache License, Version 2.0 <LICENSE or
// https://www.apache.org/licenses/LICENSE-2.0> or the MIT license <LICENSE
// or https://opensource.org/licenses/MIT>, at your option. This file may not be
// copied, modified, or distributed except according to those terms.

//! The gmcourse Jupyter kernel: Rust cells run by the `evcxr` library, as in
//! evcxr_jupyter 0.22.0 (from which the connection, message and server code derive; see
//! LICENSE-evcxr), with what a course needs on top:
//!
//! - truthful results: a panic is an `error` reply with its message, not `ok`
//!   ([`protocol`]); an interrupt or a process exit says plainly that variables are gone;
//! - no lost output: stdout is flushed to the front end before the reply and idle status;
//!   a cell that prints without end is capped at 4 MiB;
//! - live output: `display_data` with a `display_id`, `update_display_data` and
//!   `clear_output`, driven by `gmcourse::live` ([`protocol`]);
//! - `is_complete` that knows when a block is still open ([`complete`]);
//! - the course commands `:check NN` and `:hint N.M` ([`magic`]);
//! - a background warm-up that installs the panic hook and loads the course prelude
//!   (`GMCOURSE_PRELUDE`) while the student reads;
//! - a build folder that outlives the kernel, with the course's versions ([`work_dir`]);
//! - the time of each phase of a cell in its reply (`gmcourse_timing`).
//!
//! `core.rs` is evcxr_jupyter's server with the course's hooks marked `course:`; the
//! course's parts are modules of their own. evcxr itself is patched in `vendor/evcxr`.

macro_rules! object {
    () => {
        serde_json::json!({})
    };
    ($($key:tt => $value:expr),* $(,)?) => {
        serde_json::json!({$($key: $value),*})
    };
    ($($key:tt : $value:expr),* $(,)?) => {
        serde_json::json!({$($key: $value),*})
    };
}

macro_rules! array {
    ($($value:expr),* $(,)?) => {
        serde_json::json!([$($value),*])
    };
}

use anyhow::Result;
use anyhow::anyhow;
use anyhow::bail;

mod cell;
pub mod complete;
mod connection;
mod control_file;
mod core;
mod course;
mod history;
mod jupyter_message;
pub mod magic;
mod output;
mod pipe;
pub mod protocol;
mod timing;
mod warm_up;
pub mod work_dir;

fn run(control_file_name: &str) -> Result<()> {
    let config = control_file::Control::parse_file(control_file_name)?;
    // Before evcxr starts (and before any thread): the folder it builds in.
    work_dir::claim_slot();
    core::Server::run(&config)
}

pub fn main() -> Result<()> {
    // Tells gmcourse (in the child process that runs user code) that live displays work.
    // SAFETY: no other thread has been started yet.
    unsafe { std::env::set_var(protocol::KERNEL_ENV, env!("CARGO_PKG_VERSION")) };
    evcxr::runtime_hook();
    let mut args = std::env::args();
    let bin = args.next().unwrap();
    if let Some(arg) = args.next() {
        match arg.as_str() {
            "--control_file" => {
                return run(&args.next().ok_or_else(|| anyhow!("Missing control file"))?);
            }
            "--help" => {}
            x => bail!("Unrecognised option {}", x),
        }
    }
    println!(
        "{bin} is the gmcourse Jupyter kernel. The course's set-up registers it; \
         Jupyter starts it as `{bin} --control_file FILE`."
    );
    Ok(())
}

#[global_allocator]
static MIMALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
