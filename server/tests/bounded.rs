//! Bounded work: the attacks that pinned a core, held the write lock, or outlived their request,
//! each as a test. A dense foreign-key preview answers; a huge batch on one diagram leaves other
//! diagrams' writes running; a 408 means the write was not applied; history is snapshotted by op
//! count; field limits and rules answer with their own codes; static files never answer 500.

mod support;

use std::time::Duration;

use model::{Column, ColumnPatch, Op, Table, TableMove, TablePatch, Uuid};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::Limits;
use support::{TestApp, database_url, expect_error, spawn_app, spawn_app_with};

async fn spawn_limited(limits: Limits) -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), |s| s.with_limits(limits)).await
}

/// SQL for `n` tables where each references every earlier one.
fn dense_sql(n: usize) -> String {
    let mut sql = String::new();
    for i in 0..n {
        sql.push_str(&format!("CREATE TABLE t{i} (id INT PRIMARY KEY"));
        for p in 0..i {
            sql.push_str(&format!(", r{p} INT REFERENCES t{p}(id)"));
        }
        sql.push_str(");\n");
    }
    sql
}

#[tokio::test]
async fn a_preview_of_a_dense_foreign_key_graph_answers() {
    // 120 tables, 7,140 foreign keys: the layered layout alone took minutes on shapes like it.
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=postgresql&preview=1"))
        .body(dense_sql(120))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let diagram = &body["report"]["diagram"];
    assert_eq!(diagram["tables"].as_array().unwrap().len(), 120);
    assert_eq!(diagram["relationships"].as_array().unwrap().len(), 7_140);
}

/// A diagram with one table of `columns` columns; returns its id, the table's and the columns'.
async fn wide_diagram(app: &TestApp, columns: usize) -> (Uuid, Uuid, Vec<Uuid>) {
    let created = app.create("wide").await;
    let table = Table::empty(
        "wide",
        (0..columns)
            .map(|i| Column::new(format!("c{i}"), "int"))
            .collect(),
    );
    let ids = table.columns.iter().map(|c| c.id).collect();
    let table_id = table.id;
    app.apply(
        created.diagram.id,
        created.revision,
        &[Op::AddTable { table, at: None }],
    )
    .await;
    (created.diagram.id, table_id, ids)
}

/// A batch commenting each of `columns`: each op looks its column up among all of them.
fn comment_all(table_id: Uuid, columns: &[Uuid]) -> Vec<Op> {
    columns
        .iter()
        .map(|&column_id| Op::UpdateColumn {
            table_id,
            column_id,
            patch: ColumnPatch {
                comment: Some("reviewed".into()),
                ..ColumnPatch::default()
            },
        })
        .collect()
}

