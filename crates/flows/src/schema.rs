//! The one schema of the trade-flow dataset: the record every ingest format becomes, its Arrow
//! schema, and the builder that turns records into Arrow batches.
//!
//! # Columns (`flows` table; one Parquet file per ingest and year under `flows/year=YYYY/`)
//! | column | type | meaning |
//! |---|---|---|
//! | `source` | utf8 | the ingest format (`eurostat-comext`, `baci`, ...) |
//! | `reporter` | utf8 | who reports: ISO 3166-1 alpha-2 (`KG`), or a group code (`EU27`) |
//! | `partner` | utf8 | the counterpart: ISO alpha-2, or `ZZ` = areas not elsewhere specified (nes, bunkers, high seas, confidential) |
//! | `flow` | utf8 | `import` or `export`, as seen by the reporter |
//! | `year` | int32 | the year (also the partition directory) |
//! | `month` | int32, null | 1..12; null for an annual figure |
//! | `hs_code` | utf8 | HS-6, HS-4 or HS-2 digits, or `TOTAL` for all goods |
//! | `hs_level` | int32 | 0 for `TOTAL`, else the number of digits of `hs_code` (2, 4, 6) |
//! | `chpl_tier` | utf8, null | the CHPL tier of an HS-6 code (`1`, `2`, `3.A`, ...), from `dualtrace-goods` |
//! | `watch_item` | utf8, null | the watch-list item id (`W-...`) of the code, from `dualtrace-goods` |
//! | `value` | float64 | the value in `currency` units (not thousands, not millions) |
//! | `currency` | utf8 | `EUR` or `USD` (as published; reports never add two currencies) |
//! | `quantity` | float64, null | the quantity in `quantity_unit` |
//! | `quantity_unit` | utf8, null | the unit of `quantity` (`t`, `kg`, `u`, a Comtrade unit code, ...) |
//! | `net_weight_kg` | float64, null | net weight in kilograms |
//! | `breakdown` | bool | true for a sub-breakdown of a total (Comtrade rows by second partner, transport mode or customs procedure): reports skip them |
//! | `partner2` | utf8, null | Comtrade's second partner (ISO alpha-2) |
//! | `transport_mode` | utf8, null | Comtrade `motCode`, or the customs declaration's mode |
//! | `customs_procedure` | utf8, null | Comtrade `customsCode` |
//! | `declaration_date` | utf8, null | customs declarations: the date (`YYYY-MM-DD`) |
//! | `consignor` | utf8, null | customs declarations: the sender |
//! | `consignee` | utf8, null | customs declarations: the receiver |
//! | `origin_country` | utf8, null | customs declarations: country of origin (ISO alpha-2) |
//! | `dispatch_country` | utf8, null | customs declarations: country of dispatch |
//! | `destination_country` | utf8, null | customs declarations: country of destination |
//! | `tariff_code` | utf8, null | customs declarations: the national tariff code as declared |
//! | `description` | utf8, null | customs declarations: the goods description |

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, RecordBatch, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use serde::Serialize;

use crate::error::Result;
use crate::goods::GoodsTagger;

/// The partner code for areas not elsewhere specified (nes), bunkers, high seas, special and
/// confidential categories.
pub const AREAS_NES: &str = "ZZ";

/// The code of the EU27 as a reporter (Eurostat's aggregate rows).
pub const EU27: &str = "EU27";

/// The `hs_code` of a figure for all goods.
pub const ALL_GOODS: &str = "TOTAL";

/// The direction of a flow as seen by its reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flow {
    /// Goods entering the reporter.
    Import,
    /// Goods leaving the reporter.
    Export,
}

impl Flow {
    /// Reads `import` or `export` (the value of the argument or parameter `name`).
    pub fn parse(name: &str, raw: &str) -> crate::Result<Flow> {
        [Flow::Import, Flow::Export]
            .into_iter()
            .find(|f| f.as_str() == raw.trim())
            .ok_or_else(|| {
                crate::FlowsError::argument(name, format!("{raw:?}: expected import or export"))
            })
    }

    /// The dataset spelling: `import` / `export`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flow::Import => "import",
            Flow::Export => "export",
        }
    }
}

