//! The Parquet dataset on disk: `<data-dir>/flows/year=YYYY/<ingest-id>.parquet`.
//!
//! An ingest writes into a staging directory beside the dataset and renames its files into place
//! only after every input file was read without error, so a failed ingest leaves the dataset as
//! it was. The ingest id is derived from the format and the input paths: ingesting the same
//! files again replaces their earlier files instead of adding the flows twice.
//!
//! Layout for queries: each year's file holds all its rows ordered by reporter, partner, flow
//! and goods code (a sort over the whole year, spilling to the staging directory when it does
//! not fit in memory), in row groups of up to 1,048,576 rows and data pages of up to 8,192
//! rows, with Parquet's page index (column min/max per page). A query for one reporter then
//! reads the one or two row groups that hold it, and within them the pages; a query for one
//! partner skips the pages of each reporter's block that hold other partners. The measures
//! (value, quantity, weight) are stored without a dictionary and uncompressed: almost every
//! figure is distinct, so a dictionary only fills up, falls back to plain encoding and costs
//! every reader a dictionary page per row group; Snappy saved a quarter of their size but cost
//! every query that sums them a tenth of its CPU in decompression (mirror gaps over the
//! benchmark's 100 million rows, BENCHMARKS.md). The other columns are dictionary-encoded runs
//! and stay compressed.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::metadata::{
    ParquetMetaData, ParquetMetaDataReader, RowGroupMetaData,
};
use datafusion::parquet::file::properties::WriterProperties;
use datafusion::parquet::file::statistics::Statistics;
use datafusion::parquet::schema::types::ColumnPath;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext, col};
use futures::StreamExt;

use crate::engine::query_runtime;
use crate::error::{FlowsError, Result};
use crate::goods::GoodsTagger;
use crate::ingest::Format;
use crate::schema::{BatchBuilder, FlowRecord, flow_schema};

/// Rows per Parquet row group (and per batch written to the unsorted staging file).
#[cfg(not(test))]
const ROW_GROUP_ROWS: usize = 1024 * 1024;
/// Small row groups in unit tests, so that a few thousand rows span several of them.
#[cfg(test)]
const ROW_GROUP_ROWS: usize = 1000;

/// Rows per data page: the unit the page index prunes. A reporter's block in a year of
/// 100 million rows is some 45,000 rows; pages of 8,192 rows let a query for it read little
/// more than the block.
const PAGE_ROWS: usize = 8192;

/// The column the dataset is partitioned by: each year's files sit in a folder
/// `<PARTITION_COLUMN>=<year>`, which the query engine reads as that column.
pub(crate) const PARTITION_COLUMN: &str = "year";

/// The folder of one year's files under `root` (the dataset or an ingest's staging directory).
fn year_dir(root: &Path, year: i32) -> PathBuf {
    root.join(format!("{PARTITION_COLUMN}={year}"))
}

/// The order of a year's rows.
pub(crate) const SORT_KEY: [&str; 4] = ["reporter", "partner", "flow", "hs_code"];

/// Columns stored without a dictionary and uncompressed (see the module docs).
const MEASURES: [&str; 3] = ["value", "quantity", "net_weight_kg"];

/// Memory the sort of one year may hold before it spills to the staging directory.
const SORT_MEMORY: usize = 2 << 30;

/// How dataset files are written (see the module docs).
fn dataset_properties() -> WriterProperties {
    MEASURES
        .iter()
        .fold(WriterProperties::builder(), |b, m| {
            b.set_column_dictionary_enabled(ColumnPath::from(*m), false)
                .set_column_compression(ColumnPath::from(*m), Compression::UNCOMPRESSED)
        })
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_data_page_row_count_limit(PAGE_ROWS)
        .build()
}

/// The dataset directory under a data directory.
pub fn dataset_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("flows")
}

/// One year's open staging file: rows in input order, sorted into the dataset file at commit.
struct YearFile {
    writer: ArrowWriter<File>,
    batch: BatchBuilder,
    rows: u64,
}

