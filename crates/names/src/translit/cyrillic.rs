//! Cyrillic to Latin in the systems that sanctions lists actually use.
//!
//! The same Russian name reaches the lists through several romanisations: BGN/PCGN (US and UK
//! lists: "Sergey Viktorovich Lavrov", "Grigoryevich"), the passport/ICAO Doc 9303 table used in
//! Russian passports since 2013 ("Sergei", "Iuliia"), the popular English spellings
//! ("Dmitry", "Alexander", "Fyodor"), German ("Sergej", "Wladimir Wladimirowitsch",
//! "Chruschtschow"), French ("Sergueï", "Poutine", "Vladimirovitch") and the scholarly ISO 9 /
//! scientific system ("Lukašenko", which folds to "lukasenko"). One table per system keeps the
//! rules readable; each is a function of the letter and its neighbours (word-initial `е` is
//! "ye" in BGN, `г` before a front vowel is "gu" in French, `ий` at the end of a word is "y" in
//! popular English). Ukrainian and Belarusian texts (recognised by і, ї, є, ґ, ў) read `г` as
//! "h" and Ukrainian `и` as "y"; Kazakh, Kyrgyz, Serbian and Macedonian letters have fixed
//! renderings in every system. ICU4X's BGN/PCGN transforms give the same strings as the `Bgn`
//! table here (after folding) but cost about 300 µs per name in a release build, against a few
//! microseconds for a table, so they are not used.

/// A romanisation system for Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum System {
    /// BGN/PCGN (Russian 1947): ye/yo initially, y for й and ы, kh, ts, ch, sh, shch, yu, ya.
    Bgn,
    /// Popular English: e initially, й→y, -ий→-y, кс→x, ё→yo.
    Popular,
    /// Popular English with й→i ("Sergei", "Andrei") and initial е→ye ("Yevgeny").
    PopularI,
    /// Passport / ICAO Doc 9303: й→i, ю→iu, я→ia, ъ→ie.
    Icao,
    /// German (Duden): в→w, ж→sch, з→s, х→ch, ц→z, ч→tsch, ш→sch, й/ю/я with j.
    German,
    /// French: у→ou, ж→j, ч→tch, ш→ch, г→gu before e/i, -ин→-ine.
    French,
    /// ISO 9 / scientific, as folded (č→c, š→s, ž→z, x→h, ц→c, ю→u, я→a).
    Iso,
}

const SYSTEMS: [System; 7] = [
    System::Popular,
    System::Bgn,
    System::PopularI,
    System::Icao,
    System::German,
    System::French,
    System::Iso,
];

/// Which East Slavic orthography a text uses: it changes г and и.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Russian,
    Ukrainian,
    Belarusian,
}

fn detect_lang(chars: &[char]) -> Lang {
    if chars.contains(&'ў') {
        Lang::Belarusian
    } else if chars.iter().any(|c| matches!(c, 'ї' | 'є' | 'ґ'))
        || (chars.contains(&'і') && !chars.iter().any(|c| matches!(c, 'ы' | 'э' | 'ъ')))
    {
        Lang::Ukrainian
    } else {
        Lang::Russian
    }
}

/// All romanisations of a Cyrillic run (lowercase, unfolded, possibly with duplicates).
pub(crate) fn variants(run: &str) -> Vec<String> {
    let chars = lower_letters(run);
    let lang = detect_lang(&chars);
    SYSTEMS
        .iter()
        .map(|&sys| romanise(&chars, sys, lang))
        .collect()
}

/// The first (popular English) romanisation only.
pub(crate) fn first(run: &str) -> String {
    let chars = lower_letters(run);
    romanise(&chars, SYSTEMS[0], detect_lang(&chars))
}

/// Lowercases and drops stress marks and other combining marks (й is precomposed by NFC).
/// Composing is skipped for text in NFC already (nearly all), and the Russian-range capitals
/// are lowercased by offset: both were most of the cost of a Cyrillic name's romanisation.
fn lower_letters(run: &str) -> Vec<char> {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = Vec::with_capacity(run.len());
    let mut push = |c: char| match c {
        'А'..='Я' => out.push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c)),
        'Ѐ'..='Џ' => out.push(char::from_u32(u32::from(c) + 0x50).unwrap_or(c)),
        'а'..='я' | 'ѐ'..='џ' => out.push(c),
        c if is_combining_mark(c) => {}
        c => out.extend(c.to_lowercase()),
    };
    if crate::fold::is_composed(run) {
        run.chars().for_each(&mut push);
    } else {
        run.nfc().for_each(&mut push);
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'і'
            | 'ї'
            | 'є'
            | 'ә'
            | 'ө'
            | 'ұ'
            | 'ү'
    )
}

fn is_letter(c: Option<char>) -> bool {
    c.is_some_and(alphabetic)
}

