//! Transliteration of any name to folded Latin, routed by script.
//!
//! A word mixing Latin and Cyrillic look-alike letters is first written in one script
//! (`homoglyph`). A name is then split into script runs; each run yields its own
//! romanisations (several for Cyrillic, Greek, Arabic, Hebrew, Han, kana and Hangul, one for
//! Latin) and the runs are recombined. Several renderings are kept because the lists themselves spell one person in
//! several systems: a query in Cyrillic must find "Sergey", "Sergei" and "Sergej", and a Latin
//! query must find an entry whose only name is Cyrillic. Every output is folded (see `fold`)
//! and anything still not ASCII after the tables (an unsupported script, a rare Latin letter
//! such as Azerbaijani ə) goes through `deunicode`.

mod cjk;
mod cyrillic;
mod devanagari;
mod greek;
mod icu;
mod semitic;

use crate::fold::{fold, fold_ascii, is_folded_ascii};
use crate::homoglyph::unify_scripts;
use crate::script::{Run, Script, runs};
use icu::{Transform, transliterate};

/// Upper bound on the variants of one name (mixed-script names multiply).
const MAX_VARIANTS: usize = 24;

/// Every plausible folded Latin rendering of `text`, best first, deduplicated.
///
/// Person-like readings (Chinese surname + joined given name, Korean conventional surnames)
/// are included; use [`crate::analyze`] with [`crate::NameKind::Organization`] to leave them
/// out for companies.
///
/// ```
/// use dualtrace_names::latin_variants;
/// let v = latin_variants("Сергей Лавров");
/// assert!(v.contains(&"sergey lavrov".to_string()));
/// assert!(v.contains(&"sergei lavrov".to_string()));
/// assert_eq!(latin_variants("Café René"), ["cafe rene"]);
/// ```
pub fn latin_variants(text: &str) -> Vec<String> {
    variants(text, true)
}

/// Folded Latin variants; `person_like` enables person-name readings of Han and Hangul.
pub(crate) fn variants(text: &str, person_like: bool) -> Vec<String> {
    variants_up_to(text, person_like, usize::MAX)
}

/// The first `most` of [`variants`] (the same, in the same order), without folding the
/// others: a matcher that keeps a few renderings need not finish the rest.
pub(crate) fn variants_up_to(text: &str, person_like: bool, most: usize) -> Vec<String> {
    if text.is_ascii() {
        return ascii_rendering(text).into_iter().take(most).collect();
    }
    variants_read_up_to(&unify_scripts(text), person_like, most)
}

/// [`variants_up_to`] of text whose mixed words are written in one script already
/// ([`unify_scripts`]), as [`crate::renderings`] reads it.
pub(crate) fn variants_read_up_to(text: &str, person_like: bool, most: usize) -> Vec<String> {
    if text.is_ascii() {
        return ascii_rendering(text).into_iter().take(most).collect();
    }
    let runs = runs(text);
    if let [run] = runs.as_slice() {
        return collect(run_variants(run, person_like), most);
    }
    let per_run: Vec<Vec<String>> = runs.iter().map(|r| run_variants(r, person_like)).collect();
    collect(combine(&per_run), most)
}

/// The best folded Latin rendering only (cheaper than `variants(..)[0]`, same result).
pub(crate) fn best(text: &str, person_like: bool) -> Option<String> {
    if text.is_ascii() {
        return ascii_rendering(text);
    }
    let first = |r: &Run<'_>| -> Vec<String> {
        match r.script {
            Script::Cyrillic => vec![cyrillic::first(r.text)],
            _ => run_variants(r, person_like).into_iter().take(1).collect(),
        }
    };
    let text = unify_scripts(text);
    let runs = runs(&text);
    if let [run] = runs.as_slice() {
        return collect(first(run), 1).into_iter().next();
    }
    let per_run: Vec<Vec<String>> = runs.iter().map(first).collect();
    collect(combine(&per_run), 1).into_iter().next()
}

/// The one rendering of ASCII text: its fold, unless that is empty. (ASCII text is one run of
/// Latin, or of no script, whose only romanisation is itself: the general path gives the
/// same, see the tests.)
fn ascii_rendering(text: &str) -> Option<String> {
    let folded = fold_ascii(text);
    (!folded.is_empty()).then_some(folded)
}

