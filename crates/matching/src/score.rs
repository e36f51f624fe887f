//! Scoring: an explainable feature model that says how likely two records are the same party.
//!
//! The score is built like an analyst's judgement, feature by feature, each reported in the
//! [`Explanations`]:
//!
//! * **name** (the base score): the best similarity over every pair of names (primary names,
//!   aliases, former names; weak aliases count 0.9) and every pair of their Latin renderings.
//!   Two renderings are compared as *bags of classified tokens* (so name order never matters:
//!   "PUTIN, Vladimir" = "Vladimir Putin"), aligned greedily, cheapest pair first:
//!   - equal tokens cost nothing; two words may differ by one edit (4-5 letters), two (6-8) or
//!     three (9+), counted by optimal-string-alignment distance (a swap of adjacent letters is one
//!     edit); three-letter words one edit ("Kim"/"Kin": Korean and Chinese names are made of
//!     them), two-letter words only a swap; words with the same phonetic key (transliteration
//!     drift: "mhmd"/"mohamed", "poetin"/"putin") cost at most 15% of their length (one edit at least). Beyond that
//!     words do not align: "Juan" is not "John".
//!   - an initial matches any word with its letter, for the weight of one letter at half a
//!     letter's cost ("A." may be Amy or Ahmed), and an alignment of initials only scores 0
//!     ("C.T.R." is not "Rodney Tara Carson");
//!   - a name written in a syllabic script (Han, Hangul, Kana) is rendered as exact syllable
//!     readings, so its words align only when equal ("ying" is not "ling", "lin" not "bin": the
//!     negatives showed one-letter syllable differences as the main false alerts) and a missing
//!     syllable weighs in full on either side (a two-syllable given name is not one syllable);
//!   - numbers match only when equal, and two names with different numbers are capped
//!     ("Snow Storm 1" is not "Snow Storm 2");
//!   - legal forms match their canonical class ("OAO" = "JSC") for the weight of one letter,
//!     generic words ("trading", "group") weigh 0.3 a letter, name particles ("al", "bin", "van")
//!     0.5, titles nothing; a patronymic left unmatched weighs 0.15 a letter (it is often
//!     missing on one side); every other unmatched token weighs its full length on the shorter
//!     side and half of it on the longer side (a listed name may carry a middle name the query
//!     lacks, but "Emma" is not "Emma Daniels"); when a name carries a title ("President
//!     Putin", "Sheikh Hassan") and is the shorter one, the longer side's extra tokens weigh a twentieth, since a title with a
//!     surname is how such persons are referred to.
//!
//!   The rendering score is `1 - (edits + unmatched) / (aligned length + unmatched - 1)`: a
//!   character-level similarity where the `- 1` makes one typo cost more in a short name than in
//!   a long one (one typo in a 12-letter name ≈ 0.91, in "Snow" 0.67). Only identical names reach
//!   1.0, so similar names never saturate. Joined spellings ("Ramimakhlouf") are compared
//!   without spaces as a fallback, at 0.97 of their similarity.
//! * **identifier**: a shared identifier (IMO, INN, OGRN, LEI, BIC, passport..., compared in
//!   canonical form across properties, since lists disagree on where they put a number) lifts
//!   the score to at least 0.95; a number too short to identify anything (< 5 characters) is
//!   ignored.
//! * qualifiers, small and signed, applied to the base: **birth date** (+0.05 same day, +0.02
//!   compatible year or month, -0.05 a year off by one, which is how transcription errors look,
//!   -0.2 disjoint years, -0.35 five years apart or more, which no transcription error explains
//!   and which outweighs a common name ("Zafar Iqbal" born 1953 and 1972, in the analysts'
//!   pairs); -0.1 when the query gives one and the listed person (or party of unknown kind, as
//!   the US consolidated list gives them) has none, since the name then carries the match
//!   alone: most false alerts of the negatives were such
//!   records), **country** (-0.1 when both sides name countries and none is shared, -0.2
//!   between organisations, which are registered in one: branches of a charity in different
//!   countries are different parties),
//!   **gender** (-0.15 when both are known and differ), **schema** (incompatible schemata score 0;
//!   an organisation-looking name, one with a legal form, against a person -0.3: "EMMA LLC" is
//!   not "Emma Daniels"; so does a titled name, "President Putin", against a vessel, aircraft or
//!   organisation).
//!
//! Calibration (see the tests): exact 1.0, one typo ≥ 0.9, plausible variants 0.7-0.85,
//! different people < 0.5. The default alert threshold is [`DEFAULT_THRESHOLD`] (0.7).

use crate::explain::{Explanations, Feature};
use dualtrace_model::identifier::normalize_id;
use dualtrace_model::property::PropertyType;
use dualtrace_model::{Entity, IdKind, NameKind, PartialDate, Property, Schema, country_code};
use dualtrace_names::{
    FastMap, NameKind as NameClass, RenderingKey, Script, Token, TokenClass, consonants,
    given_name_groups, phonetic, renderings_up_to, skeleton,
};
use serde::Serialize;
use std::cell::{Cell, OnceCell};

mod bound;
mod shared;
mod text;

pub(crate) use bound::Sketch;
pub(crate) use shared::{TokenNumbering, next_serial};

pub(crate) use text::TokenText;

/// The default alert threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.7;

/// Renderings kept per name (the names crate gives up to 24 for some scripts).
const MAX_VARIANTS: usize = 8;
/// Factor applied to names that only match through a weak alias.
const WEAK_FACTOR: f64 = 0.9;
/// Penalty when the query gives a birth date and the listed person has none: the name has to
/// carry the match alone.
const MISSING_BIRTH: f64 = 0.1;
/// Cost of an initial standing for a word: "A." may be Amy or Ahmed.
const INITIAL_COST: f64 = 0.5;
/// Factor applied to a match of joined spellings.
const JOINED_FACTOR: f64 = 0.97;

/// Name particles that carry little identity on their own.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "ud", "bin", "ibn", "bint", "ben", "abu", "abd", "de", "da", "del", "der",
    "van", "von", "la", "le", "din", "ould", "bou", "di", "du",
];

/// The result of comparing a query (or a record) with a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The score, 0..1.
    pub score: f64,
    /// Whether the score reaches the alert threshold.
    pub is_match: bool,
    /// Every feature compared, with its contribution.
    pub explanations: Explanations,
}

/// One token ready for comparison: folded Latin text, class, phonetic key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub text: TokenText,
    pub class: TokenClass,
    pub key: TokenText,
    pub particle: bool,
    /// Length in characters, counted once at preparation (scoring asks for it constantly).
    pub chars: usize,
    /// The letters present, and those present twice ([`letter_mask`]).
    pub mask: u64,
    /// The transcription skeleton of a word-like token ([`dualtrace_names::skeleton`]).
    pub skel: TokenText,
    /// The given-name groups of a word ([`dualtrace_names::given_name_groups`]).
    pub given: &'static [u16],
    /// Position among the record's distinct tokens ([`assign_slots`]): the key of the token-pair
    /// cost cache, since a record's renderings repeat the same tokens many times.
    pub slot: u16,
}

impl Tok {
    /// A token prepared for scoring: its length, letters, and for a word its phonetic key,
    /// skeleton and given-name groups.
    fn from_token(t: Token) -> Tok {
        let wordish = matches!(t.class, TokenClass::Word | TokenClass::Patronymic);
        let (key, skel) = if wordish {
            (phonetic(&t.text).into(), skeleton(&t.text).into())
        } else {
            (TokenText::default(), TokenText::default())
        };
        let given = if t.class == TokenClass::Word {
            given_name_groups(&t.text)
        } else {
            &[]
        };
        Tok {
            key,
            skel,
            given,
            ..Tok::spelled(t)
        }
    }

    /// The token as [`Tok::from_token`] prepares it but for its phonetic key, skeleton and
    /// given-name groups (left empty), which only compare it with tokens of other texts:
    /// enough to align it with itself ([`spelled_alike`]).
    fn spelled(t: Token) -> Tok {
        Tok {
            chars: t.text.chars().count(),
            mask: letter_mask(&t.text),
            particle: t.class == TokenClass::Word && PARTICLES.contains(&t.text.as_str()),
            text: t.text,
            class: t.class,
            key: TokenText::default(),
            given: &[],
            skel: TokenText::default(),
            slot: 0,
        }
    }

    /// A token of `text` and `class` as [`Tok::spelled`] prepares it, for tests.
    #[cfg(test)]
    pub(crate) fn of_text(text: &str, class: TokenClass) -> Tok {
        Tok::spelled(Token {
            text: text.into(),
            class,
        })
    }

    fn len(&self) -> f64 {
        self.chars as f64
    }

    /// Weight per letter of a word-like token.
    fn letter_weight(&self) -> f64 {
        match self.class {
            TokenClass::Generic => 0.3,
            _ if self.particle => 0.5,
            _ => 1.0,
        }
    }

    /// What the token weighs when nothing on the other side matches it.
    fn unmatched_weight(&self) -> f64 {
        match self.class {
            TokenClass::Word | TokenClass::Generic => self.len() * self.letter_weight(),
            TokenClass::Patronymic => 0.15 * self.len(),
            TokenClass::Initial | TokenClass::LegalForm(_) => 1.0,
            TokenClass::Number => self.len().max(3.0),
            TokenClass::Honorific | TokenClass::VesselPrefix => 0.0,
        }
    }

    /// Whether the token is identity-bearing for joined comparison and candidate generation.
    pub(crate) fn is_core(&self) -> bool {
        matches!(
            self.class,
            TokenClass::Word | TokenClass::Patronymic | TokenClass::Number
        )
    }
}

/// One Latin rendering of a name.
#[derive(Debug, Clone)]
pub(crate) struct Variant {
    pub toks: Vec<Tok>,
    /// Core tokens without spaces, for the joined-spelling fallback.
    joined: String,
    /// The characters of [`Variant::joined`] ([`letter_mask`]): a lower bound on the distance
    /// of two joined spellings, read by the pruning bound before computing it.
    joined_mask: u64,
    /// Whether the name was written in a syllabic script (Han, Hangul, Kana): its renderings are
    /// exact readings, so a one-letter difference is another syllable, not a typo.
    strict: bool,
    /// How much of the name its script could not write ([`Lossy`]).
    pub lossy: Lossy,
}

/// How lossily a name's script transcribes foreign names, which decides whether two tokens may
/// align on their transcription skeletons alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Lossy {
    /// Latin, Cyrillic, Greek, Armenian, Georgian: letters map to letters.
    No,
    /// Hangul, kana, Han, Indic and South-East Asian scripts: foreign names are re-syllabified.
    Transcribed,
    /// Arabic and Hebrew write consonants only: the skeleton is all the script says.
    Abjad,
}

impl Lossy {
    fn of(script: Script) -> Lossy {
        match script {
            Script::Arabic | Script::Hebrew => Lossy::Abjad,
            Script::Han | Script::Kana | Script::Hangul | Script::Other => Lossy::Transcribed,
            _ => Lossy::No,
        }
    }

    /// The cost per letter of a token pair aligned on equal skeletons, and the shortest
    /// skeleton that may align (two consonants say little unless the script writes nothing else).
    fn skeleton_rule(self) -> Option<(f64, usize)> {
        match self {
            Lossy::No => None,
            Lossy::Transcribed => Some((SKELETON_COST, 3)),
            Lossy::Abjad => Some((ABJAD_SKELETON_COST, 2)),
        }
    }
}

/// Cost per letter of two tokens of a transcribed name that share their skeleton.
const SKELETON_COST: f64 = 0.12;
/// Cost per letter of two tokens of an abjad name that share their skeleton.
const ABJAD_SKELETON_COST: f64 = 0.05;
/// Cost per letter of skeletons one class apart (four classes or more).
const NEAR_SKELETON_COST: f64 = 0.25;

/// Cost per letter of a familiar given name against its full form.
const FAMILIAR_COST: f64 = 0.15;
/// Factor on a name comparison that used skeletons while some word stayed unaligned.
const PARTIAL_SKELETON_FACTOR: f64 = 0.85;

/// A name prepared once for all comparisons.
#[derive(Debug, Clone)]
pub(crate) struct NameForm {
    pub original: String,
    pub weak: bool,
    pub variants: Vec<Variant>,
    /// Whether the name carries a legal form (looks like an organisation).
    pub orgish: bool,
    /// Its renderings' [`Variant::strict`] (false without renderings), kept here too so that
    /// choosing how to compare two names reads no rendering.
    strict: bool,
    /// Its renderings' [`Variant::lossy`] ([`Lossy::No`] without renderings).
    lossy: Lossy,
}

/// The prepared tokens of one record, by text and class: a record's renderings and names
/// repeat the same words, and a token's phonetic key, skeleton and given-name groups depend on
/// its text and class alone, so each distinct token is prepared once per record.
#[derive(Debug, Default)]
pub(crate) struct TokCache {
    prepared: FastMap<(TokenText, TokenClass), Tok>,
}

impl TokCache {
    /// A cache for the tokens of one name: room for the distinct tokens of its renderings
    /// up front (three words in eight renderings, some shared), rather than growing the table
    /// and moving the prepared tokens several times while they come.
    #[cfg(test)]
    fn for_one_name() -> TokCache {
        TokCache {
            prepared: FastMap::with_capacity_and_hasher(16, Default::default()),
        }
    }

    /// The most tokens [`NameForm::for_query`]'s cache keeps (a few MiB), past which the
    /// next query's name starts it afresh.
    const MAX_QUERY_TOKENS: usize = 1 << 15;

    /// Empties the cache if it holds more than `max` tokens.
    fn bound(&mut self, max: usize) {
        if self.prepared.len() > max {
            self.prepared.clear();
        }
    }

    /// The prepared form of a token, from the cache or prepared now (and kept).
    fn tok(&mut self, t: Token) -> Tok {
        let key = (t.text.clone(), t.class);
        self.prepared
            .entry(key)
            .or_insert_with(|| Tok::from_token(t))
            .clone()
    }
}

impl NameForm {
    /// A name analysed on its own, its tokens prepared for it alone.
    #[cfg(test)]
    pub(crate) fn new(name: &str, class: NameClass, weak: bool) -> NameForm {
        NameForm::with_cache(name, class, weak, &mut TokCache::for_one_name())
    }

    /// [`NameForm::new`] for a screening query's name, preparing its tokens through a cache
    /// the thread keeps across queries: the words of a batch's names repeat (given names,
    /// "al", "abdul"), and a word's phonetic key, skeleton and given-name groups were a
    /// fifth of a query's analysis. Bounded by [`TokCache::MAX_QUERY_TOKENS`].
    pub(crate) fn for_query(name: &str, class: NameClass) -> NameForm {
        thread_local! {
            static QUERY_TOKENS: std::cell::RefCell<TokCache> =
                std::cell::RefCell::new(TokCache::default());
        }
        QUERY_TOKENS.with(|cell| {
            let mut cache = cell.borrow_mut();
            cache.bound(TokCache::MAX_QUERY_TOKENS);
            NameForm::with_cache(name, class, false, &mut cache)
        })
    }

    /// [`NameForm::new`], preparing tokens through a record's [`TokCache`].
    pub(crate) fn with_cache(
        name: &str,
        class: NameClass,
        weak: bool,
        cache: &mut TokCache,
    ) -> NameForm {
        let analysed = renderings_up_to(name, class, MAX_VARIANTS);
        let strict = written_in_syllables(name);
        let lossy = Lossy::of(analysed.script);
        let mut variants: Vec<Variant> = Vec::with_capacity(analysed.variants.len());
        for tokens in analysed.variants {
            let toks: Vec<Tok> = numberize(tokens)
                .into_iter()
                .map(|t| cache.tok(t))
                .collect();
            if toks.is_empty() || variants.iter().any(|v| v.toks == toks) {
                continue;
            }
            let core = || toks.iter().filter(|t| t.is_core()).map(|t| t.text.as_str());
            let mut joined = String::with_capacity(core().map(str::len).sum());
            joined.extend(core());
            variants.push(Variant {
                toks,
                joined_mask: letter_mask(&joined),
                joined,
                strict,
                lossy,
            });
        }
        let orgish = variants.iter().any(|v| holds_legal_form(&v.toks));
        let (strict, lossy) = if variants.is_empty() {
            (false, Lossy::No)
        } else {
            (strict, lossy)
        };
        NameForm {
            original: name.to_string(),
            weak,
            variants,
            orgish,
            strict,
            lossy,
        }
    }
}

/// A hash of a name's letters and digits, lowercased, word by word (any run of other
/// characters is one break); `None` when it has none. Names with equal keys are the same name
/// written alike ("Ted MORGAN", "ted  morgan."), so they get the same renderings (which
/// [`identical_first`] confirms). Computed for the names of every record compared, up to the
/// first pair written alike (a twelfth of the instructions of preparing and scoring the
/// benchmark's pairs when computed for every name, before these measures), so it folds ASCII
/// byte by byte through a table ([`ASCII_FOLD`]), tells and lowercases the letters of the
/// common alphabets by range ([`common_letter`], [`common_lower`]) rather than through
/// Unicode's tables, and hashes a buffer on the stack at a time rather than a character at a
/// time. Equal folded texts fill and flush the buffer at the same points, so they hash alike.
fn folded_key(name: &str) -> Option<u64> {
    use std::hash::{BuildHasher, Hasher};
    const ROOM: usize = 64;
    let mut h = foldhash::fast::FixedState::default().build_hasher();
    let mut buf = [0u8; ROOM];
    let (mut len, mut at) = (0, 0);
    let (mut any, mut gap) = (false, false);
    while let Some(&byte) = name.as_bytes().get(at) {
        // Room for a break and the longest lowercase of a character (three of four bytes).
        if len + 13 > ROOM {
            h.write(&buf[..len]);
            len = 0;
        }
        if let Some(&folded) = ASCII_FOLD.get(usize::from(byte)) {
            at += 1;
            if folded == 0 {
                gap = any;
                continue;
            }
            if gap {
                buf[len] = b' ';
                len += 1;
            }
            buf[len] = folded;
            len += 1;
        } else {
            let Some(c) = name.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            at += c.len_utf8();
            let lower = common_lower(c);
            if lower.is_none() && !(common_letter(c) || c.is_alphanumeric()) {
                gap = any;
                continue;
            }
            if gap {
                buf[len] = b' ';
                len += 1;
            }
            match lower {
                Some(l) => len += l.encode_utf8(&mut buf[len..]).len(),
                None => {
                    for l in c.to_lowercase() {
                        len += l.encode_utf8(&mut buf[len..]).len();
                    }
                }
            }
        }
        (any, gap) = (true, false);
    }
    h.write(&buf[..len]);
    any.then(|| h.finish())
}

