//! Shared helpers of the real-data integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

/// A file of the shared data folder: `DUALTRACE_SHARED_DATA`, else `../shared/data` beside the
/// workspace.
///
/// When the variable is set, a missing file fails the test; when it is not set and the folder is
/// absent, the test is skipped with a message (`None`).
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    match std::env::var_os("DUALTRACE_SHARED_DATA") {
        Some(dir) => {
            let path = PathBuf::from(dir).join(rel);
            assert!(
                path.exists(),
                "DUALTRACE_SHARED_DATA is set but {} is missing",
                path.display()
            );
            Some(path)
        }
        None => {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data")
                .join(rel);
            if path.exists() {
                Some(path)
            } else {
                eprintln!(
                    "skipped: {} not found and DUALTRACE_SHARED_DATA not set",
                    path.display()
                );
                None
            }
        }
    }
}

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
