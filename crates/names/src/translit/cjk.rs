//! Han (pinyin), Japanese kana (Hepburn) and Hangul (Revised Romanization) to Latin.
//!
//! * Han: toneless pinyin from the `pinyin` crate. Lists write Chinese personal names as
//!   "Xi Jinping" (surname, then the given name joined) while a syllable-by-syllable reading
//!   gives "xi jin ping": both are produced for short person-like runs (two to four characters,
//!   compound surnames such as 欧阳 or 司马 recognised); foreign names written in Han with a
//!   middle dot (弗拉基米尔·普京) are also joined part by part ("fulajimier pujing"). Japanese
//!   kanji and Korean hanja get Mandarin readings too: there is no reading dictionary here.
//! * Kana: modified Hepburn with yōon (キャ kya), sokuon (ッ doubles), the foreign-sound
//!   combinations (ティ ti, ファ fa, ウィ wi) and the long-vowel mark ー rendered both doubled
//!   ("sonii") and dropped ("soni"), since lists use both.
//! * Hangul: algorithmic Revised Romanization with the final consonant carried over a silent
//!   ㅇ (김정은 → "gim jeongeun"). Korean names on sanctions lists mostly use conventional
//!   surname spellings (Kim, Lee, Park, Choi) and McCune-Reischauer-like given names
//!   ("Kim Jong Un"), so a table of common surnames and a popular vowel reading (eo→o/u,
//!   eu→u) add those forms.

use pinyin::ToPinyin;

// ---------------------------------------------------------------- Han

const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "司徒", "东方", "東方", "皇甫", "尉迟",
    "尉遲", "公孙", "公孫", "慕容", "令狐", "夏侯", "长孙", "長孫", "宇文", "轩辕", "軒轅", "端木",
    "独孤", "獨孤", "南宫", "南宮", "西门", "西門", "百里", "呼延",
];