/// Folds and deduplicates renderings, dropping empty ones, until `most` are kept (the first
/// ones come out the same whatever `most` is). One run's variants need no recombination:
/// [`combine`] of a single run gives its variants back, then repeats them.
fn collect(combos: impl IntoIterator<Item = String>, most: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for combo in combos {
        if out.len() >= most {
            break;
        }
        let f = finish(combo);
        if !f.is_empty() && !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// The romanisations of one run (unfolded).
fn run_variants(run: &Run<'_>, person_like: bool) -> Vec<String> {
    let t = run.text;
    match run.script {
        Script::Latin | Script::None => vec![t.to_string()],
        Script::Cyrillic => cyrillic::variants(t),
        Script::Greek => greek::variants(t),
        Script::Armenian => icu_or_deunicode(Transform::Armenian, t),
        Script::Georgian => icu_or_deunicode(Transform::Georgian, t),
        Script::Arabic => semitic::arabic_variants(t),
        Script::Hebrew => semitic::hebrew_variants(t),
        Script::Han => cjk::han_variants(t, person_like),
        Script::Kana => cjk::kana_variants(t),
        Script::Hangul => cjk::hangul_variants(t, person_like),
        Script::Other => match script_code(run.uscript) {
            "deva" => match devanagari::latin(t) {
                Some(latin) => vec![latin],
                None => icu_or_deunicode(Transform::Script("deva"), t),
            },
            code => icu_or_deunicode(Transform::Script(code), t),
        },
    }
}

fn icu_or_deunicode(t: Transform, text: &str) -> Vec<String> {
    vec![transliterate(t, text).unwrap_or_else(|| deunicode::deunicode(text))]
}

/// The lowercase ISO 15924 code of the scripts with an ICU transform; "" for others.
fn script_code(u: unicode_script::Script) -> &'static str {
    use unicode_script::Script as U;
    match u {
        U::Devanagari => "deva",
        U::Bengali => "beng",
        U::Kannada => "knda",
        U::Tamil => "taml",
        U::Telugu => "telu",
        U::Gujarati => "gujr",
        U::Gurmukhi => "guru",
        U::Malayalam => "mlym",
        U::Oriya => "orya",
        _ => "",
    }
}

/// Recombines run variants: first the "diagonal" (the i-th variant of every run, so that each
/// system stays consistent across runs), then the other products of the runs' variants in
/// order (the last run's variant turning fastest), up to `MAX_VARIANTS` in all. Lazily: a
/// caller keeping the first few renderings ([`collect`]) builds no other string (two runs of
/// six romanisations each make 24 combinations, of which a matcher keeps 8).
fn combine(per_run: &[Vec<String>]) -> impl Iterator<Item = String> + '_ {
    let widest = per_run.iter().map(Vec::len).max().unwrap_or(0);
    // The variants of each run's choice, joined by spaces (a run without variants adds
    // nothing, not even a space).
    let pick = move |choice: &dyn Fn(usize, usize) -> usize| -> String {
        let parts = || {
            per_run
                .iter()
                .enumerate()
                .filter_map(|(r, v)| v.get(choice(r, v.len())))
        };
        // Sized first: the parts and a space between each two.
        let mut out = String::with_capacity(parts().map(|p| p.len() + 1).sum());
        for (i, part) in parts().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(part);
        }
        out
    };
    // The products are numbered in mixed radix (a run without variants counts one choice);
    // run `r`'s choice in product `k` is `k / stride[r] % radix[r]`, where `stride[r]` is
    // the number of products of the runs after `r` (saturating: `k` stays small).
    let radix: Vec<usize> = per_run.iter().map(|v| v.len().max(1)).collect();
    let mut stride = vec![1usize; per_run.len()];
    for r in (0..per_run.len().saturating_sub(1)).rev() {
        stride[r] = stride[r + 1].saturating_mul(radix[r + 1]);
    }
    let products = radix
        .iter()
        .fold(1usize, |n, r| n.saturating_mul(*r))
        .min(MAX_VARIANTS * 2)
        .min(MAX_VARIANTS.saturating_sub(widest));
    let diagonal = (0..widest).map(move |i| pick(&|_, len| i.min(len.saturating_sub(1))));
    let rest = (0..products).map(move |k| pick(&|r, _| k / stride[r] % radix[r]));
    diagonal.chain(rest)
}

