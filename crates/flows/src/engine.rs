//! The query engine: a DataFusion session over the dataset, embedded or on a Ballista cluster,
//! behind a blocking API (the CLI has no async runtime of its own).
//!
//! Registered table names (for `dualtrace flows sql`):
//! * `flows`: the whole dataset, one row per figure, columns as in [`crate::schema`], except
//!   that `year`, read from the folder names, comes last in `SELECT *`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::execution::SessionStateBuilder;
use datafusion::physical_plan::displayable;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use serde_json::{Map, Value};

use crate::dataset::{PARTITION_COLUMN, Slice, dataset_dir, has_data, slices};
use crate::error::{FlowsError, Result};
use crate::filter_order::FilterOrder;
use crate::query::Years;
use crate::run_sum::RunSums;
use crate::schema::flow_schema;

/// The name of the dataset table.
pub const FLOWS_TABLE: &str = "flows";

/// Where queries run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// In this process (DataFusion).
    Embedded,
    /// On a Ballista cluster, `df://HOST:PORT` (needs the `cluster` feature). Executors must
    /// read the dataset at the same path as this process.
    Cluster(String),
    /// A Ballista scheduler and executor started inside this process on 127.0.0.1.
    #[cfg(feature = "cluster")]
    Standalone,
}

/// A query session over one data directory.
pub struct FlowsEngine {
    runtime: tokio::runtime::Runtime,
    ctx: SessionContext,
    data_dir: PathBuf,
}

impl FlowsEngine {
    /// Opens the dataset of `data_dir` on a backend.
    pub fn open(data_dir: &Path, backend: &Backend) -> Result<FlowsEngine> {
        if !has_data(data_dir) {
            return Err(FlowsError::NoDataset(dataset_dir(data_dir)));
        }
        let runtime = query_runtime(data_dir)?;
        let ctx = runtime.block_on(session(backend))?;
        // Text columns are read as `Utf8View` embedded (DataFusion's `schema_force_view_types`,
        // on by default); a cluster reads them as stored.
        let view_types = *backend == Backend::Embedded
            && ctx
                .state()
                .config_options()
                .execution
                .parquet
                .schema_force_view_types;
        let engine = FlowsEngine {
            runtime,
            ctx,
            data_dir: data_dir.to_path_buf(),
        };
        engine.register(view_types)?;
        Ok(engine)
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The dataset's slices (one year of one source) in `years`, or `None` when the files do
    /// not say (see [`crate::dataset::slices`]).
    pub fn slices(&self, years: Years) -> Result<Option<Vec<Slice>>> {
        slices(&self.data_dir, years.from, years.to)
    }

    fn register(&self, view_types: bool) -> Result<()> {
        let dir = dataset_dir(&self.data_dir);
        let dir = std::fs::canonicalize(&dir).map_err(|e| FlowsError::io(&dir, e))?;
        let url = format!("{}/", dir.display());
        // `year` is read from the folder name (`year=YYYY`), not from the files: a query's
        // condition on the year then skips other years' files without opening them (their
        // footers and page indexes cost ~12 ms per file).
        let file_schema = file_schema(&flow_schema(), view_types);
        let options = ParquetReadOptions::default()
            .schema(&file_schema)
            .table_partition_cols(vec![(PARTITION_COLUMN.to_string(), DataType::Int32)])
            .file_extension(".parquet");
        self.runtime
            .block_on(self.ctx.register_parquet(FLOWS_TABLE, &url, options))?;
        Ok(())
    }

    /// Runs one SQL statement and collects the result. With the environment variable
    /// [`SQL_LOG_ENV`] naming a file, the statement is appended to it first (one per line), so
    /// that the benchmark can run the very same queries on another engine.
    pub fn sql(&self, sql: &str) -> Result<Vec<RecordBatch>> {
        log_sql(sql)?;
        self.runtime.block_on(async {
            let frame = self.ctx.sql(sql).await?;
            Ok(frame.collect().await?)
        })
    }

    /// The physical plan of one SQL statement as indented text, without running it. On a
    /// cluster this is the `DistributedQueryExec` that hands the query to the scheduler.
    pub fn physical_plan(&self, sql: &str) -> Result<String> {
        self.runtime.block_on(async {
            let plan = self.ctx.sql(sql).await?.create_physical_plan().await?;
            Ok(displayable(plan.as_ref()).indent(false).to_string())
        })
    }

    /// Runs SQL and returns the rows as JSON objects (column name to value).
    pub fn sql_rows(&self, sql: &str) -> Result<JsonRows> {
        let batches = self.sql(sql)?;
        rows_as_json(&batches)
    }
}

/// The multi-threaded runtime DataFusion's queries run on (`path`: what the error names if the
/// operating system refuses the threads).
pub(crate) fn query_runtime(path: &Path) -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| FlowsError::io(path, e))
}

