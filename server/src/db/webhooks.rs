//! Webhooks and their outbox. A change's delivery is written in the transaction of the change
//! itself, so a commit and the promise to tell of it are one: a crash after the commit still
//! delivers (on restart), and nothing is told of a write that was rolled back.
//!
//! Edits are coalesced: while a webhook's `diagram.updated` delivery waits out its window, later
//! commits only move its end revision, so a drag sends one request, not sixty.

use model::Uuid;
use model::api::{DeliveryAttempt, DeliveryInfo, DeliveryState, WebhookEvent, WebhookInfo};

use super::backend::{Conn, Fields, Id, Seconds, on};
use super::people::{now, rfc3339};
use super::{Db, StoreError};

/// What a webhook belongs to: one diagram, or a team (then it hears of all the team's diagrams).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Diagram(Uuid),
    Team(Uuid),
}

impl Scope {
    /// The diagram id and the team id to bind (`= NULL` matches nothing).
    fn binds(self) -> (Option<Id>, Option<Id>) {
        match self {
            Scope::Diagram(id) => (Some(Id(id)), None),
            Scope::Team(id) => (None, Some(Id(id))),
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            Scope::Diagram(id) | Scope::Team(id) => id,
        }
    }
}

/// A webhook as the deliverer and the routes need it.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: Uuid,
    pub scope: Scope,
    pub url: String,
    pub secret: String,
    pub events: Vec<WebhookEvent>,
    pub dialect: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub created_at: i64,
}

impl Webhook {
    pub fn info(&self) -> WebhookInfo {
        let tail: String = self.secret.chars().rev().take(4).collect();
        WebhookInfo {
            id: self.id,
            url: self.url.clone(),
            events: self.events.clone(),
            dialect: self.dialect.clone(),
            enabled: self.enabled,
            disabled_reason: self.disabled_reason.clone(),
            secret_hint: format!("…{}", tail.chars().rev().collect::<String>()),
            created_at: rfc3339(self.created_at),
        }
    }
}

fn events_text(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.name())
        .collect::<Vec<_>>()
        .join(",")
}

fn events_from(text: &str) -> Vec<WebhookEvent> {
    text.split(',')
        .filter_map(WebhookEvent::from_name)
        .collect()
}

fn webhook_from<R: Fields>(row: &R) -> Result<Webhook, sqlx::Error> {
    let diagram: Option<Id> = row.field("diagram_id")?;
    let team: Option<Id> = row.field("team_id")?;
    let scope = match (diagram, team) {
        (Some(Id(d)), _) => Scope::Diagram(d),
        (None, Some(Id(t))) => Scope::Team(t),
        (None, None) => return Err(sqlx::Error::Decode("a webhook of nothing".into())),
    };
    Ok(Webhook {
        id: row.field::<Id>("id")?.0,
        scope,
        url: row.field("url")?,
        secret: row.field("secret")?,
        events: events_from(&row.field::<String>("events")?),
        dialect: row.field("dialect")?,
        enabled: row.field("enabled")?,
        disabled_reason: row.field("disabled_reason")?,
        created_at: row.field::<Seconds>("created_at")?.0,
    })
}

