//! Shared helpers of the server's integration tests: a store with hand-written fictional lists,
//! a server on 127.0.0.1:0 in a background thread, and a small blocking HTTP client.
#![allow(dead_code, clippy::unwrap_used)]

use dualtrace_lists::store::Store;
use dualtrace_lists::{Format, Input};
use dualtrace_server::state::AppState;
use dualtrace_server::{ServerConfig, run};
use serde_json::Value;
use std::io::Read;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The fictional main list: a person, a company whose name carries a script tag (the XSS
/// fixture), a vessel.
pub const FIXTURE: &str = r#"{"id":"fx-person","schema":"Person","properties":{"name":["Radomir Kestrelov"],"alias":["Радомир Кестрелов"],"birthDate":["1961-05-07"],"nationality":["ru"],"passportNumber":["FX1234567"],"program":["FICTIONAL-PROGRAM-1"]}}
{"id":"fx-xss","schema":"Company","properties":{"name":["<script>document.title='XSS'</script> Zorvath Trading"],"country":["ru"],"program":["FICTIONAL-PROGRAM-2"]}}
{"id":"fx-vessel","schema":"Vessel","properties":{"name":["Northern Quillfish"],"flag":["ru"]}}
"#;

/// A second fictional list with a namesake of the fixture's person.
pub const SECOND: &str = r#"{"id":"sx-person","schema":"Person","properties":{"name":["Radomir Kestrelov"],"birthDate":["1961"],"nationality":["ru"]}}
{"id":"sx-company","schema":"Company","properties":{"name":["Ostrava Lumenworks"],"country":["cz"]}}
"#;

/// Imports FtM JSON lines as a new version of a list.
pub fn import_ftm(store: &Store, list: &str, text: &str) {
    let input = Input::from_bytes(format!("{list}.ftm.json"), text.as_bytes().to_vec()).unwrap();
    let parsed = Format::FtmJson.parse(&[input], list).unwrap();
    store
        .commit(list, "ftm-json", &parsed, Vec::new(), true)
        .unwrap();
}

/// A store holding `fixture` and `second`.
pub fn fixture_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    import_ftm(&store, "fixture", FIXTURE);
    import_ftm(&store, "second", SECOND);
    (dir, store)
}

/// A server running in a background thread; stopped on drop.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The address.
    pub addr: SocketAddr,
    /// The state the server runs on.
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server over the store and waits until it is ready.
    pub fn start(store: Store, config: ServerConfig) -> TestServer {
        let state = AppState::new(store, config.keys.clone(), config.limits);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                run(listener, thread_state, &config, async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        let server = TestServer {
            base: format!("http://{addr}"),
            addr,
            state,
            shutdown: Some(stop_tx),
            thread: Some(thread),
        };
        server.wait_ready();
        server
    }

    /// Polls `/readyz` until 200 (at most 60 s).
    pub fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if get(&self.url("/readyz")).0 == 200 {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("server not ready after 60 s");
    }

    /// A full URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A config for tests: loopback, fast reloads.
pub fn test_config() -> ServerConfig {
    ServerConfig {
        reload_interval: Duration::from_millis(100),
        ..ServerConfig::default()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn read(mut resp: ureq::http::Response<ureq::Body>) -> (u16, String) {
    let status = resp.status().as_u16();
    let mut body = String::new();
    resp.body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .reader()
        .read_to_string(&mut body)
        .unwrap();
    (status, body)
}

/// GET: status and body.
pub fn get(url: &str) -> (u16, String) {
    read(agent().get(url).call().unwrap())
}

/// GET with an `Authorization` header.
pub fn get_auth(url: &str, authorization: &str) -> (u16, String) {
    read(
        agent()
            .get(url)
            .header("Authorization", authorization)
            .call()
            .unwrap(),
    )
}

/// POST a JSON text (optionally with an `Authorization` header).
pub fn post_json(url: &str, body: &str, authorization: Option<&str>) -> (u16, String) {
    let mut req = agent().post(url).header("Content-Type", "application/json");
    if let Some(a) = authorization {
        req = req.header("Authorization", a);
    }
    read(req.send(body).unwrap())
}

/// POST a form.
pub fn post_form(url: &str, pairs: &[(&str, &str)]) -> (u16, String) {
    read(agent().post(url).send_form(pairs.iter().copied()).unwrap())
}

/// Parses a JSON body.
pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Asserts a JSON error with the status and code.
pub fn assert_error(response: (u16, String), status: u16, code: &str) {
    assert_eq!(response.0, status, "{}", response.1);
    let body = json(&response.1);
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        !message.contains("/tmp") && !message.contains(".rs:"),
        "leaks a path: {message}"
    );
}

/// A yente match body with one Person query per name.
pub fn match_body(names: &[&str]) -> String {
    let queries: serde_json::Map<String, Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            (
                format!("q{i}"),
                serde_json::json!({"schema": "Person", "properties": {"name": [n]}}),
            )
        })
        .collect();
    serde_json::json!({ "queries": queries }).to_string()
}

