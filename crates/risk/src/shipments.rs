//! Shipment lines in: a shipments or customs-declarations CSV, columns found by name.
//!
//! The reader owns the contract with the outside file. Columns are matched by header name
//! (case, surrounding spaces and a byte-order mark ignored), so the order of columns does not
//! matter and unknown extra columns are carried along unread (their names go into the audit
//! record). `consignor`, `consignee` and `hs_code` are required: without them no red flag can
//! be judged. Every other column is optional. Values that are present must make sense: a
//! value or quantity that is not a non-negative number, a date that is not ISO `YYYY[-MM[-DD]]`
//! or a country nobody has a code for is an error naming the file, the line and the field. The
//! whole file is read or nothing is: a half-read file would silently drop shipments.
//!
//! A bad tariff code is *not* an input error here: the goods classifier reports it per line
//! (the description is still screened), as customs data holds such codes routinely.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// Columns a shipments file must have.
pub const REQUIRED_COLUMNS: [&str; 3] = ["consignor", "consignee", "hs_code"];

/// Every column the reader understands (the required ones included).
pub const KNOWN_COLUMNS: [&str; 19] = [
    "date",
    "consignor",
    "consignor_country",
    "consignor_id",
    "consignor_address",
    "consignee",
    "consignee_country",
    "consignee_id",
    "consignee_address",
    "notify_party",
    "origin_country",
    "dispatch_country",
    "destination_country",
    "hs_code",
    "description",
    "value",
    "currency",
    "quantity",
    "unit",
];

/// A bad shipments file: which file, line and field, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: field `{field}`: {message}", file.display())]
pub struct ShipmentError {
    /// The file read.
    pub file: PathBuf,
    /// The 1-based line of the file (1 is the header; 0 when the file could not be read).
    pub line: u64,
    /// The column at fault (`file`, `header` or `record` for problems of the whole file/row).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A party of a shipment line as declared.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Party {
    /// The name as written (any script).
    pub name: String,
    /// ISO 3166-1 alpha-2 code, upper case, when given.
    pub country: Option<String>,
    /// A tax or registration number (INN, USCC, ...), when given.
    pub id: String,
    /// The address as written, when given.
    pub address: String,
}

impl Party {
    /// Whether the party has a name at all.
    pub fn is_named(&self) -> bool {
        !self.name.trim().is_empty()
    }
}

/// One shipment line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Shipment {
    /// 0-based position among the data rows (the header is not a row).
    pub row: usize,
    /// 1-based line of the file where the record starts (the header is line 1).
    pub line: u64,
    /// Date as written (validated as ISO when present).
    pub date: String,
    /// The shipper.
    pub consignor: Party,
    /// The receiver.
    pub consignee: Party,
    /// A notify party (name only).
    pub notify_party: String,
    /// Country of origin of the goods (ISO alpha-2, upper case).
    pub origin_country: Option<String>,
    /// Country the goods were dispatched from.
    pub dispatch_country: Option<String>,
    /// Country of destination.
    pub destination_country: Option<String>,
    /// The declared tariff code as written.
    pub hs_code: String,
    /// The goods description.
    pub description: String,
    /// The declared value.
    pub value: Option<f64>,
    /// Currency of the value.
    pub currency: String,
    /// Quantity.
    pub quantity: Option<f64>,
    /// Unit of the quantity.
    pub unit: String,
}

impl Shipment {
    /// The final destination: the declared destination, else the consignee's country.
    pub fn destination(&self) -> Option<&str> {
        self.destination_country
            .as_deref()
            .or(self.consignee.country.as_deref())
    }

    /// The countries the goods pass before the destination, in route order, without repeats:
    /// origin, the shipper's country, dispatch.
    pub fn route_before_destination(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in [
            self.origin_country.as_deref(),
            self.consignor.country.as_deref(),
            self.dispatch_country.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// The route as one label, e.g. `CN > HK > RU` (`?` for an unknown destination).
    pub fn route_label(&self) -> String {
        let mut stops = self.route_before_destination();
        let dest = self.destination().unwrap_or("?");
        if stops.last() != Some(&dest) {
            stops.push(dest);
        }
        stops.join(" > ")
    }
}

/// A read shipments file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShipmentFile {
    /// The lines, in input order.
    pub shipments: Vec<Shipment>,
    /// Header names the reader did not use (kept in the audit record).
    pub extra_columns: Vec<String>,
}

/// Column positions by name.
struct Columns {
    known: Vec<Option<usize>>,
}

impl Columns {
    fn find(
        file: &Path,
        header: &csv::StringRecord,
    ) -> Result<(Columns, Vec<String>), ShipmentError> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
            .collect();
        let known: Vec<Option<usize>> = KNOWN_COLUMNS
            .iter()
            .map(|k| names.iter().position(|n| n == k))
            .collect();
        for required in REQUIRED_COLUMNS {
            if !names.iter().any(|n| n == required) {
                return Err(ShipmentError {
                    file: file.to_owned(),
                    line: 1,
                    field: required.to_owned(),
                    message: format!(
                        "missing required column `{required}` (required: {}; found: {})",
                        REQUIRED_COLUMNS.join(", "),
                        names.join(", ")
                    ),
                });
            }
        }
        let extra = names
            .iter()
            .filter(|n| !n.is_empty() && !KNOWN_COLUMNS.contains(&n.as_str()))
            .cloned()
            .collect();
        Ok((Columns { known }, extra))
    }

