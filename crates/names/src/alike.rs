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
        let seed = 0xcbf2_9ce4_8422_2325_u64;
        if !self.folded {
            // Led by a byte no fold holds: a text key and a fold key seldom hash alike (they
            // are never equal).
            return self.text.bytes().fold(step(seed, 0xFF), step);
        }
        // [`AsciiFolded`] written out as one loop over the bytes.
        let (mut h, mut gap, mut started) = (seed, false, false);
        for &b in self.text.as_bytes() {
            match FOLDED.get(usize::from(b)).copied().unwrap_or(BREAK) {
                BREAK => gap = true,
                DELETED => {}
                f => {
                    if gap && started {
                        h = step(h, b' ');
                    }
                    (gap, started) = (false, true);
                    h = step(h, f);
                }
            }
        }
        h
    }
}

/// [`FOLDED`]'s mark of a byte that breaks words.
const BREAK: u8 = 0;
/// [`FOLDED`]'s mark of a byte deleted (apostrophe, backtick).
const DELETED: u8 = 1;

/// Per ASCII byte: its lowercase if it is a letter or a digit, else [`BREAK`] or [`DELETED`].
const FOLDED: [u8; 128] = {
    let mut table = [BREAK; 128];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = b.to_ascii_lowercase();
        } else if b == b'\'' || b == b'`' {
            table[b as usize] = DELETED;
        }
        b += 1;
    }
    table
};

impl PartialEq for RenderingKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self.folded, other.folded) {
            (true, true) => AsciiFolded::new(self.text).eq(AsciiFolded::new(other.text)),
            (false, false) => self.text == other.text,
            _ => false,
        }
    }
}

impl Eq for RenderingKey<'_> {}

/// The bytes of [`crate::fold::fold_ascii`] of an ASCII text, one at a time and without a
/// copy: lowercase letters and digits, one space for any run of other characters between
/// them, apostrophes and backticks deleted.
struct AsciiFolded<'a> {
    bytes: std::slice::Iter<'a, u8>,
    /// Whether a break was met since the last letter or digit.
    gap: bool,
    /// Whether a letter or digit was given yet (a break before the first gives no space).
    started: bool,
    /// The letter or digit to give after the space of a break.
    pending: Option<u8>,
}

impl<'a> AsciiFolded<'a> {
    fn new(text: &'a str) -> AsciiFolded<'a> {
        AsciiFolded {
            bytes: text.as_bytes().iter(),
            gap: false,
            started: false,
            pending: None,
        }
    }
}

impl Iterator for AsciiFolded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if let Some(b) = self.pending.take() {
            return Some(b);
        }
        loop {
            match FOLDED
                .get(usize::from(*self.bytes.next()?))
                .copied()
                .unwrap_or(BREAK)
            {
                BREAK => self.gap = true,
                DELETED => {}
                lower => {
                    let space = self.gap && self.started;
                    (self.gap, self.started) = (false, true);
                    if space {
                        self.pending = Some(lower);
                        return Some(b' ');
                    }
                    return Some(lower);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::fold_ascii;
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
        fn the_key_iterator_and_hash_give_the_ascii_fold(text in "[ -~]{0,40}") {
            let bytes: Vec<u8> = AsciiFolded::new(&text).collect();
            let fold = fold_ascii(&text).into_bytes();
            // The hash of the fold, byte by byte.
            let fnv = fold.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            });
            prop_assert_eq!(RenderingKey::of(&text, NameKind::Person).hash(), fnv);
            prop_assert_eq!(bytes, fold);
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
