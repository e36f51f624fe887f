//! End-to-end tests of `dualtrace screen` and `dualtrace match` on the bundled fictional demo
//! lists (small, so they run fast in debug builds).
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace, ok_json, ok_jsonl, repo};
use serde_json::Value;

/// A store holding the two demo lists.
fn demo_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (format, path, list) in [
        ("ofac-sdn-csv", "demo/lists/demo_sdn/sdn.csv", "demo_sdn"),
        (
            "ftm-json",
            "demo/lists/demo_allies.ftm.jsonl",
            "demo_allies",
        ),
    ] {
        let out = dualtrace(
            dir.path(),
            &[
                "lists",
                "import",
                format,
                repo(path).to_str().unwrap(),
                "--list",
                list,
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}

#[test]
fn screen_finds_a_cyrillic_name_in_both_lists_and_explains_why() {
    let store = demo_store();
    let out = dualtrace(
        store.path(),
        &["screen", "Заря Оптроника", "--schema", "Company", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"demo-eu-001"), "{ids:?}");
    assert!(ids.contains(&"ofac-sdn-9000001"), "{ids:?}");
    let top = &v["results"][0];
    assert!(top["score"].as_f64().unwrap() >= 0.7);
    assert!(top["list_version"].as_str().is_some());
    assert!(
        top["explanations"]
            .as_object()
            .is_some_and(|e| !e.is_empty())
    );
    // Results are sorted by score.
    let scores: Vec<f64> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn an_identifier_finds_the_entity_even_under_another_name() {
    let store = demo_store();
    let out = dualtrace(
        store.path(),
        &[
            "screen",
            "Completely Different Name GmbH",
            "--id",
            "7700000001",
            "--json",
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"demo-eu-001"), "{ids:?}");
}

#[test]
fn batch_screening_keeps_input_order_and_maps_columns_by_name() {
    let store = demo_store();
    let input = store.path().join("parties.csv");
    std::fs::write(
        &input,
        "full_name,date_of_birth,nationality,extra\n\
         Nordic Garden Tools AB,,SE,x\n\
         \"VOLKOV, Arseniy\",1971,RU,y\n\
         Yerevan Precision Components,,AM,z\n",
    )
    .unwrap();
    let rows = ok_jsonl(
        store.path(),
        &[
            "screen",
            "--input",
            input.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(rows.len(), 3);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["row"], i);
    }
    assert!(
        rows[0]["results"].as_array().unwrap().is_empty(),
        "{}",
        rows[0]
    );
    // The same fictional person is on both demo lists.
    let volkov: Vec<&str> = rows[1]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        volkov.contains(&"ofac-sdn-9000004") && volkov.contains(&"demo-eu-003"),
        "{volkov:?}"
    );
    assert_eq!(rows[2]["results"][0]["id"], "demo-uk-002");
}

/// The JSON objects of a command's output, one per line (other lines, such as a summary on
/// stderr, left out).
fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn batch_screening_passes_time_the_parsed_rows_again() {
    let store = demo_store();
    let input = store.path().join("parties.csv");
    std::fs::write(
        &input,
        "name,birth_date,nationality\n\"VOLKOV, Arseniy\",1971,RU\nNordic Garden Tools AB,,SE\n",
    )
    .unwrap();
    let path = input.to_str().unwrap();
    let plain = ok_jsonl(store.path(), &["screen", "--input", path]);
    let args = ["screen", "--input", path, "--passes", "2"];
    let out = dualtrace(store.path(), &args);
    assert_success(&out, &args);
    assert_eq!(json_lines(&out.stdout), plain);
    let hits: usize = plain
        .iter()
        .map(|r| r["results"].as_array().unwrap().len())
        .sum();
    assert!(hits > 0);
    let passes = json_lines(&out.stderr);
    assert_eq!(passes.len(), 2, "{passes:?}");
    for (i, p) in passes.iter().enumerate() {
        assert_eq!(p["pass"], i + 1);
        assert_eq!(p["queries"], 2);
        assert_eq!(p["hits"], hits);
        assert!(p["screen_ms"].as_f64().unwrap() > 0.0, "{p}");
    }
    // Only with a batch.
    assert!(
        !dualtrace(store.path(), &["screen", "Volkov", "--passes", "2"])
            .status
            .success()
    );
}

#[test]
fn match_scores_pairs_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = dir.path().join("pairs.json");
    std::fs::write(
        &pairs,
        r#"[{"left":{"id":"a","schema":"Person","properties":{"name":["Ivan Fictionov"],"birthDate":["1970"]}},
             "right":{"id":"b","schema":"Person","properties":{"name":["Иван Фиктионов"],"birthDate":["1970-02-03"]}}},
            {"left":{"id":"c","schema":"Company","properties":{"name":["Emma LLC"]}},
             "right":{"id":"d","schema":"Person","properties":{"name":["Emma Daniels"]}}}]"#,
    )
    .unwrap();
    let rows = ok_jsonl(dir.path(), &["match", "--input", pairs.to_str().unwrap()]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["index"], 0);
    assert_eq!(rows[0]["match"], true, "{}", rows[0]);
    assert_eq!(rows[1]["match"], false, "{}", rows[1]);
    assert!(rows[1]["score"].as_f64().unwrap() < 0.5);

    // Benchmark passes: the same output, and one line of times per pass on stderr, each
    // counting the pairs and the matches the output has.
    let args = ["match", "--input", pairs.to_str().unwrap(), "--passes", "2"];
    let out = dualtrace(dir.path(), &args);
    assert_success(&out, &args);
    assert_eq!(json_lines(&out.stdout), rows);
    let passes = json_lines(&out.stderr);
    assert_eq!(passes.len(), 2, "{passes:?}");
    for (i, p) in passes.iter().enumerate() {
        assert_eq!(p["pass"], i + 1);
        assert_eq!(p["pairs"], 2);
        assert_eq!(p["matches"], 1);
        for time in ["records_ms", "score_ms", "rescore_ms"] {
            assert!(p[time].as_f64().unwrap() > 0.0, "{p}");
        }
    }
}

