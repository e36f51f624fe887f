//! Which names analyse alike: what a name's renderings depend on, so that a matcher analyses
//! and compares one name of several a record writes alike.
//!
//! A listed party's record repeats its names with other case and punctuation ("AL-SHABAAB",
//! "Al-Shabaab", "Al Shabaab"; "Hisb'ul Shabaab", "Hisbul Shabaab"): in the 960 records of
//! the screening benchmark's 500 pairs, about 2,000 of the 10,600 names analyse exactly like
//! an earlier name of the same record. An ASCII name's one rendering is its fold
//! ([`crate::fold`]: case and punctuation gone, apostrophes deleted), and its tokens, classes
//! and script follow from that fold and the name's kind alone: two such names give the same
//! [`crate::renderings`]. Organisation and vessel names join dotted abbreviations before
//! folding ("S.A." is "sa", "S A" is "s a"), so one with a dot is keyed by its text, as is any
//! name that is not ASCII (its transliteration may read case or marks).

use crate::NameKind;
use crate::fold::{fold_ascii, for_each_folded_byte};

/// What a name's [`crate::renderings`] depend on besides its kind: names of one kind with
/// equal keys get equal renderings (and script). Unequal keys say nothing.
#[derive(Debug, Clone, Copy)]
pub struct RenderingKey<'a> {
    text: &'a str,
    /// Whether the key is the text's ASCII fold (else the text itself).
    folded: bool,
}

impl<'a> RenderingKey<'a> {
    /// The key of `name` analysed as `kind`.
    pub fn of(name: &'a str, kind: NameKind) -> RenderingKey<'a> {
        let joins_dots = matches!(kind, NameKind::Organization | NameKind::Vessel);
        RenderingKey {
            text: name,
            folded: name.is_ascii() && !(joins_dots && name.contains('.')),
        }
    }

    /// A hash of the key (FNV-1a over its bytes): equal keys hash alike, so a record's names
    /// are compared only when their hashes meet (long shared beginnings, "Al-Haramain
    /// Foundation (...)", made comparing every pair of a record's names cost more).
    pub fn hash(&self) -> u64 {
        const PRIME: u64 = 0x0100_0000_01b3;
        let step = |h: u64, b: u8| (h ^ u64::from(b)).wrapping_mul(PRIME);
        let mut h = 0xcbf2_9ce4_8422_2325_u64;
        if self.folded {
            for_each_folded_byte(self.text, |b| h = step(h, b));
        } else {
            // Led by a byte no fold holds: a text key and a fold key seldom hash alike (they
            // are never equal).
            h = self.text.bytes().fold(step(h, 0xFF), step);
        }
        h
    }
}

impl PartialEq for RenderingKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self.folded, other.folded) {
            // Two folds built: a record's search asks only keys whose hashes met.
            (true, true) => fold_ascii(self.text) == fold_ascii(other.text),
            (false, false) => self.text == other.text,
            _ => false,
        }
    }
}

impl Eq for RenderingKey<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::renderings;
    use proptest::prelude::*;

    const KINDS: [NameKind; 4] = [
        NameKind::Person,
        NameKind::Organization,
        NameKind::Vessel,
        NameKind::Any,
    ];

    #[test]
    fn names_written_alike_share_a_key() {
        let key = |n| RenderingKey::of(n, NameKind::Organization);
        assert_eq!(key("AL-SHABAAB"), key("Al Shabaab"));
        assert_eq!(key("Hisb'ul Shabaab"), key("hisbul  shabaab!"));
        assert_eq!(key(" Al-Shabaab "), key("al shabaab"));
        assert_ne!(key("Al Shabaab"), key("AlShabaab"));
        // Dots join abbreviations of organisations: the text is the key.
        assert_ne!(key("Acme S.A."), key("Acme S A"));
        assert_eq!(key("Acme S.A."), key("Acme S.A."));
        assert_eq!(
            RenderingKey::of("A.B. Smith", NameKind::Person),
            RenderingKey::of("a b smith", NameKind::Person)
        );
        // Text beyond ASCII is its own key.
        assert_ne!(
            RenderingKey::of("Иван", NameKind::Person),
            RenderingKey::of("ИВАН", NameKind::Person)
        );
    }

    /// A name, then the same with its case changed, breaks replaced, spaces and apostrophes
    /// added: most pairs drawn fold alike, some do not.
    fn respelled() -> impl Strategy<Value = (String, String)> {
        ("[A-Za-z0-9 .,'`-]{0,24}", any::<u64>()).prop_map(|(name, seed)| {
            let mut other = String::new();
            for (i, c) in name.chars().enumerate() {
                let bit = |k: usize| (seed >> ((i * 3 + k) % 64)) & 1 == 1;
                match c {
                    ' ' | '.' | ',' | '-' if bit(0) => {
                        other.push_str(if bit(1) { "-" } else { ", " })
                    }
                    c if bit(2) => other.push(c.to_ascii_uppercase()),
                    c => other.push(c),
                }
                if bit(1) && bit(2) {
                    other.push('\'');
                }
            }
            (name, other)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn the_key_hashes_the_ascii_fold(text in "[ -~]{0,40}") {
            let fold = fold_ascii(&text).into_bytes();
            // The hash of the fold, byte by byte.
            let fnv = fold.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            });
            prop_assert_eq!(RenderingKey::of(&text, NameKind::Person).hash(), fnv);
        }

        #[test]
        fn names_with_equal_keys_get_equal_renderings((a, b) in respelled()) {
            for kind in KINDS {
                let (ka, kb) = (RenderingKey::of(&a, kind), RenderingKey::of(&b, kind));
                if ka == kb {
                    prop_assert_eq!(ka.hash(), kb.hash());
                    prop_assert_eq!(renderings(&a, kind), renderings(&b, kind));
                }
                prop_assert_eq!(ka == kb, kb == ka);
            }
        }

        #[test]
        fn a_name_is_its_own_key(a in "\\PC{0,30}") {
            for kind in KINDS {
                let k = RenderingKey::of(&a, kind);
                prop_assert_eq!(k, k);
                prop_assert_eq!(k.hash(), RenderingKey::of(&a, kind).hash());
            }
        }
    }
}
