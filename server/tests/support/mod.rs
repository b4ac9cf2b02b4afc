//! Test helpers: each test gets its own SQLite file and a real server on a free port.

#![allow(dead_code)] // each test file uses a different part of the helpers

pub mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;

use model::api::{DiagramState, Saved};
use model::{Op, Uuid};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::{AppState, Limits, db};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub addr: SocketAddr,
    /// Signed in as the server's first account, [`OWNER`] (who owns what the tests create).
    pub client: Client,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

pub fn database_url(dir: &TempDir) -> String {
    format!(
        "sqlite://{}",
        dir.path().join("data/tablewright.db").display()
    )
}

/// Starts the real router on port 0 over a fresh SQLite file in a temp dir.
pub async fn spawn_app() -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("temp dir"), 1024 * 1024).await
}

/// Starts a server over the database in `dir` (created on first use) with a body limit.
pub async fn spawn_app_in(dir: TempDir, body_limit: usize) -> TestApp {
    spawn_app_with(dir, |state| {
        state.with_limits(Limits {
            body_bytes: body_limit,
            ..Limits::default()
        })
    })
    .await
}

/// Starts a server whose state `configure` adjusts (limits, trusted proxies).
pub async fn spawn_app_with(dir: TempDir, configure: impl FnOnce(AppState) -> AppState) -> TestApp {
    let db = db::connect(&database_url(&dir))
        .await
        .expect("database opens");
    let state = configure(AppState::new(
        db,
        &PathBuf::from("target/site"),
        1024 * 1024,
    ));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("port");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel();
    let task = tokio::spawn(server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let mut app = TestApp {
        addr,
        client: Client::new(),
        dir,
        stop: Some(stop),
        task: Some(task),
    };
    app.client = app.person(OWNER).await;
    app
}

/// The email of the account `TestApp::client` is signed in as.
pub const OWNER: &str = "owner@example.com";

/// The password every test account has.
pub const PASSWORD: &str = "correct horse battery";

/// A client that keeps cookies, like a browser.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .build()
        .expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Signs up an account with `email` (or signs in, when a restarted server has it already)
    /// and returns a client signed in as it.
    pub async fn person(&self, email: &str) -> Client {
        let client = browser();
        let response = client
            .post(self.url("/api/auth/signup"))
            .json(&json!({ "email": email, "name": email.split('@').next(), "password": PASSWORD }))
            .send()
            .await
            .expect("request");
        if response.status() == StatusCode::CONFLICT {
            let response = client
                .post(self.url("/api/auth/login"))
                .json(&json!({ "email": email, "password": PASSWORD }))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), StatusCode::OK, "sign-in of {email}");
            return client;
        }
        assert_eq!(response.status(), StatusCode::CREATED, "sign-up of {email}");
        client
    }

    /// A personal token (`read` or `write`) of the [`OWNER`] account.
    pub async fn token(&self, scope: &str) -> String {
        let made: Value = self
            .client
            .post(self.url("/api/tokens"))
            .json(&json!({ "name": scope, "scope": scope }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("token");
        made["token"].as_str().expect("a token").to_string()
    }

    /// The id of the account a client is signed in as.
    pub async fn user_id(&self, client: &Client) -> Uuid {
        let me: Value = client
            .get(self.url("/api/auth/me"))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("account");
        me["user"]["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("an id")
    }

    /// Shares diagram `id` (owned by `client`'s person) with `email` as `role`.
    pub async fn share(&self, id: Uuid, email: &str, role: &str) {
        let response = self
            .client
            .post(self.url(&format!("/api/diagrams/{id}/members")))
            .json(&json!({ "email": email, "role": role }))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            response.text().await
        );
    }

    /// Shuts the server down cleanly (pool closed) and hands back its data folder.
    pub async fn stop(mut self) -> TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server ran");
        }
        self.dir
    }

    pub async fn create(&self, name: &str) -> DiagramState {
        let response = self
            .client
            .post(self.url("/api/diagrams"))
            .json(&json!({ "name": name }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("diagram state")
    }

    pub async fn get(&self, id: Uuid) -> DiagramState {
        let response = self
            .client
            .get(self.url(&format!("/api/diagrams/{id}")))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("diagram state")
    }

    pub async fn post_ops(&self, id: Uuid, base_revision: i64, ops: &[Op]) -> Response {
        self.client
            .post(self.url(&format!("/api/diagrams/{id}/ops")))
            .json(&json!({ "base_revision": base_revision, "ops": ops }))
            .send()
            .await
            .expect("request")
    }

    /// Posts ops that must be accepted, and returns the new revision.
    pub async fn apply(&self, id: Uuid, base_revision: i64, ops: &[Op]) -> i64 {
        let response = self.post_ops(id, base_revision, ops).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{:?}",
            response.text().await
        );
        let saved: Saved = response.json().await.expect("saved");
        saved.revision
    }
}

/// Reads an error answer and checks its status and code; returns the whole body.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let body: Value = response.json().await.expect("JSON error body");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    body
}

/// A small deterministic generator (xorshift64*), so a failing run can be replayed by its seed.
pub struct Rng(pub u64);

impl Rng {
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

impl TestApp {
    /// GETs `path` and reads its JSON answer.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON answer")
    }

    /// The body of a GET, as sent.
    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("text answer")
    }
}