/// Makes a webhook. A diagram's first `diagram.updated` starts at its current revision; so does
/// a team's for each diagram the team has now (one it gets later is told of from its start).
#[allow(clippy::too_many_arguments)] // each is one fact about the webhook
pub async fn create(
    db: &Db,
    scope: Scope,
    url: &str,
    secret: &str,
    events: &[WebhookEvent],
    dialect: &str,
    by: Option<Uuid>,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    let mut tx = db.write().await?;
    let insert = match scope {
        Scope::Diagram(_) => {
            "INSERT INTO webhooks (id, diagram_id, url, secret, events, dialect, enabled,
                 created_by, created_at, last_revision)
             SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, revision FROM diagrams WHERE id = $2"
        }
        Scope::Team(_) => {
            "INSERT INTO webhooks (id, team_id, url, secret, events, dialect, enabled,
                 created_by, created_at, last_revision)
             SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, 0 FROM teams WHERE id = $2"
        }
    };
    let done = on!(tx.conn(), |c| sqlx::query(insert)
        .bind(Id(id))
        .bind(Id(scope.id()))
        .bind(url)
        .bind(secret)
        .bind(events_text(events))
        .bind(dialect)
        .bind(true)
        .bind(super::backend::id(by))
        .bind(Seconds(now()))
        .execute(&mut *c)
        .await?
        .rows_affected());
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    if let Scope::Team(team) = scope {
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO webhook_progress (webhook_id, diagram_id, last_revision)
             SELECT $1, id, revision FROM diagrams WHERE team_id = $2"
        )
        .bind(Id(id))
        .bind(Id(team))
        .execute(&mut *c)
        .await?
        .rows_affected());
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn list(db: &Db, scope: Scope) -> Result<Vec<Webhook>, StoreError> {
    let (diagram, team) = scope.binds();
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT id, diagram_id, team_id, url, secret, events, dialect, enabled,
                 disabled_reason, created_at
             FROM webhooks WHERE diagram_id = $1 OR team_id = $2 ORDER BY created_at, id",
        )
        .bind(diagram)
        .bind(team)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|r| webhook_from(r).map_err(StoreError::from))
            .collect()
    })
}

/// One webhook of a diagram or team (`None` when it has no such webhook), or with any owner.
pub async fn get(db: &Db, scope: Option<Scope>, id: Uuid) -> Result<Option<Webhook>, StoreError> {
    let (diagram, team) = scope.map_or((None, None), Scope::binds);
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT id, diagram_id, team_id, url, secret, events, dialect, enabled,
                 disabled_reason, created_at
             FROM webhooks
             WHERE id = $3 AND ($1 IS NULL AND $2 IS NULL OR diagram_id = $1 OR team_id = $2)",
        )
        .bind(diagram)
        .bind(team)
        .bind(Id(id))
        .fetch_optional(&mut *c)
        .await?;
        row.map(|r| webhook_from(&r))
            .transpose()
            .map_err(StoreError::from)
    })
}

/// Writes a webhook's editable fields back; turning it on clears why it was off.
pub async fn update(db: &Db, hook: &Webhook) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| sqlx::query(
        "UPDATE webhooks SET url = $2, events = $3, dialect = $4, enabled = $5,
             disabled_reason = $6
         WHERE id = $1",
    )
    .bind(Id(hook.id))
    .bind(&hook.url)
    .bind(events_text(&hook.events))
    .bind(&hook.dialect)
    .bind(hook.enabled)
    .bind(hook.disabled_reason.as_deref())
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Deletes a webhook and what it has still to deliver.
pub async fn delete(db: &Db, scope: Scope, id: Uuid) -> Result<bool, StoreError> {
    let (diagram, team) = scope.binds();
    let done = on!(db.conn().await?, |c| sqlx::query(
        "DELETE FROM webhooks WHERE (diagram_id = $1 OR team_id = $2) AND id = $3"
    )
    .bind(diagram)
    .bind(team)
    .bind(Id(id))
    .execute(&mut *c)
    .await?
    .rows_affected());
    if done > 0 {
        on!(db.conn().await?, |c| sqlx::query(
            "DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'pending'"
        )
        .bind(Id(id))
        .execute(&mut *c)
        .await?
        .rows_affected());
    }
    Ok(done > 0)
}

