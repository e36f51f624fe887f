//! `dualtrace goods ...`: look up a tariff code, classify a file of shipment lines.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use dualtrace_goods::{Classifier, HsVersion, Lookup, Nomenclature, OutputFormat};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum GoodsCommand {
    /// Show a code's CHPL tier, tier meaning, HS description and watch-list entry.
    Lookup {
        /// The code as written: 8542.31.0015, 8542 31 00, 85423100, 854231, ...
        code: String,
        /// The HS edition of the code (2022 or 2017).
        #[arg(long, default_value = "2022")]
        hs_version: String,
        /// An HS nomenclature CSV of that edition (section,hscode,description,parent,level),
        /// for descriptions.
        #[arg(long, env = "DUALTRACE_HS_NOMENCLATURE")]
        nomenclature: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Classify a CSV of shipment lines (columns hs_code, description, optional hs_version).
    Classify {
        /// The input CSV.
        #[arg(long)]
        input: PathBuf,
        /// Where to write the result (default: stdout).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Output format: csv or jsonl.
        #[arg(long, default_value = "csv")]
        format: String,
        /// An HS 2022 nomenclature CSV, to reject codes that do not exist.
        #[arg(long, env = "DUALTRACE_HS_NOMENCLATURE")]
        nomenclature: Option<PathBuf>,
    },
}

fn classifier(nomenclature: Option<&Path>, version: HsVersion) -> Result<Classifier> {
    let mut c = Classifier::new();
    if let Some(path) = nomenclature {
        c = c.with_nomenclature(Nomenclature::from_path(path, version)?);
    }
    Ok(c)
}

pub fn run(command: GoodsCommand) -> Result<()> {
    match command {
        GoodsCommand::Lookup {
            code,
            hs_version,
            nomenclature,
            json,
        } => {
            let version = HsVersion::parse(&hs_version)?;
            let lookup = classifier(nomenclature.as_deref(), version)?.lookup(&code, version)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&lookup)?);
            } else {
                print_lookup(&lookup);
            }
            Ok(())
        }
        GoodsCommand::Classify {
            input,
            output,
            format,
            nomenclature,
        } => {
            let format = match format.as_str() {
                "csv" => OutputFormat::Csv,
                "jsonl" => OutputFormat::Jsonl,
                other => bail!("unknown output format {other:?} (csv or jsonl)"),
            };
            let classifier = classifier(nomenclature.as_deref(), HsVersion::Hs2022)?;
            let reader = std::fs::File::open(&input)
                .with_context(|| format!("opening {}", input.display()))?;
            let writer: Box<dyn Write> = match &output {
                Some(p) => Box::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let summary = classifier
                .classify_csv(
                    std::io::BufReader::new(reader),
                    std::io::BufWriter::new(writer),
                    format,
                )
                .with_context(|| format!("classifying {}", input.display()))?;
            eprintln!(
                "{} lines: {} on the CHPL ({} partly), {} on the watch list, {} possible misdeclarations, {} bad",
                summary.rows,
                summary.chpl,
                summary.partial,
                summary.watch,
                summary.misdeclarations,
                summary.errors
            );
            for bad in &summary.bad_rows {
                eprintln!(
                    "  {}: line {} (row {}): {}",
                    input.display(),
                    bad.line,
                    bad.row,
                    bad.message
                );
            }
            Ok(())
        }
    }
}

fn print_lookup(l: &Lookup) {
    let hs6 = l.hs6.as_deref().unwrap_or("-");
    println!(
        "{} (HS {}): HS-6 {hs6}, heading {}, chapter {}",
        l.code,
        l.version,
        l.hs4.as_deref().unwrap_or("-"),
        l.chapter
    );
    if let Some(d) = &l.description {
        println!("  description: {d}");
    }
    match l.chpl_tier {
        Some(tier) => {
            let partial = if l.partial {
                " (partly: only some goods under this code)"
            } else {
                ""
            };
            println!(
                "  CHPL tier {tier}{partial} — {} [CHPL version {}]",
                l.tier_meaning.unwrap_or(""),
                l.chpl_version
            );
            for m in &l.chpl {
                println!("    -> {} ({}) {}", m.item.hs6, m.item.tier, m.note);
            }
        }
        None => println!("  not on the CHPL (version {})", l.chpl_version),
    }
    if let Some(w) = &l.watch {
        println!(
            "  watch list: {} — {}: {} [{} {}]",
            w.id, w.name, w.reason, w.source, w.date
        );
    }
}
