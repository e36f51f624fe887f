//! The in-process screening index: candidate generation, then scoring of the best candidates.
//!
//! Scoring a query against every listed name is too slow (tens of thousands of entities, each
//! with several names and renderings), so screening runs in two stages, as search engines do:
//!
//! 1. **Candidate generation** over a vocabulary of the listed names' *core* tokens (words,
//!    patronymics, numbers of every Latin rendering). Each query token reaches vocabulary tokens
//!    that are equal, share its phonetic key (transliteration variants) or share at least half of
//!    their padded character trigrams (typos, dropped or doubled letters); each reached token
//!    adds its IDF (rare tokens count more), times the similarity, to the entities holding it.
//!    Legal forms, generic words, initials and titles are not in the vocabulary at all, so
//!    "LLC" or "Trading" pulls no candidates. Trigram and phonetic expansion skip vocabulary
//!    tokens held by very many entities (they would add thousands of weak candidates), and
//!    trigrams shared by very many tokens are not followed. A shared identifier (canonical
//!    form) adds a large constant, so an identifier match is always a candidate. The pre-score
//!    of an entity is its best query rendering's sum; the top [`ScreenOptions::candidates`]
//!    (default 200) go on.
//! 2. **Scoring** of those candidates with the full feature model ([`crate::score`]); a
//!    candidate whose name score is bounded below the threshold (less what its birth date,
//!    country and gender add or take) before any alignment is dropped unexplained, which
//!    spares most of the work: about one candidate in a hundred is aligned in full.
//!
//! Candidate generation accumulates into dense per-thread scratch arrays indexed by entity (or
//! vocabulary token), with a list of the touched slots to read and reset them, instead of
//! hash maps built per query: a query touches thousands of entities, and hashing each touch
//! cost more than the scoring of the candidates. The scratch lives in a thread local, so a
//! query allocates nothing for it and threads never share it. It also keeps, across queries,
//! the entity pre-scores of every query token already expanded on the same index
//! (`Expansions`, bounded): the words of a batch's names repeat, and a repeated word costs a
//! lookup instead of its trigram count over the vocabulary.
//!
//! Working the vocabulary rather than the entities keeps the trigram index small (one entry per
//! distinct token, not per name) and makes a query cost proportional to the number of similar
//! tokens, not to the size of the lists. The index is immutable after [`Index::build`] and
//! `Send + Sync`: one index serves any number of threads ([`Index::screen_batch`] shares a
//! batch out to the machine's cores in small blocks with `std::thread::scope`).

use crate::allow::{AllowList, Suppression, fingerprint};
use crate::explain::Explanations;
use crate::query::Query;
use crate::score::{
    DEFAULT_THRESHOLD, Lossy, Prepared, Tok, TokenNumbering, TokenText, compare, next_serial,
    reachable, screen_judged,
};
use dualtrace_model::Entity;
use dualtrace_names::{FastMap, TokenClass};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::Arc;

/// Options of a screening.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenOptions {
    /// Minimum score of a returned hit (default 0.7).
    pub threshold: f64,
    /// Maximum number of hits returned (default 5).
    pub limit: usize,
    /// Only screen against entities of these lists (dataset names), if given.
    pub lists: Option<Vec<String>>,
    /// How many candidates are scored in full (default 200).
    pub candidates: usize,
    /// Decisions that suppress known false positives (hits stay, marked and not a match).
    pub allow: Option<Arc<AllowList>>,
    /// Score every candidate in full instead of skipping those whose bound cannot reach the
    /// threshold (slower, same results: a check of the bound, [`crate::score`]).
    pub exhaustive: bool,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 5,
            lists: None,
            candidates: 200,
            allow: None,
            exhaustive: false,
        }
    }
}

/// One screening result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Position of the entity in the index ([`Index::entity`]).
    pub index: usize,
    /// The entity's id.
    pub id: String,
    /// The score, 0..1.
    pub score: f64,
    /// Whether the score reaches the threshold.
    pub is_match: bool,
    /// Every feature compared.
    pub explanations: Explanations,
    /// The analyst decision that marks this hit a false positive, if one covers it.
    pub suppressed: Option<Suppression>,
}

/// A vocabulary token: its length, rarity and entities, in sixteen bytes.
///
/// Candidate generation reads thousands of vocabulary tokens per query, each a cache miss:
/// the trigram expansion reads a token's length and whether it may be reached, then its
/// rarity and entities, all in one entry. The entity lists of all tokens lie end to end in
/// one array ([`Index::postings`]), except that a token held by one entity (most of the
/// vocabulary) keeps that entity in its entry: reaching it reads no list.
#[derive(Debug, Clone, Copy)]
struct Term {
    /// Length of the token's text in bytes.
    len: u32,
    idf: f32,
    /// Its entities: a range of [`Index::postings`], or `(entity, ONE_ENTITY)`.
    postings: (u32, u32),
}

