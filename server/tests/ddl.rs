//! SQL import and export over HTTP.

mod support;

use model::api::RevisionInfo;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use support::{expect_error, spawn_app};

const SHOP: &str = "
-- a comment; with a semicolon
CREATE TABLE users (id serial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    total numeric(10,2) DEFAULT 0
);
INSERT INTO users (email) VALUES ('a@example.com');
";

async fn import(app: &support::TestApp, query: &str, body: &'static str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/ddl/import{query}")))
        .header("content-type", "text/plain")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn importing_sql_creates_a_diagram_with_tables_relationships_and_a_report() {
    let app = spawn_app().await;
    let response = import(&app, "?dialect=postgresql&name=Shop", SHOP).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["dialect"], "postgresql");
    // The browser reads the answer through the model's API types: they must match the server's.
    let answer: model::api::ImportAnswer = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(answer.report.skipped.len(), 1);
    let id: model::Uuid = serde_json::from_value(body["diagram_id"].clone()).unwrap();
    assert_eq!(body["report"]["skipped"][0]["kind"], "INSERT");
    assert_eq!(body["report"]["skipped"][0]["line"], 9);
    assert_eq!(body["report"]["errors"], Value::Array(vec![]));

    let state = app.get(id).await;
    assert_eq!(state.diagram.name, "Shop");
    let names: Vec<&str> = state
        .diagram
        .tables
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["users", "orders"]);
    assert_eq!(state.diagram.relationships.len(), 1);
    let orders = &state.diagram.tables[1];
    assert!(orders.column_named("user_id").is_some_and(|c| !c.nullable));
    let (a, b) = (&state.diagram.tables[0], &state.diagram.tables[1]);
    assert!(
        a.x != b.x || a.y != b.y,
        "imported tables get their own places"
    );
}

