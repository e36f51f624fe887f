//! Name normalisation and transliteration for sanctions screening: the layer under the matcher.
//!
//! A sanctions list names one party in many ways: "Владимир Владимирович Путин", "PUTIN,
//! Vladimir Vladimirovich", "Wladimir Putin", "Poutine", "普京"; "ООО «Ромашка»",
//! "Romashka LLC", "OOO Romashka". A matcher that compares raw strings misses most of these and,
//! worse, matches on what carries no identity ("EMMA LLC" vs "Emma Daniels", "X Trading Group
//! Ltd" vs "Y Trading Group Ltd"). This crate turns any name into comparable material and is a
//! pure library (no I/O, no global mutable state; tables and transliterators are built once on
//! first use):
//!
//! * [`script_of`]: the dominant Unicode script; transliteration is routed by script, never by
//!   a guessed language (language detection fails on two-word names).
//! * [`fold`]: Unicode normalisation, diacritics, case, punctuation, explicit letter folds.
//! * [`latin_variants`]: every plausible Latin rendering, folded and deduplicated. Several per
//!   name, because the lists themselves use several systems for the same script (BGN/PCGN,
//!   passport/ICAO, popular English, German, French and ISO for Cyrillic; spaced and joined
//!   pinyin; Hepburn with and without long vowels; Revised Romanization and conventional Korean
//!   spellings): keeping one would make the others unreachable. Arabic and Hebrew come out as
//!   consonant skeletons with their written long vowels (the scripts do not write the rest).
//!   A word typed with look-alike letters of both Latin and Cyrillic ("КАЎРЫЖКIН" with a Latin
//!   "I", "Texнoлoгия") is first written in one script, so it is not split into pieces.
//! * [`tokenize`]: tokens with classes: legal forms mapped to canonical classes (classified
//!   rather than dropped, so they can weigh little without vanishing), generic organisation
//!   words (to down-weight), initials, numbers (kept significant), honorifics, patronymics.
//! * [`person_orders`]: given-first and surname-first orders of a person's name.
//! * [`phonetic`]: a compact key that makes transliteration variants collide.
//! * [`given_name_groups`]: familiar forms of given names (Ted = Theodore, Volodya = Vladimir).
//! * [`skeleton`]: consonant classes that survive a name's transcription into another script.
//! * [`analyze`]: all of the above in one value, the matcher's entry point.
//! * [`RenderingKey`]: what a name's renderings depend on, so that names written alike
//!   ("AL-SHABAAB", "Al Shabaab") are analysed once.
//!
//! The cargo feature `icu` (default) adds ICU4X's CLDR transforms for Armenian, Georgian and
//! the Indic scripts other than Devanagari. Hand tables cover Cyrillic, Greek, Arabic, Hebrew,
//! Han (with the `pinyin` data), kana, Hangul and Devanagari: they are faster than ICU4X's
//! rule-based transforms by one to two orders of magnitude and give the spellings lists use
//! (the Devanagari table gives exactly ICU's folded output, tested against it); `deunicode`
//! covers every other script (and Armenian/Georgian without the feature).

mod alike;
mod fold;
mod hash;
mod homoglyph;
mod nicknames;
mod order;
mod phonetic;
mod script;
mod skeleton;
mod terms;
mod token;
mod translit;

pub use alike::RenderingKey;
pub use fold::fold;
pub use hash::FastMap;
pub use nicknames::given_name_groups;
pub use order::person_orders;
pub use phonetic::phonetic;
pub use script::{Script, script_of};
pub use skeleton::{consonants, skeleton};
pub use terms::LegalForm;
pub use token::{NameKind, Token, TokenClass, tokenize};
pub use translit::latin_variants;

use token::{classify, prepare};

/// A name analysed for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedName {
    /// The name as given.
    pub original: String,
    /// The kind it was analysed as.
    pub kind: NameKind,
    /// Its dominant script.
    pub script: Script,
    /// Folded Latin renderings, best first (empty if the name has no letters or digits).
    pub latin: Vec<String>,
    /// Tokens of the best Latin rendering (`latin[0]`).
    pub tokens: Vec<Token>,
    /// Tokens of every Latin rendering, in the order of `latin` (`variants[0] == tokens`).
    pub variants: Vec<Vec<Token>>,
    /// For persons (and names of unknown kind without legal forms or generic words): the
    /// plausible name orders, as printed first (see [`person_orders`]); empty otherwise.
    pub orders: Vec<Vec<Token>>,
    /// Phonetic keys of the word and patronymic tokens of every rendering, deduplicated.
    pub phonetic: Vec<String>,
}

/// The part of an analysis a matcher needs on every comparison: the script and the classified
/// tokens of every Latin rendering (no name orders or phonetic keys, which cost as much again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renderings {
    /// The name's dominant script.
    pub script: Script,
    /// Folded Latin renderings, best first.
    pub latin: Vec<String>,
    /// Tokens of every rendering, in the order of `latin`.
    pub variants: Vec<Vec<Token>>,
}

/// The script and classified Latin renderings of a name (see [`analyze`] for everything).
pub fn renderings(name: &str, kind: NameKind) -> Renderings {
    renderings_up_to(name, kind, usize::MAX)
}

