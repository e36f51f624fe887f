//! The HS nomenclature (chapter, heading and subheading descriptions), loaded at run time.
//!
//! The file has the layout of the UN/WCO-derived `hs2022.csv` / `hs2017.csv`:
//! `section,hscode,description,parent,level`, one row per chapter (level 2), heading (4) and
//! subheading (6), with an optional byte-order mark. The UN files also carry a grand-total row
//! (`TOTAL`, level 5) and may end with an empty row: both are skipped; the statistical code
//! `9999`/`999999` (commodities not specified) is loaded like any code. The crate works without it (codes are still
//! parsed and screened); with it, lookups carry descriptions and codes absent from the edition are
//! reported as errors.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::code::HsVersion;
use crate::error::Error;
use crate::table::Table;

/// The code of the grand-total row (level 5) some files end with; it is not a code.
const TOTAL: &str = "TOTAL";

/// One chapter, heading or subheading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NomenclatureEntry {
    /// The Roman numeral of the HS section.
    pub section: String,
    /// The description.
    pub description: String,
    /// The parent code (`TOTAL` for chapters).
    pub parent: String,
    /// 2, 4 or 6.
    pub level: u8,
}

/// An HS edition's codes and descriptions.
#[derive(Debug, Clone)]
pub struct Nomenclature {
    version: HsVersion,
    entries: HashMap<String, NomenclatureEntry>,
}

impl Nomenclature {
    /// Loads a nomenclature file of the given edition.
    pub fn from_path(path: &Path, version: HsVersion) -> Result<Nomenclature, Error> {
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            context: path.display().to_string(),
            source,
        })?;
        Self::from_reader(&path.display().to_string(), file, version)
    }

    /// Loads a nomenclature from a reader (`name` is used in errors).
    pub fn from_reader<R: Read>(
        name: &str,
        reader: R,
        version: HsVersion,
    ) -> Result<Nomenclature, Error> {
        let mut t = Table::new(name, reader)?;
        let cols = ["section", "hscode", "description", "parent", "level"].map(|c| t.column(c));
        let [section, code, description, parent, level] = cols;
        let (section, code, description, parent, level) =
            (section?, code?, description?, parent?, level?);
        let mut entries = HashMap::new();
        while t.next_row()? {
            let hs = t.get(code);
            if hs.is_empty() || hs == TOTAL {
                continue;
            }
            let lvl: u8 = t
                .get(level)
                .parse()
                .map_err(|_| t.error("level", format!("{:?} is not 2, 4 or 6", t.get(level))))?;
            if !matches!(lvl, 2 | 4 | 6)
                || hs.len() != usize::from(lvl)
                || !hs.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(t.error("hscode", format!("{hs:?} is not a level-{lvl} HS code")));
            }
            let entry = NomenclatureEntry {
                section: t.get(section).to_string(),
                description: t.get(description).to_string(),
                parent: t.get(parent).to_string(),
                level: lvl,
            };
            if entries.insert(hs.to_string(), entry).is_some() {
                return Err(t.error("hscode", format!("duplicate code {hs}")));
            }
        }
        Ok(Nomenclature { version, entries })
    }

    /// The edition.
    pub fn version(&self) -> HsVersion {
        self.version
    }

    /// The entry of a chapter, heading or subheading.
    pub fn get(&self, code: &str) -> Option<&NomenclatureEntry> {
        self.entries.get(code)
    }

    /// The description of a code.
    pub fn description(&self, code: &str) -> Option<&str> {
        self.get(code).map(|e| e.description.as_str())
    }

    /// Whether the edition has the code.
    pub fn contains(&self, code: &str) -> bool {
        self.entries.contains_key(code)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of entries of a level (2, 4 or 6).
    pub fn count_level(&self, level: u8) -> usize {
        self.entries.values().filter(|e| e.level == level).count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SAMPLE: &str = "\u{feff}section,hscode,description,parent,level\n\
        XVI,85,Electrical machinery,TOTAL,2\n\
        XVI,8542,Electronic integrated circuits,85,4\n\
        XVI,854231,\"ICs; processors and controllers\",8542,6\n\
        TOTAL,TOTAL,All,TOTAL,5\n,,,,\n";

    #[test]
    fn loads_descriptions() {
        let n = Nomenclature::from_reader("t.csv", SAMPLE.as_bytes(), HsVersion::Hs2022).unwrap();
        assert_eq!(n.len(), 3, "total and empty rows skipped");
        assert_eq!(
            n.description("854231"),
            Some("ICs; processors and controllers")
        );
        assert_eq!(n.get("8542").unwrap().parent, "85");
        assert_eq!(n.count_level(6), 1);
        assert!(!n.contains("854232"));
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad = "section,hscode,description,parent,level\nXVI,8542,x,85,4\nXVI,85423,y,8542,6\n";
        let e = Nomenclature::from_reader("t.csv", bad.as_bytes(), HsVersion::Hs2022)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.csv: line 3, field hscode: \"85423\" is not a level-6 HS code"
        );
        let lvl = "section,hscode,description,parent,level\nXVI,8542,x,85,four\n";
        let e = Nomenclature::from_reader("t.csv", lvl.as_bytes(), HsVersion::Hs2022)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, field level"), "{e}");
        let cols = "code,description\n";
        let e = Nomenclature::from_reader("t.csv", cols.as_bytes(), HsVersion::Hs2022)
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing column \"section\""), "{e}");
        let missing = Nomenclature::from_path(Path::new("/nonexistent/hs.csv"), HsVersion::Hs2017);
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .starts_with("/nonexistent/hs.csv: ")
        );
    }
}
