//! Streaming classification of a CSV file of shipment lines.
//!
//! Input: a CSV with a header; columns are found by name (case-insensitive): `hs_code` and
//! `description` are required, `hs_version` is optional (empty means HS 2022); other columns are
//! ignored. Rows are read, classified and written one at a time, so memory does not grow with the
//! file. A bad line never stops the batch: its output row carries `error`, and the [`Summary`]
//! lists the bad lines (the first [`MAX_BAD_ROWS`], then only counts them).
//!
//! Output (rows in input order, `row` = 0-based position of the data row, the header not
//! counted):
//! * `jsonl`: one JSON object per row:
//!   `{"row","hs6","chpl_tier","watch","partial","misdeclaration","evidence","error"}`.
//! * `csv`: `row,hs_code,hs6,chpl_tier,watch,partial,suggested_hs6,suggested_tier,
//!   misdeclaration_evidence,evidence,error`; lists are joined with `; `.

use std::io::{BufWriter, Read, Write};

use serde::Serialize;

use crate::classify::{Classification, Classifier, Misdeclaration, ShipmentLine};
use crate::describe::Evidence;
use crate::error::Error;
use crate::lists::Tier;

/// How many bad lines the summary lists one by one.
pub const MAX_BAD_ROWS: usize = 1000;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// CSV with a header.
    #[default]
    Csv,
    /// JSON lines.
    Jsonl,
}

/// A line that could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// The 0-based position of the data row (the header not counted).
    pub row: u64,
    /// The 1-based line of the input file.
    pub line: u64,
    /// Why.
    pub message: String,
}

/// Counts of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Rows with an error.
    pub errors: u64,
    /// Rows whose declared code leads to the CHPL.
    pub chpl: u64,
    /// Of those, rows only partly CHPL goods.
    pub partial: u64,
    /// Rows on the watch list.
    pub watch: u64,
    /// Rows flagged as possible misdeclarations.
    pub misdeclarations: u64,
    /// The first bad rows.
    pub bad_rows: Vec<BadRow>,
}

impl Summary {
    fn count(&mut self, row: u64, line: u64, c: &Classification) {
        self.rows += 1;
        self.chpl += u64::from(c.chpl_tier.is_some());
        self.partial += u64::from(c.partial);
        self.watch += u64::from(c.watch.is_some());
        self.misdeclarations += u64::from(c.misdeclaration.is_some());
        if let Some(message) = &c.error {
            self.errors += 1;
            if self.bad_rows.len() < MAX_BAD_ROWS {
                self.bad_rows.push(BadRow {
                    row,
                    line,
                    message: message.clone(),
                });
            }
        }
    }
}

/// Classifies a CSV of shipment lines with the shipped lists and no nomenclature.
pub fn classify_csv<R: Read, W: Write>(
    reader: R,
    writer: W,
    format: OutputFormat,
) -> Result<Summary, Error> {
    Classifier::new().classify_csv(reader, writer, format)
}

/// The input columns.
struct Columns {
    code: usize,
    description: usize,
    version: Option<usize>,
}

impl Columns {
    fn find(headers: &csv::ByteRecord) -> Result<Columns, Error> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| Error::MissingColumn {
                file: "input".into(),
                column: name.into(),
                found: names.join(","),
            })
        };
        Ok(Columns {
            code: required("hs_code")?,
            description: required("description")?,
            version: find("hs_version"),
        })
    }
}

impl Classifier {
    /// Classifies a CSV of shipment lines row by row (see the module docs for the formats).
    pub fn classify_csv<R: Read, W: Write>(
        &self,
        reader: R,
        writer: W,
        format: OutputFormat,
    ) -> Result<Summary, Error> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let cols = Columns::find(rdr.byte_headers().map_err(|e| Error::csv("input", &e))?)?;
        let mut out = Output::new(writer, format)?;
        let mut summary = Summary::default();
        let mut record = csv::ByteRecord::new();
        // `row` is the 0-based position of the data row in the input (the header not counted),
        // the same convention as every other dualtrace batch output.
        let mut next_row = 0u64;
        while rdr
            .read_byte_record(&mut record)
            .map_err(|e| Error::csv("input", &e))?
        {
            let row = next_row;
            next_row += 1;
            let field = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or(b""));
            let (code, description) = (field(cols.code), field(cols.description));
            let version = cols.version.map(field);
            let line = ShipmentLine {
                hs_code: &code,
                description: &description,
                hs_version: version.as_deref(),
            };
            let c = self.classify(&line);
            out.write(row, &code, &c)?;
            summary.count(row, record.position().map_or(0, |p| p.line()), &c);
        }
        out.finish()?;
        Ok(summary)
    }
}

/// One JSON output row.
#[derive(Serialize)]
struct JsonRow<'a> {
    row: u64,
    hs6: Option<&'a str>,
    chpl_tier: Option<Tier>,
    watch: Option<&'a str>,
    partial: bool,
    misdeclaration: Option<&'a Misdeclaration>,
    evidence: &'a [Evidence],
    error: Option<&'a str>,
}

enum Output<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(BufWriter<W>),
}

const CSV_HEADER: [&str; 11] = [
    "row",
    "hs_code",
    "hs6",
    "chpl_tier",
    "watch",
    "partial",
    "suggested_hs6",
    "suggested_tier",
    "misdeclaration_evidence",
    "evidence",
    "error",
];

