//! Ingest: the six input formats into the one dataset schema, all or nothing.
//!
//! Each format module reads one file as a stream and hands [`FlowRecord`]s to an [`Ingester`],
//! which maps countries (unknown names become warnings, never silent drops; regions and totals
//! are skipped and counted because they would double count) and forwards the records to a sink.
//! [`ingest`] writes them to a staging directory and renames them into the dataset only when
//! every file has been read without error.

mod baci;
mod comext;
mod comtrade;
mod customs;
mod imf;
pub mod table;
pub mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::areas::{Area, AreaResolver};
use crate::dataset::DatasetWriter;
use crate::error::{FlowsError, Result};
use crate::schema::{AREAS_NES, FlowRecord};

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Format {
    /// UN Comtrade API JSON (`{"data":[{...}]}`).
    ComtradeJson,
    /// UN Comtrade bulk CSV (same column names as the API).
    ComtradeCsv,
    /// CEPII BACI CSV (`t,i,j,k,v,q`; values in thousand USD, quantities in tonnes).
    Baci,
    /// Eurostat Comext relational CSV (reporter, partner, flow, period, value in EUR), also the
    /// national import files of the same shape.
    EurostatComext,
    /// IMF IMTS CSV (one row per series, one column per period; values in millions).
    ImfImts,
    /// Customs declarations CSV (one shipment per row).
    CustomsCsv,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::ComtradeJson,
        Format::ComtradeCsv,
        Format::Baci,
        Format::EurostatComext,
        Format::ImfImts,
        Format::CustomsCsv,
    ];

    /// The CLI and `source` column name.
    pub fn name(self) -> &'static str {
        match self {
            Format::ComtradeJson => "comtrade-json",
            Format::ComtradeCsv => "comtrade-csv",
            Format::Baci => "baci",
            Format::EurostatComext => "eurostat-comext",
            Format::ImfImts => "imf-imts",
            Format::CustomsCsv => "customs-csv",
        }
    }

    /// The format of a name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Reads one file into the ingester.
    pub fn parse(self, file: &str, input: impl Read, ingester: &mut Ingester<'_>) -> Result<()> {
        match self {
            Format::ComtradeJson => comtrade::parse_json(file, input, ingester),
            Format::ComtradeCsv => comtrade::parse_csv(file, input, ingester),
            Format::Baci => baci::parse(file, input, ingester),
            Format::EurostatComext => comext::parse(file, input, ingester),
            Format::ImfImts => imf::parse(file, input, ingester),
            Format::CustomsCsv => customs::parse(file, input, ingester),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Most warning examples kept (the counts are always complete).
pub const MAX_EXAMPLES: usize = 20;

/// What an ingest could not use as given: counts per kind, and the first examples.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Warnings {
    /// Count per kind of warning.
    pub counts: BTreeMap<String, u64>,
    /// The first [`MAX_EXAMPLES`] warnings, with file, line and field.
    pub examples: Vec<String>,
    /// Rows of world totals, regions and other groups, skipped because they are not countries.
    pub aggregates_skipped: u64,
}

impl Warnings {
    /// Records a warning.
    pub fn add(&mut self, kind: &str, file: &str, line: u64, field: &str, detail: &str) {
        *self.counts.entry(kind.to_string()).or_default() += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(format!(
                "{file}: line {line}: field {field}: {kind}: {detail}"
            ));
        }
    }

    /// The total number of warnings.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    fn merge(&mut self, other: Warnings) {
        for (k, v) in other.counts {
            *self.counts.entry(k).or_default() += v;
        }
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
        self.aggregates_skipped += other.aggregates_skipped;
    }
}

/// Where a value came from, for warnings.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// The file.
    pub file: &'a str,
    /// The line (or record number for JSON).
    pub line: u64,
    /// The field.
    pub field: &'a str,
}

/// The per-ingest state the format parsers share: country mapping, warnings and the sink.
pub struct Ingester<'a> {
    areas: AreaResolver,
    warnings: Warnings,
    rows: u64,
    sink: &'a mut dyn FnMut(FlowRecord) -> Result<()>,
}