/// Pinyin readings of a Han run: syllables spaced, plus joined forms for person-like runs.
pub(crate) fn han_variants(run: &str, person_like: bool) -> Vec<String> {
    let parts = han_parts(run);
    let spaced = parts
        .iter()
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = vec![spaced];
    if !person_like {
        return out;
    }
    let han_chars: Vec<char> = run.chars().filter(|c| c.to_pinyin().is_some()).collect();
    if parts.len() == 1 && (2..=4).contains(&han_chars.len()) {
        let surname_len = match han_chars.get(..2) {
            Some(two) if COMPOUND_SURNAMES.contains(&two.iter().collect::<String>().as_str()) => 2,
            _ => 1,
        };
        let syl = &parts[0];
        if syl.len() == han_chars.len() && surname_len < syl.len() {
            out.push(format!(
                "{} {}",
                syl[..surname_len].concat(),
                syl[surname_len..].concat()
            ));
            out.push(syl.concat());
        }
    } else if parts.len() > 1 {
        out.push(
            parts
                .iter()
                .map(|p| p.concat())
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    out
}

/// Splits a Han run at non-Han characters into parts of pinyin syllables (other letters and
/// digits become syllables of their own).
fn han_parts(run: &str) -> Vec<Vec<String>> {
    let mut parts: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut other = String::new();
    for c in run.chars() {
        if let Some(p) = c.to_pinyin() {
            flush_other(&mut other, &mut current);
            current.push(p.plain().to_string());
        } else if c.is_alphanumeric() {
            other.push(c);
        } else {
            flush_other(&mut other, &mut current);
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
        }
    }
    flush_other(&mut other, &mut current);
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn flush_other(other: &mut String, current: &mut Vec<String>) {
    if !other.is_empty() {
        current.push(std::mem::take(other));
    }
}

// ---------------------------------------------------------------- Kana

/// Hepburn readings of a kana run: long vowels doubled, then long vowels dropped.
pub(crate) fn kana_variants(run: &str) -> Vec<String> {
    vec![hepburn(run, true), hepburn(run, false)]
}

fn to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

fn hepburn(run: &str, long_doubled: bool) -> String {
    let chars: Vec<char> = run.chars().map(to_katakana).collect();
    let mut out = String::with_capacity(chars.len() * 3);
    let mut geminate = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            'ッ' => geminate = true,
            'ー' => {
                if long_doubled && let Some(v) = out.chars().last().filter(|v| "aeiou".contains(*v))
                {
                    out.push(v);
                }
            }
            _ => {
                let (mut syl, used) = kana_syllable(c, next);
                if syl.is_empty() {
                    syl = c.to_string();
                }
                if geminate {
                    geminate = false;
                    double_consonant(&mut syl);
                }
                out.push_str(&syl);
                i += used;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn double_consonant(syl: &mut String) {
    if syl.starts_with("ch") {
        syl.insert(0, 't');
    } else if let Some(f) = syl.chars().next().filter(|f| !"aeiou".contains(*f)) {
        syl.insert(0, f);
    }
}

/// The romaji of a kana and how many characters it used (2 with a small combining kana).
fn kana_syllable(c: char, next: Option<char>) -> (String, usize) {
    let base = kana_base(c);
    let Some(n) = next else {
        return (base.to_string(), 1);
    };
    if let Some(v) = small_y(n)
        && let Some(stem) = base.strip_suffix('i').filter(|s| !s.is_empty())
    {
        let stem = if matches!(stem, "sh" | "ch" | "j") {
            stem.to_string()
        } else {
            format!("{stem}y")
        };
        return (format!("{stem}{v}"), 2);
    }
    if let Some(v) = small_vowel(n) {
        let stem = match c {
            'ウ' => "w",
            _ => base.trim_end_matches(['a', 'e', 'i', 'o', 'u']),
        };
        if !stem.is_empty() || c == 'ウ' {
            return (format!("{stem}{v}"), 2);
        }
    }
    (base.to_string(), 1)
}

fn small_y(c: char) -> Option<&'static str> {
    Some(match c {
        'ャ' => "a",
        'ュ' => "u",
        'ョ' => "o",
        _ => return None,
    })
}

fn small_vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'ァ' => "a",
        'ィ' => "i",
        'ゥ' => "u",
        'ェ' => "e",
        'ォ' => "o",
        _ => return None,
    })
}

fn kana_base(c: char) -> &'static str {
    match c {
        'ア' | 'ァ' => "a",
        'イ' | 'ィ' | 'ヰ' => "i",
        'ウ' | 'ゥ' => "u",
        'エ' | 'ェ' | 'ヱ' => "e",
        'オ' | 'ォ' | 'ヲ' => "o",
        'カ' | 'ヵ' => "ka",
        'キ' => "ki",
        'ク' => "ku",
        'ケ' | 'ヶ' => "ke",
        'コ' => "ko",
        'ガ' => "ga",
        'ギ' => "gi",
        'グ' => "gu",
        'ゲ' => "ge",
        'ゴ' => "go",
        'サ' => "sa",
        'シ' => "shi",
        'ス' => "su",
        'セ' => "se",
        'ソ' => "so",
        'ザ' => "za",
        'ジ' | 'ヂ' => "ji",
        'ズ' | 'ヅ' => "zu",
        'ゼ' => "ze",
        'ゾ' => "zo",
        'タ' => "ta",
        'チ' => "chi",
        'ツ' => "tsu",
        'テ' => "te",
        'ト' => "to",
        'ダ' => "da",
        'デ' => "de",
        'ド' => "do",
        'ナ' => "na",
        'ニ' => "ni",
        'ヌ' => "nu",
        'ネ' => "ne",
        'ノ' => "no",
        'ハ' => "ha",
        'ヒ' => "hi",
        'フ' => "fu",
        'ヘ' => "he",
        'ホ' => "ho",
        'バ' => "ba",
        'ビ' => "bi",
        'ブ' => "bu",
        'ベ' => "be",
        'ボ' => "bo",
        'パ' => "pa",
        'ピ' => "pi",
        'プ' => "pu",
        'ペ' => "pe",
        'ポ' => "po",
        'マ' => "ma",
        'ミ' => "mi",
        'ム' => "mu",
        'メ' => "me",
        'モ' => "mo",
        'ヤ' | 'ャ' => "ya",
        'ユ' | 'ュ' => "yu",
        'ヨ' | 'ョ' => "yo",
        'ラ' => "ra",
        'リ' => "ri",
        'ル' => "ru",
        'レ' => "re",
        'ロ' => "ro",
        'ワ' | 'ヮ' => "wa",
        'ン' => "n",
        'ヴ' => "vu",
        _ => "",
    }
}

// ---------------------------------------------------------------- Hangul

