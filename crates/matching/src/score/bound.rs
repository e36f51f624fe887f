//! An upper bound on a rendering comparison, so that screening skips the comparisons that
//! cannot change its answer.
//!
//! A screening scores about a hundred candidates per query, each against every pair of names
//! and Latin renderings, but reports only those reaching the alert threshold: most comparisons
//! decide nothing. A rendering score (see [`super`]) is
//! `1 - (edits + extra) / (aligned + extra - 1)`, which falls as `extra` (the weight of
//! unmatched tokens) grows and rises with `aligned` (the aligned length). Both are bounded from the token pairs alone, before any
//! alignment: a token with no alignable partner on the other side is unmatched in every
//! alignment, and an aligned token adds at most its longest alignable pair. With no edits,
//! those bounds give a score no alignment can beat; the joined-spelling fallback is computed
//! exactly, and the factors for numbers and skeletons only lower a score.
//!
//! [`super::best_name_with`] skips a pair of renderings whose bound cannot beat the best pair
//! so far, nor the floor a screening sets (the threshold less what the qualifiers other than
//! the schema add, judged before the names): a candidate none of whose pairs reaches the
//! floor is dropped without any alignment or explanation. The bound skips work and never
//! changes a result; the tests compare pruned and exhaustive scoring on the real lists, and
//! bounded against unbounded best names here.
//!
//! Before any name of a candidate is bounded, the whole candidate is ([`Reach::may_beat`]):
//! each query rendering against the pool of the candidate's tokens (those of the names
//! compared under the same flags), the candidate side at its most favourable, then the joined
//! spellings pair by pair. Four candidates in five stop
//! there (on the allied index, 2.14 of 2.70 million in the latency example), sparing the
//! per-name and per-rendering work.
//!
//! The bound runs for every candidate of every query, so what it costs is mostly memory: it
//! reads a record's [`Sketch`] (the distinct tokens once, per name and rendering only slot
//! numbers and weights), each token pair is first tested on 48-byte [`TokKey`]s that reject
//! most pairs without reading the tokens, and the pairs of one candidate are compared once
//! for all its names (a record's names share tokens).

use super::shared::{PLANES, QueryReach, TokenNumbering, next_serial};
use super::{
    JOINED_FACTOR, Lossy, NameForm, Tok, TokenClass, Variant, WEAK_FACTOR, allowed_edits,
    joined_within, letter_mask, letters_within, pair_cost, unmatched_share,
};
use std::ops::Range;

/// What the pruning bound reads of a record's names, in a few arrays side by side in memory.
///
/// Screening bounds about a hundred candidates per query and rejects nearly all of them, so
/// the bound's cost was the first touch of each candidate's data: names, renderings, tokens
/// and their strings, each behind its own pointer (the profile's hot instructions were those
/// loads). A sketch keeps each distinct token of the record once, by slot, and per name and
/// rendering only numbers: the slots of the name's distinct tokens, and per rendering token
/// its slot, unmatched weight and whether it is a title. A rendering is read in full only when
/// its bound lets it through.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sketch {
    /// The record's distinct tokens, by slot ([`super::assign_slots`]).
    toks: Box<[Tok]>,
    /// What tells cheaply that two tokens cannot align, by slot ([`TokKey`]).
    keys: Box<[TokKey]>,
    /// One entry per name, in the record's order.
    names: Box<[NameSketch]>,
    /// The slots of each name's distinct tokens, name after name.
    slots: Box<[u16]>,
    /// One entry per rendering, name after name.
    variants: Box<[VariantSketch]>,
    /// The slots of each rendering's tokens, rendering after rendering (two bytes a token:
    /// what a token weighs unmatched and whether it is a title are read by slot, from
    /// [`Sketch::weights`], so the bound reads less of a candidate it rejects).
    sides: Box<[u16]>,
    /// What [`side`] reads of each distinct token, by slot.
    weights: Box<[SlotWeight]>,
    /// Whether some token is a title ([`Reach::may_beat`] reads this, not the weights).
    titled: bool,
    /// Unique to this sketch (and its clones): tells one query's cached reaches from
    /// another's ([`super::shared`]).
    serial: u64,
    /// The serial of the numbering of [`Sketch::ids`] (0 when not numbered).
    numbering: u64,
    /// The numbers of the distinct tokens, by slot, when an index numbered them
    /// ([`Sketch::number`]); empty otherwise.
    ids: Box<[u32]>,
}

/// A name in a [`Sketch`]: how it compares, and where its slots and renderings are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameSketch {
    /// Whether the name is a weak alias ([`NameForm::weak`]).
    pub(super) weak: bool,
    /// The name's [`NameForm::strict`].
    pub(super) strict: bool,
    /// The name's [`NameForm::lossy`].
    pub(super) lossy: Lossy,
    /// Whether every token of the name has a slot: without, no bound for the name.
    bounded: bool,
    /// Its distinct slots, as a range of [`Sketch::slots`].
    slots: (u32, u32),
    /// Its renderings, as a range of [`Sketch::variants`].
    variants: (u32, u32),
}

/// A rendering in a [`Sketch`]: its tokens, and what decides whether its joined spelling may
/// be compared ([`joined_score`](super::joined_score)).
#[derive(Debug, Clone, Copy)]
pub(crate) struct VariantSketch {
    /// Its tokens, as a range of [`Sketch::sides`].
    toks: (u32, u32),
    /// Length in bytes of [`Variant::joined`].
    joined_len: u32,
    /// [`Variant::joined_mask`].
    joined_mask: u64,
    /// How many core tokens it holds.
    core: u32,
}

/// What [`side`] reads of a token: its unmatched weight and whether it is a title.
#[derive(Debug, Clone, Copy)]
struct SlotWeight {
    /// [`Tok::unmatched_weight`].
    weight: f64,
    /// Whether it is a title.
    titled: bool,
}

impl SlotWeight {
    fn of(t: &Tok) -> SlotWeight {
        SlotWeight {
            weight: t.unmatched_weight(),
            titled: t.class == TokenClass::Honorific,
        }
    }
}

