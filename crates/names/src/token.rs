//! Tokens of a folded Latin name and their classes.
//!
//! A matcher should not weigh every token alike: "LLC" and "GROUP" carry almost no identity,
//! "5" in "Plant No. 5" carries a lot (Plant No. 6 is another plant), a single letter is an
//! initial that may stand for any given name, "Mr" or "Sheikh" is a title, and a Russian
//! patronymic may be missing from the other side. Tokenisation therefore tags each token with
//! a [`TokenClass`] and leaves the weighting to the matcher. What counts depends on the
//! [`NameKind`]: persons have no legal forms or generic words ("Trading" is not a person's
//! word) and organisations have no honorifics ("General Electric").

use crate::order::mark_patronymic;
use crate::terms::{self, LegalForm, Term};
use crate::translit::best;
use smol_str::SmolStr;
use std::borrow::Cow;

/// What kind of party a name belongs to (controls which classes apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A natural person.
    Person,
    /// A company, organisation, body or legal entity.
    Organization,
    /// A vessel (ship) or aircraft.
    Vessel,
    /// Unknown: every class applies, ambiguous ones only at the ends of the name.
    Any,
}

/// The class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenClass {
    /// An ordinary name word.
    Word,
    /// A legal form ("ooo", "gmbh", "co ltd"), with its canonical class.
    LegalForm(LegalForm),
    /// A low-information organisation word ("trading", "group", "gruppa", "mao yi").
    Generic,
    /// A single letter.
    Initial,
    /// A token with digits: significant ("No. 5" is not "No. 6").
    Number,
    /// A title or honorific ("mr", "sheikh", "general", "prezident").
    Honorific,
    /// A Russian-style patronymic ("vladimirovich", "ivanovna") or a Turkic "oglu"/"kyzy" part:
    /// often absent on the other side, so a matcher may treat it as optional.
    Patronymic,
    /// A vessel prefix ("m v", "mt").
    VesselPrefix,
}

/// One token of a name: folded Latin text and its class.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// Folded Latin text (a multi-word legal form keeps its words joined by spaces), inline
    /// up to 23 bytes: a name's analysis makes a token per word of every rendering, each a
    /// heap allocation as a `String`.
    pub text: SmolStr,
    /// The class.
    pub class: TokenClass,
}

impl Token {
    /// Whether the token identifies the party (a word, number, initial or patronymic).
    pub fn is_identifying(&self) -> bool {
        matches!(
            self.class,
            TokenClass::Word | TokenClass::Number | TokenClass::Initial | TokenClass::Patronymic
        )
    }
}

/// Tokenises a name of the given kind: transliterated (best Latin form), folded, classified.
///
/// ```
/// use dualtrace_names::{tokenize, NameKind, TokenClass, LegalForm};
/// let t = tokenize("ООО «Ромашка Трейдинг»", NameKind::Organization);
/// assert_eq!(t[0].class, TokenClass::LegalForm(LegalForm::Llc));
/// assert_eq!(t[1].text, "romashka");
/// ```
pub fn tokenize(name: &str, kind: NameKind) -> Vec<Token> {
    let prepared = prepare(name, kind);
    match best(&prepared, kind != NameKind::Organization) {
        Some(latin) => classify(&latin, kind),
        None => Vec::new(),
    }
}

/// Joins dotted single-letter abbreviations for organisations ("S.A." → "SA",
/// "L.X.C Aviation" → "LXC Aviation"); persons keep their initials apart.
pub(crate) fn prepare(name: &str, kind: NameKind) -> Cow<'_, str> {
    match kind {
        NameKind::Organization | NameKind::Vessel => join_dotted(name),
        NameKind::Person | NameKind::Any => Cow::Borrowed(name),
    }
}

