//! The UK sanctions list of the Foreign, Commonwealth & Development Office (FCDO), as CSV or
//! as the OpenDocument spreadsheet (`.ods`) the FCDO publishes.
//!
//! # Format
//!
//! Both files are one table. A title row such as `Report Date: 11-Aug-2025` may precede the
//! header row, so the parser looks for the header (the first row with a `Unique ID` cell) among
//! the first [`HEADER_SEARCH_ROWS`] rows and maps every column by its header name, never by
//! position. Two layouts are in circulation and both are read:
//!
//! * the *primary-names* layout (8 columns: `Unique ID, OFSI Group ID, Name, Regime Name, Type,
//!   Designation source, Date Designated, Sanctions Imposed`), one row per designation;
//! * the *full* layout (about 60 columns: `Name 1`..`Name 6`, `Name type`, `Alias strength`,
//!   `Name non-latin script`, `D.O.B`, `Nationality(/ies)`, `Passport number`, address lines,
//!   `IMO number`, ship details, `Other Information`, ...), one row per name of a designation.
//!
//! Rows are grouped by `Unique ID` into one entity (id `uk-{Unique ID}`, provenance record id the
//! Unique ID); [`ParsedList::records`] counts the rows. Required columns are `Unique ID`, the
//! type (`Type` or `Designation Type`), `Regime Name` and a name (`Name`, or the `Name 1`..`Name 6`
//! parts); a missing one, or a row without Unique ID, fails the import with the row (ODS:
//! [`Location::Row`]) or line (CSV: [`Location::Line`]) and the column.
//!
//! # Reading the spreadsheet
//!
//! The ODS is opened with calamine from the bytes in memory. calamine 0.31 refuses a
//! `content.xml` with white space between the cells of a row, and that is exactly how the
//! FCDO file of 2025-08-11 is written, so when calamine reports that mismatch the file is read
//! by [`ods_stream`] instead: `content.xml` is inflated from the zip with flate2 and walked as
//! quick-xml events, one row at a time. Either way the rows go through the same header search
//! and column mapping as the CSV, so both files give the same entities (the real-data test
//! checks this value for value).
//!
//! # Mapping decisions
//!
//! * `Individual` becomes a `Person`, `Entity` a `LegalEntity` (the list does not say whether an
//!   entity is a company or an organisation), `Ship` a `Vessel`.
//! * Names: the full layout's name parts are joined in reading order (`Name 1`..`Name 5`, then
//!   the family name `Name 6`); `Name 1` and `Name 6` of a person's primary name also become
//!   `firstName` and `lastName`. `Name 2`..`Name 5` stay only in the full name, because the FCDO
//!   uses them for middle names and patronymics alike. A `Primary name` is `name`, a
//!   `Primary name variation` or a good-quality `Alias` is `alias`, a low-quality alias is
//!   `weakAlias`; non-Latin script names are `alias`.
//! * `Regime Name` is the `program`; `Date Designated` (day first) is `createdAt`, `Last Updated`
//!   is `modifiedAt`. `Sanctions Imposed`, `Designation source` (UK or UN), `Other Information`
//!   and the statement of reasons become labelled `notes`; every entity gets the topic
//!   `sanction`.
//! * The `OFSI Group ID` and `UN Reference Number` are cross-references to the OFSI consolidated
//!   list and the UN list, not identifiers of the person or company, so they go to `notes`
//!   (`OFSI Group ID: 12703`): putting them in `registrationNumber` would let an unrelated
//!   company's register number match them.
//! * Dates of birth in `dd/mm/yyyy` with `00` (or `dd`/`mm`) for unknown parts keep only the known
//!   precision; nationalities, birth, address and flag countries are mapped to ISO codes. A value
//!   that cannot be read (an impossible date, an unknown country) is dropped with a warning
//!   naming file, row and column.
//! * Business registration numbers labelled `INN`, `OGRN`, `KPP`, `TIN` go to the typed Russian
//!   properties, others to `registrationNumber`; the hull identification number is a
//!   `registrationNumber` of the ship, the `IMO number` an `imoNumber`.
//! * Cells reading `N/A`, `Unknown`, `-` or `None` mean "no value" and are skipped.

use crate::error::{Location, ParseError};
use crate::formats::ParsedList;
use crate::source::Input;
use calamine::{Data, Reader};
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, PartialDate, Property, Schema};
use std::collections::HashMap;

/// How many leading rows are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// The columns the parser knows, by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    UniqueId,
    GroupId,
    UnRef,
    LastUpdated,
    Name,
    Name1,
    Name2,
    Name3,
    Name4,
    Name5,
    Name6,
    NameType,
    AliasStrength,
    Title,
    NonLatinName,
    Regime,
    Type,
    Source,
    Sanctions,
    OtherInfo,
    Reasons,
    Designated,
    Dob,
    Nationality,
    NationalId,
    NationalIdInfo,
    Passport,
    PassportInfo,
    Position,
    Gender,
    TownOfBirth,
    CountryOfBirth,
    Address1,
    Address2,
    Address3,
    Address4,
    Address5,
    Address6,
    PostalCode,
    AddressCountry,
    Phone,
    Website,
    Email,
    RegNumber,
    EntityType,
    Parent,
    Subsidiaries,
    Owner,
    PreviousOwner,
    Flag,
    PreviousFlags,
    ShipType,
    Tonnage,
    Length,
    YearBuilt,
    Hin,
    Imo,
}

