//! The dashboard's Flows page (`/ui/flows`): who supplies Russia with CHPL goods, year by year
//! (a stacked bar chart of supplier shares, the largest suppliers plus `other`), and the
//! third-country surge ranking (exports of an exporter, default the EU27, in a period against
//! a baseline), each with its table.
//!
//! The form's fields are the API's parameters (`importer`, `goods`, `years`, `currency` for the
//! shares; `exporter`, `baseline`, `period`, `min_baseline`, `partners` for the surge) and go
//! through the same checks ([`crate::flows::surge_args`], [`crate::flows::shares_args`]). A bad field is reported in its
//! section; the other section still renders. Without a dataset the page says how to make one.

use crate::dashboard::page;
use crate::error::{ApiError, ErrorCode};
use crate::extract::Params;
use crate::flows::{
    NO_DATASET, OTHER, SharesOverTime, flows_error, has_dataset, shares_args, shares_over_time,
    surge_args, with_engine, year_span,
};
use crate::html::Html;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dualtrace_flows::schema::AREAS_NES;
use dualtrace_flows::{FlowsEngine, Report, SurgeRow, Years, reports};
use serde_json::{Value, json};

/// Suppliers drawn by name in the shares chart (the rest is `other`).
const CHART_SUPPLIERS: usize = 7;
/// Years of the shares chart when the form does not say (the dataset's last years).
const DEFAULT_YEARS: i32 = 10;
/// Most years the shares chart covers (one report per year).
const MAX_YEARS: i32 = 30;
/// Partners in the surge chart.
const SURGE_CHARTED: usize = 20;
/// Rows of the surge table and of the last year's supplier table.
const TABLE_ROWS: usize = 50;

/// The form's defaults: Russia's imports of CHPL goods; EU27 exports 2022-2023 vs 2019-2021.
const DEFAULTS: [(&str, &str); 5] = [
    ("importer", "RU"),
    ("goods", "chpl"),
    ("exporter", "EU27"),
    ("baseline", "2019-2021"),
    ("period", "2022-2023"),
];

/// `/ui/flows`.
pub async fn flows_page(State(state): State<AppState>, params: Params) -> Response {
    let params = DEFAULTS
        .iter()
        .fold(params, |p, (key, value)| p.with_default(key, value));
    let dataset = state
        .blocking(|state| Ok(has_dataset(&state)))
        .await
        .unwrap_or(false);
    let mut h = Html::default();
    h.raw("<h1>Trade flows</h1>");
    form(&mut h, &params);
    if !dataset {
        no_dataset(&mut h);
        return page("Trade flows", h);
    }
    let worker_params = params.clone();
    let outcome = with_engine(&state, move |engine| {
        let shares = shares_section(engine, &worker_params);
        let surge = surge_section(engine, &worker_params);
        Ok((shares, surge))
    })
    .await;
    match outcome {
        Ok((shares, surge)) => {
            shares_html(&mut h, &params, shares);
            surge_html(&mut h, &params, surge);
        }
        Err(e) if e.code == ErrorCode::NoDataset => no_dataset(&mut h),
        Err(e) => section_error(&mut h, "flows-error", &e),
    }
    page("Trade flows", h)
}

fn form(h: &mut Html, p: &Params) {
    let value = |key: &str| p.get(key).unwrap_or_default().to_string();
    h.raw("<section id=\"flows-form\"><form method=\"get\" action=\"/ui/flows\" class=\"fields\">");
    for (label, key, hint) in [
        ("importer", "importer", "RU"),
        ("goods", "goods", "chpl, 1, 3.A, W-UAV, 8542"),
        ("years", "years", "the last 10 years of data"),
        (
            "currency",
            "currency",
            "only when the data mixes EUR and USD",
        ),
        ("exporter", "exporter", "EU27"),
        ("baseline", "baseline", "2019-2021"),
        ("period", "period", "2022-2023"),
        ("min. baseline", "min_baseline", "0"),
        ("partners", "partners", "all, or AM,GE,KG"),
    ] {
        h.raw("<label>")
            .text(label)
            .raw(" ")
            .input(key, &value(key), hint)
            .raw("</label>");
    }
    h.raw("<button type=\"submit\">Show</button></form></section>");
}

fn no_dataset(h: &mut Html) {
    h.raw("<section id=\"no-dataset\"><h2>No trade flows dataset yet</h2><p>")
        .text(NO_DATASET)
        .raw(".</p><p>For example, with UN Comtrade bulk files: <code>dualtrace --data-dir DATA flows ingest comtrade-csv comtrade_2019.csv comtrade_2023.csv</code>; or, to try the page on SYNTHETIC data: <code>dualtrace gen trade --rows 50000 --out trade</code> then <code>dualtrace --data-dir DATA flows ingest baci trade/*.csv</code>. Then reload this page.</p></section>");
}

