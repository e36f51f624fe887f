//! End to end on small hand-written fixtures: ingest (all or nothing, replacement on re-ingest)
//! then every report through DataFusion.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use dualtrace_flows::engine::FLOWS_TABLE;
use dualtrace_flows::query::{per_slice_sql, per_source_sql};
use dualtrace_flows::reports::{
    mirror_gaps, series, supplier_shares, surge, top_suppliers, unit_values,
};
use dualtrace_flows::{
    Backend, Common, Flow, FlowsEngine, Format, GapRow, GapsArgs, Goods, Period, SeriesArgs,
    SharesArgs, SurgeArgs, UnitValueArgs, Years, ingest,
};

/// Fictional Comtrade-style figures: Russia reports its imports for 2021 only; in 2022 the
/// suppliers' exports (mirror) must be used.
const COMTRADE: &str = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
2021,643,M,156,0,854231,C00,0,100,600
2021,643,M,276,0,854231,C00,0,50,400
2021,643,M,156,0,TOTAL,C00,0,,9000
2022,156,X,643,0,854231,C00,0,100,1500
2022,276,X,643,0,854231,C00,0,50,100
2022,344,X,643,0,854231,C00,0,10,400
2021,156,X,643,0,854231,C00,0,100,550
2022,643,X,156,0,854231,C00,0,1,1
2021,276,X,417,0,854231,C00,0,10,100
2022,276,X,417,0,854231,C00,0,10,700
2022,417,M,276,0,854231,C00,0,10,650
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

/// An embedded engine over `text` ingested as `format` into a fresh data directory (kept
/// alive by the returned guard).
fn ingested(format: Format, text: &str) -> (tempfile::TempDir, FlowsEngine) {
    ingested_all(&[(format, text)])
}

/// [`ingested`] for several files, one ingest each, in order.
fn ingested_all(files: &[(Format, &str)]) -> (tempfile::TempDir, FlowsEngine) {
    let input = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    for (i, (format, text)) in files.iter().enumerate() {
        let file = write(input.path(), &format!("in{i}.csv"), text);
        ingest(*format, &[file], data.path()).unwrap();
    }
    let engine = FlowsEngine::open(data.path(), &Backend::Embedded).unwrap();
    (data, engine)
}

/// Mirror gaps in `period`, at most ten, of every pair or of one exporter and one importer.
fn gaps_of(
    engine: &FlowsEngine,
    (exporter, importer): (Option<&str>, Option<&str>),
    period: Years,
    common: Common,
) -> Vec<GapRow> {
    let args = GapsArgs {
        exporter: exporter.map(String::from),
        importer: importer.map(String::from),
        period,
        min_value: 0.0,
        limit: 10,
        common,
    };
    mirror_gaps(engine, &args).unwrap().rows
}

fn years(from: i32, to: i32) -> Years {
    Years { from, to }
}

fn tier1() -> Common {
    Common {
        goods: Goods::parse("1").unwrap(),
        currency: None,
    }
}

