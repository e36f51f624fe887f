//! Real-data tests of the Japan METI export-ban list parser (text of the 2025-09-12 PDFs).
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::Format;
use dualtrace_model::{Entity, Property, Schema};

const RUSSIA: &str = "lists/jp_meti/meti_ru_250912_list_russia_tokutei.pdf.txt";
const THIRD: &str = "lists/jp_meti/meti_ru_250912_list_daisangoku_tokutei.pdf.txt";
const BELARUS: &str = "lists/jp_meti/meti_ru_list_belarus_tokutei.pdf.txt";

/// Kana or Han: an English name must hold none.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn has(e: &Entity, prop: Property, value: &str) -> bool {
    e.get(prop).iter().any(|v| v == value)
}

/// Entries are numbered 1..=N without gaps in each file (checked by reading the text: the last
/// numbers are 561, 56 and 27), so the counts are exact and no numbering warning is expected.
#[test]
fn entry_counts_per_file() {
    for (rel, slug, count) in [
        (RUSSIA, "russia", 561),
        (THIRD, "third", 56),
        (BELARUS, "belarus", 27),
    ] {
        let Some(list) = common::parse_shared(Format::JpMetiTxt, &[rel]) else {
            return;
        };
        assert_eq!(list.entities.len(), count, "{rel}");
        assert_eq!(list.records, count, "{rel}");
        assert!(list.warnings.is_empty(), "{rel}: {:?}", list.warnings);
        let last = format!("jp-meti-{slug}-{count}");
        assert_eq!(
            list.entities.last().map(|e| e.id.as_str()),
            Some(last.as_str())
        );
    }
}

#[test]
fn all_three_lists_in_one_import() {
    let Some(list) = common::parse_shared(Format::JpMetiTxt, &[RUSSIA, THIRD, BELARUS]) else {
        return;
    };
    assert_eq!(list.entities.len(), 644);
    assert_eq!(common::by_schema(&list).get("LegalEntity"), Some(&644));
    for e in &list.entities {
        // Every entry has an English name (no Japanese in it), an alias, an address and a country.
        let name = e.first(Property::Name).unwrap();
        assert!(!name.chars().any(is_japanese), "{}: {name}", e.id);
        assert!(!e.get(Property::Alias).is_empty(), "{}", e.id);
        assert!(!e.get(Property::Address).is_empty(), "{}", e.id);
        assert!(!e.get(Property::Country).is_empty(), "{}", e.id);
        assert!(has(e, Property::Topics, "export.control"));
    }
    let in_country = |prefix: &str, code: &str| {
        list.entities
            .iter()
            .filter(|e| e.id.starts_with(prefix) && e.get(Property::Country) == [code])
            .count()
    };
    assert_eq!(in_country("jp-meti-russia-", "ru"), 561);
    assert_eq!(in_country("jp-meti-belarus-", "by"), 27);
    assert_eq!(in_country("jp-meti-third-", "hk"), 16);
    assert_eq!(in_country("jp-meti-third-", "tr"), 10);
    assert_eq!(in_country("jp-meti-third-", "cn"), 8);
}

