//! What a delivery says: the event, the diagram, the revision range, who made the changes, a
//! summary, and the migration SQL for the range in the webhook's dialect.

use model::{Diagram, Uuid};
use serde_json::{Value, json};

/// One line per change between two versions, matched by id: tables and columns added,
/// removed and renamed, column types changed, relationships added and removed.
pub fn summary(from: &Diagram, to: &Diagram) -> Vec<String> {
    let mut out = Vec::new();
    for t in &to.tables {
        match from.tables.iter().find(|o| o.id == t.id) {
            None => out.push(format!("added table {}", t.name)),
            Some(o) => {
                if o.name != t.name {
                    out.push(format!("renamed table {} to {}", o.name, t.name));
                }
                for c in &t.columns {
                    match o.columns.iter().find(|oc| oc.id == c.id) {
                        None => out.push(format!("added column {}.{}", t.name, c.name)),
                        Some(oc) => {
                            if oc.name != c.name {
                                out.push(format!(
                                    "renamed column {}.{} to {}",
                                    t.name, oc.name, c.name
                                ));
                            }
                            if oc.data_type != c.data_type {
                                out.push(format!(
                                    "changed {}.{} from {} to {}",
                                    t.name, c.name, oc.data_type, c.data_type
                                ));
                            }
                        }
                    }
                }
                for oc in &o.columns {
                    if !t.columns.iter().any(|c| c.id == oc.id) {
                        out.push(format!("removed column {}.{}", t.name, oc.name));
                    }
                }
            }
        }
    }
    for o in &from.tables {
        if !to.tables.iter().any(|t| t.id == o.id) {
            out.push(format!("removed table {}", o.name));
        }
    }
    let name = |d: &Diagram, id: Uuid| {
        d.tables
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_string(), |t| t.name.clone())
    };
    for r in &to.relationships {
        if !from.relationships.iter().any(|o| o.id == r.id) {
            out.push(format!(
                "added relationship {} → {}",
                name(to, r.child_table),
                name(to, r.parent_table)
            ));
        }
    }
    for o in &from.relationships {
        if !to.relationships.iter().any(|r| r.id == o.id) {
            out.push(format!(
                "removed relationship {} → {}",
                name(from, o.child_table),
                name(from, o.parent_table)
            ));
        }
    }
    out
}

/// The body of a `diagram.deleted` delivery.
pub fn deleted(diagram: Uuid, name: &str) -> String {
    body(
        model::api::WebhookEvent::DiagramDeleted.name(),
        &crate::db::people::rfc3339(crate::db::people::now()),
        json!({ "diagram": { "id": diagram, "name": name } }),
    )
}

/// The body of a delivery: `{"type", "timestamp", "data": {…}}`, as Standard Webhooks suggests.
pub fn body(event: &str, timestamp: &str, data: Value) -> String {
    json!({ "type": event, "timestamp": timestamp, "data": data }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, Table};

    #[test]
    fn summarises_changes_by_id() {
        let mut from = Diagram::new("d");
        let mut customer = Table::new("customer");
        customer.columns.push(Column::new("nm", "text"));
        from.tables.push(customer);
        let mut to = from.clone();
        to.tables[0].columns[1].name = "name".into();
        to.tables.push(Table::new("order_item"));
        assert_eq!(
            summary(&from, &to),
            vec![
                "renamed column customer.nm to name".to_string(),
                "added table order_item".to_string()
            ]
        );
    }
}
