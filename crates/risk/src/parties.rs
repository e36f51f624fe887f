//! Party screening for shipment lines: names and identifiers through the screening index,
//! addresses through an address index of the listed entities.
//!
//! A shipments file repeats the same shippers and consignees on many lines, so parties are
//! deduplicated first (by name, country, identifier and address as written) and screened once,
//! in parallel, with [`Index::screen_batch`]. A hit becomes:
//!
//! * a `party` flag when the names match (the name feature reaches `name_match`);
//! * an `identifier` flag when the hit is carried by a shared identifier while the names do not
//!   match: a company trading under another name with a listed entity's INN or USCC;
//! * an `address` flag when the party's address shares (by rarity-weighted tokens) at least
//!   `address_similarity` of the shorter address with a listed entity's address, for entities
//!   not already found by name or identifier.
//!
//! Hits covered by an analyst's false-positive decision (the allow-list, keyed by the party's
//! query fingerprint and the entity id) raise no flag; they are returned as suppressed evidence.

use crate::config::RiskConfig;
use crate::flag::FlagKind;
use crate::shipments::Party;
use dualtrace_matching::{AllowList, Explanations, Index, Query, ScreenOptions, Suppression};
use dualtrace_model::{Entity, Property, Schema};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// A listed entity a party was found to be (or resemble), with the proof.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Which rule found it (`party`, `identifier` or `address`).
    pub kind: FlagKind,
    /// The listed entity's id.
    pub entity_id: String,
    /// Its name.
    pub caption: String,
    /// Its schema.
    pub schema: String,
    /// The list it is on (store name).
    pub list: Option<String>,
    /// The list version it was loaded from.
    pub list_version: Option<String>,
    /// The match score (0..1; the address similarity for address findings).
    pub score: f64,
    /// Every feature compared (empty for address findings).
    pub explanation: Explanations,
    /// For address findings: the listed address that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_address: Option<String>,
    /// The analyst decision suppressing it, if any (a suppressed finding raises no flag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

impl Finding {
    /// `kind entity_id [list vVERSION]`, with ` (suppressed)` when an analyst marked it a false
    /// positive: how the parties table and the run summary name a finding.
    pub fn label(&self) -> String {
        format!(
            "{} {} [{} v{}]{}",
            self.kind.as_str(),
            self.entity_id,
            self.list.as_deref().unwrap_or("?"),
            self.list_version.as_deref().unwrap_or("?"),
            if self.suppressed.is_some() {
                " (suppressed)"
            } else {
                ""
            }
        )
    }
}

/// What screening found for one party.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PartyScreening {
    /// The party's query fingerprint (what a decision about its hits must name).
    pub fingerprint: String,
    /// Findings, flags first then suppressed ones.
    pub findings: Vec<Finding>,
}

/// A party as a deduplication key: everything the screening looks at.
pub type PartyKey = (String, Option<String>, String, String);

/// The key of a party.
pub fn party_key(p: &Party) -> PartyKey {
    (
        p.name.trim().to_owned(),
        p.country.clone(),
        p.id.trim().to_owned(),
        p.address.trim().to_owned(),
    )
}

/// The screening query of a shipment party: a legal subject (never a vessel or an aircraft).
pub fn party_query(p: &Party) -> Query {
    Query {
        schema: Some(Schema::LegalEntity),
        names: vec![p.name.trim().to_owned()],
        countries: p.country.iter().cloned().collect(),
        identifiers: [p.id.trim()]
            .into_iter()
            .filter(|i| !i.is_empty())
            .map(str::to_owned)
            .collect(),
        ..Query::default()
    }
}

/// Screens parties against an index and the addresses of its entities.
#[derive(Debug)]
pub struct PartyScreener<'a> {
    index: &'a Index,
    addresses: AddressIndex,
    options: ScreenOptions,
    name_match: f64,
    address_similarity: f64,
}

