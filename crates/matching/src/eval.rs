//! Evaluation on labelled data: the numbers `dualtrace eval` prints and the tests hold floors on.
//!
//! Each function reads one evaluation file of the shared data (see its README, `eval/`) and
//! returns plain numbers plus the failures, so a regression can be read, not just counted.
//! Lists are not loaded here: the caller builds the [`Index`] from whatever lists it has (the
//! CLI from its store, the tests from the official files), which keeps this crate free of the
//! parsers. Pairs are scored with [`score_pair`]; screening runs use [`Index::screen`] with the
//! default options except where noted.

use crate::index::{Index, ScreenOptions};
use crate::noise::Noise;
use crate::query::Query;
use crate::score::{DEFAULT_THRESHOLD, score_pair};
use dualtrace_model::{Entity, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Why an evaluation file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON is not what the evaluation expects.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: String,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// A CSV row is malformed.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: String,
        /// The CSV error.
        source: csv::Error,
    },
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, EvalError> {
    serde_json::from_str(&read(path)?).map_err(|source| EvalError::Json {
        path: path.display().to_string(),
        source,
    })
}

/// CSV records with a header, comment lines (`#`) and blank lines skipped.
fn csv_rows(path: &Path, has_headers: bool) -> Result<Vec<csv::StringRecord>, EvalError> {
    let text = read(path)?;
    let body: String = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .flexible(true)
        .from_reader(body.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| EvalError::Csv {
            path: path.display().to_string(),
            source,
        })
}

/// Confusion counts and the measures derived from them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairsReport {
    /// Pairs judged.
    pub total: usize,
    /// Positive pairs predicted positive.
    pub true_positives: usize,
    /// Negative pairs predicted positive.
    pub false_positives: usize,
    /// Negative pairs predicted negative.
    pub true_negatives: usize,
    /// Positive pairs predicted negative.
    pub false_negatives: usize,
    /// F1 of the positive class.
    pub f1: f64,
    /// Share of pairs judged right.
    pub accuracy: f64,
    /// Share of the negative pairs judged negative (answering "match" always gives 0).
    pub negatives_right: f64,
    /// Precision of the positive predictions.
    pub precision: f64,
    /// Ids and score of every pair judged wrong.
    pub errors: Vec<String>,
}

#[derive(Deserialize)]
struct Pair {
    judgement: String,
    left: Entity,
    right: Entity,
}

/// Scores the analyst-labelled pairs (`eval/pairs_dev.json`) at `threshold`.
pub fn pairs(path: &Path, threshold: f64) -> Result<PairsReport, EvalError> {
    let pairs: Vec<Pair> = json(path)?;
    let mut r = PairsReport {
        total: pairs.len(),
        ..PairsReport::default()
    };
    for p in &pairs {
        let score = score_pair(&p.left, &p.right).score;
        let predicted = score >= threshold;
        let actual = p.judgement == "positive";
        match (actual, predicted) {
            (true, true) => r.true_positives += 1,
            (false, true) => r.false_positives += 1,
            (false, false) => r.true_negatives += 1,
            (true, false) => r.false_negatives += 1,
        }
        if actual != predicted {
            r.errors.push(format!(
                "{} {:.3} {:?} | {:?}",
                p.judgement,
                score,
                p.left.caption(),
                p.right.caption()
            ));
        }
    }
    let (tp, fp, fn_) = (
        r.true_positives as f64,
        r.false_positives as f64,
        r.false_negatives as f64,
    );
    r.precision = tp / (tp + fp).max(1.0);
    let recall = tp / (tp + fn_).max(1.0);
    r.f1 = 2.0 * r.precision * recall / (r.precision + recall).max(f64::EPSILON);
    r.accuracy = (r.true_positives + r.true_negatives) as f64 / r.total.max(1) as f64;
    r.negatives_right =
        r.true_negatives as f64 / (r.true_negatives + r.false_positives).max(1) as f64;
    Ok(r)
}

/// A count of right answers with the wrong ones listed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CountReport {
    /// Cases run.
    pub total: usize,
    /// Cases answered right.
    pub right: usize,
    /// What went wrong, one line per failed case.
    pub failures: Vec<String>,
}

