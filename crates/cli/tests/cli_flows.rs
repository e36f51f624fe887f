//! `dualtrace flows` and `dualtrace gen trade` through the real binary: ingest, then reports as
//! JSON, CSV and table, SQL, and clear errors.
#![allow(clippy::unwrap_used)]

mod common;

use common::{assert_success, dualtrace, ok_json};
use dualtrace_testdata::shared_file;

#[test]
fn eurostat_surge_end_to_end() {
    let Some(file) = shared_file("trade/eurostat_eu_exports_totals_to_russia_and_neighbours.csv")
    else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let path = file.to_str().unwrap();
    let out = dualtrace(data.path(), &["flows", "ingest", "eurostat-comext", path]);
    assert_success(&out, &["flows", "ingest"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rows of world, regional and group totals skipped"),
        "{text}"
    );

    let args = [
        "flows",
        "report",
        "surge",
        "--exporter",
        "EU27",
        "--baseline",
        "2019-2021",
        "--period",
        "2022-2023",
        "--min-baseline",
        "100000000",
        "--format",
        "json",
    ];
    let rows = ok_json(data.path(), &args);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows[0]["partner"], "KG");
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["baseline", "partner", "period", "ratio"]);
    assert_eq!(format!("{:.2}", rows[0]["ratio"].as_f64().unwrap()), "7.08");
    assert_eq!(rows[1]["partner"], "AM");
    let ratios: Vec<f64> = rows.iter().map(|r| r["ratio"].as_f64().unwrap()).collect();
    assert!(
        ratios.windows(2).all(|w| w[0] >= w[1]),
        "sorted by ratio descending"
    );

    let csv = dualtrace(
        data.path(),
        &[
            "flows",
            "report",
            "surge",
            "--exporter",
            "EU27",
            "--baseline",
            "2019-2021",
            "--period",
            "2022-2023",
            "--partners",
            "AM,GE,KZ,KG,UZ",
            "--format",
            "csv",
        ],
    );
    assert_success(&csv, &["surge csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    let partners: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(partners, ["KG", "AM", "KZ", "GE", "UZ"]);
    assert!(
        String::from_utf8_lossy(
            &dualtrace(
                data.path(),
                &[
                    "flows",
                    "report",
                    "surge",
                    "--exporter",
                    "EU27",
                    "--baseline",
                    "2019-2021",
                    "--period",
                    "2022-2023"
                ]
            )
            .stderr
        )
        .contains("values in EUR")
    );

    let sql = ok_json(
        data.path(),
        &[
            "flows",
            "sql",
            "SELECT COUNT(*) AS n FROM flows WHERE reporter = 'EU27' AND year = 2023 AND month IS NULL",
            "--format",
            "json",
        ],
    );
    assert!(sql[0]["n"].as_i64().unwrap() > 200);
}

#[test]
fn generated_baci_ingest_and_supplier_shares() {
    let data = tempfile::tempdir().unwrap();
    let gen_dir = tempfile::tempdir().unwrap();
    let out = gen_dir.path().to_str().unwrap();
    let g = dualtrace(
        data.path(),
        &[
            "gen", "trade", "--rows", "30000", "--out", out, "--seed", "3",
        ],
    );
    assert_success(&g, &["gen trade"]);
    assert!(String::from_utf8_lossy(&g.stdout).contains("SYNTHETIC"));
    let files: Vec<String> = std::fs::read_dir(gen_dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path().to_str().unwrap().to_string())
        .filter(|p| p.ends_with(".csv"))
        .collect();
    let mut args = vec!["flows", "ingest", "baci"];
    args.extend(files.iter().map(String::as_str));
    assert_success(&dualtrace(data.path(), &args), &args);

    let shares = |year: &str| {
        ok_json(
            data.path(),
            &[
                "flows",
                "report",
                "supplier-shares",
                "--importer",
                "RU",
                "--period",
                year,
                "--goods",
                "chpl",
                "--format",
                "json",
            ],
        )
    };
    let cn = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["supplier"] == "CN")
            .map(|r| r["share"].as_f64().unwrap())
            .unwrap()
    };
    let (before, after) = (shares("2021"), shares("2023"));
    assert!(
        cn(&after) > cn(&before) + 0.1,
        "{} -> {}",
        cn(&before),
        cn(&after)
    );
    let total: f64 = after
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["share"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);

    let table = dualtrace(
        data.path(),
        &[
            "flows",
            "report",
            "top-suppliers",
            "--importer",
            "RU",
            "--period",
            "2023",
            "--goods",
            "1",
            "--limit",
            "3",
        ],
    );
    assert_success(&table, &["top-suppliers"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("supplier"));
}

#[test]
fn errors_are_clear() {
    let data = tempfile::tempdir().unwrap();
    let out = dualtrace(
        data.path(),
        &[
            "flows",
            "report",
            "surge",
            "--exporter",
            "EU27",
            "--baseline",
            "2019-2021",
            "--period",
            "2022-2023",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("flows ingest"));

    let input = tempfile::tempdir().unwrap();
    let bad = input.path().join("bad.csv");
    std::fs::write(&bad, "t,i,j,k,v,q\n2021,156,643,854231,12x,1\n").unwrap();
    let out = dualtrace(
        data.path(),
        &["flows", "ingest", "baci", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv: line 2: field v: not a number"),
        "{err}"
    );
}
