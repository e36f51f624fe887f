//! Speed check: `cargo run --release -p dualtrace-names --example latinize_speed`.
//!
//! Times `latin_variants` and `analyze` on names of about 30 characters in each script, after
//! a warm-up call that builds the tables and transliterators.

use dualtrace_names::{NameKind, analyze, latin_variants};
use std::hint::black_box;
use std::time::Instant;

const NAMES: &[&str] = &[
    "Владимир Владимирович Путин",
    "Лукашенко Александр Григорьевич",
    "ООО Торговый дом «Ромашка»",
    "Vladimir Vladimirovich PUTIN",
    "Golden Dragon Trading Co., Ltd.",
    "深圳市华强电子有限公司",
    "习近平",
    "ウラジーミル・プーチン",
    "김정은",
    "Αλέξης Τσίπρας",
    "Վլադիմիր Պուտին",
    "ვლადიმერ პუტინი",
    "فلاديمير فلاديميروفيتش بوتين",
    "ולדימיר פוטין",
];

fn per_call(iterations: u32, f: impl Fn()) -> f64 {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations)
}

fn main() {
    let iterations = 2_000;
    let first = Instant::now();
    black_box(analyze(NAMES[0], NameKind::Any));
    println!(
        "first call (builds tables): {:.1} ms",
        first.elapsed().as_secs_f64() * 1e3
    );
    println!("{:<40} {:>14} {:>14}", "name", "latin µs", "analyze µs");
    for name in NAMES {
        black_box(analyze(name, NameKind::Any));
        let latin = per_call(iterations, || {
            black_box(latin_variants(black_box(name)));
        });
        let full = per_call(iterations, || {
            black_box(analyze(black_box(name), NameKind::Any));
        });
        println!("{name:<40} {latin:>14.1} {full:>14.1}");
    }
}
