//! EU sanctions regulation annexes, as CSV transcriptions of the Official Journal (OpenSanctions'
//! `eu_journal_sanctions` files, described by the `FORMAT.md` shipped beside them).
//!
//! # The format
//!
//! One file per legal act, UTF-8, comma-separated, with one of two exact headers: the
//! *consolidated* header (`celex,recordId,...`) for a framework act's full annexes, or the
//! *amendment* header (`amendedCelex,amendmentCelex,recordId,...`) for one amending act. Both share
//! 44 sanctions-metadata and entity columns. Columns are mapped by header name; a header that is
//! neither kind (a missing, unknown or repeated column) fails with the file named. Every entity
//! column except `name` is multi-valued: values are separated by `;`, and a value containing `;`
//! or `"` is CSV-quoted inside the cell (`"Foo; Bar"; Baz` holds two values).
//!
//! Cells keep the *printed* wording of the act, so the semantic normalisation happens here:
//!
//! * **Dates** (`birthDate`, `incorporationDate`) are free text: `11.8.1960`, `circa 1957`,
//!   `Between 1977 and 1982`, `(a) 17.8.1957, (b) 17.8.1958`, `1965 or 1966`, `1960s`. Every
//!   alternative becomes a partial date, ranges become each year (up to 31 years), Hijri-calendar
//!   dates are not converted, and text that yields no date is a warning. `startDate` (the
//!   designation date) becomes `createdAt`.
//! * **Countries** (`nationality`, `jurisdiction`, `country`, `flag`) are printed names or
//!   demonyms, often several in one value (`Ukrainian, Russian`, `(a) German, (b) Moroccan`,
//!   `Myanmar/Burma`). Each part is mapped with [`country_code`] or the demonym table below; an
//!   unmappable part is a warning naming the file, line and column. The last comma-separated part
//!   of an address also gives a `country` when it is a country name.
//! * **Names**: `name` stays whole, as printed. About half the rows carry the Cyrillic spelling in
//!   `alias`, where it stays. A few dozen names print a Cyrillic spelling or an `(a.k.a. ...)`
//!   inside `name` itself; those parts are also added as `alias` so they are searchable alone.
//! * `programKey` (e.g. `EU-RUS`) and a description of the legal context
//!   (`32014R0833 Annex IV: Export control`) go to `program`; `reason` and `notes` to `notes`;
//!   the act's EUR-Lex address (derived from the framework CELEX) to `sourceUrl`.
//! * `appearance`, `ethnicity` and `ticker` have no dualtrace property; they are kept under their
//!   FtM names through [`Entity::add_raw`].
//! * `schema` is FtM's: Person, LegalEntity, Organization, Company, Vessel and Asset. dualtrace has
//!   no Asset schema (ports, airports, economic zones, crypto-assets), so an Asset row is read as a
//!   LegalEntity with a note saying so, and the count is reported once in `warnings`: a port or
//!   a token named in a payment must still screen. Any other schema fails the row.
//!
//! # One entity, several rows
//!
//! A row is one designation in one legal context, so the same entity appears once per regime,
//! annex or measure (Sberbank in Regulation 269/2014 Annex I and in 833/2014 Annex XIV). The
//! `recordId` is *not* an entity id: it is the entry number printed in one annex, so `1` occurs in
//! almost every file, while (framework CELEX, annex, recordId) never repeats. Rows are therefore
//! merged by name: rows whose printed names are equal (ignoring case and spacing) and whose
//! schemata agree (Person, legal subjects, Vessel, Asset) are one entity, unless the data says
//! they are two:
//!
//! * both carry birth or incorporation dates and no year agrees (two different `KIM Yong Chol`);
//! * both carry an IMO, INN or OGRN and no value agrees (two vessels named `MARIA`);
//! * both are numbered entries of the same annex with different numbers, unless they share a full
//!   birth date or one of those identifiers (the annex lists the same person twice).
//!
//! Rows are merged in file order into the first group they do not conflict with. `records` counts
//! rows. A merged entity gets the more specific of the schemata its rows give (a `LegalEntity` row
//! and a `Company` row make a Company).
//!
//! Ids are `eu-annex-{framework celex}-{annex}-{recordId}` of the entity's first row, lower case
//! (`eu-annex-32014r0269-i.persons-776`), with the framework CELEX so that amendment rows and the
//! consolidated snapshot that supersedes them give the same id. A row without a printed recordId
//! uses `n` and a hash of its name instead of the number; a clash gets `-2`, `-3`, ... appended.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;
use csv::StringRecord;
use dualtrace_model::date::DayOrder;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, PartialDate, Property, Schema, country_code};
use regex::Regex;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

/// The columns both header kinds share, in order, after their CELEX columns.
pub const ENTITY_COLUMNS: [&str; 44] = [
    "recordId",
    "programKey",
    "annex",
    "measure",
    "startDate",
    "reason",
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
];

/// The leading CELEX columns of a consolidated file.
const CONSOLIDATED_LEAD: [&str; 1] = ["celex"];
/// The leading CELEX columns of an amendment file.
const AMENDMENT_LEAD: [&str; 2] = ["amendedCelex", "amendmentCelex"];

/// How the value of a multi-valued entity column is read.
#[derive(Debug, Clone, Copy)]
enum Col {
    /// Stored as is (names, identifiers, text).
    Plain(Property),
    /// Country names or demonyms, mapped to ISO codes.
    Country(Property),
    /// Printed dates, parsed into partial dates.
    Date(Property),
    /// `male` / `female`.
    Gender,
    /// A postal address (its last part may name the country).
    Address,
    /// An FtM property dualtrace does not model, kept under its name.
    Raw,
}

