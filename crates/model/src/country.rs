//! Countries: every way a list names a country, to an ISO 3166-1 alpha-2 code.
//!
//! Lists write "Russia", "Russian Federation", "RU", "RUS", "Korea, North", "Burma",
//! "Iran (Islamic Republic of)". Screening compares countries, so all of them become the same
//! lower-case alpha-2 code that FtM uses (`ru`). The ISO table comes from the `celes` crate; the
//! list-specific spellings that ISO does not know are listed here. A few places the lists name
//! that have no ISO code get FtM's user-assigned codes (`xk` Kosovo, `suhh` Soviet Union is not
//! used: historical states are rejected so a caller can keep the text as a remark instead).

use std::str::FromStr;

/// A country name or code that could not be mapped to ISO 3166-1 alpha-2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown country {0:?}")]
pub struct CountryError(pub String);

/// Spellings used by sanctions lists (OFAC, UN, UK, EU, CSL) and trade statistics that the ISO
/// table lacks.
const ALIASES: &[(&str, &str)] = &[
    ("russia", "ru"),
    ("russian federation", "ru"),
    ("the russian federation", "ru"),
    ("korea, north", "kp"),
    ("north korea", "kp"),
    ("democratic people's republic of korea", "kp"),
    ("korea, democratic people's republic of", "kp"),
    ("dprk", "kp"),
    ("korea, south", "kr"),
    ("south korea", "kr"),
    ("republic of korea", "kr"),
    ("korea, republic of", "kr"),
    ("iran", "ir"),
    ("iran (islamic republic of)", "ir"),
    ("islamic republic of iran", "ir"),
    ("syria", "sy"),
    ("syrian arab republic", "sy"),
    ("burma", "mm"),
    ("myanmar (burma)", "mm"),
    ("laos", "la"),
    ("lao people's democratic republic", "la"),
    ("vietnam", "vn"),
    ("viet nam", "vn"),
    ("venezuela", "ve"),
    ("venezuela (bolivarian republic of)", "ve"),
    ("bolivia", "bo"),
    ("bolivia (plurinational state of)", "bo"),
    ("tanzania", "tz"),
    ("united republic of tanzania", "tz"),
    ("moldova", "md"),
    ("republic of moldova", "md"),
    ("the republic of moldova", "md"),
    ("macedonia", "mk"),
    ("north macedonia", "mk"),
    ("the former yugoslav republic of macedonia", "mk"),
    ("congo, democratic republic of the", "cd"),
    ("democratic republic of the congo", "cd"),
    ("congo (democratic republic)", "cd"),
    ("drc", "cd"),
    ("congo, republic of the", "cg"),
    ("republic of the congo", "cg"),
    ("congo", "cg"),
    ("cote d'ivoire", "ci"),
    ("côte d'ivoire", "ci"),
    ("ivory coast", "ci"),
    ("united kingdom", "gb"),
    ("uk", "gb"),
    ("great britain", "gb"),
    ("united kingdom of great britain and northern ireland", "gb"),
    ("united states", "us"),
    ("usa", "us"),
    ("united states of america", "us"),
    ("turkey", "tr"),
    ("türkiye", "tr"),
    ("turkiye", "tr"),
    ("czech republic", "cz"),
    ("czechia", "cz"),
    ("palestinian", "ps"),
    ("palestine", "ps"),
    ("state of palestine", "ps"),
    ("west bank", "ps"),
    ("gaza", "ps"),
    ("gaza strip", "ps"),
    ("occupied palestinian territory", "ps"),
    ("kosovo", "xk"),
    ("taiwan", "tw"),
    ("taiwan, province of china", "tw"),
    ("chinese taipei", "tw"),
    ("hong kong", "hk"),
    ("hong kong sar", "hk"),
    ("hong kong, china", "hk"),
    ("china, hong kong sar", "hk"),
    ("macau", "mo"),
    ("macao", "mo"),
    ("china", "cn"),
    ("prc", "cn"),
    ("people's republic of china", "cn"),
    ("uae", "ae"),
    ("united arab emirates", "ae"),
    ("the united arab emirates", "ae"),
    ("kyrgyzstan", "kg"),
    ("kyrgyz republic", "kg"),
    ("the kyrgyz republic", "kg"),
    ("belarus", "by"),
    ("republic of belarus", "by"),
    ("the netherlands", "nl"),
    ("netherlands", "nl"),
    ("bahamas, the", "bs"),
    ("the bahamas", "bs"),
    ("gambia, the", "gm"),
    ("the gambia", "gm"),
    ("brunei", "bn"),
    ("cabo verde", "cv"),
    ("cape verde", "cv"),
    ("eswatini", "sz"),
    ("swaziland", "sz"),
    ("micronesia, federated states of", "fm"),
    ("saint kitts and nevis", "kn"),
    ("st. kitts and nevis", "kn"),
    ("saint vincent and the grenadines", "vc"),
    ("st. vincent and the grenadines", "vc"),
    ("saint lucia", "lc"),
    ("st. lucia", "lc"),
    ("holy see", "va"),
    ("vatican city", "va"),
    ("timor-leste", "tl"),
    ("east timor", "tl"),
    ("curacao", "cw"),
    ("curaçao", "cw"),
    ("sint maarten", "sx"),
    ("bosnia-herzegovina", "ba"),
    ("bosnia and herzegovina", "ba"),
    ("sudan, south", "ss"),
    ("south sudan", "ss"),
    ("virgin islands, british", "vg"),
    ("british virgin islands", "vg"),
    ("virgin islands, u.s.", "vi"),
    ("crimea", "ua"),
    ("region: crimea", "ua"),
    ("ukraine", "ua"),
    ("georgia", "ge"),
    ("armenia", "am"),
    ("kazakhstan", "kz"),
    ("uzbekistan", "uz"),
    ("tajikistan", "tj"),
    ("turkmenistan", "tm"),
    ("azerbaijan", "az"),
    ("serbia", "rs"),
    ("montenegro", "me"),
    ("libya", "ly"),
    ("libyan arab jamahiriya", "ly"),
    ("st. kitts & nevis", "kn"),
    ("man, isle of", "im"),
    ("north macedonia, the republic of", "mk"),
    ("cote d ivoire", "ci"),
    ("region: gaza", "ps"),
    ("netherlands antilles", "cw"),
    ("china, hong kong special administrative region", "hk"),
    ("hong kong special administrative region", "hk"),
    ("china, macao special administrative region", "mo"),
    // Trade statistics (Eurostat, IMF, Comtrade, national customs) write these.
    ("taiwan province of china", "tw"),
    ("slovak republic", "sk"),
    ("st kitts and nevis", "kn"),
    ("st lucia", "lc"),
    ("st vincent and the grenadines", "vc"),
    ("st pierre and miquelon", "pm"),
    ("st helena", "sh"),
    ("saint helena, ascension and tristan da cunha", "sh"),
    ("bonaire, sint eustatius and saba", "bq"),
    ("sint maarten (dutch part)", "sx"),
    ("cocos islands (or keeling islands)", "cc"),
    ("falkland islands (malvinas)", "fk"),
    ("holy see (vatican city state)", "va"),
    ("west bank and gaza", "ps"),
    ("ceuta", "ea"),
    ("melilla", "ea"),
    ("virgin islands, united states", "vi"),
    ("united states minor outlying islands", "um"),
    ("korea, democratic people's republic of (north korea)", "kp"),
    ("korea, republic of (south korea)", "kr"),
    ("congo, democratic republic of", "cd"),
    ("congo, republic of", "cg"),
    ("netherlands, the", "nl"),
    ("china, people's republic of", "cn"),
    (
        "hong kong special administrative region, people's republic of china",
        "hk",
    ),
    (
        "macao special administrative region, people's republic of china",
        "mo",
    ),
    ("lao people's democratic republic (laos)", "la"),
    ("syrian arab republic (syria)", "sy"),
    ("belarus (belorussia)", "by"),
    ("russian federation (russia)", "ru"),
    ("sar-hong kong", "hk"),
    ("korea (dprk)", "kp"),
    ("eastern samoa", "as"),
    ("bouvet", "bv"),
    ("salvador", "sv"),
    ("bolivia, plurinational state of", "bo"),
    ("wallis and futuna islands", "wf"),
    ("united states virgin islands", "vi"),
    ("svalbard and jan mayen islands", "sj"),
    ("réunion", "re"),
    ("reunion", "re"),
    ("korea, dpr of", "kp"),
    ("bosnia herzegovina", "ba"),
    ("saint-barthélemy", "bl"),
    ("saint barthelemy", "bl"),
    ("monako", "mc"),
    ("босния и герцеговина", "ba"),
];

