//! Arabic-script and Hebrew to Latin with hand tables.
//!
//! Both scripts normally omit short vowels, so no table can restore "Muhammad" from محمد: the
//! output is a consonant skeleton with the long vowels the script does write ("mhmd", "ali",
//! "mahmud" → "mhmud"). ICU4X's transforms give the same consonant-only result with scholarly
//! diacritics ("mḥmd ʿly"); the hand tables are used instead because they read و/ي between
//! consonants as the vowels u/i, ع word-initially as "a" (Ali, Abd, Omar) and final ه/ة as "ah"/
//! "a", which is what Latin spellings of these names contain. The phonetic key drops vowels, so
//! "mhmd" and "Mohammed" collide there. Two readings are produced: a vocalic one (و→u, ي→i
//! inside words) and a consonantal one (و→w, ي→y; Hebrew ו→v, ב→v), with "عبد ال..." also
//! joined into one word as in "Abdullah".

/// Arabic-script (Arabic, Persian, Urdu) readings of a run.
pub(crate) fn arabic_variants(run: &str) -> Vec<String> {
    let chars: Vec<char> = strip_marks(run);
    let vocalic = romanise(&chars, false, arabic_letter);
    let consonantal = romanise(&chars, true, arabic_letter);
    let joined = join_abd(&vocalic);
    vec![vocalic, consonantal, joined]
}

/// Hebrew readings of a run.
pub(crate) fn hebrew_variants(run: &str) -> Vec<String> {
    let chars: Vec<char> = strip_marks(run);
    vec![
        romanise(&chars, false, hebrew_letter),
        romanise(&chars, true, hebrew_letter),
    ]
}

fn strip_marks(run: &str) -> Vec<char> {
    use unicode_normalization::char::is_combining_mark;
    run.chars()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{0640}')
        .collect()
}

/// Position of a letter inside its word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Initial,
    Medial,
    Final,
}

type LetterFn = fn(char, Pos, bool, Option<char>) -> Option<&'static str>;

fn romanise(chars: &[char], consonantal: bool, table: LetterFn) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let prev_letter = i > 0 && is_word_char(chars[i - 1]);
        let next = chars.get(i + 1).copied();
        let next_letter = next.is_some_and(is_word_char);
        let pos = match (prev_letter, next_letter) {
            (false, _) => Pos::Initial,
            (true, false) => Pos::Final,
            (true, true) => Pos::Medial,
        };
        match table(c, pos, consonantal, next) {
            Some(s) => out.push_str(s),
            None if is_geresh(c) => {}
            None => out.push(c),
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_geresh(c)
}

fn is_geresh(c: char) -> bool {
    matches!(c, '\u{05F3}' | '\'' | '\u{2019}')
}

fn arabic_letter(
    c: char,
    pos: Pos,
    consonantal: bool,
    _next: Option<char>,
) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'آ' | 'ٱ' => "a",
        'إ' => "i",
        'ء' | 'ئ' | 'ؤ' => "",
        'ب' => "b",
        'ت' | 'ط' | 'ٹ' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' | 'ہ' | 'ھ' if pos == Pos::Final && c != 'ح' => "ah",
        'ح' | 'ه' | 'ہ' | 'ھ' => "h",
        'خ' => "kh",
        'د' | 'ض' | 'ڈ' => "d",
        'ذ' => "dh",
        'ر' | 'ڑ' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'ع' if pos == Pos::Initial => "a",
        'ع' => "",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' | 'ں' => "n",
        'ة' | 'ۀ' => "a",
        'و' if pos == Pos::Initial || consonantal => "w",
        'و' => "u",
        'ي' | 'ی' if pos == Pos::Initial || consonantal => "y",
        'ي' | 'ی' => "i",
        'ى' => "a",
        'ے' => "e",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        _ => return None,
    })
}

fn hebrew_letter(c: char, pos: Pos, consonantal: bool, next: Option<char>) -> Option<&'static str> {
    let geresh = next.is_some_and(is_geresh);
    Some(match c {
        'א' | 'ע' if pos == Pos::Initial => "a",
        'א' | 'ע' => "",
        'ב' if consonantal && pos != Pos::Initial => "v",
        'ב' => "b",
        'ג' if geresh => "j",
        'ג' => "g",
        'ד' => "d",
        'ה' if pos == Pos::Final => "e",
        'ה' => "h",
        'ו' if pos == Pos::Initial || consonantal => "v",
        'ו' => "o",
        'ז' if geresh => "zh",
        'ז' => "z",
        'ח' => "kh",
        'ט' | 'ת' => "t",
        'י' if pos == Pos::Initial => "y",
        'י' => "i",
        'כ' | 'ך' | 'ק' => "k",
        'ל' => "l",
        'מ' | 'ם' => "m",
        'נ' | 'ן' => "n",
        'ס' => "s",
        'פ' if pos == Pos::Initial => "p",
        'פ' | 'ף' => "f",
        'צ' | 'ץ' if geresh => "ch",
        'צ' | 'ץ' => "ts",
        'ר' => "r",
        'ש' => "sh",
        _ => return None,
    })
}

/// Joins "abd" with a following "al..." word ("abd allah" → "abdallah").
fn join_abd(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        match words.get(i + 1) {
            Some(n) if w == "abd" && n.starts_with("al") => {
                out.push(format!("{w}{n}"));
                i += 2;
            }
            _ => {
                out.push(w.to_string());
                i += 1;
            }
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_skeletons() {
        assert_eq!(arabic_variants("محمد علي")[0], "mhmd ali");
        assert_eq!(arabic_variants("خالد محمود")[0], "khald mhmud");
        assert_eq!(arabic_variants("عبد الله")[2], "abdallah");
        assert_eq!(arabic_variants("مروان")[1], "mrwan");
        assert_eq!(arabic_variants("ولادیمیر پوتین")[0], "wladimir putin");
        assert_eq!(arabic_variants("مُحَمَّد")[0], "mhmd");
    }

    #[test]
    fn hebrew_readings() {
        assert_eq!(hebrew_variants("משה")[0], "mshe");
        assert_eq!(hebrew_variants("דוד")[1], "dvd");
        assert_eq!(hebrew_variants("ולדימיר פוטין")[0], "vldimir potin");
        assert_eq!(hebrew_variants("ג׳ורג׳")[0], "jorj");
    }
}
