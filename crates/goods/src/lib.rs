//! Battlefield-critical goods: screening declared shipment lines against the Common High Priority
//! List (CHPL) of the EU, the US, the UK and Japan and a watch list.
//!
//! A shipment line is a national tariff code (US HTS, EU CN/TARIC, EAEU TN VED, China; 6 to 10
//! digits) plus a free-text description. The crate:
//!
//! * parses any written code to its HS-6 subheading, heading and chapter ([`HsCode`]), with a
//!   clear error for what is not a code ([`HsError`]);
//! * ships the CHPL (versioned, with tier meanings), a watch list and the HS 2017 to CHPL mapping
//!   as data files written for the project ([`ControlLists`]);
//! * loads the HS nomenclature ([`Nomenclature`]) and the UN HS 2022/2017 concordance
//!   ([`Concordance`]) from files at run time, and works without them;
//! * detects critical goods in descriptions in English, Russian and Chinese, including chip part
//!   numbers, and flags possible misdeclarations ([`Classifier::classify`]);
//! * classifies a CSV of lines as a stream ([`classify_csv`]).
//!
//! CHPL membership is an HS-level red flag for due diligence, not a licensing determination.

mod batch;
mod classify;
mod code;
mod concordance;
mod describe;
mod error;
mod lists;
mod nomenclature;
mod table;

pub use batch::{BadRow, MAX_BAD_ROWS, OutputFormat, Summary, classify_csv};
pub use classify::{
    ChplMatch, Classification, Classifier, Lookup, Misdeclaration, ShipmentLine, WatchMatch,
};
pub use code::{HsCode, HsVersion};
pub use concordance::{Concordance, Correlation, Relationship};
pub use describe::{DescriptionRules, Evidence, Rule, RuleKind};
pub use error::{Error, HsError};
pub use lists::{
    Chpl, ChplItem, ChplVersion, CodePattern, ControlLists, Coverage, Hs2017Link, Hs2017Map, Tier,
    WatchItem, WatchList,
};
pub use nomenclature::{Nomenclature, NomenclatureEntry};

/// Looks up a code (read as HS 2022) on the shipped lists, without a nomenclature.
pub fn lookup(code: &str) -> Result<Lookup, HsError> {
    Classifier::new().lookup(code, HsVersion::Hs2022)
}