/// The multi-valued entity columns and how each is read (`name`, the metadata columns and
/// `reason` are read separately).
const COLUMNS: &[(&str, Col)] = &[
    ("alias", Col::Plain(Property::Alias)),
    ("weakAlias", Col::Plain(Property::WeakAlias)),
    ("previousName", Col::Plain(Property::PreviousName)),
    ("country", Col::Country(Property::Country)),
    ("nationality", Col::Country(Property::Nationality)),
    ("jurisdiction", Col::Country(Property::Jurisdiction)),
    ("flag", Col::Country(Property::Flag)),
    ("birthDate", Col::Date(Property::BirthDate)),
    ("incorporationDate", Col::Date(Property::IncorporationDate)),
    ("birthPlace", Col::Plain(Property::BirthPlace)),
    ("position", Col::Plain(Property::Position)),
    ("passportNumber", Col::Plain(Property::PassportNumber)),
    ("gender", Col::Gender),
    ("appearance", Col::Raw),
    ("ethnicity", Col::Raw),
    ("fatherName", Col::Plain(Property::FatherName)),
    ("motherName", Col::Plain(Property::MotherName)),
    ("legalForm", Col::Plain(Property::LegalForm)),
    ("sector", Col::Plain(Property::Sector)),
    (
        "registrationNumber",
        Col::Plain(Property::RegistrationNumber),
    ),
    ("taxNumber", Col::Plain(Property::TaxNumber)),
    ("idNumber", Col::Plain(Property::IdNumber)),
    ("innCode", Col::Plain(Property::InnCode)),
    ("ogrnCode", Col::Plain(Property::OgrnCode)),
    ("kppCode", Col::Plain(Property::KppCode)),
    ("okpoCode", Col::Plain(Property::OkpoCode)),
    ("leiCode", Col::Plain(Property::LeiCode)),
    ("swiftBic", Col::Plain(Property::SwiftBic)),
    ("ticker", Col::Raw),
    ("imoNumber", Col::Plain(Property::ImoNumber)),
    ("mmsi", Col::Plain(Property::Mmsi)),
    ("address", Col::Address),
    ("phone", Col::Plain(Property::Phone)),
    ("email", Col::Plain(Property::Email)),
    ("website", Col::Plain(Property::Website)),
    ("notes", Col::Plain(Property::Notes)),
];

/// Identifiers that name one thing only: rows disagreeing on them are different entities.
const STRONG_IDS: [Property; 3] = [Property::ImoNumber, Property::InnCode, Property::OgrnCode];

/// The widest year range (`Between 1960 and 1990`) expanded into single years.
const MAX_RANGE_YEARS: u16 = 30;

/// Parses the annex CSV files of one list; rows of the same entity are merged (see the module
/// documentation).
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut merger = Merger::default();
    let mut warnings = Vec::new();
    let mut records = 0;
    let mut assets = 0;
    for input in inputs {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(input.data.as_slice());
        let mut rows = reader.records();
        let header = match rows.next() {
            Some(first) => {
                let first = first.map_err(|e| csv_error(input, &e, &mut LineCounter::default()))?;
                Header::read(input, &first)?
            }
            None => return Err(input.error("header", "empty file: no header row")),
        };
        let mut lines = LineCounter::default();
        for rec in rows {
            let rec = rec.map_err(|e| csv_error(input, &e, &mut lines))?;
            let mut ctx = RowCtx {
                input,
                header: &header,
                rec: &rec,
                line: lines.line_at(&input.data, rec.position()),
                warnings: &mut warnings,
            };
            let row = ctx.read_row(list)?;
            assets += usize::from(row.class == Class::Asset);
            records += 1;
            merger.add(row);
        }
    }
    if assets > 0 {
        warnings.push(format!(
            "{assets} rows of schema Asset (ports, airports, economic zones, crypto-assets) were \
             read as LegalEntity: dualtrace has no Asset schema"
        ));
    }
    Ok(ParsedList {
        entities: merger.groups.into_iter().map(|g| g.entity).collect(),
        records,
        warnings,
    })
}

/// Turns the csv crate's record positions into 1-based line numbers of the record's first line.
///
/// The byte offset the csv reader reports may point at the previous record's line terminator,
/// so terminators at the offset are skipped; lines are counted incrementally (records come in
/// order), which keeps the whole file linear.
#[derive(Debug, Default)]
struct LineCounter {
    byte: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, data: &[u8], pos: Option<&csv::Position>) -> u64 {
        let Some(pos) = pos else { return 0 };
        let mut at = usize::try_from(pos.byte())
            .unwrap_or(usize::MAX)
            .min(data.len());
        while data.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            at += 1;
        }
        if at < self.byte {
            *self = LineCounter::default();
        }
        let newlines = data
            .get(self.byte..at)
            .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
        self.line += newlines as u64;
        self.byte = at;
        self.line + 1
    }
}

/// A CSV-level error (bad UTF-8, wrong number of cells) as a [`ParseError`].
fn csv_error(input: &Input, err: &csv::Error, lines: &mut LineCounter) -> ParseError {
    let line = lines.line_at(&input.data, err.position());
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} cells, the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "cell is not valid UTF-8".to_string(),
        _ => err.to_string(),
    };
    if line == 0 {
        input.error("csv", message)
    } else {
        input.error_at_line(line, "csv", message)
    }
}

/// The header of one file: its kind and the column index of every name.
#[derive(Debug)]
struct Header {
    /// Whether this is an amendment file (else consolidated).
    amendment: bool,
    /// Column name to cell index.
    index: HashMap<String, usize>,
}

