//! The access matrix: every API route (from the router's own table) × every kind of caller, each
//! cell's status asserted. A route added without a sample here fails the test, and so does one
//! whose declared access differs from what the sample says it should be.

mod support;

use std::fmt;

use model::Uuid;
use model::api::{Role, TeamRole};
use reqwest::{Client, Method, RequestBuilder, StatusCode, header};
use serde_json::{Value, json};
use server::auth::Access;
use sqlx::SqlitePool;
use support::{PASSWORD, TestApp, spawn_app};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Stranger,
    Viewer,
    Editor,
    Owner,
    ViewerLink,
    RevokedLink,
    ExpiredLink,
    ReadToken,
    WriteToken,
}

const CALLERS: [Caller; 10] = [
    Caller::Anonymous,
    Caller::Stranger,
    Caller::Viewer,
    Caller::Editor,
    Caller::Owner,
    Caller::ViewerLink,
    Caller::RevokedLink,
    Caller::ExpiredLink,
    Caller::ReadToken,
    Caller::WriteToken,
];

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The people of one row of the matrix, new for each row (a row may sign them out or change
/// their password), and the owner's personal tokens.
struct People {
    stranger: Client,
    viewer: Client,
    editor: Client,
    owner: Client,
    viewer_id: Uuid,
    editor_email: String,
    stranger_email: String,
    read_token: String,
    write_token: String,
}

/// What one cell acts on, made fresh for it: a diagram of the owner's shared with the viewer and
/// the editor, three links (live, revoked, expired), a team, and a spare token of the caller's.
struct Cell {
    diagram: Uuid,
    link_id: Uuid,
    viewer_link: String,
    editor_link: String,
    revoked_link: String,
    expired_link: String,
    team: Uuid,
    own_token: Uuid,
    webhook: Uuid,
    delivery: Uuid,
    version: Uuid,
    team_webhook: Uuid,
    team_delivery: Uuid,
}

fn bearer(token: &str) -> Client {
    let mut headers = header::HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    Client::builder().default_headers(headers).build().unwrap()
}

async fn json_of(request: RequestBuilder, status: StatusCode) -> Value {
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), status, "setup request");
    response.json().await.unwrap_or(Value::Null)
}

async fn people(app: &TestApp, row: usize) -> People {
    let email = |who: &str| format!("{who}{row}@example.com");
    let owner = app.person(&email("owner")).await;
    let token = |scope: &'static str| {
        let owner = owner.clone();
        async move {
            let made = json_of(
                owner
                    .post(app.url("/api/tokens"))
                    .json(&json!({ "name": scope, "scope": scope })),
                StatusCode::CREATED,
            )
            .await;
            made["token"].as_str().unwrap().to_string()
        }
    };
    let (read_token, write_token) = (token("read").await, token("write").await);
    let viewer = app.person(&email("viewer")).await;
    People {
        stranger: app.person(&email("stranger")).await,
        viewer_id: app.user_id(&viewer).await,
        viewer,
        editor: app.person(&email("editor")).await,
        owner,
        editor_email: email("editor"),
        stranger_email: email("stranger"),
        read_token,
        write_token,
    }
}

