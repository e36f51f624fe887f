//! Greek to Latin: the ELOT 743 / UN table ("Αλέξης Τσίπρας" → "alexis tsipras",
//! "Κυριάκος" → "kyriakos") and a phonetic reading that writes what is pronounced
//! (ντ → d, μπ → b, γκ → g, υ/ει/οι → i, αι → e, χ → kh), which is how foreign names written in
//! Greek come back to Latin ("Βλαντίμιρ" → "vladimir").

/// The two Greek romanisations of a run (lowercase, accents removed).
pub(crate) fn variants(run: &str) -> Vec<String> {
    let chars = lower_unaccented(run);
    vec![romanise(&chars, false), romanise(&chars, true)]
}

fn lower_unaccented(run: &str) -> Vec<char> {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    run.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn romanise(chars: &[char], phonetic: bool) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let initial = i == 0 || !chars[i - 1].is_alphabetic();
        if let Some(s) = digraph(c, next, phonetic, initial) {
            out.push_str(s);
            i += 2;
            continue;
        }
        match single(c, phonetic) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
        i += 1;
    }
    out
}

fn digraph(c: char, next: Option<char>, phonetic: bool, initial: bool) -> Option<&'static str> {
    let n = next?;
    Some(match (c, n, phonetic) {
        ('ο', 'υ', _) => "ou",
        ('α', 'υ', _) => "av",
        ('ε', 'υ', _) => "ev",
        ('η', 'υ', _) => "iv",
        ('γ', 'γ', _) => "ng",
        ('γ', 'κ', false) => "gk",
        ('γ', 'κ', true) => "g",
        ('μ', 'π', false) => "mp",
        ('μ', 'π', true) if initial => "b",
        ('ν', 'τ', false) => "nt",
        ('ν', 'τ', true) => "d",
        ('α', 'ι', true) => "e",
        ('ε' | 'ο', 'ι', true) => "i",
        _ => return None,
    })
}

fn single(c: char, phonetic: bool) -> Option<&'static str> {
    Some(match c {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' if phonetic => "i",
        'υ' => "y",
        'φ' => "f",
        'χ' if phonetic => "kh",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_names() {
        assert_eq!(variants("Αλέξης Τσίπρας")[0], "alexis tsipras");
        assert_eq!(variants("Κυριάκος Μητσοτάκης")[0], "kyriakos mitsotakis");
        assert_eq!(variants("Βλαντίμιρ Πούτιν")[1], "vladimir poutin");
        assert_eq!(variants("Νικόλαος")[0], "nikolaos");
        assert_eq!(variants("Μπαράκ")[1], "barak");
    }
}
