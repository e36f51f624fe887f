//! Errors: the server's startup errors and the API's JSON error bodies.
//!
//! Every error a client sees is `{"error": {"code", "message"}, "detail"}` with a stable,
//! machine-readable `code` (listed in [`ErrorCode`]) and a message written for the client: no
//! file path, no stack trace, no internal type name. `detail` repeats the message because that
//! is where yente clients look for it. Internal failures are logged with their cause (never a
//! secret) and answered with the generic `internal` code.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The stable error codes of the API, with their HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// 400: the body is not valid JSON or not the documented shape.
    MalformedJson,
    /// 400: a parameter or query value is not acceptable (unknown schema, bad date, ...).
    InvalidQuery,
    /// 400: a shipments CSV has a bad header, record or value (the message names line and field).
    InvalidShipments,
    /// 401: no API key was given but one is required.
    MissingApiKey,
    /// 401: the API key is not one of the configured keys.
    InvalidApiKey,
    /// 404: no such dataset (list name or `default`).
    UnknownDataset,
    /// 404: no such entity.
    UnknownEntity,
    /// 404: no such list or list version.
    UnknownList,
    /// 404: no such route.
    NotFound,
    /// 404: no such trade flows report.
    UnknownReport,
    /// 404: no trade flows dataset in the data directory (`dualtrace flows ingest` creates it).
    NoDataset,
    /// 404: no risk run recorded in the data directory (`dualtrace risk` records one).
    NoRiskRun,
    /// 405: the route exists but not with this method.
    MethodNotAllowed,
    /// 413: the request body is larger than the configured limit.
    BodyTooLarge,
    /// 415: the body's content type is not JSON (or form, where a form is accepted).
    UnsupportedMediaType,
    /// 422: more queries in one batch than the configured limit.
    BatchTooLarge,
    /// 501: the feature is not part of this build (see `GET /api/v1`).
    NotAvailable,
    /// 503: the lists are not loaded yet.
    NotReady,
    /// 504: the request took longer than the configured timeout.
    Timeout,
    /// 500: an internal failure (logged on the server, not described to the client).
    Internal,
}

impl ErrorCode {
    /// The code as it appears in error bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::InvalidShipments => "invalid_shipments",
            ErrorCode::MissingApiKey => "missing_api_key",
            ErrorCode::InvalidApiKey => "invalid_api_key",
            ErrorCode::UnknownDataset => "unknown_dataset",
            ErrorCode::UnknownEntity => "unknown_entity",
            ErrorCode::UnknownList => "unknown_list",
            ErrorCode::NotFound => "not_found",
            ErrorCode::UnknownReport => "unknown_report",
            ErrorCode::NoDataset => "no_dataset",
            ErrorCode::NoRiskRun => "no_risk_run",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::BodyTooLarge => "body_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::BatchTooLarge => "batch_too_large",
            ErrorCode::NotAvailable => "not_available",
            ErrorCode::NotReady => "not_ready",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status the code is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::MalformedJson | ErrorCode::InvalidQuery | ErrorCode::InvalidShipments => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::MissingApiKey | ErrorCode::InvalidApiKey => StatusCode::UNAUTHORIZED,
            ErrorCode::UnknownDataset
            | ErrorCode::UnknownEntity
            | ErrorCode::UnknownList
            | ErrorCode::NotFound
            | ErrorCode::UnknownReport
            | ErrorCode::NoDataset
            | ErrorCode::NoRiskRun => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::BatchTooLarge => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotAvailable => StatusCode::NOT_IMPLEMENTED,
            ErrorCode::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct ApiError {
    /// The stable code.
    pub code: ErrorCode,
    /// What went wrong, for the client.
    pub message: String,
}

impl ApiError {
    /// An error with a code and a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// An internal failure: the cause is logged, the client sees only the generic code.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        ApiError::new(ErrorCode::Internal, "internal error")
    }
}

/// The JSON error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
    /// The message again, where yente clients read it.
    pub detail: String,
}

/// The `error` member of an error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code (`malformed_json`, `body_too_large`, ...).
    pub code: String,
    /// A human-readable message.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message.clone(),
            },
            detail: self.message,
        };
        (self.code.status(), Json(body)).into_response()
    }
}

/// A failure to start or run the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The bind address is not on loopback and no API keys are configured.
    #[error(
        "refusing to listen on {0} without API keys: a non-loopback address needs --api-key-file"
    )]
    InsecureBind(std::net::SocketAddr),
    /// The API key file cannot be read or has a bad line.
    #[error("{path}: line {line}: {message}")]
    KeyFile {
        /// The key file.
        path: std::path::PathBuf,
        /// The 1-based line (0 when the file cannot be read).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The lists cannot be loaded from the store.
    #[error("loading the lists: {0}")]
    Store(#[from] dualtrace_lists::store::StoreError),
    /// A socket or runtime error.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