#[test]
fn reports_on_a_small_comtrade_file() {
    let input = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let file = write(input.path(), "c.csv", COMTRADE);
    let report = ingest(
        Format::ComtradeCsv,
        std::slice::from_ref(&file),
        data.path(),
    )
    .unwrap();
    assert_eq!(report.rows, 11);
    assert_eq!(report.rows_by_year.get(&2022), Some(&6));
    // Ingesting the same file again replaces it: no double counting.
    ingest(Format::ComtradeCsv, &[file], data.path()).unwrap();

    let engine = FlowsEngine::open(data.path(), &Backend::Embedded).unwrap();
    // Embedded, the dataset's Parquet files are scanned in this process.
    let plan = engine
        .physical_plan("SELECT SUM(value) FROM flows")
        .unwrap();
    assert!(plan.contains("DataSourceExec"), "{plan}");
    assert!(!plan.contains("DistributedQueryExec"), "{plan}");
    // The scan evaluates the partner equality first, whatever the order DataFusion's planner
    // gave the conditions (crate::filter_order).
    let plan = engine
        .physical_plan(
            "SELECT SUM(value) FROM flows WHERE reporter <> 'ZZ' AND NOT breakdown \
             AND flow = 'export' AND partner = 'RU' AND length(reporter) = 2",
        )
        .unwrap();
    let scan = plan.lines().find(|l| l.contains("DataSourceExec")).unwrap();
    let conditions = scan.split(" predicate=").nth(1).unwrap();
    assert!(
        conditions.starts_with("partner@2 = RU AND flow@3 = export AND "),
        "{scan}"
    );
    // A sum grouped by columns of the scan adds up runs of rows with equal keys first
    // (crate::run_sum); an aggregation of anything else is left as it is.
    let plan = engine
        .physical_plan("SELECT reporter, partner, SUM(value) FROM flows GROUP BY reporter, partner")
        .unwrap();
    assert!(
        plan.contains("RunSumExec: keys=[reporter, partner], sums=[value]"),
        "{plan}"
    );
    let plan = engine
        .physical_plan("SELECT reporter, COUNT(*) FROM flows GROUP BY reporter")
        .unwrap();
    assert!(!plan.contains("RunSumExec"), "{plan}");
    // A condition on the year skips the other years' files unopened (the year is the folder's).
    let plan = engine
        .physical_plan("SELECT SUM(value) FROM flows WHERE year = 2022")
        .unwrap();
    assert!(plan.contains("year=2022/"), "{plan}");
    assert!(!plan.contains("year=2021/"), "{plan}");
    let shares = |year: i32, goods: Common| {
        supplier_shares(
            &engine,
            &SharesArgs {
                importer: "RU".into(),
                period: Period::Years(years(year, year)),
                mirror: true,
                common: goods,
            },
        )
        .unwrap()
    };
    let r2021 = shares(2021, tier1());
    assert!(r2021.mirrored.is_empty());
    assert_eq!(r2021.rows[0].supplier, "CN");
    assert_eq!(
        r2021.rows[0].value, 600.0,
        "Russia's own import figure, not China's 550"
    );
    assert!((r2021.rows[0].share - 0.6).abs() < 1e-12);

    let r2022 = shares(2022, tier1());
    assert_eq!(r2022.mirrored, vec!["2022".to_string()]);
    let got: Vec<(String, f64)> = r2022
        .rows
        .iter()
        .map(|r| (r.supplier.clone(), r.value))
        .collect();
    assert_eq!(
        got,
        vec![
            ("CN".into(), 1500.0),
            ("HK".into(), 400.0),
            ("DE".into(), 100.0)
        ]
    );
    assert!((r2022.rows[0].share - 0.75).abs() < 1e-12);

    // All goods in 2021: the TOTAL row (9000 from CN) wins over the HS-6 detail.
    let all = shares(2021, Common::default());
    assert_eq!(all.rows[0].value, 9000.0);

    let top = top_suppliers(
        &engine,
        &SharesArgs {
            importer: "RU".into(),
            period: Period::Years(years(2022, 2022)),
            mirror: true,
            common: tier1(),
        },
        1,
    )
    .unwrap();
    assert_eq!(top.rows.len(), 1);

    let surge_rows = surge(
        &engine,
        &SurgeArgs {
            exporter: "DE".into(),
            baseline: years(2021, 2021),
            period: years(2022, 2022),
            min_baseline: 0.0,
            partners: Vec::new(),
            common: tier1(),
        },
    )
    .unwrap();
    assert_eq!(
        surge_rows.rows.len(),
        1,
        "DE has a 2021 baseline only to KG"
    );
    assert_eq!(surge_rows.rows[0].partner, "KG");
    assert_eq!(surge_rows.rows[0].ratio, 7.0);
    assert_eq!(surge_rows.currency.as_deref(), Some("USD"));

    let gaps = gaps_of(&engine, (None, None), years(2021, 2022), tier1());
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert_eq!(
        (gaps[0].exporter.as_str(), gaps[0].importer.as_str()),
        ("DE", "KG")
    );
    assert_eq!(gaps[0].gap, 50.0);
    assert_eq!(
        gaps[1].gap, -50.0,
        "China 550 exported vs Russia 600 imported"
    );

    let uv = unit_values(
        &engine,
        &UnitValueArgs {
            reporter: Some("DE".into()),
            partner: None,
            period: years(2022, 2022),
            min_jump: 2.0,
            limit: 10,
            common: tier1(),
        },
    )
    .unwrap();
    assert_eq!(uv.rows.len(), 1);
    assert_eq!(uv.rows[0].partner, "KG");
    assert_eq!(uv.rows[0].jump, 7.0);
}

#[test]
fn monthly_series_and_annual_rows_do_not_double_count() {
    let text = "reporter,partner,flow,freq,period,value_eur
EU27,Kyrgyzstan,EXPORT,A,2022,100
EU27,Kyrgyzstan,EXPORT,M,2022-01,30
EU27,Kyrgyzstan,EXPORT,M,2022-02,70
EU27,Kyrgyzstan,EXPORT,M,2023-01,50
Germany,Kyrgyzstan,EXPORT,A,2022,60
";
    let (_data, engine) = ingested(Format::EurostatComext, text);
    let s = series(
        &engine,
        &SeriesArgs {
            reporter: "EU27".into(),
            partner: Some("KG".into()),
            flow: Flow::Export,
            period: Period::parse("p", "2022-2023").unwrap(),
            common: Common::default(),
        },
    )
    .unwrap();
    let got: Vec<(String, f64)> = s.rows.into_iter().map(|r| (r.period, r.value)).collect();
    assert_eq!(
        got,
        vec![
            ("2022-01".into(), 30.0),
            ("2022-02".into(), 70.0),
            ("2023-01".into(), 50.0)
        ]
    );
    let r = surge(
        &engine,
        &SurgeArgs {
            exporter: "EU27".into(),
            baseline: years(2022, 2022),
            period: years(2023, 2023),
            min_baseline: 0.0,
            partners: vec!["KG".into()],
            common: Common::default(),
        },
    )
    .unwrap();
    assert_eq!(
        r.rows[0].baseline, 100.0,
        "annual row, not annual + months, not + Germany"
    );
    assert_eq!(r.rows[0].period, 50.0, "months when no annual row");
}