/// [`char::is_alphabetic`], told by range for ASCII and the Cyrillic letters (a test checks
/// every one) rather than looked up in Unicode's tables for every letter of a name.
fn alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{400}'..='\u{481}' | '\u{48A}'..='\u{52F}' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic(),
    }
}

/// The neighbourhood of a letter.
struct Ctx {
    prev: Option<char>,
    next: Option<char>,
    after: Option<char>,
}

impl Ctx {
    /// Word-initial, or after a vowel or a hard/soft sign: where е/ё/ю/я are iotated.
    fn iotated(&self) -> bool {
        match self.prev {
            None => true,
            Some(p) => !alphabetic(p) || is_vowel(p) || matches!(p, 'ъ' | 'ь' | 'й'),
        }
    }
    fn word_final(&self) -> bool {
        !is_letter(self.next)
    }
    fn between_vowels(&self) -> bool {
        self.prev.is_some_and(is_vowel) && self.next.is_some_and(is_vowel)
    }
}

fn romanise(chars: &[char], sys: System, lang: Lang) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let ctx = Ctx {
            prev: i.checked_sub(1).and_then(|j| chars.get(j).copied()),
            next: chars.get(i + 1).copied(),
            after: chars.get(i + 2).copied(),
        };
        let c = chars[i];
        if let Some((s, used)) = cluster(c, &ctx, sys, lang) {
            out.push_str(s);
            i += used;
            continue;
        }
        match letter(c, &ctx, sys, lang) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

/// Two-letter rules: popular and German/French endings in -ий/-ый, popular кс→x.
fn cluster(c: char, ctx: &Ctx, sys: System, lang: Lang) -> Option<(&'static str, usize)> {
    let final_yi = ctx.next == Some('й') && !is_letter(ctx.after);
    match (c, sys) {
        ('и' | 'ы', System::Popular | System::PopularI) if final_yi && lang == Lang::Russian => {
            Some(("y", 2))
        }
        ('и', System::German | System::French) if final_yi && lang == Lang::Russian => {
            Some(("i", 2))
        }
        ('к', System::Popular | System::PopularI) if ctx.next == Some('с') => Some(("x", 2)),
        ('д', System::Popular | System::PopularI)
            if ctx.prev == Some('н') && ctx.next == Some('р') && !is_letter(ctx.after) =>
        {
            Some(("der", 2))
        }
        ('н', System::French) if ctx.prev == Some('и') && ctx.word_final() => Some(("ne", 1)),
        _ => None,
    }
}

/// One letter in a system; `None` for characters that are not Cyrillic letters.
fn letter(c: char, ctx: &Ctx, sys: System, lang: Lang) -> Option<&'static str> {
    use System::*;
    let east = lang != Lang::Russian;
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => {
            if sys == German {
                "w"
            } else {
                "v"
            }
        }
        'г' if east && sys != Iso => "h",
        'г' => match sys {
            French if matches!(ctx.next, Some('е' | 'и' | 'ы' | 'э' | 'ё')) => "gu",
            _ => "g",
        },
        'д' => "d",
        'е' => ye(ctx, sys, "ye", "je"),
        'ё' => match sys {
            Bgn if ctx.iotated() => "ye",
            Popular | PopularI if matches!(ctx.prev, Some('ж' | 'ш' | 'ч' | 'щ')) => "o",
            Popular | PopularI => "yo",
            German => "jo",
            French => "io",
            _ => "e",
        },
        'ж' => match sys {
            German => "sch",
            French => "j",
            Iso => "z",
            _ => "zh",
        },
        'з' => {
            if sys == German {
                "s"
            } else {
                "z"
            }
        }
        'и' if lang == Lang::Ukrainian => "y",
        'и' => "i",
        'й' => match sys {
            Bgn | Popular => "y",
            German | Iso => "j",
            _ => "i",
        },
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' if matches!(sys, German | French) && ctx.between_vowels() => "ss",
        'с' => "s",
        'т' => "t",
        'у' => {
            if sys == French {
                "ou"
            } else {
                "u"
            }
        }
        'ф' => "f",
        'х' => match sys {
            German => "ch",
            Iso => "h",
            _ => "kh",
        },
        'ц' => match sys {
            German => "z",
            Iso => "c",
            _ => "ts",
        },
        'ч' => match sys {
            German => "tsch",
            French => "tch",
            Iso => "c",
            _ => "ch",
        },
        'ш' => match sys {
            German => "sch",
            French => "ch",
            Iso => "s",
            _ => "sh",
        },
        'щ' => match sys {
            German => "schtsch",
            French => "chtch",
            Iso => "s",
            _ => "shch",
        },
        'ъ' => {
            if sys == Icao {
                "ie"
            } else {
                ""
            }
        }
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => match sys {
            Icao => "iu",
            German => "ju",
            French => "iou",
            Iso => "u",
            _ => "yu",
        },
        'я' => match sys {
            Icao | French => "ia",
            German => "ja",
            Iso => "a",
            _ => "ya",
        },
        'і' => "i",
        'ї' => match sys {
            Icao | Iso => "i",
            German => "ji",
            _ => "yi",
        },
        'є' => ye(ctx, sys, "ye", "je"),
        'ґ' => "g",
        'ў' => match sys {
            Icao | Iso | French => "u",
            _ => "w",
        },
        _ => return other_letter(c, sys),
    })
}

