//! History: the list of revisions and the document as of any of them.

use model::api::{Author, RevisionInfo};
use model::{Diagram, Op, Uuid};

use super::backend::{Backend, Fields, Id, Stamp, on};
use super::{Db, StoreError};

/// The revisions before `before` (all when `None`), at most `limit` of the newest of them,
/// oldest first.
#[tracing::instrument(skip(db))]
pub async fn revisions(
    db: &Db,
    id: Uuid,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<RevisionInfo>, StoreError> {
    let query = match db.backend() {
        Backend::Sqlite => {
            "SELECT r.revision, r.kind, r.created_at, r.author_user_id, r.author_link_id,
                    r.summary, u.name AS author_name,
                    CASE r.kind WHEN 'ops' THEN json_array_length(r.body) ELSE 0 END AS op_count
             FROM revisions r LEFT JOIN users u ON u.id = r.author_user_id
             WHERE r.diagram_id = $1 AND r.revision < $2 ORDER BY r.revision DESC LIMIT $3"
        }
        Backend::Postgres => {
            "SELECT r.revision, r.kind, r.created_at, r.author_user_id, r.author_link_id,
                    r.summary, u.name AS author_name,
                    CASE r.kind WHEN 'ops' THEN json_array_length(r.body::json)::bigint
                                ELSE 0 END AS op_count
             FROM revisions r LEFT JOIN users u ON u.id = r.author_user_id
             WHERE r.diagram_id = $1 AND r.revision < $2 ORDER BY r.revision DESC LIMIT $3"
        }
    };
    let mut list = on!(db.conn().await?, |c| {
        let rows = sqlx::query(query)
            .bind(Id(id))
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
        rows.iter()
            .map(|row| {
                let summary: Option<String> = row.field("summary")?;
                Ok(RevisionInfo {
                    revision: row.field("revision")?,
                    kind: row.field("kind")?,
                    op_count: u32::try_from(row.field::<i64>("op_count")?).unwrap_or(0),
                    created_at: row.field::<Stamp>("created_at")?.0,
                    author: author(row)?,
                    summary: summary
                        .and_then(|s| serde_json::from_str(&s).ok())
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?
    });
    if list.is_empty() {
        // No such diagram, or nothing before `before`.
        super::diagrams::stored_revision(db, db.conn().await?.conn(), id).await?;
    }
    list.reverse();
    Ok(list)
}

/// Rebuilds the document as of `revision`: the last whole document at or before it, then the op
/// batches after that one, replayed in order.
#[tracing::instrument(skip(db))]
pub async fn revision_document(db: &Db, id: Uuid, revision: i64) -> Result<Diagram, StoreError> {
    let rows: Vec<(i64, String)> = on!(db.conn().await?, |c| sqlx::query_as(
        "SELECT revision, body FROM revisions
         WHERE diagram_id = $1 AND revision <= $2 AND revision >= (
             SELECT MAX(revision) FROM revisions
             WHERE diagram_id = $1 AND revision <= $2 AND kind IN ('create', 'replace'))
         ORDER BY revision",
    )
    .bind(Id(id))
    .bind(revision)
    .fetch_all(&mut *c)
    .await?);
    let mut rows = rows.into_iter();
    let Some((mut last, document)) = rows.next() else {
        super::diagrams::stored_revision(db, db.conn().await?.conn(), id).await?;
        return Err(StoreError::NoSuchRevision(revision));
    };
    let mut batches = Vec::with_capacity(rows.len());
    for (at, body) in rows {
        batches.push(body);
        last = at;
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
    let mut conn = db.conn().await?;
    let current = super::diagrams::stored_revision(db, conn.conn(), id).await?;
    if since > current || current - since > max {
        return Ok(None);
    }
    let rows = recorded(conn.conn(), id, since, current).await?;
    let mut list = Vec::with_capacity(rows.len());
    let mut bytes = 0;
    for (next, (kind, row)) in (since + 1..).zip(rows) {
        bytes += row.body.len();
        // A document's worth of batches is sent as the document.
        if kind != "ops" || row.revision != next || bytes > MAX_REPLAY_BYTES {
            return Ok(None);
        }
        list.push(row);
    }
    Ok(Some(list))
}

/// The history row of `revision`, with its kind (`create`, `replace`, `ops`).
pub async fn recorded_at(
    db: &Db,
    id: Uuid,
    revision: i64,
) -> Result<Option<(String, Recorded)>, StoreError> {
    let rows = recorded(db.conn().await?.conn(), id, revision - 1, revision).await?;
    Ok(rows.into_iter().next())
}

/// History rows after `since` up to `until`, with their kinds.
async fn recorded(
    mut conn: super::backend::Conn<'_>,
    id: Uuid,
    since: i64,
    until: i64,
) -> Result<Vec<(String, Recorded)>, StoreError> {
    on!(conn, |c| {
        let rows = sqlx::query(
            "SELECT r.revision, r.kind, r.body, r.author_user_id, r.author_link_id, r.batch_key,
                    u.name AS author_name
             FROM revisions r LEFT JOIN users u ON u.id = r.author_user_id
             WHERE r.diagram_id = $1 AND r.revision > $2 AND r.revision <= $3
             ORDER BY r.revision",
        )
        .bind(Id(id))
        .bind(since)
        .bind(until)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                let recorded = Recorded {
                    revision: row.field("revision")?,
                    author: author(row)?,
                    body: row.field("body")?,
                    key: row.field("batch_key")?,
                };
                Ok((row.field("kind")?, recorded))
            })
            .collect()
    })
}

/// A history row's author: the person (by name as it is now), else the share link.
pub(super) fn author(row: &impl Fields) -> Result<Option<Author>, StoreError> {
    let user: Option<Id> = row.field("author_user_id")?;
    let link: Option<Id> = row.field("author_link_id")?;
    Ok(match (user, link) {
        (Some(Id(id)), _) => Some(Author::Person {
            id,
            name: row
                .field::<Option<String>>("author_name")?
                .unwrap_or_default(),
        }),
        (None, Some(Id(id))) => Some(Author::Link { id }),
        (None, None) => None,
    })
}
