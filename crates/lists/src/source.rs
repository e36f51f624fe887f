//! Input files: a name to report errors against and the bytes, decompressed.
//!
//! Parsers work on byte slices (streaming over them with csv/quick-xml readers), which keeps
//! them easy to fuzz. Gzip is recognised by its magic bytes and undone here, so every format
//! accepts `.gz` files.

use crate::error::{Location, ParseError};
use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::Path;

/// The largest input file dualtrace reads (after decompression): 2 GiB.
pub const MAX_INPUT_BYTES: u64 = 2 << 30;

/// One input file.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name errors refer to (the path as given).
    pub name: String,
    /// The file's bytes, decompressed.
    pub data: Vec<u8>,
}

impl Input {
    /// Wraps bytes that are already in memory (tests, fuzzing, downloads).
    pub fn from_bytes(name: impl Into<String>, data: Vec<u8>) -> Result<Input, ParseError> {
        let name = name.into();
        let data = if data.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            MultiGzDecoder::new(data.as_slice())
                .take(MAX_INPUT_BYTES)
                .read_to_end(&mut out)
                .map_err(|e| ParseError::new(&name, Location::File, "gzip", e.to_string()))?;
            out
        } else {
            data
        };
        Ok(Input { name, data })
    }

    /// Reads a file from disk.
    pub fn read(path: &Path) -> Result<Input, ParseError> {
        let name = path.display().to_string();
        let data = std::fs::read(path)
            .map_err(|e| ParseError::new(&name, Location::File, "-", e.to_string()))?;
        Input::from_bytes(name, data)
    }

    /// The file name without directories, lower-cased (parsers use it to tell the files of a
    /// set apart, e.g. OFAC's `add.csv` from `alt.csv`).
    pub fn file_name(&self) -> String {
        Path::new(&self.name)
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    }

    /// An error at the level of the whole file.
    pub fn error(&self, field: &str, message: impl Into<String>) -> ParseError {
        ParseError::new(&self.name, Location::File, field, message)
    }

    /// An error at a 1-based line.
    pub fn error_at_line(&self, line: u64, field: &str, message: impl Into<String>) -> ParseError {
        ParseError::new(&self.name, Location::Line(line), field, message)
    }

    /// An error at an XML byte offset.
    pub fn error_at_byte(&self, byte: u64, field: &str, message: impl Into<String>) -> ParseError {
        ParseError::new(&self.name, Location::xml(&self.data, byte), field, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    #[test]
    fn gzip_is_undone() {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(b"a,b\n1,2\n").ok();
        let gz = enc.finish().unwrap_or_default();
        let input = Input::from_bytes("x.csv.gz", gz).map(|i| i.data);
        assert_eq!(input.ok().as_deref(), Some(&b"a,b\n1,2\n"[..]));
    }

    #[test]
    fn broken_gzip_names_the_file() {
        let err = Input::from_bytes("bad.gz", vec![0x1f, 0x8b, 0, 1, 2]).err();
        assert!(err.is_some_and(|e| e.file == "bad.gz"));
    }
}