#[test]
fn spot_checks() {
    let Some(list) = common::parse_shared(Format::JpMetiTxt, &[RUSSIA, THIRD, BELARUS]) else {
        return;
    };
    let first = list.entity("jp-meti-russia-1").expect("entity present");
    assert_eq!(first.schema, Schema::LegalEntity);
    assert_eq!(first.get(Property::Name), ["Admiralty Shipyard JSC"]);
    assert_eq!(first.get(Property::Alias), ["株式会社アドミラルティ造船所"]);
    assert_eq!(
        first.get(Property::Address),
        ["203, Fontanka Emb., 190121, St. Peterburg, Russia"]
    );
    assert_eq!(first.get(Property::Program), ["METI export ban (Russia)"]);
    assert_eq!(first.provenance.as_ref().unwrap().record_id, "1");

    // Glued to the address of entry 9 ("... Moscow 127055RU.10 対外諜報庁").
    let svr = list.entity("jp-meti-russia-10").expect("entity present");
    assert_eq!(
        svr.get(Property::Name),
        ["Foreign Intelligence Service (SVR)"]
    );
    assert_eq!(svr.get(Property::Alias), ["対外諜報庁"]);

    // English glued to the Japanese name on one line.
    let progress = list.entity("jp-meti-russia-18").expect("entity present");
    assert_eq!(
        progress.get(Property::Name),
        ["JSC Rocket and Space Centre – Progress"]
    );
    assert_eq!(
        progress.get(Property::Alias),
        ["株式会社ロケット・宇宙センター「プログレス」"]
    );

    // A description, cut to the name.
    let mod_ru = list.entity("jp-meti-russia-23").expect("entity present");
    assert_eq!(
        mod_ru.get(Property::Name),
        ["Ministry of Defence of the Russian Federation"]
    );
    assert_eq!(mod_ru.get(Property::Alias), ["国防省"]);
    assert!(mod_ru.get(Property::Notes)[0].contains("including the Armed Forces of Russia"));

    // "所 在 地 ：" spaced out.
    let rybinsk = list.entity("jp-meti-russia-97").expect("entity present");
    assert_eq!(
        rybinsk.get(Property::Name),
        ["Rybinsk Shipyard Engineering"]
    );
    assert!(has(
        rybinsk,
        Property::Alias,
        "ZAO Rybinskaya verf - inzhenering"
    ));
    assert_eq!(rybinsk.get(Property::Address).len(), 1);

    // An alias bullet glued after a full-width semicolon.
    let niip = list.entity("jp-meti-russia-504").expect("entity present");
    assert!(has(niip, Property::Alias, "JSC NIIP"));
    assert!(has(niip, Property::Alias, "株式会社 NIIP"));

    // The newer "別称：" layout.
    let amg = list.entity("jp-meti-russia-560").expect("entity present");
    assert_eq!(amg.get(Property::Name), ["Alfa Machinery Group"]);
    assert_eq!(
        amg.get(Property::Alias),
        [
            "アルファ・マシナリー・グループ",
            "AMG社",
            "有限会社 AMG",
            "LLC Company AMG",
            "Kompaniya AMG"
        ]
    );

    let ijet = list.entity("jp-meti-third-2").expect("entity present");
    assert_eq!(ijet.get(Property::Name), ["I JET GLOBAL DMCC"]);
    assert_eq!(ijet.get(Property::Country), ["sy"]);
    assert_eq!(ijet.get(Property::Alias).len(), 11);
    assert_eq!(
        list.entity("jp-meti-third-3")
            .expect("entity present")
            .get(Property::Country),
        ["ae"]
    );

    let ausay = list.entity("jp-meti-third-9").expect("entity present");
    assert_eq!(
        ausay.get(Property::Name),
        ["Guangzhou Ausay Technology Co. Limited"]
    );
    assert!(has(ausay, Property::Alias, "广州欧赛科技有限公司"));
    assert!(has(
        ausay,
        Property::Alias,
        "グアンジョウ・オーサイ・テクノロジー有限会社"
    ));
    assert_eq!(ausay.get(Property::Country), ["cn"]);

    let qisu = list.entity("jp-meti-third-53").expect("entity present");
    assert_eq!(
        qisu.get(Property::Name),
        ["Hong Kong Qisu Electronic Technology Co Ltd"]
    );
    assert!(has(qisu, Property::Alias, "香港旗速電子有限公司"));
    assert!(has(qisu, Property::Alias, "香港旗速電子科技有限公司"));
    assert_eq!(qisu.get(Property::Country), ["cn", "hk"]);
    assert_eq!(
        qisu.get(Property::Program),
        ["METI export ban (third countries)"]
    );

    let integral = list.entity("jp-meti-belarus-2").expect("entity present");
    assert_eq!(integral.get(Property::Name), ["JSC Integral"]);
    assert!(has(integral, Property::Alias, "株式会社インテグラル"));
    assert!(has(integral, Property::Alias, "OAO Integral"));
    assert!(has(
        integral,
        Property::Alias,
        "Joint-Stock Company Integral-Holding Managing Company"
    ));
    assert_eq!(integral.get(Property::Address).len(), 3);
    assert_eq!(integral.get(Property::Country), ["by"]);
    assert_eq!(
        integral.get(Property::Program),
        ["METI export ban (Belarus)"]
    );

    // Glued to the address of entry 6 ("... Belarus７ 株式会社アガト電子機器工場").
    let agat = list.entity("jp-meti-belarus-7").expect("entity present");
    assert_eq!(
        agat.get(Property::Name),
        ["AGAT-Electromechanical Plant OJSC"]
    );
    assert_eq!(agat.get(Property::Alias)[0], "株式会社アガト電子機器工場");
}
