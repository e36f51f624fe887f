//! Real-data test of the FtM JSON parser on the two multilingual samples of the shared data.
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::{Format, ParsedList};
use dualtrace_model::{Property, Schema};

fn sample(file: &str) -> Option<ParsedList> {
    common::parse_shared(Format::FtmJson, &[&format!("lists/ftm_samples/{file}")])
}

fn skipped(n: usize, schema: &str) -> String {
    format!(
        "{n} {schema} entities skipped: dualtrace does not model this schema, or the entity they \
         qualify is not in the input"
    )
}

#[test]
fn t1_sample() {
    let Some(list) = sample("t1_entities.ftm.json") else {
        return;
    };
    assert_eq!(list.records, 7);
    assert_eq!(list.entities.len(), 6);
    let by_schema = common::by_schema(&list);
    assert_eq!(by_schema.get("Organization"), Some(&2));
    assert_eq!(by_schema.get("Person"), Some(&4));
    // The one Address entity is referenced by nobody in the sample.
    assert_eq!(list.warnings, [skipped(1, "Address")]);

    let org = list
        .entity("NK-2GdmHtZTeNXjNVrBGEXZNj")
        .expect("entity present");
    assert_eq!(org.schema, Schema::Organization);
    let names = org.get(Property::Name);
    assert_eq!(names.len(), 12);
    for n in [
        "LLC “Inter Tobacco”",
        "Εταιρία περιορισμένης ευθύνης “Inter Tobacco”",
        "Общество с ограниченной ответственностью “Интер Тобако”",
        "Таварыства з абмежаванай адказнасцю “Інтэр Табак”",
        "„Inter Tobacco“, společnost s ručením omezeným",
    ] {
        assert!(names.iter().any(|x| x == n), "{n}");
    }
    assert_eq!(org.get(Property::RegistrationNumber), ["808000714"]);
    assert_eq!(org.get(Property::Country), ["by"]);
    assert_eq!(org.datasets, ["eu_fsf", "ftm"]);

    let p = list
        .entity("NK-2Ka3UvopqbpZmVDFjWd4LA")
        .expect("entity present");
    assert_eq!(p.schema, Schema::Person);
    assert!(
        p.get(Property::Name)
            .iter()
            .any(|n| n == "Виталий Юрьевич КУЗЬМЕНКО")
    );
}

#[test]
fn zala_sample() {
    let Some(list) = sample("zala_entities.ftm.json") else {
        return;
    };
    assert_eq!(list.records, 91);
    assert_eq!(list.entities.len(), 17);
    let by_schema = common::by_schema(&list);
    assert_eq!(by_schema.get("Company"), Some(&11));
    assert_eq!(by_schema.get("Person"), Some(&6));
    // 41 Sanctions, 11 Addresses and 1 Passport are folded into their subjects.
    assert_eq!(
        list.warnings,
        [
            skipped(3, "Directorship"),
            skipped(4, "Family"),
            skipped(14, "Ownership")
        ]
    );

    let zala = list
        .entity("NK-cPks3aTbes8k4aCerfBAzN")
        .expect("entity present");
    assert_eq!(zala.schema, Schema::Company);
    let names = zala.get(Property::Name);
    assert!(names.iter().any(|n| n == "ZALA AERO JSC"));
    assert!(
        names
            .iter()
            .any(|n| n == "Акціонерне товариство \"Зала Аеро\"")
    );
    assert!(
        names
            .iter()
            .any(|n| n == "Акционерное общество \"Зала Аэро\"")
    );
    assert!(!zala.get(Property::InnCode).is_empty());
    assert!(!zala.get(Property::OgrnCode).is_empty());
    assert!(!zala.get(Property::Address).is_empty());

    let kalashnikov = list
        .entity("NK-nR5AXM9AVPq4pQaSPSaVam")
        .expect("entity present");
    assert!(
        kalashnikov
            .get(Property::Name)
            .iter()
            .any(|n| n == "Όμιλος JSC Kalashnikov")
    );
    assert!(!kalashnikov.get(Property::Notes).is_empty());

    let unmanned = list
        .entity("NK-cWSvGMvufNH5KwEV88FwTA")
        .expect("entity present");
    assert!(
        unmanned
            .get(Property::Name)
            .iter()
            .any(|n| n == "Pilóta Nélküli Rendszerek Kft.")
    );

    // The Passport entity is folded into its holder.
    let lavrentii = list
        .entity("NK-hUAjuiA3vTKXF6v2X6MYnS")
        .expect("entity present");
    assert_eq!(lavrentii.get(Property::PassportNumber), ["089132114"]);
    assert!(
        lavrentii
            .get(Property::Name)
            .iter()
            .any(|n| n == "Лаврентий Александрович Захаров")
    );

    // Sanctions are folded: programme, listing date, source.
    let cst = list
        .entity("NK-abdzbEBkqyT29GyREbiURZ")
        .expect("entity present");
    assert!(cst.get(Property::Program).iter().any(|p| p == "EU-UKR"));
    assert!(
        cst.get(Property::CreatedAt)
            .iter()
            .any(|d| d == "2023-12-18")
    );
    assert!(
        cst.get(Property::Notes)
            .iter()
            .any(|n| n.starts_with("Sanction (Federal Public Service Finance)"))
    );
}
