//! Delimited files read by header name, and values added with warnings.
//!
//! The CSV and tab-separated lists (US CSL, BIS DPL) share this: columns are found by their
//! header name, not their position (publishers add and reorder columns), csv errors become
//! [`ParseError`]s with the line, and a value the model rejects is dropped with a warning that
//! names the file, line and field instead of failing the import.

use crate::error::{Location, ParseError};
use crate::source::Input;
use dualtrace_model::{Entity, Property};
use std::collections::HashMap;

/// The column positions of a delimited file, by header name.
pub(crate) struct Header(HashMap<String, usize>);

impl Header {
    /// Reads the header row and checks the `required` columns are there.
    pub(crate) fn read(
        input: &Input,
        reader: &mut csv::Reader<&[u8]>,
        required: &[&str],
    ) -> Result<Header, ParseError> {
        let names = reader
            .headers()
            .map_err(|err| csv_error(input, &err, "header"))?;
        let mut map = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            map.entry(name.trim_start_matches('\u{feff}').trim().to_string())
                .or_insert(i);
        }
        for &col in required {
            if !map.contains_key(col) {
                return Err(input.error_at_line(
                    1,
                    col,
                    format!("required column `{col}` is missing from the header"),
                ));
            }
        }
        Ok(Header(map))
    }
}

/// One data row, read by column name.
pub(crate) struct Row<'a> {
    /// The file's header.
    pub(crate) header: &'a Header,
    /// The row's fields.
    pub(crate) record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The trimmed value of a column, empty when the column or the value is absent.
    pub(crate) fn get(&self, col: &str) -> &str {
        self.header
            .0
            .get(col)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }
}

/// Turns a csv reader error into a [`ParseError`] with the line it happened on.
pub(crate) fn csv_error(input: &Input, err: &csv::Error, field: &str) -> ParseError {
    let location = err
        .position()
        .map_or(Location::File, |p| Location::Line(p.line()));
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
        _ => err.to_string(),
    };
    ParseError::new(&input.name, location, field, message)
}

/// Adds values to entities, turning the values the model rejects into warnings that name the
/// file, line and field (the value is dropped, the import goes on).
pub(crate) struct ValueSink<'a> {
    /// The file name warnings refer to.
    pub(crate) file: &'a str,
    /// The 1-based line of the record being read.
    pub(crate) line: u64,
    /// Where warnings go.
    pub(crate) warnings: &'a mut Vec<String>,
}

impl ValueSink<'_> {
    /// Records a warning about `field` of the current record.
    pub(crate) fn warn(&mut self, field: &str, message: impl Into<String>) {
        let err = ParseError::new(self.file, Location::Line(self.line), field, message);
        self.warnings.push(err.to_string());
    }

    /// Adds a value, or records a warning when the model rejects it.
    pub(crate) fn add(&mut self, entity: &mut Entity, prop: Property, field: &str, value: &str) {
        if let Err(err) = entity.add(prop, value) {
            self.warn(field, format!("{err}; value dropped"));
        }
    }

    /// Adds a labelled note (`label: value`) when the value is not empty.
    pub(crate) fn note(&mut self, entity: &mut Entity, label: &str, value: &str) {
        if !value.trim().is_empty() {
            self.add(
                entity,
                Property::Notes,
                label,
                &format!("{label}: {}", value.trim()),
            );
        }
    }
}
