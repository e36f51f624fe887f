//! Eurostat Comext, relational CSV view: one figure per row.
//!
//! Columns (by header name, case-insensitive): `reporter` (name or code; `EU27` rows are the
//! EU's own aggregate and stay under the group code `EU27`, member rows under their ISO code, so
//! an EU27 report never adds members to the aggregate), `partner`, `flow` (`EXPORT`/`IMPORT` or
//! 1/2), `period` (`2021`, `Y2021`, `2021-03`, ...), the value in EUR (`value_eur`,
//! `VALUE_IN_EUR`, `OBS_VALUE`), and optionally `product` (CN/HS code or `TOTAL`, default
//! `TOTAL`) and `QUANTITY_IN_100KG`. The national import files of the shared data
//! (`REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR`) have this shape.

use std::io::Read;

use super::table::Table;
use super::values;
use super::{At, Ingester};
use crate::error::Result;
use crate::schema::{ALL_GOODS, FlowRecord};

/// Reads one Comext CSV.
pub fn parse(file: &str, input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut t = Table::new(file, input)?;
    let reporter = t.require(&["reporter", "declarant", "reporter_code"])?;
    let partner = t.require(&["partner", "partner_code"])?;
    let flow = t.require(&["flow", "trade_type_flow"])?;
    let period = t.require(&["period", "time_period", "time"])?;
    let value = t.require(&["value_eur", "value_in_eur", "obs_value", "value"])?;
    let product = t.column(&["product", "product_nc", "hs_code"]);
    let weight = t.column(&["quantity_in_100kg"]);
    while t.next_row()? {
        let at = |field: usize| At {
            file,
            line: t.line(),
            field: t.headers().get(field).map_or("?", String::as_str),
        };
        let raw_reporter = t.get(reporter);
        let area = ing.areas().by_name(raw_reporter);
        let Some(reporter_code) = ing.reporter(at(reporter), area, raw_reporter) else {
            continue;
        };
        let raw_partner = t.get(partner);
        let area = ing.areas().by_name(raw_partner);
        let Some(partner_code) = ing.partner(at(partner), area, raw_partner) else {
            continue;
        };
        let direction = values::flow(t.get(flow))
            .ok_or_else(|| t.error(flow, format!("unknown flow {:?}", t.get(flow))))?;
        let when = values::period(t.get(period)).map_err(|m| t.error(period, m))?;
        let hs = match t.get_opt(product) {
            Some(raw) => values::hs_code(raw).map_err(|m| t.error(product.unwrap_or(0), m))?,
            None => ALL_GOODS.to_string(),
        };
        let amount = t.number(value)?;
        let mut record = FlowRecord::new(
            reporter_code,
            partner_code,
            direction,
            when.year,
            hs,
            amount,
            "EUR",
        );
        record.month = when.month;
        record.net_weight_kg = t.opt_number(weight)?.map(|q| q * 100.0);
        ing.emit(record)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::ingest::{Format, parse_bytes};
    use crate::schema::Flow;

    const FIXTURE: &str = "\u{feff}reporter,partner,flow,freq,period,value_eur
EU27,Kyrgyzstan,EXPORT,A,2021,263239032
Austria,Armenia,EXPORT,M,2019-01,982972
EU27,Extra-EU27 (from 2020),EXPORT,A,2021,5
Euro area,Armenia,EXPORT,M,2019-01,32227138
Germany,Atlantis,EXPORT,A,2021,7
";

    #[test]
    fn eu27_member_and_aggregate_rows() {
        let (rows, w) = parse_bytes(Format::EurostatComext, "f.csv", FIXTURE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].reporter, "EU27");
        assert_eq!(rows[0].partner, "KG");
        assert_eq!(rows[0].flow, Flow::Export);
        assert_eq!((rows[0].year, rows[0].month), (2021, None));
        assert_eq!(rows[0].hs_code, "TOTAL");
        assert_eq!(rows[1].reporter, "AT");
        assert_eq!(rows[1].month, Some(1));
        assert_eq!(rows[2].partner, "ZZ", "unknown partner kept as nes");
        assert_eq!(
            w.aggregates_skipped, 2,
            "Extra-EU27 partner and Euro area reporter"
        );
        assert_eq!(w.total(), 1);
        assert!(
            w.examples[0].contains("f.csv: line 6: field partner"),
            "{:?}",
            w.examples
        );
    }

    #[test]
    fn national_file_shape() {
        let text = "REPORTER,PARTNER,PRODUCT,FLOW,STAT_PROCEDURE,PERIOD,VALUE_IN_EUR
Kyrgyzstan,China,TOTAL,IMPORT,NORMAL,Y2022,1500.5
Kyrgyzstan,Africa,TOTAL,IMPORT,NORMAL,Y2022,99
";
        let (rows, w) = parse_bytes(Format::EurostatComext, "n.csv", text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].reporter.as_str(), rows[0].partner.as_str()),
            ("KG", "CN")
        );
        assert_eq!(rows[0].flow, Flow::Import);
        assert_eq!(rows[0].value, 1500.5);
        assert_eq!(w.aggregates_skipped, 1);
    }

    #[test]
    fn bad_value_names_file_line_and_field() {
        let text = "reporter,partner,flow,period,value_eur\nEU27,Armenia,EXPORT,2021,12x\n";
        let err = parse_bytes(Format::EurostatComext, "bad.csv", text.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.csv: line 2: field value_eur: not a number: \"12x\""
        );
    }
}
