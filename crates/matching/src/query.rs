//! Queries: the party to screen, as a customer record gives it.
//!
//! A query is deliberately looser than an [`Entity`]: a name, maybe a birth date, a country, an
//! identifier, in whatever form the caller has them. Values that cannot be understood (a date
//! like "around 1960", a country nobody has a code for) are dropped from the comparison rather
//! than failing the screening: a screening must always return an answer, and the explanation
//! shows which values were compared. The schema is optional: without it names are analysed as
//! "any" party and no schema is excluded.

use crate::score::{
    NameForm, Prepared, assign_slots, canonical_countries, canonical_gender, canonical_id,
    name_class,
};
use dualtrace_model::date::DayOrder;
use dualtrace_model::{Entity, PartialDate, Property, Schema};
use serde::{Deserialize, Serialize};

/// A party to screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The kind of party, if known.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Names (any script, any order).
    #[serde(default)]
    pub names: Vec<String>,
    /// Birth dates (ISO `YYYY[-MM[-DD]]`, or day-first forms such as `07 May 1961`).
    #[serde(default)]
    pub birth_dates: Vec<String>,
    /// Countries (ISO codes or names).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Identifiers of any kind (passport, INN, IMO, ...), compared in canonical form.
    #[serde(default)]
    pub identifiers: Vec<String>,
    /// Gender (`male`/`female`, `m`/`f`).
    #[serde(default)]
    pub gender: Option<String>,
}

impl Query {
    /// A query for a name only.
    pub fn name(name: impl Into<String>) -> Query {
        Query {
            names: vec![name.into()],
            ..Query::default()
        }
    }

    /// The query an entity makes: all its names, birth dates, countries, identifiers, gender.
    pub fn from_entity(e: &Entity) -> Query {
        Query {
            schema: Some(e.schema),
            names: e.names().map(|(_, n)| n.to_string()).collect(),
            birth_dates: e.get(Property::BirthDate).to_vec(),
            countries: e.countries().into_iter().map(str::to_string).collect(),
            identifiers: e.identifiers().map(|i| i.value).collect(),
            gender: e.first(Property::Gender).map(str::to_string),
        }
    }

    /// The identifiers in canonical form, sorted, without repeats (unreadable ones dropped).
    pub(crate) fn canonical_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .identifiers
            .iter()
            .filter_map(|i| canonical_id(i))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Prepares the query for comparisons (names analysed once, values canonicalised).
    pub(crate) fn prepare(&self) -> Prepared {
        let class = name_class(self.schema);
        let ids = self.canonical_ids();
        let mut names: Vec<NameForm> = self
            .names
            .iter()
            .map(|n| NameForm::for_query(n, class))
            .filter(|n| !n.variants.is_empty())
            .collect();
        let (slots, sketch) = assign_slots(&mut names);
        Prepared {
            schema: self.schema,
            names,
            slots,
            sketch,
            birth: self
                .birth_dates
                .iter()
                .filter_map(|d| parse_date(d))
                .collect(),
            countries: canonical_countries(&self.countries),
            ids,
            gender: self.gender.as_deref().and_then(canonical_gender),
        }
    }
}

/// Parses a birth date leniently (ISO first, then day-first forms).
fn parse_date(text: &str) -> Option<PartialDate> {
    PartialDate::parse_iso(text.trim())
        .or_else(|_| PartialDate::parse_with(text, DayOrder::DayMonthYear))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_entity_takes_everything_screening_uses() {
        let mut e = Entity::new("t-1", Schema::Person);
        e.add(Property::Name, "Ivan Petrov").ok();
        e.add(Property::WeakAlias, "Vanya").ok();
        e.add(Property::BirthDate, "1961-05-07").ok();
        e.add(Property::Nationality, "ru").ok();
        e.add(Property::PassportNumber, "12 3456789").ok();
        e.add(Property::Gender, "male").ok();
        let q = Query::from_entity(&e);
        assert_eq!(q.names, ["Ivan Petrov", "Vanya"]);
        assert_eq!(q.birth_dates, ["1961-05-07"]);
        let p = q.prepare();
        assert_eq!(p.ids, ["123456789"]);
        assert_eq!(p.countries, ["ru"]);
        assert_eq!(p.gender.as_deref(), Some("male"));
    }

    #[test]
    fn unreadable_values_are_dropped() {
        let q = Query {
            names: vec!["".into(), "«»".into(), "Ivan".into()],
            birth_dates: vec!["around 1960".into(), "07 May 1961".into()],
            countries: vec!["Atlantis".into(), "Germany".into()],
            identifiers: vec!["12".into()],
            ..Query::default()
        };
        let p = q.prepare();
        assert_eq!(p.names.len(), 1);
        assert_eq!(p.birth.len(), 1);
        assert_eq!(p.countries, ["de"]);
        assert!(p.ids.is_empty());
    }
}
