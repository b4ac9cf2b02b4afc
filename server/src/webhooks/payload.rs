//! The bodies of deliveries made when their event happens (`diagram.deleted`, `version.named`);
//! a `diagram.updated` one is made from history when it is sent (`deliver`).

use model::Uuid;
use model::api::{Author, VersionInfo, WebhookEvent};
use serde_json::{Value, json};

/// The body of a `diagram.deleted` delivery.
pub fn deleted(diagram: Uuid, name: &str) -> String {
    body(
        WebhookEvent::DiagramDeleted.name(),
        &crate::db::people::rfc3339(crate::db::people::now()),
        json!({ "diagram": { "id": diagram, "name": name } }),
    )
}

/// The body of a delivery: `{"type", "timestamp", "data": {…}}`, as Standard Webhooks suggests.
pub fn body(event: &str, timestamp: &str, data: Value) -> String {
    json!({ "type": event, "timestamp": timestamp, "data": data }).to_string()
}

/// The body of a `version.named` delivery.
pub fn version_named(diagram: Uuid, name: &str, version: &VersionInfo) -> String {
    let authors: Vec<&Author> = version.author.iter().collect();
    body(
        WebhookEvent::VersionNamed.name(),
        &version.created_at,
        json!({
            "diagram": { "id": diagram, "name": name },
            "version": { "id": version.id, "name": version.name, "revision": version.revision },
            "authors": authors,
        }),
    )
}
