//! `X-Forwarded-For` / `-Proto` are believed only from a proxy named in `--trusted-proxies`:
//! then they give the client address in the access log and the scheme of absolute URLs.

mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::StatusCode;
use server::auth::{AuthSettings, HostPolicy};
use server::proxy::TrustedProxies;
use support::spawn_app_with;

const BIN: &str = env!("CARGO_BIN_EXE_tablewright");

/// The invite URL made for a request to host erd.example.com forwarded as `forwarded_proto`,
/// by a server that trusts `trusted`; and the `Location` of a new diagram for that request.
async fn urls(trusted: &str, forwarded_proto: &str) -> (String, String) {
    let proxies = TrustedProxies::new(vec![trusted.parse().unwrap()]);
    // A server on loopback answers only loopback names unless told otherwise; this one answers
    // erd.example.com too (and 127.0.0.1, for the helper's own sign-up).
    let auth = AuthSettings {
        host: Some(HostPolicy::Any),
        ..AuthSettings::default()
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| {
        s.with_trusted_proxies(proxies).with_auth(auth)
    })
    .await;
    let invite = app
        .client
        .post(app.url("/api/invites"))
        .header("host", "erd.example.com")
        .header("x-forwarded-proto", forwarded_proto)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(invite.status(), StatusCode::CREATED);
    let invite: serde_json::Value = invite.json().await.unwrap();
    let created = app
        .client
        .post(app.url("/api/diagrams"))
        .header("host", "erd.example.com")
        .header("x-forwarded-proto", forwarded_proto)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    (invite["url"].as_str().unwrap().to_string(), location)
}

#[tokio::test]
async fn the_forwarded_scheme_is_used_only_when_the_peer_is_a_trusted_proxy() {
    let (trusted, location) = urls("127.0.0.0/8", "https").await;
    assert!(
        trusted.starts_with("https://erd.example.com/signup?invite="),
        "{trusted}"
    );
    // Without --public-url a Location is a path: never built from the client's Host.
    assert!(location.starts_with("/api/diagrams/"), "{location}");
    let (untrusted, _) = urls("10.0.0.1", "https").await;
    assert!(
        untrusted.starts_with("http://erd.example.com/signup?invite="),
        "{untrusted}"
    );
}

/// Runs the binary with `setup`, sends one request forwarded "for" 203.0.113.7, and returns the
/// client the access log names.
fn logged_client(setup: impl FnOnce(&mut Command)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = Command::new(BIN);
    command
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .args([
            "--database-url",
            &format!("sqlite://{}/db.sqlite", dir.path().display()),
        ])
        .env("RUST_LOG", "info,tower_http=debug")
        .env("NO_COLOR", "1")
        .env_remove("TABLEWRIGHT_TRUSTED_PROXIES")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    setup(&mut command);
    let mut child = command.spawn().unwrap();
    let (lines_tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let next = |what: &str| -> String {
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no log line with {what}"));
            // Strip colour codes, should the logger add them anyway.
            let plain: String = strip_ansi(&line);
            if plain.contains(what) {
                return plain;
            }
        }
    };
    next("listening on");
    let status = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            reqwest::Client::new()
                .get(format!("http://127.0.0.1:{port}/api/diagrams"))
                .header("x-forwarded-for", "203.0.113.7")
                .send()
                .await
                .unwrap()
                .status()
        })
    })
    .join()
    .unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no one signed in");
    let line = next("/api/diagrams");
    child.kill().unwrap();
    child.wait().unwrap();
    let client = line
        .split_once("client=")
        .unwrap_or_else(|| panic!("no client in {line}"))
        .1;
    client.split([' ', '}', ':']).next().unwrap().to_string()
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_access_log_names_the_forwarded_client_only_behind_a_trusted_proxy() {
    assert_eq!(
        logged_client(|c| {
            c.args(["--trusted-proxies", "10.0.0.0/8,127.0.0.1"]);
        }),
        "203.0.113.7"
    );
    assert_eq!(
        logged_client(|c| {
            c.env("TABLEWRIGHT_TRUSTED_PROXIES", "::1,127.0.0.0/8");
        }),
        "203.0.113.7",
        "the environment variable works too"
    );
    assert_eq!(
        logged_client(|_| {}),
        "127.0.0.1",
        "no proxy trusted: the peer"
    );
    assert_eq!(
        logged_client(|c| {
            c.args(["--trusted-proxies", "10.0.0.1"]);
        }),
        "127.0.0.1",
        "a peer that is not a trusted proxy"
    );
}

#[test]
fn a_malformed_proxy_list_stops_the_server_with_a_clear_message() {
    let output = Command::new(BIN)
        .args(["--trusted-proxies", "10.0.0.0/99"])
        .env_remove("TABLEWRIGHT_TRUSTED_PROXIES")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("10.0.0.0/99") && stderr.contains("CIDR"),
        "{stderr}"
    );
}
