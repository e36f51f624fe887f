//! Runs each SQL statement of a file several times in one process over a flows dataset and
//! prints each run's wall time: the engine's own cost, without process start-up or the first
//! touch of fresh memory (bench aid; `MIMALLOC_PURGE_DELAY=-1` as the `flows` commands set).
//!
//! `flows_repeat DATA_DIR SQL_FILE RUNS`

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use dualtrace_flows::{Backend, FlowsEngine};

#[global_allocator]
static ALLOCATOR: dualtrace_alloc::Mimalloc = dualtrace_alloc::Mimalloc;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, data, sql, runs] = args.as_slice() else {
        anyhow::bail!("usage: flows_repeat DATA_DIR SQL_FILE RUNS");
    };
    let runs: usize = runs.parse().context("RUNS")?;
    let text = std::fs::read_to_string(sql).with_context(|| sql.clone())?;
    let engine = FlowsEngine::open(Path::new(data), &Backend::Embedded)?;
    for run in 0..runs {
        let start = Instant::now();
        let mut rows = 0;
        for statement in text.lines().filter(|l| !l.trim().is_empty()) {
            rows = engine.sql(statement)?.iter().map(|b| b.num_rows()).sum();
        }
        println!("{run} {:.3} {rows}", start.elapsed().as_secs_f64());
    }
    Ok(())
}
