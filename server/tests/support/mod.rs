//! Test helpers: each test gets its own store (a SQLite file, or a PostgreSQL database: see
//! [`on_postgres`]) and a real server on a free port.

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

/// Whether the test servers store on PostgreSQL (`TABLEWRIGHT_TEST_BACKEND=postgres`: a
/// database per test on the server `TABLEWRIGHT_TEST_PG_URL` names) rather than in a SQLite
/// file in the test's folder. The test command runs the suite once on each.
pub fn on_postgres() -> bool {
    std::env::var("TABLEWRIGHT_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

/// True (and says so) when the suite runs on PostgreSQL and the calling test is about SQLite
/// only: it runs in the SQLite pass of the test command.
pub fn skip_on_postgres(why: &str) -> bool {
    if on_postgres() {
        println!("skipped on PostgreSQL: {why}");
    }
    on_postgres()
}

/// The PostgreSQL server tests use, as a URL of one of its databases.
pub fn pg_server_url() -> String {
    std::env::var("TABLEWRIGHT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `url` with its database replaced by `name`.
pub fn pg_database_url(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// The URL of the store of the test whose folder is `dir` (it may not exist yet: see
/// [`store`]). On PostgreSQL, the database is named after the folder, so a server restarted on
/// the same folder finds the same store.
pub fn database_url(dir: &TempDir) -> String {
    if on_postgres() {
        use std::hash::{Hash, Hasher};
        let mut hash = std::collections::hash_map::DefaultHasher::new();
        dir.path().hash(&mut hash);
        return pg_database_url(&pg_server_url(), &format!("tw_test_{:016x}", hash.finish()));
    }
    format!(
        "sqlite://{}",
        dir.path().join("data/tablewright.db").display()
    )
}

/// The URL of the test's store, which exists once this returns (a SQLite file is created by
/// the server; a PostgreSQL database here).
pub async fn store(dir: &TempDir) -> String {
    let url = database_url(dir);
    if on_postgres() {
        let name = url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .split('?')
            .next()
            .unwrap_or_default();
        create_pg_database(name).await;
    }
    url
}

/// Creates database `name` on the test server (once, whoever asks first). Databases earlier
/// test binaries left are dropped first: binaries run one after another, so none is in use.
pub async fn create_pg_database(name: &str) {
    use sqlx::Connection;
    static CLEARED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    let server = pg_server_url();
    CLEARED
        .get_or_init(|| async {
            let mut admin = sqlx::PgConnection::connect(&server)
                .await
                .expect("PostgreSQL");
            let left: Vec<String> = sqlx::query_scalar(
                "SELECT datname FROM pg_database WHERE datname LIKE 'tw\\_test\\_%'",
            )
            .fetch_all(&mut admin)
            .await
            .expect("databases");
            for name in left {
                let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
                    .execute(&mut admin)
                    .await
                    .expect("drop");
            }
        })
        .await;
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("PostgreSQL");
    let create = format!("CREATE DATABASE \"{name}\"");
    if let Err(error) = sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
    {
        let exists = error
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| code == "42P04");
        assert!(exists, "creating database {name}: {error}");
    }
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
    let url = store(&dir).await;
    spawn_app_on(&url, dir, configure).await
}

/// Starts a server over the store at `url` (another server may be using it too).
pub async fn spawn_app_on(
    url: &str,
    dir: TempDir,
    configure: impl FnOnce(AppState) -> AppState,
) -> TestApp {
    let db = db::connect(url).await.expect("database opens");
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

    /// POSTs `body` to `path` as the owner and reads its JSON answer, which must be a success.
    pub async fn post_json(&self, path: &str, body: &Value) -> Value {
        let response = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let answer: Value = response.json().await.expect("JSON answer");
        assert!(status.is_success(), "POST {path}: {status} {answer}");
        answer
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
