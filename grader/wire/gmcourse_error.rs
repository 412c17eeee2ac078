//! `gmcourse::Error` on the wire (see `wire.rs`), so that `gmcourse::Result<T>` crosses
//! it: a test can tell `Error::InvalidArgument` from `Error::Shape`. Variants that carry
//! foreign types (an I/O error, a candle error) keep their kind and message.
//!
//! Copied into every generated judge and server crate as `src/wire_gmcourse.rs`.

use crate::wire::{Get, Put};
use gmcourse::Error;
use std::path::PathBuf;

fn path_text(p: &std::path::Path) -> String {
    p.display().to_string()
}

impl Put for Error {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Error::InvalidArgument {
                what,
                expected,
                got,
            } => (0u8, what, expected, got).put(out),
            Error::Shape {
                what,
                expected,
                got,
            } => (1u8, what, expected, got).put(out),
            Error::Data {
                path,
                problem,
                remedy,
            } => (2u8, path_text(path), problem, remedy).put(out),
            Error::Checkpoint { path, problem } => (3u8, path_text(path), problem).put(out),
            Error::Diverged { step, loss, remedy } => (4u8, step, loss, remedy).put(out),
            Error::Io { path, source } => (5u8, path_text(path), source.to_string()).put(out),
            Error::Plot(m) => (6u8, m).put(out),
            other => (7u8, other.to_string()).put(out),
        }
    }
}

impl Get for Error {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let s = |input: &mut &[u8]| String::get(input);
        Some(match u8::get(input)? {
            0 => Error::InvalidArgument {
                what: s(input)?,
                expected: s(input)?,
                got: s(input)?,
            },
            1 => Error::Shape {
                what: s(input)?,
                expected: s(input)?,
                got: s(input)?,
            },
            2 => Error::Data {
                path: PathBuf::from(s(input)?),
                problem: s(input)?,
                remedy: s(input)?,
            },
            3 => Error::Checkpoint {
                path: PathBuf::from(s(input)?),
                problem: s(input)?,
            },
            4 => Error::Diverged {
                step: usize::get(input)?,
                loss: f64::get(input)?,
                remedy: s(input)?,
            },
            5 => Error::Io {
                path: PathBuf::from(s(input)?),
                source: std::io::Error::other(s(input)?),
            },
            6 => Error::Plot(s(input)?),
            7 => Error::Candle(candle_core::Error::Msg(s(input)?)),
            _ => return None,
        })
    }
}