#[derive(Deserialize)]
struct Case {
    schema: Schema,
    matches: bool,
    query: BTreeMap<String, String>,
    result: BTreeMap<String, String>,
    /// The scoring configuration of the case, as nomenklatura printed it.
    #[serde(default)]
    config: Option<String>,
}

/// Builds a case's entity. A case configured with `nm_name_property: 'name'` compares the
/// `name` property only (nomenklatura's option): other name properties are left out.
fn case_entity(
    id: &str,
    schema: Schema,
    props: &BTreeMap<String, String>,
    config: Option<&str>,
) -> Entity {
    let only_name = config.is_some_and(|c| c.contains("'nm_name_property': 'name'"));
    let name_like = ["alias", "weakAlias", "previousName", "abbreviation"];
    let mut e = Entity::new(id, schema);
    for (k, v) in props {
        if only_name && name_like.contains(&k.as_str()) {
            continue;
        }
        e.add_raw(k, v).ok();
    }
    e
}

/// The labelled query/result cases (`eval/logic_v2_cases.json`), judged at the default threshold.
pub fn logic_cases(path: &Path) -> Result<CountReport, EvalError> {
    let cases: Vec<Case> = json(path)?;
    let mut r = CountReport {
        total: cases.len(),
        ..CountReport::default()
    };
    for c in &cases {
        let q = case_entity("q", c.schema, &c.query, c.config.as_deref());
        let res = case_entity("r", c.schema, &c.result, c.config.as_deref());
        let s = score_pair(&q, &res).score;
        if (s >= DEFAULT_THRESHOLD) == c.matches {
            r.right += 1;
        } else {
            r.failures.push(format!(
                "expected {} got {s:.3}: {:?} vs {:?}",
                c.matches, c.query, c.result
            ));
        }
    }
    Ok(r)
}

/// The cross-script name pairs (`eval/cross_script_pairs.csv`): how many reach their minimum score.
pub fn cross_script(path: &Path) -> Result<CountReport, EvalError> {
    let rows = csv_rows(path, false)?;
    let mut r = CountReport::default();
    for row in rows {
        let (Some(q), Some(e), Some(min)) = (row.get(0), row.get(1), row.get(2)) else {
            continue;
        };
        let Ok(min) = min.trim().parse::<f64>() else {
            continue;
        };
        r.total += 1;
        let mut a = Entity::new("q", Schema::Person);
        a.add_raw("name", q).ok();
        let mut b = Entity::new("r", Schema::Person);
        b.add_raw("name", e).ok();
        let s = score_pair(&a, &b).score;
        if s >= min {
            r.right += 1;
        } else {
            r.failures.push(format!("{q} vs {e}: {s:.3} < {min}"));
        }
    }
    Ok(r)
}

/// The aliases of one person (`eval/putin_names.txt`, one per line) screened against an index:
/// how many return `target_id` first.
pub fn aliases_first(
    index: &Index,
    path: &Path,
    target_id: &str,
) -> Result<CountReport, EvalError> {
    let text = read(path)?;
    let mut r = CountReport::default();
    let opts = ScreenOptions::default();
    for name in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        r.total += 1;
        let hits = index.screen(&Query::name(name), &opts);
        match hits.first() {
            Some(h) if h.id == target_id => r.right += 1,
            Some(h) => r
                .failures
                .push(format!("{name}: first {} {:.3}", h.id, h.score)),
            None => r.failures.push(format!("{name}: no hit")),
        }
    }
    Ok(r)
}

/// Recall of known listed persons screened by name and birth date.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecallReport {
    /// Queries whose person is in the index.
    pub total: usize,
    /// Queries whose person is among the candidates.
    pub candidates_found: usize,
    /// Queries whose person is among the hits at the threshold.
    pub found: usize,
    /// `found / total`.
    pub recall: f64,
    /// `candidates_found / total`.
    pub candidate_recall: f64,
    /// Query names whose person the index does not hold (left off the list since).
    pub not_listed: Vec<String>,
    /// Missed queries (as screened, after noise), with the treatment when noise was applied.
    pub misses: Vec<String>,
}

