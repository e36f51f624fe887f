//! Trade flows over HTTP: the standard reports of `dualtrace-flows` as
//! `GET /api/v1/flows/{report}`, and the data of the dashboard's Flows page.
//!
//! The parameters are the CLI's flags (`dualtrace flows report surge --exporter EU27
//! --baseline 2019-2021 ...` is `/api/v1/flows/surge?exporter=EU27&baseline=2019-2021&...`,
//! `-` written `_`), checked by the flows crate's own parsers, and the rows are the report's
//! typed rows, the same JSON that `--format json` prints. A parameter that a report does not
//! take is refused rather than ignored, so that a typo does not silently change a figure.
//!
//! The dataset is `<data-dir>/flows` of the store the server runs on. Each request opens its
//! own [`FlowsEngine`] on a blocking thread (the engine owns a small runtime of its own and is
//! cheap to open next to a query): a new ingest is seen by the next request, and no engine
//! outlives the thread that may drop it. No dataset is `404 no_dataset`.

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::Params;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use dualtrace_flows::query::{code, codes, currency};
use dualtrace_flows::{
    Backend, Common, Flow, FlowsEngine, FlowsError, GapRow, GapsArgs, Goods, Period, Report,
    SeriesArgs, SeriesRow, ShareRow, SharesArgs, SurgeArgs, SurgeRow, UnitValueArgs, UnitValueRow,
    Years, reports,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest `limit` a report accepts.
pub const MAX_LIMIT: usize = 10_000;

/// What to do when there is no dataset (shown by the API and the dashboard).
pub const NO_DATASET: &str = "no trade flows dataset in the server's data directory: create one with `dualtrace flows ingest FORMAT FILE...` (formats comtrade-json, comtrade-csv, baci, eurostat-comext, imf-imts, customs-csv) using the server's --data-dir";

/// A standard report of the flows crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowsReport {
    /// An exporter's exports by partner, period versus baseline.
    Surge,
    /// An importer's suppliers and their shares.
    SupplierShares,
    /// The largest suppliers of an importer.
    TopSuppliers,
    /// A monthly series of a reporter's imports or exports.
    Series,
    /// Exports reported versus imports reported.
    MirrorGaps,
    /// Jumps of the value per kg.
    UnitValues,
}

/// The goods and currency parameters every report takes.
const COMMON: [&str; 2] = ["goods", "currency"];

impl FlowsReport {
    /// Every report, in the order of the documentation.
    pub const ALL: [FlowsReport; 6] = [
        FlowsReport::Surge,
        FlowsReport::SupplierShares,
        FlowsReport::TopSuppliers,
        FlowsReport::Series,
        FlowsReport::MirrorGaps,
        FlowsReport::UnitValues,
    ];

    /// The name in the path, as the CLI's subcommand.
    pub fn name(self) -> &'static str {
        match self {
            FlowsReport::Surge => "surge",
            FlowsReport::SupplierShares => "supplier-shares",
            FlowsReport::TopSuppliers => "top-suppliers",
            FlowsReport::Series => "series",
            FlowsReport::MirrorGaps => "mirror-gaps",
            FlowsReport::UnitValues => "unit-values",
        }
    }

    /// A report by name.
    pub fn parse(name: &str) -> Option<FlowsReport> {
        FlowsReport::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The parameters of the report besides `goods` and `currency`.
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            FlowsReport::Surge => &["exporter", "baseline", "period", "min_baseline", "partners"],
            FlowsReport::SupplierShares => &["importer", "period", "no_mirror"],
            FlowsReport::TopSuppliers => &["importer", "period", "no_mirror", "limit"],
            FlowsReport::Series => &["reporter", "partner", "flow", "period"],
            FlowsReport::MirrorGaps => &["exporter", "importer", "period", "min_value", "limit"],
            FlowsReport::UnitValues => &["reporter", "partner", "period", "min_jump", "limit"],
        }
    }
}