#[test]
fn bad_query_values_are_errors_not_silently_dropped() {
    let store = demo_store();
    let out = dualtrace(
        store.path(),
        &["screen", "Volkov", "--birth-date", "3017-01-01"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--birth-date"));
    let out = dualtrace(store.path(), &["screen", "Volkov", "--country", "Atlantis"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--country"));
}

#[test]
fn bad_values_in_a_batch_file_name_the_line_and_field() {
    let store = demo_store();
    let input = store.path().join("parties.csv");
    for (rows, field) in [
        (
            "Volkov,1971,RU\nIvan Petrov,1999-13-45,RU\n",
            "line 3: field birth_date",
        ),
        ("Volkov,1971,Atlantis\n", "line 2: field country"),
        (
            "Volkov,1971,RU\n\"Ivan Petrov,1961,RU\nAnna Ivanova,1970,RU\n",
            "line 3: field name: the value runs over a line break",
        ),
    ] {
        std::fs::write(&input, format!("name,birth_date,country\n{rows}")).unwrap();
        let out = dualtrace(
            store.path(),
            &["screen", "--input", input.to_str().unwrap()],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("parties.csv: {field}")), "{err}");
    }
}

#[test]
fn screening_an_empty_store_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dualtrace(dir.path(), &["screen", "Anyone"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("import"));
}

#[test]
fn an_allow_list_decision_suppresses_exactly_the_reviewed_hit() {
    let store = demo_store();
    let args = ["screen", "Заря Оптроника", "--schema", "Company", "--json"];
    let first: Value = ok_json(store.path(), &args);
    let fp = first["query"]["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fp.len(), 32);
    let allow = store.path().join("allow.csv");
    std::fs::write(
        &allow,
        format!(
            "fingerprint,entity_id,reason,who,when\n\
             {fp},ofac-sdn-9000001,\"reviewed: different company, other INN\",ana@example.org,2026-11-29\n"
        ),
    )
    .unwrap();
    let allow_arg = allow.to_str().unwrap();
    let mut with_allow = args.to_vec();
    with_allow.extend(["--allow", allow_arg]);
    let v: Value = ok_json(store.path(), &with_allow);
    let results = v["results"].as_array().unwrap();
    let ofac = results
        .iter()
        .find(|r| r["id"] == "ofac-sdn-9000001")
        .expect("the suppressed hit is still shown");
    assert_eq!(ofac["match"], false);
    assert_eq!(
        ofac["suppressed"]["reason"],
        "reviewed: different company, other INN"
    );
    let eu = results.iter().find(|r| r["id"] == "demo-eu-001").unwrap();
    assert_eq!(eu["match"], true);
    assert!(eu["suppressed"].is_null());
    // Another query (one more fact) is not covered by the decision.
    let mut other = with_allow.clone();
    other.extend(["--country", "RU"]);
    let v: Value = ok_json(store.path(), &other);
    let ofac = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "ofac-sdn-9000001")
        .unwrap();
    assert!(ofac["suppressed"].is_null());
    // A broken allow-list is an error naming the file, line and field.
    std::fs::write(
        &allow,
        "fingerprint,entity_id,reason,who,when\nnope,x,y,z,w\n",
    )
    .unwrap();
    let out = dualtrace(store.path(), &with_allow);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("allow.csv:2: field `fingerprint`"), "{err}");
}