#[test]
fn a_bad_file_leaves_the_dataset_untouched() {
    let input = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let good = write(input.path(), "good.csv", COMTRADE);
    ingest(
        Format::ComtradeCsv,
        std::slice::from_ref(&good),
        data.path(),
    )
    .unwrap();
    let before: Vec<_> = walk(&data.path().join("flows"));
    let bad = write(
        input.path(),
        "bad.csv",
        &COMTRADE.replace(",1500\n", ",15OO\n"),
    );
    let err = ingest(Format::ComtradeCsv, &[good, bad], data.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("bad.csv: line 5: field primaryValue"),
        "{err}"
    );
    assert_eq!(walk(&data.path().join("flows")), before);
    let leftovers: Vec<_> = fs::read_dir(data.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no staging directory left: {leftovers:?}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for year in fs::read_dir(dir).unwrap().flatten() {
        for f in fs::read_dir(year.path()).unwrap().flatten() {
            out.push(f.path());
        }
    }
    out.sort();
    out
}

#[test]
fn no_dataset_is_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    let err = FlowsEngine::open(data.path(), &Backend::Embedded)
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("run `dualtrace flows ingest` first"),
        "{err}"
    );
}

#[test]
fn unit_values_pair_each_year_with_the_year_before_only() {
    // DE -> KG, one HS-6 code: 10/kg in 2020, 10/kg in 2021, 80/kg in 2022, none in 2023 and
    // 5/kg in 2024 (no year before it: no pair); DE -> AM: 1/kg in 2021, 2/kg in 2022.
    let text = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
2020,276,X,417,0,854231,C00,0,10,100
2021,276,X,417,0,854231,C00,0,10,100
2022,276,X,417,0,854231,C00,0,10,800
2024,276,X,417,0,854231,C00,0,10,50
2021,276,X,51,0,854231,C00,0,10,10
2022,276,X,51,0,854231,C00,0,10,20
";
    let (_data, engine) = ingested(Format::ComtradeCsv, text);
    let uv = unit_values(
        &engine,
        &UnitValueArgs {
            reporter: Some("DE".into()),
            partner: None,
            period: years(2021, 2024),
            min_jump: 1.5,
            limit: 10,
            common: tier1(),
        },
    )
    .unwrap();
    let found: Vec<(&str, i32, f64, f64)> = uv
        .rows
        .iter()
        .map(|r| (r.partner.as_str(), r.year, r.previous, r.unit_value))
        .collect();
    assert_eq!(found, [("KG", 2022, 10.0, 80.0), ("AM", 2022, 1.0, 2.0)]);
}

/// Where two sources report the same side of a pair, mirror gaps take the larger figure (as
/// every report does): China's exports to Russia in 2021 are 550 in Comtrade and 750 in BACI
/// (0.75 thousand), against the 600 Russia reports importing.
#[test]
fn mirror_gaps_take_the_larger_of_two_sources() {
    let (_data, engine) = ingested_all(&[
        (Format::ComtradeCsv, COMTRADE),
        (Format::Baci, "t,i,j,k,v,q\n2021,156,643,854231,0.75,0.1\n"),
    ]);
    let gaps = gaps_of(
        &engine,
        (Some("CN"), Some("RU")),
        years(2021, 2021),
        tier1(),
    );
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!((gaps[0].exported, gaps[0].imported), (750.0, 600.0));
    assert_eq!(gaps[0].gap, 150.0);
}

#[test]
fn the_coarsest_goods_level_a_source_reports_wins() {
    // Kazakhstan reports its imports from China as a total and in detail (chapter, subheading):
    // the total counts, never the sum. Armenia reports a chapter and a subheading only: the
    // chapter counts. China's own exports to both are subheadings only.
    let text = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
2022,398,M,156,0,TOTAL,C00,0,,1000
2022,398,M,156,0,85,C00,0,,600
2022,398,M,156,0,854231,C00,0,,200
2022,51,M,156,0,85,C00,0,,300
2022,51,M,156,0,854231,C00,0,,250
2022,156,X,398,0,854231,C00,0,,900
2022,156,X,51,0,854231,C00,0,,100
";
    let (_data, engine) = ingested(Format::ComtradeCsv, text);
    let gaps = gaps_of(
        &engine,
        (Some("CN"), None),
        years(2022, 2022),
        Common::default(),
    );
    let got: Vec<(String, f64, f64)> = gaps
        .into_iter()
        .map(|r| (r.importer, r.exported, r.imported))
        .collect();
    assert_eq!(
        got,
        vec![("KZ".into(), 900.0, 1000.0), ("AM".into(), 100.0, 300.0)]
    );
}

