//! US Consolidated Screening List (CSL), the trade.gov CSV export (plain or gzip).
//!
//! The CSL merges thirteen US government lists into one file with one row per listing:
//! Treasury's SDN, SSI, FSE, NS-MBS, CMIC, CAP and PLC lists, Commerce/BIS's Entity List,
//! Military End-User List, Unverified List and Denied Persons List, and State's nonproliferation
//! sanctions (ISN) and ITAR debarments (DTC). The header is
//! `_id,source,entity_number,type,programs,name,title,addresses,...,ids`; columns are found by
//! name, not by position, because trade.gov has added columns over the years. `_id`, `source` and
//! `name` are required; every other column is used when present.
//!
//! Mapping decisions:
//!
//! * **One entity per `_id`**, id `us-csl-{_id}`, provenance record id `_id`. For Treasury lists
//!   `_id` is OFAC's entity number, and OFAC lists the same party on several of its sub-lists
//!   (e.g. an SDN that is also on the SSI and CAP lists): those rows share the `_id` and describe
//!   one party, so they are merged into one entity whose `sourceList`/`program`/`topics` carry
//!   every sub-list. `records` counts rows, so it can exceed the entity count.
//! * `source` (the sub-list's full name) goes to `sourceList`, its short code (the text in
//!   parentheses: `SDN`, `EL`, `MEU`, `DPL`, ...) to `program` next to the row's own `programs`,
//!   and the code decides the `topics`: `sanction` for Treasury and State sanctions,
//!   `export.control` for the BIS lists and ITAR, plus `debarment` for ITAR debarments.
//! * `type`: Individual → Person, Entity → LegalEntity (the CSL does not say company or
//!   organisation), Vessel, Aircraft; BIS and State rows leave it empty → LegalEntity, which
//!   stays compatible with persons (the DTC and DPL name many individuals).
//! * Names: `name` is primary; `alt_names` (`; `-separated) are aliases (the Entity List's
//!   "and X" enumerations lose their "and "). OFAC person names `LAST, First` also give
//!   `lastName`/`firstName`.
//! * `addresses` are `; `-separated and end in an ISO alpha-2 code when the country is known:
//!   the whole text is the address, the code goes to `country`.
//! * `dates_of_birth` (`;`-separated): ISO days, years, `circa 1961`, `May 1961`, and ranges
//!   `1969 to 1971`, which give each year. `nationalities`, `citizenships`: ISO codes.
//! * `ids`: each `; `-separated item is `[country, ][expiry, ][issue, ]number, label` (the JSON
//!   API's keys in alphabetical order, empty ones dropped); the label types the number into
//!   `passportNumber`, `idNumber`, `taxNumber` (`innCode` for Russian tax ids), `registrationNumber`
//!   (`ogrnCode`/`okpoCode` for Russian ones), `uscCode`, `swiftBic`, `imoNumber`, `mmsi`,
//!   `leiCode`, `vatCode`, `serialNumber`, and gender, website, e-mail, phone, build and
//!   incorporation dates; sanction details (directives, secondary-sanctions risk, listing dates)
//!   are kept in `notes` as `label: value`.
//! * `remarks` → `notes`, with every `Linked To: X` also in `linkedTo` and an `IMO 1234567`
//!   in `imoNumber`; `federal_register_notice`, `license_requirement`, `license_policy`,
//!   `standard_order` and `end_date` → `notes` with their label; `start_date` → `createdAt`;
//!   `source_information_url`/`source_list_url` → `sourceUrl`; `title` → `position`; the vessel
//!   columns → `callSign`, `type`, `tonnage`, `grossRegisteredTonnage`, `flag`, `ownerName`.
//! * Values the model rejects (impossible dates, unknown countries) become warnings naming file,
//!   line and column; the rest of the row is kept.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::formats::table::{Header, Row, ValueSink, csv_error};
use crate::source::Input;
use dualtrace_model::{Entity, PartialDate, Property, Schema};
use std::collections::HashMap;

/// Prefix of the entity ids of this format.
const ID_PREFIX: &str = "us-csl-";

/// Columns without which a row cannot become an entity.
const REQUIRED: [&str; 3] = ["_id", "source", "name"];

/// The widest `YYYY to YYYY` birth-year range expanded into single years.
const MAX_YEAR_RANGE: u16 = 30;

/// Parses one or more CSL CSV files into one list (rows of the same `_id` are merged).
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut out = ParsedList::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for input in inputs {
        parse_input(input, list, &mut out, &mut index)?;
    }
    Ok(out)
}