/// Folds, then replaces what is still not ASCII with `deunicode` and folds again.
fn finish(s: String) -> String {
    // Most romanisations come out folded already (six of them for a Cyrillic name): kept as
    // they are, not folded into a copy.
    if is_folded_ascii(&s) {
        return s;
    }
    let f = fold(&s);
    if f.is_ascii() {
        return f;
    }
    let mut out = String::with_capacity(f.len());
    for c in f.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(deunicode::deunicode_char(c).unwrap_or(" "));
        }
    }
    fold(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every run romanised and recombined, without the ASCII and single-run shortcuts.
    fn general_variants(text: &str, person_like: bool) -> Vec<String> {
        let per_run: Vec<Vec<String>> = runs(&unify_scripts(text))
            .iter()
            .map(|r| run_variants(r, person_like))
            .collect();
        collect(combine(&per_run), usize::MAX)
    }

    /// `best` without the ASCII and single-run shortcuts.
    fn general_best(text: &str, person_like: bool) -> Option<String> {
        let per_run: Vec<Vec<String>> = runs(&unify_scripts(text))
            .iter()
            .map(|r| match r.script {
                Script::Cyrillic => vec![cyrillic::first(r.text)],
                _ => run_variants(r, person_like).into_iter().take(1).collect(),
            })
            .collect();
        collect(combine(&per_run), usize::MAX).into_iter().next()
    }

    /// [`combine`] as first written: every combination built, eagerly.
    fn combine_eagerly(per_run: &[Vec<String>]) -> Vec<String> {
        let widest = per_run.iter().map(Vec::len).max().unwrap_or(0);
        let pick = |choice: &dyn Fn(usize, usize) -> usize| -> String {
            per_run
                .iter()
                .enumerate()
                .filter_map(|(r, v)| v.get(choice(r, v.len())))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut out: Vec<String> = (0..widest)
            .map(|i| pick(&|_, len| i.min(len.saturating_sub(1))))
            .collect();
        let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
        for v in per_run {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    (0..v.len().max(1)).map(move |i| {
                        let mut c = c.clone();
                        c.push(i);
                        c
                    })
                })
                .take(MAX_VARIANTS * 2)
                .collect();
        }
        for c in combos {
            if out.len() >= MAX_VARIANTS {
                break;
            }
            out.push(pick(&|r, _| c.get(r).copied().unwrap_or(0)));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn lazy_combinations_equal_the_eager_ones(
            per_run in proptest::collection::vec(proptest::collection::vec("[a-c]{0,2}", 0..9), 0..7)
        ) {
            prop_assert_eq!(combine(&per_run).collect::<Vec<_>>(), combine_eagerly(&per_run));
        }

        #[test]
        fn shortcuts_equal_the_general_path(
            text in "[ -~]{0,30}|\\PC{0,24}|[a-zA-Z .,'\u{00A0}\u{202F}\u{0300}-\u{036F}\u{00C0}-\u{017F}а-яА-ЯёЁйЙ\u{0370}-\u{03FF}\u{0600}-\u{06FF}\u{05D0}-\u{05EA}\u{4E00}-\u{4E40}\u{3040}-\u{30FF}\u{AC00}-\u{AC40}0-9-]{0,24}"
        ) {
            for person_like in [true, false] {
                prop_assert_eq!(variants(&text, person_like), general_variants(&text, person_like));
                prop_assert_eq!(best(&text, person_like), general_best(&text, person_like));
            }
        }

        #[test]
        fn the_first_variants_do_not_depend_on_how_many_are_asked(
            text in "[a-zA-Z .,'\u{00C0}-\u{017F}а-яА-ЯёЁйЙ\u{0370}-\u{03FF}\u{0600}-\u{06FF}\u{05D0}-\u{05EA}\u{4E00}-\u{4E40}\u{3040}-\u{30FF}\u{AC00}-\u{AC40}0-9-]{0,24}",
            most in 0usize..30,
        ) {
            let all = variants(&text, true);
            let first: Vec<String> = all.iter().take(most).cloned().collect();
            prop_assert_eq!(variants_up_to(&text, true, most), first);
        }
    }

    fn has(text: &str, want: &str) {
        let v = latin_variants(text);
        assert!(v.iter().any(|x| x == want), "{want:?} not in {v:?}");
    }

    #[test]
    fn cyrillic_names() {
        has(
            "Владимир Владимирович Путин",
            "vladimir vladimirovich putin",
        );
        has("Сергей Лавров", "sergey lavrov");
        has("Сергей Лавров", "sergei lavrov");
        has(
            "Лукашенко Александр Григорьевич",
            "lukashenko aleksandr grigoryevich",
        );
        has(
            "Влади́мир Влади́мирович ПУ́ТИН",
            "vladimir vladimirovich putin",
        );
    }

    #[test]
    fn other_scripts() {
        has("习近平", "xi jinping");
        has("习近平", "xi jin ping");
        has("ソニー", "sonii");
        has("ソニー", "soni");
        has("김정은", "gim jeongeun");
        has("김정은", "kim jong un");
        has("Αλέξης Τσίπρας", "alexis tsipras");
        has("محمد", "mhmd");
        has("משה", "mshe");
        has("ולדימיר פוטין", "vldimir potin");
    }

    #[cfg(feature = "icu")]
    #[test]
    fn icu_scripts() {
        has("Վլադիմիր Պուտին", "vladimir putin");
        has("ვლადიმერ პუტინი", "vladimer putini");
        has("ವ್ಲಾದಿಮಿರ್ ಪುತಿನ್", "vladimir putin");
    }

    #[test]
    fn mixed_scripts_and_fallbacks() {
        has("José 习近平", "jose xi jinping");
        has("Kim 김민석", "kim kim minseok");
        has("FUAD ALIYEV ƏHMƏD OĞLU", "fuad aliyev ehmed oglu");
        has("ソニー株式会社", "sonii zhu shi hui she");
        assert!(!latin_variants("สมชาย").is_empty());
        assert!(latin_variants(" .,").is_empty());
        assert_eq!(latin_variants("Plant No. 5"), ["plant no 5"]);
    }

    #[test]
    fn best_is_the_first_variant() {
        for name in [
            "Сергей Лавров",
            "José 习近平",
            "김정은",
            "ООО «Ромашка»",
            "",
            "Αλέξης",
        ] {
            assert_eq!(
                best(name, true),
                latin_variants(name).first().cloned(),
                "{name}"
            );
        }
    }

    #[test]
    fn variants_are_bounded() {
        let long = "Сергей 习近平 김정은 ソニー Αλέξης محمد משה Сергей";
        let v = latin_variants(long);
        assert!(!v.is_empty() && v.len() <= MAX_VARIANTS, "{}", v.len());
    }
}