/// Header spellings of each known column (compared case-insensitively, white space collapsed);
/// the first is the published one, used in messages.
const HEADERS: &[(Col, &[&str])] = &[
    (Col::UniqueId, &["Unique ID"]),
    (Col::GroupId, &["OFSI Group ID", "Group ID"]),
    (Col::UnRef, &["UN Reference Number"]),
    (Col::LastUpdated, &["Last Updated"]),
    (Col::Name, &["Name", "Full Name"]),
    (Col::Name1, &["Name 1"]),
    (Col::Name2, &["Name 2"]),
    (Col::Name3, &["Name 3"]),
    (Col::Name4, &["Name 4"]),
    (Col::Name5, &["Name 5"]),
    (Col::Name6, &["Name 6"]),
    (Col::NameType, &["Name type"]),
    (Col::AliasStrength, &["Alias strength", "Alias Quality"]),
    (
        Col::Title,
        &["Title", "Honorary/Professional/Religious titles"],
    ),
    (Col::NonLatinName, &["Name non-latin script"]),
    (Col::Regime, &["Regime Name", "Regime"]),
    (
        Col::Type,
        &[
            "Type",
            "Designation Type",
            "Entity, Vessel or Individual",
            "Individual, Entity, Ship",
        ],
    ),
    (Col::Source, &["Designation source"]),
    (Col::Sanctions, &["Sanctions Imposed"]),
    (Col::OtherInfo, &["Other Information"]),
    (Col::Reasons, &["UK Statement of Reasons"]),
    (Col::Designated, &["Date Designated"]),
    (Col::Dob, &["D.O.B", "D.O.B.", "DOB", "Date of Birth"]),
    (Col::Nationality, &["Nationality(/ies)", "Nationality"]),
    (Col::NationalId, &["National Identifier number"]),
    (
        Col::NationalIdInfo,
        &["National Identifier additional information"],
    ),
    (Col::Passport, &["Passport number"]),
    (Col::PassportInfo, &["Passport additional information"]),
    (Col::Position, &["Position"]),
    (Col::Gender, &["Gender"]),
    (Col::TownOfBirth, &["Town of birth"]),
    (Col::CountryOfBirth, &["Country of birth"]),
    (Col::Address1, &["Address Line 1"]),
    (Col::Address2, &["Address Line 2"]),
    (Col::Address3, &["Address Line 3"]),
    (Col::Address4, &["Address Line 4"]),
    (Col::Address5, &["Address Line 5"]),
    (Col::Address6, &["Address Line 6"]),
    (Col::PostalCode, &["Address Postal Code"]),
    (Col::AddressCountry, &["Address Country"]),
    (Col::Phone, &["Phone number"]),
    (Col::Website, &["Website"]),
    (Col::Email, &["Email address"]),
    (Col::RegNumber, &["Business Registration Number (s)"]),
    (Col::EntityType, &["Type of entity"]),
    (Col::Parent, &["Parent company"]),
    (Col::Subsidiaries, &["Subsidiaries"]),
    (Col::Owner, &["Current owner/operator (s)"]),
    (Col::PreviousOwner, &["Previous owner/operator (s)"]),
    (Col::Flag, &["Current believed flag of ship"]),
    (Col::PreviousFlags, &["Previous flags"]),
    (Col::ShipType, &["Type of ship"]),
    (Col::Tonnage, &["Tonnage of ship"]),
    (Col::Length, &["Length of ship"]),
    (Col::YearBuilt, &["Year Built"]),
    (Col::Hin, &["Hull identification number (HIN)"]),
    (Col::Imo, &["IMO number"]),
];

/// The parts of a full-layout name, in reading order (family name last).
const NAME_PARTS: [Col; 6] = [
    Col::Name1,
    Col::Name2,
    Col::Name3,
    Col::Name4,
    Col::Name5,
    Col::Name6,
];

/// Address columns, joined into one `address` value in this order.
const ADDRESS_PARTS: [Col; 8] = [
    Col::Address1,
    Col::Address2,
    Col::Address3,
    Col::Address4,
    Col::Address5,
    Col::Address6,
    Col::PostalCode,
    Col::AddressCountry,
];

/// Plain-text columns copied into one property each.
const TEXT_COLUMNS: &[(Col, Property)] = &[
    (Col::Regime, Property::Program),
    (Col::Title, Property::Title),
    (Col::Position, Property::Position),
    (Col::Phone, Property::Phone),
    (Col::Website, Property::Website),
    (Col::Email, Property::Email),
    (Col::NationalId, Property::IdNumber),
    (Col::Passport, Property::PassportNumber),
    (Col::EntityType, Property::LegalForm),
    (Col::Parent, Property::LinkedTo),
    (Col::Subsidiaries, Property::LinkedTo),
    (Col::Owner, Property::OwnerName),
    (Col::PreviousOwner, Property::LinkedTo),
    (Col::ShipType, Property::Type),
    (Col::Tonnage, Property::Tonnage),
    (Col::Hin, Property::RegistrationNumber),
    (Col::Imo, Property::ImoNumber),
];

/// Columns kept as labelled remarks (`Label: value`) in `notes`.
const NOTE_COLUMNS: &[(Col, &str)] = &[
    (Col::Sanctions, "Sanctions imposed"),
    (Col::Source, "Designation source"),
    (Col::GroupId, "OFSI Group ID"),
    (Col::UnRef, "UN Reference Number"),
    (Col::OtherInfo, "Other information"),
    (Col::Reasons, "UK statement of reasons"),
    (Col::NationalIdInfo, "National identifier"),
    (Col::PassportInfo, "Passport"),
    (Col::PreviousFlags, "Previous flags"),
    (Col::Length, "Length of ship"),
];

/// Date columns and their property (a cell may list several dates).
const DATE_COLUMNS: &[(Col, Property)] = &[
    (Col::Designated, Property::CreatedAt),
    (Col::LastUpdated, Property::ModifiedAt),
    (Col::Dob, Property::BirthDate),
    (Col::YearBuilt, Property::BuildDate),
];

/// Country columns and their property.
const COUNTRY_COLUMNS: &[(Col, Property)] = &[
    (Col::Nationality, Property::Nationality),
    (Col::CountryOfBirth, Property::BirthCountry),
    (Col::AddressCountry, Property::Country),
    (Col::Flag, Property::Flag),
];

/// Labelled registration numbers and the typed property they go to.
const REG_LABELS: &[(&str, Property)] = &[
    ("INN", Property::InnCode),
    ("OGRN", Property::OgrnCode),
    ("KPP", Property::KppCode),
    ("OKPO", Property::OkpoCode),
    ("TIN", Property::TaxNumber),
];

/// Cell contents that mean "no value".
const EMPTY_MARKERS: &[&str] = &["n/a", "na", "unknown", "-", "none", "not known"];

/// The header row: which column index holds each known column, and the header's field names.
#[derive(Debug)]
struct Columns {
    index: HashMap<Col, usize>,
}

/// Lower-cases and collapses white space, for comparing header names.
fn header_key(text: &str) -> String {
    clean_text(text.trim_start_matches('\u{feff}')).to_lowercase()
}

impl Columns {
    /// Maps header cells to known columns (unknown headers are ignored).
    fn new(headers: &[String]) -> Columns {
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let key = header_key(h);
            if let Some((col, _)) = HEADERS
                .iter()
                .find(|(_, names)| names.iter().any(|n| n.to_lowercase() == key))
            {
                index.entry(*col).or_insert(i);
            }
        }
        Columns { index }
    }

    /// Whether this row is a header row (it has a `Unique ID` cell).
    fn is_header(cells: &[String]) -> bool {
        cells.iter().any(|c| header_key(c) == "unique id")
    }

    /// The first required column that is missing, named as in the published header.
    fn missing(&self) -> Option<&'static str> {
        let has = |c: Col| self.index.contains_key(&c);
        if !has(Col::UniqueId) {
            Some("Unique ID")
        } else if !has(Col::Type) {
            Some("Type (or Designation Type)")
        } else if !has(Col::Regime) {
            Some("Regime Name")
        } else if !has(Col::Name) && !NAME_PARTS.iter().any(|c| has(*c)) {
            Some("Name (or Name 1..Name 6)")
        } else {
            None
        }
    }

    /// The header spelling of a column, for messages.
    fn label(col: Col) -> &'static str {
        HEADERS
            .iter()
            .find(|(c, _)| *c == col)
            .and_then(|(_, names)| names.first().copied())
            .unwrap_or("-")
    }
}

