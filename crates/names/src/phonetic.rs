//! A compact phonetic key built to make *transliteration* variants collide.
//!
//! General-purpose keys (Soundex, Double Metaphone) are tuned to English spelling and split
//! the variants that matter here: Double Metaphone reads the "g" of "Sergei" and "Serguei"
//! differently and keeps "Tch"/"Ch" apart only sometimes. This key instead encodes the
//! differences between romanisation systems as equivalences:
//!
//! * digraphs of one sound: sh/sch/sz → `X`; ch/tch/tsch/cz/tsj/tj and a final -ic → `C`;
//!   zh/dzh/dj/j before a vowel at the start → `J`; kh/h → `H`; ph/f/v/w → `F`; ts/tz/z/s/c before
//!   e/i/y → `S`; c/k/ck/q → `K`; x → `KS`; gu before e/i → `G`; th → `T`; dh → `D`; gh → `G`;
//! * b and p merge (Arabic has no p: بوتين is "Butin"); doubled codes collapse;
//! * vowels (a e i o u y, and j after a vowel) are dropped except at the start, where any vowel
//!   (and an initial y before a vowel, as in Yevgeny/Evgeniy) becomes `A`; a final h after a
//!   vowel is dropped (Abdullah/Abdulla);
//! * digits are kept as they are.
//!
//! So "Sergey"/"Sergei"/"Serguei" → `SRG`, "Mohammed"/"Muhammad"/"Mohamad"/"mhmd" → `MHMD`; see the
//! tests for the exact keys. The key is deliberately coarse: it is a candidate-retrieval and
//! tie-breaking feature, never a match on its own.

use std::borrow::Cow;

/// The phonetic key of one folded Latin token (non-ASCII-letter characters other than digits
/// are ignored; an empty or symbol-only token gives an empty key).
///
/// ```
/// use dualtrace_names::phonetic;
/// assert_eq!(phonetic("sergey"), phonetic("serguei"));
/// assert_eq!(phonetic("tchaikovsky"), phonetic("chaikovskiy"));
/// assert_ne!(phonetic("putin"), phonetic("lavrov"));
/// ```
pub fn phonetic(token: &str) -> String {
    let letters = folded_letters(token, u8::is_ascii_alphanumeric);
    let mut key = Key::new(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let (code, used) = code_at(&letters, i);
        key.push(code);
        i += used;
    }
    key.out
}

/// The lowercase ASCII bytes of `token` that `keep` accepts; borrowed when that is all of it
/// (a folded token, the usual case), so that most keys allocate only their result.
pub(crate) fn folded_letters(token: &str, keep: fn(&u8) -> bool) -> Cow<'_, [u8]> {
    let bytes = token.as_bytes();
    if bytes.iter().all(|b| keep(b) && !b.is_ascii_uppercase()) {
        Cow::Borrowed(bytes)
    } else {
        Cow::Owned(
            bytes
                .iter()
                .filter(|b| keep(b))
                .map(u8::to_ascii_lowercase)
                .collect(),
        )
    }
}

