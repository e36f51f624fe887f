//! `lists update`: fetch each configured list from its publisher and import it.
//!
//! A download goes through the very same parse-then-commit path as a local import, so a
//! truncated file, an HTTP error or a parse failure leaves the current version untouched and
//! the error says which list, which URL and what happened. Each list is independent: one
//! publisher being down does not stop the others. Downloads have a timeout, a size cap and
//! a bounded number of retries with exponential back-off (only for errors that can pass:
//! transport failures and 5xx answers).
//!
//! The configuration is TOML (`config/lists.toml` in the repository has the official URLs):
//!
//! ```toml
//! [defaults]
//! timeout_secs = 120
//! retries = 3
//! max_bytes = 536870912
//!
//! [[lists]]
//! name = "un_sc"
//! format = "un-xml"
//! urls = ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"]
//! ```

use crate::error::ParseError;
use crate::formats::Format;
use crate::source::Input;
use crate::store::{Commit, SourceFile, Store, StoreError};
use serde::Deserialize;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// Download settings that apply to every list unless it overrides them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Whole-request timeout in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Retries after the first attempt.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Size cap per file in bytes.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// First back-off delay in milliseconds (doubles with every retry).
    #[serde(default = "default_backoff")]
    pub backoff_ms: u64,
}

fn default_timeout() -> u64 {
    120
}
fn default_retries() -> u32 {
    3
}
fn default_max_bytes() -> u64 {
    512 << 20
}
fn default_backoff() -> u64 {
    1000
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            timeout_secs: default_timeout(),
            retries: default_retries(),
            max_bytes: default_max_bytes(),
            backoff_ms: default_backoff(),
        }
    }
}

/// One list to fetch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSource {
    /// The store's list name.
    pub name: String,
    /// The format name (as for `lists import`).
    pub format: String,
    /// The files of the list: `http(s)://` URLs or `file://` paths.
    pub urls: Vec<String>,
    /// Whether to skip this list (e.g. a URL that needs a personal token).
    #[serde(default)]
    pub disabled: bool,
}

/// The update configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateConfig {
    /// Download settings.
    #[serde(default)]
    pub defaults: Defaults,
    /// The lists.
    pub lists: Vec<ListSource>,
}

/// Why updating one list failed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// The configuration file is unreadable or invalid.
    #[error("{path}: invalid update configuration: {message}")]
    Config {
        /// The config file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be downloaded.
    #[error("list {list}: download of {url} failed after {attempts} attempt(s): {message}")]
    Download {
        /// The list.
        list: String,
        /// The URL.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// The last error.
        message: String,
    },
    /// A downloaded file did not parse.
    #[error("list {list}: {source}")]
    Parse {
        /// The list.
        list: String,
        /// The parse error (file, line, field).
        source: Box<ParseError>,
    },
    /// The store refused or failed to commit the new version.
    #[error("list {list}: {source}")]
    Store {
        /// The list.
        list: String,
        /// The store error.
        source: StoreError,
    },
}

impl UpdateConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<UpdateConfig, UpdateError> {
        let err = |message: String| UpdateError::Config {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let cfg: UpdateConfig = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
        for l in &cfg.lists {
            l.format
                .parse::<Format>()
                .map_err(|e| err(format!("list {}: {e}", l.name)))?;
            if l.urls.is_empty() {
                return Err(err(format!("list {} has no urls", l.name)));
            }
        }
        Ok(cfg)
    }
}

/// The file name a URL points to (last path segment, query dropped).
fn url_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// A fetch failure and whether trying again can help.
struct FetchError {
    message: String,
    transient: bool,
}

