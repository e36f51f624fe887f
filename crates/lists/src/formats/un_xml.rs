//! UN Security Council consolidated list, official XML (`CONSOLIDATED_LIST`).
//!
//! # Format
//!
//! `CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL` and `CONSOLIDATED_LIST/ENTITIES/ENTITY`, one element
//! per listing. Simple facts are leaf elements (`DATAID`, `FIRST_NAME`..`FOURTH_NAME`,
//! `UN_LIST_TYPE`, `REFERENCE_NUMBER`, `LISTED_ON`, `NAME_ORIGINAL_SCRIPT`, `GENDER`,
//! `COMMENTS1`); multi-valued facts are wrappers of `VALUE` elements (`TITLE`, `DESIGNATION`,
//! `NATIONALITY`, `LIST_TYPE`, `LAST_DAY_UPDATED`); and repeated blocks carry the rest:
//! `INDIVIDUAL_ALIAS`/`ENTITY_ALIAS` (`QUALITY`, `ALIAS_NAME`, and for persons sometimes
//! `DATE_OF_BIRTH`, `CITY_OF_BIRTH`, `COUNTRY_OF_BIRTH`, `NOTE`), `INDIVIDUAL_ADDRESS`/
//! `ENTITY_ADDRESS` (`STREET`, `CITY`, `STATE_PROVINCE`, `ZIP_CODE`, `COUNTRY`, `NOTE`),
//! `INDIVIDUAL_DATE_OF_BIRTH` (`TYPE_OF_DATE` EXACT/APPROXIMATELY/BETWEEN with `DATE`, `YEAR` or
//! `FROM_YEAR`/`TO_YEAR`, `NOTE`), `INDIVIDUAL_PLACE_OF_BIRTH` (`STREET`, `CITY`,
//! `STATE_PROVINCE`, `COUNTRY`, `NOTE`) and `INDIVIDUAL_DOCUMENT` (`TYPE_OF_DOCUMENT`,
//! `TYPE_OF_DOCUMENT2`, `NUMBER`, `ISSUING_COUNTRY`, `COUNTRY_OF_ISSUE`, `CITY_OF_ISSUE`,
//! `DATE_OF_ISSUE`, `NOTE`). Dates are `xs:date`, sometimes with a time-zone suffix
//! (`2015-04-07-04:00`).
//!
//! The file is read with quick-xml `Reader` events; one listing at a time is gathered into a
//! small `XmlNode` tree (never the whole document) and then mapped.
//!
//! # Mapping decisions
//!
//! * `INDIVIDUAL` becomes a `Person`. `ENTITY` becomes a `LegalEntity`: the UN list mixes
//!   companies, shipping firms, charities, armed groups and state bodies under one element and
//!   says nothing about which is which, so FtM's parent schema is the honest choice (it matches
//!   Company and Organization queries alike). The EU FSF parser makes the same choice for
//!   `enterprise`.
//! * Ids are `un-{DATAID}` (stable across versions); the provenance record id is the public
//!   `REFERENCE_NUMBER` (e.g. `CDi.001`), or the DATAID when that is missing. A listing without
//!   DATAID is an error, as is one without any name.
//! * `name` is FIRST_NAME..FOURTH_NAME joined with single spaces, in the UN's order. The parts
//!   are kept positionally: `firstName` = FIRST_NAME, `secondName` = SECOND_NAME, `middleName` =
//!   THIRD_NAME and FOURTH_NAME. No `lastName` is set, because the UN does not mark the family
//!   name: DPRK listings put it first (`RI` `HONG-SOP`), African and Iranian listings second
//!   (`ERIC` `BADEGE`), and four-part Arabic names end with a tribal or place name
//!   (`UDAY` `SADDAM` `HUSSEIN` `AL-TIKRITI`). Guessing would feed the matcher wrong parts.
//! * Entity names that join two names with `;` (`CAGL ; GLBC`) keep the full string as `name`
//!   and add each part as an `alias`.
//! * `NAME_ORIGINAL_SCRIPT` → `alias`. Alias QUALITY `Good` and `a.k.a.` → `alias`, `Low` →
//!   `weakAlias`, `f.k.a.` → `previousName` (an unknown quality is kept as `alias`, with a
//!   warning). Birth data given on an alias is added to the person's birth data; alias notes go
//!   to `notes`, prefixed with the alias.
//! * Dates of birth: `DATE` → exact day, `YEAR` → year, `FROM_YEAR`..`TO_YEAR` → every year of
//!   the span (at most [`MAX_YEAR_SPAN`] years; a wider or reversed span keeps only its two
//!   bounds, with a warning). APPROXIMATELY needs no flag: the precision of the value says it.
//! * Documents: the labels (`TYPE_OF_DOCUMENT` and `TYPE_OF_DOCUMENT2`) choose the property:
//!   passports → `passportNumber`, tax/fiscal codes → `taxNumber` (INN, OGRN... by name),
//!   every other identity paper (national id, ration card, SSN...) → `idNumber`. The issuing
//!   country goes to `country`; the full description (type, issuer, date, note) to `notes`, so
//!   nothing the UN says about a document is lost.
//! * `NATIONALITY` → `nationality`; address and birth countries → `country` and `birthCountry`
//!   (`na` means "not available" and is skipped silently; any other unmappable country is a
//!   warning). `LISTED_ON` → `createdAt`, the latest `LAST_DAY_UPDATED` → `modifiedAt`,
//!   `UN_LIST_TYPE` → `program`, `COMMENTS1` → `notes`, `DESIGNATION` → `position`, `TITLE` →
//!   `title`, `GENDER` → `gender`. `LIST_TYPE` (always "UN List") and the sort keys are skipped.
//!
//! Bad values inside a well-formed listing (an impossible date, an unknown country) become
//! warnings naming file, line and field; malformed XML is an error at its byte position.
//!
//! The record-by-record XML reader (`formats/xml.rs`) and the warning-aware value adders
//! (`formats/values.rs`) are shared with the EU FSF parser.