/// Marks a [`Term`] held by one entity, kept in the term itself.
const ONE_ENTITY: u32 = u32::MAX;

impl Term {
    /// The entities holding the token.
    fn entities<'a>(&'a self, postings: &'a [u32]) -> &'a [u32] {
        match self.postings {
            (_, ONE_ENTITY) => std::slice::from_ref(&self.postings.0),
            (from, to) => postings.get(from as usize..to as usize).unwrap_or_default(),
        }
    }

    /// Held by at most [`EXPAND_MAX_DF`] entities, so fuzzy expansion may reach it.
    fn small(&self) -> bool {
        match self.postings {
            (_, ONE_ENTITY) => true,
            (from, to) => (to.saturating_sub(from) as usize) <= EXPAND_MAX_DF,
        }
    }
}

/// Vocabulary tokens held by more entities than this are not reached by trigrams or phonetics.
const EXPAND_MAX_DF: usize = 2000;
/// Trigrams shared by more vocabulary tokens than this are not followed.
const GRAM_MAX_TOKENS: usize = 4000;
/// Shortest vocabulary token indexed by its trigrams.
const GRAM_TERM_MIN_LEN: usize = 3;
/// Minimum trigram Dice similarity for a vocabulary token to be reached.
const MIN_DICE: f32 = 0.5;
/// Candidates whose name pre-score is below this share of the best one are not scored.
const PRESCORE_RATIO: f32 = 0.3;
/// Shortest transcription skeleton that reaches vocabulary tokens.
const MIN_SKELETON: usize = 3;
/// Pre-score of a shared identifier.
const ID_BOOST: f32 = 1000.0;

/// A dense accumulator: one slot per entity (or vocabulary token), plus the slots touched
/// since the last [`Dense::drain`], which reads them and resets them to zero. Every value
/// accumulated is positive, so a zero slot is an untouched one.
#[derive(Debug, Default)]
struct Dense<T> {
    slots: Vec<T>,
    touched: Vec<u32>,
}

impl<T: Copy + Default + PartialEq> Dense<T> {
    /// Makes room for `n` slots (an index may be larger than the last one screened).
    fn fit(&mut self, n: usize) {
        if self.slots.len() < n {
            self.slots.resize(n, T::default());
        }
    }

    /// Replaces a slot's value by `f(value)`, remembering the slot.
    fn update(&mut self, at: u32, f: impl FnOnce(T) -> T) {
        let slot = &mut self.slots[at as usize];
        if *slot == T::default() {
            self.touched.push(at);
        }
        *slot = f(*slot);
    }

    /// Adds one to the touched slots among `at` (sorted ascending), leaving the others
    /// untouched: a binary search per touched slot when they are few against `at`, one pass
    /// over `at` otherwise.
    fn add_to_touched(&mut self, at: &[u32])
    where
        T: std::ops::Add<Output = T> + From<u8>,
    {
        if self.touched.len().saturating_mul(16) < at.len() {
            for t in &self.touched {
                if at.binary_search(t).is_ok() {
                    let slot = &mut self.slots[*t as usize];
                    *slot = *slot + T::from(1);
                }
            }
        } else {
            for a in at {
                if let Some(slot) = self.slots.get_mut(*a as usize)
                    && *slot != T::default()
                {
                    *slot = *slot + T::from(1);
                }
            }
        }
    }

    /// The touched slots with their values, each reset to zero, in first-touch order.
    fn drain(&mut self) -> impl Iterator<Item = (u32, T)> + '_ {
        let slots = &mut self.slots;
        self.touched
            .drain(..)
            .map(move |at| (at, std::mem::take(&mut slots[at as usize])))
    }
}

/// Per-thread scratch of candidate generation (see the module docs).
#[derive(Debug, Default)]
struct Scratch {
    /// Trigrams shared with each vocabulary token.
    shared: Dense<u16>,
    /// Best pre-score per entity of one query token.
    token: Dense<f32>,
    /// Sum per entity over one rendering's tokens.
    sum: Dense<f32>,
    /// Best rendering's sum per entity.
    best: Dense<f32>,
    /// The vocabulary tokens one query token reaches, with their similarity.
    reached: Vec<(u32, f32)>,
    /// The padded trigrams of one query token.
    grams: Vec<[u8; 3]>,
    /// The entity pre-scores of the query tokens met before.
    expansions: Expansions,
}

