//! The audit record of a run: everything needed to reproduce a decision later.
//!
//! A line flagged today must be explainable in a year: which input file (its SHA-256), which
//! list versions (name, version number, content hash), which goods list (CHPL version), which
//! engine version, which thresholds and points, which analysts' decisions were in force, and
//! what came out (counts by level and flag kind). The record is written as `audit.json` beside
//! the report of every run.

use crate::config::RiskConfig;
use crate::engine::{Assessment, Level};
use crate::flag::FlagKind;
use dualtrace_lists::store::Manifest;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The engine that produced a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineRecord {
    /// Crate name.
    pub name: String,
    /// Crate version.
    pub version: String,
}

impl Default for EngineRecord {
    fn default() -> Self {
        EngineRecord {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// The input file of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputRecord {
    /// The path as given.
    pub path: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
    /// Data rows read.
    pub rows: usize,
    /// Columns present but not used.
    pub extra_columns: Vec<String>,
}

impl InputRecord {
    /// The record of a file's bytes.
    pub fn new(path: &str, bytes: &[u8], rows: usize, extra_columns: Vec<String>) -> Self {
        InputRecord {
            path: path.to_owned(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len() as u64,
            rows,
            extra_columns,
        }
    }
}

/// One list version used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRecord {
    /// List name in the store.
    pub name: String,
    /// Version number.
    pub version: u64,
    /// Content hash (SHA-256 of the canonical entities).
    pub hash: String,
    /// Entities.
    pub entities: usize,
    /// Source format.
    pub format: String,
    /// When the version was imported.
    pub imported_at: String,
}

impl From<&Manifest> for ListRecord {
    fn from(m: &Manifest) -> Self {
        ListRecord {
            name: m.list.clone(),
            version: m.version,
            hash: m.hash.clone(),
            entities: m.entities,
            format: m.format.clone(),
            imported_at: m.imported_at.clone(),
        }
    }
}

/// The goods lists used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoodsRecord {
    /// CHPL version screened against.
    pub chpl_version: String,
    /// CHPL codes in that version.
    pub chpl_codes: usize,
    /// Watch-list items.
    pub watch_items: usize,
    /// The goods classifier crate version.
    pub classifier: String,
}

impl Default for GoodsRecord {
    fn default() -> Self {
        let lists = dualtrace_goods::ControlLists::builtin();
        let version = lists.chpl.current_version().to_owned();
        GoodsRecord {
            chpl_codes: lists.chpl.codes_at(&version).len(),
            chpl_version: version,
            watch_items: lists.watch.items().len(),
            classifier: format!("dualtrace-goods {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The analysts' decisions in force during a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionsRecord {
    /// The decision log file, if one was read.
    pub path: Option<String>,
    /// False-positive decisions in force.
    pub false_positives: usize,
}

/// What came out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Lines assessed.
    pub lines: usize,
    /// Lines by level.
    pub by_level: BTreeMap<String, usize>,
    /// Flags by kind (all lines).
    pub flags_by_kind: BTreeMap<String, usize>,
    /// Distinct parties screened.
    pub parties: usize,
    /// Parties with a flagged line.
    pub parties_flagged: usize,
    /// Party hits suppressed by analysts' decisions (line occurrences).
    pub suppressed_hits: usize,
    /// Lines whose tariff code could not be read.
    pub goods_errors: usize,
}

impl Counts {
    /// The counts of an assessment.
    pub fn of(a: &Assessment) -> Counts {
        let mut by_level: BTreeMap<String, usize> = Level::ALL
            .iter()
            .map(|l| (l.as_str().to_owned(), 0))
            .collect();
        let mut flags_by_kind: BTreeMap<String, usize> = FlagKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), 0))
            .collect();
        for line in &a.lines {
            *by_level.entry(line.level.as_str().to_owned()).or_default() += 1;
            for f in &line.flags {
                *flags_by_kind.entry(f.kind.as_str().to_owned()).or_default() += 1;
            }
        }
        Counts {
            lines: a.lines.len(),
            by_level,
            flags_by_kind,
            parties: a.parties.len(),
            parties_flagged: a.parties.iter().filter(|p| p.flagged_lines > 0).count(),
            suppressed_hits: a.lines.iter().map(|l| l.suppressed.len()).sum(),
            goods_errors: a.goods_errors.len(),
        }
    }
}

/// The audit record of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Audit {
    /// The engine.
    pub engine: EngineRecord,
    /// When the run started (UTC, RFC 3339).
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
    /// The input file.
    pub input: InputRecord,
    /// The list versions screened against.
    pub lists: Vec<ListRecord>,
    /// Lists the run was restricted to (`--list`), if any.
    pub list_filter: Option<Vec<String>>,
    /// The goods lists.
    pub goods: GoodsRecord,
    /// The thresholds and points.
    pub config: RiskConfig,
    /// The decisions in force.
    pub decisions: DecisionsRecord,
    /// The counts.
    pub counts: Counts,
    /// The first lines whose tariff code could not be read (at most 100).
    pub goods_errors: Vec<String>,
}

/// The current time as an RFC 3339 UTC timestamp.
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_record_hashes_the_bytes() {
        let r = InputRecord::new("a.csv", b"abc", 0, vec![]);
        assert_eq!(
            r.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(r.bytes, 3);
        let g = GoodsRecord::default();
        assert!(!g.chpl_version.is_empty() && g.chpl_codes > 0 && g.watch_items > 0);
    }
}