/// A report's checked arguments.
#[derive(Debug, Clone)]
pub enum ReportRequest {
    /// `surge`.
    Surge(SurgeArgs),
    /// `supplier-shares`.
    SupplierShares(SharesArgs),
    /// `top-suppliers` with its limit.
    TopSuppliers(SharesArgs, usize),
    /// `series`.
    Series(SeriesArgs),
    /// `mirror-gaps`.
    MirrorGaps(GapsArgs),
    /// `unit-values`.
    UnitValues(UnitValueArgs),
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, message)
}

/// The API's answer to a flows error: bad arguments are the client's, no dataset is
/// `no_dataset`, anything else is internal (logged, not described).
pub fn flows_error(e: FlowsError) -> ApiError {
    match e {
        FlowsError::Argument { name, message } => invalid(format!(
            "parameter `{}`: {message}",
            name.trim_start_matches('-').replace('-', "_")
        )),
        FlowsError::MixedCurrencies(found) => invalid(format!(
            "the selected flows are in several currencies ({found}); pass `currency` to choose one"
        )),
        FlowsError::NoDataset(_) => ApiError::new(ErrorCode::NoDataset, NO_DATASET),
        other => ApiError::internal(&other),
    }
}

/// Reads a report's parameters.
struct Reader<'a> {
    params: &'a Params,
    report: FlowsReport,
}

impl Reader<'_> {
    fn optional(&self, key: &str) -> Option<&str> {
        self.params
            .get(key)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn required(&self, key: &str) -> Result<&str, ApiError> {
        self.optional(key).ok_or_else(|| {
            invalid(format!(
                "parameter `{key}` is required by the {} report",
                self.report.name()
            ))
        })
    }

    fn country(&self, key: &str) -> Result<Option<String>, ApiError> {
        self.optional(key)
            .map(|v| code(key, v).map_err(flows_error))
            .transpose()
    }

    fn required_country(&self, key: &str) -> Result<String, ApiError> {
        code(key, self.required(key)?).map_err(flows_error)
    }

    fn years(&self, key: &str) -> Result<Years, ApiError> {
        Years::parse(key, self.required(key)?).map_err(flows_error)
    }

    fn period(&self) -> Result<Period, ApiError> {
        Period::parse("period", self.required("period")?).map_err(flows_error)
    }

    fn number(&self, key: &str, default: f64) -> Result<f64, ApiError> {
        let value = self.params.number::<f64>(key)?.unwrap_or(default);
        if value.is_finite() {
            Ok(value)
        } else {
            Err(invalid(format!("parameter `{key}`: not a finite number")))
        }
    }

    fn limit(&self, default: usize) -> Result<usize, ApiError> {
        let limit = self.params.number::<usize>("limit")?.unwrap_or(default);
        if (1..=MAX_LIMIT).contains(&limit) {
            Ok(limit)
        } else {
            Err(invalid(format!(
                "parameter `limit`: {limit} is not between 1 and {MAX_LIMIT}"
            )))
        }
    }

    fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.params.get(key).map(str::trim) {
            None | Some("false" | "0") => Ok(false),
            Some("" | "true" | "1") => Ok(true),
            Some(other) => Err(invalid(format!(
                "parameter `{key}`: {other:?} is not true or false"
            ))),
        }
    }

    fn common(&self) -> Result<Common, ApiError> {
        Ok(Common {
            goods: Goods::parse(self.optional("goods").unwrap_or("all")).map_err(flows_error)?,
            currency: self
                .optional("currency")
                .map(currency)
                .transpose()
                .map_err(flows_error)?,
        })
    }

    fn shares(&self) -> Result<SharesArgs, ApiError> {
        Ok(SharesArgs {
            importer: self.required_country("importer")?,
            period: self.period()?,
            mirror: !self.flag("no_mirror")?,
            common: self.common()?,
        })
    }

    /// Refuses any parameter the report does not take.
    fn check_names(&self) -> Result<(), ApiError> {
        let known = self.report.parameters();
        match self
            .params
            .keys()
            .find(|k| !known.iter().chain(&COMMON).any(|name| name == k))
        {
            None => Ok(()),
            Some(unknown) => Err(invalid(format!(
                "the {} report does not take parameter `{unknown}`; it takes {}, goods, currency",
                self.report.name(),
                known.join(", ")
            ))),
        }
    }
}

