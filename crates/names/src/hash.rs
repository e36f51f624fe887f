//! The hasher of the crate's fixed tables (legal forms and other terms, given names).
//!
//! Every token of every rendering is looked up in these tables, several times for a name, so
//! the hash is on the hot path of name analysis. The standard SipHash resists hash flooding,
//! which a table built once from constants does not need; this is the multiply-rotate hash of
//! the Rust compiler (`FxHasher`), a few instructions per eight bytes. Lookups only read the
//! tables, so an input cannot make them slower than its own length.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The multiply-rotate hash (see the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let hash = |s: &str| {
            let mut h = FastHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash("ab"), hash("ba"));
    }
}
