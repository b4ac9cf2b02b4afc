//! SQL DDL in and out: `POST /api/ddl/import` and `GET /api/diagrams/{id}/export`.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ddl::{Dialect, ExportOptions, ImportReport};
use model::Uuid;
use model::api::Role;
use serde::{Deserialize, Serialize};

use super::extract::{Path, Query};
use super::{Entry, route};
use crate::auth::access::require_diagram;
use crate::auth::{Access, Grant};
use crate::db;
use crate::error::ApiError;
use crate::limits::{Deadline, Limits};
use crate::state::AppState;

/// Room for a multipart upload's boundaries and part headers around the SQL file.
const UPLOAD_OVERHEAD: usize = 64 * 1024;

/// Import needs a signed-in person, and an editor of the diagram it replaces (checked in
/// `import`, as the diagram is a query parameter).
pub fn routes(limits: &Limits) -> Vec<Entry> {
    let import_body = DefaultBodyLimit::max(limits.import_bytes.saturating_add(UPLOAD_OVERHEAD));
    let (info, import) = route(Method::POST, "/ddl/import", Access::Person, import);
    vec![
        (info, import.layer(import_body)),
        route(
            Method::GET,
            "/diagrams/{id}/export",
            Access::Diagram(Role::Viewer),
            export,
        ),
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportParams {
    /// A dialect name, or `auto` (the default) to guess.
    #[serde(default)]
    dialect: Option<String>,
    /// Replace this diagram's content instead of creating a new diagram.
    #[serde(default)]
    diagram: Option<Uuid>,
    /// Name of the new diagram.
    #[serde(default)]
    name: Option<String>,
    /// Only report what would be imported; store nothing.
    #[serde(default, deserialize_with = "flag")]
    preview: bool,
}

/// The answer to an import: where it went, and the full report.
#[derive(Serialize)]
struct Imported {
    dialect: Dialect,
    /// The diagram written to (absent for a preview).
    diagram_id: Option<Uuid>,
    revision: Option<i64>,
    report: ImportReport,
}

/// Reads the SQL (the raw body, or the first file of a multipart upload), imports it, and stores
/// the result as a new diagram or as one replacement of an existing one.
async fn import(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(params): Query<ImportParams>,
    deadline: Deadline,
    request: Request,
) -> Result<(StatusCode, axum::Json<Imported>), ApiError> {
    if let Some(id) = params.diagram {
        require_diagram(&state, &grant.caller, id, Role::Editor).await?;
    }
    let sql = sql_text(&state, request).await?;
    let dialect = match params.dialect.as_deref() {
        None | Some("auto") | Some("") => ddl::detect_dialect(&sql),
        Some(name) => name
            .parse::<Dialect>()
            .map_err(|e| ApiError::BadQuery(format!("{e} or auto")))?,
    };
    // Parsing, checking and laying out a big schema is CPU work: off the async workers, and
    // bounded (the SQL by --import-limit, the layout by its work budget) so that it ends soon
    // after the request does.
    let limits = state.limits;
    let work = tokio::task::spawn_blocking(move || imported(&sql, dialect, &limits));
    let mut report = tokio::time::timeout_at(deadline.at.into(), work)
        .await
        .map_err(|_| ApiError::Timeout(state.limits.request_timeout))?
        .map_err(|e| ApiError::Internal(format!("import task failed: {e}")))??;
    if params.preview {
        let imported = Imported {
            dialect,
            diagram_id: None,
            revision: None,
            report,
        };
        return Ok((StatusCode::OK, axum::Json(imported)));
    }
    let (id, revision, status) = match params.diagram {
        Some(id) => {
            let (current, revision) = db::get(&state.db, id).await?;
            // The SQL brings tables; the diagram's name, naming standard and subject areas
            // are its own and stay.
            report.diagram.name = current.name;
            report.diagram.dictionary = current.dictionary;
            report.diagram.areas = current.areas;
            let limits = state.limits.document();
            let diagram = report.diagram.clone();
            let author = grant.caller.author();
            let revision =
                db::replace(&state.db, id, revision, diagram, &limits, author, &deadline).await?;
            (id, revision, StatusCode::OK)
        }
        None => {
            if let Some(name) = params.name.filter(|n| !n.trim().is_empty()) {
                report.diagram.name = name.trim().to_string();
            }
            report.diagram.id = Uuid::new_v4();
            let limits = state.limits.document();
            let author = grant.caller.author();
            let revision =
                db::create(&state.db, &report.diagram, &limits, author, None, &deadline).await?;
            (report.diagram.id, revision, StatusCode::CREATED)
        }
    };
    report.diagram.id = id;
    let imported = Imported {
        dialect,
        diagram_id: Some(id),
        revision: Some(revision),
        report,
    };
    Ok((status, axum::Json(imported)))
}

/// The SQL of an import, refused with `sql_too_large` over `--import-limit` (the import route's
/// body limit is raised to it, so that limit and not `--body-limit` decides).
async fn sql_text(state: &AppState, request: Request) -> Result<String, ApiError> {
    let limit = state.limits.import_bytes;
    let too_large = || ApiError::SqlTooLarge(limit);
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let bytes = if multipart {
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::MalformedBody(e.body_text()))?;
        let field = form
            .next_field()
            .await
            .map_err(|e| ApiError::MalformedBody(e.body_text()))?
            .ok_or_else(|| ApiError::MalformedBody("the upload holds no file".into()))?;
        field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::MalformedBody(e.body_text())
            }
        })?
    } else {
        let body: Result<Bytes, BytesRejection> = Bytes::from_request(request, state).await;
        body.map_err(|e| match ApiError::from(e) {
            ApiError::PayloadTooLarge => too_large(),
            other => other,
        })?
    };
    if bytes.len() > limit {
        return Err(too_large());
    }
    let mut text = String::from_utf8(bytes.into()).map_err(|e| {
        ApiError::MalformedBody(format!(
            "the SQL is not valid UTF-8 (byte {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Editors on Windows start UTF-8 files with a byte-order mark; it is not SQL.
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// Imports `sql`, lays the tables out, and holds the result to what storing it would: the
/// model's rules and every document limit, so a preview never shows what the import refuses.
fn imported(sql: &str, dialect: Dialect, limits: &Limits) -> Result<ImportReport, ApiError> {
    let mut report = ddl::import(sql, dialect).map_err(ApiError::Import)?;
    let document = limits.document();
    document
        .check(&report.diagram)
        .map_err(db::StoreError::from)?;
    report
        .diagram
        .validate()
        .map_err(|e| ApiError::Store(db::StoreError::InvalidDocument(e)))?;
    limits.check_document_texts(&report.diagram)?;
    place(&mut report.diagram);
    let json = serde_json::to_vec(&report.diagram).map_err(db::StoreError::from)?;
    document
        .check_bytes(json.len())
        .map_err(db::StoreError::from)?;
    Ok(report)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportParams {
    dialect: String,
    /// Answer as a file download named `<diagram>.<dialect>.sql`.
    #[serde(default, deserialize_with = "flag")]
    download: bool,
    /// Start with DROP TABLE IF EXISTS statements.
    #[serde(default, deserialize_with = "flag")]
    drop_existing: bool,
    /// Only the tables of this subject area (and the relationships between them).
    #[serde(default)]
    area: Option<Uuid>,
}

async fn export(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(params): Query<ExportParams>,
) -> Result<Response, ApiError> {
    let dialect: Dialect = params
        .dialect
        .parse()
        .map_err(|e: ddl::UnknownDialect| ApiError::BadQuery(e.to_string()))?;
    let (mut diagram, _) = db::get(&state.db, id).await?;
    if let Some(area) = params.area {
        diagram = model::areas::part(&diagram, area)
            .ok_or_else(|| ApiError::BadQuery(format!("the diagram has no subject area {area}")))?;
    }
    let options = ExportOptions {
        drop_existing: params.drop_existing,
    };
    let sql = ddl::export(&diagram, dialect, &options);
    let mut response = sql.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if params.download {
        let file = format!("{}.{}.sql", file_stem(&diagram.name), dialect.name());
        let disposition = format!("attachment; filename=\"{file}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}

/// Gives imported tables the editor's layered layout: parents above children, groups packed,
/// nothing overlapping.
fn place(diagram: &mut model::Diagram) {
    let moves = layout::auto_layout(diagram);
    for (table, placed) in diagram.tables.iter_mut().zip(moves) {
        (table.x, table.y) = (placed.x, placed.y);
    }
}

/// A query-string switch: `1`, `true`, `yes` or `on` (or empty, as in `?preview`) is on.
pub(super) fn flag<'de, D: serde::Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    let text = String::deserialize(de)?;
    match text.to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(serde::de::Error::custom(format!(
            "expected 1 or 0, not {other:?}"
        ))),
    }
}

/// A diagram name made safe as a file name: letters, digits, `-`, `_` and `.` kept, the rest `_`.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches(['_', '.']);
    if stem.is_empty() {
        "diagram".to_string()
    } else {
        stem.to_string()
    }
}
