//! Schemata: the kinds of entity dualtrace screens, with FtM's inheritance between them.
//!
//! FtM's `LegalEntity` is the parent of `Organization`, `Company` and `Person`-like subjects that
//! a list does not type further; a query for a Company may match a LegalEntity but never a Vessel.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of a listed party or asset (a subset of FollowTheMoney's schemata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Schema {
    /// A natural person.
    Person,
    /// A non-commercial organisation (ministry, armed group, university, ...).
    Organization,
    /// A commercial company.
    Company,
    /// Any legal subject when the source does not say which kind (FtM's parent schema).
    LegalEntity,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
}

impl Schema {
    /// All schemata, in a stable order.
    pub const ALL: [Schema; 6] = [
        Schema::Person,
        Schema::Organization,
        Schema::Company,
        Schema::LegalEntity,
        Schema::Vessel,
        Schema::Aircraft,
    ];

    /// The FtM name of the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Company => "Company",
            Schema::LegalEntity => "LegalEntity",
            Schema::Vessel => "Vessel",
            Schema::Aircraft => "Aircraft",
        }
    }

    /// Whether an entity of this schema is a legal subject (can own, trade, be a party).
    pub fn is_party(self) -> bool {
        !matches!(self, Schema::Vessel | Schema::Aircraft)
    }

    /// Whether an entity of schema `self` and one of `other` can be the same thing in the world.
    ///
    /// Identical schemata match; `LegalEntity` is compatible with every party schema (it is
    /// their common parent in FtM); Organization and Company are compatible with each other,
    /// since lists disagree on which a state-owned enterprise is.
    pub fn compatible(self, other: Schema) -> bool {
        if self == other {
            return true;
        }
        match (self, other) {
            (Schema::LegalEntity, o) | (o, Schema::LegalEntity) => o.is_party(),
            (Schema::Organization, Schema::Company) | (Schema::Company, Schema::Organization) => {
                true
            }
            _ => false,
        }
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A schema name that dualtrace does not model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown schema {0:?} (expected one of Person, Organization, Company, LegalEntity, Vessel, Aircraft)"
)]
pub struct UnknownSchema(pub String);

impl FromStr for Schema {
    type Err = UnknownSchema;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schema::ALL
            .into_iter()
            .find(|schema| schema.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownSchema(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_entity_bridges_party_schemata_only() {
        assert!(Schema::LegalEntity.compatible(Schema::Person));
        assert!(Schema::Company.compatible(Schema::LegalEntity));
        assert!(Schema::Company.compatible(Schema::Organization));
        assert!(!Schema::LegalEntity.compatible(Schema::Vessel));
        assert!(!Schema::Person.compatible(Schema::Company));
    }

    #[test]
    fn parses_names_case_insensitively() {
        assert_eq!("vessel".parse::<Schema>(), Ok(Schema::Vessel));
        assert!("Thing".parse::<Schema>().is_err());
    }
}
