//! Screening of one code or one shipment line against the shipped lists.
//!
//! Decisions:
//! * The declared code decides `chpl_tier`, `watch` and `partial`. An HS 2022 subheading is on
//!   the CHPL or not. An HS 2017 subheading goes through the shipped HS 2017 to CHPL mapping, and
//!   is `partial` when only part of its goods are CHPL goods (852580 holds 852589 and other
//!   cameras). A heading or chapter (4 or 2 digits) names several subheadings: it reports the
//!   best tier among the CHPL codes under it, always as `partial`.
//! * A watch item is reported only when the code is not on the CHPL (the tier is the stronger
//!   signal).
//! * The description is screened whatever the code; when it points to a CHPL code while the
//!   declared (valid) code touches no CHPL code, the line is a possible misdeclaration, with the
//!   best-ranked target (highest tier first, part numbers before words) and the matched texts.
//! * A bad code or version gives a per-line `error` (the description is still screened).

use serde::Serialize;

use crate::code::{HsCode, HsVersion};
use crate::describe::{DescriptionRules, Evidence, RuleKind};
use crate::error::HsError;
use crate::lists::{ChplItem, ControlLists, Coverage, Tier, WatchItem};
use crate::nomenclature::Nomenclature;

/// A CHPL code a declared code leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChplMatch {
    /// The CHPL item.
    pub item: &'static ChplItem,
    /// Whether the declared code's goods are all in it.
    pub coverage: Coverage,
    /// Why (HS 2017 mapping notes).
    pub note: &'static str,
}

/// The watch item a code falls under (a view for output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchMatch {
    /// Item id, e.g. `W-NITROCELLULOSE`.
    pub id: &'static str,
    /// Name of the goods.
    pub name: &'static str,
    /// Why it is watched.
    pub reason: &'static str,
    /// The public source.
    pub source: &'static str,
    /// The source's date.
    pub date: &'static str,
}

impl From<&'static WatchItem> for WatchMatch {
    fn from(w: &'static WatchItem) -> Self {
        WatchMatch {
            id: &w.id,
            name: &w.name,
            reason: &w.reason,
            source: &w.source,
            date: &w.date,
        }
    }
}

/// Everything known about one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookup {
    /// The normalised digits as declared.
    pub code: String,
    /// The HS edition the code was read in.
    pub version: HsVersion,
    /// The HS-6 subheading (absent for headings and chapters).
    pub hs6: Option<String>,
    /// The heading.
    pub hs4: Option<String>,
    /// The chapter.
    pub chapter: String,
    /// The nomenclature's description of the HS part of the code (when a nomenclature is loaded).
    pub description: Option<String>,
    /// The CHPL codes it leads to.
    pub chpl: Vec<ChplMatch>,
    /// The best tier among them.
    pub chpl_tier: Option<Tier>,
    /// What that tier means.
    pub tier_meaning: Option<&'static str>,
    /// Whether only part of the code's goods are CHPL goods.
    pub partial: bool,
    /// The CHPL version screened against.
    pub chpl_version: &'static str,
    /// The watch item, when not on the CHPL.
    pub watch: Option<WatchMatch>,
}

/// A declared shipment line.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShipmentLine<'a> {
    /// The declared tariff code as written.
    pub hs_code: &'a str,
    /// The free-text description.
    pub description: &'a str,
    /// The HS edition of the code (`None` or empty: HS 2022).
    pub hs_version: Option<&'a str>,
}

/// A likely misdeclaration: the description points to a CHPL item the declared code is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Misdeclaration {
    /// The CHPL code the description points to.
    pub suggested_hs6: &'static str,
    /// Its tier.
    pub chpl_tier: Tier,
    /// The matched texts pointing to CHPL codes, strongest first.
    pub evidence: Vec<String>,
}

/// The screening result of one line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classification {
    /// The declared code's HS-6 subheading.
    pub hs6: Option<String>,
    /// The declared code's tier (see [`Lookup::chpl_tier`]).
    pub chpl_tier: Option<Tier>,
    /// The watch item id.
    pub watch: Option<&'static str>,
    /// Whether the declared code is only partly CHPL goods.
    pub partial: bool,
    /// A likely misdeclaration.
    pub misdeclaration: Option<Misdeclaration>,
    /// All evidence found in the description.
    pub evidence: Vec<Evidence>,
    /// Why the code or version could not be used.
    pub error: Option<String>,
}

