//! Explanations: why a candidate got its score, in a form an analyst can put in a case file.
//!
//! Every feature the scorer looked at is reported, including the ones that did not change the
//! score (a birth date that could not be compared says so): a regulator asks "what did you
//! compare?", not only "what matched?". The shape follows yente's
//! `{"feature": {"score", "detail", "query", "candidate"}}` so that tooling written for it reads
//! ours, plus `weight`: how much the feature moved the final score (positive or negative), so
//! the final score can be re-derived by hand from the explanation.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One feature of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// The feature's own score, 0..1 (name similarity, 1.0 for an identifier match, ...).
    pub score: f64,
    /// What the feature contributed to the final score: the name or identifier base score, or
    /// the signed adjustment of a qualifier (e.g. `-0.2` for a disjoint birth year).
    pub weight: f64,
    /// A human-readable account of the comparison (most are fixed texts: not copied for each
    /// comparison).
    pub detail: Cow<'static, str>,
    /// The query's value(s) that were compared.
    pub query: Vec<String>,
    /// The candidate's value(s) that were compared.
    pub candidate: Vec<String>,
}

impl Feature {
    /// A feature with its compared values.
    pub fn new(score: f64, weight: f64, detail: impl Into<Cow<'static, str>>) -> Self {
        Feature {
            score,
            weight,
            detail: detail.into(),
            query: Vec::new(),
            candidate: Vec::new(),
        }
    }

    /// Sets the compared values.
    pub fn values(mut self, query: Vec<String>, candidate: Vec<String>) -> Self {
        self.query = query;
        self.candidate = candidate;
        self
    }
}

/// All features of one comparison, by feature name (`name`, `identifier`, `birth_date`,
/// `country`, `gender`, `schema`), serialised as a JSON object in a stable order.
///
/// Keyed by the feature's name ("name", "birth_date", ...): fixed names, not copied for each
/// comparison (every pair of records scored is explained).
pub type Explanations = BTreeMap<Cow<'static, str>, Feature>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_like_yente() {
        let mut ex = Explanations::new();
        ex.insert(
            "name".into(),
            Feature::new(0.9, 0.9, "1 edit").values(vec!["a".into()], vec!["b".into()]),
        );
        let json = serde_json::to_string(&ex).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"name":{"score":0.9,"weight":0.9,"detail":"1 edit","query":["a"],"candidate":["b"]}}"#
        );
    }
}