impl Header {
    /// Checks the header row against both kinds; the error lists what is missing or unexpected.
    fn read(input: &Input, rec: &StringRecord) -> Result<Header, ParseError> {
        let mut index = HashMap::new();
        for (i, name) in rec.iter().enumerate() {
            let name = name.trim().trim_start_matches('\u{feff}');
            if index.insert(name.to_string(), i).is_some() {
                return Err(input.error_at_line(1, name, "column repeated in the header"));
            }
        }
        let amendment =
            index.contains_key(AMENDMENT_LEAD[0]) || index.contains_key(AMENDMENT_LEAD[1]);
        let lead: &[&str] = if amendment {
            &AMENDMENT_LEAD
        } else {
            &CONSOLIDATED_LEAD
        };
        let expected: HashSet<&str> = lead.iter().chain(ENTITY_COLUMNS.iter()).copied().collect();
        let mut missing: Vec<&str> = lead
            .iter()
            .chain(ENTITY_COLUMNS.iter())
            .filter(|c| !index.contains_key(**c))
            .copied()
            .collect();
        missing.truncate(8);
        let mut unexpected: Vec<&str> = rec
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}'))
            .filter(|c| !expected.contains(c))
            .collect();
        unexpected.truncate(8);
        if missing.is_empty() && unexpected.is_empty() {
            return Ok(Header { amendment, index });
        }
        Err(input.error_at_line(
            1,
            "header",
            format!(
                "header matches neither the consolidated (celex,recordId,...) nor the amendment \
                 (amendedCelex,amendmentCelex,recordId,...) EU annex header: missing {missing:?}, \
                 unexpected {unexpected:?}"
            ),
        ))
    }
}

/// The kind of thing a row designates, for merging: rows of different classes never merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    /// A person.
    Person,
    /// A legal entity, organisation or company.
    Party,
    /// A vessel.
    Vessel,
    /// An FtM Asset (read as LegalEntity).
    Asset,
}

/// One row, read into an entity plus what merging needs to know.
#[derive(Debug)]
struct Row {
    entity: Entity,
    class: Class,
    /// Case- and space-folded name.
    key: String,
    /// (framework celex, annex), and the printed entry number.
    annex: (String, String),
    record_id: String,
    /// The id this row would give its entity.
    id: String,
}

/// Reading one row.
struct RowCtx<'a> {
    input: &'a Input,
    header: &'a Header,
    rec: &'a StringRecord,
    line: u64,
    warnings: &'a mut Vec<String>,
}

impl RowCtx<'_> {
    /// The trimmed cell of a column ("" when the header lacks it).
    fn cell(&self, col: &str) -> &str {
        self.header
            .index
            .get(col)
            .and_then(|i| self.rec.get(*i))
            .map_or("", str::trim)
    }

    fn warn(&mut self, field: &str, message: impl std::fmt::Display) {
        self.warnings.push(format!(
            "{}: line {}: field {field}: {message}",
            self.input.name, self.line
        ));
    }

    fn required(&self, col: &str) -> Result<&str, ParseError> {
        let v = self.cell(col);
        if v.is_empty() {
            Err(self
                .input
                .error_at_line(self.line, col, "required value is empty"))
        } else {
            Ok(v)
        }
    }

    fn read_row(&mut self, list: &str) -> Result<Row, ParseError> {
        let (schema, class) = match self.required("schema")? {
            "Person" => (Schema::Person, Class::Person),
            "LegalEntity" => (Schema::LegalEntity, Class::Party),
            "Organization" => (Schema::Organization, Class::Party),
            "Company" => (Schema::Company, Class::Party),
            "Vessel" => (Schema::Vessel, Class::Vessel),
            "Asset" => (Schema::LegalEntity, Class::Asset),
            other => {
                return Err(self.input.error_at_line(
                    self.line,
                    "schema",
                    format!(
                        "unknown schema {other:?} (expected Person, LegalEntity, Organization, \
                         Company, Vessel or Asset)"
                    ),
                ));
            }
        };
        let name = self.required("name")?.to_string();
        let celex = self
            .required(if self.header.amendment {
                "amendedCelex"
            } else {
                "celex"
            })?
            .to_string();
        let annex = self.cell("annex").to_string();
        let record_id = self.cell("recordId").to_string();
        let key = clean_text(&name).to_lowercase();
        let id = row_id(&celex, &annex, &record_id, &key);
        let source_record = if record_id.is_empty() {
            format!("{celex}/{annex}/line {}", self.line)
        } else {
            format!("{celex}/{annex}/{record_id}")
        };
        let mut entity = Entity::new(id.clone(), schema).with_source(list, source_record);
        self.add(&mut entity, Property::Name, &name);
        for alias in name_variants(&name) {
            self.add(&mut entity, Property::Alias, &alias);
        }
        if class == Class::Asset {
            self.add(
                &mut entity,
                Property::Notes,
                "EU annex schema Asset: a restricted facility, zone or asset, not a legal person",
            );
        }
        self.read_context(&mut entity, &celex, &annex)?;
        for (col, how) in COLUMNS {
            for value in split_cell(self.cell(col)) {
                self.read_value(&mut entity, col, *how, &value);
            }
        }
        Ok(Row {
            entity,
            class,
            key,
            annex: (celex, annex),
            record_id,
            id,
        })
    }

    /// The legal context: programme, measure, annex, act, listing date and reason.
    fn read_context(&mut self, e: &mut Entity, celex: &str, annex: &str) -> Result<(), ParseError> {
        let program = self.required("programKey")?.to_string();
        let measure = self.required("measure")?.to_string();
        self.add(e, Property::Program, &program);
        let annex_text = if annex.is_empty() {
            String::new()
        } else {
            format!(" Annex {annex}")
        };
        let mut context = format!("{program} {celex}{annex_text}: {measure}");
        if self.header.amendment {
            context.push_str(&format!(" (amended by {})", self.cell("amendmentCelex")));
        }
        self.add(e, Property::Program, &context);
        self.add(
            e,
            Property::SourceUrl,
            &format!("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{celex}"),
        );
        let reason = self.cell("reason").to_string();
        self.add(e, Property::Notes, &reason);
        let start = self.cell("startDate").to_string();
        if !start.is_empty() {
            self.read_value(e, "startDate", Col::Date(Property::CreatedAt), &start);
        }
        Ok(())
    }

    /// Adds a value; a rejected one becomes a warning.
    fn add(&mut self, e: &mut Entity, prop: Property, value: &str) {
        if let Err(err) = e.add(prop, value) {
            self.warn(prop.name(), format!("{err}; value dropped"));
        }
    }

    fn read_value(&mut self, e: &mut Entity, col: &str, how: Col, value: &str) {
        match how {
            Col::Plain(prop) => self.add(e, prop, value),
            Col::Raw => {
                // Unknown properties are stored as cleaned text, which cannot fail.
                let _ = e.add_raw(col, value);
            }
            Col::Gender => match value.trim_end_matches('.').to_lowercase().as_str() {
                g @ ("male" | "female") => self.add(e, Property::Gender, g),
                _ => self.warn(col, format!("unknown gender {value:?}; value dropped")),
            },
            Col::Country(prop) => {
                let (codes, unmapped) = countries(value);
                for code in codes {
                    self.add(e, prop, &code);
                }
                if !unmapped.is_empty() {
                    self.warn(
                        col,
                        format!("no country code for {unmapped:?} (in {value:?}); dropped"),
                    );
                }
            }
            Col::Date(prop) => {
                let parsed = printed_dates(value);
                for d in parsed.dates {
                    e.add_date(prop, d);
                }
                if !parsed.rejected.is_empty() {
                    let r = parsed.rejected;
                    self.warn(col, format!("no date in {r:?} (in {value:?}); dropped"));
                }
            }
            Col::Address => {
                self.add(e, Property::Address, value);
                if let Some(code) = value.rsplit(',').next().and_then(map_country) {
                    self.add(e, Property::Country, &code);
                }
            }
        }
    }
}

