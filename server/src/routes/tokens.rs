//! `/api/tokens`: personal API tokens, for scripts and CI (`Authorization: Bearer …`).

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::Uuid;
use model::api::{CreatedToken, NewToken, TokenInfo};

use super::auth::{require_session, valid_name};
use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::{Access, Grant, secret};
use crate::db::people;
use crate::error::ApiError;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    vec![
        route(Method::GET, "/tokens", Access::Person, list),
        route(Method::POST, "/tokens", Access::Person, create),
        route(Method::DELETE, "/tokens/{token_id}", Access::Person, revoke),
    ]
}

async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<axum::Json<Vec<TokenInfo>>, ApiError> {
    let user = grant.person()?.user.id;
    Ok(axum::Json(people::tokens(&state.db, user).await?))
}

/// Answers the token once; only its hash is kept.
async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Json(body): Json<NewToken>,
) -> Result<(StatusCode, axum::Json<CreatedToken>), ApiError> {
    let user = require_session(&grant)?.user.id;
    let name = valid_name(&body.name)?;
    let (token, hash) = secret::new_token(secret::PERSONAL);
    let id = people::create_token(&state.db, user, name, body.scope, &hash).await?;
    let created = CreatedToken {
        id,
        token,
        name: name.to_string(),
        scope: body.scope,
    };
    Ok((StatusCode::CREATED, axum::Json(created)))
}

async fn revoke(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let user = require_session(&grant)?.user.id;
    if !people::revoke_token(&state.db, user, id).await? {
        return Err(ApiError::NotFound("no such token".into()));
    }
    Ok(StatusCode::NO_CONTENT)
}
