//! The US Consolidated Screening List parser on the real trade.gov files of May 2022
//! (`lists/us_csl/` in the shared data).
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::{Format, ParsedList};
use dualtrace_model::{Property, Schema};
use std::collections::BTreeMap;

const CONSOLIDATED: &str = "lists/us_csl/consolidated_2022-05.csv.gz";
const ENTITY_LIST: &str = "lists/us_csl/entity_list_2022-05.csv";
const MEU: &str = "lists/us_csl/meu_2022-05.csv";

const EL: &str = "Entity List (EL) - Bureau of Industry and Security";
const SDN: &str = "Specially Designated Nationals (SDN) - Treasury Department";
const SSI: &str = "Sectoral Sanctions Identifications List (SSI) - Treasury Department";

/// Entities per `sourceList` value (an entity on several sub-lists counts in each).
fn by_source_list(list: &ParsedList) -> BTreeMap<&str, usize> {
    let mut out = BTreeMap::new();
    for e in &list.entities {
        for s in e.get(Property::SourceList) {
            *out.entry(s.as_str()).or_insert(0) += 1;
        }
    }
    out
}

#[test]
fn consolidated_counts() {
    let Some(list) = common::parse_shared(Format::UsCslCsv, &[CONSOLIDATED]) else {
        return;
    };
    assert_eq!(list.records, 14_160);
    // 71 OFAC entity numbers appear on 183 rows (SDN + SSI + CAP ...): one entity each.
    assert_eq!(list.entities.len(), 14_048);
    let expected: BTreeMap<String, usize> = [
        ("Aircraft", 283),
        ("LegalEntity", 8_048),
        ("Person", 5_284),
        ("Vessel", 433),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(common::by_schema(&list), expected);
    let expected: BTreeMap<&str, usize> = [
        ("Capta List (CAP) - Treasury Department", 52),
        ("Denied Persons List (DPL) - Bureau of Industry and Security", 462),
        (EL, 2_001),
        ("Foreign Sanctions Evaders (FSE) - Treasury Department", 3),
        ("ITAR Debarred (DTC) - State Department", 727),
        ("Military End User (MEU) List - Bureau of Industry and Security", 71),
        ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", 68),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", 17),
        ("Nonproliferation Sanctions (ISN) - State Department", 163),
        ("Palestinian Legislative Council List (PLC) - Treasury Department", 78),
        (SSI, 290),
        (SDN, 10_026),
        ("Unverified List (UVL) - Bureau of Industry and Security", 201),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_source_list(&list), expected);
    // Every entity has a sub-list code and topics; no unknown sub-list was warned about.
    assert!(
        list.entities
            .iter()
            .all(|e| !e.get(Property::Topics).is_empty())
    );
    assert!(!list.warnings.iter().any(|w| w.contains("unknown sub-list")));
}

#[test]
fn consolidated_warnings_name_line_and_field() {
    let Some(list) = common::parse_shared(Format::UsCslCsv, &[CONSOLIDATED]) else {
        return;
    };
    let tails: Vec<&str> = list
        .warnings
        .iter()
        .map(|w| w.split("consolidated_2022-05.csv.gz: ").nth(1).unwrap_or(w))
        .collect();
    assert_eq!(
        tails,
        [
            "line 1753: field start_date: createdAt: not a valid date: \"0097-06-30\" (year out of range 1000-2100); value dropped",
            "line 1754: field start_date: createdAt: not a valid date: \"0097-06-30\" (year out of range 1000-2100); value dropped",
            "line 4372: field ids: incorporationDate: not a valid date: \"01 Jan 2015 to 31 Dec 2015\" (unrecognised word); value dropped",
            "line 9906: field start_date: createdAt: not a valid date: \"0017-05-26\" (year out of range 1000-2100); value dropped",
            "line 12091: field addresses: country: unknown country \"NM\"; value dropped",
        ]
    );
}

#[test]
fn chinese_entity_list_companies() {
    let Some(list) = common::parse_shared(Format::UsCslCsv, &[CONSOLIDATED]) else {
        return;
    };
    let hik = list
        .entity("us-csl-f095626c9f8becc70b5948507fb6de6e443b257a")
        .expect("entity present");
    assert_eq!(hik.schema, Schema::LegalEntity);
    assert_eq!(
        hik.get(Property::Name),
        ["Hangzhou Hikvision Digital Technology Co., Ltd."]
    );
    assert_eq!(hik.get(Property::Alias), ["Hikvision"]);
    assert_eq!(
        hik.get(Property::Address),
        [
            "No. 555 Qianmo Road, Binjiang District, Hangzhou, 310052, CN",
            "23rd Floor, Block A, Yingke Plaza, No. 217 Gaoxin Street, Gaoxin District, Urumqi, CN",
            "700 Dongliu Road, Binjiang District, Hanzhou, CN",
        ]
    );
    assert_eq!(hik.get(Property::Country), ["cn"]);
    assert_eq!(hik.get(Property::CreatedAt), ["2019-10-09"]);
    assert_eq!(hik.get(Property::Program), ["EL"]);
    assert_eq!(hik.get(Property::Topics), ["export.control"]);
    assert_eq!(hik.get(Property::SourceList), [EL]);
    assert!(
        hik.get(Property::Notes)
            .contains(&"Federal Register notice: 84 FR 54002; 85 FR 44159".to_string())
    );
    let huawei = list
        .entity("us-csl-d05d55fa214aff19c1eb3270d54905e4e362d445")
        .expect("entity present");
    assert_eq!(
        huawei.get(Property::Name),
        ["Huawei Technologies Co., Ltd. (Huawei)"]
    );
    assert_eq!(
        huawei.get(Property::Alias),
        ["Shenzhen Huawei Technologies", "Huawei Technology"]
    );
    assert_eq!(
        huawei.get(Property::Address),
        ["Bantian Huawei Base, Longgang District, Shenzhen, 518129, CN"]
    );
    assert!(
        huawei
            .get(Property::Notes)
            .contains(&"License policy: Presumption of denial".to_string())
    );
}

