//! Several server instances on one PostgreSQL database, as behind a load balancer: any instance
//! serves any request, writes to one diagram are ordered across them, and live clients on each
//! hear of every commit. Also `store copy` between backends, and the health check.
//!
//! These always run on PostgreSQL (`TABLEWRIGHT_TEST_PG_URL`): without a server they skip, or
//! fail when `TABLEWRIGHT_REQUIRE_DBS=1` (the test command sets it).

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use model::api::DiagramState;
use model::api::live::ServerMessage;
use model::{Diagram, Op, Table, TableMove, TablePatch, Uuid};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Rng, TestApp, spawn_app_on};

/// A fresh PostgreSQL database for this test, or `None` (skipped) when there is no server.
async fn pg_store(name: &str) -> Option<String> {
    let server = support::pg_server_url();
    let reachable = tokio::time::timeout(Duration::from_secs(5), async {
        use sqlx::Connection;
        sqlx::PgConnection::connect(&server).await
    })
    .await;
    if !matches!(reachable, Ok(Ok(_))) {
        assert!(
            std::env::var("TABLEWRIGHT_REQUIRE_DBS")
                .ok()
                .is_none_or(|v| v != "1"),
            "no PostgreSQL at {server}"
        );
        println!("skipped: no PostgreSQL at {server}");
        return None;
    }
    let database = format!("tw_test_{name}_{}", Uuid::new_v4().simple());
    support::create_pg_database(&database).await;
    Some(support::pg_database_url(&server, &database))
}

fn comment(table_id: Uuid, text: String) -> Op {
    Op::UpdateTable {
        table_id,
        patch: TablePatch {
            comment: Some(text),
            ..TablePatch::default()
        },
    }
}