/// The id a row gives its entity (see the module documentation).
fn row_id(celex: &str, annex: &str, record_id: &str, key: &str) -> String {
    let entry = if record_id.is_empty() {
        let hash = Sha256::digest(key.as_bytes());
        format!("n{}", &hex::encode(hash)[..10])
    } else {
        record_id.to_string()
    };
    let parts = [celex, annex, entry.as_str()];
    let joined: Vec<String> = parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.to_lowercase().replace(char::is_whitespace, "_"))
        .collect();
    format!("eu-annex-{}", joined.join("-"))
}

/// Splits a multi-valued cell on `;`, honouring CSV quotes inside the cell.
fn split_cell(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = cell.chars().peekable();
    let (mut quoted, mut at_start) = (false, true);
    while let Some(c) = chars.next() {
        if quoted {
            if c != '"' {
                cur.push(c);
            } else if chars.peek() == Some(&'"') {
                chars.next();
                cur.push('"');
            } else {
                quoted = false;
            }
        } else if c == ';' {
            out.push(std::mem::take(&mut cur));
            at_start = true;
        } else if at_start && c.is_whitespace() {
        } else if at_start && c == '"' {
            quoted = true;
            at_start = false;
        } else {
            cur.push(c);
            at_start = false;
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex is valid")
}

static AKA: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\(\s*a\.\s*k\.\s*a\.?\s*([^)]+)\)"));

/// Extra searchable spellings printed inside a `name` cell: `(a.k.a. X)` parts and runs of
/// Cyrillic words (`Dmitry KOZAK (Дмитрий КОЗАК)`). A Latin name with a stray Cyrillic
/// look-alike letter (`ROMASHKІN`) is not a Cyrillic run.
fn name_variants(name: &str) -> Vec<String> {
    let mut out: Vec<String> = AKA
        .captures_iter(name)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().trim().to_string())
        .collect();
    for segment in name.split(['(', ')', '/']) {
        let mut run: Vec<&str> = Vec::new();
        for word in segment.split_whitespace().chain(std::iter::once("")) {
            if is_cyrillic_word(word) {
                run.push(word);
            } else if !run.is_empty() {
                out.push(run.join(" "));
                run.clear();
            }
        }
    }
    out.retain(|v| v.chars().count() > 1 && v != name);
    out
}

fn is_cyrillic_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let cyrillic = word
        .chars()
        .filter(|c| ('\u{0400}'..='\u{052f}').contains(c))
        .count();
    letters > 0 && cyrillic * 2 > letters
}

/// A country name, code or demonym to an ISO code.
fn map_country(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '.' || c.is_whitespace());
    let t = t.replace(['\u{2019}', '\u{2018}'], "'");
    let lower = t.to_lowercase();
    let lower = lower.strip_prefix("of the ").unwrap_or(&lower);
    let lower = lower.strip_prefix("the ").unwrap_or(lower);
    country_code(lower).ok()
}

static ENUM_MARK: LazyLock<Regex> = LazyLock::new(|| regex(r"\(?\b[a-hA-H]\)"));
static PAREN: LazyLock<Regex> = LazyLock::new(|| regex(r"\([^)]*\)?"));
static COUNTRY_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\s+and/or\s+|[,;/]|\.\s|\s+or\s+"));
static AND_SPLIT: LazyLock<Regex> = LazyLock::new(|| regex(r"(?i)\s+and\s+"));
static COUNTRY_QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b(presumed|possibly|probably|allegedly|assumed|reportedly|by birth|since \d{4}|nationality|citizen(ship)?)\b",
    )
});

/// The country codes in a printed country value, and the parts that map to none.
fn countries(value: &str) -> (Vec<String>, Vec<String>) {
    if let Some(code) = map_country(value) {
        return (vec![code], Vec::new());
    }
    let text = ENUM_MARK.replace_all(value, ";");
    let text = PAREN.replace_all(&text, ";");
    let (mut codes, mut unmapped) = (Vec::new(), Vec::new());
    for piece in COUNTRY_SPLIT.split(&text) {
        let piece = COUNTRY_QUALIFIER.replace_all(piece, " ");
        let piece = piece.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ':');
        if piece.is_empty() {
            continue;
        }
        if let Some(code) = map_country(piece) {
            codes.push(code);
            continue;
        }
        for part in AND_SPLIT.split(piece) {
            match map_country(part) {
                Some(code) => codes.push(code),
                None => unmapped.push(part.trim().to_string()),
            }
        }
    }
    codes.dedup();
    (codes, unmapped)
}

