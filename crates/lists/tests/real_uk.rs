//! Real-data tests of the UK FCDO sanctions list parsers (CSV and the published ODS).
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::{Format, ParsedList};
use dualtrace_model::{Entity, Property, Schema};

const CSV: &str = "lists/uk/UK_Sanctions_List_2025-08-11.csv";
const ODS: &str = "lists/uk/FCDO_SL_2025-08-11.ods";

fn notes(e: &Entity) -> Vec<&str> {
    e.get(Property::Notes).iter().map(String::as_str).collect()
}

/// The figures of the 2025-08-11 list, whichever file it was read from.
fn assert_figures(list: &ParsedList) {
    assert_eq!(list.records, 5_302);
    assert_eq!(list.entities.len(), 5_302);
    let by_schema = common::by_schema(list);
    assert_eq!(by_schema.get("Person"), Some(&3_754));
    assert_eq!(by_schema.get("LegalEntity"), Some(&1_087));
    assert_eq!(by_schema.get("Vessel"), Some(&461));
    assert_eq!(by_schema.len(), 3);
    // Two individuals (BEL0174, RUS1467) have an empty name cell: kept, with a warning each.
    assert_eq!(list.warnings.len(), 2, "{:?}", list.warnings);
    assert_eq!(
        list.entity("uk-RUS1467")
            .expect("entity present")
            .get(Property::WeakAlias),
        ["RUS1467"]
    );
    let un_and_uk = list
        .entities
        .iter()
        .filter(|e| notes(e).contains(&"Designation source: UK|UN"))
        .count();
    assert_eq!(un_and_uk, 8);
    assert!(
        list.entities
            .iter()
            .all(|e| e.get(Property::CreatedAt).len() == 1)
    );
}

/// Spot checks of known records.
fn assert_spot_checks(list: &ParsedList) {
    let putin = list.entity("uk-RUS0251").expect("entity present");
    assert_eq!(putin.schema, Schema::Person);
    assert_eq!(putin.get(Property::Name), ["PUTIN Vladimir Vladimirovich"]);
    assert_eq!(putin.get(Property::Program), ["Russia"]);
    assert_eq!(putin.get(Property::CreatedAt), ["2022-02-25"]);
    assert!(notes(putin).contains(&"OFSI Group ID: 14196"));
    assert!(notes(putin).contains(&"Designation source: UK"));
    assert_eq!(putin.provenance.as_ref().unwrap().record_id, "RUS0251");

    let exchange = list.entity("uk-AFG0001").expect("entity present");
    assert_eq!(exchange.schema, Schema::LegalEntity);
    assert_eq!(
        exchange.get(Property::Name),
        ["HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"]
    );
    assert_eq!(exchange.get(Property::Program), ["Afghanistan"]);
    assert_eq!(exchange.get(Property::CreatedAt), ["2012-06-29"]);
    assert!(notes(exchange).contains(&"Designation source: UN"));
    assert!(notes(exchange).contains(&"Sanctions imposed: Asset freeze"));

    // A ship whose OFSI Group ID cell holds only white space (ships have none).
    let ship = list.entity("uk-DPR0075").expect("entity present");
    assert_eq!(ship.schema, Schema::Vessel);
    assert_eq!(ship.get(Property::Name), ["Petrel 8"]);
    assert_eq!(
        ship.get(Property::Program),
        ["Democratic People's Republic of Korea"]
    );
    assert_eq!(ship.get(Property::CreatedAt), ["2017-10-03"]);
    assert!(notes(ship).contains(&"Sanctions imposed: Prohibition of port entry"));
    assert!(!notes(ship).iter().any(|n| n.starts_with("OFSI Group ID")));
}

#[test]
fn csv_figures_and_records() {
    let Some(list) = common::parse_shared(Format::UkCsv, &[CSV]) else {
        return;
    };
    assert_figures(&list);
    assert_spot_checks(&list);
}

#[test]
fn ods_gives_the_same_designations_as_the_csv() {
    let Some(ods) = common::parse_shared(Format::UkOds, &[ODS]) else {
        return;
    };
    assert_figures(&ods);
    assert_spot_checks(&ods);
    let Some(csv) = common::parse_shared(Format::UkCsv, &[CSV]) else {
        return;
    };
    let ids = |l: &ParsedList| l.entities.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&ods), ids(&csv));
    // The published spreadsheet of 2025-08-11 has the same eight columns as the CSV, so every
    // entity is the same, value for value.
    for (o, c) in ods.entities.iter().zip(&csv.entities) {
        assert_eq!(o.canonical_json(), c.canonical_json());
    }
}