/// Demonyms and nationality wordings (EU annexes and UN lists give nationalities this way).
const DEMONYMS: &[(&str, &str)] = &[
    ("afghan", "af"),
    ("afgan", "af"),
    ("albanian", "al"),
    ("algerian", "dz"),
    ("american", "us"),
    ("us", "us"),
    ("argentine", "ar"),
    ("armenian", "am"),
    ("australian", "au"),
    ("austrian", "at"),
    ("azerbaijani", "az"),
    ("bahraini", "bh"),
    ("belarusian", "by"),
    ("belarussian", "by"),
    ("belgian", "be"),
    ("bosnian", "ba"),
    ("brazilian", "br"),
    ("british", "gb"),
    ("bulgarian", "bg"),
    ("burkinabe", "bf"),
    ("burmese", "mm"),
    ("myanmar/burma", "mm"),
    ("cameroonian", "cm"),
    ("canadian", "ca"),
    ("central african republic", "cf"),
    ("chadian", "td"),
    ("chinese", "cn"),
    ("colombian", "co"),
    ("croatian", "hr"),
    ("cuban", "cu"),
    ("cypriot", "cy"),
    ("czech", "cz"),
    ("danish", "dk"),
    ("dutch", "nl"),
    ("egyptian", "eg"),
    ("emirati", "ae"),
    ("eritrean", "er"),
    ("estonian", "ee"),
    ("ethiopian", "et"),
    ("filipino", "ph"),
    ("finnish", "fi"),
    ("french", "fr"),
    ("georgian", "ge"),
    ("german", "de"),
    ("greek", "gr"),
    ("guatemalan", "gt"),
    ("guinean", "gn"),
    ("haitian", "ht"),
    ("honduran", "hn"),
    ("hungarian", "hu"),
    ("indian", "in"),
    ("indonesian", "id"),
    ("iranian", "ir"),
    ("iraqi", "iq"),
    ("irish", "ie"),
    ("israeli", "il"),
    ("italian", "it"),
    ("ivorian", "ci"),
    ("japanese", "jp"),
    ("jordanian", "jo"),
    ("kazakh", "kz"),
    ("kenyan", "ke"),
    ("kuwaiti", "kw"),
    ("kyrgyz", "kg"),
    ("latvian", "lv"),
    ("lebanese", "lb"),
    ("libyan", "ly"),
    ("lithuanian", "lt"),
    ("malaysian", "my"),
    ("malian", "ml"),
    ("mauritanian", "mr"),
    ("mexican", "mx"),
    ("moldovan", "md"),
    ("montenegrin", "me"),
    ("moroccan", "ma"),
    ("nicaraguan", "ni"),
    ("nigerian", "ng"),
    ("north korean", "kp"),
    ("norwegian", "no"),
    ("omani", "om"),
    ("pakistani", "pk"),
    ("polish", "pl"),
    ("portuguese", "pt"),
    ("qatari", "qa"),
    ("romanian", "ro"),
    ("russian", "ru"),
    ("rwandan", "rw"),
    ("saudi", "sa"),
    ("saudi arabian", "sa"),
    ("saudi arabia", "sa"),
    ("senegalese", "sn"),
    ("serbian", "rs"),
    ("slovak", "sk"),
    ("somali", "so"),
    ("south sudanese", "ss"),
    ("spanish", "es"),
    ("sudanese", "sd"),
    ("swedish", "se"),
    ("swiss", "ch"),
    ("syrian", "sy"),
    ("tajik", "tj"),
    ("tanzanian", "tz"),
    ("togolese", "tg"),
    ("tunisian", "tn"),
    ("turkish", "tr"),
    ("turkmen", "tm"),
    ("ugandan", "ug"),
    ("ukrainian", "ua"),
    ("uzbek", "uz"),
    ("uzbekistani", "uz"),
    ("venezuelan", "ve"),
    ("vietnamese", "vn"),
    ("yemeni", "ye"),
    ("zimbabwean", "zw"),
];

