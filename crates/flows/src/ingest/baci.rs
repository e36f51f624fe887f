//! CEPII BACI: `t,i,j,k,v,q` = year, exporter, importer, HS-6 product, value in thousand USD,
//! quantity in metric tonnes (`NA` or empty when unknown). Exporter and importer are Comtrade
//! numeric codes (490 is Taiwan); rows become exports reported by the exporter (BACI reconciles
//! both sides into one figure).

use std::io::Read;

use super::table::Table;
use super::values;
use super::{At, Ingester};
use crate::error::Result;
use crate::schema::{Flow, FlowRecord};

/// Reads one BACI CSV.
pub fn parse(file: &str, input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut t = Table::new(file, input)?;
    let year = t.require(&["t"])?;
    let exporter = t.require(&["i"])?;
    let importer = t.require(&["j"])?;
    let product = t.require(&["k"])?;
    let value = t.require(&["v"])?;
    let quantity = t.column(&["q"]);
    while t.next_row()? {
        let at = |field: &'static str| At {
            file,
            line: t.line(),
            field,
        };
        let raw = t.get(exporter);
        let area = ing.areas().by_numeric(raw);
        let Some(reporter) = ing.reporter(at("i"), area, raw) else {
            continue;
        };
        let raw = t.get(importer);
        let area = ing.areas().by_numeric(raw);
        let Some(partner) = ing.partner(at("j"), area, raw) else {
            continue;
        };
        let when = values::period(t.get(year)).map_err(|m| t.error(year, m))?;
        if when.month.is_some() {
            return Err(t.error(year, "BACI years have four digits"));
        }
        let hs = values::hs_code(t.get(product)).map_err(|m| t.error(product, m))?;
        let thousands = t.number(value)?;
        let mut record = FlowRecord::new(
            reporter,
            partner,
            Flow::Export,
            when.year,
            hs,
            thousands * 1000.0,
            "USD",
        );
        let tonnes = t.opt_number(quantity)?;
        record.quantity = tonnes;
        record.quantity_unit = tonnes.map(|_| "t".to_string());
        record.net_weight_kg = tonnes.map(|q| q * 1000.0);
        ing.emit(record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::ingest::{Format, parse_bytes};

    #[test]
    fn baci_rows_with_taiwan_and_world() {
        let text = "t,i,j,k,v,q
2021,156,643,854231,1234.5,2.5
2021,490,643,10121,10,NA
2021,156,0,854231,1,1
2021,999999,643,854231,1,1
";
        let (rows, w) = parse_bytes(Format::Baci, "b.csv", text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].reporter.as_str(), rows[0].partner.as_str()),
            ("CN", "RU")
        );
        assert_eq!(rows[0].value, 1_234_500.0);
        assert_eq!(rows[0].currency, "USD");
        assert_eq!(rows[0].net_weight_kg, Some(2500.0));
        assert_eq!(rows[1].reporter, "TW");
        assert_eq!(rows[1].hs_code, "010121");
        assert_eq!(rows[1].quantity, None);
        assert_eq!(w.aggregates_skipped, 1);
        assert_eq!(w.counts.get("unknown reporter: row skipped"), Some(&1));
    }

    #[test]
    fn missing_column_is_an_error() {
        let err = parse_bytes(Format::Baci, "b.csv", b"t,i,j,k\n").unwrap_err();
        assert!(err.to_string().contains("b.csv: line 1: field v"), "{err}");
    }
}
