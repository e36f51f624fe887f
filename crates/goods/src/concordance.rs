//! The UN Statistics Division HS 2022 to HS 2017 correlation and conversion tables, loaded at run
//! time.
//!
//! * Correlations (`hs2022_to_hs2017_correlations.csv`): a `Between,` line, then the header
//!   `HS2022, HS2017,Relationship` and one row per linked pair, with `1:1`, `n:1`, `1:n` or `n:n`.
//!   The UNSD lists every pair of an n:n group, so a group can be very large; some are odd (the
//!   HS 2022 codes 854151/854159 sit in a 157-code group of dishwashers, printers and measuring
//!   instruments that lacks their real source, HS 2017 854150). [`Concordance::group_size`] lets
//!   callers see such groups; the crate's own CHPL mapping (`data/hs2017_to_chpl.csv`) is checked
//!   against these tables by tests and corrects that group.
//! * Conversions (`hs2022_to_hs2017_conversions.csv`): `From HS2022,To HS2017`, one
//!   representative HS 2017 code per HS 2022 code.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::error::Error;

/// A relationship of the correlation table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relationship {
    /// One code to one code.
    OneToOne,
    /// Several HS 2022 codes to one HS 2017 code.
    ManyToOne,
    /// One HS 2022 code to several HS 2017 codes.
    OneToMany,
    /// A group of codes on both sides.
    ManyToMany,
}

impl Relationship {
    fn parse(s: &str) -> Option<Relationship> {
        match s.trim() {
            "1:1" => Some(Relationship::OneToOne),
            "n:1" => Some(Relationship::ManyToOne),
            "1:n" => Some(Relationship::OneToMany),
            "n:n" => Some(Relationship::ManyToMany),
            _ => None,
        }
    }
}

/// One linked pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correlation {
    /// The HS 2022 code.
    pub hs2022: String,
    /// The HS 2017 code.
    pub hs2017: String,
    /// The relationship of the pair's group.
    pub relationship: Relationship,
}

/// The HS 2022 to HS 2017 concordance.
#[derive(Debug, Clone, Default)]
pub struct Concordance {
    pairs: Vec<Correlation>,
    by_2022: HashMap<String, Vec<usize>>,
    by_2017: HashMap<String, Vec<usize>>,
    conversions: HashMap<String, String>,
}

impl Concordance {
    /// Loads the correlation table and, optionally, the conversion table.
    pub fn from_paths(correlations: &Path, conversions: Option<&Path>) -> Result<Self, Error> {
        let mut c = Self::default();
        c.read_correlations(&path_name(correlations), open(correlations)?)?;
        if let Some(p) = conversions {
            c.read_conversions(&path_name(p), open(p)?)?;
        }
        Ok(c)
    }

