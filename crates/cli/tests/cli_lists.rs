//! End-to-end tests of `dualtrace lists ...` on the real lists: versions, diffs, status,
//! idempotent imports, refusal of bad input, and a kill -9 in the middle of an import.
#![allow(clippy::unwrap_used)]

mod common;

use common::{dualtrace, ok_json};
use dualtrace_lists::store::Store;
use dualtrace_testdata::shared_file as shared;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Imports an OFAC SDN file and returns the manifest JSON.
fn import_sdn(data: &Path, file: &Path) -> Value {
    ok_json(
        data,
        &[
            "lists",
            "import",
            "ofac-sdn-csv",
            file.to_str().unwrap(),
            "--json",
        ],
    )
}

/// The two real SDN versions of a week apart (None when the shared data is absent).
fn sdn_pair() -> Option<(PathBuf, PathBuf)> {
    Some((
        shared("lists/ofac/sdn_2024-04-26.csv")?,
        shared("lists/ofac/sdn_2024-05-03.csv")?,
    ))
}

#[test]
fn sdn_versions_diff_and_status() {
    let Some((old, new)) = sdn_pair() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v1 = import_sdn(d, &old);
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["entities"], 14668);
    let v2 = import_sdn(d, &new);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["by_schema"]["Person"], 6854);
    assert_eq!(v2["by_schema"]["LegalEntity"], 6884);
    assert_eq!(v2["by_schema"]["Vessel"], 851);
    assert_eq!(v2["by_schema"]["Aircraft"], 376);

    // The same file again: same hash, no new version.
    let again = import_sdn(d, &new);
    assert_eq!(again["hash"], v2["hash"]);
    assert_eq!(again["created"], false);
    // ... and in a fresh store too: the hash depends on the content only.
    let other = tempfile::tempdir().unwrap();
    let fresh = import_sdn(other.path(), &new);
    assert_eq!(fresh["hash"], v2["hash"]);

    let diff = ok_json(d, &["lists", "diff", "ofac_sdn", "--json"]);
    assert_eq!(diff["from"], 1);
    assert_eq!(diff["to"], 2);
    assert_eq!(diff["added"].as_array().unwrap().len(), 305);
    assert_eq!(diff["removed"].as_array().unwrap().len(), 8);
    assert!(
        diff["changed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["fields"].as_array().is_some_and(|f| !f.is_empty()))
    );

    let status = ok_json(d, &["lists", "status", "--json"]);
    let lists = status["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 1);
    let l = &lists[0];
    assert_eq!(l["name"], "ofac_sdn");
    assert_eq!(l["version"], 2);
    assert_eq!(l["hash"], v2["hash"]);
    assert_eq!(l["entities"], 14965);
    assert!(l["imported_at"].as_str().unwrap().starts_with("20"));
    assert_eq!(
        l["sources"][0]["bytes"],
        std::fs::metadata(&new).unwrap().len()
    );

    // show, export, rollback.
    let id = diff["added"][0].as_str().unwrap().to_string();
    let e = ok_json(d, &["lists", "show", &id, "--json"]);
    assert_eq!(e["id"], id.as_str());
    let out = dualtrace(d, &["lists", "export", "ofac_sdn"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 14965);
    let out = dualtrace(d, &["lists", "rollback", "ofac_sdn"]);
    assert!(out.status.success());
    let status = ok_json(d, &["lists", "status", "--json"]);
    assert_eq!(status["lists"][0]["version"], 1);
    assert_eq!(status["lists"][0]["entities"], 14668);
}

#[test]
fn bad_input_names_file_line_and_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = d.join("good.ftm.json");
    std::fs::write(
        &good,
        r#"{"id":"x-1","schema":"Company","properties":{"name":["Fictional Trading LLC"]}}
{"id":"x-2","schema":"Person","properties":{"name":["Ivan Fictionov"]}}
"#,
    )
    .unwrap();
    let store_dir = d.join("store");
    let first = ok_json(
        &store_dir,
        &[
            "lists",
            "import",
            "ftm-json",
            good.to_str().unwrap(),
            "--list",
            "t",
            "--json",
        ],
    );
    let bad = d.join("bad.ftm.json");
    std::fs::write(
        &bad,
        "{\"id\":\"x-1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"A\"]}}\n{\"id\": oops}\n",
    )
    .unwrap();
    let out = dualtrace(
        &store_dir,
        &[
            "lists",
            "import",
            "ftm-json",
            bad.to_str().unwrap(),
            "--list",
            "t",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.ftm.json") && err.contains("line 2"),
        "{err}"
    );
    let status = ok_json(&store_dir, &["lists", "status", "--json"]);
    assert_eq!(status["lists"][0]["hash"], first["hash"]);
    assert_eq!(status["lists"][0]["version"], 1);
}

#[test]
fn kill_9_during_import_leaves_the_previous_version_current() {
    let Some((old, new)) = sdn_pair() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v1 = import_sdn(d, &old);
    // How long a full import takes, in a scratch store.
    let scratch = tempfile::tempdir().unwrap();
    let start = Instant::now();
    import_sdn(scratch.path(), &new);
    let full = start.elapsed();

    let store = Store::open(d).unwrap();
    let mut interrupted = 0;
    for step in 1..=12u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dualtrace"))
            .arg("--data-dir")
            .arg(d)
            .args(["lists", "import", "ofac-sdn-csv", new.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(f64::from(step) / 13.0));
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let (m, entities) = store.load_current("ofac_sdn").unwrap();
        if running && m.version == 1 {
            interrupted += 1;
        }
        // Whatever moment it died, the current version is complete and verified.
        assert!(
            m.hash == v1["hash"] || m.entities == 14965,
            "unexpected state {m:?}"
        );
        assert_eq!(entities.len(), m.entities);
        if m.version != 1 {
            break; // the import finished before the kill: nothing more to test
        }
    }
    assert!(interrupted > 0, "no kill landed during an import");
    // A later import succeeds and cleans up what the killed ones left.
    let out = dualtrace(
        d,
        &["lists", "import", "ofac-sdn-csv", new.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert_eq!(store.current("ofac_sdn").unwrap().entities, 14965);
    let leftovers = std::fs::read_dir(d.join("lists/ofac_sdn/versions"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        })
        .count();
    assert_eq!(leftovers, 0);
}