impl ReportRequest {
    /// Checks the query parameters of a report (names as the CLI's flags, `-` as `_`).
    pub fn parse(report: FlowsReport, params: &Params) -> Result<ReportRequest, ApiError> {
        let r = Reader { params, report };
        r.check_names()?;
        Ok(match report {
            FlowsReport::Surge => ReportRequest::Surge(surge_args(params)?),
            FlowsReport::SupplierShares => ReportRequest::SupplierShares(shares_args(params)?),
            FlowsReport::TopSuppliers => {
                ReportRequest::TopSuppliers(r.shares()?, r.limit(reports::DEFAULT_TOP_SUPPLIERS)?)
            }
            FlowsReport::Series => {
                let flow = r.optional("flow").unwrap_or(Flow::Export.as_str());
                ReportRequest::Series(SeriesArgs {
                    reporter: r.required_country("reporter")?,
                    partner: r.country("partner")?,
                    flow: Flow::parse("flow", flow).map_err(flows_error)?,
                    period: r.period()?,
                    common: r.common()?,
                })
            }
            FlowsReport::MirrorGaps => ReportRequest::MirrorGaps(GapsArgs {
                exporter: r.country("exporter")?,
                importer: r.country("importer")?,
                period: r.years("period")?,
                min_value: r.number("min_value", 0.0)?,
                limit: r.limit(reports::DEFAULT_ROWS)?,
                common: r.common()?,
            }),
            FlowsReport::UnitValues => ReportRequest::UnitValues(UnitValueArgs {
                reporter: r.country("reporter")?,
                partner: r.country("partner")?,
                period: r.years("period")?,
                min_jump: r.number("min_jump", reports::DEFAULT_MIN_JUMP)?,
                limit: r.limit(reports::DEFAULT_ROWS)?,
                common: r.common()?,
            }),
        })
    }

    /// Runs the report on an engine.
    pub fn run(&self, engine: &FlowsEngine) -> Result<FlowsReportBody, ApiError> {
        use ReportRows as R;
        match self {
            ReportRequest::Surge(a) => body("surge", reports::surge(engine, a), R::Surge),
            ReportRequest::SupplierShares(a) => body(
                "supplier-shares",
                reports::supplier_shares(engine, a),
                R::Shares,
            ),
            ReportRequest::TopSuppliers(a, limit) => body(
                "top-suppliers",
                reports::top_suppliers(engine, a, *limit),
                R::Shares,
            ),
            ReportRequest::Series(a) => body("series", reports::series(engine, a), R::Series),
            ReportRequest::MirrorGaps(a) => {
                body("mirror-gaps", reports::mirror_gaps(engine, a), R::Gaps)
            }
            ReportRequest::UnitValues(a) => body(
                "unit-values",
                reports::unit_values(engine, a),
                R::UnitValues,
            ),
        }
    }
}

/// The checked arguments of the surge report.
pub fn surge_args(params: &Params) -> Result<SurgeArgs, ApiError> {
    let r = Reader {
        params,
        report: FlowsReport::Surge,
    };
    r.check_names()?;
    Ok(SurgeArgs {
        exporter: r.required_country("exporter")?,
        baseline: r.years("baseline")?,
        period: r.years("period")?,
        min_baseline: r.number("min_baseline", 0.0)?,
        partners: r
            .optional("partners")
            .map(|p| codes("partners", p))
            .transpose()
            .map_err(flows_error)?
            .unwrap_or_default(),
        common: r.common()?,
    })
}

/// The checked arguments of the supplier-shares report.
pub fn shares_args(params: &Params) -> Result<SharesArgs, ApiError> {
    let r = Reader {
        params,
        report: FlowsReport::SupplierShares,
    };
    r.check_names()?;
    r.shares()
}

