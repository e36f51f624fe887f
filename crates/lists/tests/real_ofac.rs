//! The OFAC CSV parsers on real OFAC files (skipped when the shared data is absent).
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::{Format, Input, ParsedList};
use dualtrace_model::{Property, Schema};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const FULL_2021: [&str; 4] = [
    "lists/ofac/full_2021-07/sdn.csv",
    "lists/ofac/full_2021-07/add.csv",
    "lists/ofac/full_2021-07/alt.csv",
    "lists/ofac/full_2021-07/sdn_comments.csv",
];

const CONS_2025: [&str; 4] = [
    "lists/ofac/cons_2025-12/cons_prim.csv",
    "lists/ofac/cons_2025-12/cons_add.csv",
    "lists/ofac/cons_2025-12/cons_alt.csv",
    "lists/ofac/cons_2025-12/cons_comments.csv",
];

/// The SDN list of 2024-05-03, parsed once for the tests that use it.
fn sdn_2024_05_03() -> Option<&'static ParsedList> {
    static LIST: OnceLock<Option<ParsedList>> = OnceLock::new();
    LIST.get_or_init(|| {
        common::parse_shared(Format::OfacSdnCsv, &["lists/ofac/sdn_2024-05-03.csv"])
    })
    .as_ref()
}

fn schema_counts(list: &ParsedList) -> BTreeMap<String, usize> {
    common::by_schema(list)
}

