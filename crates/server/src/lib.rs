//! `dualtrace serve`: the HTTP server over the dualtrace engines.
//!
//! One process answers a yente-compatible screening API ([`yente`], [`reconcile`]),
//! dualtrace's own JSON API under `/api/v1/` ([`api`]: goods and lists; [`flows`]: the trade
//! flows reports; [`risk`]: the latest risk run and runs on posted CSV) and an analyst
//! dashboard ([`dashboard`], [`flows_page`], [`risk_page`]), all from the same
//! [`engine::Engine`] the CLI screens with and the same data directory. New list
//! versions in the store are picked up by a background task that builds a new engine off the
//! request path and swaps it in atomically ([`engine::EngineCell`]).
//!
//! Around every route: request ids (`x-request-id`, generated when absent and echoed), a
//! tracing span per request (method, route path and request id; never query strings or
//! headers, so no key or screened name reaches the logs), Prometheus metrics ([`metrics`]),
//! API keys when configured ([`auth`]), a timeout and a body limit, each failure answered as a
//! JSON error with a stable code ([`error`]). CORS is off unless origins are configured.
//! `/openapi.json` (OpenAPI 3.1) is generated from the handlers' annotations ([`openapi`]).

pub mod api;
pub mod auth;
pub mod dashboard;
pub mod engine;
pub mod error;
pub mod extract;
pub mod flows;
pub mod flows_page;
pub mod html;
pub mod metrics;
pub mod reconcile;
pub mod risk;
pub mod risk_page;
pub mod state;
pub mod yente;

use crate::auth::ApiKeys;
use crate::engine::Reload;
use crate::error::{ApiError, ErrorBody, ErrorCode, ServerError};
use crate::state::{AppState, Limits};
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The header carrying the request id.
pub const REQUEST_ID: &str = "x-request-id";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address to listen on (default `127.0.0.1:8000`).
    pub bind: SocketAddr,
    /// API keys; required for a non-loopback address.
    pub keys: Option<ApiKeys>,
    /// How often the store is polled for new list versions.
    pub reload_interval: Duration,
    /// Request limits.
    pub limits: Limits,
    /// Origins allowed by CORS (none: CORS off).
    pub cors_origins: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8000)),
            keys: None,
            reload_interval: Duration::from_secs(30),
            limits: Limits::default(),
            cors_origins: Vec::new(),
        }
    }
}

/// Refuses a non-loopback address without API keys.
pub fn check_bind(bind: SocketAddr, keys: Option<&ApiKeys>) -> Result<(), ServerError> {
    if bind.ip().is_loopback() || keys.is_some_and(|k| !k.is_empty()) {
        Ok(())
    } else {
        Err(ServerError::InsecureBind(bind))
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dualtrace",
        description = "Screening against the allies' sanctions and export-control lists (a yente-compatible API), goods classification against the CHPL, list versions, trade flows reports, shipment risk. Errors are {\"error\": {\"code\", \"message\"}} with stable codes.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "yente", description = "OpenSanctions yente-compatible screening"),
        (name = "reconcile", description = "OpenRefine reconciliation"),
        (name = "dualtrace", description = "dualtrace's own API"),
        (name = "flows", description = "Trade flows reports over the data directory's dataset (as `dualtrace flows report`)"),
        (name = "risk", description = "Shipment risk: the latest `dualtrace risk` run, and runs on a posted CSV"),
        (name = "operations", description = "Health, readiness, metrics, reload"),
    ),
    modifiers(&SecurityAddon),
    security(("bearer" = []), ("apiKey" = []))
)]
struct ApiDoc;

/// Declares the two forms of the `Authorization` header.
struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`Authorization: Bearer KEY`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Authorization: ApiKey KEY` (yente's form)",
            ))),
        );
    }
}

/// Every documented route.
fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(yente::routes())
        .merge(reconcile::routes())
        .merge(api::routes())
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics_text))
        .routes(routes!(admin_reload))
}

/// The OpenAPI 3.1 document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}

/// `{"status": ...}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    /// `ok`, `ready`.
    pub status: String,
    /// Entities in the index.
    pub entities: usize,
    /// Lists loaded.
    pub lists: usize,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", security(()),
    responses((status = 200, description = "Alive", body = Status)))]