/// The rows of a report, serialized as the report's own rows (fields in the order of
/// `dualtrace flows report ... --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReportRows {
    /// `surge`.
    Surge(Vec<SurgeRow>),
    /// `supplier-shares`, `top-suppliers`.
    Shares(Vec<ShareRow>),
    /// `series`.
    Series(Vec<SeriesRow>),
    /// `mirror-gaps`.
    Gaps(Vec<GapRow>),
    /// `unit-values`.
    UnitValues(Vec<UnitValueRow>),
}

/// A report's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlowsReportBody {
    /// The report.
    pub report: &'static str,
    /// The currency of every value (null when there are no rows).
    pub currency: Option<String>,
    /// Periods for which partners' exports (mirror data) replaced the importer's own figures.
    pub mirrored: Vec<String>,
    /// The rows, as `dualtrace flows report ... --format json` prints them.
    #[schema(value_type = Vec<Object>)]
    pub rows: ReportRows,
}

fn body<T>(
    report: &'static str,
    result: Result<Report<T>, FlowsError>,
    rows: fn(Vec<T>) -> ReportRows,
) -> Result<FlowsReportBody, ApiError> {
    let r = result.map_err(flows_error)?;
    Ok(FlowsReportBody {
        report,
        currency: r.currency,
        mirrored: r.mirrored,
        rows: rows(r.rows),
    })
}

/// Opens the dataset of the server's data directory on a blocking thread and runs `work`
/// (the engine is dropped on that thread too).
pub async fn with_engine<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&FlowsEngine) -> Result<T, ApiError> + Send + 'static,
{
    state
        .blocking(move |state| {
            let engine =
                FlowsEngine::open(state.store.root(), &Backend::Embedded).map_err(flows_error)?;
            work(&engine)
        })
        .await
}

/// Whether the data directory holds a flows dataset.
pub fn has_dataset(state: &AppState) -> bool {
    dualtrace_flows::dataset::has_data(state.store.root())
}

/// Flows routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(flows_index))
        .routes(routes!(flows_report))
}

/// One report and its parameters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportInfo {
    /// The report (the path segment).
    pub name: &'static str,
    /// Its parameters besides `goods` and `currency`.
    pub parameters: Vec<&'static str>,
}

/// `GET /api/v1/flows`: whether there is a dataset, and the reports.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlowsIndex {
    /// Whether the data directory holds a flows dataset.
    pub dataset: bool,
    /// The reports.
    pub reports: Vec<ReportInfo>,
}

/// Whether a dataset is there, and the reports with their parameters.
#[utoipa::path(get, path = "/api/v1/flows", tag = "flows",
    responses((status = 200, description = "The reports", body = FlowsIndex)))]
pub async fn flows_index(State(state): State<AppState>) -> Result<Json<FlowsIndex>, ApiError> {
    let dataset = state.blocking(|state| Ok(has_dataset(&state))).await?;
    Ok(Json(FlowsIndex {
        dataset,
        reports: FlowsReport::ALL
            .iter()
            .map(|r| ReportInfo {
                name: r.name(),
                parameters: r.parameters().to_vec(),
            })
            .collect(),
    }))
}

