//! False-positive suppression: the allow-list.
//!
//! An analyst who has checked that "Ivan Petrov, born 1984, RU" is *not* the listed Ivan Petrov
//! records that decision once; later screenings of the same party keep showing the hit (nothing
//! is hidden from an auditor) but mark it `suppressed`, with the reason, who decided and when,
//! and no longer count it as an alert.
//!
//! A decision is tied to the party as it was reviewed: the key is a [`fingerprint`] of the
//! query (schema, names, birth dates, countries, identifiers, each normalised), plus the listed
//! entity's id. When the customer record changes (a new birth date, another identifier) the
//! fingerprint changes and the hit alerts again: the old decision did not cover those facts.
//! Name tokens are folded and sorted, so "PUTIN, Vladimir" and "vladimir putin" are the same
//! party, while "Vladimir Putin" and "Vladimir Putina" are not.
//!
//! The file is CSV with the header `fingerprint,entity_id,reason,who,when` (JSON lines with the
//! same keys are read too); the SQLite decision log of the risk engine produces the same
//! [`AllowEntry`] values through [`AllowList::from_entries`].

use crate::query::Query;
use crate::score::canonical_countries;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One decision: this query is not that entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowEntry {
    /// The [`fingerprint`] of the query the decision covers.
    pub fingerprint: String,
    /// The listed entity's id.
    pub entity_id: String,
    /// Why the hit is a false positive.
    pub reason: String,
    /// Who decided.
    pub who: String,
    /// When (ISO 8601 date or timestamp).
    pub when: String,
}

/// The decision shown on a suppressed hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// Why the hit is a false positive.
    pub reason: String,
    /// Who decided.
    pub who: String,
    /// When.
    pub when: String,
}

/// A bad allow-list file: which file, line and field, and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: field `{field}`: {message}", file.display())]
pub struct AllowError {
    /// The file read.
    pub file: PathBuf,
    /// The 1-based line (0 when the file could not be opened).
    pub line: u64,
    /// The field at fault.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// The decisions in force, keyed by (fingerprint, entity id). Later entries win.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllowList {
    entries: HashMap<(String, String), AllowEntry>,
}

impl AllowList {
    /// An allow-list of the given decisions.
    pub fn from_entries(entries: impl IntoIterator<Item = AllowEntry>) -> AllowList {
        let mut list = AllowList::default();
        for e in entries {
            list.insert(e);
        }
        list
    }

    /// Adds (or replaces) a decision.
    pub fn insert(&mut self, entry: AllowEntry) {
        self.entries
            .insert((entry.fingerprint.clone(), entry.entity_id.clone()), entry);
    }

    /// Adds every decision of another list (its entries win).
    pub fn extend(&mut self, other: AllowList) {
        self.entries.extend(other.entries);
    }

    /// How many decisions are in force.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The decision covering this query fingerprint and entity, if any.
    pub fn suppression(&self, fingerprint: &str, entity_id: &str) -> Option<Suppression> {
        self.entries
            .get(&(fingerprint.to_owned(), entity_id.to_owned()))
            .map(|e| Suppression {
                reason: e.reason.clone(),
                who: e.who.clone(),
                when: e.when.clone(),
            })
    }

    /// Reads an allow-list file: CSV with a header, or JSON lines (by the `.jsonl`/`.json`
    /// extension). All or nothing: the first bad line is an error naming it.
    pub fn load(path: &Path) -> Result<AllowList, AllowError> {
        let text = std::fs::read_to_string(path).map_err(|e| AllowError {
            file: path.to_owned(),
            line: 0,
            field: "file".into(),
            message: e.to_string(),
        })?;
        let jsonl = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("jsonl") || x.eq_ignore_ascii_case("json"));
        let entries = if jsonl {
            parse_jsonl(path, &text)?
        } else {
            parse_csv(path, &text)?
        };
        Ok(AllowList::from_entries(entries))
    }
}