impl Scratch {
    /// Makes room for the index `index` and its queries (see [`Expansions`]).
    fn fit(&mut self, index: &Index) {
        let n = index.entities.len();
        self.token.fit(n);
        self.sum.fit(n);
        self.best.fit(n);
        self.expansions.fit(index.serial, Expansions::MAX_HITS);
    }
}

/// The entity pre-scores each query token met by a thread gives on one index, kept across
/// queries.
///
/// A token's pre-scores depend on nothing but the index and the token's text, class and
/// script ([`Index::expand`]), and the tokens of a batch repeat: common given names, "al",
/// "abdul", family names shared by relatives. Four in ten of the tokens of the bench's UN and
/// negative queries were met before by an earlier query of the same batch. Expanding a
/// token (its trigram count over the vocabulary, its entities) was most of candidate
/// generation; a token met before now costs a lookup. The pre-scores of all tokens lie end
/// to end in one array, emptied before a query when it has grown past
/// [`Expansions::MAX_HITS`] (bounding a server thread's memory), or when the thread screens
/// against another index ([`Index::serial`]).
#[derive(Debug, Default)]
struct Expansions {
    /// The serial of the index the entries belong to.
    index: u64,
    /// Per token (text, class, script's lossiness): its range of [`Expansions::hits`].
    ranges: FastMap<(TokenText, TokenClass, Lossy), (u32, u32)>,
    /// (entity, pre-score) pairs, token after token.
    hits: Vec<(u32, f32)>,
}

impl Expansions {
    /// The most pre-scores kept (8 MiB), past which the next query starts afresh.
    const MAX_HITS: usize = 1 << 20;

    /// Makes the entries those of the index of serial `index`, emptied if they hold more than
    /// `max_hits` pre-scores.
    fn fit(&mut self, index: u64, max_hits: usize) {
        if self.index != index || self.hits.len() > max_hits {
            self.index = index;
            self.ranges.clear();
            self.hits.clear();
        }
    }

