//! Test support: where the shared real data lives.
//!
//! The real official lists, evaluation sets and trade files are never copied into the
//! repository; tests read them in place. `DUALTRACE_SHARED_DATA` names the folder (CI sets it);
//! without it, `../shared/data` beside the workspace is used when present. The rule that keeps
//! CI honest: when the variable is set, a missing file fails the test instead of skipping it.

use std::path::PathBuf;

/// The environment variable naming the shared data folder.
pub const ENV: &str = "DUALTRACE_SHARED_DATA";

/// A file of the shared data folder, or `None` (with a message) to skip a test when the
/// variable is not set and the folder is absent.
///
/// # Panics
/// When `DUALTRACE_SHARED_DATA` is set and the file does not exist: the test must fail.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    match std::env::var_os(ENV) {
        Some(dir) => {
            let path = PathBuf::from(dir).join(rel);
            assert!(
                path.exists(),
                "{ENV} is set but {} is missing",
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
                eprintln!("skipped: {} not found and {ENV} not set", path.display());
                None
            }
        }
    }
}