/// Maps a country name or code to a lower-case ISO 3166-1 alpha-2 code.
///
/// Accepts alpha-2, alpha-3, numeric codes, ISO short names and the list spellings above,
/// case-insensitively and ignoring surrounding punctuation.
///
/// Answers are remembered per thread (up to [`REMEMBERED`] distinct texts): a screening
/// batch asks about the same few countries for every row, three times a row (the row read,
/// the query prepared, its fingerprint), and each answer walks the tables above and then
/// `celes`' (about 2,000 instructions for a name such as "Japan").
pub fn country_code(text: &str) -> Result<String, CountryError> {
    type Answers = std::collections::HashMap<String, Result<String, CountryError>>;
    thread_local! {
        static ANSWERS: std::cell::RefCell<Answers> = std::cell::RefCell::default();
    }
    ANSWERS.with(|answers| {
        if let Some(known) = answers.borrow().get(text) {
            return known.clone();
        }
        let answer = look_up(text);
        let mut answers = answers.borrow_mut();
        if answers.len() < REMEMBERED {
            answers.insert(text.to_string(), answer.clone());
        }
        answer
    })
}

/// How many distinct texts [`country_code`] remembers per thread: the country values of real
/// data are a few hundred spellings; a file of distinct junk does not grow the memory past it.
pub const REMEMBERED: usize = 4096;