    /// Reads a correlation table (`name` is used in errors).
    pub fn read_correlations<R: Read>(&mut self, name: &str, reader: R) -> Result<(), Error> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut in_body = false;
        for rec in rdr.records() {
            let rec = rec.map_err(|e| Error::csv(name, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let field = |i: usize| rec.get(i).unwrap_or("").trim();
            if !in_body {
                in_body = field(0).eq_ignore_ascii_case("HS2022");
                continue;
            }
            let relationship = Relationship::parse(field(2)).ok_or_else(|| Error::Data {
                file: name.to_string(),
                line,
                field: "Relationship".into(),
                message: format!("{:?} is not 1:1, n:1, 1:n or n:n", field(2)),
            })?;
            let pair = Correlation {
                hs2022: checked_code(name, line, "HS2022", field(0))?,
                hs2017: checked_code(name, line, "HS2017", field(1))?,
                relationship,
            };
            let i = self.pairs.len();
            self.by_2022.entry(pair.hs2022.clone()).or_default().push(i);
            self.by_2017.entry(pair.hs2017.clone()).or_default().push(i);
            self.pairs.push(pair);
        }
        if in_body {
            Ok(())
        } else {
            Err(Error::MissingColumn {
                file: name.to_string(),
                column: "HS2022".into(),
                found: "no header row".into(),
            })
        }
    }

    /// Reads a conversion table (`From HS2022,To HS2017`).
    pub fn read_conversions<R: Read>(&mut self, name: &str, reader: R) -> Result<(), Error> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        for rec in rdr.records() {
            let rec = rec.map_err(|e| Error::csv(name, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let field = |i: usize| rec.get(i).unwrap_or("").trim();
            let from = checked_code(name, line, "From HS2022", field(0))?;
            let to = checked_code(name, line, "To HS2017", field(1))?;
            self.conversions.insert(from, to);
        }
        Ok(())
    }

    /// Number of correlation pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no pair was loaded.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The pairs of an HS 2022 code.
    pub fn for_hs2022(&self, hs2022: &str) -> Vec<&Correlation> {
        self.select(&self.by_2022, hs2022)
    }

    /// The pairs of an HS 2017 code.
    pub fn for_hs2017(&self, hs2017: &str) -> Vec<&Correlation> {
        self.select(&self.by_2017, hs2017)
    }

    /// How many HS 2017 codes an HS 2022 code is linked to (large n:n groups deserve scrutiny).
    pub fn group_size(&self, hs2022: &str) -> usize {
        self.by_2022.get(hs2022).map_or(0, Vec::len)
    }

    /// The conversion table's HS 2017 code for an HS 2022 code.
    pub fn conversion(&self, hs2022: &str) -> Option<&str> {
        self.conversions.get(hs2022).map(String::as_str)
    }

    /// The HS 2022 codes the conversion table sends to an HS 2017 code.
    pub fn converted_from(&self, hs2017: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .conversions
            .iter()
            .filter(|(_, to)| to.as_str() == hs2017)
            .map(|(from, _)| from.as_str())
            .collect();
        out.sort_unstable();
        out
    }

    fn select(&self, index: &HashMap<String, Vec<usize>>, code: &str) -> Vec<&Correlation> {
        index
            .get(code)
            .map(|ix| ix.iter().map(|&i| &self.pairs[i]).collect())
            .unwrap_or_default()
    }
}

fn path_name(p: &Path) -> String {
    p.display().to_string()
}

fn open(p: &Path) -> Result<std::fs::File, Error> {
    std::fs::File::open(p).map_err(|source| Error::Io {
        context: path_name(p),
        source,
    })
}

fn checked_code(name: &str, line: u64, field: &str, value: &str) -> Result<String, Error> {
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_string())
    } else {
        Err(Error::Data {
            file: name.to_string(),
            line,
            field: field.to_string(),
            message: format!("{value:?} is not a 6-digit HS code"),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_correlations_after_the_between_line() {
        let text =
            "Between,\r\nHS2022, HS2017,Relationship\r\n852589,852580,n:1\r\n852581,852580,n:1\r\n";
        let mut c = Concordance::default();
        c.read_correlations("corr.csv", text.as_bytes()).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c.for_hs2017("852580").len(), 2);
        assert_eq!(
            c.for_hs2022("852589")[0].relationship,
            Relationship::ManyToOne
        );
        assert_eq!(c.group_size("852589"), 1);
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let text = "Between,\nHS2022, HS2017,Relationship\n852589,852580,n:1\n852589,85258,n:1\n";
        let e = Concordance::default()
            .read_correlations("corr.csv", text.as_bytes())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "corr.csv: line 4, field HS2017: \"85258\" is not a 6-digit HS code"
        );
        let rel = "HS2022,HS2017,Relationship\n852589,852580,2:2\n";
        let e = Concordance::default()
            .read_correlations("c", rel.as_bytes())
            .unwrap_err();
        assert!(e.to_string().contains("line 2, field Relationship"), "{e}");
        let none = Concordance::default().read_correlations("c", "a,b\n".as_bytes());
        assert!(
            none.unwrap_err()
                .to_string()
                .contains("missing column \"HS2022\"")
        );
    }

    #[test]
    fn reads_conversions() {
        let text = "From HS2022,To HS2017\n854151,851712\n854159,851712\n";
        let mut c = Concordance::default();
        c.read_conversions("conv.csv", text.as_bytes()).unwrap();
        assert_eq!(c.conversion("854151"), Some("851712"));
        assert_eq!(c.converted_from("851712"), ["854151", "854159"]);
    }
}
