//! Folding: the canonical comparable form of a name's text.
//!
//! `fold` makes spelling noise disappear while keeping what distinguishes names: compatibility
//! forms are normalised (NFKC/NFKD: full-width letters, ligatures, `№`), diacritics are removed
//! from alphabetic scripts (so "Vladímír Pútín" = "vladimir putin"), case is folded, punctuation
//! becomes a space and whitespace is collapsed. Several letters need explicit folds because
//! decomposition alone gets them wrong or leaves them: `ß`→`ss`, `æ`→`ae`, `œ`→`oe`, `ø`→`o`,
//! `ł`→`l`, `đ`/`ð`→`d`, `þ`→`th`, Turkish `ı`/`İ`→`i`, Azerbaijani `ə`→`e`, Cyrillic `ё`→`е`; Cyrillic `й` is kept
//! (NFKD would turn it into `и`, losing the difference between "Сергей" and "Сергеи").
//! Apostrophe-like marks (`'`, `’`, `ʹ`, `ʻ`, `ʿ`...) are deleted rather than spaced, so
//! "O'Brien" = "obrien" and BGN's "Grigorʹyevich" = "grigoryevich". In Arabic and Hebrew the
//! vowel points, tatweel and cantillation marks are dropped; in scripts whose combining marks
//! carry sounds (kana voicing marks, Indic vowel signs, Hangul) marks are kept.
//! Decimal digits of other scripts (Arabic-Indic, Persian) become ASCII digits.

use crate::script::uscript;
use std::sync::LazyLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_script::Script as UScript;

/// Folds `text`: normalised, without diacritics, lowercase, punctuation as single spaces.
///
/// ```
/// use dualtrace_names::fold;
/// assert_eq!(fold("  Max STRAUSS, Jr. "), "max strauss jr");
/// assert_eq!(fold("Max Strauß"), "max strauss");
/// assert_eq!(fold("İstanbul Dış Ticaret A.Ş."), "istanbul dis ticaret a s");
/// assert_eq!(fold("«Сергей» Ёлкин"), "сергей елкин");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii(text);
    }
    let mut out = String::with_capacity(text.len());
    // Most text is in NFC already (the quick check answers that for nearly every string
    // without composing anything), and composing it is the costliest step of a fold.
    if is_composed(text) {
        text.chars().for_each(|c| fold_char(c, &mut out));
    } else {
        text.nfc().for_each(|c| fold_char(c, &mut out));
    }
    collapse_spaces(&out)
}

/// The fold of ASCII text (most listed names): no normalisation or script lookup needed, one
/// pass that lowercases, deletes apostrophes and turns other punctuation into single spaces.
pub(crate) fn fold_ascii(text: &str) -> String {
    // Romanisations come out folded already (six of them for a Cyrillic name): copied.
    if is_folded_ascii(text) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for_each_folded_byte(text, |b| out.push(char::from(b)));
    out
}

/// Whether ASCII text is its own fold: lowercase letters and digits in words parted by
/// single spaces. Names as lists write them stop at the first capital.
pub(crate) fn is_folded_ascii(text: &str) -> bool {
    let mut after_space = true;
    for b in text.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => after_space = false,
            b' ' if !after_space => after_space = true,
            _ => return false,
        }
    }
    !after_space || text.is_empty()
}

/// Gives `emit` the bytes of [`fold_ascii`] of an ASCII text, one by one, without building
/// the string (a name's [`crate::RenderingKey`] hashes them).
pub(crate) fn for_each_folded_byte(text: &str, mut emit: impl FnMut(u8)) {
    let (mut gap, mut started) = (false, false);
    for b in text.bytes() {
        match ASCII_FOLDS.get(usize::from(b)).copied().unwrap_or(BREAK) {
            BREAK => gap = true,
            DELETED => {}
            lower => {
                if gap && started {
                    emit(b' ');
                }
                (gap, started) = (false, true);
                emit(lower);
            }
        }
    }
}

/// [`ASCII_FOLDS`]' mark of a byte that breaks words.
const BREAK: u8 = 0;
/// [`ASCII_FOLDS`]' mark of a byte deleted (apostrophe, backtick).
const DELETED: u8 = 1;

/// Per ASCII byte, its fold: its lowercase if it is a letter or a digit, else [`BREAK`] or
/// [`DELETED`] (one load per byte instead of a test per class).
const ASCII_FOLDS: [u8; 128] = {
    let mut table = [BREAK; 128];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = b.to_ascii_lowercase();
        } else if b == b'\'' || b == b'`' {
            table[b as usize] = DELETED;
        }
        b += 1;
    }
    table
};

