//! `/api/invites`: links to create an account when sign-up is by invite.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use model::api::{CreatedInvite, NewInvite};

use super::auth::{email_key, valid_email};
use super::extract::json_object;
use super::{Entry, route};
use crate::auth::origin::own_origin;
use crate::auth::{Access, Grant, secret};
use crate::db::people;
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::state::AppState;

/// How long an invite can be used.
const INVITE_DAYS: i64 = 7;

pub fn routes() -> Vec<Entry> {
    vec![route(Method::POST, "/invites", Access::Person, create)]
}

/// Administrators and diagram owners may invite.
async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<CreatedInvite>), ApiError> {
    let body: NewInvite = if body.trim_ascii().is_empty() {
        NewInvite::default()
    } else {
        json_object(&body)?
    };
    let person = grant.person()?;
    if !people::may_invite(&state.db, person).await? {
        return Err(ApiError::Forbidden(
            "only the administrator and diagram owners may invite people".into(),
        ));
    }
    let email = body
        .email
        .as_deref()
        .map(|e| valid_email(e).map(email_key))
        .transpose()?;
    let (token, hash) = secret::new_token(secret::INVITE);
    let expires_at = people::now() + INVITE_DAYS * 24 * 3600;
    let id = people::create_invite(
        &state.db,
        person.user.id,
        email.as_deref(),
        &hash,
        expires_at,
    )
    .await?;
    let https = client.is_some_and(|c| c.0.https);
    let origin = own_origin(&state, &headers, https).unwrap_or_default();
    let created = CreatedInvite {
        id,
        url: format!("{origin}/signup?invite={token}"),
        token,
        expires_at: people::rfc3339(expires_at),
    };
    Ok((StatusCode::CREATED, axum::Json(created)))
}