/// One data row with its place in the file, read through the header.
struct Row<'a> {
    cols: &'a Columns,
    cells: &'a [String],
    file: &'a str,
    location: Location,
}

impl Row<'_> {
    /// The trimmed cell of a column; empty when the column is absent or says "N/A".
    fn get(&self, col: Col) -> &str {
        let value = self
            .cols
            .index
            .get(&col)
            .and_then(|i| self.cells.get(*i))
            .map_or("", |c| c.trim());
        if EMPTY_MARKERS.contains(&value.to_lowercase().as_str()) {
            ""
        } else {
            value
        }
    }

    /// Whether every cell is empty.
    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    fn error(&self, col: Col, message: impl Into<String>) -> ParseError {
        ParseError::new(
            self.file,
            self.location.clone(),
            Columns::label(col),
            message,
        )
    }

    fn warning(&self, col: Col, message: impl std::fmt::Display) -> String {
        format!(
            "{}: {}: field {}: {message}",
            self.file,
            self.location,
            Columns::label(col)
        )
    }
}

/// Accumulates entities over the rows of all inputs, grouping rows by Unique ID.
struct Builder<'a> {
    list: &'a str,
    entities: Vec<Entity>,
    by_uid: HashMap<String, usize>,
    /// Where each entity's first row is (`file: location`), for warnings about the entity.
    first_row: Vec<String>,
    records: usize,
    warnings: Vec<String>,
}

impl<'a> Builder<'a> {
    fn new(list: &'a str) -> Self {
        Builder {
            list,
            entities: Vec::new(),
            by_uid: HashMap::new(),
            first_row: Vec::new(),
            records: 0,
            warnings: Vec::new(),
        }
    }

    /// Reads one data row into the entity of its Unique ID.
    fn add_row(&mut self, row: &Row) -> Result<(), ParseError> {
        if row.is_blank() {
            return Ok(());
        }
        let uid = row.get(Col::UniqueId);
        if uid.is_empty() {
            return Err(row.error(Col::UniqueId, "empty Unique ID in a non-empty row"));
        }
        let schema = schema_of(row)?;
        self.records += 1;
        let idx = match self.by_uid.get(uid) {
            Some(i) => *i,
            None => {
                let entity = Entity::new(format!("uk-{uid}"), schema).with_source(self.list, uid);
                self.entities.push(entity);
                self.first_row
                    .push(format!("{}: {}", row.file, row.location));
                self.by_uid.insert(uid.to_string(), self.entities.len() - 1);
                self.entities.len() - 1
            }
        };
        let Some(entity) = self.entities.get_mut(idx) else {
            return Ok(());
        };
        if entity.schema != schema {
            self.warnings.push(row.warning(
                Col::Type,
                format!("{uid} is {} in an earlier row; kept that", entity.schema),
            ));
        }
        map_row(entity, row, &mut self.warnings);
        Ok(())
    }

    /// Closes the list. A designation the source gives no name at all (the real list has two
    /// such rows) keeps its Unique ID as a weak alias, with a warning, so that it is neither
    /// lost nor able to fail the import.
    fn finish(mut self) -> ParsedList {
        for (entity, place) in self.entities.iter_mut().zip(&self.first_row) {
            if entity.names().next().is_none() {
                let uid = entity.id.trim_start_matches("uk-").to_string();
                entity.add(Property::WeakAlias, &uid).ok();
                self.warnings.push(format!(
                    "{place}: field Name: {uid} has no name in the source; its Unique ID \
                     stands in as a weak alias"
                ));
            }
        }
        ParsedList {
            entities: self.entities,
            records: self.records,
            warnings: self.warnings,
        }
    }
}

/// The schema a row's type column names.
fn schema_of(row: &Row) -> Result<Schema, ParseError> {
    let value = row.get(Col::Type);
    match value.to_lowercase().as_str() {
        "individual" => Ok(Schema::Person),
        "entity" => Ok(Schema::LegalEntity),
        "ship" | "vessel" => Ok(Schema::Vessel),
        _ => Err(row.error(
            Col::Type,
            format!("unknown designation type {value:?} (expected Individual, Entity or Ship)"),
        )),
    }
}

/// Maps every known column of one row onto the entity.
fn map_row(entity: &mut Entity, row: &Row, warnings: &mut Vec<String>) {
    map_names(entity, row);
    entity.add(Property::Topics, "sanction").ok();
    for (col, prop) in TEXT_COLUMNS {
        entity.add(*prop, row.get(*col)).ok();
    }
    for (col, label) in NOTE_COLUMNS {
        let value = row.get(*col);
        if !value.is_empty() {
            entity
                .add(Property::Notes, &format!("{label}: {value}"))
                .ok();
        }
    }
    for (col, prop) in DATE_COLUMNS {
        for value in split_multi(row.get(*col)) {
            match parse_uk_date(value) {
                Some(date) => {
                    entity.add_date(*prop, date);
                }
                None => warnings.push(row.warning(*col, format!("not a valid date: {value:?}"))),
            }
        }
    }
    for (col, prop) in COUNTRY_COLUMNS {
        add_countries(entity, row, *col, *prop, warnings);
    }
    map_person_details(entity, row);
    map_address(entity, row);
    map_registration(entity, row.get(Col::RegNumber));
}

/// Splits a cell that may list several values (`|`- or `;`-separated).
fn split_multi(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(['|', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The name of the row (full name or joined parts), by its name type.
fn map_names(entity: &mut Entity, row: &Row) {
    let full = row.get(Col::Name);
    let joined = NAME_PARTS
        .iter()
        .map(|c| row.get(*c))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if full.is_empty() {
        joined.as_str()
    } else {
        full
    };
    let prop = name_property(row.get(Col::NameType), row.get(Col::AliasStrength));
    entity.add(prop, name).ok();
    if prop == Property::Name && entity.schema == Schema::Person {
        entity.add(Property::FirstName, row.get(Col::Name1)).ok();
        entity.add(Property::LastName, row.get(Col::Name6)).ok();
    }
    entity.add(Property::Alias, row.get(Col::NonLatinName)).ok();
}

/// The property of a name given its `Name type` and `Alias strength` (empty type: primary).
fn name_property(name_type: &str, strength: &str) -> Property {
    let kind = name_type.to_lowercase();
    let strength = strength.to_lowercase();
    if kind.is_empty() || (kind.starts_with("primary") && !kind.contains("variation")) {
        Property::Name
    } else if kind.contains("previous") || kind.contains("former") {
        Property::PreviousName
    } else if strength.contains("low") || strength.contains("weak") {
        Property::WeakAlias
    } else {
        Property::Alias
    }
}

/// Gender and place of birth of a person.
fn map_person_details(entity: &mut Entity, row: &Row) {
    let gender = match row.get(Col::Gender).to_lowercase().as_str() {
        "male" | "m" => "male",
        "female" | "f" => "female",
        _ => "",
    };
    entity.add(Property::Gender, gender).ok();
    let place = [row.get(Col::TownOfBirth), row.get(Col::CountryOfBirth)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    entity.add(Property::BirthPlace, &place).ok();
}

/// The address lines, postcode and country as one `address` value.
fn map_address(entity: &mut Entity, row: &Row) {
    let address = ADDRESS_PARTS
        .iter()
        .map(|c| row.get(*c))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    entity.add(Property::Address, &address).ok();
}

/// Country cells, possibly listing several countries; unknown ones become warnings.
fn add_countries(
    entity: &mut Entity,
    row: &Row,
    col: Col,
    prop: Property,
    warnings: &mut Vec<String>,
) {
    let value = row.get(col);
    if value.is_empty() || entity.add(prop, value).is_ok() {
        return;
    }
    for part in value.split(['|', ';', ',', '/']).map(str::trim) {
        let part = part.trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, '(' | ')' | '.') || c.is_whitespace()
        });
        if !part.is_empty() && entity.add(prop, part).is_err() {
            warnings.push(row.warning(col, format!("unknown country {part:?}")));
        }
    }
}

/// Registration numbers: labelled Russian codes go to their typed property.
fn map_registration(entity: &mut Entity, value: &str) {
    for part in split_multi(value) {
        let upper = part.to_uppercase();
        let typed = REG_LABELS.iter().find_map(|(label, prop)| {
            let rest = upper.strip_prefix(label)?;
            let number = rest.trim_start_matches([':', ' ', '.', '\u{a0}']);
            let digits = number.split_whitespace().next().unwrap_or("");
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (*prop, digits.to_string()))
        });
        match typed {
            Some((prop, number)) => entity.add(prop, &number).ok(),
            None => entity.add(Property::RegistrationNumber, part).ok(),
        };
    }
}

