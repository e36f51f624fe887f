//! The official list formats and their parsers.
//!
//! One module per publisher format. Each exposes
//! `pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError>`: it reads every
//! record, maps what screening can use into entities (ids prefixed per source so they are unique
//! in the store), and fails on the first malformed record with its file, line and field. A
//! parser either returns the whole list or an error; it never returns half a list.

use crate::error::ParseError;
use crate::source::Input;
use dualtrace_model::Entity;
use std::fmt;
use std::str::FromStr;

pub mod bis_dpl;
pub mod eu_annex;
pub mod eu_fsf;
pub mod ftm_json;
pub mod jp_meti;
pub mod ofac;
mod table;
pub mod uk;
pub mod un_xml;
pub mod us_csl;
mod values;
mod xml;

/// The entities read from one list's source files.
#[derive(Debug, Clone, Default)]
pub struct ParsedList {
    /// The entities, in source order, ids unique.
    pub entities: Vec<Entity>,
    /// Source records read (rows, XML elements); differs from the entity count where a source
    /// spreads one entity over several records.
    pub records: usize,
    /// Values that were read but could not be used (e.g. a country no ISO code exists for),
    /// each naming file, line and field. They do not fail the import; they are reported.
    pub warnings: Vec<String>,
}

impl ParsedList {
    /// The entity with this id, if the list has it.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }
}

/// An official list format that `dualtrace lists import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OFAC SDN legacy CSV set: `sdn.csv` with optional `add.csv`, `alt.csv`, `sdn_comments.csv`.
    OfacSdnCsv,
    /// OFAC consolidated non-SDN CSV set: `cons_prim.csv`, `cons_add.csv`, `cons_alt.csv`,
    /// `cons_comments.csv`.
    OfacConsCsv,
    /// US Consolidated Screening List CSV (trade.gov; plain or gzip).
    UsCslCsv,
    /// BIS Denied Persons List, tab-separated.
    BisDpl,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// UK FCDO sanctions list CSV.
    UkCsv,
    /// UK FCDO sanctions list OpenDocument spreadsheet.
    UkOds,
    /// EU Financial Sanctions File XML 1.1.
    EuFsfXml,
    /// EU Financial Sanctions File CSV 1.1.
    EuFsfCsv,
    /// EU regulation-annex CSVs (OpenSanctions' EUR-Lex transcription).
    EuAnnexCsv,
    /// Japan METI export-ban lists, text extracted from the PDFs.
    JpMetiTxt,
    /// FollowTheMoney entity JSON lines (any OpenSanctions export).
    FtmJson,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 12] = [
        Format::OfacSdnCsv,
        Format::OfacConsCsv,
        Format::UsCslCsv,
        Format::BisDpl,
        Format::UnXml,
        Format::UkCsv,
        Format::UkOds,
        Format::EuFsfXml,
        Format::EuFsfCsv,
        Format::EuAnnexCsv,
        Format::JpMetiTxt,
        Format::FtmJson,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::OfacSdnCsv => "ofac-sdn-csv",
            Format::OfacConsCsv => "ofac-cons-csv",
            Format::UsCslCsv => "us-csl-csv",
            Format::BisDpl => "bis-dpl",
            Format::UnXml => "un-xml",
            Format::UkCsv => "uk-csv",
            Format::UkOds => "uk-ods",
            Format::EuFsfXml => "eu-fsf-xml",
            Format::EuFsfCsv => "eu-fsf-csv",
            Format::EuAnnexCsv => "eu-annex-csv",
            Format::JpMetiTxt => "jp-meti-txt",
            Format::FtmJson => "ftm-json",
        }
    }

    /// The store's list name for this format when the user gives none.
    pub fn default_list(self) -> &'static str {
        match self {
            Format::OfacSdnCsv => "ofac_sdn",
            Format::OfacConsCsv => "ofac_cons",
            Format::UsCslCsv => "us_csl",
            Format::BisDpl => "bis_dpl",
            Format::UnXml => "un_sc",
            Format::UkCsv | Format::UkOds => "uk_fcdo",
            Format::EuFsfXml | Format::EuFsfCsv => "eu_fsf",
            Format::EuAnnexCsv => "eu_annexes",
            Format::JpMetiTxt => "jp_meti",
            Format::FtmJson => "ftm",
        }
    }

    /// Parses the inputs of one list in this format.
    pub fn parse(self, inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
        if inputs.is_empty() {
            return Err(ParseError::new(
                "-",
                crate::error::Location::File,
                "-",
                format!("no input files for {self}"),
            ));
        }
        let parsed = match self {
            Format::OfacSdnCsv => ofac::parse_sdn(inputs, list),
            Format::OfacConsCsv => ofac::parse_cons(inputs, list),
            Format::UsCslCsv => us_csl::parse(inputs, list),
            Format::BisDpl => bis_dpl::parse(inputs, list),
            Format::UnXml => un_xml::parse(inputs, list),
            Format::UkCsv => uk::parse_csv(inputs, list),
            Format::UkOds => uk::parse_ods(inputs, list),
            Format::EuFsfXml => eu_fsf::parse_xml(inputs, list),
            Format::EuFsfCsv => eu_fsf::parse_csv(inputs, list),
            Format::EuAnnexCsv => eu_annex::parse(inputs, list),
            Format::JpMetiTxt => jp_meti::parse(inputs, list),
            Format::FtmJson => ftm_json::parse(inputs, list),
        }?;
        check_unique_ids(&parsed, inputs)?;
        Ok(parsed)
    }
}

/// Ids must be unique within a list version: a parser that merges records must do so itself.
fn check_unique_ids(parsed: &ParsedList, inputs: &[Input]) -> Result<(), ParseError> {
    let mut seen = std::collections::HashSet::with_capacity(parsed.entities.len());
    for e in &parsed.entities {
        e.validate().map_err(|err| {
            ParseError::new(
                &inputs[0].name,
                crate::error::Location::File,
                "entity",
                err.to_string(),
            )
        })?;
        if !seen.insert(e.id.as_str()) {
            return Err(ParseError::new(
                &inputs[0].name,
                crate::error::Location::File,
                "id",
                format!("duplicate entity id {}", e.id),
            ));
        }
    }
    Ok(())
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that dualtrace does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown list format {0:?}")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary bytes give an error or a list, never a panic, in every format.
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            for f in Format::ALL {
                if let Ok(input) = Input::from_bytes("fuzz.bin", data.clone()) {
                    let _ = f.parse(&[input], "fuzz");
                }
            }
        }
    }
}