/// е and є: iotated forms in BGN/PopularI/German, plain "e" elsewhere (Icao: "ie" for є).
fn ye(ctx: &Ctx, sys: System, y: &'static str, j: &'static str) -> &'static str {
    match sys {
        System::Bgn | System::PopularI if ctx.iotated() => y,
        System::Popular if ctx.iotated() && ctx.prev.is_some_and(alphabetic) => y,
        System::German if ctx.iotated() => j,
        _ => "e",
    }
}

/// Kazakh, Kyrgyz, Tajik, Serbian, Macedonian and Bulgarian letters.
fn other_letter(c: char, sys: System) -> Option<&'static str> {
    Some(match c {
        'ә' => "a",
        'ғ' if sys == System::Iso => "g",
        'ғ' => "gh",
        'қ' => "k",
        'ң' => "ng",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' => "h",
        'ҳ' => "h",
        'ҷ' => "j",
        'ӣ' => "i",
        'ӯ' => "u",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        'ѓ' => "gj",
        'ќ' => "kj",
        'ѕ' => "dz",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn letters_are_lowered_as_composed_and_lowercased_by_unicode(
            run in "[а-яА-ЯёЁйЙіІїЇєЄўЎґҐәӘөӨұҰүҮ\u{0400}-\u{04FF}\u{0300}-\u{036F} .,«»'-]{0,24}"
        ) {
            use unicode_normalization::UnicodeNormalization;
            use unicode_normalization::char::is_combining_mark;
            let unicode: Vec<char> = run
                .nfc()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect();
            prop_assert_eq!(lower_letters(&run), unicode);
        }
    }

    #[test]
    fn letters_told_by_range_are_alphabetic() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            assert_eq!(alphabetic(c), c.is_alphabetic(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn every_cyrillic_letter_is_lowered_as_by_unicode() {
        use unicode_normalization::char::is_combining_mark;
        for c in ('\u{0400}'..='\u{052F}').chain('A'..='z') {
            let text = c.to_string();
            let unicode: Vec<char> = c.to_lowercase().filter(|_| !is_combining_mark(c)).collect();
            assert_eq!(lower_letters(&text), unicode, "{c}");
        }
    }

    fn all(s: &str) -> Vec<String> {
        variants(s)
    }

    #[test]
    fn systems_render_known_spellings() {
        let v = all("Сергей Лавров");
        for want in ["sergey lavrov", "sergei lavrov", "sergej lawrow"] {
            assert!(v.iter().any(|x| x == want), "{want} not in {v:?}");
        }
        let v = all("Владимир Владимирович Путин");
        assert!(v.contains(&"vladimir vladimirovich putin".to_string()));
        assert!(v.contains(&"wladimir wladimirowitsch putin".to_string()));
        assert!(v.contains(&"vladimir vladimirovitch poutine".to_string()));
        let v = all("Лукашенко Александр Григорьевич");
        assert!(v.contains(&"lukashenko aleksandr grigoryevich".to_string()));
        assert!(v.contains(&"lukasenko aleksandr grigorevic".to_string()));
        assert!(v.contains(&"lukashenko alexander grigoryevich".to_string()));
    }

    #[test]
    fn contextual_rules() {
        assert!(all("Дмитрий").contains(&"dmitry".to_string()));
        assert!(all("Дмитрий").contains(&"dmitrii".to_string()));
        assert!(all("Евгений").contains(&"yevgeniy".to_string()));
        assert!(all("Евгений").contains(&"evgeny".to_string()));
        assert!(all("Фёдор").contains(&"fyodor".to_string()));
        assert!(all("Сергей").contains(&"serguei".to_string()));
        assert!(all("Юлия").contains(&"iuliia".to_string()));
        assert!(all("Щукин Хрущёв").contains(&"shchukin khrushchev".to_string()));
        assert!(all("Хрущёв").contains(&"chruschtschjow".to_string()));
    }

    #[test]
    fn ukrainian_and_belarusian() {
        let v = all("Путін Володимир Володимирович");
        assert!(
            v.contains(&"putin volodymyr volodymyrovych".to_string()),
            "{v:?}"
        );
        let v = all("Уладзімір Пуцін");
        assert!(v.contains(&"uladzimir putsin".to_string()), "{v:?}");
        assert!(all("Григорій").iter().any(|x| x.starts_with("hryhori")));
    }

    #[test]
    fn non_letters_pass_through() {
        assert!(all("ООО «Ромашка-2»").contains(&"ooo «romashka-2»".to_string()));
    }
}
