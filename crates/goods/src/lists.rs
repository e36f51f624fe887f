//! The control lists shipped with the crate: the Common High Priority List (CHPL), the watch list
//! and the HS 2017 to CHPL mapping.
//!
//! The data files live in `data/` (written for dualtrace, with their sources and dates in comment
//! lines) and are embedded at compile time, so the lists work without any download:
//!
//! * `chpl.csv`: one HS-6 code (HS 2022) per row with its tier and the versions it was listed in
//!   (`listed_since`, `delisted`), so older versions of the list can be rebuilt;
//!   `chpl_versions.csv` gives each version's date and size; `chpl_tiers.csv` each tier's meaning.
//! * `watchlist.csv`: goods the allies named as supplied to Russia's war industry that are not on
//!   the CHPL (nitrocellulose, UAVs, other machine tools...), by HS prefix or heading range, with
//!   a reason and a source. CHPL codes are never reported as watch items.
//! * `hs2017_to_chpl.csv`: for data reported in HS 2017, which HS 2017 subheading carries which
//!   CHPL code, and whether wholly (`full`) or only in part (`partial`).

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use crate::code::{HsCode, HsVersion};
use crate::error::Error;
use crate::table::Table;

/// A tier of the CHPL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Tier 1: integrated circuits.
    T1,
    /// Tier 2: wireless, navigation, passive components.
    T2,
    /// Tier 3.A: other electronic components.
    T3A,
    /// Tier 3.B: mechanical and other non-electronic components.
    T3B,
    /// Tier 4.A: electronics manufacturing and test equipment.
    T4A,
    /// Tier 4.B: CNC machine tools.
    T4B,
}

impl Tier {
    /// All tiers, highest priority first.
    pub const ALL: [Tier; 6] = [
        Tier::T1,
        Tier::T2,
        Tier::T3A,
        Tier::T3B,
        Tier::T4A,
        Tier::T4B,
    ];

    /// The tier as the list writes it: `"1"`, `"2"`, `"3.A"`, `"3.B"`, `"4.A"`, `"4.B"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::T1 => "1",
            Tier::T2 => "2",
            Tier::T3A => "3.A",
            Tier::T3B => "3.B",
            Tier::T4A => "4.A",
            Tier::T4B => "4.B",
        }
    }

    /// Parses the list's spelling (also `3A`, `3a`).
    pub fn parse(s: &str) -> Option<Tier> {
        let s = s.trim().to_ascii_uppercase().replace('.', "");
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str().replace('.', "") == s)
    }

    /// What the tier means for an analyst (from `data/chpl_tiers.csv`).
    pub fn meaning(self) -> &'static str {
        ControlLists::builtin().chpl.tier_meaning(self)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One CHPL code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChplItem {
    /// The HS 2022 subheading.
    pub hs6: String,
    /// Its tier.
    pub tier: Tier,
    /// The first list version carrying it.
    pub listed_since: String,
    /// The first list version no longer carrying it (`None`: still listed).
    pub delisted: Option<String>,
    /// A short name of the goods.
    pub item: String,
}

impl ChplItem {
    /// Whether the code is on the list in `version` (a version date, e.g. `"2024-02-23"`).
    pub fn listed_in(&self, version: &str) -> bool {
        self.listed_since.as_str() <= version
            && self.delisted.as_deref().is_none_or(|d| d > version)
    }
}

/// A published version of the CHPL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChplVersion {
    /// The publication date (`YYYY-MM-DD` or `YYYY-MM`).
    pub version: String,
    /// Its number of codes, when known.
    pub codes: Option<usize>,
    /// Whether `chpl.csv` rebuilds it code by code.
    pub complete: bool,
    /// What changed.
    pub note: String,
}

/// The Common High Priority List with its versions and tier meanings.
#[derive(Debug, Clone)]
pub struct Chpl {
    items: Vec<ChplItem>,
    by_code: HashMap<String, usize>,
    versions: Vec<ChplVersion>,
    meanings: Vec<(Tier, String)>,
}

impl Chpl {
    /// Every code ever listed, in file order.
    pub fn items(&self) -> &[ChplItem] {
        &self.items
    }

    /// The versions, oldest first.
    pub fn versions(&self) -> &[ChplVersion] {
        &self.versions
    }

    /// The latest version date (the default for lookups).
    pub fn current_version(&self) -> &str {
        self.versions.last().map_or("", |v| v.version.as_str())
    }

    /// The codes listed in `version`.
    pub fn codes_at(&self, version: &str) -> Vec<&ChplItem> {
        self.items.iter().filter(|i| i.listed_in(version)).collect()
    }

