//! The analysts' reports, as DataFusion SQL over the `flows` table: third-country surge,
//! supplier shares (with mirror data), monthly series, top suppliers, mirror gaps and unit-value
//! jumps. Each report returns typed rows plus the one currency its values are in.

use std::collections::{BTreeMap, BTreeSet};

use datafusion::arrow::array::RecordBatch;
use serde::Serialize;

use crate::areas::EU27_MEMBERS;
use crate::engine::{FLOWS_TABLE, FlowsEngine, column, floats, strings};
use crate::error::{FlowsError, Result};
use crate::query::{
    Goods, Period, Years, code, group_keys, in_list, in_lists, is_country, per_slice_sql, union_of,
    values_sql, values_sql_from,
};
use crate::schema::{AREAS_NES, EU27, Flow};

/// Default number of suppliers of `top-suppliers` (the CLI's and the HTTP API's).
pub const DEFAULT_TOP_SUPPLIERS: usize = 10;
/// Default number of rows of `mirror-gaps` and `unit-values`.
pub const DEFAULT_ROWS: usize = 50;
/// Default smallest change factor of `unit-values` (2 = doubled or halved).
pub const DEFAULT_MIN_JUMP: f64 = 2.0;

/// A report's rows, the currency of their values and the SQL that produced them.
#[derive(Debug, Clone, Serialize)]
pub struct Report<T> {
    /// The rows.
    pub rows: Vec<T>,
    /// The currency of every value (`None` when there are no rows).
    pub currency: Option<String>,
    /// Periods for which partners' mirror figures replaced the importer's own (supplier shares).
    pub mirrored: Vec<String>,
}

/// Options every report shares.
#[derive(Debug, Clone)]
pub struct Common {
    /// Which goods.
    pub goods: Goods,
    /// Restrict to one currency (required when the data mixes currencies).
    pub currency: Option<String>,
}

impl Default for Common {
    fn default() -> Self {
        Common {
            goods: Goods::All,
            currency: None,
        }
    }
}

impl Common {
    fn conditions(&self) -> Vec<String> {
        let mut c: Vec<String> = self.goods.condition().into_iter().collect();
        if let Some(cur) = &self.currency {
            c.push(format!("currency = '{cur}'"));
        }
        c
    }
}

/// Text columns of all batches by name.
fn text_column(batches: &[RecordBatch], name: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for b in batches {
        out.extend(
            strings(column(b, name)?)?
                .into_iter()
                .map(Option::unwrap_or_default),
        );
    }
    Ok(out)
}

/// Number columns of all batches by name (null as `None`).
fn number_column(batches: &[RecordBatch], name: &str) -> Result<Vec<Option<f64>>> {
    let mut out = Vec::new();
    for b in batches {
        out.extend(floats(column(b, name)?)?);
    }
    Ok(out)
}

/// The one currency of a result's `currency` column, or [`FlowsError::MixedCurrencies`].
fn result_currency(batches: &[RecordBatch]) -> Result<Option<String>> {
    one_currency(text_column(batches, "currency")?.iter().map(String::as_str))
}

/// The one currency of a set of rows, or [`FlowsError::MixedCurrencies`].
fn one_currency<'a>(currencies: impl IntoIterator<Item = &'a str>) -> Result<Option<String>> {
    let set: BTreeSet<&str> = currencies.into_iter().collect();
    match set.len() {
        0 => Ok(None),
        1 => Ok(set.into_iter().next().map(str::to_string)),
        _ => Err(FlowsError::MixedCurrencies(
            set.into_iter().collect::<Vec<_>>().join(", "),
        )),
    }
}

/// `dualtrace flows report surge` arguments.
#[derive(Debug, Clone)]
pub struct SurgeArgs {
    /// The exporter (ISO alpha-2 or `EU27`).
    pub exporter: String,
    /// The baseline years.
    pub baseline: Years,
    /// The years compared with the baseline.
    pub period: Years,
    /// Partners whose baseline average is below this are left out.
    pub min_baseline: f64,
    /// Only these partners (all when empty).
    pub partners: Vec<String>,
    /// Goods and currency.
    pub common: Common,
}

/// One partner of the surge report (values are annual averages).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurgeRow {
    /// The destination.
    pub partner: String,
    /// Average annual exports in the baseline years.
    pub baseline: f64,
    /// Average annual exports in the period.
    pub period: f64,
    /// `period / baseline`.
    pub ratio: f64,
}

