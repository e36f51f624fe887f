//! The dualtrace screening engine: given a party (a name, maybe a birth date, a country, an
//! identifier), find the listed entities it may be, with a score an analyst can trust and an
//! explanation they can defend to a regulator.
//!
//! * [`Index`] ([`index`]): built once from the loaded lists, in process (no search server),
//!   `Send + Sync`; candidate generation over name tokens, phonetic keys and trigrams plus exact
//!   identifier lookup, then full scoring of the best candidates.
//! * [`Query`] ([`query`]): the party to screen, loosely typed as customer records are.
//! * [`score_pair`] and the feature model ([`score`]): names aligned token by token on their
//!   Latin renderings, identifiers, birth date, country, gender and schema; 0..1, calibrated so
//!   that only identical names reach 1.0.
//! * [`Explanations`] ([`explain`]): every feature compared, with its contribution.
//! * [`allow`]: analysts' false-positive decisions, applied to screening as suppressions.
//! * [`eval`] and [`noise`]: the measured quality on the labelled data of the shared folder.
//!
//! Name analysis (transliteration, folding, legal forms, phonetic keys) is the job of
//! `dualtrace-names`; this crate decides what the analysed names mean for a match.

pub mod allow;
pub mod eval;
pub mod explain;
pub mod index;
pub mod noise;
pub mod query;
pub mod score;

pub use allow::{AllowEntry, AllowList, Suppression, fingerprint};
pub use explain::{Explanations, Feature};
pub use index::{Hit, Index, ScreenOptions};
pub use query::Query;
pub use score::{DEFAULT_THRESHOLD, NameCache, PairRecord, Scored, score_pair, score_records};

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn index_is_shareable() {
        assert_send_sync::<Index>();
    }
}
