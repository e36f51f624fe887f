//! Writing-system detection.
//!
//! Names are routed to a transliterator by their Unicode *script*, never by a guessed language:
//! language identification is unreliable on two or three short words, whereas the script of
//! every letter is a fact. A name may mix scripts ("José 习近平", "Kim 김민석"), so besides the
//! dominant script of a whole name this module splits text into *runs* of one script each;
//! punctuation, digits and combining marks (Unicode scripts Common and Inherited) stay with the
//! run they follow.

use std::sync::LazyLock;
use unicode_script::{Script as UScript, UnicodeScript};

/// The writing system of a name, as far as transliteration is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (with or without diacritics).
    Latin,
    /// Cyrillic (Russian, Ukrainian, Belarusian, Kazakh, Serbian, Bulgarian...).
    Cyrillic,
    /// Greek.
    Greek,
    /// Armenian.
    Armenian,
    /// Georgian (Mkhedruli).
    Georgian,
    /// Arabic script (Arabic, Persian, Urdu...).
    Arabic,
    /// Hebrew.
    Hebrew,
    /// Han ideographs (Chinese hanzi, Japanese kanji, Korean hanja).
    Han,
    /// Japanese Hiragana or Katakana.
    Kana,
    /// Korean Hangul.
    Hangul,
    /// Any other script with letters (Thai, Devanagari, Bengali...).
    Other,
    /// No letters at all (empty, digits or punctuation only).
    None,
}

impl Script {
    /// A short lowercase label, e.g. `"cyrillic"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Cyrillic => "cyrillic",
            Script::Greek => "greek",
            Script::Armenian => "armenian",
            Script::Georgian => "georgian",
            Script::Arabic => "arabic",
            Script::Hebrew => "hebrew",
            Script::Han => "han",
            Script::Kana => "kana",
            Script::Hangul => "hangul",
            Script::Other => "other",
            Script::None => "none",
        }
    }
}

/// Characters below this have their Unicode script in [`LOW_SCRIPTS`] (Latin with its
/// diacritics and extensions, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana).
const LOW_LIMIT: usize = 0x800;

/// The Unicode script of every character below [`LOW_LIMIT`], taken from `unicode-script`
/// once: an index instead of its binary search over all of Unicode.
static LOW_SCRIPTS: LazyLock<Vec<UScript>> = LazyLock::new(|| {
    (0..LOW_LIMIT as u32)
        .map(|u| char::from_u32(u).map_or(UScript::Unknown, |c| c.script()))
        .collect()
});

/// The Unicode script of a character (the same as `c.script()`, faster for the scripts of
/// most names).
pub(crate) fn uscript(c: char) -> UScript {
    match LOW_SCRIPTS.get(c as usize) {
        Some(u) => *u,
        None => c.script(),
    }
}

/// Maps a Unicode script to ours; `None` for Common/Inherited/Unknown (no script of its own).
pub(crate) fn classify(u: UScript) -> Option<Script> {
    Some(match u {
        UScript::Common | UScript::Inherited | UScript::Unknown => return None,
        UScript::Latin => Script::Latin,
        UScript::Cyrillic => Script::Cyrillic,
        UScript::Greek => Script::Greek,
        UScript::Armenian => Script::Armenian,
        UScript::Georgian => Script::Georgian,
        UScript::Arabic | UScript::Syriac | UScript::Thaana => Script::Arabic,
        UScript::Hebrew => Script::Hebrew,
        UScript::Han | UScript::Bopomofo => Script::Han,
        UScript::Hiragana | UScript::Katakana => Script::Kana,
        UScript::Hangul => Script::Hangul,
        _ => Script::Other,
    })
}