/// Per ASCII byte, its lowercase if it is a letter or a digit, else 0: one load for
/// [`folded_key`]'s tests and lowercasing of a byte.
const ASCII_FOLD: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = b.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The lowercase of a letter of Latin-1, basic Greek or Russian-range Cyrillic (one
/// character, by offset), or of a caseless letter of the Arabic alphabet, the CJK unified
/// ideographs or the Hangul syllables (itself); `None` for any other character.
/// [`char::to_lowercase`] gives the same but searches Unicode's tables for every letter
/// [`folded_key`] lowercases; the tests check every character of these ranges against it.
fn common_lower(c: char) -> Option<char> {
    let shift = match c {
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => 0x20,
        '\u{DF}'..='\u{F6}' | '\u{F8}'..='\u{FF}' => 0,
        '\u{391}'..='\u{3A1}' | '\u{3A3}'..='\u{3A9}' => 0x20,
        '\u{3B1}'..='\u{3C9}' => 0,
        '\u{400}'..='\u{40F}' => 0x50,
        '\u{410}'..='\u{42F}' => 0x20,
        '\u{430}'..='\u{45F}' => 0,
        '\u{621}'..='\u{64A}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' => 0,
        _ => return None,
    };
    char::from_u32(u32::from(c) + shift)
}

/// Whether a character is a letter of Latin-1, Latin Extended-A, Greek or Russian-range
/// Cyrillic, told by range: [`char::is_alphanumeric`] answers the same for these but looks
/// them up in Unicode's tables, a few hundred instructions a character.
fn common_letter(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{17F}'
        | '\u{391}'..='\u{3A1}' | '\u{3A3}'..='\u{3A9}' | '\u{3B1}'..='\u{3C9}'
        | '\u{400}'..='\u{45F}')
}

/// Two names written alike ([`folded_key`]): their first renderings aligned (once, its pairs
/// kept for the explanation), and the match if they score 1.0 (no name scores more).
/// [`score_records`]' first step.
fn identical_first(qn: &NameForm, cn: &NameForm, buf: &mut AlignBuf) -> Option<NameMatch> {
    let (qv, cv) = (qn.variants.first()?, cn.variants.first()?);
    if let Some(pairs) = spelled_alike(qv, cv) {
        return Some(described((qn, cn, qv), 1.0, pairs));
    }
    let mut pairs = Vec::new();
    (align_score(qv, cv, buf, Some(&mut pairs)) >= 1.0).then(|| described((qn, cn, qv), 1.0, pairs))
}

/// [`align_score`]'s pairs of two renderings holding the same tokens in the same order, when
/// that alignment is certain without comparing every token with every other: `None` leaves
/// the renderings to [`align_score`].
///
/// Most pairs of records share a name written alike, and aligning it was a twentieth of
/// scoring them: every token pair's cost, most of them words unlike each other. Here each
/// text comes once, and each legal form: then a token costs nothing against itself, and
/// every other pair costs something or cannot align (a different word is an edit away at
/// least, and its skeleton, phonetic and familiar costs are fractions of its length;
/// numbers, initials and legal forms align at no cost only with themselves, an initial
/// with a word at a cost; titles and vessel prefixes align with nothing and weigh nothing
/// unmatched). The cheapest-first alignment takes the diagonal, longest first, leaving
/// nothing of weight unmatched: the score is 1.0, provided some aligned token is not an
/// initial. The diagonal's costs are still computed ([`pair_cost`]), so the lengths and
/// their order are [`align_score`]'s.
fn spelled_alike(q: &Variant, c: &Variant) -> Option<Vec<String>> {
    use TokenClass::*;
    if q.toks.len() != c.toks.len() {
        return None;
    }
    let (strict, lossy) = (q.strict || c.strict, q.lossy.max(c.lossy));
    let mut diagonal: Vec<(usize, f64)> = Vec::with_capacity(q.toks.len());
    let mut words = false;
    for (i, (a, b)) in q.toks.iter().zip(&c.toks).enumerate() {
        if a.class != b.class || a.text != b.text || a.chars == 0 {
            return None;
        }
        let before = &q.toks[..i];
        if before
            .iter()
            .any(|t| t.text == a.text || (t.class == a.class && matches!(a.class, LegalForm(_))))
        {
            return None;
        }
        match (a.class, pair_cost(a, b, strict, lossy)) {
            (Honorific | VesselPrefix, None) => {}
            (Honorific | VesselPrefix, Some(_)) => return None,
            (_, Some((cost, len, false))) if cost.to_bits() == 0 && len > 0.0 => {
                diagonal.push((i, len));
                words |= a.class != Initial;
            }
            _ => return None,
        }
    }
    if !words {
        return None;
    }
    // `align_score` sorts by cost per letter (all nought here), then the longer first, in a
    // stable sort.
    diagonal.sort_by(|x, y| y.1.total_cmp(&x.1));
    Some(
        diagonal
            .iter()
            .map(|&(i, _)| shown_pair(&q.toks[i].text, '=', &q.toks[i].text))
            .collect(),
    )
}

/// An aligned pair as an explanation shows it: "vladimir=vladimir", "serej~sergei". Built by
/// hand: every pair of records compared explains its best alignment, and `format!` cost
/// several times the copying.
fn shown_pair(a: &str, sep: char, b: &str) -> String {
    let mut pair = String::with_capacity(a.len() + 1 + b.len());
    pair.push_str(a);
    pair.push(sep);
    pair.push_str(b);
    pair
}

/// Whether each of two letter sets ([`letter_mask`]) holds at most `cap` letters the other
/// lacks: their lower bound on the edits between the words is within `cap`.
///
/// Tested by clearing up to `cap` bits of each difference rather than by counting them: the
/// build targets the x86-64 baseline, which has no instruction to count bits, so counting
/// takes a dozen instructions a word, and the bound's token-pair prefilter asks this about a
/// thousand times per screening query. The caps are small (the edits a word allows), so
/// this takes one or two steps.
#[inline(always)]
fn letters_within(a: u64, b: u64, cap: usize) -> bool {
    let (mut x, mut y) = (a & !b, b & !a);
    for _ in 0..cap.min(64) {
        if x | y == 0 {
            return true;
        }
        x &= x.wrapping_sub(1);
        y &= y.wrapping_sub(1);
    }
    x | y == 0
}

/// The letters of a word and which of them it holds twice: bit `c % 32` for each character
/// `c`, and bit `32 + c % 32` when a character of that bit came before.
///
/// A substitution, insertion or deletion adds or removes at most one character occurrence on
/// each side and a transposition none, so a word holding `k` of these bits the other lacks is
/// at least `k` edits away from it: a lower bound on the OSA distance that rejects most word
/// pairs without computing it. (Characters sharing a bit, and a third occurrence, only make
/// the bound lower, never wrong.) The second half tells "mohammad" from "abdallah" (two more
/// "a"s and "l"s, two fewer "m"s): with letter sets alone, seven in ten of the word pairs the
/// screening prefilter let through to the edit distance were that far apart.
fn letter_mask(text: &str) -> u64 {
    text.chars().fold(0, |m, c| {
        let bit = 1u64 << (u32::from(c) % 32);
        m | bit | ((m & bit) << 32)
    })
}

/// Numbers the distinct tokens (text and class) of a record's names, stores each token's
/// number in [`Tok::slot`], and returns how many distinct tokens there are with the record's
/// [`Sketch`] (what the pruning bound reads of it).
pub(crate) fn assign_slots(names: &mut [NameForm]) -> (usize, Sketch) {
    let distinct = number_tokens(names);
    (distinct, Sketch::of(names, distinct))
}

/// Numbers the distinct tokens of `names` (their [`Tok::slot`]) and returns how many there are.
fn number_tokens(names: &mut [NameForm]) -> usize {
    let tokens = names
        .iter()
        .flat_map(|n| n.variants.iter())
        .map(|v| v.toks.len())
        .sum();
    if tokens <= SEARCHED_TOKENS {
        number_tokens_searched(names, tokens)
    } else {
        number_tokens_mapped(names, tokens)
    }
}

/// [`number_tokens`] of names holding `tokens` token occurrences, through a map: a listed
/// entity may have hundreds of them (thirty names, several renderings each).
fn number_tokens_mapped(names: &mut [NameForm], tokens: usize) -> usize {
    // Room for every token up front: growing the table as tokens come moved it several times.
    let mut seen: FastMap<(TokenText, TokenClass), usize> =
        FastMap::with_capacity_and_hasher(tokens, Default::default());
    for t in names
        .iter_mut()
        .flat_map(|n| n.variants.iter_mut())
        .flat_map(|v| v.toks.iter_mut())
    {
        let next = seen.len();
        let at = *seen.entry((t.text.clone(), t.class)).or_insert(next);
        // A slot beyond u16 marks the token as unnumbered: the pruning bound then leaves its
        // name alone ([`bound`]) instead of being wrong.
        t.slot = u16::try_from(at).unwrap_or(u16::MAX);
    }
    seen.len()
}

/// Up to how many token occurrences [`number_tokens`] finds a token among those numbered
/// by searching them rather than through a map: a name alone, or a record of a few short
/// names (most of them), holds a handful of distinct tokens, and hashing each token and
/// allocating the map cost more than comparing it with them.
const SEARCHED_TOKENS: usize = 32;

/// [`number_tokens`] of names holding `tokens` token occurrences (at most
/// [`SEARCHED_TOKENS`]), each compared with the distinct tokens numbered before it.
fn number_tokens_searched(names: &mut [NameForm], tokens: usize) -> usize {
    let mut seen: Vec<(TokenText, TokenClass)> = Vec::with_capacity(tokens);
    for t in names
        .iter_mut()
        .flat_map(|n| n.variants.iter_mut())
        .flat_map(|v| v.toks.iter_mut())
    {
        let found = seen
            .iter()
            .position(|(text, class)| *class == t.class && *text == t.text);
        let at = found.unwrap_or_else(|| {
            seen.push((t.text.clone(), t.class));
            seen.len() - 1
        });
        // At most SEARCHED_TOKENS: a slot always.
        t.slot = u16::try_from(at).unwrap_or(u16::MAX);
    }
    seen.len()
}

/// Whether a name is written in a syllabic script ([`Variant::strict`]).
fn written_in_syllables(name: &str) -> bool {
    !name.is_ascii() && name.chars().any(is_syllabic)
}

/// Whether tokens hold a legal form ([`NameForm::orgish`]).
fn holds_legal_form(toks: &[Tok]) -> bool {
    toks.iter()
        .any(|t| matches!(t.class, TokenClass::LegalForm(_)))
}

