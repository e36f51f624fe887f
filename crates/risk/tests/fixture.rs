//! The risk engine on a hand-written fixture (fictional parties): exactly which lines are
//! flagged and why, including the lines that must not be flagged.
#![allow(clippy::unwrap_used)]

use dualtrace_matching::{AllowEntry, AllowList, Index, fingerprint};
use dualtrace_model::{Entity, Property, Provenance, Schema};
use dualtrace_risk::parties::party_query;
use dualtrace_risk::{Engine, FlagKind, Level, RiskConfig, RunOptions, read_shipments};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn company(id: &str, names: &[&str], props: &[(Property, &str)]) -> Entity {
    let mut e = Entity::new(id, Schema::Company);
    e.add(Property::Name, names[0]).unwrap();
    for alias in &names[1..] {
        e.add(Property::Alias, alias).unwrap();
    }
    for (p, v) in props {
        e.add(*p, v).unwrap();
    }
    e.datasets = vec!["fixture_list".into()];
    e.provenance = Some(Provenance {
        list: "fixture_list".into(),
        record_id: id.into(),
        version: Some("3".into()),
    });
    e
}

/// The fixture's listed entities (fictional).
pub fn fixture_index() -> Index {
    Index::build(vec![
        company(
            "fx-1",
            &["Zarya Optronika LLC", "ООО «Заря Оптроника»"],
            &[
                (Property::InnCode, "7700000001"),
                (Property::Address, "ul. Vymyshlennaya 1, Moscow, Russia"),
                (Property::Jurisdiction, "ru"),
            ],
        ),
        company(
            "fx-2",
            &["Kestrel Micro Trading Limited"],
            &[(Property::Jurisdiction, "hk")],
        ),
        company(
            "fx-3",
            &[
                "Shenzhen Lingfeng Electronic Technology Co., Ltd.",
                "深圳市凌风电子科技有限公司",
            ],
            &[(Property::UscCode, "91440300MA5DEMO01X")],
        ),
    ])
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixture_shipments.csv")
}

fn kinds(flags: &[dualtrace_risk::Flag]) -> Vec<&'static str> {
    let mut k: Vec<&str> = flags.iter().map(|f| f.kind.as_str()).collect();
    k.sort_unstable();
    k
}