/// Reads the rows of one file into `out`, merging rows whose `_id` was seen before.
fn parse_input(
    input: &Input,
    list: &str,
    out: &mut ParsedList,
    index: &mut HashMap<String, usize>,
) -> Result<(), ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(input.data.as_slice());
    let header = Header::read(input, &mut reader, &REQUIRED)?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => return Err(csv_error(input, &err, "row")),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let row = Row {
            header: &header,
            record: &record,
        };
        let mut sink = ValueSink {
            file: &input.name,
            line,
            warnings: &mut out.warnings,
        };
        let entity = build_entity(&row, list, &mut sink)
            .map_err(|(field, message)| input.error_at_line(line, field, message))?;
        out.records += 1;
        add_or_merge(&mut out.entities, index, entity, &mut sink);
    }
    Ok(())
}

/// Appends a new entity, or merges it into the one already read with the same id.
fn add_or_merge(
    entities: &mut Vec<Entity>,
    index: &mut HashMap<String, usize>,
    entity: Entity,
    sink: &mut ValueSink<'_>,
) {
    match index.get(&entity.id) {
        Some(&i) => {
            if let Some(existing) = entities.get_mut(i) {
                if existing.schema != entity.schema {
                    sink.warn(
                        "type",
                        format!(
                            "row of {} says {}, an earlier row said {}; kept {}",
                            entity.id, entity.schema, existing.schema, existing.schema
                        ),
                    );
                }
                existing.merge(entity);
            }
        }
        None => {
            index.insert(entity.id.clone(), entities.len());
            entities.push(entity);
        }
    }
}

/// A rejected row: the field and what is wrong with it.
type RowError = (&'static str, String);

/// Maps one row into an entity.
fn build_entity(row: &Row<'_>, list: &str, sink: &mut ValueSink<'_>) -> Result<Entity, RowError> {
    let record_id = row.get("_id");
    if record_id.is_empty() {
        return Err(("_id", "empty record id".into()));
    }
    let name = row.get("name");
    if name.is_empty() {
        return Err(("name", format!("record {record_id} has no name")));
    }
    let schema = schema_of(row.get("type"), sink);
    let mut e = Entity::new(format!("{ID_PREFIX}{record_id}"), schema).with_source(list, record_id);
    add_names(&mut e, name, row.get("alt_names"), sink);
    add_source_list(&mut e, row.get("source"), row.get("programs"), sink);
    add_addresses(&mut e, row.get("addresses"), sink);
    add_person_facts(&mut e, row, sink);
    add_vessel(&mut e, row, sink);
    add_listing(&mut e, row, sink);
    for item in split(row.get("ids"), ';') {
        add_id(&mut e, item, sink);
    }
    Ok(e)
}

/// The schema of a CSL `type` value; an unknown type is a warning and gives LegalEntity.
fn schema_of(kind: &str, sink: &mut ValueSink<'_>) -> Schema {
    match kind.to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "vessel" => Schema::Vessel,
        "aircraft" => Schema::Aircraft,
        "entity" | "" => Schema::LegalEntity,
        _ => {
            sink.warn(
                "type",
                format!("unknown type {kind:?}; read as LegalEntity"),
            );
            Schema::LegalEntity
        }
    }
}

/// Splits a list column on `sep`, trimming items and dropping empty ones.
fn split(value: &str, sep: char) -> impl Iterator<Item = &str> {
    value.split(sep).map(str::trim).filter(|s| !s.is_empty())
}

/// Primary name, OFAC `LAST, First` name parts for persons, and aliases.
fn add_names(e: &mut Entity, name: &str, alt_names: &str, sink: &mut ValueSink<'_>) {
    sink.add(e, Property::Name, "name", name);
    if e.schema == Schema::Person
        && let Some((last, first)) = name.split_once(',')
        && !first.contains(',')
    {
        sink.add(e, Property::LastName, "name", last);
        sink.add(e, Property::FirstName, "name", first);
    }
    for alias in split(alt_names, ';') {
        let alias = strip_prefix_ci(alias, "and ").unwrap_or(alias);
        sink.add(e, Property::Alias, "alt_names", alias);
    }
}

/// `text` without `prefix` (compared ignoring ASCII case), if it starts with it.
fn strip_prefix_ci<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
}

/// The sub-lists of the CSL by short code, with the topics a listing on them implies.
const SUB_LISTS: &[(&str, &[&str])] = &[
    ("SDN", &["sanction"]),
    ("SSI", &["sanction"]),
    ("FSE", &["sanction"]),
    ("NS-MBS", &["sanction"]),
    ("CMIC", &["sanction"]),
    ("CAP", &["sanction"]),
    ("PLC", &["sanction"]),
    ("ISN", &["sanction"]),
    ("EL", &["export.control"]),
    ("MEU", &["export.control"]),
    ("UVL", &["export.control"]),
    ("DPL", &["export.control"]),
    ("DTC", &["export.control", "debarment"]),
];

/// The short code of a CSL `source`: the text in its parentheses, without a trailing "List"
/// (`Non-SDN Menu-Based Sanctions List (NS-MBS List)` → `NS-MBS`).
pub(crate) fn source_code(source: &str) -> Option<&str> {
    let (_, rest) = source.split_once('(')?;
    let (code, _) = rest.split_once(')')?;
    let code = code.trim();
    let code = code.strip_suffix(" List").unwrap_or(code).trim();
    (!code.is_empty()).then_some(code)
}

