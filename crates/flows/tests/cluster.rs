//! Ballista: a scheduler and an executor started in this process on loopback give the same
//! report answers as the embedded engine, both through the standalone session and through a
//! `df://HOST:PORT` connection to that scheduler (run with `--features cluster`).
#![cfg(feature = "cluster")]
#![allow(clippy::unwrap_used)]

use std::path::Path;

use dualtrace_flows::reports::{mirror_gaps, series, supplier_shares, surge};
use dualtrace_flows::{
    Backend, Common, Flow, FlowsEngine, Format, GapsArgs, Goods, Period, SeriesArgs, SharesArgs,
    SurgeArgs, Years, generate, ingest,
};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Fictional monthly Comtrade figures with both sides of a flow (for series and mirror gaps).
const MONTHLY: &str = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
202201,156,X,643,0,854231,C00,0,10,1000
202202,156,X,643,0,854231,C00,0,10,1200
202301,156,X,643,0,854231,C00,0,10,3000
202201,643,M,156,0,854231,C00,0,10,900
202202,643,M,156,0,854231,C00,0,10,1300
202301,643,M,156,0,854231,C00,0,10,2500
";

fn dataset(dir: &Path) {
    let input = dir.join("gen");
    let generated = generate(&input, 40_000, 11, dualtrace_flows::GenFormat::Baci).unwrap();
    let data = dir.join("data");
    ingest(Format::Baci, &generated.files, &data).unwrap();
    let monthly = dir.join("monthly.csv");
    std::fs::write(&monthly, MONTHLY).unwrap();
    ingest(Format::ComtradeCsv, &[monthly], &data).unwrap();
}

/// A query that scans the Parquet files (`COUNT(*)` is answered from their statistics).
const SCAN: &str = "SELECT SUM(value) FROM flows";

/// `df://HOST:PORT` of the scheduler a distributed plan is sent to
/// (`DistributedQueryExec: scheduler_url=http://HOST:PORT`).
fn scheduler_of(plan: &str) -> String {
    let url = plan.split("scheduler_url=http://").nth(1).unwrap();
    format!("df://{}", url.split_whitespace().next().unwrap())
}

#[test]
fn ballista_answers_equal_embedded_answers() {
    let dir = tempfile::tempdir().unwrap();
    dataset(dir.path());
    let data = dir.path().join("data");
    let embedded = FlowsEngine::open(&data, &Backend::Embedded).unwrap();
    let cluster = FlowsEngine::open(&data, &Backend::Standalone).unwrap();
    let cluster_plan = cluster.physical_plan(SCAN).unwrap();
    assert!(
        cluster_plan.contains("DistributedQueryExec"),
        "{cluster_plan}"
    );
    let embedded_plan = embedded.physical_plan(SCAN).unwrap();
    assert!(embedded_plan.contains("DataSourceExec"), "{embedded_plan}");
    // The `--cluster df://HOST:PORT` path, connected to the same in-process scheduler.
    let remote = FlowsEngine::open(&data, &Backend::Cluster(scheduler_of(&cluster_plan))).unwrap();

    let surge_args = SurgeArgs {
        exporter: "EU27".into(),
        baseline: Years {
            from: 2019,
            to: 2021,
        },
        period: Years {
            from: 2022,
            to: 2023,
        },
        min_baseline: 0.0,
        partners: Vec::new(),
        common: Common::default(),
    };
    let a = surge(&embedded, &surge_args).unwrap();
    let b = surge(&cluster, &surge_args).unwrap();
    assert!(a.rows.len() > 100, "{}", a.rows.len());
    assert_eq!(a.rows.len(), b.rows.len());
    assert_eq!(a.currency, b.currency);
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(x.partner, y.partner);
        assert!(
            close(x.baseline, y.baseline) && close(x.period, y.period) && close(x.ratio, y.ratio)
        );
    }

    let shares_args = SharesArgs {
        importer: "RU".into(),
        period: Period::Years(Years {
            from: 2023,
            to: 2023,
        }),
        mirror: true,
        common: Common {
            goods: Goods::Chpl,
            currency: None,
        },
    };
    let a = supplier_shares(&embedded, &shares_args).unwrap();
    assert_eq!(a.rows[0].supplier, "CN");
    for engine in [&cluster, &remote] {
        let b = supplier_shares(engine, &shares_args).unwrap();
        assert_eq!(a.mirrored, b.mirrored);
        assert_eq!(a.rows.len(), b.rows.len());
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!(x.supplier, y.supplier);
            assert!(close(x.value, y.value) && close(x.share, y.share));
        }
    }

    let gaps = GapsArgs {
        exporter: None,
        importer: None,
        period: Years {
            from: 2021,
            to: 2023,
        },
        min_value: 0.0,
        limit: 20,
        common: Common::default(),
    };
    let gap_rows = mirror_gaps(&embedded, &gaps).unwrap().rows;
    assert!(!gap_rows.is_empty());
    assert_eq!(gap_rows, mirror_gaps(&cluster, &gaps).unwrap().rows);

    let series_args = SeriesArgs {
        reporter: "CN".into(),
        partner: Some("RU".into()),
        flow: Flow::Export,
        period: Period::Years(Years {
            from: 2021,
            to: 2023,
        }),
        common: Common::default(),
    };
    let months = series(&embedded, &series_args).unwrap().rows;
    assert_eq!(months.len(), 3);
    assert_eq!(months, series(&cluster, &series_args).unwrap().rows);

    let sql = "SELECT partner, SUM(value) AS v FROM flows WHERE reporter = 'CN' GROUP BY partner ORDER BY partner";
    let (_, x) = embedded.sql_rows(sql).unwrap();
    let (_, y) = cluster.sql_rows(sql).unwrap();
    // China exports to 66 of the generator's countries in these 40 000 generated rows (seed 11).
    assert_eq!(x.len(), 66);
    assert_eq!(x.len(), y.len());
    for (r, s) in x.iter().zip(&y) {
        assert_eq!(r["partner"], s["partner"]);
        let (v, w) = (r["v"].as_f64().unwrap(), s["v"].as_f64().unwrap());
        assert!(v > 0.0 && close(v, w), "{r:?} {s:?}");
    }
}
