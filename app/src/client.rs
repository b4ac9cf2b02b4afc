//! Calls to the JSON API from the browser. On the server these futures never resolve: pages
//! load through `LocalResource` and edits happen in event handlers, which only run in the browser.
//!
//! Every request goes through `call`, `text` or `send_text`, so the share link a page is viewed
//! through ([`set_link_token`]) rides along on all of them without any call site knowing.

mod people;

use std::cell::RefCell;

use model::api::{DiagramState, DiagramSummary, ErrorDetail, NewDiagram, OpBatch, Saved};
use model::{Op, Uuid};

pub use people::*;

thread_local! {
    /// The token of the share link the page is viewed through, sent as a bearer token.
    static LINK_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Makes every later call carry `token` (a viewer link's), or stop carrying one. Only the
/// browser keeps it: a server thread renders pages for many visitors.
pub fn set_link_token(token: Option<String>) {
    if cfg!(feature = "hydrate") {
        LINK_TOKEN.with(|t| *t.borrow_mut() = token);
    }
}

/// The token of the share link the page is viewed through.
pub fn link_token() -> Option<String> {
    LINK_TOKEN.with(|t| t.borrow().clone())
}

/// True while the page is viewed through a share link.
pub fn has_link_token() -> bool {
    LINK_TOKEN.with(|t| t.borrow().is_some())
}

#[cfg(feature = "hydrate")]
fn with_link_token(builder: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    LINK_TOKEN.with(|t| match t.borrow().as_deref() {
        Some(token) => builder.header("authorization", &format!("Bearer {token}")),
        None => builder,
    })
}

/// Why a call failed, sorted by what the caller should do about it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // only the browser makes calls
pub enum Failure {
    /// No answer (network down, server stopped) or a 5xx: keep the work and try again later.
    Unreachable,
    /// The server refused the request; `detail.code` says why (`conflict`, `invalid_op` …).
    Refused { status: u16, detail: ErrorDetail },
    /// An answer that could not be read.
    Garbled(String),
}

impl Failure {
    /// A sentence for the person.
    pub fn message(&self) -> String {
        match self {
            Failure::Unreachable => "The server cannot be reached.".into(),
            Failure::Refused { detail, .. } => detail.message.clone(),
            Failure::Garbled(e) => format!("Unexpected answer from the server: {e}"),
        }
    }

    /// The server does not know who is asking (no session, or it ended).
    pub fn is_signed_out(&self) -> bool {
        matches!(self, Failure::Refused { status: 401, .. })
    }

    /// The thing asked for does not exist (or is not visible to the caller).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Failure::Refused { status: 404, .. })
    }
}

pub async fn list_diagrams() -> Result<Vec<DiagramSummary>, Failure> {
    get("/api/diagrams").await
}

/// A new diagram, the caller's own or in `team_id`.
pub async fn create_diagram(
    name: Option<String>,
    team_id: Option<Uuid>,
) -> Result<DiagramState, Failure> {
    call("POST", "/api/diagrams", Some(&NewDiagram { name, team_id })).await
}

pub async fn diagram(id: Uuid) -> Result<DiagramState, Failure> {
    get(&format!("/api/diagrams/{id}")).await
}

pub async fn delete_diagram(id: Uuid) -> Result<(), Failure> {
    done("DELETE", &format!("/api/diagrams/{id}"), None::<&()>).await
}

pub async fn apply_ops(id: Uuid, base_revision: i64, ops: Vec<Op>) -> Result<Saved, Failure> {
    let batch = OpBatch {
        base_revision,
        ops,
        key: None,
    };
    call("POST", &format!("/api/diagrams/{id}/ops"), Some(&batch)).await
}

/// A call whose answer has no body worth reading (204, or one the caller does not need).
async fn done<B: serde::Serialize>(
    method: &str,
    url: &str,
    body: Option<&B>,
) -> Result<(), Failure> {
    call::<_, serde::de::IgnoredAny>(method, url, body)
        .await
        .map(|_| ())
}

/// A `GET` whose answer is JSON.
async fn get<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, Failure> {
    call("GET", url, None::<&()>).await
}

/// A call with a JSON body (or none) and a JSON answer. Only the (de)serializing is generic:
/// the request itself is made by one function for all calls ([`fetch`]), not once per type.
#[cfg(feature = "hydrate")]
async fn call<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<&B>,
) -> Result<T, Failure> {
    let body = match body {
        Some(body) => Some((
            serde_json::to_string(body).map_err(garbled)?,
            "application/json",
        )),
        None => None,
    };
    from_json(&fetch(method, url, body).await?)
}

