//! The figures behind "bounded work" (run with `cargo bench -p server --bench bounded`; it
//! prints them rather than timing a loop):
//!
//! - small writes to one diagram while one 10,000-op batch is applied to a 20,000-column one:
//!   their p50/p99/max next to the same stream alone;
//! - a cold read (nothing in memory) of a 1,000-table diagram with 100,000 revisions;
//! - an SQL preview of 300 tables where each references every earlier one: time and peak memory.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use model::{Column, ColumnPatch, Diagram, Op, Table, TableMove};
use reqwest::Client;
use serde_json::{Value, json};
use server::db::{self, Author};
use server::limits::{Deadline, DocLimits};
use server::{AppState, Limits};
use tokio::net::TcpListener;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        writes_beside_a_huge_batch().await;
        cold_read().await;
        dense_preview().await;
    });
}

/// A server on a fresh database, and a client signed in to it.
async fn server(dir: &tempfile::TempDir) -> (String, Client) {
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let db = db::connect(&url).await.expect("database");
    let state =
        AppState::new(db, &PathBuf::from("target/site"), 8 << 20).with_limits(Limits::default());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    let client = Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let signed_up = client
        .post(format!("{base}/api/auth/signup"))
        .json(&json!({"email": "bench@example.com", "name": "Bench", "password": "correct horse battery"}))
        .send()
        .await
        .expect("sign-up");
    assert!(signed_up.status().is_success());
    (base, client)
}

async fn post(client: &Client, url: String, body: Value) -> Value {
    let response = client.post(url).json(&body).send().await.expect("request");
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
    response.json().await.expect("JSON")
}

fn percentiles(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    format!(
        "{} writes: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    )
}

async fn small_writes(
    client: &Client,
    base: &str,
    id: &str,
    table: model::Uuid,
    mut revision: i64,
    until: impl Fn() -> bool,
) -> (Vec<Duration>, i64) {
    let mut times = Vec::new();
    let mut n = 0.0;
    while !until() {
        let started = Instant::now();
        let ops = vec![Op::MoveTables {
            moves: vec![TableMove {
                table_id: table,
                x: n,
                y: 0.0,
                by_hand: false,
            }],
        }];
        let saved = post(
            client,
            format!("{base}/api/diagrams/{id}/ops"),
            json!({"base_revision": revision, "ops": ops}),
        )
        .await;
        revision = saved["revision"].as_i64().unwrap();
        times.push(started.elapsed());
        n += 1.0;
    }
    (times, revision)
}

async fn writes_beside_a_huge_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, client) = server(&dir).await;
    let create = |name: &str| {
        post(
            &client,
            format!("{base}/api/diagrams"),
            json!({"name": name}),
        )
    };
    let big = create("big").await;
    let big_id = big["diagram"]["id"].as_str().unwrap().to_string();
    let wide = Table::empty(
        "wide",
        (0..20_000)
            .map(|i| Column::new(format!("c{i}"), "int"))
            .collect(),
    );
    let (wide_id, columns): (_, Vec<_>) = (wide.id, wide.columns.iter().map(|c| c.id).collect());
    post(
        &client,
        format!("{base}/api/diagrams/{big_id}/ops"),
        json!({"base_revision": 1, "ops": [Op::AddTable { table: wide, at: None }]}),
    )
    .await;
    let small = create("small").await;
    let small_id = small["diagram"]["id"].as_str().unwrap().to_string();
    let table = Table::new("t");
    let table_id = table.id;
    let saved = post(
        &client,
        format!("{base}/api/diagrams/{small_id}/ops"),
        json!({"base_revision": 1, "ops": [Op::AddTable { table, at: None }]}),
    )
    .await;
    let revision = saved["revision"].as_i64().unwrap();

    let alone_until = Instant::now() + Duration::from_secs(3);
    let (alone, revision) = small_writes(&client, &base, &small_id, table_id, revision, || {
        Instant::now() > alone_until
    })
    .await;
    println!(
        "small writes alone:                  {}",
        percentiles(alone)
    );

    let ops: Vec<Op> = columns[..10_000]
        .iter()
        .map(|&column_id| Op::UpdateColumn {
            table_id: wide_id,
            column_id,
            patch: ColumnPatch {
                comment: Some("reviewed".into()),
                ..ColumnPatch::default()
            },
        })
        .collect();
    let started = Instant::now();
    let heavy = {
        let (client, url) = (client.clone(), format!("{base}/api/diagrams/{big_id}/ops"));
        tokio::spawn(async move {
            post(&client, url, json!({"base_revision": 2, "ops": ops})).await;
            started.elapsed()
        })
    };
    let (beside, _) = small_writes(&client, &base, &small_id, table_id, revision, || {
        heavy.is_finished()
    })
    .await;
    let took = heavy.await.expect("batch");
    println!(
        "10,000-op batch on 20,000 columns:   {:.2} s",
        took.as_secs_f64()
    );
    println!(
        "small writes beside it:              {}",
        percentiles(beside)
    );
}