/// The columns the table reads from the files: the dataset's schema without the partition
/// column (the folder names hold it), with every `Utf8` column as `Utf8View` if `view_types`
/// (DataFusion then reads Parquet text into views without copying the strings, and groups and
/// compares short strings, every code of the dataset, inline).
fn file_schema(schema: &Schema, view_types: bool) -> Schema {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .filter(|f| f.name() != PARTITION_COLUMN)
        .map(|f| match f.data_type() {
            DataType::Utf8 if view_types => f.as_ref().clone().with_data_type(DataType::Utf8View),
            _ => f.as_ref().clone(),
        })
        .collect();
    Schema::new(fields)
}

/// The environment variable naming a file that receives every SQL statement run.
pub const SQL_LOG_ENV: &str = "DUALTRACE_FLOWS_SQL_LOG";

fn log_sql(sql: &str) -> Result<()> {
    let Some(path) = std::env::var_os(SQL_LOG_ENV) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| FlowsError::io(&path, e))?;
    writeln!(file, "{}", sql.replace('\n', " ")).map_err(|e| FlowsError::io(&path, e))
}

/// The embedded DataFusion session: DataFusion's defaults with [`SESSION_DEFAULTS`], except where
/// an environment variable names an option (the key in upper case with `_` for `.`, e.g.
/// `DATAFUSION_EXECUTION_PARQUET_PUSHDOWN_FILTERS=false`, read by DataFusion's
/// `SessionConfig::from_env`), so that options can be compared on one's own data without a
/// rebuild; its physical plans end with [`FilterOrder`] (the order of a scan's conditions) and
/// [`RunSums`] (runs of equal keys summed before an aggregation).
fn embedded_session() -> Result<SessionContext> {
    let mut config = SessionConfig::from_env()?;
    for (key, value) in SESSION_DEFAULTS {
        let variable = key.to_uppercase().replace('.', "_");
        if std::env::var_os(variable).is_none() {
            config.options_mut().set(key, value)?;
        }
    }
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .with_physical_optimizer_rule(Arc::new(FilterOrder))
        .with_physical_optimizer_rule(Arc::new(RunSums))
        .build();
    Ok(SessionContext::new_with_state(state))
}

/// Where the embedded session departs from DataFusion's defaults, and why (measured on the
/// 100-million-row benchmark, BENCHMARKS.md):
/// * `pushdown_filters`: the dataset is sorted by reporter and partner, so a report's filter
///   keeps long runs of rows; evaluated while decoding, it spares decoding the other columns of
///   the rows it drops (surge a third faster, no report slower).
/// * `collect_statistics`: off. Planning would read every file's footer and page index to
///   gather table statistics that no report uses, some 30 ms per query; the scan reads what it
///   prunes with anyway.
/// * `max_predicate_cache_size`: 0, no cache. The Parquet reader would keep every decoded value
///   of a filter's columns for the output, even where the filter drops 99% of the rows (the
///   partners' exports to one importer): top-suppliers took 0.77 s with it, 0.33 s without.
/// * `batch_size`: 32,768 rows (DataFusion's default is 8,192): fewer, longer batches through
///   the aggregations (mirror gaps 1.35 s against 1.45 s, unit values 0.15 s against 0.17 s,
///   medians of five; no report slower).
const SESSION_DEFAULTS: [(&str, &str); 4] = [
    ("datafusion.execution.parquet.pushdown_filters", "true"),
    ("datafusion.execution.collect_statistics", "false"),
    ("datafusion.execution.parquet.max_predicate_cache_size", "0"),
    ("datafusion.execution.batch_size", "32768"),
];

#[cfg(not(feature = "cluster"))]
async fn session(backend: &Backend) -> Result<SessionContext> {
    match backend {
        Backend::Embedded => embedded_session(),
        Backend::Cluster(url) => Err(FlowsError::argument(
            "--cluster",
            format!("{url}: this build has no cluster support (build with the `cluster` feature)"),
        )),
    }
}

