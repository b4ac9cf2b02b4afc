//! Storage: the current document is a snapshot plus the op batches after it, kept in memory while
//! in use. These tests check that what is served from memory is what the database rebuilds, that
//! a second server on the same file sees the first one's writes, and that databases made before
//! snapshots existed are carried over.

mod support;

use std::str::FromStr;

use model::{Diagram, Op, Table, TablePatch, Uuid};
use server::db::{self, Author};
use server::limits::{Deadline, DocLimits};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};
use support::{database_url, spawn_app_in};

/// A deadline no storage test reaches (each write has its own).
fn later() -> Deadline {
    Deadline::after(std::time::Duration::from_secs(600))
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

/// A store on a new file in `dir` holding one diagram, at revision 2 with one table; returns the
/// store and the diagram's and table's ids.
async fn store_with_table(
    dir: &tempfile::TempDir,
    diagram: &str,
    table: &str,
) -> (db::Db, Uuid, Uuid) {
    let store = db::connect(&support::store(dir).await).await.unwrap();
    let limits = DocLimits::default();
    let diagram = Diagram::new(diagram);
    let id = diagram.id;
    db::create(&store, &diagram, &limits, Author::default(), None, &later())
        .await
        .unwrap();
    let table = Table::new(table);
    let table_id = table.id;
    let add = Op::AddTable { table, at: None };
    db::apply_ops(
        &store,
        id,
        1,
        vec![add],
        &limits,
        Author::default(),
        &later(),
        None,
    )
    .await
    .unwrap();
    (store, id, table_id)
}

async fn raw_pool(url: &str) -> SqlitePool {
    SqlitePool::connect_with(
        SqliteConnectOptions::from_str(url)
            .unwrap()
            .create_if_missing(true),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn after_many_batches_a_restart_rebuilds_the_same_document_from_the_latest_snapshot() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_app_in(tempfile::tempdir().unwrap(), 1024 * 1024).await;
    let id = app.create("Snapshots").await.diagram.id;
    let tables: Vec<Table> = (0..3).map(|i| Table::new(format!("t{i}"))).collect();
    let ids: Vec<Uuid> = tables.iter().map(|t| t.id).collect();
    let adds: Vec<Op> = tables
        .into_iter()
        .map(|table| Op::AddTable { table, at: None })
        .collect();
    let mut revision = app.apply(id, 1, &adds).await;
    // Comments of 1 KB: the history outgrows the 64 KiB floor and the document well before the
    // end, so a snapshot is written partway and the rest is replayed after a restart.
    let filler = "x".repeat(1000);
    for i in 0..230 {
        let ops = [
            comment(ids[i % 3], format!("edit {i} {filler}")),
            Op::MoveTables {
                moves: vec![model::TableMove {
                    table_id: ids[(i + 1) % 3],
                    x: i as f64,
                    y: 2.0 * i as f64,
                    by_hand: false,
                }],
            },
        ];
        revision = app.apply(id, revision, &ops).await;
    }
    assert_eq!(revision, 232);
    let served = app.get(id).await;
    let raw_before = app.get_text(&format!("/api/diagrams/{id}")).await;

    let dir = app.stop().await;
    let url = database_url(&dir);
    let pool = raw_pool(&url).await;
    let snapshots: Vec<i64> =
        sqlx::query_scalar("SELECT revision FROM snapshots WHERE diagram_id = ?")
            .bind(id.to_string())
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(snapshots.len(), 1, "one snapshot is kept: the latest");
    assert!(
        (60..232).contains(&snapshots[0]),
        "a snapshot once the history since the last one reached 64 KiB: {snapshots:?}"
    );
    pool.close().await;

    let app = spawn_app_in(dir, 1024 * 1024).await;
    let rebuilt = app.get(id).await;
    assert_eq!(
        rebuilt, served,
        "the restarted server rebuilds the same document"
    );
    assert_eq!(
        rebuilt.diagram.tables[0].comment,
        format!("edit 228 {filler}")
    );
    let raw_after = app.get_text(&format!("/api/diagrams/{id}")).await;
    assert_eq!(raw_after, raw_before, "the same bytes, assembled or not");
}

#[tokio::test]
async fn a_second_server_on_the_same_database_sees_the_first_ones_writes() {
    let dir = tempfile::tempdir().unwrap();
    let url = support::store(&dir).await;
    let (a, b) = (
        db::connect(&url).await.unwrap(),
        db::connect(&url).await.unwrap(),
    );
    let limits = DocLimits::default();
    let diagram = Diagram::new("Shared");
    let id = diagram.id;
    db::create(&a, &diagram, &limits, Author::default(), None, &later())
        .await
        .unwrap();
    let table = Table::new("orders");
    let table_id = table.id;
    let add = Op::AddTable { table, at: None };
    assert_eq!(
        db::apply_ops(
            &a,
            id,
            1,
            vec![add],
            &limits,
            Author::default(),
            &later(),
            None
        )
        .await
        .unwrap(),
        2
    );
    // b loads the document, then a writes again: b must not serve or build on its old copy.
    assert_eq!(db::get(&b, id).await.unwrap().1, 2);
    let first = comment(table_id, "from a".into());
    assert_eq!(
        db::apply_ops(
            &a,
            id,
            2,
            vec![first],
            &limits,
            Author::default(),
            &later(),
            None
        )
        .await
        .unwrap(),
        3
    );
    let (doc, revision) = db::get(&b, id).await.unwrap();
    assert_eq!((doc.tables[0].comment.as_str(), revision), ("from a", 3));
    let json: serde_json::Value =
        serde_json::from_slice(&db::get_json(&b, id).await.unwrap().json).unwrap();
    assert_eq!(json["revision"], 3);
    // Writes through either one build on the other's.
    let rename = Op::RenameDiagram {
        name: "Renamed by b".into(),
    };
    assert_eq!(
        db::apply_ops(
            &b,
            id,
            3,
            vec![rename],
            &limits,
            Author::default(),
            &later(),
            None
        )
        .await
        .unwrap(),
        4
    );
    let second = comment(table_id, "from a again".into());
    assert_eq!(
        db::apply_ops(
            &a,
            id,
            4,
            vec![second],
            &limits,
            Author::default(),
            &later(),
            None
        )
        .await
        .unwrap(),
        5
    );
    let (doc, _) = db::get(&b, id).await.unwrap();
    assert_eq!(doc.name, "Renamed by b");
    assert_eq!(doc.tables[0].comment, "from a again");
    db::delete(&a, id).await.unwrap();
    assert!(matches!(
        db::get(&b, id).await,
        Err(db::StoreError::NotFound)
    ));
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn a_refused_batch_leaves_the_live_document_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (store, id, table_id) = store_with_table(&dir, "Refusals", "a").await;
    let limits = DocLimits::default();
    let before = db::get_json(&store, id).await.unwrap().json;
    // The first op applies, the second is refused: the first must be undone in memory too.
    let ops = vec![
        comment(table_id, "half".into()),
        Op::RemoveTable {
            table_id: Uuid::new_v4(),
        },
    ];
    let refused = db::apply_ops(
        &store,
        id,
        2,
        ops,
        &limits,
        Author::default(),
        &later(),
        None,
    )
    .await;
    assert!(matches!(
        refused,
        Err(db::StoreError::InvalidOp { index: 1, .. })
    ));
    // Two tables with one name: each op is fine alone, the document is not.
    let twins = vec![
        Op::AddTable {
            table: Table::new("b"),
            at: None,
        },
        Op::AddTable {
            table: Table::new("b"),
            at: None,
        },
    ];
    let refused = db::apply_ops(
        &store,
        id,
        2,
        twins,
        &limits,
        Author::default(),
        &later(),
        None,
    )
    .await;
    assert!(
        matches!(refused, Err(db::StoreError::InvalidOp { .. })),
        "{refused:?}"
    );
    assert_eq!(db::get_json(&store, id).await.unwrap().json, before);
    store.close().await;
}

#[tokio::test]
async fn a_database_from_before_snapshots_is_carried_over() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(&dir);
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let pool = raw_pool(&url).await;
    let first = sqlx::migrate!("../migrations/sqlite");
    let version = first.iter().next().unwrap().version;
    first.run_to(version, &pool).await.unwrap();
    let mut diagram = Diagram::new("Old");
    diagram.tables.push(Table::new("kept"));
    let body = serde_json::to_string(&diagram).unwrap();
    sqlx::query(
        "INSERT INTO diagrams (id, name, document, revision, table_count, created_at, updated_at)
         VALUES (?, 'Old', ?, 1, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
    )
    .bind(diagram.id.to_string())
    .bind(&body)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO revisions (diagram_id, revision, kind, body, created_at)
         VALUES (?, 1, 'create', ?, '2026-01-01T00:00:00Z')",
    )
    .bind(diagram.id.to_string())
    .bind(&body)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let store = db::connect(&url).await.unwrap();
    let (doc, revision) = db::get(&store, diagram.id).await.unwrap();
    assert_eq!((doc, revision), (diagram.clone(), 1));
    let columns: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info('diagrams')")
        .fetch_all(&raw_pool(&url).await)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("name"))
        .collect();
    assert!(!columns.contains(&"document".to_string()), "{columns:?}");
    store.close().await;
}

