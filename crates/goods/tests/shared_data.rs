//! Checks of the shipped lists and the run-time loaders against the shared real data
//! (`goods/` of `DUALTRACE_SHARED_DATA`).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use dualtrace_goods::{
    Classifier, Concordance, ControlLists, Coverage, HsVersion, Nomenclature, Relationship,
    ShipmentLine, Tier,
};

/// The HS 2017 code our mapping gives instead of the UNSD tables' odd answer.
const OVERRIDE_HS2017: &str = "854150";

fn nomenclature(version: HsVersion) -> Option<Nomenclature> {
    let rel = match version {
        HsVersion::Hs2017 => "goods/hs2017.csv",
        HsVersion::Hs2022 => "goods/hs2022.csv",
    };
    Some(Nomenclature::from_path(&common::shared_file(rel)?, version).unwrap())
}

fn concordance() -> Option<Concordance> {
    let corr = common::shared_file("goods/hs2022_to_hs2017_correlations.csv")?;
    let conv = common::shared_file("goods/hs2022_to_hs2017_conversions.csv")?;
    Some(Concordance::from_paths(&corr, Some(&conv)).unwrap())
}

#[test]
fn shipped_chpl_equals_shared_chpl_code_for_code_and_tier_for_tier() {
    let Some(rows) = common::shared_rows("goods/chpl.csv") else {
        return;
    };
    let shared: BTreeMap<String, String> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(shared.len(), 50);
    let chpl = &ControlLists::builtin().chpl;
    let ours: BTreeMap<String, String> = chpl
        .codes_at(chpl.current_version())
        .iter()
        .map(|i| (i.hs6.clone(), i.tier.as_str().to_string()))
        .collect();
    assert_eq!(ours, shared);
}

#[test]
fn nomenclatures_load_with_expected_sizes() {
    let (Some(h22), Some(h17)) = (
        nomenclature(HsVersion::Hs2022),
        nomenclature(HsVersion::Hs2017),
    ) else {
        return;
    };
    // 6,940 / 6,710 data rows, less the grand-total row (and hs2017.csv's empty last row).
    assert_eq!((h22.len(), h17.len()), (6939, 6708));
    assert_eq!([2, 4, 6].map(|l| h22.count_level(l)), [97, 1229, 5613]);
    assert_eq!([2, 4, 6].map(|l| h17.count_level(l)), [97, 1223, 5388]);
    assert!(
        h22.description("854231")
            .unwrap()
            .contains("processors and controllers")
    );
    let chpl = &ControlLists::builtin().chpl;
    for item in chpl.items() {
        assert!(h22.contains(&item.hs6), "{} not in HS 2022", item.hs6);
    }
    let map = &ControlLists::builtin().hs2017;
    let only_2022: BTreeSet<&str> = chpl
        .items()
        .iter()
        .map(|i| i.hs6.as_str())
        .filter(|c| !h17.contains(c))
        .collect();
    let expected = ["852589", "854149", "854151", "854159", "854800", "880730"];
    assert_eq!(only_2022, BTreeSet::from(expected));
    for code in expected {
        assert!(map.is_hs2022_only(code), "{code}");
    }
    for link in map.links() {
        assert!(h17.contains(&link.hs2017), "{} not in HS 2017", link.hs2017);
    }
}

#[test]
fn concordance_tables_load_and_show_the_odd_group() {
    let Some(c) = concordance() else { return };
    assert_eq!(c.len(), 15657);
    // The UNSD tables send 854151/854159 to mobile phones (851712) and put them in a 157-code
    // n:n group that lacks their real HS 2017 source 854150: our mapping corrects this.
    for code in ["854151", "854159"] {
        assert_eq!(c.conversion(code), Some("851712"));
        assert_eq!(c.group_size(code), 157);
        let group = c.for_hs2022(code);
        assert!(
            group
                .iter()
                .all(|p| p.relationship == Relationship::ManyToMany)
        );
        assert!(group.iter().all(|p| p.hs2017 != OVERRIDE_HS2017));
        assert!(
            group.iter().any(|p| p.hs2017 == "842211"),
            "dishwashers in the group"
        );
    }
}