async fn cold_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/cold.db", dir.path().display());
    let store = db::connect(&url).await.expect("database");
    let limits = DocLimits::default();
    let mut doc = Diagram::new("load");
    for i in 0..1_000 {
        doc.tables.push(Table::empty(
            format!("t{i}"),
            (0..8)
                .map(|c| Column::new(format!("c{c}"), "varchar(40)"))
                .collect(),
        ));
    }
    let ids: Vec<_> = doc.tables.iter().map(|t| t.id).collect();
    let later = || Deadline::after(Duration::from_secs(3600));
    db::create(&store, &doc, &limits, Author::default(), None, &later())
        .await
        .expect("create");
    let started = Instant::now();
    // Concurrent batches are written in groups (one commit each), as under load.
    let mut written = 0;
    while written < 100_000 {
        let wave: Vec<_> = (0..1_000)
            .map(|k| {
                let (store, table_id) = (store.clone(), ids[(written + k) % ids.len()]);
                let id = doc.id;
                tokio::spawn(async move {
                    let moves = vec![TableMove {
                        table_id,
                        x: k as f64,
                        y: 1.0,
                        by_hand: false,
                    }];
                    db::apply_ops(
                        &store,
                        id,
                        1,
                        vec![Op::MoveTables { moves }],
                        &limits,
                        Author::default(),
                        &later(),
                        None,
                    )
                    .await
                })
            })
            .collect();
        for task in wave {
            task.await.expect("task").expect("write");
        }
        written += 1_000;
    }
    println!(
        "100,000 revisions written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    let mut times = Vec::new();
    for _ in 0..5 {
        let fresh = db::connect(&url).await.expect("database");
        let started = Instant::now();
        let json = db::get_json(&fresh, doc.id).await.expect("read");
        times.push(started.elapsed());
        assert!(json.json.len() > 100_000);
        fresh.close().await;
    }
    times.sort();
    println!(
        "cold GET of 1,000 tables at revision 100,001: median {:.1} ms, max {:.1} ms",
        times[2].as_secs_f64() * 1e3,
        times[4].as_secs_f64() * 1e3
    );
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn dense_preview() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, client) = server(&dir).await;
    let mut sql = String::new();
    for i in 0..300 {
        sql.push_str(&format!("CREATE TABLE t{i} (id INT PRIMARY KEY"));
        for p in 0..i {
            sql.push_str(&format!(", r{p} INT REFERENCES t{p}(id)"));
        }
        sql.push_str(");\n");
    }
    let before = peak_rss_mb();
    let started = Instant::now();
    let response = client
        .post(format!(
            "{base}/api/ddl/import?dialect=postgresql&preview=1"
        ))
        .body(sql.clone())
        .send()
        .await
        .expect("preview");
    assert!(response.status().is_success());
    let _ = response.bytes().await;
    println!(
        "preview of 300 dense tables ({:.1} MB SQL, 44,850 FKs): {:.2} s, peak RSS {:.0} → {:.0} MB",
        sql.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        before,
        peak_rss_mb()
    );
}
