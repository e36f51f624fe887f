//! The BIS Denied Persons List parser on the real file of 2022 (`lists/bis_dpl/` in the shared
//! data).
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::Format;
use dualtrace_model::{Property, Schema};

const DPL: &str = "lists/bis_dpl/dpl_2022.txt";

#[test]
fn counts() {
    let Some(list) = common::parse_shared(Format::BisDpl, &[DPL]) else {
        return;
    };
    assert_eq!(list.records, 581);
    // 459 distinct names; "AL NASER AIRLINES" and "AL-NASER  AIRLINES" share a slug.
    assert_eq!(list.entities.len(), 458);
    let schemas = common::by_schema(&list);
    assert_eq!(schemas.get("Company"), Some(&70));
    assert_eq!(schemas.get("LegalEntity"), Some(&388));
    assert_eq!(schemas.len(), 2);
    assert!(
        list.entities
            .iter()
            .all(|e| e.get(Property::Program) == ["DPL"]
                && e.get(Property::Topics) == ["export.control"]
                && e.get(Property::SourceList) == ["Denied Persons List"])
    );
}

#[test]
fn bad_dates_are_warnings() {
    let Some(list) = common::parse_shared(Format::BisDpl, &[DPL]) else {
        return;
    };
    let tails: Vec<&str> = list
        .warnings
        .iter()
        .map(|w| w.split("dpl_2022.txt: ").nth(1).unwrap_or(w))
        .collect();
    assert_eq!(
        tails,
        [
            "line 35: field Last_Update: not a valid date: \"0222-05-18\" (year out of range 1000-2100); value dropped",
            "line 306: field Last_Update: not a valid date: \"2922-09-01\" (year out of range 1000-2100); value dropped",
            "line 343: field Last_Update: not a valid date: \"3017-08-22\" (year out of range 1000-2100); value dropped",
            "line 521: field Country: country: unknown country \"NM\"; value dropped",
        ]
    );
    // The row with 3017-08-22 is kept, its other values too.
    let zadeh = list
        .entity("bis-dpl-mansour-zadeh")
        .expect("entity present");
    assert_eq!(zadeh.get(Property::ModifiedAt), ["2017-08-22"]);
    assert_eq!(zadeh.get(Property::CreatedAt), ["2017-08-10"]);
    assert_eq!(zadeh.get(Property::Address).len(), 4);
    assert!(
        zadeh
            .get(Property::Notes)
            .contains(&"FR citation: 82 F.R. 39105 8/17/2017".to_string())
    );
}

#[test]
fn spot_checks() {
    let Some(list) = common::parse_shared(Format::BisDpl, &[DPL]) else {
        return;
    };
    let ash = list.entity("bis-dpl-i-ash").expect("entity present");
    assert_eq!(ash.schema, Schema::LegalEntity);
    assert_eq!(ash.get(Property::Name), ["I. ASH"]);
    assert_eq!(ash.get(Property::Address).len(), 3);
    assert_eq!(ash.get(Property::Country), ["us"]);
    assert_eq!(ash.get(Property::CreatedAt), ["2002-03-04"]);
    assert_eq!(ash.get(Property::ModifiedAt), ["2007-01-31"]);
    assert!(
        ash.get(Property::Notes)
            .contains(&"Expiration date: 2056-06-29".to_string())
    );
    let airline = list
        .entity("bis-dpl-al-naser-airlines")
        .expect("entity present");
    assert_eq!(airline.get(Property::Name), ["AL NASER AIRLINES"]);
    assert_eq!(airline.get(Property::Alias), ["AL-NASER AIRLINES"]);
    assert_eq!(airline.get(Property::Country), ["iq", "ae", "jo"]);
    let freight = list
        .entity("bis-dpl-air-freight-ltd")
        .expect("entity present");
    assert_eq!(freight.schema, Schema::Company);
    assert_eq!(freight.get(Property::Address).len(), 4);
    let elashi = list
        .entity("bis-dpl-ihsan-medhat-sammy-elashi")
        .expect("entity present");
    assert_eq!(elashi.get(Property::WeakAlias), ["SAMMY"]);
    assert_eq!(elashi.get(Property::Alias), ["IHSAN MEDHAT ELASHI"]);
    assert_eq!(
        list.entity("bis-dpl-pjsc-aeroflot")
            .expect("entity present")
            .schema,
        Schema::Company
    );
}
