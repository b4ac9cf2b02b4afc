//! `/api/diagrams/{id}/members`: who has a diagram, and sharing it with people by email.

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::Uuid;
use model::api::{Member, Members, NewMember, Role, RoleChange};

use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::{Access, Caller, Grant};
use crate::db;
use crate::db::access::Shared;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    let owner = Access::Diagram(Role::Owner);
    vec![
        route(
            Method::GET,
            "/diagrams/{id}/members",
            Access::Diagram(Role::Viewer),
            list,
        ),
        route(Method::POST, "/diagrams/{id}/members", owner, add),
        route(
            Method::PATCH,
            "/diagrams/{id}/members/{user_id}",
            owner,
            change,
        ),
        route(
            Method::DELETE,
            "/diagrams/{id}/members/{user_id}",
            owner,
            remove,
        ),
    ]
}

/// People see who else has a diagram; someone holding only a link does not see their emails.
async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Members>, ApiError> {
    if matches!(grant.caller, Caller::Link(_)) {
        return Err(ApiError::Forbidden(
            "sign in to see who has this diagram".into(),
        ));
    }
    let role = grant.role.unwrap_or(Role::Viewer);
    Ok(axum::Json(db::access::members(&state.db, id, role).await?))
}

fn shared(result: Shared) -> Result<Member, ApiError> {
    match result {
        Shared::Done(member) => Ok(member),
        Shared::Creator => Err(ApiError::Unprocessable(
            "invalid_member",
            "that person created the diagram and owns it already".into(),
        )),
    }
}

async fn add(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<NewMember>,
) -> Result<(StatusCode, axum::Json<Member>), ApiError> {
    let user = super::auth::person_by_email(&state, &body.email).await?;
    let member = shared(db::access::share(&state.db, id, user.id, body.role).await?)?;
    Ok((StatusCode::CREATED, axum::Json(member)))
}

async fn change(
    State(state): State<AppState>,
    Path((id, user)): Path<(Uuid, Uuid)>,
    Json(body): Json<RoleChange<Role>>,
) -> Result<axum::Json<Member>, ApiError> {
    db::access::change_share(&state.db, id, user, body.role)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::NotFound("no such share".into()))
}

async fn remove(
    State(state): State<AppState>,
    Path((id, user)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    if !db::access::unshare(&state.db, id, user).await? {
        return Err(ApiError::NotFound("no such share".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}