/// Reads a UK date: `dd/mm/yyyy` or `dd-mm-yyyy` (a time part is ignored) with `00`, `dd` or
/// `mm` for unknown parts, a bare year, or any form [`PartialDate`] reads.
fn parse_uk_date(text: &str) -> Option<PartialDate> {
    let date = text.split_whitespace().next()?;
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts.as_slice()
        && y.len() == 4
    {
        let known = |p: &str| p.parse::<u8>().ok().filter(|n| *n != 0);
        let year = y.parse::<u16>().ok()?;
        let month = known(m);
        let day = month.and_then(|_| known(d));
        return PartialDate::new(year, month, day).ok();
    }
    text.parse::<PartialDate>().ok()
}

/// Parses the FCDO list as CSV (one or more files; rows of all files are grouped by Unique ID).
pub fn parse_csv(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut builder = Builder::new(list);
    for input in inputs {
        read_csv(input, &mut builder)?;
    }
    Ok(builder.finish())
}

/// Reads the rows of one CSV file into the builder.
fn read_csv(input: &Input, builder: &mut Builder) -> Result<(), ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input.data.as_slice());
    let mut cols: Option<Columns> = None;
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(input, &e))?;
        let line = record.position().map_or(n as u64 + 1, |p| p.line());
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match &cols {
            Some(c) => builder.add_row(&Row {
                cols: c,
                cells: &cells,
                file: &input.name,
                location: Location::Line(line),
            })?,
            None => cols = header_or_skip(&cells, n, || Location::Line(line), &input.name)?,
        }
    }
    match cols {
        Some(_) => Ok(()),
        None => Err(input.error("Unique ID", "no header row with a \"Unique ID\" column")),
    }
}

/// A csv-crate error (bad UTF-8, I/O) at its line.
fn csv_error(input: &Input, e: &csv::Error) -> ParseError {
    let line = e.position().map_or(0, |p| p.line());
    let message = format!("unreadable CSV: {e}");
    match line {
        0 => input.error("-", message),
        l => input.error_at_line(l, "-", message),
    }
}

/// Before the header: the header's columns if this row is it (checked for required columns),
/// `None` for a title row, an error when no header came within [`HEADER_SEARCH_ROWS`] rows.
fn header_or_skip(
    cells: &[String],
    index: usize,
    location: impl Fn() -> Location,
    file: &str,
) -> Result<Option<Columns>, ParseError> {
    if Columns::is_header(cells) {
        let cols = Columns::new(cells);
        if let Some(missing) = cols.missing() {
            return Err(ParseError::new(
                file,
                location(),
                missing,
                format!("required column {missing:?} is missing from the header row"),
            ));
        }
        return Ok(Some(cols));
    }
    if index + 1 >= HEADER_SEARCH_ROWS {
        return Err(ParseError::new(
            file,
            location(),
            "Unique ID",
            format!(
                "no header row with a \"Unique ID\" column in the first {HEADER_SEARCH_ROWS} rows"
            ),
        ));
    }
    Ok(None)
}

/// Parses the FCDO list as the published OpenDocument spreadsheet, read from memory. Every sheet
/// with a header row is read; rows of all sheets and files are grouped by Unique ID.
///
/// The spreadsheet is read with calamine. calamine 0.31 rejects a `content.xml` that is
/// indented (white space between the cells of a row), which is how the FCDO publishes it
/// (`Expecting 'table-cell', found 'Text(...)'`); such a file is then read by the streaming
/// reader of [`ods_stream`], which takes `content.xml` out of the zip and walks its XML events.
pub fn parse_ods(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut builder = Builder::new(list);
    for input in inputs {
        let mut sheets = Sheets::default();
        match calamine::Ods::new(std::io::Cursor::new(input.data.as_slice())) {
            Ok(mut workbook) => read_workbook(input, &mut workbook, &mut sheets, &mut builder)?,
            Err(calamine::OdsError::Mismatch { .. }) => {
                ods_stream::read(input, &mut |sheet, row, cells| {
                    sheets.row(input, sheet, row, &cells, &mut builder)
                })?;
            }
            Err(e) => {
                return Err(
                    input.error("-", format!("not a readable OpenDocument spreadsheet: {e}"))
                );
            }
        }
        if !sheets.found_header {
            return Err(input.error(
                "Unique ID",
                "no sheet has a header row with a \"Unique ID\" column",
            ));
        }
    }
    Ok(builder.finish())
}

/// Reads every sheet of a workbook calamine has opened.
fn read_workbook(
    input: &Input,
    workbook: &mut calamine::Ods<std::io::Cursor<&[u8]>>,
    sheets: &mut Sheets,
    builder: &mut Builder,
) -> Result<(), ParseError> {
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| input.error("-", format!("sheet {sheet:?} unreadable: {e}")))?;
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        for (n, cells) in range.rows().enumerate() {
            let cells: Vec<String> = cells.iter().map(cell_text).collect();
            sheets.row(input, &sheet, first_row + n as u64 + 1, &cells, builder)?;
        }
    }
    Ok(())
}

/// The header state of the sheets of one spreadsheet, fed one row at a time.
#[derive(Default)]
struct Sheets {
    /// The sheet being read, its header columns once found, and how many rows came before it.
    sheet: String,
    cols: Option<Columns>,
    rows_before_header: usize,
    /// Whether any sheet had a header row.
    found_header: bool,
}

