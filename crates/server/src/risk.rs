//! Shipment risk over HTTP: the data directory's latest `dualtrace risk` run
//! (`GET /api/v1/risk/latest`), and a run on a CSV body against the loaded lists
//! (`POST /api/v1/risk`).
//!
//! `dualtrace risk` records each run in `<data-dir>/risk/latest.json`
//! ([`dualtrace_risk::latest`]): its audit record and its highest-ranked flagged lines and
//! parties. The server reads that record and never re-runs anything for it. A posted CSV is
//! assessed with the same engine, the lists the server has loaded and the data directory's
//! decision log; nothing is written and the latest run stays what it was. The body-size
//! limit bounds the number of lines.

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::{Params, RawBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use dualtrace_risk::audit::ListRecord;
use dualtrace_risk::latest::{RECORDED_TOP, RunSummary, read_latest};
use dualtrace_risk::{RiskConfig, RiskError, RunOptions};
use std::path::Path;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Lines and parties answered when `top` is not given.
pub const DEFAULT_TOP: usize = 20;
/// The most lines and parties a posted run answers.
pub const MAX_TOP: usize = 10_000;

/// What to do when no run is recorded (shown by the API and the dashboard).
pub const NO_RISK_RUN: &str = "no risk run recorded in the server's data directory: run `dualtrace risk --input SHIPMENTS.csv --output REPORT_DIR` with the server's --data-dir; its latest run is shown here";

/// The name of a posted body in errors and in the audit record.
const POSTED: &str = "request body";

/// Risk routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(risk_latest))
        .routes(routes!(risk_run))
}

/// The recorded latest run, if any (reads a file: call from a blocking thread).
pub fn latest(state: &AppState) -> Result<Option<RunSummary>, ApiError> {
    read_latest(state.store.root()).map_err(|e| ApiError::internal(&e))
}

/// The `top` parameter, at most `max`.
fn top(params: &Params, max: usize) -> Result<usize, ApiError> {
    let top = params.number::<usize>("top")?.unwrap_or(DEFAULT_TOP);
    if top <= max {
        Ok(top)
    } else {
        Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("parameter `top`: {top} is more than {max}"),
        ))
    }
}

/// The summary with at most `top` lines and parties.
fn trimmed(mut summary: RunSummary, top: usize) -> RunSummary {
    summary.top_lines.truncate(top);
    summary.top_parties.truncate(top);
    summary
}

/// The latest `dualtrace risk` run of the data directory: its audit record (input hash, list
/// versions, CHPL version, thresholds, counts by level and by flag kind) and its
/// highest-ranked flagged lines and parties with their reasons.
#[utoipa::path(get, path = "/api/v1/risk/latest", tag = "risk",
    params(("top" = Option<usize>, Query, description = "How many lines and parties (default 20, at most 100)")),
    responses(
        (status = 200, description = "`{report_dir, audit, top_lines, top_parties}`; counts by level in `audit.counts.by_level`", body = Object),
        (status = 400, description = "invalid_query: a bad `top`", body = ErrorBody),
        (status = 404, description = "no_risk_run: no run recorded yet (run `dualtrace risk`)", body = ErrorBody),
    ))]
pub async fn risk_latest(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<RunSummary>, ApiError> {
    let top = top(&params, RECORDED_TOP)?;
    let summary = state
        .blocking(|state| latest(&state))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NoRiskRun, NO_RISK_RUN))?;
    Ok(Json(trimmed(summary, top)))
}

/// The risk settings of a posted run: the defaults with the parameters' overrides, checked.
fn config(params: &Params) -> Result<RiskConfig, ApiError> {
    let mut config = RiskConfig::default();
    if let Some(v) = params.number::<f64>("high")? {
        config.levels.high = v;
    }
    if let Some(v) = params.number::<f64>("medium")? {
        config.levels.medium = v;
    }
    if let Some(v) = params.number::<f64>("screen_threshold")? {
        config.screen_threshold = v;
    }
    config
        .check()
        .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, format!("risk settings: {e}")))?;
    Ok(config)
}