/// A trade flows report over the dataset of the server's data directory, as the CLI's
/// `dualtrace flows report REPORT ... --format json`.
#[utoipa::path(get, path = "/api/v1/flows/{report}", tag = "flows",
    params(
        ("report" = String, Path, description = "surge, supplier-shares, top-suppliers, series, mirror-gaps or unit-values"),
        ("goods" = Option<String>, Query, description = "all (default), chpl, a CHPL tier (1, 2, 3.A, 3.B, 4.A, 4.B), a watch item (W-...) or 2/4/6 HS digits"),
        ("currency" = Option<String>, Query, description = "Only figures in this currency (required when the data mixes EUR and USD)"),
        ("exporter" = Option<String>, Query, description = "surge (required): ISO alpha-2 or EU27; mirror-gaps: only this exporter"),
        ("importer" = Option<String>, Query, description = "supplier-shares, top-suppliers (required); mirror-gaps: only this importer"),
        ("reporter" = Option<String>, Query, description = "series (required); unit-values: only this reporter"),
        ("partner" = Option<String>, Query, description = "series, unit-values: only this partner"),
        ("baseline" = Option<String>, Query, description = "surge (required): baseline years, e.g. 2019-2021"),
        ("period" = Option<String>, Query, description = "Required: YYYY or YYYY-YYYY (surge, mirror-gaps, unit-values); also YYYY-MM or YYYY-MM..YYYY-MM (supplier-shares, top-suppliers, series)"),
        ("min_baseline" = Option<f64>, Query, description = "surge: leave out partners whose baseline average is below this (default 0)"),
        ("partners" = Option<String>, Query, description = "surge: only these partners, comma-separated (AM,GE,KG)"),
        ("no_mirror" = Option<bool>, Query, description = "supplier-shares, top-suppliers: never use partners' exports in place of the importer's figures"),
        ("flow" = Option<String>, Query, description = "series: import or export (default)"),
        ("min_value" = Option<f64>, Query, description = "mirror-gaps: leave out pairs whose exports are below this (default 0)"),
        ("min_jump" = Option<f64>, Query, description = "unit-values: smallest change factor shown (default 2)"),
        ("limit" = Option<usize>, Query, description = "top-suppliers (default 10), mirror-gaps and unit-values (default 50): at most this many rows (1..10000)"),
    ),
    responses(
        (status = 200, description = "The report's rows, their currency and the periods filled with mirror data", body = FlowsReportBody),
        (status = 400, description = "invalid_query: a missing, malformed or unknown parameter, or mixed currencies without `currency`", body = ErrorBody),
        (status = 404, description = "unknown_report, or no_dataset: no flows dataset in the data directory (run `dualtrace flows ingest`)", body = ErrorBody),
    ))]
pub async fn flows_report(
    State(state): State<AppState>,
    Path(report): Path<String>,
    params: Params,
) -> Result<Json<FlowsReportBody>, ApiError> {
    let known = FlowsReport::parse(&report).ok_or_else(|| {
        let names: Vec<&str> = FlowsReport::ALL.iter().map(|r| r.name()).collect();
        ApiError::new(
            ErrorCode::UnknownReport,
            format!("no report {report:?}; the reports are {}", names.join(", ")),
        )
    })?;
    let request = ReportRequest::parse(known, &params)?;
    with_engine(&state, move |engine| request.run(engine))
        .await
        .map(Json)
}

/// Suppliers' shares of an importer's imports, year by year: the chart of the Flows page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharesOverTime {
    /// The years, ascending.
    pub years: Vec<i32>,
    /// The largest suppliers over the years, then `other` when there are more.
    pub suppliers: Vec<String>,
    /// Per supplier (same order), its share of each year's total in percent.
    pub shares: Vec<Vec<f64>>,
    /// Each year's shares as the report gives them (the table under the chart).
    pub by_year: BTreeMap<i32, Vec<ShareRow>>,
    /// Years filled with partners' exports (mirror data).
    pub mirrored: Vec<String>,
    /// The currency of the values.
    pub currency: Option<String>,
}

/// The label of the suppliers beyond the largest.
pub const OTHER: &str = "other";

/// Runs [`reports::supplier_shares`] for each year and keeps the `top` largest suppliers (by
/// the sum of their yearly shares); the rest is summed as [`OTHER`].
pub fn shares_over_time(
    engine: &FlowsEngine,
    importer: &str,
    common: &Common,
    years: Years,
    top: usize,
) -> Result<SharesOverTime, FlowsError> {
    let mut by_year = BTreeMap::new();
    let mut mirrored = Vec::new();
    let mut currencies = BTreeSet::new();
    for year in years.from..=years.to {
        let report = reports::supplier_shares(
            engine,
            &SharesArgs {
                importer: importer.to_string(),
                period: Period::Years(Years {
                    from: year,
                    to: year,
                }),
                mirror: true,
                common: common.clone(),
            },
        )?;
        mirrored.extend(report.mirrored);
        currencies.extend(report.currency);
        by_year.insert(year, report.rows);
    }
    if currencies.len() > 1 {
        let found: Vec<String> = currencies.into_iter().collect();
        return Err(FlowsError::MixedCurrencies(found.join(", ")));
    }
    let (suppliers, shares) = stack(&by_year, top);
    Ok(SharesOverTime {
        years: by_year.keys().copied().collect(),
        suppliers,
        shares,
        by_year,
        mirrored,
        currency: currencies.pop_first(),
    })
}

