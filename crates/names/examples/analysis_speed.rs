//! Speed of the analysis the matcher runs on every name of a pair, and a dump of every result
//! to check that a speed-up changes nothing.
//!
//! `cargo run --release -p dualtrace-names --example analysis_speed -- NAMES.tsv [time|dump|profile]`
//!
//! `NAMES.tsv` holds one name a line as `KIND<TAB>NAME`, KIND one of `P` (person), `O`
//! (organisation), `V` (vessel) or `A` (any). `time` (the default) times, per name, what
//! `dualtrace-matching` does when it prepares a name: [`renderings`], then the phonetic key and
//! skeleton of every word and the given-name groups of every plain word; and [`analyze`] on its
//! own. `profile` runs only the matcher's preparation, 20 times over (for `perf`). `dump` prints every public result for every name (fold, script, Latin variants, tokens,
//! analysis, keys), so that the dumps of two builds can be compared with `diff`.

use dualtrace_names::{
    NameKind, TokenClass, analyze, fold, given_name_groups, latin_variants, person_orders,
    phonetic, renderings, script_of, skeleton, tokenize,
};
use std::hint::black_box;
use std::time::Instant;

/// The names of the file, with their kinds.
fn read_names(path: &str) -> Vec<(NameKind, String)> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    text.lines()
        .filter_map(|line| {
            let (kind, name) = line.split_once('\t')?;
            let kind = match kind {
                "P" => NameKind::Person,
                "O" => NameKind::Organization,
                "V" => NameKind::Vessel,
                _ => NameKind::Any,
            };
            Some((kind, name.to_string()))
        })
        .collect()
}

/// What the matcher computes for one name (see the module docs).
fn matcher_preparation(name: &str, kind: NameKind) -> usize {
    let r = renderings(name, kind);
    let mut n = 0;
    for tokens in r.variants.iter().take(8) {
        for t in tokens {
            if matches!(t.class, TokenClass::Word | TokenClass::Patronymic) {
                n += phonetic(&t.text).len() + skeleton(&t.text).len();
            }
            if t.class == TokenClass::Word {
                n += given_name_groups(&t.text).len();
            }
        }
    }
    n
}

/// Microseconds per name of `f` over every name, best of `rounds`.
fn per_name(names: &[(NameKind, String)], rounds: u32, f: impl Fn(&str, NameKind)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        for (kind, name) in names {
            f(name, *kind);
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / names.len().max(1) as f64;
        best = best.min(us);
    }
    best
}

fn time(names: &[(NameKind, String)]) {
    black_box(analyze("warm-up", NameKind::Any));
    println!("{} names", names.len());
    let prep = per_name(names, 5, |n, k| {
        black_box(matcher_preparation(black_box(n), k));
    });
    let rend = per_name(names, 5, |n, k| {
        black_box(renderings(black_box(n), k));
    });
    let full = per_name(names, 5, |n, k| {
        black_box(analyze(black_box(n), k));
    });
    println!("matcher preparation  {prep:8.2} µs/name");
    println!("renderings           {rend:8.2} µs/name");
    println!("analyze              {full:8.2} µs/name");
}

fn dump(names: &[(NameKind, String)]) {
    for (kind, name) in names {
        println!("== {kind:?} {name:?}");
        println!("fold {:?}", fold(name));
        println!("script {:?}", script_of(name));
        println!("latin {:?}", latin_variants(name));
        println!("tokens {:?}", tokenize(name, *kind));
        println!("orders {:?}", person_orders(name));
        let a = analyze(name, *kind);
        println!("analyze {a:?}");
        let r = renderings(name, *kind);
        assert_eq!(r.latin, a.latin, "{name}");
        assert_eq!(r.variants, a.variants, "{name}");
        for t in a.variants.iter().flatten() {
            println!(
                "key {:?} {:?} {:?} {:?}",
                t.text,
                phonetic(&t.text),
                skeleton(&t.text),
                given_name_groups(&t.text)
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: analysis_speed NAMES.tsv [time|dump|profile]");
        std::process::exit(2);
    };
    let names = read_names(path);
    match args.get(2).map(String::as_str) {
        Some("dump") => dump(&names),
        Some("profile") => {
            let us = per_name(&names, 20, |n, k| {
                black_box(matcher_preparation(black_box(n), k));
            });
            println!("matcher preparation  {us:8.2} µs/name");
        }
        _ => time(&names),
    }
}
