//! Prometheus metrics: requests by route and status, a latency histogram by route, and gauges
//! for the loaded index and list versions, rendered in the text exposition format.
//!
//! Routes are labelled by their *pattern* (`/match/{dataset}`), never by the raw path, so
//! labels stay few and carry no query data.

use crate::engine::EngineCell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A latency histogram.
#[derive(Debug, Clone, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request counters and latency histograms.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

impl Metrics {
    /// Records one request.
    pub fn record(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *inner
            .requests
            .entry((method.to_string(), route.to_string(), status))
            .or_insert(0) += 1;
        let h = inner.latency.entry(route.to_string()).or_default();
        let secs = elapsed.as_secs_f64();
        for (slot, bound) in h.counts.iter_mut().zip(BUCKETS) {
            if secs <= bound {
                *slot += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// The exposition text, with the engine's gauges.
    pub fn render(&self, engine: &EngineCell) -> String {
        let mut out = String::new();
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        out.push_str(
            "# HELP dualtrace_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE dualtrace_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "dualtrace_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(method),
                label(route)
            );
        }
        out.push_str("# HELP dualtrace_http_request_duration_seconds Request latency by route.\n");
        out.push_str("# TYPE dualtrace_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.latency {
            let route = label(route);
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "dualtrace_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "dualtrace_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "dualtrace_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "dualtrace_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        drop(inner);
        let snapshot = engine.snapshot();
        out.push_str("# HELP dualtrace_index_entities Entities in the screening index.\n");
        out.push_str("# TYPE dualtrace_index_entities gauge\n");
        let _ = writeln!(out, "dualtrace_index_entities {}", snapshot.index.len());
        out.push_str("# HELP dualtrace_list_version Current version of each loaded list.\n");
        out.push_str("# TYPE dualtrace_list_version gauge\n");
        for l in &snapshot.lists {
            let _ = writeln!(
                out,
                "dualtrace_list_version{{list=\"{}\"}} {}",
                label(&l.name),
                l.version
            );
        }
        out.push_str(
            "# HELP dualtrace_list_entities Entities in the loaded version of each list.\n",
        );
        out.push_str("# TYPE dualtrace_list_entities gauge\n");
        for l in &snapshot.lists {
            let _ = writeln!(
                out,
                "dualtrace_list_entities{{list=\"{}\"}} {}",
                label(&l.name),
                l.entities
            );
        }
        out.push_str("# HELP dualtrace_engine_reloads_total Engines built and swapped in.\n");
        out.push_str("# TYPE dualtrace_engine_reloads_total counter\n");
        let _ = writeln!(out, "dualtrace_engine_reloads_total {}", engine.reloads());
        out.push_str("# HELP dualtrace_engine_reload_failures_total Reloads that failed (the old engine stayed).\n");
        out.push_str("# TYPE dualtrace_engine_reload_failures_total counter\n");
        let _ = writeln!(
            out,
            "dualtrace_engine_reload_failures_total {}",
            engine.failures()
        );
        out.push_str("# HELP dualtrace_ready Whether the lists are loaded.\n");
        out.push_str("# TYPE dualtrace_ready gauge\n");
        let _ = writeln!(out, "dualtrace_ready {}", u8::from(engine.is_ready()));
        out
    }
}

/// Escapes a label value (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_requests_and_fills_cumulative_buckets() {
        let m = Metrics::default();
        m.record("POST", "/match/{dataset}", 200, Duration::from_millis(3));
        m.record("POST", "/match/{dataset}", 200, Duration::from_millis(30));
        m.record("POST", "/match/{dataset}", 422, Duration::from_micros(200));
        let text = m.render(&EngineCell::default());
        assert!(text.contains(
            "dualtrace_http_requests_total{method=\"POST\",route=\"/match/{dataset}\",status=\"200\"} 2"
        ));
        assert!(text.contains("route=\"/match/{dataset}\",le=\"0.005\"} 2"));
        assert!(text.contains("route=\"/match/{dataset}\",le=\"0.05\"} 3"));
        assert!(text.contains(
            "dualtrace_http_request_duration_seconds_count{route=\"/match/{dataset}\"} 3"
        ));
        assert!(text.contains("dualtrace_ready 0"));
    }
}
