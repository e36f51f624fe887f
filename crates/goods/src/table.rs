//! A small reader for the crate's CSV data files (embedded or loaded at run time).
//!
//! Data files may start with `#` comment lines (their sources and dates); the first other line is
//! the header. Fields are addressed by column name so that a reordered file still loads, and a
//! missing column or field is an error naming the file, the line and the field.

use std::io::Read;

use crate::error::Error;

/// One CSV table read by column name.
pub(crate) struct Table<R: Read> {
    name: String,
    reader: csv::Reader<R>,
    header: Vec<String>,
    record: csv::StringRecord,
}

impl<R: Read> Table<R> {
    /// Opens `reader` (named `name` in errors) and reads its header.
    pub(crate) fn new(name: &str, reader: R) -> Result<Self, Error> {
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(reader);
        let header = reader
            .headers()
            .map_err(|e| Error::csv(name, &e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        Ok(Table {
            name: name.to_string(),
            reader,
            header,
            record: csv::StringRecord::new(),
        })
    }

    /// The index of a required column.
    pub(crate) fn column(&self, column: &str) -> Result<usize, Error> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column))
            .ok_or_else(|| Error::MissingColumn {
                file: self.name.clone(),
                column: column.to_string(),
                found: self.header.join(","),
            })
    }

    /// Advances to the next row; `false` at the end.
    pub(crate) fn next_row(&mut self) -> Result<bool, Error> {
        self.reader
            .read_record(&mut self.record)
            .map_err(|e| Error::csv(&self.name, &e))
    }

    /// The 1-based line of the current row.
    pub(crate) fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// The trimmed value of column `index` in the current row ("" when the row is short).
    pub(crate) fn get(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("").trim()
    }

    /// An error about `field` of the current row.
    pub(crate) fn error(&self, field: &str, message: impl Into<String>) -> Error {
        Error::Data {
            file: self.name.clone(),
            line: self.line(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The value of column `index` (named `field`), which must be a 6-digit HS code.
    pub(crate) fn hs6(&self, index: usize, field: &str) -> Result<String, Error> {
        let value = self.get(index);
        if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(value.to_string())
        } else {
            Err(self.error(field, format!("{value:?} is not a 6-digit HS code")))
        }
    }
}