const VOWEL: u8 = b'*';

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The key being written: codes go in as they are found and are compressed on the way (a
/// leading vowel becomes `A`, later vowels go, repeated codes collapse, digits excepted).
struct Key {
    out: String,
    /// Whether any code byte came before (only the very first one may turn into `A`).
    started: bool,
    last: Option<u8>,
}

impl Key {
    fn new(len: usize) -> Key {
        Key {
            out: String::with_capacity(len),
            started: false,
            last: None,
        }
    }

    fn push(&mut self, code: &[u8]) {
        for &c in code {
            let first = !self.started;
            self.started = true;
            if c == VOWEL {
                if first {
                    self.out.push('A');
                }
                self.last = Some(VOWEL);
                continue;
            }
            if self.last == Some(c) && !c.is_ascii_digit() {
                continue;
            }
            self.out.push(char::from(c));
            self.last = Some(c);
        }
    }
}

/// The code of the sound starting at `i` and how many letters it used (see the module docs:
/// the longest digraph or trigraph first, then the letter in its context).
fn code_at(s: &[u8], i: usize) -> (&'static [u8], usize) {
    let at = |n: usize| s.get(i + n).copied();
    let at_end = |n: usize| i + n >= s.len();
    let front = |n: usize| at(n).is_some_and(|b| matches!(b, b'e' | b'i' | b'y'));
    let prev_vowel = i > 0 && is_vowel(s[i - 1]);
    match (s[i], at(1)) {
        (b't', Some(b's')) if at(2) == Some(b'c') && at(3) == Some(b'h') => (b"C", 4),
        (b't', Some(b'c')) if at(2) == Some(b'h') => (b"C", 3),
        (b't', Some(b's')) if at(2) == Some(b'j') => (b"C", 3),
        (b't', Some(b'h')) => (b"T", 2),
        (b't', Some(b's' | b'z')) => (b"S", 2),
        (b't', Some(b'j')) if at_end(2) => (b"C", 2),
        (b'd', Some(b'z')) if at(2) == Some(b'h') => (b"J", 3),
        (b'd', Some(b'j')) => (b"J", 2),
        (b'd', Some(b'h')) => (b"D", 2),
        (b'd', Some(b't')) => (b"T", 2),
        (b's', Some(b'c')) if at(2) == Some(b'h') => (b"X", 3),
        (b's', Some(b'h' | b'z')) => (b"X", 2),
        (b'c', Some(b'h' | b'z')) => (b"C", 2),
        (b'c', Some(b'k')) => (b"K", 2),
        (b'z', Some(b'h')) => (b"J", 2),
        (b'k', Some(b'h')) => (b"H", 2),
        (b'p', Some(b'h')) => (b"F", 2),
        (b'g', Some(b'h')) => (b"G", 2),
        (b'g', Some(b'u')) if front(2) => (b"G", 2),
        (b'0'..=b'9', _) => (digit(s[i]), 1),
        (b, next) => (letter_code(b, i, at_end(1), next, prev_vowel, s), 1),
    }
}

/// The code of a single letter at `i` (no digraph starts there).
fn letter_code(
    b: u8,
    i: usize,
    last: bool,
    next: Option<u8>,
    prev_vowel: bool,
    s: &[u8],
) -> &'static [u8] {
    let next_vowel = next.is_some_and(is_vowel);
    match b {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => b"*",
        b'j' if i == 0 && next_vowel => b"J",
        b'j' if prev_vowel => b"*",
        b'j' => b"J",
        b'c' if i > 0 && s[i - 1] == b'i' && last => b"C",
        b'c' if next.is_some_and(|n| matches!(n, b'e' | b'i' | b'y')) => b"S",
        b'c' | b'k' | b'q' => b"K",
        b'x' => b"KS",
        b'z' | b's' => b"S",
        b'v' | b'w' | b'f' => b"F",
        b'b' | b'p' => b"P",
        b'h' if prev_vowel && last => b"",
        b'h' => b"H",
        b'g' => b"G",
        b'd' => b"D",
        b't' => b"T",
        b'l' => b"L",
        b'm' => b"M",
        b'n' => b"N",
        b'r' => b"R",
        _ => b"",
    }
}

fn digit(b: u8) -> &'static [u8] {
    const DIGITS: [&[u8]; 10] = [b"0", b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9"];
    DIGITS[usize::from(b - b'0')]
}

#[cfg(test)]
mod tests {
    use super::*;

    mod reference {
        //! The key as first written (a table of patterns tried in turn), kept as the oracle.
        use super::super::{VOWEL, digit, is_vowel};

        pub(super) fn reference(token: &str) -> String {
            let s: Vec<u8> = token
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| b.to_ascii_lowercase())
                .collect();
            let mut codes: Vec<u8> = Vec::with_capacity(s.len());
            let mut i = 0;
            while i < s.len() {
                let (code, used) = code_at(&s, i);
                codes.extend_from_slice(code);
                i += used;
            }
            compress(&codes)
        }

        fn starts(s: &[u8], i: usize, pat: &str) -> bool {
            s.get(i..i + pat.len()) == Some(pat.as_bytes())
        }