#[test]
fn shipped_hs2017_mapping_agrees_with_the_un_tables() {
    let Some(c) = concordance() else { return };
    let lists = ControlLists::builtin();
    for link in lists.hs2017.links() {
        if link.hs2017 == OVERRIDE_HS2017 {
            continue;
        }
        assert_eq!(
            c.conversion(&link.hs2022),
            Some(link.hs2017.as_str()),
            "{link:?}"
        );
        let pair = c
            .for_hs2022(&link.hs2022)
            .into_iter()
            .find(|p| p.hs2017 == link.hs2017)
            .unwrap_or_else(|| panic!("no UNSD pair for {link:?}"));
        // Partial: the HS 2017 code also converts to non-CHPL codes (other than e-waste 8549,
        // which the UNSD sends to a representative code), or sits in an n:n group.
        let others: Vec<&str> = c
            .converted_from(&link.hs2017)
            .into_iter()
            .filter(|h| lists.chpl.get(h).is_none() && !h.starts_with("8549"))
            .collect();
        let partial = !others.is_empty() || pair.relationship == Relationship::ManyToMany;
        let expected = if partial {
            Coverage::Partial
        } else {
            Coverage::Full
        };
        assert_eq!(link.coverage, expected, "{link:?} (others: {others:?})");
    }
}

#[test]
fn shipped_hs2017_mapping_agrees_with_chpl_extended() {
    let Some(rows) = common::shared_rows("goods/chpl_extended.csv") else {
        return;
    };
    let map = &ControlLists::builtin().hs2017;
    let (code, h17) = (
        0,
        rows[0]
            .iter()
            .position(|h| h == "hs2017_equivalent")
            .unwrap(),
    );
    for r in &rows[1..] {
        let ours: Vec<&str> = map
            .links()
            .iter()
            .filter(|l| l.hs2022 == r[code])
            .map(|l| l.hs2017.as_str())
            .collect();
        assert_eq!(ours, [r[h17].as_str()], "{}", r[code]);
    }
}

#[test]
fn six_new_codes_from_hs2017_trade_data() {
    let Some(h17) = nomenclature(HsVersion::Hs2017) else {
        return;
    };
    let cl = Classifier::new().with_nomenclature(h17);
    let cases = [
        ("8525.80", "852589", Tier::T3A, true),
        ("8541.40", "854149", Tier::T3A, true),
        ("8541.50", "854151", Tier::T3A, false),
        ("8541.50", "854159", Tier::T3A, false),
        ("8803.30", "880730", Tier::T3B, false),
        ("8548.90", "854800", Tier::T2, false),
    ];
    for (h17, chpl, tier, partial) in cases {
        let l = cl.lookup(h17, HsVersion::Hs2017).unwrap();
        assert!(l.chpl.iter().any(|m| m.item.hs6 == chpl), "{h17} -> {chpl}");
        assert_eq!((l.chpl_tier, l.partial), (Some(tier), partial), "{h17}");
        assert!(l.description.is_some(), "{h17}");
    }
    let line = ShipmentLine {
        hs_code: "8541.51",
        description: "MEMS pressure sensor",
        hs_version: Some("HS2017"),
    };
    let c = cl.classify(&line);
    assert!(c.error.unwrap().contains("exists only from HS 2022"));
    let unknown = cl.lookup("8806.10", HsVersion::Hs2017).unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "HS code 880610 is not in the HS 2017 nomenclature"
    );
}

#[test]
fn lookup_with_the_hs2022_nomenclature() {
    let Some(h22) = nomenclature(HsVersion::Hs2022) else {
        return;
    };
    let cl = Classifier::new().with_nomenclature(h22);
    let l = cl.lookup("8542.31.0015", HsVersion::Hs2022).unwrap();
    assert_eq!(
        (l.hs6.as_deref(), l.chpl_tier),
        (Some("854231"), Some(Tier::T1))
    );
    assert!(
        l.description
            .unwrap()
            .starts_with("Electronic integrated circuits")
    );
    let n = cl.lookup("3912 20", HsVersion::Hs2022).unwrap();
    assert_eq!(n.watch.unwrap().id, "W-NITROCELLULOSE");
    assert!(n.description.unwrap().contains("nitrates"));
    for item in ControlLists::builtin().watch.items() {
        assert!(!item.hs2022.is_empty(), "{}", item.id);
    }
}
