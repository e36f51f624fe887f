//! `dualtrace serve` as a process: refuses an unprotected public address, serves on loopback,
//! answers a yente `/match`, stops on SIGTERM.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn http(port: u16, request: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serve_refuses_a_public_address_without_keys() {
    let data = tempfile::tempdir().unwrap();
    let out = dualtrace(data.path(), &["serve", "--bind", "0.0.0.0:0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0:0 without API keys"),
        "{stderr}"
    );
}

#[test]
fn serve_answers_match_on_loopback() {
    let data = tempfile::tempdir().unwrap();
    let list = data.path().join("fixture.ftm.json");
    std::fs::write(
        &list,
        r#"{"id":"fx-1","schema":"Person","properties":{"name":["Radomir Kestrelov"],"birthDate":["1961-05-07"]}}"#,
    )
    .unwrap();
    let imported = dualtrace(
        data.path(),
        &[
            "lists",
            "import",
            "ftm-json",
            list.to_str().unwrap(),
            "--list",
            "fixture",
        ],
    );
    assert_success(&imported, &["lists", "import"]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dualtrace"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let ready = loop {
        match http(
            port,
            "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ) {
            Some(r) if r.starts_with("HTTP/1.1 200") => break r,
            _ if started.elapsed() > Duration::from_secs(30) => panic!("not ready"),
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    assert!(ready.contains("\"entities\":1"), "{ready}");
    let body =
        r#"{"queries":{"q1":{"schema":"Person","properties":{"name":["Radomir Kestrelov"]}}}}"#;
    let answer = http(
        port,
        &format!("POST /match/fixture HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()),
    )
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"id\":\"fx-1\""), "{answer}");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
