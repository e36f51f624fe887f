//! The OpenRefine reconciliation API (version 0.2) over the same matcher as `/match`.
//!
//! `GET /reconcile/{dataset}` without `queries` answers the service manifest; with `queries`
//! (query string, form field or JSON body) it answers `{"q0": {"result": [...]}}`. Each
//! reconciliation query (`query`, optional `type` = FtM schema, `limit`, `properties` as
//! `[{"pid": "birthDate", "v": "1961"}]`) becomes an FtM example and is screened like one.
//! Scores are on OpenRefine's customary 0..100 scale.

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::{JsonOrForm, Params, parse_json};
use crate::state::AppState;
use crate::yente::{
    EntityExample, MatchOptions, MatchRequest, dataset_lists, example_query, screen,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reconcile_get, reconcile_post))
}

/// One reconciliation query.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReconQuery {
    /// The name to reconcile.
    pub query: String,
    /// The FtM schema (Person, Company, ...), if known.
    #[serde(default, rename = "type")]
    pub schema: Option<String>,
    /// Candidates to return (default 5).
    #[serde(default)]
    pub limit: Option<usize>,
    /// More properties: `[{"pid": "birthDate", "v": "1961-05-07"}]`.
    #[serde(default)]
    pub properties: Vec<ReconProperty>,
}

/// A property of a reconciliation query.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReconProperty {
    /// The FtM property name.
    pub pid: String,
    /// The value(s).
    #[schema(value_type = Object)]
    pub v: Value,
}

/// A candidate.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReconCandidate {
    /// The entity id.
    pub id: String,
    /// Its caption.
    pub name: String,
    /// Its schema as a type.
    #[schema(value_type = Vec<Object>)]
    pub r#type: Vec<Value>,
    /// 0..100.
    pub score: f64,
    /// Whether it is a match.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// List and version.
    pub description: String,
}

/// The results of one query.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReconResult {
    /// The candidates, best first.
    pub result: Vec<ReconCandidate>,
}

const TYPES: [&str; 6] = [
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "Vessel",
    "Aircraft",
];

fn manifest(dataset: &str, headers: &HeaderMap) -> Value {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".:-[]".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    let base = format!("http://{host}");
    json!({
        "versions": ["0.2"],
        "name": format!("dualtrace ({dataset})"),
        "identifierSpace": format!("{base}/entities/"),
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": TYPES.iter().map(|t| json!({"id": t, "name": t})).collect::<Vec<_>>(),
        "view": {"url": format!("{base}/ui/entities/{{{{id}}}}")},
    })
}

/// Reads the `queries` object from a form value, a JSON body with `queries`, or a JSON body
/// that is the queries object itself.
fn queries_of(value: Value) -> Result<BTreeMap<String, ReconQuery>, ApiError> {
    let inner = match value {
        Value::Object(mut map) if map.contains_key("queries") => {
            map.remove("queries").unwrap_or_default()
        }
        other => other,
    };
    let inner = match inner {
        Value::String(text) => parse_json(text.as_bytes())?,
        other => other,
    };
    serde_json::from_value(inner).map_err(|e| {
        ApiError::new(
            ErrorCode::MalformedJson,
            format!("queries: not reconciliation queries: {e}"),
        )
    })
}