async fn healthz(State(state): State<AppState>) -> Json<Status> {
    let engine = state.engine.snapshot();
    Json(Status {
        status: "ok".to_string(),
        entities: engine.index.len(),
        lists: engine.lists.len(),
    })
}

/// Readiness: the lists are loaded.
#[utoipa::path(get, path = "/readyz", tag = "operations", security(()),
    responses(
        (status = 200, description = "Lists loaded", body = Status),
        (status = 503, description = "not_ready", body = ErrorBody),
    ))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    if !state.engine.is_ready() {
        return Err(ApiError::new(
            ErrorCode::NotReady,
            "the lists are still loading",
        ));
    }
    let engine = state.engine.snapshot();
    Ok(Json(Status {
        status: "ready".to_string(),
        entities: engine.index.len(),
        lists: engine.lists.len(),
    }))
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Requests by route and status, latency histogram, index size, list versions", body = String, content_type = "text/plain")))]
async fn metrics_text(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&state.engine),
    )
        .into_response()
}

/// The result of a reload.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadResponse {
    /// Whether a new engine was swapped in.
    pub reloaded: bool,
    /// The loaded list versions.
    pub lists: Vec<engine::ListVersion>,
}

/// Reloads the lists now if a version changed in the store.
#[utoipa::path(post, path = "/admin/reload", tag = "operations",
    responses(
        (status = 200, description = "Reloaded or unchanged", body = ReloadResponse),
        (status = 401, description = "missing_api_key or invalid_api_key", body = ErrorBody),
    ))]
async fn admin_reload(State(state): State<AppState>) -> Result<Json<ReloadResponse>, ApiError> {
    state
        .blocking(|state| {
            let outcome = state
                .engine
                .reload(&state.store)
                .map_err(|e| ApiError::internal(&e))?;
            Ok(Json(ReloadResponse {
                reloaded: outcome == Reload::Swapped,
                lists: state.engine.snapshot().lists.clone(),
            }))
        })
        .await
}

/// Request ids: a per-process prefix and a counter.
#[derive(Debug, Clone)]
struct RequestIds {
    prefix: String,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n:08x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Records the request in the metrics (by route pattern).
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().to_string();
    let response = next.run(req).await;
    state.metrics.record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Checks the API key, except on the health probes.
async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let open = matches!(req.uri().path(), "/healthz" | "/readyz");
    if let (Some(keys), false) = (&state.keys, open) {
        let header = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Err(e) = keys.check(header) {
            return e.into_response();
        }
    }
    next.run(req).await
}

/// Answers `timeout` when a request takes longer than the limit.
async fn time_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(state.limits.timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(ErrorCode::Timeout, "the request took too long").into_response(),
    }
}

async fn not_found(State(state): State<AppState>, req: Request) -> Response {
    state
        .metrics
        .record(req.method().as_str(), "unmatched", 404, Duration::ZERO);
    ApiError::new(ErrorCode::NotFound, "no such route").into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "this route does not take this method",
    )
    .into_response()
}

/// The whole application: routes, dashboard and middleware, over a state.
pub fn app(state: AppState, cors_origins: &[String]) -> Router {
    let (api, doc) = api_router().split_for_parts();
    let doc_json = Arc::new(doc.to_pretty_json().unwrap_or_default());
    let request_ids = RequestIds {
        prefix: format!("{:x}", jiff::Timestamp::now().as_second()),
        next: Arc::new(AtomicU64::new(1)),
    };
    let request_id = HeaderName::from_static(REQUEST_ID);
    let router = api
        .merge(dashboard::routes())
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let doc = Arc::clone(&doc_json);
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_owned(),
                    )
                }
            }),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.limits.body_bytes))
        .with_state(state);
    let router = match cors(cors_origins) {
        Some(layer) => router.layer(layer),
        None => router,
    };
    router
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, request_ids))
}

