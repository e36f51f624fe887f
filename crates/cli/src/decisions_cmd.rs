//! `dualtrace decisions`: the analysts' decision log (mark a hit as a true or false positive,
//! list the decisions), and the allow-list it gives `screen` and `risk`.

use crate::table::render;
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use dualtrace_matching::AllowList;
use dualtrace_risk::decisions::FILE_NAME;
use dualtrace_risk::{DecisionLog, Verdict};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum DecisionsCommand {
    /// Record a decision about a hit: the party's query fingerprint and the listed entity.
    Mark(MarkArgs),
    /// List every decision, oldest first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct MarkArgs {
    /// The party's query fingerprint (printed by `screen --json` and in the risk evidence).
    #[arg(long)]
    pub fingerprint: String,
    /// The listed entity's id.
    #[arg(long)]
    pub entity: String,
    /// true-positive or false-positive.
    #[arg(long)]
    pub verdict: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
    /// Who decides.
    #[arg(long)]
    pub who: String,
}

pub fn run(data_dir: &Path, command: DecisionsCommand) -> Result<()> {
    let log = DecisionLog::in_data_dir(data_dir)?;
    match command {
        DecisionsCommand::Mark(a) => {
            let verdict = Verdict::parse(&a.verdict).ok_or_else(|| {
                anyhow!(
                    "--verdict {:?}: expected true-positive or false-positive",
                    a.verdict
                )
            })?;
            let d = log.mark(&a.fingerprint, &a.entity, verdict, &a.reason, &a.who)?;
            println!(
                "recorded #{}: {} is {} for {} ({}, {}) in {}",
                d.seq,
                d.entity_id,
                d.verdict.as_str(),
                d.fingerprint,
                d.who,
                d.when,
                log.file().display()
            );
        }
        DecisionsCommand::List { json } => {
            let all = log.list()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|d| {
                    vec![
                        d.seq.to_string(),
                        d.when.clone(),
                        d.verdict.as_str().to_owned(),
                        d.fingerprint.clone(),
                        d.entity_id.clone(),
                        d.who.clone(),
                        d.reason.clone(),
                    ]
                })
                .collect();
            print!(
                "{}",
                render(
                    &[
                        "#",
                        "WHEN",
                        "VERDICT",
                        "FINGERPRINT",
                        "ENTITY",
                        "WHO",
                        "REASON"
                    ],
                    &rows
                )
            );
        }
    }
    Ok(())
}

/// The decision log's allow-list when `<data-dir>/decisions.sqlite` exists.
pub fn logged_allow(data_dir: &Path) -> Result<Option<(PathBuf, AllowList)>> {
    let file = data_dir.join(FILE_NAME);
    if !file.exists() {
        return Ok(None);
    }
    let allow = DecisionLog::open(&file)?.allow_list()?;
    Ok(Some((file, allow)))
}

/// The allow-list files given on the command line merged over the decision log's (the files'
/// entries win on the same fingerprint and entity).
pub fn with_logged(
    data_dir: &Path,
    files: Option<Arc<AllowList>>,
) -> Result<Option<Arc<AllowList>>> {
    let Some((_, mut allow)) = logged_allow(data_dir)? else {
        return Ok(files);
    };
    if let Some(files) = files {
        allow.extend((*files).clone());
    }
    Ok(Some(Arc::new(allow)))
}
