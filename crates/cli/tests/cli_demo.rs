//! The README's main command: `dualtrace demo` runs offline on the bundled fictional data.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace};

#[test]
fn demo_runs_lists_goods_and_screening_offline() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["demo", "--out", dir.path().to_str().unwrap()];
    let out = dualtrace(dir.path(), &args);
    assert_success(&out, &args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FICTIONAL"), "{text}");
    assert!(
        text.contains("demo_sdn") && text.contains("demo_allies"),
        "{text}"
    );
    // Goods: the Russian-language microcontroller declared as computer parts is caught.
    assert!(
        text.contains("Микроконтроллер STM32F103C8T6\" points to 854231"),
        "{text}"
    );
    // Screening: a misspelt listed shipper is found, the look-alike garden-tools firm is not.
    assert!(text.contains("Technolgy Co Ltd"), "{text}");
    assert!(!text.contains("Lingfeng Garden Supplies"), "{text}");
    assert!(dir.path().join("goods.jsonl").exists());
    assert!(dir.path().join("store/lists/demo_sdn/CURRENT").exists());
}
