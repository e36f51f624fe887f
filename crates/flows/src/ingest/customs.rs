//! Customs declarations CSV: one declared shipment per row.
//!
//! Columns (by header name): `date` (`YYYY-MM-DD`), `consignor`, `consignee`,
//! `origin_country`, `dispatch_country`, `destination_country` (names or ISO codes),
//! `hs_code` (the national tariff code as declared, 6 to 10 digits), `description`, `value`,
//! `currency` (ISO 4217, e.g. `USD`, `EUR`), and optionally `quantity`, `quantity_unit`,
//! `net_weight_kg`, `transport_mode` and `flow` (`import`, the default, or `export`).
//! An import is reported by the destination country with the origin (else the dispatch
//! country) as partner; an export by the dispatch (else origin) country with the destination as
//! partner.

use std::io::Read;

use super::table::Table;
use super::values;
use super::{At, Ingester};
use crate::areas::Area;
use crate::error::Result;
use crate::schema::{Declaration, Flow, FlowRecord};

/// Currencies a declaration may carry (reports keep them apart).
const CURRENCIES: &[&str] = &[
    "USD", "EUR", "GBP", "CNY", "RUB", "JPY", "CHF", "TRY", "AED",
];

/// Reads one declarations CSV.
pub fn parse(file: &str, input: impl Read, ing: &mut Ingester<'_>) -> Result<()> {
    let mut t = Table::new(file, input)?;
    let date = t.require(&["date", "declaration_date"])?;
    let hs = t.require(&["hs_code", "tariff_code"])?;
    let value = t.require(&["value"])?;
    let currency = t.require(&["currency"])?;
    let origin = t.column(&["origin_country", "country_of_origin"]);
    let dispatch = t.column(&["dispatch_country", "country_of_dispatch"]);
    let destination = t.require(&["destination_country", "country_of_destination"])?;
    if origin.is_none() && dispatch.is_none() {
        t.require(&["origin_country", "dispatch_country"])?;
    }
    let consignor = t.column(&["consignor", "sender"]);
    let consignee = t.column(&["consignee", "receiver"]);
    let description = t.column(&["description", "goods_description"]);
    let quantity = t.column(&["quantity"]);
    let unit = t.column(&["quantity_unit", "unit"]);
    let weight = t.column(&["net_weight_kg", "net_weight"]);
    let mode = t.column(&["transport_mode"]);
    let flow = t.column(&["flow"]);
    while t.next_row()? {
        let line = t.line();
        let country = |ing: &mut Ingester<'_>, column: Option<usize>| -> Option<String> {
            let raw = t.get_opt(column)?;
            match ing.areas().by_name(raw) {
                Some(Area::Country(c)) => Some(c),
                _ => {
                    let field = column
                        .and_then(|c| t.headers().get(c))
                        .map_or("?", String::as_str);
                    ing.warn(At { file, line, field }, "unknown country: left empty", raw);
                    None
                }
            }
        };
        let origin_code = country(ing, origin);
        let dispatch_code = country(ing, dispatch);
        let destination_code = country(ing, Some(destination));
        let direction = match t.get_opt(flow) {
            None => Flow::Import,
            Some(raw) => values::flow(raw)
                .ok_or_else(|| t.error(flow.unwrap_or(0), format!("unknown flow {raw:?}")))?,
        };
        let (reporter, partner) = match direction {
            Flow::Import => (
                destination_code.clone(),
                origin_code.clone().or_else(|| dispatch_code.clone()),
            ),
            Flow::Export => (
                dispatch_code.clone().or_else(|| origin_code.clone()),
                destination_code.clone(),
            ),
        };
        let at = At {
            file,
            line,
            field: "destination_country",
        };
        let Some(reporter) = reporter else {
            ing.warn(at, "no reporting country: row skipped", t.get(destination));
            continue;
        };
        let partner = partner.unwrap_or_else(|| crate::schema::AREAS_NES.to_string());
        let raw_date = t.get(date);
        let when = declaration_date(raw_date).map_err(|m| t.error(date, m))?;
        let tariff = t.get(hs);
        let code = values::hs_code(tariff).map_err(|m| t.error(hs, m))?;
        let raw_currency = t.get(currency).to_ascii_uppercase();
        let cur = CURRENCIES
            .iter()
            .find(|c| **c == raw_currency)
            .copied()
            .ok_or_else(|| t.error(currency, format!("unknown currency {raw_currency:?}")))?;
        let mut r = FlowRecord::new(
            reporter,
            partner,
            direction,
            when.year,
            code,
            t.number(value)?,
            cur,
        );
        r.month = when.month;
        r.quantity = t.opt_number(quantity)?;
        r.quantity_unit = r.quantity.and(t.get_opt(unit).map(str::to_string));
        r.net_weight_kg = t.opt_number(weight)?;
        r.transport_mode = t.get_opt(mode).map(str::to_string);
        r.declaration = Some(Declaration {
            date: raw_date.to_string(),
            consignor: t.get_opt(consignor).map(str::to_string),
            consignee: t.get_opt(consignee).map(str::to_string),
            origin: origin_code,
            dispatch: dispatch_code,
            destination: destination_code,
            tariff_code: tariff.to_string(),
            description: t.get_opt(description).map(str::to_string),
        });
        ing.emit(r)?;
    }
    Ok(())
}

/// A declaration date `YYYY-MM-DD` to its year and month (the day is checked, not kept).
fn declaration_date(raw: &str) -> Result<values::RefPeriod, String> {
    let bad = || format!("not a date (YYYY-MM-DD): {raw:?}");
    let mut parts = raw.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let day: u8 = d.parse().map_err(|_| bad())?;
    let period = values::period(&format!("{y}-{m}"))?;
    let max_day = match period.month {
        Some(2) => 29,
        Some(4 | 6 | 9 | 11) => 30,
        _ => 31,
    };
    if !(1..=max_day).contains(&day) {
        return Err(bad());
    }
    Ok(period)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::ingest::{Format, parse_bytes};
    use crate::schema::Flow;

    const FIXTURE: &str = "date,consignor,consignee,origin_country,dispatch_country,destination_country,hs_code,description,value,currency,quantity,quantity_unit,net_weight_kg
2023-03-14,Fictional Electronics Ltd,OOO Vymyshlennyi Priborostroitel,China,Hong Kong,Russia,8542310000,microcontrollers STM32F103,125000.50,USD,5000,u,12.5
2023-04-02,Imaginary Trading FZE,OOO Primer,AE,AE,RU,8471500000,servers,90000,usd,,,
";

    #[test]
    fn declarations_become_imports_of_the_destination() {
        let (rows, w) = parse_bytes(Format::CustomsCsv, "d.csv", FIXTURE.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        let r = &rows[0];
        assert_eq!((r.reporter.as_str(), r.partner.as_str()), ("RU", "CN"));
        assert_eq!(r.flow, Flow::Import);
        assert_eq!((r.year, r.month), (2023, Some(3)));
        assert_eq!(r.hs_code, "854231");
        let d = r.declaration.as_ref().unwrap();
        assert_eq!(d.tariff_code, "8542310000");
        assert_eq!(d.dispatch.as_deref(), Some("HK"));
        assert_eq!(rows[1].currency, "USD");
        assert_eq!(w.total(), 0);
    }

    #[test]
    fn impossible_date_is_an_error() {
        let bad = FIXTURE.replace("2023-04-02", "2023-02-30");
        let err = parse_bytes(Format::CustomsCsv, "d.csv", bad.as_bytes()).unwrap_err();
        assert!(
            err.to_string().starts_with("d.csv: line 3: field date:"),
            "{err}"
        );
    }
}