/// Whether a character belongs to a script whose renderings are syllable readings: Han,
/// Hangul, Hiragana, Katakana.
fn is_syllabic(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Everything of a record that scoring uses, prepared once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prepared {
    pub schema: Option<Schema>,
    pub names: Vec<NameForm>,
    pub birth: Vec<PartialDate>,
    pub countries: Vec<String>,
    pub ids: Vec<String>,
    pub gender: Option<String>,
    /// How many distinct tokens the names hold ([`assign_slots`]).
    pub slots: usize,
    /// What the pruning bound reads of the names, side by side in memory ([`Sketch`]).
    pub sketch: Sketch,
}

/// The name class the names crate should analyse a schema's names as.
pub(crate) fn name_class(schema: Option<Schema>) -> NameClass {
    match schema {
        Some(Schema::Person) => NameClass::Person,
        Some(Schema::Organization | Schema::Company) => NameClass::Organization,
        Some(Schema::Vessel | Schema::Aircraft) => NameClass::Vessel,
        Some(Schema::LegalEntity) | None => NameClass::Any,
    }
}

/// Canonical identifier for comparison, or `None` if too short to identify anything.
pub(crate) fn canonical_id(value: &str) -> Option<String> {
    let mut id = normalize_id(value);
    if id.len() == 11 && id.ends_with("XXX") && id[..4].chars().all(|c| c.is_ascii_alphabetic()) {
        id.truncate(8); // a BIC's primary office: COBADEFFXXX = COBADEFF
    }
    let has_digit = id.chars().any(|c| c.is_ascii_digit());
    (id.len() >= 5 && (has_digit || id.len() >= 8)).then_some(id)
}

/// Normalised gender (`male`/`female`), if recognisable.
pub(crate) fn canonical_gender(value: &str) -> Option<String> {
    match value.trim().to_lowercase().as_str() {
        "m" | "male" | "man" => Some("male".into()),
        "f" | "female" | "woman" => Some("female".into()),
        _ => None,
    }
}

impl Prepared {
    /// Prepares an entity: all its names, or its name parts joined when it has no name.
    pub(crate) fn from_entity(e: &Entity) -> Prepared {
        Prepared::from_entity_with(e, &mut NameCache::default())
    }

    /// [`Prepared::from_entity`], with the names analysed for other records in `cache`.
    pub(crate) fn from_entity_with(e: &Entity, cache: &mut NameCache) -> Prepared {
        Prepared::facts(e).with_names_of(e, cache)
    }

    /// The record of these facts with the names of `e` (analysed through `cache`), or its
    /// name parts joined when it has no name.
    ///
    /// A name that analyses like an earlier name of the record ([`RenderingKey`]: "Al
    /// Shabaab" after "AL-SHABAAB") is left out unless it is the stronger of the two (a name
    /// after a weak alias): it would score exactly as the earlier name against any other, and
    /// the search keeps the first of equal scores, so the scores and explanations stay the
    /// same while the record's names are analysed and compared fewer times.
    fn with_names_of(self, e: &Entity, cache: &mut NameCache) -> Prepared {
        let class = name_class(Some(e.schema));
        // Room for the names of most records up front, rather than growing from one.
        let mut names: Vec<NameForm> = Vec::with_capacity(8);
        // The keys met so far, their hashes, and whether their name was weak.
        let mut met: Vec<(RenderingKey<'_>, u64, bool)> = Vec::with_capacity(8);
        for (kind, n) in e.names() {
            let weak = kind == NameKind::Weak;
            let key = RenderingKey::of(n, class);
            let hash = key.hash();
            if met
                .iter()
                .any(|(k, h, w)| *h == hash && (weak || !*w) && *k == key)
            {
                cache.pass(n, class);
                continue;
            }
            met.push((key, hash, weak));
            let form = cache.form(n, class, weak);
            if !form.variants.is_empty() {
                names.push(form);
            }
        }
        if names.is_empty() {
            let parts: Vec<&str> = [
                Property::FirstName,
                Property::MiddleName,
                Property::FatherName,
                Property::LastName,
            ]
            .iter()
            .filter_map(|p| e.first(*p))
            .collect();
            if !parts.is_empty() {
                names.push(cache.form(&parts.join(" "), class, false));
            }
        }
        self.named(e, names)
    }

    /// A record of `e` holding one of its names alone (analysed through `cache`; none if the
    /// analysis leaves nothing to compare, as [`Prepared::from_entity_with`] drops such names),
    /// for [`identical_records`]: its tokens numbered but not sketched (no bound reads it).
    /// `count`: whether this is the use of the name announced to `cache`, or that use was
    /// counted already ([`NameCache::form_again`]).
    fn one_name(
        e: &Entity,
        name: &str,
        weak: bool,
        cache: &mut NameCache,
        count: bool,
    ) -> Prepared {
        let class = name_class(Some(e.schema));
        let form = if count {
            cache.form(name, class, weak)
        } else {
            cache.form_again(name, class, weak)
        };
        let mut names = if form.variants.is_empty() {
            Vec::new()
        } else {
            vec![form]
        };
        surnames_are_not_familiar(e, &mut names);
        Prepared {
            slots: number_tokens(&mut names),
            names,
            ..Prepared::default()
        }
    }

    /// The record with `names` (of `e`), their tokens numbered and sketched.
    fn named(mut self, e: &Entity, mut names: Vec<NameForm>) -> Prepared {
        // Room was made for eight names (most records have one or two): an index keeps its
        // records for good, so the room left over goes (a tenth of a million records' memory).
        names.shrink_to_fit();
        surnames_are_not_familiar(e, &mut names);
        (self.slots, self.sketch) = assign_slots(&mut names);
        self.names = names;
        self
    }

    /// Everything of a record that scoring uses but its names.
    fn facts(e: &Entity) -> Prepared {
        Prepared::facts_and_names(e).0
    }

    /// [`Prepared::facts`], and the values of the record's name properties of each of
    /// [`NameKind::ALL`] in turn (the order of [`Entity::names`]): one pass
    /// over the properties the record has, rather than a search of them by name for each
    /// property read (six per record, a sixth of preparing a pair's records).
    fn facts_and_names(e: &Entity) -> (Prepared, [&[String]; 4]) {
        // The identifiers and countries [`Entity::identifiers`] and [`Entity::countries`]
        // give (each of those reads every property name again; both are sorted and
        // deduplicated here).
        let (mut ids, mut countries): (Vec<String>, Vec<&str>) = (Vec::new(), Vec::new());
        let (mut births, mut gender, mut names): (&[String], _, [&[String]; 4]) =
            (&[], None, [&[]; 4]);
        for (key, values) in &e.properties {
            let Some(p) = Property::from_name(key) else {
                continue;
            };
            match p {
                Property::BirthDate => births = values,
                Property::Gender => gender = values.first(),
                _ => {
                    if let Some(at) = NameKind::ALL.iter().position(|k| k.property() == p) {
                        names[at] = values;
                    }
                }
            }
            if IdKind::from_property(p).is_some() {
                ids.extend(values.iter().filter_map(|v| canonical_id(v)));
            }
            if p.kind() == PropertyType::Country {
                countries.extend(values.iter().map(String::as_str));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        countries.sort_unstable();
        countries.dedup();
        let facts = Prepared {
            schema: Some(e.schema),
            names: Vec::new(),
            birth: births
                .iter()
                .filter_map(|d| PartialDate::parse_iso(d).ok())
                .collect(),
            countries: countries.into_iter().map(str::to_string).collect(),
            ids,
            gender: gender.and_then(|g| canonical_gender(g)),
            slots: 0,
            sketch: Sketch::default(),
        };
        (facts, names)
    }
}

/// A word the record declares a last name is not a familiar given name there: "Ted" in a
/// record whose `lastName` is Ted does not stand for Theodore.
fn surnames_are_not_familiar(e: &Entity, names: &mut [NameForm]) {
    // Most records have no last name, or no word taken for a given name: nothing to fold.
    let familiar = || {
        names
            .iter()
            .flat_map(|n| n.variants.iter())
            .any(|v| v.toks.iter().any(|t| !t.given.is_empty()))
    };
    let last_names = e.get(Property::LastName);
    if last_names.is_empty() || !familiar() {
        return;
    }
    let surnames: Vec<String> = last_names
        .iter()
        .flat_map(|n| {
            dualtrace_names::fold(n)
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    if surnames.is_empty() {
        return;
    }
    for t in names
        .iter_mut()
        .flat_map(|n| n.variants.iter_mut())
        .flat_map(|v| v.toks.iter_mut())
    {
        if !t.given.is_empty() && surnames.iter().any(|s| t.text == **s) {
            t.given = &[];
        }
    }
}

/// Turns runs of English number words into a number token ("fourty four" → "44").
fn numberize(tokens: Vec<Token>) -> Vec<Token> {
    // Nearly no name holds a number word: such a name is kept as it is, without a copy.
    if !tokens.iter().any(|t| number_word(&t.text).is_some()) {
        return tokens;
    }
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let tens = number_word(&tokens[i].text).filter(|v| *v >= 20);
        let unit = tokens
            .get(i + 1)
            .and_then(|t| number_word(&t.text))
            .filter(|v| *v < 10);
        let (value, used) = match (tens, unit) {
            (Some(t), Some(u)) => (Some(t + u), 2),
            _ => (number_word(&tokens[i].text), 1),
        };
        match value {
            Some(v) if tokens.len() > used => {
                out.push(Token {
                    text: TokenText::new(v.to_string()),
                    class: TokenClass::Number,
                });
                i += used;
            }
            _ => {
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// The value of an English number word up to ninety. A `match` rather than a search of a
/// table: every token of every name analysed is asked (a table of 28 words compared one by
/// one was the hottest loop of a name's analysis).
fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) over chars.
pub(crate) fn osa(a: &str, b: &str) -> usize {
    osa_bounded(a, b, usize::MAX)
}

/// Longest ASCII word compared on the stack; longer or non-ASCII words take the char path.
const STACK_WORD: usize = 48;

/// [`osa`], giving up (with `cap + 1`) as soon as the distance must exceed `cap`.
///
/// Scoring only needs the exact distance up to the edits a word pair is allowed, so the
/// dynamic programme stops once two consecutive rows are all above the cap: every later cell
/// derives from those rows by adding, never subtracting. Folded Latin text is ASCII, so it is
/// compared as bytes: bit-parallel ([`osa_bits`]) along the shorter of the two (the distance
/// is symmetric), which holds the joined spellings of long names too (up to 64 letters: they
/// went through the char programme, cell by cell, a fifth of some pairs' time); in rows
/// otherwise. Anything else as chars.
pub(crate) fn osa_bounded(a: &str, b: &str, cap: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        let (x, y) = if a.len() <= b.len() {
            (a.as_bytes(), b.as_bytes())
        } else {
            (b.as_bytes(), a.as_bytes())
        };
        if y.len() < STACK_WORD {
            return osa_rows(x, y, cap);
        }
        osa_bits(x, y, cap).unwrap_or_else(|| osa_dp_on_heap(x, y, cap))
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        osa_dp_on_heap(&a, &b, cap)
    }
}

/// [`osa_dp`] over rows on the heap, for text too long (or not ASCII) for the other ways.
fn osa_dp_on_heap<T: PartialEq>(a: &[T], b: &[T], cap: usize) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    let [r0, r1, r2] = rows.as_mut_slice() else {
        return a.len().max(b.len());
    };
    osa_dp(a, b, cap, [r0, r1, r2])
}

/// [`osa_bits`] when `a` fits in a machine word, else [`osa_dp`] over rows on the stack (`b`
/// shorter than [`STACK_WORD`]). The rows are made only then: zeroing them for every call,
/// as when the callers passed them in, was 1.4% of a screening query's instructions.
fn osa_rows(a: &[u8], b: &[u8], cap: usize) -> usize {
    if let Some(distance) = osa_bits(a, b, cap) {
        return distance;
    }
    let mut rows = [[0usize; STACK_WORD]; 3];
    let [r0, r1, r2] = &mut rows;
    let m = b.len() + 1;
    osa_dp(a, b, cap, [&mut r0[..m], &mut r1[..m], &mut r2[..m]])
}

/// [`osa_dp`]'s answer (the distance up to `cap`, `cap + 1` above it) for an ASCII word `a`
/// of at most 64 bytes (`None` for another one), by Hyyrö's bit-parallel algorithm for the
/// optimal string alignment distance (2003).
///
/// The dynamic programme's column along `a` is kept as two bit vectors of its vertical
/// differences (+1, -1, else 0), and reading one byte of `b` updates them with a few word
/// operations, whatever the lengths: edit distances were a sixth of a screening's time as a
/// banded programme, one cell at a time. `b` may be of any length; bytes are compared as
/// bytes.
fn osa_bits(a: &[u8], b: &[u8], cap: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n > 64 || !a.is_ascii() {
        return None;
    }
    let over = cap.min(n.max(m)).saturating_add(1);
    if n == 0 || m == 0 {
        return Some(n.max(m).min(over));
    }
    if n.abs_diff(m) > cap {
        return Some(over);
    }
    // Per ASCII byte, the positions of `a` holding it (no other byte is in `a`).
    let mut positions = [0u64; 128];
    for (i, c) in a.iter().enumerate() {
        if let Some(at) = positions.get_mut(usize::from(*c)) {
            *at |= 1 << i;
        }
    }
    let last = 1u64 << (n - 1);
    // Vertical differences +1 and -1 of the current column, the diagonal zero-difference
    // vector, and the previous byte's positions (for transpositions).
    let (mut plus, mut minus, mut diagonal, mut previous) = (!0u64, 0u64, 0u64, 0u64);
    let mut distance = n;
    for c in b {
        let here = positions.get(usize::from(*c)).copied().unwrap_or(0);
        let swapped = ((!diagonal & here) << 1) & previous;
        diagonal = (((here & plus).wrapping_add(plus)) ^ plus) | here | minus | swapped;
        let h_plus = minus | !(diagonal | plus);
        let h_minus = diagonal & plus;
        if h_plus & last != 0 {
            distance += 1;
        } else if h_minus & last != 0 {
            distance = distance.saturating_sub(1);
        }
        let h_plus = (h_plus << 1) | 1;
        let h_minus = h_minus << 1;
        plus = h_minus | !(diagonal | h_plus);
        minus = h_plus & diagonal;
        previous = here;
    }
    Some(distance.min(over))
}

/// The OSA dynamic programme over three caller-provided rows of `b.len() + 1` cells: exact up
/// to `cap`, some value above `cap` otherwise.
///
/// A cell `(i, j)` is at least `|i - j|` edits, so only the band of cells within `cap` of the
/// diagonal can hold a distance up to `cap`; cells outside it count as `cap + 1` (any value
/// above the cap is as good as another), and every computed cell is clamped there. A value up
/// to the cap comes from neighbours up to the cap, all inside the band, so it is exact. With a
/// cap of one or two (nearly all word pairs) a row is three to five cells instead of the
/// word's length.
fn osa_dp<T: PartialEq>(a: &[T], b: &[T], cap: usize, rows: [&mut [usize]; 3]) -> usize {
    let (n, m) = (a.len(), b.len());
    // Above the cap; no larger than the longest word plus one, so that adding one never
    // overflows and, for a cap beyond any distance, no value is clamped.
    let over = cap.min(n.max(m)).saturating_add(1);
    if n == 0 || m == 0 {
        return n.max(m).min(over);
    }
    if n.abs_diff(m) > cap {
        return over;
    }
    let [mut prev2, mut prev, mut cur] = rows;
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j.min(over);
    }
    prev2.fill(over);
    cur.fill(over);
    let mut prev_min = 0;
    for i in 1..=n {
        let (lo, hi) = (i.saturating_sub(cap).max(1), i.saturating_add(cap).min(m));
        cur[lo - 1] = if lo == 1 { i.min(over) } else { over };
        let mut row_min = over;
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            let v = v.min(over);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > cap && prev_min > cap {
            return over;
        }
        prev_min = row_min;
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Edits two words of this length may differ by and still be the same name.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=8 => 2,
        _ => 3,
    }
}

/// The cost (edits, in weighted letters) and aligned length of a token pair, if they can align,
/// and whether only their skeletons align: the spelled comparison, or for a name from a lossy
/// script the skeleton one when cheaper.
fn pair_cost(q: &Tok, c: &Tok, strict: bool, lossy: Lossy) -> PairCost {
    let spelled = spelled_cost(q, c, strict).or_else(|| familiar_cost(q, c));
    match (spelled, skeleton_cost(q, c, lossy)) {
        (Some(a), Some(b)) if b.0 < a.0 => Some((b.0, b.1, true)),
        (None, Some(b)) => Some((b.0, b.1, true)),
        (a, _) => a.map(|(cost, len)| (cost, len, false)),
    }
}

/// The cost of two word-like tokens aligned on their transcription skeletons (module docs):
/// for an abjad, the same consonants in the same order; for a transcribed script, the same
/// consonant classes.
fn skeleton_cost(q: &Tok, c: &Tok, lossy: Lossy) -> Option<(f64, f64)> {
    let (rate, min) = lossy.skeleton_rule()?;
    if q.skel.is_empty() || c.skel.is_empty() {
        return None;
    }
    let len = q.chars.max(c.chars) as f64;
    let w = q.letter_weight().min(c.letter_weight());
    if lossy == Lossy::Abjad {
        let shared = shared_consonants(&q.text, &c.text);
        return shared
            .filter(|n| *n >= min)
            .map(|_| (rate * len * w, len * w));
    }
    let short = q.skel.len().min(c.skel.len());
    if q.skel == c.skel && short >= min {
        return Some((rate * len * w, len * w));
    }
    if short >= 4 && q.skel.len().abs_diff(c.skel.len()) <= 1 && osa(&q.skel, &c.skel) == 1 {
        return Some((NEAR_SKELETON_COST * len * w, len * w));
    }
    None
}

/// The cost of a familiar form against its full given name ("ted" and "theodore").
fn familiar_cost(q: &Tok, c: &Tok) -> Option<(f64, f64)> {
    if q.given.is_empty() || c.given.is_empty() || !q.given.iter().any(|g| c.given.contains(g)) {
        return None;
    }
    let len = q.chars.max(c.chars) as f64;
    Some((FAMILIAR_COST * len, len))
}

/// How many consonants two words have when an abjad would write them alike (`None` when it
/// would not): one pass over both, since this runs for every token pair of an abjad name.
fn shared_consonants(a: &str, b: &str) -> Option<usize> {
    let (mut a, mut b) = (consonants(a), consonants(b));
    let mut n = 0;
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Some(n),
            (Some(x), Some(y)) if x == y => n += 1,
            _ => return None,
        }
    }
}

/// The spelled comparison of a token pair (letters, initials, numbers, legal forms).
fn spelled_cost(q: &Tok, c: &Tok, strict: bool) -> Option<(f64, f64)> {
    use TokenClass::*;
    match (q.class, c.class) {
        (Honorific | VesselPrefix, _) | (_, Honorific | VesselPrefix) => None,
        (LegalForm(a), LegalForm(b)) => (a == b).then_some((0.0, 1.0)),
        (LegalForm(_), _) | (_, LegalForm(_)) => None,
        (Number, Number) => (q.text == c.text).then(|| (0.0, q.len().max(3.0))),
        (Number, _) | (_, Number) => None,
        (Initial, Initial) => (q.text == c.text).then_some((0.0, 1.0)),
        (Initial, _) | (_, Initial) => {
            (q.text.chars().next() == c.text.chars().next()).then_some((INITIAL_COST, 1.0))
        }
        _ if strict => (q.text == c.text).then(|| (0.0, q.len() * q.letter_weight())),
        _ => word_cost(q, c),
    }
}

/// Cost of two spelled-out tokens (see the module docs).
fn word_cost(q: &Tok, c: &Tok) -> Option<(f64, f64)> {
    let w = q.letter_weight().min(c.letter_weight());
    let (lq, lc) = (q.chars, c.chars);
    let len = lq.max(lc);
    // Equal words have equal letter sets and lengths: those cheap checks skip most comparisons.
    if q.mask == c.mask && q.chars == c.chars && q.text == c.text {
        return Some((0.0, len as f64 * w));
    }
    let allowed = allowed_edits(len);
    let phonetic = q.key.len() >= 2 && q.key == c.key;
    if !phonetic && lq.abs_diff(lc) > allowed.max(1) {
        return None;
    }
    // Without a shared phonetic key, a distance beyond the allowance (or beyond one, for the
    // two-letter swap) rejects the pair whatever its exact value; with one, the cost is the
    // distance up to the phonetic ceiling, so a distance beyond it need not be known.
    let ceiling = (0.15 * len as f64).max(1.0);
    let cap = if phonetic {
        ceiling.ceil() as usize
    } else {
        allowed.max(1)
    };
    if !phonetic && !letters_within(q.mask, c.mask, cap) {
        return None;
    }
    let d = osa_bounded(&q.text, &c.text, cap);
    let swapped = len == 2 && d == 1 && lq == lc; // "uy" / "yu": a swap of a two-letter word
    if d > allowed && !swapped && !phonetic {
        return None;
    }
    let mut cost = d as f64;
    if phonetic {
        cost = cost.min(ceiling);
    }
    Some((cost * w, len as f64 * w))
}

/// Working buffers of [`align_score`], reused over the many renderings of one comparison
/// (one per thread: a comparison allocates nothing once they have grown).
#[derive(Debug, Default)]
struct AlignBuf {
    /// Alignable token pairs: query position, candidate position, cost, aligned length, whether
    /// aligned on skeletons only.
    pairs: Vec<(usize, usize, f64, f64, bool)>,
    used_q: Vec<bool>,
    used_c: Vec<bool>,
    costs: CostCache,
    reach: bound::Reach,
}

/// A token pair's cost, aligned length and whether only skeletons align ([`pair_cost`]).
type PairCost = Option<(f64, f64, bool)>;

/// The costs of token pairs already compared in this comparison, by (query slot, candidate
/// slot): entries of older comparisons are told apart by a generation number, so starting a
/// comparison clears nothing.
#[derive(Debug, Default)]
struct CostCache {
    entries: Vec<(u32, u8, PairCost)>,
    generation: u32,
    rows: usize,
    width: usize,
}

impl CostCache {
    /// Starts a comparison of records with `nq` and `nc` distinct tokens.
    fn begin(&mut self, nq: usize, nc: usize) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.entries.clear();
            self.generation = 1;
        }
        self.rows = nq;
        self.width = nc;
        if self.entries.len() < nq * nc {
            self.entries.resize(nq * nc, (0, 0, None));
        }
    }

    /// The cost of a token pair, computed once per comparison.
    fn cost(&mut self, q: &Tok, c: &Tok, strict: bool, lossy: Lossy) -> PairCost {
        let flags = u8::from(strict) | (lossy as u8) << 1;
        let at = usize::from(q.slot) * self.width + usize::from(c.slot);
        let fresh = usize::from(q.slot) < self.rows
            && usize::from(c.slot) < self.width
            && q.slot != u16::MAX
            && c.slot != u16::MAX;
        match self.entries.get_mut(at) {
            Some(e) if fresh && e.0 == self.generation && e.1 == flags => e.2,
            Some(e) if fresh => {
                let v = pair_cost(q, c, strict, lossy);
                *e = (self.generation, flags, v);
                v
            }
            _ => pair_cost(q, c, strict, lossy),
        }
    }
}

thread_local! {
    static ALIGN: std::cell::RefCell<AlignBuf> = std::cell::RefCell::new(AlignBuf::default());
}

/// Compares two renderings (see the module docs for the formula), describing the aligned
/// pairs into `shown` ([`align_pairs`]) only when asked: the search for the best pair of
/// renderings compares many and explains one.
fn align_score(
    q: &Variant,
    c: &Variant,
    buf: &mut AlignBuf,
    mut shown: Option<&mut Vec<String>>,
) -> f64 {
    let strict = q.strict || c.strict;
    let lossy = q.lossy.max(c.lossy);
    let AlignBuf {
        pairs,
        used_q,
        used_c,
        costs,
        ..
    } = buf;
    pairs.clear();
    for (i, a) in q.toks.iter().enumerate() {
        for (j, b) in c.toks.iter().enumerate() {
            if let Some((cost, len, skel)) = costs.cost(a, b, strict, lossy) {
                pairs.push((i, j, cost, len, skel));
            }
        }
    }
    if pairs.len() > 1 {
        pairs.sort_by(|x, y| {
            let rx = x.2 / x.3.max(1e-9);
            let ry = y.2 / y.3.max(1e-9);
            rx.total_cmp(&ry).then(y.3.total_cmp(&x.3))
        });
    }
    used_q.clear();
    used_q.resize(q.toks.len(), false);
    used_c.clear();
    used_c.resize(c.toks.len(), false);
    let (mut edits, mut aligned, mut words, mut by_skeleton) = (0.0, 0.0, 0, false);
    for &(i, j, cost, len, skel) in pairs.iter() {
        if used_q[i] || used_c[j] {
            continue;
        }
        used_q[i] = true;
        used_c[j] = true;
        edits += cost;
        aligned += len;
        by_skeleton |= skel;
        let initial = |t: &Tok| t.class == TokenClass::Initial;
        words += usize::from(!initial(&q.toks[i]) && !initial(&c.toks[j]));
        if let Some(shown) = shown.as_deref_mut() {
            let sep = if cost == 0.0 { '=' } else { '~' };
            shown.push(shown_pair(&q.toks[i].text, sep, &c.toks[j].text));
        }
    }
    let unmatched = |toks: &[Tok], used: &[bool]| -> f64 {
        toks.iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.unmatched_weight())
            .sum::<f64>()
    };
    let (uq, uc) = (unmatched(&q.toks, used_q), unmatched(&c.toks, used_c));
    let titled = |toks: &[Tok]| toks.iter().any(|t| t.class == TokenClass::Honorific);
    // The title must be on the shorter side: "President Putin" refers to the longer name.
    let short_titled = if uq <= uc {
        titled(&q.toks)
    } else {
        titled(&c.toks)
    };
    let extra = unmatched_share(short_titled, strict) * uq.max(uc) + uq.min(uc);
    // Skeletons are weak evidence: they count only when every word on both sides aligns.
    let word_left = |toks: &[Tok], used: &[bool]| {
        toks.iter()
            .zip(used)
            .any(|(t, u)| !*u && t.class == TokenClass::Word && !t.particle)
    };
    let partial = by_skeleton && (word_left(&q.toks, used_q) || word_left(&c.toks, used_c));
    // Initials alone ("C.T.R." against "Rodney Tara Carson") identify nobody.
    let mut score = if aligned > 0.0 && words > 0 {
        (1.0 - (edits + extra) / (aligned + extra - 1.0).max(1.0)).max(0.0)
    } else {
        0.0
    };
    if partial {
        score *= PARTIAL_SKELETON_FACTOR;
    }
    if let Some(joined) = joined_score(q, c, strict)
        && joined > score
    {
        score = joined;
        if let Some(shown) = shown.as_deref_mut() {
            *shown = vec![format!("{}~{}", q.joined, c.joined)];
        }
    }
    let number_left = |toks: &[Tok], used: &[bool]| {
        toks.iter()
            .zip(used)
            .any(|(t, u)| !*u && t.class == TokenClass::Number)
    };
    if number_left(&q.toks, used_q) && number_left(&c.toks, used_c) {
        score *= 0.6;
        if let Some(shown) = shown {
            shown.push("numbers differ".into());
        }
    }
    score
}

