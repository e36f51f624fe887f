//! The Parquet dataset on disk: `<data-dir>/flows/year=YYYY/<ingest-id>.parquet`.
//!
//! An ingest writes into a staging directory beside the dataset and renames its files into place
//! only after every input file was read without error, so a failed ingest leaves the dataset as
//! it was. The ingest id is derived from the format and the input paths: ingesting the same
//! files again replaces their earlier files instead of adding the flows twice.
//!
//! Layout for queries: row groups of up to 1,048,576 rows, each sorted by reporter and
//! partner, with Parquet's page index (column min/max per page, written by default): a query for
//! one reporter reads the few pages that hold it rather than the whole column.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use datafusion::arrow::array::{AsArray, RecordBatch, UInt64Array};
use datafusion::arrow::compute::{sort_to_indices, take_record_batch};
use datafusion::arrow::error::ArrowError;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;

use crate::error::{FlowsError, Result};
use crate::goods::GoodsTagger;
use crate::ingest::Format;
use crate::schema::{BatchBuilder, FlowRecord, flow_schema};

/// Rows per Parquet row group. Each row group is sorted by reporter and partner before it is
/// written, so that the page index lets a query for one reporter (or a reporter and a partner)
/// skip most of its pages.
const ROW_GROUP_ROWS: usize = 1024 * 1024;

/// The dataset directory under a data directory.
pub fn dataset_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("flows")
}

/// One year's open Parquet file in the staging directory.
struct YearFile {
    writer: ArrowWriter<File>,
    batch: BatchBuilder,
    rows: u64,
}

impl YearFile {
    /// Writes the collected rows as one row group, sorted by reporter and partner.
    fn write_row_group(&mut self) -> Result<()> {
        let batch = self.batch.finish()?;
        self.writer.write(&by_reporter_and_partner(&batch)?)?;
        self.writer.flush()?;
        Ok(())
    }
}

/// The rows of a batch ordered by reporter, then partner (by their first four bytes, which tell
/// every country and group code apart; the order only needs to cluster, not to be exact).
fn by_reporter_and_partner(batch: &RecordBatch) -> Result<RecordBatch> {
    let text = |name: &str| {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_string_opt::<i32>())
            .ok_or_else(|| {
                FlowsError::Arrow(ArrowError::SchemaError(format!(
                    "batch has no text column {name}"
                )))
            })
    };
    let (reporter, partner) = (text("reporter")?, text("partner")?);
    let prefix = |code: &str| {
        let mut bytes = [0u8; 4];
        for (b, c) in bytes.iter_mut().zip(code.bytes()) {
            *b = c;
        }
        u64::from(u32::from_be_bytes(bytes))
    };
    let keys: UInt64Array = reporter
        .iter()
        .zip(partner.iter())
        .map(|(r, p)| Some(prefix(r.unwrap_or_default()) << 32 | prefix(p.unwrap_or_default())))
        .collect();
    let order = sort_to_indices(&keys, None, None)?;
    Ok(take_record_batch(batch, &order)?)
}

/// Writes one ingest: per-year Parquet files in staging, then [`DatasetWriter::commit`].
pub struct DatasetWriter {
    dataset: PathBuf,
    staging: PathBuf,
    id: String,
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
            years: HashMap::new(),
            tagger: GoodsTagger::new(),
            committed: false,
        })
    }

    /// Adds one record.
    pub fn push(&mut self, record: FlowRecord) -> Result<()> {
        let year = record.year;
        if !self.years.contains_key(&year) {
            let dir = self.staging.join(format!("year={year}"));
            fs::create_dir_all(&dir).map_err(|e| FlowsError::io(&dir, e))?;
            let path = dir.join(format!("{}.parquet", self.id));
            let file = File::create(&path).map_err(|e| FlowsError::io(&path, e))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .build();
            let writer = ArrowWriter::try_new(file, flow_schema(), Some(props))?;
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
        y.batch.push(&record, &mut self.tagger);
        y.rows += 1;
        if y.batch.len() >= ROW_GROUP_ROWS {
            y.write_row_group()?;
        }
        Ok(())
    }

    /// Closes the files and moves them into the dataset; rows written per year.
    pub fn commit(mut self) -> Result<BTreeMap<i32, u64>> {
        let mut rows = BTreeMap::new();
        for (year, mut y) in std::mem::take(&mut self.years) {
            if !y.batch.is_empty() {
                y.write_row_group()?;
            }
            y.writer.close()?;
            rows.insert(year, y.rows);
        }
        fs::create_dir_all(&self.dataset).map_err(|e| FlowsError::io(&self.dataset, e))?;
        let name = format!("{}.parquet", self.id);
        for year in rows.keys() {
            let dir = self.dataset.join(format!("year={year}"));
            fs::create_dir_all(&dir).map_err(|e| FlowsError::io(&dir, e))?;
            let from = self.staging.join(format!("year={year}")).join(&name);
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
                .strip_prefix("year=")
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

    use super::*;
    use crate::schema::Flow;

    fn record(reporter: &str, partner: &str, year: i32) -> FlowRecord {
        FlowRecord::new(
            "baci",
            reporter.to_string(),
            partner.to_string(),
            Flow::Export,
            year,
            "854231".to_string(),
            1.0,
            "USD",
        )
    }

    #[test]
    fn row_groups_are_sorted_by_reporter_then_partner() {
        let data = tempfile::tempdir().unwrap();
        let input = data.path().join("in.csv");
        fs::write(&input, "").unwrap();
        let mut writer = DatasetWriter::create(data.path(), Format::Baci, &[input]).unwrap();
        for (reporter, partner) in [("RU", "CN"), ("EU27", "KG"), ("CN", "RU"), ("CN", "KG")] {
            writer.push(record(reporter, partner, 2023)).unwrap();
        }
        writer.push(record("AM", "RU", 2022)).unwrap();
        let rows = writer.commit().unwrap();
        assert_eq!(rows.values().sum::<u64>(), 5);
        let dir = dataset_dir(data.path()).join("year=2023");
        let file = fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(file).unwrap())
            .unwrap()
            .build()
            .unwrap();
        let mut pairs = Vec::new();
        for batch in reader {
            let batch = batch.unwrap();
            let column = |name: &str| crate::engine::strings(batch.column_by_name(name).unwrap());
            let (reporters, partners) = (column("reporter").unwrap(), column("partner").unwrap());
            for (r, p) in reporters.into_iter().zip(partners) {
                pairs.push(format!("{}-{}", r.unwrap(), p.unwrap()));
            }
        }
        assert_eq!(pairs, ["CN-KG", "CN-RU", "EU27-KG", "RU-CN"]);
    }
}