/// `sourceList`, `program` (the sub-list code and the row's programmes) and `topics`.
fn add_source_list(e: &mut Entity, source: &str, programs: &str, sink: &mut ValueSink<'_>) {
    sink.add(e, Property::SourceList, "source", source);
    let topics = source_code(source).and_then(|code| {
        sink.add(e, Property::Program, "source", code);
        SUB_LISTS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    });
    match topics {
        Some(topics) => {
            for topic in topics {
                sink.add(e, Property::Topics, "source", topic);
            }
        }
        None => sink.warn(
            "source",
            format!("unknown sub-list {source:?}; no topics set"),
        ),
    }
    for program in split(programs, ';') {
        sink.add(e, Property::Program, "programs", program);
    }
}

/// Whether a text looks like a country code (two or three capital letters).
fn is_country_code(text: &str) -> bool {
    (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// `addresses`: each address as written, its trailing country code (`..., 105005, RU`) into
/// `country`; an address that is only a country code gives the country alone.
fn add_addresses(e: &mut Entity, addresses: &str, sink: &mut ValueSink<'_>) {
    for address in split(addresses, ';') {
        let last = address.rsplit(',').next().unwrap_or(address).trim();
        if last.len() < address.len() {
            sink.add(e, Property::Address, "addresses", address);
        }
        if is_country_code(last) {
            sink.add(e, Property::Country, "addresses", last);
        }
    }
}

/// Birth dates, places of birth, nationalities, citizenships and title.
fn add_person_facts(e: &mut Entity, row: &Row<'_>, sink: &mut ValueSink<'_>) {
    for dob in split(row.get("dates_of_birth"), ';') {
        add_birth_date(e, dob, sink);
    }
    for place in split(row.get("places_of_birth"), ';') {
        sink.add(e, Property::BirthPlace, "places_of_birth", place);
    }
    for (col, prop) in [
        ("nationalities", Property::Nationality),
        ("citizenships", Property::Citizenship),
    ] {
        for country in split(row.get(col), ';') {
            sink.add(e, prop, col, country);
        }
    }
    sink.add(e, Property::Position, "title", row.get("title"));
}

/// One birth date: a date the model parses, or a `YYYY to YYYY` range (each year).
fn add_birth_date(e: &mut Entity, dob: &str, sink: &mut ValueSink<'_>) {
    if let Some((from, to)) = dob.split_once(" to ") {
        let years = PartialDate::parse_iso(from)
            .ok()
            .zip(PartialDate::parse_iso(to).ok());
        match years {
            Some((a, b)) if a.month().is_none() && b.month().is_none() && a <= b => {
                let (a, b) = (a.year(), b.year());
                if b - a > MAX_YEAR_RANGE {
                    sink.warn(
                        "dates_of_birth",
                        format!("range {dob:?} is too wide; dropped"),
                    );
                    return;
                }
                for year in a..=b {
                    sink.add(e, Property::BirthDate, "dates_of_birth", &year.to_string());
                }
            }
            _ => sink.warn(
                "dates_of_birth",
                format!("unreadable range {dob:?}; dropped"),
            ),
        }
    } else {
        sink.add(e, Property::BirthDate, "dates_of_birth", dob);
    }
}

/// The vessel columns.
fn add_vessel(e: &mut Entity, row: &Row<'_>, sink: &mut ValueSink<'_>) {
    for (col, prop) in [
        ("call_sign", Property::CallSign),
        ("vessel_type", Property::Type),
        ("gross_tonnage", Property::Tonnage),
        ("gross_registered_tonnage", Property::GrossRegisteredTonnage),
        ("vessel_owner", Property::OwnerName),
    ] {
        sink.add(e, prop, col, row.get(col));
    }
    let flag = row.get("vessel_flag");
    if !flag.is_empty() && !flag.eq_ignore_ascii_case("None Identified") {
        sink.add(e, Property::Flag, "vessel_flag", flag);
    }
}

/// Listing date, remarks, Federal Register and licence notes, source URLs.
fn add_listing(e: &mut Entity, row: &Row<'_>, sink: &mut ValueSink<'_>) {
    sink.add(e, Property::CreatedAt, "start_date", row.get("start_date"));
    let remarks = row.get("remarks");
    sink.add(e, Property::Notes, "remarks", remarks);
    add_remark_links(e, remarks, sink);
    for (col, label) in [
        ("federal_register_notice", "Federal Register notice"),
        ("license_requirement", "License requirement"),
        ("license_policy", "License policy"),
        ("standard_order", "Standard order"),
        ("end_date", "End date"),
    ] {
        sink.note(e, label, row.get(col));
    }
    for col in ["source_information_url", "source_list_url"] {
        sink.add(e, Property::SourceUrl, col, row.get(col));
    }
}

/// `Linked To: X` and `IMO 1234567` mentioned in OFAC remarks.
fn add_remark_links(e: &mut Entity, remarks: &str, sink: &mut ValueSink<'_>) {
    for part in remarks.split("Linked To:").skip(1) {
        let end = part.find([';', ')']).unwrap_or(part.len());
        sink.add(e, Property::LinkedTo, "remarks", &part[..end]);
    }
    for part in remarks.split("IMO ").skip(1) {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() == 7 {
            sink.add(e, Property::ImoNumber, "remarks", &format!("IMO {digits}"));
        }
    }
}

/// One parsed item of the `ids` column.
#[derive(Debug, PartialEq, Eq)]
struct IdItem<'a> {
    /// Issuing country code, when given.
    country: Option<&'a str>,
    /// The number or value.
    value: String,
    /// The label (`Passport`, `Tax ID No.`, `Website`, ...).
    label: &'a str,
}

/// Splits `[country, ][expiry, ][issue, ]number, label`; `None` when there is no label.
fn split_id(item: &str) -> Option<IdItem<'_>> {
    let mut parts: Vec<&str> = item.split(", ").map(str::trim).collect();
    let label = parts.pop().filter(|l| !l.is_empty())?;
    let mut rest = parts.as_slice();
    let mut country = None;
    if let [first, tail @ ..] = rest
        && !tail.is_empty()
        && first.len() == 2
        && first.bytes().all(|b| b.is_ascii_uppercase())
    {
        country = Some(*first);
        rest = tail;
    }
    while let [first, tail @ ..] = rest
        && !tail.is_empty()
        && is_iso_day(first)
    {
        rest = tail;
    }
    let value = rest.join(", ");
    (!value.is_empty()).then_some(IdItem {
        country,
        value,
        label,
    })
}