/// The share of the longer side's unmatched weight that counts (module docs): a twentieth
/// when the shorter side carries a title, all of it between syllabic names (a name missing a
/// syllable is another name), half otherwise. The titled share is the smallest.
fn unmatched_share(short_titled: bool, strict: bool) -> f64 {
    match (short_titled, strict) {
        (true, _) => 0.05,
        (false, true) => 1.0,
        (false, false) => 0.5,
    }
}

/// The similarity of two renderings written without spaces ("Ramimakhlouf" and "Rami
/// Makhlouf"), when they split their letters into different numbers of words.
fn joined_score(q: &Variant, c: &Variant, strict: bool) -> Option<f64> {
    joined_within(q, c, strict, usize::MAX)
}

/// [`joined_score`] with the distance computed up to `cap` only: exact when the distance is at
/// most `cap`; otherwise the distance counts as `cap + 1` ([`osa_bounded`]), less than it is,
/// so the score is above the true one: an upper bound, what the pruning bound needs.
fn joined_within(q: &Variant, c: &Variant, strict: bool, cap: usize) -> Option<f64> {
    let core = |v: &Variant| v.toks.iter().filter(|t| t.is_core()).count();
    let joinable = if strict {
        q.joined == c.joined
    } else {
        q.joined.len().abs_diff(c.joined.len()) <= 2
    };
    if q.joined.len() < 6 || !joinable || core(q) == core(c) {
        return None;
    }
    let len = q.joined.len().max(c.joined.len()) as f64;
    let distance = osa_bounded(&q.joined, &c.joined, cap);
    Some((1.0 - distance as f64 / (len - 1.0)) * JOINED_FACTOR)
}

/// The best name comparison of two records.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameMatch {
    pub score: f64,
    pub query: String,
    pub candidate: String,
    pub pairs: Vec<String>,
    pub orgish_query: bool,
    pub titled_query: bool,
}

/// Reads the scoring data of records (their sketches, then what the query's cache of token
/// reaches keeps of their tokens) one after the other, so that the memory loads of all of
/// them overlap, and returns a meaningless sum of what was read: see [`crate::index`]'s
/// load-ahead.
pub(crate) fn load_ahead<'a>(records: impl Iterator<Item = &'a Prepared> + Clone) -> u64 {
    let sum = records.clone().fold(0u64, |sum, p| {
        sum ^ p.sketch.touch() ^ u64::from(p.schema.is_some())
    });
    ALIGN.with(|cell| match cell.try_borrow() {
        Ok(buf) => records.fold(sum, |s, p| s ^ buf.reach.touch(&p.sketch)),
        Err(_) => sum,
    })
}

/// The best similarity over every pair of names and renderings, if it is above `floor`
/// (a name score at or below the floor is reported as 0).
///
/// The search keeps positions only and describes the winning pair once at the end, so that
/// comparing many renderings allocates nothing; it skips the pairs of renderings whose
/// [`bound`] cannot beat the best so far or the floor.
pub(crate) fn best_name(q: &Prepared, c: &Prepared, floor: f64) -> NameMatch {
    with_align(|buf| best_name_with(q, c, buf, floor))
}

/// Runs `f` with this thread's [`AlignBuf`] (a fresh one if it is in use further up).
fn with_align<T>(f: impl FnOnce(&mut AlignBuf) -> T) -> T {
    ALIGN.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => f(&mut buf),
        Err(_) => f(&mut AlignBuf::default()),
    })
}

/// How many names a candidate record holds for [`best_name_with`] to bound a query name's
/// pairs with all of them at once before bounding them one by one.
const MANY_NAMES: usize = 3;

fn best_name_with(qp: &Prepared, cp: &Prepared, buf: &mut AlignBuf, floor: f64) -> NameMatch {
    buf.costs.begin(qp.slots, cp.slots);
    buf.reach.begin(&qp.sketch, &cp.sketch);
    // A screening's floor: most candidates are dropped on the reach of all their tokens at
    // once, before any of their names is bounded ([`bound`]).
    let sketches = (&qp.sketch, &cp.sketch);
    if floor >= 0.0 && !buf.reach.may_beat(sketches, (&qp.names, &cp.names), floor) {
        return NameMatch::default();
    }
    let mut best = 0.0;
    let mut at: Option<(&NameForm, &NameForm, &Variant, &Variant)> = None;
    // Against a record of many names, a query name that cannot beat the best pair so far
    // with any of them is passed over at once (the bound of `may_beat`, for one query name).
    let many = cp.sketch.names().len() >= MANY_NAMES;
    for (qi, qn) in qp.names.iter().enumerate() {
        if many
            && best > 0.0
            && !buf
                .reach
                .name_may_beat(sketches, (&qp.names, &cp.names), qi, f64::max(best, floor))
        {
            continue;
        }
        // The candidate's names are read from its sketch; a name and a rendering in full only
        // when the bound lets a rendering through.
        for (ci, cn) in cp.sketch.names().iter().enumerate() {
            let factor = if qn.weak || cn.weak { WEAK_FACTOR } else { 1.0 };
            if best >= factor || factor <= floor {
                continue;
            }
            let flags = (qn.strict || cn.strict, qn.lossy.max(cn.lossy));
            let bounded = buf.reach.fill((&qp.sketch, qi), (&cp.sketch, ci), flags);
            let full_name = || cp.names.get(ci);
            for qv in &qn.variants {
                let qs = bounded.then(|| buf.reach.query_side(qv));
                for (vi, sketch) in cp.sketch.variants(cn).iter().enumerate() {
                    let full = || full_name().and_then(|n| n.variants.get(vi));
                    if let (Some(qs), Some(cs)) = (qs, buf.reach.candidate_side(vi)) {
                        let ceiling = f64::max(best, floor);
                        let most = bound::pair_bound(
                            qv,
                            qs,
                            (sketch, cs),
                            flags.0,
                            (factor, ceiling),
                            full,
                        ) * factor;
                        if most <= ceiling {
                            continue;
                        }
                    }
                    let (Some(name), Some(cv)) = (full_name(), full()) else {
                        continue;
                    };
                    let s = align_score(qv, cv, buf, None) * factor;
                    if s > best {
                        best = s;
                        at = Some((qn, name, qv, cv));
                    }
                }
            }
        }
    }
    match at.filter(|_| best > floor) {
        Some((qn, cn, qv, cv)) => {
            // The best pair of renderings aligned again, this time keeping its pairs: the
            // search aligned many and explains one.
            let mut pairs = Vec::new();
            align_score(qv, cv, buf, Some(&mut pairs));
            described((qn, cn, qv), best, pairs)
        }
        None => NameMatch::default(),
    }
}

/// The name match of two names at `score`, through the query rendering `qv` and the aligned
/// `pairs` of it and a candidate rendering.
fn described(
    (qn, cn, qv): (&NameForm, &NameForm, &Variant),
    score: f64,
    pairs: Vec<String>,
) -> NameMatch {
    matched((&qn.original, &cn.original, qn.orgish), qv, score, pairs)
}

/// [`described`] of the query and candidate names' texts, whether the query name holds a
/// legal form in any rendering ([`NameForm::orgish`]), and the query rendering compared.
fn matched(
    (query, candidate, orgish): (&str, &str, bool),
    qv: &Variant,
    score: f64,
    pairs: Vec<String>,
) -> NameMatch {
    NameMatch {
        score,
        query: query.to_string(),
        candidate: candidate.to_string(),
        pairs,
        orgish_query: orgish,
        titled_query: qv.toks.iter().any(|t| t.class == TokenClass::Honorific),
    }
}

/// Rounds for display and stable comparisons.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Compares a prepared query with a prepared candidate.
pub(crate) fn compare(q: &Prepared, c: &Prepared, threshold: f64) -> Scored {
    let qualifiers = Qualifiers::of(q, c);
    compare_above(q, c, threshold, qualifiers, f64::NEG_INFINITY).unwrap_or_else(|| Scored {
        score: 0.0,
        is_match: false,
        explanations: Explanations::new(),
    })
}

/// [`reachable`], then [`screen_judged`]: the screening of one candidate (the tests'
/// reference).
#[cfg(test)]
pub(crate) fn screen_compare(q: &Prepared, c: &Prepared, threshold: f64) -> Option<Scored> {
    screen_judged(q, c, threshold, reachable(q, c, threshold)?)
}

/// [`compare`] for screening a candidate that [`reachable`] let through, with what it judged
/// (not judged twice): `None` when the score is certainly below the threshold, found without
/// explaining (and mostly without aligning) anything.
pub(crate) fn screen_judged(
    q: &Prepared,
    c: &Prepared,
    threshold: f64,
    judged: Judged,
) -> Option<Scored> {
    compare_above(q, c, threshold, judged.qualifiers, judged.floor)
}

/// For a screening at `threshold`: the name score a candidate's name must beat, judged
/// without reading the names, or `None` when no name can reach the threshold (an incompatible
/// schema, or qualifiers that leave more than a perfect name to find, with no shared
/// identifier). Below a threshold of 0 every score is a hit: no floor.
fn screening_floor(
    q: &Prepared,
    c: &Prepared,
    threshold: f64,
    qualifiers: &Qualifiers,
) -> Option<f64> {
    if threshold <= 0.0 {
        return Some(f64::NEG_INFINITY);
    }
    if let (Some(a), Some(b)) = (q.schema, c.schema)
        && !a.compatible(b)
    {
        return None;
    }
    // A shared identifier lifts the base to 0.95 whatever the names: no floor then.
    if q.ids.iter().any(|i| c.ids.contains(i)) {
        return Some(f64::NEG_INFINITY);
    }
    // The qualifiers add their weights (the schema qualifier only subtracts) and the score is
    // rounded to three decimals; no name scores above 1.0 (only identical names reach it).
    let floor = threshold - qualifiers.added() - 0.001;
    (floor < 1.0).then_some(floor)
}

/// Whether a screening candidate may reach the threshold, judged without its names: what
/// [`screen_judged`] would drop before reading them ([`screening_floor`]), with the
/// qualifiers judged, kept for it. Cheap: [`crate::index`] asks it of every candidate before
/// loading their names.
pub(crate) fn reachable(q: &Prepared, c: &Prepared, threshold: f64) -> Option<Judged> {
    let qualifiers = Qualifiers::of(q, c);
    let floor = screening_floor(q, c, threshold, &qualifiers)?;
    Some(Judged { qualifiers, floor })
}

/// What [`reachable`] judged of a screening candidate, for [`screen_judged`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Judged {
    /// The candidate's qualifiers.
    qualifiers: Qualifiers,
    /// The name score it must beat ([`screening_floor`]).
    floor: f64,
}

/// [`compare`] with the `qualifiers` judged and the name score to beat (`floor`): `None`
/// when no name beats it, so that the score is certainly below the threshold.
///
/// The qualifiers other than the schema (birth date, country, gender) do not depend on the
/// names, so a screening judges them first: the name score must then beat the threshold less
/// what they add (the schema qualifier only subtracts), and the rounding to three decimals
/// ([`screening_floor`]). A query with a birth date meets mostly candidates born in other
/// years, whose name must then be near perfect (or cannot be enough: they are dropped before
/// any name is read). [`compare`] explains every candidate: no floor.
fn compare_above(
    q: &Prepared,
    c: &Prepared,
    threshold: f64,
    qualifiers: Qualifiers,
    floor: f64,
) -> Option<Scored> {
    if let Some(incompatible) = incompatible_schemas(q, c) {
        return Some(incompatible);
    }
    let name = best_name(q, c, floor);
    if name.score <= floor {
        return None;
    }
    let c_orgish = || c.names.iter().any(|n| n.orgish);
    Some(explained(q, c, name, &qualifiers, threshold, c_orgish))
}

/// The score 0 of two records whose schemas cannot be the same thing, explained; `None` when
/// they can.
fn incompatible_schemas(q: &Prepared, c: &Prepared) -> Option<Scored> {
    let (Some(a), Some(b)) = (q.schema, c.schema) else {
        return None;
    };
    if a.compatible(b) {
        return None;
    }
    let mut ex = Explanations::new();
    ex.insert(
        "schema".into(),
        Feature::new(0.0, 0.0, format!("{a} cannot be a {b}"))
            .values(vec![a.to_string()], vec![b.to_string()]),
    );
    Some(Scored {
        score: 0.0,
        is_match: false,
        explanations: ex,
    })
}

/// The score of two records of compatible schemas whose best names are `name`: the name,
/// a shared identifier, then the schema and qualifier adjustments, each explained.
/// `c_orgish` tells whether a candidate name carries a legal form (asked only of a person
/// against a candidate that is not one).
fn explained(
    q: &Prepared,
    c: &Prepared,
    mut name: NameMatch,
    qualifiers: &Qualifiers,
    threshold: f64,
    c_orgish: impl FnOnce() -> bool,
) -> Scored {
    let mut ex = Explanations::new();
    let mut base = name.score;
    // The names compared go into the explanation (moved: only their flags are read after).
    let compared = (
        std::mem::take(&mut name.query),
        std::mem::take(&mut name.candidate),
    );
    ex.insert(
        "name".into(),
        Feature::new(round(name.score), round(name.score), name.pairs.join(" "))
            .values(vec![compared.0], vec![compared.1]),
    );
    let shared: Vec<String> = q
        .ids
        .iter()
        .filter(|i| c.ids.contains(i))
        .cloned()
        .collect();
    if !shared.is_empty() {
        let id_score = 0.95 + 0.05 * name.score;
        base = base.max(id_score);
        ex.insert(
            "identifier".into(),
            Feature::new(1.0, round(id_score), "shared identifier").values(shared.clone(), shared),
        );
    }
    let mut adjust = 0.0;
    for (key, feature) in [
        ("schema", schema_feature(q, c, &name, c_orgish)),
        ("birth_date", qualifiers.birth_feature(q, c)),
        ("country", qualifiers.country_feature(q, c)),
        ("gender", qualifiers.gender_feature(q, c)),
    ] {
        if let Some(f) = feature {
            adjust += f.weight;
            ex.insert(key.into(), f);
        }
    }
    let score = round((base + adjust).clamp(0.0, 1.0));
    Scored {
        score,
        is_match: score >= threshold,
        explanations: ex,
    }
}

/// An organisation-looking name against a person (or the reverse) costs 0.3.
fn schema_feature(
    q: &Prepared,
    c: &Prepared,
    name: &NameMatch,
    c_orgish: impl FnOnce() -> bool,
) -> Option<Feature> {
    let c_person = c.schema == Some(Schema::Person);
    let q_person = q.schema == Some(Schema::Person);
    let c_thing = matches!(
        c.schema,
        Some(Schema::Vessel | Schema::Aircraft | Schema::Company | Schema::Organization)
    );
    if (name.orgish_query && c_person)
        || (q_person && c.schema != Some(Schema::Person) && c_orgish())
        || (name.titled_query && c_thing)
    {
        return Some(
            Feature::new(0.0, -0.3, "an organisation's name against a person").values(
                vec![q.schema.map(|s| s.to_string()).unwrap_or_default()],
                vec![c.schema.map(|s| s.to_string()).unwrap_or_default()],
            ),
        );
    }
    None
}

/// What the same birth date on both sides adds (the largest bonus of any qualifier).
const SAME_DATE_BONUS: f64 = 0.05;

