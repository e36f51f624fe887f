//! UN Comtrade: the API's JSON (`{"data":[{...}]}`) and the bulk CSV, which use the same field
//! names: `period` (or `refYear`/`refMonth`), `reporterCode`, `flowCode` (`M`/`X`; re-imports,
//! re-exports and other flows are counted and skipped because `M`/`X` already include them),
//! `partnerCode`, `partner2Code`, `cmdCode`, `customsCode`, `motCode`, `qty`, `qtyUnitAbbr`,
//! `netWgt`, `primaryValue` (USD). Numeric area codes follow Comtrade (490 = Taiwan, 899 = areas
//! nes). Rows broken down by second partner, customs procedure or transport mode are stored with
//! `breakdown = true`: the totals (`partner2Code` 0, `customsCode` C00, `motCode` 0) already
//! contain them.

use std::io::Read;

use serde_json::Value;

use super::table::Table;
use super::values;
use super::{At, Ingester};
use crate::areas::Area;
use crate::error::{FlowsError, Result};
use crate::schema::{Flow, FlowRecord};

/// The fields of one Comtrade row, as text, whichever the container.
#[derive(Debug, Default)]
struct Fields {
    period: Option<String>,
    ref_year: Option<String>,
    ref_month: Option<String>,
    reporter: String,
    partner: String,
    partner2: Option<String>,
    flow: String,
    cmd: String,
    customs: Option<String>,
    mot: Option<String>,
    qty: Option<String>,
    qty_unit: Option<String>,
    net_wgt: Option<String>,
    value: String,
}

/// The JSON keys / CSV headers of [`Fields`], in one place.
const KEYS: [&str; 14] = [
    "period",
    "refYear",
    "refMonth",
    "reporterCode",
    "partnerCode",
    "partner2Code",
    "flowCode",
    "cmdCode",
    "customsCode",
    "motCode",
    "qty",
    "qtyUnitAbbr",
    "netWgt",
    "primaryValue",
];

impl Fields {
    /// Builds the fields from a getter by key.
    fn from_getter(get: impl Fn(&str) -> Option<String>) -> Fields {
        let req = |k: &str| get(k).unwrap_or_default();
        Fields {
            period: get("period"),
            ref_year: get("refYear"),
            ref_month: get("refMonth"),
            reporter: req("reporterCode"),
            partner: req("partnerCode"),
            partner2: get("partner2Code"),
            flow: req("flowCode"),
            cmd: req("cmdCode"),
            customs: get("customsCode"),
            mot: get("motCode"),
            qty: get("qty"),
            qty_unit: get("qtyUnitAbbr"),
            net_wgt: get("netWgt"),
            value: req("primaryValue"),
        }
    }
}

/// A source-specific error constructor: (field, message) -> error.
type ErrorAt<'e> = &'e dyn Fn(&str, String) -> FlowsError;

/// Reads a Comtrade bulk CSV.
pub fn parse_csv(file: &str, input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut t = Table::new(file, input)?;
    for key in [
        "reporterCode",
        "partnerCode",
        "flowCode",
        "cmdCode",
        "primaryValue",
    ] {
        t.require(&[key])?;
    }
    if t.column(&["period"]).is_none() {
        t.require(&["refYear"])?;
    }
    let columns: Vec<Option<usize>> = KEYS.iter().map(|k| t.column(&[k])).collect();
    while t.next_row()? {
        let fields = Fields::from_getter(|key| {
            let i = KEYS.iter().position(|k| *k == key)?;
            t.get_opt(columns[i]).map(str::to_string)
        });
        let line = t.line();
        let error = |field: &str, message: String| FlowsError::parse(file, line, field, message);
        convert(&fields, file, line, &error, ing)?;
    }
    Ok(())
}