/// Converts an arena position (bounded by the record's size) to a range end.
fn end(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// The part of an arena within a range (empty if the range is not in it).
fn part<T>(arena: &[T], (from, to): (u32, u32)) -> &[T] {
    arena.get(from as usize..to as usize).unwrap_or_default()
}

/// How many core tokens a rendering holds.
fn core_count(v: &Variant) -> usize {
    v.toks.iter().filter(|t| t.is_core()).count()
}

impl Sketch {
    /// The sketch of a record's names, once their tokens have slots (`distinct` of them,
    /// [`super::number_tokens`]).
    pub(crate) fn of(names: &[NameForm], distinct: usize) -> Sketch {
        // Sized first (every distinct token, token occurrence and rendering at most once):
        // grown as they came, these were reallocated again and again for a record of many
        // names, and the distinct tokens exactly, so that they are not copied again to be
        // boxed.
        let renderings = || names.iter().flat_map(|n| n.variants.iter());
        let occurrences = renderings().map(|v| v.toks.len()).sum();
        let mut toks: Vec<Tok> = Vec::with_capacity(distinct.min(usize::from(u16::MAX)));
        let mut sketches = Vec::with_capacity(names.len());
        let mut slots: Vec<u16> = Vec::with_capacity(occurrences);
        let mut variants = Vec::with_capacity(renderings().count());
        let mut sides = Vec::with_capacity(occurrences);
        for name in names {
            let (slots_from, variants_from) = (slots.len(), variants.len());
            let mut bounded = true;
            for v in &name.variants {
                let toks_from = sides.len();
                for t in &v.toks {
                    let at = usize::from(t.slot);
                    if at == toks.len() && t.slot != u16::MAX {
                        toks.push(t.clone());
                    }
                    if at >= toks.len() {
                        bounded = false;
                    } else if !slots[slots_from..].contains(&t.slot) {
                        slots.push(t.slot);
                    }
                    sides.push(t.slot);
                }
                variants.push(VariantSketch {
                    toks: (end(toks_from), end(sides.len())),
                    joined_len: end(v.joined.len()),
                    joined_mask: v.joined_mask,
                    core: end(core_count(v)),
                });
            }
            if !bounded {
                slots.truncate(slots_from);
            }
            sketches.push(NameSketch {
                weak: name.weak,
                strict: name.strict,
                lossy: name.lossy,
                bounded: bounded && slots.len() > slots_from,
                slots: (end(slots_from), end(slots.len())),
                variants: (end(variants_from), end(variants.len())),
            });
        }
        let weights: Box<[SlotWeight]> = toks.iter().map(SlotWeight::of).collect();
        Sketch {
            keys: toks.iter().map(TokKey::of).collect(),
            titled: weights.iter().any(|w| w.titled),
            weights,
            toks: toks.into(),
            names: sketches.into(),
            slots: slots.into(),
            variants: variants.into(),
            sides: sides.into(),
            serial: next_serial(),
            numbering: 0,
            ids: Box::default(),
        }
    }

    /// Numbers the distinct tokens with an index's numbering, so that screening compares each
    /// distinct token of its candidates with the query once ([`super::shared`]). Left
    /// unnumbered if the numbers run out.
    pub(crate) fn number(&mut self, numbering: &mut TokenNumbering) {
        let ids: Option<Box<[u32]>> = self.toks.iter().map(|t| numbering.number(t)).collect();
        if let Some(ids) = ids {
            self.ids = ids;
            self.numbering = numbering.serial();
        }
    }

    /// Reads one value from every cache line the whole-candidate bound ([`Reach::may_beat`])
    /// will read of this sketch, and returns a meaningless sum of them: see [`crate::index`]'s
    /// load-ahead, which calls this for all of a query's candidates before scoring any, so
    /// that their memory loads overlap. What only the bounds of single names read (slots,
    /// rendering tokens, weights) is left out: four candidates in five stop before them.
    pub(crate) fn touch(&self) -> u64 {
        // One value per name (20 bytes: every third), key (48 bytes), token (112 bytes: its
        // mask, class and text are read first) and rendering (24 bytes); one per 64-byte line
        // of numbers (4 bytes each).
        let mut sum = self
            .names
            .iter()
            .step_by(3)
            .fold(0, |s, n| s ^ u64::from(n.slots.0));
        // Numbered tokens are read from the query's cache, their keys when the query meets
        // them first (half of a query's candidate tokens), their texts more rarely.
        sum = self.keys.iter().fold(sum, |s, k| s ^ k.mask);
        if self.ids.is_empty() {
            sum = self.toks.iter().fold(sum, |s, t| s ^ t.mask);
        } else {
            sum = self
                .ids
                .iter()
                .step_by(16)
                .fold(sum, |s, x| s ^ u64::from(*x));
        }
        self.variants.iter().fold(sum, |s, v| s ^ u64::from(v.core))
    }

    /// The names, in the record's order.
    pub(super) fn names(&self) -> &[NameSketch] {
        &self.names
    }

    /// The renderings of a name, in its order.
    pub(super) fn variants(&self, name: &NameSketch) -> &[VariantSketch] {
        part(&self.variants, name.variants)
    }
}

/// What tells cheaply that two tokens cannot align, for [`may_align`]: the few facts of a
/// [`Tok`] that [`pair_cost`] rejects most pairs on, in 48 bytes instead of 112, so that the
/// bound reads a candidate's tokens in full only for the pairs that may align.
#[derive(Debug, Clone, Copy)]
struct TokKey {
    /// [`Tok::mask`].
    mask: u64,
    /// A hash of [`Tok::key`], 0 when the key is shorter than two letters (no phonetic match).
    key: u32,
    /// [`Tok::chars`] ([`u32::MAX`] when longer: no prefilter then).
    chars: u32,
    /// The token's class as [`super::spelled_cost`] tells them apart (one of [`SPELLED`],
    /// [`MUTE`], [`LEGAL`], [`NUMBER`], [`INITIAL`]) with [`GIVEN`], [`WILD`] and [`SKEL`]:
    /// one byte, so that [`may_align`] tells a pair's classes apart with a few bit tests.
    bits: u8,
    /// Length in bytes of [`Tok::skel`] (0: no skeleton, [`super::skeleton_cost`] never
    /// aligns it).
    skel_len: u32,
    /// A hash of [`Tok::skel`]: equal skeletons, for a transcribed script.
    skel_hash: u32,
    /// The characters of [`Tok::skel`] ([`Tok::mask`]'s way): skeletons one edit apart.
    skel_mask: u64,
    /// A hash of the token's consonants as an abjad writes them
    /// ([`dualtrace_names::consonants`]), 0 with fewer than two: equal for an abjad.
    consonants: u32,
    /// The low 16 bits of the first character: an initial aligns only with a word of its
    /// letter. (In the struct's padding: the key stays 40 bytes.)
    first: u16,
}

/// [`TokKey::bits`]: words, generic words and patronymics, compared letter by letter.
const SPELLED: u8 = 1;
/// [`TokKey::bits`]: titles and vessel prefixes, never aligned.
const MUTE: u8 = 1 << 1;
/// [`TokKey::bits`]: legal forms, aligned with the same legal form only.
const LEGAL: u8 = 1 << 2;
/// [`TokKey::bits`]: numbers, aligned with the same number only.
const NUMBER: u8 = 1 << 3;
/// [`TokKey::bits`]: initials, aligned with initials and words of their letter.
const INITIAL: u8 = 1 << 4;
/// [`TokKey::bits`]: the token has given-name groups ([`super::familiar_cost`] may align it).
const GIVEN: u8 = 1 << 5;
/// [`TokKey::bits`]: the token is too long for [`TokKey::chars`] (no prefilter then).
const WILD: u8 = 1 << 6;
/// [`TokKey::bits`]: the token has a skeleton ([`TokKey::skel_len`] > 0).
const SKEL: u8 = 1 << 7;

impl TokKey {
    fn of(t: &Tok) -> TokKey {
        let class = match t.class {
            TokenClass::Word | TokenClass::Generic | TokenClass::Patronymic => SPELLED,
            TokenClass::Honorific | TokenClass::VesselPrefix => MUTE,
            TokenClass::LegalForm(_) => LEGAL,
            TokenClass::Number => NUMBER,
            TokenClass::Initial => INITIAL,
        };
        let chars = u32::try_from(t.chars).unwrap_or(u32::MAX);
        let skel_len = u32::try_from(t.skel.len()).unwrap_or(u32::MAX);
        let flag = |on: bool, bit: u8| if on { bit } else { 0 };
        TokKey {
            mask: t.mask,
            key: if t.key.len() >= 2 {
                key_hash(&t.key)
            } else {
                0
            },
            chars,
            bits: class
                | flag(!t.given.is_empty(), GIVEN)
                | flag(chars == u32::MAX, WILD)
                | flag(skel_len > 0, SKEL),
            skel_len,
            skel_hash: key_hash(&t.skel),
            skel_mask: letter_mask(&t.skel),
            consonants: consonant_hash(&t.text),
            first: t.text.chars().next().map_or(0, |c| u32::from(c) as u16),
        }
    }
}

/// FNV-1a of a text, never 0 (equal texts, equal hashes).
fn key_hash(key: &str) -> u32 {
    hash_chars(key.chars())
}

/// FNV-1a of a sequence of characters, never 0.
fn hash_chars(chars: impl Iterator<Item = char>) -> u32 {
    let hash = chars.fold(0x811c_9dc5_u32, |h, c| {
        (h ^ u32::from(c)).wrapping_mul(0x0100_0193)
    });
    hash | 1
}

/// [`hash_chars`] of a word's consonants as an abjad writes them, 0 with fewer than two (an
/// abjad skeleton of one consonant never aligns).
fn consonant_hash(text: &str) -> u32 {
    if dualtrace_names::consonants(text).nth(1).is_none() {
        return 0;
    }
    hash_chars(dualtrace_names::consonants(text))
}

/// Whether [`pair_cost`] may align two tokens: `false` only when it certainly does not. Each
/// test mirrors one way of aligning (skeletons, familiar given names, then the spelled
/// comparison in [`super::spelled_cost`]'s order); the unit tests check on many token pairs
/// that no pair the full comparison aligns is rejected.
#[inline(always)]
fn may_align(q: &TokKey, c: &TokKey, (strict, lossy): Flags) -> bool {
    let (any, both) = (q.bits | c.bits, q.bits & c.bits);
    // Two plain words (the most common pair by far): only the spelling test below applies.
    if any == SPELLED && !strict {
        return may_spell_alike(q, c);
    }
    if both & SKEL != 0 && may_share_skeleton(q, c, lossy) {
        return true;
    }
    if both & GIVEN != 0 || any & WILD != 0 {
        return true;
    }
    if any & MUTE != 0 {
        return false;
    }
    // The class bits are exclusive: a shared one is the same class on both sides.
    if both & (LEGAL | NUMBER) != 0 {
        return true;
    }
    if any & (LEGAL | NUMBER) != 0 {
        return false;
    }
    if any & INITIAL != 0 {
        return q.first == c.first;
    }
    // Syllabic names align equal words only.
    if strict {
        q.mask == c.mask && q.chars == c.chars
    } else {
        may_spell_alike(q, c)
    }
}

/// [`super::skeleton_cost`]'s conditions for two tokens with skeletons: for an abjad, the
/// same consonants (two at least); for a transcribed script, equal skeletons of three letters
/// or more, or skeletons of four or more one edit apart (lengths within one, at most one
/// letter on either side the other lacks).
#[inline(always)]
fn may_share_skeleton(q: &TokKey, c: &TokKey, lossy: Lossy) -> bool {
    match lossy {
        Lossy::No => false,
        Lossy::Abjad => q.consonants != 0 && q.consonants == c.consonants,
        Lossy::Transcribed => {
            let short = q.skel_len.min(c.skel_len);
            (q.skel_hash == c.skel_hash && short >= 3)
                || (short >= 4
                    && q.skel_len.abs_diff(c.skel_len) <= 1
                    && letters_within(q.skel_mask, c.skel_mask, 1))
        }
    }
}

/// [`super::word_cost`]'s rejections: without a shared phonetic key, a length difference or
/// a letter-set difference beyond the edits allowed (at least one).
#[inline(always)]
fn may_spell_alike(q: &TokKey, c: &TokKey) -> bool {
    if q.key != 0 && q.key == c.key {
        return true;
    }
    let cap = allowed_edits(q.chars.max(c.chars) as usize).max(1);
    q.chars.abs_diff(c.chars) as usize <= cap && letters_within(q.mask, c.mask, cap)
}

/// What all the tokens of a query hold together, so that one test tells that a candidate
/// token aligns with none of them ([`KeyPool::may_align`]) before it is compared with each.
///
/// Nine in ten of a candidate's tokens align with no query token, and the query's cache
/// ([`super::shared`]) compares each new one with every query token of the name, at a few
/// dozen instructions a pair: the pool rejects nearly half of them in one test (on the
/// benchmark's UN screening), a word whose letters the query's words lack, whose length none
/// of them is near, and whose phonetic key and skeleton none shares.
#[derive(Debug, Clone, Copy, Default)]
struct KeyPool {
    /// The [`TokKey::bits`] of all the query's tokens.
    bits: u8,
    /// The letters of the query's spelled tokens ([`letter_mask`]), together.
    mask: u64,
    /// The shortest and longest of the query's spelled tokens, in characters.
    chars: (u32, u32),
    /// The phonetic keys of the query's spelled tokens, one bit per key hash modulo 64.
    keys: u64,
    /// The abjad consonants of the query's tokens with skeletons ([`TokKey::consonants`]),
    /// one bit per hash modulo 64.
    consonants: u64,
    /// The skeletons of three letters or more ([`TokKey::skel_hash`]), one bit per hash
    /// modulo 64.
    skeletons: u64,
    /// The letters of the skeletons of four letters or more, together, and their shortest and
    /// longest length.
    skel_mask: u64,
    skel_len: (u32, u32),
}

impl KeyPool {
    /// The pool of a query's tokens (its sketch's keys).
    fn of(keys: &[TokKey]) -> KeyPool {
        let mut pool = KeyPool {
            chars: (u32::MAX, 0),
            skel_len: (u32::MAX, 0),
            ..KeyPool::default()
        };
        for k in keys {
            pool.bits |= k.bits;
            if k.bits & SKEL != 0 {
                if k.consonants != 0 {
                    pool.consonants |= 1 << (k.consonants % 64);
                }
                if k.skel_len >= 3 {
                    pool.skeletons |= 1 << (k.skel_hash % 64);
                }
                if k.skel_len >= 4 {
                    pool.skel_mask |= k.skel_mask;
                    pool.skel_len = (
                        pool.skel_len.0.min(k.skel_len),
                        pool.skel_len.1.max(k.skel_len),
                    );
                }
            }
            if k.bits & SPELLED != 0 {
                pool.mask |= k.mask;
                pool.chars = (pool.chars.0.min(k.chars), pool.chars.1.max(k.chars));
                if k.key != 0 {
                    pool.keys |= 1 << (k.key % 64);
                }
            }
        }
        pool
    }

    /// Whether [`may_align`] may hold for a candidate token and some query token: `false`
    /// only when it holds for none. Each test is implied by one of `may_align`'s ways of
    /// aligning, taken over the pool.
    #[inline(always)]
    fn may_align(&self, c: &TokKey, (strict, lossy): Flags) -> bool {
        let (any, both) = (self.bits | c.bits, self.bits & c.bits);
        if both & SKEL != 0 && self.may_share_skeleton(c, lossy) {
            return true;
        }
        // Familiar given names and tokens too long for a key: not pooled.
        if both & GIVEN != 0 || any & WILD != 0 {
            return true;
        }
        if c.bits & MUTE != 0 {
            return false;
        }
        // A legal form or number aligns with the same class only; an initial with initials
        // and words; a word with initials, or with words as below.
        if c.bits & (LEGAL | NUMBER) != 0 {
            return both & (LEGAL | NUMBER) != 0;
        }
        if c.bits & INITIAL != 0 {
            return self.bits & (INITIAL | SPELLED) != 0;
        }
        if self.bits & INITIAL != 0 {
            return true;
        }
        if self.bits & SPELLED == 0 {
            return false;
        }
        let (shortest, longest) = self.chars;
        if strict {
            // Equal words: equal letters and lengths.
            return c.mask & !self.mask == 0 && (shortest..=longest).contains(&c.chars);
        }
        if c.key != 0 && self.keys & (1 << (c.key % 64)) != 0 {
            return true;
        }
        // [`may_spell_alike`]'s caps grow with the longer word: the longest query word's is
        // the most any pair allows.
        let cap = allowed_edits(longest.max(c.chars) as usize).max(1);
        c.chars.saturating_add(cap as u32) >= shortest
            && c.chars <= longest.saturating_add(cap as u32)
            && letters_within(c.mask & !self.mask, 0, cap)
    }

    /// [`may_share_skeleton`] over the pool.
    #[inline(always)]
    fn may_share_skeleton(&self, c: &TokKey, lossy: Lossy) -> bool {
        match lossy {
            Lossy::No => false,
            Lossy::Abjad => c.consonants != 0 && self.consonants & (1 << (c.consonants % 64)) != 0,
            Lossy::Transcribed => {
                let (shortest, longest) = self.skel_len;
                (c.skel_len >= 3 && self.skeletons & (1 << (c.skel_hash % 64)) != 0)
                    || (c.skel_len >= 4
                        && c.skel_len.saturating_add(1) >= shortest
                        && c.skel_len <= longest.saturating_add(1)
                        && letters_within(c.skel_mask & !self.skel_mask, 0, 1))
            }
        }
    }
}

/// Whether a distinct token (by slot) may align with some token on the other side, and the
/// longest aligned length of such a pair.
type Slot = (bool, f64);

/// A token pair's longest aligned length ([`pair_cost`]), if the pair may align, as computed
/// for the comparison stamped `stamp`.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    stamp: u32,
    longest: Option<f64>,
}

