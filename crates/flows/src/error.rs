//! Typed errors of the flows crate: where input went wrong (file, line, field) and what a query
//! could not do.

use std::path::PathBuf;

/// Everything that can go wrong in ingest, generation and reports.
#[derive(Debug, thiserror::Error)]
pub enum FlowsError {
    /// A value of an input file could not be used.
    #[error("{file}: line {line}: field {field}: {message}")]
    Parse {
        /// The input file (as given).
        file: String,
        /// 1-based line number in the file (the header is line 1 for CSV).
        line: u64,
        /// The column or JSON key.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    /// (The reason is part of the message and not also a `source`, so that a report of the
    /// whole error chain does not print it twice.)
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        error: std::io::Error,
    },
    /// A report argument is not valid (a code, a period, a goods selector).
    #[error("invalid argument {name}: {message}")]
    Argument {
        /// The argument.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The selected rows carry more than one currency: a report never adds EUR to USD.
    #[error("the selected flows are in several currencies ({0}); pass --currency to choose one")]
    MixedCurrencies(String),
    /// No Ballista scheduler answers at the `--cluster` address.
    #[error("no Ballista scheduler at {url}: {reason}")]
    Cluster {
        /// The scheduler's address as given (`df://HOST:PORT`).
        url: String,
        /// Why it could not be reached (refused, unknown host, timed out).
        reason: std::io::Error,
    },
    /// No dataset has been ingested in the data directory.
    #[error("no trade flows in {0}: run `dualtrace flows ingest` first")]
    NoDataset(PathBuf),
    /// DataFusion (or Arrow/Parquet below it) failed.
    ///
    /// This and the next two hold their library's error without making it a `source`, as
    /// [`FlowsError::Io`] does: its message already includes its own sources (DataFusion's
    /// does, each level again), so a report of the whole chain printed a schema error four
    /// times over.
    #[error("query engine: {0}")]
    Engine(datafusion::error::DataFusionError),
    /// Arrow failed while building a batch.
    #[error("arrow: {0}")]
    Arrow(datafusion::arrow::error::ArrowError),
    /// Parquet failed while writing the dataset.
    #[error("parquet: {0}")]
    Parquet(datafusion::parquet::errors::ParquetError),
}

impl From<datafusion::error::DataFusionError> for FlowsError {
    fn from(error: datafusion::error::DataFusionError) -> FlowsError {
        FlowsError::Engine(error)
    }
}

impl From<datafusion::arrow::error::ArrowError> for FlowsError {
    fn from(error: datafusion::arrow::error::ArrowError) -> FlowsError {
        FlowsError::Arrow(error)
    }
}

impl From<datafusion::parquet::errors::ParquetError> for FlowsError {
    fn from(error: datafusion::parquet::errors::ParquetError) -> FlowsError {
        FlowsError::Parquet(error)
    }
}

impl FlowsError {
    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> FlowsError {
        FlowsError::Io {
            path: path.into(),
            error: source,
        }
    }

    /// A parse error at a file, line and field.
    pub fn parse(
        file: &str,
        line: u64,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> FlowsError {
        FlowsError::Parse {
            file: file.to_string(),
            line,
            field: field.into(),
            message: message.into(),
        }
    }

    /// An invalid report argument.
    pub fn argument(name: &str, message: impl Into<String>) -> FlowsError {
        FlowsError::Argument {
            name: name.to_string(),
            message: message.into(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = FlowsError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::error::DataFusionError;

    /// The error and its sources, as `{:#}` of the binary's report shows them.
    fn chain(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        text
    }

    #[test]
    fn a_query_engine_error_is_told_once() {
        let inner = DataFusionError::Plan("No field named nonexistent".into());
        let error = FlowsError::from(DataFusionError::Context("planning".into(), Box::new(inner)));
        let text = chain(&error);
        assert_eq!(
            text.matches("No field named nonexistent").count(),
            1,
            "{text}"
        );
        assert!(text.starts_with("query engine: planning"), "{text}");
    }
}