/// Third-country surge: the exporter's exports to each partner in the period versus its
/// baseline, as annual averages (the sum over the range divided by its number of years),
/// ranked by ratio descending. Areas nes are not a destination and are left out. `EU27` uses
/// the EU's own aggregate rows (Eurostat), never adding its members to them; without such rows
/// it sums the members' exports to non-members.
pub fn surge(engine: &FlowsEngine, args: &SurgeArgs) -> Result<Report<SurgeRow>> {
    let exporter = code("--exporter", &args.exporter)?;
    let span = Years {
        from: args.baseline.from.min(args.period.from),
        to: args.baseline.to.max(args.period.to),
    };
    let mut conditions = args.common.conditions();
    let (relation, exporter_condition) = exporter_rows(engine, &exporter, span)?;
    conditions.push(exporter_condition);
    conditions.push("flow = 'export'".to_string());
    conditions.push(format!("partner <> '{AREAS_NES}'"));
    if !args.partners.is_empty() {
        conditions.push(in_list("partner", &args.partners));
    }
    let (b, p) = (args.baseline, args.period);
    let min = if args.min_baseline.is_finite() {
        args.min_baseline
    } else {
        0.0
    };
    let sql = format!(
        "WITH v AS ({values}), \
         averaged AS (SELECT partner, currency, \
           SUM(CASE WHEN unit BETWEEN {b0} AND {b1} THEN value ELSE 0 END) / {bn} AS base_avg, \
           SUM(CASE WHEN unit BETWEEN {p0} AND {p1} THEN value ELSE 0 END) / {pn} AS period_avg \
           FROM v GROUP BY partner, currency) \
         SELECT partner, currency, base_avg, period_avg, period_avg / base_avg AS ratio \
         FROM averaged WHERE base_avg > 0 AND base_avg >= {min} \
         ORDER BY ratio DESC, partner",
        values = values_sql_from(&relation, &Period::Years(span), &conditions),
        b0 = b.from,
        b1 = b.to,
        bn = f64::from(b.count()),
        p0 = p.from,
        p1 = p.to,
        pn = f64::from(p.count()),
    );
    let batches = engine.sql(&sql)?;
    let currency = result_currency(&batches)?;
    let partners = text_column(&batches, "partner")?;
    let base = number_column(&batches, "base_avg")?;
    let period = number_column(&batches, "period_avg")?;
    let ratio = number_column(&batches, "ratio")?;
    let rows = partners
        .into_iter()
        .zip(base)
        .zip(period)
        .zip(ratio)
        .map(|(((partner, b), p), r)| SurgeRow {
            partner,
            baseline: b.unwrap_or(0.0),
            period: p.unwrap_or(0.0),
            ratio: r.unwrap_or(0.0),
        })
        .collect();
    Ok(Report {
        rows,
        currency,
        mirrored: Vec::new(),
    })
}

/// The rows of an exporter, as a relation and a condition on it: its own; for `EU27` without
/// EU27 rows in the years (BACI and Comtrade have none), the member states' exports to
/// non-members, read as one scan per list of at most 20 members ([`in_lists`]) so that the page
/// index prunes to their rows.
fn exporter_rows(engine: &FlowsEngine, exporter: &str, span: Years) -> Result<(String, String)> {
    let own = || (FLOWS_TABLE.to_string(), format!("reporter = '{exporter}'"));
    if exporter != EU27 {
        return Ok(own());
    }
    let probe = format!(
        "SELECT COUNT(*) AS n FROM flows WHERE reporter = '{EU27}' AND flow = 'export' \
         AND year BETWEEN {} AND {}",
        span.from, span.to
    );
    let batches = engine.sql(&probe)?;
    let has_own_rows = number_column(&batches, "n")?
        .into_iter()
        .any(|n| n.unwrap_or(0.0) > 0.0);
    if has_own_rows {
        return Ok(own());
    }
    let members: Vec<String> = EU27_MEMBERS.iter().map(|m| m.to_string()).collect();
    Ok((
        union_of(&in_lists("reporter", &members)),
        format!("NOT {}", in_list("partner", &members)),
    ))
}