#[tokio::test]
async fn an_uploaded_file_with_auto_dialect_is_imported() {
    let app = spawn_app().await;
    let sql = "CREATE TABLE `films` (`id` int(11) NOT NULL AUTO_INCREMENT, `title` varchar(100), PRIMARY KEY (`id`)) ENGINE=InnoDB;";
    let form = Form::new().part("file", Part::text(sql).file_name("films.sql"));
    let response = app
        .client
        .post(app.url("/api/ddl/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["dialect"], "mysql");
    assert_eq!(body["report"]["diagram"]["tables"][0]["name"], "films");
    assert_eq!(
        body["report"]["diagram"]["tables"][0]["columns"][0]["auto_increment"],
        true
    );
}

#[tokio::test]
async fn a_preview_stores_nothing() {
    let app = spawn_app().await;
    let response = import(&app, "?dialect=postgresql&preview=1", SHOP).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["diagram_id"], Value::Null);
    assert_eq!(
        body["report"]["diagram"]["tables"].as_array().map(Vec::len),
        Some(2)
    );
    let list: Vec<Value> = app.get_json("/api/diagrams").await;
    assert!(list.is_empty());
}

#[tokio::test]
async fn importing_into_a_diagram_replaces_its_content_as_one_history_entry() {
    let app = spawn_app().await;
    let created = app.create("Kept name").await;
    let id = created.diagram.id;
    // The diagram's naming standard and subject areas are its own, not the SQL's: they stay.
    let area = model::Area::new("Sales");
    let standard = [
        model::Op::PutWord {
            word: model::Word::new("Customer", "CUST"),
            at: None,
        },
        model::Op::AddArea {
            area: area.clone(),
            at: None,
        },
    ];
    app.apply(id, created.revision, &standard).await;
    let response = import(&app, &format!("?dialect=postgresql&diagram={id}"), SHOP).await;
    assert_eq!(response.status(), StatusCode::OK);
    let state = app.get(id).await;
    assert_eq!(
        (
            state.diagram.name.as_str(),
            state.diagram.tables.len(),
            state.revision
        ),
        ("Kept name", 2, 3)
    );
    assert_eq!(state.diagram.dictionary.words.len(), 1);
    assert_eq!(state.diagram.areas, std::slice::from_ref(&area));
    let revisions: Vec<RevisionInfo> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    assert_eq!(
        revisions
            .iter()
            .map(|r| r.kind.as_str())
            .collect::<Vec<_>>(),
        ["create", "ops", "replace"]
    );
}

#[tokio::test]
async fn export_answers_ddl_as_text_and_as_a_named_download() {
    let app = spawn_app().await;
    let body: Value = import(&app, "?dialect=postgresql&name=My%20Shop", SHOP)
        .await
        .json()
        .await
        .unwrap();
    let id = body["diagram_id"].as_str().unwrap().to_string();
    for dialect in [
        "postgresql",
        "mysql",
        "mariadb",
        "sqlite",
        "mssql",
        "oracle",
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/diagrams/{id}/export?dialect={dialect}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{dialect}");
        assert_eq!(
            response.headers()["content-type"],
            "text/plain; charset=utf-8"
        );
        assert!(response.headers().get("content-disposition").is_none());
        let sql = response.text().await.unwrap();
        assert!(
            sql.contains("CREATE TABLE") && sql.contains("users") && sql.contains("orders"),
            "{dialect}: {sql}"
        );
    }
    let download = app
        .client
        .get(app.url(&format!(
            "/api/diagrams/{id}/export?dialect=sqlite&download=1"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"My_Shop.sqlite.sql\""
    );
}

#[tokio::test]
async fn bad_import_and_export_requests_get_clear_errors() {
    let app = spawn_app().await;
    expect_error(
        import(&app, "?dialect=cobol", SHOP).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    expect_error(
        import(&app, "?dialect=postgresql", "   -- nothing here\n").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nothing_to_import",
    )
    .await;
    let invalid_utf8 = app
        .client
        .post(app.url("/api/ddl/import"))
        .body(vec![b'C', b'R', 0xff, 0xfe])
        .send()
        .await
        .unwrap();
    let body = expect_error(invalid_utf8, StatusCode::BAD_REQUEST, "malformed_body").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("UTF-8"));
    let id = app.create("x").await.diagram.id;
    let response = app
        .client
        .get(app.url(&format!("/api/diagrams/{id}/export?dialect=db2")))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let response = app
        .client
        .get(app.url(&format!("/api/diagrams/{id}/export")))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "invalid_query").await;
    let ghost = model::Uuid::new_v4();
    let response = app
        .client
        .get(app.url(&format!("/api/diagrams/{ghost}/export?dialect=mysql")))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn migration_answers_the_alter_script_between_two_revisions() {
    let app = spawn_app().await;
    let body: Value = import(&app, "?dialect=postgresql&name=Shop", SHOP)
        .await
        .json()
        .await
        .unwrap();
    let id: model::Uuid = serde_json::from_value(body["diagram_id"].clone()).unwrap();
    let state = app.get(id).await;
    let first = state.revision;
    let users = state
        .diagram
        .tables
        .iter()
        .find(|t| t.name == "users")
        .unwrap();
    let email = users.columns.iter().find(|c| c.name == "email").unwrap();
    let rename: model::Op = serde_json::from_value(serde_json::json!({
        "op": "update_column", "table_id": users.id, "column_id": email.id,
        "patch": { "name": "mail" }
    }))
    .unwrap();
    let add = model::Op::AddColumn {
        table_id: users.id,
        column: model::Column::new("nickname", "varchar(40)"),
        at: None,
    };
    let current = app.apply(id, first, &[rename, add]).await;

    let get = |query: String| {
        let url = app.url(&format!("/api/diagrams/{id}/migration?{query}"));
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    let up = get(format!("from={first}&dialect=postgresql")).await;
    assert_eq!(up.status(), StatusCode::OK);
    assert_eq!(up.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(up.headers()["tablewright-warnings"], "0");
    let sql = up.text().await.unwrap();
    assert!(
        sql.contains("ALTER TABLE users RENAME COLUMN email TO mail;"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER TABLE users ADD COLUMN nickname VARCHAR(40);"),
        "{sql}"
    );
    assert!(
        !sql.contains("DROP COLUMN"),
        "a rename is not a drop: {sql}"
    );

    let down = get(format!(
        "from={first}&to={current}&dialect=mysql&direction=down"
    ))
    .await;
    assert_eq!(down.headers()["tablewright-warnings"], "1");
    let sql = down.text().await.unwrap();
    assert!(sql.contains("RENAME COLUMN mail TO email"), "{sql}");
    assert!(
        sql.contains("-- Destructive: drops column users.nickname"),
        "{sql}"
    );

    let download = get(format!("from={first}&dialect=sqlite&download=1")).await;
    assert_eq!(
        download.headers()["content-disposition"],
        format!("attachment; filename=\"Shop.r{first}-r{current}.sqlite.sql\"")
    );
    for (query, status, code) in [
        (
            format!("from={first}&dialect=cobol"),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            format!("from={first}&dialect=mysql&direction=sideways"),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "dialect=mysql".to_string(),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        ),
        (
            "from=99&dialect=mysql".to_string(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ] {
        expect_error(get(query).await, status, code).await;
    }
}

/// One subject area exports alone: its tables and the foreign keys between them, not the rest;
/// an area the diagram lacks is a clear error.
#[tokio::test]
async fn export_of_a_subject_area_holds_only_its_tables() {
    let app = spawn_app().await;
    let body: Value = import(&app, "?dialect=postgresql&name=Shop", SHOP)
        .await
        .json()
        .await
        .unwrap();
    let id: model::Uuid = serde_json::from_value(body["diagram_id"].clone()).unwrap();
    let state = app.get(id).await;
    let orders = state.diagram.table_named(None, "orders").unwrap().id;
    let area = model::Area::new("Sales");
    let ops = [
        model::Op::AddArea {
            area: area.clone(),
            at: None,
        },
        model::Op::UpdateTable {
            table_id: orders,
            patch: model::TablePatch {
                area: Some(Some(area.id)),
                ..Default::default()
            },
        },
    ];
    app.apply(id, state.revision, &ops).await;
    let state = app.get(id).await;
    assert_eq!(
        state.diagram.areas,
        std::slice::from_ref(&area),
        "areas are served"
    );
    let sql = app
        .get_text(&format!(
            "/api/diagrams/{id}/export?dialect=postgresql&area={}",
            area.id
        ))
        .await;
    assert!(sql.contains("CREATE TABLE orders"), "{sql}");
    assert!(!sql.contains("CREATE TABLE users"), "{sql}");
    assert!(
        !sql.contains("REFERENCES"),
        "no key to a table left out: {sql}"
    );
    let whole = app
        .get_text(&format!("/api/diagrams/{id}/export?dialect=postgresql"))
        .await;
    assert!(whole.contains("CREATE TABLE users") && whole.contains("REFERENCES"));
    let response = app
        .client
        .get(app.url(&format!(
            "/api/diagrams/{id}/export?dialect=postgresql&area={}",
            model::Uuid::new_v4()
        )))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "invalid_query").await;
}
