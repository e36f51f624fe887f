//! Request extractors that answer bad input with the API's JSON errors: a JSON body (size
//! limit, malformed JSON), a JSON-or-form body (OpenRefine), a raw body (a CSV of shipment
//! lines) and multi-valued query strings (`include_dataset=a&include_dataset=b`, as yente
//! takes them).

use crate::error::{ApiError, ErrorCode};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Reads the body within the configured limit (`DefaultBodyLimit`).
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                ErrorCode::BodyTooLarge,
                "the request body is larger than the server's limit",
            )
        } else {
            ApiError::new(
                ErrorCode::MalformedJson,
                "the request body could not be read",
            )
        }
    })
}

/// Parses JSON, naming the line and column of a syntax or shape error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            ErrorCode::MalformedJson,
            format!("the body is not the expected JSON: {e}"),
        )
    })
}

/// A JSON body (the content type is not checked: clients of yente often omit it).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// A raw body (a CSV file), within the configured size limit.
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        body_bytes(req, state).await.map(RawBody)
    }
}

/// A body as JSON or as `application/x-www-form-urlencoded` pairs (OpenRefine posts forms).
#[derive(Debug)]
pub enum JsonOrForm {
    /// A JSON body.
    Json(serde_json::Value),
    /// Form pairs.
    Form(Params),
}

impl<S: Send + Sync> FromRequest<S> for JsonOrForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let bytes = body_bytes(req, state).await?;
        if is_form {
            Ok(JsonOrForm::Form(Params::parse(&bytes)))
        } else if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(JsonOrForm::Form(Params::default()))
        } else {
            parse_json(&bytes).map(JsonOrForm::Json)
        }
    }
}

/// Query-string (or form) pairs, with repeated keys kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `a=1&b=2&b=3` (percent- and plus-decoded).
    pub fn parse(input: &[u8]) -> Params {
        Params {
            pairs: form_urlencoded::parse(input)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// The last value of a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The pairs of these keys only.
    pub fn only(&self, keys: &[&str]) -> Params {
        Params {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| keys.contains(&k.as_str()))
                .cloned()
                .collect(),
        }
    }

    /// These pairs with `key` set to `value` where it is missing or blank.
    pub fn with_default(mut self, key: &str, value: &str) -> Params {
        if self.get(key).is_none_or(|v| v.trim().is_empty()) {
            self.pairs.retain(|(k, _)| k != key);
            self.pairs.push((key.to_string(), value.to_string()));
        }
        self
    }

    /// The keys, in order (repeated keys repeated).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    /// Every value of a key (also comma-free `key[]` forms are not special).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A number parameter; a value that is not a number is an `invalid_query` error.
    pub fn number<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>, ApiError> {
        self.get(key)
            .map(|v| {
                v.trim().parse::<T>().map_err(|_| {
                    ApiError::new(
                        ErrorCode::InvalidQuery,
                        format!("parameter `{key}`: {v:?} is not a number"),
                    )
                })
            })
            .transpose()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Params::parse(
            parts.uri.query().unwrap_or_default().as_bytes(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_repeated_keys_and_decodes() {
        let p = Params::parse(b"q=Ivan+Petrov&include_dataset=a&include_dataset=b%5F1&limit=x");
        assert_eq!(p.get("q"), Some("Ivan Petrov"));
        assert_eq!(p.all("include_dataset"), ["a", "b_1"]);
        assert_eq!(
            p.number::<usize>("limit").map_err(|e| e.code),
            Err(ErrorCode::InvalidQuery)
        );
        assert_eq!(p.number::<usize>("missing").ok(), Some(None));
        let only = p
            .only(&["q", "limit"])
            .with_default("q", "x")
            .with_default("page", "2");
        assert_eq!(only.keys().collect::<Vec<_>>(), ["q", "limit", "page"]);
        assert_eq!(
            (only.get("q"), only.get("page")),
            (Some("Ivan Petrov"), Some("2"))
        );
        let blank = Params::parse(b"q=+&q=").with_default("q", "x");
        assert_eq!(blank.all("q"), ["x"]);
    }
}