/// What a code resolves to on the lists.
struct Resolution {
    chpl: Vec<ChplMatch>,
    watch: Option<&'static WatchItem>,
}

impl Resolution {
    fn best_tier(&self) -> Option<Tier> {
        self.chpl.iter().map(|m| m.item.tier).min()
    }

    fn partial(&self) -> bool {
        self.chpl.iter().any(|m| m.coverage == Coverage::Partial)
    }
}

/// Screens codes and lines against the shipped lists, with optional nomenclatures.
#[derive(Debug)]
pub struct Classifier {
    lists: &'static ControlLists,
    rules: &'static DescriptionRules,
    hs2017: Option<Nomenclature>,
    hs2022: Option<Nomenclature>,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Classifier {
    /// A classifier with the shipped lists and no nomenclature.
    pub fn new() -> Self {
        Classifier {
            lists: ControlLists::builtin(),
            rules: DescriptionRules::builtin(),
            hs2017: None,
            hs2022: None,
        }
    }

    /// Adds a nomenclature (for descriptions and to reject codes absent from its edition).
    pub fn with_nomenclature(mut self, nomenclature: Nomenclature) -> Self {
        match nomenclature.version() {
            HsVersion::Hs2017 => self.hs2017 = Some(nomenclature),
            HsVersion::Hs2022 => self.hs2022 = Some(nomenclature),
        }
        self
    }

    /// The loaded nomenclature of an edition.
    pub fn nomenclature(&self, version: HsVersion) -> Option<&Nomenclature> {
        match version {
            HsVersion::Hs2017 => self.hs2017.as_ref(),
            HsVersion::Hs2022 => self.hs2022.as_ref(),
        }
    }

    /// The shipped lists.
    pub fn lists(&self) -> &'static ControlLists {
        self.lists
    }

    /// Looks a code up: its HS parts, CHPL tier and meaning, watch item and description.
    pub fn lookup(&self, code: &str, version: HsVersion) -> Result<Lookup, HsError> {
        let (code, res) = self.resolve(code, version)?;
        let tier = res.best_tier();
        let description = self
            .nomenclature(version)
            .and_then(|n| n.description(code.hs_part()))
            .map(str::to_string);
        Ok(Lookup {
            code: code.digits().to_string(),
            version,
            hs6: code.hs6().map(str::to_string),
            hs4: code.hs4().map(str::to_string),
            chapter: code.chapter().to_string(),
            description,
            chpl_tier: tier,
            tier_meaning: tier.map(|t| self.lists.chpl.tier_meaning(t)),
            partial: res.partial(),
            chpl_version: self.lists.chpl.current_version(),
            watch: res.watch.map(WatchMatch::from),
            chpl: res.chpl,
        })
    }

    /// Screens one shipment line.
    pub fn classify(&self, line: &ShipmentLine<'_>) -> Classification {
        let evidence = self.rules.detect(line.description);
        let resolved = HsVersion::parse(line.hs_version.unwrap_or(""))
            .and_then(|v| self.resolve(line.hs_code, v));
        match resolved {
            Ok((code, res)) => Classification {
                hs6: code.hs6().map(str::to_string),
                chpl_tier: res.best_tier(),
                watch: res.watch.map(|w| w.id.as_str()),
                partial: res.partial(),
                misdeclaration: if res.chpl.is_empty() {
                    self.suggest(&evidence)
                } else {
                    None
                },
                evidence,
                error: None,
            },
            Err(e) => Classification {
                evidence,
                error: Some(e.to_string()),
                ..Classification::default()
            },
        }
    }

    fn resolve(&self, input: &str, version: HsVersion) -> Result<(HsCode, Resolution), HsError> {
        let code = HsCode::parse(input)?;
        let part = code.hs_part();
        if version == HsVersion::Hs2017 && self.lists.hs2017.is_hs2022_only(part) {
            return Err(HsError::OnlyInHs2022 {
                code: part.to_string(),
            });
        }
        if let Some(n) = self.nomenclature(version)
            && !n.contains(part)
        {
            return Err(HsError::NotInNomenclature {
                code: part.to_string(),
                version,
            });
        }
        let chpl = self.chpl_matches(&code, version);
        let watch = if chpl.is_empty() {
            self.lists.watch.find(&code, version)
        } else {
            None
        };
        Ok((code, Resolution { chpl, watch }))
    }