/// A qualifier's verdict before it is explained: its score, weight and detail.
type Verdict = (f64, f64, &'static str);

/// The verdicts of the qualifiers that do not depend on the names (birth date, country,
/// gender), judged before the names so that a screening knows what the name must reach
/// ([`compare_above`]), explained only for a comparison that is reported.
#[derive(Debug, Clone, Copy)]
struct Qualifiers {
    birth: Option<Verdict>,
    country: Option<Verdict>,
    gender: Option<Verdict>,
}

impl Qualifiers {
    /// Judges the qualifiers of a query and a candidate.
    fn of(q: &Prepared, c: &Prepared) -> Qualifiers {
        Qualifiers {
            birth: birth_verdict(
                &q.birth,
                &c.birth,
                matches!(c.schema, Some(Schema::Person | Schema::LegalEntity) | None),
            ),
            country: country_verdict(&q.countries, &c.countries, is_org(q) && is_org(c)),
            gender: gender_verdict(q.gender.as_deref(), c.gender.as_deref()),
        }
    }

    /// What they add to the base score together (at most [`SAME_DATE_BONUS`]).
    fn added(&self) -> f64 {
        [self.birth, self.country, self.gender]
            .iter()
            .flatten()
            .map(|(_, weight, _)| weight)
            .sum()
    }

    /// The birth-date feature, with the dates compared.
    fn birth_feature(&self, q: &Prepared, c: &Prepared) -> Option<Feature> {
        let show = |v: &[PartialDate]| v.iter().map(PartialDate::to_text).collect();
        self.birth.map(|(score, weight, detail)| {
            Feature::new(score, weight, detail).values(show(&q.birth), show(&c.birth))
        })
    }

    /// The country feature, with the countries compared.
    fn country_feature(&self, q: &Prepared, c: &Prepared) -> Option<Feature> {
        self.country.map(|(score, weight, detail)| {
            Feature::new(score, weight, detail).values(q.countries.to_vec(), c.countries.to_vec())
        })
    }

    /// The gender feature, with the genders compared.
    fn gender_feature(&self, q: &Prepared, c: &Prepared) -> Option<Feature> {
        let (a, b) = (q.gender.as_deref()?, c.gender.as_deref()?);
        self.gender.map(|(score, weight, detail)| {
            Feature::new(score, weight, detail).values(vec![a.into()], vec![b.into()])
        })
    }
}

/// Birth-date qualifier (see the module docs).
fn birth_verdict(q: &[PartialDate], c: &[PartialDate], c_may_be_person: bool) -> Option<Verdict> {
    if q.is_empty() {
        return None;
    }
    if c.is_empty() {
        return c_may_be_person.then_some((0.5, -MISSING_BIRTH, "no birth date listed"));
    }
    let day = |d: &PartialDate| d.day().is_some();
    let verdict = if q
        .iter()
        .any(|a| c.iter().any(|b| a.compatible(b) && day(a) && day(b)))
    {
        (1.0, SAME_DATE_BONUS, "same date")
    } else if q.iter().any(|a| c.iter().any(|b| a.compatible(b))) {
        (0.8, 0.02, "compatible dates")
    } else {
        let gap = q
            .iter()
            .flat_map(|a| c.iter().map(move |b| a.year().abs_diff(b.year())))
            .min()
            .unwrap_or(u16::MAX);
        match gap {
            0..=1 => (0.5, -0.05, "birth years one apart"),
            2..=4 => (0.0, -0.2, "disjoint birth years"),
            _ => (0.0, -0.35, "birth years five or more apart"),
        }
    };
    Some(verdict)
}

/// Whether a record is an organisation (or a party of unknown kind that is not a person).
fn is_org(p: &Prepared) -> bool {
    matches!(
        p.schema,
        Some(Schema::Organization | Schema::Company | Schema::LegalEntity)
    )
}

/// Country qualifier: -0.1 when both sides name countries and share none, -0.2 between two
/// organisations (registered in a country; people move).
fn country_verdict(q: &[String], c: &[String], orgs: bool) -> Option<Verdict> {
    if q.is_empty() || c.is_empty() {
        return None;
    }
    let shared = q.iter().any(|x| c.contains(x));
    Some(if shared {
        (1.0, 0.0, "shared country")
    } else {
        (0.0, if orgs { -0.2 } else { -0.1 }, "no shared country")
    })
}

/// Gender qualifier: -0.15 when both are known and differ.
fn gender_verdict(q: Option<&str>, c: Option<&str>) -> Option<Verdict> {
    let (a, b) = (q?, c?);
    Some(if a == b {
        (1.0, 0.0, "same gender")
    } else {
        (0.0, -0.15, "different gender")
    })
}

/// Scores two records (e.g. a pair of the evaluation set) with the default threshold.
pub fn score_pair(left: &Entity, right: &Entity) -> Scored {
    let names = &mut NameCache::default();
    score_records(&PairRecord::new(left), &PairRecord::new(right), names)
}

/// A record ready for [`score_records`]: its dates, countries, identifiers and gender prepared
/// at once, its names analysed only when a comparison needs them, and then once.
///
/// Most pairs of records of one party share a name written alike, and nothing scores more than
/// an identical name: comparing two such records analyses that name alone, not the dozens of
/// other names and aliases a listed party may have (the analysis, renderings and tokens of
/// every name, was most of the time of scoring a pair).
#[derive(Debug)]
pub struct PairRecord<'e> {
    entity: &'e Entity,
    /// The record without its names.
    facts: Prepared,
    /// The entity's names, in [`Entity::names`] order.
    names: Vec<PairName<'e>>,
    /// The record with all its names analysed, once a comparison needed them.
    full: OnceCell<Prepared>,
}

/// A name of a [`PairRecord`].
#[derive(Debug)]
struct PairName<'e> {
    text: &'e str,
    weak: bool,
    /// [`folded_key`] of the text, once [`PairRecord::identical`] needed it: it stops at the
    /// first pair of names written alike, often the first names of both records.
    key: OnceCell<Option<u64>>,
    /// The record of this name alone, once [`PairRecord::identical`] needed it (boxed: most
    /// names are never analysed alone, and a record keeps one of these per name).
    alone: OnceCell<Box<Prepared>>,
    /// The name's first rendering with its tokens [`Tok::spelled`], once
    /// [`PairRecord::identical`] needed it and the name has one ([`PairName::spelled`]):
    /// what aligning it with a name written alike needs, without analysing it.
    spelled: OnceCell<Box<Spelled>>,
    /// [`COUNTED`] and [`UNSPELLED`] (flags rather than more cells: a pair file's records
    /// hold tens of thousands of names, and every byte of a name is written for each).
    state: Cell<u8>,
}

/// [`PairName::state`]: the name's use announced to the [`NameCache`]
/// ([`NameCache::expect`]) was counted, by analysing it alone or by [`NameCache::pass`] when
/// its spelling settled the comparison.
const COUNTED: u8 = 1;
/// [`PairName::state`]: the name has no [`PairName::spelled`] rendering.
const UNSPELLED: u8 = 2;

/// A name as [`PairName::spelled`] keeps it.
#[derive(Debug, Clone)]
struct Spelled {
    /// Its first rendering, tokens [`Tok::spelled`].
    variant: Variant,
    /// Whether the rendering holds a legal form ([`NameForm::orgish`]).
    orgish: bool,
}

impl PairName<'_> {
    /// The name's [`folded_key`] (computed on first use).
    fn key(&self) -> Option<u64> {
        *self.key.get_or_init(|| folded_key(self.text))
    }

    /// The record of this name of `e` alone (analysed through `names` on first use, its use
    /// counted there unless [`COUNTED`] already).
    fn alone(&self, e: &Entity, names: &mut NameCache) -> &Prepared {
        self.alone.get_or_init(|| {
            let count = !self.set(COUNTED);
            Box::new(Prepared::one_name(e, self.text, self.weak, names, count))
        })
    }

    /// Sets a flag of [`PairName::state`], saying whether it was set already.
    fn set(&self, flag: u8) -> bool {
        let state = self.state.get();
        self.state.set(state | flag);
        state & flag != 0
    }

    /// The name's first rendering with its tokens [`Tok::spelled`] (computed on first use),
    /// for a name of class `class`; `None` for a name in another script than ASCII but a
    /// person's, or with no token.
    fn spelled(&self, class: NameClass) -> Option<&Spelled> {
        if let Some(spelled) = self.spelled.get() {
            return Some(spelled);
        }
        if self.state.get() & UNSPELLED != 0 {
            return None;
        }
        match self.spell(class) {
            Some(spelled) => Some(self.spelled.get_or_init(|| Box::new(spelled))),
            None => {
                self.set(UNSPELLED);
                None
            }
        }
    }

    /// [`PairName::spelled`], computed.
    fn spell(&self, class: NameClass) -> Option<Spelled> {
        // A name in ASCII has one rendering, its fold: what the legal forms are is known from
        // it. A person's name has none in any rendering (legal forms are not read in a
        // person's name), so the first rendering of a person's name in another script is
        // enough too.
        let ascii = self.text.is_ascii();
        if !ascii && class != NameClass::Person {
            return None;
        }
        let analysed = renderings_up_to(self.text, class, 1);
        let tokens = analysed.variants.into_iter().next()?;
        let toks: Vec<Tok> = numberize(tokens).into_iter().map(Tok::spelled).collect();
        if toks.is_empty() {
            return None;
        }
        let orgish = holds_legal_form(&toks);
        let variant = Variant {
            toks,
            joined: String::new(),
            joined_mask: 0,
            strict: written_in_syllables(self.text),
            lossy: Lossy::of(analysed.script),
        };
        Some(Spelled { variant, orgish })
    }

    /// Takes [`PairName::spelled`] as `class` from `other`'s, `spelled`, when the two names
    /// are written alike enough to analyse alike ([`RenderingKey`]; the same text, or the same
    /// ASCII fold), unless it is known already. Most records a pair settles on a spelling
    /// write the name apart only in case and punctuation ("AL-SHABAAB", "Al-Shabaab"): the
    /// second name's rendering is then a copy rather than a fold, a classification and its
    /// tokens again.
    fn spell_like(&self, (other, spelled): (&PairName<'_>, &Spelled), class: NameClass) {
        if self.spelled.get().is_some() || self.state.get() & UNSPELLED != 0 {
            return;
        }
        let alike = self.text == other.text
            || RenderingKey::of(self.text, class) == RenderingKey::of(other.text, class);
        if alike {
            self.spelled.get_or_init(|| Box::new(spelled.clone()));
        }
    }

    /// Counts the name's announced use ([`NameCache::pass`]), once.
    fn count(&self, class: NameClass, names: &mut NameCache) {
        if !self.set(COUNTED) {
            names.pass(self.text, class);
        }
    }
}

impl<'e> PairRecord<'e> {
    /// Prepares a record's dates, countries, identifiers and gender for scoring; its names
    /// wait for [`score_records`].
    pub fn new(e: &'e Entity) -> PairRecord<'e> {
        let (facts, by_kind) = Prepared::facts_and_names(e);
        // Sized first: collected through `flat_map`, the names grew one reallocation at a time.
        let mut names = Vec::with_capacity(by_kind.iter().map(|texts| texts.len()).sum());
        names.extend(
            NameKind::ALL
                .iter()
                .zip(by_kind)
                .flat_map(|(&kind, texts)| {
                    texts.iter().map(move |text| PairName {
                        text,
                        weak: kind == NameKind::Weak,
                        key: OnceCell::new(),
                        alone: OnceCell::new(),
                        spelled: OnceCell::new(),
                        state: Cell::new(0),
                    })
                }),
        );
        PairRecord {
            entity: e,
            facts,
            names,
            full: OnceCell::new(),
        }
    }

    /// The entity the record was prepared from.
    pub fn entity(&self) -> &'e Entity {
        self.entity
    }

    /// The record with all its names analysed (through `names`, on first use).
    fn full(&self, names: &mut NameCache) -> &Prepared {
        self.full
            .get_or_init(|| self.facts.clone().with_names_of(self.entity, names))
    }

    /// The first step of comparing two records' names, analysing only the names it compares:
    /// the first pair of names written alike, neither a weak alias (in the order the full
    /// search visits them, leaving out names that analyse to nothing as the full analysis
    /// does), and [`identical_first`] of them. `None` sends the comparison to the records in
    /// full.
    fn identical(&self, other: &PairRecord<'_>, names: &mut NameCache) -> Option<NameMatch> {
        let usable = |n: &&PairName<'_>| !n.weak && n.key().is_some();
        for q in self.names.iter().filter(usable) {
            for c in other
                .names
                .iter()
                .filter(usable)
                .filter(|c| c.key() == q.key())
            {
                if let Some(found) = self.settled_by_spelling(q, (other, c), names) {
                    return Some(found);
                }
                let (q, c) = (q.alone(self.entity, names), c.alone(other.entity, names));
                if !q.names.is_empty() && !c.names.is_empty() {
                    return identical_records(q, c);
                }
            }
        }
        None
    }

    /// [`identical_first`] of a name of this record and a name of `other` written alike, as
    /// [`PairRecord::identical`] would find it, when [`spelled_alike`] settles it on their
    /// first renderings alone ([`PairName::spelled`]): most pairs of records end here without
    /// analysing either name. `None` leaves them to be analysed.
    fn settled_by_spelling(
        &self,
        q: &PairName<'_>,
        (other, c): (&PairRecord<'_>, &PairName<'_>),
        names: &mut NameCache,
    ) -> Option<NameMatch> {
        let classes = (
            name_class(Some(self.entity.schema)),
            name_class(Some(other.entity.schema)),
        );
        let qs = q.spelled(classes.0)?;
        if classes.0 == classes.1 {
            c.spell_like((q, qs), classes.1);
        }
        let cs = c.spelled(classes.1)?;
        let shown = spelled_alike(&qs.variant, &cs.variant)?;
        q.count(classes.0, names);
        c.count(classes.1, names);
        Some(matched(
            (q.text, c.text, qs.orgish),
            &qs.variant,
            1.0,
            shown,
        ))
    }
}

/// [`identical_first`] of the first names of two records.
fn identical_records(q: &Prepared, c: &Prepared) -> Option<NameMatch> {
    with_align(|buf| {
        buf.costs.begin(q.slots, c.slots);
        identical_first(q.names.first()?, c.names.first()?, buf)
    })
}

/// Scores two records ([`PairRecord`]), analysing their names through `names` only as far as
/// the comparison needs: first a name written alike on both sides (`PairRecord::identical`,
/// which settles the name at 1.0), else every name of both records (`compare`).
pub fn score_records(
    left: &PairRecord<'_>,
    right: &PairRecord<'_>,
    names: &mut NameCache,
) -> Scored {
    let (q, c) = (&left.facts, &right.facts);
    // Schemas that cannot be the same thing settle the pair before any name is analysed.
    if let Some(incompatible) = incompatible_schemas(q, c) {
        return incompatible;
    }
    if let Some(name) = left.identical(right, names) {
        let qualifiers = Qualifiers::of(q, c);
        let c_orgish = || right.full(names).names.iter().any(|n| n.orgish);
        return explained(q, c, name, &qualifiers, DEFAULT_THRESHOLD, c_orgish);
    }
    compare(left.full(names), right.full(names), DEFAULT_THRESHOLD)
}

/// Names analysed once for many records, by text and name class ([`score_records`]).
///
/// Records of one party on several lists repeat its names and aliases (the 960 records of the
/// screening benchmark's 500 pairs hold 10,600 names, 5,157 distinct by text and schema), and
/// a name's analysis (renderings, tokens, phonetic keys, skeletons) depends on its text and
/// class alone: a name met again is copied, not analysed again. What differs between records (the
/// weak flag, the token slots, the given-name groups a record's last names cancel) is set on
/// the copy.
///
/// When the records to come are announced first ([`NameCache::expect`]), a name is kept only
/// while records still to be prepared hold it, and its last use takes it out of the cache
/// rather than copying it: a name of one record is never kept, nor copied. A name not
/// announced is kept to the end. The answers are the same either way: only what is kept
/// differs.
#[derive(Debug, Default)]
pub struct NameCache {
    /// Per name class ([`class_slot`]), the analysed names by text.
    forms: [FastMap<String, NameForm>; 4],
    /// Per name class, the uses announced and not yet prepared, by a hash of the text
    /// ([`use_key`]): no copy of every name announced. Two names of one hash share a count,
    /// which can only make a name leave the cache early (to be analysed again) or late.
    uses: [FastMap<u64, usize>; 4],
    /// The tokens prepared so far.
    toks: TokCache,
}

/// What [`NameCache::uses`] counts a name's uses by: a hash of its text.
fn use_key(name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(name)
}

/// The position of a name class in [`NameCache::forms`].
fn class_slot(class: NameClass) -> usize {
    match class {
        NameClass::Person => 0,
        NameClass::Organization => 1,
        NameClass::Vessel => 2,
        NameClass::Any => 3,
    }
}

impl NameCache {
    /// Announces a record whose names [`score_records`] will analyse (once per record), so
    /// that its names are kept only as long as a record to come holds them.
    pub fn expect(&mut self, record: &PairRecord<'_>) {
        let uses = &mut self.uses[class_slot(name_class(Some(record.entity.schema)))];
        for name in &record.names {
            *uses.entry(use_key(name.text)).or_insert(0) += 1;
        }
    }

