//! Properties: the FtM property names dualtrace understands, and what type of value each holds.
//!
//! The entity keeps FtM's open property bag (`name -> [values]`) so that nothing a source says is
//! lost, but the properties below are known: their values are validated on the way in
//! (dates must be dates, countries must be ISO codes) and the matcher knows how to use them.

use std::fmt;

/// The type of value a property holds, which decides how it is validated and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyType {
    /// A name of the entity (full name, alias, part of a name).
    Name,
    /// A partial ISO date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    Date,
    /// An ISO 3166-1 alpha-2 country code, lower case as in FtM.
    Country,
    /// An identifier (passport, tax number, IMO, ...).
    Identifier,
    /// Free text: addresses, remarks, programmes, URLs.
    Text,
}

macro_rules! properties {
    ($($(#[$doc:meta])* $variant:ident => $name:literal : $ty:ident,)*) => {
        /// A property that dualtrace knows by name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Property {
            $($(#[$doc])* $variant,)*
        }

        impl Property {
            /// Every known property.
            pub const ALL: &'static [Property] = &[$(Property::$variant,)*];

            /// The FtM property name, as it appears in entity JSON.
            pub fn name(self) -> &'static str {
                match self { $(Property::$variant => $name,)* }
            }

            /// The type of value the property holds.
            pub fn kind(self) -> PropertyType {
                match self { $(Property::$variant => PropertyType::$ty,)* }
            }

            /// The known property with this FtM name, if any.
            pub fn from_name(name: &str) -> Option<Property> {
                match name { $($name => Some(Property::$variant),)* _ => None }
            }
        }
    };
}

properties! {
    /// The entity's primary name(s).
    Name => "name": Name,
    /// A strong alias (a.k.a. of good quality).
    Alias => "alias": Name,
    /// A weak alias (low-quality a.k.a., nickname): searched, but weighted down.
    WeakAlias => "weakAlias": Name,
    /// A former name (f.k.a.).
    PreviousName => "previousName": Name,
    /// Given name of a person.
    FirstName => "firstName": Name,
    /// Middle name of a person.
    MiddleName => "middleName": Name,
    /// Family name of a person.
    LastName => "lastName": Name,
    /// Patronymic.
    FatherName => "fatherName": Name,
    /// Matronymic.
    MotherName => "motherName": Name,
    /// Second family name or other name part.
    SecondName => "secondName": Name,
    /// Date of birth.
    BirthDate => "birthDate": Date,
    /// Date of death.
    DeathDate => "deathDate": Date,
    /// Date of incorporation of a legal entity.
    IncorporationDate => "incorporationDate": Date,
    /// Year or date a vessel or aircraft was built.
    BuildDate => "buildDate": Date,
    /// Listing date: when the source first designated the entity.
    CreatedAt => "createdAt": Date,
    /// When the source last changed the entry.
    ModifiedAt => "modifiedAt": Date,
    /// Nationality of a person.
    Nationality => "nationality": Country,
    /// Citizenship of a person.
    Citizenship => "citizenship": Country,
    /// Country of birth.
    BirthCountry => "birthCountry": Country,
    /// Jurisdiction of incorporation.
    Jurisdiction => "jurisdiction": Country,
    /// Any country linked to the entity (address countries among them).
    Country => "country": Country,
    /// The flag state of a vessel or registration country of an aircraft.
    Flag => "flag": Country,
    /// Passport number.
    PassportNumber => "passportNumber": Identifier,
    /// National identity number.
    IdNumber => "idNumber": Identifier,
    /// Tax number (generic).
    TaxNumber => "taxNumber": Identifier,
    /// Russian taxpayer number (INN).
    InnCode => "innCode": Identifier,
    /// Russian primary state registration number (OGRN).
    OgrnCode => "ogrnCode": Identifier,
    /// Russian KPP code.
    KppCode => "kppCode": Identifier,
    /// Russian OKPO code.
    OkpoCode => "okpoCode": Identifier,
    /// Chinese unified social credit code (USCC).
    UscCode => "uscCode": Identifier,
    /// VAT number.
    VatCode => "vatCode": Identifier,
    /// Company or other registration number.
    RegistrationNumber => "registrationNumber": Identifier,
    /// Legal Entity Identifier.
    LeiCode => "leiCode": Identifier,
    /// SWIFT/BIC code.
    SwiftBic => "swiftBic": Identifier,
    /// IMO ship (or company) number.
    ImoNumber => "imoNumber": Identifier,
    /// Maritime Mobile Service Identity.
    Mmsi => "mmsi": Identifier,
    /// Dun & Bradstreet DUNS number.
    DunsCode => "dunsCode": Identifier,
    /// Russian bank identifier (BIK).
    BikCode => "bikCode": Identifier,
    /// Radio call sign of a vessel or aircraft.
    CallSign => "callSign": Identifier,
    /// Manufacturer serial number of an aircraft.
    SerialNumber => "serialNumber": Identifier,
    /// Gender of a person (`male`, `female`, `other`).
    Gender => "gender": Text,
    /// Honorific or title.
    Title => "title": Text,
    /// Position or function held.
    Position => "position": Text,
    /// Place of birth.
    BirthPlace => "birthPlace": Text,
    /// A full postal address.
    Address => "address": Text,
    /// Sanctions programme or regime the listing falls under.
    Program => "program": Text,
    /// Remarks of the source.
    Notes => "notes": Text,
    /// The source's page for the entry.
    SourceUrl => "sourceUrl": Text,
    /// OpenSanctions-style topic tags (e.g. `sanction`, `export.control`).
    Topics => "topics": Text,
    /// Legal form as printed (LLC, JSC, GmbH, ...).
    LegalForm => "legalForm": Text,
    /// Sector of activity.
    Sector => "sector": Text,
    /// E-mail address.
    Email => "email": Text,
    /// Phone number.
    Phone => "phone": Text,
    /// Web site.
    Website => "website": Text,
    /// Vessel or aircraft type.
    Type => "type": Text,
    /// Vessel tonnage.
    Tonnage => "tonnage": Text,
    /// Vessel gross registered tonnage.
    GrossRegisteredTonnage => "grossRegisteredTonnage": Text,
    /// Aircraft model.
    Model => "model": Text,
    /// Owner or operator named by the source (vessels, aircraft).
    OwnerName => "ownerName": Text,
    /// Operator of an aircraft or vessel.
    Operator => "operator": Text,
    /// Former flag states of a vessel.
    PastFlags => "pastFlags": Country,
    /// Crypto-currency wallet addresses named by the source.
    CryptoWallet => "cryptoWallet": Text,
    /// Names of entities the source says this one is linked to (OFAC's "Linked To:").
    LinkedTo => "linkedTo": Text,
    /// The sub-list of a consolidated source (e.g. "Entity List" within the US CSL).
    SourceList => "sourceList": Text,
}

impl Property {
    /// Whether the property holds a name of the entity that screening should search.
    pub fn is_searchable_name(self) -> bool {
        matches!(
            self,
            Property::Name | Property::Alias | Property::WeakAlias | Property::PreviousName
        )
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Property::ALL {
            assert_eq!(Property::from_name(p.name()), Some(*p));
        }
        assert_eq!(Property::from_name("nope"), None);
    }
}
