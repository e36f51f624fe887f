//! Token text stored inline: the folded text, phonetic key and skeleton of a token.
//!
//! Scoring compares tokens by the million per second, and the strings of a token were three
//! heap allocations each: comparing two tokens meant following pointers to memory nobody had
//! touched yet (the cache misses that dominated the pruning bound's profile), and an index of
//! a million entities carried tens of millions of small allocations. Nearly every token is
//! short, so a token's strings are [`smol_str::SmolStr`]s: up to 23 bytes inside the value
//! itself (as large as a `String`), only longer text on the heap.

/// A token's text: inline when short, on the heap otherwise.
pub(crate) type TokenText = smol_str::SmolStr;

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest text kept inline.
    const INLINE: usize = 23;

    #[test]
    fn short_text_is_inline_and_long_text_on_the_heap() {
        let short = TokenText::new("putin");
        assert!(!short.is_heap_allocated());
        assert_eq!(short.as_str(), "putin");
        assert_eq!(short.len(), 5);
        let long = TokenText::new("abcdefghijklmnopqrstuvwxyz");
        assert!(long.is_heap_allocated());
        assert_eq!(&*long, "abcdefghijklmnopqrstuvwxyz");
        let edge = "x".repeat(INLINE);
        assert!(!TokenText::new(&edge).is_heap_allocated());
        assert!(TokenText::new(format!("{edge}y")).is_heap_allocated());
    }

    #[test]
    fn equality_is_equality_of_the_text() {
        assert_eq!(TokenText::new("ivan"), TokenText::new("ivan"));
        assert_ne!(TokenText::new("ivan"), TokenText::new("ivana"));
        assert_ne!(TokenText::new("ivan"), TokenText::new("iv"));
        assert!(TokenText::new("").is_empty());
        // Multi-byte text stays whole.
        let t = TokenText::new("ён");
        assert_eq!(t.as_str(), "ён");
        assert_eq!(t.as_bytes(), "ён".as_bytes());
        assert_eq!(t.chars().count(), 2);
    }
}
