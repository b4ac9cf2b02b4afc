//! History over HTTP: revisions with their authors and summaries, pages of them, and named
//! versions (made, renamed, removed; checked names and revisions).

mod support;

use model::api::{RevisionInfo, VersionInfo};
use model::{Column, ColumnPatch, Op, Table};
use reqwest::StatusCode;
use serde_json::json;
use support::{expect_error, spawn_app};

#[tokio::test]
async fn revisions_say_who_did_what_and_come_in_pages() {
    let app = spawn_app().await;
    let created = app.create("Shop").await;
    let id = created.diagram.id;
    let mut customer = Table::new("customer");
    customer.columns.push(Column::new("nm", "text"));
    let (table_id, column_id) = (customer.id, customer.columns[1].id);
    let mut revision = app
        .apply(
            id,
            created.revision,
            &[Op::AddTable {
                table: customer,
                at: None,
            }],
        )
        .await;
    revision = app
        .apply(
            id,
            revision,
            &[Op::UpdateColumn {
                table_id,
                column_id,
                patch: ColumnPatch {
                    name: Some("name".into()),
                    ..Default::default()
                },
            }],
        )
        .await;
    let all: Vec<RevisionInfo> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].kind, "create");
    assert!(all[0].summary.is_empty());
    assert_eq!(all[1].summary, ["added table customer"]);
    assert_eq!(all[2].summary, ["renamed column customer.nm to name"]);
    assert_eq!(all[2].revision, revision);
    match &all[2].author {
        Some(model::api::Author::Person { name, .. }) => assert_eq!(name, "owner"),
        other => panic!("author {other:?}"),
    }
    // The newest one before revision 3, then what is before that.
    let page: Vec<RevisionInfo> = app
        .get_json(&format!("/api/diagrams/{id}/revisions?before=3&limit=1"))
        .await;
    assert_eq!(page.iter().map(|r| r.revision).collect::<Vec<_>>(), [2]);
    let page: Vec<RevisionInfo> = app
        .get_json(&format!("/api/diagrams/{id}/revisions?before=1"))
        .await;
    assert!(page.is_empty());
    let bad = app
        .client
        .get(app.url(&format!("/api/diagrams/{id}/revisions?limit=0")))
        .send()
        .await
        .unwrap();
    expect_error(bad, StatusCode::BAD_REQUEST, "invalid_query").await;
}

#[tokio::test]
async fn versions_are_named_renamed_and_removed() {
    let app = spawn_app().await;
    let created = app.create("Shop").await;
    let id = created.diagram.id;
    let revision = app
        .apply(
            id,
            created.revision,
            &[Op::AddTable {
                table: Table::new("t"),
                at: None,
            }],
        )
        .await;
    let path = format!("/api/diagrams/{id}/versions");
    let first: VersionInfo = serde_json::from_value(
        app.post_json(&path, &json!({ "name": " v1.0 ", "revision": 1 }))
            .await,
    )
    .unwrap();
    assert_eq!((first.name.as_str(), first.revision), ("v1.0", 1));
    let now: VersionInfo = serde_json::from_value(
        app.post_json(&path, &json!({ "name": "v1.1 deployed" }))
            .await,
    )
    .unwrap();
    assert_eq!(
        now.revision, revision,
        "the current revision when none is given"
    );
    let listed: Vec<VersionInfo> = app.get_json(&path).await;
    assert_eq!(
        listed.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["v1.1 deployed", "v1.0"],
        "newest first"
    );
    assert!(
        matches!(&listed[0].author, Some(model::api::Author::Person { name, .. }) if name == "owner")
    );

    for (body, status, code) in [
        (
            json!({ "name": "   " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_version_name",
        ),
        (
            json!({ "name": "x".repeat(101) }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_version_name",
        ),
        (
            json!({ "name": "later", "revision": 99 }),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        let answer = app
            .client
            .post(app.url(&path))
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_error(answer, status, code).await;
    }

    let one = format!("{path}/{}", first.id);
    let renamed = app
        .client
        .patch(app.url(&one))
        .json(&json!({ "name": "v1.0 final" }))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::OK);
    let renamed: VersionInfo = renamed.json().await.unwrap();
    assert_eq!(renamed.name, "v1.0 final");
    let gone = app.client.delete(app.url(&one)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let again = app.client.delete(app.url(&one)).send().await.unwrap();
    expect_error(again, StatusCode::NOT_FOUND, "not_found").await;
    let listed: Vec<VersionInfo> = app.get_json(&path).await;
    assert_eq!(listed.len(), 1);
    // A version of another diagram is not found through this one.
    let other = app.create("Other").await.diagram.id;
    let elsewhere = app
        .client
        .delete(app.url(&format!("/api/diagrams/{other}/versions/{}", now.id)))
        .send()
        .await
        .unwrap();
    expect_error(elsewhere, StatusCode::NOT_FOUND, "not_found").await;
}
