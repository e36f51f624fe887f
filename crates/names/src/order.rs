//! Person-name orders and patronymics.
//!
//! Lists print the same person as "PUTIN, Vladimir Vladimirovich", "Putin Vladimir
//! Vladimirovich", "Vladimir PUTIN" and "Vladimir Vladimirovich Putin". A matcher that aligns
//! tokens in order, or weighs the surname more, needs the plausible given-first and
//! surname-first orders. The signals used, in order: a comma ("SURNAME, Given"), a block of
//! all-capital words in an otherwise mixed-case name (the surname by list convention), a
//! trailing patronymic (Russian "Surname Given Patronymic"), trailing initials ("Путин В. В.");
//! without any signal the last token is also tried first (Chinese, Hungarian and many lists
//! put the surname first). Honorifics are dropped from reordered forms.
//!
//! Patronymics (-ovich/-evich/-ovna/-evna/-ich/-ichna and their Ukrainian, German, French,
//! Polish, Czech and Dutch spellings; Turkic "oglu"/"kyzy" with the father's name before them)
//! are tagged [`TokenClass::Patronymic`] so a matcher may treat them as optional. Surnames with
//! the same endings (Abramovich, Djokovic) are protected by position: in a name of three or
//! more words only the second word, or failing that the last, can be a patronymic.

use crate::token::{NameKind, Token, TokenClass, classify, prepare};
use crate::translit::best;

const PATRONYMIC_ENDINGS: &[&str] = &[
    "vich", "vych", "vna", "ichna", "itch", "itsch", "vic", "vici", "wicz", "vics", "vitj", "vitx",
    "vitsj", "vits", "ich", "ych", "yich", "ivna", "iwna",
];

const TURKIC_MARKERS: &[&str] = &[
    "oglu", "ogly", "ogli", "oghlu", "uly", "uulu", "kyzy", "kizi", "qizi", "gizi",
];

fn is_patronymic_word(w: &str) -> bool {
    w.len() > 5 && PATRONYMIC_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// Tags patronymics in a person's tokens (see the module docs for the rule).
pub(crate) fn mark_patronymic(tokens: &mut [Token]) {
    for t in tokens.iter_mut() {
        if t.class == TokenClass::Patronymic {
            t.class = TokenClass::Word;
        }
    }
    for i in 1..tokens.len() {
        if tokens[i].class == TokenClass::Word && TURKIC_MARKERS.contains(&tokens[i].text.as_str())
        {
            tokens[i].class = TokenClass::Patronymic;
            if tokens[i - 1].class == TokenClass::Word {
                tokens[i - 1].class = TokenClass::Patronymic;
            }
        }
    }
    let mut words = (0..tokens.len()).filter(|&i| tokens[i].class == TokenClass::Word);
    let (Some(_), Some(second), Some(third)) = (words.next(), words.next(), words.next()) else {
        return;
    };
    let last = words.next_back().unwrap_or(third);
    let candidates = [second, last];
    if let Some(&i) = candidates
        .iter()
        .find(|&&i| is_patronymic_word(&tokens[i].text))
    {
        tokens[i].class = TokenClass::Patronymic;
    }
}

/// Person tokens of a fragment of a name (its best Latin form).
fn person_tokens(fragment: &str) -> Vec<Token> {
    let prepared = prepare(fragment, NameKind::Person);
    best(&prepared, true)
        .map(|latin| classify(&latin, NameKind::Person))
        .unwrap_or_default()
}

/// Concatenates parts, re-deriving patronymics for the whole, and optionally dropping honorifics.
fn assemble(parts: &[&[Token]], drop_honorifics: bool) -> Vec<Token> {
    let mut out: Vec<Token> = parts
        .iter()
        .flat_map(|p| p.iter().cloned())
        .filter(|t| !(drop_honorifics && t.class == TokenClass::Honorific))
        .collect();
    mark_patronymic(&mut out);
    out
}

/// Plausible orders of a person's name: as printed first, then given-first / surname-first.
///
/// ```
/// use dualtrace_names::person_orders;
/// let orders = person_orders("PUTIN, Vladimir Vladimirovich");
/// let texts: Vec<String> = orders
///     .iter()
///     .map(|o| o.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" "))
///     .collect();
/// assert_eq!(texts, ["putin vladimir vladimirovich", "vladimir vladimirovich putin"]);
/// ```
pub fn person_orders(name: &str) -> Vec<Vec<Token>> {
    let mut orders: Vec<Vec<Token>> = Vec::new();
    match comma_parts(name) {
        Some((surname, given)) => {
            let (s, g) = (person_tokens(surname), person_tokens(given));
            orders.push(assemble(&[&s, &g], false));
            orders.push(assemble(&[&g, &s], true));
        }
        None => {
            let printed = person_tokens(name);
            if let Some(other) = reordered(name, &printed) {
                orders.push(printed);
                orders.push(other);
            } else {
                orders.push(printed);
            }
        }
    }
    let mut unique: Vec<Vec<Token>> = Vec::new();
    for o in orders {
        if !o.is_empty() && !unique.contains(&o) {
            unique.push(o);
        }
    }
    unique
}

/// "SURNAME, Given" split at the first comma, unless the part after it is a suffix (Jr).
fn comma_parts(name: &str) -> Option<(&str, &str)> {
    let (a, b) = name.split_once(',')?;
    let rest = crate::fold::fold(b);
    let suffix = matches!(rest.as_str(), "jr" | "sr" | "ii" | "iii" | "iv");
    (!a.trim().is_empty() && !rest.is_empty() && !suffix).then_some((a, b))
}

/// The other plausible order of a name without a comma.
fn reordered(name: &str, printed: &[Token]) -> Option<Vec<Token>> {
    if let Some(other) = caps_surname_order(name) {
        return Some(other);
    }
    let core: Vec<Token> = printed
        .iter()
        .filter(|t| t.class != TokenClass::Honorific)
        .cloned()
        .collect();
    if core.len() < 2 {
        return None;
    }
    let last = core.len() - 1;
    let trailing_initials = core
        .iter()
        .rev()
        .take_while(|t| t.class == TokenClass::Initial)
        .count();
    let (head, tail) = if core[last].class == TokenClass::Patronymic && core.len() >= 3 {
        core.split_at(1)
    } else if trailing_initials > 0 && trailing_initials < core.len() {
        core.split_at(core.len() - trailing_initials)
    } else {
        core.split_at(last)
    };
    Some(assemble(&[tail, head], true))
}

/// With a block of all-capital words at one end of a mixed-case name, moves it to the other.
fn caps_surname_order(name: &str) -> Option<Vec<Token>> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let caps: Vec<bool> = words.iter().map(|w| is_all_caps(w)).collect();
    let n_caps = caps.iter().filter(|c| **c).count();
    if n_caps == 0 || n_caps == words.len() {
        return None;
    }
    let lead = caps.iter().take_while(|c| **c).count();
    let trail = caps.iter().rev().take_while(|c| **c).count();
    let split = if lead == n_caps {
        lead
    } else if trail == n_caps {
        words.len() - trail
    } else {
        return None;
    };
    let (a, b) = words.split_at(split);
    let (ta, tb) = (person_tokens(&a.join(" ")), person_tokens(&b.join(" ")));
    Some(assemble(&[&tb, &ta], true))
}