fn ids(list: &ParsedList) -> BTreeSet<&str> {
    list.entities.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn sdn_2024_05_03_counts_and_records() {
    let Some(list) = sdn_2024_05_03() else {
        return;
    };
    assert_eq!(list.entities.len(), 14_965);
    assert_eq!(list.records, 14_965);
    let expected: BTreeMap<String, usize> = [
        ("LegalEntity", 6_884),
        ("Person", 6_854),
        ("Vessel", 851),
        ("Aircraft", 376),
    ]
    .into_iter()
    .map(|(s, n)| (s.to_string(), n))
    .collect();
    assert_eq!(schema_counts(list), expected);
    // Only a handful of values cannot be used (a demonym, "None Identified" as a flag).
    assert!(list.warnings.len() < 10, "{:#?}", list.warnings);

    let putin = list.entity("ofac-sdn-35096").expect("entity present");
    assert_eq!(putin.schema, Schema::Person);
    assert_eq!(putin.get(Property::Name), ["PUTIN, Vladimir Vladimirovich"]);
    assert_eq!(putin.get(Property::LastName), ["PUTIN"]);
    assert_eq!(putin.get(Property::FirstName), ["Vladimir Vladimirovich"]);
    assert_eq!(putin.get(Property::BirthDate), ["1952-10-07"]);
    assert_eq!(putin.get(Property::BirthPlace), ["Leningrad, Russia"]);
    assert_eq!(putin.get(Property::Nationality), ["ru"]);
    assert_eq!(putin.get(Property::Citizenship), ["ru"]);
    assert_eq!(putin.get(Property::Gender), ["male"]);
    assert_eq!(
        putin.get(Property::Position),
        ["President of the Russian Federation"]
    );
    assert_eq!(putin.get(Property::Program), ["RUSSIA-EO14024"]);

    let kovalchuk = list.entity("ofac-sdn-21164").expect("entity present");
    assert_eq!(kovalchuk.get(Property::BirthDate), ["1968-12-22"]);
    assert_eq!(kovalchuk.get(Property::PassportNumber), ["643267034"]);
    assert_eq!(kovalchuk.get(Property::InnCode), ["773600308808"]);
    assert_eq!(kovalchuk.get(Property::LinkedTo), ["AO ABR MANAGEMENT"]);
    assert_eq!(
        kovalchuk.get(Property::Program),
        ["UKRAINE-EO13661", "RUSSIA-EO14024"]
    );

    // DOB ranges give every year; "alt. DOB" values are all kept.
    let naqdi = list.entity("ofac-sdn-12057").expect("entity present");
    assert_eq!(
        naqdi.get(Property::BirthDate),
        ["1951", "1952", "1953", "1960", "1961", "1962", "1961-04"]
    );
    assert_eq!(
        naqdi.get(Property::BirthPlace),
        ["Najaf, Iraq", "Tehran, Iran"]
    );

    let artavil = list.entity("ofac-sdn-15036").expect("entity present");
    assert_eq!(artavil.schema, Schema::Vessel);
    assert_eq!(artavil.get(Property::ImoNumber), ["9187629"]);
    assert_eq!(artavil.get(Property::Mmsi), ["572469210"]);
    assert_eq!(artavil.get(Property::CallSign), ["T2EU4"]);
    assert_eq!(artavil.get(Property::Type), ["Crude/Oil Products Tanker"]);
    assert_eq!(artavil.get(Property::Flag), ["ir"]);
    assert_eq!(artavil.get(Property::GrossRegisteredTonnage), ["56,068"]);
    assert_eq!(artavil.get(Property::WeakAlias), ["ALPHA"]);
    assert_eq!(
        artavil.get(Property::LinkedTo),
        ["NATIONAL IRANIAN TANKER COMPANY"]
    );

    let raybeam = list.entity("ofac-sdn-22685").expect("entity present");
    assert_eq!(raybeam.schema, Schema::LegalEntity);
    assert_eq!(raybeam.get(Property::UscCode), ["9113100033607322XK"]);
    assert_eq!(
        raybeam.get(Property::RegistrationNumber),
        ["131082000061293"]
    );
    assert_eq!(raybeam.get(Property::Website), ["www.raybeam.cn"]);
    assert_eq!(raybeam.get(Property::LinkedTo), ["LIU, Baoxia"]);
    assert_eq!(raybeam.get(Property::Program), ["NPWMD", "IFSR"]);

    let aircraft = list.entity("ofac-sdn-15431").expect("entity present");
    assert_eq!(aircraft.schema, Schema::Aircraft);
    assert_eq!(aircraft.get(Property::Name), ["EP-GOM"]);
    assert_eq!(aircraft.get(Property::Model), ["IL76-TD"]);
    assert_eq!(aircraft.get(Property::SerialNumber), ["8401", "1023409321"]);
    assert_eq!(aircraft.get(Property::BuildDate), ["1992"]);
    assert_eq!(aircraft.get(Property::OwnerName), ["YAS AIR"]);

    // BANCO NACIONAL DE CUBA: its weak AKA lives in the remarks.
    let bnc = list.entity("ofac-sdn-306").expect("entity present");
    assert_eq!(bnc.get(Property::WeakAlias), ["BNC"]);
    assert_eq!(bnc.get(Property::Notes), ["a.k.a. 'BNC'."]);
}

#[test]
fn sdn_update_between_two_weeks() {
    let (Some(old), Some(new)) = (
        common::parse_shared(Format::OfacSdnCsv, &["lists/ofac/sdn_2024-04-26.csv"]),
        sdn_2024_05_03(),
    ) else {
        return;
    };
    assert_eq!(old.entities.len(), 14_668);
    let (old_ids, new_ids) = (ids(&old), ids(new));
    assert_eq!(new_ids.difference(&old_ids).count(), 305);
    assert_eq!(old_ids.difference(&new_ids).count(), 8);
}

#[test]
fn full_2021_set_attaches_addresses_aliases_and_comments() {
    let Some(list) = common::parse_shared(Format::OfacSdnCsv, &FULL_2021) else {
        return;
    };
    assert_eq!(list.entities.len(), 8_976);
    // sdn 8,976 + add 13,837 + alt 11,910 + 5 comment rows.
    assert_eq!(list.records, 8_976 + 13_837 + 11_910 + 5);
    assert!(
        !list.warnings.iter().any(|w| w.contains("main file")),
        "every side-file row has its entity"
    );

    let bnc = list.entity("ofac-sdn-306").expect("entity present");
    assert_eq!(bnc.get(Property::Name), ["BANCO NACIONAL DE CUBA"]);
    assert_eq!(bnc.get(Property::Alias), ["NATIONAL BANK OF CUBA"]);
    assert_eq!(bnc.get(Property::WeakAlias), ["BNC"]);
    assert_eq!(bnc.get(Property::Address).len(), 4);
    assert_eq!(
        bnc.get(Property::Address)[0],
        "Zweierstrasse 35, Zurich CH-8022, Switzerland"
    );
    assert_eq!(bnc.get(Property::Country), ["ch", "es", "jp", "pa"]);

    let aerocaribbean = list.entity("ofac-sdn-36").expect("entity present");
    assert_eq!(aerocaribbean.get(Property::Alias), ["AERO-CARIBBEAN"]);
    assert_eq!(aerocaribbean.get(Property::Address), ["Havana, Cuba"]);
    assert_eq!(aerocaribbean.get(Property::Country), ["cu"]);

    // The overflow of ent 12300 continues a name cut mid-word ("PROMO RAI" + "Z S.A.S.").
    let cut = list.entity("ofac-sdn-12300").expect("entity present");
    assert!(
        cut.get(Property::LinkedTo)
            .iter()
            .any(|n| n == "PROMO RAIZ S.A.S."),
        "{:?}",
        cut.get(Property::LinkedTo)
    );
    assert!(
        cut.get(Property::LinkedTo)
            .iter()
            .any(|n| n == "R D I S.A.")
    );
}

#[test]
fn cons_2025_set() {
    let Some(list) = common::parse_shared(Format::OfacConsCsv, &CONS_2025) else {
        return;
    };
    assert_eq!(list.entities.len(), 442);
    assert!(list.entities.iter().all(|e| e.id.starts_with("ofac-cons-")));
    assert_eq!(
        list.entities
            .iter()
            .filter(|e| e.schema == Schema::Person)
            .count(),
        79
    );

    // Gazprombank: identifiers from the remarks and from their overflow in cons_comments.csv.
    let gpb = list.entity("ofac-cons-17016").expect("entity present");
    assert_eq!(gpb.get(Property::Name), ["GAZPROMBANK JOINT STOCK COMPANY"]);
    assert_eq!(gpb.get(Property::SwiftBic), ["GAZPRUMM"]);
    assert_eq!(gpb.get(Property::InnCode), ["7744001497"]);
    assert_eq!(gpb.get(Property::OgrnCode), ["1027700167110"]);
    assert_eq!(gpb.get(Property::LeiCode), ["253400WSS48YWMBUA688"]);
    assert!(
        gpb.get(Property::PreviousName)
            .contains(&"GAZPROMBANK OPEN JOINT STOCK COMPANY".to_string())
    );
    assert!(
        gpb.get(Property::Alias)
            .contains(&"BANK GPB JSC".to_string())
    );
    assert_eq!(
        gpb.get(Property::Address)[0],
        "16 Nametkina Street, Bldg. 1, Moscow 117420, Russia"
    );
    assert!(gpb.get(Property::Country).contains(&"ru".to_string()));

    let zahhar = list.entity("ofac-cons-9647").expect("entity present");
    assert_eq!(zahhar.get(Property::BirthDate), ["1945"]);
    assert_eq!(zahhar.get(Property::Nationality), ["ps"]);
    assert_eq!(
        zahhar.get(Property::WeakAlias),
        ["ZAHAR, Mahmoud", "AL-ZAHAR, Mahmoud"]
    );
    assert_eq!(zahhar.get(Property::LinkedTo), ["HAMAS"]);
    assert_eq!(zahhar.get(Property::Program), ["SDGT", "NS-PLC"]);

    let telecom = list.entity("ofac-cons-30882").expect("entity present");
    assert_eq!(telecom.get(Property::UscCode), ["9111000071093019X7"]);
}

#[test]
fn partial_set_without_main_file_is_an_error() {
    let mut inputs = Vec::new();
    for rel in [
        "lists/ofac/partial_2025-02/add.csv",
        "lists/ofac/partial_2025-02/alt.csv",
        "lists/ofac/partial_2025-02/sdn_comments.csv",
    ] {
        let Some(path) = common::shared_file(rel) else {
            return;
        };
        inputs.push(Input::read(&path).unwrap());
    }
    let err = Format::OfacSdnCsv.parse(&inputs, "ofac_sdn").err().unwrap();
    assert_eq!(err.field, "file");
    assert!(err.message.contains("no main file (sdn.csv)"), "{err}");
}