    /// [`NameCache::expect`] of every record, the tables sized for their names first (grown
    /// as the records came, they were rehashed again and again).
    pub fn expect_all(&mut self, records: &[PairRecord<'_>]) {
        let mut names = [0; 4];
        for record in records {
            names[class_slot(name_class(Some(record.entity.schema)))] += record.names.len();
        }
        for (uses, more) in self.uses.iter_mut().zip(names) {
            uses.reserve(more);
        }
        // About a new token per name: the distinct words of the names.
        self.toks.prepared.reserve(names.iter().sum());
        records.iter().for_each(|record| self.expect(record));
    }

    /// The analysed form of a name ([`NameForm::new`]), from the cache or analysed now.
    fn form(&mut self, name: &str, class: NameClass, weak: bool) -> NameForm {
        let again = self.used(name, class_slot(class));
        self.form_kept(name, class, weak, again)
    }

    /// [`NameCache::form`] for a use of the name counted already ([`NameCache::pass`]): the
    /// form stays in the cache as long as other uses are announced.
    fn form_again(&mut self, name: &str, class: NameClass, weak: bool) -> NameForm {
        let again = self.uses[class_slot(class)].contains_key(&use_key(name));
        self.form_kept(name, class, weak, again)
    }

    /// [`NameCache::form`], keeping the form in the cache if `again`.
    fn form_kept(&mut self, name: &str, class: NameClass, weak: bool, again: bool) -> NameForm {
        let slot = class_slot(class);
        let forms = &mut self.forms[slot];
        let cached = if again {
            forms.get(name).cloned()
        } else {
            forms.remove(name)
        };
        let mut form = cached.unwrap_or_else(|| {
            let form = NameForm::with_cache(name, class, weak, &mut self.toks);
            if again {
                forms.insert(name.to_string(), form.clone());
            }
            form
        });
        form.weak = weak;
        form
    }

    /// A use of a name that is not analysed after all (a record's name written like an
    /// earlier one, [`Prepared::with_names_of`]): counted as a use, so that the name does
    /// not stay in the cache for it.
    fn pass(&mut self, name: &str, class: NameClass) {
        let slot = class_slot(class);
        if !self.used(name, slot) {
            self.forms[slot].remove(name);
        }
    }

    /// Counts a use of a name of class `slot`: whether a record to come holds it still
    /// (`true` when it was not announced).
    fn used(&mut self, name: &str, slot: usize) -> bool {
        let uses = &mut self.uses[slot];
        let key = use_key(name);
        match uses.get_mut(&key) {
            Some(n) if *n > 1 => {
                *n -= 1;
                true
            }
            Some(_) => {
                uses.remove(&key);
                false
            }
            None => true,
        }
    }
}

/// Normalises country values (codes or names) to ISO codes, dropping unknown ones.
pub(crate) fn canonical_countries(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = values.iter().filter_map(|v| country_code(v).ok()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entity(schema: Schema, name: &str) -> Entity {
        let mut e = Entity::new("t", schema);
        e.add(Property::Name, name).ok();
        e
    }

    fn person(name: &str) -> Entity {
        entity(Schema::Person, name)
    }

    /// The tokens of every rendering of a name.
    fn rendered_toks(n: &NameForm) -> Vec<Vec<Tok>> {
        n.variants.iter().map(|v| v.toks.clone()).collect()
    }

    #[test]
    fn look_alike_letters_of_the_other_script_read_as_the_word_s_own() {
        // Belarusian names on the lists with a Latin "I" for "І" and a Latin kra for "к":
        // read letter by letter, the words fell apart into runs ("kawryzhk i n") and scored
        // 0.485 against their Latin spelling.
        let typed = person("КАЎРЫЖКIН Аляĸсей Iгаравiч");
        let latin = person("Kauryzhkin Aliaksei Iharavich");
        assert_eq!(score_pair(&typed, &latin).score, 1.0);
        assert_eq!(score_pair(&latin, &typed).score, 1.0);
        // A Cyrillic "А" and "е" in a Latin name (0.794 before).
        let pair = (person("Аlexеy Petrov"), person("Alexey Petrov"));
        assert_eq!(score_pair(&pair.0, &pair.1).score, 1.0);
    }

    #[test]
    fn a_record_prepared_once_scores_as_in_score_pair() {
        let putin = person("Vladimir Vladimirovich Putin");
        let others = [
            person("Путин Владимир"),
            person("Vladimir Putine"),
            entity(Schema::Company, "Putin Holdings LLC"),
        ];
        let once = PairRecord::new(&putin);
        let names = &mut NameCache::default();
        for other in &others {
            let prepared = score_records(&once, &PairRecord::new(other), names);
            assert_eq!(prepared, score_pair(&putin, other));
            assert_eq!(
                score_records(&PairRecord::new(other), &once, names),
                score_pair(other, &putin)
            );
        }
        assert!(score_records(&once, &PairRecord::new(&others[1]), names).is_match);
    }

    /// An entity of `schema` with `names` of the given properties.
    fn record(id: &str, schema: Schema, names: &[(Property, &str)]) -> Entity {
        let mut e = Entity::new(id, schema);
        for (p, n) in names {
            e.add(*p, n).ok();
        }
        e
    }

    /// [`score_records`] on two entities analysed in full first: the first pair of their
    /// names (not the name parts joined that stand in for none) written alike, neither weak,
    /// settles the name if it scores 1.0, else [`compare`].
    fn compared_in_full(x: &Entity, y: &Entity) -> Scored {
        let (q, c) = (Prepared::from_entity(x), Prepared::from_entity(y));
        let usable = |e: &Entity, n: &NameForm| {
            !n.weak && folded_key(&n.original).is_some() && e.names().any(|(_, t)| t == n.original)
        };
        let alike = q.names.iter().filter(|n| usable(x, n)).find_map(|qn| {
            let key = folded_key(&qn.original);
            let mut same = c.names.iter().filter(|n| usable(y, n));
            Some((qn, same.find(|cn| folded_key(&cn.original) == key)?))
        });
        let mut buf = AlignBuf::default();
        buf.costs.begin(q.slots, c.slots);
        if incompatible_schemas(&q, &c).is_none()
            && let Some((qn, cn)) = alike
            && let Some(name) = identical_first(qn, cn, &mut buf)
        {
            let c_orgish = || c.names.iter().any(|n| n.orgish);
            return explained(
                &q,
                &c,
                name,
                &Qualifiers::of(&q, &c),
                DEFAULT_THRESHOLD,
                c_orgish,
            );
        }
        compare(&q, &c, DEFAULT_THRESHOLD)
    }

    #[test]
    fn common_letters_are_alphanumeric() {
        let ranges = [(0xC0, 0x17F), (0x391, 0x3C9), (0x400, 0x45F)];
        let told = ranges
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter_map(char::from_u32)
            .filter(|&c| common_letter(c));
        assert_eq!(
            told.clone().count(),
            0x17F - 0xC0 + 1 - 2 + 0x3A9 - 0x391 + 1 - 1 + 0x3C9 - 0x3B1 + 1 + 0x60
        );
        assert!(told.clone().all(char::is_alphanumeric));
        for c in ['\u{D7}', '\u{F7}', '\u{3A2}', '\u{3AA}', '\u{460}', 'a'] {
            assert!(!common_letter(c), "{c:?}");
        }
    }

    #[test]
    fn names_written_alike_have_one_key() {
        let key = folded_key;
        assert_eq!(key("Ted MORGAN"), key(" ted  morgan."));
        assert_eq!(key("ООО «Бремино»"), key("ооо бремино"));
        assert_eq!(key("O'Brien"), key("o brien"));
        assert_ne!(key("Ted Morgan"), key("Tedmorgan"));
        assert_ne!(key("Ted Morgan"), key("Morgan Ted"));
        assert_ne!(key("Café"), key("Cafe"));
        assert_eq!(key("-- , --"), None);
        let long = "Общество с ограниченной ответственностью «Бремино Групп» ".repeat(3);
        assert_eq!(key(&long), key(&long.to_uppercase().replace(' ', " - ")));
        assert_ne!(key(&long), key(&long.replacen('Б', "П", 3)));
    }

    #[test]
    fn records_scored_lazily_score_as_records_analysed_in_full() {
        use Property::{Alias, LastName, Name, WeakAlias};
        let records = [
            record(
                "a",
                Schema::Person,
                &[(Name, "Ted Morgan"), (Alias, "MORGAN, Ted")],
            ),
            record(
                "b",
                Schema::Person,
                &[(Name, "Theodore Morgan"), (WeakAlias, "Ted Morgan")],
            ),
            record(
                "c",
                Schema::Person,
                &[(Name, "TED MORGAN"), (LastName, "Ted")],
            ),
            record(
                "d",
                Schema::Person,
                &[(Name, "Morgan Ted"), (Alias, "Тед Морган")],
            ),
            record(
                "e",
                Schema::LegalEntity,
                &[(Name, "ted  morgan."), (Name, "Morgan Ltd")],
            ),
            record(
                "f",
                Schema::Company,
                &[(Name, "Ted Morgan"), (Name, "Ted Morgan LLC")],
            ),
            record(
                "g",
                Schema::Organization,
                &[(Name, "LLC"), (Name, "Ted Morgan")],
            ),
            record("h", Schema::Person, &[(Name, "—"), (Alias, "Ted Morgan")]),
            record("i", Schema::Vessel, &[(Name, "Ted Morgan")]),
            record(
                "j",
                Schema::Person,
                &[(Name, "Тед Морган"), (Alias, "Ted Morgan")],
            ),
            record(
                "k",
                Schema::Person,
                &[(Name, "Mr Ted Morgan"), (Alias, "TED MORGAN")],
            ),
            record(
                "l",
                Schema::Person,
                &[(LastName, "Morgan"), (Property::FirstName, "Ted")],
            ),
            // A title in a name written alike on a person and on a company.
            record("m", Schema::Company, &[(Name, "MR TED MORGAN")]),
            record("n", Schema::LegalEntity, &[(Name, "Mr. Ted Morgan")]),
        ];
        // Each pair with fresh records and names, then all pairs through one name cache and
        // records reused (a record's names analysed once, whichever way first).
        let lazy: Vec<PairRecord> = records.iter().map(PairRecord::new).collect();
        let names = &mut NameCache::default();
        let mut shortcuts = 0;
        for (x, left) in records.iter().zip(&lazy) {
            for (y, right) in records.iter().zip(&lazy) {
                let full = compared_in_full(x, y);
                assert_eq!(score_pair(x, y), full, "{} {}", x.id, y.id);
                assert_eq!(score_records(left, right, names), full, "{} {}", x.id, y.id);
                shortcuts += usize::from(left.full.get().is_none() || right.full.get().is_none());
            }
        }
        // The shortcut was taken (some pair needed neither record in full), and some names
        // written alike settled a pair on their spellings, never analysed.
        assert!(shortcuts > 0);
        let spelled_only = |n: &PairName| n.spelled.get().is_some() && n.alone.get().is_none();
        assert!(lazy.iter().any(|r| r.names.iter().any(spelled_only)));
        assert!(score_pair(&records[0], &records[2]).score >= 1.0);
        // A person against a vessel is settled by the schemas: no name analysed.
        let (person, vessel) = (PairRecord::new(&records[0]), PairRecord::new(&records[8]));
        let scored = score_records(&person, &vessel, &mut NameCache::default());
        assert_eq!(scored, compared_in_full(&records[0], &records[8]));
        let analysed = |r: &PairRecord| {
            r.full.get().is_some() || r.names.iter().any(|n| n.alone.get().is_some())
        };
        assert!(!analysed(&person) && !analysed(&vessel));
    }

    /// A pair record's name of `text`, nothing of it computed yet.
    fn pair_name(text: &str) -> PairName<'_> {
        PairName {
            text,
            weak: false,
            key: OnceCell::new(),
            alone: OnceCell::new(),
            spelled: OnceCell::new(),
            state: Cell::new(0),
        }
    }

    #[test]
    fn a_name_written_alike_takes_the_spelling_of_the_other() {
        let (upper, lower) = (pair_name("AL-SHABAAB"), pair_name("Al Shabaab"));
        let class = NameClass::Organization;
        let spelled = upper.spelled(class).map(|s| s.variant.toks.clone());
        let from = upper
            .spelled(class)
            .unwrap_or_else(|| panic!("no spelling"));
        lower.spell_like((&upper, from), class);
        assert_eq!(lower.spelled.get().map(|s| s.variant.toks.clone()), spelled);
        // Dots in an organisation's name join letters ("S.A."): its own spelling, then.
        let (dotted, plain) = (pair_name("ACME S.A."), pair_name("ACME S A"));
        let from = dotted
            .spelled(class)
            .unwrap_or_else(|| panic!("no spelling"));
        plain.spell_like((&dotted, from), class);
        assert!(plain.spelled.get().is_none());
    }

    #[test]
    fn records_prepared_through_a_name_cache_score_as_records_prepared_alone() {
        let record = |id: &str, names: &[(Property, &str)]| record(id, Schema::Person, names);
        // "Ted Morgan" is a name, then a weak alias, then a name whose record says Ted is a
        // last name (no familiar form of Theodore there), then a name again: what one record
        // makes of a shared name must not reach the others.
        let records = [
            record("a", &[(Property::Name, "Ted Morgan")]),
            record(
                "b",
                &[
                    (Property::Name, "Theodore Morgan"),
                    (Property::WeakAlias, "Ted Morgan"),
                ],
            ),
            record(
                "c",
                &[(Property::Name, "Ted Morgan"), (Property::LastName, "Ted")],
            ),
            record(
                "d",
                &[
                    (Property::Name, "Ted Morgan"),
                    (Property::Alias, "Тед Морган"),
                ],
            ),
        ];
        let mut cache = NameCache::default();
        let cached: Vec<Prepared> = records
            .iter()
            .map(|e| Prepared::from_entity_with(e, &mut cache))
            .collect();
        for (x, left) in records.iter().zip(&cached) {
            for (y, right) in records.iter().zip(&cached) {
                assert_eq!(
                    compare(left, right, DEFAULT_THRESHOLD),
                    compared_in_full(x, y),
                    "{} {}",
                    x.id,
                    y.id
                );
            }
        }
        // Announced first, the same records are prepared alike, and once the last record
        // holding a name is prepared, nothing of it is kept.
        let mut announced = NameCache::default();
        records
            .iter()
            .for_each(|e| announced.expect(&PairRecord::new(e)));
        for (e, before) in records.iter().zip(&cached) {
            let record = Prepared::from_entity_with(e, &mut announced);
            assert_eq!(
                compare(&record, before, DEFAULT_THRESHOLD),
                compare(before, before, DEFAULT_THRESHOLD)
            );
        }
        assert!(announced.forms.iter().all(|f| f.is_empty()));
        assert!(announced.uses.iter().all(|u| u.is_empty()));
        let theodore = record("t", &[(Property::Name, "Theodore Morgan")]);
        let theodore = Prepared::from_entity_with(&theodore, &mut cache);
        let familiar = compare(&cached[3], &theodore, DEFAULT_THRESHOLD).score;
        assert!(familiar > compare(&cached[2], &theodore, DEFAULT_THRESHOLD).score);
        assert!(compare(&cached[0], &cached[1], DEFAULT_THRESHOLD).score > 0.9);
    }

    #[test]
    fn tokens_prepared_through_a_record_cache_equal_tokens_prepared_alone() {
        let names = [
            "Vladimir Vladimirovich PUTIN",
            "Путин Владимир Владимирович",
            "PUTIN, Vladimir",
            "Ivan Petrov LLC",
            "ООО Иван Петров",
        ];
        let mut cache = TokCache::default();
        for class in [NameClass::Person, NameClass::Organization, NameClass::Any] {
            for name in names {
                let cached = NameForm::with_cache(name, class, false, &mut cache);
                let alone = NameForm::new(name, class, false);
                assert_eq!(rendered_toks(&cached), rendered_toks(&alone), "{name}");
                assert_eq!(cached.orgish, alone.orgish);
            }
        }
        // "vladimir" recurs across names and renderings but was prepared once per class.
        let vladimir = cache
            .prepared
            .keys()
            .filter(|(text, _)| text == "vladimir")
            .count();
        assert!((1..=3).contains(&vladimir), "{vladimir}");
    }

    #[test]
    fn a_query_names_tokens_come_from_the_threads_cache_and_it_stays_bounded() {
        let name = "Абдул Рахман Петров";
        let alone = NameForm::new(name, NameClass::Person, false);
        // Twice on one thread (the second time from its cache), as prepared alone.
        for _ in 0..2 {
            let cached = NameForm::for_query(name, NameClass::Person);
            assert_eq!(rendered_toks(&cached), rendered_toks(&alone));
        }
        let mut cache = TokCache::default();
        NameForm::with_cache(name, NameClass::Person, false, &mut cache);
        let held = cache.prepared.len();
        assert!(held >= 3, "{held}");
        cache.bound(held);
        assert_eq!(cache.prepared.len(), held, "at its bound: kept");
        cache.bound(held - 1);
        assert!(cache.prepared.is_empty(), "past its bound: emptied");
    }

    fn s(a: &Entity, b: &Entity) -> f64 {
        score_pair(a, b).score
    }

    #[test]
    fn exact_is_one_and_typos_stay_high() {
        assert_eq!(s(&person("Sergei Lavrov"), &person("Sergei Lavrov")), 1.0);
        assert_eq!(s(&person("Sergei Lavrov"), &person("LAVROV, Sergei")), 1.0);
        assert!(s(&person("Serei Lavrov"), &person("Sergei Lavrov")) >= 0.9);
        assert!(s(&person("John Doeburg"), &person("John Dowburg")) >= 0.9);
        assert!(s(&person("Vladimir Putni"), &person("Vladimir Putin")) >= 0.9);
    }

    #[test]
    fn no_saturation_for_similar_names() {
        let similar = [
            ("Vladimir Putin", "Vladimir Vladimirovich Putin"),
            ("Serei Lavrov", "Sergei Lavrov"),
            ("Mohamed Ali", "Muhammad Ali"),
        ];
        for (a, b) in similar {
            let v = s(&person(a), &person(b));
            assert!((0.7..1.0).contains(&v), "{a} vs {b}: {v}");
        }
    }

    #[test]
    fn a_missing_middle_name_is_borderline() {
        let v = s(&person("John Smith"), &person("John Michael Smith"));
        assert!((0.6..0.75).contains(&v), "{v}");
    }

    #[test]
    fn different_people_score_low() {
        assert!(s(&person("George Bush"), &person("George Habbash")) < 0.7);
        assert!(s(&person("John Doe"), &person("Juan Doe")) < 0.7);
        assert!(s(&person("John Doe"), &person("John Down")) < 0.7);
        assert!(s(&person("Emma"), &person("Emma Daniels")) < 0.5);
    }

    #[test]
    fn generic_tokens_do_not_match_people() {
        let emma_llc = entity(Schema::Company, "EMMA LLC");
        assert!(s(&emma_llc, &person("Emma Daniels")) < 0.5);
        let mut any = Entity::new("q", Schema::LegalEntity);
        any.add(Property::Name, "EMMA LLC").ok();
        assert!(s(&any, &person("Emma Daniels")) < 0.5);
        let a = entity(Schema::Company, "Golden Dragon Trading Group Ltd");
        let b = entity(Schema::Company, "Silver Dragon Trading Group Ltd");
        assert!(s(&a, &b) < 0.7, "{}", s(&a, &b));
        let c = entity(Schema::Company, "Gazprom Neft OAO");
        assert!(s(&entity(Schema::Company, "Gazprom Neft JSC"), &c) >= 0.95);
    }

    #[test]
    fn numbers_must_agree() {
        let a = entity(Schema::Vessel, "Snow Storm 1");
        assert!(s(&a, &entity(Schema::Vessel, "Snow Storm 2")) < 0.5);
        assert!(s(&a, &entity(Schema::Vessel, "Snow Stom 1")) >= 0.85);
        let b = entity(Schema::Organization, "Brigade Fourty-four");
        assert!(s(&b, &entity(Schema::Organization, "Brigade 44")) >= 0.95);
    }

    #[test]
    fn initials_and_patronymics() {
        assert!(
            s(
                &person("V. V. Putin"),
                &person("Vladimir Vladimirovich Putin")
            ) >= 0.7
        );
        assert!(
            s(
                &person("Vladimir Putin"),
                &person("Путин Владимир Владимирович")
            ) >= 0.9
        );
    }

    #[test]
    fn syllabic_names_need_exact_syllables() {
        assert!(s(&person("秀英 陳"), &person("Xiu Ling Chen")) < 0.5);
        assert!(s(&person("琳 健 戴"), &person("Jian Dai")) < 0.7);
        assert_eq!(s(&person("秀英 陳"), &person("Chen Xiuying")), 1.0);
    }

    #[test]
    fn transcribed_names_align_on_skeletons_only_in_full() {
        let putin = person("PUTIN, Vladimir Vladimirovich");
        for q in [
            "ウラジーミル・プーチン",
            "弗拉基米尔·普京",
            "블라디미르 푸틴",
            "भ्लादिमिर पुटिन",
        ] {
            assert!(s(&person(q), &putin) >= 0.7, "{q}");
        }
        // The same consonant classes in a Latin name are not evidence.
        assert!(s(&person("Fulajimier Pujing"), &putin) < 0.7);
        // A transcribed name must align word for word: one skeleton alone is not a match.
        assert!(s(&person("普京 王"), &putin) < 0.7);
        // Abjads keep letters apart: l is not r.
        assert!(s(&person("ليم"), &person("Rima")) < 0.7);
        assert!(s(&person("משה"), &person("Moshe")) >= 0.9);
    }

    #[test]
    fn familiar_given_names_meet_full_ones_but_not_as_surnames() {
        assert!(s(&person("Ted Doe"), &person("Theodore Doe")) >= 0.8);
        assert!(s(&person("Bill Gates"), &person("Robert Gates")) < 0.7);
        let mut q = person("Ted Doe");
        q.add(Property::LastName, "Ted").ok();
        q.add(Property::FirstName, "Doe").ok();
        assert!(s(&q, &person("Theodore Doe")) < 0.7);
    }

    #[test]
    fn initials_alone_identify_nobody() {
        assert!(s(&person("Rodney Tara Carson"), &person("C. T. R.")) < 0.5);
        assert!(s(&person("Amy Johnson"), &person("Edward A. Johnson")) < 0.7);
    }

    #[test]
    fn identifier_match_dominates() {
        let mut a = entity(Schema::Vessel, "Snow Storm 1");
        a.add(Property::ImoNumber, "9929429").ok();
        let mut b = entity(Schema::Vessel, "Snow Storm 2");
        b.add(Property::ImoNumber, "IMO9929429").ok();
        let r = score_pair(&a, &b);
        assert!(r.score >= 0.95 && r.is_match);
        assert_eq!(r.explanations["identifier"].query, ["9929429"]);
        let mut c = entity(Schema::Organization, "Commerzbank");
        c.add(Property::SwiftBic, "COBADEFFXXX").ok();
        let mut d = entity(Schema::Organization, "Unrelated Name");
        d.add(Property::RegistrationNumber, "COBADEFF").ok();
        assert!(s(&c, &d) >= 0.95);
    }

    #[test]
    fn birth_dates_qualify() {
        let with_dob = |name: &str, dob: &str| {
            let mut e = person(name);
            e.add(Property::BirthDate, dob).ok();
            e
        };
        let a = with_dob("Ivan Petrov", "1961-05-07");
        assert_eq!(s(&a, &with_dob("Ivan Petrov", "1961")), 1.0);
        let off_by_one = s(&a, &with_dob("Ivan Petrov", "1962"));
        assert!((0.9..1.0).contains(&off_by_one), "{off_by_one}");
        let disjoint = score_pair(&a, &with_dob("Ivan Petrov", "1964-01-01"));
        assert!((disjoint.score - 0.8).abs() < 1e-9);
        assert_eq!(disjoint.explanations["birth_date"].weight, -0.2);
        let far = score_pair(&a, &with_dob("Ivan Petrov", "1975-01-01"));
        assert!((far.score - 0.65).abs() < 1e-9, "{}", far.score);
        assert_eq!(far.explanations["birth_date"].weight, -0.35);
        let unlisted = score_pair(&a, &person("Ivan Petrov"));
        assert!((unlisted.score - 0.9).abs() < 1e-9, "{}", unlisted.score);
        assert_eq!(unlisted.explanations["birth_date"].weight, -0.1);
        assert_eq!(s(&person("Ivan Petrov"), &a), 1.0);
        let typo = s(&with_dob("Ivan Petrof", "1961-05-07"), &a);
        assert!(typo > s(&person("Ivan Petrof"), &a));
    }

    #[test]
    fn schema_country_gender() {
        let v = entity(Schema::Vessel, "Ivan Petrov");
        let r = score_pair(&person("Ivan Petrov"), &v);
        assert_eq!(r.score, 0.0);
        assert!(r.explanations.contains_key("schema"));
        let mut a = person("Ivan Petrov");
        a.add(Property::Nationality, "ru").ok();
        a.add(Property::Gender, "male").ok();
        let mut b = person("Ivan Petrov");
        b.add(Property::Nationality, "de").ok();
        b.add(Property::Gender, "female").ok();
        let r = score_pair(&a, &b);
        assert!((r.score - 0.75).abs() < 1e-9, "{}", r.score);
        assert_eq!(r.explanations["country"].weight, -0.1);
        assert_eq!(r.explanations["gender"].weight, -0.15);
        let org = |country: &str| {
            let mut e = entity(Schema::Organization, "Al-Nur Charity");
            e.add(Property::Country, country).ok();
            e
        };
        let r = score_pair(&org("be"), &org("se"));
        assert_eq!(r.explanations["country"].weight, -0.2);
        assert!((r.score - 0.8).abs() < 1e-9, "{}", r.score);
    }

    #[test]
    fn explanation_names_the_compared_parts() {
        let r = score_pair(&person("Serei Lavrov"), &person("Sergei Lavrov"));
        let f = &r.explanations["name"];
        assert_eq!(f.query, ["Serei Lavrov"]);
        assert_eq!(f.candidate, ["Sergei Lavrov"]);
        assert!(f.detail.contains("serei~sergei") && f.detail.contains("lavrov=lavrov"));
    }

    /// The best name score with no bound at all: every pair of names and renderings aligned.
    fn best_name_unbounded(q: &Prepared, c: &Prepared) -> f64 {
        best_of_names_unbounded(q, c, None)
    }

    /// [`best_name_unbounded`] over the pairs of the query's name `only`, if given.
    fn best_of_names_unbounded(q: &Prepared, c: &Prepared, only: Option<usize>) -> f64 {
        let mut buf = AlignBuf::default();
        buf.costs.begin(q.slots, c.slots);
        let mut best: f64 = 0.0;
        for (_, qn) in q
            .names
            .iter()
            .enumerate()
            .filter(|(qi, _)| only.is_none_or(|only| only == *qi))
        {
            for cn in &c.names {
                let factor = if qn.weak || cn.weak { WEAK_FACTOR } else { 1.0 };
                for qv in &qn.variants {
                    for cv in &cn.variants {
                        best = best.max(align_score(qv, cv, &mut buf, None) * factor);
                    }
                }
            }
        }
        best
    }

    /// Records with aliases, weak aliases, titles, legal forms, numbers and several scripts.
    fn bound_fixtures() -> Vec<Prepared> {
        let rows: &[(Schema, &[&str], &[&str])] = &[
            (
                Schema::Person,
                &["Vladimir Vladimirovich Putin", "Путин Владимир"],
                &["Vova"],
            ),
            (Schema::Person, &["President Putin"], &[]),
            (
                Schema::Person,
                &["V. V. Putin", "ウラジーミル・プーチン"],
                &[],
            ),
            (
                Schema::Person,
                &["Mohammad Hosseini", "حسین محمدی"],
                &["Abu Ali"],
            ),
            (
                Schema::Person,
                &["Hosseini Mohammed Ali", "Mohamed al-Husseini"],
                &[],
            ),
            (Schema::Person, &["Chen Xiuying", "秀英 陳"], &[]),
            (Schema::Person, &["Xiu Ling Chen"], &["Ling"]),
            (Schema::Person, &["Rami Makhlouf"], &["Ramimakhlouf"]),
            (Schema::Person, &["Ramy Makhluf", "Rami Mak Hlouf"], &[]),
            (Schema::Person, &["Theodore Doe", "Ted Doe"], &[]),
            (
                Schema::LegalEntity,
                &["Gazprom Neft OAO", "Gazprom Neft 2"],
                &[],
            ),
            (
                Schema::Company,
                &["Gazprom Neft JSC", "ООО Газпромнефть"],
                &["Neft Trading Group"],
            ),
            (Schema::Vessel, &["Snow Storm 1", "MV Snow Storm"], &[]),
            (Schema::Vessel, &["Snow Stom 1"], &["Storm"]),
            (Schema::Person, &["블라디미르 푸틴", "משה כהן"], &[]),
            (
                Schema::Person,
                &["Moshe Cohen", "Sheikh Hassan Nasrallah"],
                &[],
            ),
            // Names in two scripts, the best match not the first of its script: the
            // whole-candidate bound pools each script's names apart.
            (
                Schema::Person,
                &["أبو هادي", "Abu Hadi", "Hasan Nasralla"],
                &[],
            ),
        ];
        rows.iter()
            .map(|(schema, names, weak)| {
                let mut e = Entity::new("t", *schema);
                for (i, n) in names.iter().enumerate() {
                    let p = if i == 0 {
                        Property::Name
                    } else {
                        Property::Alias
                    };
                    e.add(p, n).ok();
                }
                for n in *weak {
                    e.add(Property::WeakAlias, n).ok();
                }
                Prepared::from_entity(&e)
            })
            .collect()
    }

    /// `e` prepared with every name analysed and compared, none left out as written like an
    /// earlier one.
    fn with_every_name(e: &Entity) -> Prepared {
        let class = name_class(Some(e.schema));
        let names = e
            .names()
            .map(|(kind, n)| NameForm::new(n, class, kind == NameKind::Weak))
            .filter(|n| !n.variants.is_empty())
            .collect();
        Prepared::facts(e).named(e, names)
    }

    #[test]
    fn names_written_alike_are_compared_once_with_the_same_scores() {
        let group = record(
            "t",
            Schema::Organization,
            &[
                (Property::Name, "AL-SHABAAB"),
                (Property::Alias, "Harakat al-Shabaab"),
                (Property::Alias, "Al Shabaab"),
                (Property::WeakAlias, "al shabaab"),
                (Property::WeakAlias, "Shabaab"),
                (Property::PreviousName, "SHABAAB"),
                (Property::PreviousName, "Acme S.A."),
                (Property::PreviousName, "Acme S A"),
            ],
        );
        let prepared = Prepared::from_entity(&group);
        let kept: Vec<(&str, bool)> = prepared
            .names
            .iter()
            .map(|n| (n.original.as_str(), n.weak))
            .collect();
        // A weak alias written like a name is left out; a name written like a weak alias is
        // kept (it weighs more); the dots of an organisation's abbreviation count.
        assert_eq!(
            kept,
            [
                ("AL-SHABAAB", false),
                ("Harakat al-Shabaab", false),
                ("Shabaab", true),
                ("SHABAAB", false),
                ("Acme S.A.", false),
                ("Acme S A", false),
            ]
        );
        let person = record(
            "t",
            Schema::Person,
            &[
                (Property::Name, "Hasan NASRALLAH"),
                (Property::Alias, "Hasan Nasrallah"),
                (Property::Alias, "Abu Hadi"),
                (Property::PreviousName, "ABU-HADI"),
            ],
        );
        let queries = [
            record("q", Schema::Organization, &[(Property::Name, "Shabaab")]),
            record("q", Schema::Organization, &[(Property::Name, "Al-Shabab")]),
            record("q", Schema::Organization, &[(Property::Name, "Acme SA")]),
            record("q", Schema::Person, &[(Property::Name, "Abu Hadi")]),
            record("q", Schema::Person, &[(Property::Name, "Hassan Nasralla")]),
            record("q", Schema::Person, &[(Property::Name, "نصر الله")]),
        ];
        for c in [&group, &person] {
            let (fewer, every) = (Prepared::from_entity(c), with_every_name(c));
            assert!(fewer.names.len() < every.names.len());
            for q in queries.iter().map(Prepared::from_entity) {
                let exact = compare(&q, &every, DEFAULT_THRESHOLD);
                assert_eq!(compare(&q, &fewer, DEFAULT_THRESHOLD), exact);
                assert_eq!(
                    compare(&fewer, &q, DEFAULT_THRESHOLD),
                    compare(&every, &q, DEFAULT_THRESHOLD)
                );
            }
        }
    }

    #[test]
    fn the_bound_never_changes_the_best_name() {
        let records = bound_fixtures();
        let mut reached = 0;
        for q in &records {
            for c in &records {
                let exact = best_name_unbounded(q, c);
                assert_eq!(best_name(q, c, f64::NEG_INFINITY).score, exact);
                for floor in [0.3, 0.645, 0.849] {
                    let pruned = best_name(q, c, floor).score;
                    let expected = if exact > floor { exact } else { 0.0 };
                    assert_eq!(pruned, expected, "floor {floor}");
                    reached += usize::from(exact > floor && exact < 1.0);
                }
            }
        }
        // Pairs scored between a floor and 1.0 exist, so the bound was put to the test.
        assert!(reached > 20, "{reached}");
    }

    #[test]
    fn screening_drops_only_comparisons_below_the_threshold() {
        // The fixtures with birth dates, countries and genders varied across them, so that
        // the qualifiers judged before the names raise and lower the floor.
        let dates = ["1961-05-07", "1961", "1962", "1975-01-02", ""];
        let countries = ["ru", "de", ""];
        let genders = ["male", "female", ""];
        let records: Vec<Prepared> = bound_fixtures()
            .into_iter()
            .enumerate()
            .map(|(i, mut p)| {
                p.birth = PartialDate::parse_iso(dates[i % dates.len()])
                    .into_iter()
                    .collect();
                p.countries = Some(countries[i % countries.len()])
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .into_iter()
                    .collect();
                p.gender = canonical_gender(genders[i % genders.len()]);
                p
            })
            .collect();
        let (mut dropped, mut unread, mut hits) = (0, 0, 0);
        for q in &records {
            for c in &records {
                for threshold in [0.0, 0.3, 0.6, 0.7, 0.8, 0.9] {
                    let full = compare(q, c, threshold);
                    if reachable(q, c, threshold).is_none() {
                        assert!(full.score < threshold, "{full:?} at {threshold}");
                        assert_eq!(screen_compare(q, c, threshold), None);
                        unread += 1;
                    }
                    match screen_compare(q, c, threshold) {
                        Some(screened) => assert_eq!(screened, full),
                        None => {
                            assert!(full.score < threshold, "{full:?} at {threshold}");
                            dropped += 1;
                        }
                    }
                    hits += usize::from(full.score >= threshold && threshold > 0.0);
                }
            }
        }
        // Every outcome occurs, so the floor was put to the test.
        assert!(
            dropped > 100 && unread > 20 && hits > 20,
            "{dropped} dropped ({unread} unread), {hits} hits"
        );
    }

    /// [`bound_fixtures`] numbered as an index numbers its records, so that the query's reach
    /// cache and the whole-candidate bound are used.
    fn numbered_bound_fixtures() -> Vec<Prepared> {
        let mut records = bound_fixtures();
        let mut numbering = TokenNumbering::default();
        for r in &mut records {
            r.sketch.number(&mut numbering);
        }
        records
    }

    /// Counts a bound's answer (`may`: a score above `floor` may be found) into `kept` or
    /// `dropped`, the best score being `exact`: a drop is right only when it is not above.
    fn tally_bound(
        may: bool,
        (exact, floor): (f64, f64),
        (kept, dropped): (&mut usize, &mut usize),
    ) {
        if may {
            *kept += 1;
        } else {
            assert!(exact <= floor, "bounded out at {exact} over floor {floor}");
            *dropped += 1;
        }
    }

    #[test]
    fn the_whole_candidate_bound_drops_only_candidates_below_the_floor() {
        let records = numbered_bound_fixtures();
        let (mut dropped, mut kept) = (0, 0);
        let mut buf = AlignBuf::default();
        for q in &records {
            for c in &records {
                let exact = best_name_unbounded(q, c);
                for floor in [0.3, 0.645, 0.849] {
                    buf.reach.begin(&q.sketch, &c.sketch);
                    let sketches = (&q.sketch, &c.sketch);
                    let may = buf.reach.may_beat(sketches, (&q.names, &c.names), floor);
                    tally_bound(may, (exact, floor), (&mut kept, &mut dropped));
                    let pruned = best_name(q, c, floor).score;
                    let expected = if exact > floor { exact } else { 0.0 };
                    assert_eq!(pruned, expected, "floor {floor}");
                }
            }
        }
        // Both outcomes occur: the bound decides for many pairs, not all.
        assert!(
            dropped > 550 && kept > 100,
            "{dropped} dropped, {kept} kept"
        );
    }

    /// Asks the one-name bound of every query name of `q` against `c` at three floors, each
    /// answer counted into `(kept, passed)` and a pass checked against the exact best.
    fn tally_name_bounds(q: &Prepared, c: &Prepared, (kept, passed): (&mut usize, &mut usize)) {
        let mut buf = AlignBuf::default();
        for qi in 0..q.names.len() {
            let exact = best_of_names_unbounded(q, c, Some(qi));
            for floor in [0.3, 0.645, 0.849] {
                buf.reach.begin(&q.sketch, &c.sketch);
                let sketches = (&q.sketch, &c.sketch);
                let names = (&q.names[..], &c.names[..]);
                let may = buf.reach.name_may_beat(sketches, names, qi, floor);
                tally_bound(may, (exact, floor), (&mut *kept, &mut *passed));
            }
        }
    }

    #[test]
    fn the_one_name_bound_passes_over_only_names_that_cannot_beat_it() {
        let records = numbered_bound_fixtures();
        let (mut passed, mut kept) = (0, 0);
        for q in &records {
            for c in &records {
                tally_name_bounds(q, c, (&mut kept, &mut passed));
            }
        }
        // Both outcomes occur: the bound decides for many names, not all.
        assert!(
            passed > 1000 && kept > 150,
            "{passed} passed over, {kept} kept"
        );
    }

    /// A person holding more distinct tokens than a query's cache of token reaches (64): the
    /// bounds then reach the candidate's tokens pair by pair through the comparison's cells.
    fn person_of_many_names() -> Prepared {
        const GIVEN: [&str; 12] = [
            "Ivan", "Olga", "Sergei", "Anna", "Dmitri", "Irina", "Pavel", "Elena", "Nikolai",
            "Tatiana", "Yuri", "Svetlana",
        ];
        const SURNAMES: [&str; 12] = [
            "Petrov",
            "Smirnova",
            "Kuznetsov",
            "Popova",
            "Sokolov",
            "Lebedeva",
            "Kozlov",
            "Novikova",
            "Morozov",
            "Volkova",
            "Solovyov",
            "Vasilieva",
        ];
        let mut e = Entity::new("many", Schema::Person);
        e.add(Property::Name, "Vladimir Vladimirovich Putin").ok();
        e.add(Property::Alias, "Путин Владимир").ok();
        e.add(Property::Alias, "Mohamed al-Husseini").ok();
        e.add(Property::WeakAlias, "Abu Ali").ok();
        let surnames = ["", "in", "enko", "ski"]
            .iter()
            .flat_map(|end| SURNAMES.iter().map(move |s| format!("{s}{end}")));
        for (given, surname) in GIVEN.iter().cycle().zip(surnames) {
            e.add(Property::Alias, &format!("{given} {surname}")).ok();
        }
        Prepared::from_entity(&e)
    }

    #[test]
    fn a_query_of_many_tokens_is_bounded_too() {
        let big = person_of_many_names();
        assert!(big.slots > 64, "{} distinct tokens", big.slots);
        let (mut passed, mut kept) = (0, 0);
        for c in &bound_fixtures() {
            assert_eq!(
                best_name(&big, c, f64::NEG_INFINITY).score,
                best_name_unbounded(&big, c)
            );
            tally_name_bounds(&big, c, (&mut kept, &mut passed));
        }
        // Both outcomes occur: the bound decides for many names, not all.
        assert!(
            passed > 1000 && kept > 20,
            "{passed} passed over, {kept} kept"
        );
    }

    #[test]
    fn number_words_become_numbers_in_longer_names() {
        let texts = |name: &str| -> Vec<String> {
            let form = NameForm::new(name, NameClass::Organization, false);
            let first = form
                .variants
                .first()
                .map(|v| v.toks.as_slice())
                .unwrap_or_default();
            first.iter().map(|t| t.text.to_string()).collect()
        };
        assert_eq!(texts("Fourty Four Holdings"), ["44", "holdings"]);
        assert_eq!(texts("Ninety Nine Seas"), ["99", "seas"]);
        assert_eq!(texts("Seven Seas"), ["7", "seas"]);
        assert_eq!(texts("Eleven Twenty"), ["11", "20"]);
        // A name that is nothing but a number word stays a word.
        assert_eq!(texts("Seven"), ["seven"]);
        assert_eq!(texts("Sevens Seas"), ["sevens", "seas"]);
    }

    #[test]
    fn common_lower_lowercases_its_ranges_as_unicode_does() {
        let mut checked = 0;
        for c in (0xC0..0xD800).filter_map(char::from_u32) {
            if let Some(l) = common_lower(c) {
                assert!(c.is_alphanumeric(), "{c:?}");
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), vec![l], "{c:?}");
                checked += 1;
            }
        }
        // Latin-1, Greek and Cyrillic letters, Arabic, CJK and Hangul: all of them.
        assert_eq!(checked, 62 + 49 + 96 + 42 + 20_992 + 11_172);
    }

    #[test]
    fn a_shared_phonetic_key_caps_the_cost_of_distant_spellings() {
        let tok = |w: &str| {
            Tok::from_token(Token {
                text: w.into(),
                class: TokenClass::Word,
            })
        };
        // Two edits and two letters apart, but the same phonetic key: one edit's cost.
        assert_eq!(word_cost(&tok("poetin"), &tok("putin")), Some((1.0, 6.0)));
        assert_eq!(
            word_cost(&tok("mohamed"), &tok("muhammad")),
            Some((1.2, 8.0))
        );
        assert_eq!(word_cost(&tok("juan"), &tok("john")), None);
    }

    /// The OSA distance by the full matrix, as textbooks write it: the reference for the
    /// banded, capped programme.
    fn textbook_osa(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        d[a.len()][b.len()]
    }

    #[test]
    fn osa_distance() {
        assert_eq!(osa("abc", "acb"), 1);
        assert_eq!(osa("", "abc"), 3);
        assert_eq!(osa("kitten", "sitting"), 3);
    }

    #[test]
    fn names_written_alike_align_without_comparing_every_token() {
        // The shortcut takes names of plain words, numbers and initials, each text once, and
        // leaves the rest to the full alignment.
        let first = |name: &str, class: NameClass| {
            NameForm::new(name, class, false).variants.swap_remove(0)
        };
        let ivan = first("Ivan Ivanovich Petrov", NameClass::Person);
        let pairs = spelled_alike(&ivan, &ivan.clone());
        assert_eq!(
            pairs.as_deref(),
            Some(&["ivanovich=ivanovich", "petrov=petrov", "ivan=ivan"].map(String::from)[..])
        );
        let mut shown = Vec::new();
        let score = align_score(&ivan, &ivan, &mut AlignBuf::default(), Some(&mut shown));
        assert_eq!(score, 1.0);
        assert_eq!(pairs, Some(shown));
        // A title aligns with nothing and weighs nothing: it is left out of the pairs.
        let titled = first("Mr John Smith", NameClass::Person);
        let pairs = spelled_alike(&titled, &titled.clone());
        assert_eq!(
            pairs.as_deref(),
            Some(&["smith=smith", "john=john"].map(String::from)[..])
        );
        let mut shown = Vec::new();
        align_score(&titled, &titled, &mut AlignBuf::default(), Some(&mut shown));
        assert_eq!(pairs, Some(shown));
        for (name, class) in [
            ("Ali Ali Hassan", NameClass::Person),
            ("Petrov LLC Trading Ltd", NameClass::Organization),
        ] {
            let v = first(name, class);
            assert_eq!(spelled_alike(&v, &v.clone()), None, "{name}");
        }
        let other = first("Ivan Ivanovich Petrova", NameClass::Person);
        assert_eq!(spelled_alike(&ivan, &other), None);
    }

    #[test]
    fn bounded_osa_is_exact_up_to_the_cap() {
        assert_eq!(osa_bounded("mohamed", "muhammad", 5), 3);
        assert_eq!(osa_bounded("vladimir", "johnson", 2), 3);
        assert_eq!(osa_bounded("", "aaa", 0), 1);
        assert_eq!(osa_bounded("путин", "пютин", 1), 1);
        let long = "a".repeat(STACK_WORD + 5);
        assert_eq!(osa(&long, "a"), STACK_WORD + 4);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn bounded_osa_and_letter_bound_agree_with_osa(a in "[a-f]{0,12}", b in "[a-fé]{0,12}", cap in 0usize..6) {
            let d = osa(&a, &b);
            prop_assert_eq!(d, textbook_osa(&a, &b));
            let bounded = osa_bounded(&a, &b, cap);
            let ok = if d <= cap { bounded == d } else { bounded == cap + 1 };
            prop_assert!(ok, "{} {} {}", d, bounded, cap);
            let (ma, mb) = (letter_mask(&a), letter_mask(&b));
            prop_assert!(((ma & !mb).count_ones().max((mb & !ma).count_ones()) as usize) <= d);
            prop_assert!(letters_within(ma, mb, d));
        }

        #[test]
        fn bounded_osa_of_long_text_is_osa_up_to_the_cap(
            a in "[a-d ]{0,90}|[a-z]{40,70}",
            b in "[a-d ]{0,90}|[a-z]{40,70}|[aé]{0,8}",
            cap in prop_oneof![0usize..12, Just(usize::MAX)],
        ) {
            let d = textbook_osa(&a, &b);
            let expected = if d <= cap { d } else { cap + 1 };
            prop_assert_eq!(osa_bounded(&a, &b, cap), expected);
            prop_assert_eq!(osa_bounded(&b, &a, cap), expected);
        }

        #[test]
        fn bit_parallel_osa_agrees_with_the_banded_programme(
            a in "[a-e]{0,70}|[a-z ]{0,20}|[aé]{0,6}",
            b in "[a-e]{0,70}|[a-z ]{0,20}|[aé]{0,6}",
            cap in 0usize..8,
        ) {
            let (x, y) = (a.as_bytes(), b.as_bytes());
            let banded = osa_dp_on_heap(x, y, cap);
            let fits = x.len() <= 64 && a.is_ascii();
            prop_assert_eq!(osa_bits(x, y, cap), fits.then_some(banded));
            if b.is_ascii() {
                prop_assert_eq!(osa_bits(x, y, usize::MAX), fits.then(|| textbook_osa(&a, &b)));
            }
        }

        #[test]
        fn names_have_one_key_exactly_when_they_fold_alike(
            a in "[aAbİßÀЁжΣς .,-]{0,90}|[\\u{b0}-\\u{4ff} ]{0,20}|\\PC{0,40}",
            b in "[aAbİßÀЁжΣς .,-]{0,90}|[\\u{b0}-\\u{4ff} ]{0,20}|\\PC{0,40}",
        ) {
            // The key's reference: the letters and digits lowercased one by one (no final
            // sigma), one space between words.
            let fold = |s: &str| {
                let words: Vec<String> = s
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                    .collect();
                (!words.is_empty()).then(|| words.join(" "))
            };
            prop_assert_eq!(folded_key(&a).is_some(), fold(&a).is_some());
            prop_assert_eq!(folded_key(&a) == folded_key(&b), fold(&a) == fold(&b));
            // Spelt alike apart from case and punctuation, at any length (the key hashes a
            // buffer at a time).
            let spelt = a.to_uppercase().replace(' ', " ,");
            prop_assert_eq!(folded_key(&spelt) == folded_key(&a), fold(&spelt) == fold(&a));
        }

        #[test]
        fn letters_within_counts_the_letters_either_set_lacks(
            a in any::<u64>().prop_map(|m| m & m.rotate_left(7)),
            b in any::<u64>().prop_map(|m| m & m.rotate_left(13)),
            cap in prop_oneof![0usize..6, 60usize..70, Just(usize::MAX)],
        ) {
            let counted = (a & !b).count_ones().max((b & !a).count_ones()) as usize;
            prop_assert_eq!(letters_within(a, b, cap), counted <= cap);
            prop_assert!(letters_within(a, a, cap));
        }

        #[test]
        fn a_spelling_taken_from_a_name_written_alike_is_the_one_it_would_get(
            words in proptest::collection::vec("(ted|mor|gan|llc|ooo|no|5|a|mr)", 1..5),
            marks in proptest::collection::vec("[ .,'\\-]{1,2}", 4),
            upper in proptest::collection::vec(any::<bool>(), 5),
            other in "\\PC{0,12}",
        ) {
            // Two writings of the same words: cases and the marks between them differ.
            let write = |offset: usize| {
                words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| {
                        let w = if upper[(i + offset) % upper.len()] { w.to_uppercase() } else { w.to_string() };
                        format!("{w}{}", marks[(i + offset) % marks.len()])
                    })
                    .collect::<String>()
            };
            for (a, b) in [(write(0), write(1)), (write(0), other.clone()), (other.clone(), other.clone())] {
                for class in [NameClass::Person, NameClass::Organization, NameClass::Vessel, NameClass::Any] {
                    let (from, to) = (pair_name(&a), pair_name(&b));
                    let Some(spelled) = from.spelled(class) else { continue };
                    to.spell_like((&from, spelled), class);
                    let Some(taken) = to.spelled.get() else { continue };
                    // Taken only for names analysed alike, and then what spelling it gives.
                    let own = pair_name(&b).spell(class);
                    prop_assert!(own.is_some(), "{a:?} {b:?} {class:?}");
                    if let Some(own) = own {
                        prop_assert_eq!(&taken.variant.toks, &own.variant.toks);
                        prop_assert_eq!(taken.variant.strict, own.variant.strict);
                        prop_assert_eq!(taken.variant.lossy, own.variant.lossy);
                        prop_assert_eq!(taken.orgish, own.orgish);
                    }
                }
            }
        }

        #[test]
        fn renderings_spelled_alike_align_as_align_score_aligns_them(
            toks in proptest::collection::vec(
                (
                    prop_oneof![
                        "(iv|ya|al|ab)(an|ov|in)?(a|ov)?",
                        "[a-c]{1,3}",
                        "[0-9]{1,3}",
                        Just("abd".to_string()),
                    ],
                    0usize..10,
                ),
                1..6,
            ),
            other in proptest::option::of((0usize..6, "[a-c]{1,2}")),
            strict in any::<bool>(),
            lossy in 0usize..3,
        ) {
            // Tokens of every class, texts drawn so that words are near each other, repeat, or
            // share phonetic keys and skeletons; the other side the same tokens or one changed.
            const CLASSES: [TokenClass; 10] = [
                TokenClass::Word, TokenClass::Word, TokenClass::Patronymic, TokenClass::Generic,
                TokenClass::Initial, TokenClass::Number,
                TokenClass::LegalForm(dualtrace_names::LegalForm::Llc),
                TokenClass::LegalForm(dualtrace_names::LegalForm::Jsc), TokenClass::Honorific,
                TokenClass::VesselPrefix,
            ];
            let lossy = [Lossy::No, Lossy::Transcribed, Lossy::Abjad][lossy];
            let tok = |text: &str, class: usize| {
                let class = CLASSES[class];
                let text = match class {
                    TokenClass::Initial => text.chars().take(1).collect(),
                    _ => text.to_string(),
                };
                Tok::from_token(Token { text: text.into(), class })
            };
            let variant = |toks: Vec<Tok>| Variant {
                joined: toks.iter().filter(|t| t.is_core()).map(|t| t.text.as_str()).collect(),
                joined_mask: 0,
                toks,
                strict,
                lossy,
            };
            let q: Vec<Tok> = toks.iter().map(|(t, k)| tok(t, *k)).collect();
            let mut c = q.clone();
            if let Some((at, text)) = &other
                && let Some(t) = c.get_mut(*at)
            {
                *t = tok(text, 0);
            }
            let (q, c) = (variant(q), variant(c));
            let (q, c) = (
                Variant { joined_mask: letter_mask(&q.joined), ..q },
                Variant { joined_mask: letter_mask(&c.joined), ..c },
            );
            if let Some(pairs) = spelled_alike(&q, &c) {
                let mut shown = Vec::new();
                let score = align_score(&q, &c, &mut AlignBuf::default(), Some(&mut shown));
                prop_assert_eq!(score, 1.0);
                prop_assert_eq!(pairs, shown);
            }
        }

        #[test]
        fn a_persons_name_holds_no_legal_form_in_any_rendering(
            name in "((ООО|ЗАО|ПАО|ТОО|ИП|АО|LLC|Ltd|GmbH|Inc|Ромашка|Иванов|Smith|有限公司) ){1,4}"
        ) {
            // What the pair records' spelling shortcut relies on for names in other scripts
            // ([`PairName::spelled`]): the first rendering of a person's name tells its legal
            // forms (none) as all of them do.
            prop_assert!(!NameForm::new(&name, NameClass::Person, false).orgish);
            let company = NameForm::new(&format!("ООО {name}"), NameClass::Organization, false);
            prop_assert!(company.orgish);
        }

        #[test]
        fn searched_and_mapped_token_numbers_agree(
            names in proptest::collection::vec(
                ("[ab]{1,2}( [ab]{1,2}){0,4}|Сергей [ab]{1,3}", 0usize..2),
                1..6,
            ),
        ) {
            // Names with tokens of one text in two classes (a legal form and a word) and
            // repeated tokens, under the two numberings.
            let class = [NameClass::Person, NameClass::Organization];
            let mut forms: Vec<NameForm> = names
                .iter()
                .map(|(n, k)| NameForm::new(&n.replace("b", "ab ltd"), class[*k], false))
                .collect();
            let tokens = forms.iter().flat_map(|n| &n.variants).map(|v| v.toks.len()).sum();
            let slots = |forms: &[NameForm]| -> Vec<u16> {
                forms.iter().flat_map(|n| &n.variants).flat_map(|v| &v.toks).map(|t| t.slot).collect()
            };
            let searched = number_tokens_searched(&mut forms, tokens);
            let by_search = slots(&forms);
            prop_assert_eq!(number_tokens_mapped(&mut forms, tokens), searched);
            prop_assert_eq!(slots(&forms), by_search);
        }

        #[test]
        fn a_pair_record_reads_what_the_entity_gives(
            values in proptest::collection::vec(
                (0usize..9, prop_oneof![
                    "[A-Za-z ]{1,12}".prop_map(String::from),
                    Just("1961-02-29".to_string()),
                    Just("1975-07".to_string()),
                    Just("F".to_string()),
                    Just("male".to_string()),
                ]),
                0..12,
            ),
        ) {
            // Properties added in any order; the record takes the names, birth dates and
            // gender in one pass over them, and must read them as the entity's accessors do.
            const PROPS: [Property; 9] = [
                Property::Name, Property::Alias, Property::WeakAlias, Property::PreviousName,
                Property::BirthDate, Property::Gender, Property::LastName, Property::Country,
                Property::PassportNumber,
            ];
            let mut e = Entity::new("t", Schema::Person);
            for (p, v) in &values {
                e.add(PROPS[*p], v).ok();
            }
            let record = PairRecord::new(&e);
            let read: Vec<(&str, bool)> = record.names.iter().map(|n| (n.text, n.weak)).collect();
            let given: Vec<(&str, bool)> = e
                .names()
                .map(|(kind, text)| (text, kind == NameKind::Weak))
                .collect();
            prop_assert_eq!(read, given);
            prop_assert_eq!(&record.facts.birth, &e.birth_dates().collect::<Vec<_>>());
            prop_assert_eq!(
                &record.facts.gender,
                &e.first(Property::Gender).and_then(canonical_gender)
            );
        }

        #[test]
        fn arbitrary_names_never_panic(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            let r = score_pair(&person(&a), &entity(Schema::LegalEntity, &b));
            prop_assert!((0.0..=1.0).contains(&r.score));
        }
    }
}
