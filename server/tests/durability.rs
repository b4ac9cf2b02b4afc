//! "Saved" means saved: the real server binary is SIGKILLed at random moments while clients
//! stream op batches; after each restart every acknowledged batch is there, no batch is there in
//! part, and the stored document equals the replay of its history.
//!
//! Why it holds: see `server/src/db/mod.rs` (WAL, `synchronous = FULL`, one transaction per
//! write, committed before the answer). Set `TABLEWRIGHT_DURABILITY_SEED` to replay a run.

mod support;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use model::api::{DiagramState, RevisionInfo, Saved};
use model::{Column, Diagram, Op, Table, TablePatch, Uuid};
use serde_json::json;
use support::Rng;

const BIN: &str = env!("CARGO_BIN_EXE_tablewright");
const KILLS: usize = 22;
const POSTERS: u64 = 2;
const COLUMNS: usize = 3;

struct Server {
    child: Child,
    base: String,
}

fn start(db: &str) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(BIN)
        .args(["--bind", &format!("127.0.0.1:{port}"), "--database-url", db])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

async fn wait_ready(client: &reqwest::Client, server: &Server) {
    let started = Instant::now();
    while client
        .get(format!("{}/api/diagrams", server.base))
        .send()
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server never came up"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Batch `n`: a table and its columns added, then its comment set, in four ops. Half of it
/// applied would show as a table with fewer columns or no comment.
fn batch(n: u64) -> Vec<Op> {
    let table = Table::empty(format!("t{n}"), vec![Column::new("c0", "integer")]);
    let id = table.id;
    let mut ops = vec![Op::AddTable { table, at: None }];
    for c in 1..COLUMNS {
        ops.push(Op::AddColumn {
            table_id: id,
            column: Column::new(format!("c{c}"), "text"),
            at: None,
        });
    }
    ops.push(Op::UpdateTable {
        table_id: id,
        patch: TablePatch {
            comment: Some(format!("batch {n}")),
            ..Default::default()
        },
    });
    ops
}

/// Posts batches until the server dies; records each one it acknowledged.
async fn post_until_killed(
    client: reqwest::Client,
    url: String,
    mut base: i64,
    numbers: impl Iterator<Item = u64>,
    acked: Arc<Mutex<BTreeSet<u64>>>,
) {
    for n in numbers {
        let sent = client
            .post(&url)
            .json(&json!({ "base_revision": base, "ops": batch(n) }))
            .send()
            .await;
        let Ok(response) = sent else { return };
        assert_eq!(response.status(), 200, "batch {n} refused");
        let Ok(saved) = response.json::<Saved>().await else {
            return;
        };
        base = saved.revision;
        acked.lock().unwrap().insert(n);
    }
}

/// Checks the restarted server against what it acknowledged; returns the batches stored.
async fn check(client: &reqwest::Client, base: &str, id: Uuid, acked: &BTreeSet<u64>) -> usize {
    let state: DiagramState = client
        .get(format!("{base}/api/diagrams/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let doc = &state.diagram;
    doc.validate().expect("the stored document is valid");
    let mut stored = BTreeSet::new();
    for table in &doc.tables {
        let n: u64 = table.name[1..].parse().unwrap();
        assert_eq!(table.columns.len(), COLUMNS, "batch {n} is there in part");
        assert_eq!(
            table.comment,
            format!("batch {n}"),
            "batch {n} is there in part"
        );
        stored.insert(n);
    }
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged batches lost: {lost:?}");
    // One revision per stored batch, after the creation.
    assert_eq!(state.revision, stored.len() as i64 + 1);
    let history: Vec<RevisionInfo> = client
        .get(format!("{base}/api/diagrams/{id}/revisions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let numbers: Vec<i64> = history.iter().map(|r| r.revision).collect();
    assert_eq!(numbers, (1..=state.revision).collect::<Vec<_>>());
    let replayed: Diagram = client
        .get(format!(
            "{base}/api/diagrams/{id}/revisions/{}",
            state.revision
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        &replayed, doc,
        "the document differs from the replay of its history"
    );
    stored.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_batches_survive_sigkill_whole_and_match_their_history() {
    let seed = std::env::var("TABLEWRIGHT_DURABILITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("TABLEWRIGHT_DURABILITY_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    // On SQLite a file of its own; on PostgreSQL a database of its own (`support::on_postgres`).
    let db = if support::on_postgres() {
        support::store(&dir).await
    } else {
        format!("sqlite://{}/durable.db", dir.path().display())
    };
    // Keeps the session cookie: the session lives in the database, across the kills.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .cookie_store(true)
        .build()
        .unwrap();
    let acked = Arc::new(Mutex::new(BTreeSet::new()));

    let mut server = start(&db);
    wait_ready(&client, &server).await;
    let signed_up = client
        .post(format!("{}/api/auth/signup", server.base))
        .json(&json!({ "email": "durable@example.com", "name": "Durable", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), reqwest::StatusCode::CREATED);
    let created: DiagramState = client
        .post(format!("{}/api/diagrams", server.base))
        .json(&json!({ "name": "durable" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created.diagram.id;
    let mut revision = created.revision;
    let mut stored = 0;
    for round in 0..KILLS as u64 {
        let url = format!("{}/api/diagrams/{id}/ops", server.base);
        let posters: Vec<_> = (0..POSTERS)
            .map(|p| {
                let numbers = (0..).map(move |k| round * 100_000 + k * POSTERS + p);
                tokio::spawn(post_until_killed(
                    client.clone(),
                    url.clone(),
                    revision,
                    numbers,
                    acked.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20 + rng.below(180) as u64)).await;
        server.child.kill().expect("SIGKILL");
        server.child.wait().unwrap();
        for poster in posters {
            poster.await.unwrap();
        }
        server = start(&db);
        wait_ready(&client, &server).await;
        let acked = acked.lock().unwrap().clone();
        stored = check(&client, &server.base, id, &acked).await;
        revision = stored as i64 + 1;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let acked = acked.lock().unwrap().len();
    println!("{KILLS} kills, {acked} batches acknowledged, {stored} stored and checked");
    assert!(acked >= KILLS, "too few batches to mean anything: {acked}");
}