/// `dualtrace flows report supplier-shares` / `top-suppliers` arguments.
#[derive(Debug, Clone)]
pub struct SharesArgs {
    /// The importer (ISO alpha-2).
    pub importer: String,
    /// Years or months.
    pub period: Period,
    /// Use partners' exports for periods the importer does not report (default on).
    pub mirror: bool,
    /// Goods and currency.
    pub common: Common,
}

/// One supplier's share of the importer's imports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    /// The supplier (ISO alpha-2, or `ZZ` for areas nes).
    pub supplier: String,
    /// Imports from it over the period.
    pub value: f64,
    /// Its share of the importer's total over the period (0..1).
    pub share: f64,
}

/// Supplier shares: the importer's imports by partner over the period, as fractions of the
/// total from all partners (areas nes included in the total). For each year (or month) the
/// importer does not report, partners' reported exports to it are used instead ("mirror"
/// figures: FOB exports, where imports are usually CIF); groups such as the EU27 are not used as
/// mirror reporters, their members are.
pub fn supplier_shares(engine: &FlowsEngine, args: &SharesArgs) -> Result<Report<ShareRow>> {
    let importer = code("--importer", &args.importer)?;
    let conditions = args.common.conditions();
    let imports = format!("reporter = '{importer}' AND flow = 'import'");
    let relation = if args.mirror {
        let mirror = format!(
            "partner = '{importer}' AND flow = 'export' AND {}",
            is_country("reporter")
        );
        union_of(&[imports, mirror])
    } else {
        union_of(&[imports])
    };
    // One query: the importer's imports and the partners' exports to it, one row per
    // supplier, flow, unit and currency; which units the mirror exports fill in is decided
    // here.
    let sql = format!(
        "WITH v AS ({values}) \
         SELECT CASE WHEN flow = 'import' THEN partner ELSE reporter END AS supplier, \
         flow, unit, currency, value FROM v",
        values = values_sql_from(&relation, &args.period, &conditions),
    );
    let batches = engine.sql(&sql)?;
    let suppliers = text_column(&batches, "supplier")?;
    let flows = text_column(&batches, "flow")?;
    let units: Vec<i64> = number_column(&batches, "unit")?
        .into_iter()
        .map(|u| u.map_or(0, |u| u as i64))
        .collect();
    let currencies = text_column(&batches, "currency")?;
    let values = number_column(&batches, "value")?;
    let is_import = |i: usize| flows[i] == Flow::Import.as_str();
    let covered: BTreeSet<i64> = (0..units.len())
        .filter(|&i| is_import(i))
        .map(|i| units[i])
        .collect();
    let picked: Vec<usize> = (0..units.len())
        .filter(|&i| is_import(i) || !covered.contains(&units[i]))
        .collect();
    let currency = one_currency(picked.iter().map(|&i| currencies[i].as_str()))?;
    let mut by_supplier: BTreeMap<String, f64> = BTreeMap::new();
    let mut mirrored = BTreeSet::new();
    for &i in &picked {
        *by_supplier.entry(suppliers[i].clone()).or_default() += values[i].unwrap_or(0.0);
        if !is_import(i) {
            mirrored.insert(units[i]);
        }
    }
    let total: f64 = by_supplier.values().sum();
    let mut rows: Vec<ShareRow> = by_supplier
        .into_iter()
        .map(|(supplier, value)| ShareRow {
            supplier,
            value,
            share: if total > 0.0 { value / total } else { 0.0 },
        })
        .collect();
    rows.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.supplier.cmp(&b.supplier))
    });
    Ok(Report {
        rows,
        currency,
        mirrored: mirrored
            .into_iter()
            .map(|u| args.period.unit_label(u))
            .collect(),
    })
}

/// Top suppliers: the first `limit` rows of [`supplier_shares`] (shares stay shares of the
/// whole total).
pub fn top_suppliers(
    engine: &FlowsEngine,
    args: &SharesArgs,
    limit: usize,
) -> Result<Report<ShareRow>> {
    let mut report = supplier_shares(engine, args)?;
    report.rows.truncate(limit);
    Ok(report)
}

/// `dualtrace flows report series` arguments.
#[derive(Debug, Clone)]
pub struct SeriesArgs {
    /// The reporter.
    pub reporter: String,
    /// One partner, or all partners summed.
    pub partner: Option<String>,
    /// `import` or `export`.
    pub flow: crate::schema::Flow,
    /// The months (a year range means all its months).
    pub period: Period,
    /// Goods and currency.
    pub common: Common,
}

