//! Bad requests answer JSON errors with the right status and a stable code; the server lives on.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::{expect_error, spawn_app, spawn_app_in};

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    let response = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .header("content-type", "application/json")
        .body("{\"base_revision\": 1, \"ops\": [")
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
    let response = app
        .client
        .post(app.url("/api/diagrams"))
        .header("content-type", "application/json")
        .body("{nope")
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "malformed_json").await;
}

#[tokio::test]
async fn an_unknown_op_or_wrong_types_are_422() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    let url = app.url(&format!("/api/diagrams/{id}/ops"));
    for body in [
        json!({ "base_revision": 1, "ops": [{ "op": "explode" }] }),
        json!({ "base_revision": "one", "ops": [] }),
        json!({ "base_revision": 1, "ops": [{ "op": "rename_diagram", "name": 7 }] }),
        json!({ "base_revision": 1, "ops": [{ "op": "remove_table", "table_id": "not-a-uuid" }] }),
        json!([1, 2, 3]),
    ] {
        let response = app.client.post(&url).json(&body).send().await.unwrap();
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    }
    let response = app.client.post(&url).body("{}").send().await.unwrap();
    expect_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn unknown_diagrams_and_routes_are_404_and_bad_ids_400() {
    let app = spawn_app().await;
    let ghost = "5b0e1c1e-6b5f-4a43-9a0e-1f2d3c4b5a69";
    expect_error(
        app.client
            .get(app.url(&format!("/api/diagrams/{ghost}")))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let ops = app
        .client
        .post(app.url(&format!("/api/diagrams/{ghost}/ops")))
        .json(&json!({ "base_revision": 1, "ops": [] }))
        .send()
        .await
        .unwrap();
    expect_error(ops, StatusCode::NOT_FOUND, "not_found").await;
    expect_error(
        app.client
            .get(app.url(&format!("/api/diagrams/{ghost}/revisions")))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.client
            .get(app.url("/api/nothing-here"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.client
            .get(app.url("/api/diagrams/123"))
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "invalid_path",
    )
    .await;
}

#[tokio::test]
async fn an_oversize_body_is_413_and_the_server_still_answers() {
    let app = spawn_app_in(tempfile::tempdir().unwrap(), 4096).await;
    let id = app.create("x").await.diagram.id;
    let huge = json!({ "base_revision": 1, "ops": [{ "op": "rename_diagram", "name": "n".repeat(10_000) }] });
    let response = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .json(&huge)
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.get(id).await.revision, 1);
}

#[tokio::test]
async fn an_invalid_replacement_document_is_422() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    let mut doc = model::Diagram::new("Dupes");
    doc.tables.push(model::Table::new("users"));
    doc.tables.push(model::Table::new("users"));
    let response = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 1, "diagram": doc }))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_document",
    )
    .await;
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_a_json_405() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    let response = app
        .client
        .patch(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "name": "y" }))
        .send()
        .await
        .unwrap();
    expect_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}
