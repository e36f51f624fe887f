//! Values of a record into an entity, with a warning for each value the model rejects.
//!
//! Shared by the XML parsers (UN, EU FSF): a bad value inside a well-formed record (an impossible
//! date, an unknown country) is dropped and reported as a warning naming the file, the record's
//! place and the field, so one odd value never costs the whole list.

use crate::error::{Location, ParseError};
use crate::source::Input;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, PartialDate, Property, country_code};
use std::fmt::Display;

/// The widest span of birth years (`FROM_YEAR`..`TO_YEAR`) expanded into single years.
pub const MAX_YEAR_SPAN: u16 = 20;

/// `prefix` + `value` when the value is not empty, else empty.
pub(crate) fn prefixed(prefix: &str, value: &str) -> String {
    let value = clean_text(value);
    if value.is_empty() {
        value
    } else {
        format!("{prefix}{value}")
    }
}

/// Where a record is: a known location, or an XML byte offset whose line is only counted when
/// a warning needs it (counting lines for every record would read the file once per record).
enum Place {
    Known(Location),
    Byte(u64),
}

/// Collects the warnings of one record: each names the file, the record's place and the field.
pub(crate) struct Warn<'a> {
    input: &'a Input,
    place: Place,
    out: &'a mut Vec<String>,
}

impl<'a> Warn<'a> {
    /// Warnings about the record at `location` of `input`, appended to `out`.
    pub(crate) fn new(input: &'a Input, location: Location, out: &'a mut Vec<String>) -> Self {
        let place = Place::Known(location);
        Warn { input, place, out }
    }

    /// Warnings about the XML record starting at byte `byte` of `input`.
    pub(crate) fn at_byte(input: &'a Input, byte: u64, out: &'a mut Vec<String>) -> Self {
        let place = Place::Byte(byte);
        Warn { input, place, out }
    }

    /// Records that a value of `field` was dropped, and why.
    pub(crate) fn push(&mut self, field: &str, message: impl Display) {
        let location = match &self.place {
            Place::Known(location) => location.clone(),
            Place::Byte(byte) => Location::xml(&self.input.data, *byte),
        };
        let err = ParseError::new(&self.input.name, location, field, message.to_string());
        self.out.push(err.to_string());
    }
}

/// Adds a value; a value the model rejects becomes a warning.
pub(crate) fn put(e: &mut Entity, w: &mut Warn, prop: Property, value: &str, field: &str) {
    if let Err(err) = e.add(prop, value) {
        w.push(field, err);
    }
}

/// Adds a free-text note about `subject` (`"subject: note"`); nothing when the note is empty.
pub(crate) fn put_note(e: &mut Entity, subject: &str, note: &str) {
    let note = clean_text(note);
    if note.is_empty() {
        return;
    }
    let subject = clean_text(subject);
    let text = if subject.is_empty() {
        note
    } else {
        format!("{subject}: {note}")
    };
    // Text properties accept any non-empty value.
    let _ = e.add(Property::Notes, &text);
}

/// Placeholders lists put where a country is not known; skipped without a warning.
const NO_COUNTRY: &[&str] = &["", "na", "n/a", "unknown", "00", "-"];

/// Maps a country name or code to ISO alpha-2 with the model's table; `Ok(None)` for a "not
/// available" placeholder.
pub(crate) fn map_country(value: &str) -> Result<Option<String>, String> {
    let cleaned = clean_text(value);
    let lower = cleaned.to_lowercase();
    if NO_COUNTRY.contains(&lower.as_str()) {
        return Ok(None);
    }
    country_code(&cleaned)
        .map(Some)
        .map_err(|_| format!("unknown country {cleaned:?}"))
}

/// Adds a country; an unmappable one becomes a warning.
pub(crate) fn put_country(e: &mut Entity, w: &mut Warn, prop: Property, value: &str, field: &str) {
    match map_country(value) {
        Ok(Some(code)) => put(e, w, prop, &code, field),
        Ok(None) => {}
        Err(msg) => w.push(field, msg),
    }
}