/// Whether `text` is in NFC: told by range for text of ASCII, the Latin letters, Cyrillic
/// and the common punctuation (characters that compose with nothing before them and need no
/// composing, which a test checks of every one), else by Unicode's quick check. The quick
/// check looks up two tables for every character, most of a Cyrillic name's romanisation.
pub(crate) fn is_composed(text: &str) -> bool {
    text.chars().all(composed_alone) || is_nfc_quick(text.chars()) == IsNormalized::Yes
}

/// Whether NFC leaves a character as it is whatever stands around it (see [`is_composed`]).
fn composed_alone(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{400}'..='\u{482}' | '\u{48A}'..='\u{52F}'
        | '\u{2010}'..='\u{2027}')
}

/// The folds of the characters from U+0080 to U+052F (Latin-1, the Latin extensions, IPA,
/// spacing modifiers, combining marks, Greek and Cyrillic), computed once by
/// [`fold_char_by_script`]: every non-ASCII letter of most names, whose fold otherwise looks
/// the character up in the script, decomposition and case tables.
static COMMON_FOLDS: LazyLock<Box<[Box<str>]>> = LazyLock::new(|| {
    ('\u{80}'..='\u{52F}')
        .map(|c| {
            let mut folded = String::new();
            fold_char_by_script(c, &mut folded);
            folded.into_boxed_str()
        })
        .collect()
});

/// Appends the folded form of one character (possibly empty, possibly a space) to `out`.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '`' {
            out.push(' ');
        }
        return;
    }
    let common = (u32::from(c) as usize)
        .checked_sub(0x80)
        .and_then(|at| COMMON_FOLDS.get(at));
    match common {
        Some(folded) => out.push_str(folded),
        None => fold_char_by_script(c, out),
    }
}

/// [`fold_char`] of a character beyond ASCII, from the tables.
fn fold_char_by_script(c: char, out: &mut String) {
    if let Some(s) = explicit_fold(c) {
        out.push_str(s);
        return;
    }
    if is_apostrophe(c) || c == '\u{0640}' {
        return;
    }
    if let Some(d) = other_digit(c) {
        out.push(d);
        return;
    }
    match uscript(c) {
        UScript::Arabic | UScript::Hebrew => {
            if !is_combining_mark(c) {
                push_lower_or_space(c, out);
            }
        }
        UScript::Latin
        | UScript::Greek
        | UScript::Cyrillic
        | UScript::Armenian
        | UScript::Georgian
        | UScript::Common
        | UScript::Inherited
        | UScript::Unknown => fold_decomposed(c, out),
        _ => {
            for d in std::iter::once(c).nfkc() {
                if is_combining_mark(d) {
                    out.push(d);
                } else {
                    push_lower_or_space(d, out);
                }
            }
        }
    }
}

/// Appends the letters and digits of a character's compatibility decomposition, lowercased
/// (a space for anything else), without its combining marks: "é" is "e". Decomposed directly,
/// not through the NFKD iterator, which buffers and reorders: reordering moves only combining
/// marks, which are dropped (a test checks every character against the iterator).
fn fold_decomposed(c: char, out: &mut String) {
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) {
            push_lower_or_space(d, out);
        }
    });
}

/// Letters whose fold is not (or not well) given by decomposition.
fn explicit_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        '№' => " no ",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' | 'İ' => "i",
        'ħ' | 'Ħ' => "h",
        'ə' | 'Ə' | 'ǝ' | 'Ǝ' => "e",
        'ŋ' | 'Ŋ' => "ng",
        'ŀ' | 'Ŀ' => "l",
        'ё' | 'Ё' => "е",
        'й' | 'Й' => "й",
        'ї' | 'Ї' => "ї",
        'ў' | 'Ў' => "ў",
        _ => return None,
    })
}

/// Apostrophes, primes and half-rings: deleted inside words.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’'
            | '‘'
            | '`'
            | '´'
            | 'ʹ'
            | 'ʺ'
            | 'ʻ'
            | 'ʼ'
            | 'ʽ'
            | 'ʾ'
            | 'ʿ'
            | '′'
            | '″'
            | 'ˈ'
    )
}

/// ASCII digit for Arabic-Indic and Extended Arabic-Indic (Persian) digits.
fn other_digit(c: char) -> Option<char> {
    let v = match c {
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        _ => return None,
    };
    char::from_digit(v, 10)
}