    /// The range of a token's pre-scores in [`Expansions::hits`], if met before.
    fn get(&self, t: &Tok, lossy: Lossy) -> Option<(usize, usize)> {
        let &(from, to) = self.ranges.get(&(t.text.clone(), t.class, lossy))?;
        Some((from as usize, to as usize))
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The screening index over a set of entities.
#[derive(Debug, Clone, Default)]
pub struct Index {
    entities: Vec<Entity>,
    prepared: Vec<Prepared>,
    terms: Vec<Term>,
    /// The entities holding each vocabulary token held by more than one, token after token
    /// ([`Term::postings`]).
    postings: Vec<u32>,
    by_text: FastMap<String, u32>,
    by_key: FastMap<String, Vec<u32>>,
    by_skel: FastMap<String, Vec<u32>>,
    by_gram: FastMap<[u8; 3], Vec<u32>>,
    by_id: FastMap<String, Vec<u32>>,
    /// Tells this index's contents from any other's (a thread's [`Expansions`] are kept for
    /// one): unique per index built, shared by its clones, 0 for an empty default one.
    serial: u64,
}

/// The fewest trigrams a vocabulary token (three letters or more) must share with a query
/// token of `grams` distinct trigrams to reach [`MIN_DICE`], by the Dice formula of
/// [`Index::expand`] at the shortest length (the most favourable one).
fn min_shared_grams(grams: usize) -> usize {
    let dice = |n: usize| 2.0 * n as f32 / (grams + GRAM_TERM_MIN_LEN) as f32;
    (1..=grams)
        .find(|n| dice(*n) >= MIN_DICE)
        .unwrap_or(grams + 1)
}

/// Padded byte trigrams of an ASCII token.
fn trigrams(token: &str) -> Vec<[u8; 3]> {
    let mut grams = Vec::new();
    trigrams_into(token, &mut grams);
    grams
}

/// [`trigrams`] into `grams` (cleared first), sorted, without repeats.
fn trigrams_into(token: &str, grams: &mut Vec<[u8; 3]>) {
    grams.clear();
    let bytes = token.as_bytes();
    let at = |i: usize| match i {
        0 => b' ',
        i => bytes.get(i - 1).copied().unwrap_or(b' '),
    };
    grams.extend((0..bytes.len()).map(|i| [at(i), at(i + 1), at(i + 2)]));
    grams.sort_unstable();
    grams.dedup();
}

/// The distinct core tokens of a prepared record's names.
fn core_tokens(p: &Prepared) -> Vec<&Tok> {
    let mut out: Vec<&Tok> = Vec::new();
    for t in p
        .names
        .iter()
        .flat_map(|n| n.variants.iter())
        .flat_map(|v| v.toks.iter())
        .filter(|t| t.is_core())
    {
        if !out.iter().any(|o| o.text == t.text) {
            out.push(t);
        }
    }
    out
}

/// Prepares entities, in parallel over the machine's cores, each thread writing its records
/// into its part of the one vector: gathering each thread's vector into another afterwards
/// held both at once, and the gathered one grew by doubling (a million records' build peaked
/// there).
fn prepare_all(entities: &[Entity]) -> Vec<Prepared> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = entities.len().div_ceil(threads).max(1);
    let mut prepared: Vec<Prepared> = Vec::new();
    prepared.resize_with(entities.len(), Prepared::default);
    std::thread::scope(|s| {
        for (part, out) in entities.chunks(chunk).zip(prepared.chunks_mut(chunk)) {
            s.spawn(move || {
                for (e, p) in part.iter().zip(out) {
                    *p = Prepared::from_entity(e);
                }
            });
        }
    });
    prepared
}

impl Index {
    /// Builds the index: every name of every entity analysed once, vocabulary and identifier
    /// indexes filled.
    pub fn build(entities: Vec<Entity>) -> Index {
        let mut prepared = prepare_all(&entities);
        // One number per distinct token of all the records, so that a screening compares each
        // distinct candidate token with the query once (`score::shared`).
        let mut numbering = TokenNumbering::default();
        for p in &mut prepared {
            p.sketch.number(&mut numbering);
        }
        let mut index = Index {
            entities,
            serial: next_serial(),
            ..Index::default()
        };
        // Per vocabulary token, its text and entities, until they are laid end to end.
        let mut texts: Vec<String> = Vec::new();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        for (i, p) in prepared.iter().enumerate() {
            let entity = i as u32;
            for t in core_tokens(p) {
                let next = texts.len() as u32;
                let id = *index.by_text.entry(t.text.to_string()).or_insert(next);
                if id == next {
                    texts.push(t.text.to_string());
                    lists.push(Vec::new());
                    if t.key.len() >= 2 {
                        index.by_key.entry(t.key.to_string()).or_default().push(id);
                    }
                    if t.skel.len() >= MIN_SKELETON {
                        index
                            .by_skel
                            .entry(t.skel.to_string())
                            .or_default()
                            .push(id);
                    }
                }
                lists[id as usize].push(entity);
            }
            for id in &p.ids {
                index.by_id.entry(id.clone()).or_default().push(entity);
            }
        }
        let n = index.entities.len().max(1) as f32;
        index.postings.reserve(lists.iter().map(Vec::len).sum());
        // Below the marker of a term held by one entity.
        let position = |postings: &Vec<u32>| u32::try_from(postings.len()).unwrap_or(u32::MAX - 1);
        for (id, (text, list)) in texts.iter().zip(&lists).enumerate() {
            let postings = match list.as_slice() {
                [entity] => (*entity, ONE_ENTITY),
                _ => {
                    let from = position(&index.postings);
                    index.postings.extend_from_slice(list);
                    (from, position(&index.postings))
                }
            };
            index.terms.push(Term {
                len: u32::try_from(text.len()).unwrap_or(u32::MAX),
                idf: (1.0 + n / list.len().max(1) as f32).ln(),
                postings,
            });
            if text.len() >= GRAM_TERM_MIN_LEN && !text.bytes().any(|b| b.is_ascii_digit()) {
                for g in trigrams(text) {
                    index.by_gram.entry(g).or_default().push(id as u32);
                }
            }
        }
        index.prepared = prepared;
        index
    }

    /// Number of entities indexed.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Whether the index holds no entity.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entity at a position (as given in [`Hit::index`]).
    pub fn entity(&self, index: usize) -> Option<&Entity> {
        self.entities.get(index)
    }