#[cfg(feature = "cluster")]
async fn session(backend: &Backend) -> Result<SessionContext> {
    match backend {
        Backend::Embedded => embedded_session(),
        Backend::Cluster(url) => crate::cluster::connect(url).await,
        Backend::Standalone => crate::cluster::standalone().await,
    }
}

/// Column names and rows (one JSON object per row) of a query result.
pub type JsonRows = (Vec<String>, Vec<Map<String, Value>>);

/// Record batches to JSON rows: integers and floats as numbers, booleans, nulls, and every
/// other type as its text.
pub fn rows_as_json(batches: &[RecordBatch]) -> Result<JsonRows> {
    let names: Vec<String> = match batches.first() {
        Some(b) => b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect(),
        None => Vec::new(),
    };
    let mut rows = Vec::new();
    for batch in batches {
        let columns: Vec<Vec<Value>> = batch
            .columns()
            .iter()
            .map(|c| column_values(c.as_ref()))
            .collect::<Result<_>>()?;
        for i in 0..batch.num_rows() {
            let mut row = Map::new();
            for (name, col) in names.iter().zip(&columns) {
                row.insert(name.clone(), col.get(i).cloned().unwrap_or(Value::Null));
            }
            rows.push(row);
        }
    }
    Ok((names, rows))
}

/// JSON values of a column of `len` rows: `value(i)` or null.
fn nullable<T: Into<Value>>(len: usize, value: impl Fn(usize) -> Option<T>) -> Vec<Value> {
    (0..len)
        .map(|i| value(i).map_or(Value::Null, Into::into))
        .collect()
}

fn column_values(array: &dyn Array) -> Result<Vec<Value>> {
    let t = array.data_type();
    if t.is_integer() {
        let a = cast(array, &DataType::Int64)?;
        let a = a.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
        return Ok(nullable(a.len(), |i| a.is_valid(i).then(|| a.value(i))));
    }
    if t.is_floating() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) {
        return Ok(floats(array)?
            .into_iter()
            .map(|v| v.map_or(Value::Null, Value::from))
            .collect());
    }
    if t == &DataType::Boolean {
        let a = array.as_boolean();
        return Ok(nullable(a.len(), |i| a.is_valid(i).then(|| a.value(i))));
    }
    Ok(strings(array)?
        .into_iter()
        .map(|v| v.map_or(Value::Null, Value::from))
        .collect())
}

/// A column as optional strings (any type DataFusion can cast to text).
pub fn strings(array: &dyn Array) -> Result<Vec<Option<String>>> {
    let a = cast(array, &DataType::Utf8)?;
    let a = a.as_string::<i32>();
    Ok((0..a.len())
        .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
        .collect())
}

/// A column as optional floats.
pub fn floats(array: &dyn Array) -> Result<Vec<Option<f64>>> {
    let a = cast(array, &DataType::Float64)?;
    let a = a.as_primitive::<datafusion::arrow::datatypes::Float64Type>();
    Ok((0..a.len())
        .map(|i| a.is_valid(i).then(|| a.value(i)))
        .collect())
}

/// A named column of a batch, or an engine error.
pub fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array> {
    batch
        .column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| {
            FlowsError::Engine(datafusion::error::DataFusionError::Plan(format!(
                "result has no column {name}"
            )))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use datafusion::config::ConfigOptions;
    use datafusion::physical_optimizer::PhysicalOptimizerRule;

    use super::*;

    #[test]
    fn the_embedded_session_departs_from_the_defaults_as_documented() {
        let ctx = embedded_session().unwrap();
        let state = ctx.state();
        let options = state.config_options();
        // Unless this test runs with the environment variables set (it never does in CI).
        if std::env::var_os("DATAFUSION_EXECUTION_PARQUET_PUSHDOWN_FILTERS").is_none() {
            assert!(options.execution.parquet.pushdown_filters);
        }
        if std::env::var_os("DATAFUSION_EXECUTION_COLLECT_STATISTICS").is_none() {
            assert!(!options.execution.collect_statistics);
        }
        assert!(!ConfigOptions::default().execution.parquet.pushdown_filters);
        let last_rules: Vec<&str> = state
            .physical_optimizers()
            .iter()
            .rev()
            .take(2)
            .map(|rule| rule.name())
            .collect();
        assert_eq!(last_rules, [RunSums.name(), FilterOrder.name()]);
    }
}
