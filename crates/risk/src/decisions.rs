//! The analysts' decision log: "this hit is (not) that listed entity", with the reason, who
//! decided and when, in an embedded SQLite database.
//!
//! Decisions are appended, never updated or deleted: the log is the record an auditor reads.
//! A later decision on the same (query fingerprint, entity) pair overrides an earlier one, so
//! an analyst who marked a hit as a false positive by mistake marks it again as a true
//! positive. [`DecisionLog::allow_list`] turns the decisions in force into the screening
//! engine's [`AllowList`]: the false positives only, so `screen` and `risk` suppress exactly
//! those hits and keep showing them as suppressed.

use dualtrace_matching::{AllowEntry, AllowList};
use rusqlite::{Connection, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The file name of the decision log in a data directory.
pub const FILE_NAME: &str = "decisions.sqlite";

/// A decision log error: the database file and what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    /// The database could not be opened, read or written.
    #[error("{}: {source}", file.display())]
    Database {
        /// The database file.
        file: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The folder of the database could not be created.
    #[error("{}: {source}", file.display())]
    Io {
        /// The database file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A decision to record is incomplete or malformed.
    #[error("decision field `{field}`: {message}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// What an analyst decided about a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The party is the listed entity.
    TruePositive,
    /// The party is not the listed entity.
    FalsePositive,
}

impl Verdict {
    /// As stored and written: `true-positive` / `false-positive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::TruePositive => "true-positive",
            Verdict::FalsePositive => "false-positive",
        }
    }

    /// Parses `true-positive` / `false-positive` (also `tp` / `fp`).
    pub fn parse(text: &str) -> Option<Verdict> {
        match text.trim().to_ascii_lowercase().as_str() {
            "true-positive" | "true_positive" | "tp" => Some(Verdict::TruePositive),
            "false-positive" | "false_positive" | "fp" => Some(Verdict::FalsePositive),
            _ => None,
        }
    }
}

/// One recorded decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Sequence number in the log (later wins).
    pub seq: i64,
    /// The query fingerprint of the party (see `dualtrace_matching::fingerprint`).
    pub fingerprint: String,
    /// The listed entity's id.
    pub entity_id: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub who: String,
    /// When (UTC timestamp, RFC 3339).
    pub when: String,
}

/// The decision log database.
#[derive(Debug)]
pub struct DecisionLog {
    file: PathBuf,
    conn: Connection,
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS decisions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('true-positive', 'false-positive')),
    reason TEXT NOT NULL,
    who TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_pair ON decisions (fingerprint, entity_id);";

impl DecisionLog {
    /// Opens (creating if needed) the log at `file`.
    pub fn open(file: &Path) -> Result<DecisionLog, DecisionError> {
        let db = |source| DecisionError::Database {
            file: file.to_owned(),
            source,
        };
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DecisionError::Io {
                file: file.to_owned(),
                source,
            })?;
        }
        let conn = Connection::open(file).map_err(db)?;
        conn.execute_batch(SCHEMA).map_err(db)?;
        Ok(DecisionLog {
            file: file.to_owned(),
            conn,
        })
    }

    /// The log of a data directory (`<data-dir>/decisions.sqlite`).
    pub fn in_data_dir(dir: &Path) -> Result<DecisionLog, DecisionError> {
        DecisionLog::open(&dir.join(FILE_NAME))
    }

    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    fn db(&self, source: rusqlite::Error) -> DecisionError {
        DecisionError::Database {
            file: self.file.clone(),
            source,
        }
    }

    /// Records a decision, timestamped now; returns it.
    pub fn mark(
        &self,
        fingerprint: &str,
        entity_id: &str,
        verdict: Verdict,
        reason: &str,
        who: &str,
    ) -> Result<Decision, DecisionError> {
        let fingerprint = fingerprint.trim().to_ascii_lowercase();
        if fingerprint.len() != 32 || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DecisionError::Invalid {
                field: "fingerprint",
                message: format!(
                    "{fingerprint:?} is not a query fingerprint (32 hex digits, as `screen --json` and the risk evidence print it)"
                ),
            });
        }
        for (field, value) in [("entity", entity_id), ("reason", reason), ("who", who)] {
            if value.trim().is_empty() {
                return Err(DecisionError::Invalid {
                    field,
                    message: "empty".into(),
                });
            }
        }
        let when = jiff::Timestamp::now().to_string();
        self.conn
            .execute(
                "INSERT INTO decisions (fingerprint, entity_id, verdict, reason, who, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    fingerprint,
                    entity_id.trim(),
                    verdict.as_str(),
                    reason.trim(),
                    who.trim(),
                    when
                ],
            )
            .map_err(|e| self.db(e))?;
        Ok(Decision {
            seq: self.conn.last_insert_rowid(),
            fingerprint,
            entity_id: entity_id.trim().to_owned(),
            verdict,
            reason: reason.trim().to_owned(),
            who: who.trim().to_owned(),
            when,
        })
    }

    /// Every decision, oldest first.
    pub fn list(&self) -> Result<Vec<Decision>, DecisionError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, fingerprint, entity_id, verdict, reason, who, decided_at
                 FROM decisions ORDER BY seq",
            )
            .map_err(|e| self.db(e))?;
        let rows = stmt
            .query_map([], |r| {
                let verdict: String = r.get(3)?;
                Ok(Decision {
                    seq: r.get(0)?,
                    fingerprint: r.get(1)?,
                    entity_id: r.get(2)?,
                    verdict: Verdict::parse(&verdict).unwrap_or(Verdict::TruePositive),
                    reason: r.get(4)?,
                    who: r.get(5)?,
                    when: r.get(6)?,
                })
            })
            .map_err(|e| self.db(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.db(e))
    }

    /// The decisions in force (latest per fingerprint and entity), oldest first.
    pub fn in_force(&self) -> Result<Vec<Decision>, DecisionError> {
        let all = self.list()?;
        let mut latest: std::collections::HashMap<(&str, &str), usize> =
            std::collections::HashMap::new();
        for (i, d) in all.iter().enumerate() {
            latest.insert((d.fingerprint.as_str(), d.entity_id.as_str()), i);
        }
        let mut keep: Vec<usize> = latest.into_values().collect();
        keep.sort_unstable();
        Ok(keep.into_iter().map(|i| all[i].clone()).collect())
    }

    /// The allow-list of the false positives in force (see the module docs).
    pub fn allow_list(&self) -> Result<AllowList, DecisionError> {
        Ok(AllowList::from_entries(
            self.in_force()?
                .into_iter()
                .filter(|d| d.verdict == Verdict::FalsePositive)
                .map(|d| AllowEntry {
                    fingerprint: d.fingerprint,
                    entity_id: d.entity_id,
                    reason: d.reason,
                    who: d.who,
                    when: d.when,
                }),
        ))
    }
}

