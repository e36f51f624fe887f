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
            ("flows", false),
            ("risk", false)
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