impl YearFile {
    /// Writes the collected rows to the staging file.
    fn write_batch(&mut self) -> Result<()> {
        let batch = self.batch.finish()?;
        self.writer.write(&batch)?;
        Ok(())
    }
}

/// The sort of an ingest's years: one runtime and one DataFusion session for all of them,
/// whose sorts spill to the staging directory when a year does not fit in [`SORT_MEMORY`].
struct YearSorter {
    runtime: tokio::runtime::Runtime,
    ctx: SessionContext,
}

impl YearSorter {
    fn new(spill: &Path) -> Result<YearSorter> {
        let runtime = query_runtime(spill)?;
        let env = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(SORT_MEMORY)))
            .with_disk_manager_builder(
                DiskManagerBuilder::default()
                    .with_mode(DiskManagerMode::Directories(vec![spill.to_path_buf()])),
            )
            .build_arc()?;
        let mut config = SessionConfig::new();
        config
            .options_mut()
            .execution
            .parquet
            .schema_force_view_types = false;
        let ctx = SessionContext::new_with_config_rt(config, env);
        Ok(YearSorter { runtime, ctx })
    }

    /// Writes the rows of the unsorted staging file `raw` to `sorted` in the dataset's order
    /// ([`SORT_KEY`]) and layout ([`dataset_properties`]).
    fn write_sorted(&self, raw: &Path, sorted: &Path) -> Result<()> {
        self.runtime.block_on(async {
            let schema = flow_schema();
            let path = raw.to_string_lossy();
            let frame = self
                .ctx
                .read_parquet(path.as_ref(), ParquetReadOptions::default().schema(&schema))
                .await?
                .sort(SORT_KEY.iter().map(|c| col(*c).sort(true, false)).collect())?;
            let mut stream = frame.execute_stream().await?;
            let file = File::create(sorted).map_err(|e| FlowsError::io(sorted, e))?;
            let mut writer = ArrowWriter::try_new(file, schema, Some(dataset_properties()))?;
            while let Some(batch) = stream.next().await {
                writer.write(&batch?)?;
            }
            writer.close()?;
            Ok(())
        })
    }
}

/// Writes one ingest: per-year Parquet files in staging, then [`DatasetWriter::commit`].
pub struct DatasetWriter {
    dataset: PathBuf,
    staging: PathBuf,
    id: String,
    /// The `source` of every row: the format's name.
    source: &'static str,
    years: HashMap<i32, YearFile>,
    tagger: GoodsTagger,
    committed: bool,
}

