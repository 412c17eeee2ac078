//! The one error type of the crate.
//!
//! Every fallible function in `gmcourse` returns [`Result<T>`]. Messages say what was
//! expected, what was received and, where there is one, the remedy, so that a student
//! reading a notebook cell knows what to change.

use std::path::PathBuf;

/// Everything that can go wrong in `gmcourse`.
///
/// The type is `Send + Sync`, so it crosses threads and fits in `anyhow`-style boxes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument had the wrong value: a probability outside `[0, 1]`, a NaN, an empty
    /// slice, a table that does not sum to one.
    #[error("{what}: expected {expected}, got {got}")]
    InvalidArgument {
        what: String,
        expected: String,
        got: String,
    },

    /// Two shapes that must agree do not.
    #[error("shape mismatch in {what}: expected {expected}, got {got}")]
    Shape {
        what: String,
        expected: String,
        got: String,
    },

    /// A data file is missing, truncated or corrupt.
    #[error("data file {}: {problem}. Remedy: {remedy}", path.display())]
    Data {
        path: PathBuf,
        problem: String,
        remedy: String,
    },

    /// A checkpoint does not fit the model it is loaded into.
    #[error("checkpoint {}: {problem}", path.display())]
    Checkpoint { path: PathBuf, problem: String },

    /// Training produced a non-finite loss and was stopped.
    #[error("training diverged at step {step} (loss = {loss}); {remedy}")]
    Diverged {
        step: usize,
        loss: f64,
        remedy: String,
    },

    /// A file could not be read or written.
    #[error("cannot access {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Drawing a plot failed.
    #[error("plot: {0}")]
    Plot(String),

    /// An error raised inside candle.
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::InvalidArgument`].
    ///
    /// ```
    /// let e = gmcourse::Error::invalid("p", "a value in [0, 1]", 1.5);
    /// assert_eq!(e.to_string(), "p: expected a value in [0, 1], got 1.5");
    /// ```
    pub fn invalid(
        what: impl Into<String>,
        expected: impl Into<String>,
        got: impl ToString,
    ) -> Self {
        Error::InvalidArgument {
            what: what.into(),
            expected: expected.into(),
            got: got.to_string(),
        }
    }

    /// Builds an [`Error::Shape`].
    ///
    /// ```
    /// let e = gmcourse::Error::shape("x", "(batch, 784)", "(2, 3)");
    /// assert!(e.to_string().contains("expected (batch, 784)"));
    /// ```
    pub fn shape(what: impl Into<String>, expected: impl Into<String>, got: impl ToString) -> Self {
        Error::Shape {
            what: what.into(),
            expected: expected.into(),
            got: got.to_string(),
        }
    }

    /// Wraps an I/O error with the path it happened on.
    ///
    /// ```
    /// let e = gmcourse::Error::io("missing.bin", std::io::Error::from(std::io::ErrorKind::NotFound));
    /// assert!(e.to_string().starts_with("cannot access missing.bin"));
    /// ```
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_and_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<Error>();
    }

    #[test]
    fn data_error_names_the_file_and_the_remedy() {
        let e = Error::Data {
            path: "data/mnist/train-images.idx3-ubyte.gz".into(),
            problem: "truncated after 1000 bytes".into(),
            remedy: "run `./course setup` again".into(),
        };
        let msg = e.to_string();
        assert!(msg.contains("train-images.idx3-ubyte.gz"), "{msg}");
        assert!(msg.contains("Remedy: run `./course setup` again"), "{msg}");
    }
}
