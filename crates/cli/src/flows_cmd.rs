//! `dualtrace flows ...`: ingest trade files into the flows dataset, run the reports and SQL,
//! embedded or on a Ballista cluster (`--cluster df://HOST:PORT`, `cluster` feature).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use dualtrace_flows::{
    Backend, Common, FlowsEngine, Format, GapsArgs, GenFormat, Goods, IngestReport, Period, Report,
    SeriesArgs, SharesArgs, SurgeArgs, UnitValueArgs, Years, reports,
};
use serde::Serialize;
use serde_json::Value;

use crate::table;

#[derive(Debug, Subcommand)]
pub enum FlowsCommand {
    /// Ingest trade files into `<data-dir>/flows` (all files or nothing).
    Ingest {
        /// The input format.
        #[arg(value_parser = ["comtrade-json", "comtrade-csv", "baci", "eurostat-comext", "imf-imts", "customs-csv"])]
        format: String,
        /// The files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print the ingest summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a report over the dataset.
    Report {
        #[command(subcommand)]
        report: ReportCommand,
    },
    /// Run SQL over the dataset (table `flows`; columns documented in ARCHITECTURE.md).
    Sql {
        /// The SQL statement.
        sql: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// Output and backend options of every query.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Run on a Ballista cluster (`df://HOST:PORT`; needs the `cluster` build feature).
    #[arg(long)]
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
}

/// Goods and currency options shared by the reports.
#[derive(Debug, Clone, Args)]
pub struct GoodsArgs {
    /// Goods: all, chpl, a CHPL tier (1, 2, 3.A, 3.B, 4.A, 4.B), a watch item (W-...) or HS
    /// digits (2, 4 or 6).
    #[arg(long, default_value = "all")]
    pub goods: String,
    /// Only figures in this currency (needed when the data mixes EUR and USD).
    #[arg(long)]
    pub currency: Option<String>,
}

impl GoodsArgs {
    fn common(&self) -> Result<Common> {
        Ok(Common {
            goods: Goods::parse(&self.goods)?,
            currency: self
                .currency
                .as_deref()
                .map(dualtrace_flows::query::currency)
                .transpose()?,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Exports to each partner in a period versus a baseline (annual averages), ranked.
    Surge {
        /// The exporter: ISO alpha-2 or EU27.
        #[arg(long)]
        exporter: String,
        /// Baseline years, e.g. 2019-2021.
        #[arg(long)]
        baseline: String,
        /// Compared years, e.g. 2022-2023.
        #[arg(long)]
        period: String,
        /// Leave out partners whose baseline average is below this value.
        #[arg(long, default_value_t = 0.0)]
        min_baseline: f64,
        /// Only these partners (comma-separated ISO codes).
        #[arg(long)]
        partners: Option<String>,
        #[command(flatten)]
        goods: GoodsArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// An importer's suppliers and their shares (mirror data where it does not report).
    SupplierShares {
        #[command(flatten)]
        shares: SharesOptions,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// The largest suppliers of an importer.
    TopSuppliers {
        #[command(flatten)]
        shares: SharesOptions,
        /// How many suppliers.
        #[arg(long, default_value_t = dualtrace_flows::reports::DEFAULT_TOP_SUPPLIERS)]
        limit: usize,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// A monthly series of a reporter's imports or exports.
    Series {
        /// The reporter (ISO alpha-2 or EU27).
        #[arg(long)]
        reporter: String,
        /// One partner (default: all partners summed).
        #[arg(long)]
        partner: Option<String>,
        /// import or export.
        #[arg(long, default_value = "export")]
        flow: String,
        /// YYYY, YYYY-YYYY or YYYY-MM..YYYY-MM.
        #[arg(long)]
        period: String,
        #[command(flatten)]
        goods: GoodsArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// What exporters report shipping versus what importers report receiving.
    MirrorGaps {
        /// Only this exporter.
        #[arg(long)]
        exporter: Option<String>,
        /// Only this importer.
        #[arg(long)]
        importer: Option<String>,
        /// Years, e.g. 2022-2023.
        #[arg(long)]
        period: String,
        /// Leave out pairs whose exports are below this value.
        #[arg(long, default_value_t = 0.0)]
        min_value: f64,
        /// At most this many rows.
        #[arg(long, default_value_t = dualtrace_flows::reports::DEFAULT_ROWS)]
        limit: usize,
        #[command(flatten)]
        goods: GoodsArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// HS-6 flows whose value per kg jumped from one year to the next.
    UnitValues {
        /// Only this reporter.
        #[arg(long)]
        reporter: Option<String>,
        /// Only this partner.
        #[arg(long)]
        partner: Option<String>,
        /// Years, e.g. 2022-2023 (each compared with the year before).
        #[arg(long)]
        period: String,
        /// Smallest change factor shown (2 = doubled or halved).
        #[arg(long, default_value_t = dualtrace_flows::reports::DEFAULT_MIN_JUMP)]
        min_jump: f64,
        /// At most this many rows.
        #[arg(long, default_value_t = dualtrace_flows::reports::DEFAULT_ROWS)]
        limit: usize,
        #[command(flatten)]
        goods: GoodsArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// Options of supplier-shares and top-suppliers.
#[derive(Debug, Clone, Args)]
pub struct SharesOptions {
    /// The importer (ISO alpha-2).
    #[arg(long)]
    pub importer: String,
    /// YYYY, YYYY-MM, YYYY-YYYY or YYYY-MM..YYYY-MM.
    #[arg(long)]
    pub period: String,
    /// Never use partners' exports in place of the importer's own figures.
    #[arg(long)]
    pub no_mirror: bool,
    #[command(flatten)]
    pub goods: GoodsArgs,
}

impl SharesOptions {
    fn args(&self) -> Result<SharesArgs> {
        Ok(SharesArgs {
            importer: self.importer.clone(),
            period: Period::parse("--period", &self.period)?,
            mirror: !self.no_mirror,
            common: self.goods.common()?,
        })
    }
}

pub fn run(data_dir: &Path, command: FlowsCommand) -> Result<()> {
    match command {
        FlowsCommand::Ingest {
            format,
            paths,
            json,
        } => {
            let format =
                Format::from_name(&format).with_context(|| format!("unknown format {format}"))?;
            let report = dualtrace_flows::ingest(format, &paths, data_dir)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", ingest_summary(&report, data_dir));
            }
            Ok(())
        }
        FlowsCommand::Report { report } => run_report(data_dir, report),
        FlowsCommand::Sql { sql, out } => {
            let engine = open(data_dir, &out)?;
            let (names, rows) = engine.sql_rows(&sql)?;
            let cells: Vec<Vec<Value>> = rows
                .iter()
                .map(|r| {
                    names
                        .iter()
                        .map(|n| r.get(n).cloned().unwrap_or(Value::Null))
                        .collect()
                })
                .collect();
            match out.format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
                _ => print!("{}", render_cells(out.format, &names, &cells)?),
            }
            Ok(())
        }
    }
}

fn open(data_dir: &Path, out: &OutputArgs) -> Result<FlowsEngine> {
    let backend = match &out.cluster {
        Some(url) => Backend::Cluster(url.clone()),
        None => Backend::Embedded,
    };
    Ok(FlowsEngine::open(data_dir, &backend)?)
}

fn run_report(data_dir: &Path, report: ReportCommand) -> Result<()> {
    match report {
        ReportCommand::Surge {
            exporter,
            baseline,
            period,
            min_baseline,
            partners,
            goods,
            out,
        } => {
            let args = SurgeArgs {
                exporter,
                baseline: Years::parse("--baseline", &baseline)?,
                period: Years::parse("--period", &period)?,
                min_baseline,
                partners: partners
                    .as_deref()
                    .map(|p| dualtrace_flows::query::codes("--partners", p))
                    .transpose()?
                    .unwrap_or_default(),
                common: goods.common()?,
            };
            let r = reports::surge(&open(data_dir, &out)?, &args)?;
            emit(&out, &["partner", "baseline", "period", "ratio"], &r)
        }
        ReportCommand::SupplierShares { shares, out } => {
            let r = reports::supplier_shares(&open(data_dir, &out)?, &shares.args()?)?;
            emit(&out, &["supplier", "value", "share"], &r)
        }
        ReportCommand::TopSuppliers { shares, limit, out } => {
            let r = reports::top_suppliers(&open(data_dir, &out)?, &shares.args()?, limit)?;
            emit(&out, &["supplier", "value", "share"], &r)
        }
        ReportCommand::Series {
            reporter,
            partner,
            flow,
            period,
            goods,
            out,
        } => {
            let flow = dualtrace_flows::Flow::parse("--flow", &flow)?;
            let args = SeriesArgs {
                reporter,
                partner,
                flow,
                period: Period::parse("--period", &period)?,
                common: goods.common()?,
            };
            let r = reports::series(&open(data_dir, &out)?, &args)?;
            emit(&out, &["period", "value"], &r)
        }
        ReportCommand::MirrorGaps {
            exporter,
            importer,
            period,
            min_value,
            limit,
            goods,
            out,
        } => {
            let args = GapsArgs {
                exporter,
                importer,
                period: Years::parse("--period", &period)?,
                min_value,
                limit,
                common: goods.common()?,
            };
            let r = reports::mirror_gaps(&open(data_dir, &out)?, &args)?;
            let header = [
                "exporter", "importer", "year", "exported", "imported", "gap", "ratio",
            ];
            emit(&out, &header, &r)
        }
        ReportCommand::UnitValues {
            reporter,
            partner,
            period,
            min_jump,
            limit,
            goods,
            out,
        } => {
            let args = UnitValueArgs {
                reporter,
                partner,
                period: Years::parse("--period", &period)?,
                min_jump,
                limit,
                common: goods.common()?,
            };
            let r = reports::unit_values(&open(data_dir, &out)?, &args)?;
            let header = [
                "reporter",
                "partner",
                "flow",
                "hs_code",
                "year",
                "unit_value",
                "previous",
                "jump",
            ];
            emit(&out, &header, &r)
        }
    }
}

/// Prints a report's rows; the currency and any mirror periods go to stderr.
fn emit<T: Serialize>(out: &OutputArgs, header: &[&str], report: &Report<T>) -> Result<()> {
    if let Some(currency) = &report.currency {
        eprintln!("values in {currency}");
    }
    if !report.mirrored.is_empty() {
        eprintln!(
            "partners' reported exports (mirror data) used for: {}",
            report.mirrored.join(", ")
        );
    }
    print!("{}", render(out.format, header, &report.rows)?);
    Ok(())
}

/// Renders typed rows as table, CSV or JSON (JSON keeps the field names and order).
pub fn render<T: Serialize>(format: OutputFormat, header: &[&str], rows: &[T]) -> Result<String> {
    if format == OutputFormat::Json {
        return Ok(format!("{}\n", serde_json::to_string_pretty(rows)?));
    }
    let cells: Vec<Vec<Value>> = rows
        .iter()
        .map(|r| -> Result<Vec<Value>> {
            let v = serde_json::to_value(r)?;
            Ok(header
                .iter()
                .map(|h| v.get(*h).cloned().unwrap_or(Value::Null))
                .collect())
        })
        .collect::<Result<_>>()?;
    let names: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    render_cells(format, &names, &cells)
}

fn render_cells(format: OutputFormat, names: &[String], rows: &[Vec<Value>]) -> Result<String> {
    match format {
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(names)?;
            for row in rows {
                w.write_record(row.iter().map(|v| cell(v, false)))?;
            }
            Ok(String::from_utf8(w.into_inner()?)?)
        }
        _ => {
            let header: Vec<&str> = names.iter().map(String::as_str).collect();
            let text: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|v| cell(v, true)).collect())
                .collect();
            Ok(table::render(&header, &text))
        }
    }
}

/// One cell: strings as they are, numbers in full (CSV) or rounded for reading (table).
fn cell(v: &Value, rounded: bool) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) if rounded && n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            if f.abs() >= 1000.0 {
                format!("{f:.0}")
            } else {
                format!("{f:.4}")
            }
        }
        other => other.to_string(),
    }
}

/// The human summary of an ingest.
fn ingest_summary(r: &IngestReport, data_dir: &Path) -> String {
    let years = match (
        r.rows_by_year.keys().next(),
        r.rows_by_year.keys().next_back(),
    ) {
        (Some(a), Some(b)) => format!("years {a}-{b}"),
        _ => "no rows".to_string(),
    };
    let mut out = format!(
        "ingested {} rows ({}) from {} file(s) into {}: {years}\n",
        table::thousands(r.rows as usize),
        r.format,
        r.files.len(),
        dualtrace_flows::dataset::dataset_dir(data_dir).display()
    );
    out.push_str(&format!(
        "{} rows of world, regional and group totals skipped (not countries)\n",
        table::thousands(r.warnings.aggregates_skipped as usize)
    ));
    out.push_str(&format!("{} warnings\n", r.warnings.total()));
    for (kind, n) in &r.warnings.counts {
        out.push_str(&format!("  {n} x {kind}\n"));
    }
    for example in r.warnings.examples.iter().take(5) {
        out.push_str(&format!("  e.g. {example}\n"));
    }
    out
}

/// The flows step of `dualtrace demo`: generates a small synthetic BACI dataset in `out_dir`,
/// ingests it into `data_dir`, runs the surge and supplier-shares reports and returns a short
/// summary (`dualtrace demo` step 5).
pub fn demo_step(data_dir: &Path, out_dir: &Path) -> Result<String> {
    let generated = dualtrace_flows::generate(out_dir, 50_000, 2022, GenFormat::Baci)?;
    let ingested = dualtrace_flows::ingest(Format::Baci, &generated.files, data_dir)?;
    let engine = FlowsEngine::open(data_dir, &Backend::Embedded)?;
    let surge = reports::surge(
        &engine,
        &SurgeArgs {
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
            partners: ["KG", "AM", "KZ", "GE", "UZ", "RU"]
                .map(String::from)
                .to_vec(),
            common: Common::default(),
        },
    )?;
    let shares = |year: i32| {
        reports::supplier_shares(
            &engine,
            &SharesArgs {
                importer: "RU".into(),
                period: Period::Years(Years {
                    from: year,
                    to: year,
                }),
                mirror: true,
                common: Common {
                    goods: Goods::Chpl,
                    currency: None,
                },
            },
        )
    };
    let cn_share = |r: &Report<dualtrace_flows::ShareRow>| {
        r.rows
            .iter()
            .find(|s| s.supplier == "CN")
            .map_or(0.0, |s| s.share * 100.0)
    };
    let (before, after) = (shares(2021)?, shares(2023)?);
    let ranking: Vec<String> = surge
        .rows
        .iter()
        .map(|r| format!("{} x{:.2}", r.partner, r.ratio))
        .collect();
    Ok(format!(
        "trade flows (SYNTHETIC data, {} rows ingested, not real statistics):\n  \
         EU27 exports 2022-2023 vs 2019-2021: {}\n  \
         China's share of Russia's CHPL imports (mirror data): {:.1}% in 2021 -> {:.1}% in 2023\n",
        table::thousands(ingested.rows as usize),
        ranking.join(", "),
        cn_share(&before),
        cn_share(&after),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn demo_step_finds_the_2022_break_in_synthetic_data() {
        let data = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let summary = demo_step(data.path(), out.path()).unwrap();
        assert!(summary.contains("SYNTHETIC"), "{summary}");
        let first = summary
            .lines()
            .find(|l| l.contains("EU27 exports"))
            .and_then(|l| l.split(": ").nth(1))
            .unwrap();
        assert!(
            first.starts_with("KG x"),
            "Kyrgyzstan surges most: {summary}"
        );
        assert!(first.trim_end().ends_with(|c: char| c.is_ascii_digit()));
        assert!(
            summary.contains("RU x0."),
            "direct exports to Russia fall: {summary}"
        );
    }

    #[test]
    fn csv_and_table_keep_the_column_order() {
        let rows = [dualtrace_flows::SurgeRow {
            partner: "KG".into(),
            baseline: 1.0,
            period: 7.5,
            ratio: 7.5,
        }];
        let header = ["partner", "baseline", "period", "ratio"];
        let csv = render(OutputFormat::Csv, &header, &rows).unwrap();
        assert_eq!(csv, "partner,baseline,period,ratio\nKG,1.0,7.5,7.5\n");
        let table = render(OutputFormat::Table, &header, &rows).unwrap();
        assert!(table.contains("KG"));
    }
}