static DATE_SPLIT: LazyLock<Regex> = LazyLock::new(|| regex(r"\s+and/or\s+|;|/|\s+or\s+"));
static DATE_QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"\b(circa|approximately|approx\.?|about|around|probably|presumed|possibly|born|ca\.)")
});
static LETTER_DOT_DIGIT: LazyLock<Regex> = LazyLock::new(|| regex(r"([a-z])\.(\d)"));
static DOT_SPACE_DIGIT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d)\.\s+(\d)"));
static DAY_MONTH_SPACE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b(\d{1,2}\.\d{1,2})\s+(\d{4})\b"));
static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:between\s+)?(\d{4})\s*(?:-|–|and|to)\s*(\d{4})$"));
static DECADE: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\d{3})0s$"));
static EMBEDDED_DATE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}\b"));

/// The dates found in a printed date value.
#[derive(Debug, Default, PartialEq)]
struct PrintedDates {
    dates: Vec<PartialDate>,
    /// Parts that hold digits but no usable date (Hijri dates among them).
    rejected: Vec<String>,
}

/// Reads a printed date value (see the module documentation for the forms).
fn printed_dates(value: &str) -> PrintedDates {
    let mut out = PrintedDates::default();
    if let Some(d) = one_date(value) {
        out.dates.push(d);
        return out;
    }
    let lower = value.to_lowercase();
    for segment in lower.split([',', ';']) {
        if segment.contains("hijri") {
            out.rejected.push(segment.trim().to_string());
            continue;
        }
        let text = ENUM_MARK.replace_all(segment, ";").replace(['(', ')'], ";");
        for piece in DATE_SPLIT.split(&text) {
            read_date_piece(piece, &mut out);
        }
    }
    out
}

/// One alternative of a printed date: a date, a year range, a decade or prose with a date in it.
fn read_date_piece(piece: &str, out: &mut PrintedDates) {
    let p = DATE_QUALIFIER.replace_all(piece, " ");
    let p = LETTER_DOT_DIGIT.replace_all(&p, "$1 $2");
    let p = DOT_SPACE_DIGIT.replace_all(&p, "$1.$2");
    let p = DAY_MONTH_SPACE_YEAR.replace_all(&p, "$1.$2");
    let p = clean_text(&p);
    let p = p.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ':');
    if !p.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    if let Some(years) = year_range(p) {
        out.dates.extend(years);
    } else if let Some(d) = one_date(p) {
        out.dates.push(d);
    } else {
        let found: Vec<PartialDate> = EMBEDDED_DATE
            .find_iter(p)
            .filter_map(|m| one_date(m.as_str()))
            .collect();
        if found.is_empty() {
            out.rejected.push(p.to_string());
        }
        out.dates.extend(found);
    }
}

/// One printed date, or `None`.
///
/// [`PartialDate::parse_with`] reads an ISO prefix and ignores what follows a space (a time),
/// which would read `1965 or 1966` as 1965 and `1340 (Hijri)` as the year 1340; such text is
/// left to the piece-by-piece reading instead.
fn one_date(text: &str) -> Option<PartialDate> {
    let mut words = text.split_whitespace();
    let first = words.next()?;
    if words.next().is_some() && PartialDate::parse_iso(first).is_ok() {
        return None;
    }
    PartialDate::parse_with(text, DayOrder::DayMonthYear).ok()
}

/// `1977-1982`, `between 1977 and 1982`, `1960s`: each year of the range.
fn year_range(text: &str) -> Option<Vec<PartialDate>> {
    let (from, to) = if let Some(c) = YEAR_RANGE.captures(text) {
        (c[1].parse::<u16>().ok()?, c[2].parse::<u16>().ok()?)
    } else {
        let c = DECADE.captures(text)?;
        let start = c[1].parse::<u16>().ok()? * 10;
        (start, start + 9)
    };
    if to < from || to - from > MAX_RANGE_YEARS {
        return None;
    }
    (from..=to)
        .map(|y| PartialDate::new(y, None, None).ok())
        .collect()
}

/// Groups rows into entities (see the module documentation for the rules).
#[derive(Debug, Default)]
struct Merger {
    groups: Vec<Group>,
    /// (class, folded name) to the groups of that name.
    by_name: HashMap<(Class, String), Vec<usize>>,
    used_ids: HashSet<String>,
}

/// The rows of one entity so far.
#[derive(Debug)]
struct Group {
    entity: Entity,
    /// Numbered annex entries: ((celex, annex), recordId).
    entries: Vec<((String, String), String)>,
}

/// What tells two rows of the same name apart.
struct Evidence {
    years: BTreeSet<u16>,
    full_dates: BTreeSet<String>,
    ids: Vec<BTreeSet<String>>,
}

impl Evidence {
    fn of(e: &Entity) -> Evidence {
        let dates: Vec<PartialDate> = [Property::BirthDate, Property::IncorporationDate]
            .iter()
            .flat_map(|p| e.get(*p))
            .filter_map(|d| PartialDate::parse_iso(d).ok())
            .collect();
        Evidence {
            years: dates.iter().map(PartialDate::year).collect(),
            full_dates: dates
                .iter()
                .filter(|d| d.day().is_some())
                .map(ToString::to_string)
                .collect(),
            ids: STRONG_IDS
                .iter()
                .map(|p| e.get(*p).iter().map(|v| normalize_id(v)).collect())
                .collect(),
        }
    }

    /// Whether the two certainly differ (dates or strong identifiers disagree).
    fn differs(&self, other: &Evidence) -> bool {
        disjoint(&self.years, &other.years)
            || self.ids.iter().zip(&other.ids).any(|(a, b)| disjoint(a, b))
    }

    /// Whether the two certainly agree (a full date or a strong identifier in common).
    fn agrees(&self, other: &Evidence) -> bool {
        !self.full_dates.is_disjoint(&other.full_dates)
            || self
                .ids
                .iter()
                .zip(&other.ids)
                .any(|(a, b)| !a.is_disjoint(b))
    }
}