/// Fictional annual Comtrade-style figures (tier-1 HS 854231, USD): Russia reports its 2021
/// imports (China 600, Germany 400); for 2022 only the suppliers' exports exist (China 1500,
/// Hong Kong 400, Germany 100, the mirror data); Germany's exports to Kyrgyzstan go from 100
/// (10 kg) in 2021 to 700 (10 kg) in 2022, and Kyrgyzstan reports receiving 650.
pub const FLOWS_ANNUAL: &str = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
2021,643,M,156,0,854231,C00,0,100,600
2021,643,M,276,0,854231,C00,0,50,400
2022,156,X,643,0,854231,C00,0,100,1500
2022,276,X,643,0,854231,C00,0,50,100
2022,344,X,643,0,854231,C00,0,10,400
2021,276,X,417,0,854231,C00,0,10,100
2022,276,X,417,0,854231,C00,0,10,700
2022,417,M,276,0,854231,C00,0,10,650
";

/// Fictional monthly figures: China's exports to Russia in January and February 2023.
pub const FLOWS_MONTHLY: &str = "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,netWgt,primaryValue
202301,156,X,643,0,854231,C00,0,10,3000
202302,156,X,643,0,854231,C00,0,10,500
";

/// Ingests [`FLOWS_ANNUAL`] and [`FLOWS_MONTHLY`] into `<data_dir>/flows`.
pub fn ingest_flows_fixture(data_dir: &std::path::Path) {
    let input = tempfile::tempdir().unwrap();
    for (name, text) in [("annual.csv", FLOWS_ANNUAL), ("monthly.csv", FLOWS_MONTHLY)] {
        let path = input.path().join(name);
        std::fs::write(&path, text).unwrap();
        dualtrace_flows::ingest(dualtrace_flows::Format::ComtradeCsv, &[path], data_dir).unwrap();
    }
}

/// The risk crate's hand-written shipments fixture (fictional parties; one consignor is a
/// script tag).
pub fn shipments_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../risk/tests/data/fixture_shipments.csv")
}

/// The listed companies of the risk fixture, as FtM JSON lines.
pub const RISK_LIST: &str = r#"{"id":"fx-1","schema":"Company","properties":{"name":["Zarya Optronika LLC"],"alias":["ООО «Заря Оптроника»"],"innCode":["7700000001"],"address":["ul. Vymyshlennaya 1, Moscow, Russia"],"jurisdiction":["ru"]}}
{"id":"fx-2","schema":"Company","properties":{"name":["Kestrel Micro Trading Limited"],"jurisdiction":["hk"]}}
{"id":"fx-3","schema":"Company","properties":{"name":["Shenzhen Lingfeng Electronic Technology Co., Ltd."],"alias":["深圳市凌风电子科技有限公司"],"uscCode":["91440300MA5DEMO01X"]}}
"#;

/// Runs the risk engine on `input` against the store's current lists (as `dualtrace risk`
/// does), writes the report into `<data-dir>/report` and records it as the latest run.
pub fn record_risk_run(store: &Store, input: &std::path::Path) -> dualtrace_risk::RunResult {
    let engine = dualtrace_server::engine::Engine::load(store).unwrap();
    let lists = engine
        .lists
        .iter()
        .map(|l| store.manifest(&l.name, l.version).unwrap())
        .collect();
    let options = dualtrace_risk::RunOptions {
        lists,
        ..dualtrace_risk::RunOptions::default()
    };
    let result =
        dualtrace_risk::run(input, &store.root().join("report"), &engine.index, options).unwrap();
    dualtrace_risk::latest::record_latest(
        store.root(),
        &result.summary(dualtrace_risk::latest::RECORDED_TOP),
    )
    .unwrap();
    result
}

/// The JSON of a `<script type="application/json" id="ID">` block of a page.
pub fn chart_data(html: &str, id: &str) -> Value {
    let start = format!("<script type=\"application/json\" id=\"{id}\">");
    let from = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {id} in page"))
        + start.len();
    let len = html[from..].find("</script>").unwrap();
    serde_json::from_str(&html[from..from + len]).unwrap()
}

/// POST a body with a content type.
pub fn post_body(url: &str, content_type: &str, body: &str) -> (u16, String) {
    read(
        agent()
            .post(url)
            .header("Content-Type", content_type)
            .send(body)
            .unwrap(),
    )
}