use super::values::{
    Warn, id_property, join_parts, parse_date, prefixed, put, put_country, put_date, put_gender,
    put_note, put_years,
};
use super::xml::{XmlNode, XmlRecords};
use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, Property, Schema};

pub use super::values::MAX_YEAR_SPAN;

/// Parses the UN consolidated list XML file(s) of one list.
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut out = ParsedList::default();
    for input in inputs {
        let mut records = XmlRecords::new(input, "CONSOLIDATED_LIST");
        while let Some(node) = records.next_record(&["INDIVIDUAL", "ENTITY"])? {
            out.records += 1;
            let entity = map_listing(&node, input, list, &mut out.warnings)?;
            out.entities.push(entity);
        }
    }
    Ok(out)
}

/// Maps one `INDIVIDUAL` or `ENTITY` element.
fn map_listing(
    node: &XmlNode,
    input: &Input,
    list: &str,
    warnings: &mut Vec<String>,
) -> Result<Entity, ParseError> {
    let person = node.name == "INDIVIDUAL";
    let dataid = clean_text(node.child_text("DATAID"));
    if dataid.is_empty() {
        let msg = format!("{} without DATAID", node.name);
        return Err(input.error_at_byte(node.byte, "DATAID", msg));
    }
    let reference = clean_text(node.child_text("REFERENCE_NUMBER"));
    let record_id = if reference.is_empty() {
        dataid.clone()
    } else {
        reference
    };
    let schema = if person {
        Schema::Person
    } else {
        Schema::LegalEntity
    };
    let mut e = Entity::new(format!("un-{dataid}"), schema).with_source(list, record_id);
    let mut w = Warn::at_byte(input, node.byte, warnings);
    if !add_names(&mut e, node, person, &mut w) {
        let msg = format!("{} {dataid} has no name", node.name);
        return Err(input.error_at_byte(node.byte, "FIRST_NAME", msg));
    }
    add_listing_facts(&mut e, node, &mut w);
    for child in &node.children {
        match child.name.as_str() {
            "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => add_alias(&mut e, child, &mut w),
            "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => add_address(&mut e, child, &mut w),
            "INDIVIDUAL_DATE_OF_BIRTH" => add_birth_date(&mut e, child, &mut w),
            "INDIVIDUAL_PLACE_OF_BIRTH" => add_birth_place(&mut e, child, &mut w),
            "INDIVIDUAL_DOCUMENT" => add_document(&mut e, child, person, &mut w),
            _ => {}
        }
    }
    Ok(e)
}