/// Two instances on one store.
async fn two_instances(url: &str) -> (TestApp, TestApp) {
    let a = spawn_app_on(url, tempfile::tempdir().unwrap(), |s| s).await;
    let b = spawn_app_on(url, tempfile::tempdir().unwrap(), |s| s).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_edit_through_one_instance_is_read_and_heard_at_once_through_the_other() {
    let Some(url) = pg_store("heard").await else {
        return;
    };
    let (a, b) = two_instances(&url).await;
    let id = a.create("Shared").await.diagram.id;
    // B reads it, so B holds the document in memory, at revision 1.
    assert_eq!(b.get(id).await.revision, 1);
    let cookie = b.cookie(support::OWNER).await;
    let mut ws = b.live(id, &[("cookie", &cookie)], "").await;
    let (_, at) = ws.opened().await;
    assert_eq!(at, 1);

    let table = Table::new("orders");
    let revision = a
        .apply(
            id,
            1,
            &[Op::AddTable {
                table: table.clone(),
                at: None,
            }],
        )
        .await;
    assert_eq!(revision, 2);
    // Read through B at once: its memory is behind the stored revision, so it loads again.
    let read = b.get(id).await;
    assert_eq!(read.revision, 2);
    assert_eq!(read.diagram.tables[0].name, "orders");
    // B's live client hears of A's commit.
    let heard = ws
        .until(|m| match m {
            ServerMessage::Batch(batch) => Some(batch),
            _ => None,
        })
        .await;
    assert_eq!(heard.revision, 2);
    assert!(heard.ops.iter().any(|op| matches!(op, Op::AddTable { .. })));

    // And the other way, a whole document (an import) and then a delete.
    let mut replaced: Diagram = read.diagram.clone();
    replaced.tables.push(Table::new("lines"));
    let put = b
        .client
        .put(b.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 2, "diagram": replaced }))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK, "{:?}", put.text().await);
    let mut ws_a = a
        .live(id, &[("cookie", &a.cookie(support::OWNER).await)], "")
        .await;
    let (_, at_a) = ws_a.opened().await;
    assert_eq!(at_a, 3, "A serves the document B wrote");
    let deleted = a
        .client
        .delete(a.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let ended = ws.ended().await;
    assert_eq!(
        ended,
        support::ws::Ended::Closed(Some(4404), "the diagram was deleted".into()),
        "B's client learns the diagram is gone"
    );
    let gone = b
        .client
        .get(b.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_batches_through_two_instances_lose_nothing() {
    let Some(url) = pg_store("race").await else {
        return;
    };
    let (a, b) = two_instances(&url).await;
    let id = a.create("Race").await.diagram.id;
    let tables: Vec<Table> = (0..6).map(|i| Table::new(format!("t{i}"))).collect();
    let ids: Vec<Uuid> = tables.iter().map(|t| t.id).collect();
    let adds: Vec<Op> = tables
        .into_iter()
        .map(|table| Op::AddTable { table, at: None })
        .collect();
    a.apply(id, 1, &adds).await;
    let apps = std::sync::Arc::new([a, b]);
    let mut tasks = Vec::new();
    for worker in 0..6u64 {
        let (apps, ids) = (apps.clone(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng(worker * 7919 + 17);
            let mut answers = Vec::new();
            let mut seen = 2;
            for n in 0..25 {
                let app = &apps[rng.below(2)];
                // A base anywhere between the diagram's start and the latest seen.
                let base = 2 + rng.below((seen - 1) as usize) as i64;
                let table_id = ids[rng.below(ids.len())];
                let op = match rng.below(3) {
                    0 => Op::MoveTables {
                        moves: vec![TableMove {
                            table_id,
                            x: (worker * 100 + n) as f64,
                            y: n as f64,
                            by_hand: false,
                        }],
                    },
                    // A table of this worker's own, added twice: the second is refused.
                    1 => Op::AddTable {
                        table: Table {
                            id: Uuid::from_u64_pair(worker, n / 2),
                            ..Table::new(format!("w{worker}_{}", n / 2))
                        },
                        at: None,
                    },
                    _ => comment(table_id, format!("by {worker} at {n}")),
                };
                let response = app.post_ops(id, base, &[op]).await;
                let status = response.status();
                let body: Value = response.json().await.unwrap();
                if status == StatusCode::OK {
                    let revision = body["revision"].as_i64().unwrap();
                    seen = seen.max(revision);
                }
                answers.push((status, body));
            }
            answers
        }));
    }
    let mut committed = BTreeSet::new();
    for task in tasks {
        for (status, body) in task.await.unwrap() {
            assert!(
                [
                    StatusCode::OK,
                    StatusCode::CONFLICT,
                    StatusCode::UNPROCESSABLE_ENTITY
                ]
                .contains(&status),
                "{status}: {body}"
            );
            if status == StatusCode::OK {
                committed.insert(body["revision"].as_i64().unwrap());
            }
        }
    }
    let [a, b] = &*apps;
    let (from_a, from_b): (DiagramState, DiagramState) = (a.get(id).await, b.get(id).await);
    assert_eq!(from_a, from_b, "both instances serve the same document");
    // Every revision was written once: 2 and the committed batches, with no gap and none twice.
    let expected: BTreeSet<i64> = (3..=from_a.revision).collect();
    let answered: BTreeSet<i64> = committed.iter().copied().filter(|&r| r > 2).collect();
    assert_eq!(answered, expected, "each revision answered to one batch");
    let replayed: Diagram = b
        .get_json(&format!("/api/diagrams/{id}/revisions/{}", from_a.revision))
        .await;
    assert_eq!(
        replayed, from_a.diagram,
        "the stored document is its history replayed"
    );
}

/// `tablewright store copy` from SQLite to PostgreSQL and back: every table's rows, every
/// revision of every diagram, people signing in with their passwords, links still working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_copy_moves_everything_between_backends() {
    let Some(pg) = pg_store("copy").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}/source.db", dir.path().display());
    let app = spawn_app_on(&sqlite, tempfile::tempdir().unwrap(), |s| s).await;
    app.person("guest@example.com").await;
    let token = app.token("read").await;
    let team = app
        .post_json("/api/teams", &json!({ "name": "Data" }))
        .await;
    assert!(team["id"].is_string(), "{team}");
    let mut ids = Vec::new();
    for d in 0..3 {
        let id = app.create(&format!("Diagram {d}")).await.diagram.id;
        let table = Table::new("t");
        let table_id = table.id;
        let mut revision = app.apply(id, 1, &[Op::AddTable { table, at: None }]).await;
        // Long enough for snapshots partway.
        for n in 0..150 {
            let text = format!("{n} {}", "x".repeat(600));
            revision = app.apply(id, revision, &[comment(table_id, text)]).await;
        }
        ids.push((id, revision));
    }
    app.share(ids[0].0, "guest@example.com", "editor").await;
    let links = format!("/api/diagrams/{}/links", ids[1].0);
    let link = app.post_json(&links, &json!({ "role": "viewer" })).await;
    let link_token = link["token"].as_str().expect("a link token").to_string();
    let before: Vec<Vec<Value>> = revisions_of(&app, &ids).await;
    app.stop().await;

    let copied = std::process::Command::new(env!("CARGO_BIN_EXE_tablewright"))
        .args(["store", "copy", "--from", &sqlite, "--to", &pg])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&copied.stdout);
    assert!(
        copied.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    assert!(printed.contains("3 diagrams replayed"), "{printed}");
    assert!(printed.contains("revisions  456 rows"), "{printed}");

    let moved = spawn_app_on(&pg, tempfile::tempdir().unwrap(), |s| s).await;
    assert_eq!(
        revisions_of(&moved, &ids).await,
        before,
        "every revision, as it was"
    );
    let mine: Vec<Value> = moved.get_json("/api/diagrams").await;
    assert_eq!(mine.len(), 3);
    // The guest's password and share came along; so did the token and the link.
    let guest_again = moved.person("guest@example.com").await;
    let shared: Vec<Value> = guest_again
        .get(moved.url("/api/diagrams"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0]["role"], "editor");
    for (credential, path) in [
        (&token, "/api/diagrams".to_string()),
        (&link_token, format!("/api/diagrams/{}", ids[1].0)),
    ] {
        let answer = reqwest::Client::new()
            .get(moved.url(&path))
            .bearer_auth(credential)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
    }
    moved.stop().await;

    // Into a store that has data: refused, nothing written.
    let again = db_copy(&sqlite, &pg).await;
    assert!(
        again.as_ref().is_err_and(|e| e.contains("not empty")),
        "{again:?}"
    );
    // And back to a new SQLite file: the same again.
    let back = format!("sqlite://{}/back.db", dir.path().display());
    db_copy(&pg, &back).await.expect("copied back");
    let returned = spawn_app_on(&back, tempfile::tempdir().unwrap(), |s| s).await;
    assert_eq!(revisions_of(&returned, &ids).await, before);
}

async fn db_copy(from: &str, to: &str) -> Result<(), String> {
    server::db::copy::copy(from, to)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Every revision of every diagram: its history entry and its document.
async fn revisions_of(app: &TestApp, ids: &[(Uuid, i64)]) -> Vec<Vec<Value>> {
    let mut all = Vec::new();
    for (id, last) in ids {
        let history: Vec<Value> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
        assert_eq!(history.len() as i64, *last);
        let mut docs = vec![Value::Array(history)];
        for revision in 1..=*last {
            docs.push(
                app.get_json(&format!("/api/diagrams/{id}/revisions/{revision}"))
                    .await,
            );
        }
        all.push(docs);
    }
    all
}
