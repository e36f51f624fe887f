//! Token text stored inline: the folded text, phonetic key and skeleton of a token.
//!
//! Scoring compares tokens by the million per second, and the strings of a token were three
//! heap allocations each: comparing two tokens meant following pointers to memory nobody had
//! touched yet (the cache misses that dominated the pruning bound's profile), and an index of
//! a million entities carried tens of millions of small allocations. Nearly every token is
//! short ASCII, so [`TokenText`] keeps up to [`INLINE`] bytes inside the token itself and
//! only longer text on the heap; equality compares the inline bytes without a pointer.

use std::fmt;
use std::ops::Deref;

/// Longest text kept inline (the whole value is as large as a `String`).
const INLINE: usize = 22;

/// A short string stored inline, or a longer one on the heap.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) enum TokenText {
    /// Up to [`INLINE`] bytes of UTF-8, zero-padded (so equal texts have equal arrays).
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Anything longer.
    Heap(Box<str>),
}

impl TokenText {
    /// The text, inline when it fits.
    pub(crate) fn new(text: &str) -> TokenText {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0u8; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                TokenText::Inline { len, bytes }
            }
            _ => TokenText::Heap(text.into()),
        }
    }

    /// The text as a string slice.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // The bytes were copied whole from a `str`, so they are valid UTF-8.
            TokenText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            TokenText::Heap(s) => s,
        }
    }

    /// The text's bytes, without the UTF-8 check of [`TokenText::as_str`].
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            TokenText::Inline { len, bytes } => &bytes[..usize::from(*len)],
            TokenText::Heap(s) => s.as_bytes(),
        }
    }

    /// Length in bytes, without reading the text.
    pub(crate) fn len(&self) -> usize {
        match self {
            TokenText::Inline { len, .. } => usize::from(*len),
            TokenText::Heap(s) => s.len(),
        }
    }

    /// Whether the text is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for TokenText {
    fn default() -> Self {
        TokenText::new("")
    }
}

impl Deref for TokenText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for TokenText {
    fn from(s: String) -> Self {
        TokenText::new(&s)
    }
}

impl PartialEq<str> for TokenText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for TokenText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for TokenText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_inline_and_long_text_on_the_heap() {
        let short = TokenText::new("putin");
        assert!(matches!(short, TokenText::Inline { .. }));
        assert_eq!(short.as_str(), "putin");
        assert_eq!(short.len(), 5);
        let long = TokenText::new("abcdefghijklmnopqrstuvwxyz");
        assert!(matches!(long, TokenText::Heap(_)));
        assert_eq!(&*long, "abcdefghijklmnopqrstuvwxyz");
        let edge = "x".repeat(INLINE);
        assert!(matches!(TokenText::new(&edge), TokenText::Inline { .. }));
        assert!(matches!(
            TokenText::new(&format!("{edge}y")),
            TokenText::Heap(_)
        ));
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
