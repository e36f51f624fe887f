//! Identifiers: a typed view of the id-like properties of an entity.
//!
//! An identifier match (the same IMO number, INN or passport) is the strongest evidence
//! screening has, so identifiers are compared in a canonical form: upper case, without spaces,
//! dashes, dots or slashes, and without the labels lists put in front of them ("IMO 9187629").

use crate::property::Property;
use std::fmt;

/// The kind of an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// Passport number.
    Passport,
    /// National identity number.
    NationalId,
    /// Tax number (generic).
    TaxId,
    /// Russian INN.
    Inn,
    /// Russian OGRN.
    Ogrn,
    /// Russian KPP.
    Kpp,
    /// Russian OKPO.
    Okpo,
    /// Chinese unified social credit code.
    Uscc,
    /// VAT number.
    Vat,
    /// Company registration number.
    Registration,
    /// Legal Entity Identifier.
    Lei,
    /// SWIFT/BIC.
    Bic,
    /// IMO number.
    Imo,
    /// MMSI.
    Mmsi,
    /// DUNS number.
    Duns,
    /// Russian bank identifier (BIK).
    Bik,
    /// Radio call sign.
    CallSign,
    /// Aircraft serial number.
    Serial,
}

impl IdKind {
    /// The FtM property that holds identifiers of this kind.
    pub fn property(self) -> Property {
        match self {
            IdKind::Passport => Property::PassportNumber,
            IdKind::NationalId => Property::IdNumber,
            IdKind::TaxId => Property::TaxNumber,
            IdKind::Inn => Property::InnCode,
            IdKind::Ogrn => Property::OgrnCode,
            IdKind::Kpp => Property::KppCode,
            IdKind::Okpo => Property::OkpoCode,
            IdKind::Uscc => Property::UscCode,
            IdKind::Vat => Property::VatCode,
            IdKind::Registration => Property::RegistrationNumber,
            IdKind::Lei => Property::LeiCode,
            IdKind::Bic => Property::SwiftBic,
            IdKind::Imo => Property::ImoNumber,
            IdKind::Mmsi => Property::Mmsi,
            IdKind::Duns => Property::DunsCode,
            IdKind::Bik => Property::BikCode,
            IdKind::CallSign => Property::CallSign,
            IdKind::Serial => Property::SerialNumber,
        }
    }

    /// The kind of identifier a property holds, if it holds one.
    pub fn from_property(prop: Property) -> Option<IdKind> {
        Some(match prop {
            Property::PassportNumber => IdKind::Passport,
            Property::IdNumber => IdKind::NationalId,
            Property::TaxNumber => IdKind::TaxId,
            Property::InnCode => IdKind::Inn,
            Property::OgrnCode => IdKind::Ogrn,
            Property::KppCode => IdKind::Kpp,
            Property::OkpoCode => IdKind::Okpo,
            Property::UscCode => IdKind::Uscc,
            Property::VatCode => IdKind::Vat,
            Property::RegistrationNumber => IdKind::Registration,
            Property::LeiCode => IdKind::Lei,
            Property::SwiftBic => IdKind::Bic,
            Property::ImoNumber => IdKind::Imo,
            Property::Mmsi => IdKind::Mmsi,
            Property::DunsCode => IdKind::Duns,
            Property::BikCode => IdKind::Bik,
            Property::CallSign => IdKind::CallSign,
            Property::SerialNumber => IdKind::Serial,
            _ => return None,
        })
    }

    /// Whether a value of this kind identifies one entity in the world on its own
    /// (IMO, LEI, INN...), as opposed to numbers that repeat across countries (passports).
    pub fn is_globally_unique(self) -> bool {
        matches!(
            self,
            IdKind::Imo
                | IdKind::Mmsi
                | IdKind::Lei
                | IdKind::Bic
                | IdKind::Inn
                | IdKind::Ogrn
                | IdKind::Uscc
        )
    }
}

/// One identifier of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identifier {
    /// What kind of identifier it is.
    pub kind: IdKind,
    /// The value as the source printed it.
    pub value: String,
}

impl Identifier {
    /// The value in canonical form for comparison (see [`normalize_id`]).
    pub fn normalized(&self) -> String {
        normalize_id(&self.value)
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.property(), self.value)
    }
}

/// Canonical form of an identifier: label prefixes such as `IMO`/`No.` dropped, only ASCII
/// letters and digits kept, upper case. `"IMO 9187629"` and `"9187629"` compare equal.
pub fn normalize_id(value: &str) -> String {
    let upper = value.trim().to_uppercase();
    let mut s = upper.as_str();
    for label in ["IMO", "MMSI", "INN", "OGRN", "LEI", "NO.", "NO", "NR.", "#"] {
        if let Some(rest) = s.strip_prefix(label)
            && rest.starts_with(|c: char| !c.is_ascii_alphabetic())
        {
            s = rest;
            break;
        }
    }
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(normalize_id("IMO 9187629"), "9187629");
        assert_eq!(normalize_id("9187629"), "9187629");
        assert_eq!(normalize_id(" ab-123/45 "), "AB12345");
        assert_eq!(normalize_id("No. 7707083893"), "7707083893");
        assert_eq!(normalize_id("INNOVATE1"), "INNOVATE1");
    }

    #[test]
    fn kinds_and_properties_agree() {
        for p in Property::ALL {
            if let Some(k) = IdKind::from_property(*p) {
                assert_eq!(k.property(), *p);
            }
        }
    }
}