/// Customs-declaration fields of a record (the `customs-csv` format).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declaration {
    /// The declaration date, `YYYY-MM-DD`.
    pub date: String,
    /// The sender.
    pub consignor: Option<String>,
    /// The receiver.
    pub consignee: Option<String>,
    /// Country of origin (ISO alpha-2).
    pub origin: Option<String>,
    /// Country of dispatch (ISO alpha-2).
    pub dispatch: Option<String>,
    /// Country of destination (ISO alpha-2).
    pub destination: Option<String>,
    /// The national tariff code as declared.
    pub tariff_code: String,
    /// The goods description.
    pub description: Option<String>,
}

/// One trade figure, in the dataset's terms (see the module docs for the columns).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowRecord {
    /// ISO alpha-2 or a group code.
    pub reporter: String,
    /// ISO alpha-2 or [`AREAS_NES`].
    pub partner: String,
    /// Import or export.
    pub flow: Flow,
    /// The year.
    pub year: i32,
    /// The month (1..12), or `None` for an annual figure.
    pub month: Option<u8>,
    /// HS digits (2, 4 or 6) or [`ALL_GOODS`].
    pub hs_code: String,
    /// The value in currency units.
    pub value: f64,
    /// `EUR`, `USD`, ...
    pub currency: &'static str,
    /// Quantity in `quantity_unit`.
    pub quantity: Option<f64>,
    /// Unit of the quantity.
    pub quantity_unit: Option<String>,
    /// Net weight in kg.
    pub net_weight_kg: Option<f64>,
    /// Whether the row is a sub-breakdown of a total that reports must not add again.
    pub breakdown: bool,
    /// Comtrade second partner.
    pub partner2: Option<String>,
    /// Transport mode code.
    pub transport_mode: Option<String>,
    /// Customs procedure code.
    pub customs_procedure: Option<String>,
    /// Customs-declaration fields.
    pub declaration: Option<Declaration>,
}

impl FlowRecord {
    /// A record with the required fields and everything optional empty (the fields every
    /// figure has, in the order the module docs list them; its `source` is the format of the
    /// ingest that writes it, see [`crate::dataset::DatasetWriter`]).
    pub fn new(
        reporter: String,
        partner: String,
        flow: Flow,
        year: i32,
        hs_code: String,
        value: f64,
        currency: &'static str,
    ) -> FlowRecord {
        FlowRecord {
            reporter,
            partner,
            flow,
            year,
            month: None,
            hs_code,
            value,
            currency,
            quantity: None,
            quantity_unit: None,
            net_weight_kg: None,
            breakdown: false,
            partner2: None,
            transport_mode: None,
            customs_procedure: None,
            declaration: None,
        }
    }

    /// The level of the goods code: 0 for all goods, else its number of digits.
    pub fn hs_level(&self) -> i32 {
        hs_level(&self.hs_code)
    }
}

/// The level of a goods code: 0 for [`ALL_GOODS`], else its number of digits.
pub fn hs_level(code: &str) -> i32 {
    if code == ALL_GOODS {
        0
    } else {
        i32::try_from(code.len()).unwrap_or(i32::MAX)
    }
}

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        utf8("source", false),
        utf8("reporter", false),
        utf8("partner", false),
        utf8("flow", false),
        Field::new("year", DataType::Int32, false),
        Field::new("month", DataType::Int32, true),
        utf8("hs_code", false),
        Field::new("hs_level", DataType::Int32, false),
        utf8("chpl_tier", true),
        utf8("watch_item", true),
        Field::new("value", DataType::Float64, false),
        utf8("currency", false),
        Field::new("quantity", DataType::Float64, true),
        utf8("quantity_unit", true),
        Field::new("net_weight_kg", DataType::Float64, true),
        Field::new("breakdown", DataType::Boolean, false),
        utf8("partner2", true),
        utf8("transport_mode", true),
        utf8("customs_procedure", true),
        utf8("declaration_date", true),
        utf8("consignor", true),
        utf8("consignee", true),
        utf8("origin_country", true),
        utf8("dispatch_country", true),
        utf8("destination_country", true),
        utf8("tariff_code", true),
        utf8("description", true),
    ]))
});

/// The Arrow schema of the `flows` table.
pub fn flow_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Collects records into Arrow columns, tagging goods with their CHPL tier and watch item.
pub struct BatchBuilder {
    strings: Vec<StringBuilder>,
    year: Int32Builder,
    month: Int32Builder,
    hs_level: Int32Builder,
    value: Float64Builder,
    quantity: Float64Builder,
    net_weight: Float64Builder,
    breakdown: BooleanBuilder,
    rows: usize,
}