    /// All indexed entities, in build order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Vocabulary tokens similar to a query token, with their similarity, into `s.reached`.
    /// A token of a name from a lossy script also reaches the tokens sharing its
    /// transcription skeleton.
    fn expand(&self, token: &Tok, lossy: Lossy, s: &mut Scratch) {
        let out = &mut s.reached;
        out.clear();
        if let Some(&id) = self.by_text.get(token.text.as_str()) {
            out.push((id, 1.0));
        }
        let small = |id: &u32| self.terms[*id as usize].small();
        if lossy != Lossy::No
            && token.skel.len() >= MIN_SKELETON
            && let Some(ids) = self.by_skel.get(token.skel.as_str())
        {
            out.extend(ids.iter().filter(|id| small(id)).map(|id| (*id, 0.7)));
        }
        if token.key.len() >= 2
            && let Some(ids) = self.by_key.get(token.key.as_str())
        {
            out.extend(ids.iter().filter(|id| small(id)).map(|id| (*id, 0.8)));
        }
        if token.text.len() >= 4 && token.class != dualtrace_names::TokenClass::Number {
            trigrams_into(&token.text, &mut s.grams);
            let grams = s.grams.len();
            s.shared.fit(self.terms.len());
            self.count_shared_grams(&s.grams, &mut s.shared);
            // A token sharing fewer trigrams than any indexed length needs cannot reach the
            // minimum Dice: skipped without reading its length (most tokens counted).
            let need = min_shared_grams(grams);
            for (id, n) in s.shared.drain() {
                if usize::from(n) < need {
                    continue;
                }
                let other = self.terms[id as usize];
                let dice = 2.0 * f32::from(n) / (grams + other.len as usize) as f32;
                if dice >= MIN_DICE && other.small() {
                    out.push((id, 0.9 * dice));
                }
            }
        }
    }

    /// Counts, per vocabulary token, the trigrams it shares with a query token's `grams`
    /// (those of lists no longer than [`GRAM_MAX_TOKENS`]), for the tokens that can share
    /// enough of them to reach [`MIN_DICE`]; others may be left out or undercounted.
    ///
    /// A vocabulary token shorter than three letters has no trigram entry, so a token needs
    /// at least [`min_shared_grams`] shared trigrams whatever its length (Dice falls as the
    /// token gets longer). Only a token in one of the shortest `lists - need + 1` lists can
    /// share that many: those lists admit tokens, and the longest lists only add to tokens
    /// already admitted, by binary search of each admitted token when they are few. The
    /// counts of admitted tokens are exact, so the Dice of every token that can reach the
    /// minimum is the one full counting gives, while the long lists of common trigrams
    /// ("an ", " ma") are mostly not walked.
    fn count_shared_grams(&self, grams: &[[u8; 3]], shared: &mut Dense<u16>) {
        let mut lists: Vec<&[u32]> = grams
            .iter()
            .filter_map(|g| self.by_gram.get(g))
            .filter(|ids| ids.len() <= GRAM_MAX_TOKENS)
            .map(Vec::as_slice)
            .collect();
        let need = min_shared_grams(grams.len());
        if need > lists.len() {
            return;
        }
        lists.sort_unstable_by_key(|ids| ids.len());
        let (admitting, adding) = lists.split_at(lists.len() + 1 - need);
        for ids in admitting {
            for id in *ids {
                shared.update(*id, |n| n + 1);
            }
        }
        for ids in adding {
            shared.add_to_touched(ids);
        }
    }

    /// The range of [`Expansions::hits`] holding the pre-scores of the entities a query token
    /// reaches (best similarity per entity), computed unless met before.
    fn token_hits(&self, token: &Tok, lossy: Lossy, s: &mut Scratch) -> (usize, usize) {
        if let Some(range) = s.expansions.get(token, lossy) {
            return range;
        }
        self.expand(token, lossy, s);
        for &(id, sim) in &s.reached {
            let term = &self.terms[id as usize];
            let w = term.idf * sim;
            for e in term.entities(&self.postings) {
                s.token.update(*e, |slot| slot.max(w));
            }
        }
        let x = &mut s.expansions;
        let from = x.hits.len();
        x.hits.extend(s.token.drain());
        let to = x.hits.len();
        if let (Ok(a), Ok(b)) = (u32::try_from(from), u32::try_from(to)) {
            x.ranges
                .insert((token.text.clone(), token.class, lossy), (a, b));
        }
        (from, to)
    }