    /// The current listing of an HS-6 code (HS 2022), if any.
    pub fn get(&self, hs6: &str) -> Option<&ChplItem> {
        self.by_code
            .get(hs6)
            .map(|&i| &self.items[i])
            .filter(|i| i.delisted.is_none())
    }

    /// The current items whose code starts with `prefix` (a chapter or heading).
    pub fn under(&self, prefix: &str) -> Vec<&ChplItem> {
        self.items
            .iter()
            .filter(|i| i.delisted.is_none() && i.hs6.starts_with(prefix))
            .collect()
    }

    /// What a tier means.
    pub fn tier_meaning(&self, tier: Tier) -> &str {
        self.meanings
            .iter()
            .find(|(t, _)| *t == tier)
            .map_or("", |(_, m)| m.as_str())
    }

    fn load() -> Result<Chpl, Error> {
        let mut t = Table::new("chpl.csv", include_str!("../data/chpl.csv").as_bytes())?;
        let [code, tier, since, delisted, item] =
            ["hs6", "tier", "listed_since", "delisted", "item"].map(|c| t.column(c));
        let (code, tier, since, delisted, item) = (code?, tier?, since?, delisted?, item?);
        let mut items = Vec::new();
        while t.next_row()? {
            let parsed = Tier::parse(t.get(tier))
                .ok_or_else(|| t.error("tier", format!("unknown tier {:?}", t.get(tier))))?;
            items.push(ChplItem {
                hs6: t.hs6(code, "hs6")?,
                tier: parsed,
                listed_since: t.get(since).to_string(),
                delisted: Some(t.get(delisted).to_string()).filter(|d| !d.is_empty()),
                item: t.get(item).to_string(),
            });
        }
        let by_code = items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.hs6.clone(), i))
            .collect();
        Ok(Chpl {
            items,
            by_code,
            versions: Self::load_versions()?,
            meanings: Self::load_meanings()?,
        })
    }

    fn load_versions() -> Result<Vec<ChplVersion>, Error> {
        let text = include_str!("../data/chpl_versions.csv");
        let mut t = Table::new("chpl_versions.csv", text.as_bytes())?;
        let (v, n, c, note) = (
            t.column("version")?,
            t.column("codes")?,
            t.column("complete")?,
            t.column("note")?,
        );
        let mut out = Vec::new();
        while t.next_row()? {
            let codes = match t.get(n) {
                "" => None,
                s => Some(s.parse().map_err(|_| t.error("codes", "not a number"))?),
            };
            out.push(ChplVersion {
                version: t.get(v).to_string(),
                codes,
                complete: t.get(c) == "yes",
                note: t.get(note).to_string(),
            });
        }
        Ok(out)
    }

    fn load_meanings() -> Result<Vec<(Tier, String)>, Error> {
        let text = include_str!("../data/chpl_tiers.csv");
        let mut t = Table::new("chpl_tiers.csv", text.as_bytes())?;
        let (tier, meaning) = (t.column("tier")?, t.column("meaning")?);
        let mut out = Vec::new();
        while t.next_row()? {
            let parsed = Tier::parse(t.get(tier)).ok_or_else(|| t.error("tier", "unknown tier"))?;
            out.push((parsed, t.get(meaning).to_string()));
        }
        Ok(out)
    }
}

/// An HS code pattern of the watch list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodePattern {
    /// Codes starting with these digits.
    Prefix(String),
    /// Codes whose heading (HS-4) lies in the inclusive range.
    Headings(u16, u16),
}

impl CodePattern {
    fn parse(s: &str) -> Option<CodePattern> {
        let digits = |p: &str| p.len() >= 2 && p.bytes().all(|b| b.is_ascii_digit());
        match s.split_once('-') {
            Some((a, b)) if a.len() == 4 && b.len() == 4 && digits(a) && digits(b) => {
                Some(CodePattern::Headings(a.parse().ok()?, b.parse().ok()?))
            }
            None if digits(s) => Some(CodePattern::Prefix(s.to_string())),
            _ => None,
        }
    }

    /// Whether an HS code (its digits) falls under the pattern. A code shorter than the pattern
    /// (a heading for a subheading pattern) does not match.
    pub fn matches(&self, digits: &str) -> bool {
        match self {
            CodePattern::Prefix(p) => digits.starts_with(p.as_str()),
            CodePattern::Headings(lo, hi) => digits
                .get(..4)
                .and_then(|h| h.parse::<u16>().ok())
                .is_some_and(|h| (*lo..=*hi).contains(&h)),
        }
    }
}

