//! Errors that end a scan (exit 2). Each displays as one line naming the file and the place.

use std::path::PathBuf;

/// A source that cannot be read at all. Files inside a readable layer that cannot be parsed are
/// not errors but [`sbom_model::Unknown`]s.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// The input path does not exist.
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    /// An I/O error on a host file (the input, or the output being written).
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The archive or layout is not what it claims to be (bad JSON, missing manifest, ...).
    /// `place` is the member or JSON pointer.
    #[error("{path}: {place}: {message}")]
    Invalid {
        path: PathBuf,
        place: String,
        message: String,
    },
    /// A layer cannot be read to its end: truncated, corrupt compression, digest mismatch.
    /// `digest` is the blob digest (the bytes that are broken).
    #[error("{path}: layer {index} ({digest}): {message}")]
    Layer {
        path: PathBuf,
        index: usize,
        digest: String,
        message: String,
    },
    /// A budget (nesting, bytes per file, bytes per layer) was exceeded.
    #[error("{path}: {message}")]
    Limit { path: PathBuf, message: String },
    /// Bad arguments: an unknown scheme, an unsupported source.
    #[error("{0}")]
    Usage(String),
}
