//! Every route against bad input: each answer has the expected status and error code, nothing is
//! stored, and the server keeps answering.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::Value;
use support::{TestApp, spawn_app};

const GHOST: &str = "5b0e1c1e-6b5f-4a43-9a0e-1f2d3c4b5a69";
const JSON: &str = "application/json";
const TEXT: &str = "text/plain";

/// One probe: a request, and the status and code it must get.
struct Case {
    what: &'static str,
    method: Method,
    /// `{id}` is replaced by a real diagram's id.
    path: String,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
}

fn case(
    what: &'static str,
    method: Method,
    path: &str,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        what,
        method,
        path: path.to_string(),
        content_type: JSON,
        body: body.into(),
        status,
        code,
    }
}

fn sql(
    what: &'static str,
    query: &str,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        content_type: TEXT,
        ..case(
            what,
            Method::POST,
            &format!("/api/ddl/import{query}"),
            body,
            status,
            code,
        )
    }
}

fn cases() -> Vec<Case> {
    use Method as M;
    let ops = "/api/diagrams/{id}/ops";
    let one = "/api/diagrams/{id}";
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut deep_batch = String::from(r#"{"op":"rename_diagram","name":"x"}"#);
    for _ in 0..200 {
        deep_batch = format!(r#"{{"op":"batch","ops":[{deep_batch}]}}"#);
    }
    let deep_batch = format!(r#"{{"base_revision":1,"ops":[{deep_batch}]}}"#);
    let mut bad_utf8 = br#"{"base_revision":1,"ops":[{"op":"rename_diagram","name":""#.to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    bad_utf8.extend_from_slice(br#""}]}"#);
    let table = |field: &str| {
        format!(
            r#"{{"base_revision":1,"ops":[{{"op":"add_table","table":{{"id":"{GHOST}","name":"t",{field}}}}}]}}"#
        )
    };
    vec![
        // Malformed JSON.
        case(
            "truncated batch",
            M::POST,
            ops,
            r#"{"base_revision": 1, "ops": ["#,
            400,
            "malformed_json",
        ),
        case(
            "not JSON at all",
            M::POST,
            "/api/diagrams",
            "{nope",
            400,
            "malformed_json",
        ),
        case(
            "truncated replacement",
            M::PUT,
            one,
            r#"{"base_revision":1,"diagram":{"#,
            400,
            "malformed_json",
        ),
        case(
            "trailing garbage",
            M::POST,
            ops,
            r#"{"base_revision":1,"ops":[]} x"#,
            400,
            "malformed_json",
        ),
        // Wrong types and shapes.
        case(
            "revision as a string",
            M::POST,
            ops,
            r#"{"base_revision":"1","ops":[]}"#,
            422,
            "invalid_body",
        ),
        case(
            "ops as an object",
            M::POST,
            ops,
            r#"{"base_revision":1,"ops":{}}"#,
            422,
            "invalid_body",
        ),
        case(
            "unknown op",
            M::POST,
            ops,
            r#"{"base_revision":1,"ops":[{"op":"explode"}]}"#,
            422,
            "invalid_body",
        ),
        case(
            "unknown field",
            M::POST,
            ops,
            r#"{"base_revision":1,"ops":[],"force":true}"#,
            422,
            "invalid_body",
        ),
        case(
            "name as a number",
            M::POST,
            "/api/diagrams",
            r#"{"name":7}"#,
            422,
            "invalid_body",
        ),
        case(
            "document without id",
            M::PUT,
            one,
            r#"{"base_revision":1,"diagram":{"name":"x"}}"#,
            422,
            "invalid_body",
        ),
        case("a bare array", M::POST, ops, "[1,2,3]", 422, "invalid_body"),
        case("null body", M::POST, ops, "null", 422, "invalid_body"),
        // Unknown ids.
        case(
            "unknown diagram",
            M::GET,
            &format!("/api/diagrams/{GHOST}"),
            "",
            404,
            "not_found",
        ),
        case(
            "ops on an unknown diagram",
            M::POST,
            &format!("/api/diagrams/{GHOST}/ops"),
            r#"{"base_revision":1,"ops":[]}"#,
            404,
            "not_found",
        ),
        case(
            "replace an unknown diagram",
            M::PUT,
            &format!("/api/diagrams/{GHOST}"),
            format!(r#"{{"base_revision":1,"diagram":{{"id":"{GHOST}","name":"x"}}}}"#),
            404,
            "not_found",
        ),
        case(
            "delete an unknown diagram",
            M::DELETE,
            &format!("/api/diagrams/{GHOST}"),
            "",
            404,
            "not_found",
        ),
        case(
            "history of an unknown diagram",
            M::GET,
            &format!("/api/diagrams/{GHOST}/revisions"),
            "",
            404,
            "not_found",
        ),
        case(
            "export an unknown diagram",
            M::GET,
            &format!("/api/diagrams/{GHOST}/export?dialect=mysql"),
            "",
            404,
            "not_found",
        ),
        case(
            "unknown revision",
            M::GET,
            "/api/diagrams/{id}/revisions/7",
            "",
            404,
            "not_found",
        ),
        case(
            "negative revision",
            M::GET,
            "/api/diagrams/{id}/revisions/-1",
            "",
            404,
            "not_found",
        ),
        case(
            "unknown table in an op",
            M::POST,
            ops,
            format!(
                r#"{{"base_revision":1,"ops":[{{"op":"remove_table","table_id":"{GHOST}"}}]}}"#
            ),
            422,
            "invalid_op",
        ),
        case(
            "import into an unknown diagram",
            M::POST,
            &format!("/api/ddl/import?dialect=sqlite&diagram={GHOST}"),
            "CREATE TABLE t (a int);",
            404,
            "not_found",
        ),
        case(
            "id that is not a UUID",
            M::GET,
            "/api/diagrams/123",
            "",
            400,
            "invalid_path",
        ),
        case("unknown route", M::GET, "/api/teapot", "", 404, "not_found"),
        // Huge numbers.
        case(
            "revision past i64",
            M::POST,
            ops,
            r#"{"base_revision":99999999999999999999,"ops":[]}"#,
            422,
            "invalid_body",
        ),
        case(
            "revision i64::MAX",
            M::POST,
            ops,
            format!(r#"{{"base_revision":{},"ops":[]}}"#, i64::MAX),
            422,
            "invalid_base_revision",
        ),
        case(
            "revision path past i64",
            M::GET,
            "/api/diagrams/{id}/revisions/99999999999999999999",
            "",
            400,
            "invalid_path",
        ),
        case(
            "position past f64",
            M::POST,
            ops,
            table(r#""x":1e999"#),
            400,
            "malformed_json",
        ),
        case(
            "list index past usize",
            M::POST,
            ops,
            format!(
                r#"{{"base_revision":1,"ops":[{{"op":"add_note","note":{{"id":"{GHOST}"}},"at":184467440737095516150}}]}}"#
            ),
            422,
            "invalid_body",
        ),
        case(
            "list index far past the end",
            M::POST,
            ops,
            format!(
                r#"{{"base_revision":1,"ops":[{{"op":"add_note","note":{{"id":"{GHOST}"}},"at":4000000000}}]}}"#
            ),
            422,
            "invalid_op",
        ),
        // Invalid UTF-8.
        case(
            "invalid UTF-8 in a name",
            M::POST,
            ops,
            bad_utf8.clone(),
            400,
            "malformed_json",
        ),
        sql(
            "invalid UTF-8 SQL",
            "?dialect=sqlite",
            [b"CREATE TABLE ".as_slice(), &[0xff, 0xfe], b" (a int);"].concat(),
            400,
            "malformed_body",
        ),
        // Deep nesting.
        // Refused at the first level (wrong type), so the depth costs nothing.
        case(
            "100,000 nested arrays",
            M::POST,
            ops,
            deep_json.clone(),
            422,
            "invalid_body",
        ),
        // Read into: serde_json's recursion limit stops it before the stack runs out.
        case(
            "200 nested batches",
            M::POST,
            ops,
            deep_batch,
            400,
            "malformed_json",
        ),
        case(
            "deep replacement",
            M::PUT,
            one,
            deep_json,
            422,
            "invalid_body",
        ),
        // SQL garbage.
        sql(
            "nothing but comments",
            "?dialect=postgresql",
            "-- hello\n/* there */",
            422,
            "nothing_to_import",
        ),
        sql("empty SQL", "", "", 422, "nothing_to_import"),
        sql(
            "unknown dialect",
            "?dialect=cobol",
            "CREATE TABLE t (a int);",
            400,
            "invalid_query",
        ),
        sql(
            "unknown import option",
            "?dialect=sqlite&force=1",
            "CREATE TABLE t (a int);",
            400,
            "invalid_query",
        ),
        sql(
            "bad preview flag",
            "?preview=maybe",
            "CREATE TABLE t (a int);",
            400,
            "invalid_query",
        ),
        case(
            "export in an unknown dialect",
            M::GET,
            "/api/diagrams/{id}/export?dialect=cobol",
            "",
            400,
            "invalid_query",
        ),
        case(
            "export without a dialect",
            M::GET,
            "/api/diagrams/{id}/export",
            "",
            400,
            "invalid_query",
        ),
        // Media types.
        Case {
            content_type: TEXT,
            ..case(
                "JSON sent as text",
                M::POST,
                ops,
                r#"{"base_revision":1,"ops":[]}"#,
                415,
                "unsupported_media_type",
            )
        },
    ]
}

async fn send(app: &TestApp, id: &str, case: &Case) -> (u16, Value) {
    let path = case.path.replace("{id}", id);
    let mut request = app.client.request(case.method.clone(), app.url(&path));
    if !case.body.is_empty() || case.method == Method::POST || case.method == Method::PUT {
        request = request
            .header("content-type", case.content_type)
            .body(case.body.clone());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn every_route_answers_bad_input_with_the_right_status_and_code_and_lives_on() {
    let app = spawn_app().await;
    let id = app.create("kept").await.diagram.id.to_string();
    let mut wrong = Vec::new();
    for case in cases() {
        let (status, body) = send(&app, &id, &case).await;
        let code = body["error"]["code"].as_str().unwrap_or("(no JSON error)");
        let message = body["error"]["message"].as_str().unwrap_or("");
        if status != case.status || code != case.code || message.is_empty() {
            wrong.push(format!(
                "{}: got {status} {code}, want {} {} ({body})",
                case.what, case.status, case.code
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));

    // SQL garbage that holds statements is read statement by statement: errors, no crash.
    let garbage =
        "CREATE TABLE (;; DROP;\nCREATE TABLE ok (a int);\n\u{0}\u{7f}\u{202e}SELECT FROM WHERE;";
    let response = app
        .client
        .post(app.url("/api/ddl/import?preview=1"))
        .body(garbage)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let report: Value = response.json().await.unwrap();
    assert!(!report["report"]["errors"].as_array().unwrap().is_empty());

    // Nothing was stored, and the server still answers.
    let state = app.get(id.parse().unwrap()).await;
    assert_eq!((state.revision, state.diagram.name.as_str()), (1, "kept"));
    let list = app
        .client
        .get(app.url("/api/diagrams"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let list: Vec<Value> = list.json().await.unwrap();
    assert_eq!(list.len(), 1);
}
