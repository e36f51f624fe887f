//! The server over loopback: every endpoint, the yente `/match` round trip with the FtM
//! samples, filters, bad requests (each with its documented code, the server serving on), API
//! keys, hot reload under load, and the OpenAPI snapshot.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use dualtrace_server::ServerConfig;
use dualtrace_server::auth::{ApiKeys, hash_key};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn ids(response: &Value) -> Vec<String> {
    response["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The XSS fixture's name, as listed.
const XSS_NAME: &str = "<script>document.title='XSS'</script> Zorvath Trading";

fn person_query(name: &str) -> Value {
    json!({"queries": {"q1": {"schema": "Person", "properties": {"name": [name], "birthDate": ["1961-05-07"], "nationality": ["ru"]}}}})
}

#[test]
fn every_endpoint_answers() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let ok = |path: &str| {
        let (status, body) = get(&server.url(path));
        assert_eq!(status, 200, "{path}: {body}");
        body
    };
    assert_eq!(json(&ok("/healthz"))["status"], "ok");
    let ready = json(&ok("/readyz"));
    assert_eq!(
        (ready["lists"].as_u64(), ready["entities"].as_u64()),
        (Some(2), Some(5))
    );

    let catalog = json(&ok("/catalog"));
    let names: Vec<&str> = catalog["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["fixture", "second", "default"]);
    assert_eq!(
        catalog["datasets"][2]["children"],
        json!(["fixture", "second"])
    );
    assert_eq!(catalog["index_stale"], false);
    assert_eq!(json(&ok("/algorithms"))["default"], "dualtrace-v1");

    // /match: the yente shape.
    let (status, body) = post_json(
        &server.url("/match/default"),
        &person_query("Radomir Kestrelov").to_string(),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let m = json(&body);
    let r = &m["responses"]["q1"];
    assert_eq!(r["status"], 200);
    assert_eq!(r["total"], json!({"value": 2, "relation": "eq"}));
    assert_eq!(ids(r), ["fx-person", "sx-person"]);
    let top = &r["results"][0];
    assert_eq!(top["match"], true);
    assert_eq!(top["schema"], "Person");
    assert_eq!(top["caption"], "Radomir Kestrelov");
    assert_eq!(top["datasets"], json!(["fixture"]));
    assert_eq!(
        (top["list"].as_str(), top["list_version"].as_str()),
        (Some("fixture"), Some("1"))
    );
    assert!(top["score"].as_f64().unwrap() >= 0.9, "{top}");
    assert!(top["explanations"]["name"]["detail"].is_string(), "{top}");
    assert!(top["features"]["name"].is_number(), "{top}");
    assert!(top["last_seen"].is_string() && top["first_seen"].is_string());
    assert_eq!(
        r["query"]["properties"]["name"],
        json!(["Radomir Kestrelov"])
    );
    assert_eq!(m["limit"], 5);
    assert_eq!(m["matcher"]["name"], "dualtrace-v1");

    let search = json(&ok(&format!(
        "/search/default?q={}",
        dualtrace_server::html::url_part(XSS_NAME)
    )));
    assert_eq!(ids(&search), ["fx-xss"]);
    assert_eq!(search["total"]["value"], 1);
    let browse = json(&ok("/search/second?limit=1"));
    assert_eq!(
        (browse["total"]["value"].as_u64(), ids(&browse).len()),
        (Some(2), 1)
    );

    let entity = json(&ok("/entities/fx-person"));
    assert_eq!(entity["properties"]["passportNumber"], json!(["FX1234567"]));
    assert_eq!(
        entity["properties"]["program"],
        json!(["FICTIONAL-PROGRAM-1"])
    );

    // OpenRefine reconciliation: manifest, GET queries, form POST, JSON POST.
    let manifest = json(&ok("/reconcile/default"));
    assert_eq!(manifest["versions"], json!(["0.2"]));
    assert!(
        manifest["view"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/ui/entities/{{id}}")
    );
    let queries = r#"{"q0": {"query": "Northern Quillfish", "type": "Vessel"}, "q1": {"query": "Radomir Kestrelov", "type": "Person", "properties": [{"pid": "birthDate", "v": "1961-05-07"}], "limit": 1}}"#;
    let by_get = json(&ok(&format!(
        "/reconcile/fixture?queries={}",
        dualtrace_server::html::url_part(queries)
    )));
    assert_eq!(by_get["q0"]["result"][0]["id"], "fx-vessel");
    assert_eq!(by_get["q0"]["result"][0]["type"][0]["id"], "Vessel");
    let (status, body) = post_form(&server.url("/reconcile/fixture"), &[("queries", queries)]);
    assert_eq!(status, 200, "{body}");
    let by_form = json(&body);
    assert_eq!(by_form, by_get);
    assert_eq!(by_form["q1"]["result"].as_array().unwrap().len(), 1);
    assert!(by_form["q1"]["result"][0]["score"].as_f64().unwrap() > 90.0);
    let (status, body) = post_json(
        &server.url("/reconcile/fixture"),
        &format!(r#"{{"queries": {queries}}}"#),
        None,
    );
    assert_eq!((status, json(&body)), (200, by_get.clone()));

    // dualtrace's own API.
    let index = json(&ok("/api/v1"));
    let features: Vec<(&str, bool)> = index["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap(),
                f["available"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        features,
        [
            ("goods", true),
            ("lists", true),
            ("flows", true),
            ("risk", true)
        ]
    );
    let lookup = json(&ok("/api/v1/goods/lookup?code=8542.31.0015"));
    assert_eq!(
        (lookup["hs6"].as_str(), lookup["chpl_tier"].as_str()),
        (Some("854231"), Some("1"))
    );
    let (status, body) = post_json(
        &server.url("/api/v1/goods/classify"),
        r#"{"lines": [{"hs_code": "8473.30", "description": "Микроконтроллер STM32F103C8T6"}, {"hs_code": "not a code"}]}"#,
        None,
    );
    assert_eq!(status, 200, "{body}");
    let classified = json(&body);
    assert_eq!(
        classified["results"][0]["misdeclaration"]["suggested_hs6"],
        "854231"
    );
    assert!(classified["results"][1]["error"].is_string());
    let lists = json(&ok("/api/v1/lists"));
    assert_eq!(lists["lists"][0]["loaded"]["name"], "fixture");
    assert_eq!(lists["lists"][0]["versions"], json!([1]));
    assert_error(
        get(&server.url("/api/v1/lists/fixture/diff")),
        404,
        "unknown_list",
    );
    common::import_ftm(
        &server.state.store,
        "fixture",
        &FIXTURE.replace("Northern Quillfish", "Northern Quillfish II"),
    );
    let diff = json(&ok("/api/v1/lists/fixture/diff"));
    assert_eq!(
        (diff["from"].as_u64(), diff["to"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(diff["changed"][0]["id"], "fx-vessel");

    let (status, body) = post_json(&server.url("/admin/reload"), "", None);
    assert_eq!(status, 200, "{body}");
    let reloaded = json(&body);
    assert_eq!(reloaded["lists"][0]["version"], 2);

    let metrics = ok("/metrics");
    assert!(metrics.contains("dualtrace_http_requests_total{method=\"POST\",route=\"/match/{dataset}\",status=\"200\"} 1"), "{metrics}");
    assert!(metrics.contains(
        "dualtrace_http_request_duration_seconds_bucket{route=\"/match/{dataset}\",le=\"+Inf\"} 1"
    ));
    assert!(metrics.contains("dualtrace_index_entities 5"));
    assert!(metrics.contains("dualtrace_list_version{list=\"fixture\"} 2"));

    let doc = json(&ok("/openapi.json"));
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/match/{dataset}"]["post"].is_object());

    // Dashboard pages and assets.
    for path in [
        "/",
        "/ui/search?q=Radomir",
        "/ui/entities/fx-person",
        "/ui/lists/fixture",
        "/ui/goods?code=854231",
        "/ui/flows",
        "/ui/risk",
        "/assets/chart.umd.min.js",
        "/assets/dashboard.js",
        "/assets/dashboard.css",
    ] {
        ok(path);
    }
    let (status, _) = get(&server.url("/ui/entities/no-such-id"));
    assert_eq!(status, 404);
}

#[test]
fn request_ids_are_generated_or_echoed() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let generated = agent.get(&server.url("/healthz")).call().unwrap();
    assert!(generated.headers().get("x-request-id").is_some());
    let echoed = agent
        .get(&server.url("/healthz"))
        .header("x-request-id", "case-42")
        .call()
        .unwrap();
    assert_eq!(echoed.headers().get("x-request-id").unwrap(), "case-42");
}

#[test]
fn the_dashboard_renders_listed_script_tags_as_text() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let search = format!(
        "/ui/search?q={}",
        dualtrace_server::html::url_part(XSS_NAME)
    );
    for path in [search.as_str(), "/ui/entities/fx-xss"] {
        let (status, html) = get(&server.url(path));
        assert_eq!(status, 200);
        assert!(
            html.contains(
                "&lt;script&gt;document.title=&#x27;XSS&#x27;&lt;/script&gt; Zorvath Trading"
            ),
            "{path}: {html}"
        );
        assert!(!html.contains("<script>document.title"), "{path}");
    }
    let (_, search) = get(&server.url("/ui/search?q=%3Cscript%3Ealert(1)%3C/script%3E"));
    assert!(!search.contains("<script>alert(1)"));
    assert!(search.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
}

#[test]
fn match_filters_select_lists_entities_and_dates() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let body = person_query("Radomir Kestrelov").to_string();
    let results = |path: &str| {
        let (status, text) = post_json(&server.url(path), &body, None);
        assert_eq!(status, 200, "{path}: {text}");
        ids(&json(&text)["responses"]["q1"])
    };
    assert_eq!(results("/match/second"), ["sx-person"]);
    assert_eq!(
        results("/match/default?include_dataset=second"),
        ["sx-person"]
    );
    assert_eq!(
        results("/match/default?exclude_dataset=second"),
        ["fx-person"]
    );
    assert_eq!(
        results("/match/default?exclude_entity_ids=fx-person"),
        ["sx-person"]
    );
    assert_eq!(
        results("/match/default?exclude_schema=Person"),
        Vec::<String>::new()
    );
    assert_eq!(
        results("/match/default?changed_since=2000-01-01"),
        ["fx-person", "sx-person"]
    );
    assert_eq!(
        results("/match/default?changed_since=2999-01-01T00:00:00"),
        Vec::<String>::new()
    );
    assert_eq!(results("/match/default?limit=1"), ["fx-person"]);
    // Options in the body, as a convenience.
    let in_body = json!({"queries": person_query("Radomir Kestrelov")["queries"], "include_dataset": ["second"]});
    let (_, text) = post_json(&server.url("/match/default"), &in_body.to_string(), None);
    assert_eq!(ids(&json(&text)["responses"]["q1"]), ["sx-person"]);
    // A high threshold keeps results above the cutoff but not as matches.
    let (_, text) = post_json(
        &server.url("/match/default?threshold=0.99&cutoff=0.5"),
        &person_query("Radomir Kestrelova").to_string(),
        None,
    );
    let r = json(&text);
    assert!(
        r["responses"]["q1"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["match"] == false)
    );
}

/// Sends a request with a body of `len` bytes over a raw socket (the client keeps writing even
/// if the server answers early) and returns the status and body of the answer.
fn raw_post(server: &TestServer, path: &str, len: usize) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < len {
        let n = chunk.len().min(len - sent);
        if stream.write_all(&chunk[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

#[test]
fn bad_requests_get_their_documented_codes_and_the_server_serves_on() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store, test_config());
    let still_serving = || {
        let (status, body) = post_json(
            &server.url("/match/default"),
            &match_body(&["Radomir Kestrelov"]),
            None,
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            json(&body)["responses"]["q0"]["results"][0]["id"],
            "fx-person"
        );
    };
    assert_error(
        post_json(&server.url("/match/default"), "{\"queries\": {", None),
        400,
        "malformed_json",
    );
    still_serving();
    assert_error(
        post_json(
            &server.url("/match/default"),
            "{\"queries\": {\"q\": {\"properties\": {}}}}",
            None,
        ),
        400,
        "malformed_json",
    );
    let (status, body) = raw_post(&server, "/match/default", 10 * 1024 * 1024);
    assert_error((status, body), 413, "body_too_large");
    still_serving();
    assert_error(
        post_json(
            &server.url("/match/no_such_list"),
            &match_body(&["x"]),
            None,
        ),
        404,
        "unknown_dataset",
    );
    assert_error(
        get(&server.url("/search/no_such_list?q=x")),
        404,
        "unknown_dataset",
    );
    still_serving();
    let names: Vec<String> = (0..1000).map(|i| format!("Fictional Person {i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    assert_error(
        post_json(&server.url("/match/default"), &match_body(&refs), None),
        422,
        "batch_too_large",
    );
    still_serving();
    assert_error(
        post_json(&server.url("/match/default"), "{\"queries\": {}}", None),
        400,
        "invalid_query",
    );
    assert_error(
        post_json(
            &server.url("/match/default?threshold=abc"),
            &match_body(&["x"]),
            None,
        ),
        400,
        "invalid_query",
    );
    assert_error(
        post_json(
            &server.url("/match/default?algorithm=logic-v9"),
            &match_body(&["x"]),
            None,
        ),
        400,
        "invalid_query",
    );
    assert_error(
        post_json(
            &server.url("/match/default?changed_since=yesterday"),
            &match_body(&["x"]),
            None,
        ),
        400,
        "invalid_query",
    );
    assert_error(
        post_json(
            &server.url("/match/default"),
            r#"{"queries": {"q": {"schema": "Starship", "properties": {"name": ["x"]}}}}"#,
            None,
        ),
        400,
        "invalid_query",
    );
    assert_error(
        get(&server.url("/entities/no-such-entity")),
        404,
        "unknown_entity",
    );
    assert_error(get(&server.url("/no/such/route")), 404, "not_found");
    assert_error(
        get(&server.url("/match/default")),
        405,
        "method_not_allowed",
    );
    assert_error(
        get(&server.url("/api/v1/goods/lookup?code=abc")),
        400,
        "invalid_query",
    );
    assert_error(
        get(&server.url("/api/v1/lists/no_such_list/diff")),
        404,
        "unknown_list",
    );
    // No flows dataset and no risk run in this data directory.
    assert_error(
        get(&server.url("/api/v1/flows/surge?exporter=EU27&baseline=2019-2021&period=2022-2023")),
        404,
        "no_dataset",
    );
    assert_error(get(&server.url("/api/v1/risk/latest")), 404, "no_risk_run");
    assert_error(
        get(&server.url("/api/v1/flows/sql?q=1")),
        404,
        "unknown_report",
    );
    assert_error(
        post_body(
            &server.url("/api/v1/risk"),
            "text/csv",
            "consignor,hs_code\nA,8542\n",
        ),
        400,
        "invalid_shipments",
    );
    still_serving();
}

#[test]
fn api_keys_are_required_when_configured() {
    let (_dir, store) = fixture_store();
    let keys = ApiKeys::from_digests([hash_key("fictional-key-1")]);
    let server = TestServer::start(
        store,
        ServerConfig {
            keys: Some(keys),
            ..test_config()
        },
    );
    let body = match_body(&["Radomir Kestrelov"]);
    assert_error(
        post_json(&server.url("/match/default"), &body, None),
        401,
        "missing_api_key",
    );
    assert_error(
        post_json(
            &server.url("/match/default"),
            &body,
            Some("Bearer wrong-key"),
        ),
        401,
        "invalid_api_key",
    );
    assert_error(
        get_auth(&server.url("/catalog"), "ApiKey wrong-key"),
        401,
        "invalid_api_key",
    );
    assert_error(get(&server.url("/")), 401, "missing_api_key");
    assert_eq!(
        post_json(
            &server.url("/match/default"),
            &body,
            Some("Bearer fictional-key-1")
        )
        .0,
        200
    );
    assert_eq!(
        get_auth(&server.url("/catalog"), "ApiKey fictional-key-1").0,
        200
    );
    // The probes stay open.
    assert_eq!(get(&server.url("/healthz")).0, 200);
    assert_eq!(get(&server.url("/readyz")).0, 200);
}

#[test]
fn a_new_list_version_is_picked_up_while_queries_keep_succeeding() {
    let (_dir, store) = fixture_store();
    let server = TestServer::start(store.clone(), test_config());
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let url = server.url("/match/default");
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (stop, failures, done, url) =
                (stop.clone(), failures.clone(), done.clone(), url.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let (status, body) = post_json(&url, &match_body(&["Radomir Kestrelov"]), None);
                    let top = json(&body)["responses"]["q0"]["results"][0]["id"].clone();
                    if status != 200 || top != "fx-person" {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let newcomer = r#"{"id":"fx-new","schema":"Person","properties":{"name":["Quintessa Varnholt"],"nationality":["ae"]}}"#;
    import_ftm(&store, "fixture", &format!("{FIXTURE}{newcomer}\n"));
    let started = Instant::now();
    let seen = loop {
        let (status, body) = post_json(&url, &match_body(&["Quintessa Varnholt"]), None);
        assert_eq!(status, 200);
        let r = json(&body);
        let top = &r["responses"]["q0"]["results"][0];
        if top["id"] == "fx-new" {
            break top.clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "new version not picked up"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(seen["list_version"], "2");
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    assert!(
        done.load(Ordering::Relaxed) > 10,
        "too few requests during the reload"
    );
    let metrics = get(&server.url("/metrics")).1;
    assert!(metrics.contains("dualtrace_list_version{list=\"fixture\"} 2"));
    assert!(
        metrics.contains("dualtrace_engine_reloads_total 2"),
        "{metrics}"
    );
}

#[test]
fn openapi_snapshot_has_not_drifted() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = dualtrace_server::openapi().to_pretty_json().unwrap() + "\n";
    if std::env::var_os("DUALTRACE_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/server/openapi.json differs from the API the code serves: review the change and run `DUALTRACE_UPDATE_OPENAPI=1 cargo test -p dualtrace-server --test http openapi`"
    );
    let doc = json(&generated);
    for path in [
        "/match/{dataset}",
        "/search/{dataset}",
        "/entities/{id}",
        "/catalog",
        "/algorithms",
        "/reconcile/{dataset}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/v1/goods/lookup",
        "/api/v1/goods/classify",
        "/api/v1/lists",
        "/api/v1/flows",
        "/api/v1/flows/{report}",
        "/api/v1/risk/latest",
        "/api/v1/risk",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} not documented");
    }
}

#[test]
fn cors_is_off_unless_origins_are_configured() {
    let origin_of = |server: &TestServer| {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let resp = agent
            .get(&server.url("/catalog"))
            .header("Origin", "https://analyst.example")
            .call()
            .unwrap();
        resp.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (_dir, store) = fixture_store();
    let closed = TestServer::start(store.clone(), test_config());
    assert_eq!(origin_of(&closed), None);
    let open = TestServer::start(
        store,
        ServerConfig {
            cors_origins: vec!["https://analyst.example".into()],
            ..test_config()
        },
    );
    assert_eq!(origin_of(&open).as_deref(), Some("https://analyst.example"));
}

fn rows(report: &Value) -> &Vec<Value> {
    report["rows"].as_array().unwrap()
}

#[test]
fn flows_reports_answer_as_the_cli_with_their_figures() {
    let (dir, store) = fixture_store();
    ingest_flows_fixture(dir.path());
    let server = TestServer::start(store, test_config());
    let ok = |path: &str| {
        let (status, body) = get(&server.url(path));
        assert_eq!(status, 200, "{path}: {body}");
        json(&body)
    };
    let index = ok("/api/v1/flows");
    assert_eq!(index["dataset"], true);
    assert_eq!(index["reports"].as_array().unwrap().len(), 6);

    // Russia reports 2021; 2022 comes from the suppliers' exports (mirror data).
    let shares = ok("/api/v1/flows/supplier-shares?importer=RU&period=2022&goods=1");
    assert_eq!(shares["report"], "supplier-shares");
    assert_eq!(shares["currency"], "USD");
    assert_eq!(shares["mirrored"], json!(["2022"]));
    assert_eq!(
        shares["rows"],
        json!([
            {"supplier": "CN", "value": 1500.0, "share": 0.75},
            {"supplier": "HK", "value": 400.0, "share": 0.2},
            {"supplier": "DE", "value": 100.0, "share": 0.05},
        ])
    );
    let own = ok("/api/v1/flows/supplier-shares?importer=ru&period=2021&goods=chpl");
    assert_eq!(own["mirrored"], json!([]));
    assert_eq!(
        own["rows"],
        json!([
            {"supplier": "CN", "value": 600.0, "share": 0.6},
            {"supplier": "DE", "value": 400.0, "share": 0.4},
        ])
    );
    let no_mirror = ok("/api/v1/flows/supplier-shares?importer=RU&period=2022&no_mirror=true");
    assert_eq!(rows(&no_mirror).len(), 0);
    let top = ok("/api/v1/flows/top-suppliers?importer=RU&period=2022&limit=1");
    assert_eq!(
        top["rows"],
        json!([{"supplier": "CN", "value": 1500.0, "share": 0.75}])
    );

    // EU27: no EU27 rows, so the members' exports to non-members (Germany's).
    let surge =
        ok("/api/v1/flows/surge?exporter=EU27&baseline=2019-2021&period=2022-2023&goods=chpl");
    let surge_rows = rows(&surge);
    assert_eq!(surge_rows.len(), 1, "{surge}");
    assert_eq!(surge_rows[0]["partner"], "KG");
    assert!((surge_rows[0]["baseline"].as_f64().unwrap() - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(surge_rows[0]["period"], 350.0);
    assert!((surge_rows[0]["ratio"].as_f64().unwrap() - 10.5).abs() < 1e-9);
    // The rows are the CLI's `--format json` rows, fields in the same order.
    let (_, text) = get(
        &server.url("/api/v1/flows/surge?exporter=DE&baseline=2021&period=2022&partners=KG,RU")
    );
    assert!(
        text.contains(r#""rows":[{"partner":"KG","baseline":100.0,"period":700.0,"ratio":7.0}]"#),
        "{text}"
    );
    let de = ok("/api/v1/flows/surge?exporter=DE&baseline=2021&period=2022&partners=KG,RU");
    assert_eq!(
        de["rows"],
        json!([{"partner": "KG", "baseline": 100.0, "period": 700.0, "ratio": 7.0}])
    );
    let high_bar = ok("/api/v1/flows/surge?exporter=DE&baseline=2021&period=2022&min_baseline=101");
    assert_eq!(rows(&high_bar).len(), 0);

    let series = ok("/api/v1/flows/series?reporter=CN&partner=RU&period=2023");
    assert_eq!(
        series["rows"],
        json!([{"period": "2023-01", "value": 3000.0}, {"period": "2023-02", "value": 500.0}])
    );
    let gaps = ok("/api/v1/flows/mirror-gaps?period=2022&exporter=DE");
    let gap = &rows(&gaps)[0];
    assert_eq!(
        (&gap["exporter"], &gap["importer"], &gap["year"]),
        (&json!("DE"), &json!("KG"), &json!(2022))
    );
    assert_eq!(
        (gap["exported"].as_f64(), gap["gap"].as_f64()),
        (Some(700.0), Some(50.0))
    );
    assert!((gap["ratio"].as_f64().unwrap() - 650.0 / 700.0).abs() < 1e-12);
    let jumps = ok("/api/v1/flows/unit-values?period=2022&reporter=DE&partner=KG");
    assert_eq!(
        jumps["rows"],
        json!([{"reporter": "DE", "partner": "KG", "flow": "export", "hs_code": "854231", "year": 2022, "unit_value": 70.0, "previous": 10.0, "jump": 7.0}])
    );

    // Bad parameters: 400 with the parameter named; the server serves on.
    for (path, needle) in [
        (
            "/api/v1/flows/surge?baseline=2019&period=2022",
            "`exporter` is required",
        ),
        (
            "/api/v1/flows/surge?exporter=KG%27%20OR%201%3D1&baseline=2019&period=2022",
            "`exporter`",
        ),
        (
            "/api/v1/flows/surge?exporter=DE&baseline=2022-2019&period=2023",
            "`baseline`",
        ),
        (
            "/api/v1/flows/supplier-shares?importer=RU&period=2022&goods=W-NOPE",
            "`goods`",
        ),
        (
            "/api/v1/flows/supplier-shares?importer=RU&period=2022&exporter=CN",
            "does not take parameter `exporter`",
        ),
        (
            "/api/v1/flows/top-suppliers?importer=RU&period=2022&limit=-1",
            "`limit`",
        ),
        (
            "/api/v1/flows/series?reporter=CN&period=2023&flow=both",
            "`flow`",
        ),
    ] {
        let (status, body) = get(&server.url(path));
        assert_error((status, body.clone()), 400, "invalid_query");
        assert!(body.contains(needle), "{path}: {body}");
    }
    assert_error(
        get(&server.url("/api/v1/flows/pivot")),
        404,
        "unknown_report",
    );
    assert_eq!(
        rows(&ok(
            "/api/v1/flows/top-suppliers?importer=RU&period=2022&limit=2"
        ))
        .len(),
        2
    );

    // The Flows page: shares of Russia's CHPL imports over the dataset's years, the surge.
    let (status, html) = get(&server.url("/ui/flows"));
    assert_eq!(status, 200);
    assert_eq!(
        chart_data(&html, "chart-shares-data"),
        json!({"labels": [2021, 2022, 2023], "datasets": [
            {"label": "CN", "data": [60.0, 75.0, 100.0], "backgroundColor": "#4e79a7"},
            {"label": "DE", "data": [40.0, 5.0, 0.0], "backgroundColor": "#f28e2b"},
            {"label": "HK", "data": [0.0, 20.0, 0.0], "backgroundColor": "#e15759"},
        ]})
    );
    assert_eq!(
        chart_data(&html, "chart-surge-data"),
        json!({"labels": ["KG"], "datasets": [{"label": "period average / baseline average", "data": [10.5]}]})
    );
    assert!(
        html.contains("mirror data) stand in for the importer&#x27;s own figures in 2022, 2023"),
        "{html}"
    );
    assert!(html.contains("<td class=\"n\">×10.50</td>"), "{html}");
    // A bad field is reported in its section; the other section still renders.
    let (status, html) = get(&server.url("/ui/flows?baseline=someday&importer=%3Cb%3ERU"));
    assert_eq!(status, 200);
    assert!(html.contains("parameter `baseline`"), "{html}");
    assert!(
        html.contains("parameter `importer`: not a country or group code: &quot;&lt;b&gt;RU&quot;"),
        "{html}"
    );
    assert!(!html.contains("<b>RU"));
    let (_, html) = get(&server.url("/ui/flows?years=2022-01..2022-03"));
    assert!(
        html.contains(
            "parameter `years`: &quot;2022-01..2022-03&quot;: expected YYYY or YYYY-YYYY"
        ),
        "{html}"
    );
    assert!(html.contains("id=\"chart-surge\""), "{html}");
    let (_, html) = get(&server.url("/ui/flows?years=2022&goods=all"));
    assert_eq!(
        chart_data(&html, "chart-shares-data")["datasets"][0],
        json!({"label": "CN", "data": [75.0], "backgroundColor": "#4e79a7"})
    );
}

#[test]
fn the_latest_risk_run_and_posted_runs() {
    let (dir, store) = fixture_store();
    import_ftm(&store, "fixture_list", RISK_LIST);
    let server = TestServer::start(store.clone(), test_config());
    let (status, html) = get(&server.url("/ui/risk"));
    assert_eq!(status, 200);
    assert!(html.contains("No risk run yet"), "{html}");
    let (_, html) = get(&server.url("/ui/flows"));
    assert!(html.contains("No trade flows dataset yet"), "{html}");
    assert!(html.contains("dualtrace flows ingest"), "{html}");
    let (_, home) = get(&server.url("/"));
    assert!(home.contains("No risk run yet"), "{home}");

    let result = record_risk_run(&store, &shipments_fixture());
    let (status, body) = get(&server.url("/api/v1/risk/latest?top=3"));
    assert_eq!(status, 200, "{body}");
    let latest = json(&body);
    // Lines 2 and 6 high (listed shipper; listed address), 6 medium, the misdeclaration low,
    // three benign lines none (the risk crate's fixture test names each line's flags).
    let expected_levels = json!({"high": 2, "medium": 6, "low": 1, "none": 3});
    assert_eq!(latest["audit"]["counts"]["by_level"], expected_levels);
    assert_eq!(latest["audit"]["counts"]["lines"], 12);
    assert_eq!(latest["audit"]["input"]["rows"], 12);
    assert_eq!(
        latest["audit"]["input"]["sha256"],
        dualtrace_risk::audit::sha256_hex(&std::fs::read(shipments_fixture()).unwrap())
    );
    let lists: Vec<(&str, u64)> = latest["audit"]["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(lists, [("fixture", 1), ("fixture_list", 1), ("second", 1)]);
    assert_eq!(
        latest["report_dir"].as_str().map(std::path::PathBuf::from),
        Some(dir.path().join("report").canonicalize().unwrap())
    );
    let top = latest["top_lines"].as_array().unwrap();
    assert_eq!(top.len(), 3);
    assert_eq!(
        (
            &top[0]["rank"],
            &top[0]["line"],
            &top[0]["score"],
            &top[0]["level"]
        ),
        (&json!(1), &json!(2), &json!(100.0), &json!("high"))
    );
    assert_eq!(top[0]["consignor"], "Kestrel Micro Trading Ltd");
    assert_eq!(top[0]["route"], "US > HK > RU");
    let party = top[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "party")
        .unwrap();
    assert_eq!(party["evidence"]["entity_id"], "fx-2");
    assert_eq!(party["evidence"]["list"], "fixture_list");
    assert_eq!(latest["top_parties"][0]["score"], 100.0);
    assert_eq!(
        latest["audit"]["counts"],
        serde_json::to_value(&result.audit.counts).unwrap()
    );
    assert_error(
        get(&server.url("/api/v1/risk/latest?top=101")),
        400,
        "invalid_query",
    );

    // The Risk page: counts, the listed-party line first, the script-tag consignor as text.
    let (status, html) = get(&server.url("/ui/risk"));
    assert_eq!(status, 200);
    assert!(html.contains("2 high, 6 medium, 1 low, 3 none"), "{html}");
    assert_eq!(
        chart_data(&html, "chart-levels-data")["datasets"][0]["data"],
        json!([2, 6, 1, 3])
    );
    assert!(
        html.contains("<td>Kestrel Micro Trading Ltd (HK)</td>"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; (CN)"),
        "{html}"
    );
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("<td>fixture_list</td>"), "{html}");
    let (_, home) = get(&server.url("/"));
    assert!(
        home.contains("2 high, 6 medium, 1 low, 3 none of 12 lines"),
        "{home}"
    );

    // A posted CSV: the same engine and lists, nothing recorded.
    let csv = std::fs::read_to_string(shipments_fixture()).unwrap();
    let (status, body) = post_body(&server.url("/api/v1/risk?top=50"), "text/csv", &csv);
    assert_eq!(status, 200, "{body}");
    let posted = json(&body);
    assert_eq!(posted["audit"]["counts"]["by_level"], expected_levels);
    assert_eq!(posted["audit"]["input"]["path"], "request body");
    assert_eq!(posted["report_dir"], Value::Null);
    assert_eq!(posted["top_lines"].as_array().unwrap().len(), 9);
    assert_eq!(posted["audit"]["lists"].as_array().unwrap().len(), 3);
    let (_, stricter) = post_body(
        &server.url("/api/v1/risk?high=10&medium=50"),
        "text/csv",
        &csv,
    );
    assert_error((400, stricter), 400, "invalid_query");
    let (status, body) = post_body(
        &server.url("/api/v1/risk?high=95&medium=90"),
        "text/csv",
        &csv,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["audit"]["config"]["levels"]["high"], 95.0);
    let (status, body) = post_body(
        &server.url("/api/v1/risk"),
        "text/csv",
        "consignor,consignee,hs_code,value\nA,B,8542,12\nA,B,8542,lots\n",
    );
    assert_error((status, body.clone()), 400, "invalid_shipments");
    assert!(body.contains("request body:3: field `value`"), "{body}");
    let again = json(&get(&server.url("/api/v1/risk/latest")).1);
    assert_eq!(
        again["audit"]["input"]["path"],
        latest["audit"]["input"]["path"]
    );
}