#[test]
fn names_exactly_which_lines_are_flagged_and_why() {
    let index = fixture_index();
    let file = read_shipments(&fixture()).unwrap();
    assert_eq!(file.extra_columns, ["invoice_no"]);
    let engine = Engine::new(&index, RiskConfig::default(), None, None);
    let a = engine.assess(&file.shipments);
    let got: Vec<(usize, Vec<&str>)> = a.lines.iter().map(|l| (l.row, kinds(&l.flags))).collect();
    let expected: Vec<(usize, Vec<&str>)> = vec![
        // Listed shipper (typo'd legal form), tier-1 chips via Hong Kong to Russia, to a
        // consignee that gets CHPL goods from three unrelated shippers.
        (0, vec!["goods", "party", "pattern", "route", "route"]),
        // Look-alike of the listed Kestrel, furniture: nothing.
        (1, vec![]),
        // Benign goods to Russia: nothing.
        (2, vec![]),
        // Another name with the listed Zarya Optronika's INN (apples: no goods flag).
        (3, vec!["identifier"]),
        // Listed address under another name; CHPL bearings via Kyrgyzstan.
        (4, vec!["address", "goods", "route", "route"]),
        // A microcontroller declared as computer parts, inside the EU: the misdeclaration only.
        (5, vec!["misdeclaration"]),
        // Third and second shipper of CHPL goods to OOO Volga Test.
        (6, vec!["goods", "pattern", "route", "route"]),
        (7, vec!["goods", "pattern", "route", "route"]),
        // A forwarder as consignee of FPGAs shipped into Kyrgyzstan (a hub) from China.
        (8, vec!["goods", "pattern", "route"]),
        // The listed Chinese company in Chinese characters; T-shirts.
        (9, vec!["party"]),
        // The listed Zarya Optronika in Cyrillic; oranges.
        (10, vec!["party"]),
        // EU garden tools: nothing.
        (11, vec![]),
    ];
    assert_eq!(got, expected);

    let line = |row: usize| &a.lines[row];
    // Evidence of a party flag: list, version, score, explanation.
    let party = line(0)
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::Party)
        .unwrap();
    assert_eq!(party.evidence["entity_id"], "fx-2");
    assert_eq!(party.evidence["list"], "fixture_list");
    assert_eq!(party.evidence["list_version"], "3");
    assert_eq!(party.evidence["role"], "consignor");
    assert!(party.evidence["score"].as_f64().unwrap() >= 0.7);
    assert!(
        party.evidence["explanation"]["name"]["score"]
            .as_f64()
            .unwrap()
            > 0.9
    );
    let id = &line(3).flags[0];
    assert_eq!(id.evidence["entity_id"], "fx-1");
    assert_eq!(
        id.evidence["explanation"]["identifier"]["query"][0],
        "7700000001"
    );
    let address = line(4)
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::Address)
        .unwrap();
    assert_eq!(
        address.evidence["listed_address"],
        "ul. Vymyshlennaya 1, Moscow, Russia"
    );
    let routes: Vec<&str> = line(0)
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::Route)
        .map(|f| &*f.detail)
        .collect();
    assert_eq!(
        routes,
        [
            "critical goods bound for RU (US > HK > RU)",
            "critical goods pass diversion hub HK (US > HK > RU)"
        ]
    );
    let into_hub: Vec<&str> = line(8)
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::Route)
        .map(|f| &*f.detail)
        .collect();
    assert_eq!(
        into_hub,
        ["critical goods shipped into diversion hub KG (CN > KG)"]
    );
    let many = line(7)
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::Pattern)
        .unwrap();
    assert_eq!(many.evidence["count"], 3);
    let mis = &line(5).flags[0];
    assert_eq!(mis.evidence["suggested_hs6"], "854231");
    assert_eq!(
        line(8)
            .flags
            .iter()
            .filter(|f| f.detail.contains("freight forwarder"))
            .count(),
        1
    );

    // Scores: the sum of the points, and the levels of the default thresholds.
    let w = &RiskConfig::default().weights;
    assert_eq!(line(0).score, 100.0);
    assert_eq!(line(0).level, Level::High);
    assert_eq!(line(3).score, w.identifier);
    assert_eq!(line(3).level, Level::Medium);
    assert_eq!(line(5).score, w.misdeclaration);
    assert_eq!(line(5).level, Level::Low);
    assert_eq!(
        line(6).score,
        w.tier4 + w.destination + w.hub + w.many_shippers
    );
    for row in [1, 2, 11] {
        assert_eq!((line(row).score, line(row).level), (0.0, Level::None));
    }
    // Parties: ranked, with the reasons of their lines.
    let top = &a.parties[0];
    assert_eq!(top.score, 100.0);
    let kestrel = a
        .parties
        .iter()
        .find(|p| p.name == "Kestrel Micro Trading Ltd")
        .unwrap();
    assert_eq!((kestrel.lines, kestrel.flagged_lines), (1, 1));
    assert!(kestrel.reasons[0].contains("matches listed Kestrel Micro Trading Limited"));
    let decoy = a
        .parties
        .iter()
        .find(|p| p.name == "Kestrel Garden Furniture Ltd")
        .unwrap();
    assert_eq!((decoy.score, decoy.findings.len()), (0.0, 0));
}

#[test]
fn thresholds_are_configurable() {
    let index = fixture_index();
    let file = read_shipments(&fixture()).unwrap();
    let mut config = RiskConfig::default();
    config.levels.medium = 20.0;
    config.weights.identifier = 90.0;
    config.many_shippers = 4;
    let a = Engine::new(&index, config, None, None).assess(&file.shipments);
    assert_eq!(a.lines[5].level, Level::Medium);
    assert_eq!((a.lines[3].score, a.lines[3].level), (90.0, Level::High));
    assert!(a.lines[7].flags.iter().all(|f| f.kind != FlagKind::Pattern));
}

#[test]
fn a_false_positive_decision_suppresses_the_flag_but_keeps_the_evidence() {
    let index = fixture_index();
    let file = read_shipments(&fixture()).unwrap();
    let chinese = &file.shipments[9].consignor;
    let allow = AllowList::from_entries([AllowEntry {
        fingerprint: fingerprint(&party_query(chinese)),
        entity_id: "fx-3".into(),
        reason: "a namesake textile trader, checked with the registry".into(),
        who: "analyst@example.org".into(),
        when: "2026-11-29".into(),
    }]);
    let a = Engine::new(&index, RiskConfig::default(), Some(Arc::new(allow)), None)
        .assess(&file.shipments);
    assert!(a.lines[9].flags.is_empty());
    assert_eq!(a.lines[9].level, Level::None);
    assert_eq!(a.lines[9].suppressed.len(), 1);
    let s = &a.lines[9].suppressed[0];
    assert_eq!(s["entity_id"], "fx-3");
    assert_eq!(
        s["suppressed"]["reason"],
        "a namesake textile trader, checked with the registry"
    );
    // The other lines are unchanged.
    assert_eq!(kinds(&a.lines[10].flags), ["party"]);
    let json = serde_json::to_value(&a.lines[9]).unwrap();
    assert_eq!(json["flags"], serde_json::json!([]));
    assert_eq!(json["suppressed"][0]["entity_id"], "fx-3");
}