#[tokio::test]
async fn writes_to_other_diagrams_go_on_while_a_huge_batch_is_applied() {
    let app = spawn_limited(Limits::default()).await;
    let (big, table_id, columns) = wide_diagram(&app, 20_000).await;
    let small = app.create("small").await;
    let heavy = {
        let (client, url) = (
            app.client.clone(),
            app.url(&format!("/api/diagrams/{big}/ops")),
        );
        let ops = comment_all(table_id, &columns[..10_000]);
        tokio::spawn(async move {
            let body = json!({ "base_revision": 2, "ops": ops });
            client.post(url).json(&body).send().await.unwrap().status()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let table = Table::new("t");
    let table_id_small = table.id;
    let mut revision = app
        .apply(
            small.diagram.id,
            small.revision,
            &[Op::AddTable { table, at: None }],
        )
        .await;
    let mut during = 0;
    while !heavy.is_finished() && during < 200 {
        let moved = Op::MoveTables {
            moves: vec![TableMove {
                table_id: table_id_small,
                x: during as f64,
                y: 0.0,
                by_hand: false,
            }],
        };
        revision = app.apply(small.diagram.id, revision, &[moved]).await;
        during += 1;
    }
    assert_eq!(heavy.await.unwrap(), StatusCode::OK);
    // Before, the batch held the database's write lock while it was applied: no other write
    // got through until it was done, and some failed with "database is locked".
    assert!(
        during >= 5,
        "only {during} small writes went through while the batch was applied"
    );
}

#[tokio::test]
async fn a_write_answered_408_is_never_applied() {
    // The wide diagram is made under the default timeout; the server is then started again on
    // the same data with a short one.
    let app = spawn_limited(Limits::default()).await;
    let (id, table_id, columns) = wide_diagram(&app, 20_000).await;
    let dir = app.stop().await;
    let app = spawn_app_with(dir, |s| {
        s.with_limits(Limits {
            request_timeout: Duration::from_secs(2),
            ..Limits::default()
        })
    })
    .await;
    let ops = comment_all(table_id, &columns[..10_000]);
    let started = std::time::Instant::now();
    let response = app.post_ops(id, 2, &ops).await;
    expect_error(response, StatusCode::REQUEST_TIMEOUT, "request_timeout").await;
    assert!(started.elapsed() < Duration::from_secs(5));
    // A later write queues behind the abandoned one, so once it is answered the writer is done.
    let rename = Op::RenameDiagram {
        name: "after".into(),
    };
    let mut revision = None;
    for _ in 0..60 {
        let response = app.post_ops(id, 2, std::slice::from_ref(&rename)).await;
        if response.status() == StatusCode::OK {
            revision = Some(response.json::<Value>().await.unwrap()["revision"].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(revision, Some(json!(3)), "only the rename was applied");
    let state = app.get(id).await;
    assert_eq!(state.revision, 3);
    assert!(
        state.diagram.tables[0]
            .columns
            .iter()
            .all(|c| c.comment.is_empty()),
        "no op of the timed-out batch was kept"
    );
}

#[tokio::test]
async fn history_is_snapshotted_by_op_count_not_only_by_bytes() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_limited(Limits::default()).await;
    let created = app.create("many small edits").await;
    let id = created.diagram.id;
    // A document far larger than the history that follows, so only the op count can call for a
    // snapshot.
    let tables: Vec<Table> = (0..600)
        .map(|i| {
            Table::empty(
                format!("t{i}"),
                (0..8)
                    .map(|c| Column::new(format!("column_{c}"), "varchar(80)"))
                    .collect(),
            )
        })
        .collect();
    let table_ids: Vec<Uuid> = tables.iter().map(|t| t.id).collect();
    let mut diagram = created.diagram.clone();
    diagram.tables = tables;
    let response = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 1, "diagram": diagram }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut revision = 2;
    for round in 0..21 {
        let ops: Vec<Op> = (0..100)
            .map(|k| Op::MoveTables {
                moves: vec![TableMove {
                    table_id: table_ids[k],
                    x: f64::from(round),
                    y: k as f64,
                    by_hand: false,
                }],
            })
            .collect();
        revision = app.apply(id, revision, &ops).await;
    }
    let dir = app.stop().await;
    let pool = sqlx::SqlitePool::connect(&database_url(&dir))
        .await
        .unwrap();
    let latest: i64 =
        sqlx::query_scalar("SELECT MAX(revision) FROM snapshots WHERE diagram_id = ?")
            .bind(id.to_string())
            .fetch_one(&pool)
            .await
            .unwrap();
    let history: i64 = sqlx::query_scalar(
        "SELECT SUM(LENGTH(body)) FROM revisions WHERE diagram_id = ? AND kind = 'ops'",
    )
    .bind(id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    let document: i64 = sqlx::query_scalar(
        "SELECT LENGTH(body) FROM revisions WHERE diagram_id = ? AND kind = 'replace'",
    )
    .bind(id.to_string())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        history < document,
        "the bytes rule alone would not snapshot"
    );
    assert!(
        latest > 2,
        "2,100 ops replayed on every load (latest snapshot {latest})"
    );
    assert!(revision > latest, "one snapshot, then history again");
}

fn add_column(table_id: Uuid, column: Column) -> Op {
    Op::AddColumn {
        table_id,
        column,
        at: None,
    }
}

#[tokio::test]
async fn every_field_has_a_limit_and_a_rule_with_its_own_code() {
    let app = spawn_limited(Limits {
        text_bytes: 1024,
        document_bytes: 64 * 1024,
        body_bytes: 1024 * 1024,
        ..Limits::default()
    })
    .await;
    let created = app.create("limits").await;
    let id = created.diagram.id;
    let table = Table::new("t");
    let table_id = table.id;
    let revision = app.apply(id, 1, &[Op::AddTable { table, at: None }]).await;

    let mut long_comment = Column::new("c", "int");
    long_comment.comment = "x".repeat(1025);
    let response = app
        .post_ops(id, revision, &[add_column(table_id, long_comment)])
        .await;
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "comment_too_long").await;
    let note = Op::AddNote {
        note: model::Note::new("y".repeat(2000), 0.0, 0.0),
        at: None,
    };
    let response = app.post_ops(id, revision, &[note]).await;
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "note_too_long").await;
    let long_type = add_column(
        table_id,
        Column::new("c", format!("varchar({})", "9".repeat(1100))),
    );
    let response = app.post_ops(id, revision, &[long_type]).await;
    expect_error(
        response,
        StatusCode::PAYLOAD_TOO_LARGE,
        "data_type_too_long",
    )
    .await;

    let colour = |value: &str| Op::UpdateTable {
        table_id,
        patch: TablePatch {
            color: Some(value.into()),
            ..TablePatch::default()
        },
    };
    let response = app
        .post_ops(
            id,
            revision,
            &[colour("url(http://attacker.example/x.png)")],
        )
        .await;
    expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_color").await;
    let rename = Op::UpdateTable {
        table_id,
        patch: TablePatch {
            name: Some("orders\u{202E}txt".into()),
            ..TablePatch::default()
        },
    };
    let body = expect_error(
        app.post_ops(id, revision, &[rename]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_name",
    )
    .await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("U+202E"),
        "{body}"
    );
    let junk_type = add_column(table_id, Column::new("c", "int); DROP TABLE t; --"));
    expect_error(
        app.post_ops(id, revision, &[junk_type]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_data_type",
    )
    .await;
    let far = json!({ "base_revision": revision, "ops": [{
        "op": "move_tables", "moves": [{ "table_id": table_id, "x": 1e308, "y": 0 }]
    }]});
    let response = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .json(&far)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "out_of_range").await;

    // A replacement with a field the document does not have is refused, not silently dropped.
    let mut document = serde_json::to_value(app.get(id).await.diagram).unwrap();
    document["tables"][0]["owner"] = json!("someone");
    let response = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": revision, "diagram": document }))
        .send()
        .await
        .unwrap();
    let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    assert!(
        body["error"]["message"].as_str().unwrap().contains("owner"),
        "{body}"
    );

    // The whole document has a byte limit too: 70 columns with 1 KiB comments pass the field
    // limit but not the 64 KiB document limit.
    let ops: Vec<Op> = (0..70)
        .map(|i| {
            let mut c = Column::new(format!("c{i}"), "int");
            c.comment = "z".repeat(1000);
            add_column(table_id, c)
        })
        .collect();
    expect_error(
        app.post_ops(id, revision, &ops).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "document_too_large",
    )
    .await;
    assert_eq!(app.get(id).await.revision, revision, "nothing was applied");
}

#[tokio::test]
async fn a_preview_holds_to_the_same_limits_as_the_import() {
    let app = spawn_limited(Limits {
        tables: 3,
        ..Limits::default()
    })
    .await;
    let sql = "CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int); CREATE TABLE d (id int);";
    for preview in ["&preview=1", ""] {
        let response = app
            .client
            .post(app.url(&format!("/api/ddl/import?dialect=postgresql{preview}")))
            .body(sql)
            .send()
            .await
            .unwrap();
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_tables",
        )
        .await;
    }
}

#[tokio::test]
async fn a_byte_order_mark_is_skipped_not_the_first_statement() {
    let app = spawn_app().await;
    let sql = "\u{FEFF}CREATE TABLE first (id int);\nCREATE TABLE second (id int);\n";
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=postgresql&preview=1"))
        .body(sql)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let names: Vec<&str> = body["report"]["diagram"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["first", "second"]);
}

#[tokio::test]
async fn static_files_answer_404_for_any_name_and_never_redirect() {
    let app = spawn_app().await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let long = format!("/pkg/{}", "a".repeat(256));
    for path in [
        long.as_str(),
        "/pkg///.",
        "/pkg/..%2f..%2fCargo.toml",
        "/pkg/",
        "/pkg/missing.js",
    ] {
        let response = no_redirects.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.headers().get("location").is_none(), "{path}");
        expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    let api = app
        .client
        .get(app.url("/api/diagrams"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn a_diagram_stored_before_the_field_rules_stays_editable() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_app().await;
    let created = app.create("legacy").await;
    let id = created.diagram.id;
    let mut table = Table::empty("orders", vec![Column::new("id", "int")]);
    table.color = "#336699".into();
    let table_id = table.id;
    let revision = app.apply(id, 1, &[Op::AddTable { table, at: None }]).await;
    let dir = app.stop().await;
    // What an earlier server accepted: a colour that is not one, an unclosed type.
    let pool = sqlx::SqlitePool::connect(&database_url(&dir))
        .await
        .unwrap();
    sqlx::query(
        "UPDATE revisions SET body = replace(replace(body, '#336699', 'url(http://x.example/)'),
                                             '\"data_type\":\"int\"', '\"data_type\":\"varchar(255\"')
         WHERE diagram_id = ?",
    )
    .bind(id.to_string())
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM snapshots WHERE diagram_id = ? AND revision > 1")
        .bind(id.to_string())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let app = support::spawn_app_in(dir, 1024 * 1024).await;
    let state = app.get(id).await;
    assert_eq!(state.diagram.tables[0].color, "url(http://x.example/)");
    // Edits that do not touch those fields go through; one that sets them is checked.
    let renamed = Op::UpdateTable {
        table_id,
        patch: TablePatch {
            name: Some("purchase_orders".into()),
            ..TablePatch::default()
        },
    };
    let revision = app.apply(id, revision, &[renamed]).await;
    let note = Op::AddNote {
        note: model::Note::new("still editable", 0.0, 0.0),
        at: None,
    };
    let revision = app.apply(id, revision, &[note]).await;
    let recolour = Op::UpdateTable {
        table_id,
        patch: TablePatch {
            color: Some("url(http://y.example/)".into()),
            ..TablePatch::default()
        },
    };
    expect_error(
        app.post_ops(id, revision, &[recolour]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_color",
    )
    .await;
}

#[tokio::test]
async fn sqlite_columns_without_a_type_import() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=sqlite"))
        .body("CREATE TABLE kv (k PRIMARY KEY, v);")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let columns = &body["report"]["diagram"]["tables"][0]["columns"];
    assert_eq!(columns.as_array().unwrap().len(), 2);
}
