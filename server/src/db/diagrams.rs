//! Diagrams: the current document of each, and the writes that record history.

use model::api::DiagramSummary;
use model::{Diagram, Op, Uuid};
use sqlx::{Row, Sqlite, Transaction};

use super::{Db, StoreError};
use crate::limits::{DocLimits, Size};

/// The current time as SQLite writes it: RFC 3339 with milliseconds, UTC (a literal for `concat!`).
macro_rules! now {
    () => {
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    };
}

#[tracing::instrument(skip(db))]
pub async fn list(db: &Db) -> Result<Vec<DiagramSummary>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, table_count, updated_at FROM diagrams ORDER BY updated_at DESC, id",
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(DiagramSummary {
                id: parse_id(row.try_get("id")?)?,
                name: row.try_get("name")?,
                table_count: row.try_get("table_count")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Stores a new diagram at revision 1.
#[tracing::instrument(skip(db, diagram), fields(id = %diagram.id))]
pub async fn create(db: &Db, diagram: &Diagram, limits: &DocLimits) -> Result<i64, StoreError> {
    diagram.validate().map_err(StoreError::InvalidDocument)?;
    limits.check(diagram)?;
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let body = serde_json::to_string(diagram)?;
    sqlx::query(concat!(
        "INSERT INTO diagrams (id, name, document, revision, table_count, created_at, updated_at)
         VALUES (?, ?, ?, 1, ?, ",
        now!(),
        ", ",
        now!(),
        ")"
    ))
    .bind(diagram.id.to_string())
    .bind(&diagram.name)
    .bind(&body)
    .bind(table_count(diagram))
    .execute(&mut *tx)
    .await?;
    record(&mut tx, diagram.id, 1, "create", None, &body).await?;
    tx.commit().await?;
    Ok(1)
}

#[tracing::instrument(skip(db))]
pub async fn get(db: &Db, id: Uuid) -> Result<(Diagram, i64), StoreError> {
    let row = sqlx::query("SELECT document, revision FROM diagrams WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let doc: String = row.try_get("document")?;
    Ok((serde_json::from_str(&doc)?, row.try_get("revision")?))
}

#[tracing::instrument(skip(db))]
pub async fn delete(db: &Db, id: Uuid) -> Result<(), StoreError> {
    let done = sqlx::query("DELETE FROM diagrams WHERE id = ?")
        .bind(id.to_string())
        .execute(db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Applies a client's op batch, all or none, and returns the new revision.
///
/// The ops are applied to the current document, not to `base`: ops on different entities commute,
/// so a stale batch that still validates is kept (last writer wins per property). One that no
/// longer validates is a conflict when the diagram moved on since `base`, and simply invalid when
/// it did not.
#[tracing::instrument(skip(db, ops), fields(ops = ops.len()))]
pub async fn apply_ops(
    db: &Db,
    id: Uuid,
    base: i64,
    ops: Vec<Op>,
    limits: &DocLimits,
) -> Result<i64, StoreError> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let (mut doc, current) = current(&mut tx, id).await?;
    if base > current {
        return Err(StoreError::FutureBase { base, current });
    }
    let before = Size::of(&doc);
    if ops.is_empty() {
        return Ok(current);
    }
    let body = serde_json::to_string(&ops)?;
    let refused = |index, error| {
        if base < current {
            StoreError::Conflict { base, current }
        } else {
            StoreError::InvalidOp { index, error }
        }
    };
    for (index, op) in ops.iter().cloned().enumerate() {
        op.apply(&mut doc).map_err(|error| refused(index, error))?;
    }
    // Each op checks its own rules, but not all of the document's (fuzzing found a note that
    // could take a table's id): check the result once, and only when it fails find the op.
    if let Err(error) = doc.validate() {
        let (start, _) = self::current(&mut tx, id).await?;
        let (index, error) = first_invalid(start, &ops).unwrap_or((ops.len() - 1, error));
        return Err(refused(index, error));
    }
    limits.check_growth(before, &doc)?;
    let next = current + 1;
    store(&mut tx, &doc, next).await?;
    record(&mut tx, id, next, "ops", Some(base), &body).await?;
    tx.commit().await?;
    Ok(next)
}

/// The first op of `ops` after which `doc` no longer validates.
fn first_invalid(mut doc: Diagram, ops: &[Op]) -> Option<(usize, model::OpError)> {
    for (index, op) in ops.iter().cloned().enumerate() {
        if let Err(error) = op.apply(&mut doc).and_then(|_| doc.validate()) {
            return Some((index, error));
        }
    }
    None
}

/// Replaces the whole document when the client had seen the latest revision.
#[tracing::instrument(skip(db, diagram))]
pub async fn replace(
    db: &Db,
    id: Uuid,
    base: i64,
    mut diagram: Diagram,
    limits: &DocLimits,
) -> Result<i64, StoreError> {
    diagram.id = id;
    diagram.validate().map_err(StoreError::InvalidDocument)?;
    limits.check(&diagram)?;
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let (_, current) = current(&mut tx, id).await?;
    if base != current {
        return Err(if base > current {
            StoreError::FutureBase { base, current }
        } else {
            StoreError::Conflict { base, current }
        });
    }
    let next = current + 1;
    store(&mut tx, &diagram, next).await?;
    record(
        &mut tx,
        id,
        next,
        "replace",
        Some(base),
        &serde_json::to_string(&diagram)?,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

async fn current(tx: &mut Transaction<'_, Sqlite>, id: Uuid) -> Result<(Diagram, i64), StoreError> {
    let row = sqlx::query("SELECT document, revision FROM diagrams WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let doc: String = row.try_get("document")?;
    Ok((serde_json::from_str(&doc)?, row.try_get("revision")?))
}

async fn store(
    tx: &mut Transaction<'_, Sqlite>,
    doc: &Diagram,
    revision: i64,
) -> Result<(), StoreError> {
    sqlx::query(concat!(
        "UPDATE diagrams SET name = ?, document = ?, revision = ?, table_count = ?, updated_at = ",
        now!(),
        " WHERE id = ?"
    ))
    .bind(&doc.name)
    .bind(serde_json::to_string(doc)?)
    .bind(revision)
    .bind(table_count(doc))
    .bind(doc.id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn record(
    tx: &mut Transaction<'_, Sqlite>,
    id: Uuid,
    revision: i64,
    kind: &str,
    base: Option<i64>,
    body: &str,
) -> Result<(), StoreError> {
    sqlx::query(concat!(
        "INSERT INTO revisions (diagram_id, revision, kind, base_revision, body, created_at)
         VALUES (?, ?, ?, ?, ?, ",
        now!(),
        ")"
    ))
    .bind(id.to_string())
    .bind(revision)
    .bind(kind)
    .bind(base)
    .bind(body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn table_count(doc: &Diagram) -> u32 {
    u32::try_from(doc.tables.len()).unwrap_or(u32::MAX)
}

pub(super) fn parse_id(text: String) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&text).map_err(|e| StoreError::Sql(sqlx::Error::Decode(Box::new(e))))
}