/// Writes the fixture's report into a temporary folder.
fn report() -> (tempfile::TempDir, dualtrace_risk::RunResult) {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index();
    let result =
        dualtrace_risk::run(&fixture(), dir.path(), &index, RunOptions::default()).unwrap();
    (dir, result)
}

#[test]
fn report_files_have_the_documented_shapes() {
    let (dir, result) = report();
    let jsonl = std::fs::read_to_string(dir.path().join("lines.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["row"], i);
        assert!(l["score"].is_number());
        assert!(["high", "medium", "low", "none"].contains(&l["level"].as_str().unwrap()));
        for f in l["flags"].as_array().unwrap() {
            assert!(f["kind"].is_string() && f["detail"].is_string() && f["evidence"].is_object());
        }
    }
    assert_eq!(lines[3]["flags"][0]["kind"], "identifier");
    let csv = std::fs::read_to_string(dir.path().join("lines.csv")).unwrap();
    let mut rows = csv.lines();
    assert!(
        rows.next()
            .unwrap()
            .starts_with("rank,row,line,score,level")
    );
    assert!(rows.next().unwrap().starts_with("1,0,2,100,high"));
    let audit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("audit.json")).unwrap())
            .unwrap();
    let bytes = std::fs::read(fixture()).unwrap();
    assert_eq!(
        audit["input"]["sha256"],
        dualtrace_risk::audit::sha256_hex(&bytes)
    );
    assert_eq!(audit["input"]["rows"], 12);
    assert_eq!(audit["counts"]["lines"], 12);
    assert_eq!(audit["counts"]["by_level"]["none"], 3);
    assert_eq!(audit["engine"]["name"], "dualtrace-risk");
    assert_eq!(audit["config"]["levels"]["high"], 75.0);
    assert!(audit["goods"]["chpl_version"].is_string());
    assert!(audit["started_at"].as_str().unwrap() <= audit["finished_at"].as_str().unwrap());
    assert_eq!(result.audit.counts.flags_by_kind["identifier"], 1);
}

#[test]
fn html_escapes_the_data() {
    let (dir, _) = report();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<script"), "the report has no script at all");
    assert!(html.contains("<svg") && html.contains("<table id=\"lines\""));
}

#[test]
fn report_opens_in_headless_chromium() {
    let (dir, _) = report();
    let url = format!("file://{}", dir.path().join("report.html").display());
    let Some(page) = dualtrace_testdata::open_in_browser(
        &url,
        "risk-report.png",
        &[
            "table",
            "svg",
            "svg rect",
            "#lines tbody tr",
            "#parties tbody tr",
            "script",
            "figure",
        ],
    ) else {
        return;
    };
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    assert!(page.title.starts_with("dualtrace shipment risk"));
    assert!(page.count("table") >= 3);
    assert_eq!(page.count("svg"), 3);
    assert_eq!(page.count("figure"), 3);
    assert!(page.count("svg rect") >= 5);
    assert_eq!(page.count("#lines tbody tr"), 9);
    assert!(page.count("#parties tbody tr") >= 5);
    // The party called `<script>alert(1)</script>` is text, not a script element.
    assert_eq!(page.count("script"), 0);
    assert!(page.screenshot.exists());
    let _ = Path::new(&page.screenshot);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever a readable file holds (any names, scripts, codes, countries), the engine
    /// answers for every line and never panics.
    #[test]
    fn any_readable_lines_are_assessed(
        rows in proptest::collection::vec(
            ("[\\PC]{0,24}", "[\\PC]{0,24}", "[0-9. a-z]{0,12}", "(RU|BY|HK|CN|DE|)", "[\\PC]{0,30}"),
            0..12,
        )
    ) {
        let mut text = String::from("consignor,consignee,hs_code,destination_country,description,consignee_address\n");
        for (a, b, hs, dest, desc) in &rows {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            text.push_str(&format!("{},{},{},{dest},{},{}\n", q(a), q(b), q(hs), q(desc), q(desc)));
        }
        if let Ok(file) = dualtrace_risk::shipments::parse_shipments(Path::new("p.csv"), text.as_bytes()) {
            let index = fixture_index();
            let a = Engine::new(&index, RiskConfig::default(), None, None).assess(&file.shipments);
            prop_assert_eq!(a.lines.len(), file.shipments.len());
            for l in &a.lines {
                prop_assert!((0.0..=100.0).contains(&l.score));
            }
        }
    }
}