/// Both sets have values and none in common.
fn disjoint<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> bool {
    !a.is_empty() && !b.is_empty() && a.is_disjoint(b)
}

fn normalize_id(v: &str) -> String {
    v.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase()
}

impl Merger {
    fn add(&mut self, row: Row) {
        let evidence = Evidence::of(&row.entity);
        let candidates = self
            .by_name
            .get(&(row.class, row.key.clone()))
            .cloned()
            .unwrap_or_default();
        let target = candidates.into_iter().find(|i| {
            self.groups
                .get(*i)
                .is_some_and(|g| g.accepts(&row, &evidence))
        });
        match target.and_then(|i| self.groups.get_mut(i)) {
            Some(group) => group.absorb(row),
            None => self.open(row),
        }
    }

    fn open(&mut self, mut row: Row) {
        let mut id = row.id.clone();
        let mut n = 1;
        while !self.used_ids.insert(id.clone()) {
            n += 1;
            id = format!("{}-{n}", row.id);
        }
        row.entity.id = id;
        self.by_name
            .entry((row.class, row.key.clone()))
            .or_default()
            .push(self.groups.len());
        let entries = numbered_entry(&row).into_iter().collect();
        self.groups.push(Group {
            entity: row.entity,
            entries,
        });
    }
}

fn numbered_entry(row: &Row) -> Option<((String, String), String)> {
    (!row.record_id.is_empty()).then(|| (row.annex.clone(), row.record_id.clone()))
}

impl Group {
    fn accepts(&self, row: &Row, evidence: &Evidence) -> bool {
        let mine = Evidence::of(&self.entity);
        if mine.differs(evidence) {
            return false;
        }
        let other_entry = !row.record_id.is_empty()
            && self
                .entries
                .iter()
                .any(|(annex, rid)| *annex == row.annex && *rid != row.record_id);
        !other_entry || mine.agrees(evidence)
    }

    fn absorb(&mut self, row: Row) {
        if let Some(entry) = numbered_entry(&row) {
            self.entries.push(entry);
        }
        if self.entity.schema == Schema::LegalEntity && row.class == Class::Party {
            self.entity.schema = row.entity.schema;
        }
        self.entity.merge(row.entity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CONSOLIDATED: &str = include_str!("../../tests/fixtures/eu_annex/consolidated.csv");
    const AMENDMENT: &str = include_str!("../../tests/fixtures/eu_annex/amendment.csv");

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: name.to_string(),
            data: text.as_bytes().to_vec(),
        }
    }

    fn parse_one(name: &str, text: &str) -> Result<ParsedList, ParseError> {
        parse(&[input(name, text)], "eu_annexes")
    }

