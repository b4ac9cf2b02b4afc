//! `/api/teams`: teams, their members, and through them the team's diagrams.

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::Uuid;
use model::api::{
    NewTeam, NewTeamMember, RoleChange, TeamDetail, TeamMember, TeamRole, TeamSummary,
};

use super::auth::valid_name;
use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::{Access, Grant};
use crate::db;
use crate::db::access::TeamChange;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    let admin = Access::Team(TeamRole::Admin);
    vec![
        route(Method::GET, "/teams", Access::Person, list),
        route(Method::POST, "/teams", Access::Person, create),
        route(
            Method::GET,
            "/teams/{team_id}",
            Access::Team(TeamRole::Viewer),
            read,
        ),
        route(Method::PATCH, "/teams/{team_id}", admin, rename),
        route(Method::DELETE, "/teams/{team_id}", admin, remove),
        route(Method::POST, "/teams/{team_id}/members", admin, add_member),
        route(
            Method::PATCH,
            "/teams/{team_id}/members/{user_id}",
            admin,
            change_member,
        ),
        route(
            Method::DELETE,
            "/teams/{team_id}/members/{user_id}",
            admin,
            remove_member,
        ),
    ]
}

async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<axum::Json<Vec<TeamSummary>>, ApiError> {
    let user = grant.person()?.user.id;
    Ok(axum::Json(db::access::teams(&state.db, user).await?))
}

async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Json(body): Json<NewTeam>,
) -> Result<(StatusCode, axum::Json<TeamDetail>), ApiError> {
    let user = grant.person()?.user.id;
    let id = db::access::create_team(&state.db, valid_name(&body.name)?, user).await?;
    let team = db::access::team(&state.db, id, TeamRole::Admin).await?;
    Ok((StatusCode::CREATED, axum::Json(team)))
}

fn role(grant: &Grant) -> TeamRole {
    grant.team_role.unwrap_or(TeamRole::Viewer)
}

async fn read(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<TeamDetail>, ApiError> {
    Ok(axum::Json(
        db::access::team(&state.db, id, role(&grant)).await?,
    ))
}

async fn rename(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
    Json(body): Json<NewTeam>,
) -> Result<axum::Json<TeamDetail>, ApiError> {
    db::access::rename_team(&state.db, id, valid_name(&body.name)?).await?;
    Ok(axum::Json(
        db::access::team(&state.db, id, role(&grant)).await?,
    ))
}

/// Deletes the team; its diagrams go back to the people who created them.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    db::access::delete_team(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn changed(change: TeamChange) -> Result<Option<TeamMember>, ApiError> {
    match change {
        TeamChange::Done(member) => Ok(member),
        TeamChange::LastAdmin => Err(ApiError::Unprocessable(
            "last_admin",
            "a team keeps at least one admin; make someone else admin first".into(),
        )),
        TeamChange::NotMember => Err(ApiError::NotFound("no such team member".into())),
    }
}

async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Json(body): Json<NewTeamMember>,
) -> Result<(StatusCode, axum::Json<TeamMember>), ApiError> {
    let user = super::auth::person_by_email(&state, &body.email).await?;
    let change =
        db::access::set_team_member(&state.db, id, user.id, Some(body.role), false).await?;
    let member = changed(change)?.ok_or_else(|| ApiError::Internal("member not stored".into()))?;
    Ok((StatusCode::CREATED, axum::Json(member)))
}

async fn change_member(
    State(state): State<AppState>,
    Path((id, user)): Path<(Uuid, Uuid)>,
    Json(body): Json<RoleChange<TeamRole>>,
) -> Result<axum::Json<TeamMember>, ApiError> {
    let change = db::access::set_team_member(&state.db, id, user, Some(body.role), true).await?;
    let member = changed(change)?.ok_or_else(|| ApiError::Internal("member not stored".into()))?;
    Ok(axum::Json(member))
}

async fn remove_member(
    State(state): State<AppState>,
    Path((id, user)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    changed(db::access::set_team_member(&state.db, id, user, None, true).await?)?;
    Ok(StatusCode::NO_CONTENT)
}
