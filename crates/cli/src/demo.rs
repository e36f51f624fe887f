//! `dualtrace demo`: the main job, offline, on bundled fictional data.
//!
//! The demo files are compiled into the binary, written to a scratch folder and then go through
//! exactly the paths a real user's files take (the official-format parsers, the versioned
//! store), so the demo exercises the product rather than a special case. The run is a sequence
//! of steps (lists, goods, screening, risk, trade flows), each a function printing its own short
//! summary.

use crate::lists_cmd::{ImportArgs, import};
use crate::table::thousands;
use anyhow::{Context, Result};
use clap::Args;
use dualtrace_lists::Format;
use dualtrace_lists::store::{Commit, Store};
use std::path::{Path, PathBuf};

/// The bundled demo files: (relative path, contents). All fictional (see demo/README.md).
const FILES: &[(&str, &str)] = &[
    (
        "lists/demo_sdn/sdn.csv",
        include_str!("../../../demo/lists/demo_sdn/sdn.csv"),
    ),
    (
        "lists/demo_sdn/add.csv",
        include_str!("../../../demo/lists/demo_sdn/add.csv"),
    ),
    (
        "lists/demo_sdn/alt.csv",
        include_str!("../../../demo/lists/demo_sdn/alt.csv"),
    ),
    (
        "lists/demo_allies.ftm.jsonl",
        include_str!("../../../demo/lists/demo_allies.ftm.jsonl"),
    ),
    ("shipments.csv", include_str!("../../../demo/shipments.csv")),
    ("README.md", include_str!("../../../demo/README.md")),
];

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the demo store and reports (default: a `dualtrace-demo` folder in the
    /// system's temporary directory, emptied first).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Writes the bundled files under `dir`.
fn unpack(dir: &Path) -> Result<()> {
    for (rel, text) in FILES {
        let path = dir.join("input").join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

pub fn run(_data_dir: Option<PathBuf>, args: DemoArgs) -> Result<()> {
    let out = match args.out {
        Some(dir) => dir,
        None => {
            let dir = std::env::temp_dir().join("dualtrace-demo");
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .with_context(|| format!("clearing {}", dir.display()))?;
            }
            dir
        }
    };
    unpack(&out)?;
    let input = out.join("input");
    let store = Store::open(out.join("store"))?;
    println!(
        "dualtrace demo: all listed parties below are FICTIONAL (see {}/README.md)",
        input.display()
    );
    println!();
    println!("1. Lists: importing the demo lists through the official-format parsers");
    for (format, path, list) in [
        (
            Format::OfacSdnCsv,
            input.join("lists/demo_sdn/sdn.csv"),
            "demo_sdn",
        ),
        (
            Format::FtmJson,
            input.join("lists/demo_allies.ftm.jsonl"),
            "demo_allies",
        ),
    ] {
        let commit = import(
            &store,
            &ImportArgs {
                format,
                paths: vec![path],
                list: Some(list.to_string()),
                force: false,
                json: false,
            },
        )?;
        let (Commit::Created(m) | Commit::Unchanged(m)) = commit;
        println!(
            "   {:<12} {:>4} entities  version {}  hash {}",
            m.list,
            thousands(m.entities),
            m.version,
            m.hash.get(..12).unwrap_or(&m.hash)
        );
    }
    println!();
    let shipments = input.join("shipments.csv");
    let rows = read_rows(&shipments)?;
    goods(&shipments, &rows, &out.join("goods.jsonl"))?;
    println!();
    parties(&store, &rows)?;
    println!();
    risk(&store, &shipments, &out.join("risk"))?;
    println!();
    flows(store.root(), &out)?;
    println!();
    println!("store:   {}", store.root().display());
    println!(
        "browse:  dualtrace --data-dir {} serve   (lists, screening, goods, flows and this risk run)",
        store.root().display()
    );
    Ok(())
}

/// Step 5: trade flows: a synthetic BACI-format dataset (it says so) through the real ingest and
/// DataFusion reports: the third-country surge and China's share of Russia's CHPL imports. The
/// dataset goes into the store's data directory, where `dualtrace serve` finds it.
fn flows(data_dir: &Path, out: &Path) -> Result<()> {
    println!("5. Trade flows: SYNTHETIC trade data through ingest and the DataFusion reports");
    let summary = crate::flows_cmd::demo_step(data_dir, &out.join("trade"))?;
    for line in summary.lines() {
        println!("   {line}");
    }
    Ok(())
}

/// Step 4: shipment risk: parties x goods x routes into explained red flags and a report.
fn risk(store: &Store, shipments: &Path, output: &Path) -> Result<()> {
    println!("4. Risk: red flags per line (parties, goods, routes, patterns), scored and ranked");
    let result = crate::risk_cmd::assess(
        store,
        shipments,
        output,
        &[],
        dualtrace_risk::RiskConfig::default(),
    )?;
    crate::risk_cmd::print_summary(&result, 8);
    Ok(())
}

/// How many findings of a step are printed (all are in the step's output file).
const SHOWN: usize = 12;

/// One shipment line, by column name.
type Row = std::collections::HashMap<String, String>;

/// Reads the demo shipments once for every step that shows them.
fn read_rows(path: &Path) -> Result<Vec<Row>> {
    let mut rdr = csv::Reader::from_path(path)?;
    Ok(rdr.deserialize::<Row>().collect::<Result<_, _>>()?)
}

/// Step 3: screen every shipper and consignee of the demo shipments against the demo lists.
fn parties(store: &Store, rows: &[Row]) -> Result<()> {
    println!("3. Screening: every consignor and consignee against the loaded lists");
    let index = crate::screen_cmd::load_index(store, &[])?;
    let mut seen = std::collections::BTreeSet::new();
    let mut parties = Vec::new();
    for rec in rows {
        for role in ["consignor", "consignee"] {
            let get = |k: &str| rec.get(&format!("{role}{k}")).cloned().unwrap_or_default();
            let (name, country, id) = (get(""), get("_country"), get("_id"));
            if !name.is_empty() && seen.insert(name.clone()) {
                parties.push((role, name, country, id));
            }
        }
    }
    let opts = dualtrace_matching::ScreenOptions::default();
    let mut flagged = 0;
    for (role, name, country, id) in &parties {
        let query = dualtrace_matching::Query {
            // Shippers and consignees are legal subjects: never a vessel or an aircraft.
            schema: Some(dualtrace_model::Schema::LegalEntity),
            names: vec![name.clone()],
            countries: [country.clone()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect(),
            identifiers: [id.clone()].into_iter().filter(|c| !c.is_empty()).collect(),
            ..dualtrace_matching::Query::default()
        };
        let hits = index.screen(&query, &opts);
        if let Some(top) = hits.first() {
            flagged += 1;
            if flagged > SHOWN {
                continue;
            }
            let entity = index.entity(top.index);
            let list = entity
                .and_then(|e| e.provenance.as_ref())
                .map(|p| format!("{} v{}", p.list, p.version.as_deref().unwrap_or("?")))
                .unwrap_or_default();
            let why = top
                .explanations
                .iter()
                .max_by(|a, b| a.1.weight.total_cmp(&b.1.weight))
                .map(|(k, f)| format!("{k}: {}", f.detail))
                .unwrap_or_default();
            println!(
                "   {role:<9} {name:<48} -> {:.2} {} [{list}] ({why})",
                top.score,
                entity.map(|e| e.caption()).unwrap_or(&top.id),
            );
        }
    }
    if flagged > SHOWN {
        println!("   ... and {} more", flagged - SHOWN);
    }
    println!(
        "   {} of {} parties match a listed entity (threshold {})",
        flagged,
        parties.len(),
        opts.threshold
    );
    Ok(())
}

/// Step 2: classify the demo shipment lines' goods and show what stands out.
fn goods(shipments: &Path, rows: &[Row], output: &Path) -> Result<()> {
    println!("2. Goods: classifying the demo shipment lines against the CHPL and the watch list");
    let classifier = dualtrace_goods::Classifier::new();
    let mut buffer = Vec::new();
    let summary = classifier.classify_csv(
        std::fs::File::open(shipments)?,
        &mut buffer,
        dualtrace_goods::OutputFormat::Jsonl,
    )?;
    std::fs::write(output, &buffer)?;
    println!(
        "   {} lines: {} CHPL goods, {} on the watch list, {} possible misdeclarations, {} bad codes",
        summary.rows, summary.chpl, summary.watch, summary.misdeclarations, summary.errors
    );
    let mut shown = 0;
    for line in String::from_utf8_lossy(&buffer).lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        if let Some(m) = v.get("misdeclaration").filter(|m| !m.is_null()) {
            shown += 1;
            if shown > SHOWN / 2 {
                continue;
            }
            let row = v["row"].as_u64().unwrap_or(0);
            // Shown to people as the file's line number (header = line 1).
            let text = usize::try_from(row)
                .ok()
                .and_then(|r| rows.get(r))
                .and_then(|r| r.get("description"))
                .map(String::as_str)
                .unwrap_or("");
            println!(
                "   line {}: declared {} but \"{text}\" points to {} (CHPL tier {})",
                row + 2,
                v["hs6"].as_str().unwrap_or("?"),
                m["suggested_hs6"].as_str().unwrap_or("?"),
                m["chpl_tier"].as_str().unwrap_or("?")
            );
        }
    }
    if shown > SHOWN / 2 {
        println!("   ... and {} more", shown - SHOWN / 2);
    }
    println!("   details: {}", output.display());
    Ok(())
}
