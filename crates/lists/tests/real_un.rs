//! The UN Security Council consolidated list of 2026-02-27, parsed in full.

mod common;

use dualtrace_lists::Format;
use dualtrace_model::{Entity, Property};

const FILE: &str = "lists/un/UN_consolidated_2026-02-27.xml";

fn by_ref<'a>(list: &'a dualtrace_lists::ParsedList, reference: &str) -> &'a Entity {
    list.entities
        .iter()
        .find(|e| {
            e.provenance
                .as_ref()
                .is_some_and(|p| p.record_id == reference)
        })
        .unwrap_or_else(|| panic!("{reference} not found"))
}

#[test]
fn real_un_list_counts() {
    let Some(list) = common::parse_shared(Format::UnXml, &[FILE]) else {
        return;
    };
    let schemata = common::by_schema(&list);
    assert_eq!(schemata.get("Person"), Some(&730));
    assert_eq!(schemata.get("LegalEntity"), Some(&273));
    assert_eq!(list.entities.len(), 1_003);
    assert_eq!(list.records, 1_003);
    for w in &list.warnings {
        eprintln!("{w}");
    }
}

#[test]
fn real_un_spot_checks() {
    let Some(list) = common::parse_shared(Format::UnXml, &[FILE]) else {
        return;
    };
    // Four-part Arabic name, original script, two birth years, place of birth.
    let uday = by_ref(&list, "IQi.003");
    assert_eq!(uday.id, "un-6908050");
    assert_eq!(uday.get(Property::Name), ["UDAY SADDAM HUSSEIN AL-TIKRITI"]);
    assert_eq!(uday.get(Property::FirstName), ["UDAY"]);
    assert_eq!(uday.get(Property::MiddleName), ["HUSSEIN", "AL-TIKRITI"]);
    assert_eq!(uday.get(Property::Alias), ["عدي صدام حسين التكريتي"]);
    assert_eq!(uday.get(Property::BirthDate), ["1964", "1967"]);
    assert_eq!(uday.get(Property::BirthPlace), ["Baghdad, Iraq"]);
    assert_eq!(uday.get(Property::Nationality), ["iq"]);
    assert_eq!(uday.get(Property::CreatedAt), ["2003-06-27"]);
    assert_eq!(uday.get(Property::Program), ["Iraq"]);

    // Passport, exact date of birth, strong aliases.
    let njabu = by_ref(&list, "CDi.021");
    assert_eq!(njabu.get(Property::Name), ["FLORIBERT NGABU NJABU"]);
    assert_eq!(njabu.get(Property::PassportNumber), ["OB 0243318"]);
    assert_eq!(njabu.get(Property::BirthDate), ["1971-05-23"]);
    assert_eq!(
        njabu.get(Property::Alias),
        [
            "Floribert Njabu Ngabu",
            "Floribert Ndjabu",
            "Floribert Ngabu Ndjabu"
        ]
    );
    assert_eq!(njabu.get(Property::Gender), ["male"]);
    assert_eq!(njabu.get(Property::Country), ["cd"]);

    // BETWEEN 1973 and 1974, low-quality aliases, the latest LAST_DAY_UPDATED.
    let ntaganda = by_ref(&list, "CDi.030");
    assert_eq!(ntaganda.get(Property::BirthDate), ["1973", "1974"]);
    assert!(
        ntaganda
            .get(Property::WeakAlias)
            .contains(&"Terminator".to_string())
    );
    assert!(
        ntaganda
            .get(Property::Alias)
            .contains(&"Bosco Ntaganda".to_string())
    );
    assert_eq!(ntaganda.get(Property::ModifiedAt), ["2023-03-01"]);

    // An entity: a.k.a. aliases, address and its country.
    let komid = by_ref(&list, "KPe.001");
    assert_eq!(komid.id, "un-690735");
    assert_eq!(komid.schema.to_string(), "LegalEntity");
    assert_eq!(
        komid.get(Property::Name),
        ["KOREA MINING DEVELOPMENT TRADING CORPORATION"]
    );
    assert_eq!(komid.get(Property::Alias).len(), 4);
    assert!(
        komid
            .get(Property::Alias)
            .contains(&"\"KOMID\"".to_string())
    );
    assert_eq!(
        komid.get(Property::Address),
        ["Central District, Pyongyang, Democratic People's Republic of Korea"]
    );
    assert_eq!(komid.get(Property::Country), ["kp"]);

    // An entity name with an escaped ampersand.
    assert!(
        list.entities
            .iter()
            .any(|e| e.get(Property::Name) == ["CHANG AN SHIPPING & TECHNOLOGY"])
    );

    // Every listing kept its name; the only unmappable country is a historical one.
    assert!(list.entities.iter().all(|e| e.validate().is_ok()));
    assert_eq!(list.warnings.len(), 1, "{:?}", list.warnings);
    assert!(list.warnings[0].contains("former Soviet Union"));
    let passports: usize = list
        .entities
        .iter()
        .map(|e| e.get(Property::PassportNumber).len())
        .sum();
    assert!(passports > 250, "{passports}");
}