impl<'a> PartyScreener<'a> {
    /// A screener over an index, with the configuration's thresholds, the allow-list and an
    /// optional filter of lists.
    pub fn new(
        index: &'a Index,
        config: &RiskConfig,
        allow: Option<Arc<AllowList>>,
        lists: Option<Vec<String>>,
    ) -> PartyScreener<'a> {
        let addresses = AddressIndex::build(index.entities(), lists.as_deref());
        PartyScreener {
            index,
            addresses,
            options: ScreenOptions {
                threshold: config.screen_threshold,
                limit: 5,
                lists,
                allow,
                ..ScreenOptions::default()
            },
            name_match: config.name_match,
            address_similarity: config.address_similarity,
        }
    }

    /// Screens distinct parties (in parallel); results in the same order.
    pub fn screen(&self, parties: &[&Party]) -> Vec<PartyScreening> {
        let queries: Vec<Query> = parties.iter().map(|p| party_query(p)).collect();
        let hits = self.index.screen_batch(&queries, &self.options);
        parties
            .iter()
            .zip(&queries)
            .zip(hits)
            .map(|((party, query), hits)| {
                let fingerprint = dualtrace_matching::fingerprint(query);
                let mut findings: Vec<Finding> = hits
                    .into_iter()
                    .filter_map(|h| {
                        let entity = self.index.entity(h.index)?;
                        let name_score = h.explanations.get("name").map_or(0.0, |f| f.score);
                        let by_id = h.explanations.contains_key("identifier");
                        let kind = if by_id && name_score < self.name_match {
                            FlagKind::Identifier
                        } else {
                            FlagKind::Party
                        };
                        (h.is_match || h.suppressed.is_some())
                            .then(|| finding(kind, entity, h.score, h.explanations, h.suppressed))
                    })
                    .collect();
                self.address_findings(party, &fingerprint, &mut findings);
                findings.sort_by_key(|f| f.suppressed.is_some());
                PartyScreening {
                    fingerprint,
                    findings,
                }
            })
            .collect()
    }

    /// Adds address findings for entities not already found.
    fn address_findings(&self, party: &Party, fingerprint: &str, findings: &mut Vec<Finding>) {
        for (at, similarity) in self
            .addresses
            .matches(&party.address, self.address_similarity)
        {
            let Some(entry) = self.addresses.entries.get(at) else {
                continue;
            };
            let Some(entity) = self.index.entity(entry.entity) else {
                continue;
            };
            if findings.iter().any(|f| f.entity_id == entity.id) {
                continue;
            }
            let suppressed = self
                .options
                .allow
                .as_ref()
                .and_then(|a| a.suppression(fingerprint, &entity.id));
            let mut f = finding(
                FlagKind::Address,
                entity,
                similarity,
                Explanations::new(),
                suppressed,
            );
            f.listed_address = Some(entry.text.clone());
            findings.push(f);
        }
    }
}

fn finding(
    kind: FlagKind,
    entity: &Entity,
    score: f64,
    explanation: Explanations,
    suppressed: Option<Suppression>,
) -> Finding {
    let prov = entity.provenance.as_ref();
    Finding {
        kind,
        entity_id: entity.id.clone(),
        caption: entity.caption().to_owned(),
        schema: entity.schema.to_string(),
        list: prov.map(|p| p.list.clone()),
        list_version: prov.and_then(|p| p.version.clone()),
        score,
        explanation,
        listed_address: None,
        suppressed,
    }
}

/// One listed address.
#[derive(Debug, Clone)]
struct AddressEntry {
    entity: usize,
    text: String,
    tokens: Vec<u32>,
    weight: f32,
}

/// Addresses of the listed entities, by normalised token, weighted by rarity.
#[derive(Debug, Default)]
struct AddressIndex {
    entries: Vec<AddressEntry>,
    vocabulary: HashMap<String, u32>,
    postings: Vec<Vec<u32>>,
    idf: Vec<f32>,
}

/// Tokens held by more addresses than this pull no candidates (cities, "street", countries).
const ADDRESS_MAX_DF: usize = 5000;
/// An address match needs at least this many tokens in common.
const ADDRESS_MIN_SHARED: usize = 3;