        /// The code of the sound starting at `i` and how many letters it used.
        fn code_at(s: &[u8], i: usize) -> (&'static [u8], usize) {
            let at_end = |n: usize| i + n >= s.len();
            let next_vowel = |n: usize| s.get(i + n).is_some_and(|b| is_vowel(*b));
            for (pat, code) in [
                ("tsch", &b"C"[..]),
                ("dzh", b"J"),
                ("sch", b"X"),
                ("tch", b"C"),
                ("tsj", b"C"),
            ] {
                if starts(s, i, pat) {
                    return (code, pat.len());
                }
            }
            for (pat, code) in [
                ("sh", &b"X"[..]),
                ("sz", b"X"),
                ("ch", b"C"),
                ("cz", b"C"),
                ("zh", b"J"),
                ("dj", b"J"),
                ("kh", b"H"),
                ("ph", b"F"),
                ("th", b"T"),
                ("dh", b"D"),
                ("gh", b"G"),
                ("ts", b"S"),
                ("tz", b"S"),
                ("ck", b"K"),
                ("dt", b"T"),
            ] {
                if starts(s, i, pat) {
                    return (code, pat.len());
                }
            }
            if starts(s, i, "tj") && at_end(2) {
                return (b"C", 2);
            }
            if starts(s, i, "gu")
                && s.get(i + 2)
                    .is_some_and(|b| matches!(b, b'e' | b'i' | b'y'))
            {
                return (b"G", 2);
            }
            let b = s[i];
            let prev_vowel = i > 0 && is_vowel(s[i - 1]);
            let code: &'static [u8] = match b {
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => b"*",
                b'j' if i == 0 && next_vowel(1) => b"J",
                b'j' if prev_vowel => b"*",
                b'j' => b"J",
                b'c' if i > 0 && s[i - 1] == b'i' && at_end(1) => b"C",
                b'c' if s
                    .get(i + 1)
                    .is_some_and(|n| matches!(n, b'e' | b'i' | b'y')) =>
                {
                    b"S"
                }
                b'c' | b'k' | b'q' => b"K",
                b'x' => b"KS",
                b'z' | b's' => b"S",
                b'v' | b'w' | b'f' => b"F",
                b'b' | b'p' => b"P",
                b'h' if prev_vowel && at_end(1) => b"",
                b'h' => b"H",
                b'g' => b"G",
                b'd' => b"D",
                b't' => b"T",
                b'l' => b"L",
                b'm' => b"M",
                b'n' => b"N",
                b'r' => b"R",
                b'0'..=b'9' => return (digit(b), 1),
                _ => b"",
            };
            (code, 1)
        }

        /// Initial y before a vowel is dropped, a leading vowel becomes `A`, later vowels go,
        /// repeated codes collapse (digits excepted).
        fn compress(codes: &[u8]) -> String {
            let mut out = String::with_capacity(codes.len());
            let mut last: Option<u8> = None;
            for (i, &c) in codes.iter().enumerate() {
                if c == VOWEL {
                    if i == 0 {
                        out.push('A');
                    }
                    last = Some(VOWEL);
                    continue;
                }
                if last == Some(c) && !c.is_ascii_digit() {
                    continue;
                }
                out.push(char::from(c));
                last = Some(c);
            }
            out
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn key_equals_the_reference(token in "[a-zA-Z0-9]{0,12}|\\PC{0,12}|[sctzdkhgujeiy -]{0,12}") {
            proptest::prop_assert_eq!(phonetic(&token), reference::reference(&token));
        }
    }

    fn same(words: &[&str]) {
        let k = phonetic(words[0]);
        for w in words {
            assert_eq!(phonetic(w), k, "{w} vs {}", words[0]);
        }
    }

    #[test]
    fn transliteration_variants_collide() {
        same(&["sergey", "sergei", "serguei", "sergej"]);
        same(&[
            "mohammed",
            "muhammad",
            "mohamad",
            "mohamed",
            "mhmd",
            "mukhammad",
        ]);
        same(&["tchaikovsky", "chaikovskiy", "tschaikowski"]);
        same(&["yevgeny", "evgeniy", "evgeni", "yevgeniy"]);
        same(&["putin", "poutine", "poetin", "putyin", "butin"]);
        same(&["vladimir", "wladimir", "fladimir", "vldimir"]);
        same(&[
            "vladimirovich",
            "wladimirowitsch",
            "vladimirovitch",
            "vladimirovic",
            "wladimirowicz",
        ]);
        same(&["abdullah", "abdulla", "abdallah"]);
        same(&["khaled", "khalid", "khald"]);
        same(&["mahmoud", "mahmud", "mhmud"]);
        same(&["hassan", "hasan"]);
        same(&["tsipras", "cipras"]);
        same(&["lavrov", "lavroff", "lawrow"]);
        same(&["khrushchev", "khrushchov"]);
        same(&["zhukov", "joukov", "dzhukov"]);
    }

    #[test]
    fn keys() {
        assert_eq!(phonetic("sergey"), "SRG");
        assert_eq!(phonetic("putin"), "PTN");
        assert_eq!(phonetic("yevgeny"), "AFGN");
        assert_eq!(phonetic("ali"), "AL");
        assert_eq!(phonetic("5"), "5");
        assert_eq!(phonetic("1000"), "1000");
        assert_eq!(phonetic(""), "");
        assert_eq!(phonetic("--"), "");
    }

    #[test]
    fn different_names_stay_apart() {
        assert_ne!(phonetic("putin"), phonetic("patel"));
        assert_ne!(phonetic("sergey"), phonetic("george"));
        assert_ne!(phonetic("ivanov"), phonetic("ivanenko"));
        assert_ne!(phonetic("bush"), phonetic("habbash"));
    }
}
