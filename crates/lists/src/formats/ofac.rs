//! OFAC's legacy CSV sets: the SDN list and the consolidated (non-SDN) list.
//!
//! # The format
//!
//! OFAC publishes each list as four header-less, comma-separated files joined by `ent_num`:
//!
//! | SDN set            | consolidated set    | columns |
//! |--------------------|---------------------|---------|
//! | `sdn.csv`          | `cons_prim.csv`     | ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks |
//! | `add.csv`          | `cons_add.csv`      | ent_num, add_num, address, city/state/province/postal code, country, add_remarks |
//! | `alt.csv`          | `cons_alt.csv`      | ent_num, alt_num, alt_type, alt_name, alt_remarks |
//! | `sdn_comments.csv` | `cons_comments.csv` | ent_num, remarks overflow |
//!
//! `-0-` (often followed by a space) means "empty"; every file ends with a DOS end-of-file byte
//! (0x1A), which is dropped together with trailing blank lines. The files are ASCII in practice;
//! a field that is not valid UTF-8 is read as Latin-1 so that no byte is lost or rejected.
//! Fields never span lines, so a field that contains a line break, or a quote left open at the
//! end of the file, is reported as an unterminated quote.
//!
//! The inputs of a set are told apart by file name: a name with the word `add`, `alt` or
//! `comments` has that role, any other name is the main file (`sdn.csv`, `sdn_2024-05-03.csv`,
//! `cons_prim.csv`). A set without a main file is an error (addresses of nothing cannot be
//! screened); an address, alias or comment row whose `ent_num` is not in the main file is a
//! warning, since OFAC's side files are sometimes published out of step with the main one.
//!
//! # Mapping
//!
//! * `SDN_Type`: `individual` → Person, `vessel` → Vessel, `aircraft` → Aircraft, empty
//!   (`-0-`) → LegalEntity (OFAC does not say whether an entity is a company or an
//!   organisation, so the FtM parent schema is used). Ids are `ofac-sdn-{ent_num}` and
//!   `ofac-cons-{ent_num}`; the provenance record id is the `ent_num`, and `sourceUrl` points to
//!   OFAC's search page for the entry.
//! * Names are kept as printed (`LAST, First Middle` for people). For people, the printed name
//!   and every alias are also split at the first comma into `lastName` / `firstName`, so a
//!   matcher can compare name parts in either order.
//! * `alt.csv`: `aka` and `nka` (now known as) → `alias`, `fka` → `previousName`. The legacy CSV
//!   marks no alias as weak in `alt_type`/`alt_remarks`; OFAC instead prints its *weak* AKAs
//!   (nicknames, generic acronyms) in the remarks as `a.k.a. 'X'` (see OFAC FAQ 123), and in the
//!   real data none of them repeats an `alt.csv` name. They therefore become `weakAlias`,
//!   whatever their `a.k.a.`/`f.k.a.`/`n.k.a.` prefix: what matters for screening is that they
//!   are weak. An `alt_remarks` mentioning "weak" also makes the alias weak.
//! * `Program` (`RUSSIA-EO14024] [UKRAINE-EO13662`) → one `program` per bracketed code;
//!   `Title` → `position`, one per `;`-separated function (it holds functions such as
//!   "Member of the State Duma"); vessel
//!   columns → `callSign`, `type`, `tonnage`, `grossRegisteredTonnage`, `flag`, `ownerName`.
//! * `add.csv` → `address` (street, city, country joined) and the country → `country`.
//!   Countries are ISO codes; OFAC spellings the shared table lacks (`Saudi Arabia`,
//!   `St. Kitts & Nevis`, `Man, Isle of`, `Region: Gaza`) are resolved here first.
//! * Remarks (with the `*_comments.csv` overflow appended first; OFAC cuts the text mid-word,
//!   so the two parts are concatenated as they are) are kept whole in `notes`, then split at
//!   `;` into clauses, each read by its label (an `alt.` prefix is ignored; the `RULES` table
//!   lists about 130 labels, covering the frequent ones of the real lists). Dates of birth accept `circa` and ranges (`1955 to 1958`, `circa 1979-1982`),
//!   a range giving every year (or the month, when both ends fall in the same month).
//!   Identifiers drop a trailing `(Country)`, `issued …` and `expires …`; a Russian
//!   `Tax ID No.` is an INN (`innCode`), a Russian registration number of 13 or 15 digits an
//!   OGRN (`ogrnCode`), a Russian `Government Gazette Number` an OKPO code (`okpoCode`).
//!   Sanctions statements (secondary sanctions risk, directive determinations, CMIC and
//!   directive listing dates) are also kept as separate `notes`.
//! * Not mapped beyond the raw `notes` (no property exists for them): digital currency
//!   addresses, ISIN, equity tickers and issuer names, `Target Type`, fax numbers, former and
//!   other vessel flags, Mode S transponder codes, free-text functions of people
//!   ("Minister of Defense."), and rare labels not in the `RULES` table. `D-U-N-S Number` and
//!   `BIK (RU)` go to FtM's `dunsCode` and `bikCode`, which dualtrace keeps unvalidated.
//!
//! Bad values inside a well-formed row (an unknown country, an impossible date, a gender that
//! is neither male nor female) become warnings naming file, line and field, and the value is
//! dropped. Malformed rows (wrong number of columns, a non-numeric `ent_num`, an unknown
//! `SDN_Type`, an empty name, a duplicate `ent_num`, an unterminated quote) fail the import.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;
use dualtrace_model::{Entity, PartialDate, Property, Schema, country_code};
use std::collections::HashMap;

/// The columns of `sdn.csv` / `cons_prim.csv`.
const MAIN_COLUMNS: &[&str] = &[
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
];
/// The columns of `add.csv` / `cons_add.csv`.
const ADD_COLUMNS: &[&str] = &[
    "ent_num",
    "add_num",
    "address",
    "city/state/province/postal code",
    "country",
    "add_remarks",
];
/// The columns of `alt.csv` / `cons_alt.csv`.
const ALT_COLUMNS: &[&str] = &["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"];
/// The columns of `sdn_comments.csv` / `cons_comments.csv`.
const COMMENTS_COLUMNS: &[&str] = &["ent_num", "remarks"];

/// OFAC's public page of an entry, by `ent_num`.
const SOURCE_URL: &str = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=";

/// The widest date-of-birth range expanded into single years; wider ranges keep their ends.
const MAX_DOB_RANGE_YEARS: u16 = 30;

/// Parses an OFAC SDN CSV set: `sdn.csv` with optional `add.csv`, `alt.csv`,
/// `sdn_comments.csv` (entity ids `ofac-sdn-{ent_num}`).
pub fn parse_sdn(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    parse_set(inputs, list, "ofac-sdn", "sdn.csv")
}

/// Parses an OFAC consolidated non-SDN CSV set: `cons_prim.csv` with optional `cons_add.csv`,
/// `cons_alt.csv`, `cons_comments.csv` (entity ids `ofac-cons-{ent_num}`).
pub fn parse_cons(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    parse_set(inputs, list, "ofac-cons", "cons_prim.csv")
}

/// The role of one file in a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Main,
    Add,
    Alt,
    Comments,
}

/// Tells the files of a set apart by the words of their name.
fn role_of(input: &Input) -> Role {
    let name = input.file_name();
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    if words.contains(&"comments") {
        Role::Comments
    } else if words.contains(&"add") {
        Role::Add
    } else if words.contains(&"alt") {
        Role::Alt
    } else {
        Role::Main
    }
}