/// The first `most` renderings of [`renderings`] (the same, in the same order), without
/// folding and classifying the others: a matcher keeping a few renderings per name spares the
/// rest (mixed-script names have up to 24).
pub fn renderings_up_to(name: &str, kind: NameKind, most: usize) -> Renderings {
    let prepared = prepare(name, kind);
    // The name as read: a word typed with look-alikes of two scripts in one of them, which the
    // script of the name then counts it in.
    let read = homoglyph::unify_scripts(&prepared);
    let latin = translit::variants_read_up_to(&read, kind != NameKind::Organization, most);
    let variants: Vec<Vec<Token>> = latin.iter().map(|l| classify(l, kind)).collect();
    Renderings {
        script: script_of(&read),
        latin,
        variants,
    }
}

/// Analyses a name: script, Latin renderings, classified tokens, orders and phonetic keys.
///
/// ```
/// use dualtrace_names::{analyze, NameKind, Script, TokenClass};
/// let a = analyze("Сергей Викторович Лавров", NameKind::Person);
/// assert_eq!(a.script, Script::Cyrillic);
/// assert!(a.latin.contains(&"sergei viktorovich lavrov".to_string()));
/// assert_eq!(a.tokens[1].class, TokenClass::Patronymic);
/// assert!(a.phonetic.contains(&dualtrace_names::phonetic("serguei")));
/// ```
pub fn analyze(name: &str, kind: NameKind) -> AnalyzedName {
    let Renderings {
        script,
        latin,
        variants,
    } = renderings(name, kind);
    let tokens = variants.first().cloned().unwrap_or_default();
    let person_like = kind == NameKind::Person
        || (kind == NameKind::Any
            && !tokens
                .iter()
                .any(|t| matches!(t.class, TokenClass::LegalForm(_) | TokenClass::Generic)));
    let orders = if person_like {
        person_orders(name)
    } else {
        Vec::new()
    };
    let mut keys: Vec<String> = Vec::new();
    for t in variants.iter().flatten() {
        if matches!(t.class, TokenClass::Word | TokenClass::Patronymic) {
            let k = phonetic(&t.text);
            if !k.is_empty() && !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    AnalyzedName {
        original: name.to_string(),
        kind,
        script,
        latin,
        tokens,
        variants,
        orders,
        phonetic: keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn analyze_person_and_org() {
        let a = analyze("Владимир Владимирович Путин", NameKind::Person);
        assert!(
            a.latin
                .contains(&"vladimir vladimirovich putin".to_string())
        );
        assert_eq!(a.variants[0], a.tokens);
        assert_eq!(a.orders.len(), 2);
        assert!(a.phonetic.contains(&"PTN".to_string()));
        let o = analyze("ООО «Ромашка»", NameKind::Organization);
        assert_eq!(o.tokens[0].class, TokenClass::LegalForm(LegalForm::Llc));
        assert!(o.orders.is_empty());
        assert_eq!(o.phonetic[0], phonetic("romashka"));
        assert!(o.phonetic.contains(&phonetic("romaschka")));
        let e = analyze("", NameKind::Any);
        assert!(e.latin.is_empty() && e.tokens.is_empty() && e.phonetic.is_empty());
        assert_eq!(e.script, Script::None);
    }

    #[test]
    fn renderings_up_to_keeps_the_first_renderings() {
        // A mixed-script name with more renderings than a matcher keeps.
        let name = "Сергей 习近平 김정은 Αλέξης محمد";
        let all = renderings(name, NameKind::Person);
        assert!(all.latin.len() > 8, "{}", all.latin.len());
        let first = renderings_up_to(name, NameKind::Person, 8);
        assert_eq!(first.script, all.script);
        assert_eq!(first.latin, all.latin[..8]);
        assert_eq!(first.variants, all.variants[..8]);
    }

    #[test]
    fn turkish_company() {
        let a = analyze("İstanbul Dış Ticaret A.Ş.", NameKind::Organization);
        let t: Vec<(&str, TokenClass)> = a
            .tokens
            .iter()
            .map(|t| (t.text.as_str(), t.class))
            .collect();
        assert_eq!(
            t,
            [
                ("istanbul", TokenClass::Word),
                ("dis", TokenClass::Word),
                ("ticaret", TokenClass::Word),
                ("as", TokenClass::LegalForm(LegalForm::Jsc)),
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn analyze_never_panics(s in "\\PC{0,40}") {
            for kind in [NameKind::Person, NameKind::Organization, NameKind::Vessel, NameKind::Any] {
                let a = analyze(&s, kind);
                prop_assert!(a.latin.iter().all(|l| l.is_ascii()));
                prop_assert_eq!(a.variants.len(), a.latin.len());
            }
        }

        #[test]
        fn analyze_never_panics_on_name_scripts(
            s in "[a-zA-Zа-яА-ЯёЁйЙ\u{0370}-\u{03FF}\u{0530}-\u{058F}\u{10A0}-\u{10FF}\u{0600}-\u{06FF}\u{05D0}-\u{05EA}\u{4E00}-\u{4EFF}\u{3040}-\u{30FF}\u{AC00}-\u{AD00}\u{0900}-\u{097F} .,'«»()\\-0-9]{0,30}"
        ) {
            let a = analyze(&s, NameKind::Any);
            prop_assert!(a.latin.len() <= 24);
            prop_assert!(a.tokens.iter().all(|t| !t.text.is_empty()));
        }
    }
}