/// Reads a Comtrade API JSON document (`{"data":[...]}` or a bare array).
pub fn parse_json(file: &str, mut input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| FlowsError::parse(file, 0, "-", format!("not UTF-8 text: {e}")))?;
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| FlowsError::parse(file, e.line() as u64, "-", format!("invalid JSON: {e}")))?;
    let records = match &doc {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("data") {
            Some(Value::Array(items)) => items,
            _ => return Err(FlowsError::parse(file, 1, "data", "no \"data\" array")),
        },
        _ => {
            return Err(FlowsError::parse(
                file,
                1,
                "-",
                "not a JSON object or array",
            ));
        }
    };
    for (index, item) in records.iter().enumerate() {
        let Value::Object(map) = item else {
            return Err(FlowsError::parse(
                file,
                0,
                format!("data[{index}]"),
                "not an object",
            ));
        };
        let fields = Fields::from_getter(|key| match map.get(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let error = |field: &str, message: String| {
            FlowsError::parse(file, 0, format!("data[{index}].{field}"), message)
        };
        convert(&fields, file, index as u64 + 1, &error, ing)?;
    }
    Ok(())
}

/// One Comtrade row into a record.
fn convert(
    f: &Fields,
    file: &str,
    line: u64,
    error: ErrorAt<'_>,
    ing: &mut Ingester<'_>,
) -> Result<()> {
    let at = |field: &'static str| At { file, line, field };
    let Some(direction) = comtrade_flow(&f.flow) else {
        ing.warn(at("flowCode"), "flow other than M/X: row skipped", &f.flow);
        return Ok(());
    };
    let area = ing.areas().by_numeric(&f.reporter);
    let Some(reporter) = ing.reporter(at("reporterCode"), area, &f.reporter) else {
        return Ok(());
    };
    let area = ing.areas().by_numeric(&f.partner);
    let Some(partner) = ing.partner(at("partnerCode"), area, &f.partner) else {
        return Ok(());
    };
    let when = period(f).map_err(|m| error("period", m))?;
    let hs = values::hs_code(&f.cmd).map_err(|m| error("cmdCode", m))?;
    let value = number(&f.value).ok_or_else(|| error("primaryValue", bad(&f.value)))?;
    let mut r = FlowRecord::new(reporter, partner, direction, when.year, hs, value, "USD");
    r.month = when.month;
    r.quantity = optional_number(f.qty.as_deref()).map_err(|m| error("qty", m))?;
    r.quantity_unit = r.quantity.and(f.qty_unit.clone());
    r.net_weight_kg = optional_number(f.net_wgt.as_deref()).map_err(|m| error("netWgt", m))?;
    r.partner2 = match f.partner2.as_deref() {
        None | Some("0") => None,
        Some(code) => match ing.areas().by_numeric(code) {
            Some(Area::Country(c)) => Some(c),
            _ => Some(crate::schema::AREAS_NES.to_string()),
        },
    };
    r.customs_procedure = f.customs.clone().filter(|c| c != "C00");
    r.transport_mode = f.mot.clone().filter(|m| m != "0");
    r.breakdown =
        r.partner2.is_some() || r.customs_procedure.is_some() || r.transport_mode.is_some();
    ing.emit(r)
}

fn comtrade_flow(code: &str) -> Option<Flow> {
    match code {
        "M" => Some(Flow::Import),
        "X" => Some(Flow::Export),
        _ => None,
    }
}

/// `period` (`2021`, `202103`), else `refYear` and `refMonth` (52 = the whole year).
fn period(f: &Fields) -> Result<values::RefPeriod, String> {
    if let Some(p) = &f.period {
        return values::period(p);
    }
    let year = f.ref_year.as_deref().unwrap_or_default();
    match f.ref_month.as_deref() {
        None | Some("52") | Some("0") => values::period(year),
        Some(m) if m.len() <= 2 => values::period(&format!("{year}{m:0>2}")),
        Some(m) => Err(format!("not a month: {m:?}")),
    }
}

fn number(raw: &str) -> Option<f64> {
    super::table::parse_number(raw)
}

fn bad(raw: &str) -> String {
    format!("not a number: {raw:?}")
}

fn optional_number(raw: Option<&str>) -> Result<Option<f64>, String> {
    match raw {
        None => Ok(None),
        Some(r) => number(r).map(Some).ok_or_else(|| bad(r)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::ingest::{Format, parse_bytes};
    use crate::schema::Flow;

    #[test]
    fn api_json_rows() {
        let json = r#"{"elements":2,"data":[
 {"period":"2023","reporterCode":156,"flowCode":"X","partnerCode":643,"partner2Code":0,
  "cmdCode":"854231","customsCode":"C00","motCode":0,"qty":10,"qtyUnitAbbr":"u",
  "netWgt":1.5,"primaryValue":1000000.5},
 {"period":"202302","reporterCode":490,"flowCode":"M","partnerCode":899,"partner2Code":0,
  "cmdCode":"TOTAL","customsCode":"C00","motCode":0,"primaryValue":5},
 {"period":"2023","reporterCode":156,"flowCode":"RX","partnerCode":643,"cmdCode":"TOTAL","primaryValue":1}
]}"#;
        let (rows, w) = parse_bytes(Format::ComtradeJson, "c.json", json.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].reporter.as_str(), rows[0].partner.as_str()),
            ("CN", "RU")
        );
        assert_eq!(rows[0].flow, Flow::Export);
        assert_eq!(rows[0].net_weight_kg, Some(1.5));
        assert!(!rows[0].breakdown);
        assert_eq!(rows[1].reporter, "TW");
        assert_eq!(rows[1].partner, "ZZ");
        assert_eq!(rows[1].month, Some(2));
        assert_eq!(w.total(), 1);
    }

    #[test]
    fn bulk_csv_with_breakdown_and_error() {
        let csv = "refYear,refMonth,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
2022,52,643,M,156,0,8542,C00,0,,200
2022,52,643,M,156,344,8542,C00,0,,50
2022,3,643,M,156,0,8542,C00,0,,20
";
        let (rows, _) = parse_bytes(Format::ComtradeCsv, "c.csv", csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(!rows[0].breakdown);
        assert_eq!(rows[1].partner2.as_deref(), Some("HK"));
        assert!(rows[1].breakdown);
        assert_eq!(rows[2].month, Some(3));
        let bad = csv.replace(",20\n", ",2O\n");
        let err = parse_bytes(Format::ComtradeCsv, "c.csv", bad.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.csv: line 4: field primaryValue: not a number: \"2O\""
        );
    }
}
