//! Countries and areas of trade statistics: names, Comtrade/BACI numeric codes and IMF codes to
//! ISO 3166-1 alpha-2, groups (`EU27`), areas not elsewhere specified (`ZZ`) and aggregates.
//!
//! Trade files mix countries with things that are not countries: world and regional totals
//! ("Africa", "Extra-EU27", IMF's "Emerging and Developing Asia"), reporting groups (the EU27),
//! and unallocated areas ("Areas nes", bunkers, confidential). A report that added a region to
//! its countries would double count, so every name is first checked against those categories and
//! only then mapped with `dualtrace_model::country_code` (which knows the trade spellings).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::schema::{AREAS_NES, EU27};

/// What a country name or code in a trade file stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    /// A country or territory: ISO alpha-2, upper case.
    Country(String),
    /// A reporting group with its code (`EU27`).
    Group(&'static str),
    /// Areas not elsewhere specified, bunkers, high seas, special or confidential categories.
    Nes,
    /// The world or a region: not a partner of its own (its rows would double count).
    Aggregate,
}

impl Area {
    /// The dataset code of the area, if it has one (aggregates have none).
    pub fn code(&self) -> Option<&str> {
        match self {
            Area::Country(c) => Some(c.as_str()),
            Area::Group(g) => Some(*g),
            Area::Nes => Some(AREAS_NES),
            Area::Aggregate => None,
        }
    }
}

/// The EU member states since 2020 (ISO alpha-2; Greece is GR, not Eurostat's EL).
pub const EU27_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// Names of the EU27 as a reporter.
const EU27_NAMES: &[&str] = &[
    "eu27",
    "eu27_2020",
    "eu-27",
    "eu 27",
    "eu27 (from 2020)",
    "european union - 27 countries (from 2020)",
    "european union (27 countries)",
    "union européenne - 27 pays",
    "union européenne - 27 pays (à partir de 2020)",
];

/// Word patterns of unallocated areas (checked on the lower-case name).
const NES_PATTERNS: &[&str] = &[
    "not specified",
    "n.e.s",
    "n.i.e",
    " nes",
    "not elsewhere",
    "stores and provisions",
    "high seas",
    "bunker",
    "special categories",
    "free zone",
    "confidential",
    "unspecified",
    "other countries",
    "non précisés",
    "non déterminés",
    "avitaillement",
    "haute mer",
];

/// Exact names of the world and of regions.
const AGGREGATE_NAMES: &[&str] = &[
    "world",
    "total",
    "all",
    "all countries",
    "africa",
    "europe",
    "asia",
    "oceania",
    "america",
    "americas",
    "north america",
    "south america",
    "latin america",
    "central america",
    "caribbean",
    "middle east",
    "near and middle east",
    "cis",
    "commonwealth of independent states",
    "eaeu",
    "eurasian economic union",
    "asean",
    "opec",
    "oecd",
    "brics",
    "mercosur",
    "eu",
    "eu28",
    "european union",
    "australia and oceania",
    "shanghai cooperation organisation",
    "monde",
    "afrique",
    "asie",
    "amérique",
    "océanie",
];

/// Substrings that only region and bloc names contain.
const AGGREGATE_PATTERNS: &[&str] = &[
    "extra-",
    "intra-",
    "euro area",
    "zone euro",
    "economies",
    "emdes",
    "emerging and developing",
    "sub-saharan",
    "european union (",
    "(lac)",
    "middle east and",
    "middle east, north africa",
];

/// One row of `data/trade_country_codes.csv`.
#[derive(Debug, Clone)]
struct NumericCode {
    kind: String,
    iso2: String,
}

static NUMERIC_EXCEPTIONS: LazyLock<HashMap<u32, NumericCode>> = LazyLock::new(|| {
    let text = include_str!("../data/trade_country_codes.csv");
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    reader
        .records()
        .flatten()
        .filter_map(|r| {
            let code = r.get(0)?.parse().ok()?;
            let kind = r.get(1)?.to_string();
            let iso2 = r.get(2)?.to_string();
            Some((code, NumericCode { kind, iso2 }))
        })
        .collect()
});

/// Maps names and codes to areas, caching every answer (files repeat the same few hundred).
#[derive(Debug, Default)]
pub struct AreaResolver {
    names: HashMap<String, Option<Area>>,
    numeric: HashMap<String, Option<Area>>,
}

impl AreaResolver {
    /// An empty resolver.
    pub fn new() -> AreaResolver {
        AreaResolver::default()
    }

    /// A country or area name (or an ISO alpha-2/alpha-3 code); `None` when unknown.
    pub fn by_name(&mut self, name: &str) -> Option<Area> {
        if let Some(hit) = self.names.get(name) {
            return hit.clone();
        }
        let area = area_from_name(name);
        self.names.insert(name.to_string(), area.clone());
        area
    }

    /// A Comtrade or BACI numeric code; `None` when unknown.
    pub fn by_numeric(&mut self, code: &str) -> Option<Area> {
        if let Some(hit) = self.numeric.get(code) {
            return hit.clone();
        }
        let area = area_from_numeric(code);
        self.numeric.insert(code.to_string(), area.clone());
        area
    }
}

