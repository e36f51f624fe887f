//! Test support: where the shared real data lives.
//!
//! The real official lists, evaluation sets and trade files are never copied into the
//! repository; tests read them in place. `DUALTRACE_SHARED_DATA` names the folder (CI sets it);
//! without it, `../shared/data` beside the workspace is used when present. The rule that keeps
//! CI honest: when the variable is set, a missing file fails the test instead of skipping it.

use std::path::PathBuf;

/// The environment variable naming the shared data folder.
pub const ENV: &str = "DUALTRACE_SHARED_DATA";

/// A file of the shared data folder, or `None` (with a message) to skip a test when the
/// variable is not set and the folder is absent.
///
/// # Panics
/// When `DUALTRACE_SHARED_DATA` is set and the file does not exist: the test must fail.
pub fn shared_file(rel: &str) -> Option<PathBuf> {
    match std::env::var_os(ENV) {
        Some(dir) => {
            let path = PathBuf::from(dir).join(rel);
            assert!(
                path.exists(),
                "{ENV} is set but {} is missing",
                path.display()
            );
            Some(path)
        }
        None => {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data")
                .join(rel);
            if path.exists() {
                Some(path)
            } else {
                eprintln!("skipped: {} not found and {ENV} not set", path.display());
                None
            }
        }
    }
}

/// The environment variable that turns browser tests from "skip when absent" into "must run".
pub const BROWSER_ENV: &str = "DUALTRACE_BROWSER_TESTS";

/// What headless Chromium saw on a page: the raw JSON summary of `tests/browser/open.mjs`
/// (`{"url","title","errors":[...],"selectors":{css: count},"screenshot"}`).
#[derive(Debug, Clone)]
pub struct BrowserPage {
    /// The page title.
    pub title: String,
    /// Uncaught page errors, console errors and failed requests, in order.
    pub errors: Vec<String>,
    /// How many elements each requested CSS selector matched.
    pub counts: Vec<(String, u64)>,
    /// Where the full-page screenshot was written.
    pub screenshot: PathBuf,
}

impl BrowserPage {
    /// How many elements the selector matched (0 when it was not asked for).
    pub fn count(&self, selector: &str) -> u64 {
        self.counts
            .iter()
            .find(|(s, _)| s == selector)
            .map_or(0, |(_, n)| *n)
    }
}

/// Where a test's screenshots go: `DUALTRACE_ARTEFACTS` (CI keeps that folder) or the temp dir.
pub fn artefact_path(name: &str) -> PathBuf {
    let dir = std::env::var_os("DUALTRACE_ARTEFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("dualtrace-artefacts"));
    let _ = std::fs::create_dir_all(&dir);
    dir.join(name)
}

/// Opens `url` in headless Chromium via `tests/browser/open.mjs`, counts the given selectors and
/// saves a screenshot to [`artefact_path`]`(screenshot)`. Returns `None` (skip) when node,
/// chromium or the installed `playwright-core` are absent and `DUALTRACE_BROWSER_TESTS` is not set.
///
/// # Panics
/// When the browser cannot run while `DUALTRACE_BROWSER_TESTS` is set, or its output is not the
/// expected JSON: the test must fail.
pub fn open_in_browser(url: &str, screenshot: &str, selectors: &[&str]) -> Option<BrowserPage> {
    let shot = artefact_path(screenshot);
    let shot_arg = shot.to_string_lossy().into_owned();
    let mut args = vec![url, shot_arg.as_str()];
    args.extend_from_slice(selectors);
    run_browser_script("open.mjs", &args).map(|value| page_of(&value, shot))
}

/// Runs a script of `tests/browser` (e.g. `open.mjs`) with node and returns the JSON object it
/// prints as its last line. `None` (skip) when node, chromium or `playwright-core` are absent
/// and `DUALTRACE_BROWSER_TESTS` is not set.
///
/// # Panics
/// When the browser cannot run while `DUALTRACE_BROWSER_TESTS` is set, when the script fails, or
/// when its last line is not JSON: the test must fail.
pub fn run_browser_script(script: &str, args: &[&str]) -> Option<serde_json::Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let required = std::env::var_os(BROWSER_ENV).is_some();
    let ready = dir.join("node_modules/playwright-core").exists()
        && std::path::Path::new("/usr/bin/chromium").exists();
    if !ready {
        assert!(
            !required,
            "{BROWSER_ENV} is set but chromium or tests/browser/node_modules is missing"
        );
        eprintln!("skipped: browser test needs chromium and `npm ci` in tests/browser");
        return None;
    }
    let out = match std::process::Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .output()
    {
        Ok(out) => out,
        Err(err) => {
            assert!(!required, "{BROWSER_ENV} is set but node cannot run: {err}");
            eprintln!("skipped: node cannot run: {err}");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "browser run of {script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    Some(
        serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("bad browser output of {script}: {line:?}: {e}")),
    )
}

/// The page summary printed by `open.mjs`.
fn page_of(value: &serde_json::Value, screenshot: PathBuf) -> BrowserPage {
    let errors = value["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let counts = value["selectors"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    BrowserPage {
        title: value["title"].as_str().unwrap_or_default().to_owned(),
        errors,
        counts,
        screenshot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_open_sees_script_errors() {
        let dir = tempfile_dir();
        let page = dir.join("page.html");
        std::fs::write(
            &page,
            "<html><head><title>T</title></head><body><table></table>\
             <script>throw new Error('boom')</script></body></html>",
        )
        .expect("write page");
        let Some(seen) = open_in_browser(
            &format!("file://{}", page.display()),
            "testdata-selftest.png",
            &["table", "canvas"],
        ) else {
            return;
        };
        assert_eq!(seen.title, "T");
        assert_eq!(seen.count("table"), 1);
        assert_eq!(seen.count("canvas"), 0);
        assert!(
            seen.errors.iter().any(|e| e.contains("boom")),
            "{:?}",
            seen.errors
        );
        assert!(seen.screenshot.exists());
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dualtrace-testdata-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
