//! Latin and Cyrillic letters that look alike, written into a word of the other script.
//!
//! Lists typed on mixed keyboards hold words such as "КАЎРЫЖКIН" (a Latin "I" for the
//! Belarusian "І") or "Аляĸсей" (the Latin kra "ĸ" for "к"). Split into script runs, such a
//! word falls apart into pieces ("kawryzhk i n") that match nothing, and its Cyrillic part
//! loses the letter that tells Belarusian from Russian. A reader sees one word in one script,
//! so the matcher should too: within a word holding letters of both scripts, the letters of
//! the smaller side that have a look-alike in the larger side's script are written in it
//! ("КАЎРЫЖКІН", "Алякcей" → "Аляксей"). A word written in one script, or with as many
//! letters of each, is left alone: there is no majority to read it by.

use std::borrow::Cow;

/// `text` with every word of mixed Latin and Cyrillic letters written in its majority script
/// as far as look-alike letters allow (borrowed when nothing changes).
///
/// ```text
/// "КАЎРЫЖКIН Аляĸсей" → "КАЎРЫЖКІН Аляксей";  "Аlexey" (Cyrillic А) → "Alexey"
/// ```
pub(crate) fn unify_scripts(text: &str) -> Cow<'_, str> {
    // Most names hold no Cyrillic letter, or no Latin one: nothing to look at.
    if text.is_ascii() || !text.chars().any(is_cyrillic) || !text.chars().any(is_latin) {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut start = 0;
    for (at, end) in words(text) {
        let word = &text[at..end];
        let (latin, cyrillic) = word.chars().fold((0usize, 0usize), |(l, c), ch| {
            (
                l + usize::from(is_latin(ch)),
                c + usize::from(is_cyrillic(ch)),
            )
        });
        if latin == 0 || cyrillic == 0 || latin == cyrillic {
            continue;
        }
        let to: fn(char) -> Option<char> = if latin < cyrillic {
            cyrillic_look_alike
        } else {
            latin_look_alike
        };
        if !word.chars().any(|c| to(c).is_some()) {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 8));
        out.push_str(&text[start..at]);
        out.extend(word.chars().map(|c| to(c).unwrap_or(c)));
        start = end;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[start..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Byte spans of the words of `text`: maximal runs of letters and combining marks.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (at, _) = chars.find(|(_, c)| in_word(*c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !in_word(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some((at, end))
    })
}

/// Whether a character belongs to a word (a letter, or a mark written on one). Told by range
/// for the scripts at stake: Unicode's letter table costs a search a character.
fn in_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_cyrillic(c) || is_latin(c) || matches!(c, '\u{300}'..='\u{36F}') || c.is_alphabetic()
    }
}

/// Whether a character is a Cyrillic letter (the Cyrillic block but for its signs and
/// combining marks, U+0482 to U+0489, and the Cyrillic Supplement).
fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}')
}

/// Whether a character is a Latin letter (ASCII, the letters of Latin-1, Latin Extended-A
/// and -B).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, 'ª' | 'º' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
}

/// The Cyrillic letter a Latin letter is mistaken for, if any.
fn cyrillic_look_alike(c: char) -> Option<char> {
    Some(match c {
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'I' => 'І',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        'Y' => 'У',
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'i' => 'і',
        'k' | 'ĸ' => 'к',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        'ë' => 'ё',
        'Ë' => 'Ё',
        'ï' => 'ї',
        'Ï' => 'Ї',
        _ => return None,
    })
}

/// The Latin letter a Cyrillic letter is mistaken for, if any.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'А' => 'A',
        'В' => 'B',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'І' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'О' => 'O',
        'Р' => 'P',
        'Ѕ' => 'S',
        'Т' => 'T',
        'Х' => 'X',
        'У' => 'Y',
        'а' => 'a',
        'с' => 'c',
        'е' => 'e',
        'і' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'о' => 'o',
        'р' => 'p',
        'ѕ' => 's',
        'х' => 'x',
        'у' => 'y',
        'ё' => 'ë',
        'Ё' => 'Ë',
        'ї' => 'ï',
        'Ї' => 'Ï',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_mixed_word_is_written_in_its_majority_script() {
        assert_eq!(
            unify_scripts("КАЎРЫЖКIН Аляĸсей Iгаравiч"),
            "КАЎРЫЖКІН Аляксей Ігаравіч"
        );
        // A Cyrillic "А" and "е" in a Latin word.
        assert_eq!(unify_scripts("Аlexеy Petrov"), "Alexey Petrov");
        // Words of one script each are left alone, and so are their separators.
        assert_eq!(
            unify_scripts("José Путин, «ООО» Ромашка-2"),
            "José Путин, «ООО» Ромашка-2"
        );
        assert!(matches!(unify_scripts("Kim Путин"), Cow::Borrowed(_)));
        // As many letters of each script: no majority.
        assert_eq!(unify_scripts("Ab Вг"), "Ab Вг");
        assert_eq!(unify_scripts("AБ"), "AБ");
        // A minority letter without a look-alike stays.
        assert_eq!(unify_scripts("Ромашкаz"), "Ромашкаz");
    }

    #[test]
    fn letters_are_told_by_range_as_unicode_tells_them() {
        use crate::script::uscript;
        use unicode_script::Script;
        for c in ('\0'..='\u{52F}').chain('\u{1E00}'..='\u{1EFF}') {
            let letter = c.is_alphabetic();
            assert_eq!(
                is_cyrillic(c),
                letter && uscript(c) == Script::Cyrillic,
                "{c:?}"
            );
            if c <= '\u{24F}' {
                assert_eq!(is_latin(c), letter && uscript(c) == Script::Latin, "{c:?}");
            }
            let mark = matches!(c, '\u{300}'..='\u{36F}');
            assert_eq!(in_word(c), letter || mark, "{c:?}");
        }
    }

    #[test]
    fn look_alikes_go_both_ways() {
        for c in ('A'..='Z').chain('a'..='z').chain("ĸëËïÏ".chars()) {
            if let Some(cyr) = cyrillic_look_alike(c) {
                assert!(is_cyrillic(cyr) && is_latin(c), "{c}");
                let back = latin_look_alike(cyr);
                assert!(back == Some(c) || c == 'ĸ', "{c} -> {cyr} -> {back:?}");
            }
        }
    }

    proptest! {
        /// Text holding no Cyrillic letter, or no Latin one, comes back borrowed and unchanged.
        #[test]
        fn one_script_is_left_alone(text in "[a-zA-Zéü .,'-]{0,20}|[а-яА-ЯёЁіІўЎ .,«»-]{0,20}") {
            prop_assert!(matches!(unify_scripts(&text), Cow::Borrowed(t) if t == text));
        }

        /// A word is changed only letter for letter, and afterwards holds at most one of the
        /// two scripts' look-alike letters.
        #[test]
        fn mixed_words_keep_their_shape(text in "[a-eA-Eа-еА-Еĸі .,-]{0,24}") {
            let unified = unify_scripts(&text);
            prop_assert_eq!(unified.chars().count(), text.chars().count());
            for (a, b) in text.chars().zip(unified.chars()) {
                prop_assert!(a == b || cyrillic_look_alike(a) == Some(b) || latin_look_alike(a) == Some(b));
            }
            prop_assert_eq!(unify_scripts(&unified), unified.clone());
        }
    }
}
