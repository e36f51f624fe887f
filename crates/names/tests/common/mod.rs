//! Shared helpers of the real-data integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub use dualtrace_testdata::shared_file;

/// The lines of a shared text file (None to skip when the data is absent).
pub fn shared_lines(rel: &str) -> Option<Vec<String>> {
    let path = shared_file(rel)?;
    let text = std::fs::read_to_string(&path).unwrap();
    Some(text.lines().map(str::to_string).collect())
}