/// A CORS layer for the configured origins, or none (CORS off).
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let values: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    (!values.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(values))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
    })
}

/// Polls the store every `interval` (and on SIGHUP) and swaps in a new engine when a list
/// version changed. The first load happens at once.
pub fn spawn_reloader(state: AppState, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut hangup =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        loop {
            let worker = state.clone();
            let outcome =
                tokio::task::spawn_blocking(move || worker.engine.reload(&worker.store)).await;
            match outcome {
                Ok(Ok(Reload::Swapped)) => tracing::info!("new list versions loaded"),
                Ok(Ok(Reload::Unchanged)) => {}
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "reload failed; the previous lists stay loaded")
                }
                Err(e) => tracing::error!(error = %e, "reload task failed"),
            }
            #[cfg(unix)]
            if let Some(signal) = hangup.as_mut() {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = signal.recv() => tracing::info!("SIGHUP: reloading"),
                }
                continue;
            }
            tokio::time::sleep(interval).await;
        }
    })
}

/// Runs the server on a bound listener until `shutdown` resolves.
pub async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: &ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let reloader = spawn_reloader(state.clone(), config.reload_interval);
    let app = app(state, &config.cors_origins);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    reloader.abort();
    served.map_err(|source| ServerError::Io {
        context: "serving".to_string(),
        source,
    })
}

/// Binds `config.bind` (refusing an unprotected non-loopback address) and serves the store
/// until Ctrl-C or SIGTERM.
pub async fn serve(
    store: dualtrace_lists::store::Store,
    config: ServerConfig,
) -> Result<(), ServerError> {
    check_bind(config.bind, config.keys.as_ref())?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServerError::Io {
            context: format!("binding {}", config.bind),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Io {
        context: "reading the bound address".to_string(),
        source,
    })?;
    tracing::info!(%addr, keys = config.keys.is_some(), "listening");
    eprintln!("dualtrace serving on http://{addr} (dashboard at /, API at /openapi.json)");
    let state = AppState::new(store, config.keys.clone(), config.limits);
    run(listener, state, &config, shutdown_signal()).await
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_slow_request_is_answered_with_the_timeout_code() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = dualtrace_lists::store::Store::open(dir.path()).expect("store");
        let limits = Limits {
            timeout: Duration::from_millis(50),
            ..Limits::default()
        };
        let state = AppState::new(store, None, limits);
        let app = Router::new()
            .route(
                "/slow",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .route("/fast", axum::routing::get(|| async { "ok" }))
            .route_layer(middleware::from_fn_with_state(state.clone(), time_limit))
            .with_state(state);
        let request = |path: &str| {
            axum::http::Request::builder()
                .uri(path)
                .body(axum::body::Body::empty())
                .expect("request")
        };
        let slow = app.clone().oneshot(request("/slow")).await.expect("slow");
        assert_eq!(slow.status(), axum::http::StatusCode::GATEWAY_TIMEOUT);
        let body = axum::body::to_bytes(slow.into_body(), 1024)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["error"]["code"], "timeout");
        let fast = app.oneshot(request("/fast")).await.expect("fast");
        assert_eq!(fast.status(), axum::http::StatusCode::OK);
    }

    #[test]
    fn a_public_address_needs_keys() {
        let public: SocketAddr = "0.0.0.0:8000".parse().expect("addr");
        let local: SocketAddr = "[::1]:8000".parse().expect("addr");
        assert!(matches!(
            check_bind(public, None),
            Err(ServerError::InsecureBind(_))
        ));
        assert!(check_bind(public, Some(&ApiKeys::default())).is_err());
        assert!(check_bind(public, Some(&ApiKeys::from_digests([auth::hash_key("k")]))).is_ok());
        assert!(check_bind(local, None).is_ok());
    }
}
