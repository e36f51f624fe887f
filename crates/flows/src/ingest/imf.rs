//! IMF International Merchandise Trade Statistics (IMTS) CSV: one row per series, one column per
//! period (`2021` annual, `2021-M03` monthly; other columns such as quarters are ignored).
//!
//! Used columns: `COUNTRY.ID` (reporter, ISO alpha-3), `COUNTERPART_COUNTRY.ID` (ISO alpha-3;
//! `G...` groups and regions are aggregates, `TX...` areas not specified become `ZZ`),
//! `TRADE_FLOW.ID` (`MG` imports, `XG` exports; else the prefix of `INDICATOR.ID`),
//! `INDICATOR.ID` (its `_USD`/`_EUR` suffix gives the currency), `SCALE.ID` (a power of ten:
//! 6 = millions). Empty cells are missing observations, not zeros, and produce no row.

use std::io::Read;

use super::table::Table;
use super::values;
use super::{At, Ingester};
use crate::areas::area_from_imf_code;
use crate::error::Result;
use crate::schema::{ALL_GOODS, FlowRecord};

/// Reads one IMTS CSV.
pub fn parse(file: &str, input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut t = Table::new(file, input)?;
    let reporter = t.require(&["country.id", "country_id"])?;
    let partner = t.require(&["counterpart_country.id", "counterpart_country_id"])?;
    let indicator = t.require(&["indicator.id", "indicator_id"])?;
    let trade_flow = t.column(&["trade_flow.id", "trade_flow_id"]);
    let scale = t.column(&["scale.id", "scale_id"]);
    let periods: Vec<(usize, values::RefPeriod)> = t
        .headers()
        .iter()
        .enumerate()
        .filter_map(|(i, h)| period_column(h).map(|p| (i, p)))
        .collect();
    while t.next_row()? {
        let at = |field: usize| At {
            file,
            line: t.line(),
            field: t.headers().get(field).map_or("?", String::as_str),
        };
        let raw = t.get(reporter);
        let Some(reporter_code) = ing.reporter(at(reporter), area_from_imf_code(raw), raw) else {
            continue;
        };
        let raw = t.get(partner);
        let Some(partner_code) = ing.partner(at(partner), area_from_imf_code(raw), raw) else {
            continue;
        };
        let ind = t.get(indicator);
        let flow_text = t
            .get_opt(trade_flow)
            .unwrap_or_else(|| ind.get(..2).unwrap_or(""));
        let direction = values::flow(flow_text)
            .ok_or_else(|| t.error(trade_flow.unwrap_or(indicator), "not MG or XG"))?;
        let currency = currency(ind).ok_or_else(|| t.error(indicator, "no _USD/_EUR suffix"))?;
        let factor = match scale {
            Some(c) => {
                let exp = t.number(c)?;
                if !(0.0..=12.0).contains(&exp) || exp.fract() != 0.0 {
                    return Err(t.error(c, "scale must be a power of ten from 0 to 12"));
                }
                10f64.powf(exp)
            }
            None => 1.0,
        };
        for &(column, when) in &periods {
            let Some(v) = t.opt_number(Some(column))? else {
                continue;
            };
            let mut r = FlowRecord::new(
                reporter_code.clone(),
                partner_code.clone(),
                direction,
                when.year,
                ALL_GOODS.to_string(),
                v * factor,
                currency,
            );
            r.month = when.month;
            ing.emit(r)?;
        }
    }
    Ok(())
}

/// A period header: `2021` or `2021-M03`.
fn period_column(header: &str) -> Option<values::RefPeriod> {
    let h = header.to_ascii_uppercase();
    let ok = h.len() == 4 || (h.len() == 8 && h.get(4..6) == Some("-M"));
    if !ok || !h.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    values::period(&h).ok()
}

fn currency(indicator: &str) -> Option<&'static str> {
    let i = indicator.to_ascii_uppercase();
    if i.ends_with("_USD") {
        Some("USD")
    } else if i.ends_with("_EUR") {
        Some("EUR")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::ingest::{Format, parse_bytes};
    use crate::schema::Flow;

    const FIXTURE: &str = r#""COUNTRY.ID","COUNTERPART_COUNTRY.ID","INDICATOR.ID","SCALE.ID","TRADE_FLOW.ID","2021","2021-M01","2022-Q1"
"RUS","CHN","MG_CIF_USD","6","MG","72.5","6","1"
"RUS","G001","MG_CIF_USD","6","MG","300",,
"RUS","TX899","XG_FOB_USD","6","XG","","0.5",
"#;

    #[test]
    fn wide_periods_become_rows() {
        let (rows, w) = parse_bytes(Format::ImfImts, "imf.csv", FIXTURE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(
            (rows[0].reporter.as_str(), rows[0].partner.as_str()),
            ("RU", "CN")
        );
        assert_eq!(rows[0].value, 72_500_000.0);
        assert_eq!(rows[0].currency, "USD");
        assert_eq!(rows[1].month, Some(1));
        assert_eq!(rows[2].partner, "ZZ");
        assert_eq!(rows[2].flow, Flow::Export);
        assert_eq!(w.aggregates_skipped, 1);
    }
}
