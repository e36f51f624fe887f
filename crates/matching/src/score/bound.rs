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
//! so far, nor the floor a screening sets (the threshold less the largest bonus a qualifier can
//! add): a candidate none of whose pairs reaches the floor is dropped without any alignment or
//! explanation. The bound skips work and never changes a result; the tests compare pruned and
//! exhaustive scoring on the real lists.

use super::{Lossy, NameForm, Tok, TokenClass, Variant, joined_score, pair_cost, unmatched_share};

/// Whether a distinct token (by slot) may align with some token on the other side, and the
/// longest aligned length of such a pair.
type Slot = (bool, f64);

/// The reach of the distinct tokens of two names, one entry per slot of each record.
#[derive(Debug, Default)]
pub(super) struct Reach {
    q: Vec<Slot>,
    c: Vec<Slot>,
    /// Bounds of the candidate name's renderings, in variant order.
    c_sides: Vec<Side>,
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
    /// Starts a comparison of records with `nq` and `nc` distinct tokens.
    pub(super) fn begin(&mut self, nq: usize, nc: usize) {
        if self.q.len() < nq {
            self.q.resize(nq, (false, 0.0));
        }
        if self.c.len() < nc {
            self.c.resize(nc, (false, 0.0));
        }
    }

    /// Computes which distinct tokens of two names may align and the candidate renderings'
    /// bounds. Returns `false` when a name's distinct tokens are unknown
    /// ([`super::assign_slots`]): no bound then.
    ///
    /// The pair costs are computed afresh rather than read from the comparison's cost cache:
    /// nearly every pair is seen once, and the cache's table, spread over memory, cost more in
    /// cache misses than the computations (measured: p50 0.79 -> 0.67 ms per query).
    pub(super) fn fill(
        &mut self,
        qn: &NameForm,
        cn: &NameForm,
        (strict, lossy): (bool, Lossy),
    ) -> bool {
        self.c_sides.clear();
        if qn.distinct.is_empty() || cn.distinct.is_empty() {
            return false;
        }
        for t in &qn.distinct {
            reset(&mut self.q, t);
        }
        for t in &cn.distinct {
            reset(&mut self.c, t);
        }
        for a in &qn.distinct {
            for b in &cn.distinct {
                if let Some((_, len, _)) = pair_cost(a, b, strict, lossy) {
                    reach(&mut self.q, a, len);
                    reach(&mut self.c, b, len);
                }
            }
        }
        for v in &cn.variants {
            let side = side(&self.c, v);
            self.c_sides.push(side);
        }
        true
    }

    /// The bounds of a query rendering (after [`Reach::fill`]).
    pub(super) fn query_side(&self, v: &Variant) -> Side {
        side(&self.q, v)
    }

    /// The bounds of the candidate name's rendering at `at` (after [`Reach::fill`]).
    pub(super) fn candidate_side(&self, at: usize) -> Option<Side> {
        self.c_sides.get(at).copied()
    }
}

fn reset(slots: &mut [Slot], t: &Tok) {
    if let Some(s) = slots.get_mut(usize::from(t.slot)) {
        *s = (false, 0.0);
    }
}

fn reach(slots: &mut [Slot], t: &Tok, len: f64) {
    if let Some(s) = slots.get_mut(usize::from(t.slot)) {
        *s = (true, s.1.max(len));
    }
}

/// A rendering's bounds from its tokens' reach; a token outside the slots counts as able to
/// align anything (no bound).
fn side(slots: &[Slot], v: &Variant) -> Side {
    let mut side = Side {
        unmatched: 0.0,
        aligned: 0.0,
        titled: false,
    };
    for t in &v.toks {
        match slots.get(usize::from(t.slot)) {
            Some(&(true, longest)) => side.aligned += longest,
            Some(&(false, _)) => side.unmatched += t.unmatched_weight(),
            None => side.aligned = f64::INFINITY,
        }
        side.titled |= t.class == TokenClass::Honorific;
    }
    side
}

/// The highest score a comparison of two renderings can reach (see the module docs).
pub(super) fn pair_bound(q: &Variant, qs: Side, c: &Variant, cs: Side, strict: bool) -> f64 {
    let aligned = qs.aligned.min(cs.aligned);
    let tokens = if !aligned.is_finite() {
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
    };
    joined_score(q, c, strict).map_or(tokens, |j| tokens.max(j))
}