/// Assesses a CSV of shipment lines (the columns of `dualtrace risk --input`) against the
/// loaded lists and the decision log; answers like `/api/v1/risk/latest` (no report folder)
/// and records nothing.
#[utoipa::path(post, path = "/api/v1/risk", tag = "risk",
    params(
        ("top" = Option<usize>, Query, description = "How many flagged lines and parties (default 20, at most 10000)"),
        ("high" = Option<f64>, Query, description = "High-level threshold (score 0..100)"),
        ("medium" = Option<f64>, Query, description = "Medium-level threshold (score 0..100)"),
        ("screen_threshold" = Option<f64>, Query, description = "Screening threshold of party matches (0..1)"),
    ),
    request_body(content = String, content_type = "text/csv", description = "Shipment lines: date, consignor, consignor_country, consignor_id, consignor_address, consignee, ..., hs_code, description, value, currency"),
    responses(
        (status = 200, description = "`{report_dir: null, audit, top_lines, top_parties}`", body = Object),
        (status = 400, description = "invalid_shipments: a bad header, record or value (line and field named); invalid_query: bad settings", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 503, description = "not_ready: the lists are still loading", body = ErrorBody),
    ))]
pub async fn risk_run(
    State(state): State<AppState>,
    params: Params,
    RawBody(csv): RawBody,
) -> Result<Json<RunSummary>, ApiError> {
    let top = top(&params, MAX_TOP)?;
    let config = config(&params)?;
    if !state.engine.is_ready() {
        return Err(ApiError::new(
            ErrorCode::NotReady,
            "the lists are still loading",
        ));
    }
    state
        .blocking(move |state| assess(&state, &csv, config, top).map(Json))
        .await
}

fn assess(
    state: &AppState,
    csv: &[u8],
    config: RiskConfig,
    top: usize,
) -> Result<RunSummary, ApiError> {
    let logged = dualtrace_risk::decisions::logged_allow(state.store.root())
        .map_err(|e| ApiError::internal(&e))?;
    let (decisions_path, allow) = match logged {
        Some((path, allow)) => (Some(path), Some(Arc::new(allow))),
        None => (None, None),
    };
    let engine = state.engine.snapshot();
    let options = RunOptions {
        config,
        allow,
        decisions_path,
        ..RunOptions::default()
    };
    let mut assessed = dualtrace_risk::assess_bytes(Path::new(POSTED), csv, &engine.index, options)
        .map_err(|e| match e {
            RiskError::Shipments(e) => ApiError::new(ErrorCode::InvalidShipments, e.to_string()),
            other => ApiError::internal(&other),
        })?;
    assessed.audit.lists = engine
        .lists
        .iter()
        .map(|l| ListRecord {
            name: l.name.clone(),
            version: l.version,
            hash: l.hash.clone(),
            entities: l.entities,
            format: l.format.clone(),
            imported_at: l.imported_at.clone(),
        })
        .collect();
    Ok(RunSummary::new(
        &assessed.shipments,
        &assessed.assessment,
        &assessed.audit,
        None,
        top,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_and_top_are_checked() {
        let params = Params::parse(b"high=60&medium=30&screen_threshold=0.8");
        let c = config(&params).expect("valid");
        assert_eq!(
            (c.levels.high, c.levels.medium, c.screen_threshold),
            (60.0, 30.0, 0.8)
        );
        for bad in ["high=lots", "screen_threshold=3", "high=10&medium=50"] {
            let e = config(&Params::parse(bad.as_bytes())).expect_err(bad);
            assert_eq!(e.code, ErrorCode::InvalidQuery, "{bad}: {e}");
        }
        assert_eq!(top(&Params::default(), 100).ok(), Some(DEFAULT_TOP));
        assert_eq!(top(&Params::parse(b"top=100"), 100).ok(), Some(100));
        assert!(top(&Params::parse(b"top=101"), 100).is_err());
    }
}