    /// The trimmed value of a known column in a record ("" when absent).
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        KNOWN_COLUMNS
            .iter()
            .position(|k| *k == column)
            .and_then(|i| self.known[i])
            .and_then(|at| record.get(at))
            .unwrap_or("")
            .trim()
    }

    /// The first required column a record stops short of: a line cut off (flexible reading
    /// accepts missing trailing cells, but not the ones every line needs), or an unclosed quote
    /// that swallowed the rest of the file.
    fn short_of_required(&self, record: &csv::StringRecord) -> Option<&'static str> {
        REQUIRED_COLUMNS.iter().copied().find(|required| {
            KNOWN_COLUMNS
                .iter()
                .position(|k| k == required)
                .and_then(|i| self.known[i])
                .is_some_and(|at| record.get(at).is_none())
        })
    }
}

/// Reads a shipments file (see the module docs).
pub fn read_shipments(path: &Path) -> Result<ShipmentFile, ShipmentError> {
    let bytes = std::fs::read(path).map_err(|e| ShipmentError {
        file: path.to_owned(),
        line: 0,
        field: "file".into(),
        message: e.to_string(),
    })?;
    parse_shipments(path, &bytes)
}

/// Parses the bytes of a shipments file; `file` names it in errors.
pub fn parse_shipments(file: &Path, bytes: &[u8]) -> Result<ShipmentFile, ShipmentError> {
    let err = |line: u64, field: &str, message: String| ShipmentError {
        file: file.to_owned(),
        line,
        field: field.to_owned(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| err(1, "header", e.to_string()))?
        .clone();
    let (columns, extra_columns) = Columns::find(file, &header)?;
    let mut shipments = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(err(line, "record", e.to_string()));
            }
        }
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(bytes, p.byte()));
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let row = shipments.len();
        let shipment = read_row(&columns, &record, row, line)
            .map_err(|(field, message)| err(line, field, message))?;
        shipments.push(shipment);
    }
    Ok(ShipmentFile {
        shipments,
        extra_columns,
    })
}

/// Line numbers from byte offsets, counted incrementally (records come in file order).
///
/// The CSV reader reports a record's start before the blank lines it skips; the line of the
/// record is that of its first non-blank byte.
#[derive(Debug, Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], start: u64) -> u64 {
        let mut at = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        if at >= self.byte {
            self.newlines += bytes[self.byte..at].iter().filter(|b| **b == b'\n').count() as u64;
            self.byte = at;
        }
        self.newlines + 1
    }
}