async fn answer(
    state: AppState,
    dataset: String,
    queries: BTreeMap<String, ReconQuery>,
) -> Result<Json<Value>, ApiError> {
    if !state.engine.is_ready() {
        return Err(ApiError::new(
            ErrorCode::NotReady,
            "the lists are still loading",
        ));
    }
    let engine = state.engine.snapshot();
    let lists = dataset_lists(&engine, &dataset)?;
    if queries.len() > state.limits.batch {
        return Err(ApiError::new(
            ErrorCode::BatchTooLarge,
            format!(
                "{} queries in one batch; the limit is {}",
                queries.len(),
                state.limits.batch
            ),
        ));
    }
    let opts = MatchOptions::resolve(
        &Params::default(),
        &MatchRequest::default(),
        state.limits.results,
    )?;
    let max = state.limits.results;
    let mut keys = Vec::new();
    let mut built = Vec::new();
    let mut limits = Vec::new();
    for (key, q) in &queries {
        let mut properties: BTreeMap<String, Value> = q
            .properties
            .iter()
            .map(|p| (p.pid.clone(), p.v.clone()))
            .collect();
        properties.insert("name".to_string(), Value::from(vec![q.query.clone()]));
        let example = EntityExample {
            id: None,
            schema: q.schema.clone().unwrap_or_else(|| "Thing".to_string()),
            properties,
        };
        built.push(example_query(key, &example)?.query);
        keys.push(key.clone());
        limits.push(q.limit.unwrap_or(opts.limit).clamp(1, max));
    }
    let wide = MatchOptions { limit: max, ..opts };
    let screened = state
        .blocking(move |_| Ok(screen(&engine, &built, lists, &wide, max)))
        .await?;
    let mut out = serde_json::Map::new();
    for ((key, limit), (_, results)) in keys.into_iter().zip(limits).zip(screened) {
        let result: Vec<ReconCandidate> = results
            .into_iter()
            .take(limit)
            .map(|r| ReconCandidate {
                description: format!(
                    "{} v{}",
                    r.entity.list.clone().unwrap_or_default(),
                    r.entity.list_version.clone().unwrap_or_default()
                ),
                id: r.entity.id,
                name: r.entity.caption,
                r#type: vec![json!({"id": r.entity.schema, "name": r.entity.schema})],
                score: (r.score * 1000.0).round() / 10.0,
                is_match: r.is_match,
            })
            .collect();
        out.insert(key, json!(ReconResult { result }));
    }
    Ok(Json(Value::Object(out)))
}

/// The service manifest, or the answers to `?queries=` (JSON).
#[utoipa::path(
    get,
    path = "/reconcile/{dataset}",
    tag = "reconcile",
    params(
        ("dataset" = String, Path, description = "A list name or `default`"),
        ("queries" = Option<String>, Query, description = "JSON: {\"q0\": {\"query\": \"...\", \"type\": \"Person\"}}"),
    ),
    responses(
        (status = 200, description = "The manifest, or results by query key", body = Object),
        (status = 400, description = "malformed_json or invalid_query", body = ErrorBody),
        (status = 404, description = "unknown_dataset", body = ErrorBody),
        (status = 422, description = "batch_too_large", body = ErrorBody),
    )
)]
pub async fn reconcile_get(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    match params.get("queries") {
        None => {
            dataset_lists(&state.engine.snapshot(), &dataset)?;
            Ok(Json(manifest(&dataset, &headers)))
        }
        Some(text) => {
            let queries = queries_of(Value::String(text.to_string()))?;
            answer(state, dataset, queries).await
        }
    }
}

/// The answers to reconciliation queries posted as a form field `queries` or as JSON.
#[utoipa::path(
    post,
    path = "/reconcile/{dataset}",
    tag = "reconcile",
    params(("dataset" = String, Path, description = "A list name or `default`")),
    request_body(content = Object, description = "form field `queries` (JSON text) or a JSON body {\"queries\": {...}}"),
    responses(
        (status = 200, description = "Results by query key", body = Object),
        (status = 400, description = "malformed_json or invalid_query", body = ErrorBody),
        (status = 404, description = "unknown_dataset", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 422, description = "batch_too_large", body = ErrorBody),
    )
)]
pub async fn reconcile_post(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    headers: HeaderMap,
    body: JsonOrForm,
) -> Result<Json<Value>, ApiError> {
    let queries = match body {
        JsonOrForm::Json(value) => queries_of(value)?,
        JsonOrForm::Form(form) => match form.get("queries") {
            Some(text) => queries_of(Value::String(text.to_string()))?,
            None => {
                dataset_lists(&state.engine.snapshot(), &dataset)?;
                return Ok(Json(manifest(&dataset, &headers)));
            }
        },
    };
    answer(state, dataset, queries).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_from_every_form_openrefine_uses() {
        let text = r#"{"q0": {"query": "Ivan Petrov", "type": "Person", "properties": [{"pid": "birthDate", "v": "1961"}]}}"#;
        let from_form = queries_of(Value::String(text.to_string())).expect("form");
        assert_eq!(from_form["q0"].query, "Ivan Petrov");
        assert_eq!(from_form["q0"].properties[0].pid, "birthDate");
        let wrapped: Value =
            serde_json::from_str(&format!(r#"{{"queries": {text}}}"#)).expect("json");
        assert_eq!(queries_of(wrapped).expect("wrapped").len(), 1);
        let bare: Value = serde_json::from_str(text).expect("json");
        assert_eq!(
            queries_of(bare).expect("bare")["q0"].schema.as_deref(),
            Some("Person")
        );
        let bad = queries_of(Value::String("{not json".into())).expect_err("bad");
        assert_eq!(bad.code, ErrorCode::MalformedJson);
    }
}
