//! Transcription skeletons: the consonant classes a name keeps when it is written down in a
//! script that cannot spell it.
//!
//! A foreign name written in Hangul, kana, hanzi, an Indic or South-East Asian script, or in an
//! abjad, comes back to Latin far from its usual spelling: "Vladimir Putin" is ウラジーミル・プーチン
//! ("urajimiru puchin"), 弗拉基米尔·普京 ("fulajimier pujing"), 블라디미르 푸틴 ("beulladimireu
//! putin"), भ्लादिमिर पुटिन ("bhladimira putina"). Letter edits cannot bridge these, but the
//! consonants survive in *classes*: the target script merges l and r, b/p/f/v/w, d/t/j/ch,
//! drops h and y, adds or drops vowels. The skeleton writes each consonant as its class, drops
//! vowels, h and y, and collapses doubled consonants, so all of the above give `PRTMR PTN`.
//!
//! An abjad (Arabic, Hebrew) writes consonants only, so its skeleton is all the script says:
//! "משה" and "Moshe" are both `MS`, "محمد" and "Mohamed" both `MMT`.
//!
//! Classes: b p f v w → `P`; d t j, ch/tch, zh, ts → `T`; c (before e/i/y → `S`, else `K`), g k q
//! → `K`; s z x, sh → `S`; l r → `R`; m → `M`; n, and a final ng → `N`. Deliberately coarse: the
//! matcher uses it only for names from those scripts, and only as one more way for two tokens
//! to align, at a cost.

use crate::phonetic::folded_letters;

/// The transcription skeleton of one folded Latin token (characters other than ASCII letters
/// are ignored).
///
/// ```
/// use dualtrace_names::skeleton;
/// assert_eq!(skeleton("vladimir"), "PRTMR");
/// assert_eq!(skeleton("urajimiru"), "RTMR");
/// assert_eq!(skeleton("pujing"), skeleton("putin"));
/// ```
pub fn skeleton(token: &str) -> String {
    let s = folded_letters(token, u8::is_ascii_alphabetic);
    let mut out = String::with_capacity(s.len());
    // Only a consonant written twice in a row collapses ("ll", "tt"); a vowel, h or y between
    // two consonants keeps both ("potanin" is PTNN, not "putin"'s PTN).
    let mut adjacent = false;
    let mut i = 0;
    while i < s.len() {
        let (class, used) = class_at(&s, i);
        match class {
            Some(c) if adjacent && out.ends_with(c) => {}
            Some(c) => out.push(c),
            None => {}
        }
        adjacent = class.is_some();
        i += used;
    }
    out
}

/// The class of the letter (or digraph) at `i` and how many letters it takes.
fn class_at(s: &[u8], i: usize) -> (Option<char>, usize) {
    let next = s.get(i + 1).copied();
    let after = s.get(i + 2).copied();
    match (s[i], next) {
        (b't', Some(b'c')) if after == Some(b'h') => (Some('T'), 3),
        (b'c' | b'z', Some(b'h')) => (Some('T'), 2),
        (b't', Some(b's')) => (Some('T'), 2),
        (b's', Some(b'h')) => (Some('S'), 2),
        (b'n', Some(b'g')) if i + 2 == s.len() => (Some('N'), 2),
        (b'c', Some(b'k')) => (Some('K'), 2),
        (b'c', Some(b'e' | b'i' | b'y')) => (Some('S'), 1),
        (c, _) => (letter(c), 1),
    }
}

fn letter(c: u8) -> Option<char> {
    Some(match c {
        b'b' | b'p' | b'f' | b'v' | b'w' => 'P',
        b'd' | b't' | b'j' => 'T',
        b'c' | b'g' | b'k' | b'q' => 'K',
        b's' | b'z' | b'x' => 'S',
        b'l' | b'r' => 'R',
        b'm' => 'M',
        b'n' => 'N',
        _ => return None,
    })
}

/// The consonants of a folded Latin token as an abjad writes them: the first letter, then every
/// letter but the vowels (a e i o u y), a doubled letter once. Unlike [`skeleton`], letters keep
/// their identity: Arabic and Hebrew tell l from r and k from g, they only leave vowels out.
///
/// ```
/// use dualtrace_names::consonants;
/// let c = |t: &str| consonants(t).collect::<String>();
/// assert_eq!(c("mohammed"), "mhmd");
/// assert_eq!(c("ahmed"), c("ahmd"));
/// assert_ne!(c("rima"), c("lym"));
/// ```
pub fn consonants(token: &str) -> impl Iterator<Item = char> + '_ {
    let mut last: Option<char> = None;
    token.chars().enumerate().filter_map(move |(i, c)| {
        let keep = i == 0 || !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        let fresh = last != Some(c);
        last = Some(c);
        (keep && fresh).then_some(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn any_text_gives_the_skeleton_of_its_folded_letters(token in "\\PC{0,12}|[A-Za-z0-9 -]{0,12}") {
            let letters: String = token
                .chars()
                .filter(char::is_ascii_alphabetic)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            proptest::prop_assert_eq!(skeleton(&token), skeleton(&letters));
        }
    }

    #[test]
    fn transcriptions_of_one_name_share_a_skeleton() {
        for t in [
            "vladimir",
            "wladimir",
            "beulladimireu",
            "fulajimier",
            "bhladimira",
            "vlaadiimier",
        ] {
            assert_eq!(skeleton(t), "PRTMR", "{t}");
        }
        for t in [
            "putin", "puchin", "pujing", "putina", "butin", "puuttng", "buudiin",
        ] {
            assert_eq!(skeleton(t), "PTN", "{t}");
        }
        assert_eq!(skeleton("mhmd"), skeleton("mohamed"));
        assert_eq!(skeleton("msh"), skeleton("moshe"));
        assert_eq!(skeleton("dvd"), skeleton("david"));
        assert_eq!(skeleton("ahmd"), skeleton("ahmed"));
    }

    #[test]
    fn different_consonants_differ() {
        assert_ne!(skeleton("putin"), skeleton("lavrov"));
        assert_ne!(skeleton("kim"), skeleton("lim"));
        assert_ne!(skeleton("zhang"), skeleton("wang"));
        assert_ne!(skeleton("potanin"), skeleton("putin"));
        assert_eq!(skeleton(""), "");
        assert_eq!(skeleton("aeiou"), "");
        assert_eq!(skeleton("Ünal-42"), "NR");
    }

    #[test]
    fn abjad_consonants_keep_letters() {
        let c = |t: &str| consonants(t).collect::<String>();
        assert_eq!(c("msh"), c("moshe"));
        assert_eq!(c("dvd"), c("david"));
        assert_eq!(c("hsn"), c("hassan"));
        assert_eq!(c("aladdin"), "aldn");
        assert_ne!(c("alijani"), c("aladdin"));
        assert_eq!(c(""), "");
    }
}
