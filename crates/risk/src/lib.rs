//! Shipment risk: which lines of a shipments or customs-declarations file to stop, which to
//! investigate, and why, in a report that stands up later.
//!
//! * [`shipments`]: the input CSV, columns by name, clear errors naming file, line and field.
//! * [`parties`]: shippers, consignees and notify parties screened once each against the lists
//!   (names, identifiers, addresses), analysts' false positives suppressed.
//! * [`engine`]: the red-flag rules (party, identifier, address, goods, misdeclaration, route,
//!   pattern), scores and levels per line and per party.
//! * [`config`]: points and thresholds, from TOML.
//! * [`decisions`]: the analysts' decision log (SQLite) that feeds the screening allow-list.
//! * [`audit`], [`report`], [`html`]: the record of a run and its outputs; [`latest`]: the
//!   data directory's record of its latest run (read by the server's dashboard).
//! * [`synth`]: generated lines for benchmarks.
//!
//! [`run`] ties them together for one input file; [`assess_bytes`] does the same for bytes
//! without writing a report.

pub mod audit;
pub mod config;
pub mod decisions;
pub mod engine;
pub mod flag;
pub mod html;
pub mod latest;
pub mod parties;
pub mod report;
pub mod shipments;
pub mod synth;

pub use config::{ConfigError, RiskConfig};
pub use decisions::{Decision, DecisionError, DecisionLog, Verdict};
pub use engine::{Assessment, Engine, Level, LineRisk, PartyRisk};
pub use flag::{Flag, FlagKind};
pub use latest::{LatestError, RunSummary};
pub use report::{ReportError, ReportFiles};
pub use shipments::{Shipment, ShipmentError, ShipmentFile, read_shipments};

use dualtrace_lists::store::Manifest;
use dualtrace_matching::{AllowList, Index};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Any failure of a risk run.
#[derive(Debug, thiserror::Error)]
pub enum RiskError {
    /// The shipments file is bad.
    #[error(transparent)]
    Shipments(#[from] ShipmentError),
    /// The configuration is bad.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The decision log could not be read.
    #[error(transparent)]
    Decisions(#[from] DecisionError),
    /// A report file could not be written.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The input file could not be read.
    #[error("reading {}: {source}", file.display())]
    Input {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// What a run needs besides the input file.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Points and thresholds.
    pub config: RiskConfig,
    /// The manifests of the list versions in the index (for the audit record).
    pub lists: Vec<Manifest>,
    /// Restrict screening to these lists.
    pub list_filter: Option<Vec<String>>,
    /// The analysts' false-positive decisions.
    pub allow: Option<Arc<AllowList>>,
    /// Where the decisions came from (for the audit record).
    pub decisions_path: Option<PathBuf>,
}

/// A run's lines, assessment and audit record, before any report file is written.
#[derive(Debug, Clone)]
pub struct Assessed {
    /// The lines read.
    pub shipments: Vec<Shipment>,
    /// The assessment.
    pub assessment: Assessment,
    /// The audit record of the run.
    pub audit: audit::Audit,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The lines read.
    pub shipments: Vec<Shipment>,
    /// The assessment.
    pub assessment: Assessment,
    /// The audit record written.
    pub audit: audit::Audit,
    /// The files written.
    pub files: ReportFiles,
}

impl RunResult {
    /// The summary of this run that [`latest::record_latest`] keeps: the audit record, the
    /// `top` highest-ranked flagged lines and parties, and the report folder.
    pub fn summary(&self, top: usize) -> latest::RunSummary {
        let dir = self.files.audit.parent().unwrap_or(Path::new(""));
        latest::RunSummary::new(
            &self.shipments,
            &self.assessment,
            &self.audit,
            Some(dir),
            top,
        )
    }
}

/// Reads `input`, assesses it against `index` and writes the report into `output`.
pub fn run(
    input: &Path,
    output: &Path,
    index: &Index,
    options: RunOptions,
) -> Result<RunResult, RiskError> {
    let started_at = audit::now();
    let bytes = std::fs::read(input).map_err(|source| RiskError::Input {
        file: input.to_owned(),
        source,
    })?;
    let assessed = assess_from(started_at, input, &bytes, index, options)?;
    drop(bytes);
    let files = report::write_report(
        output,
        &assessed.shipments,
        &assessed.assessment,
        &assessed.audit,
    )?;
    Ok(RunResult {
        shipments: assessed.shipments,
        assessment: assessed.assessment,
        audit: assessed.audit,
        files,
    })
}

/// Assesses the bytes of a shipments file against `index` without writing anything; `name`
/// labels the input in errors and in the audit record (the server passes its request body).
pub fn assess_bytes(
    name: &Path,
    bytes: &[u8],
    index: &Index,
    options: RunOptions,
) -> Result<Assessed, RiskError> {
    assess_from(audit::now(), name, bytes, index, options)
}

fn assess_from(
    started_at: String,
    name: &Path,
    bytes: &[u8],
    index: &Index,
    options: RunOptions,
) -> Result<Assessed, RiskError> {
    let file = shipments::parse_shipments(name, bytes)?;
    let input_record = audit::InputRecord::new(
        &name.display().to_string(),
        bytes,
        file.shipments.len(),
        file.extra_columns.clone(),
    );
    let false_positives = options.allow.as_ref().map_or(0, |a| a.len());
    let engine = Engine::new(
        index,
        options.config.clone(),
        options.allow.clone(),
        options.list_filter.clone(),
    );
    let assessment = engine.assess(&file.shipments);
    let audit = audit::Audit {
        engine: audit::EngineRecord::default(),
        started_at,
        finished_at: audit::now(),
        input: input_record,
        lists: options.lists.iter().map(audit::ListRecord::from).collect(),
        list_filter: options.list_filter.clone(),
        goods: audit::GoodsRecord::default(),
        config: options.config,
        decisions: audit::DecisionsRecord {
            path: options.decisions_path.map(|p| p.display().to_string()),
            false_positives,
        },
        counts: audit::Counts::of(&assessment),
        goods_errors: assessment.goods_errors.iter().take(100).cloned().collect(),
    };
    Ok(Assessed {
        shipments: file.shipments,
        assessment,
        audit,
    })
}
