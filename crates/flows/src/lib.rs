//! Trade flows: who supplies Russia with battlefield goods, and by which routes.
//!
//! Trade statistics (UN Comtrade, CEPII BACI, Eurostat Comext, IMF IMTS) and customs
//! declarations are ingested ([`ingest()`]) into one Parquet dataset partitioned by year
//! (`<data-dir>/flows/year=YYYY/`, schema in [`schema`]); countries become ISO alpha-2 codes
//! ([`areas`]) and goods get their CHPL tier and watch-list item from `dualtrace-goods`
//! ([`goods`]). The analysts' reports ([`reports`]) are SQL on Apache DataFusion
//! ([`engine`]), embedded by default and on an Apache DataFusion Ballista cluster with the
//! `cluster` feature. [`generate()`] writes synthetic data of any size for demos and benchmarks.

pub mod areas;
#[cfg(feature = "cluster")]
pub mod cluster;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod filter_order;
pub mod generate;
pub mod goods;
pub mod ingest;
pub mod query;
pub mod reports;
pub mod run_sum;
pub mod schema;

pub use engine::{Backend, FlowsEngine};
pub use error::{FlowsError, Result};
pub use generate::{GenFormat, Generated, generate};
pub use ingest::{Format, IngestReport, Warnings, ingest, parse_bytes};
pub use query::{Goods, Period, Years};
pub use reports::{
    Common, GapRow, GapsArgs, Report, SeriesArgs, SeriesRow, ShareRow, SharesArgs, SurgeArgs,
    SurgeRow, UnitValueArgs, UnitValueRow,
};
pub use schema::{Flow, FlowRecord};