    fn chpl_matches(&self, code: &HsCode, version: HsVersion) -> Vec<ChplMatch> {
        let chpl = &self.lists.chpl;
        let whole = code.hs6().is_some();
        let coverage = |c: Coverage| if whole { c } else { Coverage::Partial };
        match version {
            HsVersion::Hs2022 => chpl
                .under(code.hs_part())
                .into_iter()
                .map(|item| ChplMatch {
                    item,
                    coverage: coverage(Coverage::Full),
                    note: "",
                })
                .collect(),
            HsVersion::Hs2017 => self
                .lists
                .hs2017
                .for_hs2017(code.hs_part())
                .into_iter()
                .filter_map(|link| {
                    Some(ChplMatch {
                        item: chpl.get(&link.hs2022)?,
                        coverage: coverage(link.coverage),
                        note: &link.note,
                    })
                })
                .collect(),
        }
    }

    /// The best CHPL target of the evidence, as a misdeclaration.
    fn suggest(&self, evidence: &[Evidence]) -> Option<Misdeclaration> {
        let chpl = &self.lists.chpl;
        let mut pointing: Vec<(&Evidence, &'static ChplItem)> = evidence
            .iter()
            .filter_map(|e| Some((e, chpl.get(e.hs)?)))
            .collect();
        // Stable sort: equal keys keep the rules' specific-to-generic order.
        pointing.sort_by_key(|(e, item)| (item.tier, e.kind != RuleKind::PartNumber));
        let (_, best) = pointing.first()?;
        let mut texts: Vec<String> = Vec::new();
        for (e, _) in &pointing {
            if !texts.contains(&e.text) {
                texts.push(e.text.clone());
            }
        }
        Some(Misdeclaration {
            suggested_hs6: &best.hs6,
            chpl_tier: best.tier,
            evidence: texts,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn line<'a>(code: &'a str, desc: &'a str, version: Option<&'a str>) -> ShipmentLine<'a> {
        ShipmentLine {
            hs_code: code,
            description: desc,
            hs_version: version,
        }
    }

    #[test]
    fn russian_microcontroller_declared_as_computer_parts_is_flagged() {
        let c = Classifier::new().classify(&line("8473.30", "Микроконтроллер STM32F103C8T6", None));
        assert_eq!(c.hs6.as_deref(), Some("847330"));
        assert_eq!(c.chpl_tier, None);
        let m = c.misdeclaration.unwrap();
        assert_eq!((m.suggested_hs6, m.chpl_tier), ("854231", Tier::T1));
        assert_eq!(m.evidence, ["STM32F103C8T6", "Микроконтроллер"]);
        assert_eq!(c.error, None);
    }

    #[test]
    fn english_description_on_a_chpl_code_is_not_flagged() {
        let c =
            Classifier::new().classify(&line("8542.31.0015", "Microcontroller ATmega328P", None));
        assert_eq!(
            (c.hs6.as_deref(), c.chpl_tier),
            (Some("854231"), Some(Tier::T1))
        );
        assert_eq!(c.misdeclaration, None);
        assert_eq!(c.evidence.len(), 2);
    }

    #[test]
    fn best_tier_wins_the_suggestion() {
        let c = Classifier::new().classify(&line(
            "3926.90",
            "Plastic housing with MLCC and FPGA XC7Z020",
            None,
        ));
        let m = c.misdeclaration.unwrap();
        assert_eq!((m.suggested_hs6, m.chpl_tier), ("854239", Tier::T1));
        assert_eq!(m.evidence, ["XC7Z020", "FPGA", "MLCC"]);
    }

    #[test]
    fn watch_items_and_their_precedence() {
        let cl = Classifier::new();
        let c = cl.classify(&line("3912.20.1000", "Нитроцеллюлоза", None));
        assert_eq!((c.watch, c.chpl_tier), (Some("W-NITROCELLULOSE"), None));
        assert_eq!(c.misdeclaration, None);
        let cnc = cl.classify(&line("8458.11", "CNC lathe", None));
        assert_eq!((cnc.watch, cnc.chpl_tier), (None, Some(Tier::T4B)));
        let other = cl.classify(&line("8460.12", "grinding machine", None));
        assert_eq!(other.watch, Some("W-MACHINE-TOOLS"));
    }

    #[test]
    fn hs2017_codes_map_to_the_new_chpl_codes() {
        let cl = Classifier::new();
        let cases = [
            ("852580", "852589", true),
            ("854140", "854149", true),
            ("854150", "854151", false),
            ("880330", "880730", false),
            ("854890", "854800", false),
        ];
        for (h17, h22, partial) in cases {
            let l = cl.lookup(h17, HsVersion::Hs2017).unwrap();
            assert_eq!(l.chpl[0].item.hs6, h22, "{h17}");
            assert_eq!(l.partial, partial, "{h17}");
            assert_eq!(l.chpl_tier, Some(l.chpl[0].item.tier));
        }
        let split = cl.lookup("8541.50", HsVersion::Hs2017).unwrap();
        let codes: Vec<_> = split.chpl.iter().map(|m| m.item.hs6.as_str()).collect();
        assert_eq!(codes, ["854151", "854159"]);
        let c = cl.classify(&line("852589", "camera", Some("HS2017")));
        assert_eq!(
            c.error.as_deref(),
            Some("HS code 852589 exists only from HS 2022 on, but the line is declared in HS 2017")
        );
    }

    #[test]
    fn headings_are_partial() {
        let l = Classifier::new().lookup("8541", HsVersion::Hs2022).unwrap();
        assert_eq!(
            (l.chpl_tier, l.partial, l.hs6),
            (Some(Tier::T3A), true, None)
        );
        assert_eq!(l.chpl.len(), 8);
        let h17 = Classifier::new().lookup("8803", HsVersion::Hs2017).unwrap();
        assert_eq!((h17.chpl_tier, h17.partial), (Some(Tier::T3B), true));
    }

    #[test]
    fn lookup_gives_tier_meaning_and_version() {
        let l = Classifier::new()
            .lookup("8542 31 00", HsVersion::Hs2022)
            .unwrap();
        assert_eq!(l.chpl_version, "2024-02-23");
        assert!(
            l.tier_meaning
                .unwrap()
                .starts_with("Electronic integrated circuits")
        );
        assert_eq!(l.description, None);
        let w = Classifier::new()
            .lookup("880699", HsVersion::Hs2022)
            .unwrap();
        assert_eq!(w.watch.unwrap().id, "W-UAV");
    }

    #[test]
    fn bad_lines_keep_their_evidence() {
        let cl = Classifier::new();
        for (code, msg) in [
            ("", "empty HS code"),
            ("ABC", "unexpected character 'A'"),
            ("854", "has 3 digits"),
            ("85423100150000", "has 14 digits"),
        ] {
            let c = cl.classify(&line(code, "STM32 MCU", None));
            assert!(
                c.error.as_deref().unwrap().contains(msg),
                "{code}: {:?}",
                c.error
            );
            assert_eq!((c.hs6, c.misdeclaration), (None, None));
            assert_eq!(c.evidence.len(), 2);
        }
        let v = cl.classify(&line("854231", "", Some("2012")));
        assert!(v.error.unwrap().contains("unknown HS version"));
    }

    #[test]
    fn nomenclature_rejects_unknown_subheadings() {
        let text = "section,hscode,description,parent,level\nXVI,85,Electrical,TOTAL,2\n\
                    XVI,8542,ICs,85,4\nXVI,854231,Processors,8542,6\n";
        let n = Nomenclature::from_reader("n.csv", text.as_bytes(), HsVersion::Hs2022).unwrap();
        let cl = Classifier::new().with_nomenclature(n);
        assert_eq!(
            cl.lookup("854231", HsVersion::Hs2022)
                .unwrap()
                .description
                .as_deref(),
            Some("Processors")
        );
        assert_eq!(
            cl.lookup("854299", HsVersion::Hs2022)
                .unwrap_err()
                .to_string(),
            "HS code 854299 is not in the HS 2022 nomenclature"
        );
        assert!(cl.lookup("854299", HsVersion::Hs2017).is_ok());
    }
}