/// Parses a list date: ISO (an `xs:date` time-zone suffix is dropped) or the printed forms
/// [`PartialDate`] knows, day before month. `Ok(None)` when the value is empty.
pub(crate) fn parse_date(value: &str) -> Result<Option<PartialDate>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let v = match (v.get(..10), v.as_bytes().get(10)) {
        (Some(day), Some(b'+' | b'-' | b'Z')) if PartialDate::parse_iso(day).is_ok() => day,
        _ => v,
    };
    v.parse::<PartialDate>()
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Adds a date; an invalid one becomes a warning.
pub(crate) fn put_date(e: &mut Entity, w: &mut Warn, prop: Property, value: &str, field: &str) {
    match parse_date(value) {
        Ok(Some(date)) => {
            e.add_date(prop, date);
        }
        Ok(None) => {}
        Err(msg) => w.push(field, msg),
    }
}

/// Adds every birth year of `from..=to` (either bound may be missing). A span wider than
/// [`MAX_YEAR_SPAN`] or reversed keeps only its bounds, with a warning.
pub(crate) fn put_years(e: &mut Entity, w: &mut Warn, from: &str, to: &str, field: &str) {
    let mut year = |v: &str| -> Option<PartialDate> {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        let parsed = v
            .parse::<u16>()
            .ok()
            .and_then(|y| PartialDate::new(y, None, None).ok());
        if parsed.is_none() {
            w.push(field, format!("not a year: {v:?}"));
        }
        parsed
    };
    let (from, to) = (year(from), year(to));
    match (from, to) {
        (Some(a), Some(b)) if a.year() <= b.year() && b.year() - a.year() <= MAX_YEAR_SPAN => {
            for y in a.year()..=b.year() {
                if let Ok(d) = PartialDate::new(y, None, None) {
                    e.add_date(Property::BirthDate, d);
                }
            }
        }
        (Some(a), Some(b)) => {
            let msg = format!(
                "birth year range {a}-{b} is reversed or wider than {MAX_YEAR_SPAN} years: kept its bounds only"
            );
            w.push(field, msg);
            e.add_date(Property::BirthDate, a);
            e.add_date(Property::BirthDate, b);
        }
        (Some(d), None) | (None, Some(d)) => {
            e.add_date(Property::BirthDate, d);
        }
        (None, None) => {}
    }
}

/// Adds a gender written `Male`/`M`/`Female`/`F` (any case); anything else is a warning.
pub(crate) fn put_gender(e: &mut Entity, w: &mut Warn, value: &str, field: &str) {
    let gender = match value.trim().to_lowercase().as_str() {
        "" => return,
        "m" | "male" => "male",
        "f" | "female" => "female",
        other => return w.push(field, format!("unknown gender {other:?}")),
    };
    put(e, w, Property::Gender, gender, field);
}

/// Joins the non-empty parts (white space collapsed) with `sep`.
pub(crate) fn join_parts(parts: &[&str], sep: &str) -> String {
    let cleaned: Vec<String> = parts
        .iter()
        .map(|p| clean_text(p))
        .filter(|p| !p.is_empty())
        .collect();
    cleaned.join(sep)
}

/// The identifier property a document or identification label stands for.
///
/// Named national codes win (INN, OGRN, KPP, OKPO, USCC, LEI, VAT, SWIFT/BIC, IMO), then
/// passports, tax/fiscal codes and registration numbers; any other identity paper is an
/// `idNumber` for a person and a `registrationNumber` for an organisation.
pub(crate) fn id_property(label: &str, person: bool) -> Property {
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    let word = |w: &str| words.contains(&w);
    let has = |s: &str| lower.contains(s);
    if word("inn") || has("taxpayer identification") {
        Property::InnCode
    } else if word("ogrn") || has("primary state registration") {
        Property::OgrnCode
    } else if word("kpp") {
        Property::KppCode
    } else if word("okpo") {
        Property::OkpoCode
    } else if word("uscc") || has("unified social credit") {
        Property::UscCode
    } else if word("lei") || has("legal entity identifier") {
        Property::LeiCode
    } else if word("vat") {
        Property::VatCode
    } else if word("swift") || word("bic") || word("swiftbic") {
        Property::SwiftBic
    } else if word("imo") {
        Property::ImoNumber
    } else if ["passport", "passeport", "pasaport", "pasport"]
        .iter()
        .any(|p| has(p))
    {
        Property::PassportNumber
    } else if has("tax") || has("fiscal") {
        Property::TaxNumber
    } else if has("registration") || has("regnumber") || has("register") {
        Property::RegistrationNumber
    } else if person {
        Property::IdNumber
    } else {
        Property::RegistrationNumber
    }
}
