//! `dualtrace`: the command-line interface over the dualtrace engines.
//!
//! Thin by design: argument parsing, progress display and output formatting live here; every
//! decision is made by the library crates, so the HTTP server and the CLI give the same answers.

mod decisions_cmd;
mod demo;
mod eval_cmd;
mod flows_cmd;
mod gen_cmd;
mod goods_cmd;
mod lists_cmd;
mod memory;
mod progress;
mod risk_cmd;
mod screen_cmd;
mod serve_cmd;
mod table;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Trace battlefield-critical goods to Russia's war industry and screen the parties behind them.
#[derive(Debug, Parser)]
#[command(name = "dualtrace", version, about, long_about = None)]
struct Cli {
    /// The data directory holding the list store (default: the user's XDG data dir).
    #[arg(long, global = true, env = "DUALTRACE_DATA_DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import, inspect, update and roll back the official lists.
    Lists {
        #[command(subcommand)]
        command: lists_cmd::ListsCommand,
    },
    /// Screen a party (or a CSV of parties) against every loaded list.
    Screen(screen_cmd::ScreenArgs),
    /// Score pairs of FtM entities (a JSON array or JSON lines of {"left","right"}).
    Match(screen_cmd::MatchArgs),
    /// Measure screening quality on the labelled data of the shared folder.
    Eval(eval_cmd::EvalArgs),
    /// Classify goods: tariff codes and descriptions against the CHPL and the watch list.
    Goods {
        #[command(subcommand)]
        command: goods_cmd::GoodsCommand,
    },
    /// Run the main job offline on the bundled, fictional demo data.
    Demo(demo::DemoArgs),
    /// Serve the yente-compatible screening API, dualtrace's JSON API and the dashboard.
    Serve(serve_cmd::ServeArgs),
    /// Shipment risk: parties x goods x routes into explained red flags and a report.
    Risk(risk_cmd::RiskArgs),
    /// The analysts' decision log: mark hits as true or false positives, list decisions.
    Decisions {
        #[command(subcommand)]
        command: decisions_cmd::DecisionsCommand,
    },
    /// Trade flows: ingest trade statistics and customs data, run reports and SQL.
    Flows {
        #[command(subcommand)]
        command: flows_cmd::FlowsCommand,
    },
    /// Generate synthetic data (trade flows, shipment lines) for demos and benchmarks.
    Gen {
        #[command(subcommand)]
        command: gen_cmd::GenCommand,
    },
}

/// The data directory: `--data-dir`, `DUALTRACE_DATA_DIR`, or `$XDG_DATA_HOME/dualtrace`.
fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = given {
        return Ok(dir);
    }
    dirs::data_dir()
        .map(|d| d.join("dualtrace"))
        .ok_or_else(|| {
            anyhow::anyhow!("no data directory: pass --data-dir or set DUALTRACE_DATA_DIR")
        })
}

/// Restores the default action for SIGPIPE, so that `dualtrace ... | head` ends quietly when
/// the reader goes away instead of panicking on a failed print (Rust ignores SIGPIPE by default).
#[cfg(unix)]
#[allow(unsafe_code)]
fn default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; `signal` with
    // `SIG_DFL` installs no Rust handler, touches no Rust memory and only changes how the kernel
    // treats a write to a closed pipe (terminate the process, the Unix default for filters).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn default_sigpipe() {}

fn main() {
    default_sigpipe();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lists { command } => {
            data_dir(cli.data_dir).and_then(|dir| lists_cmd::run(&dir, command))
        }
        Command::Screen(args) => data_dir(cli.data_dir).and_then(|dir| {
            screen_cmd::run_screen(&dualtrace_lists::store::Store::open(dir)?, args)
        }),
        Command::Match(args) => screen_cmd::run_match(args),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Goods { command } => goods_cmd::run(command),
        Command::Demo(args) => demo::run(cli.data_dir, args),
        Command::Serve(args) => data_dir(cli.data_dir)
            .and_then(|dir| serve_cmd::run(dualtrace_lists::store::Store::open(dir)?, args)),
        Command::Risk(args) => data_dir(cli.data_dir)
            .and_then(|dir| risk_cmd::run(&dualtrace_lists::store::Store::open(dir)?, args)),
        Command::Decisions { command } => {
            data_dir(cli.data_dir).and_then(|dir| decisions_cmd::run(&dir, command))
        }
        Command::Flows { command } => {
            memory::tune_for_batch_queries();
            data_dir(cli.data_dir).and_then(|dir| flows_cmd::run(&dir, command))
        }
        Command::Gen { command } => gen_cmd::run(command),
    };
    if let Err(err) = result {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