/// One item of the watch list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchItem {
    /// Stable identifier, e.g. `W-NITROCELLULOSE`.
    pub id: String,
    /// Codes in HS 2022.
    pub hs2022: Vec<CodePattern>,
    /// Codes in HS 2017.
    pub hs2017: Vec<CodePattern>,
    /// Name of the goods.
    pub name: String,
    /// Why it is watched.
    pub reason: String,
    /// The public source.
    pub source: String,
    /// The date of the source.
    pub date: String,
}

impl WatchItem {
    /// Whether the code (digits) in `version` is covered by the item.
    pub fn matches(&self, digits: &str, version: HsVersion) -> bool {
        let patterns = match version {
            HsVersion::Hs2017 => &self.hs2017,
            HsVersion::Hs2022 => &self.hs2022,
        };
        patterns.iter().any(|p| p.matches(digits))
    }
}

/// Goods named by the allies as supplied to Russia's war industry, beyond the CHPL.
#[derive(Debug, Clone)]
pub struct WatchList {
    items: Vec<WatchItem>,
}

impl WatchList {
    /// The items, in file order.
    pub fn items(&self) -> &[WatchItem] {
        &self.items
    }

    /// The first item covering a code.
    pub fn find(&self, code: &HsCode, version: HsVersion) -> Option<&WatchItem> {
        self.items
            .iter()
            .find(|i| i.matches(code.digits(), version))
    }

    /// The item with an id.
    pub fn get(&self, id: &str) -> Option<&WatchItem> {
        self.items.iter().find(|i| i.id == id)
    }

    fn load() -> Result<WatchList, Error> {
        let text = include_str!("../data/watchlist.csv");
        let mut t = Table::new("watchlist.csv", text.as_bytes())?;
        let cols =
            ["id", "hs2022", "hs2017", "name", "reason", "source", "date"].map(|c| t.column(c));
        let [id, h22, h17, name, reason, source, date] = cols;
        let (id, h22, h17, name, reason, source, date) =
            (id?, h22?, h17?, name?, reason?, source?, date?);
        let mut items = Vec::new();
        while t.next_row()? {
            items.push(WatchItem {
                id: t.get(id).to_string(),
                hs2022: patterns(&t, h22, "hs2022")?,
                hs2017: patterns(&t, h17, "hs2017")?,
                name: t.get(name).to_string(),
                reason: t.get(reason).to_string(),
                source: t.get(source).to_string(),
                date: t.get(date).to_string(),
            });
        }
        Ok(WatchList { items })
    }
}

fn patterns<R: std::io::Read>(
    t: &Table<R>,
    index: usize,
    field: &str,
) -> Result<Vec<CodePattern>, Error> {
    t.get(index)
        .split(';')
        .map(|p| {
            CodePattern::parse(p.trim())
                .ok_or_else(|| t.error(field, format!("bad code pattern {p:?}")))
        })
        .collect()
}

/// How much of an HS 2017 subheading a CHPL code covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// All goods of the code are CHPL goods.
    Full,
    /// Only some goods of the code are CHPL goods.
    Partial,
}

/// One row of the HS 2017 to CHPL mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hs2017Link {
    /// The HS 2017 subheading.
    pub hs2017: String,
    /// The CHPL code (HS 2022) carrying (part of) its goods.
    pub hs2022: String,
    /// Full or partial.
    pub coverage: Coverage,
    /// Why, when the link is not an unchanged code.
    pub note: String,
}

/// The shipped HS 2017 to CHPL mapping.
#[derive(Debug, Clone)]
pub struct Hs2017Map {
    links: Vec<Hs2017Link>,
}

impl Hs2017Map {
    /// All links.
    pub fn links(&self) -> &[Hs2017Link] {
        &self.links
    }

    /// The CHPL codes carrying goods of an HS 2017 code (or of the codes under a heading).
    pub fn for_hs2017(&self, prefix: &str) -> Vec<&Hs2017Link> {
        self.links
            .iter()
            .filter(|l| l.hs2017.starts_with(prefix))
            .collect()
    }

    /// Whether a CHPL code exists only from HS 2022 on (its HS 2017 source has another number).
    pub fn is_hs2022_only(&self, hs6: &str) -> bool {
        self.links
            .iter()
            .any(|l| l.hs2022 == hs6 && l.hs2017 != hs6)
    }

    fn load() -> Result<Hs2017Map, Error> {
        let text = include_str!("../data/hs2017_to_chpl.csv");
        let mut t = Table::new("hs2017_to_chpl.csv", text.as_bytes())?;
        let (h17, h22, cov, note) = (
            t.column("hs2017")?,
            t.column("hs2022")?,
            t.column("coverage")?,
            t.column("note")?,
        );
        let mut links = Vec::new();
        while t.next_row()? {
            let coverage = match t.get(cov) {
                "full" => Coverage::Full,
                "partial" => Coverage::Partial,
                other => return Err(t.error("coverage", format!("{other:?} is not full/partial"))),
            };
            links.push(Hs2017Link {
                hs2017: t.hs6(h17, "hs2017")?,
                hs2022: t.hs6(h22, "hs2022")?,
                coverage,
                note: t.get(note).to_string(),
            });
        }
        Ok(Hs2017Map { links })
    }
}

