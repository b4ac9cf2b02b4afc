//! `/api/diagrams/{id}/webhooks` (the diagram's editors and owners) and
//! `/api/teams/{team_id}/webhooks` (the team's admins; told of every diagram of the team): the
//! webhooks, their delivery logs, a test send and redelivery. Each handler serves both, told
//! apart by `TEAM`.

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::Uuid;
use model::api::{
    CreatedWebhook, DeliveryInfo, NewWebhook, Role, TeamRole, WebhookEvent, WebhookInfo,
    WebhookPatch,
};
use serde_json::json;

use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::{Access, Grant};
use crate::db::people::{now, rfc3339};
use crate::db::webhooks::{self, Delivery, Scope, Webhook};
use crate::error::ApiError;
use crate::state::AppState;
use crate::webhooks::{payload, sign, target};

/// Deliveries a log lists.
const LOG: i64 = 50;

/// The routes of one owner's webhooks (paths are `'static`: made with `concat!`).
macro_rules! routes_of {
    ($owner:literal, $team:literal, $access:expr) => {{
        let access = $access;
        vec![
            route(
                Method::GET,
                concat!($owner, "/webhooks"),
                access,
                list::<$team>,
            ),
            route(
                Method::POST,
                concat!($owner, "/webhooks"),
                access,
                create::<$team>,
            ),
            route(
                Method::PATCH,
                concat!($owner, "/webhooks/{webhook_id}"),
                access,
                update::<$team>,
            ),
            route(
                Method::DELETE,
                concat!($owner, "/webhooks/{webhook_id}"),
                access,
                remove::<$team>,
            ),
            route(
                Method::GET,
                concat!($owner, "/webhooks/{webhook_id}/deliveries"),
                access,
                deliveries::<$team>,
            ),
            route(
                Method::POST,
                concat!($owner, "/webhooks/{webhook_id}/test"),
                access,
                test::<$team>,
            ),
            route(
                Method::POST,
                concat!(
                    $owner,
                    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"
                ),
                access,
                redeliver::<$team>,
            ),
        ]
    }};
}

pub fn routes() -> Vec<Entry> {
    let mut all = routes_of!("/diagrams/{id}", false, Access::Diagram(Role::Editor));
    all.extend(routes_of!(
        "/teams/{team_id}",
        true,
        Access::Team(TeamRole::Admin)
    ));
    all
}

/// The owner the path names.
fn scope<const TEAM: bool>(id: Uuid) -> Scope {
    if TEAM {
        Scope::Team(id)
    } else {
        Scope::Diagram(id)
    }
}

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Unprocessable(code, message.into())
}

/// A target the server may send to, checked now (and again before every delivery).
async fn checked_url(state: &AppState, url: &str) -> Result<String, ApiError> {
    let parsed =
        target::parse(url).map_err(|e| unprocessable("invalid_webhook_url", e.to_string()))?;
    target::resolve(&parsed, state.webhooks.allow_private)
        .await
        .map_err(|e| match e {
            target::Refused::Private(_) => unprocessable(
                "webhook_target_private",
                format!(
                    "{e}; the server sends there only when started with --webhook-allow-private"
                ),
            ),
            other => unprocessable("invalid_webhook_url", other.to_string()),
        })?;
    Ok(parsed.to_string())
}

fn checked_events(events: &[WebhookEvent]) -> Result<Vec<WebhookEvent>, ApiError> {
    let mut out: Vec<WebhookEvent> = Vec::new();
    for &e in events {
        if !WebhookEvent::SUBSCRIBABLE.contains(&e) {
            return Err(unprocessable(
                "invalid_webhook_events",
                format!("{} cannot be subscribed to", e.name()),
            ));
        }
        if !out.contains(&e) {
            out.push(e);
        }
    }
    if out.is_empty() {
        return Err(unprocessable(
            "invalid_webhook_events",
            "name at least one event: diagram.updated, diagram.deleted",
        ));
    }
    Ok(out)
}

fn checked_dialect(dialect: Option<&str>) -> Result<String, ApiError> {
    let d: ddl::Dialect = dialect
        .unwrap_or("postgresql")
        .parse()
        .map_err(|e: ddl::UnknownDialect| unprocessable("invalid_dialect", e.to_string()))?;
    Ok(d.name().to_string())
}