/// The normalised, distinct tokens of an address.
fn address_tokens(text: &str) -> Vec<String> {
    let folded = dualtrace_names::fold(text);
    let mut tokens: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

impl AddressIndex {
    fn build(entities: &[Entity], lists: Option<&[String]>) -> AddressIndex {
        let mut index = AddressIndex::default();
        for (at, e) in entities.iter().enumerate() {
            let in_lists = lists.is_none_or(|l| {
                e.datasets.iter().any(|d| l.contains(d))
                    || e.provenance.as_ref().is_some_and(|p| l.contains(&p.list))
            });
            if !in_lists {
                continue;
            }
            for text in e.get(Property::Address) {
                let tokens = address_tokens(text);
                if tokens.len() < ADDRESS_MIN_SHARED {
                    continue;
                }
                let id = index.entries.len() as u32;
                let tokens: Vec<u32> = tokens
                    .into_iter()
                    .map(|t| {
                        let next = index.vocabulary.len() as u32;
                        let tid = *index.vocabulary.entry(t).or_insert(next);
                        if tid == next {
                            index.postings.push(Vec::new());
                        }
                        index.postings[tid as usize].push(id);
                        tid
                    })
                    .collect();
                index.entries.push(AddressEntry {
                    entity: at,
                    text: text.clone(),
                    tokens,
                    weight: 0.0,
                });
            }
        }
        let n = index.entries.len().max(1) as f32;
        index.idf = index
            .postings
            .iter()
            .map(|p| (1.0 + n / p.len().max(1) as f32).ln())
            .collect();
        for entry in &mut index.entries {
            entry.weight = entry.tokens.iter().map(|t| index.idf[*t as usize]).sum();
        }
        index
    }

    /// Listed addresses similar to `text`: (entry, similarity), best first.
    fn matches(&self, text: &str, min_similarity: f64) -> Vec<(usize, f64)> {
        if text.trim().is_empty() || self.entries.is_empty() {
            return Vec::new();
        }
        let known: Vec<u32> = address_tokens(text)
            .iter()
            .filter_map(|t| self.vocabulary.get(t).copied())
            .collect();
        let query_weight: f32 = address_tokens(text)
            .iter()
            .map(|t| {
                self.vocabulary
                    .get(t)
                    .map_or(self.unseen_idf(), |id| self.idf[*id as usize])
            })
            .sum();
        let mut shared: HashMap<u32, (usize, f32)> = HashMap::new();
        for t in &known {
            let postings = &self.postings[*t as usize];
            if postings.len() > ADDRESS_MAX_DF {
                continue;
            }
            for e in postings {
                let slot = shared.entry(*e).or_default();
                slot.0 += 1;
                slot.1 += self.idf[*t as usize];
            }
        }
        let mut out: Vec<(usize, f64)> = shared
            .into_iter()
            .filter(|(_, (count, _))| *count >= ADDRESS_MIN_SHARED)
            .filter_map(|(e, (_, weight))| {
                let entry = self.entries.get(e as usize)?;
                let smaller = entry.weight.min(query_weight).max(f32::EPSILON);
                let sim = f64::from((weight / smaller).min(1.0));
                (sim >= min_similarity).then_some((e as usize, (sim * 1000.0).round() / 1000.0))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(3);
        out
    }

    /// The weight of a token no listed address holds (as rare as can be).
    fn unseen_idf(&self) -> f32 {
        (1.0 + self.entries.len().max(1) as f32).ln()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn company(id: &str, name: &str, address: &str, inn: &str) -> Entity {
        let mut e = Entity::new(id, Schema::Company);
        e.add(Property::Name, name).unwrap();
        if !address.is_empty() {
            e.add(Property::Address, address).unwrap();
        }
        if !inn.is_empty() {
            e.add(Property::InnCode, inn).unwrap();
        }
        e.datasets = vec!["test".into()];
        e
    }

    fn index() -> Index {
        Index::build(vec![
            company(
                "t-1",
                "Zarya Optronika LLC",
                "ul. Vymyshlennaya 1, Moscow, Russia",
                "7700000001",
            ),
            company("t-2", "Kestrel Micro Trading Limited", "", ""),
            company("t-3", "Other Co", "ul. Tverskaya 7, Moscow, Russia", ""),
        ])
    }

    fn party(name: &str, id: &str, address: &str) -> Party {
        Party {
            name: name.into(),
            country: Some("RU".into()),
            id: id.into(),
            address: address.into(),
        }
    }

    #[test]
    fn name_identifier_and_address_findings() {
        let index = index();
        let screener = PartyScreener::new(&index, &RiskConfig::default(), None, None);
        let parties = [
            party("OOO Zarya Optronika", "", ""),
            party("Polyarnaya Zvezda OOO", "7700000001", ""),
            party(
                "Severnaya Torgovaya OOO",
                "",
                "Moscow, ul. Vymyshlennaya, 1",
            ),
            party("Kestrel Garden Furniture", "", "ul. Tverskaya 9, Kazan"),
        ];
        let refs: Vec<&Party> = parties.iter().collect();
        let out = screener.screen(&refs);
        let kinds = |i: usize| -> Vec<(FlagKind, String)> {
            out[i]
                .findings
                .iter()
                .map(|f| (f.kind, f.entity_id.clone()))
                .collect()
        };
        assert_eq!(kinds(0), [(FlagKind::Party, "t-1".to_owned())]);
        assert_eq!(kinds(1), [(FlagKind::Identifier, "t-1".to_owned())]);
        assert_eq!(kinds(2), [(FlagKind::Address, "t-1".to_owned())]);
        assert!(kinds(3).is_empty(), "{:?}", kinds(3));
        assert_eq!(out[0].fingerprint.len(), 32);
    }

    #[test]
    fn allow_list_suppresses_without_hiding() {
        let index = index();
        let p = party("OOO Zarya Optronika", "", "");
        let fp = dualtrace_matching::fingerprint(&party_query(&p));
        let allow = AllowList::from_entries([dualtrace_matching::AllowEntry {
            fingerprint: fp,
            entity_id: "t-1".into(),
            reason: "different company".into(),
            who: "ana".into(),
            when: "2026-11-29".into(),
        }]);
        let screener =
            PartyScreener::new(&index, &RiskConfig::default(), Some(Arc::new(allow)), None);
        let out = screener.screen(&[&p]);
        assert_eq!(out[0].findings.len(), 1);
        let s = out[0].findings[0].suppressed.as_ref().unwrap();
        assert_eq!(s.reason, "different company");
    }
}