#[tokio::test]
async fn many_more_readers_and_writers_than_connections_all_get_answers() {
    // 8 pooled connections; readers once held one while waiting behind a writer that waited for
    // a connection, and every request hung.
    let app = spawn_app_in(tempfile::tempdir().unwrap(), 1024 * 1024).await;
    let id = app.create("Busy").await.diagram.id;
    let table = Table::new("hot");
    let table_id = table.id;
    app.apply(id, 1, &[Op::AddTable { table, at: None }]).await;
    let app = std::sync::Arc::new(app);
    let clients = (0..48).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            for round in 0..5 {
                if (i + round) % 2 == 0 {
                    let state = app.get(id).await;
                    assert!(state.revision >= 2);
                } else {
                    app.apply(id, 2, &[comment(table_id, format!("{i}/{round}"))])
                        .await;
                }
            }
        })
    });
    let all = wait_all(clients.collect());
    tokio::time::timeout(std::time::Duration::from_secs(60), all)
        .await
        .expect("every request is answered");
    assert_eq!(app.get(id).await.revision, 2 + 48 * 5 / 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diagram_has_one_writer_however_many_batches_wait() {
    // Each batch once spawned its own writer task; under steady load they queued for the
    // diagram faster than they left, and memory grew with every request.
    let dir = tempfile::tempdir().unwrap();
    let (store, id, table_id) = store_with_table(&dir, "Queue", "hot").await;
    let limits = DocLimits::default();
    let clients: Vec<_> = (0..400)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let ops = vec![comment(table_id, format!("edit {i}"))];
                db::apply_ops(
                    &store,
                    id,
                    2,
                    ops,
                    &limits,
                    Author::default(),
                    &later(),
                    None,
                )
                .await
                .unwrap();
            })
        })
        .collect();
    wait_all(clients).await;
    let alive = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    // The writer may still be finishing, and the pool may run a task of its own; one task per
    // batch would leave hundreds.
    assert!(
        alive < 10,
        "{alive} tasks still alive after every batch was answered"
    );
    assert_eq!(db::get(&store, id).await.unwrap().1, 402);
    store.close().await;
}

async fn wait_all(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for task in tasks {
        task.await.expect("client task");
    }
}