async fn found(state: &AppState, owner: Scope, webhook: Uuid) -> Result<Webhook, ApiError> {
    webhooks::get(&state.db, Some(owner), webhook)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such webhook here".into()))
}

async fn list<const TEAM: bool>(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<WebhookInfo>>, ApiError> {
    let hooks = webhooks::list(&state.db, scope::<TEAM>(id)).await?;
    Ok(axum::Json(hooks.iter().map(Webhook::info).collect()))
}

/// Answers the secret once; listings show only its end.
async fn create<const TEAM: bool>(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(id): Path<Uuid>,
    Json(body): Json<NewWebhook>,
) -> Result<(StatusCode, axum::Json<CreatedWebhook>), ApiError> {
    let url = checked_url(&state, &body.url).await?;
    let events = checked_events(&body.events)?;
    let dialect = checked_dialect(body.dialect.as_deref())?;
    let secret = match body.secret {
        Some(secret) if sign::key(&secret).is_some() => secret,
        Some(_) => {
            return Err(unprocessable(
                "invalid_webhook_secret",
                "a secret is whsec_ followed by 16 to 64 bytes in base64",
            ));
        }
        None => sign::new_secret().map_err(|e| ApiError::Internal(e.to_string()))?,
    };
    let by = grant.caller.person().map(|p| p.user.id);
    let owner = scope::<TEAM>(id);
    let hook = webhooks::create(&state.db, owner, &url, &secret, &events, &dialect, by).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedWebhook { id: hook, secret }),
    ))
}

async fn update<const TEAM: bool>(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
    Json(patch): Json<WebhookPatch>,
) -> Result<axum::Json<WebhookInfo>, ApiError> {
    let mut hook = found(&state, scope::<TEAM>(id), webhook).await?;
    if let Some(url) = &patch.url {
        hook.url = checked_url(&state, url).await?;
    }
    if let Some(events) = &patch.events {
        hook.events = checked_events(events)?;
    }
    if let Some(dialect) = &patch.dialect {
        hook.dialect = checked_dialect(Some(dialect))?;
    }
    if let Some(enabled) = patch.enabled {
        hook.enabled = enabled;
        if enabled {
            hook.disabled_reason = None;
        }
    }
    webhooks::update(&state.db, &hook).await?;
    Ok(axum::Json(hook.info()))
}

async fn remove<const TEAM: bool>(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    if webhooks::delete(&state.db, scope::<TEAM>(id), webhook).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("no such webhook here".into()))
    }
}

async fn deliveries<const TEAM: bool>(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<axum::Json<Vec<DeliveryInfo>>, ApiError> {
    found(&state, scope::<TEAM>(id), webhook).await?;
    Ok(axum::Json(
        webhooks::deliveries(&state.db, webhook, LOG).await?,
    ))
}

/// Queues a `webhook.test` delivery, sent at once.
async fn test<const TEAM: bool>(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<(StatusCode, axum::Json<serde_json::Value>), ApiError> {
    let hook = found(&state, scope::<TEAM>(id), webhook).await?;
    let at = now();
    let owner = if TEAM { "team" } else { "diagram" };
    let body = payload::body(
        WebhookEvent::Test.name(),
        &rfc3339(at),
        json!({ owner: { "id": id }, "webhook": { "id": webhook } }),
    );
    let delivery = webhooks::enqueue(
        &state.db,
        &Delivery {
            webhook,
            // A team's test is of no diagram: the outbox keeps the team's id there.
            diagram: id,
            event: WebhookEvent::Test,
            url: hook.url,
            secret: hook.secret,
            range: None,
            payload: Some(body),
            due_at: at,
        },
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(json!({ "delivery_id": delivery })),
    ))
}

async fn redeliver<const TEAM: bool>(
    State(state): State<AppState>,
    Path((id, webhook, delivery)): Path<(Uuid, Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    found(&state, scope::<TEAM>(id), webhook).await?;
    if webhooks::redeliver(&state.db, webhook, delivery).await? {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::NotFound(
            "no such delivery of this webhook".into(),
        ))
    }
}