#[test]
fn sdn_persons_dates_of_birth_and_ids() {
    let Some(list) = common::parse_shared(Format::UsCslCsv, &[CONSOLIDATED]) else {
        return;
    };
    let p = list.entity("us-csl-9935").expect("entity present");
    assert_eq!(p.schema, Schema::Person);
    assert_eq!(p.get(Property::LastName), ["'ABD AL-RAZZIQ"]);
    assert_eq!(p.get(Property::BirthDate), ["1962-08-06"]);
    assert_eq!(
        p.get(Property::BirthPlace),
        ["Al-Bawgah, Sudan", "Albaouga, Sudan"]
    );
    assert_eq!(p.get(Property::Nationality), ["ca", "sd"]);
    assert_eq!(p.get(Property::PassportNumber), ["BC166787"]);
    assert_eq!(p.get(Property::Alias).len(), 14);
    assert_eq!(p.get(Property::Program), ["SDN", "SDGT"]);
    assert_eq!(p.get(Property::Topics), ["sanction"]);
    let several = list.entity("us-csl-26095").expect("entity present");
    assert_eq!(several.get(Property::BirthDate), ["1967", "1966", "1968"]);
    let range = list.entity("us-csl-19810").expect("entity present");
    assert_eq!(range.get(Property::BirthDate), ["1958", "1959", "1960"]);
    let gendered = list.entity("us-csl-24904").expect("entity present");
    assert_eq!(gendered.get(Property::Gender), ["male"]);
    assert_eq!(gendered.get(Property::BirthDate), ["1978-08-22"]);
}

#[test]
fn merged_ofac_sub_lists_vessels_and_aircraft() {
    let Some(list) = common::parse_shared(Format::UsCslCsv, &[CONSOLIDATED]) else {
        return;
    };
    let bank = list.entity("us-csl-18741").expect("entity present");
    assert_eq!(bank.get(Property::SourceList), [SDN, SSI]);
    assert_eq!(
        bank.get(Property::Program),
        ["SDN", "UKRAINE-EO13662", "RUSSIA-EO14024", "SSI"]
    );
    assert_eq!(bank.get(Property::OgrnCode), ["1027700256297"]);
    assert_eq!(
        bank.get(Property::LinkedTo),
        ["PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"]
    );
    assert_eq!(bank.get(Property::Website), ["www.aukcion-sbrf.ru"]);
    let vessel = list.entity("us-csl-31920").expect("entity present");
    assert_eq!(vessel.schema, Schema::Vessel);
    assert_eq!(vessel.get(Property::ImoNumber), ["IMO 8770261"]);
    assert_eq!(vessel.get(Property::CallSign), ["UDQB"]);
    assert_eq!(vessel.get(Property::Flag), ["ru"]);
    assert_eq!(vessel.get(Property::Type), ["Pipe-laying Vessel"]);
    assert_eq!(
        vessel.get(Property::Alias),
        ["AKADEMIK CHERSKY", "AKADEMIK CZERSKY"]
    );
    // Multi-word ISO names the model's table keys without spaces are still read.
    assert_eq!(
        list.entity("us-csl-18341")
            .expect("entity present")
            .get(Property::Flag),
        ["sl"]
    );
    let plane = list.entity("us-csl-15445").expect("entity present");
    assert_eq!(plane.schema, Schema::Aircraft);
    assert_eq!(plane.get(Property::SerialNumber), ["464"]);
    assert_eq!(plane.get(Property::Model), ["A300B4-605R"]);
    assert_eq!(plane.get(Property::OwnerName), ["MAHAN AIR"]);
    assert_eq!(plane.get(Property::BuildDate), ["1988-05-17"]);
    assert_eq!(plane.get(Property::LinkedTo), ["MAHAN AIR"]);
}

#[test]
fn entity_list_and_meu_extracts() {
    let Some(el) = common::parse_shared(Format::UsCslCsv, &[ENTITY_LIST]) else {
        return;
    };
    assert_eq!((el.records, el.entities.len()), (2_001, 2_001));
    assert_eq!(common::by_schema(&el).get("LegalEntity"), Some(&2_001));
    assert!(
        el.entities
            .iter()
            .all(|e| e.get(Property::SourceList) == [EL])
    );
    let Some(meu) = common::parse_shared(Format::UsCslCsv, &[MEU]) else {
        return;
    };
    assert_eq!((meu.records, meu.entities.len()), (71, 71));
    assert!(
        meu.entities
            .iter()
            .all(|e| e.get(Property::Program) == ["MEU"])
    );
    let Some(both) = common::parse_shared(Format::UsCslCsv, &[ENTITY_LIST, MEU]) else {
        return;
    };
    assert_eq!((both.records, both.entities.len()), (2_072, 2_072));
}
