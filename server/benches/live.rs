//! Live channel fan-out: one diagram of 1,000 tables, 50 (then 200) clients connected to the
//! real server binary over loopback, one of them editing 20 batches a second.
//!
//! Prints the latency from the editor's send to each other client's receive (p50, p99, max),
//! the server's memory per connection, and its memory over the run (flat or not).
//!
//! `cargo bench -p server --bench live` (60 s per round; `LIVE_BENCH_SECS=10` for a quick look).

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use model::api::live;
use model::api::live::{ClientMessage, ServerMessage};
use model::{Column, Diagram, Op, Table, TableMove};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_tablewright"))
        .args(["--bind", &addr, "--site-root", "target/site"])
        .arg("--database-url")
        .arg(format!("sqlite://{}/live.db", dir.path().display()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts");
    for _ in 0..200 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    Server {
        child,
        addr,
        _dir: dir,
    }
}

/// The server's resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn diagram(tables: usize) -> Diagram {
    let mut doc = Diagram::new("Fan-out");
    for i in 0..tables {
        let mut table = Table::new(format!("table_{i}"));
        table.x = (i % 40) as f64 * 300.0;
        table.y = (i / 40) as f64 * 300.0;
        for c in 0..8 {
            table
                .columns
                .push(Column::new(format!("column_{c}"), "varchar(255)"));
        }
        doc.tables.push(table);
    }
    doc
}

type Sent = Arc<Mutex<HashMap<String, Instant>>>;

async fn round(server: &Server, cookie: &str, id: &str, doc: &Diagram, clients: usize, secs: u64) {
    let pid = server.child.id();
    let before = rss_kib(pid);
    let state: serde_json::Value = reqwest::Client::new()
        .get(format!("http://{}/api/diagrams/{id}", server.addr))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let revision = state["revision"].as_i64().unwrap();
    let connect = |cookie: String| {
        let url = format!(
            "ws://{}/api/diagrams/{id}/live?since={revision}",
            server.addr
        );
        async move {
            let mut request = url.into_client_request().unwrap();
            request
                .headers_mut()
                .insert("cookie", HeaderValue::from_str(&cookie).unwrap());
            let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
            ws
        }
    };
    let sent: Sent = Arc::default();
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let mut readers = Vec::new();
    for _ in 0..clients {
        let mut ws = connect(cookie.to_string()).await;
        let (sent, latencies) = (sent.clone(), latencies.clone());
        readers.push(tokio::spawn(async move {
            while let Some(Ok(frame)) = ws.next().await {
                let Message::Text(text) = frame else { continue };
                if let Ok(ServerMessage::Batch(live::Batch { key: Some(key), .. })) =
                    serde_json::from_str(&text)
                    && let Some(at) = sent.lock().unwrap().get(&key).copied()
                {
                    latencies.lock().unwrap().push(at.elapsed());
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let connected = rss_kib(pid);
    let mut editor = connect(cookie.to_string()).await;
    let mut base = revision;
    let mut ticker = tokio::time::interval(Duration::from_millis(50));
    let started = Instant::now();
    let mut samples = Vec::new();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(secs) {
        ticker.tick().await;
        n += 1;
        let table = &doc.tables[(n as usize * 37) % doc.tables.len()];
        let key = format!("bench:{clients}:{n}");
        let ops = vec![Op::MoveTables {
            moves: vec![TableMove {
                table_id: table.id,
                x: table.x + (n % 100) as f64,
                y: table.y,
                by_hand: false,
            }],
        }];
        sent.lock().unwrap().insert(key.clone(), Instant::now());
        let message = ClientMessage::Ops { key, base, ops };
        editor
            .send(Message::Text(
                serde_json::to_string(&message).unwrap().into(),
            ))
            .await
            .unwrap();
        // The editor reads its own answers so its socket never backs up.
        while let Ok(Some(Ok(Message::Text(text)))) =
            tokio::time::timeout(Duration::from_millis(1), editor.next()).await
        {
            match serde_json::from_str(&text) {
                Ok(ServerMessage::Ack(live::Ack { revision, .. })) => base = revision,
                Ok(ServerMessage::Refused(refused)) => panic!("refused: {:?}", refused.error),
                _ => {}
            }
        }
        if n.is_multiple_of(100) {
            samples.push(rss_kib(pid));
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for reader in readers {
        reader.abort();
    }
    let mut all = latencies.lock().unwrap().clone();
    assert!(!all.is_empty(), "no batch reached the {clients} clients");
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    let expected = n as usize * clients;
    println!(
        "{clients} clients, {n} batches in {secs} s: {} of {expected} deliveries; send → receive p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        all.len(),
        at(0.5),
        at(0.99),
        all.last().copied().unwrap_or_default(),
    );
    println!(
        "  server memory: {before} KiB before, {connected} KiB connected ({:.1} KiB per connection); during the run min {} max {} KiB",
        (connected.saturating_sub(before)) as f64 / clients as f64,
        samples.iter().min().unwrap_or(&0),
        samples.iter().max().unwrap_or(&0),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test` of benches passes nothing and should
    // not run for a minute.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let secs: u64 = std::env::var("LIVE_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = start();
        let http = reqwest::Client::new();
        let url = |path: &str| format!("http://{}{path}", server.addr);
        let signup = http
            .post(url("/api/auth/signup"))
            .json(&json!({ "email": "bench@example.com", "name": "Bench", "password": "correct horse battery" }))
            .send()
            .await
            .unwrap();
        let cookie = signup.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let created: serde_json::Value = http
            .post(url("/api/diagrams"))
            .header("cookie", &cookie)
            .json(&json!({ "name": "Fan-out" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["diagram"]["id"].as_str().unwrap().to_string();
        let mut doc = diagram(1_000);
        doc.id = id.parse().unwrap();
        let put = http
            .put(url(&format!("/api/diagrams/{id}")))
            .header("cookie", &cookie)
            .json(&json!({ "base_revision": 1, "diagram": doc }))
            .send()
            .await
            .unwrap();
        assert!(put.status().is_success(), "{:?}", put.text().await);
        for clients in [50, 200] {
            round(&server, &cookie, &id, &doc, clients, secs).await;
        }
    });
}
