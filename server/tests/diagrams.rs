//! The diagrams API over HTTP, on a real SQLite file per test.

mod support;

use model::api::{DiagramSummary, RevisionInfo};
use model::{Column, Diagram, Op, Table, TablePatch};
use reqwest::StatusCode;
use serde_json::json;
use support::{expect_error, spawn_app, spawn_app_in};

#[tokio::test]
async fn diagrams_are_created_listed_read_and_deleted() {
    let app = spawn_app().await;
    let created = app.create("Shop").await;
    assert_eq!(created.revision, 1);
    assert_eq!(created.diagram.name, "Shop");

    let untitled = app
        .client
        .post(app.url("/api/diagrams"))
        .send()
        .await
        .expect("request");
    assert_eq!(untitled.status(), StatusCode::CREATED);

    let list: Vec<DiagramSummary> = app.get_json("/api/diagrams").await;
    assert_eq!(list.len(), 2);
    let shop = list
        .iter()
        .find(|d| d.id == created.diagram.id)
        .expect("listed");
    assert_eq!((shop.name.as_str(), shop.table_count), ("Shop", 0));
    assert!(shop.updated_at.ends_with('Z'), "{}", shop.updated_at);
    assert!(list.iter().any(|d| d.name == "Untitled diagram"));

    assert_eq!(app.get(created.diagram.id).await, created);

    let url = app.url(&format!("/api/diagrams/{}", created.diagram.id));
    assert_eq!(
        app.client.delete(&url).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    expect_error(
        app.client.get(&url).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.client.delete(&url).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_diagram_is_sent_gzipped_to_clients_that_take_gzip() {
    let app = spawn_app().await;
    let id = app.create("Zipped").await.diagram.id;
    let tables: Vec<Op> = (0..40)
        .map(|i| {
            let mut table = Table::new(format!("table_{i}"));
            table.columns.push(Column::new("name", "text"));
            Op::AddTable { table, at: None }
        })
        .collect();
    let revision = app.apply(id, 1, &tables).await;
    let comment = Op::UpdateTable {
        table_id: app.get(id).await.diagram.tables[20].id,
        patch: TablePatch {
            comment: Some("after the first read".into()),
            ..TablePatch::default()
        },
    };
    let url = app.url(&format!("/api/diagrams/{id}"));
    // The Content-Encoding and the body of a GET sending `accept` as Accept-Encoding.
    let get = async |accept: Option<&str>| {
        let mut request = app.client.get(&url);
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.headers()["vary"], "accept-encoding");
        let encoding = response.headers().get("content-encoding").cloned();
        (encoding, response.bytes().await.unwrap())
    };
    for step in 0..2 {
        if step == 1 {
            app.apply(id, revision, std::slice::from_ref(&comment))
                .await;
        }
        let (encoding, plain) = get(None).await;
        assert_eq!(encoding, None);

        let (encoding, zipped) = get(Some("gzip, deflate, br, zstd")).await;
        assert_eq!(encoding.unwrap(), "gzip");
        assert!(
            zipped.len() * 2 < plain.len(),
            "{} of {}",
            zipped.len(),
            plain.len()
        );
        let mut unzipped = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&zipped[..]),
            &mut unzipped,
        )
        .expect("valid gzip");
        assert_eq!(unzipped, plain, "step {step}: the same JSON");

        let (encoding, refused) = get(Some("br, gzip;q=0")).await;
        assert_eq!(encoding, None);
        assert_eq!(refused, plain);
    }
    let state: model::api::DiagramState = serde_json::from_slice(&get(None).await.1).unwrap();
    assert_eq!(state.diagram.tables[20].comment, "after the first read");
}

#[tokio::test]
async fn an_op_batch_persists_across_a_restart() {
    let app = spawn_app().await;
    let created = app.create("Persist").await;
    let id = created.diagram.id;
    let table = Table::new("users");
    let rev = app
        .apply(
            id,
            1,
            &[Op::AddTable {
                table: table.clone(),
                at: None,
            }],
        )
        .await;
    assert_eq!(rev, 2);

    let dir = app.stop().await;
    let app = spawn_app_in(dir, 1024 * 1024).await;
    let state = app.get(id).await;
    assert_eq!(state.revision, 2);
    assert_eq!(state.diagram.tables, vec![table]);
    let list: Vec<DiagramSummary> = app.get_json("/api/diagrams").await;
    assert_eq!(list[0].table_count, 1);
}

