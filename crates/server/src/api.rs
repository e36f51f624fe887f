//! dualtrace's own JSON API under `/api/v1/`: goods lookup and classification, list status and
//! version diffs, and (from their own modules) the trade flows reports ([`crate::flows`]) and
//! shipment risk runs ([`crate::risk`]).
//!
//! **Extension point.** Each feature is one function returning an `OpenApiRouter<AppState>`
//! merged in [`routes()`] (its handlers carry `#[utoipa::path]` so that `/openapi.json`
//! documents them), and one entry in [`FEATURES`] (what `GET /api/v1` reports). A feature
//! listed as not available answers `501 not_available` under its path.

use crate::engine::ListVersion;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::{JsonBody, Params};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use dualtrace_goods::{Classification, HsVersion, ShipmentLine};
use dualtrace_lists::store::StoreError;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most shipment lines in one `/api/v1/goods/classify` request.
pub const MAX_GOODS_LINES: usize = 10_000;

/// A feature of the API and whether this build serves it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feature {
    /// The feature.
    pub name: &'static str,
    /// Where it is served.
    pub path: &'static str,
    /// Whether this build serves it.
    pub available: bool,
}

/// The features of `/api/v1`, in order.
pub const FEATURES: [Feature; 4] = [
    Feature {
        name: "goods",
        path: "/api/v1/goods",
        available: true,
    },
    Feature {
        name: "lists",
        path: "/api/v1/lists",
        available: true,
    },
    Feature {
        name: "flows",
        path: "/api/v1/flows",
        available: true,
    },
    Feature {
        name: "risk",
        path: "/api/v1/risk",
        available: true,
    },
];

/// The routes of `/api/v1`.
pub fn routes() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new()
        .routes(routes!(api_index))
        .merge(goods_routes())
        .merge(lists_routes())
        .merge(crate::flows::routes())
        .merge(crate::risk::routes());
    for feature in FEATURES.iter().filter(|f| !f.available) {
        router = router
            .route(feature.path, axum::routing::any(not_available))
            .route(
                &format!("{}/{{*rest}}", feature.path),
                axum::routing::any(not_available),
            );
    }
    router
}

/// A feature of [`FEATURES`] that this build does not serve: `501 not_available`.
async fn not_available(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotAvailable,
        format!("{} is not part of this build (see GET /api/v1)", uri.path()),
    )
}

/// Goods lookup and classification.
pub fn goods_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(goods_lookup))
        .routes(routes!(goods_classify))
}

/// List status and diffs.
pub fn lists_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(lists_status))
        .routes(routes!(lists_diff))
}

/// `GET /api/v1`: the API's features.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiIndex {
    /// dualtrace's version.
    pub version: &'static str,
    /// The features.
    pub features: Vec<Feature>,
}

/// What this API serves.
#[utoipa::path(get, path = "/api/v1", tag = "dualtrace",
    responses((status = 200, description = "Features and their availability", body = ApiIndex)))]
pub async fn api_index() -> Json<ApiIndex> {
    Json(ApiIndex {
        version: env!("CARGO_PKG_VERSION"),
        features: FEATURES.to_vec(),
    })
}

fn goods_error(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuery, e.to_string())
}

/// A tariff code's HS-6, CHPL tier and meaning, CHPL version and watch-list entry.
#[utoipa::path(get, path = "/api/v1/goods/lookup", tag = "dualtrace",
    params(
        ("code" = String, Query, description = "The code as written: 8542.31.0015, 854231, ..."),
        ("hs_version" = Option<String>, Query, description = "2022 (default) or 2017"),
    ),
    responses(
        (status = 200, description = "The lookup (as `dualtrace goods lookup --json`)", body = Object),
        (status = 400, description = "invalid_query: not a code", body = ErrorBody),
    ))]
pub async fn goods_lookup(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let code = params
        .get("code")
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidQuery, "parameter `code` is required"))?;
    let version =
        HsVersion::parse(params.get("hs_version").unwrap_or("2022")).map_err(goods_error)?;
    let lookup = state.goods.lookup(code, version).map_err(goods_error)?;
    serde_json::to_value(&lookup)
        .map(Json)
        .map_err(|e| ApiError::internal(&e))
}

/// One shipment line to classify.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GoodsLine {
    /// The declared tariff code.
    pub hs_code: String,
    /// The goods description (any language).
    #[serde(default)]
    pub description: String,
    /// The HS edition of the code (2022 default, or 2017).
    #[serde(default)]
    pub hs_version: Option<String>,
}

