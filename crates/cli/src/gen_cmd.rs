//! `dualtrace gen ...`: synthetic data generators (clearly labelled as synthetic).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use dualtrace_flows::GenFormat;

#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// Synthetic BACI- or Comtrade-format trade data (one file per year and a README).
    Trade {
        /// Number of rows.
        #[arg(long)]
        rows: u64,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// Random seed (same seed, same files).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Layout: baci or comtrade-csv.
        #[arg(long, default_value = "baci")]
        format: String,
    },
    /// Synthetic shipment lines (invented names) for the risk benchmarks.
    Shipments(crate::risk_cmd::GenShipmentsArgs),
}

pub fn run(command: GenCommand) -> Result<()> {
    match command {
        GenCommand::Shipments(args) => crate::risk_cmd::run_gen_shipments(args),
        GenCommand::Trade {
            rows,
            out,
            seed,
            format,
        } => {
            let generated =
                dualtrace_flows::generate(&out, rows, seed, GenFormat::parse(&format)?)?;
            println!(
                "wrote {} SYNTHETIC rows in {} files to {} (see README.txt there)",
                generated.rows,
                generated.files.len(),
                out.display()
            );
            Ok(())
        }
    }
}
