//! Scale check: a generated index of N entities (default 1,000,000) in several scripts.
//!
//! `cargo run --release -p dualtrace-matching --example million -- [N] [QUERIES]`
//!
//! The entities are synthetic (no real person or company): persons with given name, surname and
//! birth date and companies with two words and a legal form, drawn from syllable tables in
//! Latin, Cyrillic, Arabic, Han and Hangul, about 20% with a second name (an alias in another
//! script or spelling). Prints the build time, the peak resident memory (VmHWM), and the
//! single-query p50/p99 over a mix of queries: indexed names with one typo or reordered, the
//! same in their other script, and names that are in no entity.

mod common;

use common::peak_rss_mib;
use dualtrace_matching::{Index, Query, ScreenOptions, noise::Noise};
use dualtrace_model::{Entity, Property, Schema};
use std::time::Instant;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const LATIN: &[&str] = &[
    "ka", "ro", "mi", "ta", "ne", "vo", "li", "sa", "de", "zu", "bor", "gen", "tin", "mar", "vel",
    "an", "ol", "ek", "ras", "lov", "pet", "nik", "dan", "ser", "hal", "kor", "min", "tes", "vik",
];
const CYRILLIC: &[&str] = &[
    "ка", "ро", "ми", "та", "не", "во", "ли", "са", "де", "зу", "бор", "ген", "тин", "мар", "вел",
    "ан", "ол", "ек", "рас", "лов", "пет", "ник", "дан", "сер", "хал", "кор", "мин", "тес", "вик",
];
const ARABIC: &[&str] = &[
    "كا", "رو", "مي", "تا", "نا", "ول", "لي", "سا", "دي", "زو", "بور", "جن", "تين", "مار", "فل",
];
const HAN: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "伟", "芳", "娜", "敏", "静", "丽",
    "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀", "霞", "平", "刚", "华", "建",
];
const HANGUL: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "민", "서", "준", "현", "우", "지",
];
const LEGAL: &[&str] = &[
    "LLC",
    "Ltd",
    "JSC",
    "GmbH",
    "ООО",
    "АО",
    "有限公司",
    "Co., Ltd.",
];

/// A word of 2-3 syllables from a table (Han and Hangul: one or two characters).
fn word(rng: &mut Rng, table: &[&str]) -> String {
    let n = if table == HAN || table == HANGUL {
        1 + (rng.next() % 2) as usize
    } else {
        2 + (rng.next() % 2) as usize
    };
    (0..n).map(|_| rng.pick(table)).collect()
}

fn capitalised(w: String) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn table(rng: &mut Rng) -> &'static [&'static str] {
    match rng.next() % 10 {
        0..=4 => LATIN,
        5..=6 => CYRILLIC,
        7 => ARABIC,
        8 => HAN,
        _ => HANGUL,
    }
}

fn name(rng: &mut Rng, person: bool) -> String {
    let t = table(rng);
    let sep = if t == HAN || t == HANGUL { "" } else { " " };
    if person {
        format!(
            "{}{sep}{}",
            capitalised(word(rng, t)),
            capitalised(word(rng, t))
        )
    } else {
        let legal = rng.pick(LEGAL);
        format!(
            "{} {} {legal}",
            capitalised(word(rng, t)),
            capitalised(word(rng, t))
        )
    }
}

fn generate(n: usize, rng: &mut Rng) -> Vec<Entity> {
    (0..n)
        .map(|i| {
            let person = !rng.next().is_multiple_of(3);
            let schema = if person {
                Schema::Person
            } else {
                Schema::Company
            };
            let mut e =
                Entity::new(format!("gen-{i}"), schema).with_source("generated", i.to_string());
            e.add(Property::Name, &name(rng, person)).ok();
            if rng.next().is_multiple_of(5) {
                e.add(Property::Alias, &name(rng, person)).ok();
            }
            if person {
                let year = 1940 + rng.next() % 60;
                let month = 1 + rng.next() % 12;
                let day = 1 + rng.next() % 28;
                e.add(Property::BirthDate, &format!("{year}-{month:02}-{day:02}"))
                    .ok();
            }
            e
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let queries_n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let t = Instant::now();
    let entities = generate(n, &mut rng);
    println!(
        "generated {} entities in {:.2?}",
        entities.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let index = Index::build(entities);
    println!(
        "index: {} entities built in {:.2?}; peak RSS {:.0} MiB",
        index.len(),
        t.elapsed(),
        peak_rss_mib()
    );
    let mut noise = Noise::new(11);
    let mut queries: Vec<Query> = Vec::with_capacity(queries_n);
    let step = (index.len() / queries_n.max(1)).max(1);
    for e in index.entities().iter().step_by(step).take(queries_n / 2) {
        let mut q = Query::name(noise.treat(e.caption(), "").0);
        q.schema = Some(e.schema);
        queries.push(q);
    }
    while queries.len() < queries_n {
        let person = !rng.next().is_multiple_of(3);
        queries.push(Query::name(name(&mut rng, person)));
    }
    let opts = ScreenOptions::default();
    let mut hits = 0usize;
    let mut times: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            hits += usize::from(!std::hint::black_box(index.screen(q, &opts)).is_empty());
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "single query over {} queries ({} with a hit): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; peak RSS {:.0} MiB",
        times.len(),
        hits,
        pct(0.5),
        pct(0.99),
        pct(1.0),
        peak_rss_mib()
    );
}