#[cfg(not(feature = "hydrate"))]
async fn call<B, T>(_method: &str, _url: &str, _body: Option<&B>) -> Result<T, Failure> {
    std::future::pending().await
}

#[cfg(feature = "hydrate")]
fn garbled(e: impl std::fmt::Display) -> Failure {
    Failure::Garbled(e.to_string())
}

#[cfg(feature = "hydrate")]
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(garbled)
}

/// Reads SQL on the server: a preview (nothing stored), or an import into a new diagram.
pub async fn import_sql(
    sql: String,
    dialect: &str,
    preview: bool,
    name: Option<&str>,
) -> Result<model::api::ImportAnswer, Failure> {
    let mut url = format!(
        "/api/ddl/import?dialect={dialect}&preview={}",
        u8::from(preview)
    );
    if let Some(name) = name {
        url.push_str("&name=");
        url.push_str(&encode(name));
    }
    send_text("POST", &url, sql).await
}

/// Exported DDL of the saved diagram; `query` is the export's query (`dialect=…`, maybe
/// `&area=…`).
pub async fn export_sql(id: Uuid, query: &str) -> Result<String, Failure> {
    text(&format!("/api/diagrams/{id}/export?{query}")).await
}

/// The diagram's history, oldest first.
pub async fn revisions(id: Uuid) -> Result<Vec<model::api::RevisionInfo>, Failure> {
    get(&format!("/api/diagrams/{id}/revisions")).await
}

/// A page of history: at most `limit` of the newest revisions before `before`, oldest first.
pub async fn revisions_page(
    id: Uuid,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<model::api::RevisionInfo>, Failure> {
    let before = before.map(|b| format!("&before={b}")).unwrap_or_default();
    get(&format!(
        "/api/diagrams/{id}/revisions?limit={limit}{before}"
    ))
    .await
}

/// The diagram as of `revision`.
pub async fn revision_document(id: Uuid, revision: i64) -> Result<model::Diagram, Failure> {
    get(&format!("/api/diagrams/{id}/revisions/{revision}")).await
}

/// The diagram's named versions, newest first.
pub async fn versions(id: Uuid) -> Result<Vec<model::api::VersionInfo>, Failure> {
    get(&format!("/api/diagrams/{id}/versions")).await
}

/// Names `revision` (the current one when `None`).
pub async fn name_version(
    id: Uuid,
    name: String,
    revision: Option<i64>,
) -> Result<model::api::VersionInfo, Failure> {
    let body = model::api::NewVersion { name, revision };
    call("POST", &format!("/api/diagrams/{id}/versions"), Some(&body)).await
}

/// Takes a version's name away (its revision stays in history).
pub async fn delete_version(id: Uuid, version: Uuid) -> Result<(), Failure> {
    done(
        "DELETE",
        &format!("/api/diagrams/{id}/versions/{version}"),
        None::<&()>,
    )
    .await
}

/// The migration script between two revisions (`to`: the current one when `None`).
pub async fn migration_sql(id: Uuid, query: &str) -> Result<String, Failure> {
    text(&format!("/api/diagrams/{id}/migration?{query}")).await
}

/// Whose webhooks: a diagram's, or a team's (told of all its diagrams).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookOwner {
    Diagram(Uuid),
    Team(Uuid),
}

