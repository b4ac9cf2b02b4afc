//! Named versions: revisions a person gave a name. Naming one tells the webhooks that want
//! `version.named`, in the same transaction.

use model::Uuid;
use model::api::{VersionInfo, WebhookEvent};

use super::backend::{Fields, Id, Seconds, on};
use super::people::{now, rfc3339};
use super::{Author, Db, StoreError, webhooks};

/// The diagram's named versions, newest revision first.
pub async fn list(db: &Db, diagram: Uuid) -> Result<Vec<VersionInfo>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT v.id, v.revision, v.name, v.created_at, v.author_user_id, v.author_link_id,
                    u.name AS author_name
             FROM versions v LEFT JOIN users u ON u.id = v.author_user_id
             WHERE v.diagram_id = $1 ORDER BY v.revision DESC, v.created_at DESC",
        )
        .bind(Id(diagram))
        .fetch_all(&mut *c)
        .await?;
        rows.iter().map(version_from).collect()
    })
}

fn version_from(row: &impl Fields) -> Result<VersionInfo, StoreError> {
    Ok(VersionInfo {
        id: row.field::<Id>("id")?.0,
        revision: row.field("revision")?,
        name: row.field("name")?,
        created_at: rfc3339(row.field::<Seconds>("created_at")?.0),
        author: super::history::author(row)?,
    })
}

/// Names `revision` (the current one when `None`), and queues the `version.named` deliveries
/// with `body(version, diagram name)` in the same transaction.
pub async fn create(
    db: &Db,
    diagram: Uuid,
    revision: Option<i64>,
    name: &str,
    author: &Author,
    body: impl FnOnce(&VersionInfo, &str) -> String,
) -> Result<VersionInfo, StoreError> {
    let mut tx = db.write_diagram().await?;
    let found: Option<(String, i64)> = on!(tx.conn(), |c| sqlx::query_as(
        "SELECT name, revision FROM diagrams WHERE id = $1"
    )
    .bind(Id(diagram))
    .fetch_optional(&mut *c)
    .await?);
    let (diagram_name, current) = found.ok_or(StoreError::NotFound)?;
    let revision = revision.unwrap_or(current);
    let known: Option<i64> = on!(tx.conn(), |c| sqlx::query_scalar(
        "SELECT revision FROM revisions WHERE diagram_id = $1 AND revision = $2"
    )
    .bind(Id(diagram))
    .bind(revision)
    .fetch_optional(&mut *c)
    .await?);
    if known.is_none() {
        return Err(StoreError::NoSuchRevision(revision));
    }
    let at = now();
    let version = VersionInfo {
        id: Uuid::new_v4(),
        revision,
        name: name.to_string(),
        created_at: rfc3339(at),
        author: author.shown(),
    };
    on!(tx.conn(), |c| sqlx::query(
        "INSERT INTO versions (id, diagram_id, revision, name, author_user_id, author_link_id,
                               created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(Id(version.id))
    .bind(Id(diagram))
    .bind(revision)
    .bind(name)
    .bind(super::backend::id(author.user))
    .bind(super::backend::id(author.link))
    .bind(Seconds(at))
    .execute(&mut *c)
    .await?
    .rows_affected());
    let body = body(&version, &diagram_name);
    webhooks::announce_in(tx.conn(), diagram, WebhookEvent::VersionNamed, &body).await?;
    tx.commit().await?;
    Ok(version)
}

/// Renames a version of `diagram`.
pub async fn rename(
    db: &Db,
    diagram: Uuid,
    version: Uuid,
    name: &str,
) -> Result<VersionInfo, StoreError> {
    let changed = on!(db.conn().await?, |c| sqlx::query(
        "UPDATE versions SET name = $3 WHERE diagram_id = $1 AND id = $2"
    )
    .bind(Id(diagram))
    .bind(Id(version))
    .bind(name)
    .execute(&mut *c)
    .await?
    .rows_affected());
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    list(db, diagram)
        .await?
        .into_iter()
        .find(|v| v.id == version)
        .ok_or(StoreError::NotFound)
}

/// Takes the name off a version (its revision stays in history).
pub async fn delete(db: &Db, diagram: Uuid, version: Uuid) -> Result<(), StoreError> {
    let gone = on!(db.conn().await?, |c| sqlx::query(
        "DELETE FROM versions WHERE diagram_id = $1 AND id = $2"
    )
    .bind(Id(diagram))
    .bind(Id(version))
    .execute(&mut *c)
    .await?
    .rows_affected());
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