    /// The candidate entities of a prepared query, best pre-score first when `ordered`
    /// (else in no particular order: scoring does not depend on it).
    fn candidates_of(&self, q: &Prepared, opts: &ScreenOptions, ordered: bool) -> Vec<u32> {
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let s = &mut *scratch;
            s.fit(self);
            // Per distinct core token text of the query: its hits in `s.expansions`, as the
            // first token of that text gives them.
            let mut seen: Vec<(&str, usize, usize)> = Vec::with_capacity(16);
            for v in q.names.iter().flat_map(|n| n.variants.iter()) {
                for t in v.toks.iter().filter(|t| t.is_core()) {
                    let text = t.text.as_str();
                    let (from, to) = match seen.iter().find(|(seen, ..)| *seen == text) {
                        Some(&(_, from, to)) => (from, to),
                        None => {
                            let (from, to) = self.token_hits(t, v.lossy, s);
                            seen.push((text, from, to));
                            (from, to)
                        }
                    };
                    let hits = s.expansions.hits.get(from..to).unwrap_or_default();
                    for &(e, w) in hits {
                        s.sum.update(e, |slot| slot + w);
                    }
                }
                for (e, w) in s.sum.drain() {
                    s.best.update(e, |slot| slot.max(w));
                }
            }
            for id in &q.ids {
                for e in self.by_id.get(id).into_iter().flatten() {
                    s.best.update(*e, |slot| slot + ID_BOOST);
                }
            }
            let mut ranked: Vec<(u32, f32)> = Vec::with_capacity(s.best.touched.len());
            ranked.extend(
                s.best
                    .drain()
                    .filter(|(e, _)| self.in_lists(*e as usize, opts.lists.as_deref())),
            );
            // Entities far behind the best name pre-score share only common or distant
            // tokens with the query: scoring them in full would not make them hits.
            let name_part = |w: f32| if w >= ID_BOOST { w - ID_BOOST } else { w };
            let top = ranked
                .iter()
                .map(|(_, w)| name_part(*w))
                .fold(0.0, f32::max);
            ranked.retain(|(_, w)| *w >= ID_BOOST || *w >= top * PRESCORE_RATIO);
            let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if ranked.len() > opts.candidates && opts.candidates > 0 {
                ranked.select_nth_unstable_by(opts.candidates - 1, order);
            }
            ranked.truncate(opts.candidates);
            if ordered {
                ranked.sort_unstable_by(order);
            }
            ranked.into_iter().map(|(e, _)| e).collect()
        })
    }

    /// Whether an entity belongs to one of the lists (always, without a list filter).
    fn in_lists(&self, entity: usize, lists: Option<&[String]>) -> bool {
        let Some(lists) = lists else { return true };
        let e = &self.entities[entity];
        e.datasets.iter().any(|d| lists.contains(d))
            || e.provenance
                .as_ref()
                .is_some_and(|p| lists.contains(&p.list))
    }

    /// The candidate set of a query (positions in the index, best pre-score first): what the
    /// scorer will see. Exposed to measure candidate recall separately from scoring.
    pub fn candidates(&self, query: &Query, opts: &ScreenOptions) -> Vec<usize> {
        self.candidates_of(&query.prepare(), opts, true)
            .into_iter()
            .map(|e| e as usize)
            .collect()
    }

    /// Reads the scoring data of all candidates once, one after the other, before any is
    /// scored.
    ///
    /// Scoring a candidate starts with memory no query has touched yet (its sketch,
    /// [`crate::score::Sketch`]), and within one candidate each load waits for the previous
    /// one's answer. Read here for all candidates in a row, with no dependence between them,
    /// those misses overlap (the processor keeps tens in flight), and scoring then finds the
    /// data in cache: the mean query time fell by about a fifth (BENCHMARKS.md). The sum read
    /// is discarded through [`std::hint::black_box`] so that the reads are not optimised away.
    fn load_ahead<J>(&self, candidates: &[(u32, J)]) {
        let records = candidates
            .iter()
            .filter_map(|(e, _)| self.prepared.get(*e as usize));
        std::hint::black_box(crate::score::load_ahead(records));
    }

    /// Screens one query: hits at or above the threshold, best first, at most `limit`.
    pub fn screen(&self, query: &Query, opts: &ScreenOptions) -> Vec<Hit> {
        let q = query.prepare();
        let fingerprint = opts
            .allow
            .as_ref()
            .filter(|a| !a.is_empty())
            .map(|_| fingerprint(query));
        let candidates = self.candidates_of(&q, opts, false).into_iter();
        // Candidates whose birth date, country or gender leave no name enough are dropped
        // before their names are read, their qualifiers judged once.
        let candidates: Vec<_> = if opts.exhaustive {
            candidates.map(|e| (e, None)).collect()
        } else {
            candidates
                .filter_map(|e| {
                    reachable(&q, &self.prepared[e as usize], opts.threshold)
                        .map(|judged| (e, Some(judged)))
                })
                .collect()
        };
        self.load_ahead(&candidates);
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .filter_map(|(e, judged)| {
                let c = &self.prepared[e as usize];
                let scored = match judged {
                    None => compare(&q, c, opts.threshold),
                    Some(judged) => screen_judged(&q, c, opts.threshold, judged)?,
                };
                (scored.score >= opts.threshold).then(|| {
                    let id = &self.entities[e as usize].id;
                    let suppressed = opts
                        .allow
                        .as_ref()
                        .zip(fingerprint.as_deref())
                        .and_then(|(allow, fp)| allow.suppression(fp, id));
                    Hit {
                        index: e as usize,
                        id: id.clone(),
                        score: scored.score,
                        is_match: scored.is_match && suppressed.is_none(),
                        explanations: scored.explanations,
                        suppressed,
                    }
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        hits.truncate(opts.limit);
        hits
    }

    /// Screens many queries on all of the machine's cores; results in query order.
    ///
    /// Threads take small blocks of queries from a shared counter rather than one fixed share
    /// each: queries differ in cost tenfold (the latency example's p50 against its maximum),
    /// and with fixed shares a core stays idle once its share is done.
    pub fn screen_batch(&self, queries: &[Query], opts: &ScreenOptions) -> Vec<Vec<Hit>> {
        const BLOCK: usize = 16;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let next = std::sync::atomic::AtomicUsize::new(0);
        let blocks = queries.len().div_ceil(BLOCK);
        let work = || {
            let mut done: Vec<(usize, Vec<Vec<Hit>>)> = Vec::new();
            loop {
                let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let start = b.saturating_mul(BLOCK);
                if start >= queries.len() {
                    return done;
                }
                let part = &queries[start..queries.len().min(start + BLOCK)];
                done.push((b, part.iter().map(|q| self.screen(q, opts)).collect()));
            }
        };
        let mut done: Vec<(usize, Vec<Vec<Hit>>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(blocks).max(1))
                .map(|_| s.spawn(work))
                .collect();
            // A screening does not panic; if one did, its queries' results would be missing,
            // so the panic goes on to the caller rather than a shorter answer.
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        done.sort_unstable_by_key(|(b, _)| *b);
        done.into_iter().flat_map(|(_, hits)| hits).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dualtrace_model::{Property, Schema};
    use std::collections::HashMap;

    #[test]
    fn a_vocabulary_token_must_share_enough_trigrams() {
        // Dice 2n / (grams + 3) >= 0.5 at the shortest indexed length.
        assert_eq!(min_shared_grams(5), 2);
        assert_eq!(min_shared_grams(6), 3);
        assert_eq!(min_shared_grams(9), 3);
        assert_eq!(min_shared_grams(10), 4);
    }

    /// The vocabulary tokens reaching the minimum Dice, by counting every trigram list.
    fn reached_by_full_count(index: &Index, word: &str) -> Vec<(u32, u16)> {
        let grams = trigrams(word);
        let mut counts: HashMap<u32, u16> = HashMap::new();
        for g in &grams {
            for id in index.by_gram.get(g).into_iter().flatten() {
                *counts.entry(*id).or_default() += 1;
            }
        }
        let mut out: Vec<(u32, u16)> = counts
            .into_iter()
            .filter(|(id, n)| {
                let len = index.terms[*id as usize].len as usize;
                2.0 * f32::from(*n) / (grams.len() + len) as f32 >= MIN_DICE
            })
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn pruned_trigram_counting_reaches_the_tokens_full_counting_does() {
        let names = [
            "Marina Petrova",
            "Marek Petrov",
            "Maria Ivanova",
            "Mariam Anwar",
            "Marian Petrovic",
            "Petra Marinova",
            "Ivan Marin",
            "Anna Petrakova",
            "Annamaria Petro",
            "Ana Maria Ivanovna",
        ];
        let index = Index::build(people(&names));
        let mut shared = Dense::default();
        for word in [
            "marina",
            "petrova",
            "ivanova",
            "annamaria",
            "mariam",
            "petrovich",
        ] {
            shared.fit(index.terms.len());
            index.count_shared_grams(&trigrams(word), &mut shared);
            let grams = trigrams(word).len();
            let mut pruned: Vec<(u32, u16)> = shared
                .drain()
                .filter(|(id, n)| {
                    let len = index.terms[*id as usize].len as usize;
                    2.0 * f32::from(*n) / (grams + len) as f32 >= MIN_DICE
                })
                .collect();
            pruned.sort_unstable();
            let full = reached_by_full_count(&index, word);
            assert!(!full.is_empty(), "{word}");
            assert_eq!(pruned, full, "{word}");
        }
    }

    /// Persons with these names, ids `p-0`, `p-1`, ...
    fn people(names: &[&str]) -> Vec<Entity> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut e = Entity::new(format!("p-{i}"), Schema::Person);
                e.add(Property::Name, n).ok();
                e
            })
            .collect()
    }

    /// What screening a query gives: the candidates, best first, and the hits with scores.
    fn screened(index: &Index, q: &Query) -> (Vec<usize>, Vec<(String, u64)>) {
        let opts = ScreenOptions {
            threshold: 0.5,
            limit: 20,
            ..ScreenOptions::default()
        };
        let hits = index.screen(q, &opts);
        let hits = hits
            .into_iter()
            .map(|h| (h.id, h.score.to_bits()))
            .collect();
        (index.candidates(q, &opts), hits)
    }

    /// [`screened`] on a thread of its own: nothing kept from an earlier query.
    fn screened_afresh(index: &Index, q: &Query) -> (Vec<usize>, Vec<(String, u64)>) {
        std::thread::scope(|s| s.spawn(|| screened(index, q)).join())
            .unwrap_or_else(|_| panic!("screening {q:?} panicked"))
    }

    #[test]
    fn what_a_thread_keeps_across_queries_changes_no_result() {
        let listed = people(&[
            "Marina Petrova",
            "Mohammad Ali Hassan",
            "Abdul Rahman Al Tikriti",
            "Ivan Petrov",
            "Ali Mohamed Ibrahim",
            "Li Mei",
            "Анна Маринова",
            "Mariam Anwar",
        ]);
        let other = people(&[
            "Petrov Ivanovich",
            "Hassan Ali",
            "Marina Petrovic",
            "Ibrahim Al Tikriti",
        ]);
        let (a, b) = (Index::build(listed), Index::build(other));
        let queries: Vec<Query> = [
            "Marina Petrova",
            "Марина Петрова",
            "Mohammed Ali",
            "Ali Hassan",
            "Abd al-Rahman al-Tikriti",
            "Petrov, Ivan",
            "Li Mei",
            "Mohamad Ali Hasan",
            "محمد علي حسن",
            "Marina Petrova",
        ]
        .into_iter()
        .map(Query::name)
        .collect();
        let fresh: Vec<_> = queries.iter().map(|q| screened_afresh(&a, q)).collect();
        assert!(fresh.iter().filter(|(_, hits)| !hits.is_empty()).count() >= 6);
        // One thread, one query after the other, and the other index in between: the
        // tokens met before (expansions, prepared tokens) are taken from what it kept.
        for (q, expected) in queries.iter().zip(&fresh) {
            assert_eq!(&screened(&a, q), expected, "{q:?}");
            assert_eq!(
                screened(&b, q),
                screened_afresh(&b, q),
                "{q:?} on the other index"
            );
        }
    }

    #[test]
    fn expansions_start_afresh_on_another_index_or_when_full() {
        let mut x = Expansions::default();
        x.fit(7, 4);
        x.hits.extend([(1, 1.0), (2, 0.5), (3, 0.25)]);
        x.ranges.insert(
            (TokenText::from("ivan"), TokenClass::Word, Lossy::No),
            (0, 3),
        );
        x.fit(7, 4);
        assert_eq!(x.hits.len(), 3, "kept: the same index, not full");
        x.fit(8, 4);
        assert!(x.hits.is_empty() && x.ranges.is_empty(), "another index");
        x.hits.extend([(1, 1.0); 5]);
        x.ranges.insert(
            (TokenText::from("ivan"), TokenClass::Word, Lossy::No),
            (0, 5),
        );
        x.fit(8, 4);
        assert!(x.hits.is_empty() && x.ranges.is_empty(), "full");
    }

    #[test]
    fn a_token_is_met_again_only_with_its_class_and_scripts_lossiness() {
        let tok = Tok::of_text;
        let mut x = Expansions::default();
        x.fit(9, 16);
        x.hits.push((1, 1.0));
        x.ranges.insert(
            (TokenText::from("ali"), TokenClass::Word, Lossy::No),
            (0, 1),
        );
        assert_eq!(
            x.get(&tok("ali", TokenClass::Word), Lossy::No),
            Some((0, 1))
        );
        // A skeleton reaches further from an abjad's token: not the Latin token's hits.
        assert_eq!(x.get(&tok("ali", TokenClass::Word), Lossy::Abjad), None);
        assert_eq!(x.get(&tok("ali", TokenClass::Generic), Lossy::No), None);
        assert_eq!(x.get(&tok("alia", TokenClass::Word), Lossy::No), None);
    }

    proptest::proptest! {
        #[test]
        fn trigrams_are_the_padded_windows(token in "[a-z0-9]{0,12}") {
            let padded = format!(" {token} ");
            let mut expected: Vec<[u8; 3]> = padded
                .as_bytes()
                .windows(3)
                .map(|w| [w[0], w[1], w[2]])
                .collect();
            expected.sort_unstable();
            expected.dedup();
            proptest::prop_assert_eq!(trigrams(&token), expected);
        }
    }
}