impl HookOwner {
    /// The owner's webhooks collection, with `tail` after it.
    fn url(self, tail: &str) -> String {
        match self {
            HookOwner::Diagram(id) => format!("/api/diagrams/{id}/webhooks{tail}"),
            HookOwner::Team(id) => format!("/api/teams/{id}/webhooks{tail}"),
        }
    }
}

pub async fn webhooks(owner: HookOwner) -> Result<Vec<model::api::WebhookInfo>, Failure> {
    get(&owner.url("")).await
}

pub async fn create_webhook(
    owner: HookOwner,
    hook: &model::api::NewWebhook,
) -> Result<model::api::CreatedWebhook, Failure> {
    call("POST", &owner.url(""), Some(hook)).await
}

pub async fn update_webhook(
    owner: HookOwner,
    hook: Uuid,
    patch: &model::api::WebhookPatch,
) -> Result<model::api::WebhookInfo, Failure> {
    call("PATCH", &owner.url(&format!("/{hook}")), Some(patch)).await
}

pub async fn delete_webhook(owner: HookOwner, hook: Uuid) -> Result<(), Failure> {
    done("DELETE", &owner.url(&format!("/{hook}")), None::<&()>).await
}

pub async fn test_webhook(owner: HookOwner, hook: Uuid) -> Result<(), Failure> {
    done("POST", &owner.url(&format!("/{hook}/test")), None::<&()>).await
}

pub async fn deliveries(
    owner: HookOwner,
    hook: Uuid,
) -> Result<Vec<model::api::DeliveryInfo>, Failure> {
    get(&owner.url(&format!("/{hook}/deliveries"))).await
}

pub async fn redeliver(owner: HookOwner, hook: Uuid, delivery: Uuid) -> Result<(), Failure> {
    let url = owner.url(&format!("/{hook}/deliveries/{delivery}/redeliver"));
    done("POST", &url, None::<&()>).await
}

pub use model::api::encode_query as encode;

#[cfg(feature = "hydrate")]
async fn send_text<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: String,
) -> Result<T, Failure> {
    from_json(&fetch(method, url, Some((body, "text/plain; charset=utf-8"))).await?)
}

#[cfg(feature = "hydrate")]
async fn text(url: &str) -> Result<String, Failure> {
    fetch("GET", url, None).await
}

/// Sends a request with its body and the body's content type, carrying the share link's token;
/// the answer's text when it succeeds (`null` for a 204), else the API's error.
#[cfg(feature = "hydrate")]
async fn fetch(
    method: &str,
    url: &str,
    body: Option<(String, &'static str)>,
) -> Result<String, Failure> {
    use gloo_net::http::{Method, RequestBuilder};
    let method = match method {
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        _ => Method::GET,
    };
    let builder = with_link_token(RequestBuilder::new(url).method(method));
    let request = match body {
        Some((body, kind)) => builder.header("Content-Type", kind).body(body),
        None => builder.build(),
    }
    .map_err(garbled)?;
    let response = request.send().await.map_err(|_| Failure::Unreachable)?;
    let status = response.status();
    if status == 204 {
        return Ok("null".into());
    }
    if response.ok() {
        return response.text().await.map_err(garbled);
    }
    if status >= 500 {
        return Err(Failure::Unreachable);
    }
    let body = response.text().await.ok();
    match body
        .as_deref()
        .map(serde_json::from_str::<model::api::ErrorBody>)
    {
        Some(Ok(body)) => Err(Failure::Refused {
            status,
            detail: body.error,
        }),
        _ => Err(Failure::Garbled(format!("status {status}"))),
    }
}

#[cfg(not(feature = "hydrate"))]
async fn send_text<T>(_method: &str, _url: &str, _body: String) -> Result<T, Failure> {
    std::future::pending().await
}

#[cfg(not(feature = "hydrate"))]
async fn text(_url: &str) -> Result<String, Failure> {
    std::future::pending().await
}
