//! Index build time and screening latency against every list of the shared data folder.
//!
//! `DUALTRACE_SHARED_DATA=/work/shared/data cargo run --release -p dualtrace-matching --example latency`
//! Prints the build time and peak memory, single-query p50/p99 over 10,000 mixed queries (listed
//! names with typos, negatives, cross-script names) and batch throughput on all cores, with a
//! hash of every query's hits (ids and scores), so that two builds can be shown to answer alike.
//! It runs on mimalloc, the allocator of the `dualtrace` binary (screen, serve), so that the
//! figures are the product's.
mod common;

/// The allocator of the `dualtrace` binary.
#[global_allocator]
static ALLOCATOR: dualtrace_alloc::Mimalloc = dualtrace_alloc::Mimalloc;

use common::{cpu_seconds, peak_rss_mib};
use dualtrace_lists::{Format, Input};
use dualtrace_matching::{Hit, Index, Query, ScreenOptions, noise::Noise};
use dualtrace_model::Entity;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn load(root: &Path, format: Format, rels: &[String]) -> Vec<Entity> {
    let inputs: Vec<Input> = rels
        .iter()
        .filter_map(|r| Input::read(&root.join(r)).ok())
        .collect();
    format
        .parse(&inputs, format.default_list())
        .map(|l| l.entities)
        .unwrap_or_default()
}

/// A hash of every query's hits, in order: their ids, scores, whether they match and their
/// explanations (the same on every run and build that gives the same answers).
fn results_hash(results: &[Vec<Hit>]) -> u64 {
    // `DefaultHasher::new` has fixed keys: the hash is reproducible across runs.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for hits in results {
        hits.len().hash(&mut h);
        for hit in hits {
            hit.id.hash(&mut h);
            hit.score.to_bits().hash(&mut h);
            hit.is_match.hash(&mut h);
            serde_json::to_string(&hit.explanations)
                .unwrap_or_default()
                .hash(&mut h);
        }
    }
    h.finish()
}

fn main() {
    let root =
        PathBuf::from(std::env::var("DUALTRACE_SHARED_DATA").unwrap_or("../shared/data".into()));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut eu: Vec<String> = std::fs::read_dir(root.join("lists/eu_annexes"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| format!("lists/eu_annexes/{}", e.file_name().to_string_lossy()))
                .filter(|n| n.ends_with(".csv"))
                .collect()
        })
        .unwrap_or_default();
    eu.sort();
    let mut all = Vec::new();
    for (f, files) in [
        (Format::OfacSdnCsv, s(&["lists/ofac/sdn_2024-05-03.csv"])),
        (
            Format::OfacConsCsv,
            s(&[
                "lists/ofac/cons_2025-12/cons_prim.csv",
                "lists/ofac/cons_2025-12/cons_add.csv",
                "lists/ofac/cons_2025-12/cons_alt.csv",
                "lists/ofac/cons_2025-12/cons_comments.csv",
            ]),
        ),
        (
            Format::UsCslCsv,
            s(&["lists/us_csl/consolidated_2022-05.csv.gz"]),
        ),
        (
            Format::UnXml,
            s(&["lists/un/UN_consolidated_2026-02-27.xml"]),
        ),
        (
            Format::UkCsv,
            s(&["lists/uk/UK_Sanctions_List_2025-08-11.csv"]),
        ),
        (Format::EuAnnexCsv, eu),
        (
            Format::JpMetiTxt,
            s(&[
                "lists/jp_meti/meti_ru_250912_list_russia_tokutei.pdf.txt",
                "lists/jp_meti/meti_ru_250912_list_daisangoku_tokutei.pdf.txt",
                "lists/jp_meti/meti_ru_list_belarus_tokutei.pdf.txt",
            ]),
        ),
    ] {
        all.extend(load(&root, f, &files));
    }
    let t = Instant::now();
    let index = Index::build(all);
    println!(
        "index: {} entities built in {:.2?}; peak RSS {:.0} MiB (lists loaded and indexed)",
        index.len(),
        t.elapsed(),
        peak_rss_mib()
    );

    // Mixed queries: listed names with noise, negatives, cross-script aliases.
    let mut noise = Noise::new(7);
    let mut queries: Vec<Query> = index
        .entities()
        .iter()
        .step_by(4)
        .take(5000)
        .map(|e| Query::name(noise.treat(e.caption(), "").0))
        .collect();
    let negatives =
        std::fs::read_to_string(root.join("eval/negatives_global.csv")).unwrap_or_default();
    let putin = std::fs::read_to_string(root.join("eval/putin_names.txt")).unwrap_or_default();
    let wanted = 10_000usize.saturating_sub(queries.len() + putin.lines().count());
    queries.extend(negatives.lines().skip(1).take(wanted).filter_map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        Some(Query {
            names: vec![f.first()?.to_string()],
            birth_dates: vec![f.get(5)?.to_string()],
            ..Query::default()
        })
    }));
    queries.extend(putin.lines().filter(|l| !l.is_empty()).map(Query::name));
    let opts = ScreenOptions::default();
    let cpu = cpu_seconds(true);
    let mut times: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(index.screen(q, &opts));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let cpu_single = (cpu_seconds(true) - cpu) * 1000.0 / queries.len() as f64;
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "single query over {} queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
    // The mean on one thread, against which the batch's scaling over cores can be read.
    println!("mean per query on one thread: {mean:.3} ms (CPU {cpu_single:.3} ms)");
    let t = Instant::now();
    let mut scored = 0;
    for q in &queries {
        scored += std::hint::black_box(index.candidates(q, &opts)).len();
    }
    println!(
        "of which candidate generation: {:.3} ms per query on average ({:.1} candidates scored)",
        t.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64,
        scored as f64 / queries.len() as f64
    );
    let (t, cpu) = (Instant::now(), cpu_seconds(false));
    let out = index.screen_batch(&queries, &opts);
    let secs = t.elapsed().as_secs_f64();
    let cpu_batch = (cpu_seconds(false) - cpu) * 1000.0 / out.len() as f64;
    println!(
        "batch: {} queries in {:.2} s = {:.0} queries/s on {} threads (CPU {cpu_batch:.3} ms per query)",
        out.len(),
        secs,
        out.len() as f64 / secs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let hits: usize = out.iter().map(Vec::len).sum();
    println!("results: {hits} hits, hash {:016x}", results_hash(&out));
}
