//! The latest run of a data directory: `<data-dir>/risk/latest.json`.
//!
//! `dualtrace risk` writes its report wherever `--output` says; the server (dashboard and
//! `GET /api/v1/risk/latest`) must find the most recent run without being told where. So each
//! run also records a [`RunSummary`] in the data directory: its whole audit record, the
//! highest-ranked flagged lines and parties with their reasons, and the absolute path of the
//! report folder. The file is written under a temporary name and renamed into place, so a
//! reader sees the previous run or the new one, never half of either. The summary has its own
//! plain shapes (strings for levels and flag kinds) so that it reads back without the engine.

use crate::audit::Audit;
use crate::engine::{Assessment, LineRisk, PartyRisk};
use crate::parties::Finding;
use crate::report::{ranked, write_atomic};
use crate::shipments::Shipment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The folder of the record under the data directory.
pub const LATEST_DIR: &str = "risk";
/// The record's file name.
pub const LATEST_FILE: &str = "latest.json";
/// How many flagged lines and parties `dualtrace risk` keeps in the record.
pub const RECORDED_TOP: usize = 100;

/// The record could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum LatestError {
    /// Reading or writing the file failed.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a run summary (written by another version, or damaged).
    #[error("{}: not a risk run summary: {source}", file.display())]
    Json {
        /// The file.
        file: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
}

/// A run in short: what the dashboard shows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// The report folder (absolute), when the run wrote one.
    pub report_dir: Option<String>,
    /// The run's audit record (input hash, list versions, thresholds, counts).
    pub audit: Audit,
    /// The highest-scoring lines that have at least one flag, ranked.
    pub top_lines: Vec<TopLine>,
    /// The highest-scoring parties with at least one flagged line, ranked.
    pub top_parties: Vec<TopParty>,
}

/// One ranked line with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopLine {
    /// 1-based rank among all lines.
    pub rank: usize,
    /// 0-based data row of the input.
    pub row: usize,
    /// 1-based line of the input file.
    pub line: u64,
    /// 0..100.
    pub score: f64,
    /// `high`, `medium`, `low` or `none`.
    pub level: String,
    /// The date as written.
    pub date: String,
    /// The shipper's name.
    pub consignor: String,
    /// The shipper's country.
    pub consignor_country: Option<String>,
    /// The receiver's name.
    pub consignee: String,
    /// The receiver's country.
    pub consignee_country: Option<String>,
    /// Origin > dispatch > destination.
    pub route: String,
    /// The declared tariff code.
    pub hs_code: String,
    /// The best CHPL tier of the goods.
    pub chpl_tier: Option<String>,
    /// The declared value.
    pub value: Option<f64>,
    /// Its currency.
    pub currency: String,
    /// Every reason, strongest first.
    pub flags: Vec<TopFlag>,
}

/// One reason of a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopFlag {
    /// The rule (`party`, `goods`, `route`, ...).
    pub kind: String,
    /// What it found, in words.
    pub detail: String,
    /// Points it added to the score.
    pub points: f64,
    /// The evidence (listed entity, list version, score, explanation, ...).
    pub evidence: serde_json::Value,
}

/// One ranked party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopParty {
    /// 1-based rank among all parties.
    pub rank: usize,
    /// The name as written.
    pub name: String,
    /// Its country.
    pub country: Option<String>,
    /// Its identifier.
    pub id: String,
    /// Roles it appears in.
    pub roles: Vec<String>,
    /// Lines it appears on.
    pub lines: usize,
    /// Lines of it with a flag.
    pub flagged_lines: usize,
    /// The highest score of its lines.
    pub score: f64,
    /// The level of that score.
    pub level: String,
    /// Distinct reasons of its flagged lines.
    pub reasons: Vec<String>,
    /// Listed entities it was found to be or resemble: `kind entity_id [list vN]`, with
    /// ` (suppressed)` when an analyst marked it a false positive.
    pub listed_entities: Vec<String>,
}

