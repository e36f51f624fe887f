//! Errors of outside input: where in which file, which field, what is wrong.
//!
//! An analyst who feeds dualtrace a broken file must be able to open it at the right place.
//! Every parser reports the file name, a [`Location`] (line, XML position or spreadsheet row)
//! and the field it was reading.

use std::fmt;

/// A position in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line number (1-based) of a text file.
    Line(u64),
    /// A position in an XML document: 1-based line and byte offset.
    Xml {
        /// 1-based line.
        line: u64,
        /// Byte offset from the start of the document.
        byte: u64,
    },
    /// A row (1-based) of a sheet in a spreadsheet.
    Row {
        /// The sheet name.
        sheet: String,
        /// 1-based row.
        row: u64,
    },
    /// The file as a whole (missing file, empty file, wrong kind of file).
    File,
}

impl Location {
    /// The XML location of a byte offset in `data` (counts the lines up to it).
    pub fn xml(data: &[u8], byte: u64) -> Location {
        let end = usize::try_from(byte).unwrap_or(usize::MAX).min(data.len());
        let line = data[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        Location::Xml { line, byte }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(l) => write!(f, "line {l}"),
            Location::Xml { line, byte } => write!(f, "line {line} (byte {byte})"),
            Location::Row { sheet, row } => write!(f, "sheet {sheet:?} row {row}"),
            Location::File => f.write_str("file"),
        }
    }
}

/// Bad outside input: names the file, the place in it, the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {location}: field {field}: {message}")]
pub struct ParseError {
    /// The file (as the user named it).
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// The field, column or element being read.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    /// A new error.
    pub fn new(
        file: impl Into<String>,
        location: Location,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ParseError {
            file: file.into(),
            location,
            field: field.into(),
            message: message.into(),
        }
    }
}