impl Sheets {
    /// One row (1-based `row`) of `sheet`. A sheet whose first [`HEADER_SEARCH_ROWS`] rows hold
    /// no header is not a list sheet (notes, a cover page) and its rows are ignored.
    fn row(
        &mut self,
        input: &Input,
        sheet: &str,
        row: u64,
        cells: &[String],
        builder: &mut Builder,
    ) -> Result<(), ParseError> {
        if sheet != self.sheet {
            self.sheet = sheet.to_string();
            self.cols = None;
            self.rows_before_header = 0;
        }
        let location = || Location::Row {
            sheet: sheet.to_string(),
            row,
        };
        if let Some(cols) = &self.cols {
            return builder.add_row(&Row {
                cols,
                cells,
                file: &input.name,
                location: location(),
            });
        }
        if self.rows_before_header >= HEADER_SEARCH_ROWS {
            return Ok(());
        }
        if Columns::is_header(cells) {
            self.cols = header_or_skip(cells, 0, location, &input.name)?;
            self.found_header = true;
        }
        self.rows_before_header += 1;
        Ok(())
    }
}

/// The text of a spreadsheet cell: numbers without a spurious `.0`, dates as ISO.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

/// A streaming reader of the table rows of an OpenDocument spreadsheet, for files calamine
/// cannot read: `content.xml` is taken out of the zip (stored or deflated member) and its
/// XML events are walked once, handing each non-empty row to a callback. Cell text joins the
/// paragraphs of a cell with a line break and expands `text:s`/`text:tab`/`text:line-break`;
/// typed cells give their `office:value`/`office:date-value`. Empty rows and cells repeated
/// thousands of times (as spreadsheet software writes the unused area) are never expanded.
pub mod ods_stream {
    use crate::error::ParseError;
    use crate::source::{Input, MAX_INPUT_BYTES};
    use quick_xml::Reader;
    use quick_xml::events::{BytesStart, Event};
    use std::io::Read;

    /// The row callback: sheet name, 1-based row number, cells.
    pub type OnRow<'a> = dyn FnMut(&str, u64, Vec<String>) -> Result<(), ParseError> + 'a;

    /// The most copies of one non-empty cell that a `number-columns-repeated` attribute expands.
    const MAX_CELL_REPEAT: usize = 256;

    fn u16_at(data: &[u8], pos: usize) -> Option<usize> {
        let b = data.get(pos..pos.checked_add(2)?)?;
        Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
    }

    fn u32_at(data: &[u8], pos: usize) -> Option<usize> {
        let b = data.get(pos..pos.checked_add(4)?)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    }

    /// The bytes of one member of a zip archive, found through the central directory.
    pub fn zip_member(data: &[u8], wanted: &str) -> Result<Vec<u8>, String> {
        const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
        let eocd = (0..data.len().saturating_sub(21))
            .rev()
            .take(65_557)
            .find(|&i| data.get(i..i + 4) == Some(&EOCD[..]))
            .ok_or("not a zip archive (no end of central directory)")?;
        let count = u16_at(data, eocd + 10).ok_or("truncated zip directory")?;
        let mut pos = u32_at(data, eocd + 16).ok_or("truncated zip directory")?;
        for _ in 0..count {
            if data.get(pos..pos + 4) != Some(&[0x50, 0x4b, 0x01, 0x02][..]) {
                return Err("corrupt zip central directory".into());
            }
            let field = |off: usize, wide: bool| {
                if wide {
                    u32_at(data, pos + off)
                } else {
                    u16_at(data, pos + off)
                }
                .ok_or_else(|| "truncated zip central directory".to_string())
            };
            let (method, size, name_len) = (field(10, false)?, field(20, true)?, field(28, false)?);
            let skip = name_len + field(30, false)? + field(32, false)?;
            let name = data.get(pos + 46..pos + 46 + name_len);
            if name == Some(wanted.as_bytes()) {
                return member_data(data, field(42, true)?, method, size);
            }
            pos += 46 + skip;
        }
        Err(format!("{wanted} not found in the archive"))
    }

