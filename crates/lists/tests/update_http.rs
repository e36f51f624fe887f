//! `lists update` against a real HTTP server on loopback serving the real lists: a good
//! download imports; a truncated file, a shrunken list and an HTTP 500 leave the current
//! version untouched and say what happened.
#![allow(clippy::unwrap_used)]

mod common;

use dualtrace_lists::store::{Commit, Store};
use dualtrace_lists::update::{Defaults, ListSource, UpdateError, update_list};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Path -> (status, body).
type Routes = Arc<Mutex<HashMap<String, (u16, Vec<u8>)>>>;

/// Serves fixed bodies (or a status) by path until dropped.
struct Loopback {
    server: Arc<tiny_http::Server>,
    routes: Routes,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Loopback {
    fn start() -> Loopback {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let routes: Routes = Arc::default();
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let (s, r, h) = (server.clone(), routes.clone(), hits.clone());
        let thread = std::thread::spawn(move || {
            for req in s.incoming_requests() {
                let path = req.url().to_string();
                *h.lock().unwrap().entry(path.clone()).or_default() += 1;
                let (status, body) = r
                    .lock()
                    .unwrap()
                    .get(&path)
                    .cloned()
                    .unwrap_or((404, b"not found".to_vec()));
                let _ = req.respond(tiny_http::Response::from_data(body).with_status_code(status));
            }
        });
        Loopback {
            server,
            routes,
            hits,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "http://{}{path}",
            self.server.server_addr().to_ip().unwrap()
        )
    }

    fn serve(&self, path: &str, status: u16, body: Vec<u8>) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_string(), (status, body));
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn fast() -> Defaults {
    Defaults {
        timeout_secs: 20,
        retries: 2,
        max_bytes: 64 << 20,
        backoff_ms: 10,
    }
}

fn source(name: &str, format: &str, urls: Vec<String>) -> ListSource {
    ListSource {
        name: name.into(),
        format: format.into(),
        urls,
        disabled: false,
    }
}

#[test]
fn broken_downloads_never_replace_the_good_version() {
    let Some(un) = common::shared_file("lists/un/UN_consolidated_2026-02-27.xml") else {
        return;
    };
    let Some(sdn) = common::shared_file("lists/ofac/sdn_2024-05-03.csv") else {
        return;
    };
    let un = std::fs::read(un).unwrap();
    let sdn = std::fs::read(sdn).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let http = Loopback::start();

    // A good download imports.
    http.serve("/un.xml", 200, un.clone());
    let un_src = source("un_sc", "un-xml", vec![http.url("/un.xml")]);
    let Ok(Commit::Created(v1)) = update_list(&store, &un_src, &fast(), false) else {
        panic!("first UN update should create a version");
    };
    assert_eq!(v1.entities, 1003);

    // A truncated XML file: a parse error naming the file; version 1 stays current.
    http.serve("/un.xml", 200, un[..un.len() / 2].to_vec());
    let err = update_list(&store, &un_src, &fast(), false).unwrap_err();
    assert!(matches!(err, UpdateError::Parse { .. }), "{err}");
    assert!(err.to_string().contains("un.xml"), "{err}");
    assert_eq!(store.current("un_sc").unwrap().hash, v1.hash);

    // HTTP 500: retried, then a download error with the status; version 1 stays current.
    http.serve("/un.xml", 500, b"internal error".to_vec());
    let err = update_list(&store, &un_src, &fast(), false).unwrap_err();
    assert!(
        matches!(err, UpdateError::Download { attempts: 3, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("500"), "{err}");
    assert_eq!(http.hits("/un.xml"), 1 + 1 + 3);
    assert_eq!(store.load_current("un_sc").unwrap().1.len(), 1003);

    // A file over the size cap is refused.
    http.serve("/un.xml", 200, un.clone());
    let tiny = Defaults {
        max_bytes: 1000,
        ..fast()
    };
    let err = update_list(&store, &un_src, &tiny, false).unwrap_err();
    assert!(matches!(err, UpdateError::Download { .. }), "{err}");

    // An SDN file cut at a row boundary parses, but lost half its entities: refused.
    http.serve("/sdn.csv", 200, sdn.clone());
    let sdn_src = source("ofac_sdn", "ofac-sdn-csv", vec![http.url("/sdn.csv")]);
    let Ok(Commit::Created(good)) = update_list(&store, &sdn_src, &fast(), false) else {
        panic!("SDN update should create a version");
    };
    let cut = sdn[..sdn.len() / 2]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap();
    http.serve("/sdn.csv", 200, sdn[..=cut].to_vec());
    let err = update_list(&store, &sdn_src, &fast(), false).unwrap_err();
    assert!(err.to_string().contains("shrink"), "{err}");
    assert_eq!(store.current("ofac_sdn").unwrap().hash, good.hash);

    // Serving the same good file again changes nothing.
    http.serve("/sdn.csv", 200, sdn);
    assert!(matches!(
        update_list(&store, &sdn_src, &fast(), false),
        Ok(Commit::Unchanged(_))
    ));
    assert_eq!(store.versions("ofac_sdn").unwrap(), [1]);
}
