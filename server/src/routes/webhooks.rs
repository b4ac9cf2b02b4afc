//! `/api/diagrams/{id}/webhooks`: the diagram's webhooks (editors and owners), their delivery
//! logs, a test send and redelivery.

use axum::Extension;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use model::Uuid;
use model::api::{
    CreatedWebhook, DeliveryInfo, NewWebhook, Role, WebhookEvent, WebhookInfo, WebhookPatch,
};
use serde_json::json;

use super::extract::{Json, Path};
use super::{Entry, route};
use crate::auth::{Access, Grant};
use crate::db::people::{now, rfc3339};
use crate::db::webhooks::{self, Delivery, Webhook};
use crate::error::ApiError;
use crate::state::AppState;
use crate::webhooks::{payload, sign, target};

/// Deliveries a log lists.
const LOG: i64 = 50;

pub fn routes() -> Vec<Entry> {
    let editor = Access::Diagram(Role::Editor);
    let one = "/diagrams/{id}/webhooks/{webhook_id}";
    vec![
        route(Method::GET, "/diagrams/{id}/webhooks", editor, list),
        route(Method::POST, "/diagrams/{id}/webhooks", editor, create),
        route(Method::PATCH, one, editor, update),
        route(Method::DELETE, one, editor, remove),
        route(
            Method::GET,
            "/diagrams/{id}/webhooks/{webhook_id}/deliveries",
            editor,
            deliveries,
        ),
        route(
            Method::POST,
            "/diagrams/{id}/webhooks/{webhook_id}/test",
            editor,
            test,
        ),
        route(
            Method::POST,
            "/diagrams/{id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
            editor,
            redeliver,
        ),
    ]
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

async fn found(state: &AppState, id: Uuid, webhook: Uuid) -> Result<Webhook, ApiError> {
    webhooks::get(&state.db, id, webhook)
        .await?
        .ok_or_else(|| ApiError::NotFound("no such webhook on this diagram".into()))
}

async fn list(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<WebhookInfo>>, ApiError> {
    let hooks = webhooks::list(&state.db, id).await?;
    Ok(axum::Json(hooks.iter().map(Webhook::info).collect()))
}

/// Answers the secret once; listings show only its end.
async fn create(
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
    let hook = webhooks::create(&state.db, id, &url, &secret, &events, &dialect, by).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedWebhook { id: hook, secret }),
    ))
}

async fn update(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
    Json(patch): Json<WebhookPatch>,
) -> Result<axum::Json<WebhookInfo>, ApiError> {
    let mut hook = found(&state, id, webhook).await?;
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

async fn remove(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    if webhooks::delete(&state.db, id, webhook).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("no such webhook on this diagram".into()))
    }
}

async fn deliveries(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<axum::Json<Vec<DeliveryInfo>>, ApiError> {
    found(&state, id, webhook).await?;
    Ok(axum::Json(
        webhooks::deliveries(&state.db, webhook, LOG).await?,
    ))
}

/// Queues a `webhook.test` delivery, sent at once.
async fn test(
    State(state): State<AppState>,
    Path((id, webhook)): Path<(Uuid, Uuid)>,
) -> Result<(StatusCode, axum::Json<serde_json::Value>), ApiError> {
    let hook = found(&state, id, webhook).await?;
    let at = now();
    let body = payload::body(
        WebhookEvent::Test.name(),
        &rfc3339(at),
        json!({ "diagram": { "id": id }, "webhook": { "id": webhook } }),
    );
    let delivery = webhooks::enqueue(
        &state.db,
        &Delivery {
            webhook,
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

async fn redeliver(
    State(state): State<AppState>,
    Path((id, webhook, delivery)): Path<(Uuid, Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    found(&state, id, webhook).await?;
    if webhooks::redeliver(&state.db, webhook, delivery).await? {
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(ApiError::NotFound(
            "no such delivery of this webhook".into(),
        ))
    }
}