/// Whether a text is an ISO day `YYYY-MM-DD` (the issue and expiry dates of an id).
fn is_iso_day(text: &str) -> bool {
    text.len() == 10 && PartialDate::parse_iso(text).is_ok_and(|d| d.day().is_some())
}

/// What the value of an `ids` item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdTarget {
    /// A property value.
    Prop(Property),
    /// The gender, lower-cased.
    Gender,
    /// A `label: value` note.
    Note,
}

/// `ids` labels (lower case) and the property their values go to.
const ID_LABELS: &[(&str, Property)] = &[
    ("passport", Property::PassportNumber),
    ("diplomatic passport", Property::PassportNumber),
    ("travel document number", Property::PassportNumber),
    ("national id no.", Property::IdNumber),
    ("cedula no.", Property::IdNumber),
    ("c.u.r.p.", Property::IdNumber),
    ("identification number", Property::IdNumber),
    ("d.n.i.", Property::IdNumber),
    ("electoral registry no.", Property::IdNumber),
    ("credencial electoral", Property::IdNumber),
    ("national foreign id number", Property::IdNumber),
    ("ssn", Property::IdNumber),
    ("numero de identidad", Property::IdNumber),
    ("cnp (personal numerical code)", Property::IdNumber),
    ("i.f.e.", Property::IdNumber),
    ("c.u.i.p.", Property::IdNumber),
    ("birth certificate number", Property::IdNumber),
    ("residency number", Property::IdNumber),
    ("n.i.e.", Property::IdNumber),
    ("driver's license no.", Property::IdNumber),
    ("pilot license number", Property::IdNumber),
    ("cartilla de servicio militar nacional", Property::IdNumber),
    ("immigration no.", Property::IdNumber),
    ("visanumberid", Property::IdNumber),
    ("romanian permanent resident", Property::IdNumber),
    ("tax id no.", Property::TaxNumber),
    ("nit #", Property::TaxNumber),
    ("r.f.c.", Property::TaxNumber),
    ("rfc", Property::TaxNumber),
    ("ruc #", Property::TaxNumber),
    ("rif #", Property::TaxNumber),
    ("c.u.i.t.", Property::TaxNumber),
    ("c.u.i.", Property::TaxNumber),
    ("us fein", Property::TaxNumber),
    ("rtn", Property::TaxNumber),
    ("c.i.f.", Property::TaxNumber),
    ("registration number", Property::RegistrationNumber),
    ("registration id", Property::RegistrationNumber),
    ("company number", Property::RegistrationNumber),
    ("government gazette number", Property::RegistrationNumber),
    ("folio mercantil no.", Property::RegistrationNumber),
    ("matricula mercantil no", Property::RegistrationNumber),
    ("c.r. no.", Property::RegistrationNumber),
    ("license", Property::RegistrationNumber),
    ("le number", Property::RegistrationNumber),
    ("rsin", Property::RegistrationNumber),
    ("d-u-n-s number", Property::RegistrationNumber),
    ("enterprise number", Property::RegistrationNumber),
    ("business number", Property::RegistrationNumber),
    ("registered charity no.", Property::RegistrationNumber),
    ("file number", Property::RegistrationNumber),
    (
        "vessel registration identification",
        Property::RegistrationNumber,
    ),
    ("aircraft tail number", Property::RegistrationNumber),
    (
        "previous aircraft tail number",
        Property::RegistrationNumber,
    ),
    ("legal entity number", Property::LeiCode),
    ("unified social credit code (uscc)", Property::UscCode),
    (
        "united social credit code certificate (usccc)",
        Property::UscCode,
    ),
    ("swift/bic", Property::SwiftBic),
    ("mmsi", Property::Mmsi),
    ("v.a.t. number", Property::VatCode),
    (
        "aircraft manufacturer's serial number (msn)",
        Property::SerialNumber,
    ),
    ("aircraft serial identification", Property::SerialNumber),
    (
        "aircraft construction number (also called l/n or s/n or f/n)",
        Property::SerialNumber,
    ),
    ("serial no.", Property::SerialNumber),
    ("other vessel call sign", Property::CallSign),
    ("other vessel type", Property::Type),
    ("aircraft model", Property::Model),
    ("aircraft operator", Property::OwnerName),
    ("aircraft manufacture date", Property::BuildDate),
    ("organization established date", Property::IncorporationDate),
    ("organization type", Property::Sector),
    ("website", Property::Website),
    ("email address", Property::Email),
    ("phone number", Property::Phone),
    ("nationality of registration", Property::Jurisdiction),
    ("registration country", Property::Jurisdiction),
];