/// The stacks of the shares chart: the `top` suppliers by the sum of their yearly shares (ties
/// by code), then [`OTHER`] for the rest when there is a rest; per supplier, its percentage of
/// each year's total.
fn stack(by_year: &BTreeMap<i32, Vec<ShareRow>>, top: usize) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut weight: BTreeMap<&str, f64> = BTreeMap::new();
    for row in by_year.values().flatten() {
        *weight.entry(row.supplier.as_str()).or_default() += row.share;
    }
    let mut ranked: Vec<(&str, f64)> = weight.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let named: Vec<&str> = ranked.iter().take(top).map(|(s, _)| *s).collect();
    let percent = |keep: &dyn Fn(&str) -> bool| -> Vec<f64> {
        by_year
            .values()
            .map(|rows| {
                rows.iter()
                    .filter(|r| keep(&r.supplier))
                    .map(|r| r.share * 100.0)
                    .sum()
            })
            .collect()
    };
    let mut shares: Vec<Vec<f64>> = named.iter().map(|s| percent(&|x: &str| x == *s)).collect();
    let mut suppliers: Vec<String> = named.iter().map(|s| s.to_string()).collect();
    if ranked.len() > top {
        shares.push(percent(&|x: &str| !named.contains(&x)));
        suppliers.push(OTHER.to_string());
    }
    (suppliers, shares)
}

