//! The deliverer: every second, the deliveries that are due are claimed, made, signed and sent.
//!
//! A claim lasts past the send's timeout, so a crash mid-send leaves the delivery to be sent
//! again (with the same `webhook-id`, which receivers use to drop repeats). Redirects are not
//! followed; the answer's first kilobyte is kept for the delivery log.

use std::time::{Duration, Instant};

use model::api::WebhookEvent;
use reqwest::redirect::Policy;
use serde_json::json;

use super::{Settings, payload, sign, target};
use crate::db::people::{now, rfc3339};
use crate::db::webhooks::{self, Due, Outcome};
use crate::db::{self, Db, StoreError};

/// Deliveries claimed per round.
const BATCH: i64 = 16;
/// The most of an answer kept.
const SNIPPET: usize = 1024;

/// Sends what is due until the task is dropped.
pub async fn run(db: Db, settings: Settings) {
    let lease = settings.timeout.as_secs() as i64 + 30;
    loop {
        match webhooks::claim_due(&db, BATCH, lease).await {
            Ok(due) if !due.is_empty() => {
                let sends = due.into_iter().map(|d| send(&db, &settings, d));
                futures_util::future::join_all(sends).await;
                continue;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook outbox not readable"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Why a delivery cannot be made.
enum Unsendable {
    /// For good: the webhook or its diagram is gone, or the target is refused.
    Final(String),
    /// For now (history could not be read).
    Later(String),
}

async fn send(db: &Db, settings: &Settings, due: Due) {
    let started = Instant::now();
    let outcome = match attempt(db, settings, &due).await {
        Ok(outcome) => outcome,
        Err(Unsendable::Final(error)) => {
            let outcome = Outcome {
                status: None,
                duration_ms: 0,
                response: None,
                error: Some(error.clone()),
            };
            finish(db, settings, &due, &outcome, false, true).await;
            return;
        }
        Err(Unsendable::Later(error)) => Outcome {
            status: None,
            duration_ms: started.elapsed().as_millis() as u64,
            response: None,
            error: Some(error),
        },
    };
    let delivered = outcome.status.is_some_and(|s| (200..300).contains(&s));
    finish(db, settings, &due, &outcome, delivered, false).await;
}

/// Records the try, schedules the next one, and turns the webhook off when it has failed for
/// `give_up_after`.
async fn finish(
    db: &Db,
    settings: &Settings,
    due: &Due,
    outcome: &Outcome,
    delivered: bool,
    final_failure: bool,
) {
    let at = now();
    let gave_up = at - due.created_at >= settings.give_up_after.as_secs() as i64;
    let retry_at =
        (!delivered && !final_failure && !gave_up).then(|| at + backoff(settings, due.attempts));
    if let Err(e) = webhooks::record(db, due, outcome, delivered, retry_at).await {
        tracing::warn!(error = %e, delivery = %due.id, "webhook attempt not recorded");
        return;
    }
    if !delivered && retry_at.is_none() && due.event != WebhookEvent::Test {
        let why = match (&outcome.status, &outcome.error) {
            (Some(status), _) => format!("deliveries failed (last answer: HTTP {status})"),
            (None, Some(error)) => format!("deliveries failed ({error})"),
            (None, None) => "deliveries failed".to_string(),
        };
        let reason = if final_failure {
            why
        } else {
            format!(
                "{why} for {} hours",
                settings.give_up_after.as_secs() / 3600
            )
        };
        if let Err(e) = webhooks::disable(db, due.webhook, &reason).await {
            tracing::warn!(error = %e, "webhook not disabled");
        }
    }
}

/// The wait before try `attempts + 2`: doubling from the first delay, at most the largest, with
/// the jitter either way.
fn backoff(settings: &Settings, attempts: u32) -> i64 {
    let base = settings.first_delay.as_secs_f64() * 2f64.powi(attempts.min(20) as i32);
    let capped = base.min(settings.max_delay.as_secs_f64());
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    let share = settings.jitter.clamp(0.0, 1.0);
    let jitter = 1.0 - share + 2.0 * share * f64::from(byte[0]) / 255.0;
    (capped * jitter).round().max(1.0) as i64
}

/// Makes the body, checks the target, sends once.
async fn attempt(db: &Db, settings: &Settings, due: &Due) -> Result<Outcome, Unsendable> {
    let body = match &due.payload {
        Some(body) => body.clone(),
        None => updated_body(db, due).await?,
    };
    let url = target::parse(&due.url).map_err(|e| Unsendable::Final(e.to_string()))?;
    let (host, addrs) = match target::resolve(&url, settings.allow_private).await {
        Ok(found) => found,
        Err(e @ target::Refused::Private(_)) => return Err(Unsendable::Final(e.to_string())),
        Err(e) => return Err(Unsendable::Later(e.to_string())),
    };
    let key = sign::key(&due.secret).ok_or_else(|| Unsendable::Final("bad secret".into()))?;
    let id = due.id.to_string();
    let timestamp = now();
    let signature = sign::signature(&key, &id, timestamp, body.as_bytes());
    // Connect only to the addresses just checked.
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .timeout(settings.timeout)
        .resolve_to_addrs(&host, &addrs)
        .user_agent(concat!("Tablewright-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Unsendable::Later(e.to_string()))?;
    let started = Instant::now();
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    let mut outcome = Outcome {
        status: None,
        duration_ms: 0,
        response: None,
        error: None,
    };
    match sent {
        Ok(mut response) => {
            outcome.status = Some(response.status().as_u16());
            let mut kept = Vec::new();
            while kept.len() < SNIPPET {
                match response.chunk().await {
                    Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            kept.truncate(SNIPPET);
            outcome.response = Some(String::from_utf8_lossy(&kept).into_owned());
        }
        Err(e) => {
            outcome.error = Some(if e.is_timeout() {
                format!("no answer within {} s", settings.timeout.as_secs())
            } else {
                // The chain names the cause (refused, reset) without the URL again.
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(inner) = source {
                    text = inner.to_string();
                    source = inner.source();
                }
                text
            });
        }
    }
    outcome.duration_ms = started.elapsed().as_millis() as u64;
    Ok(outcome)
}

/// The body of a `diagram.updated` delivery, made from history: the same for every try.
async fn updated_body(db: &Db, due: &Due) -> Result<String, Unsendable> {
    let gone = |e: StoreError| match e {
        StoreError::NotFound | StoreError::NoSuchRevision(_) => {
            Unsendable::Final("the diagram or its history is gone".into())
        }
        other => Unsendable::Later(other.to_string()),
    };
    let hook = webhooks::get(db, None, due.webhook)
        .await
        .map_err(gone)?
        .ok_or_else(|| Unsendable::Final("the webhook was deleted".into()))?;
    let (from, to) = due.range.unwrap_or((0, 0));
    let after = db::revision_document(db, due.diagram, to)
        .await
        .map_err(gone)?;
    // From 0: a team's webhook told of a diagram for the first time is told of all of it.
    let before = if from == 0 {
        model::Diagram {
            id: after.id,
            ..model::Diagram::new(after.name.clone())
        }
    } else {
        db::revision_document(db, due.diagram, from)
            .await
            .map_err(gone)?
    };
    let authors: Vec<_> = {
        let mut seen = Vec::new();
        let range = db::revisions(db, due.diagram, Some(to + 1), to - from)
            .await
            .map_err(gone)?;
        for r in range {
            if r.revision > from
                && let Some(author) = r.author
                && !seen.contains(&author)
            {
                seen.push(author);
            }
        }
        seen
    };
    let dialect: ddl::Dialect = hook.dialect.parse().unwrap_or(ddl::Dialect::Postgresql);
    let (name, diagram_id) = (after.name.clone(), after.id);
    let (summary, migration) = db::blocking(move || {
        let summary = model::history::compare(&before, &after).lines;
        (summary, ddl::migrate(&before, &after, dialect).up)
    })
    .await
    .map_err(|e| Unsendable::Later(e.to_string()))?;
    Ok(payload::body(
        WebhookEvent::DiagramUpdated.name(),
        &rfc3339(due.created_at),
        json!({
            "diagram": { "id": diagram_id, "name": name },
            "from_revision": from,
            "to_revision": to,
            "authors": authors,
            "summary": summary,
            "migration": {
                "dialect": dialect.name(),
                "sql": migration.sql,
                "warnings": migration.warnings,
            },
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_largest_within_the_jitter() {
        let settings = Settings::default();
        for (attempts, base) in [(0, 5.0f64), (1, 10.0), (2, 20.0), (9, 2560.0), (12, 3600.0)] {
            let wait = backoff(&settings, attempts) as f64;
            assert!(
                wait >= (base * 0.8).floor() && wait <= (base * 1.2).ceil(),
                "{attempts}: {wait}"
            );
        }
        let exact = Settings {
            jitter: 0.0,
            ..Settings::default()
        };
        assert_eq!(backoff(&exact, 0), 5);
        assert_eq!(backoff(&exact, 3), 40);
    }
}