/// An `ids` label without its trailing `:`/` -`, as printed and in lower case (the table key).
fn label_key(label: &str) -> (&str, String) {
    let trimmed = label.trim_end_matches([':', '-', ' ']);
    (trimmed, trimmed.to_lowercase())
}

/// Where an id with this label key goes: the table above, then words of the label, else a note.
fn id_target(key: &str) -> IdTarget {
    if key == "gender" {
        return IdTarget::Gender;
    }
    if let Some((_, prop)) = ID_LABELS.iter().find(|(l, _)| *l == key) {
        return IdTarget::Prop(*prop);
    }
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    if has(&["passport"]) {
        IdTarget::Prop(Property::PassportNumber)
    } else if has(&["tax", "fiscal", "tributaria"]) {
        IdTarget::Prop(Property::TaxNumber)
    } else if has(&[
        "registration",
        "registry",
        "company number",
        "license no",
        "chamber of",
    ]) {
        IdTarget::Prop(Property::RegistrationNumber)
    } else if has(&["id card", "id no", "identification", "identity"]) {
        IdTarget::Prop(Property::IdNumber)
    } else {
        IdTarget::Note
    }
}

/// A more specific property for some numbers: IMO numbers whatever the label, Russian tax and
/// registration numbers (INN, OGRN, OKPO), LEIs only when they have the LEI's 20 characters.
fn refine(prop: Property, item: &IdItem<'_>, label_key: &str) -> Property {
    let digits = item.value.bytes().filter(u8::is_ascii_digit).count();
    let russian = item.country == Some("RU");
    if item.value.starts_with("IMO ")
        || (label_key == "vessel registration identification"
            && digits == 7
            && item.value.len() == 7)
    {
        return Property::ImoNumber;
    }
    match prop {
        Property::TaxNumber if russian && matches!(digits, 10 | 12) => Property::InnCode,
        Property::RegistrationNumber if russian && label_key == "government gazette number" => {
            Property::OkpoCode
        }
        Property::RegistrationNumber if russian && matches!(digits, 13 | 15) => Property::OgrnCode,
        Property::LeiCode if item.value.len() != 20 => Property::RegistrationNumber,
        other => other,
    }
}