/// The dominant script of `text`: the script with the most letters (ties go to the first seen).
///
/// ```
/// use dualtrace_names::{script_of, Script};
/// assert_eq!(script_of("Путин, Владимир"), Script::Cyrillic);
/// assert_eq!(script_of("習近平 (Xi)"), Script::Han);
/// assert_eq!(script_of("12-34"), Script::None);
/// ```
pub fn script_of(text: &str) -> Script {
    if text.is_ascii() {
        return if text.bytes().any(|b| b.is_ascii_alphabetic()) {
            Script::Latin
        } else {
            Script::None
        };
    }
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for c in text.chars() {
        if let Some(s) = classify(uscript(c)) {
            match counts.iter_mut().find(|(k, _)| *k == s) {
                Some((_, n)) => *n += 1,
                None => counts.push((s, 1)),
            }
        }
    }
    let mut best = (Script::None, 0);
    for (s, n) in counts {
        if n > best.1 {
            best = (s, n);
        }
    }
    best.0
}

/// A maximal stretch of text in one script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run<'a> {
    /// Our script of the run (`Script::None` for text without letters).
    pub script: Script,
    /// The Unicode script of its first letter (routes `Script::Other` runs).
    pub uscript: UScript,
    /// The text of the run.
    pub text: &'a str,
}

/// Splits `text` into runs of one script; Common/Inherited characters join the current run
/// (a leading one joins the first lettered run).
pub(crate) fn runs(text: &str) -> Vec<Run<'_>> {
    if text.is_ascii() {
        let latin = text.bytes().any(|b| b.is_ascii_alphabetic());
        let (script, uscript) = if latin {
            (Script::Latin, UScript::Latin)
        } else {
            (Script::None, UScript::Common)
        };
        return vec![Run {
            script,
            uscript,
            text,
        }];
    }
    let mut out: Vec<Run<'_>> = Vec::new();
    let mut start = 0;
    let mut current: Option<(Script, UScript)> = None;
    for (i, c) in text.char_indices() {
        let u = uscript(c);
        let Some(s) = classify(u) else { continue };
        match current {
            None => current = Some((s, u)),
            Some((cur, _)) if cur == s => {}
            Some((cur, cu)) => {
                out.push(Run {
                    script: cur,
                    uscript: cu,
                    text: &text[start..i],
                });
                start = i;
                current = Some((s, u));
            }
        }
    }
    let (script, uscript) = current.unwrap_or((Script::None, UScript::Common));
    if start < text.len() || out.is_empty() {
        out.push(Run {
            script,
            uscript,
            text: &text[start..],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn ascii_fast_paths_agree_with_unicode_scripts(text in "[ -~]{0,30}") {
            let slow = |t: &str| {
                let mut seen = t.chars().filter_map(|c| classify(c.script()));
                seen.next().unwrap_or(Script::None)
            };
            proptest::prop_assert_eq!(script_of(&text), slow(&text));
            let r = runs(&text);
            proptest::prop_assert_eq!(r.len(), 1);
            proptest::prop_assert_eq!(r[0].script, slow(&text));
        }
    }

    #[test]
    fn script_index_agrees_with_unicode_script() {
        for u in 0..=0x10FFFF_u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(uscript(c), c.script(), "{u:#x}");
            }
        }
    }

    #[test]
    fn dominant_script() {
        assert_eq!(script_of("Vladimir PUTIN"), Script::Latin);
        assert_eq!(script_of("ソニー"), Script::Kana);
        assert_eq!(script_of("김정은"), Script::Hangul);
        assert_eq!(script_of("משה"), Script::Hebrew);
        assert_eq!(script_of("محمد"), Script::Arabic);
        assert_eq!(script_of("ვლადიმერ"), Script::Georgian);
        assert_eq!(script_of("Վլադիմիր"), Script::Armenian);
        assert_eq!(script_of("Αλέξης"), Script::Greek);
        assert_eq!(script_of("สมชาย"), Script::Other);
        assert_eq!(script_of(""), Script::None);
    }

    #[test]
    fn runs_split_mixed_names() {
        let r = runs("José 习近平");
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].script, r[0].text), (Script::Latin, "José "));
        assert_eq!((r[1].script, r[1].text), (Script::Han, "习近平"));
        let r = runs("«ООО» Ромашка-2");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].script, Script::Cyrillic);
        assert_eq!(runs("--").len(), 1);
        assert_eq!(runs("")[0].script, Script::None);
    }
}