/// The first and last year of the dataset.
pub fn year_span(engine: &FlowsEngine) -> Result<Option<Years>, FlowsError> {
    let (_, rows) = engine.sql_rows(&format!(
        "SELECT MIN(year) AS first_year, MAX(year) AS last_year FROM {}",
        dualtrace_flows::engine::FLOWS_TABLE
    ))?;
    let year = |key: &str| {
        rows.first()
            .and_then(|r| r.get(key))
            .and_then(Value::as_i64)
            .and_then(|y| i32::try_from(y).ok())
    };
    Ok(year("first_year")
        .zip(year("last_year"))
        .map(|(from, to)| Years { from, to }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(report: FlowsReport, query: &str) -> Result<ReportRequest, ApiError> {
        ReportRequest::parse(report, &Params::parse(query.as_bytes()))
    }

    fn error(report: FlowsReport, query: &str) -> String {
        match request(report, query) {
            Ok(r) => panic!("{query} accepted: {r:?}"),
            Err(e) => {
                assert_eq!(e.code, ErrorCode::InvalidQuery, "{e}");
                e.message
            }
        }
    }

    #[test]
    fn parameters_are_the_cli_flags() {
        let Ok(ReportRequest::Surge(a)) = request(
            FlowsReport::Surge,
            "exporter=eu27&baseline=2019-2021&period=2022-2023&partners=AM,ge&min_baseline=5&goods=chpl",
        ) else {
            panic!("surge");
        };
        assert_eq!(a.exporter, "EU27");
        assert_eq!((a.baseline.from, a.baseline.to), (2019, 2021));
        assert_eq!((a.period.from, a.period.to), (2022, 2023));
        assert_eq!(a.partners, ["AM", "GE"]);
        assert_eq!(a.min_baseline, 5.0);
        assert_eq!(a.common.goods, Goods::Chpl);
        let Ok(ReportRequest::TopSuppliers(s, limit)) = request(
            FlowsReport::TopSuppliers,
            "importer=RU&period=2022-01..2022-06&no_mirror=true&limit=3",
        ) else {
            panic!("top-suppliers");
        };
        assert_eq!((s.importer.as_str(), s.mirror, limit), ("RU", false, 3));
        assert_eq!(
            s.period,
            Period::Months {
                from: 202201,
                to: 202206
            }
        );
        let Ok(ReportRequest::Series(s)) =
            request(FlowsReport::Series, "reporter=CN&period=2022&flow=import")
        else {
            panic!("series");
        };
        assert_eq!((s.flow, s.partner), (Flow::Import, None));
    }

    #[test]
    fn bad_parameters_are_named() {
        assert!(
            error(FlowsReport::Surge, "baseline=2019-2021&period=2022")
                .contains("parameter `exporter` is required by the surge report")
        );
        assert!(
            error(
                FlowsReport::Surge,
                "exporter=EU27&baseline=2021-2019&period=2022"
            )
            .contains("parameter `baseline`")
        );
        assert!(
            error(
                FlowsReport::Surge,
                "exporter=KG'--&baseline=2019&period=2022"
            )
            .contains("parameter `exporter`: not a country or group code")
        );
        assert!(
            error(
                FlowsReport::SupplierShares,
                "importer=RU&period=2022&goods=W-NOPE"
            )
            .contains("parameter `goods`")
        );
        assert!(
            error(
                FlowsReport::SupplierShares,
                "importer=RU&period=2022&exporter=CN"
            )
            .contains("does not take parameter `exporter`")
        );
        assert!(
            error(FlowsReport::TopSuppliers, "importer=RU&period=2022&limit=0")
                .contains("parameter `limit`")
        );
        assert!(
            error(FlowsReport::MirrorGaps, "period=2022&min_value=NaN")
                .contains("not a finite number")
        );
        assert!(
            error(FlowsReport::Series, "reporter=CN&period=2022&flow=sideways")
                .contains("parameter `flow`")
        );
        assert!(
            error(
                FlowsReport::SupplierShares,
                "importer=RU&period=2022&no_mirror=perhaps"
            )
            .contains("parameter `no_mirror`")
        );
        assert!(
            error(
                FlowsReport::SupplierShares,
                "importer=RU&period=2022&currency=euro"
            )
            .contains("parameter `currency`")
        );
    }

    #[test]
    fn flows_errors_keep_paths_out() {
        let e = flows_error(FlowsError::NoDataset("/srv/secret/flows".into()));
        assert_eq!(e.code, ErrorCode::NoDataset);
        assert!(!e.message.contains("/srv"), "{}", e.message);
        let e = flows_error(FlowsError::MixedCurrencies("EUR, USD".into()));
        assert_eq!(e.code, ErrorCode::InvalidQuery);
        assert!(e.message.contains("pass `currency`"));
        let e = flows_error(FlowsError::io(
            "/srv/secret/x.parquet",
            std::io::Error::other("disk"),
        ));
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::Internal, "internal error")
        );
    }

    #[test]
    fn the_largest_suppliers_are_stacked_and_the_rest_is_other() {
        let row = |supplier: &str, share: f64| ShareRow {
            supplier: supplier.into(),
            value: share * 1000.0,
            share,
        };
        let by_year = BTreeMap::from([
            (2021, vec![row("DE", 0.5), row("CN", 0.3), row("ZZ", 0.2)]),
            (2022, vec![row("CN", 0.9), row("KG", 0.1)]),
        ]);
        let (suppliers, shares) = stack(&by_year, 2);
        assert_eq!(suppliers, ["CN", "DE", "other"]);
        assert_eq!(shares[0], [30.0, 90.0]);
        assert_eq!(shares[1], [50.0, 0.0]);
        assert!((shares[2][0] - 20.0).abs() < 1e-9 && (shares[2][1] - 10.0).abs() < 1e-9);
        let (all, _) = stack(&by_year, 4);
        assert_eq!(
            all,
            ["CN", "DE", "ZZ", "KG"],
            "no `other` when every supplier is named"
        );
    }

    #[test]
    fn report_names_round_trip() {
        for r in FlowsReport::ALL {
            assert_eq!(FlowsReport::parse(r.name()), Some(r));
        }
        assert_eq!(FlowsReport::parse("sql"), None);
    }
}