/// Pushes the lowercase of an alphanumeric character, or a space for anything else.
fn push_lower_or_space(c: char, out: &mut String) {
    if c.is_alphanumeric() {
        out.extend(c.to_lowercase());
    } else {
        out.push(' ');
    }
}

/// Trims and collapses runs of whitespace into single spaces.
pub(crate) fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_folds_are_the_folds_by_script() {
        let (mut fast, mut slow) = (String::new(), String::new());
        for c in '\u{80}'..='\u{600}' {
            fast.clear();
            slow.clear();
            fold_char(c, &mut fast);
            fold_char_by_script(c, &mut slow);
            assert_eq!(fast, slow, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn characters_told_composed_by_range_are() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| composed_alone(*c))
        {
            let alone = std::iter::once(c);
            assert_eq!(
                is_nfc_quick(alone),
                IsNormalized::Yes,
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn every_character_decomposes_as_through_the_nfkd_iterator() {
        let (mut direct, mut iterated) = (String::new(), String::new());
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            direct.clear();
            iterated.clear();
            fold_decomposed(c, &mut direct);
            for d in std::iter::once(c).nfkd() {
                if !is_combining_mark(d) {
                    push_lower_or_space(d, &mut iterated);
                }
            }
            assert_eq!(direct, iterated, "U+{:04X}", u32::from(c));
        }
    }

    proptest::proptest! {
        #[test]
        fn text_in_nfc_folds_as_composed_again(
            text in "[a-zA-Z \u{0300}-\u{036F}\u{00C0}-\u{017F}\u{0400}-\u{045F}\u{0370}-\u{03FF}\u{1100}-\u{11FF}\u{AC00}-\u{AC40}\u{2018}-\u{201F}\u{2126}\u{212B}]{0,24}"
        ) {
            let mut composed = String::new();
            for c in text.nfc() {
                fold_char(c, &mut composed);
            }
            proptest::prop_assert_eq!(fold(&text), collapse_spaces(&composed));
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_agrees_with_the_general_fold(
            // Also text folded already, or nearly (spaces doubled, leading or trailing).
            text in "[ -~]{0,40}|[a-z0-9 ]{0,30}"
        ) {
            let mut general = String::new();
            for c in text.nfc() {
                fold_char(c, &mut general);
            }
            proptest::prop_assert_eq!(fold_ascii(&text), collapse_spaces(&general));
        }
    }

    #[test]
    fn diacritics_case_and_punctuation() {
        assert_eq!(fold("Vladímír Pútín"), "vladimir putin");
        assert_eq!(fold("François-Müller"), "francois muller");
        assert_eq!(fold("Lars Løkke Rasmussen"), "lars lokke rasmussen");
        assert_eq!(fold("Małgorzata Gersdorf"), "malgorzata gersdorf");
        assert_eq!(fold("Đorđe Þór Æsir Œuvre"), "dorde thor aesir oeuvre");
        assert_eq!(fold("AHMET ÇİÇEK"), "ahmet cicek");
        assert_eq!(fold("Dış"), "dis");
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("Grigorʹyevich"), "grigoryevich");
        assert_eq!(fold("«Рога и копыта»"), "рога и копыта");
        assert_eq!(fold("“Acme” „Corp”"), "acme corp");
        assert_eq!(fold("ＡＢＣ　Ｌｔｄ"), "abc ltd");
        assert_eq!(fold("Plant №5"), "plant no 5");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" ,.; "), "");
    }

    #[test]
    fn cyrillic_short_i_and_yo() {
        assert_eq!(fold("Сергей"), "сергей");
        assert_eq!(fold("Серге\u{0438}\u{0306}"), "сергей");
        assert_eq!(fold("Пётр Ёлкин"), "петр елкин");
        assert_eq!(fold("Влади́мир"), "владимир");
        assert_eq!(fold("Їжак Ўладзь"), "їжак ўладзь");
    }

    #[test]
    fn semitic_points_and_digits() {
        assert_eq!(fold("مُحَمَّد"), "محمد");
        assert_eq!(fold("محـــمد"), "محمد");
        assert_eq!(fold("מֹשֶׁה"), "משה");
        assert_eq!(fold("٣٤ ۵"), "34 5");
    }

    #[test]
    fn sound_marks_kept() {
        assert_eq!(fold("ガ"), "ガ");
        assert_eq!(fold("김정은"), "김정은");
        assert_eq!(fold("व्लादिमीर"), "व्लादिमीर");
    }
}