/// The header of an allow-list CSV file.
pub const CSV_HEADER: [&str; 5] = ["fingerprint", "entity_id", "reason", "who", "when"];

fn parse_csv(path: &Path, text: &str) -> Result<Vec<AllowEntry>, AllowError> {
    let err = |line: u64, field: &str, message: String| AllowError {
        file: path.to_owned(),
        line,
        field: field.to_owned(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| err(1, "header", e.to_string()))?
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                err(
                    1,
                    name,
                    format!("missing column (header: {})", CSV_HEADER.join(",")),
                )
            })
    };
    let cols = [
        column("fingerprint")?,
        column("entity_id")?,
        column("reason")?,
        column("who")?,
        column("when")?,
    ];
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, "record", e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize| record.get(cols[i]).unwrap_or_default().trim().to_owned();
        let entry = AllowEntry {
            fingerprint: get(0),
            entity_id: get(1),
            reason: get(2),
            who: get(3),
            when: get(4),
        };
        check(&entry).map_err(|(field, message)| err(line, field, message))?;
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_jsonl(path: &Path, text: &str) -> Result<Vec<AllowEntry>, AllowError> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |field: &str, message: String| AllowError {
            file: path.to_owned(),
            line: n,
            field: field.to_owned(),
            message,
        };
        let entry: AllowEntry =
            serde_json::from_str(line).map_err(|e| err("record", e.to_string()))?;
        check(&entry).map_err(|(field, message)| err(field, message))?;
        entries.push(entry);
    }
    Ok(entries)
}

/// A decision must say what it covers, why and who took it.
fn check(e: &AllowEntry) -> Result<(), (&'static str, String)> {
    let fp_ok = e.fingerprint.len() == FINGERPRINT_HEX
        && e.fingerprint.bytes().all(|b| b.is_ascii_hexdigit());
    if !fp_ok {
        return Err((
            "fingerprint",
            format!(
                "{:?} is not a query fingerprint ({FINGERPRINT_HEX} hex digits)",
                e.fingerprint
            ),
        ));
    }
    for (field, value) in [
        ("entity_id", &e.entity_id),
        ("reason", &e.reason),
        ("who", &e.who),
        ("when", &e.when),
    ] {
        if value.is_empty() {
            return Err((field, "empty".into()));
        }
    }
    Ok(())
}

/// Length of a fingerprint in hex digits (128 bits of SHA-256).
const FINGERPRINT_HEX: usize = 32;