    fn fixture() -> ParsedList {
        let inputs = [
            input("consolidated.csv", CONSOLIDATED),
            input("amendment.csv", AMENDMENT),
        ];
        crate::formats::Format::EuAnnexCsv
            .parse(&inputs, "eu_annexes")
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The consolidated header with one data row (cells after `celex` given).
    fn one_row(cells: &str) -> String {
        let header = format!("celex,{}", ENTITY_COLUMNS.join(","));
        format!("{header}\n32099R0001,{cells}\n")
    }

    #[test]
    fn person_columns_are_mapped() {
        let list = fixture();
        assert_eq!(list.records, 9);
        let e = list
            .entity("eu-annex-32099r0001-i.persons-1")
            .expect("entity present");
        assert_eq!(e.schema, Schema::Person);
        assert_eq!(
            e.get(Property::Name),
            ["Ivan Ivanovich TESTOV (Иван Иванович ТЕСТОВ)"]
        );
        assert_eq!(
            e.get(Property::Alias),
            ["Иван Иванович ТЕСТОВ", "Ivan TESTOV", "Иван ТЕСТОВ"]
        );
        assert_eq!(e.get(Property::Nationality), ["ru"]);
        assert_eq!(e.get(Property::BirthDate), ["1960-02-01", "1961"]);
        assert_eq!(e.get(Property::BirthPlace), ["Testograd, Russia"]);
        assert_eq!(e.get(Property::Position), ["Fictional minister"]);
        assert_eq!(e.get(Property::PassportNumber), ["AB; 123", "999"]);
        assert_eq!(e.get(Property::Gender), ["male"]);
        assert_eq!(e.get(Property::FatherName), ["Ivan"]);
        assert_eq!(e.get(Property::CreatedAt), ["2022-03-09"]);
        assert_eq!(e.get(Property::Notes), ["Fictional reason one."]);
        assert_eq!(
            e.properties.get("appearance").map(Vec::as_slice),
            Some(&["Tall".to_string()][..])
        );
        assert_eq!(
            e.get(Property::Program),
            [
                "EU-TST",
                "EU-TST 32099R0001 Annex I.PERSONS: Asset freeze",
                "EU-HR",
                "EU-HR 32099R0002 Annex I.A: Asset freeze"
            ]
        );
        assert_eq!(
            e.get(Property::SourceUrl).first().map(String::as_str),
            Some("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32099R0001")
        );
        assert_eq!(
            e.provenance.as_ref().map(|p| p.record_id.as_str()),
            Some("32099R0001/I.PERSONS/1")
        );
    }

    #[test]
    fn company_rows_merge_and_take_the_specific_schema() {
        let list = fixture();
        let e = list
            .entity("eu-annex-32099r0001-i.entities-1")
            .expect("entity present");
        assert_eq!(e.schema, Schema::Company);
        assert_eq!(e.get(Property::Name), ["OOO Fiktiv", "OOO FIKTIV"]);
        assert_eq!(e.get(Property::Alias), ["ООО Фиктив"]);
        assert_eq!(e.get(Property::InnCode), ["7700000001"]);
        assert_eq!(e.get(Property::OgrnCode), ["1027700000001"]);
        assert_eq!(e.get(Property::KppCode), ["770001001"]);
        assert_eq!(e.get(Property::RegistrationNumber), ["R-1"]);
        assert_eq!(e.get(Property::IncorporationDate), ["2002-06-12"]);
        assert_eq!(e.get(Property::CreatedAt), ["2011-02-26"]);
        assert_eq!(
            e.get(Property::Address),
            ["ul. Testovaya 1, Moscow, Russia"]
        );
        assert_eq!(e.get(Property::Country), ["ru"]);
        assert!(e.get(Property::Jurisdiction).is_empty());
        assert!(
            e.get(Property::Program)
                .iter()
                .any(|p| p.ends_with("Annex IV: Export control"))
        );
    }

    #[test]
    fn same_names_with_different_evidence_stay_apart() {
        let list = fixture();
        // Two vessels MARIA with different IMO numbers.
        assert_eq!(
            list.entity("eu-annex-32099r0001-xlii-2")
                .expect("entity present")
                .get(Property::ImoNumber),
            ["9000001"]
        );
        assert_eq!(
            list.entity("eu-annex-32099r0001-xlii-2")
                .expect("entity present")
                .get(Property::Mmsi),
            ["273000001"]
        );
        assert_eq!(
            list.entity("eu-annex-32099r0001-xlii-3")
                .expect("entity present")
                .get(Property::ImoNumber),
            ["9000002"]
        );
        // TESTOV under a second regime with the same birth date is the same person.
        assert!(
            !list
                .entities
                .iter()
                .any(|e| e.id.starts_with("eu-annex-32099r0002"))
        );
        assert_eq!(list.entities.len(), 7);
    }

    #[test]
    fn asset_is_a_legal_entity_with_a_note_and_a_summary_warning() {
        let list = fixture();
        let e = list
            .entity("eu-annex-32099r0001-xlvii.a-1")
            .expect("entity present");
        assert_eq!(e.schema, Schema::LegalEntity);
        assert_eq!(e.get(Property::Country), ["ru"]);
        assert!(e.get(Property::Notes).iter().any(|n| n.contains("Asset")));
        assert!(
            list.warnings
                .iter()
                .any(|w| w.starts_with("1 rows of schema Asset"))
        );
    }

    #[test]
    fn bad_values_are_warnings_naming_file_line_and_field() {
        let list = fixture();
        let e = list
            .entity("eu-annex-32099r0001-i.persons-4")
            .expect("entity present");
        assert_eq!(e.get(Property::Nationality), ["de"]);
        assert_eq!(e.get(Property::BirthDate), ["1970", "1971", "1972"]);
        assert!(e.get(Property::CreatedAt).is_empty());
        assert!(e.get(Property::Gender).is_empty());
        let has = |needle: &str| list.warnings.iter().any(|w| w.contains(needle));
        assert!(has(
            "consolidated.csv: line 3: field jurisdiction: no country code for [\"Atlantis\"]"
        ));
        assert!(has(
            "consolidated.csv: line 9: field nationality: no country code for [\"Atlantean\"]"
        ));
        assert!(has(
            "consolidated.csv: line 9: field birthDate: no date in [\"1340 (iranian hijri calendar)\"]"
        ));
        assert!(has("consolidated.csv: line 9: field startDate"));
        assert!(has(
            "consolidated.csv: line 9: field gender: unknown gender"
        ));
    }

    #[test]
    fn amendment_header_is_accepted_and_keyed_by_the_framework_act() {
        let list = fixture();
        let e = list
            .entity("eu-annex-32099r0001-i.persons-5")
            .expect("entity present");
        assert_eq!(e.get(Property::Alias), ["Анна ФИКТИВНАЯ"]);
        assert_eq!(e.get(Property::Gender), ["female"]);
        assert_eq!(e.get(Property::BirthDate).len(), 10);
        assert!(
            e.get(Property::Program)
                .iter()
                .any(|p| p.ends_with("(amended by 32099R0555)"))
        );
        assert_eq!(e.get(Property::CreatedAt), ["2099-12-01"]);
    }

    #[test]
    fn unknown_header_is_an_error_naming_the_file() {
        let err = parse_one("odd.csv", "celex,recordId,name\n1,2,3\n").err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.starts_with("odd.csv: line 1: field header: header matches neither"),
            "{err}"
        );
        assert!(err.contains("\"programKey\""), "{err}");
        let dup = one_row("").replace("celex,recordId", "celex,celex,recordId");
        let err = parse_one("dup.csv", &dup)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "dup.csv: line 1: field celex: column repeated in the header"
        );
        let err = parse_one("empty.csv", "")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "empty.csv: file: field header: empty file: no header row"
        );
    }

    #[test]
    fn malformed_rows_are_errors_with_line_and_field() {
        let commas = ",".repeat(ENTITY_COLUMNS.len() - 1);
        let good = format!("1,EU-X,I,Asset freeze,,,Person,A B{}", &commas[7..]);
        let cases = [
            (
                good.replace("Person", "Thing"),
                "field schema: unknown schema \"Thing\" (expected Person, LegalEntity, Organization, Company, Vessel or Asset)",
            ),
            (
                good.replace("Person", ""),
                "field schema: required value is empty",
            ),
            (
                good.replace("A B", ""),
                "field name: required value is empty",
            ),
            (
                good.replace("EU-X", ""),
                "field programKey: required value is empty",
            ),
            (
                format!("{good},extra"),
                "field csv: row has 46 cells, the header has 45",
            ),
        ];
        for (row, expected) in cases {
            let text = format!("{}{}\n", one_row(&good), format_args!("32099R0001,{row}"));
            let err = parse_one("bad.csv", &text)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert_eq!(err, format!("bad.csv: line 3: {expected}"), "{row}");
        }
        let mut bytes = one_row(&good).into_bytes();
        bytes.extend_from_slice(b"32099R0001,\xff\xfe\n");
        let err = parse(
            &[Input {
                name: "utf.csv".into(),
                data: bytes,
            }],
            "x",
        )
        .err();
        assert!(err.is_some_and(|e| e.to_string().starts_with("utf.csv: line 3: field csv:")));
    }

    #[test]
    fn cells_split_on_semicolons_with_quotes() {
        assert_eq!(split_cell(r#""Foo; Bar"; Baz"#), ["Foo; Bar", "Baz"]);
        assert_eq!(
            split_cell(r#"a ""q"" b;  "x ""y""" ;;"#),
            [r#"a ""q"" b"#, r#"x "y""#]
        );
        assert_eq!(split_cell(""), Vec::<String>::new());
        assert_eq!(split_cell(r#""unterminated; x"#), ["unterminated; x"]);
    }

    #[test]
    fn printed_dates_are_read() {
        let d = |s: &str| {
            let p = printed_dates(s);
            (
                p.dates.iter().map(ToString::to_string).collect::<Vec<_>>(),
                p.rejected,
            )
        };
        assert_eq!(d("11.8.1960").0, ["1960-08-11"]);
        assert_eq!(d("circa 1957").0, ["1957"]);
        assert_eq!(d("1 Jan. 1961").0, ["1961-01-01"]);
        assert_eq!(d("8 Oct.1970").0, ["1970-10-08"]);
        assert_eq!(d("29.6. 2015").0, ["2015-06-29"]);
        assert_eq!(d("28.01 1966").0, ["1966-01-28"]);
        assert_eq!(d("6.5.1974.").0, ["1974-05-06"]);
        assert_eq!(d("June 30, 2012").0, ["2012-06-30"]);
        assert_eq!(d("1965 or 1966").0, ["1965", "1966"]);
        assert_eq!(
            d("10.2.1983 (or 10.3.1983)").0,
            ["1983-02-10", "1983-03-10"]
        );
        assert_eq!(
            d("(a) 4.5.1948 (b) 4.5.1946").0,
            ["1948-05-04", "1946-05-04"]
        );
        assert_eq!(
            d("a) 1.1.1969 b) approximately 1971").0,
            ["1969-01-01", "1971"]
        );
        assert_eq!(
            d("Between 1960 and 1962 (Approximately)").0,
            ["1960", "1961", "1962"]
        );
        assert_eq!(d("Approximately 1955-1958").0.len(), 4);
        assert_eq!(d("1960s").0.len(), 10);
        assert_eq!(d("1959/1960").0, ["1959", "1960"]);
        assert_eq!(d("26.12.2016/3.4.2017").0, ["2016-12-26", "2017-04-03"]);
        assert_eq!(d("24.4.1991 as ‘ЗАВОД’").0, ["1991-04-24"]);
        assert_eq!(
            d("1343 (Iranian Hijri calendar), 1964 or 1965 (Gregorian calendar)"),
            (
                vec!["1964".to_string(), "1965".to_string()],
                vec!["1343 (iranian hijri calendar)".to_string()]
            )
        );
        assert_eq!(
            d("28 September"),
            (vec![], vec!["28 september".to_string()])
        );
        assert_eq!(d("1900-2000").1, ["1900-2000"]);
        assert_eq!(d("(probably) 1944").0, ["1944"]);
    }

    #[test]
    fn printed_countries_are_read() {
        let c = |s: &str| countries(s);
        assert_eq!(c("Russian Federation").0, ["ru"]);
        assert_eq!(c("Ukrainian, Russian").0, ["ua", "ru"]);
        assert_eq!(c("(a) German, (b) Moroccan").0, ["de", "ma"]);
        assert_eq!(c("Myanmar/Burma").0, ["mm"]);
        assert_eq!(c("Russian and Ukrainian").0, ["ru", "ua"]);
        assert_eq!(c("Trinidad and Tobago").0, ["tt"]);
        assert_eq!(c("(a) Trinidad and Tobago").0, ["tt"]);
        assert_eq!(c("Democratic People’s Republic of Korea (DPRK)").0, ["kp"]);
        assert_eq!(c("of the Republic of Moldova").0, ["md"]);
        assert_eq!(c("Italian since 1990").0, ["it"]);
        assert_eq!(c("Pakistani (presumed)").0, ["pk"]);
        assert_eq!(c("DPRK.").0, ["kp"]);
        assert_eq!(
            c("Gaza Strip, West Bank, Southern Lebanon"),
            (vec!["ps".to_string()], vec!["Southern Lebanon".to_string()])
        );
    }

    #[test]
    fn cyrillic_and_aka_parts_of_a_name_become_aliases() {
        assert_eq!(
            name_variants("Andrey TROSHEV (a.k.a. Andrei TROSHEV) Андрей ТРОШЕВ"),
            ["Andrei TROSHEV", "Андрей ТРОШЕВ"]
        );
        assert_eq!(
            name_variants("Stroytransgaz/Стройтрансгаз"),
            ["Стройтрансгаз"]
        );
        assert!(name_variants("Ruslan ROMASHKІN").is_empty());
        assert!(name_variants("Иван ИВАНОВ").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Any cell content after a valid header gives a list or an error, never a panic.
        #[test]
        fn arbitrary_rows_never_panic(cells in "[\\PC,;\"\n()./]{0,300}") {
            let _ = parse_one("fuzz.csv", &one_row(&cells));
        }

        /// Mutating bytes of the fixture never panics.
        #[test]
        fn mutated_fixture_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut data = CONSOLIDATED.as_bytes().to_vec();
            for (at, byte) in edits {
                let len = data.len();
                data[at % len] = byte;
            }
            let _ = parse(&[Input { name: "m.csv".into(), data }], "x");
        }

        #[test]
        fn free_text_dates_and_countries_never_panic(s in "\\PC{0,60}") {
            let _ = printed_dates(&s);
            let _ = countries(&s);
            let _ = name_variants(&s);
        }
    }
}