const L_RR: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const V_RR: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
/// Final consonants before another consonant or at the end of a word.
const T_RR: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];
/// Final consonants carried over a silent initial ㅇ.
const T_LINKED: [&str; 28] = [
    "", "g", "kk", "ks", "n", "nj", "nh", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "lh", "m",
    "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", "h",
];

/// Common Korean surnames: Hangul, then conventional spellings (first is the most common).
const SURNAMES: &[(&str, &[&str])] = &[
    ("김", &["kim"]),
    ("이", &["lee", "yi", "rhee"]),
    ("리", &["ri", "lee"]),
    ("박", &["park", "pak"]),
    ("최", &["choi", "choe"]),
    ("정", &["jung", "jeong", "chung"]),
    ("강", &["kang"]),
    ("조", &["cho", "jo"]),
    ("윤", &["yoon", "yun"]),
    ("장", &["jang", "chang"]),
    ("임", &["lim", "im"]),
    ("림", &["rim", "lim"]),
    ("한", &["han"]),
    ("오", &["oh", "o"]),
    ("서", &["seo", "suh"]),
    ("신", &["shin", "sin"]),
    ("권", &["kwon", "gwon"]),
    ("황", &["hwang"]),
    ("안", &["ahn", "an"]),
    ("송", &["song"]),
    ("류", &["ryu", "yoo"]),
    ("유", &["yoo", "yu"]),
    ("홍", &["hong"]),
    ("전", &["jeon", "chun"]),
    ("고", &["ko", "go"]),
    ("문", &["moon", "mun"]),
    ("양", &["yang"]),
    ("손", &["son", "sohn"]),
    ("배", &["bae"]),
    ("백", &["baek", "paek"]),
    ("허", &["heo", "hur"]),
    ("남", &["nam"]),
    ("노", &["noh", "roh"]),
    ("로", &["ro"]),
    ("하", &["ha"]),
    ("곽", &["kwak"]),
    ("성", &["sung"]),
    ("차", &["cha"]),
    ("주", &["joo", "ju"]),
    ("우", &["woo"]),
    ("구", &["koo", "gu"]),
    ("민", &["min"]),
    ("진", &["jin", "chin"]),
    ("지", &["ji"]),
    ("엄", &["um", "eom"]),
    ("채", &["chae"]),
    ("원", &["won"]),
    ("천", &["cheon", "chun"]),
    ("방", &["bang"]),
    ("공", &["kong"]),
    ("현", &["hyun"]),
    ("함", &["ham"]),
    ("변", &["byun"]),
    ("염", &["yeom"]),
    ("여", &["yeo"]),
    ("추", &["choo"]),
    ("도", &["do"]),
    ("석", &["seok"]),
    ("선", &["sun"]),
    ("설", &["seol"]),
    ("마", &["ma"]),
    ("길", &["gil", "kil"]),
    ("연", &["yeon"]),
    ("표", &["pyo"]),
    ("명", &["myung"]),
    ("기", &["ki"]),
    ("반", &["ban"]),
    ("왕", &["wang"]),
    ("금", &["keum"]),
    ("육", &["yook"]),
    ("맹", &["maeng"]),
    ("탁", &["tak"]),
    ("국", &["kook"]),
    ("황보", &["hwangbo"]),
    ("남궁", &["namgoong"]),
    ("제갈", &["jegal"]),
    ("선우", &["sunwoo"]),
    ("독고", &["dokgo"]),
];

/// A Hangul syllable split into (initial, vowel, final) indices.
fn jamo(c: char) -> Option<(usize, usize, usize)> {
    let s = (c as u32).checked_sub(0xAC00)?;
    if s >= 11172 {
        return None;
    }
    let s = s as usize;
    Some((s / 588, (s % 588) / 28, s % 28))
}

/// Vowel spellings: Revised Romanization, or the popular readings eo→o, eu→u (`1`) and
/// eo→u, eu→u (`2`).
fn vowel(v: usize, reading: u8) -> &'static str {
    match (V_RR[v], reading) {
        ("eo", 1) => "o",
        ("yeo", 1) => "yo",
        ("eo", 2) => "u",
        ("yeo", 2) => "yu",
        ("eu", 1 | 2) => "u",
        (rr, _) => rr,
    }
}