/// [`country_code`] worked out.
fn look_up(text: &str) -> Result<String, CountryError> {
    let cleaned = text
        .trim()
        .trim_matches(|c: char| c == '.' || c == ',' || c == ';' || c.is_whitespace());
    let cleaned = ["region:", "possibly "]
        .iter()
        .find_map(|p| {
            cleaned
                .get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .map(|_| cleaned[p.len()..].trim())
        })
        .unwrap_or(cleaned);
    if cleaned.is_empty() {
        return Err(CountryError(text.to_string()));
    }
    let lower = cleaned.to_lowercase();
    if let Some((_, code)) = ALIASES
        .iter()
        .chain(DEMONYMS)
        .find(|(name, _)| *name == lower)
    {
        return Ok((*code).to_string());
    }
    if lower.len() == 2 && lower.bytes().all(|b| b.is_ascii_alphabetic()) {
        if lower == "xk" {
            return Ok(lower);
        }
        return celes::Country::from_alpha2(&lower)
            .map(|c| c.alpha2.to_ascii_lowercase())
            .map_err(|_| CountryError(text.to_string()));
    }
    // celes keys multi-word names without spaces ("saudiarabia"); lists also write "Man, Isle
    // of" for "Isle of Man" and "St. Kitts & Nevis". Try those forms too, but never for short
    // values, so that "N/A" does not become Namibia.
    let squash = |s: &str| -> Option<String> {
        let out: String = s
            .replace('&', "and")
            .replace("st. ", "saint ")
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        (out.len() > 3 && out != lower).then_some(out)
    };
    let inverted = lower
        .split_once(", ")
        .and_then(|(a, b)| squash(&format!("{b} {a}")));
    std::iter::once(Some(cleaned.to_string()))
        .chain([squash(&lower), inverted])
        .flatten()
        .find_map(|t| {
            celes::Country::from_str(&t)
                .or_else(|_| celes::Country::from_alias(&t))
                .or_else(|_| celes::Country::from_name(&t))
                .ok()
        })
        .map(|c| c.alpha2.to_ascii_lowercase())
        .or_else(|| {
            // A name with a parenthesised note: "Belgium (incl. Luxembourg 'LU' -> 1998)".
            let (short, _) = cleaned.split_once(" (")?;
            country_code(short).ok()
        })
        .ok_or_else(|| CountryError(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_answers_are_the_answers() {
        for text in [
            "Japan",
            "JAPAN",
            "Atlantis",
            "ru",
            "Korea, North",
            "",
            "Japan",
        ] {
            assert_eq!(country_code(text), look_up(text), "{text:?}");
            assert_eq!(country_code(text), look_up(text), "{text:?} again");
        }
        // Past what a thread remembers, answers are worked out afresh, the same.
        for n in 0..REMEMBERED + 10 {
            let junk = format!("nowhere {n}");
            assert_eq!(country_code(&junk), Err(CountryError(junk.clone())));
        }
        assert_eq!(country_code("Germany").as_deref(), Ok("de"));
        assert_eq!(country_code("nowhere 0"), look_up("nowhere 0"));
    }

    #[test]
    fn list_spellings() {
        for (text, code) in [
            ("Russia", "ru"),
            ("RUSSIAN FEDERATION", "ru"),
            ("RU", "ru"),
            ("RUS", "ru"),
            ("Korea, North", "kp"),
            ("Iran (Islamic Republic of)", "ir"),
            ("Burma", "mm"),
            ("Germany", "de"),
            ("Kosovo", "xk"),
            ("Türkiye", "tr"),
            ("Hong Kong", "hk"),
            ("Saudi Arabia", "sa"),
            ("Sierra Leone", "sl"),
            ("Trinidad and Tobago", "tt"),
            ("Cayman Islands", "ky"),
            ("Central African Republic", "cf"),
            ("Belarusian", "by"),
            ("North Korean", "kp"),
            ("Man, Isle of", "im"),
            ("Saint Kitts and Nevis", "kn"),
            ("Region: Crimea", "ua"),
            ("China, Hong Kong Special Administrative Region", "hk"),
        ] {
            assert_eq!(country_code(text), Ok(code.to_string()), "{text}");
        }
    }

    #[test]
    fn trade_statistics_spellings() {
        for (text, code) in [
            ("Bolivia, Plurinational State of", "bo"),
            ("Kyrgyz Republic", "kg"),
            ("Türkiye", "tr"),
            ("Korea, DPR of", "kp"),
            ("Réunion", "re"),
            ("Bosnia Herzegovina", "ba"),
            ("Belgium (incl. Luxembourg 'LU' -> 1998)", "be"),
            ("Russian Federation (Russia)", "ru"),
        ] {
            assert_eq!(country_code(text).as_deref(), Ok(code), "{text}");
        }
        assert!(country_code("Rest of the world").is_err());
    }

    #[test]
    fn unknown_is_error() {
        assert!(country_code("Atlantis").is_err());
        assert!(country_code("").is_err());
        assert!(country_code("ZZ").is_err());
        assert!(country_code("N/A").is_err());
    }
}
