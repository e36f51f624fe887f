//! Detection of battlefield-critical goods in free-text descriptions.
//!
//! The rules (`data/description_rules.csv`) are component words in English, Russian and Chinese
//! (microcontroller / микроконтроллер / 单片机, MLCC, CNC lathe / токарный станок с ЧПУ...) and
//! manufacturer part-number patterns of chips found in Russian weapons (STM32, ATmega, PIC, XC7,
//! EP4C, AD, TI, Maxim...). Each rule points to an HS code. They are compiled once into a
//! [`regex::RegexSet`] (case-insensitive), which tells in one pass which rules match; only those
//! rules are then run alone to extract the matched text as evidence.
//!
//! `\b` in a pattern is compiled as an ASCII word boundary: it keeps the set on the fast DFA
//! engines for any text (a Unicode `\b` would fall back to a slower engine on Cyrillic or Chinese
//! text), and since non-ASCII letters then count as non-word characters, a part number glued to
//! Russian text (`STM32F103C8T6`) is still delimited. Russian and Chinese stems are written
//! without `\b`, and their endings as `[а-яё]*` rather than the much larger Unicode `\w*`. `exclude` rules cancel another rule (LEDs are not the diodes of 8541.10).

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Serialize;

use crate::error::Error;
use crate::table::Table;

/// Limit on a compiled rule's size (generous: the set has a few dozen alternations).
const SIZE_LIMIT: usize = 64 << 20;

/// Cache of the set's lazy DFA: large enough that Cyrillic and Chinese text does not thrash it.
const DFA_CACHE: usize = 32 << 20;

/// What a rule recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A type of component or machine named in words.
    Component,
    /// A manufacturer part number or brand.
    PartNumber,
    /// Cancels another rule.
    Exclude,
}

/// One description rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Identifier, e.g. `mcu`, `stm32`.
    pub id: String,
    /// Its kind.
    pub kind: RuleKind,
    /// Languages of the wording (`en ru zh`) or `pn` for part numbers.
    pub lang: String,
    /// The HS code or prefix the wording points to; for exclude rules, the cancelled rule's id.
    pub target: String,
    /// The pattern as written in the data file.
    pub pattern: String,
}

/// One piece of evidence found in a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The rule that matched.
    pub rule: &'static str,
    /// Component word or part number.
    pub kind: RuleKind,
    /// The text matched, as written.
    pub text: String,
    /// The HS code (or prefix) it points to.
    pub hs: &'static str,
}

/// The compiled description rules.
#[derive(Debug)]
pub struct DescriptionRules {
    rules: Vec<Rule>,
    set: RegexSet,
    regexes: Vec<Regex>,
    /// (exclude rule index, cancelled rule index)
    excludes: Vec<(usize, usize)>,
}

impl DescriptionRules {
    /// The rules shipped in `data/description_rules.csv`, compiled once.
    pub fn builtin() -> &'static DescriptionRules {
        static RULES: OnceLock<DescriptionRules> = OnceLock::new();
        RULES.get_or_init(|| {
            let text = include_str!("../data/description_rules.csv");
            Self::from_csv("description_rules.csv", text)
                .unwrap_or_else(|e| panic!("built-in description rules are invalid: {e}"))
        })
    }

    /// Compiles rules from CSV text (`id,kind,lang,target,pattern`).
    pub(crate) fn from_csv(name: &str, text: &str) -> Result<DescriptionRules, Error> {
        let mut t = Table::new(name, text.as_bytes())?;
        let cols = ["id", "kind", "lang", "target", "pattern"].map(|c| t.column(c));
        let [id, kind, lang, target, pattern] = cols;
        let (id, kind, lang, target, pattern) = (id?, kind?, lang?, target?, pattern?);
        let mut rules = Vec::new();
        let mut regexes = Vec::new();
        while t.next_row()? {
            let kind = match t.get(kind) {
                "component" => RuleKind::Component,
                "part_number" => RuleKind::PartNumber,
                "exclude" => RuleKind::Exclude,
                other => return Err(t.error("kind", format!("unknown rule kind {other:?}"))),
            };
            let source = t.get(pattern);
            regexes.push(compile(source).map_err(|e| t.error("pattern", e.to_string()))?);
            rules.push(Rule {
                id: t.get(id).to_string(),
                kind,
                lang: t.get(lang).to_string(),
                target: t.get(target).to_string(),
                pattern: source.to_string(),
            });
        }
        let excludes = resolve_excludes(name, &rules)?;
        let set = RegexSetBuilder::new(rules.iter().map(|r| ascii_boundaries(&r.pattern)))
            .case_insensitive(true)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(DFA_CACHE)
            .build()
            .map_err(|e| Error::Data {
                file: name.to_string(),
                line: 0,
                field: "pattern".into(),
                message: e.to_string(),
            })?;
        Ok(DescriptionRules {
            rules,
            set,
            regexes,
            excludes,
        })
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The evidence in a description, in rule order (specific rules first). Evidence borrows the
    /// rule ids and targets, hence the `'static` receiver ([`DescriptionRules::builtin`]).
    pub fn detect(&'static self, text: &str) -> Vec<Evidence> {
        let matched = self.set.matches(text);
        if !matched.matched_any() {
            return Vec::new();
        }
        let mut hits: Vec<usize> = matched.iter().collect();
        for &(ex, target) in &self.excludes {
            if matched.matched(ex) {
                hits.retain(|&i| i != target);
            }
        }
        hits.retain(|&i| self.rules[i].kind != RuleKind::Exclude);
        hits.into_iter()
            .filter_map(|i| {
                let m = self.regexes[i].find(text)?;
                let rule = &self.rules[i];
                Some(Evidence {
                    rule: &rule.id,
                    kind: rule.kind,
                    text: m.as_str().to_string(),
                    hs: &rule.target,
                })
            })
            .collect()
    }
}

fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&ascii_boundaries(pattern))
        .case_insensitive(true)
        .size_limit(SIZE_LIMIT)
        .build()
}

/// Rewrites `\b` as an ASCII word boundary (see the module docs).
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

fn resolve_excludes(name: &str, rules: &[Rule]) -> Result<Vec<(usize, usize)>, Error> {
    rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RuleKind::Exclude)
        .map(|(i, r)| {
            rules
                .iter()
                .position(|t| t.id == r.target)
                .map(|t| (i, t))
                .ok_or_else(|| Error::Data {
                    file: name.to_string(),
                    line: 0,
                    field: "target".into(),
                    message: format!("exclude rule {} names unknown rule {:?}", r.id, r.target),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn found(text: &str) -> Vec<(&'static str, String)> {
        DescriptionRules::builtin()
            .detect(text)
            .into_iter()
            .map(|e| (e.rule, e.text))
            .collect()
    }

    #[test]
    fn russian_microcontroller_with_part_number() {
        let ev = found("Микроконтроллер STM32F103C8T6");
        assert_eq!(
            ev,
            [
                ("mcu", "Микроконтроллер".to_string()),
                ("stm32", "STM32F103C8T6".to_string())
            ]
        );
    }

    #[test]
    fn english_components_and_part_numbers() {
        let ev = found("FPGA XC7A35T-1CSG324C, ADC AD7606BSTZ, MLCC GRM188R71H104KA93D 0.1uF");
        let rules: Vec<_> = ev.iter().map(|e| e.0).collect();
        assert_eq!(rules, ["fpga", "adc", "mlcc", "xilinx", "adi", "mlcc-pn"]);
        assert_eq!(found("Altera EP4CE22F17C8N")[0].1, "Altera");
        assert_eq!(found("ATMEGA328P-AU chips")[0].0, "atmel");
        assert_eq!(found("PIC16F877A-I/P")[0].1, "PIC16F877A-I");
        assert_eq!(found("MAX3232ESE+T")[0].1, "MAX3232ESE");
    }

    #[test]
    fn chinese_and_machines() {
        assert_eq!(found("单片机 GD32F303")[0].0, "mcu");
        assert_eq!(found("数控车床 CK6150")[0].0, "cnc-lathe");
        assert_eq!(found("Токарный станок с ЧПУ")[0].0, "cnc-lathe");
        assert_eq!(
            found("Обрабатывающий центр вертикальный")[0].0,
            "machining-centre"
        );
        assert_eq!(found("Подшипник шариковый 6205")[0].0, "bearing-ball");
        assert_eq!(found("Нитроцеллюлоза коллоидная")[0].0, "nitrocellulose");
    }

    #[test]
    fn case_insensitive_and_boundaries() {
        assert_eq!(found("stm32f407vgt6")[0].1, "stm32f407vgt6");
        assert!(found("picture frames, plastic").is_empty());
        assert!(found("bearing the mark of the maker").is_empty());
        assert!(found("Cotton T-shirts").is_empty());
    }

    #[test]
    fn excluded_rules_are_cancelled() {
        assert!(found("Светодиод красный").is_empty());
        assert!(found("LED diode lamp").is_empty());
        assert_eq!(found("Диод Шоттки 1N5819")[0].0, "diode");
    }

    #[test]
    fn bad_rules_are_reported() {
        let bad = "id,kind,lang,target,pattern\nx,component,en,854231,\"(unclosed\"\n";
        let e = DescriptionRules::from_csv("r.csv", bad)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.csv: line 2, field pattern: "), "{e}");
        let kind = "id,kind,lang,target,pattern\nx,word,en,854231,abc\n";
        let e = DescriptionRules::from_csv("r.csv", kind)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown rule kind \"word\""), "{e}");
        let ex = "id,kind,lang,target,pattern\nx,exclude,en,nope,abc\n";
        let e = DescriptionRules::from_csv("r.csv", ex)
            .unwrap_err()
            .to_string();
        assert!(e.contains("names unknown rule \"nope\""), "{e}");
    }
}
