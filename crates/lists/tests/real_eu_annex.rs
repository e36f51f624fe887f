//! Real-data test of the EU regulation-annex CSV parser on the 45 annex files of the shared data.
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::{Format, ParsedList};
use dualtrace_model::{Entity, Property, Schema};
use std::sync::OnceLock;

/// Entities with at least one Cyrillic alias.
const CYRILLIC: usize = 4074;
/// Entities with an INN.
const INN: usize = 100;
/// Entities (vessels) with an IMO number.
const IMO: usize = 751;
/// Unmappable countries, unreadable dates and the Asset summary line.
const WARNINGS: usize = 42;
const DIR: &str = "lists/eu_annexes";

/// All 45 CSV files, in name order, parsed once for all tests.
fn parse_all() -> Option<&'static ParsedList> {
    static LIST: OnceLock<Option<ParsedList>> = OnceLock::new();
    LIST.get_or_init(parse_files).as_ref()
}

fn parse_files() -> Option<ParsedList> {
    let base = common::shared_file(DIR)?;
    let mut names: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 45);
    let rels: Vec<String> = names.iter().map(|n| format!("{DIR}/{n}")).collect();
    let rels: Vec<&str> = rels.iter().map(String::as_str).collect();
    common::parse_shared(Format::EuAnnexCsv, &rels)
}

fn has_cyrillic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c))
}

#[test]
fn all_annexes() {
    let Some(list) = parse_all() else {
        return;
    };
    assert_eq!(list.records, 8017);
    assert_eq!(list.entities.len(), 7935);
    let by_schema = common::by_schema(list);
    let expected = [
        ("Company", 200),
        ("LegalEntity", 2528),
        ("Organization", 27),
        ("Person", 4487),
        ("Vessel", 693),
    ];
    assert_eq!(
        by_schema,
        expected.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    );
    let count = |f: &dyn Fn(&Entity) -> bool| list.entities.iter().filter(|e| f(e)).count();
    assert_eq!(
        count(&|e| e.get(Property::Alias).iter().any(|a| has_cyrillic(a))),
        CYRILLIC
    );
    assert_eq!(count(&|e| !e.get(Property::InnCode).is_empty()), INN);
    assert_eq!(count(&|e| !e.get(Property::ImoNumber).is_empty()), IMO);
    assert_eq!(list.warnings.len(), WARNINGS);
}

#[test]
fn russian_company_with_inn_and_ogrn() {
    let Some(list) = parse_all() else {
        return;
    };
    let e = list
        .entity("eu-annex-32014r0269-i.entities-48")
        .expect("entity present");
    assert_eq!(e.schema, Schema::LegalEntity);
    assert_eq!(
        e.get(Property::Name),
        ["Joint-stock company ‘Lenpromtransproyekt’ (АО ‘Ленпромтранспроект’)"]
    );
    assert_eq!(e.get(Property::Alias), ["АО ‘Ленпромтранспроект’"]);
    assert_eq!(e.get(Property::InnCode), ["7825064262"]);
    assert_eq!(e.get(Property::OgrnCode), ["1027809210054"]);
    assert_eq!(e.get(Property::Country), ["ru"]);
    assert_eq!(e.get(Property::CreatedAt), ["2020-10-01"]);
    assert_eq!(e.get(Property::Program)[0], "EU-UKR");
}

#[test]
fn sberbank_is_one_entity_under_two_regulations_and_three_annexes() {
    let Some(list) = parse_all() else {
        return;
    };
    let e = list
        .entity("eu-annex-32014r0269-i.entities-108")
        .expect("entity present");
    assert_eq!(e.get(Property::Alias), ["Сбербанк"]);
    assert_eq!(e.get(Property::IncorporationDate), ["1991-03-22"]);
    assert_eq!(e.get(Property::RegistrationNumber), ["1027700132195"]);
    assert_eq!(
        e.get(Property::Program),
        [
            "EU-UKR",
            "EU-UKR 32014R0269 Annex I.ENTITIES: Asset freeze",
            "EU-RUS",
            "EU-RUS 32014R0833 Annex III: Financial restrictions",
            "EU-RUS 32014R0833 Annex XIV: Financial restrictions"
        ]
    );
    assert_eq!(
        list.entities
            .iter()
            .filter(|e| e
                .get(Property::Name)
                .iter()
                .any(|n| n.eq_ignore_ascii_case("Sberbank")))
            .count(),
        1
    );
}

#[test]
fn person_listed_twice_in_one_annex_is_one_entity() {
    let Some(list) = parse_all() else {
        return;
    };
    let e = list
        .entity("eu-annex-32014r0269-i.persons-776")
        .expect("entity present");
    assert_eq!(e.schema, Schema::Person);
    assert_eq!(e.get(Property::Name), ["Sergey Pavlovich IVANOV"]);
    assert_eq!(e.get(Property::Alias), ["Сергей Павлович ИВАНОВ"]);
    assert_eq!(e.get(Property::BirthDate), ["1952-04-19"]);
    assert_eq!(e.get(Property::Nationality), ["ru"]);
    assert_eq!(e.get(Property::Gender), ["male"]);
    assert_eq!(e.get(Property::CreatedAt), ["2022-03-09", "2022-12-16"]);
    assert!(
        !list
            .entities
            .iter()
            .any(|e| e.id == "eu-annex-32014r0269-i.persons-1318")
    );
}