fn fetch_once(agent: &ureq::Agent, url: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
    if let Some(path) = url.strip_prefix("file://") {
        let f = std::fs::File::open(path).map_err(|e| FetchError {
            message: e.to_string(),
            transient: false,
        })?;
        let mut data = Vec::new();
        f.take(max_bytes + 1)
            .read_to_end(&mut data)
            .map_err(|e| FetchError {
                message: e.to_string(),
                transient: false,
            })?;
        if data.len() as u64 > max_bytes {
            return Err(FetchError {
                message: format!("larger than the cap of {max_bytes} bytes"),
                transient: false,
            });
        }
        return Ok(data);
    }
    let mut resp = agent.get(url).call().map_err(|e| {
        let transient = match &e {
            ureq::Error::StatusCode(code) => *code >= 500 || *code == 429,
            ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed => true,
            _ => false,
        };
        let message = match &e {
            ureq::Error::StatusCode(code) => format!("HTTP status {code}"),
            other => other.to_string(),
        };
        FetchError { message, transient }
    })?;
    resp.body_mut()
        .with_config()
        .limit(max_bytes)
        .read_to_vec()
        .map_err(|e| FetchError {
            transient: !matches!(e, ureq::Error::BodyExceedsLimit(_)),
            message: format!("reading the body: {e}"),
        })
}

fn fetch(
    agent: &ureq::Agent,
    list: &str,
    url: &str,
    defaults: &Defaults,
) -> Result<Vec<u8>, UpdateError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match fetch_once(agent, url, defaults.max_bytes) {
            Ok(data) => return Ok(data),
            Err(e) if e.transient && attempt <= defaults.retries => {
                let delay = defaults
                    .backoff_ms
                    .saturating_mul(1 << (attempt - 1).min(10));
                tracing::warn!(list, url, attempt, error = %e.message, "retrying download");
                std::thread::sleep(Duration::from_millis(delay));
            }
            Err(e) => {
                return Err(UpdateError::Download {
                    list: list.to_string(),
                    url: url.to_string(),
                    attempts: attempt,
                    message: e.message,
                });
            }
        }
    }
}

/// Downloads, parses and commits one list. Nothing is stored unless every file downloaded
/// and parsed and the store accepted the new version.
pub fn update_list(
    store: &Store,
    source: &ListSource,
    defaults: &Defaults,
    force: bool,
) -> Result<Commit, UpdateError> {
    let list = source.name.as_str();
    let format: Format = source.format.parse().map_err(|e| UpdateError::Config {
        path: "-".into(),
        message: format!("list {list}: {e}"),
    })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(defaults.timeout_secs)))
        .build()
        .into();
    let mut inputs = Vec::new();
    let mut sources = Vec::new();
    for url in &source.urls {
        let data = fetch(&agent, list, url, defaults)?;
        sources.push(SourceFile::from_bytes(url.clone(), &data));
        let input =
            Input::from_bytes(url_file_name(url), data).map_err(|e| UpdateError::Parse {
                list: list.to_string(),
                source: Box::new(e),
            })?;
        inputs.push(input);
    }
    let parsed = format
        .parse(&inputs, list)
        .map_err(|e| UpdateError::Parse {
            list: list.to_string(),
            source: Box::new(e),
        })?;
    store
        .commit(list, format.as_str(), &parsed, sources, force)
        .map_err(|e| UpdateError::Store {
            list: list.to_string(),
            source: e,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_urls() {
        assert_eq!(url_file_name("https://x.org/a/sdn.csv"), "sdn.csv");
        assert_eq!(url_file_name("https://x.org/a/ADD.CSV?x=1"), "ADD.CSV");
        assert_eq!(url_file_name("https://x.org/dl/"), "dl");
    }

    #[test]
    fn config_is_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[[lists]]\nname='x'\nformat='nope'\nurls=['file:///x']\n",
        )
        .expect("write");
        let err = UpdateConfig::load(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("unknown list format"), "{err}");
        std::fs::write(&path, "[[lists]]\nname='x'\nformat='un-xml'\nurls=[]\n").expect("write");
        assert!(UpdateConfig::load(&path).is_err());
    }
}