/// The reach of the distinct tokens of two names, one entry per slot of each record, and the
/// token pairs of the two records already compared.
#[derive(Debug, Default)]
pub(super) struct Reach {
    q: Vec<Slot>,
    c: Vec<Slot>,
    /// Bounds of the candidate name's renderings, in variant order.
    c_sides: Vec<Side>,
    /// Per flag combination, query slot and candidate slot: the pair's reach, computed once
    /// per comparison (the names of a record share tokens: a third fewer pair costs).
    cells: Vec<Cell>,
    /// Tells this comparison's cells from older ones, so that starting one clears nothing.
    stamp: u32,
    /// Query slots of this comparison.
    rows: usize,
    /// Candidate slots of this comparison.
    width: usize,
    /// The reaches of numbered candidate tokens, kept for the whole query; of an unnumbered
    /// candidate's tokens (by slot), for this comparison.
    shared: QueryReach,
    /// Whether this comparison reads [`Reach::shared`] (a query of at most 64 distinct
    /// tokens).
    sharing: bool,
    /// Whether the candidate's tokens are numbered ([`Sketch::number`]): else they are known
    /// to [`Reach::shared`] by slot.
    numbered: bool,
    /// Per query name, its distinct slots as bits (when sharing).
    name_bits: Vec<u64>,
    /// Per candidate slot, the last answer of [`Reach::shared`] in this comparison: a
    /// record's names share tokens, and asking the query's cache again for each name was a
    /// third of its lookups.
    asked: Vec<Asked>,
    /// The slots 0, 1, 2, ... of a candidate's tokens, for [`Reach::may_beat`].
    all_slots: Vec<u16>,
    /// What the query's tokens hold together (when sharing).
    pool: KeyPool,
}

