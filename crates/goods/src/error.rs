//! Errors of the goods crate.
//!
//! Two kinds: [`HsError`] says why one declared code (or HS version) is not usable; it is reported
//! per line and never stops a batch. [`Error`] is a failure of a whole operation: an unreadable
//! file, a missing column, a malformed data file; it names the file, the line and the field.

use crate::code::HsVersion;

/// Why a written HS code or HS version cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HsError {
    /// Nothing but blanks and separators.
    #[error("empty HS code")]
    Empty,
    /// A character other than a digit or a separator (`.`, space, `-`).
    #[error(
        "HS code {input:?}: unexpected character {ch:?} at position {position} (only digits, dots, spaces and hyphens are allowed)"
    )]
    InvalidCharacter {
        /// The code as written.
        input: String,
        /// The offending character.
        ch: char,
        /// Its 1-based character position in `input`.
        position: usize,
    },
    /// A digit count that no HS or national tariff code has.
    #[error("HS code {input:?} has {digits} digits: expected 2, 4, 6, 8 or 10{hint}")]
    BadLength {
        /// The code as written.
        input: String,
        /// How many digits it has.
        digits: usize,
        /// An explanation for odd lengths (a dropped leading zero).
        hint: &'static str,
    },
    /// The first two digits are not an HS chapter.
    #[error(
        "HS code {input:?}: {chapter} is not an HS chapter (chapters are 01-97, 77 is reserved; 98 and 99 are national provisions)"
    )]
    UnknownChapter {
        /// The code as written.
        input: String,
        /// The first two digits.
        chapter: String,
    },
    /// Well-formed, but absent from the loaded nomenclature of the line's HS version.
    #[error("HS code {code} is not in the HS {version} nomenclature")]
    NotInNomenclature {
        /// The HS-6 (or shorter) code looked up.
        code: String,
        /// The HS version of the nomenclature.
        version: HsVersion,
    },
    /// A CHPL code created by HS 2022, declared on a line said to be in HS 2017.
    #[error("HS code {code} exists only from HS 2022 on, but the line is declared in HS 2017")]
    OnlyInHs2022 {
        /// The HS-6 code.
        code: String,
    },
    /// An HS version this crate does not know.
    #[error("unknown HS version {0:?} (expected 2017 or 2022)")]
    UnknownVersion(String),
}

/// A failure of a whole operation (loading a file, running a batch).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being read or written (a path, "input", "output").
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV reader failed.
    #[error("{file}: CSV error: {message}")]
    Csv {
        /// The file (or stream) name.
        file: String,
        /// The reader's message, with its position.
        message: String,
    },
    /// A required column is absent from a header.
    #[error("{file}: missing column {column:?} in the header (found: {found})")]
    MissingColumn {
        /// The file (or stream) name.
        file: String,
        /// The missing column.
        column: String,
        /// The columns present.
        found: String,
    },
    /// A value of a data file is malformed.
    #[error("{file}: line {line}, field {field}: {message}")]
    Data {
        /// The file name.
        file: String,
        /// The 1-based line.
        line: u64,
        /// The field (column) name.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Serialising an output row failed.
    #[error("output: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// Wraps a CSV error of `file`.
    pub(crate) fn csv(file: &str, err: &csv::Error) -> Self {
        match err.kind() {
            csv::ErrorKind::Io(e) => Error::Io {
                context: file.to_string(),
                source: std::io::Error::new(e.kind(), e.to_string()),
            },
            _ => Error::Csv {
                file: file.to_string(),
                message: err.to_string(),
            },
        }
    }
}