/// All shipped control lists.
#[derive(Debug, Clone)]
pub struct ControlLists {
    /// The Common High Priority List.
    pub chpl: Chpl,
    /// The watch list.
    pub watch: WatchList,
    /// The HS 2017 to CHPL mapping.
    pub hs2017: Hs2017Map,
}

impl ControlLists {
    /// The lists embedded in the crate, parsed once.
    pub fn builtin() -> &'static ControlLists {
        static LISTS: OnceLock<ControlLists> = OnceLock::new();
        LISTS.get_or_init(|| {
            Self::load().unwrap_or_else(|e| panic!("built-in control lists are invalid: {e}"))
        })
    }

    /// Parses the embedded data files.
    pub fn load() -> Result<ControlLists, Error> {
        Ok(ControlLists {
            chpl: Chpl::load()?,
            watch: WatchList::load()?,
            hs2017: Hs2017Map::load()?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn chpl_has_fifty_codes_in_six_tiers() {
        let chpl = &ControlLists::load().unwrap().chpl;
        assert_eq!(chpl.current_version(), "2024-02-23");
        assert_eq!(chpl.codes_at("2024-02-23").len(), 50);
        let count = |t| chpl.items().iter().filter(|i| i.tier == t).count();
        assert_eq!(Tier::ALL.map(count), [4, 5, 16, 9, 11, 5]);
        assert_eq!(chpl.get("854231").unwrap().tier, Tier::T1);
        assert!(chpl.get("391220").is_none());
        for tier in Tier::ALL {
            assert!(!chpl.tier_meaning(tier).is_empty(), "{tier}");
        }
    }

    #[test]
    fn versions_rebuild_from_listed_since() {
        let chpl = &ControlLists::builtin().chpl;
        for v in chpl.versions().iter().filter(|v| v.complete) {
            assert_eq!(
                Some(chpl.codes_at(&v.version).len()),
                v.codes,
                "{}",
                v.version
            );
        }
        assert!(chpl.codes_at("2023-09").iter().all(|i| i.tier != Tier::T4B));
        assert!(chpl.codes_at("2023-06").is_empty());
    }

    #[test]
    fn tiers_parse_and_print() {
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tier::parse("3a"), Some(Tier::T3A));
        assert_eq!(Tier::parse("5"), None);
    }

    #[test]
    fn watch_patterns() {
        let w = &ControlLists::builtin().watch;
        let find = |c: &str, v| w.find(&HsCode::parse(c).unwrap(), v).map(|i| i.id.as_str());
        assert_eq!(
            find("3912.20.00", HsVersion::Hs2022),
            Some("W-NITROCELLULOSE")
        );
        assert_eq!(find("880699", HsVersion::Hs2022), Some("W-UAV"));
        assert_eq!(find("880220", HsVersion::Hs2017), Some("W-UAV"));
        assert_eq!(find("846021", HsVersion::Hs2022), Some("W-MACHINE-TOOLS"));
        assert_eq!(find("8456", HsVersion::Hs2022), Some("W-MACHINE-TOOLS"));
        assert_eq!(find("846700", HsVersion::Hs2022), None);
        assert_eq!(find("3912", HsVersion::Hs2022), None);
        assert!(
            w.items()
                .iter()
                .all(|i| !i.reason.is_empty() && !i.source.is_empty())
        );
        assert_eq!(CodePattern::parse("84-85"), None);
        assert_eq!(CodePattern::parse("8x"), None);
    }

    #[test]
    fn hs2017_map_names_the_six_new_codes() {
        let m = &ControlLists::builtin().hs2017;
        let mut new: Vec<_> = ControlLists::builtin()
            .chpl
            .items()
            .iter()
            .filter(|i| m.is_hs2022_only(&i.hs6))
            .map(|i| i.hs6.as_str())
            .collect();
        new.sort_unstable();
        assert_eq!(
            new,
            ["852589", "854149", "854151", "854159", "854800", "880730"]
        );
        let links = m.for_hs2017("854150");
        assert_eq!(links.len(), 2);
        assert!(links.iter().all(|l| l.coverage == Coverage::Full));
        assert_eq!(m.for_hs2017("852580")[0].coverage, Coverage::Partial);
    }
}
