//! End-to-end tests of `dualtrace goods ...` on the bundled demo shipments.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace, ok_json, repo};
use serde_json::Value;

#[test]
fn classify_flags_misdeclarations_and_reports_bad_lines_without_stopping() {
    let shipments = repo("demo/shipments.csv");
    let data = tempfile::tempdir().unwrap();
    let args = [
        "goods",
        "classify",
        "--format",
        "jsonl",
        "--input",
        shipments.to_str().unwrap(),
    ];
    let out = dualtrace(data.path(), &args);
    assert_success(&out, &args);
    let rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 330); // demo/shipments.csv: the 30 original lines first, then 300 more
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["row"], i, "rows in input order, 0-based");
    }
    // Row 4: "Микроконтроллер STM32F103C8T6" declared as 8473.30: probable tier-1 item.
    assert_eq!(rows[3]["hs6"], "847330");
    assert!(rows[3]["chpl_tier"].is_null());
    assert_eq!(rows[3]["misdeclaration"]["chpl_tier"], "1");
    assert_eq!(rows[3]["misdeclaration"]["suggested_hs6"], "854231");
    // Row 1 is a declared tier-1 microcontroller; row 13 nitrocellulose is on the watch list.
    assert_eq!(rows[0]["chpl_tier"], "1");
    assert_eq!(rows[12]["watch"], "W-NITROCELLULOSE");
    // Benign goods stay clean.
    assert!(rows[6]["chpl_tier"].is_null() && rows[6]["misdeclaration"].is_null());
    // The bad code is reported on its line, and the batch went on.
    assert!(rows[29]["error"].as_str().unwrap().contains("abc"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 31"), "{err}");
}

#[test]
fn lookup_reports_tier_and_rejects_non_codes() {
    let data = tempfile::tempdir().unwrap();
    let v = ok_json(data.path(), &["goods", "lookup", "8542.31.0015", "--json"]);
    assert_eq!(v["hs6"], "854231");
    assert_eq!(v["chpl_tier"], "1");
    assert_eq!(v["chpl_version"], "2024-02-23");
    for bad in ["", "abc", "854", "85423100150000"] {
        let out = dualtrace(data.path(), &["goods", "lookup", bad]);
        assert!(!out.status.success(), "{bad:?} accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("HS code"),
            "{bad:?}"
        );
    }
}