/// The entities of a set under construction, indexed by `ent_num`.
struct Set {
    entities: Vec<Entity>,
    index: HashMap<u64, usize>,
    warnings: Vec<String>,
    records: usize,
}

impl Set {
    /// The entity of an `ent_num`, or a warning that the side-file row points to nothing.
    fn entity_for(&mut self, row: &Row) -> Result<Option<usize>, ParseError> {
        let ent_num = row.number(0)?;
        let found = self.index.get(&ent_num).copied();
        if found.is_none() {
            self.warnings.push(row.warning(
                0,
                &format!("no entity {ent_num} in the main file; row ignored"),
            ));
        }
        Ok(found)
    }
}

/// Reads a set: comments first (they complete the main file's remarks), then the main file,
/// then addresses and aliases.
fn parse_set(
    inputs: &[Input],
    list: &str,
    prefix: &str,
    main_name: &str,
) -> Result<ParsedList, ParseError> {
    let main = find_main(inputs, main_name)?;
    let mut set = Set {
        entities: Vec::new(),
        index: HashMap::new(),
        warnings: Vec::new(),
        records: 0,
    };
    let comments = read_comments(inputs, &mut set)?;
    read_main(main, list, prefix, &comments, &mut set)?;
    warn_orphan_comments(&comments, &mut set);
    for input in inputs {
        match role_of(input) {
            Role::Add => {
                set.records += read_rows(input, ADD_COLUMNS, |row| add_address(&mut set, &row))?
            }
            Role::Alt => {
                set.records += read_rows(input, ALT_COLUMNS, |row| add_alias(&mut set, &row))?
            }
            Role::Main | Role::Comments => {}
        }
    }
    Ok(ParsedList {
        entities: set.entities,
        records: set.records,
        warnings: set.warnings,
    })
}

/// The one main file of a set.
fn find_main<'i>(inputs: &'i [Input], main_name: &str) -> Result<&'i Input, ParseError> {
    let mut main: Option<&Input> = None;
    for input in inputs.iter().filter(|i| role_of(i) == Role::Main) {
        if let Some(first) = main.replace(input) {
            return Err(input.error(
                "file",
                format!(
                    "two main files in one set ({} and {}); give one {main_name}",
                    first.name, input.name
                ),
            ));
        }
    }
    main.ok_or_else(|| {
        let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
        ParseError::new(
            names.first().copied().unwrap_or("-"),
            crate::error::Location::File,
            "file",
            format!(
                "no main file ({main_name}) in the set [{}]: addresses, aliases and comments \
                 need the entities they belong to",
                names.join(", ")
            ),
        )
    })
}

/// Remarks overflow of one entity: the text and where it was read (for warnings).
struct Overflow {
    text: String,
    file: String,
    line: u64,
}

/// Reads every comments file: `ent_num` to the overflow text, in file order.
fn read_comments(inputs: &[Input], set: &mut Set) -> Result<HashMap<u64, Overflow>, ParseError> {
    let mut out: HashMap<u64, Overflow> = HashMap::new();
    for input in inputs.iter().filter(|i| role_of(i) == Role::Comments) {
        set.records += read_rows(input, COMMENTS_COLUMNS, |row| {
            let ent_num = row.number(0)?;
            let entry = out.entry(ent_num).or_insert_with(|| Overflow {
                text: String::new(),
                file: input.name.clone(),
                line: row.line,
            });
            entry.text.push_str(row.raw(1));
            Ok(())
        })?;
    }
    Ok(out)
}

/// Warns of comments whose `ent_num` is not in the main file.
fn warn_orphan_comments(comments: &HashMap<u64, Overflow>, set: &mut Set) {
    let mut orphans: Vec<(&u64, &Overflow)> = comments
        .iter()
        .filter(|(n, _)| !set.index.contains_key(n))
        .collect();
    orphans.sort_by_key(|(n, _)| **n);
    for (ent_num, o) in orphans {
        set.warnings.push(format!(
            "{}: line {}: field ent_num: no entity {ent_num} in the main file; comment ignored",
            o.file, o.line
        ));
    }
}

/// Reads the main file into entities.
fn read_main(
    input: &Input,
    list: &str,
    prefix: &str,
    comments: &HashMap<u64, Overflow>,
    set: &mut Set,
) -> Result<(), ParseError> {
    let mut first_line: HashMap<u64, u64> = HashMap::new();
    set.records += read_rows(input, MAIN_COLUMNS, |row| {
        let ent_num = row.number(0)?;
        if let Some(first) = first_line.insert(ent_num, row.line) {
            return Err(row.error(
                0,
                format!("duplicate ent_num {ent_num} (first at line {first})"),
            ));
        }
        // The raw text keeps a space at which OFAC may have cut the remarks.
        let mut remarks = match row.get(11) {
            "" => String::new(),
            _ => row.raw(11).to_string(),
        };
        if let Some(o) = comments.get(&ent_num) {
            remarks.push_str(&o.text);
        }
        let entity = main_entity(&row, ent_num, list, prefix, &remarks, &mut set.warnings)?;
        set.index.insert(ent_num, set.entities.len());
        set.entities.push(entity);
        Ok(())
    })?;
    Ok(())
}

/// Builds the entity of one main-file row.
fn main_entity(
    row: &Row,
    ent_num: u64,
    list: &str,
    prefix: &str,
    remarks: &str,
    warnings: &mut Vec<String>,
) -> Result<Entity, ParseError> {
    let schema = match row.get(2) {
        "individual" => Schema::Person,
        "vessel" => Schema::Vessel,
        "aircraft" => Schema::Aircraft,
        "" => Schema::LegalEntity,
        other => {
            return Err(row.error(
                2,
                format!(
                    "unknown SDN_Type {other:?} (expected individual, vessel, aircraft or -0-)"
                ),
            ));
        }
    };
    let name = row.get(1);
    if name.is_empty() {
        return Err(row.error(1, "empty name"));
    }
    let mut entity =
        Entity::new(format!("{prefix}-{ent_num}"), schema).with_source(list, ent_num.to_string());
    let mut sink = Sink::at(&mut entity, warnings, row, MAIN_COLUMNS[1]);
    sink.add_name(Property::Name, name);
    sink.add(Property::Topics, "sanction");
    sink.add(Property::SourceUrl, &format!("{SOURCE_URL}{ent_num}"));
    sink.field = MAIN_COLUMNS[3];
    for program in row.get(3).split(['[', ']']) {
        sink.add(Property::Program, program);
    }
    sink.field = MAIN_COLUMNS[4];
    for position in row.get(4).split(';') {
        sink.add(Property::Position, position);
    }
    for (col, prop) in [
        (5, Property::CallSign),
        (6, Property::Type),
        (7, Property::Tonnage),
        (8, Property::GrossRegisteredTonnage),
        (9, Property::Flag),
        (10, Property::OwnerName),
    ] {
        sink.field = MAIN_COLUMNS[col];
        sink.add(prop, row.get(col));
    }
    sink.field = MAIN_COLUMNS[11];
    apply_remarks(&mut sink, remarks);
    Ok(entity)
}