/// In the transaction that commits `revision` of `diagram`: a `diagram.updated` delivery for
/// every enabled webhook that wants one, or the waiting one's range moved to `revision`.
pub async fn updated_in(
    mut conn: Conn<'_>,
    diagram: Uuid,
    revision: i64,
    window: i64,
) -> Result<(), StoreError> {
    let at = now();
    let event = WebhookEvent::DiagramUpdated.name();
    // Coalesce: a delivery not yet tried takes the new end revision.
    on!(conn, |c| sqlx::query(
        "UPDATE webhook_deliveries SET to_revision = $2
         WHERE diagram_id = $1 AND event = $3 AND state = 'pending' AND attempts = 0
           AND payload IS NULL"
    )
    .bind(Id(diagram))
    .bind(revision)
    .bind(event)
    .execute(&mut *c)
    .await?
    .rows_affected());
    // Every other wanting webhook gets a new one, from where its last one ended.
    // A team's webhook keeps where it is per diagram; a diagram it never told of is told of
    // from its start (revision 0, the empty diagram).
    let waiting: Vec<(Id, String, String, i64)> = on!(conn, |c| sqlx::query_as(
        "SELECT w.id, w.url, w.secret,
                CASE WHEN w.team_id IS NULL THEN w.last_revision
                     ELSE COALESCE(p.last_revision, 0) END
         FROM webhooks w
         LEFT JOIN webhook_progress p ON p.webhook_id = w.id AND p.diagram_id = $1
         WHERE (w.diagram_id = $1
                OR w.team_id = (SELECT team_id FROM diagrams WHERE id = $1))
           AND w.enabled
           AND (',' || w.events || ',') LIKE '%,' || $2 || ',%'
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                           WHERE d.webhook_id = w.id AND d.diagram_id = $1 AND d.event = $2
                             AND d.state = 'pending' AND d.attempts = 0
                             AND d.payload IS NULL)
         ORDER BY w.id"
    )
    .bind(Id(diagram))
    .bind(event)
    .fetch_all(&mut *c)
    .await?);
    for (hook, url, secret, from) in waiting {
        let delivery = Delivery {
            webhook: hook.0,
            diagram,
            event: WebhookEvent::DiagramUpdated,
            url,
            secret,
            range: Some((from, revision)),
            payload: None,
            due_at: at + window,
        };
        insert(conn.conn(), &delivery).await?;
    }
    on!(conn, |c| sqlx::query(
        "UPDATE webhooks SET last_revision = $2 WHERE diagram_id = $1"
    )
    .bind(Id(diagram))
    .bind(revision)
    .execute(&mut *c)
    .await?
    .rows_affected());
    on!(conn, |c| sqlx::query(
        "INSERT INTO webhook_progress (webhook_id, diagram_id, last_revision)
         SELECT id, $1, $2 FROM webhooks
         WHERE team_id = (SELECT team_id FROM diagrams WHERE id = $1)
         ON CONFLICT (webhook_id, diagram_id) DO UPDATE SET last_revision = excluded.last_revision"
    )
    .bind(Id(diagram))
    .bind(revision)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// A delivery to write into the outbox.
pub struct Delivery {
    pub webhook: Uuid,
    pub diagram: Uuid,
    pub event: WebhookEvent,
    pub url: String,
    pub secret: String,
    pub range: Option<(i64, i64)>,
    /// The body, for events that cannot be made again from history.
    pub payload: Option<String>,
    pub due_at: i64,
}

async fn insert(mut conn: Conn<'_>, d: &Delivery) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    on!(conn, |c| sqlx::query(
        "INSERT INTO webhook_deliveries (id, webhook_id, diagram_id, event, url, secret,
             from_revision, to_revision, payload, state, due_at, created_at, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, 0)"
    )
    .bind(Id(id))
    .bind(Id(d.webhook))
    .bind(Id(d.diagram))
    .bind(d.event.name())
    .bind(&d.url)
    .bind(&d.secret)
    .bind(d.range.map(|r| r.0))
    .bind(d.range.map(|r| r.1))
    .bind(d.payload.as_deref())
    .bind(Seconds(d.due_at))
    .bind(Seconds(now()))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(id)
}

/// Puts one delivery in the outbox now (a test, outside any other write).
pub async fn enqueue(db: &Db, delivery: &Delivery) -> Result<Uuid, StoreError> {
    let mut conn = db.conn().await?;
    insert(conn.conn(), delivery).await
}