#[test]
fn per_slice_values_equal_the_plain_query() {
    // Two sources, two years, annual and monthly rows, a total beside its detail.
    let annual =
        format!("{COMTRADE}2022,398,M,156,0,TOTAL,C00,0,,1000\n2022,398,M,156,0,85,C00,0,,600\n");
    let monthly = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
202201,156,X,643,0,854231,C00,0,100,70
202202,156,X,643,0,854231,C00,0,100,80
202302,156,X,398,0,85,C00,0,100,5
202302,156,X,398,0,85,C00,2100,100,3
";
    let (_data, engine) = ingested_all(&[
        (Format::ComtradeCsv, &annual),
        (Format::ComtradeCsv, monthly),
        (
            Format::Baci,
            "t,i,j,k,v,q\n2021,156,643,854231,0.75,0.1\n2022,156,398,854231,2.5,0.1\n",
        ),
    ]);
    let slices = engine.slices(years(2020, 2024)).unwrap().unwrap();
    assert_eq!(slices.len(), 5, "{slices:?}");
    // Their shapes differ: mixed rows, all annual at one level, all monthly with a breakdown.
    let shape = |year, source| slices.iter().find(|s| (s.year, s.source) == (year, source));
    let shape = |year, source| shape(year, source).unwrap().shape;
    let (no, yes) = (Some(false), Some(true));
    assert_eq!(shape(2022, Format::ComtradeCsv).monthly, None);
    assert_eq!(shape(2022, Format::ComtradeCsv).hs_level, None);
    assert_eq!(shape(2022, Format::Baci).monthly, no);
    assert_eq!(shape(2022, Format::Baci).hs_level, Some(6));
    assert!(shape(2022, Format::Baci).no_breakdowns);
    assert_eq!(shape(2023, Format::ComtradeCsv).monthly, yes);
    assert_eq!(shape(2023, Format::ComtradeCsv).hs_level, Some(2));
    assert!(!shape(2023, Format::ComtradeCsv).no_breakdowns);
    // The second set fixes every key of a BACI slice (one aggregate over all its rows), and
    // BACI 2022 has no row from China to Russia.
    let some = vec!["reporter <> 'ZZ'".to_string()];
    let one_pair = vec!["reporter = 'CN'".to_string(), "partner = 'RU'".to_string()];
    for (conditions, at_least) in [(some, 3), (one_pair, 1)] {
        for period in ["2020-2024", "2022", "2022-01..2023-12"] {
            let period = Period::parse("p", period).unwrap();
            let sorted = |sql: String| {
                let sql = format!(
                    "SELECT * FROM ({sql}) AS v ORDER BY source, reporter, partner, flow, unit"
                );
                engine.sql_rows(&sql).unwrap()
            };
            let plain = sorted(per_source_sql(FLOWS_TABLE, &period, &conditions));
            let sliced = sorted(per_slice_sql(Some(&slices), &period, &conditions));
            assert!(plain.1.len() >= at_least, "{period:?}: {plain:?}");
            assert_eq!(sliced, plain, "{period:?} {conditions:?}");
        }
    }
}

/// Groups and unallocated areas never pair: Kyrgyzstan's imports from the EU27 and from areas
/// nes are kept out at ingest, so the EU27's own exports and Germany's exports to areas nes
/// have no other side.
#[test]
fn mirror_gaps_pair_countries_only() {
    let text = "reporter,partner,flow,freq,period,value_eur
EU27,Kyrgyzstan,EXPORT,A,2022,100
Germany,Kyrgyzstan,EXPORT,A,2022,60
Germany,Areas nes,EXPORT,A,2022,30
Kyrgyzstan,Germany,IMPORT,A,2022,50
Kyrgyzstan,EU27,IMPORT,A,2022,90
";
    let (_data, engine) = ingested(Format::EurostatComext, text);
    let gaps = gaps_of(&engine, (None, None), years(2022, 2022), Common::default());
    let got: Vec<(String, String, f64, f64)> = gaps
        .into_iter()
        .map(|r| (r.exporter, r.importer, r.exported, r.imported))
        .collect();
    assert_eq!(got, vec![("DE".into(), "KG".into(), 60.0, 50.0)]);
}