/// Removes the dots of a run of at least two single letters separated by dots ("A.Ş." → "AŞ",
/// "o.o." → "oo"); everything else is kept (borrowed when there is no dot: such a run needs one).
pub(crate) fn join_dotted(text: &str) -> Cow<'_, str> {
    if text.contains('.') {
        Cow::Owned(join_dotted_runs(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// [`join_dotted`] on any text, dots or not.
fn join_dotted_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let len = dotted_run(&chars, i);
        if len > 0 {
            out.extend(chars[i..i + len].iter().filter(|c| **c != '.'));
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Length of a dotted single-letter run starting at `i` (0 if none): "A.B" or "A.B." or more.
fn dotted_run(chars: &[char], i: usize) -> usize {
    let letter = |j: usize| chars.get(j).is_some_and(|c| c.is_alphabetic());
    if (i > 0 && letter(i - 1)) || !letter(i) {
        return 0;
    }
    let mut j = i;
    let mut letters = 0;
    while letter(j) && !letter(j + 1) {
        letters += 1;
        if chars.get(j + 1) == Some(&'.') {
            j += 2;
        } else {
            j += 1;
            break;
        }
    }
    if letters >= 2 { j - i } else { 0 }
}

/// Classifies the tokens of a folded Latin string.
pub(crate) fn classify(folded: &str, kind: NameKind) -> Vec<Token> {
    let spans = word_spans(folded);
    let n = spans.len();
    let mut out: Vec<Token> = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        let (len, class) = best_term(folded, &spans, i, kind, &out)
            .unwrap_or_else(|| (1, word_class(&folded[spans[i].0..spans[i].1])));
        out.push(Token {
            text: SmolStr::new(&folded[spans[i].0..spans[i + len - 1].1]),
            class,
        });
        i += len;
    }
    number_markers(&mut out);
    if !out.iter().any(Token::is_identifying) {
        for t in &mut out {
            if matches!(t.class, TokenClass::Generic | TokenClass::Honorific) {
                t.class = TokenClass::Word;
            }
        }
    }
    if matches!(kind, NameKind::Person | NameKind::Any) {
        mark_patronymic(&mut out);
    }
    out
}

/// Byte spans of the space-separated words.
///
/// Read byte by byte: a space is one byte in UTF-8 and no byte of a longer character equals
/// it, so the spans fall on character boundaries without decoding the characters.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    // At most one word more than there are spaces: sized first, not grown word by word.
    let mut spans = Vec::with_capacity(bytes.iter().filter(|b| **b == b' ').count() + 1);
    let mut start = None;
    for (i, b) in bytes.iter().enumerate() {
        match (*b == b' ', start) {
            (true, Some(st)) => {
                spans.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        spans.push((st, s.len()));
    }
    spans
}

/// The longest acceptable table term starting at token `i`.
fn best_term(
    s: &str,
    spans: &[(usize, usize)],
    i: usize,
    kind: NameKind,
    before: &[Token],
) -> Option<(usize, TokenClass)> {
    let n = spans.len();
    let longest = terms::longest_from(&s[spans[i].0..spans[i].1]).min(n - i);
    (1..=longest).rev().find_map(|len| {
        let key = &s[spans[i].0..spans[i + len - 1].1];
        let at_edge = i == 0 || i + len == n;
        let after_legal = before
            .last()
            .is_some_and(|t| matches!(t.class, TokenClass::LegalForm(_)));
        let weak = key.len() <= 2 || spans[i..i + len].iter().all(|(a, b)| b - a == 1);
        let place = Place {
            kind,
            at_edge,
            first: i == 0,
            strong: !weak || after_legal,
        };
        terms::lookup(key)
            .iter()
            .find_map(|t| accept(*t, &place))
            .map(|class| (len, class))
    })
}

/// Where a candidate term sits.
struct Place {
    kind: NameKind,
    at_edge: bool,
    first: bool,
    strong: bool,
}

/// The class a term gets at a place, if the kind and position allow it there.
fn accept(term: Term, p: &Place) -> Option<TokenClass> {
    let kind = p.kind;
    Some(match term {
        Term::Legal(f) if kind != NameKind::Person && (p.strong || p.at_edge) => {
            TokenClass::LegalForm(f)
        }
        Term::Generic if kind != NameKind::Person => TokenClass::Generic,
        Term::Honorific if kind == NameKind::Person || (kind == NameKind::Any && p.at_edge) => {
            TokenClass::Honorific
        }
        Term::VesselPrefix if matches!(kind, NameKind::Vessel | NameKind::Any) && p.first => {
            TokenClass::VesselPrefix
        }
        _ => return None,
    })
}

/// Class of a single word not in the tables.
fn word_class(w: &str) -> TokenClass {
    // An ASCII digit is one byte in UTF-8, and no byte of a longer character is one.
    if w.bytes().any(|b| b.is_ascii_digit()) {
        TokenClass::Number
    } else if is_one_char(w) {
        TokenClass::Initial
    } else {
        TokenClass::Word
    }
}

/// Whether `w` is exactly one character.
fn is_one_char(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some() && chars.next().is_none()
}

/// "no", "nr", "number" right before a number are generic markers, not words.
fn number_markers(tokens: &mut [Token]) {
    for i in 1..tokens.len() {
        if tokens[i].class == TokenClass::Number
            && matches!(
                tokens[i - 1].text.as_str(),
                "no" | "nr" | "number" | "nomer"
            )
        {
            tokens[i - 1].class = TokenClass::Generic;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::LegalForm::{Jsc, Llc, Pjsc, StateEnterprise};
    use TokenClass::*;

    fn classes(name: &str, kind: NameKind) -> Vec<(String, TokenClass)> {
        tokenize(name, kind)
            .into_iter()
            .map(|t| (t.text.to_string(), t.class))
            .collect()
    }

    fn c(t: &str, k: TokenClass) -> (String, TokenClass) {
        (t.to_string(), k)
    }

    proptest::proptest! {
        #[test]
        fn text_without_dots_is_kept_as_it_is(text in "\\PC{0,30}|[a-zA-Z .,\u{00A0}\u{0301}Şş]{0,30}") {
            proptest::prop_assert_eq!(join_dotted(&text), join_dotted_runs(&text));
        }

        #[test]
        fn word_spans_are_the_words_between_spaces(text in "[a -~\u{00E9}\u{4E2D}\u{0416}0-9]{0,24}") {
            let mut expected = Vec::new();
            let mut at = 0;
            for piece in text.split(' ') {
                if !piece.is_empty() {
                    expected.push((at, at + piece.len()));
                }
                at += piece.len() + 1;
            }
            proptest::prop_assert_eq!(word_spans(&text), expected);
            for w in text.split(' ') {
                let digit = w.chars().any(|c| c.is_ascii_digit());
                proptest::prop_assert_eq!(word_class(w) == TokenClass::Number, digit);
            }
        }
    }

    #[test]
    fn dotted_abbreviations() {
        assert_eq!(join_dotted("Acme S.A."), "Acme SA");
        assert_eq!(join_dotted("L.X.C Aviation"), "LXC Aviation");
        assert_eq!(join_dotted("FABERLIC Sp. z o.o."), "FABERLIC Sp. z oo");
        assert_eq!(join_dotted("İstanbul A.Ş."), "İstanbul AŞ");
        assert_eq!(join_dotted("J. Smith, No. 5"), "J. Smith, No. 5");
        assert_eq!(join_dotted("a.b.c.d"), "abcd");
    }

    #[test]
    fn legal_forms_across_languages() {
        assert_eq!(
            classes("İstanbul Dış Ticaret A.Ş.", NameKind::Organization),
            [
                c("istanbul", Word),
                c("dis", Word),
                c("ticaret", Word),
                c("as", LegalForm(Jsc))
            ]
        );
        assert_eq!(
            classes("İstanbul Dış Ticaret A.Ş.", NameKind::Any).last(),
            Some(&c("a s", LegalForm(Jsc)))
        );
        assert_eq!(
            classes("Shenzhen Jinghua Co., Ltd.", NameKind::Organization),
            [
                c("shenzhen", Word),
                c("jinghua", Word),
                c("co ltd", LegalForm(Llc))
            ]
        );
        assert_eq!(
            classes(
                "Общество с ограниченной ответственностью «Ромашка»",
                NameKind::Any
            )[0]
            .1,
            LegalForm(Llc)
        );
        assert_eq!(
            classes("ПАО Газпром", NameKind::Any)[0],
            c("pao", LegalForm(Pjsc))
        );
        assert_eq!(classes("Gazprom PJSC", NameKind::Any)[1].1, LegalForm(Pjsc));
        assert_eq!(
            classes("深圳市华强电子有限公司", NameKind::Organization).last(),
            Some(&c("you xian gong si", LegalForm(Llc)))
        );
        assert_eq!(
            classes("FABERLIC EUROPE Sp. z o.o.", NameKind::Organization).last(),
            Some(&c("sp z oo", LegalForm(Llc)))
        );
        assert_eq!(
            classes("ФГУП Завод", NameKind::Organization)[0].1,
            LegalForm(StateEnterprise)
        );
    }

    #[test]
    fn weak_forms_only_at_the_edges() {
        let t = classes("Banco SA de CV", NameKind::Organization);
        assert_eq!(t[1], c("sa", Word));
        let t = classes("Acme SA", NameKind::Organization);
        assert_eq!(t[1], c("sa", LegalForm(Jsc)));
        let t = classes("AO Kronshtadt", NameKind::Organization);
        assert_eq!(t[0].1, LegalForm(Jsc));
    }

    #[test]
    fn generic_words_and_numbers() {
        let t = classes("Golden Dragon Trading Group Ltd", NameKind::Organization);
        assert_eq!(
            t.iter().map(|x| x.1).collect::<Vec<_>>(),
            [Word, Word, Generic, Generic, LegalForm(Llc)]
        );
        let t = classes("Plant No. 5", NameKind::Organization);
        assert_eq!(t[1], c("no", Generic));
        assert_eq!(t[2], c("5", Number));
        assert_ne!(
            classes("Plant No. 5", NameKind::Organization),
            classes("Plant No. 6", NameKind::Organization)
        );
        let t = classes("ООО Торговый дом Ромашка", NameKind::Organization);
        assert_eq!(
            t.iter().map(|x| x.1).collect::<Vec<_>>(),
            [LegalForm(Llc), Generic, Word]
        );
        assert_eq!(
            classes("Trading Company", NameKind::Organization)[0].1,
            Word
        );
        assert_eq!(
            classes("北京科技集团", NameKind::Organization)
                .iter()
                .filter(|t| t.1 == Generic)
                .count(),
            2
        );
    }

    #[test]
    fn persons_honorifics_and_initials() {
        let t = classes("Mr. John R. Smith", NameKind::Person);
        assert_eq!(
            t,
            [
                c("mr", Honorific),
                c("john", Word),
                c("r", Initial),
                c("smith", Word)
            ]
        );
        assert_eq!(
            classes("Presidente Vladimir Putin", NameKind::Any)[0].1,
            Honorific
        );
        assert_eq!(classes("Putyin elnök", NameKind::Person)[1].1, Honorific);
        assert_eq!(
            classes("General Electric", NameKind::Organization)[0].1,
            Generic
        );
        assert_eq!(classes("General Ivanov", NameKind::Person)[0].1, Honorific);
        assert_eq!(classes("John Smith Ltd", NameKind::Person)[2].1, Word);
        assert_eq!(
            classes("M/V Oceanic", NameKind::Vessel)[0],
            c("m v", VesselPrefix)
        );
    }

    #[test]
    fn empty_and_symbol_only() {
        assert!(tokenize("", NameKind::Any).is_empty());
        assert!(tokenize("«»—", NameKind::Any).is_empty());
    }
}
