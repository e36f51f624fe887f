//! Devanagari (Hindi, Marathi, Nepali) to folded Latin by table, giving exactly what the ICU
//! transform `und-Latn-t-und-deva` gives once folded.
//!
//! Why a table when ICU has the transform: ICU4X runs it as a chain of rule sets (Devanagari to
//! InterIndic to Latin), about 1.4 million instructions per three-word name in a release build,
//! a quarter of all the work of screening a thousand mixed queries of which a tenth are Hindi
//! and Nepali names. Folded, the transform is a plain syllable table: consonants with their
//! inherent "a" unless a vowel sign or virama follows, vowels and vowel signs, and one context
//! rule (the anusvara is "m" before a labial or no consonant, "n" before any other consonant).
//! Tests hold the table to ICU's folded output on every consonant and vowel-sign pair, every
//! two-consonant conjunct, the nukta and nasal contexts and, with the shared data, every
//! Devanagari name of `negatives_global.csv`. Anything the table does not know (rare signs such
//! as U+094E, a nukta under an unusual consonant) returns `None`, and the caller uses ICU.

/// The folded Latin letters of a consonant (U+0915-U+0939, U+0958-U+095F), without its
/// inherent vowel.
fn consonant(c: char) -> Option<&'static str> {
    Some(match c {
        'क' => "k",
        'ख' => "kh",
        'ग' => "g",
        'घ' => "gh",
        'ङ' => "n",
        'च' => "c",
        'छ' => "ch",
        'ज' => "j",
        'झ' => "jh",
        'ञ' => "n",
        'ट' => "t",
        'ठ' => "th",
        'ड' => "d",
        'ढ' => "dh",
        'ण' => "n",
        'त' => "t",
        'थ' => "th",
        'द' => "d",
        'ध' => "dh",
        'न' | 'ऩ' => "n",
        'प' => "p",
        'फ' => "ph",
        'ब' => "b",
        'भ' => "bh",
        'म' => "m",
        'य' => "y",
        'र' | 'ऱ' => "r",
        'ल' | 'ळ' | 'ऴ' => "l",
        'व' => "v",
        'श' | 'ष' | 'स' => "s",
        'ह' => "h",
        '\u{0958}' => "q",
        '\u{0959}' => "kh",
        '\u{095A}' => "g",
        '\u{095B}' => "z",
        '\u{095C}' => "r",
        '\u{095D}' => "rh",
        '\u{095E}' => "f",
        '\u{095F}' => "y",
        _ => return None,
    })
}

/// A consonant written with a nukta below (U+093C) as two characters: the letters of its
/// precomposed form. `None` for a consonant that has none (ICU then adds a vowel of its own).
fn with_nukta(c: char) -> Option<&'static str> {
    Some(match c {
        'क' => "q",
        'ख' => "kh",
        'ग' => "g",
        'ज' => "z",
        'ड' => "r",
        'ढ' => "rh",
        'फ' => "f",
        'य' => "y",
        'न' => "n",
        'र' => "r",
        'ळ' => "l",
        _ => return None,
    })
}

/// Whether a consonant is a labial: an anusvara before it is read "m", before others "n".
fn is_labial(c: char) -> bool {
    matches!(c, 'प' | 'फ' | 'ब' | 'भ' | 'म' | '\u{095E}')
}

/// The folded Latin of an independent vowel or a vowel sign.
fn vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'अ' | 'आ' | 'ा' => "a",
        'इ' | 'ई' | 'ि' | 'ी' => "i",
        'उ' | 'ऊ' | 'ु' | 'ू' => "u",
        'ऋ' | 'ॠ' | 'ृ' | 'ॄ' => "r",
        'ऌ' | 'ॡ' | 'ॢ' | 'ॣ' => "l",
        'ऍ' | 'ऎ' | 'ए' | 'ॅ' | 'ॆ' | 'े' => "e",
        'ऐ' | 'ै' => "ai",
        'ऑ' | 'ऒ' | 'ओ' | 'ॉ' | 'ॊ' | 'ो' => "o",
        'औ' | 'ौ' => "au",
        'ॲ' => "ae",
        _ => return None,
    })
}

/// Whether a character is a vowel sign (written after a consonant, replacing its "a").
fn is_vowel_sign(c: char) -> bool {
    matches!(c, '\u{093E}'..='\u{094C}' | '\u{0962}' | '\u{0963}')
}

