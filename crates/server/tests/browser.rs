//! The dashboard in headless Chromium: search a name, open the entity page, see the chart drawn,
//! no script errors, no request leaving the server, the XSS fixture shown as text, and the
//! Flows (synthetic trade data) and Risk pages with their charts drawn
//! (`tests/browser/dashboard.mjs` drives the clicks; `open_in_browser` checks single pages).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use dualtrace_testdata::{artefact_path, open_in_browser, run_browser_script};

/// Runs `tests/browser/dashboard.mjs`; `None` (skip) when the browser is absent and
/// `DUALTRACE_BROWSER_TESTS` is not set.
fn run_flow(base: &str, name: &str, xss_id: &str) -> Option<serde_json::Value> {
    let prefix = artefact_path("dashboard");
    run_browser_script(
        "dashboard.mjs",
        &[base, name, xss_id, &prefix.to_string_lossy()],
    )
}

#[test]
fn an_analyst_searches_opens_an_entity_and_sees_a_chart() {
    let (dir, store) = fixture_store();
    let trade = tempfile::tempdir().unwrap();
    let generated =
        dualtrace_flows::generate(trade.path(), 20_000, 7, dualtrace_flows::GenFormat::Baci)
            .unwrap();
    dualtrace_flows::ingest(dualtrace_flows::Format::Baci, &generated.files, dir.path()).unwrap();
    import_ftm(&store, "fixture_list", RISK_LIST);
    record_risk_run(&store, &shipments_fixture());
    let server = TestServer::start(store, test_config());
    let Some(seen) = run_flow(&server.base, "Radomir Kestrelov", "fx-xss") else {
        return;
    };
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["search_results"], 2, "{seen}");
    assert_eq!(seen["entity_title"], "Radomir Kestrelov");
    assert_eq!(seen["chart_rendered"], true);
    assert_eq!(
        seen["xss_heading"],
        "<script>document.title='XSS'</script> Zorvath Trading"
    );
    assert_eq!(
        seen["title_after_xss"],
        "<script>document.title='XSS'</script> Zorvath Trading · dualtrace"
    );
    assert_eq!(seen["flows_charts"], 2, "{seen}");
    assert_eq!(seen["surge_first"], "KG", "{seen}");
    assert_eq!(seen["risk_chart"], true, "{seen}");
    assert_eq!(seen["risk_lines"], 9, "{seen}");
}

#[test]
fn single_pages_load_without_script_errors() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let Some(list) = open_in_browser(
        &server.url("/ui/lists/fixture"),
        "dashboard-list.png",
        &["canvas#chart-versions[data-rendered=true]", "#versions tr"],
    ) else {
        return;
    };
    assert_eq!(list.errors, Vec::<String>::new());
    assert_eq!(list.count("canvas#chart-versions[data-rendered=true]"), 1);
    let search = open_in_browser(
        &server.url(
            "/ui/search?q=%3Cscript%3Edocument.title%3D%27XSS%27%3C%2Fscript%3E+Zorvath+Trading",
        ),
        "dashboard-xss-search.png",
        &["table.hits tr.hit", "span.caption script"],
    )
    .unwrap();
    assert_eq!(search.errors, Vec::<String>::new());
    assert_eq!(search.count("table.hits tr.hit"), 1);
    assert_eq!(search.count("span.caption script"), 0);
    assert_eq!(
        search.title,
        "Search: <script>document.title='XSS'</script> Zorvath Trading · dualtrace"
    );
}