/// Adds the name, its parts and the original-script name; false when there is no name at all.
fn add_names(e: &mut Entity, node: &XmlNode, person: bool, w: &mut Warn) -> bool {
    const PARTS: [(&str, Property); 4] = [
        ("FIRST_NAME", Property::FirstName),
        ("SECOND_NAME", Property::SecondName),
        ("THIRD_NAME", Property::MiddleName),
        ("FOURTH_NAME", Property::MiddleName),
    ];
    let full = join_parts(&PARTS.map(|(tag, _)| node.child_text(tag)), " ");
    if full.is_empty() {
        return false;
    }
    put(e, w, Property::Name, &full, "FIRST_NAME");
    if person {
        for (tag, prop) in PARTS {
            put(e, w, prop, node.child_text(tag), tag);
        }
    } else if full.contains(';') {
        for part in full.split(';') {
            put(e, w, Property::Alias, part, "FIRST_NAME");
        }
    }
    let original = node.child_text("NAME_ORIGINAL_SCRIPT");
    put(e, w, Property::Alias, original, "NAME_ORIGINAL_SCRIPT");
    true
}

/// Adds programme, dates, remarks, gender, titles, positions and nationalities.
fn add_listing_facts(e: &mut Entity, node: &XmlNode, w: &mut Warn) {
    put(
        e,
        w,
        Property::Program,
        node.child_text("UN_LIST_TYPE"),
        "UN_LIST_TYPE",
    );
    put_date(
        e,
        w,
        Property::CreatedAt,
        node.child_text("LISTED_ON"),
        "LISTED_ON",
    );
    put(
        e,
        w,
        Property::Notes,
        node.child_text("COMMENTS1"),
        "COMMENTS1",
    );
    put_gender(e, w, node.child_text("GENDER"), "GENDER");
    for (tag, prop) in [
        ("TITLE", Property::Title),
        ("DESIGNATION", Property::Position),
    ] {
        for value in node.values(tag) {
            put(e, w, prop, value, tag);
        }
    }
    for value in node.values("NATIONALITY") {
        put_country(e, w, Property::Nationality, value, "NATIONALITY/VALUE");
    }
    let updated = node.values("LAST_DAY_UPDATED").filter_map(|v| {
        parse_date(v)
            .map_err(|err| w.push("LAST_DAY_UPDATED/VALUE", err))
            .ok()
            .flatten()
    });
    if let Some(latest) = updated.max() {
        e.add_date(Property::ModifiedAt, latest);
    }
}

/// Adds one `*_ALIAS` block: the name by quality, plus birth data and notes given with it.
fn add_alias(e: &mut Entity, node: &XmlNode, w: &mut Warn) {
    let name = clean_text(node.child_text("ALIAS_NAME"));
    let quality = node.child_text("QUALITY").to_ascii_lowercase();
    let prop = match quality.as_str() {
        "low" => Property::WeakAlias,
        "f.k.a." | "fka" => Property::PreviousName,
        "good" | "a.k.a." | "aka" | "" => Property::Alias,
        other => {
            if !name.is_empty() {
                w.push(
                    "QUALITY",
                    format!("unknown alias quality {other:?}, kept as alias"),
                );
            }
            Property::Alias
        }
    };
    put(e, w, prop, &name, "ALIAS_NAME");
    put_date(
        e,
        w,
        Property::BirthDate,
        node.child_text("DATE_OF_BIRTH"),
        "DATE_OF_BIRTH",
    );
    let city = node.child_text("CITY_OF_BIRTH");
    let country = node.child_text("COUNTRY_OF_BIRTH");
    put(
        e,
        w,
        Property::BirthPlace,
        &join_parts(&[city, country], ", "),
        "CITY_OF_BIRTH",
    );
    put_country(e, w, Property::BirthCountry, country, "COUNTRY_OF_BIRTH");
    put_note(e, &format!("Alias {name}"), node.child_text("NOTE"));
}

/// Adds one `*_ADDRESS` block: the postal address (when more than a country is known), the
/// country, and the note.
fn add_address(e: &mut Entity, node: &XmlNode, w: &mut Warn) {
    let country = node.child_text("COUNTRY");
    let tags = ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE"];
    let local = join_parts(&tags.map(|t| node.child_text(t)), ", ");
    let full = join_parts(&[&local, country], ", ");
    if !local.is_empty() {
        put(e, w, Property::Address, &full, "ADDRESS");
    }
    put_country(e, w, Property::Country, country, "ADDRESS/COUNTRY");
    put_note(e, &format!("Address {full}"), node.child_text("NOTE"));
}

