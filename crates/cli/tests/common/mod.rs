//! Shared helpers of the CLI tests: run the real `dualtrace` binary and read its output.
#![allow(dead_code, clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A path in the repository (e.g. `demo/shipments.csv`).
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// Runs `dualtrace --data-dir DATA ARGS...`.
pub fn dualtrace(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dualtrace"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// Asserts success and parses stdout as one JSON document.
pub fn ok_json(data: &Path, args: &[&str]) -> Value {
    let out = dualtrace(data, args);
    assert_success(&out, args);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Asserts success and parses stdout as JSON lines.
pub fn ok_jsonl(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = dualtrace(data, args);
    assert_success(&out, args);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Fails the test with the command's stderr unless it succeeded.
pub fn assert_success(out: &Output, args: &[&str]) {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
