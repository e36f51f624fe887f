//! Shared helpers of the real-data integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

/// The shared data folder: `DUALTRACE_SHARED_DATA`, else `../shared/data` beside the workspace.
///
/// When the variable is set (as `.ci/run` does), a missing file fails the test; when it is not
/// set and the folder is absent, the test is skipped with a message.
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

/// Parses shared files in a format, panicking with the parse error on failure.
pub fn parse_shared(
    format: dualtrace_lists::Format,
    rels: &[&str],
) -> Option<dualtrace_lists::ParsedList> {
    let mut inputs = Vec::new();
    for rel in rels {
        let path = shared_file(rel)?;
        inputs.push(dualtrace_lists::Input::read(&path).unwrap());
    }
    Some(
        format
            .parse(&inputs, format.default_list())
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// Counts entities by schema name.
pub fn by_schema(list: &dualtrace_lists::ParsedList) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for e in &list.entities {
        *out.entry(e.schema.to_string()).or_insert(0) += 1;
    }
    out
}