/// Attaches one `add.csv` row to its entity.
fn add_address(set: &mut Set, row: &Row) -> Result<(), ParseError> {
    row.number(1)?;
    let Some(idx) = set.entity_for(row)? else {
        return Ok(());
    };
    let mut sink = Sink::at(
        &mut set.entities[idx],
        &mut set.warnings,
        row,
        ADD_COLUMNS[4],
    );
    let parts: Vec<&str> = (2..=4)
        .map(|i| row.get(i))
        .filter(|p| !p.is_empty())
        .collect();
    sink.add(Property::Address, &parts.join(", "));
    sink.add(Property::Country, row.get(4));
    sink.field = ADD_COLUMNS[5];
    sink.add(Property::Notes, row.get(5));
    Ok(())
}

/// Attaches one `alt.csv` row to its entity.
fn add_alias(set: &mut Set, row: &Row) -> Result<(), ParseError> {
    row.number(1)?;
    let name = row.get(3);
    if name.is_empty() {
        return Err(row.error(3, "empty alias name"));
    }
    let Some(idx) = set.entity_for(row)? else {
        return Ok(());
    };
    let mut sink = Sink::at(
        &mut set.entities[idx],
        &mut set.warnings,
        row,
        ALT_COLUMNS[2],
    );
    let remarks = row.get(4);
    let prop = match row.get(2).to_ascii_lowercase().as_str() {
        _ if remarks.to_ascii_lowercase().contains("weak") => Property::WeakAlias,
        "aka" | "nka" => Property::Alias,
        "fka" => Property::PreviousName,
        other => {
            sink.warn(&format!("unknown alt_type {other:?}; read as aka"));
            Property::Alias
        }
    };
    sink.field = ALT_COLUMNS[3];
    sink.add_name(prop, name);
    sink.field = ALT_COLUMNS[4];
    if !remarks.is_empty() {
        sink.add(Property::Notes, &format!("{name}: {remarks}"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rows

/// One CSV record with its place in the file.
struct Row<'a> {
    input: &'a Input,
    line: u64,
    columns: &'static [&'static str],
    fields: Vec<String>,
}

impl Row<'_> {
    /// The field as printed (only surrounding white space removed).
    fn raw(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }

    /// The field with OFAC's `-0-` ("empty") read as empty.
    fn get(&self, i: usize) -> &str {
        let v = self.raw(i).trim();
        if v == "-0-" { "" } else { v }
    }

    /// A numeric id column.
    fn number(&self, i: usize) -> Result<u64, ParseError> {
        let v = self.get(i);
        if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(i, format!("expected a number, found {v:?}")));
        }
        v.parse()
            .map_err(|_| self.error(i, format!("number out of range: {v:?}")))
    }

    fn error(&self, i: usize, message: impl Into<String>) -> ParseError {
        self.input
            .error_at_line(self.line, &column_name(self.columns, i), message)
    }

    fn warning(&self, i: usize, message: &str) -> String {
        format!(
            "{}: line {}: field {}: {message}",
            self.input.name,
            self.line,
            column_name(self.columns, i)
        )
    }
}

fn column_name(columns: &[&str], i: usize) -> String {
    columns
        .get(i)
        .map(|c| (*c).to_string())
        .unwrap_or_else(|| format!("column {}", i + 1))
}

/// The bytes of a file without a UTF-8 byte-order mark and without the trailing 0x1A
/// end-of-file byte, blank lines and spaces.
fn content(data: &[u8]) -> &[u8] {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let end = data
        .iter()
        .rposition(|b| !matches!(b, 0x1a | b'\r' | b'\n' | b' ' | b'\t'))
        .map_or(0, |p| p + 1);
    &data[..end]
}

/// A field's text: UTF-8, or Latin-1 when the bytes are not UTF-8.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// Streams the records of one file, checking each has `columns.len()` fields and no
/// unterminated quote. Returns the number of records read.
fn read_rows(
    input: &Input,
    columns: &'static [&'static str],
    mut f: impl FnMut(Row) -> Result<(), ParseError>,
) -> Result<usize, ParseError> {
    let data = content(&input.data);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    let mut count = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(input.error_at_line(line, "-", format!("unreadable CSV: {e}")));
            }
        }
        let start = record.position().map_or(0, |p| p.byte());
        let line = lines.line_at(data, offset(data, start));
        let fields: Vec<String> = record.iter().map(decode).collect();
        let row = Row {
            input,
            line,
            columns,
            fields,
        };
        let raw = byte_range(data, start, reader.position().byte());
        let open_at_end = raw.len() + offset(data, start) >= data.len() && odd_quotes(raw);
        check_shape(&row, open_at_end)?;
        f(row)?;
        count += 1;
    }
    Ok(count)
}

/// Line numbers of record starts. csv's own count lags one line behind after a CRLF (it puts
/// the record start on the `\n`), so lines are counted here: the line of the first byte of the
/// record that is not a line break. Offsets only grow, so counting is incremental.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, data: &[u8], start: usize) -> u64 {
        let skip = data
            .get(start..)
            .and_then(|rest| rest.iter().position(|b| !matches!(b, b'\r' | b'\n')))
            .unwrap_or(0);
        let target = (start + skip).min(data.len()).max(self.offset);
        let counted = data.get(self.offset..target).unwrap_or(&[]);
        self.newlines += counted.iter().filter(|b| **b == b'\n').count() as u64;
        self.offset = target;
        self.newlines + 1
    }
}

/// A byte offset reported by csv, as an index into `data`.
fn offset(data: &[u8], byte: u64) -> usize {
    usize::try_from(byte).unwrap_or(usize::MAX).min(data.len())
}

/// The raw bytes between two csv byte offsets.
fn byte_range(data: &[u8], start: u64, end: u64) -> &[u8] {
    let (start, end) = (offset(data, start), offset(data, end));
    data.get(start..end.max(start)).unwrap_or(&[])
}

/// Whether raw record bytes hold an odd number of quote characters: an opening quote was never
/// closed (csv then reads on to the end of the file).
fn odd_quotes(raw: &[u8]) -> bool {
    raw.iter().filter(|b| **b == b'"').count() % 2 == 1
}

