//! The README's main command: `dualtrace demo` runs offline on the bundled fictional data.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace};
use serde_json::Value;

#[test]
fn demo_runs_lists_goods_screening_and_risk_offline() {
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
    // Risk: a summary by level, the top lines and the report's path.
    assert!(text.contains("4. Risk"), "{text}");
    assert!(text.contains("330 lines: "), "{text}");
    let report = dir.path().join("risk/report.html");
    assert!(text.contains(&report.display().to_string()), "{text}");
    assert!(report.exists());
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains("<script"));
    // Trade flows: synthetic data, said so, through the real ingest and reports.
    assert!(text.contains("5. Trade flows"), "{text}");
    assert!(text.contains("SYNTHETIC data"), "{text}");
    assert!(
        text.contains("China's share of Russia's CHPL imports"),
        "{text}"
    );

    // The lines behind the summary: fronts found by identifier and address, decoys left alone.
    let shipments = std::fs::read_to_string(dir.path().join("input/shipments.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(shipments.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let lines: Vec<Value> = std::fs::read_to_string(dir.path().join("risk/lines.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    let kinds = |i: usize| -> Vec<String> {
        lines[i]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let rows_of = |consignee: &str| -> Vec<usize> {
        (0..rows.len())
            .filter(|i| &rows[*i][5] == consignee || &rows[*i][1] == consignee)
            .collect()
    };
    let front = rows_of("OOO Polyarnaya Zvezda Servis");
    assert!(!front.is_empty());
    for i in front {
        assert!(kinds(i).contains(&"identifier".to_owned()), "{}", lines[i]);
    }
    let at_address = rows_of("OOO Severnoe Siyanie Torg");
    assert!(!at_address.is_empty());
    for i in at_address {
        assert!(kinds(i).contains(&"address".to_owned()), "{}", lines[i]);
    }
    for decoy in [
        "Lingfeng Garden Supplies Co Ltd",
        "Kestrel Garden Furniture Ltd",
        "Anatolia Carpet Weavers AS",
        "Almaty Bakery Supply TOO",
    ] {
        let decoys = rows_of(decoy);
        assert!(!decoys.is_empty(), "{decoy}");
        for i in decoys {
            assert_eq!(lines[i]["level"], "none", "{decoy}: {}", lines[i]);
        }
    }
}
