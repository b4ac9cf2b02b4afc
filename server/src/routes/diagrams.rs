//! `/api/diagrams`: list, create, read, replace, delete, and apply op batches.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::Method;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::AppendHeaders;
use model::api::live::MAX_KEY_LEN;
use model::api::{
    DiagramState, DiagramSummary, NewDiagram, OpBatch, Replacement, Role, Saved, TeamRole,
};
use model::{Diagram, Uuid};

use super::extract::{Json, Path, json_object};
use super::{Entry, route};
use crate::auth::{Access, Grant};
use crate::db;
use crate::error::ApiError;
use crate::limits::Deadline;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    vec![
        route(Method::GET, "/diagrams", Access::Person, list),
        route(Method::POST, "/diagrams", Access::Person, create),
        route(
            Method::GET,
            "/diagrams/{id}",
            Access::Diagram(Role::Viewer),
            read,
        ),
        route(
            Method::PUT,
            "/diagrams/{id}",
            Access::Diagram(Role::Editor),
            replace,
        ),
        route(
            Method::DELETE,
            "/diagrams/{id}",
            Access::Diagram(Role::Owner),
            remove,
        ),
        route(
            Method::POST,
            "/diagrams/{id}/ops",
            Access::Diagram(Role::Editor),
            apply_ops,
        ),
        route(
            Method::GET,
            "/diagrams/{id}/live",
            Access::Diagram(Role::Viewer),
            crate::live::connect,
        ),
    ]
}

async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<axum::Json<Vec<DiagramSummary>>, ApiError> {
    let user = grant.person()?.user.id;
    Ok(axum::Json(db::list(&state.db, user).await?))
}

/// The body is optional: no body (or an empty one) creates an untitled diagram.
async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    deadline: Deadline,
    body: Result<Bytes, BytesRejection>,
) -> Result<
    (
        StatusCode,
        AppendHeaders<Option<(HeaderName, HeaderValue)>>,
        axum::Json<DiagramState>,
    ),
    ApiError,
> {
    let body = body?;
    let new: NewDiagram = if body.trim_ascii().is_empty() {
        NewDiagram::default()
    } else {
        json_object(&body)?
    };
    let user = grant.person()?.user.id;
    if let Some(team) = new.team_id {
        let role = db::access::team_role(&state.db, team, user).await?;
        if role.is_none_or(|r| r < TeamRole::Editor) {
            return Err(ApiError::Unprocessable(
                "invalid_team",
                "diagrams are created in teams where you are an editor or an admin".into(),
            ));
        }
    }
    let name = new
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Untitled diagram".to_string());
    let diagram = Diagram::new(name.trim());
    let author = grant.caller.author();
    let limits = state.limits.document();
    let revision = db::create(&state.db, &diagram, &limits, author, new.team_id, &deadline).await?;
    let location = location(&state, diagram.id);
    Ok((
        StatusCode::CREATED,
        location,
        axum::Json(DiagramState { diagram, revision }),
    ))
}

/// The new diagram's URL: absolute under the configured public URL, else a path (never built
/// from the request's `Host`, which the client chooses).
fn location(state: &AppState, id: Uuid) -> AppendHeaders<Option<(HeaderName, HeaderValue)>> {
    let origin = state.auth.public_url.as_deref().unwrap_or("");
    let url = HeaderValue::from_str(&format!("{origin}/api/diagrams/{id}")).ok();
    AppendHeaders(url.map(|url| (header::LOCATION, url)))
}

/// Sends the JSON the storage keeps ready for the current revision (see `db::get_json`),
/// gzipped when the client takes gzip (every browser does).
async fn read(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> Result<
    (
        [(HeaderName, HeaderValue); 2],
        AppendHeaders<Option<(HeaderName, HeaderValue)>>,
        Bytes,
    ),
    ApiError,
> {
    let encoded = db::get_json(&state.db, id).await?;
    let (encoding, body) = if accepts_gzip(&headers) {
        let gzip = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        (Some(gzip), encoded.gzip)
    } else {
        (None, encoded.json)
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        AppendHeaders(encoding),
        body,
    ))
}

/// Whether `Accept-Encoding` lists gzip (or `*`) without `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

async fn replace(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
    deadline: Deadline,
    Json(body): Json<Replacement>,
) -> Result<axum::Json<Saved>, ApiError> {
    state.limits.check_document_texts(&body.diagram)?;
    let limits = state.limits.document();
    let author = grant.caller.author();
    let revision = db::replace(
        &state.db,
        id,
        body.base_revision,
        body.diagram,
        &limits,
        author,
        &deadline,
    )
    .await?;
    Ok(axum::Json(Saved { revision }))
}

async fn remove(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    db::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn apply_ops(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
    deadline: Deadline,
    Json(batch): Json<OpBatch>,
) -> Result<axum::Json<Saved>, ApiError> {
    state.limits.check_batch(&batch.ops)?;
    if batch
        .key
        .as_ref()
        .is_some_and(|k| k.is_empty() || k.len() > MAX_KEY_LEN)
    {
        return Err(ApiError::InvalidBody(format!(
            "a batch key has 1 to {MAX_KEY_LEN} bytes"
        )));
    }
    let limits = state.limits.document();
    let author = grant.caller.author();
    let revision = db::apply_ops(
        &state.db,
        id,
        batch.base_revision,
        batch.ops,
        &limits,
        author,
        &deadline,
        batch.key,
    )
    .await?;
    Ok(axum::Json(Saved { revision }))
}