/// One month of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesRow {
    /// `YYYY-MM`.
    pub period: String,
    /// The value of the month.
    pub value: f64,
}

/// A monthly series of a reporter's imports or exports (from monthly rows only).
pub fn series(engine: &FlowsEngine, args: &SeriesArgs) -> Result<Report<SeriesRow>> {
    let reporter = code("--reporter", &args.reporter)?;
    let months = match args.period {
        Period::Years(y) => Period::Months {
            from: y.from * 100 + 1,
            to: y.to * 100 + 12,
        },
        m @ Period::Months { .. } => m,
    };
    let mut conditions = args.common.conditions();
    conditions.push(format!("reporter = '{reporter}'"));
    conditions.push(format!("flow = '{}'", args.flow.as_str()));
    if let Some(p) = &args.partner {
        conditions.push(format!("partner = '{}'", code("--partner", p)?));
    }
    let sql = format!(
        "WITH v AS ({}) SELECT unit, currency, SUM(value) AS value FROM v \
         GROUP BY unit, currency ORDER BY unit",
        values_sql(&months, &conditions)
    );
    let batches = engine.sql(&sql)?;
    let currency = result_currency(&batches)?;
    let rows = number_column(&batches, "unit")?
        .into_iter()
        .zip(number_column(&batches, "value")?)
        .map(|(unit, value)| SeriesRow {
            period: months.unit_label(unit.map_or(0, |u| u as i64)),
            value: value.unwrap_or(0.0),
        })
        .collect();
    Ok(Report {
        rows,
        currency,
        mirrored: Vec::new(),
    })
}

/// `dualtrace flows report mirror-gaps` arguments.
#[derive(Debug, Clone)]
pub struct GapsArgs {
    /// Only this exporter.
    pub exporter: Option<String>,
    /// Only this importer.
    pub importer: Option<String>,
    /// The years.
    pub period: Years,
    /// Pairs whose exports are below this are left out.
    pub min_value: f64,
    /// At most this many rows.
    pub limit: usize,
    /// Goods and currency.
    pub common: Common,
}

/// What an exporter reports shipping to an importer versus what the importer reports receiving.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    /// The exporting country.
    pub exporter: String,
    /// The importing country.
    pub importer: String,
    /// The year.
    pub year: i32,
    /// Exports reported by the exporter.
    pub exported: f64,
    /// Imports from the exporter reported by the importer.
    pub imported: f64,
    /// `exported - imported`: positive when goods were "lost in transit".
    pub gap: f64,
    /// `imported / exported`.
    pub ratio: f64,
}

