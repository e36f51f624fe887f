//! ICU4X rule-based transliterators (CLDR transforms compiled into the binary), behind the
//! default cargo feature `icu`.
//!
//! Each transliterator is built once per thread, on first use (`thread_local!`: ICU4X
//! transliterators are not `Sync`); building one costs tens of microseconds, running one on a
//! short name about 10 µs (release build), far more for the Indic chains (Devanagari to
//! InterIndic to Latin: about 1.4 million instructions per three-word name). They are only
//! given the run of their own script, never the whole name. Used for Armenian, Georgian and
//! the Indic scripts other than Devanagari, which have no hand tables here (Devanagari's,
//! `devanagari`, gives ICU's folded output for a small fraction of the work). Not used, after
//! measurement: the BGN/PCGN transforms for Russian, Ukrainian, Belarusian and Greek (about
//! 100-300 µs per name in a release build, and the hand tables give the same folded strings),
//! the Han transform (milliseconds per name; the `pinyin` tables give the same syllables), and
//! the Arabic and Hebrew ones (consonant skeletons with scholarly diacritics; the hand tables
//! do better, see `semitic`). Without the feature every function here returns `None` and
//! callers fall back to hand tables or `deunicode`.

/// A transform this crate uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transform {
    /// Armenian to Latin.
    Armenian,
    /// Georgian to Latin.
    Georgian,
    /// Another script, by its lowercase ISO 15924 code (e.g. "deva").
    Script(&'static str),
}

#[cfg(feature = "icu")]
mod imp {
    use super::Transform;
    use icu_experimental::transliterate::Transliterator;
    use std::collections::HashMap;

    fn build(id: &str) -> Option<Transliterator> {
        Transliterator::try_new(&id.parse().ok()?).ok()
    }

    /// Scripts whose generic `und-Latn-t-und-xxxx` transform the compiled data has.
    const SCRIPTS: [&str; 9] = [
        "deva", "beng", "knda", "taml", "telu", "gujr", "guru", "mlym", "orya",
    ];

    // ICU4X transliterators are neither `Send` nor `Sync` (they hold `Rc`s and boxed trait
    // objects), so each thread builds its own on first use.
    thread_local! {
        static HY: Option<Transliterator> = build("und-Latn-t-und-armn");
        static KA: Option<Transliterator> = build("und-Latn-t-und-geor");
        static OTHER: HashMap<&'static str, Transliterator> = SCRIPTS
            .iter()
            .filter_map(|s| Some((*s, build(&format!("und-Latn-t-und-{s}"))?)))
            .collect();
    }

    pub(crate) fn transliterate(t: Transform, text: &str) -> Option<String> {
        let run =
            |tr: &Option<Transliterator>| tr.as_ref().map(|tr| tr.transliterate(text.to_string()));
        match t {
            Transform::Armenian => HY.with(run),
            Transform::Georgian => KA.with(run),
            Transform::Script(code) => {
                OTHER.with(|m| m.get(code).map(|tr| tr.transliterate(text.to_string())))
            }
        }
    }
}

#[cfg(not(feature = "icu"))]
mod imp {
    use super::Transform;

    pub(crate) fn transliterate(_t: Transform, _text: &str) -> Option<String> {
        None
    }
}

pub(crate) use imp::transliterate;

#[cfg(all(test, feature = "icu"))]
mod tests {
    use super::*;

    #[test]
    fn transforms_build_and_run() {
        assert_eq!(
            transliterate(Transform::Armenian, "Վլադիմիր Պուտին").as_deref(),
            Some("Vladimir Putin")
        );
        assert!(transliterate(Transform::Georgian, "ვლადიმერ").is_some());
        assert!(transliterate(Transform::Script("deva"), "पुतिन").is_some());
        assert!(transliterate(Transform::Script("zzzz"), "x").is_none());
    }
}