impl DatasetWriter {
    /// Starts an ingest of `paths` in `format` into `<data_dir>/flows`.
    pub fn create(data_dir: &Path, format: Format, paths: &[PathBuf]) -> Result<DatasetWriter> {
        let mut hasher = DefaultHasher::new();
        format.name().hash(&mut hasher);
        for p in paths {
            fs::canonicalize(p)
                .map_err(|e| FlowsError::io(p, e))?
                .hash(&mut hasher);
        }
        let id = format!("{}-{:016x}", format.name(), hasher.finish());
        let staging = data_dir.join(format!(".flows-staging-{id}-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| FlowsError::io(&staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| FlowsError::io(&staging, e))?;
        Ok(DatasetWriter {
            dataset: dataset_dir(data_dir),
            staging,
            id,
            source: format.name(),
            years: HashMap::new(),
            tagger: GoodsTagger::new(),
            committed: false,
        })
    }

    /// Adds one record; its `source` is the ingest's format, as the file's name says (see
    /// [`slices`]).
    pub fn push(&mut self, record: FlowRecord) -> Result<()> {
        let year = record.year;
        if !self.years.contains_key(&year) {
            let dir = year_dir(&self.staging, year);
            fs::create_dir_all(&dir).map_err(|e| FlowsError::io(&dir, e))?;
            let path = dir.join(self.raw_name());
            let file = File::create(&path).map_err(|e| FlowsError::io(&path, e))?;
            let writer = ArrowWriter::try_new(file, flow_schema(), Some(dataset_properties()))?;
            self.years.insert(
                year,
                YearFile {
                    writer,
                    batch: BatchBuilder::new(),
                    rows: 0,
                },
            );
        }
        let Some(y) = self.years.get_mut(&year) else {
            return Ok(());
        };
        y.batch.push(self.source, &record, &mut self.tagger);
        y.rows += 1;
        if y.batch.len() >= ROW_GROUP_ROWS {
            y.write_batch()?;
        }
        Ok(())
    }

    /// The name of a year's unsorted staging file.
    fn raw_name(&self) -> String {
        format!("{}.unsorted.parquet", self.id)
    }

    /// Sorts each year's rows into its dataset file (see the module docs), then moves the
    /// files into the dataset; rows written per year. Nothing is moved unless every year was
    /// written.
    pub fn commit(mut self) -> Result<BTreeMap<i32, u64>> {
        let mut rows = BTreeMap::new();
        for (year, mut y) in std::mem::take(&mut self.years) {
            if !y.batch.is_empty() {
                y.write_batch()?;
            }
            y.writer.close()?;
            rows.insert(year, y.rows);
        }
        let name = format!("{}.parquet", self.id);
        let spill = self.staging.join("spill");
        fs::create_dir_all(&spill).map_err(|e| FlowsError::io(&spill, e))?;
        let sorter = YearSorter::new(&spill)?;
        for year in rows.keys() {
            let dir = year_dir(&self.staging, *year);
            let raw = dir.join(self.raw_name());
            sorter.write_sorted(&raw, &dir.join(&name))?;
            fs::remove_file(&raw).map_err(|e| FlowsError::io(&raw, e))?;
        }
        fs::create_dir_all(&self.dataset).map_err(|e| FlowsError::io(&self.dataset, e))?;
        for year in rows.keys() {
            let dir = year_dir(&self.dataset, *year);
            fs::create_dir_all(&dir).map_err(|e| FlowsError::io(&dir, e))?;
            let from = year_dir(&self.staging, *year).join(&name);
            let to = dir.join(&name);
            fs::rename(&from, &to).map_err(|e| FlowsError::io(&to, e))?;
        }
        self.remove_stale(&rows, &name)?;
        self.committed = true;
        fs::remove_dir_all(&self.staging).map_err(|e| FlowsError::io(&self.staging, e))?;
        Ok(rows)
    }

    /// Removes this ingest id's files in years the new ingest no longer has.
    fn remove_stale(&self, rows: &BTreeMap<i32, u64>, name: &str) -> Result<()> {
        let entries = fs::read_dir(&self.dataset).map_err(|e| FlowsError::io(&self.dataset, e))?;
        for entry in entries.flatten() {
            let dir_name = entry.file_name().to_string_lossy().to_string();
            let Some(year) = dir_name
                .strip_prefix(PARTITION_COLUMN)
                .and_then(|rest| rest.strip_prefix('='))
                .and_then(|y| y.parse::<i32>().ok())
            else {
                continue;
            };
            let old = entry.path().join(name);
            if !rows.contains_key(&year) && old.exists() {
                fs::remove_file(&old).map_err(|e| FlowsError::io(&old, e))?;
            }
        }
        Ok(())
    }
}

impl Drop for DatasetWriter {
    fn drop(&mut self) {
        if !self.committed {
            // A failed ingest: the dataset was not touched; the staging files go.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// One year's rows of one source: the rows of the files `year=<year>/<source>-<id>.parquet`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slice {
    /// The year.
    pub year: i32,
    /// The ingest format, the `source` column of every row of the slice.
    pub source: Format,
    /// The [`SLICE_CONSTANTS`] columns that hold one value in every row of the slice, with
    /// that value (by the files' own statistics).
    pub constants: Vec<(&'static str, String)>,
    /// What else every row of the slice has in common, by the same statistics.
    pub shape: RowShape,
}

/// Facts about every row of a slice that its files' footers prove. A query may then drop a
/// condition that holds for every row, or a grouping key with one value: DataFusion does
/// neither itself, and pays for both on every row (a BACI slice is all annual rows at goods
/// level 6 with no breakdowns, so its preference rank is one number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct RowShape {
    /// No row is a breakdown of another (`breakdown` is false in every row).
    pub no_breakdowns: bool,
    /// `Some(true)` when every row is monthly, `Some(false)` when every row is annual, `None`
    /// for a mix (or when the statistics do not say).
    pub monthly: Option<bool>,
    /// The goods level of every row, when they share one.
    pub hs_level: Option<i32>,
}

impl RowShape {
    /// The shape of a file's rows, from its footer: nothing is known without statistics.
    fn of_file(metadata: &ParquetMetaData) -> RowShape {
        let groups = metadata.row_groups();
        if groups.is_empty() {
            return RowShape::default();
        }
        let no_breakdowns = groups.iter().all(|g| {
            matches!(column_statistics(g, "breakdown"), Some(Statistics::Boolean(s))
                if s.max_opt() == Some(&false) && s.null_count_opt() == Some(0))
        });
        let nulls = |g: &RowGroupMetaData| {
            column_statistics(g, "month")
                .and_then(|s| s.null_count_opt())
                .map(|n| (n, u64::try_from(g.num_rows()).unwrap_or(u64::MAX)))
        };
        let monthly = if groups.iter().all(|g| nulls(g).is_some_and(|(n, _)| n == 0)) {
            Some(true)
        } else if groups
            .iter()
            .all(|g| nulls(g).is_some_and(|(n, rows)| n == rows))
        {
            Some(false)
        } else {
            None
        };
        let level = |g: &RowGroupMetaData| match column_statistics(g, "hs_level") {
            Some(Statistics::Int32(s)) if s.null_count_opt() == Some(0) => {
                s.min_opt().filter(|&min| Some(min) == s.max_opt()).copied()
            }
            _ => None,
        };
        let first = level(&groups[0]);
        let hs_level = first.filter(|&l| groups.iter().all(|g| level(g) == Some(l)));
        RowShape {
            no_breakdowns,
            monthly,
            hs_level,
        }
    }

    /// The shape of two sets of rows together.
    fn and(self, other: RowShape) -> RowShape {
        RowShape {
            no_breakdowns: self.no_breakdowns && other.no_breakdowns,
            monthly: self.monthly.filter(|&m| other.monthly == Some(m)),
            hs_level: self.hs_level.filter(|&l| other.hs_level == Some(l)),
        }
    }
}

/// The text columns whose single value in a slice a query may take as given: a BACI slice,
/// for one, is all exports in US dollars.
pub const SLICE_CONSTANTS: [&str; 2] = ["flow", "currency"];

/// The slices of the dataset with rows in `from..=to`, from the file names and the files'
/// footers; `None` when a file there is not named as an ingest names it (then a query cannot
/// rely on slices).
pub fn slices(data_dir: &Path, from: i32, to: i32) -> Result<Option<Vec<Slice>>> {
    // Per slice, what its files so far prove of their rows.
    let mut found: BTreeMap<(i32, Format), FileFacts> = BTreeMap::new();
    for year in from..=to {
        let dir = year_dir(&dataset_dir(data_dir), year);
        let Ok(files) = fs::read_dir(&dir) else {
            continue;
        };
        for file in files {
            let file = file.map_err(|e| FlowsError::io(&dir, e))?;
            let name = file.file_name();
            let Some(source) = name.to_str().and_then(source_of_file) else {
                return Ok(None);
            };
            let facts = file_facts(&file.path())?;
            let facts = match found.remove(&(year, source)) {
                Some(known) => known.and(facts),
                None => facts,
            };
            found.insert((year, source), facts);
        }
    }
    let slices = found
        .into_iter()
        .map(|((year, source), facts)| Slice {
            year,
            source,
            constants: SLICE_CONSTANTS
                .into_iter()
                .zip(facts.single)
                .filter_map(|(column, value)| Some((column, value?)))
                .collect(),
            shape: facts.shape,
        })
        .collect();
    Ok(Some(slices))
}

/// What a dataset file's footer proves of all its rows.
struct FileFacts {
    /// Each [`SLICE_CONSTANTS`] column's one value (`None`: not one).
    single: Vec<Option<String>>,
    /// The rows' shape.
    shape: RowShape,
}

impl FileFacts {
    /// What holds for the rows of two files together.
    fn and(self, other: FileFacts) -> FileFacts {
        let single = self
            .single
            .into_iter()
            .zip(other.single)
            .map(|(a, b)| a.filter(|a| Some(a) == b.as_ref()))
            .collect();
        FileFacts {
            single,
            shape: self.shape.and(other.shape),
        }
    }
}

/// The statistics of `column` in a row group, when the writer kept them.
fn column_statistics<'m>(group: &'m RowGroupMetaData, column: &str) -> Option<&'m Statistics> {
    group
        .columns()
        .iter()
        .find(|c| c.column_path().string() == column)?
        .statistics()
}

/// For each of [`SLICE_CONSTANTS`], the one value it has in every row of a dataset file, by
/// the exact minimum and maximum of every row group (a plain code: letters, digits, `-`, `_`);
/// and the shape of its rows.
fn file_facts(path: &Path) -> Result<FileFacts> {
    let file = File::open(path).map_err(|e| FlowsError::io(path, e))?;
    let metadata = ParquetMetaDataReader::new().parse_and_finish(&file)?;
    let single = |column: &str| {
        let mut value: Option<&[u8]> = None;
        for group in metadata.row_groups() {
            let stats = column_statistics(group, column)?;
            let (min, max) = (stats.min_bytes_opt()?, stats.max_bytes_opt()?);
            let exact = stats.min_is_exact() && stats.max_is_exact();
            if !exact || min != max || stats.null_count_opt() != Some(0) {
                return None;
            }
            if value.is_some_and(|v| v != min) {
                return None;
            }
            value = Some(min);
        }
        let text = std::str::from_utf8(value?).ok()?;
        let plain = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plain.then(|| text.to_string())
    };
    Ok(FileFacts {
        single: SLICE_CONSTANTS.iter().map(|c| single(c)).collect(),
        shape: RowShape::of_file(&metadata),
    })
}

/// The format of an ingest's file name `<format>-<16 hex digits>.parquet`.
fn source_of_file(name: &str) -> Option<Format> {
    let (format, id) = name.strip_suffix(".parquet")?.rsplit_once('-')?;
    let hex = id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| Format::from_name(format)).flatten()
}

/// Whether a dataset with at least one Parquet file exists.
pub fn has_data(data_dir: &Path) -> bool {
    let Ok(years) = fs::read_dir(dataset_dir(data_dir)) else {
        return false;
    };
    years.flatten().any(|y| {
        fs::read_dir(y.path()).is_ok_and(|files| {
            files
                .flatten()
                .any(|f| f.path().extension().is_some_and(|e| e == "parquet"))
        })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;
    use crate::schema::Flow;

    fn record(reporter: &str, partner: &str, year: i32) -> FlowRecord {
        FlowRecord::new(
            reporter.to_string(),
            partner.to_string(),
            Flow::Export,
            year,
            "854231".to_string(),
            1.0,
            "USD",
        )
    }

    /// The (reporter, partner) pairs of a dataset file, in file order, and its row groups.
    fn pairs_of(file: &Path) -> (Vec<String>, usize) {
        let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(file).unwrap()).unwrap();
        let row_groups = builder.metadata().num_row_groups();
        let mut pairs = Vec::new();
        for batch in builder.build().unwrap() {
            let batch = batch.unwrap();
            let column = |name: &str| crate::engine::strings(batch.column_by_name(name).unwrap());
            let (reporters, partners) = (column("reporter").unwrap(), column("partner").unwrap());
            for (r, p) in reporters.into_iter().zip(partners) {
                pairs.push(format!("{}-{}", r.unwrap(), p.unwrap()));
            }
        }
        (pairs, row_groups)
    }

    fn only_file(dir: &Path) -> PathBuf {
        let files: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    }

    /// A writer for an ingest of one (empty) BACI file into `data`.
    fn baci_writer(data: &Path) -> DatasetWriter {
        let input = data.join("in.csv");
        fs::write(&input, "").unwrap();
        DatasetWriter::create(data, Format::Baci, &[input]).unwrap()
    }

    #[test]
    fn slices_come_from_the_file_names_and_match_the_source_column() {
        let data = tempfile::tempdir().unwrap();
        let mut writer = baci_writer(data.path());
        writer.push(record("CN", "RU", 2022)).unwrap();
        writer.push(record("CN", "RU", 2024)).unwrap();
        let mut import = record("RU", "CN", 2024);
        import.flow = Flow::Import;
        writer.push(import).unwrap();
        writer.commit().unwrap();
        let baci = |year| Slice {
            year,
            source: Format::Baci,
            constants: vec![
                ("flow", "export".to_string()),
                ("currency", "USD".to_string()),
            ],
            shape: RowShape {
                no_breakdowns: true,
                monthly: Some(false),
                hs_level: Some(6),
            },
        };
        // 2024 holds exports and imports: only its currency is one value.
        let mut mixed = baci(2024);
        mixed.constants.remove(0);
        assert_eq!(
            slices(data.path(), 2020, 2030).unwrap(),
            Some(vec![baci(2022), mixed.clone()])
        );
        assert_eq!(slices(data.path(), 2023, 2024).unwrap(), Some(vec![mixed]));
        assert_eq!(slices(data.path(), 2025, 2026).unwrap(), Some(vec![]));
        // Every row's source is the writer's format.
        let file = only_file(&dataset_dir(data.path()).join("year=2022"));
        let batch = ParquetRecordBatchReaderBuilder::try_new(File::open(&file).unwrap())
            .unwrap()
            .build()
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        let sources = crate::engine::strings(batch.column_by_name("source").unwrap()).unwrap();
        assert_eq!(sources, [Some("baci".to_string())]);
        // A file named otherwise: no slices to rely on.
        fs::write(dataset_dir(data.path()).join("year=2024/extra.parquet"), "").unwrap();
        assert_eq!(slices(data.path(), 2020, 2030).unwrap(), None);
        assert_eq!(
            slices(data.path(), 2022, 2022).unwrap(),
            Some(vec![baci(2022)])
        );
    }

    #[test]
    fn a_slice_shape_holds_for_every_row_of_its_files() {
        let shape_of = |records: Vec<FlowRecord>| {
            let data = tempfile::tempdir().unwrap();
            // One file per record (one input each): a slice's shape holds across its files.
            for (i, record) in records.into_iter().enumerate() {
                let input = data.path().join(format!("in{i}.csv"));
                fs::write(&input, "").unwrap();
                let mut writer =
                    DatasetWriter::create(data.path(), Format::Baci, &[input]).unwrap();
                writer.push(record).unwrap();
                writer.commit().unwrap();
            }
            let files = fs::read_dir(dataset_dir(data.path()).join("year=2022")).unwrap();
            assert_eq!(files.count(), 2);
            let slices = slices(data.path(), 2022, 2022).unwrap().unwrap();
            assert_eq!(slices.len(), 1, "{slices:?}");
            slices[0].shape
        };
        let annual = || record("CN", "RU", 2022);
        let with = |change: fn(&mut FlowRecord)| {
            let mut r = annual();
            change(&mut r);
            r
        };
        let monthly = || with(|r| r.month = Some(3));
        let chapter = || with(|r| r.hs_code = "85".to_string());
        let breakdown = || with(|r| r.breakdown = true);
        let shape = |no_breakdowns, monthly, hs_level| RowShape {
            no_breakdowns,
            monthly,
            hs_level,
        };
        let cases = [
            ([annual(), annual()], shape(true, Some(false), Some(6))),
            ([monthly(), monthly()], shape(true, Some(true), Some(6))),
            ([annual(), monthly()], shape(true, None, Some(6))),
            ([annual(), chapter()], shape(true, Some(false), None)),
            ([breakdown(), annual()], shape(false, Some(false), Some(6))),
            ([annual(), breakdown()], shape(false, Some(false), Some(6))),
        ];
        for (records, expected) in cases {
            assert_eq!(shape_of(Vec::from(records)), expected);
        }
    }

    #[test]
    fn file_names_give_their_format() {
        assert_eq!(
            source_of_file("comtrade-csv-830b4bae374ca2a3.parquet"),
            Some(Format::ComtradeCsv)
        );
        assert_eq!(
            source_of_file("baci-361da25a8777dedc.parquet"),
            Some(Format::Baci)
        );
        assert_eq!(
            source_of_file("baci-361da25a8777dedc.unsorted.parquet"),
            None
        );
        assert_eq!(source_of_file("nope-361da25a8777dedc.parquet"), None);
        assert_eq!(source_of_file("baci-361da25a.parquet"), None);
        assert_eq!(source_of_file("baci.parquet"), None);
    }

    #[test]
    fn a_year_is_sorted_by_reporter_then_partner() {
        let data = tempfile::tempdir().unwrap();
        let mut writer = baci_writer(data.path());
        for (reporter, partner) in [("RU", "CN"), ("EU27", "KG"), ("CN", "RU"), ("CN", "KG")] {
            writer.push(record(reporter, partner, 2023)).unwrap();
        }
        writer.push(record("AM", "RU", 2022)).unwrap();
        let rows = writer.commit().unwrap();
        assert_eq!(rows.values().sum::<u64>(), 5);
        let file = only_file(&dataset_dir(data.path()).join("year=2023"));
        assert_eq!(pairs_of(&file).0, ["CN-KG", "CN-RU", "EU27-KG", "RU-CN"]);
        // Nothing of the staging directory (unsorted files, spill folder) is left.
        let left: Vec<_> = fs::read_dir(data.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| n.to_string_lossy().starts_with(".flows-staging"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn the_order_holds_across_row_groups_and_measures_are_plain() {
        let data = tempfile::tempdir().unwrap();
        let mut writer = baci_writer(data.path());
        let codes = ["UZ", "AM", "KG", "CN", "RU", "TR", "AE", "KZ", "HK", "GE"];
        // 2,500 rows in an order that is not sorted: three row groups of up to 1,000 rows.
        for i in 0..2500usize {
            let (r, p) = (
                codes[(i * 7) % codes.len()],
                codes[(i * 3 + i / 10) % codes.len()],
            );
            writer.push(record(r, p, 2023)).unwrap();
        }
        writer.commit().unwrap();
        let file = only_file(&dataset_dir(data.path()).join("year=2023"));
        let (pairs, row_groups) = pairs_of(&file);
        assert_eq!(pairs.len(), 2500);
        assert_eq!(row_groups, 3);
        let mut sorted = pairs.clone();
        sorted.sort();
        assert_eq!(pairs, sorted);
        let reader = SerializedFileReader::new(File::open(&file).unwrap()).unwrap();
        let group = reader.metadata().row_group(0);
        let column = |name: &str| {
            group
                .columns()
                .iter()
                .find(|c| c.column_path().string() == name)
                .unwrap()
        };
        for measure in MEASURES {
            assert!(
                column(measure).dictionary_page_offset().is_none(),
                "{measure}"
            );
            assert_eq!(column(measure).compression(), Compression::UNCOMPRESSED);
        }
        assert!(column("reporter").dictionary_page_offset().is_some());
        assert_eq!(column("reporter").compression(), Compression::SNAPPY);
    }
}
