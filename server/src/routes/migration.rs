//! `GET /api/diagrams/{id}/migration`: the ALTER script between two revisions of a diagram.

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use ddl::Dialect;
use model::Uuid;
use model::api::Role;
use serde::Deserialize;

use super::ddl::{file_stem, flag};
use super::extract::{Path, Query};
use super::{Entry, route};
use crate::auth::Access;
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// How many warnings (destructive or impossible steps) the script carries, so that a client can
/// ask for confirmation before showing it.
const WARNINGS: HeaderName = HeaderName::from_static("tablewright-warnings");

pub fn routes() -> Vec<Entry> {
    vec![route(
        Method::GET,
        "/diagrams/{id}/migration",
        Access::Diagram(Role::Viewer),
        migration,
    )]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MigrationParams {
    /// The revision the database is at.
    from: i64,
    /// The revision to migrate to; the current one when absent.
    #[serde(default)]
    to: Option<i64>,
    dialect: String,
    /// `up` (the default) or `down`, back from `to` to `from`.
    #[serde(default)]
    direction: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    download: bool,
}

async fn migration(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<MigrationParams>,
) -> Result<Response, ApiError> {
    let dialect: Dialect = params
        .dialect
        .parse()
        .map_err(|e: ddl::UnknownDialect| ApiError::BadQuery(e.to_string()))?;
    let down = match params.direction.as_deref() {
        None | Some("up") => false,
        Some("down") => true,
        Some(other) => {
            return Err(ApiError::BadQuery(format!(
                "direction must be up or down, not {other:?}"
            )));
        }
    };
    let from = db::revision_document(&state.db, id, params.from).await?;
    let (to, to_revision) = match params.to {
        Some(revision) => (
            db::revision_document(&state.db, id, revision).await?,
            revision,
        ),
        None => db::get(&state.db, id).await?,
    };
    let name = to.name.clone();
    // Planning both versions is CPU work that grows with the schema: off the async threads.
    let script = db::blocking(move || {
        let migration = ddl::migrate(&from, &to, dialect);
        if down { migration.down } else { migration.up }
    })
    .await?;
    let warnings = script.warnings.len();
    let mut response = script.sql.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(WARNINGS, HeaderValue::from(warnings));
    if params.download {
        let (a, b) = if down {
            (to_revision, params.from)
        } else {
            (params.from, to_revision)
        };
        let file = format!("{}.r{a}-r{b}.{}.sql", file_stem(&name), dialect.name());
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}
