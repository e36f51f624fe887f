//! `dualtrace lists ...`: import, status, diff, show, export, update, rollback.

use crate::progress::Spinner;
use crate::table::{render, thousands};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use dualtrace_lists::store::{Commit, Manifest, SourceFile, Store};
use dualtrace_lists::update::{UpdateConfig, update_list};
use dualtrace_lists::{Format, Input};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The update configuration shipped with dualtrace (the publishers' official URLs).
const DEFAULT_UPDATE_CONFIG: &str = include_str!("../../../config/lists.toml");

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Import list files in an official format as a new version of a list.
    Import(ImportArgs),
    /// Show every list with its current version, hash, counts and import time.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show what changed between two versions of a list (default: previous to current).
    Diff {
        /// The list.
        list: String,
        /// The older version.
        #[arg(long)]
        from: Option<u64>,
        /// The newer version.
        #[arg(long)]
        to: Option<u64>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one entity by id (searched in the current version of every list).
    Show {
        /// The entity id (e.g. ofac-sdn-36).
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export a list version as FollowTheMoney JSON lines.
    Export {
        /// The list.
        list: String,
        /// Output format (only `ftm`).
        #[arg(long, default_value = "ftm")]
        format: String,
        /// The version (default: current).
        #[arg(long)]
        version: Option<u64>,
        /// Write to a file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Download the configured lists from their publishers and import them.
    Update {
        /// The TOML configuration (default: the official URLs shipped with dualtrace).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Only these lists.
        #[arg(long = "list")]
        lists: Vec<String>,
        /// Accept a version that lost more than 20% of the entities.
        #[arg(long)]
        force: bool,
    },
    /// Make the version before the current one current again.
    Rollback {
        /// The list.
        list: String,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format: ofac-sdn-csv, ofac-cons-csv, us-csl-csv, bis-dpl, un-xml, uk-csv, uk-ods,
    /// eu-fsf-xml, eu-fsf-csv, eu-annex-csv, jp-meti-txt, ftm-json.
    pub format: Format,
    /// The files of the list (directories are read for their files).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The list name in the store (default: one per format, e.g. ofac_sdn).
    #[arg(long)]
    pub list: Option<String>,
    /// Accept a version that lost more than 20% of the current one's entities.
    #[arg(long)]
    pub force: bool,
    /// Print the new version's manifest as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: &Path, command: ListsCommand) -> Result<()> {
    let store = Store::open(data_dir)?;
    match command {
        ListsCommand::Import(args) => {
            let commit = import(&store, &args)?;
            print_commit(&commit, args.json)
        }
        ListsCommand::Status { json } => status(&store, json),
        ListsCommand::Diff {
            list,
            from,
            to,
            json,
        } => diff(&store, &list, from, to, json),
        ListsCommand::Show { id, json } => show(&store, &id, json),
        ListsCommand::Export {
            list,
            format,
            version,
            output,
        } => export(&store, &list, &format, version, output.as_deref()),
        ListsCommand::Update {
            config,
            lists,
            force,
        } => update(&store, config.as_deref(), &lists, force),
        ListsCommand::Rollback { list } => {
            let m = store.rollback(&list)?;
            println!(
                "{list}: version {} is current again ({} entities, hash {})",
                m.version,
                thousands(m.entities),
                short(&m.hash)
            );
            Ok(())
        }
    }
}

/// The companion files of an OFAC set found beside its main file.
fn companions(format: Format, main: &Path) -> Vec<PathBuf> {
    let names: &[&str] = match format {
        Format::OfacSdnCsv => &["add.csv", "alt.csv", "sdn_comments.csv"],
        Format::OfacConsCsv => &["cons_add.csv", "cons_alt.csv", "cons_comments.csv"],
        _ => &[],
    };
    let dir = main.parent().unwrap_or(Path::new("."));
    names
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect()
}

/// Expands directories into their files and adds OFAC companion files found beside the main one.
fn resolve_paths(format: Format, given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = Vec::new();
    for p in given {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("reading directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
                .collect();
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file", p.display());
        }
    }
    if out.len() == 1 {
        let extra = companions(format, &out[0]);
        out.extend(extra);
    }
    out.dedup();
    Ok(out)
}

/// Reads, parses and commits list files: the one import path of the CLI and the demo.
pub fn import(store: &Store, args: &ImportArgs) -> Result<Commit> {
    let list = args
        .list
        .clone()
        .unwrap_or_else(|| args.format.default_list().to_string());
    let paths = resolve_paths(args.format, &args.paths)?;
    let spinner = Spinner::start(format!("reading {} file(s)", paths.len()));
    let mut inputs = Vec::with_capacity(paths.len());
    let mut sources = Vec::with_capacity(paths.len());
    for path in &paths {
        spinner.step(format!("reading {}", path.display()));
        let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        sources.push(SourceFile::from_bytes(path.display().to_string(), &data));
        inputs.push(Input::from_bytes(path.display().to_string(), data)?);
    }
    spinner.step(format!("parsing {} as {}", list, args.format));
    let parsed = args.format.parse(&inputs, &list)?;
    spinner.step(format!("storing {} entities", parsed.entities.len()));
    Ok(store.commit(&list, args.format.as_str(), &parsed, sources, args.force)?)
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

fn schema_summary(m: &Manifest) -> String {
    m.by_schema
        .iter()
        .map(|(k, v)| format!("{k} {}", thousands(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_commit(commit: &Commit, json: bool) -> Result<()> {
    let (m, created) = match commit {
        Commit::Created(m) => (m, true),
        Commit::Unchanged(m) => (m, false),
    };
    if json {
        let mut value = serde_json::to_value(m)?;
        value["created"] = json!(created);
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    if created {
        println!(
            "{}: imported version {}: {} entities ({}) from {} records, hash {}",
            m.list,
            m.version,
            thousands(m.entities),
            schema_summary(m),
            thousands(m.records),
            short(&m.hash)
        );
    } else {
        println!(
            "{}: unchanged, version {} is current with the same content (hash {})",
            m.list,
            m.version,
            short(&m.hash)
        );
    }
    if !m.warnings.is_empty() {
        println!("{} warning(s), e.g.:", m.warnings.len());
        for w in m.warnings.iter().take(5) {
            println!("  {w}");
        }
    }
    Ok(())
}

fn status(store: &Store, json: bool) -> Result<()> {
    let mut manifests = Vec::new();
    for list in store.lists()? {
        manifests.push(store.current(&list)?);
    }
    if json {
        let lists: Vec<_> = manifests
            .iter()
            .map(|m| {
                json!({
                    "name": m.list,
                    "version": m.version,
                    "hash": m.hash,
                    "imported_at": m.imported_at,
                    "format": m.format,
                    "entities": m.entities,
                    "records": m.records,
                    "by_schema": m.by_schema,
                    "sources": m.sources,
                    "warnings": m.warnings.len(),
                    "versions": store.versions(&m.list).unwrap_or_default(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "lists": lists }))?
        );
        return Ok(());
    }
    if manifests.is_empty() {
        println!(
            "no lists in {} yet: import one with `dualtrace lists import FORMAT PATH`",
            store.root().display()
        );
        return Ok(());
    }
    let rows: Vec<Vec<String>> = manifests
        .iter()
        .map(|m| {
            vec![
                m.list.clone(),
                m.version.to_string(),
                thousands(m.entities),
                schema_summary(m),
                m.imported_at.clone(),
                short(&m.hash).to_string(),
            ]
        })
        .collect();
    print!(
        "{}",
        render(
            &[
                "LIST",
                "VERSION",
                "ENTITIES",
                "BY SCHEMA",
                "IMPORTED",
                "HASH"
            ],
            &rows
        )
    );
    Ok(())
}

fn diff(store: &Store, list: &str, from: Option<u64>, to: Option<u64>, json: bool) -> Result<()> {
    let d = store.diff(list, from, to)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(());
    }
    println!(
        "{}: version {} -> {}: {} added, {} removed, {} changed",
        d.list,
        d.from,
        d.to,
        thousands(d.added.len()),
        thousands(d.removed.len()),
        thousands(d.changed.len())
    );
    let show = |label: &str, ids: &[String]| {
        if !ids.is_empty() {
            let more = if ids.len() > 20 {
                format!(" ... and {} more", ids.len() - 20)
            } else {
                String::new()
            };
            println!(
                "{label}: {}{more}",
                ids.iter().take(20).cloned().collect::<Vec<_>>().join(", ")
            );
        }
    };
    show("added", &d.added);
    show("removed", &d.removed);
    for c in d.changed.iter().take(20) {
        println!("changed {}: {}", c.id, c.fields.join(", "));
    }
    Ok(())
}

fn show(store: &Store, id: &str, json: bool) -> Result<()> {
    let Some((m, e)) = store.find_entity(id)? else {
        bail!("no entity {id:?} in the current version of any list");
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&e)?);
        return Ok(());
    }
    println!("{} [{}] {}", e.id, e.schema, e.caption());
    println!(
        "list {} version {} (hash {})",
        m.list,
        m.version,
        short(&m.hash)
    );
    let rows: Vec<Vec<String>> = e
        .properties
        .iter()
        .flat_map(|(k, vs)| vs.iter().map(move |v| vec![k.clone(), v.clone()]))
        .collect();
    print!("{}", render(&["PROPERTY", "VALUE"], &rows));
    Ok(())
}

fn export(
    store: &Store,
    list: &str,
    format: &str,
    version: Option<u64>,
    output: Option<&Path>,
) -> Result<()> {
    if format != "ftm" {
        bail!("unknown export format {format:?} (supported: ftm)");
    }
    let version = match version {
        Some(v) => v,
        None => store.current(list)?.version,
    };
    let entities = store.load(list, version)?;
    let mut out: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    for e in &entities {
        serde_json::to_writer(&mut out, e)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn update(store: &Store, config: Option<&Path>, only: &[String], force: bool) -> Result<()> {
    let cfg = match config {
        Some(p) => UpdateConfig::load(p)?,
        None => toml::from_str::<UpdateConfig>(DEFAULT_UPDATE_CONFIG)
            .context("the built-in update configuration")?,
    };
    let mut failures = 0;
    for source in &cfg.lists {
        if (!only.is_empty() && !only.contains(&source.name))
            || (only.is_empty() && source.disabled)
        {
            continue;
        }
        let spinner = Spinner::start(format!("updating {}", source.name));
        let result = update_list(store, source, &cfg.defaults, force);
        drop(spinner);
        match result {
            Ok(commit) => print_commit(&commit, false)?,
            Err(e) => {
                failures += 1;
                eprintln!(
                    "error: {e}; the current version of {} is unchanged",
                    source.name
                );
            }
        }
    }
    if failures > 0 {
        bail!("{failures} list(s) failed to update");
    }
    Ok(())
}
