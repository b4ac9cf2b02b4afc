//! Webhooks: outside systems told of a diagram's changes.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a webhook can be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    /// The diagram changed (one delivery per coalescing window).
    #[serde(rename = "diagram.updated")]
    DiagramUpdated,
    #[serde(rename = "diagram.deleted")]
    DiagramDeleted,
    /// A revision was given a name.
    #[serde(rename = "version.named")]
    VersionNamed,
    /// Sent by `POST …/test` only; not something to subscribe to.
    #[serde(rename = "webhook.test")]
    Test,
}

impl WebhookEvent {
    /// The events a webhook may ask for.
    pub const SUBSCRIBABLE: [WebhookEvent; 3] = [
        WebhookEvent::DiagramUpdated,
        WebhookEvent::DiagramDeleted,
        WebhookEvent::VersionNamed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WebhookEvent::DiagramUpdated => "diagram.updated",
            WebhookEvent::DiagramDeleted => "diagram.deleted",
            WebhookEvent::VersionNamed => "version.named",
            WebhookEvent::Test => "webhook.test",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::SUBSCRIBABLE
            .into_iter()
            .chain([Self::Test])
            .find(|e| e.name() == name)
    }
}

/// `POST /api/diagrams/{id}/webhooks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// The dialect of the migration SQL in `diagram.updated` payloads (PostgreSQL when absent).
    #[serde(default)]
    pub dialect: Option<String>,
    /// A Standard Webhooks secret (`whsec_<base64>`); the server makes one when absent.
    #[serde(default)]
    pub secret: Option<String>,
}

/// `PATCH /api/diagrams/{id}/webhooks/{webhook_id}`: what to change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<WebhookEvent>>,
    #[serde(default)]
    pub dialect: Option<String>,
    /// `true` turns a disabled webhook on again.
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// The answer to creating a webhook: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedWebhook {
    pub id: Uuid,
    pub secret: String,
}

/// A webhook as listed (its secret only as the last four characters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookInfo {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub dialect: String,
    pub enabled: bool,
    /// Why the server turned it off (failing for a day).
    pub disabled_reason: Option<String>,
    pub secret_hint: String,
    pub created_at: String,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    Pending,
    Delivered,
    Failed,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    pub attempt: u32,
    pub at: String,
    /// The receiver's HTTP status; absent when no answer came (refused, timed out).
    pub status: Option<u16>,
    pub duration_ms: u64,
    /// The start of the receiver's answer.
    pub response: Option<String>,
    pub error: Option<String>,
}

/// `GET …/webhooks/{webhook_id}/deliveries`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryInfo {
    /// The event id, sent as `webhook-id`.
    pub id: Uuid,
    pub event: WebhookEvent,
    pub state: DeliveryState,
    pub from_revision: Option<i64>,
    pub to_revision: Option<i64>,
    pub created_at: String,
    /// When the next try is due (pending deliveries).
    pub due_at: Option<String>,
    pub attempts: Vec<DeliveryAttempt>,
}
