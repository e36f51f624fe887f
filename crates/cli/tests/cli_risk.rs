//! `dualtrace risk`, `dualtrace decisions` and `dualtrace gen shipments` run as the real binary:
//! on the real lists of the shared folder with listed names written in other scripts and
//! spellings, and on the demo lists for the decision log round trip.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace, ok_json, repo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn import(data: &Path, format: &str, path: &Path, list: &str) {
    let args = [
        "lists",
        "import",
        format,
        path.to_str().unwrap(),
        "--list",
        list,
        "--json",
    ];
    assert_success(&dualtrace(data, &args), &args);
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// (role, entity id) of the flags of one kind on a line.
fn found(line: &Value, kind: &str) -> BTreeSet<(String, String)> {
    line["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| {
            (
                f["evidence"]["role"].as_str().unwrap().to_owned(),
                f["evidence"]["entity_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(line: &Value, kind: &str, role: &str, entity: &str) -> bool {
    found(line, kind).contains(&(role.to_owned(), entity.to_owned()))
}

#[test]
fn real_lists_find_listed_names_in_other_scripts_and_spellings() {
    let (Some(sdn), Some(csl), Some(eu)) = (
        dualtrace_testdata::shared_file("lists/ofac/sdn_2024-05-03.csv"),
        dualtrace_testdata::shared_file("lists/us_csl/consolidated_2022-05.csv.gz"),
        dualtrace_testdata::shared_file("lists/eu_annexes"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    import(d, "ofac-sdn-csv", &sdn, "ofac_sdn");
    import(d, "us-csl-csv", &csl, "us_csl");
    import(d, "eu-annex-csv", &eu, "eu_annexes");
    let out = d.join("report");
    let input = repo("crates/cli/tests/data/risk_real_names.csv");
    let args = [
        "risk",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    let run = dualtrace(d, &args);
    assert_success(&run, &args);
    let lines = read_jsonl(&out.join("lines.jsonl"));
    assert_eq!(lines.len(), 8);
    // Chinese characters (the EU Annex IV's Chinese alias; OFAC's Latin name), and Cyrillic
    // with the Russian legal form for the OFAC-listed Simmetron.
    assert!(has(
        &lines[0],
        "party",
        "consignor",
        "eu-annex-32014r0833-iv-604"
    ));
    assert!(has(&lines[0], "party", "consignor", "ofac-sdn-47702"));
    assert!(has(&lines[0], "party", "consignee", "ofac-sdn-41977"));
    // Simplified characters for a name the EU lists in traditional ones; АО «Микрон».
    assert!(has(
        &lines[1],
        "party",
        "consignor",
        "eu-annex-32014r0833-iv-640"
    ));
    assert!(has(&lines[1], "party", "consignee", "ofac-sdn-35936"));
    assert!(has(
        &lines[1],
        "party",
        "consignee",
        "eu-annex-32014r0269-i.entities-306"
    ));
    // Entity List companies with a typo and a singular; reordered Latin with OOO / AO.
    assert!(has(&lines[2], "party", "consignor", "us-csl-32102"));
    assert!(has(&lines[2], "party", "consignee", "ofac-sdn-41959"));
    assert!(has(
        &lines[3],
        "party",
        "consignor",
        "us-csl-9d913c05b9d4951703b2490e42a9bc18e6bfd970"
    ));
    assert!(has(&lines[3], "party", "consignee", "ofac-sdn-35009"));
    // Chinese characters for the EU-listed Guangzhou Ausay; the Cyrillic name of the
    // EU-listed Special Technological Center.
    assert!(has(
        &lines[4],
        "party",
        "consignor",
        "eu-annex-32014r0833-iv-603"
    ));
    assert!(has(
        &lines[4],
        "party",
        "consignee",
        "eu-annex-32014r0833-iv-341"
    ));
    // A typo'd Entity List name; another company name with JSC Mikron's INN.
    assert!(has(
        &lines[5],
        "party",
        "consignor",
        "us-csl-92af4dd3526c399da570b2429b58cc09d253e990"
    ));
    assert!(has(&lines[5], "identifier", "consignee", "ofac-sdn-35936"));
    for line in &lines[..6] {
        assert_eq!(line["level"], "high", "{line}");
    }
    // Unlisted companies with benign goods: nothing.
    for line in &lines[6..] {
        assert_eq!(line["flags"], serde_json::json!([]), "{line}");
        assert_eq!(line["level"], "none");
    }
    // Evidence names the list version; the audit record every list's version and hash.
    let party = &lines[1]["flags"][0]["evidence"];
    assert!(
        party["list"].is_string() && party["list_version"] == "1",
        "{party}"
    );
    let audit: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let names: Vec<&str> = audit["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["eu_annexes", "ofac_sdn", "us_csl"]);
    for l in audit["lists"].as_array().unwrap() {
        assert_eq!(l["hash"].as_str().unwrap().len(), 64);
        assert_eq!(l["version"], 1);
    }
    assert_eq!(audit["counts"]["by_level"]["high"], 6);
    assert_eq!(audit["counts"]["by_level"]["none"], 2);
}

fn demo_store(d: &Path) {
    import(
        d,
        "ofac-sdn-csv",
        &repo("demo/lists/demo_sdn/sdn.csv"),
        "demo_sdn",
    );
    import(
        d,
        "ftm-json",
        &repo("demo/lists/demo_allies.ftm.jsonl"),
        "demo_allies",
    );
}

#[test]
fn decisions_suppress_hits_in_risk_and_screen() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo_store(d);
    let input = repo("crates/risk/tests/data/fixture_shipments.csv");
    let out = d.join("r1");
    let args = [
        "risk",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    assert_success(&dualtrace(d, &args), &args);
    let lines = read_jsonl(&out.join("lines.jsonl"));
    // Row 9: the demo-listed Shenzhen Lingfeng in Chinese characters.
    let party_flags: Vec<&Value> = lines[9]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "party")
        .collect();
    assert!(!party_flags.is_empty(), "{}", lines[9]);
    let fp = party_flags[0]["evidence"]["fingerprint"].as_str().unwrap();
    for f in &party_flags {
        let entity = f["evidence"]["entity_id"].as_str().unwrap();
        let args = [
            "decisions",
            "mark",
            "--fingerprint",
            fp,
            "--entity",
            entity,
            "--verdict",
            "false-positive",
            "--reason",
            "namesake textile trader",
            "--who",
            "ana",
        ];
        assert_success(&dualtrace(d, &args), &args);
    }
    let listed = ok_json(d, &["decisions", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), party_flags.len());
    assert_eq!(listed[0]["verdict"], "false-positive");
    let out2 = d.join("r2");
    let args = [
        "risk",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out2.to_str().unwrap(),
    ];
    assert_success(&dualtrace(d, &args), &args);
    let again = read_jsonl(&out2.join("lines.jsonl"));
    assert_eq!(again[9]["flags"], serde_json::json!([]));
    assert_eq!(
        again[9]["suppressed"].as_array().unwrap().len(),
        party_flags.len()
    );
    assert_eq!(
        again[9]["suppressed"][0]["suppressed"]["reason"],
        "namesake textile trader"
    );
    let audit: Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("audit.json")).unwrap()).unwrap();
    assert_eq!(audit["decisions"]["false_positives"], party_flags.len());
    // `screen` reads the same decision log.
    let screened = ok_json(
        d,
        &[
            "screen",
            "深圳市凌风电子科技有限公司",
            "--schema",
            "LegalEntity",
            "--country",
            "CN",
            "--json",
        ],
    );
    assert_eq!(screened["query"]["fingerprint"], fp);
    let results = screened["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(
        results
            .iter()
            .all(|r| r["match"] == false && r["suppressed"]["who"] == "ana"),
        "{screened}"
    );
    // A mistaken decision is overridden by a later one.
    let entity = party_flags[0]["evidence"]["entity_id"].as_str().unwrap();
    let args = [
        "decisions",
        "mark",
        "--fingerprint",
        fp,
        "--entity",
        entity,
        "--verdict",
        "true-positive",
        "--reason",
        "same USCC after all",
        "--who",
        "bo",
    ];
    assert_success(&dualtrace(d, &args), &args);
    let out3 = d.join("r3");
    let args = [
        "risk",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out3.to_str().unwrap(),
    ];
    assert_success(&dualtrace(d, &args), &args);
    let third = read_jsonl(&out3.join("lines.jsonl"));
    assert!(has(&third[9], "party", "consignor", entity), "{}", third[9]);
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo_store(d);
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "consignor,hs_code\nA,8542\n").unwrap();
    let out = dualtrace(
        d,
        &[
            "risk",
            "--input",
            bad.to_str().unwrap(),
            "--output",
            d.join("o").to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv:1: field `consignee`: missing required column"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "consignor,consignee,hs_code,value\nA,B,8542,12\nA,B,8542,lots\n",
    )
    .unwrap();
    let out = dualtrace(
        d,
        &[
            "risk",
            "--input",
            bad.to_str().unwrap(),
            "--output",
            d.join("o").to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:3: field `value`"), "{err}");
    assert!(!d.join("o/lines.jsonl").exists());
    let out = dualtrace(
        d,
        &[
            "decisions",
            "mark",
            "--fingerprint",
            "xyz",
            "--entity",
            "e",
            "--verdict",
            "false-positive",
            "--reason",
            "r",
            "--who",
            "w",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("fingerprint"));
}

#[test]
fn gen_shipments_then_risk() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    demo_store(d);
    let file = d.join("gen.csv");
    let args = [
        "gen",
        "shipments",
        "--rows",
        "500",
        "--out",
        file.to_str().unwrap(),
    ];
    assert_success(&dualtrace(d, &args), &args);
    let out = d.join("o");
    let args = [
        "risk",
        "--input",
        file.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--high",
        "80",
    ];
    assert_success(&dualtrace(d, &args), &args);
    let lines = read_jsonl(&out.join("lines.jsonl"));
    assert_eq!(lines.len(), 500);
    let audit: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    assert_eq!(audit["config"]["levels"]["high"], 80.0);
    // The run is the data directory's latest (what `dualtrace serve` shows).
    let latest = dualtrace_risk::latest::read_latest(d).unwrap().unwrap();
    assert_eq!(
        latest.report_dir.map(std::path::PathBuf::from),
        Some(out.canonicalize().unwrap())
    );
    assert_eq!(serde_json::to_value(&latest.audit).unwrap(), audit);
    assert!(latest.top_lines.len() <= dualtrace_risk::latest::RECORDED_TOP);
    assert!(latest.top_lines.iter().all(|l| !l.flags.is_empty()));
    let ranks: Vec<usize> = latest.top_lines.iter().map(|l| l.rank).collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
}
