//! Delimited input read by header name, with the line numbers and field names that errors and
//! warnings carry. Shared by every CSV-based ingest format.

use std::io::Read;

use csv::StringRecord;

use crate::error::{FlowsError, Result};

/// A CSV file read one record at a time, columns found by (case-insensitive) header name.
pub struct Table<R: Read> {
    reader: csv::Reader<R>,
    headers: Vec<String>,
    record: StringRecord,
    file: String,
}

impl<R: Read> Table<R> {
    /// Opens a table: reads the header line (a UTF-8 byte-order mark is ignored).
    pub fn new(file: &str, input: R) -> Result<Table<R>> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(file, &e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
            .collect();
        Ok(Table {
            reader,
            headers,
            record: StringRecord::new(),
            file: file.to_string(),
        })
    }

    /// The lower-case header names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The index of the first column carrying one of `names` (compared case-insensitively).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.headers.iter().position(|h| h.eq_ignore_ascii_case(n)))
    }

    /// Like [`Table::column`], but a missing column is an error naming the file and header.
    pub fn require(&self, names: &[&str]) -> Result<usize> {
        self.column(names).ok_or_else(|| {
            FlowsError::parse(
                &self.file,
                1,
                names.first().copied().unwrap_or("?"),
                format!("missing column (one of {})", names.join(", ")),
            )
        })
    }

    /// Reads the next record; `false` at the end of the file.
    pub fn next_row(&mut self) -> Result<bool> {
        self.reader
            .read_record(&mut self.record)
            .map_err(|e| csv_error(&self.file, &e))
    }

    /// The 1-based line of the current record.
    pub fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// The file name.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The trimmed value of a column of the current record ("" when the row is short).
    pub fn get(&self, column: usize) -> &str {
        self.record.get(column).unwrap_or("").trim()
    }

    /// The trimmed value of an optional column, `None` when absent or empty.
    pub fn get_opt(&self, column: Option<usize>) -> Option<&str> {
        column.map(|c| self.get(c)).filter(|v| !v.is_empty())
    }

    /// An error at the current record and a column.
    pub fn error(&self, column: usize, message: impl Into<String>) -> FlowsError {
        let field = self.headers.get(column).map_or("?", String::as_str);
        FlowsError::parse(&self.file, self.line(), field, message)
    }

    /// A required finite number.
    pub fn number(&self, column: usize) -> Result<f64> {
        let raw = self.get(column);
        parse_number(raw).ok_or_else(|| self.error(column, format!("not a number: {raw:?}")))
    }

    /// An optional number: empty, `NA` and `NaN` are `None`; anything else must be a number.
    pub fn opt_number(&self, column: Option<usize>) -> Result<Option<f64>> {
        let Some(c) = column else { return Ok(None) };
        let raw = self.get(c);
        if raw.is_empty() || raw.eq_ignore_ascii_case("na") || raw.eq_ignore_ascii_case("nan") {
            return Ok(None);
        }
        parse_number(raw)
            .map(Some)
            .ok_or_else(|| self.error(c, format!("not a number: {raw:?}")))
    }
}

/// A finite number as statistics files write it (no thousands separators).
pub fn parse_number(raw: &str) -> Option<f64> {
    raw.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn csv_error(file: &str, e: &csv::Error) -> FlowsError {
    let line = e.position().map_or(0, |p| p.line());
    FlowsError::parse(file, line, "-", format!("unreadable CSV: {e}"))
}
