//! The hasher of the crate's fixed tables (legal forms and other terms, given names), also
//! used by the matcher for its per-record and per-query maps of tokens.
//!
//! Every token of every rendering is looked up in these tables, several times for a name, so
//! the hash is on the hot path of name analysis. The standard SipHash resists hash flooding,
//! which a table built once from constants does not need; `foldhash`'s fast hasher (the one
//! `hashbrown` uses) costs a few instructions per eight bytes. Lookups only read the tables, so
//! an input cannot make them slower than its own length, and no code depends on the tables'
//! iteration order.

use std::collections::HashMap;

/// A `HashMap` with `foldhash`'s fast, fixed-seed hasher (see the module docs): for maps whose
/// keys are not chosen by an adversary who could make them collide (names are short, and a
/// record or a query holds a few hundred at most).
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_alike_and_tables_find_them() {
        let mut map: FastMap<String, u32> = FastMap::default();
        for (i, k) in [
            "",
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "ооо",
            "you xian gong si",
        ]
        .iter()
        .enumerate()
        {
            map.insert((*k).to_string(), i as u32);
        }
        assert_eq!(map.get("abcdefghi"), Some(&4));
        assert_eq!(map.get("ооо"), Some(&5));
        assert_eq!(map.get("you xian gong si"), Some(&6));
        assert_eq!(map.get(""), Some(&0));
        assert_eq!(map.get("abcdefgh "), None);
        let hash = |s: &str| foldhash::fast::FixedState::default().hash_one(s);
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash("ab"), hash("ba"));
    }
}
