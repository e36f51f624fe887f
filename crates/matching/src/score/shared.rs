//! Token-pair reaches shared by all the candidates of one screening query.
//!
//! The pruning bound ([`super::bound`]) asks, for every distinct token of every candidate,
//! which query tokens it may align with and for how long ([`super::pair_cost`]). Candidates
//! come to a query because they share tokens with it, so they share tokens with each other
//! too: on the allied index a query meets about 1,400 candidate tokens but only about 700
//! distinct ones. An index numbers the distinct tokens of all its records once
//! ([`TokenNumbering`], stored in each record's sketch), and a screening keeps, per numbered
//! token and comparison flags, the query tokens it reaches as a bit set with their aligned
//! lengths ([`QueryReach`]): each distinct candidate token is compared with each query token
//! once per query instead of once per candidate, and the bound's inner loop walks the bits of
//! the pairs that align instead of every pair.
//!
//! A cache belongs to one query and one numbering: it is told apart by the query sketch's
//! serial number (unique per sketch made) and the numbering's, and starts afresh when either
//! changes, so a stale entry is never read. A candidate not numbered (a record scored outside
//! an index, as `match` scores pairs) is known to the cache by its slots, for one comparison:
//! its names share tokens too. Queries with more than 64 distinct tokens go the direct way.

use super::{Tok, TokenClass, TokenText};
use dualtrace_names::FastMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Hands out serial numbers (of query sketches and of numberings), never 0.
static SERIALS: AtomicU64 = AtomicU64::new(1);

/// A serial number not handed out before in this process.
pub(crate) fn next_serial() -> u64 {
    SERIALS.fetch_add(1, Ordering::Relaxed)
}