/// Romanises Hangul syllables (other characters kept); `sep` goes between syllables.
fn romanise_hangul(chars: &[char], reading: u8, sep: &str) -> String {
    let mut out = String::with_capacity(chars.len() * 4);
    for (i, &c) in chars.iter().enumerate() {
        let Some((l, v, t)) = jamo(c) else {
            out.push(c);
            continue;
        };
        let prev_final = i
            .checked_sub(1)
            .and_then(|j| chars.get(j).copied())
            .and_then(jamo)
            .map(|(_, _, pt)| pt);
        if prev_final.is_some() && !sep.is_empty() {
            out.push_str(sep);
        }
        let linked = prev_final.is_some_and(|pt| pt == 8) && l == 5;
        out.push_str(if linked { "l" } else { L_RR[l] });
        out.push_str(vowel(v, reading));
        let next = chars.get(i + 1).copied().and_then(jamo);
        let silent_next = next.is_some_and(|(nl, _, _)| nl == 11) && sep.is_empty();
        out.push_str(if silent_next { T_LINKED[t] } else { T_RR[t] });
    }
    out
}

/// Romanisations of a Hangul run: person-like words (known surname, two to four syllables)
/// get surname-first forms; anything else Revised Romanization and the popular reading.
pub(crate) fn hangul_variants(run: &str, person_like: bool) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    let words: Vec<&str> = run.split_whitespace().collect();
    if person_like
        && words.len() == 1
        && (2..=4).contains(&chars.len())
        && let Some(v) = korean_person(&chars)
    {
        return v;
    }
    vec![
        romanise_hangul(&chars, 0, ""),
        romanise_hangul(&chars, 1, ""),
    ]
}

fn korean_person(chars: &[char]) -> Option<Vec<String>> {
    let (surname, spellings) = SURNAMES
        .iter()
        .filter(|(h, _)| chars.iter().collect::<String>().starts_with(h))
        .max_by_key(|(h, _)| h.chars().count())?;
    let n = surname.chars().count();
    let (sur, given) = chars.split_at(n);
    let rr_sur = romanise_hangul(sur, 0, "");
    let rr_given = romanise_hangul(given, 0, "");
    let mut out = vec![format!("{rr_sur} {rr_given}")];
    for sp in spellings.iter() {
        out.push(format!("{sp} {rr_given}"));
        for reading in [1, 2] {
            out.push(format!("{sp} {}", romanise_hangul(given, reading, " ")));
            out.push(format!("{sp} {}", romanise_hangul(given, reading, "")));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_person_and_org() {
        let v = han_variants("习近平", true);
        assert_eq!(v, ["xi jin ping", "xi jinping", "xijinping"]);
        assert_eq!(han_variants("欧阳修", true)[1], "ouyang xiu");
        assert_eq!(
            han_variants("弗拉基米尔·普京", true)[1],
            "fulajimier pujing"
        );
        assert_eq!(
            han_variants("中国航天科工集团有限公司", false),
            ["zhong guo hang tian ke gong ji tuan you xian gong si"]
        );
        assert_eq!(han_variants("第5工厂", false), ["di 5 gong chang"]);
    }

    #[test]
    fn hepburn() {
        assert_eq!(kana_variants("ソニー"), ["sonii", "soni"]);
        assert_eq!(
            kana_variants("ウラジーミル・プーチン")[1],
            "urajimiru・puchin"
        );
        assert_eq!(kana_variants("きょうと")[0], "kyouto");
        assert_eq!(kana_variants("マッチャ")[0], "matcha");
        assert_eq!(kana_variants("ほっかいどう")[0], "hokkaidou");
        assert_eq!(kana_variants("ティファニー")[0], "tifanii");
        assert_eq!(kana_variants("ウィリアム")[0], "wiriamu");
        assert_eq!(kana_variants("シェフ")[0], "shefu");
    }

    #[test]
    fn hangul() {
        let v = hangul_variants("김정은", true);
        assert!(v.contains(&"gim jeongeun".to_string()), "{v:?}");
        assert!(v.contains(&"kim jong un".to_string()), "{v:?}");
        let v = hangul_variants("박지성", true);
        assert!(v.contains(&"park ji sung".to_string()), "{v:?}");
        let v = hangul_variants("이민호", true);
        assert!(v.contains(&"lee min ho".to_string()), "{v:?}");
        assert_eq!(hangul_variants("서울", false)[0], "seoul");
        assert_eq!(
            hangul_variants("블라디미르 푸틴", false)[0],
            "beulladimireu putin"
        );
    }
}