    /// The data of the member whose local header is at `local`, inflated.
    fn member_data(
        data: &[u8],
        local: usize,
        method: usize,
        size: usize,
    ) -> Result<Vec<u8>, String> {
        let truncated = || "truncated zip member".to_string();
        let start = local
            + 30
            + u16_at(data, local + 26).ok_or_else(truncated)?
            + u16_at(data, local + 28).ok_or_else(truncated)?;
        let raw = data
            .get(start..start.saturating_add(size))
            .ok_or_else(truncated)?;
        match method {
            0 => Ok(raw.to_vec()),
            8 => {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(raw)
                    .take(MAX_INPUT_BYTES)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("corrupt deflate data: {e}"))?;
                Ok(out)
            }
            m => Err(format!("unsupported zip compression method {m}")),
        }
    }

    /// An attribute's unescaped value.
    fn attr(e: &BytesStart, name: &str) -> Option<String> {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| a.decode_and_unescape_value(e.decoder()).ok())
            .map(|v| v.into_owned())
    }

    /// A repeat count attribute (1 when absent or unreadable).
    fn repeat(e: &BytesStart, name: &str) -> usize {
        attr(e, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// The cells of the row being read.
    #[derive(Default)]
    struct RowState {
        cells: Vec<String>,
        /// Empty cells not yet written (written only when a non-empty cell follows).
        pending_empty: usize,
        cell_repeat: usize,
        typed_value: Option<String>,
        text: String,
        paragraphs: usize,
    }

    impl RowState {
        fn start_cell(&mut self, e: &BytesStart) {
            self.cell_repeat = repeat(e, "table:number-columns-repeated");
            self.typed_value = match attr(e, "office:value-type").as_deref() {
                Some("float" | "percentage" | "currency") => attr(e, "office:value"),
                Some("date") => attr(e, "office:date-value"),
                Some("time") => attr(e, "office:time-value"),
                Some("boolean") => attr(e, "office:boolean-value"),
                _ => None,
            };
            self.text.clear();
            self.paragraphs = 0;
        }

        fn end_cell(&mut self) {
            let value = self
                .typed_value
                .take()
                .unwrap_or_else(|| std::mem::take(&mut self.text));
            if value.is_empty() {
                self.pending_empty = self.pending_empty.saturating_add(self.cell_repeat);
                return;
            }
            let empties = std::mem::take(&mut self.pending_empty).min(MAX_CELL_REPEAT * 64);
            self.cells
                .extend(std::iter::repeat_n(String::new(), empties));
            self.cells.extend(std::iter::repeat_n(
                value,
                self.cell_repeat.min(MAX_CELL_REPEAT),
            ));
        }
    }

    /// Walks the rows of every sheet of the spreadsheet in `input`, calling `on_row(sheet,
    /// 1-based row, cells)` for every row with a non-empty cell.
    pub fn read(input: &Input, on_row: &mut OnRow<'_>) -> Result<(), ParseError> {
        let xml = zip_member(&input.data, "content.xml").map_err(|e| {
            input.error("-", format!("not a readable OpenDocument spreadsheet: {e}"))
        })?;
        let mut reader = Reader::from_reader(xml.as_slice());
        let mut buf = Vec::new();
        let mut sheet = String::new();
        let mut row_no: u64 = 0;
        let mut row_repeat: u64 = 1;
        let mut row = RowState::default();
        let mut in_cell = false;
        loop {
            let event = reader.read_event_into(&mut buf).map_err(|e| {
                let at = reader.error_position();
                input.error("-", format!("content.xml byte {at}: malformed XML: {e}"))
            })?;
            match event {
                Event::Start(e) => match e.name().as_ref() {
                    b"table:table" => {
                        sheet = attr(&e, "table:name").unwrap_or_default();
                        row_no = 0;
                    }
                    b"table:table-row" => {
                        row = RowState::default();
                        row_repeat = repeat(&e, "table:number-rows-repeated") as u64;
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        row.start_cell(&e);
                        in_cell = true;
                    }
                    b"text:p" if in_cell => {
                        if row.paragraphs > 0 {
                            row.text.push('\n');
                        }
                        row.paragraphs += 1;
                    }
                    _ => {}
                },
                Event::Empty(e) => match e.name().as_ref() {
                    b"table:table-row" => {
                        row_no += repeat(&e, "table:number-rows-repeated") as u64;
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        row.start_cell(&e);
                        row.end_cell();
                    }
                    b"text:s" if in_cell => {
                        let n = repeat(&e, "text:c").min(MAX_CELL_REPEAT);
                        row.text.extend(std::iter::repeat_n(' ', n));
                    }
                    b"text:tab" if in_cell => row.text.push('\t'),
                    b"text:line-break" if in_cell => row.text.push('\n'),
                    _ => {}
                },
                Event::Text(t) if in_cell && row.paragraphs > 0 => {
                    row.text.push_str(&t.xml_content().unwrap_or_default());
                }
                Event::GeneralRef(r) if in_cell => {
                    let name = r.decode().unwrap_or_default();
                    match (
                        r.resolve_char_ref(),
                        quick_xml::escape::resolve_xml_entity(&name),
                    ) {
                        (Ok(Some(c)), _) => row.text.push(c),
                        (_, Some(s)) => row.text.push_str(s),
                        _ => {}
                    }
                }
                Event::End(e) => match e.name().as_ref() {
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        row.end_cell();
                        in_cell = false;
                    }
                    b"table:table-row" => {
                        let cells = std::mem::take(&mut row.cells);
                        if !cells.is_empty() {
                            on_row(&sheet, row_no + 1, cells)?;
                        }
                        row_no += row_repeat;
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
            buf.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/uk/primary_names.csv");
    const FULL: &str = include_str!("../../tests/fixtures/uk/full_layout.csv");

    fn csv(name: &str, text: &str) -> Result<ParsedList, ParseError> {
        let input = Input::from_bytes(name, text.as_bytes().to_vec())?;
        parse_csv(&[input], "uk_fcdo")
    }

    #[test]
    fn primary_names_layout_maps_every_column() {
        let list = csv("primary.csv", FIXTURE).expect("fixture parses");
        assert_eq!(list.records, 4);
        assert_eq!(list.entities.len(), 4);
        let e = list.entity("uk-RUS9001").expect("entity present");
        assert_eq!(e.schema, Schema::Person);
        assert_eq!(e.get(Property::Name), ["IVANOVA Marta Petrovna"]);
        assert_eq!(e.get(Property::Program), ["Russia"]);
        assert_eq!(e.get(Property::CreatedAt), ["2022-03-15"]);
        assert_eq!(e.get(Property::Topics), ["sanction"]);
        assert!(
            e.get(Property::Notes)
                .contains(&"OFSI Group ID: 90001".to_string())
        );
        assert!(
            e.get(Property::Notes)
                .contains(&"Designation source: UK".to_string())
        );
        assert!(
            e.get(Property::Notes)
                .contains(&"Sanctions imposed: Asset freeze, Travel Ban".to_string())
        );
        let p = e.provenance.as_ref().map(|p| p.record_id.as_str());
        assert_eq!(p, Some("RUS9001"));
        assert_eq!(
            list.entity("uk-RUS9002").expect("entity present").schema,
            Schema::LegalEntity
        );
        assert_eq!(
            list.entity("uk-RUS9003").expect("entity present").schema,
            Schema::Vessel
        );
        // A multi-line quoted cell is one value.
        let ship = list.entity("uk-RUS9003").expect("entity present");
        assert!(
            ship.get(Property::Notes)
                .iter()
                .any(|n| n.contains("see \"Other information\""))
        );
    }

    #[test]
    fn full_layout_groups_rows_and_maps_details() {
        let list = csv("full.csv", FULL).expect("fixture parses");
        assert_eq!(list.records, 5);
        assert_eq!(list.entities.len(), 3);
        let p = list.entity("uk-RUS9101").expect("entity present");
        assert_eq!(p.get(Property::Name), ["Marta Petrovna IVANOVA"]);
        assert_eq!(p.get(Property::FirstName), ["Marta"]);
        assert_eq!(p.get(Property::LastName), ["IVANOVA"]);
        assert_eq!(
            p.get(Property::Alias),
            ["Марта Петровна ИВАНОВА", "Marta IVANOVA-SMIT"]
        );
        assert_eq!(p.get(Property::WeakAlias), ["Masha"]);
        assert_eq!(p.get(Property::BirthDate), ["1970-05-12", "1971"]);
        assert_eq!(p.get(Property::Nationality), ["ru"]);
        assert_eq!(p.get(Property::PassportNumber), ["750001122"]);
        assert_eq!(p.get(Property::Gender), ["female"]);
        assert_eq!(p.get(Property::BirthPlace), ["Tula, Russia"]);
        assert_eq!(p.get(Property::BirthCountry), ["ru"]);
        assert_eq!(p.get(Property::Position), ["Director of Fictional Works"]);
        assert_eq!(
            p.get(Property::Address),
            ["1 Test Street, Moscow, 101000, Russia"]
        );
        assert_eq!(p.get(Property::Country), ["ru"]);
        assert_eq!(p.get(Property::ModifiedAt), ["2024-01-02"]);
        let c = list.entity("uk-RUS9102").expect("entity present");
        assert_eq!(c.get(Property::InnCode), ["7700000001"]);
        assert_eq!(c.get(Property::OgrnCode), ["1027700000001"]);
        assert_eq!(c.get(Property::Website), ["www.example.test"]);
        let s = list.entity("uk-RUS9103").expect("entity present");
        assert_eq!(s.get(Property::ImoNumber), ["9000001"]);
        assert_eq!(s.get(Property::Flag), ["pa"]);
        assert_eq!(s.get(Property::BuildDate), ["2001"]);
        assert_eq!(s.get(Property::Type), ["Crude Oil Tanker"]);
        assert_eq!(s.get(Property::OwnerName), ["Example Shipping LLC"]);
        // "Atlantis" is no country and "31/02/1970" no date: warnings, not failures.
        assert_eq!(list.warnings.len(), 2, "{:?}", list.warnings);
        assert!(
            list.warnings
                .iter()
                .any(|w| w.contains("line 4") && w.contains("Atlantis"))
        );
        assert!(
            list.warnings
                .iter()
                .any(|w| w.contains("D.O.B") && w.contains("31/02/1970"))
        );
    }

    #[test]
    fn designation_without_name_keeps_its_id_as_weak_alias() {
        let text = "Unique ID,Name,Regime Name,Type\nX1,\"\n   \",R,Individual\n";
        let list = csv("n.csv", text).expect("parses");
        assert_eq!(list.entities[0].get(Property::WeakAlias), ["X1"]);
        assert_eq!(list.warnings.len(), 1);
        assert!(
            list.warnings[0].starts_with("n.csv: line 2: field Name"),
            "{:?}",
            list.warnings
        );
    }

    #[test]
    fn uk_dates_keep_known_precision() {
        let d = |s: &str| parse_uk_date(s).map(|d| d.to_string());
        assert_eq!(d("29-06-2012"), Some("2012-06-29".into()));
        assert_eq!(d("29/06/2012 00:00:00"), Some("2012-06-29".into()));
        assert_eq!(d("00/00/1961"), Some("1961".into()));
        assert_eq!(d("dd/05/1961"), Some("1961-05".into()));
        assert_eq!(d("1961"), Some("1961".into()));
        assert_eq!(d("31/02/1970"), None);
        assert_eq!(d("3017-08-22"), None);
    }

    #[test]
    fn missing_required_column_names_it() {
        let err = csv("bad.csv", "Unique ID,Name,Type\nX1,A,Entity\n").err();
        let err = err.expect("must fail");
        assert_eq!(err.location, Location::Line(1));
        assert!(err.field.contains("Regime Name"), "{err}");
        assert!(
            err.to_string()
                .starts_with("bad.csv: line 1: field Regime Name")
        );
    }

    #[test]
    fn empty_unique_id_is_an_error_at_its_line() {
        let text = "Unique ID,Name,Regime Name,Type\nX1,A,R,Entity\n,B,R,Entity\n";
        let err = csv("bad.csv", text).expect_err("must fail");
        assert_eq!(err.location, Location::Line(3));
        assert_eq!(err.field, "Unique ID");
    }

    #[test]
    fn unknown_type_is_an_error() {
        let text = "Unique ID,Name,Regime Name,Type\nX1,A,R,Aircraft\n";
        let err = csv("bad.csv", text).expect_err("must fail");
        assert_eq!(err.location, Location::Line(2));
        assert_eq!(err.field, "Type");
        assert!(err.message.contains("Aircraft"));
    }

    #[test]
    fn no_header_is_an_error() {
        let err = csv("x.csv", "a,b\n1,2\n").expect_err("must fail");
        assert_eq!(err.location, Location::File);
        let many = "a\n".repeat(20);
        let err = csv("x.csv", &many).expect_err("must fail");
        assert_eq!(err.location, Location::Line(10));
    }

    #[test]
    fn title_row_before_header_is_skipped() {
        let text = format!("Report Date: 11-Aug-2025\n{FIXTURE}");
        let list = csv("t.csv", &text).expect("parses");
        assert_eq!(list.entities.len(), 4);
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut data = b"Unique ID,Name,Regime Name,Type\nX1,A,R,Entity\nX2,".to_vec();
        data.extend_from_slice(&[0xff, 0xfe, b',', b'R', b',', b'E', b'\n']);
        let input = Input::from_bytes("u.csv", data).expect("input");
        let err = parse_csv(&[input], "uk").expect_err("must fail");
        assert_eq!(err.location, Location::Line(3));
    }

    #[test]
    fn non_ods_bytes_are_an_error() {
        let input = Input::from_bytes("x.ods", FIXTURE.as_bytes().to_vec()).expect("input");
        let err = parse_ods(&[input], "uk").expect_err("must fail");
        assert_eq!(err.file, "x.ods");
        assert!(err.message.contains("OpenDocument"));
    }

    #[test]
    fn ods_rows_are_grouped_and_errors_name_the_row() {
        let rows: &[&[&str]] = &[
            &["Report Date: 11-Aug-2025"],
            &[
                "Unique ID",
                "Name 6",
                "Name 1",
                "Name type",
                "Regime Name",
                "Designation Type",
                "D.O.B",
            ],
            &[
                "RUS9201",
                "PETROV",
                "Ivan",
                "Primary name",
                "Russia",
                "Individual",
                "01/02/1960",
            ],
            &[
                "RUS9201",
                "PETROFF",
                "Ivan",
                "Alias",
                "Russia",
                "Individual",
                "",
            ],
            &[
                "RUS9202",
                "",
                "Test Tanker",
                "Primary name",
                "Russia",
                "Ship",
                "",
            ],
        ];
        let input = Input::from_bytes("t.ods", ods::build("List", rows, false)).expect("input");
        let list = parse_ods(&[input], "uk_fcdo").expect("parses");
        assert_eq!(list.records, 3);
        assert_eq!(list.entities.len(), 2);
        let p = list.entity("uk-RUS9201").expect("entity present");
        assert_eq!(p.get(Property::Name), ["Ivan PETROV"]);
        assert_eq!(p.get(Property::Alias), ["Ivan PETROFF"]);
        assert_eq!(p.get(Property::BirthDate), ["1960-02-01"]);
        assert_eq!(
            list.entity("uk-RUS9202").expect("entity present").schema,
            Schema::Vessel
        );

        let bad: &[&[&str]] = &[
            &["Unique ID", "Name", "Regime Name", "Type"],
            &["X1", "A", "R", "Entity"],
            &["", "B", "R", "Entity"],
        ];
        let input = Input::from_bytes("b.ods", ods::build("S1", bad, false)).expect("input");
        let err = parse_ods(&[input], "uk").expect_err("must fail");
        let row = Location::Row {
            sheet: "S1".into(),
            row: 3,
        };
        assert_eq!(err.location, row);
        assert!(
            err.to_string()
                .contains("sheet \"S1\" row 3: field Unique ID"),
            "{err}"
        );

        let missing: &[&[&str]] = &[&["Unique ID", "Name", "Type"], &["X1", "A", "Entity"]];
        let input = Input::from_bytes("m.ods", ods::build("S1", missing, false)).expect("input");
        let err = parse_ods(&[input], "uk").expect_err("must fail");
        assert_eq!(err.field, "Regime Name");
    }

    #[test]
    fn indented_ods_is_read_by_the_streaming_reader() {
        let rows: &[&[&str]] = &[
            &["Report Date: 11-Aug-2025"],
            &[
                "Unique ID",
                "Name",
                "Regime Name",
                "Type",
                "Date Designated",
            ],
            &[
                "RUS9301",
                "SMITH & SONS  LTD",
                "Russia",
                "Entity",
                "01-02-2023",
            ],
            &["RUS9301", "SMITH AND SONS", "Russia", "Entity", ""],
            &["RUS9302", "TEST <SHIP>", "Russia", "Ship", "02-02-2023"],
        ];
        let data = ods::build("UK_Sanction_List", rows, true);
        // calamine 0.31 cannot read this layout; the fallback must.
        assert!(calamine::Ods::new(std::io::Cursor::new(data.as_slice())).is_err());
        let input = Input::from_bytes("i.ods", data).expect("input");
        let list = parse_ods(&[input], "uk_fcdo").expect("parses");
        assert_eq!(list.records, 3);
        let e = list.entity("uk-RUS9301").expect("entity present");
        assert_eq!(
            e.get(Property::Name),
            ["SMITH & SONS LTD", "SMITH AND SONS"]
        );
        assert_eq!(e.get(Property::CreatedAt), ["2023-02-01"]);
        assert_eq!(
            list.entity("uk-RUS9302")
                .expect("entity present")
                .get(Property::Name),
            ["TEST <SHIP>"]
        );

        let bad: &[&[&str]] = &[
            &["Unique ID", "Name", "Regime Name", "Type"],
            &["X1", "A", "R", "Entity"],
            &["", "B", "R", "Entity"],
        ];
        let input = Input::from_bytes("b.ods", ods::build("S2", bad, true)).expect("input");
        let err = parse_ods(&[input], "uk").expect_err("must fail");
        let row = Location::Row {
            sheet: "S2".into(),
            row: 3,
        };
        assert_eq!(err.location, row);

        let none: &[&[&str]] = &[&["just", "a", "table"]];
        let input = Input::from_bytes("n.ods", ods::build("S", none, true)).expect("input");
        let err = parse_ods(&[input], "uk").expect_err("must fail");
        assert!(err.message.contains("no sheet has a header row"), "{err}");
    }

    #[test]
    fn zip_member_rejects_broken_archives() {
        assert!(ods_stream::zip_member(b"PK\x05\x06", "content.xml").is_err());
        let data = ods::build("S", &[&["a"]], false);
        assert!(ods_stream::zip_member(&data, "content.xml").is_ok());
        assert!(ods_stream::zip_member(&data, "nope.xml").is_err());
        for cut in [10, data.len() / 2, data.len() - 30] {
            let mut broken = data.clone();
            broken.drain(cut..cut + 8);
            let _ = ods_stream::zip_member(&broken, "content.xml");
        }
    }

    /// A minimal ODS writer for tests: a stored (uncompressed) zip with mimetype and content.xml.
    mod ods {
        fn escape(s: &str) -> String {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        }

        /// The content.xml of one sheet; `indented` writes it as the FCDO does (white space
        /// between cells, a huge repeated empty row at the end), which calamine 0.31 rejects.
        fn content(sheet: &str, rows: &[&[&str]], indented: bool) -> String {
            let sep = if indented { "\n        " } else { "" };
            let mut body = String::new();
            for row in rows {
                body.push_str(&format!("{sep}<table:table-row>"));
                for cell in *row {
                    body.push_str(&format!(
                        "{sep}<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        escape(cell).replace("  ", "<text:s text:c=\"2\"/>")
                    ));
                }
                body.push_str(&format!("{sep}</table:table-row>"));
            }
            if indented {
                body.push_str(
                    "\n<table:table-row table:number-rows-repeated=\"1048000\">\
                     <table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>",
                );
            }
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
                 xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
                 xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
                 xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>\
                 <office:spreadsheet><table:table table:name=\"{sheet}\">{body}</table:table>\
                 </office:spreadsheet></office:body></office:document-content>"
            )
        }

        pub fn build(sheet: &str, rows: &[&[&str]], indented: bool) -> Vec<u8> {
            let files = [
                (
                    "mimetype",
                    "application/vnd.oasis.opendocument.spreadsheet".to_string(),
                ),
                ("content.xml", content(sheet, rows, indented)),
                (
                    "META-INF/manifest.xml",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
                     xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>"
                        .to_string(),
                ),
            ];
            let mut out = Vec::new();
            let mut central = Vec::new();
            for (name, data) in &files {
                let mut crc = flate2::Crc::new();
                crc.update(data.as_bytes());
                let offset = out.len() as u32;
                let header = |sig: u32, central: bool| {
                    let mut h = sig.to_le_bytes().to_vec();
                    if central {
                        h.extend_from_slice(&20u16.to_le_bytes());
                    }
                    for v in [20u16, 0, 0, 0, 0] {
                        h.extend_from_slice(&v.to_le_bytes());
                    }
                    h.extend_from_slice(&crc.sum().to_le_bytes());
                    h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                    h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                    h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                    h.extend_from_slice(&0u16.to_le_bytes());
                    if central {
                        for v in [0u16, 0, 0] {
                            h.extend_from_slice(&v.to_le_bytes());
                        }
                        h.extend_from_slice(&0u32.to_le_bytes());
                        h.extend_from_slice(&offset.to_le_bytes());
                    }
                    h.extend_from_slice(name.as_bytes());
                    h
                };
                out.extend(header(0x0403_4b50, false));
                out.extend_from_slice(data.as_bytes());
                central.extend(header(0x0201_4b50, true));
            }
            let cd_offset = out.len() as u32;
            out.extend_from_slice(&central);
            out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
            for v in [0u16, 0, files.len() as u16, files.len() as u16] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&(central.len() as u32).to_le_bytes());
            out.extend_from_slice(&cd_offset.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Arbitrary bytes never panic either parser.
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
            if let Ok(input) = Input::from_bytes("fuzz", data) {
                let _ = parse_csv(std::slice::from_ref(&input), "uk");
                let _ = parse_ods(&[input], "uk");
            }
        }

        /// A spreadsheet with one byte replaced never panics either reader.
        #[test]
        fn mutated_ods_never_panics(pos in 0usize..4000, byte in any::<u8>(), indented in any::<bool>()) {
            let rows: &[&[&str]] = &[
                &["Unique ID", "Name", "Regime Name", "Type"],
                &["X1", "A & B", "R", "Entity"],
            ];
            let mut data = ods::build("S", rows, indented);
            let pos = pos % data.len();
            data[pos] = byte;
            if let Ok(input) = Input::from_bytes("fuzz.ods", data) {
                let _ = parse_ods(&[input], "uk");
            }
        }

        /// A fixture with one byte replaced or cut short never panics.
        #[test]
        fn mutated_fixture_never_panics(pos in 0usize..2000, byte in any::<u8>(), cut in any::<bool>()) {
            let mut data = FULL.as_bytes().to_vec();
            let pos = pos % data.len();
            if cut { data.truncate(pos) } else { data[pos] = byte }
            if let Ok(input) = Input::from_bytes("fuzz.csv", data) {
                let _ = parse_csv(&[input], "uk");
            }
        }
    }
}