/// What makes two tokens compare alike with any other ([`super::pair_cost`] reads nothing of
/// a token but its text, class and given-name groups, and what derives from the text).
type TokenIdentity = (TokenText, TokenClass, &'static [u16]);

/// Numbers the distinct tokens of an index's records (see the module docs).
#[derive(Debug)]
pub(crate) struct TokenNumbering {
    serial: u64,
    ids: FastMap<TokenIdentity, u32>,
}

impl Default for TokenNumbering {
    fn default() -> Self {
        TokenNumbering {
            serial: next_serial(),
            ids: FastMap::default(),
        }
    }
}

impl TokenNumbering {
    /// The numbering's serial number.
    pub(crate) fn serial(&self) -> u64 {
        self.serial
    }

    /// The number of a token (a new one for a token not seen before), `None` once the
    /// numbers run out.
    pub(crate) fn number(&mut self, t: &Tok) -> Option<u32> {
        let next = u32::try_from(self.ids.len()).ok()?;
        Some(
            *self
                .ids
                .entry((t.text.clone(), t.class, t.given))
                .or_insert(next),
        )
    }
}

/// How many combinations of comparison flags there are ([`super::bound`]'s planes).
pub(super) const PLANES: usize = 6;

/// What is known of one numbered token against the query's tokens, for one flag plane.
#[derive(Debug, Clone, Copy, Default)]
struct Known {
    /// The query slots already compared with the token.
    asked: u64,
    /// Among them, those it may align with.
    reached: u64,
    /// Where its aligned lengths start in [`QueryReach::lengths`] (one per query slot), if
    /// any was recorded.
    lengths: Option<u32>,
}

/// The per-query cache of token-pair reaches (see the module docs).
#[derive(Debug, Default)]
pub(super) struct QueryReach {
    /// The query sketch and the numbering the entries belong to.
    owner: (u64, u64),
    /// Tells this query's rows from older ones, so that a new query clears nothing.
    stamp: u32,
    /// Per numbered token: the stamp of the query that met it, and its block of
    /// [`PLANES`] entries in `known`.
    rows: Vec<(u32, u32)>,
    known: Vec<Known>,
    lengths: Vec<f64>,
    /// Distinct query tokens.
    width: usize,
}

impl QueryReach {
    /// Makes the cache that of a query with `width` distinct tokens (at most 64) and serial
    /// `query`, against a numbering of serial `numbering`: kept if it already is, emptied
    /// otherwise (then returns `true`).
    pub(super) fn enter(&mut self, query: u64, numbering: u64, width: usize) -> bool {
        if self.owner == (query, numbering) && self.width == width {
            return false;
        }
        self.owner = (query, numbering);
        self.width = width;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.rows.fill((0, 0));
            self.stamp = 1;
        }
        self.known.clear();
        self.lengths.clear();
        true
    }

    /// The query slots among `wanted` that the numbered token `id` may align with, under
    /// flag plane `plane`, and where its aligned lengths are; `reach(a)` compares query slot
    /// `a` with the token, called once per query for each slot, plane and token, unless
    /// `none()`, asked once before the first of them, says that no query slot can align.
    pub(super) fn reached(
        &mut self,
        id: u32,
        plane: usize,
        wanted: u64,
        none: impl FnOnce() -> bool,
        mut reach: impl FnMut(u16) -> Option<f64>,
    ) -> (u64, usize) {
        let at = id as usize;
        if self.rows.len() <= at {
            self.rows.resize(at + 1, (0, 0));
        }
        let row = &mut self.rows[at];
        if row.0 != self.stamp {
            *row = (
                self.stamp,
                u32::try_from(self.known.len()).unwrap_or(u32::MAX),
            );
            self.known.extend([Known::default(); PLANES]);
        }
        let Some(known) = self.known.get_mut(row.1 as usize + plane % PLANES) else {
            return (0, 0);
        };
        let mut need = wanted & !known.asked;
        if need != 0 && none() {
            need = 0;
        }
        while need != 0 {
            let a = need.trailing_zeros();
            need &= need - 1;
            let Some(len) = reach(a as u16) else { continue };
            let from = match known.lengths {
                Some(from) => from as usize,
                None => {
                    let from = self.lengths.len();
                    self.lengths.resize(from + self.width, 0.0);
                    known.lengths = u32::try_from(from).ok();
                    from
                }
            };
            if let Some(slot) = self.lengths.get_mut(from + a as usize) {
                *slot = len;
                known.reached |= 1 << a;
            }
        }
        known.asked |= wanted;
        (
            known.reached & wanted,
            known.lengths.map_or(0, |l| l as usize),
        )
    }

    /// Reads the entries of the numbered tokens `ids` (whichever query they belong to) and
    /// returns a meaningless sum: a load-ahead, so that the misses on this array, which is as
    /// long as the index's vocabulary of distinct tokens, overlap before scoring.
    pub(super) fn touch(&self, ids: &[u32]) -> u64 {
        ids.iter()
            .filter_map(|id| self.rows.get(*id as usize))
            .fold(0, |s, row| s ^ u64::from(row.0))
    }

    /// The aligned length of query slot `a` in a token's lengths starting at `from`.
    pub(super) fn length(&self, from: usize, a: u32) -> f64 {
        self.lengths.get(from + a as usize).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// A made-up reach: query slot `a` and token `id` align when their sum is divisible by
    /// three, for `a + id + plane` letters.
    fn direct(id: u32, plane: usize, a: u16) -> Option<f64> {
        (u32::from(a) + id)
            .is_multiple_of(3)
            .then_some(f64::from(a) + f64::from(id) + plane as f64)
    }

    proptest! {
        #[test]
        fn the_cache_gives_the_direct_reach_and_asks_each_pair_once(
            asks in proptest::collection::vec((0u32..40, 0usize..PLANES, any::<u64>()), 1..200),
            width in 1usize..=64,
        ) {
            let mut cache = QueryReach::default();
            cache.enter(7, 9, width);
            let all = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
            let mut asked: HashMap<(u32, usize, u16), usize> = HashMap::new();
            for (id, plane, wanted) in asks {
                let wanted = wanted & all;
                let (bits, from) = cache.reached(id, plane, wanted, || false, |a| {
                    *asked.entry((id, plane, a)).or_default() += 1;
                    direct(id, plane, a)
                });
                for a in 0..width as u16 {
                    let expected = (wanted >> a) & 1 == 1 && direct(id, plane, a).is_some();
                    prop_assert_eq!((bits >> a) & 1 == 1, expected);
                    if expected {
                        prop_assert_eq!(Some(cache.length(from, u32::from(a))), direct(id, plane, a));
                    }
                }
            }
            prop_assert!(asked.values().all(|n| *n == 1));
        }
    }

    #[test]
    fn slots_none_can_align_with_are_not_compared_and_stay_asked() {
        let mut cache = QueryReach::default();
        cache.enter(1, 1, 4);
        let (bits, _) = cache.reached(3, 0, 0b0011, || true, |_| panic!("compared"));
        assert_eq!(bits, 0);
        // Asked already: neither compared nor pooled again; the other slots are.
        let mut compared = Vec::new();
        let (bits, _) = cache.reached(
            3,
            0,
            0b1111,
            || false,
            |a| {
                compared.push(a);
                Some(1.0)
            },
        );
        assert_eq!((bits, compared), (0b1100, vec![2, 3]));
    }

    #[test]
    fn another_query_or_numbering_starts_afresh() {
        let mut cache = QueryReach::default();
        cache.enter(1, 1, 4);
        assert_eq!(
            cache.reached(3, 0, 0b1111, || false, |_| Some(2.0)).0,
            0b1111
        );
        // The same query again: nothing asked anew.
        cache.enter(1, 1, 4);
        let (bits, _) = cache.reached(3, 0, 0b1111, || false, |_| panic!("asked again"));
        assert_eq!(bits, 0b1111);
        for (query, numbering) in [(2, 1), (2, 2)] {
            cache.enter(query, numbering, 4);
            let mut calls = 0;
            let (bits, _) = cache.reached(
                3,
                0,
                0b1111,
                || false,
                |a| {
                    calls += 1;
                    (a == 1).then_some(5.0)
                },
            );
            assert_eq!((bits, calls), (0b0010, 4));
        }
    }

    #[test]
    fn tokens_are_numbered_by_text_class_and_given_names() {
        let tok = Tok::of_text;
        let mut numbering = TokenNumbering::default();
        let ivan = numbering.number(&tok("ivan", TokenClass::Word));
        assert_eq!(ivan, Some(0));
        assert_eq!(numbering.number(&tok("ivan", TokenClass::Word)), ivan);
        assert_eq!(numbering.number(&tok("ivan", TokenClass::Generic)), Some(1));
        let mut given = tok("ivan", TokenClass::Word);
        given.given = &[1];
        assert_eq!(numbering.number(&given), Some(2));
        assert_ne!(TokenNumbering::default().serial(), numbering.serial());
    }
}