impl RunSummary {
    /// The summary of an assessment: at most `top` flagged lines and flagged parties.
    pub fn new(
        shipments: &[Shipment],
        assessment: &Assessment,
        audit: &Audit,
        report_dir: Option<&Path>,
        top: usize,
    ) -> RunSummary {
        let top_lines = ranked(&assessment.lines)
            .into_iter()
            .enumerate()
            .filter(|(_, at)| !assessment.lines[*at].flags.is_empty())
            .take(top)
            .filter_map(|(rank, at)| {
                let shipment = shipments.get(at)?;
                Some(top_line(rank + 1, &assessment.lines[at], shipment))
            })
            .collect();
        let top_parties = assessment
            .parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.flagged_lines > 0)
            .take(top)
            .map(|(rank, p)| top_party(rank + 1, p))
            .collect();
        RunSummary {
            report_dir: report_dir.map(|d| absolute(d).display().to_string()),
            audit: audit.clone(),
            top_lines,
            top_parties,
        }
    }
}

fn top_line(rank: usize, l: &LineRisk, s: &Shipment) -> TopLine {
    TopLine {
        rank,
        row: l.row,
        line: s.line,
        score: l.score,
        level: l.level.as_str().to_owned(),
        date: s.date.clone(),
        consignor: s.consignor.name.clone(),
        consignor_country: s.consignor.country.clone(),
        consignee: s.consignee.name.clone(),
        consignee_country: s.consignee.country.clone(),
        route: s.route_label(),
        hs_code: s.hs_code.clone(),
        chpl_tier: l.tier.map(|t| t.as_str().to_owned()),
        value: s.value,
        currency: s.currency.clone(),
        flags: l
            .flags
            .iter()
            .map(|f| TopFlag {
                kind: f.kind.as_str().to_owned(),
                detail: f.detail.to_string(),
                points: f.points,
                evidence: (*f.evidence).clone(),
            })
            .collect(),
    }
}

fn top_party(rank: usize, p: &PartyRisk) -> TopParty {
    TopParty {
        rank,
        name: p.name.clone(),
        country: p.country.clone(),
        id: p.id.clone(),
        roles: p.roles.clone(),
        lines: p.lines,
        flagged_lines: p.flagged_lines,
        score: p.score,
        level: p.level.as_str().to_owned(),
        reasons: p.reasons.clone(),
        listed_entities: p.findings.iter().map(Finding::label).collect(),
    }
}

/// The path itself when it cannot be resolved.
fn absolute(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_owned())
}

/// `<data-dir>/risk/latest.json`.
pub fn latest_path(data_dir: &Path) -> PathBuf {
    data_dir.join(LATEST_DIR).join(LATEST_FILE)
}