/// An answer of [`QueryReach::reached`] for one candidate slot ([`Reach::asked`]).
#[derive(Debug, Clone, Copy, Default)]
struct Asked {
    /// The comparison ([`Reach::stamp`]) it was given in, 0 for none.
    stamp: u32,
    /// The flag plane and query slots it was asked for.
    plane: usize,
    wanted: u64,
    /// The query slots reached, and where their lengths are.
    bits: u64,
    from: usize,
}

/// One rendering's bounds: the weight its tokens without partner leave unmatched (a lower
/// bound), the most it can align (an upper bound), and whether it carries a title.
#[derive(Debug, Clone, Copy)]
pub(super) struct Side {
    unmatched: f64,
    aligned: f64,
    titled: bool,
}

impl Reach {
    /// Starts a comparison of two records.
    pub(super) fn begin(&mut self, q: &Sketch, c: &Sketch) {
        let (nq, nc) = (q.toks.len(), c.toks.len());
        if self.q.len() < nq {
            self.q.resize(nq, (false, 0.0));
        }
        if self.c.len() < nc {
            self.c.resize(nc, (false, 0.0));
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.cells.fill(Cell::default());
            self.asked.fill(Asked::default());
            self.stamp = 1;
        }
        if self.asked.len() < nc {
            self.asked.resize(nc, Asked::default());
        }
        self.rows = nq;
        self.width = nc;
        let cells = PLANES * nq * nc;
        if self.cells.len() < cells {
            self.cells.resize(cells, Cell::default());
        }
        self.numbered = c.numbering != 0 && c.ids.len() == nc;
        self.sharing = nq <= 64;
        // An unnumbered candidate's tokens are numbered by slot, for this comparison only (a
        // sketch's serial is unique, as a numbering's is).
        let owner = if self.numbered { c.numbering } else { c.serial };
        if self.sharing && self.shared.enter(q.serial, owner, nq) {
            self.pool = KeyPool::of(&q.keys);
            self.name_bits.clear();
            self.name_bits.extend(q.names.iter().map(|n| {
                part(&q.slots, n.slots).iter().fold(0u64, |bits, a| {
                    bits | 1u64.checked_shl(u32::from(*a)).unwrap_or(0)
                })
            }));
        }
    }

