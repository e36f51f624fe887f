//! The entity: one listed person, organisation, company, vessel or aircraft.
//!
//! Serialises exactly as FollowTheMoney entity JSON, plus an optional `provenance` object that
//! FtM readers ignore. Values enter through [`Entity::add`], which validates them by property
//! type, collapses white space and drops duplicates, so two imports of the same source produce
//! byte-identical JSON (the store hashes it to version lists).

use crate::country::{CountryError, country_code};
use crate::date::{DateError, DayOrder, PartialDate};
use crate::identifier::{IdKind, Identifier};
use crate::property::{Property, PropertyType};
use crate::schema::Schema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where an entity came from: the list and the record in the source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The list name in the store (e.g. `ofac_sdn`).
    pub list: String,
    /// The source's own record id (OFAC ent_num, UN DATAID, UK unique id, ...).
    pub record_id: String,
    /// The list version the entity was read from; set by the store when it loads a version
    /// (it is not part of the hashed content, which defines the version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// How a name relates to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NameKind {
    /// The primary name.
    Primary,
    /// A strong alias.
    Alias,
    /// A weak alias (low quality, nickname).
    Weak,
    /// A former name.
    Previous,
}

impl NameKind {
    /// Every kind, in the order [`Entity::names`] gives their names.
    pub const ALL: [NameKind; 4] = [
        NameKind::Primary,
        NameKind::Alias,
        NameKind::Weak,
        NameKind::Previous,
    ];

    /// The property holding names of this kind.
    pub fn property(self) -> Property {
        match self {
            NameKind::Primary => Property::Name,
            NameKind::Alias => Property::Alias,
            NameKind::Weak => Property::WeakAlias,
            NameKind::Previous => Property::PreviousName,
        }
    }
}

/// A value rejected by the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A date property got something that is not a date.
    #[error("{prop}: {source}")]
    Date {
        /// The property.
        prop: Property,
        /// Why the date was rejected.
        source: DateError,
    },
    /// A country property got something that is not a country.
    #[error("{prop}: {source}")]
    Country {
        /// The property.
        prop: Property,
        /// The unmapped value.
        source: CountryError,
    },
    /// An entity without id.
    #[error("entity has an empty id")]
    EmptyId,
    /// An entity without any name.
    #[error("entity {0} has no name")]
    NoName(String),
}

/// A FollowTheMoney-compatible entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id, unique in the store (e.g. `ofac-sdn-36`).
    pub id: String,
    /// The schema.
    pub schema: Schema,
    /// FtM property bag: property name to values, in the order the source gave them.
    pub properties: BTreeMap<String, Vec<String>>,
    /// Datasets (list names) the entity belongs to.
    #[serde(default)]
    pub datasets: Vec<String>,
    /// Where the entity came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// Trims and collapses runs of white space (no-break spaces included) to one space.