/// Mirror gaps between countries that both report (largest gap first).
pub fn mirror_gaps(engine: &FlowsEngine, args: &GapsArgs) -> Result<Report<GapRow>> {
    let conditions = args.common.conditions();
    let mut pair = Vec::new();
    if let Some(e) = &args.exporter {
        pair.push(format!("exporter = '{}'", code("--exporter", e)?));
    }
    if let Some(i) = &args.importer {
        pair.push(format!("importer = '{}'", code("--importer", i)?));
    }
    pair.push(format!("exported >= {}", finite_or_zero(args.min_value)));
    // One scan: each row of `reports` is one source's report of one side of an (exporter, importer,
    // year) pair; a side's value is the largest over the sources (as in `values_sql`, taken
    // here in the pairing aggregation instead of one of its own); pairs with both sides
    // reported are kept. No condition keeps groups and unallocated areas out: an ingest keeps
    // only countries and `EU27` as reporters and only countries and `ZZ` as partners, so a pair
    // with either never has both sides (as a `WHERE`, such a condition cost two string
    // comparisons for each of the 25 million rows of the benchmark).
    let period = Period::Years(args.period);
    let sql = format!(
        "WITH reports AS ({reports}), \
         sides AS (SELECT {exporter} AS exporter, {importer} AS importer, unit, currency, \
           MAX(CASE WHEN flow = 'export' THEN value END) AS exported, \
           MAX(CASE WHEN flow = 'import' THEN value END) AS imported, \
           COUNT(CASE WHEN flow = 'export' THEN 1 END) AS export_rows, \
           COUNT(CASE WHEN flow = 'import' THEN 1 END) AS import_rows \
           FROM reports GROUP BY {exporter}, {importer}, unit, currency) \
         SELECT exporter, importer, unit AS year, currency, exported, imported FROM sides \
         WHERE export_rows > 0 AND import_rows > 0 AND {pair} \
         ORDER BY exported - imported DESC, exporter, importer, unit LIMIT {limit}",
        reports = per_slice_sql(engine.slices(args.period)?.as_deref(), &period, &conditions),
        exporter = "CASE WHEN flow = 'export' THEN reporter ELSE partner END",
        importer = "CASE WHEN flow = 'export' THEN partner ELSE reporter END",
        pair = pair.join(" AND "),
        limit = args.limit,
    );
    let batches = engine.sql(&sql)?;
    let currency = result_currency(&batches)?;
    let exporters = text_column(&batches, "exporter")?;
    let importers = text_column(&batches, "importer")?;
    let years = number_column(&batches, "year")?;
    let exported = number_column(&batches, "exported")?;
    let imported = number_column(&batches, "imported")?;
    let rows = (0..exporters.len())
        .map(|i| {
            let e = exported.get(i).copied().flatten().unwrap_or(0.0);
            let m = imported.get(i).copied().flatten().unwrap_or(0.0);
            GapRow {
                exporter: exporters[i].clone(),
                importer: importers.get(i).cloned().unwrap_or_default(),
                year: years.get(i).copied().flatten().map_or(0, |y| y as i32),
                exported: e,
                imported: m,
                gap: e - m,
                ratio: if e > 0.0 { m / e } else { 0.0 },
            }
        })
        .collect();
    Ok(Report {
        rows,
        currency,
        mirrored: Vec::new(),
    })
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// `dualtrace flows report unit-values` arguments.
#[derive(Debug, Clone)]
pub struct UnitValueArgs {
    /// Only this reporter.
    pub reporter: Option<String>,
    /// Only this partner.
    pub partner: Option<String>,
    /// The years whose change from the year before is shown.
    pub period: Years,
    /// Show changes by at least this factor up or down (e.g. 2 = doubled or halved).
    pub min_jump: f64,
    /// At most this many rows.
    pub limit: usize,
    /// Goods and currency.
    pub common: Common,
}

/// A jump of the value per kilogram of one HS-6 flow from one year to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitValueRow {
    /// The reporter.
    pub reporter: String,
    /// The partner.
    pub partner: String,
    /// `import` or `export`.
    pub flow: String,
    /// The HS-6 code.
    pub hs_code: String,
    /// The year.
    pub year: i32,
    /// Value per kg in the year.
    pub unit_value: f64,
    /// Value per kg the year before.
    pub previous: f64,
    /// `unit_value / previous`.
    pub jump: f64,
}