    /// The longest aligned length of two tokens (by slot), if they may align.
    fn longest(
        &mut self,
        (q, a): (&Sketch, u16),
        (c, b): (&Sketch, u16),
        flags: Flags,
    ) -> Option<f64> {
        let at = (plane(flags) * self.rows + usize::from(a)) * self.width + usize::from(b);
        let stamp = self.stamp;
        match self.cells.get_mut(at) {
            Some(cell) if cell.stamp == stamp => cell.longest,
            Some(cell) => {
                let longest = token_reach((q, a), (c, b), flags);
                *cell = Cell { stamp, longest };
                longest
            }
            None => token_reach((q, a), (c, b), flags),
        }
    }

    /// Computes which distinct tokens of two names (by position in their sketches) may align
    /// and the candidate renderings' bounds. Returns `false` when a name has unnumbered tokens
    /// ([`super::assign_slots`]): no bound then.
    pub(super) fn fill(
        &mut self,
        (q, qi): (&Sketch, usize),
        (c, ci): (&Sketch, usize),
        flags: Flags,
    ) -> bool {
        self.c_sides.clear();
        let (Some(qn), Some(cn)) = (q.names.get(qi), c.names.get(ci)) else {
            return false;
        };
        if !qn.bounded || !cn.bounded {
            return false;
        }
        let (q_slots, c_slots) = (part(&q.slots, qn.slots), part(&c.slots, cn.slots));
        for a in q_slots {
            reset(&mut self.q, *a);
        }
        for b in c_slots {
            reset(&mut self.c, *b);
        }
        self.reach_pairs((q, q_slots, self.wanted(qi)), (c, c_slots), flags);
        for v in c.variants(cn) {
            let toks = part(&c.sides, v.toks).iter().map(|slot| {
                let w = c.weights.get(usize::from(*slot));
                (*slot, w.copied())
            });
            let side = side(&self.c, toks);
            self.c_sides.push(side);
        }
        true
    }

    /// The slots of the query's name `qi` as bits, when this comparison reads the query's
    /// cache ([`Reach::reach_pairs`]).
    fn wanted(&self, qi: usize) -> Option<u64> {
        self.name_bits.get(qi).copied().filter(|_| self.sharing)
    }

    /// Marks which of the query slots `q_slots` and the candidate slots `c_slots` may align
    /// with one of the other side's, and their longest aligned lengths: through the query's
    /// cache when this comparison shares it (`wanted`: the same query slots as bits), else
    /// pair by pair through the comparison's cells.
    fn reach_pairs(
        &mut self,
        (q, q_slots, wanted): (&Sketch, &[u16], Option<u64>),
        (c, c_slots): (&Sketch, &[u16]),
        flags: Flags,
    ) {
        if let Some(wanted) = wanted {
            return self.fill_shared((q, wanted), (c, c_slots), flags);
        }
        for a in q_slots {
            for b in c_slots {
                if let Some(len) = self.longest((q, *a), (c, *b), flags) {
                    reach(&mut self.q, *a, len);
                    reach(&mut self.c, *b, len);
                }
            }
        }
    }

