//! Latin and Cyrillic letters that look alike, written into a word of the other script.
//!
//! Lists typed on mixed keyboards hold words such as "КАЎРЫЖКIН" (a Latin "I" for the
//! Belarusian "І"), "Аляĸсей" (the Latin kra "ĸ" for "к"), "Texнoлoгия" (Latin "T", "e", "x"
//! and "o") or "Мyasishchev" (a Cyrillic "М"): the EU's Russia annex alone holds hundreds.
//! Split into script runs, such a word falls apart into pieces ("kawryzhk i n") that match
//! nothing, and its Cyrillic part may lose the letter that tells Belarusian from Russian. A
//! reader sees one word in one script, so the matcher should too. A word holding letters of
//! both scripts is written in the script that can write all of it with look-alikes: Cyrillic
//! for "Texнoлoгия" (every Latin letter has a Cyrillic look-alike, "н" has no Latin one), Latin
//! for "Мyasishchev". When either could, the script of most of the name's letters decides
//! ("AО" in a Cyrillic name is "АО", the Russian joint-stock company); when neither could,
//! the word's own majority, as far as its look-alikes go.

use std::borrow::Cow;

/// The two scripts a mixed word may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Latin,
    Cyrillic,
}

/// `text` with every word of mixed Latin and Cyrillic letters written in one script as far as
/// look-alike letters allow (see the module docs; borrowed when nothing changes).
///
/// ```text
/// "КАЎРЫЖКIН Аляĸсей" → "КАЎРЫЖКІН Аляксей";  "Аlexey" (Cyrillic А) → "Alexey"
/// ```
pub(crate) fn unify_scripts(text: &str) -> Cow<'_, str> {
    // Most names hold no Cyrillic letter, or no Latin one: nothing to look at (one pass).
    if text.is_ascii() || !holds_both(text) {
        return Cow::Borrowed(text);
    }
    let read: Vec<Word> = words(text).map(|span| Word::of(text, span)).collect();
    // The name's letters by script: its words of one script, and the words only one script
    // can write, counted in that script (the words either could write are what the count
    // decides, so they do not vote; nor do those neither could).
    let name = read.iter().fold((0, 0), |(l, c), w| {
        let (latin, cyrillic) = w.letters;
        match w.writable {
            _ if latin == 0 || cyrillic == 0 => (l + latin, c + cyrillic),
            (true, false) => (l + latin + cyrillic, c),
            (false, true) => (l, c + latin + cyrillic),
            _ => (l, c),
        }
    });
    let mut out: Option<String> = None;
    let mut start = 0;
    for w in &read {
        let (at, end) = w.span;
        let word = &text[at..end];
        let to: fn(char) -> Option<char> = match w.target(name) {
            Some(Target::Latin) => latin_look_alike,
            Some(Target::Cyrillic) => cyrillic_look_alike,
            None => continue,
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

/// Whether `text` holds both a Latin and a Cyrillic letter.
fn holds_both(text: &str) -> bool {
    let (mut latin, mut cyrillic) = (false, false);
    for c in text.chars() {
        latin |= is_latin(c);
        cyrillic |= is_cyrillic(c);
        if latin && cyrillic {
            return true;
        }
    }
    false
}

/// What [`unify_scripts`] reads of a word of a name holding both scripts.
struct Word {
    /// Its byte span in the name.
    span: (usize, usize),
    /// How many Latin and Cyrillic letters it holds.
    letters: (usize, usize),
    /// Whether look-alikes can write all of it in Latin, and in Cyrillic.
    writable: (bool, bool),
}

impl Word {
    /// The word of `text` at `span`.
    fn of(text: &str, span: (usize, usize)) -> Word {
        let word = &text[span.0..span.1];
        let letters = word.chars().fold((0, 0), |(l, c), ch| {
            (
                l + usize::from(is_latin(ch)),
                c + usize::from(is_cyrillic(ch)),
            )
        });
        let as_latin = word
            .chars()
            .all(|c| !is_cyrillic(c) || latin_look_alike(c).is_some());
        let as_cyrillic = word
            .chars()
            .all(|c| !is_latin(c) || cyrillic_look_alike(c).is_some());
        Word {
            span,
            letters,
            writable: (as_latin, as_cyrillic),
        }
    }

    /// The script the word is to be written in (`None` for a word of one script, or one left
    /// as it is), `name` being the name's letter counts by script (see [`unify_scripts`]).
    fn target(&self, name: (usize, usize)) -> Option<Target> {
        let (latin, cyrillic) = self.letters;
        if latin == 0 || cyrillic == 0 {
            return None;
        }
        match self.writable {
            (true, true) => majority(name),
            (true, false) => Some(Target::Latin),
            (false, true) => Some(Target::Cyrillic),
            (false, false) => majority(self.letters),
        }
    }
}

/// The script with more letters of the two counts (Latin, Cyrillic), if either has.
fn majority((latin, cyrillic): (usize, usize)) -> Option<Target> {
    match latin.cmp(&cyrillic) {
        std::cmp::Ordering::Less => Some(Target::Cyrillic),
        std::cmp::Ordering::Greater => Some(Target::Latin),
        std::cmp::Ordering::Equal => None,
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
        // Written wholly in the one script its look-alikes allow, whatever the majority.
        assert_eq!(unify_scripts("ООО Texнoлoгия"), "ООО Технология");
        assert_eq!(unify_scripts("Cepвиc"), "Сервис");
        assert_eq!(unify_scripts("Мyasishchev"), "Myasishchev");
        // Either script could write it: the name's decides.
        assert_eq!(unify_scripts("AО Концерн"), "АО Концерн");
        assert_eq!(unify_scripts("Tesla AО"), "Tesla AO");
        // Neither could, and as many letters of each script: left alone.
        assert_eq!(unify_scripts("Ab Вг"), "Ab Вг");
        assert_eq!(unify_scripts("bБ"), "bБ");
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
    fn renderings_are_of_the_script_the_words_were_read_in() {
        use crate::{NameKind, Script, renderings};
        // Five Latin letters and five Cyrillic ones, read as Cyrillic.
        let r = renderings("Texнoлoгия", NameKind::Organization);
        assert_eq!(r.script, Script::Cyrillic);
        assert_eq!(r.latin.first().map(String::as_str), Some("tekhnologiya"));
        assert_eq!(
            renderings("Мyasishchev", NameKind::Person).script,
            Script::Latin
        );
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
