//! Shared helpers of the real-data integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub use dualtrace_testdata::shared_file;

/// Reads a shared CSV file as rows of trimmed fields (header included).
pub fn shared_rows(rel: &str) -> Option<Vec<Vec<String>>> {
    let path = shared_file(rel)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    Some(
        rdr.records()
            .map(|r| r.unwrap().iter().map(|f| f.trim().to_string()).collect())
            .collect(),
    )
}
