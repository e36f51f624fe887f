//! `dualtrace risk`: shipment lines into explained red flags and a report; `dualtrace gen
//! shipments`: synthetic lines for benchmarks.

use crate::table::{render, thousands};
use anyhow::{Context, Result};
use clap::Args;
use dualtrace_lists::store::Store;
use dualtrace_risk::{Level, RiskConfig, RunOptions, RunResult};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct RiskArgs {
    /// The shipments CSV (columns by name: date, consignor, consignor_country, consignor_id,
    /// consignor_address, consignee, ..., hs_code, description, value, currency, ...).
    #[arg(long)]
    pub input: PathBuf,
    /// The report folder (lines.jsonl, lines.csv, parties.csv, audit.json, report.html).
    #[arg(long)]
    pub output: PathBuf,
    /// Only screen against these lists (repeat the flag); default: every list in the store.
    #[arg(long = "list")]
    pub lists: Vec<String>,
    /// A TOML file of points and thresholds (see `dualtrace_risk::config`).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Override the high-level threshold (score 0..100).
    #[arg(long)]
    pub high: Option<f64>,
    /// Override the medium-level threshold (score 0..100).
    #[arg(long)]
    pub medium: Option<f64>,
    /// Override the screening threshold of party matches (0..1).
    #[arg(long)]
    pub screen_threshold: Option<f64>,
    /// How many top lines to print.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Debug, Args)]
pub struct GenShipmentsArgs {
    /// How many lines.
    #[arg(long)]
    pub rows: usize,
    /// Where to write the CSV.
    #[arg(long)]
    pub out: PathBuf,
    /// The random seed (the same seed gives the same file).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `dualtrace gen shipments`: synthetic shipment lines (invented names) for benchmarks.
pub fn run_gen_shipments(args: GenShipmentsArgs) -> Result<()> {
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let mut w = std::io::BufWriter::new(file);
    dualtrace_risk::synth::write_shipments(&mut w, args.rows, args.seed)
        .and_then(|()| std::io::Write::flush(&mut w))
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "{} lines written to {}",
        thousands(args.rows),
        args.out.display()
    );
    Ok(())
}

/// The configuration: the file (or defaults) with the command-line overrides, checked.
fn config(args: &RiskArgs) -> Result<RiskConfig> {
    let mut config = match &args.config {
        Some(path) => RiskConfig::load(path)?,
        None => RiskConfig::default(),
    };
    if let Some(v) = args.high {
        config.levels.high = v;
    }
    if let Some(v) = args.medium {
        config.levels.medium = v;
    }
    if let Some(v) = args.screen_threshold {
        config.screen_threshold = v;
    }
    config
        .check()
        .map_err(|e| anyhow::anyhow!("risk settings: {e}"))?;
    Ok(config)
}

pub fn run(store: &Store, args: RiskArgs) -> Result<()> {
    let config = config(&args)?;
    let result = assess(store, &args.input, &args.output, &args.lists, config)?;
    print_summary(&result, args.top);
    Ok(())
}

/// Loads the lists and the decision log of `store`, runs the risk engine on `input`, writes
/// the report into `output` and records the run as the store's latest
/// (`<data-dir>/risk/latest.json`, what `dualtrace serve` shows).
pub fn assess(
    store: &Store,
    input: &Path,
    output: &Path,
    lists: &[String],
    config: RiskConfig,
) -> Result<RunResult> {
    let (index, manifests) = crate::screen_cmd::load_lists(store, lists)?;
    let logged = crate::decisions_cmd::logged_allow(store.root())?;
    let (decisions_path, allow) = match logged {
        Some((path, allow)) => (Some(path), Some(Arc::new(allow))),
        None => (None, None),
    };
    let options = RunOptions {
        config,
        lists: manifests,
        list_filter: (!lists.is_empty()).then(|| lists.to_vec()),
        allow,
        decisions_path,
    };
    let result = dualtrace_risk::run(input, output, &index, options)?;
    dualtrace_risk::latest::record_latest(
        store.root(),
        &result.summary(dualtrace_risk::latest::RECORDED_TOP),
    )?;
    Ok(result)
}

/// Prints lines by level, the top flagged lines and where the report is.
pub fn print_summary(result: &RunResult, top: usize) {
    let counts = &result.audit.counts;
    let by_level: Vec<String> = Level::ALL
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                counts.by_level.get(l.as_str()).copied().unwrap_or(0),
                l.as_str()
            )
        })
        .collect();
    println!(
        "   {} lines: {}; {} of {} parties on flagged lines; {} suppressed hits",
        thousands(counts.lines),
        by_level.join(", "),
        counts.parties_flagged,
        counts.parties,
        counts.suppressed_hits
    );
    let ranked = dualtrace_risk::report::ranked(&result.assessment.lines);
    let rows: Vec<Vec<String>> = ranked
        .into_iter()
        .filter(|at| !result.assessment.lines[*at].flags.is_empty())
        .take(top)
        .map(|at| {
            let (l, s) = (&result.assessment.lines[at], &result.shipments[at]);
            let mut kinds: Vec<&str> = Vec::new();
            for f in &l.flags {
                if !kinds.contains(&f.kind.as_str()) {
                    kinds.push(f.kind.as_str());
                }
            }
            vec![
                s.line.to_string(),
                format!("{:.0}", l.score),
                l.level.as_str().to_owned(),
                s.consignor.name.chars().take(34).collect(),
                s.consignee.name.chars().take(30).collect(),
                s.route_label(),
                kinds.join(","),
            ]
        })
        .collect();
    if !rows.is_empty() {
        print!(
            "{}",
            render(
                &[
                    "LINE",
                    "SCORE",
                    "LEVEL",
                    "CONSIGNOR",
                    "CONSIGNEE",
                    "ROUTE",
                    "FLAGS"
                ],
                &rows
            )
        );
    }
    println!("   report: {}", result.files.html.display());
    println!(
        "   lines:  {} (ranked: {}), audit: {}",
        result.files.lines_jsonl.display(),
        result.files.lines_csv.display(),
        result.files.audit.display()
    );
}