pub fn clean_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl Entity {
    /// A new entity with no properties.
    pub fn new(id: impl Into<String>, schema: Schema) -> Self {
        Entity {
            id: id.into(),
            schema,
            properties: BTreeMap::new(),
            datasets: Vec::new(),
            provenance: None,
        }
    }

    /// Sets the provenance and the dataset of the entity.
    pub fn with_source(mut self, list: &str, record_id: impl Into<String>) -> Self {
        self.provenance = Some(Provenance {
            list: list.to_string(),
            record_id: record_id.into(),
            version: None,
        });
        if !self.datasets.iter().any(|d| d == list) {
            self.datasets.push(list.to_string());
        }
        self
    }

    /// Adds a value, validated and cleaned according to the property's type.
    ///
    /// Empty values are ignored; duplicates are dropped. Dates accept the forms of
    /// [`PartialDate::parse_with`] (day before month); countries any name or code that
    /// [`country_code`] knows. Returns whether a new value was stored.
    pub fn add(&mut self, prop: Property, value: &str) -> Result<bool, ModelError> {
        let cleaned = clean_text(value);
        if cleaned.is_empty() {
            return Ok(false);
        }
        let stored = match prop.kind() {
            PropertyType::Date => PartialDate::parse_with(&cleaned, DayOrder::DayMonthYear)
                .map_err(|source| ModelError::Date { prop, source })?
                .to_string(),
            PropertyType::Country => {
                country_code(&cleaned).map_err(|source| ModelError::Country { prop, source })?
            }
            PropertyType::Name | PropertyType::Identifier | PropertyType::Text => cleaned,
        };
        Ok(self.push(prop.name(), stored))
    }

    /// Adds a date that has already been parsed.
    pub fn add_date(&mut self, prop: Property, date: PartialDate) -> bool {
        self.push(prop.name(), date.to_string())
    }

    /// Adds a value to any property by FtM name, without validation (for FtM input whose
    /// properties dualtrace does not model; known properties still go through [`Entity::add`]).
    pub fn add_raw(&mut self, name: &str, value: &str) -> Result<bool, ModelError> {
        match Property::from_name(name) {
            Some(prop) => self.add(prop, value),
            None => {
                let cleaned = clean_text(value);
                Ok(!cleaned.is_empty() && self.push(name, cleaned))
            }
        }
    }

    fn push(&mut self, name: &str, value: String) -> bool {
        let values = self.properties.entry(name.to_string()).or_default();
        if values.contains(&value) {
            false
        } else {
            values.push(value);
            true
        }
    }

    /// The values of a property (empty when it has none).
    pub fn get(&self, prop: Property) -> &[String] {
        self.properties
            .get(prop.name())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first value of a property.
    pub fn first(&self, prop: Property) -> Option<&str> {
        self.get(prop).first().map(String::as_str)
    }

    /// A display name: the first primary name, else the first alias, else the id.
    pub fn caption(&self) -> &str {
        self.first(Property::Name)
            .or_else(|| self.first(Property::Alias))
            .or_else(|| self.first(Property::PreviousName))
            .or_else(|| self.first(Property::WeakAlias))
            .unwrap_or(&self.id)
    }

    /// Every searchable name with its kind: primary names, aliases, weak aliases, former names.
    pub fn names(&self) -> impl Iterator<Item = (NameKind, &str)> {
        NameKind::ALL.into_iter().flat_map(move |kind| {
            self.get(kind.property())
                .iter()
                .map(move |n| (kind, n.as_str()))
        })
    }

    /// Every identifier of the entity, typed, in the order of [`Property::ALL`]. (Read from the
    /// properties the entity has rather than by looking up every identifier property.)
    pub fn identifiers(&self) -> impl Iterator<Item = Identifier> + '_ {
        let mut held: Vec<(Property, IdKind, &Vec<String>)> = self
            .properties
            .iter()
            .filter_map(|(key, values)| {
                let p = Property::from_name(key)?;
                Some((p, IdKind::from_property(p)?, values))
            })
            .collect();
        held.sort_by_key(|(p, ..)| *p);
        held.into_iter().flat_map(|(_, kind, values)| {
            values.iter().map(move |v| Identifier {
                kind,
                value: v.clone(),
            })
        })
    }

    /// Every country code linked to the entity (nationality, citizenship, jurisdiction,
    /// address country, flag, birth country), sorted and deduplicated. (Read from the
    /// properties the entity has rather than by looking up every country property.)
    pub fn countries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .properties
            .iter()
            .filter(|(key, _)| {
                Property::from_name(key).is_some_and(|p| p.kind() == PropertyType::Country)
            })
            .flat_map(|(_, values)| values.iter().map(String::as_str))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Birth dates, parsed (values that fail to parse are skipped).
    pub fn birth_dates(&self) -> impl Iterator<Item = PartialDate> + '_ {
        self.get(Property::BirthDate)
            .iter()
            .filter_map(|d| PartialDate::parse_iso(d).ok())
    }

    /// Checks the invariants the store relies on: a non-empty id and at least one name.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.id.trim().is_empty() {
            return Err(ModelError::EmptyId);
        }
        if self.names().next().is_none() {
            return Err(ModelError::NoName(self.id.clone()));
        }
        Ok(())
    }

    /// Merges another record of the same entity into this one (values appended, deduplicated).
    pub fn merge(&mut self, other: Entity) {
        for (name, values) in other.properties {
            for v in values {
                self.push(&name, v);
            }
        }
        for d in other.datasets {
            if !self.datasets.contains(&d) {
                self.datasets.push(d);
            }
        }
    }

    /// The canonical JSON of the entity: FtM JSON with sorted property names and without the
    /// store-assigned version. Equal entities give equal bytes.
    pub fn canonical_json(&self) -> String {
        let mut copy = self.clone();
        if let Some(p) = copy.provenance.as_mut() {
            p.version = None;
        }
        copy.datasets.sort();
        // Serialising a struct of strings, maps and vectors cannot fail.
        serde_json::to_string(&copy).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_come_in_property_order_whatever_the_entity_holds() {
        let mut e = Entity::new("t-2", Schema::Company);
        for (p, v) in [
            (Property::ImoNumber, "IMO 9305609"),
            (Property::Name, "Demo Shipping"),
            (Property::InnCode, "7707083893"),
            (Property::PassportNumber, "AB123"),
            (Property::InnCode, "7707083894"),
            (Property::Country, "ru"),
        ] {
            e.add(p, v).expect("a valid value");
        }
        // Every identifier property looked up in turn, as the model lists them.
        let looked_up: Vec<Identifier> = Property::ALL
            .iter()
            .filter_map(|p| IdKind::from_property(*p))
            .flat_map(|kind| {
                e.get(kind.property()).iter().map(move |v| Identifier {
                    kind,
                    value: v.clone(),
                })
            })
            .collect();
        assert_eq!(looked_up.len(), 4);
        assert_eq!(e.identifiers().collect::<Vec<_>>(), looked_up);
    }

    fn sample() -> Entity {
        let mut e = Entity::new("t-1", Schema::Person).with_source("test", "1");
        e.add(Property::Name, "  Ivan\u{a0} PETROV ").ok();
        e.add(Property::Alias, "Ivan Petrov").ok();
        e.add(Property::Alias, "Ivan Petrov").ok();
        e.add(Property::WeakAlias, "Vanya").ok();
        e.add(Property::BirthDate, "07 May 1961").ok();
        e.add(Property::Nationality, "Russia").ok();
        e.add(Property::PassportNumber, "12 3456").ok();
        e
    }

    #[test]
    fn values_are_cleaned_validated_and_deduplicated() {
        let e = sample();
        assert_eq!(e.get(Property::Name), ["Ivan PETROV"]);
        assert_eq!(e.get(Property::Alias), ["Ivan Petrov"]);
        assert_eq!(e.get(Property::BirthDate), ["1961-05-07"]);
        assert_eq!(e.countries(), ["ru"]);
        assert_eq!(e.names().count(), 3);
        assert_eq!(
            e.identifiers().next().map(|i| i.normalized()),
            Some("123456".into())
        );
    }

    #[test]
    fn bad_values_are_errors() {
        let mut e = sample();
        assert!(matches!(
            e.add(Property::BirthDate, "3017-08-22"),
            Err(ModelError::Date { .. })
        ));
        assert!(matches!(
            e.add(Property::Nationality, "Atlantis"),
            Err(ModelError::Country { .. })
        ));
    }

    #[test]
    fn ftm_json_round_trip() {
        let e = sample();
        let json = e.canonical_json();
        assert!(json.starts_with(r#"{"id":"t-1","schema":"Person","properties":{"#));
        let back: Entity = serde_json::from_str(&json).expect("own JSON parses");
        assert_eq!(back, e);
        assert_eq!(back.canonical_json(), json);
    }

    #[test]
    fn validation() {
        assert_eq!(
            Entity::new("x", Schema::Company).validate(),
            Err(ModelError::NoName("x".into()))
        );
        assert_eq!(
            Entity::new(" ", Schema::Company).validate(),
            Err(ModelError::EmptyId)
        );
        assert!(sample().validate().is_ok());
    }
}