async fn cell(
    app: &TestApp,
    people: &People,
    row: usize,
    caller: Caller,
    pool: &SqlitePool,
) -> Cell {
    // Set up with the owner's write token: a row may have ended the owner's session.
    let setup = bearer(&people.write_token);
    let made = json_of(
        setup
            .post(app.url("/api/diagrams"))
            .json(&json!({ "name": "matrix" })),
        StatusCode::CREATED,
    )
    .await;
    let diagram: Uuid = made["diagram"]["id"].as_str().unwrap().parse().unwrap();
    for (who, role) in [("viewer", "viewer"), ("editor", "editor")] {
        json_of(
            setup
                .post(app.url(&format!("/api/diagrams/{diagram}/members")))
                .json(&json!({ "email": format!("{who}{row}@example.com"), "role": role })),
            StatusCode::CREATED,
        )
        .await;
    }
    let setup = &setup;
    let link_with = |role: &'static str| async move {
        let made = json_of(
            setup
                .post(app.url(&format!("/api/diagrams/{diagram}/links")))
                .json(&json!({ "role": role })),
            StatusCode::CREATED,
        )
        .await;
        (
            made["id"].as_str().unwrap().parse::<Uuid>().unwrap(),
            made["token"].as_str().unwrap().to_string(),
        )
    };
    let link = || link_with("viewer");
    let (link_id, viewer_link) = link().await;
    let (_, editor_link) = link_with("editor").await;
    let (revoked_id, revoked_link) = link().await;
    let revoked = setup
        .delete(app.url(&format!("/api/diagrams/{diagram}/links/{revoked_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let (expired_id, expired_link) = link().await;
    sqlx::query("UPDATE share_links SET expires_at = 1 WHERE id = ?")
        .bind(expired_id.to_string())
        .execute(pool)
        .await
        .unwrap();
    let team = json_of(
        setup
            .post(app.url("/api/teams"))
            .json(&json!({ "name": "matrix team" })),
        StatusCode::CREATED,
    )
    .await;
    let team: Uuid = team["id"].as_str().unwrap().parse().unwrap();
    for (who, role) in [("viewer", "viewer"), ("editor", "editor")] {
        json_of(
            setup
                .post(app.url(&format!("/api/teams/{team}/members")))
                .json(&json!({ "email": format!("{who}{row}@example.com"), "role": role })),
            StatusCode::CREATED,
        )
        .await;
    }
    // A token of the caller's own to revoke (tokens are managed with a session: callers who
    // have none are refused whatever the id, so theirs is any id).
    let own = match caller {
        Caller::Stranger => Some(&people.stranger),
        Caller::Viewer => Some(&people.viewer),
        Caller::Editor => Some(&people.editor),
        Caller::Owner => Some(&people.owner),
        _ => None,
    };
    let own_token = match own {
        Some(client) => {
            let made = json_of(
                client
                    .post(app.url("/api/tokens"))
                    .json(&json!({ "name": "spare", "scope": "read" })),
                StatusCode::CREATED,
            )
            .await;
            made["id"].as_str().unwrap().parse().unwrap()
        }
        None => Uuid::new_v4(),
    };
    // A webhook with one delivery, to a public address (the matrix's server allows no other).
    let webhook = json_of(
        setup
            .post(app.url(&format!("/api/diagrams/{diagram}/webhooks")))
            .json(&json!({ "url": "https://93.184.215.14/hook", "events": ["diagram.updated"] })),
        StatusCode::CREATED,
    )
    .await;
    let webhook: Uuid = webhook["id"].as_str().unwrap().parse().unwrap();
    let delivery = json_of(
        setup.post(app.url(&format!("/api/diagrams/{diagram}/webhooks/{webhook}/test"))),
        StatusCode::ACCEPTED,
    )
    .await;
    let delivery: Uuid = delivery["delivery_id"].as_str().unwrap().parse().unwrap();
    let version = json_of(
        setup
            .post(app.url(&format!("/api/diagrams/{diagram}/versions")))
            .json(&json!({ "name": "v1" })),
        StatusCode::CREATED,
    )
    .await;
    let version: Uuid = version["id"].as_str().unwrap().parse().unwrap();
    let team_webhook = json_of(
        setup
            .post(app.url(&format!("/api/teams/{team}/webhooks")))
            .json(&json!({ "url": "https://93.184.215.14/team", "events": ["diagram.updated"] })),
        StatusCode::CREATED,
    )
    .await;
    let team_webhook: Uuid = team_webhook["id"].as_str().unwrap().parse().unwrap();
    let team_delivery = json_of(
        setup.post(app.url(&format!("/api/teams/{team}/webhooks/{team_webhook}/test"))),
        StatusCode::ACCEPTED,
    )
    .await;
    let team_delivery: Uuid = team_delivery["delivery_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    Cell {
        team_webhook,
        team_delivery,
        version,
        diagram,
        webhook,
        delivery,
        link_id,
        viewer_link,
        editor_link,
        revoked_link,
        expired_link,
        team,
        own_token,
    }
}

fn client(caller: Caller, people: &People, cell: &Cell) -> Client {
    match caller {
        Caller::Anonymous => Client::new(),
        Caller::Stranger => people.stranger.clone(),
        Caller::Viewer => people.viewer.clone(),
        Caller::Editor => people.editor.clone(),
        Caller::Owner => people.owner.clone(),
        Caller::ViewerLink => bearer(&cell.viewer_link),
        Caller::RevokedLink => bearer(&cell.revoked_link),
        Caller::ExpiredLink => bearer(&cell.expired_link),
        Caller::ReadToken => bearer(&people.read_token),
        Caller::WriteToken => bearer(&people.write_token),
    }
}

/// A request of a route that succeeds (with `success`) for a caller allowed to make it.
struct Sample {
    method: Method,
    path: &'static str,
    access: Access,
    success: StatusCode,
    /// Callers for whom the route's own rule (beyond its access) refuses: their status.
    refused: &'static [(Caller, StatusCode)],
}

const fn sample(method: Method, path: &'static str, access: Access, success: u16) -> Sample {
    Sample {
        method,
        path,
        access,
        success: match StatusCode::from_u16(success) {
            Ok(s) => s,
            Err(_) => panic!("a status"),
        },
        refused: &[],
    }
}

/// Managing the password and the tokens takes a session; a token (even a write one) may not.
const SESSION_ONLY: &[(Caller, StatusCode)] = &[(Caller::WriteToken, StatusCode::FORBIDDEN)];

fn samples() -> Vec<Sample> {
    use Access::{Diagram, Person, Public, Team};
    let (viewer, editor, owner) = (
        Diagram(Role::Viewer),
        Diagram(Role::Editor),
        Diagram(Role::Owner),
    );
    let (team_viewer, team_admin) = (Team(TeamRole::Viewer), Team(TeamRole::Admin));
    let g = Method::GET;
    let p = Method::POST;
    vec![
        sample(p.clone(), "/auth/signup", Public, 201),
        sample(p.clone(), "/auth/login", Public, 200),
        sample(p.clone(), "/auth/logout", Public, 204),
        sample(g.clone(), "/auth/me", Person, 200),
        sample(Method::PATCH, "/auth/me", Person, 200),
        Sample {
            refused: SESSION_ONLY,
            ..sample(p.clone(), "/auth/password", Person, 204)
        },
        sample(g.clone(), "/tokens", Person, 200),
        Sample {
            refused: SESSION_ONLY,
            ..sample(p.clone(), "/tokens", Person, 201)
        },
        Sample {
            refused: SESSION_ONLY,
            ..sample(Method::DELETE, "/tokens/{token_id}", Person, 204)
        },
        Sample {
            refused: &[
                (Caller::Stranger, StatusCode::FORBIDDEN),
                (Caller::Viewer, StatusCode::FORBIDDEN),
                (Caller::Editor, StatusCode::FORBIDDEN),
            ],
            ..sample(p.clone(), "/invites", Person, 201)
        },
        sample(g.clone(), "/diagrams", Person, 200),
        sample(p.clone(), "/diagrams", Person, 201),
        sample(g.clone(), "/diagrams/{id}", viewer, 200),
        sample(Method::PUT, "/diagrams/{id}", editor, 200),
        sample(Method::DELETE, "/diagrams/{id}", owner, 204),
        sample(p.clone(), "/diagrams/{id}/ops", editor, 200),
        // A plain GET, not a WebSocket upgrade: past the access check, 426 (tests/live.rs opens it).
        sample(g.clone(), "/diagrams/{id}/live", viewer, 426),
        Sample {
            refused: &[(Caller::ViewerLink, StatusCode::FORBIDDEN)],
            ..sample(g.clone(), "/diagrams/{id}/members", viewer, 200)
        },
        sample(p.clone(), "/diagrams/{id}/members", owner, 201),
        sample(
            Method::PATCH,
            "/diagrams/{id}/members/{user_id}",
            owner,
            200,
        ),
        sample(
            Method::DELETE,
            "/diagrams/{id}/members/{user_id}",
            owner,
            204,
        ),
        sample(g.clone(), "/diagrams/{id}/links", owner, 200),
        sample(p.clone(), "/diagrams/{id}/links", owner, 201),
        sample(Method::DELETE, "/diagrams/{id}/links/{link_id}", owner, 204),
        sample(g.clone(), "/links/{token}", Public, 200),
        sample(p.clone(), "/links/{token}/join", Person, 200),
        sample(g.clone(), "/diagrams/{id}/revisions", viewer, 200),
        sample(
            g.clone(),
            "/diagrams/{id}/revisions/{revision}",
            viewer,
            200,
        ),
        sample(g.clone(), "/diagrams/{id}/versions", viewer, 200),
        sample(p.clone(), "/diagrams/{id}/versions", editor, 201),
        sample(
            Method::PATCH,
            "/diagrams/{id}/versions/{version_id}",
            editor,
            200,
        ),
        sample(
            Method::DELETE,
            "/diagrams/{id}/versions/{version_id}",
            editor,
            204,
        ),
        sample(p.clone(), "/ddl/import", Person, 201),
        sample(g.clone(), "/diagrams/{id}/export", viewer, 200),
        sample(g.clone(), "/diagrams/{id}/migration", viewer, 200),
        sample(g.clone(), "/diagrams/{id}/webhooks", editor, 200),
        sample(p.clone(), "/diagrams/{id}/webhooks", editor, 201),
        sample(
            Method::PATCH,
            "/diagrams/{id}/webhooks/{webhook_id}",
            editor,
            200,
        ),
        sample(
            Method::DELETE,
            "/diagrams/{id}/webhooks/{webhook_id}",
            editor,
            204,
        ),
        sample(
            g.clone(),
            "/diagrams/{id}/webhooks/{webhook_id}/deliveries",
            editor,
            200,
        ),
        sample(
            p.clone(),
            "/diagrams/{id}/webhooks/{webhook_id}/test",
            editor,
            202,
        ),
        sample(
            p.clone(),
            "/diagrams/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
            editor,
            202,
        ),
        sample(g.clone(), "/teams/{team_id}/webhooks", team_admin, 200),
        sample(p.clone(), "/teams/{team_id}/webhooks", team_admin, 201),
        sample(
            Method::PATCH,
            "/teams/{team_id}/webhooks/{webhook_id}",
            team_admin,
            200,
        ),
        sample(
            Method::DELETE,
            "/teams/{team_id}/webhooks/{webhook_id}",
            team_admin,
            204,
        ),
        sample(
            g.clone(),
            "/teams/{team_id}/webhooks/{webhook_id}/deliveries",
            team_admin,
            200,
        ),
        sample(
            p.clone(),
            "/teams/{team_id}/webhooks/{webhook_id}/test",
            team_admin,
            202,
        ),
        sample(
            p.clone(),
            "/teams/{team_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
            team_admin,
            202,
        ),
        sample(g.clone(), "/teams", Person, 200),
        sample(p.clone(), "/teams", Person, 201),
        sample(g.clone(), "/teams/{team_id}", team_viewer, 200),
        sample(Method::PATCH, "/teams/{team_id}", team_admin, 200),
        sample(Method::DELETE, "/teams/{team_id}", team_admin, 204),
        sample(p.clone(), "/teams/{team_id}/members", team_admin, 201),
        sample(
            Method::PATCH,
            "/teams/{team_id}/members/{user_id}",
            team_admin,
            200,
        ),
        sample(
            Method::DELETE,
            "/teams/{team_id}/members/{user_id}",
            team_admin,
            204,
        ),
    ]
}

/// The request of `sample` for one cell.
fn request(
    app: &TestApp,
    client: &Client,
    sample: &Sample,
    people: &People,
    cell: &Cell,
    n: usize,
) -> RequestBuilder {
    // A team's webhook routes name the team's webhook and delivery, a diagram's its own.
    let team_or = |team: Uuid, diagram: Uuid| {
        if sample.path.starts_with("/teams/") {
            team
        } else {
            diagram
        }
    };
    let path = sample
        .path
        .replace("{id}", &cell.diagram.to_string())
        .replace("{team_id}", &cell.team.to_string())
        .replace("{user_id}", &people.viewer_id.to_string())
        .replace("{link_id}", &cell.link_id.to_string())
        .replace(
            "{webhook_id}",
            &team_or(cell.team_webhook, cell.webhook).to_string(),
        )
        .replace(
            "{delivery_id}",
            &team_or(cell.team_delivery, cell.delivery).to_string(),
        )
        .replace("{version_id}", &cell.version.to_string())
        .replace("{token_id}", &cell.own_token.to_string())
        .replace(
            "{token}",
            if sample.path.ends_with("/join") {
                &cell.editor_link
            } else {
                &cell.viewer_link
            },
        )
        .replace("{revision}", "1");
    let request = client.request(sample.method.clone(), app.url(&format!("/api{path}")));
    let email = format!("new{n}@example.com");
    match (sample.method.as_str(), sample.path) {
        ("POST", "/auth/signup") => {
            request.json(&json!({ "email": email, "name": "New", "password": PASSWORD }))
        }
        ("POST", "/auth/login") => {
            request.json(&json!({ "email": people.editor_email, "password": PASSWORD }))
        }
        ("PATCH", "/auth/me") => request.json(&json!({ "name": "Renamed" })),
        ("POST", "/auth/password") => {
            request.json(&json!({ "current_password": PASSWORD, "new_password": PASSWORD }))
        }
        ("POST", "/tokens") => request.json(&json!({ "name": "ci", "scope": "read" })),
        ("POST", "/invites") => request.json(&json!({})),
        ("POST", "/diagrams") => request.json(&json!({ "name": "made" })),
        ("PUT", "/diagrams/{id}") => request.json(&json!({
            "base_revision": 1,
            "diagram": { "id": cell.diagram, "name": "replaced" }
        })),
        ("POST", "/diagrams/{id}/ops") => request.json(&json!({
            "base_revision": 1,
            "ops": [{ "op": "rename_diagram", "name": "renamed" }]
        })),
        ("POST", "/diagrams/{id}/members") => {
            request.json(&json!({ "email": people.stranger_email, "role": "viewer" }))
        }
        ("PATCH", "/diagrams/{id}/members/{user_id}") => request.json(&json!({ "role": "editor" })),
        ("POST", "/diagrams/{id}/links") => request.json(&json!({ "role": "viewer" })),
        ("POST", "/ddl/import") => request
            .header("content-type", "text/plain")
            .body("CREATE TABLE t (id integer PRIMARY KEY);"),
        ("GET", "/diagrams/{id}/export") => request.query(&[("dialect", "postgresql")]),
        ("POST", "/diagrams/{id}/webhooks") => request
            .json(&json!({ "url": "https://93.184.215.14/other", "events": ["diagram.deleted"] })),
        ("PATCH", "/diagrams/{id}/webhooks/{webhook_id}")
        | ("PATCH", "/teams/{team_id}/webhooks/{webhook_id}") => {
            request.json(&json!({ "enabled": true }))
        }
        ("POST", "/teams/{team_id}/webhooks") => request
            .json(&json!({ "url": "https://93.184.215.14/other", "events": ["diagram.deleted"] })),
        ("POST", "/diagrams/{id}/versions") => request.json(&json!({ "name": "v2" })),
        ("PATCH", "/diagrams/{id}/versions/{version_id}") => {
            request.json(&json!({ "name": "v1 deployed" }))
        }
        ("GET", "/diagrams/{id}/migration") => {
            request.query(&[("dialect", "postgresql"), ("from", "1")])
        }
        ("POST", "/teams") => request.json(&json!({ "name": "another" })),
        ("PATCH", "/teams/{team_id}") => request.json(&json!({ "name": "renamed" })),
        ("POST", "/teams/{team_id}/members") => {
            request.json(&json!({ "email": people.stranger_email, "role": "viewer" }))
        }
        ("PATCH", "/teams/{team_id}/members/{user_id}") => {
            request.json(&json!({ "role": "editor" }))
        }
        _ => request,
    }
}

/// The status a caller must get: the rule of `access`, then the route's own refusals.
fn expected(sample: &Sample, caller: Caller) -> StatusCode {
    let reading = sample.method == Method::GET;
    let refused = |least_ok: bool| {
        if !least_ok || (caller == Caller::ReadToken && !reading) {
            StatusCode::FORBIDDEN
        } else {
            sample
                .refused
                .iter()
                .find(|(c, _)| *c == caller)
                .map_or(sample.success, |(_, s)| *s)
        }
    };
    if matches!(caller, Caller::RevokedLink | Caller::ExpiredLink) {
        return StatusCode::UNAUTHORIZED;
    }
    match sample.access {
        Access::Public => refused(true),
        Access::Person => match caller {
            Caller::Anonymous | Caller::ViewerLink => StatusCode::UNAUTHORIZED,
            _ => refused(true),
        },
        Access::Diagram(least) => {
            let role = match caller {
                Caller::Anonymous => return StatusCode::UNAUTHORIZED,
                Caller::Stranger => return StatusCode::NOT_FOUND,
                Caller::Viewer | Caller::ViewerLink => Role::Viewer,
                Caller::Editor => Role::Editor,
                _ => Role::Owner,
            };
            refused(role >= least)
        }
        Access::Team(least) => {
            let role = match caller {
                Caller::Anonymous | Caller::ViewerLink => return StatusCode::UNAUTHORIZED,
                Caller::Stranger => return StatusCode::NOT_FOUND,
                Caller::Viewer => TeamRole::Viewer,
                Caller::Editor => TeamRole::Editor,
                _ => TeamRole::Admin,
            };
            refused(role >= least)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_kind_of_caller_as_its_access_says() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_app().await;
    let pool = SqlitePool::connect(&support::database_url(&app.dir))
        .await
        .unwrap();
    let samples = samples();
    let routes = server::api_routes();
    for route in &routes {
        let sample = samples
            .iter()
            .find(|s| s.method == route.method && s.path == route.path)
            .unwrap_or_else(|| {
                panic!(
                    "no access sample for {} {}: add one to tests/access.rs",
                    route.method, route.path
                )
            });
        assert_eq!(
            route.access, sample.access,
            "{} {} is declared with other access than its sample says",
            route.method, route.path
        );
    }
    assert_eq!(
        routes.len(),
        samples.len(),
        "a sample for a route that does not exist"
    );
    let mut cells = 0;
    let mut failures = Vec::new();
    for (row, sample) in samples.iter().enumerate() {
        let people = people(&app, row).await;
        for caller in CALLERS {
            let cell = cell(&app, &people, row, caller, &pool).await;
            let client = client(caller, &people, &cell);
            let response = request(&app, &client, sample, &people, &cell, cells)
                .send()
                .await
                .unwrap();
            let want = expected(sample, caller);
            if response.status() != want {
                failures.push(format!(
                    "{} {} as {caller}: {} (wanted {want}) {}",
                    sample.method,
                    sample.path,
                    response.status(),
                    response.text().await.unwrap_or_default()
                ));
            }
            cells += 1;
        }
    }
    println!(
        "access matrix: {} routes × {} callers = {cells} cells",
        samples.len(),
        CALLERS.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Importing into an existing diagram replaces it: the importer must be an editor of it.
#[tokio::test]
async fn importing_into_an_existing_diagram_needs_its_editor() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_app().await;
    let pool = SqlitePool::connect(&support::database_url(&app.dir))
        .await
        .unwrap();
    let people = people(&app, 0).await;
    let sql = "CREATE TABLE imported (id integer PRIMARY KEY);";
    for (caller, want) in [
        (Caller::Anonymous, StatusCode::UNAUTHORIZED),
        (Caller::Stranger, StatusCode::NOT_FOUND),
        (Caller::Viewer, StatusCode::FORBIDDEN),
        (Caller::Editor, StatusCode::OK),
        (Caller::Owner, StatusCode::OK),
        (Caller::ViewerLink, StatusCode::UNAUTHORIZED),
        (Caller::RevokedLink, StatusCode::UNAUTHORIZED),
        (Caller::ReadToken, StatusCode::FORBIDDEN),
        (Caller::WriteToken, StatusCode::OK),
    ] {
        let cell = cell(&app, &people, 0, caller, &pool).await;
        let response = client(caller, &people, &cell)
            .post(app.url(&format!("/api/ddl/import?diagram={}", cell.diagram)))
            .header("content-type", "text/plain")
            .body(sql)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), want, "as {caller}");
    }
}
