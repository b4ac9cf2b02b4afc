//! History: the list of revisions and the document as of any of them.

use model::api::{Author, RevisionInfo};
use model::{Diagram, Op, Uuid};
use sqlx::Row;

use super::{Db, StoreError};

#[tracing::instrument(skip(db))]
pub async fn revisions(db: &Db, id: Uuid) -> Result<Vec<RevisionInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.revision, r.kind, r.created_at, r.author_user_id, r.author_link_id,
                u.name AS author_name,
                CASE r.kind WHEN 'ops' THEN json_array_length(r.body) ELSE 0 END AS op_count
         FROM revisions r LEFT JOIN users u ON u.id = r.author_user_id
         WHERE r.diagram_id = ? ORDER BY r.revision",
    )
    .bind(id.to_string())
    .fetch_all(&db.pool)
    .await?;
    if rows.is_empty() {
        return Err(StoreError::NotFound);
    }
    rows.into_iter()
        .map(|row| {
            Ok(RevisionInfo {
                revision: row.try_get("revision")?,
                kind: row.try_get("kind")?,
                op_count: row.try_get("op_count")?,
                created_at: row.try_get("created_at")?,
                author: author(&row)?,
            })
        })
        .collect()
}

/// Rebuilds the document as of `revision`: the last whole document at or before it, then the op
/// batches after that one, replayed in order.
#[tracing::instrument(skip(db))]
pub async fn revision_document(db: &Db, id: Uuid, revision: i64) -> Result<Diagram, StoreError> {
    let rows = sqlx::query(
        "SELECT revision, kind, body FROM revisions
         WHERE diagram_id = ?1 AND revision <= ?2 AND revision >= (
             SELECT MAX(revision) FROM revisions
             WHERE diagram_id = ?1 AND revision <= ?2 AND kind IN ('create', 'replace'))
         ORDER BY revision",
    )
    .bind(id.to_string())
    .bind(revision)
    .fetch_all(&db.pool)
    .await?;
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else {
        let mut conn = db.pool.acquire().await?;
        super::diagrams::stored_revision(db, &mut conn, id).await?;
        return Err(StoreError::NoSuchRevision(revision));
    };
    let document: String = first.try_get("body")?;
    let mut last: i64 = first.try_get("revision")?;
    let mut batches = Vec::with_capacity(rows.len());
    for row in rows {
        batches.push(row.try_get::<String, _>("body")?);
        last = row.try_get("revision")?;
    }
    if last != revision {
        return Err(StoreError::NoSuchRevision(revision));
    }
    // Replayed off the async threads: a long history is CPU work.
    super::blocking(move || {
        model::trusted(|| -> Result<Diagram, StoreError> {
            let mut doc: Diagram = serde_json::from_str(&document)?;
            for body in batches {
                let ops: Vec<Op> = serde_json::from_str(&body)?;
                for op in ops {
                    op.apply(&mut doc).map_err(StoreError::Replay)?;
                }
            }
            Ok(doc)
        })
    })
    .await?
}

/// The most bytes of op batches a catch-up replays.
const MAX_REPLAY_BYTES: usize = 4 * 1024 * 1024;

/// A committed op batch as history holds it, for a client catching up.
pub struct Recorded {
    pub revision: i64,
    pub body: String,
    pub author: Option<Author>,
    pub key: Option<String>,
}

/// The op batches committed after revision `since`, in order; `None` when there are more than
/// `max`, or a whole document was written among them (the client then takes the current one).
#[tracing::instrument(skip(db))]
pub async fn commits_after(
    db: &Db,
    id: Uuid,
    since: i64,
    max: i64,
) -> Result<Option<Vec<Recorded>>, StoreError> {
    let mut conn = db.pool.acquire().await?;
    let current = super::diagrams::stored_revision(db, &mut conn, id).await?;
    if since > current || current - since > max {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT r.revision, r.kind, r.body, r.author_user_id, r.author_link_id, r.batch_key,
                u.name AS author_name
         FROM revisions r LEFT JOIN users u ON u.id = r.author_user_id
         WHERE r.diagram_id = ? AND r.revision > ? ORDER BY r.revision",
    )
    .bind(id.to_string())
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let mut recorded = Vec::with_capacity(rows.len());
    let mut bytes = 0;
    for (next, row) in (since + 1..).zip(rows) {
        let revision: i64 = row.try_get("revision")?;
        let kind: String = row.try_get("kind")?;
        let body: String = row.try_get("body")?;
        bytes += body.len();
        // A document's worth of batches is sent as the document.
        if kind != "ops" || revision != next || bytes > MAX_REPLAY_BYTES {
            return Ok(None);
        }
        recorded.push(Recorded {
            revision,
            author: author(&row)?,
            body,
            key: row.try_get("batch_key")?,
        });
    }
    Ok(Some(recorded))
}

/// A history row's author: the person (by name as it is now), else the share link.
fn author(row: &sqlx::sqlite::SqliteRow) -> Result<Option<Author>, StoreError> {
    let user: Option<String> = row.try_get("author_user_id")?;
    let link: Option<String> = row.try_get("author_link_id")?;
    Ok(match (user, link) {
        (Some(id), _) => Some(Author::Person {
            id: super::diagrams::parse_id(id)?,
            name: row
                .try_get::<Option<String>, _>("author_name")?
                .unwrap_or_default(),
        }),
        (None, Some(id)) => Some(Author::Link {
            id: super::diagrams::parse_id(id)?,
        }),
        (None, None) => None,
    })
}