impl<'a> Ingester<'a> {
    /// An ingester handing records to `sink`.
    pub fn new(sink: &'a mut dyn FnMut(FlowRecord) -> Result<()>) -> Ingester<'a> {
        Ingester {
            areas: AreaResolver::new(),
            warnings: Warnings::default(),
            rows: 0,
            sink,
        }
    }

    /// The area resolver (cached).
    pub fn areas(&mut self) -> &mut AreaResolver {
        &mut self.areas
    }

    /// Records a warning.
    pub fn warn(&mut self, at: At<'_>, kind: &str, detail: &str) {
        self.warnings.add(kind, at.file, at.line, at.field, detail);
    }

    /// The reporter code of an area; `None` (row skipped, counted) for aggregates and unknown
    /// or unallocated reporters, which cannot be attributed.
    pub fn reporter(&mut self, at: At<'_>, area: Option<Area>, raw: &str) -> Option<String> {
        match area {
            Some(Area::Country(c)) => Some(c),
            Some(Area::Group(g)) => Some(g.to_string()),
            Some(Area::Aggregate) => {
                self.warnings.aggregates_skipped += 1;
                None
            }
            Some(Area::Nes) => {
                self.warn(at, "unallocated reporter: row skipped", raw);
                None
            }
            None => {
                self.warn(at, "unknown reporter: row skipped", raw);
                None
            }
        }
    }

    /// The partner code of an area; unknown partners are kept as `ZZ` with a warning (their
    /// value still counts in totals); aggregates give `None` (row skipped, counted).
    pub fn partner(&mut self, at: At<'_>, area: Option<Area>, raw: &str) -> Option<String> {
        match area {
            Some(Area::Country(c)) => Some(c),
            Some(Area::Group(_) | Area::Aggregate) => {
                self.warnings.aggregates_skipped += 1;
                None
            }
            Some(Area::Nes) => Some(AREAS_NES.to_string()),
            None => {
                self.warn(at, "unknown partner: kept as ZZ (areas nes)", raw);
                Some(AREAS_NES.to_string())
            }
        }
    }

    /// Hands one record to the sink.
    pub fn emit(&mut self, record: FlowRecord) -> Result<()> {
        self.rows += 1;
        (self.sink)(record)
    }

    /// Rows emitted and the warnings.
    pub fn finish(self) -> (u64, Warnings) {
        (self.rows, self.warnings)
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    /// The format.
    pub format: Format,
    /// The files read.
    pub files: Vec<PathBuf>,
    /// Rows written.
    pub rows: u64,
    /// Rows written per year.
    pub rows_by_year: BTreeMap<i32, u64>,
    /// Warnings and skipped aggregates.
    pub warnings: Warnings,
}

/// Ingests files into `<data_dir>/flows/`: all files are read and written to a staging
/// directory first; the dataset changes only if every file was read without error. Ingesting
/// the same paths again replaces their earlier ingest (no double counting).
pub fn ingest(format: Format, paths: &[PathBuf], data_dir: &Path) -> Result<IngestReport> {
    if paths.is_empty() {
        return Err(FlowsError::argument("PATH", "no input file given"));
    }
    let mut writer = DatasetWriter::create(data_dir, format, paths)?;
    let mut warnings = Warnings::default();
    let mut rows = 0;
    for path in paths {
        let file = File::open(path).map_err(|e| FlowsError::io(path, e))?;
        let name = path.display().to_string();
        let mut failed = None;
        let mut sink = |record: FlowRecord| writer.push(record);
        let mut ingester = Ingester::new(&mut sink);
        if let Err(e) = format.parse(
            &name,
            BufReader::with_capacity(1 << 20, file),
            &mut ingester,
        ) {
            failed = Some(e);
        }
        let (n, w) = ingester.finish();
        if let Some(e) = failed {
            return Err(e);
        }
        rows += n;
        warnings.merge(w);
    }
    let rows_by_year = writer.commit()?;
    Ok(IngestReport {
        format,
        files: paths.to_vec(),
        rows,
        rows_by_year,
        warnings,
    })
}

/// Parses bytes of a format in memory (tests and fuzzing): the records and the warnings.
pub fn parse_bytes(
    format: Format,
    file: &str,
    bytes: &[u8],
) -> Result<(Vec<FlowRecord>, Warnings)> {
    let mut records = Vec::new();
    let mut sink = |r: FlowRecord| {
        records.push(r);
        Ok(())
    };
    let mut ingester = Ingester::new(&mut sink);
    format.parse(file, bytes, &mut ingester)?;
    let (_, warnings) = ingester.finish();
    Ok((records, warnings))
}