/// Adds one `INDIVIDUAL_DATE_OF_BIRTH` block.
fn add_birth_date(e: &mut Entity, node: &XmlNode, w: &mut Warn) {
    put_date(
        e,
        w,
        Property::BirthDate,
        node.child_text("DATE"),
        "DATE_OF_BIRTH/DATE",
    );
    put_date(
        e,
        w,
        Property::BirthDate,
        node.child_text("YEAR"),
        "DATE_OF_BIRTH/YEAR",
    );
    let (from, to) = (node.child_text("FROM_YEAR"), node.child_text("TO_YEAR"));
    put_years(e, w, from, to, "DATE_OF_BIRTH/FROM_YEAR");
    put_note(e, "Date of birth", node.child_text("NOTE"));
}

/// Adds one `INDIVIDUAL_PLACE_OF_BIRTH` block.
fn add_birth_place(e: &mut Entity, node: &XmlNode, w: &mut Warn) {
    let tags = ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"];
    let place = join_parts(&tags.map(|t| node.child_text(t)), ", ");
    put(e, w, Property::BirthPlace, &place, "PLACE_OF_BIRTH");
    let country = node.child_text("COUNTRY");
    put_country(
        e,
        w,
        Property::BirthCountry,
        country,
        "PLACE_OF_BIRTH/COUNTRY",
    );
    put_note(e, "Place of birth", node.child_text("NOTE"));
}

