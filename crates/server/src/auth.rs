//! API keys: optional, hashed at rest, checked on every request but the health probes.
//!
//! The key file holds one SHA-256 hex digest per line (`printf %s "$KEY" | sha256sum`), `#`
//! comments and blank lines allowed; the keys themselves are never stored or logged. A client
//! sends `Authorization: Bearer KEY` or `Authorization: ApiKey KEY` (yente's form); the server
//! hashes what it receives and looks the digest up.

use crate::error::{ApiError, ErrorCode, ServerError};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;

/// The SHA-256 hex digest of a key, as the key file stores it.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The configured keys, as digests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiKeys {
    digests: HashSet<String>,
}

impl ApiKeys {
    /// Keys from their digests (lower-case hex).
    pub fn from_digests(digests: impl IntoIterator<Item = String>) -> ApiKeys {
        ApiKeys {
            digests: digests
                .into_iter()
                .map(|d| d.to_ascii_lowercase())
                .collect(),
        }
    }

    /// Reads a key file; a line that is not a 64-digit hex digest is an error naming it.
    pub fn load(path: &Path) -> Result<ApiKeys, ServerError> {
        let text = std::fs::read_to_string(path).map_err(|e| ServerError::KeyFile {
            path: path.to_path_buf(),
            line: 0,
            message: e.to_string(),
        })?;
        let keys = ApiKeys::parse(&text).map_err(|(line, message)| ServerError::KeyFile {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        if keys.is_empty() {
            return Err(ServerError::KeyFile {
                path: path.to_path_buf(),
                line: 0,
                message: "no key digests in the file".to_string(),
            });
        }
        Ok(keys)
    }

    /// Parses key file text; the error is `(1-based line, message)`.
    pub fn parse(text: &str) -> Result<ApiKeys, (usize, String)> {
        let mut digests = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // `sha256sum` output ends with "  -": take the first field.
            let digest = line.split_whitespace().next().unwrap_or_default();
            if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err((
                    i + 1,
                    "expected a SHA-256 hex digest (64 hex digits) of a key, not a key".to_string(),
                ));
            }
            digests.push(digest.to_string());
        }
        Ok(ApiKeys::from_digests(digests))
    }

    /// Whether no key is configured.
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Checks an `Authorization` header value.
    pub fn check(&self, authorization: Option<&str>) -> Result<(), ApiError> {
        let Some(value) = authorization else {
            return Err(ApiError::new(
                ErrorCode::MissingApiKey,
                "an API key is required: send `Authorization: Bearer KEY` or `Authorization: ApiKey KEY`",
            ));
        };
        let key = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("ApiKey "))
            .map(str::trim)
            .unwrap_or_default();
        if !key.is_empty() && self.digests.contains(&hash_key(key)) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::InvalidApiKey,
                "the API key is not valid",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_bearer_and_apikey_forms_of_a_configured_key_only() {
        let text = format!("# analysts\n\n{}  -\n", hash_key("s3cret-key"));
        let keys = ApiKeys::parse(&text).expect("parse");
        assert!(keys.check(Some("Bearer s3cret-key")).is_ok());
        assert!(keys.check(Some("ApiKey s3cret-key")).is_ok());
        assert_eq!(
            keys.check(Some("Bearer wrong")).map_err(|e| e.code),
            Err(ErrorCode::InvalidApiKey)
        );
        assert_eq!(
            keys.check(Some("s3cret-key")).map_err(|e| e.code),
            Err(ErrorCode::InvalidApiKey)
        );
        assert_eq!(
            keys.check(None).map_err(|e| e.code),
            Err(ErrorCode::MissingApiKey)
        );
    }

    #[test]
    fn a_plain_key_in_the_file_is_refused_with_its_line() {
        let err = ApiKeys::parse("# ok\nmy-plain-key\n").expect_err("plain key");
        assert_eq!(err.0, 2);
    }
}
