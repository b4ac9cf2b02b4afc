//! Webhooks against a receiver in the test, on loopback: signed deliveries that verify,
//! coalesced edits, retries with growing gaps, no redirects followed, private targets refused
//! without `--webhook-allow-private` (when saved and when sent), and a delivery that survives
//! the server being SIGKILLed between the commit and the send.

mod support;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use model::api::{DeliveryInfo, DeliveryState, WebhookInfo};
use model::{Op, Table};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::webhooks::Settings;
use sha2::Sha256;
use support::{TestApp, expect_error, spawn_app_with};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HeaderMap,
    body: String,
    at: Instant,
}

/// A webhook receiver: answers `/hook` with the statuses queued (then 200), `/redirect` with a
/// redirect to `/landing`, and records everything.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    async fn start(answers: &[u16]) -> (Self, SocketAddr) {
        let receiver = Receiver::default();
        receiver.answers.lock().unwrap().extend(answers);
        let handle = receiver.clone();
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
                let r = handle.clone();
                async move {
                    let path = uri.path().to_string();
                    r.got.lock().unwrap().push(Received {
                        path: path.clone(),
                        headers,
                        body,
                        at: Instant::now(),
                    });
                    if path == "/redirect" {
                        return (AxumStatus::FOUND, [("location", "/landing")], "").into_response();
                    }
                    let status = r.answers.lock().unwrap().pop_front().unwrap_or(200);
                    (AxumStatus::from_u16(status).unwrap(), "receiver says hi").into_response()
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, addr)
    }

    fn got(&self, path: &str) -> Vec<Received> {
        let got = self.got.lock().unwrap();
        got.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Waits until `path` got `n` requests (or `within` passes); answers them.
    async fn wait_for(&self, path: &str, n: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.got(path);
            if got.len() >= n || started.elapsed() > within {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The receiver's side of the Standard Webhooks check: the signature over `id.timestamp.body`
/// with the secret's bytes, compared in constant time.
fn verifies(secret: &str, r: &Received) -> bool {
    let header = |name: &str| r.headers[name].to_str().unwrap().to_string();
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let signed = format!(
        "{}.{}.{}",
        header("webhook-id"),
        header("webhook-timestamp"),
        r.body
    );
    header("webhook-signature").split(' ').any(|sig| {
        let Some(b64) = sig.strip_prefix("v1,") else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(signed.as_bytes());
        mac.verify_slice(&STANDARD.decode(b64).unwrap()).is_ok()
    })
}

/// A server whose webhooks may reach loopback, coalescing for `window` seconds, retrying first
/// after `first_delay` seconds with no jitter.
async fn app(window: u64, first_delay: u64, allow_private: bool) -> TestApp {
    spawn_app_with(tempfile::tempdir().unwrap(), move |mut state| {
        state.db = state.db.clone().with_webhook_window(window);
        state.with_webhooks(Settings {
            allow_private,
            first_delay: Duration::from_secs(first_delay),
            jitter: 0.0,
            ..Settings::default()
        })
    })
    .await
}

async fn add_webhook(app: &TestApp, id: model::Uuid, url: &str) -> (model::Uuid, String) {
    let response = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/webhooks")))
        .json(&json!({ "url": url, "events": ["diagram.updated", "diagram.deleted"], "dialect": "postgresql" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let secret = body["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (serde_json::from_value(body["id"].clone()).unwrap(), secret)
}

fn add_table(name: &str) -> Op {
    Op::AddTable {
        table: Table::new(name),
        at: None,
    }
}

#[tokio::test]
async fn edits_are_delivered_once_per_window_signed_with_the_migration() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let app = app(2, 1, true).await;
    let created = app.create("Shop").await;
    let id = created.diagram.id;
    let (_, secret) = add_webhook(&app, id, &format!("http://{addr}/hook")).await;
    let mut revision = created.revision;
    for name in ["customer", "orders", "order_item"] {
        revision = app.apply(id, revision, &[add_table(name)]).await;
    }
    let got = receiver.wait_for("/hook", 1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "one delivery for three edits");
    let delivery = &got[0];
    assert!(verifies(&secret, delivery), "the signature verifies");
    assert!(!verifies(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        delivery
    ));
    let body: Value = serde_json::from_str(&delivery.body).unwrap();
    assert_eq!(body["type"], "diagram.updated");
    let data = &body["data"];
    assert_eq!(data["diagram"]["name"], "Shop");
    assert_eq!(data["from_revision"], created.revision);
    assert_eq!(data["to_revision"], revision);
    assert_eq!(data["authors"][0]["name"], "owner");
    let summary: Vec<&str> = data["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        summary,
        [
            "added table customer",
            "added table orders",
            "added table order_item"
        ]
    );
    let sql = data["migration"]["sql"].as_str().unwrap();
    assert!(sql.contains("CREATE TABLE order_item"), "{sql}");
    assert_eq!(
        delivery.headers["webhook-id"].to_str().unwrap().len(),
        36,
        "the delivery's id"
    );

    // Nothing more while nothing changes; the next edit starts where this one ended.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(receiver.got("/hook").len(), 1);
    let next = app.apply(id, revision, &[add_table("invoice")]).await;
    let got = receiver.wait_for("/hook", 2, Duration::from_secs(10)).await;
    let body: Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(body["data"]["from_revision"], revision);
    assert_eq!(body["data"]["to_revision"], next);
    assert_ne!(got[0].headers["webhook-id"], got[1].headers["webhook-id"]);

    // Deleting the diagram is told too, after it and its webhooks are gone.
    let deleted = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let got = receiver.wait_for("/hook", 3, Duration::from_secs(10)).await;
    let body: Value = serde_json::from_str(&got[2].body).unwrap();
    assert_eq!(body["type"], "diagram.deleted");
    assert_eq!(body["data"]["diagram"]["name"], "Shop");
    assert!(verifies(&secret, &got[2]));
}

#[tokio::test]
async fn naming_a_version_is_delivered_to_those_who_want_it() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let app = app(60, 1, true).await;
    let created = app.create("Shop").await;
    let id = created.diagram.id;
    let response = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/webhooks")))
        .json(&json!({ "url": format!("http://{addr}/named"), "events": ["version.named"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let secret = response.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    // An edit is not what this one asked for; the version is.
    let revision = app
        .apply(id, created.revision, &[add_table("customer")])
        .await;
    let version = app
        .post_json(
            &format!("/api/diagrams/{id}/versions"),
            &json!({ "name": "v1.2 deployed" }),
        )
        .await;
    let got = receiver
        .wait_for("/named", 1, Duration::from_secs(10))
        .await;
    assert_eq!(got.len(), 1);
    assert!(verifies(&secret, &got[0]));
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["type"], "version.named");
    assert_eq!(body["data"]["diagram"]["name"], "Shop");
    assert_eq!(body["data"]["version"]["name"], "v1.2 deployed");
    assert_eq!(body["data"]["version"]["revision"], revision);
    assert_eq!(body["data"]["version"]["id"], version["id"]);
    assert_eq!(body["data"]["authors"][0]["name"], "owner");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(receiver.got("/named").len(), 1, "nothing else was sent");
}

#[tokio::test]
async fn a_teams_webhook_hears_of_every_diagram_of_the_team() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let app = app(1, 1, true).await;
    let team = app
        .post_json("/api/teams", &json!({ "name": "Data" }))
        .await["id"]
        .clone();
    let made = |name: &str, team: Option<Value>| {
        let body = match team {
            Some(team) => json!({ "name": name, "team_id": team }),
            None => json!({ "name": name }),
        };
        let app = &app;
        async move {
            let created = app.post_json("/api/diagrams", &body).await;
            let id: model::Uuid = serde_json::from_value(created["diagram"]["id"].clone()).unwrap();
            (id, created["revision"].as_i64().unwrap())
        }
    };
    let (billing, billing_rev) = made("Billing", Some(team.clone())).await;
    let (private, private_rev) = made("Mine", None).await;
    let created = app
        .post_json(
            &format!("/api/teams/{}/webhooks", team.as_str().unwrap()),
            &json!({ "url": format!("http://{addr}/team"), "events": ["diagram.updated"] }),
        )
        .await;
    let secret = created["secret"].as_str().unwrap().to_string();
    let listed: Vec<WebhookInfo> = app
        .get_json(&format!("/api/teams/{}/webhooks", team.as_str().unwrap()))
        .await;
    assert_eq!(listed.len(), 1);
    // Not a webhook of any diagram.
    let on_diagram: Vec<WebhookInfo> = app
        .get_json(&format!("/api/diagrams/{billing}/webhooks"))
        .await;
    assert!(on_diagram.is_empty());

    let edited = app
        .apply(billing, billing_rev, &[add_table("invoice")])
        .await;
    app.apply(private, private_rev, &[add_table("secret_plans")])
        .await;
    // A diagram the team gets after the webhook was made is told of from its start.
    let (late, late_rev) = made("Late", Some(team)).await;
    app.apply(late, late_rev, &[add_table("ledger")]).await;

    receiver.wait_for("/team", 2, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got: Vec<Value> = receiver
        .got("/team")
        .iter()
        .inspect(|r| assert!(verifies(&secret, r)))
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    assert_eq!(
        got.len(),
        2,
        "one per team diagram, none for the other: {got:?}"
    );
    let of = |name: &str| {
        got.iter()
            .find(|b| b["data"]["diagram"]["name"] == name)
            .unwrap_or_else(|| panic!("no delivery for {name}"))
    };
    let billing_body = of("Billing");
    assert_eq!(billing_body["data"]["from_revision"], billing_rev);
    assert_eq!(billing_body["data"]["to_revision"], edited);
    assert_eq!(billing_body["data"]["summary"][0], "added table invoice");
    let late_body = of("Late");
    assert_eq!(late_body["data"]["from_revision"], 0);
    let sql = late_body["data"]["migration"]["sql"].as_str().unwrap();
    assert!(sql.contains("CREATE TABLE ledger"), "{sql}");
}

#[tokio::test]
async fn a_failing_receiver_gets_three_attempts_with_growing_gaps() {
    let (receiver, addr) = Receiver::start(&[500, 500]).await;
    let app = app(1, 2, true).await;
    let id = app.create("Retry").await.diagram.id;
    let (hook, _) = add_webhook(&app, id, &format!("http://{addr}/hook")).await;
    let sent = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/webhooks/{hook}/test")))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let got = receiver.wait_for("/hook", 3, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 3, "500, 500, then 200");
    let ids: Vec<_> = got
        .iter()
        .map(|r| r.headers["webhook-id"].clone())
        .collect();
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "every try carries the same id"
    );
    let (first, second) = (got[1].at - got[0].at, got[2].at - got[1].at);
    // Delays of 2 s then 4 s, on a clock of whole seconds polled every second.
    assert!(
        first > Duration::from_secs(1) && first <= Duration::from_millis(3500),
        "{first:?}"
    );
    assert!(
        second > Duration::from_secs(3) && second > first,
        "{first:?} then {second:?}"
    );

    tokio::time::sleep(Duration::from_millis(300)).await;
    let log: Vec<DeliveryInfo> = app
        .get_json(&format!("/api/diagrams/{id}/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].state, DeliveryState::Delivered);
    let statuses: Vec<_> = log[0].attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
    assert_eq!(
        log[0].attempts[2].response.as_deref(),
        Some("receiver says hi")
    );

    // Redeliver sends it once more, with the same id.
    let again = app
        .client
        .post(app.url(&format!(
            "/api/diagrams/{id}/webhooks/{hook}/deliveries/{}/redeliver",
            log[0].id
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    let got = receiver.wait_for("/hook", 4, Duration::from_secs(10)).await;
    assert_eq!(got[3].headers["webhook-id"], ids[0]);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let app = app(1, 60, true).await;
    let id = app.create("Redirect").await.diagram.id;
    let (hook, _) = add_webhook(&app, id, &format!("http://{addr}/redirect")).await;
    app.client
        .post(app.url(&format!("/api/diagrams/{id}/webhooks/{hook}/test")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        receiver
            .wait_for("/redirect", 1, Duration::from_secs(10))
            .await
            .len(),
        1
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        receiver.got("/landing").is_empty(),
        "the redirect was followed"
    );
    let log: Vec<DeliveryInfo> = app
        .get_json(&format!("/api/diagrams/{id}/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(
        log[0].state,
        DeliveryState::Pending,
        "a 302 is a failure, retried later"
    );
    assert_eq!(log[0].attempts[0].status, Some(302));
}

#[tokio::test]
async fn private_targets_are_refused_without_the_flag_when_saved_and_when_sent() {
    let (receiver, addr) = Receiver::start(&[]).await;
    // Saved while private targets were allowed …
    let allowed = app(1, 60, true).await;
    let id = allowed.create("Private").await.diagram.id;
    let (hook, _) = add_webhook(&allowed, id, &format!("http://{addr}/hook")).await;
    let dir = allowed.stop().await;
    // … then the server runs without the flag: new ones are refused, the old one is not sent.
    let strict = spawn_app_with(dir, |mut state| {
        state.db = state.db.clone().with_webhook_window(1);
        state
    })
    .await;
    for url in [
        format!("http://{addr}/hook"),
        "http://localhost:9/hook".to_string(),
        "http://169.254.169.254/latest/meta-data".to_string(),
        "http://[::1]:9/".to_string(),
    ] {
        let refused = strict
            .client
            .post(strict.url(&format!("/api/diagrams/{id}/webhooks")))
            .json(&json!({ "url": url, "events": ["diagram.updated"] }))
            .send()
            .await
            .unwrap();
        let body = expect_error(
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
            "webhook_target_private",
        )
        .await;
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("--webhook-allow-private"),
            "{body}"
        );
    }
    let state = strict.get(id).await;
    strict.apply(id, state.revision, &[add_table("t")]).await;
    let started = Instant::now();
    let hooks = loop {
        let hooks: Vec<WebhookInfo> = strict
            .get_json(&format!("/api/diagrams/{id}/webhooks"))
            .await;
        if !hooks[0].enabled || started.elapsed() > Duration::from_secs(10) {
            break hooks;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        !hooks[0].enabled,
        "a webhook that cannot be sent is turned off"
    );
    assert!(
        hooks[0]
            .disabled_reason
            .as_deref()
            .unwrap()
            .contains("private"),
        "{:?}",
        hooks[0].disabled_reason
    );
    assert!(
        receiver.got("/hook").is_empty(),
        "nothing reached the private address"
    );
    let log: Vec<DeliveryInfo> = strict
        .get_json(&format!("/api/diagrams/{id}/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(log[0].state, DeliveryState::Failed);
}

#[tokio::test]
async fn webhook_requests_are_checked() {
    let app = app(1, 60, false).await;
    let id = app.create("Checks").await.diagram.id;
    let post = |body: Value| {
        let request = app
            .client
            .post(app.url(&format!("/api/diagrams/{id}/webhooks")))
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let cases = [
        (
            json!({ "url": "ftp://example.com/", "events": ["diagram.updated"] }),
            "invalid_webhook_url",
        ),
        (
            json!({ "url": "https://93.184.215.14/", "events": [] }),
            "invalid_webhook_events",
        ),
        (
            json!({ "url": "https://93.184.215.14/", "events": ["webhook.test"] }),
            "invalid_webhook_events",
        ),
        (
            json!({ "url": "https://93.184.215.14/", "events": ["diagram.updated"], "dialect": "cobol" }),
            "invalid_dialect",
        ),
        (
            json!({ "url": "https://93.184.215.14/", "events": ["diagram.updated"], "secret": "hunter2" }),
            "invalid_webhook_secret",
        ),
    ];
    for (body, code) in cases {
        expect_error(post(body).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }
    let ghost = model::Uuid::new_v4();
    let missing = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}/webhooks/{ghost}")))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND, "not_found").await;
}

const BIN: &str = env!("CARGO_BIN_EXE_tablewright");

fn start(db: &str, port: u16) -> Child {
    Command::new(BIN)
        .args(["--bind", &format!("127.0.0.1:{port}"), "--database-url", db])
        .args(["--webhook-window", "3", "--webhook-allow-private"])
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server never came up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_delivery_committed_before_a_sigkill_is_sent_after_the_restart() {
    let (receiver, addr) = Receiver::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = if support::on_postgres() {
        support::store(&dir).await
    } else {
        format!("sqlite://{}/webhooks.db", dir.path().display())
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let mut server = start(&db, port);
    wait_ready(&client, &base).await;
    let signed_up = client
        .post(format!("{base}/api/auth/signup"))
        .json(&json!({ "email": "hooks@example.com", "name": "Hooks", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), StatusCode::CREATED);
    let created: model::api::DiagramState = client
        .post(format!("{base}/api/diagrams"))
        .json(&json!({ "name": "Durable" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created.diagram.id;
    let hook = client
        .post(format!("{base}/api/diagrams/{id}/webhooks"))
        .json(&json!({ "url": format!("http://{addr}/hook"), "events": ["diagram.updated"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), StatusCode::CREATED);
    let secret = hook.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let saved = client
        .post(format!("{base}/api/diagrams/{id}/ops"))
        .json(&json!({ "base_revision": created.revision, "ops": [add_table("kept")] }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    // Committed, and within the window: killed before anything was sent.
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    assert!(receiver.got("/hook").is_empty());

    let mut server = start(&db, port);
    wait_ready(&client, &base).await;
    let got = receiver.wait_for("/hook", 1, Duration::from_secs(15)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(got.len(), 1, "delivered after the restart, once");
    assert!(verifies(&secret, &got[0]));
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["data"]["summary"][0], "added table kept");
}