    /// [`Reach::fill`]'s reach of the token pairs through the query's cache: `wanted` are the
    /// query name's slots as bits, `c_slots` the candidate name's (numbered) slots.
    fn fill_shared(
        &mut self,
        (q, wanted): (&Sketch, u64),
        (c, c_slots): (&Sketch, &[u16]),
        flags: Flags,
    ) {
        let plane = plane(flags);
        let stamp = self.stamp;
        for b in c_slots {
            let id = if self.numbered {
                c.ids.get(usize::from(*b)).copied()
            } else {
                Some(u32::from(*b))
            };
            let (Some(id), Some(asked)) = (id, self.asked.get_mut(usize::from(*b))) else {
                continue;
            };
            if asked.stamp != stamp || asked.plane != plane || asked.wanted != wanted {
                let (Some(key), Some(tok)) =
                    (c.keys.get(usize::from(*b)), c.toks.get(usize::from(*b)))
                else {
                    continue;
                };
                let pool = &self.pool;
                let none = || !pool.may_align(key, flags);
                let direct = |a: u16| token_reach_with((q, a), (key, tok), flags);
                let (bits, from) = self.shared.reached(id, plane, wanted, none, direct);
                *asked = Asked {
                    stamp,
                    plane,
                    wanted,
                    bits,
                    from,
                };
            }
            let (mut bits, from) = (asked.bits, asked.from);
            while bits != 0 {
                let a = bits.trailing_zeros();
                bits &= bits - 1;
                let len = self.shared.length(from, a);
                reach(&mut self.q, a as u16, len);
                reach(&mut self.c, *b, len);
            }
        }
    }

    /// Whether some pair of names of two records may score above `floor`, after
    /// [`Reach::begin`]: `false` only when no pair can, so that a candidate is dropped before
    /// any of its names is bounded one by one.
    ///
    /// Each query name is reached against the candidate's tokens at once, under each flag plane
    /// its pairs with the candidate's names take: against the pooled tokens of the names
    /// compared under that plane (a record's names share most tokens, and a token reaching
    /// some candidate name reaches the pool). The candidate side is taken at
    /// its most favourable (nothing unmatched, anything aligned, a title if it has one); the
    /// joined spellings are compared as [`pair_bound`] compares them, pair by pair, from the
    /// full renderings (`names`: the query's and the candidate's). An upper bound over every
    /// pair of renderings, as [`pair_bound`] is over one. A query of over 64 distinct tokens
    /// (without the query's cache) reaches the pool pair by pair through the comparison's
    /// cells; with a name that has no bound, the candidate goes through.
    pub(super) fn may_beat(
        &mut self,
        (q, c): (&Sketch, &Sketch),
        names: (&[NameForm], &[NameForm]),
        floor: f64,
    ) -> bool {
        self.names_may_beat((q, c), names, 0..q.names.len(), floor)
    }

    /// [`Reach::may_beat`] for the query's name `qi` alone: `false` only when none of its
    /// pairs with the candidate's names can score above `floor`, so that a search for the best
    /// pair of two records with many names passes over the query name without bounding its
    /// pairs one by one. The same bound, over one query name's pairs instead of all.
    pub(super) fn name_may_beat(
        &mut self,
        (q, c): (&Sketch, &Sketch),
        names: (&[NameForm], &[NameForm]),
        qi: usize,
        floor: f64,
    ) -> bool {
        self.names_may_beat((q, c), names, qi..qi + 1, floor)
    }

    /// [`Reach::may_beat`] for the query's names at positions `which`.
    fn names_may_beat(
        &mut self,
        (q, c): (&Sketch, &Sketch),
        names: (&[NameForm], &[NameForm]),
        which: Range<usize>,
        floor: f64,
    ) -> bool {
        if c.names.iter().any(|n| !n.bounded) {
            return true;
        }
        let n = c.toks.len();
        if self.all_slots.len() < n {
            self.all_slots = (0..=u16::MAX).take(n).collect();
        }
        let all = std::mem::take(&mut self.all_slots);
        let may = self.pool_may_beat(q, (c, all.get(..n).unwrap_or_default()), &which, floor)
            || joined_may_beat((q, c), names, which, floor);
        self.all_slots = all;
        may
    }

