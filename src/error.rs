//! The one error type of the crate.

use std::path::PathBuf;

/// Result alias used across padan.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in padan, with enough context to act on.
///
/// User mistakes (a missing column, a bad config) and I/O failures are distinct
/// variants so that the CLI can map them to exit codes and Python to exception classes.
///
/// ```
/// let err = padan::Error::ColumnNotFound { column: "id_dtks".into(), field: "id".into(), available: vec!["nama".into()] };
/// assert!(err.to_string().contains("id_dtks"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required column is absent from the input.
    #[error("required column `{column}` (field `{field}`) not found; the input has: {}", available.join(", "))]
    ColumnNotFound {
        /// Source column name that was looked for.
        column: String,
        /// Logical field it maps to.
        field: String,
        /// Columns that the input does have.
        available: Vec<String>,
    },
    /// The configuration is invalid; every problem is listed.
    #[error("invalid configuration:\n{}", .0.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n"))]
    InvalidConfig(Vec<ConfigIssue>),
    /// The input could not be read as the format it claims to be.
    #[error("cannot read {path}: {message}")]
    Input {
        /// File that failed.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Unsupported or unknown file format.
    #[error("unsupported file format for {path} (expected .csv, .parquet, .arrow, .ipc or .feather)")]
    UnsupportedFormat {
        /// The offending path.
        path: PathBuf,
    },
    /// The model file is malformed or does not fit the comparisons.
    #[error("invalid model: {0}")]
    InvalidModel(String),
    /// A table of labelled pairs cannot be used: a missing or unreadable label, an id that is not
    /// in the input, one pair labelled both ways.
    #[error("invalid labels: {0}")]
    InvalidLabels(String),
    /// The input schema cannot be used (for example a column of an unsupported type).
    #[error("schema error: {0}")]
    Schema(String),
    /// An I/O error with the path involved.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An Arrow error from a kernel or writer.
    #[error("arrow error: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// A Parquet error from the reader or writer.
    #[error("parquet error: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    /// A JSON (de)serialisation error.
    #[error("json error: {0}")]
    Json(#[from] serde_json::Error),
    /// A result was asked for a layer its run did not compute: a run with
    /// [`crate::Config::clusters_only`] has no flags, households or review list.
    #[error(
        "the {layer} were not computed: this run was clusters only (`clusters_only = true`, \
         `padan dedupe --clusters-only`), which skips flags, households and the review list; \
         run again without it to get them"
    )]
    LayerSkipped {
        /// What was asked for, e.g. `flags` or `households`.
        layer: String,
    },
    /// A bug or an impossible state inside padan.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Whether the error is the user's to fix (bad input, config or usage) rather than an internal fault.
    ///
    /// ```
    /// assert!(padan::Error::InvalidModel("x".into()).is_user_error());
    /// assert!(!padan::Error::Internal("x".into()).is_user_error());
    /// ```
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Internal(_))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

/// One problem found while validating a configuration.
///
/// ```
/// let issue = padan::ConfigIssue::new("blocking[0].keys", "unknown key `foo`");
/// assert_eq!(issue.to_string(), "blocking[0].keys: unknown key `foo`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigIssue {
    /// Where in the configuration (a dotted path).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl ConfigIssue {
    /// A new issue at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

impl std::fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