/// String columns in the order [`BatchBuilder`] keeps them.
const STRING_COLUMNS: [&str; 20] = [
    "source",
    "reporter",
    "partner",
    "flow",
    "hs_code",
    "chpl_tier",
    "watch_item",
    "currency",
    "quantity_unit",
    "partner2",
    "transport_mode",
    "customs_procedure",
    "declaration_date",
    "consignor",
    "consignee",
    "origin_country",
    "dispatch_country",
    "destination_country",
    "tariff_code",
    "description",
];

impl Default for BatchBuilder {
    fn default() -> Self {
        BatchBuilder::new()
    }
}

impl BatchBuilder {
    /// An empty builder.
    pub fn new() -> BatchBuilder {
        BatchBuilder {
            strings: STRING_COLUMNS
                .iter()
                .map(|_| StringBuilder::new())
                .collect(),
            year: Int32Builder::new(),
            month: Int32Builder::new(),
            hs_level: Int32Builder::new(),
            value: Float64Builder::new(),
            quantity: Float64Builder::new(),
            net_weight: Float64Builder::new(),
            breakdown: BooleanBuilder::new(),
            rows: 0,
        }
    }

    /// Rows collected since the last [`BatchBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row is collected.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Adds one record, read by an ingest in the format named `source`.
    pub fn push(&mut self, source: &str, r: &FlowRecord, tagger: &mut GoodsTagger) {
        let tags = tagger.tag(&r.hs_code);
        let d = r.declaration.as_ref();
        let values: [Option<&str>; 20] = [
            Some(source),
            Some(&r.reporter),
            Some(&r.partner),
            Some(r.flow.as_str()),
            Some(&r.hs_code),
            tags.tier,
            tags.watch_item,
            Some(r.currency),
            r.quantity_unit.as_deref(),
            r.partner2.as_deref(),
            r.transport_mode.as_deref(),
            r.customs_procedure.as_deref(),
            d.map(|d| d.date.as_str()),
            d.and_then(|d| d.consignor.as_deref()),
            d.and_then(|d| d.consignee.as_deref()),
            d.and_then(|d| d.origin.as_deref()),
            d.and_then(|d| d.dispatch.as_deref()),
            d.and_then(|d| d.destination.as_deref()),
            d.map(|d| d.tariff_code.as_str()),
            d.and_then(|d| d.description.as_deref()),
        ];
        for (builder, value) in self.strings.iter_mut().zip(values) {
            builder.append_option(value);
        }
        self.year.append_value(r.year);
        self.month.append_option(r.month.map(i32::from));
        self.hs_level.append_value(r.hs_level());
        self.value.append_value(r.value);
        self.quantity.append_option(r.quantity);
        self.net_weight.append_option(r.net_weight_kg);
        self.breakdown.append_value(r.breakdown);
        self.rows += 1;
    }

    /// The collected rows as a batch of [`flow_schema`]; the builder is empty afterwards.
    pub fn finish(&mut self) -> Result<RecordBatch> {
        let mut s: Vec<ArrayRef> = self
            .strings
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let mut take = |name: &str| -> ArrayRef {
            let i = STRING_COLUMNS.iter().position(|c| *c == name).unwrap_or(0);
            std::mem::replace(&mut s[i], Arc::new(StringBuilder::new().finish()))
        };
        let columns: Vec<ArrayRef> = vec![
            take("source"),
            take("reporter"),
            take("partner"),
            take("flow"),
            Arc::new(self.year.finish()),
            Arc::new(self.month.finish()),
            take("hs_code"),
            Arc::new(self.hs_level.finish()),
            take("chpl_tier"),
            take("watch_item"),
            Arc::new(self.value.finish()),
            take("currency"),
            Arc::new(self.quantity.finish()),
            take("quantity_unit"),
            Arc::new(self.net_weight.finish()),
            Arc::new(self.breakdown.finish()),
            take("partner2"),
            take("transport_mode"),
            take("customs_procedure"),
            take("declaration_date"),
            take("consignor"),
            take("consignee"),
            take("origin_country"),
            take("dispatch_country"),
            take("destination_country"),
            take("tariff_code"),
            take("description"),
        ];
        self.rows = 0;
        Ok(RecordBatch::try_new(flow_schema(), columns)?)
    }
}