/// A classification request.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ClassifyRequest {
    /// The lines.
    pub lines: Vec<GoodsLine>,
}

/// The classification of each line, in input order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassifyResponse {
    /// One result per line (`row` is its 0-based position).
    #[schema(value_type = Vec<Object>)]
    pub results: Vec<Value>,
}

fn classification_json(row: usize, c: &Classification) -> Value {
    json!({
        "row": row,
        "hs6": c.hs6,
        "chpl_tier": c.chpl_tier,
        "watch": c.watch,
        "partial": c.partial,
        "misdeclaration": c.misdeclaration,
        "evidence": c.evidence,
        "error": c.error,
    })
}

/// Classifies shipment lines against the CHPL and the watch list (misdeclarations included).
#[utoipa::path(post, path = "/api/v1/goods/classify", tag = "dualtrace",
    request_body = ClassifyRequest,
    responses(
        (status = 200, description = "Results in input order; a bad code is a per-line `error`", body = ClassifyResponse),
        (status = 400, description = "malformed_json", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 422, description = "batch_too_large", body = ErrorBody),
    ))]
pub async fn goods_classify(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<ClassifyRequest>,
) -> Result<Json<ClassifyResponse>, ApiError> {
    if request.lines.len() > MAX_GOODS_LINES {
        return Err(ApiError::new(
            ErrorCode::BatchTooLarge,
            format!(
                "{} lines in one request; the limit is {MAX_GOODS_LINES}",
                request.lines.len()
            ),
        ));
    }
    let results = request
        .lines
        .iter()
        .enumerate()
        .map(|(row, line)| {
            let c = state.goods.classify(&ShipmentLine {
                hs_code: &line.hs_code,
                description: &line.description,
                hs_version: line.hs_version.as_deref(),
            });
            classification_json(row, &c)
        })
        .collect();
    Ok(Json(ClassifyResponse { results }))
}

/// A list: the version the engine serves and the store's current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListStatus {
    /// The version loaded in the engine.
    pub loaded: ListVersion,
    /// The store's current version (differs while a reload is pending).
    pub store_version: Option<u64>,
    /// Every version in the store.
    pub versions: Vec<u64>,
}

/// The loaded lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListsResponse {
    /// Whether the lists are loaded.
    pub ready: bool,
    /// Entities in the index.
    pub entities: usize,
    /// When the engine was built.
    pub built_at: String,
    /// The lists.
    pub lists: Vec<ListStatus>,
}

/// The lists, their loaded and stored versions.
#[utoipa::path(get, path = "/api/v1/lists", tag = "dualtrace",
    responses((status = 200, description = "List status", body = ListsResponse)))]
pub async fn lists_status(State(state): State<AppState>) -> Result<Json<ListsResponse>, ApiError> {
    state
        .blocking(|state| {
            let engine = state.engine.snapshot();
            let lists = engine
                .lists
                .iter()
                .map(|l| {
                    Ok(ListStatus {
                        loaded: l.clone(),
                        store_version: state.store.current_version(&l.name)?,
                        versions: state.store.versions(&l.name)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()
                .map_err(|e| ApiError::internal(&e))?;
            Ok(Json(ListsResponse {
                ready: state.engine.is_ready(),
                entities: engine.index.len(),
                built_at: engine.built_at.clone(),
                lists,
            }))
        })
        .await
}

/// Maps a store error of a user-named list or version to a 404, anything else to internal.
pub fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::UnknownList(_)
        | StoreError::UnknownVersion { .. }
        | StoreError::NoPrevious(_)
        | StoreError::BadName(_) => ApiError::new(ErrorCode::UnknownList, e.to_string()),
        other => ApiError::internal(&other),
    }
}

/// What changed between two versions of a list (default: previous to current).
#[utoipa::path(get, path = "/api/v1/lists/{name}/diff", tag = "dualtrace",
    params(
        ("name" = String, Path, description = "The list"),
        ("from" = Option<u64>, Query, description = "The older version"),
        ("to" = Option<u64>, Query, description = "The newer version"),
    ),
    responses(
        (status = 200, description = "Added, removed and changed entity ids", body = Object),
        (status = 404, description = "unknown_list", body = ErrorBody),
    ))]
pub async fn lists_diff(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let from = params.number::<u64>("from")?;
    let to = params.number::<u64>("to")?;
    state
        .blocking(move |state| {
            let diff = state.store.diff(&name, from, to).map_err(store_error)?;
            serde_json::to_value(diff)
                .map(Json)
                .map_err(|e| ApiError::internal(&e))
        })
        .await
}