/// Resolves a name without a cache (see [`AreaResolver::by_name`]).
pub fn area_from_name(name: &str) -> Option<Area> {
    let lower = name
        .trim()
        .trim_matches('"')
        .trim()
        .to_lowercase()
        .replace('’', "'");
    if lower.is_empty() {
        return None;
    }
    if EU27_NAMES.contains(&lower.as_str()) {
        return Some(Area::Group(EU27));
    }
    if NES_PATTERNS.iter().any(|p| lower.contains(p)) || lower == "nes" || lower == "zz" {
        return Some(Area::Nes);
    }
    if AGGREGATE_NAMES.contains(&lower.as_str())
        || AGGREGATE_PATTERNS.iter().any(|p| lower.contains(p))
    {
        return Some(Area::Aggregate);
    }
    country(&lower).map(Area::Country)
}

/// A country by its (lower-case) name: the model's table knows the trade spellings too.
fn country(lower: &str) -> Option<String> {
    dualtrace_model::country_code(lower)
        .ok()
        .map(|c| c.to_ascii_uppercase())
}

/// Resolves a numeric code without a cache (see [`AreaResolver::by_numeric`]).
pub fn area_from_numeric(code: &str) -> Option<Area> {
    let n: u32 = code.trim().parse().ok()?;
    if let Some(row) = NUMERIC_EXCEPTIONS.get(&n) {
        return match row.kind.as_str() {
            "country" => Some(Area::Country(row.iso2.clone())),
            "group" if row.iso2 == EU27 => Some(Area::Group(EU27)),
            "nes" => Some(Area::Nes),
            _ => Some(Area::Aggregate),
        };
    }
    if n > 999 {
        return None;
    }
    dualtrace_model::country_code(&format!("{n:03}"))
        .ok()
        .map(|c| Area::Country(c.to_ascii_uppercase()))
}

/// Resolves an IMF area code: ISO alpha-3 for countries, `G...` for groups of countries and
/// regions (aggregates), `TX...` for areas not specified and special categories.
pub fn area_from_imf_code(code: &str) -> Option<Area> {
    let code = code.trim();
    if code.starts_with("TX") {
        return Some(Area::Nes);
    }
    if code.starts_with('G') && code.bytes().skip(1).any(|b| b.is_ascii_digit()) {
        return Some(Area::Aggregate);
    }
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        return dualtrace_model::country_code(code)
            .ok()
            .map(|c| Area::Country(c.to_ascii_uppercase()));
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn code(name: &str) -> Option<String> {
        area_from_name(name).and_then(|a| a.code().map(str::to_string))
    }

    #[test]
    fn countries_from_trade_spellings() {
        assert_eq!(code("Kyrgyzstan").as_deref(), Some("KG"));
        assert_eq!(code("Russian Federation (Russia)").as_deref(), Some("RU"));
        assert_eq!(
            code("Belgium (incl. Luxembourg 'LU' -> 1998)").as_deref(),
            Some("BE")
        );
        assert_eq!(code("Türkiye").as_deref(), Some("TR"));
        assert_eq!(code("South Africa").as_deref(), Some("ZA"));
        assert_eq!(code("Central African Republic").as_deref(), Some("CF"));
    }

    #[test]
    fn regions_and_blocs_are_aggregates_not_countries() {
        for name in [
            "Africa",
            "Extra-EU27 (from 2020)",
            "Euro area - 20 countries",
            "World",
            "Emerging and Developing Asia",
            "European Union (EU)",
        ] {
            assert_eq!(area_from_name(name), Some(Area::Aggregate), "{name}");
        }
        assert_eq!(area_from_name("EU27"), Some(Area::Group(EU27)));
    }

    #[test]
    fn unallocated_areas_are_nes() {
        assert_eq!(area_from_name("Asia not specified"), Some(Area::Nes));
        assert_eq!(area_from_name("High seas"), Some(Area::Nes));
        assert_eq!(area_from_name("Areas, nes"), Some(Area::Nes));
    }

    #[test]
    fn comtrade_numeric_codes() {
        assert_eq!(area_from_numeric("490"), Some(Area::Country("TW".into())));
        assert_eq!(area_from_numeric("842"), Some(Area::Country("US".into())));
        assert_eq!(area_from_numeric("643"), Some(Area::Country("RU".into())));
        assert_eq!(area_from_numeric("4"), Some(Area::Country("AF".into())));
        assert_eq!(area_from_numeric("0"), Some(Area::Aggregate));
        assert_eq!(area_from_numeric("899"), Some(Area::Nes));
        assert_eq!(area_from_numeric("abc"), None);
    }

    #[test]
    fn imf_codes() {
        assert_eq!(area_from_imf_code("CHN"), Some(Area::Country("CN".into())));
        assert_eq!(area_from_imf_code("G001"), Some(Area::Aggregate));
        assert_eq!(area_from_imf_code("GX170"), Some(Area::Aggregate));
        assert_eq!(area_from_imf_code("TX899"), Some(Area::Nes));
    }
}