    /// [`Reach::may_beat`] with `all` the slots of every candidate token, for the query's
    /// names at positions `which`. Only the token part of the bound: see [`joined_may_beat`]
    /// for the joined spellings.
    fn pool_may_beat(
        &mut self,
        q: &Sketch,
        (c, all): (&Sketch, &[u16]),
        which: &Range<usize>,
        floor: f64,
    ) -> bool {
        let pooled = Side {
            unmatched: 0.0,
            aligned: f64::INFINITY,
            titled: c.titled,
        };
        let named = q.names.iter().enumerate();
        for (qi, qn) in named.take(which.end).skip(which.start) {
            let factor = if qn.weak { WEAK_FACTOR } else { 1.0 };
            if factor <= floor {
                continue;
            }
            if !qn.bounded {
                return true;
            }
            let (q_slots, wanted) = (part(&q.slots, qn.slots), self.wanted(qi));
            let flags_of = |cn: &NameSketch| (qn.strict || cn.strict, qn.lossy.max(cn.lossy));
            let first = c.names.first().map(|cn| plane(flags_of(cn)));
            let mixed = c.names.iter().any(|cn| Some(plane(flags_of(cn))) != first);
            let mut planes = 0u8;
            for (ci, cn) in c.names.iter().enumerate() {
                let flags = flags_of(cn);
                let at = plane(flags);
                if planes & 1 << at != 0 {
                    continue;
                }
                planes |= 1 << at;
                for a in q_slots {
                    reset(&mut self.q, *a);
                }
                if mixed {
                    // Only the tokens of the names compared under these flags: a record's
                    // Latin names need not be reached under an abjad's, nor the other way.
                    for other in c.names.get(ci..).unwrap_or_default() {
                        if plane(flags_of(other)) == at {
                            let slots = part(&c.slots, other.slots);
                            self.reach_pairs((q, q_slots, wanted), (c, slots), flags);
                        }
                    }
                } else {
                    self.reach_pairs((q, q_slots, wanted), (c, all), flags);
                }
                for qv in q.variants(qn) {
                    let toks = part(&q.sides, qv.toks)
                        .iter()
                        .map(|slot| (*slot, q.weights.get(usize::from(*slot)).copied()));
                    let qs = side(&self.q, toks);
                    if tokens_bound(qs, pooled, flags.0) * factor > floor {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Reads what the query's cache keeps of each numbered token of a candidate, for
    /// [`crate::index`]'s load-ahead (see [`Sketch::touch`]), and returns a meaningless sum.
    pub(super) fn touch(&self, c: &Sketch) -> u64 {
        self.shared.touch(&c.ids)
    }

    /// The bounds of a query rendering (after [`Reach::fill`]).
    pub(super) fn query_side(&self, v: &Variant) -> Side {
        side(
            &self.q,
            v.toks.iter().map(|t| (t.slot, Some(SlotWeight::of(t)))),
        )
    }

    /// The bounds of the candidate name's rendering at `at` (after [`Reach::fill`]).
    pub(super) fn candidate_side(&self, at: usize) -> Option<Side> {
        self.c_sides.get(at).copied()
    }
}

/// Whether the joined spellings of some pair of renderings of two records, as [`pair_bound`]
/// compares them, may score above `floor` (`names`: the records' full names, in the order of
/// their sketches), of the query's names at positions `which`.
fn joined_may_beat(
    (q, c): (&Sketch, &Sketch),
    (q_names, c_names): (&[NameForm], &[NameForm]),
    which: Range<usize>,
    floor: f64,
) -> bool {
    let named = q.names.iter().zip(q_names);
    for (qn, qf) in named.take(which.end).skip(which.start) {
        for (qv, qfv) in q.variants(qn).iter().zip(&qf.variants) {
            let joined = JoinedSketch {
                len: qv.joined_len as usize,
                mask: qv.joined_mask,
                core: qv.core as usize,
            };
            for (ci, cn) in c.names.iter().enumerate() {
                let factor = if qn.weak || cn.weak { WEAK_FACTOR } else { 1.0 };
                let strict = qn.strict || cn.strict;
                for (vi, cv) in c.variants(cn).iter().enumerate() {
                    let Some(cap) = joined_cap(joined, cv, (factor, floor)) else {
                        continue;
                    };
                    // The candidate's full rendering is read only now: most candidates have
                    // no joined spelling close enough, and reading their names is a miss.
                    let Some(cfv) = c_names.get(ci).and_then(|n| n.variants.get(vi)) else {
                        return true;
                    };
                    if joined_within(qfv, cfv, strict, cap).is_some_and(|j| j * factor > floor) {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// The flags two names are compared with: syllabic, and the lossier script.
pub(super) type Flags = (bool, Lossy);

/// The plane of a combination of flags (0 to [`PLANES`] - 1).
fn plane((strict, lossy): Flags) -> usize {
    usize::from(strict) * 3 + lossy as usize
}

/// The longest aligned length of two tokens (by slot in their sketches), if they may align:
/// the prefilter ([`may_align`]) first, then [`pair_cost`].
///
/// Called for every new pair of a query token and a candidate token (hundreds per query),
/// and rejecting nearly all of them in a few instructions: it and the prefilter are inlined
/// into the loops that call it, which the compiler did not do by itself (6% fewer
/// instructions per screening query, BENCHMARKS.md).
#[inline(always)]
fn token_reach((q, a): (&Sketch, u16), (c, b): (&Sketch, u16), flags: Flags) -> Option<f64> {
    let (key, tok) = (c.keys.get(usize::from(b))?, c.toks.get(usize::from(b))?);
    token_reach_with((q, a), (key, tok), flags)
}

/// [`token_reach`] with the candidate token's key and token read already (once for all the
/// query slots it is compared with).
#[inline(always)]
fn token_reach_with(
    (q, a): (&Sketch, u16),
    (key, tok): (&TokKey, &Tok),
    flags: Flags,
) -> Option<f64> {
    let (strict, lossy) = flags;
    if !may_align(q.keys.get(usize::from(a))?, key, flags) {
        return None;
    }
    pair_cost(q.toks.get(usize::from(a))?, tok, strict, lossy).map(|(_, len, _)| len)
}

fn reset(slots: &mut [Slot], slot: u16) {
    if let Some(s) = slots.get_mut(usize::from(slot)) {
        *s = (false, 0.0);
    }
}

fn reach(slots: &mut [Slot], slot: u16, len: f64) {
    if let Some(s) = slots.get_mut(usize::from(slot)) {
        *s = (true, s.1.max(len));
    }
}

/// A rendering's bounds from its tokens' reach, given as slots with their weights; a token
/// outside the slots (or without a weight) counts as able to align anything (no bound).
fn side(slots: &[Slot], toks: impl Iterator<Item = (u16, Option<SlotWeight>)>) -> Side {
    let mut side = Side {
        unmatched: 0.0,
        aligned: 0.0,
        titled: false,
    };
    for (slot, weight) in toks {
        let Some(w) = weight else {
            // Nothing known of the token: it may align anything and be a title.
            side.aligned = f64::INFINITY;
            side.titled = true;
            continue;
        };
        match slots.get(usize::from(slot)) {
            Some(&(true, longest)) => side.aligned += longest,
            Some(&(false, _)) => side.unmatched += w.weight,
            None => side.aligned = f64::INFINITY,
        }
        side.titled |= w.titled;
    }
    side
}

/// A bound on a comparison of two renderings (see the module docs) that decides whether it
/// can beat `ceiling` once multiplied by `factor` (the caller's test): `c` is the candidate
/// rendering's sketch, `full` gives the rendering itself, read only when its joined spelling
/// may be compared.
///
/// When the token bound alone beats the ceiling, it is returned as it is: the comparison will
/// be made whatever the joined spelling gives. Otherwise the joined spelling's distance is
/// computed only as far as it can matter ([`joined_within`]): beyond that, the bound takes the
/// largest distance computed, which overstates the similarity, never understates it.
pub(super) fn pair_bound<'v>(
    q: &Variant,
    qs: Side,
    (c, cs): (&VariantSketch, Side),
    strict: bool,
    (factor, ceiling): (f64, f64),
    full: impl FnOnce() -> Option<&'v Variant>,
) -> f64 {
    let tokens = tokens_bound(qs, cs, strict);
    if tokens * factor > ceiling {
        return tokens;
    }
    let joined = JoinedSketch {
        len: q.joined.len(),
        mask: q.joined_mask,
        core: core_count(q),
    };
    let Some(cap) = joined_cap(joined, c, (factor, ceiling)) else {
        return tokens;
    };
    full()
        .and_then(|cv| joined_within(q, cv, strict, cap))
        .map_or(tokens, |j| tokens.max(j))
}

/// The token part of the bound: the rendering score with no edits, the most either side can
/// align, and the least weight left unmatched ([`Side`]).
fn tokens_bound(qs: Side, cs: Side, strict: bool) -> f64 {
    let aligned = qs.aligned.min(cs.aligned);
    if !aligned.is_finite() {
        1.0
    } else if aligned <= 0.0 {
        0.0
    } else {
        // The smallest share the alignment could give the longer side's unmatched weight.
        let share = unmatched_share(qs.titled || cs.titled, strict);
        let (lo, hi) = if qs.unmatched <= cs.unmatched {
            (qs.unmatched, cs.unmatched)
        } else {
            (cs.unmatched, qs.unmatched)
        };
        let extra = share * hi + lo;
        (1.0 - extra / (aligned + extra - 1.0).max(1.0)).max(0.0)
    }
}

/// What [`joined_cap`] reads of a query rendering's joined spelling.
#[derive(Debug, Clone, Copy)]
struct JoinedSketch {
    /// Length in bytes of [`Variant::joined`].
    len: usize,
    /// [`Variant::joined_mask`].
    mask: u64,
    /// How many core tokens the rendering holds.
    core: usize,
}

/// The edit distance up to which the joined spellings of two renderings must be compared to
/// know whether their score, times `factor`, beats `ceiling`; `None` when it certainly does
/// not (or [`joined_score`](super::joined_score) compares nothing).
fn joined_cap(q: JoinedSketch, c: &VariantSketch, (factor, ceiling): (f64, f64)) -> Option<usize> {
    // [`joined_score`] compares nothing unless the joined lengths are within two and the
    // core token counts differ (equal strings have equal lengths): checked on the sketch.
    let may_join =
        q.len >= 6 && q.len.abs_diff(c.joined_len as usize) <= 2 && q.core != c.core as usize;
    if !may_join {
        return None;
    }
    // The distance from which the joined score, times the factor, is at most the ceiling
    // (any cap gives an upper bound; this one makes it decide).
    let len = q.len.max(c.joined_len as usize) as f64;
    let reach = (1.0 - ceiling / (JOINED_FACTOR * factor)) * (len - 1.0);
    let cap = if reach.is_finite() {
        reach.max(0.0).ceil() as usize
    } else {
        usize::MAX
    };
    // Each character one spelling holds and the other lacks takes an edit ([`letter_mask`]):
    // beyond the cap, the joined spelling cannot decide, and the rendering is not read.
    letters_within(q.mask, c.joined_mask, cap).then_some(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{NameForm, assign_slots};
    use dualtrace_names::NameKind;

    /// Distinct tokens of many names: typos, transliterations, familiar names, initials,
    /// titles, legal forms, numbers, generic words, several scripts.
    fn tokens() -> Vec<Tok> {
        let names = [
            "Vladimir Vladimirovich Putin",
            "Wladimir Poetin",
            "V. V. Putin",
            "President Putin",
            "Путин Владимир",
            "ウラジーミル・プーチン",
            "블라디미르 푸틴",
            "Mohammad Hosseini",
            "Muhammad Husseini",
            "Mohamed al-Husseini",
            "حسین محمدی",
            "משה כהן",
            "Moshe Cohen",
            "Theodore Doe",
            "Ted Dow",
            "Chen Xiuying",
            "秀英 陳",
            "Xiu Ling Chen",
            "Gazprom Neft OAO",
            "Gazprom Neft JSC",
            "ООО Газпромнефть",
            "Neft Trading Group Ltd",
            "MV Snow Storm 1",
            "Snow Stom 12",
            "Yu Uy Kim Kin",
            "Sheikh Hassan Nasrallah",
            "Hasan Nasralla",
        ];
        let mut forms: Vec<NameForm> = names
            .iter()
            .map(|n| NameForm::new(n, NameKind::Any, false))
            .collect();
        assign_slots(&mut forms);
        let mut out: Vec<Tok> = Vec::new();
        for t in forms
            .iter()
            .flat_map(|n| n.variants.iter())
            .flat_map(|v| v.toks.iter())
        {
            if !out.iter().any(|o| o.text == t.text && o.class == t.class) {
                out.push(t.clone());
            }
        }
        out
    }

    #[test]
    fn the_prefilter_never_rejects_a_pair_that_aligns() {
        let toks = tokens();
        let keys: Vec<TokKey> = toks.iter().map(TokKey::of).collect();
        let (mut aligned, mut rejected) = (0, 0);
        for strict in [false, true] {
            for lossy in [Lossy::No, Lossy::Transcribed, Lossy::Abjad] {
                for (a, ka) in toks.iter().zip(&keys) {
                    for (b, kb) in toks.iter().zip(&keys) {
                        let may = may_align(ka, kb, (strict, lossy));
                        if pair_cost(a, b, strict, lossy).is_some() {
                            assert!(may, "{} {} {strict} {lossy:?}", a.text, b.text);
                            aligned += 1;
                        }
                        rejected += usize::from(!may);
                    }
                }
            }
        }
        // Both outcomes are exercised: pairs that align, and many the prefilter spares.
        assert!(aligned > 300, "{aligned}");
        assert!(
            rejected > aligned * 5,
            "{rejected} rejected, {aligned} aligned"
        );
    }

    #[test]
    fn a_token_key_is_forty_bytes() {
        assert_eq!(std::mem::size_of::<TokKey>(), 40);
    }

    /// Every run of one to five of the tokens as a query's pool, against every token.
    #[test]
    fn the_pool_never_rejects_a_token_some_pooled_token_may_align_with() {
        let keys: Vec<TokKey> = tokens().iter().map(TokKey::of).collect();
        let (mut kept, mut rejected) = (0, 0);
        for width in 1..=5 {
            for query in keys.windows(width) {
                let pool = KeyPool::of(query);
                for strict in [false, true] {
                    for lossy in [Lossy::No, Lossy::Transcribed, Lossy::Abjad] {
                        for c in &keys {
                            let some = query.iter().any(|q| may_align(q, c, (strict, lossy)));
                            let pooled = pool.may_align(c, (strict, lossy));
                            assert!(pooled || !some, "{query:?} {c:?} {strict} {lossy:?}");
                            kept += usize::from(some);
                            rejected += usize::from(!pooled);
                        }
                    }
                }
            }
        }
        assert!(
            kept > 1000 && rejected > kept,
            "{kept} kept, {rejected} rejected"
        );
    }
}