/// Rejects a row with an unterminated quote or the wrong number of columns.
fn check_shape(row: &Row, open_quote_at_end: bool) -> Result<(), ParseError> {
    let spans_lines = row.fields.iter().position(|f| f.contains(['\n', '\r']));
    let open =
        spans_lines.or_else(|| open_quote_at_end.then(|| row.fields.len().saturating_sub(1)));
    if let Some(i) = open {
        return Err(row.error(
            i,
            "unterminated quote: the quoted field runs past the end of its line",
        ));
    }
    let (found, expected) = (row.fields.len(), row.columns.len());
    if found != expected {
        let i = found.min(expected);
        let what = if found < expected {
            "missing"
        } else {
            "unexpected"
        };
        return Err(row.error(
            i,
            format!("expected {expected} columns, found {found} ({what} column)"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Values

/// Adds values to an entity, turning rejected values into warnings that name file, line and
/// field.
struct Sink<'a> {
    entity: &'a mut Entity,
    warnings: &'a mut Vec<String>,
    file: &'a str,
    line: u64,
    field: &'a str,
}

impl<'a> Sink<'a> {
    /// A sink for the values of one row, starting at `field`.
    fn at(
        entity: &'a mut Entity,
        warnings: &'a mut Vec<String>,
        row: &'a Row,
        field: &'a str,
    ) -> Self {
        Sink {
            entity,
            warnings,
            file: &row.input.name,
            line: row.line,
            field,
        }
    }

    fn warn(&mut self, message: &str) {
        self.warnings.push(format!(
            "{}: line {}: field {}: {message}",
            self.file, self.line, self.field
        ));
    }

    /// Adds a value; a value the model rejects is dropped with a warning.
    fn add(&mut self, prop: Property, value: &str) {
        if let Err(e) = self.entity.add(prop, value) {
            self.warn(&format!("{e}; value dropped"));
        }
    }

    /// Adds a name, and for a person its parts split at the first comma (`LAST, First`).
    fn add_name(&mut self, prop: Property, name: &str) {
        self.add(prop, name);
        if self.entity.schema == Schema::Person
            && let Some((last, first)) = name.split_once(',')
        {
            self.add(Property::LastName, last);
            self.add(Property::FirstName, first);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Remarks

/// How the value of a remarks clause is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Date of birth: a date, `circa`, or a range.
    Dob,
    /// Place of birth; a country at its end also gives `birthCountry`.
    Pob,
    /// A country (warning when unknown).
    Country(Property),
    /// `Male` / `Female`.
    Gender,
    /// An identifier, with `(Country)`, `issued` and `expires` dropped.
    Id(Property),
    /// An identifier typed by its country: the first property when the `(Country)` is Russia
    /// (for OGRNs only when it has 13 or 15 digits), else the second.
    Russian(Property, Property),
    /// An IMO number, `IMO` prefix dropped.
    Imo,
    /// A date.
    Date(Property),
    /// A text value, terminal period dropped.
    Text(Property),
    /// A name (linked entity, weak alias), quotes and terminal period dropped.
    Name(Property),
    /// An FtM property dualtrace does not model, kept unvalidated.
    Raw(&'static str),
    /// A sanctions statement, kept as a note of its own.
    Note,
}

/// Remarks labels and how their values are read. The longest matching label wins, so
/// `Identification Number IMO` beats `Identification Number`.
const RULES: &[(&str, Rule)] = &[
    ("DOB", Rule::Dob),
    ("POB", Rule::Pob),
    ("nationality", Rule::Country(Property::Nationality)),
    ("citizen", Rule::Country(Property::Citizenship)),
    (
        "Nationality of Registration",
        Rule::Country(Property::Jurisdiction),
    ),
    ("Gender", Rule::Gender),
    ("a.k.a.", Rule::Name(Property::WeakAlias)),
    ("f.k.a.", Rule::Name(Property::WeakAlias)),
    ("n.k.a.", Rule::Name(Property::WeakAlias)),
    ("Linked To", Rule::Name(Property::LinkedTo)),
    ("Passport", Rule::Id(Property::PassportNumber)),
    ("Diplomatic Passport", Rule::Id(Property::PassportNumber)),
    ("Passport Booklet", Rule::Id(Property::PassportNumber)),
    ("Travel Document Number", Rule::Id(Property::PassportNumber)),
    ("National ID No.", Rule::Id(Property::IdNumber)),
    ("National Foreign ID Number", Rule::Id(Property::IdNumber)),
    ("Identification Number", Rule::Id(Property::IdNumber)),
    ("Personal ID Card", Rule::Id(Property::IdNumber)),
    ("Cedula No.", Rule::Id(Property::IdNumber)),
    ("D.N.I.", Rule::Id(Property::IdNumber)),
    ("C.U.R.P.", Rule::Id(Property::IdNumber)),
    ("C.U.I.", Rule::Id(Property::IdNumber)),
    ("C.U.I.P.", Rule::Id(Property::IdNumber)),
    ("I.F.E.", Rule::Id(Property::IdNumber)),
    ("Credencial electoral", Rule::Id(Property::IdNumber)),
    ("Electoral Registry No.", Rule::Id(Property::IdNumber)),
    ("Birth Certificate Number", Rule::Id(Property::IdNumber)),
    (
        "Turkish Identification Number",
        Rule::Id(Property::IdNumber),
    ),
    ("Numero de Identidad", Rule::Id(Property::IdNumber)),
    ("Citizen's Card Number", Rule::Id(Property::IdNumber)),
    ("Kenyan ID No.", Rule::Id(Property::IdNumber)),
    ("Tazkira National ID Card", Rule::Id(Property::IdNumber)),
    ("UAE Identification", Rule::Id(Property::IdNumber)),
    ("Residency Number", Rule::Id(Property::IdNumber)),
    ("Refugee ID Card", Rule::Id(Property::IdNumber)),
    ("SSN", Rule::Id(Property::IdNumber)),
    ("Driver's License No.", Rule::Id(Property::IdNumber)),
    (
        "Cartilla de Servicio Militar Nacional",
        Rule::Id(Property::IdNumber),
    ),
    ("VisaNumberID", Rule::Id(Property::IdNumber)),
    ("Immigration No.", Rule::Id(Property::IdNumber)),
    (
        "Tax ID No.",
        Rule::Russian(Property::InnCode, Property::TaxNumber),
    ),
    ("R.F.C.", Rule::Id(Property::TaxNumber)),
    ("RFC", Rule::Id(Property::TaxNumber)),
    ("NIT", Rule::Id(Property::TaxNumber)),
    ("RUC", Rule::Id(Property::TaxNumber)),
    ("RIF", Rule::Id(Property::TaxNumber)),
    ("RTN", Rule::Id(Property::TaxNumber)),
    ("C.U.I.T.", Rule::Id(Property::TaxNumber)),
    ("C.I.F.", Rule::Id(Property::TaxNumber)),
    ("US FEIN", Rule::Id(Property::TaxNumber)),
    ("Italian Fiscal Code", Rule::Id(Property::TaxNumber)),
    (
        "Numero Unico de Identificacao Tributaria (NUIT)",
        Rule::Id(Property::TaxNumber),
    ),
    ("V.A.T. Number", Rule::Id(Property::VatCode)),
    (
        "Registration Number",
        Rule::Russian(Property::OgrnCode, Property::RegistrationNumber),
    ),
    (
        "Business Registration Number",
        Rule::Russian(Property::OgrnCode, Property::RegistrationNumber),
    ),
    (
        "Registration ID",
        Rule::Russian(Property::OgrnCode, Property::RegistrationNumber),
    ),
    (
        "Government Gazette Number",
        Rule::Russian(Property::OkpoCode, Property::RegistrationNumber),
    ),
    ("Company Number", Rule::Id(Property::RegistrationNumber)),
    ("UK Company Number", Rule::Id(Property::RegistrationNumber)),
    (
        "Commercial Registry Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Business Registration Document",
        Rule::Id(Property::RegistrationNumber),
    ),
    ("Business Number", Rule::Id(Property::RegistrationNumber)),
    ("Enterprise Number", Rule::Id(Property::RegistrationNumber)),
    ("Branch Unit Number", Rule::Id(Property::RegistrationNumber)),
    (
        "Economic Register Number (CBLS)",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Central Registration System Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Public Registration Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Certificate of Incorporation Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Chamber of Commerce Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Istanbul Chamber of Comm. No.",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Dubai Chamber of Commerce Membership No.",
        Rule::Id(Property::RegistrationNumber),
    ),
    ("Trade License No.", Rule::Id(Property::RegistrationNumber)),
    ("License", Rule::Id(Property::RegistrationNumber)),
    (
        "Folio Mercantil No.",
        Rule::Id(Property::RegistrationNumber),
    ),
    (
        "Matricula Mercantil No",
        Rule::Id(Property::RegistrationNumber),
    ),
    ("C.R. No.", Rule::Id(Property::RegistrationNumber)),
    ("Romanian C.R.", Rule::Id(Property::RegistrationNumber)),
    ("LE Number", Rule::Id(Property::RegistrationNumber)),
    (
        "Registered Charity No.",
        Rule::Id(Property::RegistrationNumber),
    ),
    ("Organization Code", Rule::Id(Property::RegistrationNumber)),
    ("File Number", Rule::Id(Property::RegistrationNumber)),
    (
        "Unified Social Credit Code (USCC)",
        Rule::Id(Property::UscCode),
    ),
    (
        "United Social Credit Code Certificate (USCCC)",
        Rule::Id(Property::UscCode),
    ),
    ("Legal Entity Number", Rule::Id(Property::LeiCode)),
    ("SWIFT/BIC", Rule::Id(Property::SwiftBic)),
    ("MMSI", Rule::Id(Property::Mmsi)),
    ("IMO", Rule::Imo),
    ("Vessel Registration Identification", Rule::Imo),
    ("Identification Number IMO", Rule::Imo),
    ("Company Number IMO", Rule::Imo),
    ("Other Vessel Call Sign", Rule::Id(Property::CallSign)),
    ("Vessel Call Sign", Rule::Id(Property::CallSign)),
    ("Vessel Type", Rule::Text(Property::Type)),
    ("Vessel Flag", Rule::Country(Property::Flag)),
    ("Vessel Year of Build", Rule::Date(Property::BuildDate)),
    ("Aircraft Model", Rule::Text(Property::Model)),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        Rule::Id(Property::SerialNumber),
    ),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        Rule::Id(Property::SerialNumber),
    ),
    (
        "Aircraft Serial Identification",
        Rule::Id(Property::SerialNumber),
    ),
    ("Aircraft Manufacture Date", Rule::Date(Property::BuildDate)),
    (
        "Aircraft Tail Number",
        Rule::Id(Property::RegistrationNumber),
    ),
    ("Aircraft Operator", Rule::Text(Property::OwnerName)),
    (
        "Organization Established Date",
        Rule::Date(Property::IncorporationDate),
    ),
    ("Organization Type", Rule::Text(Property::Sector)),
    ("Website", Rule::Text(Property::Website)),
    ("Email Address", Rule::Text(Property::Email)),
    ("Phone Number", Rule::Text(Property::Phone)),
    ("Phone No.", Rule::Text(Property::Phone)),
    ("Phone", Rule::Text(Property::Phone)),
    ("Telephone", Rule::Text(Property::Phone)),
    ("Telephone No.", Rule::Text(Property::Phone)),
    ("D-U-N-S Number", Rule::Raw("dunsCode")),
    ("BIK (RU)", Rule::Raw("bikCode")),
    ("Secondary sanctions risk", Rule::Note),
    ("Additional Sanctions Information", Rule::Note),
    (
        "Transactions Prohibited For Persons Owned or Controlled By",
        Rule::Note,
    ),
    ("Executive Order", Rule::Note),
    ("CAATSA Section", Rule::Note),
    ("IFCA Determination", Rule::Note),
    ("Listing Date", Rule::Note),
    ("Effective Date", Rule::Note),
    ("Purchase/Sales For Divestment Date", Rule::Note),
];

/// Reads the remarks of an entity: kept whole in `notes`, then clause by clause.
fn apply_remarks(sink: &mut Sink, remarks: &str) {
    let remarks = remarks.trim();
    if remarks.is_empty() || remarks == "-0-" {
        return;
    }
    sink.add(Property::Notes, remarks);
    let body = strip_final_period(remarks);
    for clause in body.split(';') {
        let clause = clause.trim();
        let clause = strip_prefix_ci(clause, "alt.").map_or(clause, str::trim_start);
        if let Some((rule, value)) = find_rule(clause) {
            apply_rule(sink, rule, clause, value);
        }
    }
}

/// OFAC ends its remarks with a period that belongs to no value; it is kept when it ends an
/// abbreviation of a name (`... CO.`, `... S.A.`).
fn strip_final_period(remarks: &str) -> &str {
    let Some(body) = remarks.strip_suffix('.') else {
        return remarks;
    };
    let last_word = body.rsplit([' ', ';', '\'']).next().unwrap_or("");
    let abbreviation = last_word.contains('.')
        || ["CO", "LTD", "INC", "CORP", "CIA", "BHD"]
            .iter()
            .any(|a| last_word.eq_ignore_ascii_case(a));
    if abbreviation { remarks } else { body }
}

/// `text` without a case-insensitive ASCII `prefix`.
fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The longest label of [`RULES`] that starts the clause (followed by a word boundary), and the
/// value after it.
fn find_rule(clause: &str) -> Option<(Rule, &str)> {
    RULES
        .iter()
        .filter_map(|(label, rule)| {
            let rest = strip_prefix_ci(clause, label)?;
            let boundary = !label.ends_with(|c: char| c.is_ascii_alphanumeric())
                || !rest.starts_with(|c: char| c.is_ascii_alphanumeric());
            boundary.then_some((label.len(), *rule, rest))
        })
        .max_by_key(|(len, _, _)| *len)
        .map(|(_, rule, rest)| (rule, rest.trim_start_matches([' ', ':', '#', '-']).trim()))
}

fn apply_rule(sink: &mut Sink, rule: Rule, clause: &str, value: &str) {
    match rule {
        Rule::Dob => add_dates(sink, Property::BirthDate, value),
        Rule::Pob => add_birth_place(sink, value),
        Rule::Country(prop) => sink.add(prop, value),
        Rule::Gender => add_gender(sink, value),
        Rule::Id(prop) => sink.add(prop, split_id(value).0),
        Rule::Russian(russian, other) => {
            let (id, country) = split_id(value);
            let ogrn_shaped = matches!(id.len(), 13 | 15) && id.bytes().all(|b| b.is_ascii_digit());
            let is_russian =
                country.as_deref() == Some("ru") && (russian != Property::OgrnCode || ogrn_shaped);
            sink.add(if is_russian { russian } else { other }, id);
        }
        Rule::Imo => {
            let (id, _) = split_id(value);
            let id = strip_prefix_ci(id, "IMO").map_or(id, str::trim);
            sink.add(Property::ImoNumber, id);
        }
        Rule::Date(prop) => add_dates(sink, prop, value),
        Rule::Text(prop) => sink.add(prop, value.trim_end_matches('.')),
        Rule::Name(prop) => add_quoted_name(sink, prop, value),
        Rule::Raw(name) => {
            let (id, _) = split_id(value);
            if let Err(e) = sink.entity.add_raw(name, id) {
                sink.warn(&format!("{e}; value dropped"));
            }
        }
        Rule::Note => sink.add(Property::Notes, clause),
    }
}

/// Splits an identifier value `X123 (Country) issued 2001 expires 2011.` into the identifier
/// and the country code of its last parenthesis (when that names a country).
fn split_id(value: &str) -> (&str, Option<String>) {
    let mut v = value.trim().trim_end_matches('.').trim_end();
    for marker in [" issued", " expires"] {
        if let Some(pos) = v.find(marker) {
            v = v[..pos].trim_end().trim_end_matches('.');
        }
    }
    if let Some(inner) = v.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
        && let Ok(code) = country_code(&inner[open + 1..])
    {
        return (inner[..open].trim_end(), Some(code));
    }
    (v, None)
}

fn add_gender(sink: &mut Sink, value: &str) {
    let v = value.trim_end_matches('.').trim().to_ascii_lowercase();
    match v.as_str() {
        "male" | "female" => sink.add(Property::Gender, &v),
        _ => sink.warn(&format!("unknown gender {value:?}; value dropped")),
    }
}

fn add_birth_place(sink: &mut Sink, value: &str) {
    let place = value.trim_end_matches('.').trim();
    sink.add(Property::BirthPlace, place);
    let tail = place.rsplit(',').next().unwrap_or(place).trim();
    if let Ok(code) = country_code(tail) {
        sink.add(Property::BirthCountry, &code);
    }
}

/// A weak alias or linked name: `'X'` loses its quotes, a name its terminal period only when
/// that period belongs to the clause (see [`strip_final_period`]).
fn add_quoted_name(sink: &mut Sink, prop: Property, value: &str) {
    let v = value.trim();
    let v = v.strip_suffix("'.").map_or(v, |s| &v[..s.len() + 1]);
    let v = match v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(inner) => inner,
        None => v,
    };
    sink.add(prop, v);
}

/// Adds dates (of birth, incorporation, build): one date, or a range `A to B` / `YYYY-YYYY`
/// (every year; the month when both ends share it).
fn add_dates(sink: &mut Sink, prop: Property, value: &str) {
    let v = value.trim().trim_end_matches('.').trim();
    let lower = v.to_ascii_lowercase();
    let body = ["circa", "approximately", "about"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .map_or(lower.as_str(), str::trim);
    let range = body.split_once(" to ").or_else(|| {
        let (a, b) = body.split_once('-')?;
        let years = a.len() == 4
            && b.len() == 4
            && (a.bytes().chain(b.bytes())).all(|c| c.is_ascii_digit());
        years.then_some((a, b))
    });
    let result = match range {
        Some((a, b)) => date_range(a, b),
        None => v
            .parse::<PartialDate>()
            .map(|d| vec![d])
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(dates) => {
            for d in dates {
                sink.entity.add_date(prop, d);
            }
        }
        Err(e) => sink.warn(&format!("{prop} {v:?}: {e}; value dropped")),
    }
}

/// The dates a range of birth dates stands for.
fn date_range(a: &str, b: &str) -> Result<Vec<PartialDate>, String> {
    let from: PartialDate = a
        .trim()
        .parse()
        .map_err(|e: dualtrace_model::DateError| e.to_string())?;
    let to: PartialDate = b
        .trim()
        .parse()
        .map_err(|e: dualtrace_model::DateError| e.to_string())?;
    if to.year() < from.year() {
        return Err("range ends before it starts".into());
    }
    if from.year() == to.year() && from.month().is_some() && from.month() == to.month() {
        return PartialDate::new(from.year(), from.month(), None)
            .map(|d| vec![d])
            .map_err(str::to_string);
    }
    if to.year() - from.year() > MAX_DOB_RANGE_YEARS {
        let ends = [from.year(), to.year()];
        return ends
            .into_iter()
            .map(|y| PartialDate::new(y, None, None).map_err(str::to_string))
            .collect();
    }
    (from.year()..=to.year())
        .map(|y| PartialDate::new(y, None, None).map_err(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SDN: &str = concat!(
        "101,\"ZORKIN, Ivo Petar\",\"individual\",\"RUSSIA-EO14024] [UKRAINE-EO13662\",",
        "\"Director; Board Member\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,",
        "\"DOB 07 May 1961; alt. DOB circa 1955; alt. DOB 1970 to 1972; POB Tula, Russia; ",
        "nationality Russia; citizen Cyprus; Gender Male; Passport 7101234 (Russia) issued 01 Feb 2010 ",
        "expires 01 Feb 2020; National ID No. 4455 (Cyprus); Tax ID No. 771234567890 (Russia); ",
        "Email Address ivo@example.invalid; a.k.a. 'IVO THE FOX'; ",
        "Secondary sanctions risk: See Section 11 of Executive Order 14024.; Linked To: BLUE HARBOR LLC.\"\r\n",
        "102,\"NORDIC KESTREL\",\"vessel\",\"IRAN\",-0- ,\"ABC12\",\"Crude Oil Tanker\",\"99,144\",",
        "\"56,068\",\"Panama\",\"Kestrel Shipping\",",
        "\"Vessel Registration Identification IMO 9000001; MMSI 572000001; f.k.a. 'OLD KESTREL'.\"\r\n",
        "103,\"EP-XYZ\",\"aircraft\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,",
        "\"Aircraft Model IL76-TD; Aircraft Manufacturer's Serial Number (MSN) 1023400001; ",
        "Aircraft Manufacture Date 1992; Aircraft Operator FICTA AIR\"\r\n",
        "104,\"QINGFENG OPTICS CO., LTD.\",-0- ,\"NPWMD] [IFSR\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,",
        "\"Website www.qingfeng.invalid; Organization Established Date 12 Mar 2004; ",
        "Unified Social Credit Code (USCC) 91110000000000000X (China); Registration Number 1027700000001 ",
        "(Russia); Legal Entity Number 253400AAAAAAAAAAAA00; SWIFT/BIC QFOPCNBJ; Phone Number 8610000000\"\r\n",
        "105,\"BLUE HARBOR LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Linked To: RED FOX CO.\"\r\n",
        "\x1a",
    );
    const ADD: &str = "101,1,\"1 Fictional Street\",\"Tula 300000\",\"Russia\",-0- \r\n\
                       104,2,-0- ,\"Beijing\",\"China\",-0- \r\n\
                       999,3,-0- ,\"Nowhere\",\"Atlantis\",-0- \r\n\x1a";
    const ALT: &str = "101,10,\"aka\",\"ZORKINE, Iwo\",-0- \r\n\
                       104,11,\"fka\",\"QF OPTICS\",-0- \r\n\
                       104,12,\"nka\",\"QF PHOTONICS\",-0- \r\n\x1a";
    const COMMENTS: &str = "105,\"; Phone Number 12345\"\r\n998,\"orphan\"\r\n\x1a";

    fn input(name: &str, data: &str) -> Input {
        Input {
            name: name.to_string(),
            data: data.as_bytes().to_vec(),
        }
    }

    fn full_set() -> ParsedList {
        let inputs = [
            input("x/sdn.csv", SDN),
            input("x/add.csv", ADD),
            input("x/alt.csv", ALT),
            input("x/sdn_comments.csv", COMMENTS),
        ];
        parse_sdn(&inputs, "ofac_sdn").unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(inputs: &[Input]) -> ParseError {
        match parse_sdn(inputs, "ofac_sdn") {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn person_columns_and_remarks() {
        let list = full_set();
        assert_eq!(list.entities.len(), 5);
        assert_eq!(list.records, 5 + 3 + 3 + 2);
        let p = list.entity("ofac-sdn-101").expect("entity present");
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(
            p.provenance.as_ref().map(|s| s.record_id.as_str()),
            Some("101")
        );
        assert_eq!(p.get(Property::Name), ["ZORKIN, Ivo Petar"]);
        assert_eq!(p.get(Property::LastName), ["ZORKIN", "ZORKINE"]);
        assert_eq!(p.get(Property::FirstName), ["Ivo Petar", "Iwo"]);
        assert_eq!(p.get(Property::Alias), ["ZORKINE, Iwo"]);
        assert_eq!(p.get(Property::WeakAlias), ["IVO THE FOX"]);
        assert_eq!(
            p.get(Property::Program),
            ["RUSSIA-EO14024", "UKRAINE-EO13662"]
        );
        assert_eq!(p.get(Property::Position), ["Director", "Board Member"]);
        assert_eq!(
            p.get(Property::BirthDate),
            ["1961-05-07", "1955", "1970", "1971", "1972"]
        );
        assert_eq!(p.get(Property::BirthPlace), ["Tula, Russia"]);
        assert_eq!(p.get(Property::BirthCountry), ["ru"]);
        assert_eq!(p.get(Property::Nationality), ["ru"]);
        assert_eq!(p.get(Property::Citizenship), ["cy"]);
        assert_eq!(p.get(Property::Gender), ["male"]);
        assert_eq!(p.get(Property::PassportNumber), ["7101234"]);
        assert_eq!(p.get(Property::IdNumber), ["4455"]);
        assert_eq!(p.get(Property::InnCode), ["771234567890"]);
        assert!(p.get(Property::TaxNumber).is_empty());
        assert_eq!(p.get(Property::Email), ["ivo@example.invalid"]);
        assert_eq!(p.get(Property::LinkedTo), ["BLUE HARBOR LLC"]);
        assert_eq!(
            p.get(Property::Address),
            ["1 Fictional Street, Tula 300000, Russia"]
        );
        assert_eq!(p.get(Property::Country), ["ru"]);
        assert_eq!(
            p.get(Property::SourceUrl),
            ["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=101"]
        );
        let notes = p.get(Property::Notes);
        assert!(notes[0].starts_with("DOB 07 May 1961; alt. DOB circa 1955"));
        assert_eq!(
            notes[1],
            "Secondary sanctions risk: See Section 11 of Executive Order 14024."
        );
    }

    #[test]
    fn vessel_aircraft_and_companies() {
        let list = full_set();
        let v = list.entity("ofac-sdn-102").expect("entity present");
        assert_eq!(v.schema, Schema::Vessel);
        assert_eq!(v.get(Property::CallSign), ["ABC12"]);
        assert_eq!(v.get(Property::Type), ["Crude Oil Tanker"]);
        assert_eq!(v.get(Property::Tonnage), ["99,144"]);
        assert_eq!(v.get(Property::GrossRegisteredTonnage), ["56,068"]);
        assert_eq!(v.get(Property::Flag), ["pa"]);
        assert_eq!(v.get(Property::OwnerName), ["Kestrel Shipping"]);
        assert_eq!(v.get(Property::ImoNumber), ["9000001"]);
        assert_eq!(v.get(Property::Mmsi), ["572000001"]);
        assert_eq!(v.get(Property::WeakAlias), ["OLD KESTREL"]);

        let a = list.entity("ofac-sdn-103").expect("entity present");
        assert_eq!(a.schema, Schema::Aircraft);
        assert_eq!(a.get(Property::Model), ["IL76-TD"]);
        assert_eq!(a.get(Property::SerialNumber), ["1023400001"]);
        assert_eq!(a.get(Property::BuildDate), ["1992"]);
        assert_eq!(a.get(Property::OwnerName), ["FICTA AIR"]);

        let c = list.entity("ofac-sdn-104").expect("entity present");
        assert_eq!(c.schema, Schema::LegalEntity);
        assert_eq!(c.get(Property::UscCode), ["91110000000000000X"]);
        assert_eq!(c.get(Property::OgrnCode), ["1027700000001"]);
        assert_eq!(c.get(Property::LeiCode), ["253400AAAAAAAAAAAA00"]);
        assert_eq!(c.get(Property::SwiftBic), ["QFOPCNBJ"]);
        assert_eq!(c.get(Property::Website), ["www.qingfeng.invalid"]);
        assert_eq!(c.get(Property::Phone), ["8610000000"]);
        assert_eq!(c.get(Property::IncorporationDate), ["2004-03-12"]);
        assert_eq!(c.get(Property::PreviousName), ["QF OPTICS"]);
        assert_eq!(c.get(Property::Alias), ["QF PHOTONICS"]);
        assert_eq!(c.get(Property::Address), ["Beijing, China"]);
        assert!(c.get(Property::FirstName).is_empty());

        // The comment overflow is appended to the remarks before they are read; a name that
        // ends in an abbreviation keeps its period.
        let b = list.entity("ofac-sdn-105").expect("entity present");
        assert_eq!(b.get(Property::LinkedTo), ["RED FOX CO."]);
        assert_eq!(b.get(Property::Phone), ["12345"]);
        assert_eq!(
            b.get(Property::Notes),
            ["Linked To: RED FOX CO.; Phone Number 12345"]
        );
    }

    #[test]
    fn orphan_rows_and_bad_values_are_warnings() {
        let list = full_set();
        assert_eq!(
            list.warnings,
            [
                "x/sdn_comments.csv: line 2: field ent_num: no entity 998 in the main file; \
                 comment ignored",
                "x/add.csv: line 3: field ent_num: no entity 999 in the main file; row ignored",
            ]
        );
        let sdn = "1,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Atlantis\",-0- ,\
                   \"Organization Established Date 22 Aug 3017; nationality Atlantis; Gender Robot\"\n";
        let list = parse_sdn(&[input("sdn.csv", sdn)], "l").unwrap_or_else(|e| panic!("{e}"));
        let e = &list.entities[0];
        assert!(e.get(Property::Flag).is_empty() && e.get(Property::IncorporationDate).is_empty());
        assert_eq!(list.warnings.len(), 4, "{:?}", list.warnings);
        assert!(
            list.warnings[0].starts_with("sdn.csv: line 1: field Vess_flag: flag: unknown country")
        );
        assert!(list.warnings[1].starts_with("sdn.csv: line 1: field Remarks: incorporationDate"));
        assert!(list.warnings[1].contains("3017"));
        assert!(list.warnings[3].contains("unknown gender \"Robot\""));
    }

    #[test]
    fn cons_ids_and_roles() {
        let prim = "9,\"DOE, Jane\",\"individual\",\"NS-PLC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1962; POB Shati.\"\r\n\x1a\r\n\r\n";
        let alt = "9,1,\"aka\",\"DOE, Janet\",-0- \r\n";
        let inputs = [input("cons_alt.csv", alt), input("cons_prim.csv", prim)];
        let list = parse_cons(&inputs, "ofac_cons").unwrap_or_else(|e| panic!("{e}"));
        let e = &list.entities[0];
        assert_eq!(e.id, "ofac-cons-9");
        assert_eq!(e.get(Property::BirthPlace), ["Shati"]);
        assert_eq!(e.get(Property::Alias), ["DOE, Janet"]);
        assert_eq!(e.datasets, ["ofac_cons"]);
    }

    #[test]
    fn a_set_needs_exactly_one_main_file() {
        let e = err(&[input("p/add.csv", ADD), input("p/alt.csv", ALT)]);
        assert_eq!(e.field, "file");
        assert!(e.message.contains("no main file (sdn.csv)"), "{e}");
        let e = err(&[input("a/sdn.csv", SDN), input("b/sdn_2024.csv", SDN)]);
        assert!(e.message.contains("two main files"), "{e}");
    }

    #[test]
    fn wrong_column_count_names_line_and_field() {
        let sdn = "1,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,\"B\",-0- ,-0- \n";
        let e = err(&[input("sdn.csv", sdn)]);
        assert_eq!(e.location, crate::error::Location::Line(2));
        assert_eq!(e.field, "Title");
        assert!(e.message.contains("expected 12 columns, found 4"), "{e}");
        let e = err(&[
            input("sdn.csv", SDN),
            input("alt.csv", "1,2,\"aka\",\"X\",-0- ,extra\n"),
        ]);
        assert_eq!((e.file.as_str(), e.field.as_str()), ("alt.csv", "column 6"));
        assert!(
            e.to_string()
                .starts_with("alt.csv: line 1: field column 6: expected 5 columns")
        );
    }

    #[test]
    fn non_numeric_ent_num_is_an_error() {
        let sdn = "1A,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        let e = err(&[input("sdn.csv", sdn)]);
        assert_eq!(
            e.to_string(),
            "sdn.csv: line 1: field ent_num: expected a number, found \"1A\""
        );
        let e = err(&[
            input("sdn.csv", SDN),
            input("add.csv", "101,x,-0- ,-0- ,-0- ,-0- \n"),
        ]);
        assert_eq!(
            (e.field.as_str(), e.location.clone()),
            ("add_num", crate::error::Location::Line(1))
        );
    }

    #[test]
    fn unterminated_quote_is_an_error() {
        // Mid-file: the quote swallows the line break and the next row.
        let sdn = "1,\"A,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\
                   2,\"B\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        let e = err(&[input("sdn.csv", sdn)]);
        assert_eq!(
            (e.field.as_str(), e.location.clone()),
            ("SDN_Name", crate::error::Location::Line(1))
        );
        assert!(e.message.contains("unterminated quote"), "{e}");
        // At the end of the file.
        let sdn = "1,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960\n\x1a";
        let e = err(&[input("sdn.csv", sdn)]);
        assert_eq!(
            (e.field.as_str(), e.location.clone()),
            ("Remarks", crate::error::Location::Line(1))
        );
        assert!(e.message.contains("unterminated quote"), "{e}");
    }

    #[test]
    fn malformed_main_rows_are_errors() {
        let row = |id: &str, name: &str, kind: &str| {
            format!("{id},\"{name}\",{kind},-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n")
        };
        let e = err(&[input("sdn.csv", &row("1", "A", "\"ship\""))]);
        assert_eq!(e.field, "SDN_Type");
        let e = err(&[input("sdn.csv", &row("1", "", "-0- "))]);
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("SDN_Name", "empty name")
        );
        let twice = format!("{}{}", row("7", "A", "-0- "), row("7", "B", "-0- "));
        let e = err(&[input("sdn.csv", &twice)]);
        assert_eq!(e.location, crate::error::Location::Line(2));
        assert!(
            e.message.contains("duplicate ent_num 7 (first at line 1)"),
            "{e}"
        );
    }

    #[test]
    fn latin1_fields_are_kept() {
        let mut data = b"1,\"M".to_vec();
        data.push(0xdc);
        data.extend_from_slice(b"LLER\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
        let inputs = [Input {
            name: "sdn.csv".into(),
            data,
        }];
        let list = parse_sdn(&inputs, "l").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.entities[0].get(Property::Name), ["M\u{dc}LLER"]);
    }

    #[test]
    fn birth_date_forms() {
        let dates = |v: &str| {
            let mut e = Entity::new("t", Schema::Person);
            let mut warnings = Vec::new();
            let mut sink = Sink {
                entity: &mut e,
                warnings: &mut warnings,
                file: "f",
                line: 1,
                field: "Remarks",
            };
            add_dates(&mut sink, Property::BirthDate, v);
            (e.get(Property::BirthDate).to_vec(), warnings)
        };
        assert_eq!(dates("circa 1979-1982").0, ["1979", "1980", "1981", "1982"]);
        assert_eq!(dates("01 Jan 1961 to 31 Dec 1962.").0, ["1961", "1962"]);
        assert_eq!(dates("01 Feb 1960 to 29 Feb 1960").0, ["1960-02"]);
        assert_eq!(dates("26 Sep 1946 to 07 Dec 1946").0, ["1946"]);
        assert_eq!(dates("1900 to 1990").0, ["1900", "1990"]);
        assert_eq!(dates("Dec 1950").0, ["1950-12"]);
        let (none, warnings) = dates("1990 to 1980");
        assert!(none.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("f: line 1: field Remarks: birthDate \"1990 to 1980\""));
    }

    #[test]
    fn identifier_values_and_countries() {
        assert_eq!(
            split_id("7101234 (Russia) issued 2010."),
            ("7101234", Some("ru".into()))
        );
        assert_eq!(
            split_id("HRA 738077 (Stuttgart) (Germany)"),
            ("HRA 738077 (Stuttgart)", Some("de".into()))
        );
        assert_eq!(split_id("AB 12 (Nowhere)"), ("AB 12 (Nowhere)", None));
        assert_eq!(country_code("Saudi Arabia").ok().as_deref(), Some("sa"));
        assert_eq!(
            country_code("St. Kitts & Nevis").ok().as_deref(),
            Some("kn")
        );
        assert_eq!(country_code("Man, Isle of").ok().as_deref(), Some("im"));
        assert_eq!(
            country_code("North Macedonia, The Republic of")
                .ok()
                .as_deref(),
            Some("mk")
        );
        assert_eq!(country_code("Region: Gaza").ok().as_deref(), Some("ps"));
        assert_eq!(
            country_code("possibly Palestinian").ok().as_deref(),
            Some("ps")
        );
        assert_eq!(country_code("undetermined").ok(), None);
        assert_eq!(
            strip_final_period("Linked To: HIZBALLAH."),
            "Linked To: HIZBALLAH"
        );
        assert_eq!(
            strip_final_period("Linked To: KPD S.A."),
            "Linked To: KPD S.A."
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Arbitrary bytes in any role give a list or an error, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(
            main in proptest::collection::vec(any::<u8>(), 0..512),
            side in proptest::collection::vec(any::<u8>(), 0..256),
        ) {
            let inputs = [
                Input { name: "sdn.csv".into(), data: main.clone() },
                Input { name: "alt.csv".into(), data: side.clone() },
                Input { name: "add.csv".into(), data: side.clone() },
                Input { name: "sdn_comments.csv".into(), data: side },
            ];
            let _ = parse_sdn(&inputs, "fuzz");
            let _ = parse_cons(&inputs[..1], "fuzz");
        }

        /// The fixture with bytes overwritten, inserted or cut never panics.
        #[test]
        fn mutated_fixture_never_panics(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8),
        ) {
            let mut data = SDN.as_bytes().to_vec();
            for (pos, byte, kind) in edits {
                let at = pos % (data.len() + 1);
                match kind {
                    0 if at < data.len() => data[at] = byte,
                    1 => data.insert(at, byte),
                    _ => data.truncate(at),
                }
            }
            let inputs = [Input { name: "sdn.csv".into(), data }, input("alt.csv", ALT)];
            let _ = parse_sdn(&inputs, "fuzz");
        }
    }
}