/// At least two cased letters, none lowercase.
fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_uppercase()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str) -> Vec<String> {
        person_orders(name)
            .iter()
            .map(|o| {
                o.iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn orders() {
        assert_eq!(
            texts("PUTIN, Vladimir Vladimirovich"),
            [
                "putin vladimir vladimirovich",
                "vladimir vladimirovich putin"
            ]
        );
        assert_eq!(
            texts("Putin Vladimir Vladimirovich"),
            [
                "putin vladimir vladimirovich",
                "vladimir vladimirovich putin"
            ]
        );
        assert_eq!(
            texts("Vladimir PUTIN"),
            ["vladimir putin", "putin vladimir"]
        );
        assert_eq!(
            texts("ПУТИН владимир владимирович"),
            [
                "putin vladimir vladimirovich",
                "vladimir vladimirovich putin"
            ]
        );
        assert_eq!(texts("Путин В. В."), ["putin v v", "v v putin"]);
        assert_eq!(
            texts("Vladimir Vladimirovich Putin"),
            [
                "vladimir vladimirovich putin",
                "putin vladimir vladimirovich"
            ]
        );
        assert_eq!(texts("Mr John Smith"), ["mr john smith", "smith john"]);
        assert_eq!(texts("John Smith, Jr."), ["john smith jr", "jr john smith"]);
        assert_eq!(texts("Madonna"), ["madonna"]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn patronymics() {
        let o = person_orders("Vladimir Vladimirovich Putin");
        assert_eq!(o[0][1].class, TokenClass::Patronymic);
        assert_eq!(o[0][2].class, TokenClass::Word);
        let o = person_orders("Abramovich Roman Arkadyevich");
        assert_eq!(o[0][0].class, TokenClass::Word);
        assert_eq!(o[0][2].class, TokenClass::Patronymic);
        let o = person_orders("Roman Abramovich");
        assert!(o[0].iter().all(|t| t.class == TokenClass::Word));
        let o = person_orders("Путін Володимир Володимирович");
        assert_eq!(o[0][2].class, TokenClass::Patronymic);
        let o = person_orders("FUAD ALIYEV AHMAD OGLU");
        assert_eq!(o[0][2].class, TokenClass::Patronymic);
        assert_eq!(o[0][3].class, TokenClass::Patronymic);
        let o = person_orders("Wladimir Wladimirowitsch Putin");
        assert_eq!(o[0][1].class, TokenClass::Patronymic);
    }
}