/// Screens `eval/un_positives.csv` (name + birth date) against an index holding the UN list.
/// With `noise`, each query gets one seeded [`Noise`] treatment first. The expected entity of a
/// row is the one with a name equal to the row's full name once folded.
pub fn un_recall(
    index: &Index,
    path: &Path,
    noise: Option<u64>,
) -> Result<RecallReport, EvalError> {
    let rows = csv_rows(path, true)?;
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in index.entities().iter().enumerate() {
        for (_, n) in e.names() {
            by_name.entry(dualtrace_names::fold(n)).or_default().push(i);
        }
    }
    let mut noisy = noise.map(Noise::new);
    let mut r = RecallReport::default();
    let opts = ScreenOptions {
        limit: 10,
        ..ScreenOptions::default()
    };
    for row in rows {
        let name = row.get(0).unwrap_or_default();
        let dob = row.get(5).unwrap_or_default();
        let Some(expected) = by_name.get(&dualtrace_names::fold(name)) else {
            r.not_listed.push(name.to_string());
            continue;
        };
        r.total += 1;
        let (qname, qdob, treatment) = match noisy.as_mut() {
            Some(g) => {
                let (n, d, t) = g.treat(name, dob);
                (n, d, Some(t))
            }
            None => (name.to_string(), dob.to_string(), None),
        };
        let q = Query {
            schema: Some(Schema::Person),
            names: vec![qname.clone()],
            birth_dates: if qdob.is_empty() {
                vec![]
            } else {
                vec![qdob.clone()]
            },
            ..Query::default()
        };
        let cands = index.candidates(&q, &opts);
        if cands.iter().any(|c| expected.contains(c)) {
            r.candidates_found += 1;
        }
        let hits = index.screen(&q, &opts);
        if hits.iter().any(|h| expected.contains(&h.index)) {
            r.found += 1;
        } else {
            let best = hits.first().map(|h| format!("{} {:.3}", h.id, h.score));
            r.misses.push(format!(
                "{qname:?} {qdob} {treatment:?} (orig {name:?}) best {best:?}"
            ));
        }
    }
    r.recall = r.found as f64 / r.total.max(1) as f64;
    r.candidate_recall = r.candidates_found as f64 / r.total.max(1) as f64;
    Ok(r)
}

/// Alert rate of people on no list.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertReport {
    /// Queries screened.
    pub total: usize,
    /// Queries with at least one hit at the threshold.
    pub alerts: usize,
    /// `alerts / total`.
    pub rate: f64,
    /// The first alerts, for inspection.
    pub examples: Vec<String>,
}

/// Screens `eval/negatives_global.csv` (name, birth date, nationality, gender; at most `max`
/// rows) in batch; every alert is a false positive.
pub fn negatives(index: &Index, path: &Path, max: usize) -> Result<AlertReport, EvalError> {
    let rows = csv_rows(path, true)?;
    let queries: Vec<Query> = rows
        .iter()
        .take(max)
        .map(|row| Query {
            schema: Some(Schema::Person),
            names: vec![row.get(0).unwrap_or_default().to_string()],
            birth_dates: row
                .get(5)
                .into_iter()
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            countries: row
                .get(7)
                .into_iter()
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect(),
            gender: row.get(4).filter(|g| !g.is_empty()).map(str::to_string),
            ..Query::default()
        })
        .collect();
    let opts = ScreenOptions {
        limit: 1,
        ..ScreenOptions::default()
    };
    let results = index.screen_batch(&queries, &opts);
    let mut r = AlertReport {
        total: queries.len(),
        ..AlertReport::default()
    };
    for (q, hits) in queries.iter().zip(&results) {
        if let Some(h) = hits.first() {
            r.alerts += 1;
            if r.examples.len() < 50 {
                let cand = index
                    .entity(h.index)
                    .map(Entity::caption)
                    .unwrap_or_default();
                r.examples.push(format!(
                    "{:?} -> {} {:?} {:.3}",
                    q.names, h.id, cand, h.score
                ));
            }
        }
    }
    r.rate = r.alerts as f64 / r.total.max(1) as f64;
    Ok(r)
}