/// Adds one `INDIVIDUAL_DOCUMENT` block: the number typed by its labels, the issuing country,
/// and a note describing the document.
fn add_document(e: &mut Entity, node: &XmlNode, person: bool, w: &mut Warn) {
    let kind = join_parts(
        &[
            node.child_text("TYPE_OF_DOCUMENT"),
            node.child_text("TYPE_OF_DOCUMENT2"),
        ],
        " ",
    );
    let number = node.child_text("NUMBER");
    put(e, w, id_property(&kind, person), number, "DOCUMENT/NUMBER");
    let country = node.first_text(&["ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"]);
    put_country(e, w, Property::Country, country, "DOCUMENT/ISSUING_COUNTRY");
    let issued = join_parts(&[node.child_text("CITY_OF_ISSUE"), country], ", ");
    let details = [
        prefixed("issued by ", &issued),
        prefixed("issued on ", node.child_text("DATE_OF_ISSUE")),
        clean_text(node.child_text("NOTE")),
    ];
    let details = join_parts(&details.each_ref().map(String::as_str), "; ");
    if !details.is_empty() {
        put_note(e, &join_parts(&[&kind, number], " "), &details);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::formats::Format;
    use proptest::prelude::*;

    const SAMPLE: &str = include_str!("../../tests/fixtures/un/consolidated_sample.xml");

    fn input(text: &str) -> Input {
        Input {
            name: "un.xml".into(),
            data: text.as_bytes().to_vec(),
        }
    }

    fn parse_text(text: &str) -> Result<ParsedList, ParseError> {
        parse(&[input(text)], "un_sc")
    }

    fn sample() -> ParsedList {
        parse_text(SAMPLE).expect("sample parses")
    }

    #[test]
    fn counts_and_schemata() {
        let list = sample();
        assert_eq!(list.records, 4);
        let schemata: Vec<_> = list
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.schema))
            .collect();
        assert_eq!(
            schemata,
            [
                ("un-9000001", Schema::Person),
                ("un-9000002", Schema::Person),
                ("un-9000003", Schema::LegalEntity),
                ("un-9000004", Schema::LegalEntity),
            ]
        );
        let p = list.entity("un-9000001").expect("entity present");
        let prov = p.provenance.as_ref().expect("provenance");
        assert_eq!(
            (prov.list.as_str(), prov.record_id.as_str()),
            ("un_sc", "XXi.001")
        );
    }

    #[test]
    fn person_names_and_aliases() {
        let list = sample();
        let p = list.entity("un-9000001").expect("entity present");
        assert_eq!(p.get(Property::Name), ["TAREK BEN OMAR AL-FIKTIVI"]);
        assert_eq!(p.get(Property::FirstName), ["TAREK"]);
        assert_eq!(p.get(Property::SecondName), ["BEN"]);
        assert_eq!(p.get(Property::MiddleName), ["OMAR", "AL-FIKTIVI"]);
        assert!(p.get(Property::LastName).is_empty());
        assert_eq!(
            p.get(Property::Alias),
            ["طارق بن عمر الفكتيفي", "Tarek Omar", "Abu Omar al-Fiktivi"]
        );
        assert_eq!(p.get(Property::WeakAlias), ["Abu Tarek"]);
        assert_eq!(p.get(Property::PreviousName), ["Tarek Ben Omar"]);
    }

    #[test]
    fn person_dates_places_documents() {
        let list = sample();
        let p = list.entity("un-9000001").expect("entity present");
        assert_eq!(
            p.get(Property::BirthDate),
            ["1970-05-01", "1971-02-13", "1972"]
        );
        assert_eq!(
            p.get(Property::BirthPlace),
            ["Sfax, Tunisia", "Fictown, Sfax Governorate, Tunisia"]
        );
        assert_eq!(p.get(Property::BirthCountry), ["tn"]);
        assert_eq!(p.get(Property::PassportNumber), ["Z123456"]);
        assert_eq!(p.get(Property::IdNumber), ["09876543"]);
        assert_eq!(p.get(Property::Nationality), ["tn"]);
        assert_eq!(p.get(Property::CreatedAt), ["2003-10-15"]);
        assert_eq!(p.get(Property::ModifiedAt), ["2011-11-24"]);
        assert_eq!(p.get(Property::Program), ["Al-Qaida"]);
        assert_eq!(p.get(Property::Title), ["Sheikh"]);
        assert_eq!(p.get(Property::Position), ["Financier"]);
        assert_eq!(p.get(Property::Gender), ["male"]);
        assert_eq!(p.get(Property::Address), ["Via Finta 12, Milan, Italy"]);
        assert_eq!(p.get(Property::Country), ["it", "tn"]);
        let notes = p.get(Property::Notes);
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("Fictional person for tests"))
        );
        assert!(notes.contains(
            &"Passport Z123456: issued by Tunisia; issued on 1999-03-04; expired".to_string()
        ));
        assert!(notes.contains(&"Alias Abu Omar al-Fiktivi: in Sfax, Tunisia".to_string()));
        assert!(
            notes.contains(&"Address Via Finta 12, Milan, Italy: previous address".to_string())
        );
    }

    #[test]
    fn between_years_and_timezone_dates() {
        let list = sample();
        let p = list.entity("un-9000002").expect("entity present");
        assert_eq!(p.get(Property::BirthDate), ["1960", "1961", "1962"]);
        assert_eq!(p.get(Property::CreatedAt), ["2015-04-07"]);
        assert_eq!(p.get(Property::Name), ["KIM SONG-FIK"]);
        assert_eq!(p.get(Property::Gender), ["female"]);
        assert_eq!(p.get(Property::Nationality), ["kp"]);
        // "na" is a placeholder, not a country: no warning for it.
        assert!(!list.warnings.iter().any(|w| w.contains("\"na\"")));
    }

    #[test]
    fn entity_mapping() {
        let list = sample();
        let e = list.entity("un-9000003").expect("entity present");
        assert_eq!(e.get(Property::Name), ["FIKTIV SHIPPING & TRADING"]);
        assert_eq!(e.get(Property::Alias), ["Fiktiv Shipping Company Limited"]);
        assert_eq!(e.get(Property::WeakAlias), ["FST"]);
        assert_eq!(
            e.get(Property::Address),
            ["Harbour Road 1, Nampho, Democratic People's Republic of Korea"]
        );
        assert_eq!(e.get(Property::Country), ["kp"]);
        assert!(e.get(Property::FirstName).is_empty());
        let joined = list.entity("un-9000004").expect("entity present");
        assert_eq!(
            joined.get(Property::Alias),
            ["ALPHA FICT AIR (AFA)", "BETA FICT CARGO (BFC)"]
        );
    }

    #[test]
    fn bad_values_are_warnings() {
        let list = sample();
        let find = |needle: &str| list.warnings.iter().any(|w| w.contains(needle));
        assert!(
            find("field NATIONALITY/VALUE: unknown country \"Atlantis\""),
            "{:?}",
            list.warnings
        );
        assert!(find(
            "field DATE_OF_BIRTH/DATE: not a valid date: \"1961-02-30\""
        ));
        assert!(find("un.xml: line "));
        assert_eq!(list.warnings.len(), 2, "{:?}", list.warnings);
    }

    #[test]
    fn wide_year_span_keeps_bounds() {
        let xml = r#"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
            <FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
            <FROM_YEAR>1940</FROM_YEAR><TO_YEAR>1990</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
            </INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"#;
        let list = parse_text(xml).expect("parses");
        assert_eq!(list.entities[0].get(Property::BirthDate), ["1940", "1990"]);
        assert!(list.warnings[0].contains("wider than 20 years"));
    }

    #[test]
    fn missing_dataid_is_an_error() {
        let xml = "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
        let err = parse_text(xml).expect_err("no DATAID");
        assert_eq!(err.field, "DATAID");
        assert_eq!(err.file, "un.xml");
        assert!(
            matches!(err.location, Location::Xml { line: 2, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("INDIVIDUAL without DATAID"));
    }

    #[test]
    fn nameless_listing_is_an_error() {
        let xml = "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>5</DATAID></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
        let err = parse_text(xml).expect_err("no name");
        assert_eq!(err.field, "FIRST_NAME");
        assert!(err.message.contains("ENTITY 5 has no name"));
    }

    #[test]
    fn malformed_xml_is_an_error_with_position() {
        let xml = "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID></WRONG>\n</INDIVIDUALS></CONSOLIDATED_LIST>";
        let err = parse_text(xml).expect_err("mismatched tag");
        assert!(
            matches!(err.location, Location::Xml { line: 3, .. }),
            "{err}"
        );
        assert!(err.message.starts_with("malformed XML"), "{err}");
        assert_eq!(err.field, "INDIVIDUAL");
    }

    #[test]
    fn truncated_wrong_root_and_empty_files_are_errors() {
        let truncated = "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>";
        let err = parse_text(truncated).expect_err("truncated");
        assert!(err.message.contains("file ends inside"), "{err}");
        let err = parse_text("<export/>").expect_err("wrong root");
        assert!(
            err.message.contains("expected <CONSOLIDATED_LIST>"),
            "{err}"
        );
        let err = parse_text("").expect_err("empty");
        assert!(
            err.message.contains("no <CONSOLIDATED_LIST> element"),
            "{err}"
        );
        let err = parse_text("<CONSOLIDATED_LIST>&bogus;</CONSOLIDATED_LIST>").err();
        assert!(err.is_none(), "text outside records is ignored");
        let bad_ref = "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>1</DATAID><FIRST_NAME>A &bogus;</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
        let err = parse_text(bad_ref).expect_err("unknown entity");
        assert!(err.message.contains("unknown entity &bogus;"), "{err}");
    }

    #[test]
    fn document_labels_choose_the_property() {
        assert_eq!(id_property("Passport", true), Property::PassportNumber);
        assert_eq!(
            id_property("Numéro de passeport", true),
            Property::PassportNumber
        );
        assert_eq!(
            id_property("National Identification Number", true),
            Property::IdNumber
        );
        assert_eq!(
            id_property("Italian Fiscal Code:", true),
            Property::TaxNumber
        );
        assert_eq!(
            id_property("Tax Identification Number (INN)", false),
            Property::InnCode
        );
        assert_eq!(id_property("Ration card number", true), Property::IdNumber);
        assert_eq!(id_property("Other", false), Property::RegistrationNumber);
        assert_eq!(id_property("Winning ticket", true), Property::IdNumber);
    }

    #[test]
    fn registry_dispatch() {
        let list = Format::UnXml
            .parse(&[input(SAMPLE)], "un_sc")
            .expect("parses");
        assert_eq!(list.entities.len(), 4);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn mutated_sample_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let mut data = SAMPLE.as_bytes().to_vec();
            for (at, byte) in edits {
                let i = at.index(data.len());
                data[i] = byte;
            }
            let _ = parse(&[Input { name: "m.xml".into(), data }], "un_sc");
        }

        #[test]
        fn truncated_sample_never_panics(cut in 0usize..4000) {
            let data = SAMPLE.as_bytes()[..cut.min(SAMPLE.len())].to_vec();
            let _ = parse(&[Input { name: "t.xml".into(), data }], "un_sc");
        }
    }
}
