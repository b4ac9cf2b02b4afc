//! Configured limits answer 408, 413 or 422 with a code naming the limit, and change nothing.

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use model::{Column, Op, Table};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use server::Limits;
use support::{TestApp, expect_error, spawn_app, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn spawn_limited(limits: Limits) -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), |s| s.with_limits(limits)).await
}

fn add_table(name: &str, columns: usize) -> Op {
    let columns = (0..columns)
        .map(|i| Column::new(format!("c{i}"), "integer"))
        .collect();
    Op::AddTable {
        table: Table::empty(name, columns),
        at: None,
    }
}

#[tokio::test]
async fn a_batch_over_the_op_limit_is_413_counting_nested_batches() {
    let app = spawn_limited(Limits {
        ops_per_batch: 4,
        ..Limits::default()
    })
    .await;
    let id = app.create("x").await.diagram.id;
    let rename = |n: &str| Op::RenameDiagram { name: n.into() };
    let nested = Op::Batch {
        ops: vec![rename("a"), rename("b"), rename("c")],
    };
    // Four ops count: the batch and the three inside it.
    let revision = app.apply(id, 1, std::slice::from_ref(&nested)).await;
    assert_eq!(revision, 2);
    let response = app.post_ops(id, 2, &[nested, rename("d")]).await;
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "too_many_ops").await;
    assert_eq!(app.get(id).await.revision, 2);
}

#[tokio::test]
async fn tables_and_columns_over_the_diagram_limits_are_422_by_every_road() {
    let app = spawn_limited(Limits {
        tables: 2,
        columns: 5,
        ..Limits::default()
    })
    .await;
    let id = app.create("x").await.diagram.id;
    let revision = app
        .apply(id, 1, &[add_table("a", 2), add_table("b", 2)])
        .await;
    let response = app.post_ops(id, revision, &[add_table("c", 0)]).await;
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_tables",
    )
    .await;
    let a = app.get(id).await.diagram.tables[0].id;
    let more: Vec<Op> = (0..2)
        .map(|i| Op::AddColumn {
            table_id: a,
            column: Column::new(format!("extra{i}"), "text"),
            at: None,
        })
        .collect();
    let response = app.post_ops(id, revision, &more).await;
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_columns",
    )
    .await;
    assert_eq!(app.get(id).await.revision, revision, "nothing was stored");
    // At the limit, edits that do not grow the diagram still go through.
    app.apply(id, revision, &more[..1]).await;

    let mut big = model::Diagram::new("big");
    for name in ["a", "b", "c"] {
        big.tables.push(Table::empty(name, vec![]));
    }
    let response = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": revision + 1, "diagram": big }))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_tables",
    )
    .await;
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=sqlite"))
        .body("CREATE TABLE a (x int); CREATE TABLE b (x int); CREATE TABLE c (x int);")
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_tables",
    )
    .await;
    let list: Vec<serde_json::Value> = app.get_json("/api/diagrams").await;
    assert_eq!(list.len(), 1, "the refused import stored nothing");
}

#[tokio::test]
async fn sql_over_the_import_limit_is_413_and_the_import_limit_not_the_body_limit_decides() {
    let app = spawn_limited(Limits {
        body_bytes: 200,
        import_bytes: 1_000,
        ..Limits::default()
    })
    .await;
    let table = "CREATE TABLE t (id integer primary key, name varchar(100));\n";
    let fits = table.repeat(900 / table.len());
    assert!(fits.len() > 200 && fits.len() <= 1_000);
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=sqlite&preview=1"))
        .body(fits)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let over = table.repeat(2_000 / table.len());
    let response = app
        .client
        .post(app.url("/api/ddl/import?dialect=sqlite"))
        .body(over.clone())
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "sql_too_large").await;
    let form = Form::new().part("file", Part::text(over).file_name("big.sql"));
    let response = app
        .client
        .post(app.url("/api/ddl/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "sql_too_large").await;
    // JSON routes keep the body limit.
    let response = app
        .client
        .post(app.url("/api/diagrams"))
        .json(&json!({ "name": "n".repeat(300) }))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn names_over_255_characters_are_refused_and_255_are_kept() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    // Multi-byte characters: the limit counts characters, not bytes.
    let longest = "가".repeat(model::MAX_NAME_LEN);
    let revision = app.apply(id, 1, &[add_table(&longest, 1)]).await;
    let too_long = format!("{longest}x");
    for op in [
        add_table(&too_long, 1),
        Op::RenameDiagram {
            name: too_long.clone(),
        },
    ] {
        let response = app.post_ops(id, revision, &[op]).await;
        let body = expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_op").await;
        assert_eq!(body["error"]["op_index"], 0);
    }
    assert_eq!(app.get(id).await.diagram.tables[0].name, longest);
}

/// Writes `parts` to a raw connection, one every `gap`, then reads until the server closes the
/// connection or `wait` passes; returns what was read and whether the server closed it.
async fn trickle(
    addr: SocketAddr,
    parts: Vec<Vec<u8>>,
    gap: Duration,
    wait: Duration,
) -> (String, bool) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    for part in &parts {
        tokio::time::sleep(gap).await;
        if stream.write_all(part).await.is_err() {
            break; // closed by the server already
        }
    }
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match tokio::time::timeout(wait, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&answer).into_owned(), closed)
}

#[tokio::test]
async fn a_request_whose_body_trickles_in_past_the_timeout_is_408_and_changes_nothing() {
    let app = spawn_limited(Limits {
        request_timeout: Duration::from_millis(600),
        ..Limits::default()
    })
    .await;
    let id = app.create("x").await.diagram.id;
    let token = app.token("write").await;
    let body = json!({ "base_revision": 1, "ops": [{ "op": "rename_diagram", "name": "slow" }] })
        .to_string();
    let head = format!(
        "POST /api/diagrams/{id}/ops HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let mut parts = vec![head.into_bytes()];
    parts.extend(body.as_bytes().chunks(10).map(<[u8]>::to_vec));
    let gap = Duration::from_millis(100);
    let (answer, _) = trickle(app.addr, parts, gap, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");
    let state = app.get(id).await;
    assert_eq!((state.revision, state.diagram.name.as_str()), (1, "x"));
}

#[tokio::test]
async fn a_client_sending_its_headers_slowly_is_cut_off_while_others_are_served() {
    let app = spawn_limited(Limits {
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    })
    .await;
    let head = b"GET /api/diagrams HTTP/1.1\r\nhost: test\r\nx-slow: 1\r\n\r\n";
    let bytes: Vec<Vec<u8>> = head.chunks(1).map(<[u8]>::to_vec).collect();
    let started = std::time::Instant::now();
    // One byte every 100 ms would take 4 s; a few slow clients at once, and an idle one.
    let gap = Duration::from_millis(100);
    let wait = Duration::from_secs(8);
    let mut clients: Vec<_> = (0..4)
        .map(|_| tokio::spawn(trickle(app.addr, bytes.clone(), gap, wait)))
        .collect();
    clients.push(tokio::spawn(trickle(app.addr, vec![], gap, wait)));
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..5 {
        let response = app
            .client
            .get(app.url("/api/diagrams"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let served_within = started.elapsed();
    assert!(served_within < Duration::from_secs(2), "{served_within:?}");
    for client in clients {
        let (answer, closed) = client.await.unwrap();
        assert!(closed, "the server kept a slow connection open");
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "a slow client got an answer: {answer}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "cut off after the timeout, not after the client finished: {:?}",
        started.elapsed()
    );
}