/// The allow-list of a data directory's decision log, with the log's path, when
/// `<data-dir>/decisions.sqlite` exists (a missing log is not created).
pub fn logged_allow(data_dir: &Path) -> Result<Option<(PathBuf, AllowList)>, DecisionError> {
    let file = data_dir.join(FILE_NAME);
    if !file.exists() {
        return Ok(None);
    }
    let allow = DecisionLog::open(&file)?.allow_list()?;
    Ok(Some((file, allow)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const FP: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn latest_decision_wins_and_only_false_positives_allow() {
        let dir = tempfile::tempdir().unwrap();
        let log = DecisionLog::in_data_dir(dir.path()).unwrap();
        log.mark(FP, "e-1", Verdict::FalsePositive, "born 1984", "ana")
            .unwrap();
        log.mark(FP, "e-2", Verdict::FalsePositive, "other firm", "ana")
            .unwrap();
        log.mark(FP, "e-2", Verdict::TruePositive, "same INN after all", "bo")
            .unwrap();
        log.mark(FP, "e-3", Verdict::TruePositive, "confirmed", "bo")
            .unwrap();
        // Reopened: the log is on disk.
        let log = DecisionLog::open(&dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(log.list().unwrap().len(), 4);
        assert_eq!(log.in_force().unwrap().len(), 3);
        let allow = log.allow_list().unwrap();
        assert_eq!(allow.len(), 1);
        assert_eq!(allow.suppression(FP, "e-1").unwrap().reason, "born 1984");
        assert!(allow.suppression(FP, "e-2").is_none());
        assert!(allow.suppression(FP, "e-3").is_none());
    }

    #[test]
    fn a_data_directory_without_a_log_has_no_allow_list() {
        let dir = tempfile::tempdir().unwrap();
        assert!(logged_allow(dir.path()).unwrap().is_none());
        assert!(!dir.path().join(FILE_NAME).exists(), "no log is created");
        DecisionLog::in_data_dir(dir.path())
            .unwrap()
            .mark(FP, "e-1", Verdict::FalsePositive, "born 1984", "ana")
            .unwrap();
        let (file, allow) = logged_allow(dir.path()).unwrap().unwrap();
        assert_eq!(file, dir.path().join(FILE_NAME));
        assert_eq!(allow.suppression(FP, "e-1").unwrap().who, "ana");
    }

    #[test]
    fn incomplete_decisions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let log = DecisionLog::in_data_dir(dir.path()).unwrap();
        let e = log
            .mark("xyz", "e-1", Verdict::FalsePositive, "r", "w")
            .unwrap_err();
        assert!(e.to_string().contains("fingerprint"), "{e}");
        let e = log
            .mark(FP, "e-1", Verdict::FalsePositive, " ", "w")
            .unwrap_err();
        assert!(e.to_string().contains("`reason`"), "{e}");
        assert!(log.list().unwrap().is_empty());
        assert_eq!(Verdict::parse("FP"), Some(Verdict::FalsePositive));
        assert_eq!(Verdict::parse("maybe"), None);
    }
}