/// Whether a character is a sign ICU writes as a combining mark on the letter before it
/// (nasal signs, visarga, nukta, virama, accents; a vowel sign with nothing before it is
/// written as its vowel).
fn is_dependent(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093C}' | '\u{094D}' | '\u{0951}'..='\u{0957}')
}

const NUKTA: char = '\u{093C}';
const VIRAMA: char = '\u{094D}';

/// The romanisation of a run of Devanagari, before folding: ASCII for the Devanagari letters,
/// every other character as it is (spaces, punctuation, joiners: the fold treats them as it
/// treats ICU's output). `None` when the run holds a Devanagari character the table lacks.
pub(crate) fn latin(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    // Whether the last letter written is a consonant still owed its inherent vowel.
    let mut owed = false;
    let mut chars = text.chars().peekable();
    // Whether the character before (joiners aside) is a Devanagari letter or sign: a sign
    // with nothing to sit on (at the start, after a space) is left to ICU.
    let mut after_letter = false;
    while let Some(c) = chars.next() {
        if is_dependent(c) && !after_letter {
            return None;
        }
        if !matches!(c, '\u{200C}' | '\u{200D}') {
            after_letter = ('\u{0900}'..='\u{097F}').contains(&c);
        }
        if let Some(letters) = consonant(c) {
            if owed {
                out.push('a');
            }
            if chars.peek() == Some(&NUKTA) {
                chars.next();
                out.push_str(with_nukta(c)?);
            } else {
                out.push_str(letters);
            }
            owed = true;
            continue;
        }
        if is_vowel_sign(c) {
            owed = false;
            out.push_str(vowel(c)?);
            continue;
        }
        match c {
            // A nukta after a virama is reordered before it (canonical order): left to ICU.
            VIRAMA if chars.peek() == Some(&NUKTA) => return None,
            VIRAMA => {
                owed = false;
                continue;
            }
            // Under a vowel, a nukta leaves nothing once folded.
            NUKTA => continue,
            _ => {}
        }
        // Anything else closes the syllable before it.
        if std::mem::take(&mut owed) {
            out.push('a');
        }
        match c {
            '\u{0902}' => {
                let next = chars.peek().copied().filter(|n| consonant(*n).is_some());
                out.push(if next.is_some_and(|n| !is_labial(n)) {
                    'n'
                } else {
                    'm'
                });
            }
            // Before an anusvara, ICU puts a tilde on the vowel instead.
            '\u{0901}' if chars.peek() == Some(&'\u{0902}') => return None,
            '\u{0901}' => out.push('m'),
            '\u{0903}' => out.push('h'),
            '\u{093D}' => {}
            '\u{0950}' => out.push_str("om"),
            '\u{0964}' | '\u{0965}' => out.push('.'),
            '\u{0966}'..='\u{096F}' => {
                out.push(char::from(b'0' + (u32::from(c) - 0x0966) as u8));
            }
            '\u{0900}'..='\u{097F}' => out.push_str(vowel(c)?),
            _ => out.push(c),
        }
    }
    if owed {
        out.push('a');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::translit::finish;

    fn folded(text: &str) -> Option<String> {
        latin(text).map(finish)
    }

    #[test]
    fn names_read_as_their_syllables() {
        assert_eq!(folded("नरेन्द्र मोदी").as_deref(), Some("narendra modi"));
        assert_eq!(folded("पुतिन").as_deref(), Some("putina"));
        assert_eq!(folded("लक्ष्मी").as_deref(), Some("laksmi"));
        assert_eq!(folded("ज़ाकिर").as_deref(), Some("zakira"));
        // The anusvara takes the place of the nasal that follows.
        assert_eq!(folded("संजय").as_deref(), Some("sanjaya"));
        assert_eq!(folded("कंपनी").as_deref(), Some("kampani"));
        assert_eq!(folded("सिंह").as_deref(), Some("sinha"));
        assert_eq!(folded("रामं").as_deref(), Some("ramam"));
        // A joiner inside a word separates its parts, as ICU's output folds.
        assert_eq!(folded("रत्\u{200D}न").as_deref(), Some("rat na"));
        assert_eq!(folded("१९४७").as_deref(), Some("1947"));
    }

    #[test]
    fn unknown_signs_are_left_to_icu() {
        assert_eq!(latin("क\u{094E}"), None);
        assert_eq!(latin("घ\u{093C}"), None);
        assert_eq!(latin("\u{0904}"), None);
    }

    /// Every consonant with every vowel sign, virama and nukta, two-consonant conjuncts, the
    /// nasal and joiner contexts, vowel sequences: the syllables names are made of.
    #[cfg(feature = "icu")]
    fn syllables() -> Vec<String> {
        let consonants: Vec<char> = ('\u{0915}'..='\u{0939}')
            .chain('\u{0958}'..='\u{095F}')
            .collect();
        let vowels: Vec<char> = ('\u{0905}'..='\u{0914}')
            .chain(['\u{0960}', '\u{0961}', '\u{0972}'])
            .collect();
        let signs: Vec<char> = ('\u{093E}'..='\u{094C}')
            .chain(['\u{0962}', '\u{0963}'])
            .collect();
        let marks = [
            '\u{0901}', '\u{0902}', '\u{0903}', NUKTA, VIRAMA, '\u{093D}', '\u{0950}', '\u{0964}',
            '\u{0965}', '\u{200C}', '\u{200D}', '\u{0966}', '\u{096F}', ' ', '(', '.', '’',
        ];
        let mut out: Vec<String> = Vec::new();
        for &c in &consonants {
            out.push(c.to_string());
            for &s in signs.iter().chain(&marks) {
                out.push(format!("{c}{s}"));
                out.push(format!("{c}{s}क"));
                out.push(format!("{c}{NUKTA}{s}"));
            }
            for &d in &consonants {
                out.push(format!("{c}{VIRAMA}{d}"));
                out.push(format!("क\u{0902}{c}{VIRAMA}{d}"));
                out.push(format!("{c}\u{0902}{d}\u{093E}"));
                out.push(format!("{c}\u{0901}{d}"));
                out.push(format!("{c}{VIRAMA}\u{200C}{d}"));
            }
            for &v in &vowels {
                out.push(format!("{c}{v}"));
                out.push(format!("{c}{VIRAMA}{v}"));
            }
        }
        for &v in &vowels {
            for &w in vowels.iter().chain(&signs).chain(&marks) {
                out.push(format!("{v}{w}"));
                out.push(format!("{v}\u{0902}{w}"));
            }
        }
        out
    }

    #[cfg(feature = "icu")]
    fn icu_folded(text: &str) -> String {
        let icu =
            crate::translit::icu::transliterate(crate::translit::Transform::Script("deva"), text);
        finish(icu.unwrap_or_default())
    }

    #[cfg(feature = "icu")]
    #[test]
    fn the_table_folds_as_icu_on_every_syllable() {
        let mut differ = Vec::new();
        let mut known = 0;
        for s in syllables() {
            if let Some(mine) = folded(&s) {
                known += 1;
                let icu = icu_folded(&s);
                if mine != icu {
                    differ.push(format!("{s:?}: table {mine:?}, ICU {icu:?}"));
                }
            }
        }
        assert!(known > 10_000, "the table knew only {known} syllables");
        assert!(differ.is_empty(), "{} differ: {differ:#?}", differ.len());
    }

    #[cfg(feature = "icu")]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Any string of Devanagari letters, signs, digits, joiners and spaces: where the
        /// table answers, it answers as ICU does once folded.
        #[test]
        fn any_devanagari_folds_as_icu(
            text in "[\u{0900}-\u{097F}\u{200C}\u{200D} a-z.]{0,12}|[\u{0901}-\u{0903}\u{0905}-\u{0939}\u{093C}-\u{094D}\u{0950}\u{0958}-\u{096F}\u{0972}\u{200C} ]{1,12}"
        ) {
            if let Some(mine) = folded(&text) {
                proptest::prop_assert_eq!(mine, icu_folded(&text), "{:?}", text);
            }
        }
    }

    /// Every Devanagari name of the shared negatives (Hindi and Nepali names, 4,890 rows).
    #[cfg(feature = "icu")]
    #[test]
    fn the_table_folds_as_icu_on_real_names() {
        let Some(path) = dualtrace_testdata::shared_file("eval/negatives_global.csv") else {
            return;
        };
        let text = std::fs::read_to_string(path).expect("negatives_global.csv");
        let names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split(',').next())
            .filter(|n| n.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)))
            .collect();
        assert!(names.len() > 4_000, "{} Devanagari names", names.len());
        for name in names {
            assert_eq!(
                folded(name).as_deref(),
                Some(icu_folded(name).as_str()),
                "{name}"
            );
        }
    }
}