/// Records `summary` as the data directory's latest run (temporary file, then rename).
pub fn record_latest(data_dir: &Path, summary: &RunSummary) -> Result<PathBuf, LatestError> {
    let path = latest_path(data_dir);
    let io = |file: &Path| {
        let file = file.to_owned();
        move |source| LatestError::Io { file, source }
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    write_atomic(&path, |w| {
        serde_json::to_writer_pretty(&mut *w, summary).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
    .map_err(io(&path))?;
    Ok(path)
}

/// The data directory's latest run, or `None` when no run was recorded.
pub fn read_latest(data_dir: &Path) -> Result<Option<RunSummary>, LatestError> {
    let path = latest_path(data_dir);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(LatestError::Io { file: path, source }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| LatestError::Json { file: path, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Counts, DecisionsRecord, EngineRecord, GoodsRecord, InputRecord};
    use crate::engine::Level;
    use crate::flag::{Flag, FlagKind};
    use std::sync::Arc;

    fn shipment(row: usize, consignor: &str) -> Shipment {
        let mut s = Shipment {
            row,
            line: row as u64 + 2,
            hs_code: "8542.31".into(),
            currency: "USD".into(),
            value: Some(100.0),
            ..Shipment::default()
        };
        s.consignor.name = consignor.into();
        s.consignee.name = "Fictional Receiver OOO".into();
        s.destination_country = Some("RU".into());
        s
    }

    fn line(row: usize, score: f64, level: Level, flagged: bool) -> LineRisk {
        LineRisk {
            row,
            score,
            level,
            flags: if flagged {
                vec![Flag {
                    kind: FlagKind::Goods,
                    detail: Arc::from("CHPL tier 1 goods"),
                    evidence: Arc::new(serde_json::json!({"tier": "1"})),
                    points: score,
                }]
            } else {
                Vec::new()
            },
            suppressed: Vec::new(),
            tier: None,
            critical: flagged,
        }
    }

    fn sample() -> (Vec<Shipment>, Assessment, Audit) {
        let shipments = vec![
            shipment(0, "Quiet Fictional Ltd"),
            shipment(1, "<b>Loud</b> Fictional Ltd"),
            shipment(2, "Middle Fictional Ltd"),
        ];
        let assessment = Assessment {
            lines: vec![
                line(0, 0.0, Level::None, false),
                line(1, 80.0, Level::High, true),
                line(2, 30.0, Level::Low, true),
            ],
            parties: Vec::new(),
            goods_errors: Vec::new(),
        };
        let audit = Audit {
            engine: EngineRecord::default(),
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:01Z".into(),
            input: InputRecord::new("in.csv", b"x", 3, Vec::new()),
            lists: Vec::new(),
            list_filter: None,
            goods: GoodsRecord::default(),
            config: crate::RiskConfig::default(),
            decisions: DecisionsRecord::default(),
            counts: Counts::of(&assessment),
            goods_errors: Vec::new(),
        };
        (shipments, assessment, audit)
    }

    #[test]
    fn keeps_the_flagged_lines_in_rank_order() {
        let (shipments, assessment, audit) = sample();
        let s = RunSummary::new(&shipments, &assessment, &audit, None, 10);
        let got: Vec<(usize, usize, &str)> = s
            .top_lines
            .iter()
            .map(|l| (l.rank, l.row, l.level.as_str()))
            .collect();
        assert_eq!(got, [(1, 1, "high"), (2, 2, "low")]);
        assert_eq!(s.top_lines[0].consignor, "<b>Loud</b> Fictional Ltd");
        assert_eq!(s.top_lines[0].flags[0].kind, "goods");
        assert_eq!(s.top_lines[0].route, "RU");
        assert_eq!(s.audit.counts.by_level["none"], 1);
        assert_eq!(s.report_dir, None);
        let one = RunSummary::new(&shipments, &assessment, &audit, None, 1);
        assert_eq!(one.top_lines.len(), 1);
    }

    #[test]
    fn records_and_reads_back_the_latest_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(read_latest(dir.path()).expect("no record").is_none());
        let (shipments, assessment, audit) = sample();
        let report = dir.path().join("report");
        std::fs::create_dir_all(&report).expect("report dir");
        let s = RunSummary::new(&shipments, &assessment, &audit, Some(&report), 10);
        let path = record_latest(dir.path(), &s).expect("recorded");
        assert_eq!(path, dir.path().join("risk").join("latest.json"));
        let back = read_latest(dir.path()).expect("read").expect("present");
        assert_eq!(back, s);
        assert!(
            back.report_dir
                .as_deref()
                .is_some_and(|d| Path::new(d).is_absolute() && d.ends_with("report"))
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("risk"))
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, ["latest.json"]);
        std::fs::write(&path, "{\"not\": \"a summary\"}").expect("overwrite");
        let err = read_latest(dir.path()).expect_err("damaged");
        assert!(
            err.to_string()
                .contains("latest.json: not a risk run summary"),
            "{err}"
        );
    }
}