/// In the transaction of the event (a deletion, a version named): a delivery of `kind` for
/// each webhook wanting one, with its `body` made now (after a deletion nothing is left to make
/// it from).
pub async fn announce_in(
    mut conn: Conn<'_>,
    diagram: Uuid,
    kind: WebhookEvent,
    body: &str,
) -> Result<(), StoreError> {
    let event = kind.name();
    let hooks: Vec<(Id, String, String)> = on!(conn, |c| sqlx::query_as(
        "SELECT id, url, secret FROM webhooks
         WHERE (diagram_id = $1 OR team_id = (SELECT team_id FROM diagrams WHERE id = $1))
           AND enabled AND (',' || events || ',') LIKE '%,' || $2 || ',%'
         ORDER BY id"
    )
    .bind(Id(diagram))
    .bind(event)
    .fetch_all(&mut *c)
    .await?);
    for (hook, url, secret) in hooks {
        let delivery = Delivery {
            webhook: hook.0,
            diagram,
            event: kind,
            url,
            secret,
            range: None,
            payload: Some(body.to_string()),
            due_at: now(),
        };
        insert(conn.conn(), &delivery).await?;
    }
    Ok(())
}

/// A delivery as the deliverer sends it.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: Uuid,
    pub webhook: Uuid,
    pub diagram: Uuid,
    pub event: WebhookEvent,
    pub url: String,
    pub secret: String,
    pub range: Option<(i64, i64)>,
    pub payload: Option<String>,
    pub attempts: u32,
    pub created_at: i64,
    pub due_at: i64,
}

/// Claims up to `limit` deliveries that are due, each for `lease` seconds: another instance
/// (or this one) takes a delivery only after its claim ran out, as after a crash mid-send.
pub async fn claim_due(db: &Db, limit: i64, lease: i64) -> Result<Vec<Due>, StoreError> {
    let at = now();
    let rows: Vec<Due> = on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT id, webhook_id, diagram_id, event, url, secret, from_revision, to_revision,
                 payload, attempts, created_at, due_at
             FROM webhook_deliveries WHERE state = 'pending' AND due_at <= $1
             ORDER BY due_at, created_at LIMIT $2",
        )
        .bind(Seconds(at))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|r| -> Result<Due, sqlx::Error> {
                let from: Option<i64> = r.field("from_revision")?;
                let to: Option<i64> = r.field("to_revision")?;
                Ok(Due {
                    id: r.field::<Id>("id")?.0,
                    webhook: r.field::<Id>("webhook_id")?.0,
                    diagram: r.field::<Id>("diagram_id")?.0,
                    event: WebhookEvent::from_name(&r.field::<String>("event")?)
                        .unwrap_or(WebhookEvent::Test),
                    url: r.field("url")?,
                    secret: r.field("secret")?,
                    range: from.zip(to),
                    payload: r.field("payload")?,
                    attempts: r.field::<i32>("attempts")? as u32,
                    created_at: r.field::<Seconds>("created_at")?.0,
                    due_at: r.field::<Seconds>("due_at")?.0,
                })
            })
            .collect::<Result<_, _>>()?
    });
    let mut claimed = Vec::with_capacity(rows.len());
    for due in rows {
        let won = on!(db.conn().await?, |c| sqlx::query(
            "UPDATE webhook_deliveries SET due_at = $3
             WHERE id = $1 AND state = 'pending' AND due_at = $2"
        )
        .bind(Id(due.id))
        .bind(Seconds(due.due_at))
        .bind(Seconds(at + lease))
        .execute(&mut *c)
        .await?
        .rows_affected());
        if won == 1 {
            claimed.push(due);
        }
    }
    Ok(claimed)
}

/// What one try gave.
pub struct Outcome {
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub response: Option<String>,
    pub error: Option<String>,
}