#[tokio::test]
async fn a_stale_batch_on_other_entities_is_accepted() {
    let app = spawn_app().await;
    let id = app.create("Two tabs").await.diagram.id;
    let users = Table::new("users");
    let orders = Table::new("orders");
    app.apply(
        id,
        1,
        &[Op::AddTable {
            table: users.clone(),
            at: None,
        }],
    )
    .await;
    // A second client still at revision 1 adds another table: it commutes, so it is kept.
    let rev = app
        .apply(
            id,
            1,
            &[Op::AddTable {
                table: orders.clone(),
                at: None,
            }],
        )
        .await;
    assert_eq!(rev, 3);
    let state = app.get(id).await;
    assert_eq!(state.diagram.tables, vec![users, orders]);
}

#[tokio::test]
async fn a_conflicting_batch_gets_409_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.create("Conflict").await.diagram.id;
    let users = Table::new("users");
    app.apply(
        id,
        1,
        &[Op::AddTable {
            table: users.clone(),
            at: None,
        }],
    )
    .await;
    // Client A removes the table; client B, still at revision 2, renames it and adds a column.
    app.apply(id, 2, &[Op::RemoveTable { table_id: users.id }])
        .await;
    let before = app.get(id).await;
    let stale = [
        Op::RenameDiagram {
            name: "Renamed".into(),
        },
        Op::UpdateTable {
            table_id: users.id,
            patch: TablePatch {
                name: Some("people".into()),
                ..Default::default()
            },
        },
    ];
    let body = expect_error(
        app.post_ops(id, 2, &stale).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(body["error"]["current_revision"], 3);
    assert_eq!(
        app.get(id).await,
        before,
        "nothing of the refused batch was applied"
    );

    // The same batch against the current revision is simply invalid: 422, with the op's index.
    let body = expect_error(
        app.post_ops(id, 3, &stale).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_op",
    )
    .await;
    assert_eq!(body["error"]["op_index"], 1);
    expect_error(
        app.post_ops(id, 9, &stale[..1]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_base_revision",
    )
    .await;
    assert_eq!(app.get(id).await, before);
}

#[tokio::test]
async fn history_lists_revisions_and_rebuilds_an_old_one() {
    let app = spawn_app().await;
    let created = app.create("History").await;
    let id = created.diagram.id;
    let mut users = Table::new("users");
    users.columns.push(Column::new("email", "text"));
    app.apply(
        id,
        1,
        &[Op::AddTable {
            table: users.clone(),
            at: None,
        }],
    )
    .await;
    app.apply(
        id,
        2,
        &[
            Op::RenameDiagram {
                name: "History 2".into(),
            },
            Op::RemoveTable { table_id: users.id },
        ],
    )
    .await;
    let at_three = app.get(id).await.diagram;

    let mut replacement = Diagram::new("Imported");
    replacement.tables.push(Table::new("films"));
    let response = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 3, "diagram": replacement }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    app.apply(
        id,
        4,
        &[Op::RenameDiagram {
            name: "After import".into(),
        }],
    )
    .await;
    // A stale replace would throw away others' work: refused.
    let stale = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 2, "diagram": Diagram::new("Old") }))
        .send()
        .await
        .unwrap();
    expect_error(stale, StatusCode::CONFLICT, "conflict").await;

    let revisions: Vec<RevisionInfo> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    let kinds: Vec<(i64, &str, u32)> = revisions
        .iter()
        .map(|r| (r.revision, r.kind.as_str(), r.op_count))
        .collect();
    assert_eq!(
        kinds,
        [
            (1, "create", 0),
            (2, "ops", 1),
            (3, "ops", 2),
            (4, "replace", 0),
            (5, "ops", 1)
        ]
    );

    let at = |rev: i64| {
        app.client
            .get(app.url(&format!("/api/diagrams/{id}/revisions/{rev}")))
            .send()
    };
    let first: Diagram = at(1).await.unwrap().json().await.unwrap();
    assert_eq!(first, created.diagram);
    let second: Diagram = at(2).await.unwrap().json().await.unwrap();
    assert_eq!(second.tables, vec![users]);
    let third: Diagram = at(3).await.unwrap().json().await.unwrap();
    assert_eq!(third, at_three);
    let fifth: Diagram = at(5).await.unwrap().json().await.unwrap();
    assert_eq!(fifth, app.get(id).await.diagram);
    assert_eq!(fifth.tables[0].name, "films");
    assert_eq!(fifth.id, id, "a replacement keeps the diagram's id");
    expect_error(at(6).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    expect_error(at(0).await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
}