fn section_error(h: &mut Html, id: &'static str, e: &ApiError) {
    h.raw("<section class=\"error\" id=\"")
        .raw(id)
        .raw("\"><p class=\"match\">")
        .text(&e.message)
        .raw("</p></section>");
}

/// The chart's supplier shares with the arguments they were computed for.
struct Shares {
    importer: String,
    years: Years,
    over_time: SharesOverTime,
}

fn shares_section(engine: &FlowsEngine, params: &Params) -> Result<Shares, ApiError> {
    let years = match params.get("years").map(str::trim).filter(|y| !y.is_empty()) {
        Some(text) => Years::parse("years", text).map_err(flows_error)?,
        None => {
            let span = year_span(engine)
                .map_err(flows_error)?
                .ok_or_else(|| ApiError::new(ErrorCode::NoDataset, NO_DATASET))?;
            Years {
                from: span.from.max(span.to - DEFAULT_YEARS + 1),
                to: span.to,
            }
        }
    };
    if years.count() > MAX_YEARS {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("parameter `years`: at most {MAX_YEARS} years"),
        ));
    }
    let args = shares_args(
        &params
            .only(&["importer", "goods", "currency"])
            .with_default("period", &format!("{}-{}", years.from, years.to)),
    )?;
    let over_time = shares_over_time(engine, &args.importer, &args.common, years, CHART_SUPPLIERS)
        .map_err(flows_error)?;
    Ok(Shares {
        importer: args.importer,
        years,
        over_time,
    })
}

fn surge_section(engine: &FlowsEngine, params: &Params) -> Result<Report<SurgeRow>, ApiError> {
    let args = surge_args(&params.only(&[
        "exporter",
        "baseline",
        "period",
        "min_baseline",
        "partners",
        "goods",
        "currency",
    ]))?;
    reports::surge(engine, &args).map_err(flows_error)
}

/// A supplier code as shown: `ZZ` is "areas nes" (unallocated: not a country).
fn supplier_label(code: &str) -> String {
    if code == AREAS_NES {
        format!("{code} (areas nes)")
    } else {
        code.to_string()
    }
}

/// `1234567.8` as `1,234,568`.
fn amount(value: f64) -> String {
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 && digits != "0" {
        out.insert(0, '-');
    }
    out
}

fn goods_label(params: &Params) -> String {
    match params.get("goods").unwrap_or("chpl") {
        g if g.eq_ignore_ascii_case("chpl") => "CHPL goods".to_string(),
        g if g.eq_ignore_ascii_case("all") => "all goods".to_string(),
        g => format!("goods {g}"),
    }
}

fn currency_note(h: &mut Html, currency: Option<&str>, mirrored: &[String]) {
    h.raw("<p class=\"muted\">");
    if let Some(c) = currency {
        h.text(&format!("Values in {c}. "));
    }
    if !mirrored.is_empty() {
        h.text(&format!(
            "Partners' reported exports (mirror data) stand in for the importer's own figures in {}.",
            mirrored.join(", ")
        ));
    }
    h.raw("</p>");
}

fn shares_html(h: &mut Html, params: &Params, shares: Result<Shares, ApiError>) {
    let shares = match shares {
        Ok(s) => s,
        Err(e) => return section_error(h, "shares", &e),
    };
    let t = &shares.over_time;
    h.raw("<section id=\"shares\"><h2>")
        .text(&format!(
            "Suppliers of {}'s imports of {}, {}-{} (share of each year's total)",
            shares.importer,
            goods_label(params),
            shares.years.from,
            shares.years.to
        ))
        .raw("</h2>");
    if t.by_year.values().all(Vec::is_empty) {
        h.el(
            "p",
            &format!("No imports of {} in these years.", shares.importer),
        )
        .raw("</section>");
        return;
    }
    currency_note(h, t.currency.as_deref(), &t.mirrored);
    h.raw("<div class=\"chart\"><canvas id=\"chart-shares\" data-chart=\"bar\" data-stacked=\"true\" data-max=\"100\" aria-label=\"Supplier shares by year\"></canvas></div>");
    h.json_data("chart-shares-data", &shares_chart(t));
    h.raw("<table class=\"shares\"><thead><tr><th>supplier</th>");
    for y in &t.years {
        h.el("th class=\"n\"", &y.to_string());
    }
    h.raw("</tr></thead><tbody>");
    for (supplier, row) in t.suppliers.iter().zip(&t.shares) {
        h.raw("<tr>").el("td", &supplier_label(supplier));
        for share in row {
            h.el("td class=\"n\"", &format!("{share:.1}%"));
        }
        h.raw("</tr>");
    }
    h.raw("</tbody></table>");
    if let Some((year, rows)) = t.by_year.iter().next_back() {
        h.el("h3", &format!("All suppliers in {year}"))
            .raw("<table class=\"suppliers\"><thead><tr><th>supplier</th><th class=\"n\">value</th><th class=\"n\">share</th></tr></thead><tbody>");
        for r in rows.iter().take(TABLE_ROWS) {
            h.raw("<tr>")
                .el("td", &supplier_label(&r.supplier))
                .el("td class=\"n\"", &amount(r.value))
                .el("td class=\"n\"", &format!("{:.1}%", r.share * 100.0))
                .raw("</tr>");
        }
        h.raw("</tbody></table>");
    }
    h.raw("</section>");
}