/// Records a try, and what follows: delivered, due again at `retry_at`, or failed for good.
pub async fn record(
    db: &Db,
    due: &Due,
    outcome: &Outcome,
    delivered: bool,
    retry_at: Option<i64>,
) -> Result<(), StoreError> {
    let attempt = due.attempts as i32 + 1;
    let state = match (delivered, retry_at) {
        (true, _) => "delivered",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let mut tx = db.write().await?;
    on!(tx.conn(), |c| sqlx::query(
        "INSERT INTO webhook_attempts (delivery_id, attempt, at, status, duration_ms, response,
             error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(Id(due.id))
    .bind(attempt)
    .bind(Seconds(now()))
    .bind(outcome.status.map(i32::from))
    .bind(outcome.duration_ms as i64)
    .bind(outcome.response.as_deref())
    .bind(outcome.error.as_deref())
    .execute(&mut *c)
    .await?
    .rows_affected());
    on!(tx.conn(), |c| sqlx::query(
        "UPDATE webhook_deliveries SET attempts = $2, state = $3, due_at = $4 WHERE id = $1"
    )
    .bind(Id(due.id))
    .bind(attempt)
    .bind(state)
    .bind(Seconds(retry_at.unwrap_or(due.due_at)))
    .execute(&mut *c)
    .await?
    .rows_affected());
    tx.commit().await?;
    Ok(())
}

/// Turns a webhook off, saying why (it failed for a day).
pub async fn disable(db: &Db, webhook: Uuid, reason: &str) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| sqlx::query(
        "UPDATE webhooks SET enabled = $2, disabled_reason = $3 WHERE id = $1"
    )
    .bind(Id(webhook))
    .bind(false)
    .bind(reason)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Attempt, time, status, duration in ms, answer, error.
type AttemptRow = (
    i32,
    Seconds,
    Option<i32>,
    i64,
    Option<String>,
    Option<String>,
);

/// The newest `limit` deliveries of a webhook, with their tries.
pub async fn deliveries(
    db: &Db,
    webhook: Uuid,
    limit: i64,
) -> Result<Vec<DeliveryInfo>, StoreError> {
    let mut list: Vec<DeliveryInfo> = on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT id, event, state, from_revision, to_revision, created_at, due_at
             FROM webhook_deliveries WHERE webhook_id = $1
             ORDER BY created_at DESC, due_at DESC LIMIT $2",
        )
        .bind(Id(webhook))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|r| -> Result<DeliveryInfo, sqlx::Error> {
                let state = match r.field::<String>("state")?.as_str() {
                    "delivered" => DeliveryState::Delivered,
                    "failed" => DeliveryState::Failed,
                    _ => DeliveryState::Pending,
                };
                Ok(DeliveryInfo {
                    id: r.field::<Id>("id")?.0,
                    event: WebhookEvent::from_name(&r.field::<String>("event")?)
                        .unwrap_or(WebhookEvent::Test),
                    state,
                    from_revision: r.field("from_revision")?,
                    to_revision: r.field("to_revision")?,
                    created_at: rfc3339(r.field::<Seconds>("created_at")?.0),
                    due_at: (state == DeliveryState::Pending)
                        .then(|| r.field::<Seconds>("due_at").map(|s| rfc3339(s.0)))
                        .transpose()?,
                    attempts: Vec::new(),
                })
            })
            .collect::<Result<_, _>>()?
    });
    for delivery in &mut list {
        let rows: Vec<AttemptRow> = on!(db.conn().await?, |c| sqlx::query_as(
            "SELECT attempt, at, status, duration_ms, response, error FROM webhook_attempts
                 WHERE delivery_id = $1 ORDER BY attempt"
        )
        .bind(Id(delivery.id))
        .fetch_all(&mut *c)
        .await?);
        delivery.attempts = rows
            .into_iter()
            .map(
                |(attempt, at, status, ms, response, error)| DeliveryAttempt {
                    attempt: attempt as u32,
                    at: rfc3339(at.0),
                    status: status.map(|s| s as u16),
                    duration_ms: ms as u64,
                    response,
                    error,
                },
            )
            .collect();
    }
    Ok(list)
}

/// Sends a delivery of `webhook` again now; false when it has no such delivery.
pub async fn redeliver(db: &Db, webhook: Uuid, delivery: Uuid) -> Result<bool, StoreError> {
    let done = on!(db.conn().await?, |c| sqlx::query(
        "UPDATE webhook_deliveries SET state = 'pending', due_at = $3
         WHERE id = $1 AND webhook_id = $2"
    )
    .bind(Id(delivery))
    .bind(Id(webhook))
    .bind(Seconds(now()))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(done > 0)
}