/// The fingerprint of a query: a hash of its normalised content (see the module docs).
pub fn fingerprint(query: &Query) -> String {
    let mut names: Vec<String> = query
        .names
        .iter()
        .map(|n| {
            let folded = dualtrace_names::fold(n);
            let mut tokens: Vec<&str> = folded
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .collect();
            tokens.sort_unstable();
            tokens.join(" ")
        })
        .filter(|n| !n.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut dates: Vec<String> = query
        .birth_dates
        .iter()
        .map(|d| d.trim().to_owned())
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let ids = query.canonical_ids();
    let countries = canonical_countries(&query.countries);
    let schema = query
        .schema
        .map_or_else(|| "Any".to_owned(), |s| s.to_string());
    let mut hash = Sha256::new();
    for (key, values) in [
        ("schema", vec![schema]),
        ("names", names),
        ("birth_dates", dates),
        ("countries", countries),
        ("ids", ids),
    ] {
        hash.update(key.as_bytes());
        for v in values {
            hash.update([0x1f]);
            hash.update(v.as_bytes());
        }
        hash.update([0x1e]);
    }
    hex::encode(&hash.finalize()[..FINGERPRINT_HEX / 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use dualtrace_model::Schema;

    fn q(name: &str) -> Query {
        Query {
            schema: Some(Schema::Person),
            ..Query::name(name)
        }
    }

    #[test]
    fn fingerprint_ignores_case_order_and_punctuation_but_not_facts() {
        let a = fingerprint(&q("PUTIN, Vladimir"));
        assert_eq!(a.len(), 32);
        assert_eq!(a, fingerprint(&q("vladimir  putin")));
        assert_ne!(a, fingerprint(&q("Vladimir Putina")));
        let mut born = q("Vladimir Putin");
        born.birth_dates = vec!["1952-10-07".into()];
        assert_ne!(a, fingerprint(&born));
        let mut other_schema = q("Vladimir Putin");
        other_schema.schema = None;
        assert_ne!(a, fingerprint(&other_schema));
        let mut id = q("Vladimir Putin");
        id.identifiers = vec!["AB 123 456".into()];
        let mut id2 = q("Vladimir Putin");
        id2.identifiers = vec!["ab123456".into()];
        assert_eq!(fingerprint(&id), fingerprint(&id2));
    }

    fn entry(fp: &str, id: &str) -> AllowEntry {
        AllowEntry {
            fingerprint: fp.into(),
            entity_id: id.into(),
            reason: "different person: born 1984".into(),
            who: "analyst@example.org".into(),
            when: "2026-11-29".into(),
        }
    }

    #[test]
    fn suppression_needs_both_fingerprint_and_entity() {
        let fp = fingerprint(&q("Ivan Petrov"));
        let list = AllowList::from_entries([entry(&fp, "ofac-123")]);
        assert_eq!(list.len(), 1);
        let s = list.suppression(&fp, "ofac-123").expect("suppressed");
        assert_eq!(s.reason, "different person: born 1984");
        assert!(list.suppression(&fp, "ofac-124").is_none());
        assert!(
            list.suppression(&fingerprint(&q("Ivan Petrova")), "ofac-123")
                .is_none()
        );
    }

    fn write(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn loads_csv_and_jsonl() {
        let fp = fingerprint(&q("Ivan Petrov"));
        let (_d, csv) = write(
            "allow.csv",
            &format!(
                "fingerprint,entity_id,reason,who,when\n{fp},ofac-1,\"born 1984, not 1961\",ana,2026-11-29\n"
            ),
        );
        let list = AllowList::load(&csv).expect("csv");
        assert_eq!(
            list.suppression(&fp, "ofac-1").expect("hit").reason,
            "born 1984, not 1961"
        );
        let line = serde_json::to_string(&entry(&fp, "un-2")).expect("json");
        let (_d2, jsonl) = write("allow.jsonl", &format!("{line}\n\n"));
        assert_eq!(AllowList::load(&jsonl).expect("jsonl").len(), 1);
    }

    #[test]
    fn bad_files_name_line_and_field() {
        let fp = fingerprint(&q("Ivan Petrov"));
        let (_d, path) = write(
            "allow.csv",
            &format!(
                "fingerprint,entity_id,reason,who,when\n{fp},ofac-1,ok,ana,2026-11-29\n{fp},ofac-2,,ana,2026-11-29\n"
            ),
        );
        let err = AllowList::load(&path).expect_err("empty reason");
        assert_eq!((err.line, err.field.as_str()), (3, "reason"));
        assert!(
            err.to_string().contains("allow.csv:3: field `reason`"),
            "{err}"
        );
        let (_d, path) = write(
            "allow.csv",
            "fingerprint,entity_id,reason,who,when\nxyz,ofac-1,r,w,2026\n",
        );
        let err = AllowList::load(&path).expect_err("bad fingerprint");
        assert_eq!((err.line, err.field.as_str()), (2, "fingerprint"));
        let (_d, path) = write("allow.csv", "fingerprint,entity,reason\n");
        assert_eq!(
            AllowList::load(&path).expect_err("header").field,
            "entity_id"
        );
        let (_d, path) = write("allow.jsonl", "{\"fingerprint\":1}\n");
        assert_eq!(AllowList::load(&path).expect_err("json").line, 1);
        let err = AllowList::load(Path::new("/nonexistent/allow.csv")).expect_err("missing");
        assert_eq!(err.field, "file");
    }
}