/// A field error: (column, message).
type FieldError = (&'static str, String);

fn read_row(
    c: &Columns,
    r: &csv::StringRecord,
    row: usize,
    line: u64,
) -> Result<Shipment, FieldError> {
    if let Some(column) = c.short_of_required(r) {
        return Err((
            column,
            format!(
                "the line has {} fields and ends before this column (an unclosed quote?)",
                r.len()
            ),
        ));
    }
    let text = |column: &str| c.get(r, column).to_owned();
    let party = |role: &'static str,
                 country_col: &'static str,
                 id_col: &str,
                 addr_col: &str|
     -> Result<Party, FieldError> {
        Ok(Party {
            name: text(role),
            country: country(c.get(r, country_col), country_col)?,
            id: text(id_col),
            address: text(addr_col),
        })
    };
    let date = text("date");
    if !date.is_empty() {
        dualtrace_model::PartialDate::parse_iso(&date).map_err(|e| {
            (
                "date",
                format!("{date:?} is not a date YYYY[-MM[-DD]]: {e}"),
            )
        })?;
    }
    Ok(Shipment {
        row,
        line,
        date,
        consignor: party(
            "consignor",
            "consignor_country",
            "consignor_id",
            "consignor_address",
        )?,
        consignee: party(
            "consignee",
            "consignee_country",
            "consignee_id",
            "consignee_address",
        )?,
        notify_party: text("notify_party"),
        origin_country: country(c.get(r, "origin_country"), "origin_country")?,
        dispatch_country: country(c.get(r, "dispatch_country"), "dispatch_country")?,
        destination_country: country(c.get(r, "destination_country"), "destination_country")?,
        hs_code: text("hs_code"),
        description: text("description"),
        value: number(c.get(r, "value"), "value")?,
        currency: text("currency"),
        quantity: number(c.get(r, "quantity"), "quantity")?,
        unit: text("unit"),
    })
}

/// A country cell: empty is unknown, anything else must be a country.
fn country(text: &str, field: &'static str) -> Result<Option<String>, FieldError> {
    if text.is_empty() {
        return Ok(None);
    }
    dualtrace_model::country_code(text)
        .map(|c| Some(c.to_ascii_uppercase()))
        .map_err(|e| (field, format!("{text:?} is not a country: {e}")))
}

/// A number cell: empty is unknown; `1 234.5` and `1,234.5` are read, anything else is an
/// error (a decimal comma is ambiguous with a thousands separator and is refused).
fn number(text: &str, field: &'static str) -> Result<Option<f64>, FieldError> {
    if text.is_empty() {
        return Ok(None);
    }
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '_'))
        .collect();
    let grouped = cleaned.contains(',')
        && cleaned
            .split('.')
            .next()
            .is_some_and(|int| int.split(',').skip(1).all(|g| g.len() == 3));
    let plain = if grouped {
        cleaned.replace(',', "")
    } else {
        cleaned
    };
    match plain.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err((field, format!("{text:?} is not a non-negative number"))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<ShipmentFile, ShipmentError> {
        parse_shipments(Path::new("ship.csv"), text.as_bytes())
    }

    #[test]
    fn columns_by_name_in_any_order_with_extras_kept() {
        let f = parse(
            "hs_code,Consignee,consignor,invoice_no,consignee_country,value,destination_country\n\
             8542.31,OOO Test,Shenzhen A Co,INV-1,Russia,\"48,200\",\n\
             \n\
             0802.22,B GmbH,C AS,INV-2,DE,12.5,FR\n",
        )
        .unwrap();
        assert_eq!(f.extra_columns, ["invoice_no"]);
        assert_eq!(f.shipments.len(), 2);
        let a = &f.shipments[0];
        assert_eq!((a.row, a.line), (0, 2));
        assert_eq!(a.consignee.name, "OOO Test");
        assert_eq!(a.consignee.country.as_deref(), Some("RU"));
        assert_eq!(a.value, Some(48200.0));
        assert_eq!(a.destination(), Some("RU"));
        let b = &f.shipments[1];
        assert_eq!((b.row, b.line), (1, 4));
        assert_eq!(b.destination(), Some("FR"));
    }

    #[test]
    fn missing_required_column_names_file_and_column() {
        let e = parse("consignor,hs_code\nA,8542\n").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, "consignee"));
        assert!(
            e.to_string()
                .starts_with("ship.csv:1: field `consignee`: missing required column"),
            "{e}"
        );
    }

    #[test]
    fn a_line_cut_short_is_an_error_but_missing_optional_cells_are_not() {
        let e = parse("consignor,consignee,hs_code\nA,B,8542\n\"Acme,Beta,854231\n").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "consignee"));
        assert!(e.message.contains("unclosed quote"), "{e}");
        let f = parse("consignor,consignee,hs_code,value,currency\nA,B,8542\n").unwrap();
        assert_eq!(f.shipments[0].value, None);
    }

    #[test]
    fn bad_values_name_line_and_field() {
        let head = "consignor,consignee,hs_code,value,date,origin_country,quantity\n";
        for (row, field) in [
            ("A,B,8542,abc,,,", "value"),
            ("A,B,8542,-5,,,", "value"),
            ("A,B,8542,1,2024-13-01,,", "date"),
            ("A,B,8542,1,,Atlantis,", "origin_country"),
            ("A,B,8542,1,,,1.2.3", "quantity"),
        ] {
            let e = parse(&format!("{head}A,B,8542,1,,,\n{row}\n")).unwrap_err();
            assert_eq!((e.line, e.field.as_str()), (3, field), "{row}: {e}");
        }
    }

    #[test]
    fn route_is_origin_shipper_dispatch_then_destination() {
        let f = parse(
            "consignor,consignor_country,consignee,consignee_country,origin_country,dispatch_country,hs_code\n\
             A,HK,B,RU,US,HK,8542\n",
        )
        .unwrap();
        let s = &f.shipments[0];
        assert_eq!(s.route_before_destination(), ["US", "HK"]);
        assert_eq!(s.route_label(), "US > HK > RU");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = parse_shipments(Path::new("x.csv"), &bytes);
        }

        #[test]
        fn arbitrary_rows_never_panic(rows in proptest::collection::vec("[a-zA-Z0-9,.\" \\-]{0,40}", 0..8)) {
            let text = format!("consignor,consignee,hs_code,value,date,destination_country\n{}", rows.join("\n"));
            let _ = parse(&text);
        }
    }
}