/// One colour per named supplier of the shares chart (Chart.js's own palette has seven).
const PALETTE: [&str; CHART_SUPPLIERS] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
];
/// The colour of [`OTHER`].
const OTHER_COLOUR: &str = "#bab0ac";

fn shares_chart(t: &SharesOverTime) -> Value {
    let datasets: Vec<Value> = t
        .suppliers
        .iter()
        .zip(&t.shares)
        .enumerate()
        .map(|(i, (supplier, data))| {
            let rounded: Vec<f64> = data.iter().map(|v| (v * 10.0).round() / 10.0).collect();
            let colour = match PALETTE.get(i) {
                Some(c) if supplier != OTHER => c,
                _ => OTHER_COLOUR,
            };
            json!({"label": supplier_label(supplier), "data": rounded, "backgroundColor": colour})
        })
        .collect();
    json!({"labels": t.years, "datasets": datasets})
}

fn surge_html(h: &mut Html, params: &Params, surge: Result<Report<SurgeRow>, ApiError>) {
    let report = match surge {
        Ok(r) => r,
        Err(e) => return section_error(h, "surge", &e),
    };
    let get = |key: &str| params.get(key).unwrap_or_default().to_string();
    h.raw("<section id=\"surge\"><h2>")
        .text(&format!(
            "Surge: {} exports of {} by destination, {} against {} (annual averages)",
            get("exporter").to_ascii_uppercase(),
            goods_label(params),
            get("period"),
            get("baseline")
        ))
        .raw("</h2>");
    if report.rows.is_empty() {
        h.el(
            "p",
            "No partner has exports in the baseline years: nothing to rank.",
        )
        .raw("</section>");
        return;
    }
    currency_note(h, report.currency.as_deref(), &[]);
    let charted = &report.rows[..report.rows.len().min(SURGE_CHARTED)];
    h.raw("<div class=\"chart\"><canvas id=\"chart-surge\" data-chart=\"bar\" data-horizontal=\"true\" aria-label=\"Surge ranking: period average over baseline average\"></canvas></div>");
    h.json_data(
        "chart-surge-data",
        &json!({
            "labels": charted.iter().map(|r| &r.partner).collect::<Vec<_>>(),
            "datasets": [{
                "label": "period average / baseline average",
                "data": charted.iter().map(|r| r.ratio).collect::<Vec<_>>(),
            }],
        }),
    );
    h.raw("<table class=\"surge\"><thead><tr><th>rank</th><th>partner</th><th class=\"n\">baseline average</th><th class=\"n\">period average</th><th class=\"n\">ratio</th></tr></thead><tbody>");
    for (i, r) in report.rows.iter().take(TABLE_ROWS).enumerate() {
        h.raw("<tr>")
            .el("td class=\"n\"", &(i + 1).to_string())
            .el("td", &r.partner)
            .el("td class=\"n\"", &amount(r.baseline))
            .el("td class=\"n\"", &amount(r.period))
            .el("td class=\"n\"", &format!("×{:.2}", r.ratio))
            .raw("</tr>");
    }
    h.raw("</tbody></table></section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(amount(0.0), "0");
        assert_eq!(amount(999.4), "999");
        assert_eq!(amount(1000.0), "1,000");
        assert_eq!(amount(1234567.8), "1,234,568");
        assert_eq!(amount(-45000.0), "-45,000");
        assert_eq!(amount(-0.2), "0");
    }

    #[test]
    fn the_shares_chart_stacks_suppliers_by_year() {
        let t = SharesOverTime {
            years: vec![2021, 2022],
            suppliers: vec!["CN".into(), "other".into()],
            shares: vec![vec![60.04, 75.0], vec![39.96, 25.0]],
            by_year: Default::default(),
            mirrored: vec![],
            currency: Some("USD".into()),
        };
        assert_eq!(
            shares_chart(&t),
            json!({"labels": [2021, 2022], "datasets": [
                {"label": "CN", "data": [60.0, 75.0], "backgroundColor": "#4e79a7"},
                {"label": "other", "data": [40.0, 25.0], "backgroundColor": "#bab0ac"},
            ]})
        );
    }
}