/// Unit-value jumps: HS-6 flows with a net weight whose value per kg changed by at least
/// `min_jump` (either way) from the previous year, largest jump first.
pub fn unit_values(engine: &FlowsEngine, args: &UnitValueArgs) -> Result<Report<UnitValueRow>> {
    let mut conditions = args.common.conditions();
    conditions.push("hs_level = 6".to_string());
    conditions.push("net_weight_kg > 0".to_string());
    conditions.push(format!(
        "year BETWEEN {} AND {}",
        args.period.from - 1,
        args.period.to
    ));
    if let Some(r) = &args.reporter {
        conditions.push(format!("reporter = '{}'", code("--reporter", r)?));
    }
    if let Some(p) = &args.partner {
        conditions.push(format!("partner = '{}'", code("--partner", p)?));
    }
    let jump = if args.min_jump.is_finite() && args.min_jump >= 1.0 {
        args.min_jump
    } else {
        1.0
    };
    let (first, last) = (args.period.from - 1, args.period.to);
    // One aggregation, one row per flow and goods code with each year's value and weight side
    // by side (annual rows win over the months of a year); each year of the period is then
    // paired with the year before by picking two of those columns. Grouping by year and
    // pairing by a second aggregation (or a self-join, or a window) costs DataFusion two or
    // three times as much.
    let sum = |col: &str, year: i32, annual: bool| {
        let m = if annual { "IS NULL" } else { "IS NOT NULL" };
        format!("SUM(CASE WHEN year = {year} AND month {m} THEN {col} END)")
    };
    let per_year: Vec<String> = (first..=last)
        .map(|y| {
            format!(
                "COALESCE({}, {}) AS v{y}, COALESCE({}, {}) AS k{y}",
                sum("value", y, true),
                sum("value", y, false),
                sum("net_weight_kg", y, true),
                sum("net_weight_kg", y, false),
            )
        })
        .collect();
    let unit_values: Vec<String> = (first..=last)
        .map(|y| format!("CASE WHEN k{y} > 0 THEN v{y} / k{y} END AS u{y}"))
        .collect();
    let pick = |offset: i32| {
        let arms: Vec<String> = (args.period.from..=last)
            .map(|y| format!("WHEN {y} THEN u{}", y - offset))
            .collect();
        format!("CASE s.year {} END", arms.join(" "))
    };
    let period_years: Vec<String> = (args.period.from..=last)
        .map(|y| format!("({y})"))
        .collect();
    // A jump from `previous` to `uv` by the factor either way.
    let is_jump = |uv: &str, previous: &str| {
        format!(
            "({uv} IS NOT NULL AND {previous} > 0 \
             AND ({uv} / {previous} >= {jump} OR {uv} / {previous} <= {inv}))",
            inv = 1.0 / jump
        )
    };
    // The pairing's own condition, OR'd over the period's years, keeps only the rows with a
    // jump before they are multiplied by the number of years (the pairing then reads ~1% of
    // the rows).
    let any_jump: Vec<String> = (args.period.from..=last)
        .map(|y| is_jump(&format!("u{y}"), &format!("u{}", y - 1)))
        .collect();
    let (keys, group) = group_keys(
        &["reporter", "partner", "flow", "hs_code", "currency"],
        &conditions,
        &[],
    );
    let sql = format!(
        "WITH y AS (SELECT {keys}, {per_year} \
            FROM flows WHERE NOT breakdown AND {cond} \
            GROUP BY {group}), \
         u AS (SELECT reporter, partner, flow, hs_code, currency, {unit_values} FROM y), \
         jumps AS (SELECT * FROM u WHERE {any_jump}), \
         pairs AS (SELECT reporter, partner, flow, hs_code, currency, s.year AS year, \
            {uv} AS uv, {previous} AS previous \
            FROM jumps CROSS JOIN (VALUES {period_years}) AS s(year)) \
         SELECT reporter, partner, flow, hs_code, year, currency, uv, previous, uv / previous AS jump \
         FROM pairs WHERE {pair_jump} \
         ORDER BY GREATEST(uv / previous, previous / uv) DESC, reporter, partner, hs_code, year \
         LIMIT {limit}",
        keys = keys.join(", "),
        group = group.join(", "),
        per_year = per_year.join(", "),
        unit_values = unit_values.join(", "),
        uv = pick(0),
        previous = pick(1),
        period_years = period_years.join(", "),
        any_jump = any_jump.join(" OR "),
        pair_jump = is_jump("uv", "previous"),
        cond = conditions.join(" AND "),
        limit = args.limit,
    );
    let batches = engine.sql(&sql)?;
    let currency = result_currency(&batches)?;
    let reporters = text_column(&batches, "reporter")?;
    let partners = text_column(&batches, "partner")?;
    let flows = text_column(&batches, "flow")?;
    let codes = text_column(&batches, "hs_code")?;
    let years = number_column(&batches, "year")?;
    let uv = number_column(&batches, "uv")?;
    let prev = number_column(&batches, "previous")?;
    let jumps = number_column(&batches, "jump")?;
    let at = |v: &[Option<f64>], i: usize| v.get(i).copied().flatten().unwrap_or(0.0);
    let rows = (0..reporters.len())
        .map(|i| UnitValueRow {
            reporter: reporters[i].clone(),
            partner: partners.get(i).cloned().unwrap_or_default(),
            flow: flows.get(i).cloned().unwrap_or_default(),
            hs_code: codes.get(i).cloned().unwrap_or_default(),
            year: at(&years, i) as i32,
            unit_value: at(&uv, i),
            previous: at(&prev, i),
            jump: at(&jumps, i),
        })
        .collect();
    Ok(Report {
        rows,
        currency,
        mirrored: Vec::new(),
    })
}
