//! Sharing: people with roles, share links, teams, Home's sections, history authors, the pages'
//! rules, and diagrams stored before accounts existed.

mod support;

use model::Uuid;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use support::{OWNER, PASSWORD, expect_error, spawn_app, spawn_app_in};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn rename(
    app: &support::TestApp,
    client: &Client,
    id: Uuid,
    base: i64,
    name: &str,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .json(&json!({ "base_revision": base, "ops": [{ "op": "rename_diagram", "name": name }] }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_viewer_reads_an_editor_writes_and_history_names_each_author() {
    let app = spawn_app().await;
    let viewer = app.person("vera@example.com").await;
    let editor = app.person("eddie@example.com").await;
    let id = app.create("Shop").await.diagram.id;
    app.share(id, "VERA@example.com", "viewer").await;
    app.share(id, "eddie@example.com", "viewer").await;

    let seen = viewer
        .get(app.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(seen.status(), StatusCode::OK);
    expect_error(
        rename(&app, &viewer, id, 1, "no").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Make Eddie an editor: the same share, a new role.
    let eddie = app.user_id(&editor).await;
    let changed = app
        .client
        .patch(app.url(&format!("/api/diagrams/{id}/members/{eddie}")))
        .json(&json!({ "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(changed).await["role"], "editor");
    assert_eq!(
        rename(&app, &editor, id, 1, "Shop v2").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        rename(&app, &app.client, id, 2, "Shop v3").await.status(),
        StatusCode::OK
    );

    let history: Vec<Value> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    let authors: Vec<&Value> = history.iter().map(|r| &r["author"]).collect();
    assert_eq!(authors[0]["name"], "owner");
    assert_eq!(authors[1]["name"], "eddie");
    assert_eq!(authors[1]["kind"], "person");
    assert_eq!(authors[2]["name"], "owner");

    let members: Value = app.get_json(&format!("/api/diagrams/{id}/members")).await;
    let roles: Vec<(String, String, String)> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["user"]["email"].as_str().unwrap().to_string(),
                m["role"].as_str().unwrap().to_string(),
                m["via"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (
                OWNER.to_string(),
                "owner".to_string(),
                "creator".to_string()
            ),
            ("vera@example.com".into(), "viewer".into(), "share".into()),
            ("eddie@example.com".into(), "editor".into(), "share".into()),
        ]
    );
    // Removing the share takes the diagram away: 404, as for one that does not exist.
    let vera = app.user_id(&viewer).await;
    let removed = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}/members/{vera}")))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let gone = viewer
        .get(app.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    expect_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    let missing = viewer
        .get(app.url(&format!("/api/diagrams/{}", Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn sharing_with_an_unknown_email_or_with_the_creator_is_refused() {
    let app = spawn_app().await;
    let id = app.create("x").await.diagram.id;
    let share = |email: &str| {
        app.client
            .post(app.url(&format!("/api/diagrams/{id}/members")))
            .json(&json!({ "email": email, "role": "editor" }))
            .send()
    };
    expect_error(
        share("nobody@example.com").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_person",
    )
    .await;
    expect_error(
        share(OWNER).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_member",
    )
    .await;
}

#[tokio::test]
async fn home_lists_own_shared_and_team_diagrams_with_the_callers_role() {
    let app = spawn_app().await;
    let ann = app.person("ann@example.com").await;
    let mine = app.create("Mine").await.diagram.id;
    let theirs: Value = json_of(
        ann.post(app.url("/api/diagrams"))
            .json(&json!({ "name": "Ann's" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let theirs = theirs["diagram"]["id"].as_str().unwrap().to_string();
    let share = ann
        .post(app.url(&format!("/api/diagrams/{theirs}/members")))
        .json(&json!({ "email": OWNER, "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(share.status(), StatusCode::CREATED);

    let team: Value = json_of(
        ann.post(app.url("/api/teams"))
            .json(&json!({ "name": "Data" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let team_id = team["id"].as_str().unwrap().to_string();
    assert_eq!(team["role"], "admin");
    // Not yet a member: creating in the team is refused, its page is not found.
    let refused = app
        .client
        .post(app.url("/api/diagrams"))
        .json(&json!({ "team_id": team_id }))
        .send()
        .await
        .unwrap();
    expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_team").await;
    let hidden = app
        .client
        .get(app.url(&format!("/api/teams/{team_id}")))
        .send()
        .await
        .unwrap();
    expect_error(hidden, StatusCode::NOT_FOUND, "not_found").await;
    let added = ann
        .post(app.url(&format!("/api/teams/{team_id}/members")))
        .json(&json!({ "email": OWNER, "role": "viewer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let in_team: Value = json_of(
        ann.post(app.url("/api/diagrams"))
            .json(&json!({ "name": "Warehouse", "team_id": team_id }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let in_team = in_team["diagram"]["id"].as_str().unwrap().to_string();

    let list: Vec<Value> = app.get_json("/api/diagrams").await;
    let row = |id: &str| {
        list.iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    assert_eq!(list.len(), 3);
    assert_eq!(
        (
            row(&mine.to_string())["role"].clone(),
            row(&mine.to_string())["team"].clone()
        ),
        (json!("owner"), Value::Null)
    );
    assert_eq!(row(&theirs)["role"], "editor");
    assert_eq!(row(&theirs)["owner"]["email"], "ann@example.com");
    assert_eq!(
        row(&in_team)["role"],
        "viewer",
        "a team viewer views the team's diagrams"
    );
    assert_eq!(row(&in_team)["team"]["name"], "Data");
    expect_error(
        rename(&app, &app.client, in_team.parse().unwrap(), 1, "no").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Made a team editor, they may change the team's diagrams; the last admin stays.
    let me = app.user_id(&app.client).await;
    let promoted = ann
        .patch(app.url(&format!("/api/teams/{team_id}/members/{me}")))
        .json(&json!({ "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(promoted.status(), StatusCode::OK);
    assert_eq!(
        rename(
            &app,
            &app.client,
            in_team.parse().unwrap(),
            1,
            "Warehouse 2"
        )
        .await
        .status(),
        StatusCode::OK
    );
    let ann_id = app.user_id(&ann).await;
    let demote = ann
        .patch(app.url(&format!("/api/teams/{team_id}/members/{ann_id}")))
        .json(&json!({ "role": "viewer" }))
        .send()
        .await
        .unwrap();
    expect_error(demote, StatusCode::UNPROCESSABLE_ENTITY, "last_admin").await;
    // Ann's own list does not hold the owner's private diagram.
    let ann_list: Vec<Value> = json_of(ann.get(app.url("/api/diagrams")).send().await.unwrap())
        .await
        .as_array()
        .unwrap()
        .clone()
        .into_iter()
        .collect();
    assert!(ann_list.iter().all(|d| d["id"] != mine.to_string()));
}

#[tokio::test]
async fn a_viewer_link_opens_read_only_for_anyone_until_revoked() {
    let app = spawn_app().await;
    let id = app.create("Linked").await.diagram.id;
    let link: Value = json_of(
        app.client
            .post(app.url(&format!("/api/diagrams/{id}/links")))
            .json(&json!({ "role": "viewer", "expires_at": "2999-01-01T00:00:00Z" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = link["token"].as_str().unwrap();
    assert!(token.len() >= 4 + 43, "256 bits");
    assert_eq!(link["url"], app.url(&format!("/s/{token}")));
    assert_eq!(link["expires_at"], "2999-01-01T00:00:00Z");

    let stranger = Client::new();
    let opened: Value = json_of(
        stranger
            .get(app.url(&format!("/api/links/{token}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (opened["role"].clone(), opened["diagram"]["name"].clone()),
        (json!("viewer"), json!("Linked"))
    );
    let export = stranger
        .get(app.url(&format!("/api/diagrams/{id}/export?dialect=postgresql")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    let write = stranger
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .bearer_auth(token)
        .json(&json!({ "base_revision": 1, "ops": [] }))
        .send()
        .await
        .unwrap();
    expect_error(write, StatusCode::FORBIDDEN, "forbidden").await;
    let other = app.create("Other").await.diagram.id;
    let elsewhere = stranger
        .get(app.url(&format!("/api/diagrams/{other}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    expect_error(elsewhere, StatusCode::NOT_FOUND, "not_found").await;

    let listed: Vec<Value> = app.get_json(&format!("/api/diagrams/{id}/links")).await;
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0].get("token").is_none(),
        "a listed link never shows its token"
    );
    let link_id = link["id"].as_str().unwrap();
    let revoked = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}/links/{link_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let after = stranger
        .get(app.url(&format!("/api/links/{token}")))
        .send()
        .await
        .unwrap();
    expect_error(after, StatusCode::NOT_FOUND, "not_found").await;
    let unknown = stranger
        .get(app.url("/api/links/tws_nothing"))
        .send()
        .await
        .unwrap();
    expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;

    let past = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/links")))
        .json(&json!({ "role": "viewer", "expires_at": "2001-01-01T00:00:00Z" }))
        .send()
        .await
        .unwrap();
    expect_error(past, StatusCode::UNPROCESSABLE_ENTITY, "invalid_expiry").await;
    let owner_link = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/links")))
        .json(&json!({ "role": "owner" }))
        .send()
        .await
        .unwrap();
    expect_error(owner_link, StatusCode::UNPROCESSABLE_ENTITY, "invalid_role").await;
}

#[tokio::test]
async fn an_editor_link_makes_a_signed_in_person_an_editor() {
    let app = spawn_app().await;
    let id = app.create("Team work").await.diagram.id;
    let link: Value = json_of(
        app.client
            .post(app.url(&format!("/api/diagrams/{id}/links")))
            .json(&json!({ "role": "editor" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let token = link["token"].as_str().unwrap();
    let anonymous = Client::new()
        .get(app.url(&format!("/api/links/{token}")))
        .send()
        .await
        .unwrap();
    expect_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    // As a bearer token an editor link is no credential at all.
    let bearer = Client::new()
        .get(app.url(&format!("/api/diagrams/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    expect_error(bearer, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let bob = app.person("bob@example.com").await;
    let join = |client: &Client| {
        client
            .post(app.url(&format!("/api/links/{token}/join")))
            .send()
    };
    // Opening the link shows the diagram and what the link gives, and changes nothing.
    let opened: Value = json_of(
        bob.get(app.url(&format!("/api/links/{token}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (opened["role"].clone(), opened["diagram"]["name"].clone()),
        (json!("editor"), json!("Team work"))
    );
    let still_out = bob
        .get(app.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    expect_error(still_out, StatusCode::NOT_FOUND, "not_found").await;
    // Joining is a state change: another site cannot make Bob join.
    let cross_site = bob
        .post(app.url(&format!("/api/links/{token}/join")))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    expect_error(cross_site, StatusCode::FORBIDDEN, "csrf").await;
    let joined: Value = json_of(join(&bob).await.unwrap()).await;
    assert_eq!(joined["role"], "editor");
    assert_eq!(
        rename(&app, &bob, id, 1, "Bob was here").await.status(),
        StatusCode::OK
    );
    let list: Vec<Value> = json_of(bob.get(app.url("/api/diagrams")).send().await.unwrap())
        .await
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(list[0]["role"], "editor");
    // The owner joining stays owner; a read-only token cannot join.
    let owner: Value = json_of(join(&app.client).await.unwrap()).await;
    assert_eq!(owner["role"], "owner");
    let read = app.token("read").await;
    let by_token = Client::new()
        .post(app.url(&format!("/api/links/{token}/join")))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    expect_error(by_token, StatusCode::FORBIDDEN, "forbidden").await;
    // A viewer link is opened, not joined.
    let viewer: Value = json_of(
        app.client
            .post(app.url(&format!("/api/diagrams/{id}/links")))
            .json(&json!({ "role": "viewer" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let viewer_join = bob
        .post(app.url(&format!(
            "/api/links/{}/join",
            viewer["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    expect_error(
        viewer_join,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_role",
    )
    .await;
}

/// Ids of one diagram or team used through another's path find nothing: every lookup is scoped
/// to the path's diagram, team or person.
#[tokio::test]
async fn ids_of_other_diagrams_teams_and_people_are_not_found_through_ones_own() {
    let app = spawn_app().await;
    let ann = app.person("ann@example.com").await;
    let bob = app.person("bob@example.com").await;
    let bob_id = app.user_id(&bob).await;
    let mine = app.create("Mine").await.diagram.id;
    let theirs: Value = json_of(
        ann.post(app.url("/api/diagrams"))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let theirs = theirs["diagram"]["id"].as_str().unwrap().to_string();
    let share = ann
        .post(app.url(&format!("/api/diagrams/{theirs}/members")))
        .json(&json!({ "email": "bob@example.com", "role": "viewer" }))
        .send()
        .await
        .unwrap();
    assert_eq!(share.status(), StatusCode::CREATED);
    let their_link: Value = json_of(
        ann.post(app.url(&format!("/api/diagrams/{theirs}/links")))
            .json(&json!({ "role": "viewer" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let their_link = their_link["id"].as_str().unwrap();
    let revoke = app
        .client
        .delete(app.url(&format!("/api/diagrams/{mine}/links/{their_link}")))
        .send()
        .await
        .unwrap();
    expect_error(revoke, StatusCode::NOT_FOUND, "not_found").await;
    let unshare = app
        .client
        .delete(app.url(&format!("/api/diagrams/{mine}/members/{bob_id}")))
        .send()
        .await
        .unwrap();
    expect_error(unshare, StatusCode::NOT_FOUND, "not_found").await;
    let promote = app
        .client
        .patch(app.url(&format!("/api/diagrams/{mine}/members/{bob_id}")))
        .json(&json!({ "role": "owner" }))
        .send()
        .await
        .unwrap();
    expect_error(promote, StatusCode::NOT_FOUND, "not_found").await;
    let still: Value = json_of(
        bob.get(app.url(&format!("/api/diagrams/{theirs}/members")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        still["your_role"], "viewer",
        "Bob's share of Ann's diagram is untouched"
    );
    let links: Vec<Value> = json_of(
        ann.get(app.url(&format!("/api/diagrams/{theirs}/links")))
            .send()
            .await
            .unwrap(),
    )
    .await
    .as_array()
    .unwrap()
    .clone();
    assert_eq!(links.len(), 1, "Ann's link is untouched");

    let their_team: Value = json_of(
        ann.post(app.url("/api/teams"))
            .json(&json!({ "name": "Ann's" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let their_team = their_team["id"].as_str().unwrap();
    let added = ann
        .post(app.url(&format!("/api/teams/{their_team}/members")))
        .json(&json!({ "email": "bob@example.com", "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let my_team: Value = json_of(
        app.client
            .post(app.url("/api/teams"))
            .json(&json!({ "name": "Mine" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let my_team = my_team["id"].as_str().unwrap();
    let kick = app
        .client
        .delete(app.url(&format!("/api/teams/{my_team}/members/{bob_id}")))
        .send()
        .await
        .unwrap();
    expect_error(kick, StatusCode::NOT_FOUND, "not_found").await;
    let team: Value = json_of(
        bob.get(app.url(&format!("/api/teams/{their_team}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(team["role"], "editor", "Bob is still in Ann's team");

    let ann_token: Value = json_of(
        ann.post(app.url("/api/tokens"))
            .json(&json!({ "name": "ci", "scope": "read" }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let ann_token_id = ann_token["id"].as_str().unwrap();
    let revoke_token = app
        .client
        .delete(app.url(&format!("/api/tokens/{ann_token_id}")))
        .send()
        .await
        .unwrap();
    expect_error(revoke_token, StatusCode::NOT_FOUND, "not_found").await;
    let works = Client::new()
        .get(app.url("/api/auth/me"))
        .bearer_auth(ann_token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(works.status(), StatusCode::OK, "Ann's token still works");

    // A diagram one may not see answers exactly like one that does not exist.
    let hidden = bob
        .get(app.url(&format!("/api/diagrams/{mine}")))
        .send()
        .await
        .unwrap();
    let hidden = (hidden.status(), hidden.text().await.unwrap());
    let missing = bob
        .get(app.url(&format!("/api/diagrams/{}", Uuid::new_v4())))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden, (missing.status(), missing.text().await.unwrap()));
}

#[tokio::test]
async fn pages_send_visitors_to_sign_in_and_hide_diagrams_they_may_not_see() {
    let app = spawn_app().await;
    let id = app.create("Private").await.diagram.id;
    let no_redirects = || {
        Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap()
    };
    let anonymous = no_redirects();
    let diagram = format!("/diagrams/{id}");
    for (path, location) in [
        ("/", "/signin?next=/".to_string()),
        (
            "/account?tab=tokens",
            "/signin?next=/account%3Ftab%3Dtokens".to_string(),
        ),
        (&diagram, format!("/signin?next={diagram}")),
    ] {
        let response = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            response.headers()[header::LOCATION],
            location.as_str(),
            "{path}"
        );
    }
    assert_eq!(
        anonymous
            .get(app.url("/signin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let stranger = no_redirects();
    stranger
        .post(app.url("/api/auth/signup"))
        .json(&json!({ "email": "s@example.com", "name": "S", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let hidden = stranger
        .get(app.url(&format!("/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let html = hidden.text().await.unwrap();
    assert!(
        !html.contains("Private"),
        "nothing of the diagram is on the page"
    );
    let own = app
        .client
        .get(app.url(&format!("/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

/// Diagrams stored by a server from before accounts belong to the first account made after.
#[tokio::test]
async fn diagrams_stored_before_accounts_go_to_the_first_account() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = server::db::connect(&support::database_url(&dir))
        .await
        .unwrap();
    db.close().await;
    let pool = SqlitePool::connect(&support::database_url(&dir))
        .await
        .unwrap();
    let id = Uuid::new_v4();
    let doc = json!({ "id": id, "name": "Legacy" }).to_string();
    sqlx::query("INSERT INTO diagrams (id, name, revision, table_count, created_at, updated_at) VALUES (?, 'Legacy', 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
        .bind(id.to_string())
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO revisions (diagram_id, revision, kind, body, created_at) VALUES (?, 1, 'create', ?, '2026-01-01T00:00:00.000Z')")
        .bind(id.to_string())
        .bind(&doc)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO snapshots (diagram_id, revision, document) VALUES (?, 1, ?)")
        .bind(id.to_string())
        .bind(&doc)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let app = spawn_app_in(dir, 1 << 20).await;
    let list: Vec<Value> = app.get_json("/api/diagrams").await;
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0]["name"].clone(), list[0]["role"].clone()),
        (json!("Legacy"), json!("owner"))
    );
    assert_eq!(app.get(id).await.diagram.name, "Legacy");
    let history: Vec<Value> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    assert_eq!(
        history[0]["author"],
        Value::Null,
        "made before anyone had an account"
    );
    // A diagram without an owner that appears later (an old server on the same database)
    // is not taken by whoever signs up next.
    let late = Uuid::new_v4();
    let pool = SqlitePool::connect(&support::database_url(&app.dir))
        .await
        .unwrap();
    sqlx::query("INSERT INTO diagrams (id, name, revision, table_count, created_at, updated_at) VALUES (?, 'Late', 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")
        .bind(late.to_string())
        .execute(&pool)
        .await
        .unwrap();
    let later = app.person("later@example.com").await;
    for id in [id, late] {
        let seen = later
            .get(app.url(&format!("/api/diagrams/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            seen.status(),
            StatusCode::NOT_FOUND,
            "only the first account takes them"
        );
    }
    let owner: Option<String> = sqlx::query_scalar("SELECT owner_id FROM diagrams WHERE id = ?")
        .bind(late.to_string())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(owner, None);
}