impl<W: Write> Output<W> {
    fn new(writer: W, format: OutputFormat) -> Result<Self, Error> {
        Ok(match format {
            OutputFormat::Jsonl => Output::Jsonl(BufWriter::with_capacity(1 << 16, writer)),
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(writer);
                w.write_record(CSV_HEADER)
                    .map_err(|e| Error::csv("output", &e))?;
                Output::Csv(Box::new(w))
            }
        })
    }

    fn write(&mut self, row: u64, code: &str, c: &Classification) -> Result<(), Error> {
        match self {
            Output::Jsonl(w) => {
                serde_json::to_writer(&mut *w, &json_row(row, c))?;
                w.write_all(b"\n").map_err(output_error)
            }
            Output::Csv(w) => w
                .write_record(csv_row(row, code, c))
                .map_err(|e| Error::csv("output", &e)),
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self {
            Output::Jsonl(mut w) => w.flush().map_err(output_error),
            Output::Csv(mut w) => w.flush().map_err(output_error),
        }
    }
}

fn output_error(source: std::io::Error) -> Error {
    Error::Io {
        context: "output".into(),
        source,
    }
}

fn json_row(row: u64, c: &Classification) -> JsonRow<'_> {
    JsonRow {
        row,
        hs6: c.hs6.as_deref(),
        chpl_tier: c.chpl_tier,
        watch: c.watch,
        partial: c.partial,
        misdeclaration: c.misdeclaration.as_ref(),
        evidence: &c.evidence,
        error: c.error.as_deref(),
    }
}

fn csv_row(row: u64, code: &str, c: &Classification) -> [String; 11] {
    let m = c.misdeclaration.as_ref();
    let evidence: Vec<String> = c
        .evidence
        .iter()
        .map(|e| format!("{}:{}->{}", e.rule, e.text, e.hs))
        .collect();
    [
        row.to_string(),
        code.to_string(),
        c.hs6.clone().unwrap_or_default(),
        c.chpl_tier
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        c.watch.unwrap_or_default().to_string(),
        c.partial.to_string(),
        m.map(|m| m.suggested_hs6.to_string()).unwrap_or_default(),
        m.map(|m| m.chpl_tier.as_str().to_string())
            .unwrap_or_default(),
        m.map(|m| m.evidence.join("; ")).unwrap_or_default(),
        evidence.join("; "),
        c.error.clone().unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const INPUT: &str = "id,HS_Code,Description,hs_version\n\
        1,8473.30,Микроконтроллер STM32F103C8T6,\n\
        2,,Cotton shirts,\n\
        3,ABC,bolts,\n\
        4,854,bolts,\n\
        5,85423100150000,bolts,\n\
        6,852580,Thermal camera,2017\n\
        7,3912.20,Nitrocellulose,\n\
        8,8542.31.0015\n";

    fn run(format: OutputFormat) -> (Summary, String) {
        let mut out = Vec::new();
        let s = classify_csv(INPUT.as_bytes(), &mut out, format).unwrap();
        (s, String::from_utf8(out).unwrap())
    }

    #[test]
    fn jsonl_rows_in_input_order() {
        let (s, out) = run(OutputFormat::Jsonl);
        let rows: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), 8);
        assert_eq!(
            rows[0],
            serde_json::json!({
                "row": 0, "hs6": "847330", "chpl_tier": null, "watch": null, "partial": false,
                "misdeclaration": {"suggested_hs6": "854231", "chpl_tier": "1",
                                   "evidence": ["STM32F103C8T6", "Микроконтроллер"]},
                "evidence": [
                    {"rule": "mcu", "kind": "component", "text": "Микроконтроллер", "hs": "854231"},
                    {"rule": "stm32", "kind": "part_number", "text": "STM32F103C8T6", "hs": "854231"}
                ],
                "error": null
            })
        );
        assert_eq!(rows[1]["error"], "empty HS code");
        assert_eq!(rows[5]["chpl_tier"], "3.A");
        assert_eq!(rows[5]["partial"], true);
        assert_eq!(rows[6]["watch"], "W-NITROCELLULOSE");
        assert_eq!(rows[7]["chpl_tier"], "1");
        assert_eq!((s.rows, s.errors, s.chpl, s.partial), (8, 4, 2, 1));
        assert_eq!((s.watch, s.misdeclarations), (1, 1));
        let bad: Vec<_> = s.bad_rows.iter().map(|b| (b.row, b.line)).collect();
        assert_eq!(bad, [(1, 3), (2, 4), (3, 5), (4, 6)]);
        assert!(s.bad_rows[3].message.contains("14 digits"));
    }

    #[test]
    fn csv_output() {
        let (_, out) = run(OutputFormat::Csv);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(
            lines[1],
            "0,8473.30,847330,,,false,854231,1,STM32F103C8T6; Микроконтроллер,\
             mcu:Микроконтроллер->854231; stm32:STM32F103C8T6->854231,"
        );
        assert!(lines[4].ends_with("expected 2, 4, 6, 8 or 10 (a leading zero may have been dropped, e.g. by a spreadsheet)\""));
    }

    #[test]
    fn missing_columns_fail_the_batch() {
        let e = classify_csv("code,text\n1,2\n".as_bytes(), Vec::new(), OutputFormat::Csv);
        assert_eq!(
            e.unwrap_err().to_string(),
            "input: missing column \"hs_code\" in the header (found: code,text)"
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        use proptest::prelude::*;
        proptest!(|(body in proptest::collection::vec(any::<u8>(), 0..200))| {
            let mut input = b"hs_code,description,hs_version\n".to_vec();
            input.extend(body);
            let _ = classify_csv(input.as_slice(), Vec::new(), OutputFormat::Jsonl);
        });
    }
}