/// One item of the `ids` column, typed by its label.
fn add_id(e: &mut Entity, item: &str, sink: &mut ValueSink<'_>) {
    let Some(parsed) = split_id(item) else {
        sink.note(e, "Identifier", item);
        return;
    };
    let (label, key) = label_key(parsed.label);
    match id_target(&key) {
        IdTarget::Gender => match parsed.value.to_lowercase().as_str() {
            g @ ("male" | "female") => sink.add(e, Property::Gender, "ids", g),
            _ => sink.note(e, "Gender", &parsed.value),
        },
        IdTarget::Prop(Property::Jurisdiction) => {
            let prop = if e.schema.is_party() {
                Property::Jurisdiction
            } else {
                Property::Flag
            };
            sink.add(e, prop, "ids", &parsed.value);
        }
        IdTarget::Prop(prop) => {
            let prop = refine(prop, &parsed, &key);
            sink.add(e, prop, "ids", &parsed.value);
        }
        IdTarget::Note => sink.note(e, label, &parsed.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "_id,source,entity_number,type,programs,name,title,addresses,\
federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,\
call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,\
source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,\
source_information_url,ids\n";

    const SDN: &str = "Specially Designated Nationals (SDN) - Treasury Department";
    const EL: &str = "Entity List (EL) - Bureau of Industry and Security";

    fn parse_str(text: &str) -> Result<ParsedList, ParseError> {
        let input = Input::from_bytes("csl.csv", text.as_bytes().to_vec())?;
        parse(&[input], "us_csl")
    }

    fn one(text: &str) -> Entity {
        let list = parse_str(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.entities.len(), 1, "{:?}", list.entities);
        list.entities
            .into_iter()
            .next()
            .unwrap_or_else(|| Entity::new("x", Schema::Person))
    }

    /// A fictional SDN person with every person column filled.
    fn person_csv() -> String {
        format!(
            "{HEADER}90001,{SDN},90001,Individual,RUSSIA-EO14024; CYBER2,\"PETROVA, Anna Ivanovna\",\
Director,\"ul. Vymyshlennaya 1, Moscow, 101000, RU; 5 Fictive Lane, Limassol, CY\",,2022-03-11,,,,,,,,,,,\
\"(Linked To: FICTIONAL HOLDING JSC; Linked To: EXAMPLE BANK)\",http://list,\
\"PETROVA, Anya; and PETROVA, A.\",RU,1970-02-03; 1968 to 1969; circa 1961; May 1959,RU; Atlantis,\
\"Tver, Russia\",http://info,\"RU, 2017-05-30, 2012-05-30, 7501234, Passport; Female, Gender; \
RU, 770123456789, Tax ID No.; Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201, \
Secondary sanctions risk:\"\n"
        )
    }

    #[test]
    fn maps_a_person_row() {
        let e = one(&person_csv());
        assert_eq!(e.id, "us-csl-90001");
        assert_eq!(e.schema, Schema::Person);
        assert_eq!(
            e.provenance.as_ref().map(|p| p.record_id.as_str()),
            Some("90001")
        );
        assert_eq!(e.get(Property::Name), ["PETROVA, Anna Ivanovna"]);
        assert_eq!(e.get(Property::LastName), ["PETROVA"]);
        assert_eq!(e.get(Property::FirstName), ["Anna Ivanovna"]);
        assert_eq!(e.get(Property::Alias), ["PETROVA, Anya", "PETROVA, A."]);
        assert_eq!(
            e.get(Property::BirthDate),
            ["1970-02-03", "1968", "1969", "1961", "1959-05"]
        );
        assert_eq!(e.get(Property::Nationality), ["ru"]);
        assert_eq!(e.get(Property::Citizenship), ["ru"]);
        assert_eq!(e.get(Property::BirthPlace), ["Tver, Russia"]);
        assert_eq!(e.get(Property::Position), ["Director"]);
        assert_eq!(e.get(Property::Country), ["ru", "cy"]);
        assert_eq!(e.get(Property::Address).len(), 2);
        assert_eq!(
            e.get(Property::Program),
            ["SDN", "RUSSIA-EO14024", "CYBER2"]
        );
        assert_eq!(e.get(Property::SourceList), [SDN]);
        assert_eq!(e.get(Property::Topics), ["sanction"]);
        assert_eq!(e.get(Property::CreatedAt), ["2022-03-11"]);
        assert_eq!(
            e.get(Property::LinkedTo),
            ["FICTIONAL HOLDING JSC", "EXAMPLE BANK"]
        );
        assert_eq!(e.get(Property::PassportNumber), ["7501234"]);
        assert_eq!(e.get(Property::Gender), ["female"]);
        assert_eq!(e.get(Property::InnCode), ["770123456789"]);
        assert_eq!(e.get(Property::SourceUrl), ["http://info", "http://list"]);
        assert!(e.get(Property::Notes).iter().any(|n| n
            == "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201"));
    }

    #[test]
    fn unknown_country_is_a_warning_naming_line_and_field() {
        let list = parse_str(&person_csv()).unwrap_or_default();
        assert_eq!(list.warnings.len(), 1, "{:?}", list.warnings);
        let w = &list.warnings[0];
        assert!(
            w.starts_with("csl.csv: line 2: field nationalities:"),
            "{w}"
        );
        assert!(w.contains("Atlantis"), "{w}");
    }

    #[test]
    fn maps_an_entity_list_row() {
        let csv = format!(
            "{HEADER}abc123,{EL},,,,Fictive Optics Co. Ltd.,,\"No. 1 Example Road, Wuhan, 430000, CN; \
Unit 2, 3 Sample St., Kowloon, HK\",86 FR 12345,2021-06-01,,,For all items subject to the EAR.,\
Presumption of denial.,,,,,,,,http://el,Fictive Optics; and Sample Photonics,,,,,http://el,\n"
        );
        let e = one(&csv);
        assert_eq!(e.id, "us-csl-abc123");
        assert_eq!(e.schema, Schema::LegalEntity);
        assert_eq!(
            e.get(Property::Alias),
            ["Fictive Optics", "Sample Photonics"]
        );
        assert_eq!(e.get(Property::Country), ["cn", "hk"]);
        assert_eq!(e.get(Property::Program), ["EL"]);
        assert_eq!(e.get(Property::Topics), ["export.control"]);
        assert_eq!(
            e.get(Property::Notes),
            [
                "Federal Register notice: 86 FR 12345",
                "License requirement: For all items subject to the EAR.",
                "License policy: Presumption of denial.",
            ]
        );
    }

    #[test]
    fn maps_a_vessel_row_and_vessel_ids() {
        let csv = format!(
            "{HEADER}90002,{SDN},90002,Vessel,IRAN,SAMPLE STAR,,,,,,,,,EPAB1,Crude Oil Tanker,150000,\
81000,Iran,Fictive Shipping,,,,,,,,,\"IMO 9000001, Vessel Registration Identification; \
123456789, MMSI; Panama, Former Vessel Flag\"\n"
        );
        let e = one(&csv);
        assert_eq!(e.schema, Schema::Vessel);
        assert_eq!(e.get(Property::CallSign), ["EPAB1"]);
        assert_eq!(e.get(Property::Type), ["Crude Oil Tanker"]);
        assert_eq!(e.get(Property::Tonnage), ["150000"]);
        assert_eq!(e.get(Property::GrossRegisteredTonnage), ["81000"]);
        assert_eq!(e.get(Property::Flag), ["ir"]);
        assert_eq!(e.get(Property::OwnerName), ["Fictive Shipping"]);
        assert_eq!(e.get(Property::ImoNumber), ["IMO 9000001"]);
        assert_eq!(e.get(Property::Mmsi), ["123456789"]);
        assert_eq!(e.get(Property::Notes), ["Former Vessel Flag: Panama"]);
    }

    #[test]
    fn ids_are_split_and_typed() {
        let item = split_id("JO, 2014-08-30, 2009-08-31, K475336, Passport");
        assert_eq!(
            item,
            Some(IdItem {
                country: Some("JO"),
                value: "K475336".into(),
                label: "Passport"
            })
        );
        let item = split_id("Korea, North, Nationality of Registration").map(|i| i.value);
        assert_eq!(item.as_deref(), Some("Korea, North"));
        assert_eq!(split_id("CN, ISIN").map(|i| i.value).as_deref(), Some("CN"));
        assert_eq!(split_id("no label"), None);
        let target = |label: &str| id_target(&label_key(label).1);
        assert_eq!(target("Cedula No."), IdTarget::Prop(Property::IdNumber));
        assert_eq!(target("Kenyan ID No."), IdTarget::Prop(Property::IdNumber));
        assert_eq!(
            target("Romanian Tax Registration"),
            IdTarget::Prop(Property::TaxNumber)
        );
        assert_eq!(target("Gender"), IdTarget::Gender);
        assert_eq!(target("Executive Order 13846 information:"), IdTarget::Note);
        assert_eq!(
            label_key("Secondary sanctions risk:").0,
            "Secondary sanctions risk"
        );
    }

    #[test]
    fn russian_and_chinese_company_ids() {
        let csv = format!(
            "{HEADER}90003,{SDN},90003,Entity,RUSSIA-EO14024,FICTIVE LLC,,,,,,,,,,,,,,,,,,,,,,,\
\"RU, 1027700000001, Registration ID; RU, 12345678, Government Gazette Number; \
CN, 91110000MA00000000, Unified Social Credit Code (USCC); 16 Jan 2017, Organization Established Date; \
NL, 852496527, Legal Entity Number; FICTRUMMXXX, SWIFT/BIC; Russia, Nationality of Registration; \
IMO 5000001, Company Number\"\n"
        );
        let e = one(&csv);
        assert_eq!(e.get(Property::OgrnCode), ["1027700000001"]);
        assert_eq!(e.get(Property::OkpoCode), ["12345678"]);
        assert_eq!(e.get(Property::UscCode), ["91110000MA00000000"]);
        assert_eq!(e.get(Property::IncorporationDate), ["2017-01-16"]);
        assert_eq!(e.get(Property::RegistrationNumber), ["852496527"]);
        assert_eq!(e.get(Property::SwiftBic), ["FICTRUMMXXX"]);
        assert_eq!(e.get(Property::Jurisdiction), ["ru"]);
        assert_eq!(e.get(Property::ImoNumber), ["IMO 5000001"]);
    }

    #[test]
    fn rows_of_one_id_are_merged() {
        let ssi = "Sectoral Sanctions Identifications List (SSI) - Treasury Department";
        let csv = format!(
            "{HEADER}90004,{SDN},90004,Entity,UKRAINE-EO13662,SAMPLE BANK,,,,,,,,,,,,,,,,,,,,,,,\n\
90004,{ssi},90004,Entity,UKRAINE-EO13662,SAMPLE BANK,,,,,,,,,,,,,,,,,,,,,,,\n"
        );
        let list = parse_str(&csv).unwrap_or_default();
        assert_eq!(list.records, 2);
        assert_eq!(list.entities.len(), 1);
        let e = &list.entities[0];
        assert_eq!(e.get(Property::SourceList), [SDN, ssi]);
        assert_eq!(e.get(Property::Program), ["SDN", "UKRAINE-EO13662", "SSI"]);
    }

    #[test]
    fn columns_are_found_by_name() {
        let csv = format!("name,_id,source,dates_of_birth\nSAMPLE PERSON,7,{SDN},1980\n");
        let e = one(&csv);
        assert_eq!(e.id, "us-csl-7");
        assert_eq!(e.get(Property::BirthDate), ["1980"]);
    }

    #[test]
    fn bad_values_are_warnings() {
        let csv = format!(
            "_id,source,name,start_date,dates_of_birth,type\n8,{SDN},X,3017-08-22,1900 to 1990,Robot\n"
        );
        let list = parse_str(&csv).unwrap_or_default();
        assert_eq!(list.entities.len(), 1);
        let fields: Vec<bool> = ["field start_date", "field dates_of_birth", "field type"]
            .iter()
            .map(|f| list.warnings.iter().any(|w| w.contains(f)))
            .collect();
        assert_eq!(fields, [true, true, true], "{:?}", list.warnings);
    }

    #[test]
    fn missing_required_column_is_an_error() {
        let err = parse_str("_id,source,title\n1,x,y\n").err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            err,
            "csl.csv: line 1: field name: required column `name` is missing from the header"
        );
        assert!(parse_str("").is_err());
    }

    #[test]
    fn malformed_rows_are_errors_naming_line_and_field() {
        let short = format!("_id,source,name\n1,{SDN},A\n2,{SDN}\n");
        let err = parse_str(&short)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "csl.csv: line 3: field row: expected 3 fields, found 2"
        );
        let no_id = format!("_id,source,name\n1,{SDN},A\n,{SDN},B\n");
        let err = parse_str(&no_id)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(err, "csl.csv: line 3: field _id: empty record id");
        let no_name = format!("_id,source,name\n1,{SDN},\n");
        let err = parse_str(&no_name)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(err, "csl.csv: line 2: field name: record 1 has no name");
        let bad_utf8 = parse(
            &[Input {
                name: "csl.csv".into(),
                data: b"_id,source,name\n1,x,\xff\n".to_vec(),
            }],
            "us_csl",
        );
        let err = bad_utf8.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.starts_with("csl.csv: line 2: field row: invalid UTF-8"),
            "{err}"
        );
    }

    #[test]
    fn source_codes() {
        assert_eq!(source_code(EL), Some("EL"));
        assert_eq!(
            source_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department"),
            Some("NS-MBS")
        );
        assert_eq!(source_code("no code"), None);
    }

    #[test]
    fn address_countries() {
        let csv = format!(
            "_id,source,name,addresses,vessel_flag\n\
1,{SDN},A,\"Moscow, 105005, RU; SY; ANTHONY, NM, 88201; Shenzhen, PRC\",Sierra Leone\n\
2,{SDN},B,,\"Man, Isle of\"\n3,{SDN},C,,N/A\n"
        );
        let list = parse_str(&csv).unwrap_or_default();
        let e = &list.entities[0];
        assert_eq!(e.get(Property::Country), ["ru", "sy", "cn"]);
        assert_eq!(
            e.get(Property::Address),
            ["Moscow, 105005, RU", "ANTHONY, NM, 88201", "Shenzhen, PRC"]
        );
        assert_eq!(e.get(Property::Flag), ["sl"]);
        assert_eq!(list.entities[1].get(Property::Flag), ["im"]);
        assert_eq!(list.warnings.len(), 1, "{:?}", list.warnings);
        assert!(
            list.warnings[0].contains("field vessel_flag"),
            "{:?}",
            list.warnings
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Mutated CSL text never panics.
        #[test]
        fn mutated_input_never_panics(
            pos in 0usize..2000,
            bytes in proptest::collection::vec(any::<u8>(), 0..16),
        ) {
            let mut data = person_csv().into_bytes();
            let at = pos.min(data.len());
            data.splice(at..at, bytes);
            if let Ok(input) = Input::from_bytes("fuzz.csv", data) {
                let _ = parse(&[input], "fuzz");
            }
        }

        /// Arbitrary cell text never panics.
        #[test]
        fn arbitrary_cells_never_panic(cells in proptest::collection::vec("\\PC{0,30}", 29)) {
            let row: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            let text = format!("{HEADER}{}\n", row.join(","));
            if let Ok(input) = Input::from_bytes("fuzz.csv", text.into_bytes()) {
                let _ = parse(&[input], "fuzz");
            }
        }
    }
}
