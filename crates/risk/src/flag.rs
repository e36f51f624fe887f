//! Red flags: what a line is flagged for, in words, with the evidence behind it.
//!
//! A flag is the unit of explanation: its `kind` says which rule fired, `detail` says it in one
//! sentence an analyst can put in a case file, and `evidence` holds the facts (list, version,
//! score and explanation of a match; tier and CHPL version of goods; the route) plus the
//! `points` the flag added to the line's score, so that the score can be re-derived by hand.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Which rule raised a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// A party's name matches a listed entity.
    Party,
    /// A party's identifier matches a listed entity whose name does not match.
    Identifier,
    /// A party's address matches a listed entity's address.
    Address,
    /// CHPL or watch-list goods.
    Goods,
    /// The description points to CHPL goods the declared code is not.
    Misdeclaration,
    /// The route ends in Russia or Belarus, or passes a diversion hub.
    Route,
    /// A pattern across lines or parties (many shippers, forwarder as consignee).
    Pattern,
}

impl FlagKind {
    /// All kinds, in report order.
    pub const ALL: [FlagKind; 7] = [
        FlagKind::Party,
        FlagKind::Identifier,
        FlagKind::Address,
        FlagKind::Goods,
        FlagKind::Misdeclaration,
        FlagKind::Route,
        FlagKind::Pattern,
    ];

    /// The kind as written in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Party => "party",
            FlagKind::Identifier => "identifier",
            FlagKind::Address => "address",
            FlagKind::Goods => "goods",
            FlagKind::Misdeclaration => "misdeclaration",
            FlagKind::Route => "route",
            FlagKind::Pattern => "pattern",
        }
    }
}

/// One red flag of a line.
///
/// The detail and the evidence are shared (`Arc`): the same party or goods raise the same flag
/// on many lines of a large file, and a copy per line would cost gigabytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// The rule that fired.
    pub kind: FlagKind,
    /// One sentence for the analyst.
    #[serde(serialize_with = "shared_str")]
    pub detail: Arc<str>,
    /// The facts behind it, with the `points` the flag added.
    #[serde(serialize_with = "shared_value")]
    pub evidence: Arc<Value>,
    /// The points the flag added (also in the evidence).
    #[serde(skip)]
    pub points: f64,
}

impl Flag {
    /// A flag; `evidence` must be a JSON object (anything else is wrapped as `{"value": ..}`).
    pub fn new(kind: FlagKind, detail: impl Into<String>, points: f64, evidence: Value) -> Flag {
        let mut map = match evidence {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("value".into(), other);
                map
            }
        };
        map.insert("points".into(), Value::from(points));
        Flag {
            kind,
            detail: Arc::from(detail.into()),
            evidence: Arc::new(Value::Object(map)),
            points,
        }
    }
}

fn shared_str<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

fn shared_value<S: Serializer>(v: &Arc<Value>, s: S) -> Result<S::Ok, S::Error> {
    v.as_ref().serialize(s)
}

/// Serialises shared JSON values as a plain array.
pub(crate) fn shared_values<S: Serializer>(v: &[Arc<Value>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|x| x.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_kind_detail_evidence_with_points() {
        let f = Flag::new(FlagKind::Route, "to RU", 20.0, json!({"route": "CN > RU"}));
        assert_eq!(
            serde_json::to_string(&f).unwrap_or_default(),
            r#"{"kind":"route","detail":"to RU","evidence":{"points":20.0,"route":"CN > RU"}}"#
        );
        let g = Flag::new(FlagKind::Goods, "x", 1.0, json!(3));
        assert_eq!(g.evidence["value"], 3);
    }
}
