//! Goods tagging: the CHPL tier and watch-list item of an HS code, from `dualtrace-goods`, cached
//! per code because an ingest sees the same few thousand codes millions of times.

use std::collections::HashMap;

use dualtrace_goods::{ControlLists, HsCode, HsVersion};

/// The goods tags of one code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GoodsTags {
    /// The CHPL tier (`1`, `2`, `3.A`, ...) of an HS-6 code on the current CHPL.
    pub tier: Option<&'static str>,
    /// The watch-list item id (`W-...`), for codes the CHPL does not carry.
    pub watch_item: Option<&'static str>,
}

/// Tags HS codes (HS 2022 reading) with a per-code cache.
#[derive(Debug, Default)]
pub struct GoodsTagger {
    cache: HashMap<String, GoodsTags>,
}

impl GoodsTagger {
    /// An empty tagger.
    pub fn new() -> GoodsTagger {
        GoodsTagger::default()
    }

    /// The tags of a code (`TOTAL` and codes that are not HS codes have none).
    pub fn tag(&mut self, hs_code: &str) -> GoodsTags {
        if let Some(tags) = self.cache.get(hs_code) {
            return *tags;
        }
        let tags = classify(hs_code);
        self.cache.insert(hs_code.to_string(), tags);
        tags
    }
}

/// Classifies one code against the builtin CHPL and watch list.
pub fn classify(hs_code: &str) -> GoodsTags {
    let Ok(code) = HsCode::parse(hs_code) else {
        return GoodsTags::default();
    };
    let lists = ControlLists::builtin();
    let tier = code
        .hs6()
        .and_then(|hs6| lists.chpl.get(hs6))
        .map(|item| item.tier.as_str());
    let watch_item = match tier {
        Some(_) => None,
        None => lists
            .watch
            .find(&code, HsVersion::Hs2022)
            .map(|item| item.id.as_str()),
    };
    GoodsTags { tier, watch_item }
}

/// The CHPL HS-6 codes with their tiers (for the synthetic generator).
pub fn chpl_codes() -> Vec<(&'static str, &'static str)> {
    ControlLists::builtin()
        .chpl
        .items()
        .iter()
        .filter(|item| item.delisted.is_none())
        .map(|item| (item.hs6.as_str(), item.tier.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn chpl_code_gets_its_tier_and_total_gets_nothing() {
        let mut t = GoodsTagger::new();
        assert_eq!(t.tag("854231").tier, Some("1"));
        assert_eq!(t.tag("TOTAL"), GoodsTags::default());
        assert_eq!(t.tag("854231").tier, Some("1"), "cached answer is the same");
    }

    #[test]
    fn nitrocellulose_is_a_watch_item_not_a_tier() {
        let tags = classify("391220");
        assert_eq!(tags.tier, None);
        assert!(tags.watch_item.is_some_and(|id| id.starts_with("W-")));
    }
}
