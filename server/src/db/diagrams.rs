//! Diagrams: the current document of each, and the writes that record history.

use std::time::Instant;

use std::collections::HashMap;

use model::{Diagram, Op, Uuid};
use sqlx::QueryBuilder;
use tokio::sync::{RwLockReadGuard, oneshot};

use super::apply::{HistoryRow, Prepared, prepare, replay};
use super::backend::{Backend, Conn, Id, Stamp, id, on};
use super::live::{Batch, Claim, LiveDoc, Queued, Replay, Slot, Writer};
use super::notices::{self, Notice};
use super::webhooks;
use super::{Author, Db, StoreError, blocking};
use crate::limits::{Deadline, DocLimits};
use crate::live::{Change, Commit};
use crate::render::{self, Encoded};

/// Stores a new diagram at revision 1, owned by its author (and in `team`, if given).
#[tracing::instrument(skip(db, diagram, deadline), fields(id = %diagram.id))]
pub async fn create(
    db: &Db,
    diagram: &Diagram,
    limits: &DocLimits,
    author: Author,
    team: Option<Uuid>,
    deadline: &Deadline,
) -> Result<i64, StoreError> {
    let body = checked_body(diagram.clone(), *limits).await?.1;
    let (db, diagram) = (db.clone(), diagram.clone());
    let claim = deadline.claim.clone();
    let taken = claim.clone();
    let (done, answer) = oneshot::channel();
    tokio::spawn(async move {
        let _ = done.send(create_now(&db, &diagram, &body, author, team, &taken).await);
    });
    committed(deadline.at, &claim, answer).await
}

/// Checks a whole document off the async threads and returns it with its JSON.
async fn checked_body(
    diagram: Diagram,
    limits: DocLimits,
) -> Result<(Diagram, String), StoreError> {
    blocking(move || {
        diagram.validate().map_err(StoreError::InvalidDocument)?;
        limits.check(&diagram)?;
        let body = serde_json::to_string(&diagram)?;
        limits.check_bytes(body.len())?;
        Ok((diagram, body))
    })
    .await?
}

async fn create_now(
    db: &Db,
    diagram: &Diagram,
    body: &str,
    author: Author,
    team: Option<Uuid>,
    claim: &Claim,
) -> Result<i64, StoreError> {
    let mut tx = db.write_diagram().await?;
    if claim.abandoned() {
        return Err(StoreError::TimedOut);
    }
    let now = Stamp::now();
    on!(tx, |c| sqlx::query(
        "INSERT INTO diagrams (id, name, revision, table_count, owner_id, team_id, created_at,
                               updated_at)
         VALUES ($1, $2, 1, $3, $4, $5, $6, $6)",
    )
    .bind(Id(diagram.id))
    .bind(&diagram.name)
    .bind(table_count(diagram))
    .bind(id(author.user))
    .bind(id(team))
    .bind(&now)
    .execute(&mut *c)
    .await?
    .rows_affected());
    let row = HistoryRow {
        revision: 1,
        base: None,
        body,
        author,
        key: None,
        summary: None,
    };
    record(tx.conn(), diagram.id, "create", &[row]).await?;
    snapshot(tx.conn(), diagram.id, 1, body).await?;
    if !claim.take() {
        return Err(StoreError::TimedOut);
    }
    tx.commit().await?;
    Ok(1)
}

/// The current document and its revision.
#[tracing::instrument(skip(db))]
pub async fn get(db: &Db, id: Uuid) -> Result<(Diagram, i64), StoreError> {
    let slot = db.live.slot(id);
    let stored = stored_revision(db, db.conn().await?.conn(), id).await?;
    let live = current(db, &slot, id, stored).await?;
    let doc = live.as_ref().expect("current");
    Ok((doc.diagram.clone(), doc.revision))
}

/// The JSON of `DiagramState` for the current document, plain and gzipped, as
/// `GET /api/diagrams/{id}` sends it.
///
/// Usually the JSON the last write published, so a read does not wait for the write in progress
/// (which holds the slot through its commit).
#[tracing::instrument(skip(db))]
pub async fn get_json(db: &Db, id: Uuid) -> Result<Encoded, StoreError> {
    Ok(current_json(db, id).await?.0)
}

/// [`get_json`], with the revision the JSON is at.
pub async fn current_json(db: &Db, id: Uuid) -> Result<(Encoded, i64), StoreError> {
    let slot = db.live.slot(id);
    let stored = stored_revision(db, db.conn().await?.conn(), id).await?;
    if let Some(json) = slot.published_for(stored) {
        return Ok((json, stored));
    }
    let live = current(db, &slot, id, stored).await?;
    let doc = live.as_ref().expect("current");
    let json = doc.json().await?;
    slot.publish(doc.revision, json.clone());
    Ok((json, doc.revision))
}

/// The slot's document, shared with other readers, at least at revision `stored` (read from the
/// database without holding a connection since).
///
/// Memory may be ahead of the revision read here (a write committed in between), never behind
/// it: then the document is loaded again. No database connection is held while waiting for the
/// slot, because writers hold the slot while they wait for one.
async fn current<'a>(
    db: &Db,
    slot: &'a Slot,
    id: Uuid,
    stored: i64,
) -> Result<RwLockReadGuard<'a, Option<LiveDoc>>, StoreError> {
    let live = slot.doc.read().await;
    if live.as_ref().is_some_and(|d| d.revision >= stored) {
        return Ok(live);
    }
    drop(live);
    let mut live = slot.doc.write().await;
    let stored = stored_revision(db, db.conn().await?.conn(), id).await?;
    fresh(db, id, stored, &mut live).await?;
    Ok(live.downgrade())
}

#[tracing::instrument(skip(db))]
pub async fn delete(db: &Db, id: Uuid) -> Result<(), StoreError> {
    let slot = db.live.slot(id);
    let _live = slot.doc.write().await;
    let mut tx = db.write_diagram().await?;
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM diagrams WHERE id = $1",
        Backend::Postgres => "SELECT name FROM diagrams WHERE id = $1 FOR UPDATE",
    };
    let name: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar(sql)
        .bind(Id(id))
        .fetch_optional(&mut *c)
        .await?);
    let Some(name) = name else {
        return Err(StoreError::NotFound);
    };
    // Told in the deletion's transaction, with a body of its own: nothing is left after it.
    let body = crate::webhooks::payload::deleted(id, &name);
    webhooks::announce_in(
        tx.conn(),
        id,
        model::api::WebhookEvent::DiagramDeleted,
        &body,
    )
    .await?;
    on!(tx.conn(), |c| sqlx::query(
        "DELETE FROM diagrams WHERE id = $1"
    )
    .bind(Id(id))
    .execute(&mut *c)
    .await?
    .rows_affected());
    tx.commit().await?;
    db.live.forget(id);
    db.hub.gone(id);
    notices::send(db, Notice::Gone(id)).await;
    Ok(())
}

/// Applies a client's op batch, all or none, and returns the new revision.
///
/// The ops are applied to the current document, not to `base`: ops on different entities commute,
/// so a stale batch that still validates is kept (last writer wins per property). One that no
/// longer validates is a conflict when the diagram moved on since `base`, and simply invalid when
/// it did not.
///
/// Group commit: the batch joins the diagram's queue, and the diagram's writer (one task, started
/// by the first batch to find none) writes every batch queued meanwhile, in order, in one
/// transaction: each its own revision and history row, one commit (one fsync) for all. Each is
/// answered only after that commit. The writer is its own task, so a client that goes away
/// mid-write cannot leave memory and database apart. At `deadline` the batch is given up unless
/// its commit has begun: `TimedOut` means it was not applied and never will be.
///
/// A batch with a `key` that history already holds (sent again after a lost answer) is answered
/// with the revision it was committed as, and not applied again.
#[allow(clippy::too_many_arguments)] // each is one fact about the write
#[tracing::instrument(skip(db, ops, deadline, author), fields(ops = ops.len()))]
pub async fn apply_ops(
    db: &Db,
    id: Uuid,
    base: i64,
    ops: Vec<Op>,
    limits: &DocLimits,
    author: Author,
    deadline: &Deadline,
    key: Option<String>,
) -> Result<i64, StoreError> {
    let slot = db.live.slot(id);
    let (done, answer) = oneshot::channel();
    let claim = deadline.claim.clone();
    let batch = Batch {
        base,
        ops,
        limits: *limits,
        author,
        claim: claim.clone(),
        key,
    };
    if slot.queue(Queued { batch, done }) {
        let db = db.clone();
        tokio::spawn(async move { write_queued(&db, id, &slot).await });
    }
    committed(deadline.at, &claim, answer).await
}

/// Waits for a write's answer; at `deadline`, gives the write up unless its commit has begun
/// (its answer is then a commit's time away).
async fn committed<T>(
    deadline: Instant,
    claim: &Claim,
    mut answer: oneshot::Receiver<Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::select! {
        answer = &mut answer => answer.map_err(|_| StoreError::Interrupted)?,
        () = tokio::time::sleep_until(deadline.into()) => {
            if claim.abandon() {
                return Err(StoreError::TimedOut);
            }
            answer.await.map_err(|_| StoreError::Interrupted)?
        }
    }
}

/// The writer of diagram `id`: writes the queued batches, a group at a time, until none are left.
/// There is at most one per slot; each group takes the slot alone, so reads get in between.
async fn write_queued(db: &Db, id: Uuid, slot: &Slot) {
    let _writer = Writer(slot);
    loop {
        let mut live = slot.doc.write().await;
        let Some(queued) = slot.next_batches() else {
            return;
        };
        write_group(db, id, slot, &mut live, queued).await;
    }
}

/// Writes one group of queued batches and answers each (those whose senders gave up are
/// dropped unanswered).
async fn write_group(
    db: &Db,
    id: Uuid,
    slot: &Slot,
    live: &mut Option<LiveDoc>,
    queued: Vec<Queued>,
) {
    let (batches, replies): (Vec<_>, Vec<_>) = queued
        .into_iter()
        .filter(|q| !q.batch.claim.abandoned())
        .map(|q| (q.batch, q.done))
        .unzip();
    if batches.is_empty() {
        return;
    }
    match write_batches(db, id, slot, live, batches).await {
        Ok(answers) => {
            publish(slot, live.as_mut());
            for (reply, answer) in replies.into_iter().zip(answers) {
                let _ = reply.send(answer);
            }
        }
        Err(error) => {
            // Memory may hold ops the database does not: load it again on next use.
            *live = None;
            slot.abandon();
            // Each sender learns what the group met, when it is one a client can act on.
            let kind = match error {
                StoreError::NotFound => Some(StoreError::NotFound),
                StoreError::Busy => Some(StoreError::Busy),
                _ => None,
            };
            let mut first = Some(error);
            for reply in replies {
                let _ = reply.send(Err(match (first.take(), &kind) {
                    (Some(error), _) => error,
                    (None, Some(StoreError::NotFound)) => StoreError::NotFound,
                    (None, Some(_)) => StoreError::Busy,
                    (None, None) => StoreError::Interrupted,
                }));
            }
        }
    }
}

/// Renders and publishes the JSON of the slot's committed document, so reads need not wait for
/// the next write. A rendering error is left for the next read to meet.
fn publish(slot: &Slot, doc: Option<&mut LiveDoc>) {
    if let Some(doc) = doc
        && slot.publishes_before(doc.revision)
        && let Ok(json) = doc.rendered.get_mut().state(&doc.diagram, doc.revision)
    {
        slot.publish(doc.revision, json);
    }
    slot.abandon();
}

/// Applies `batches` in order and commits them in one transaction; returns each one's answer
/// (a batch whose sender gave up meanwhile gets a `TimedOut` nobody reads). An error is one for
/// the whole group: nothing of it was committed.
///
/// Everything but the write itself happens before the database's write lock is taken: the ops
/// are applied, checked and rendered off the async threads, so other diagrams' writes wait at
/// most for a few inserts and an fsync.
async fn write_batches(
    db: &Db,
    id: Uuid,
    slot: &Slot,
    live: &mut Option<LiveDoc>,
    mut batches: Vec<Batch>,
) -> Result<Vec<Result<i64, StoreError>>, StoreError> {
    loop {
        let stored = stored_revision(db, db.conn().await?.conn(), id).await?;
        let known = known_keys(db, id, &batches).await?;
        let from = fresh(db, id, stored, live).await?.revision;
        let doc = live.take().expect("just loaded");
        let work = std::mem::take(&mut batches);
        let (mut doc, work, prepared) = blocking(move || {
            let mut doc = doc;
            let prepared = prepare(&mut doc, &work, known);
            (doc, work, prepared)
        })
        .await?;
        batches = work;
        // On an error `live` stays empty: the next use loads the document again.
        let prepared = prepared?;
        if prepared.rows.is_empty() {
            *live = Some(doc);
            return Ok(prepared.answers);
        }
        let given_up = |p: &Prepared| p.changed.iter().any(|&i| batches[i].claim.abandoned());
        let mut moved_on = false;
        if !given_up(&prepared) {
            let mut tx = db.write_diagram().await?;
            moved_on = locked_revision(db, tx.conn(), id).await? != from;
            if !moved_on {
                record(tx.conn(), id, "ops", &prepared.rows).await?;
                update_row(tx.conn(), &doc.diagram, prepared.revision).await?;
                if let Some(document) = &prepared.snapshot {
                    snapshot(tx.conn(), id, prepared.revision, document).await?;
                }
                notices::send_in(db, tx.conn(), Notice::Commit(id, prepared.revision)).await?;
                webhooks::updated_in(tx.conn(), id, prepared.revision, db.webhook_window).await?;
                // Taken only now, just before the commit: a sender that gave up by now (and
                // answered 408) keeps its batch out of it.
                let taken: Vec<bool> = prepared
                    .changed
                    .iter()
                    .map(|&i| batches[i].claim.take())
                    .collect();
                if taken.iter().all(|&t| t) {
                    slot.committing(from, prepared.revision);
                    tx.commit().await?;
                    doc.revision = prepared.revision;
                    doc.since_snapshot = prepared.since_snapshot;
                    *live = Some(doc);
                    // Still holding the slot: commits go out in revision order.
                    for row in prepared.rows {
                        let change = Change::Ops(row.body.into());
                        let author = row.author.shown();
                        db.hub
                            .commit(id, Commit::new(row.revision, author, row.key, change));
                    }
                    return Ok(prepared.answers);
                }
                for (&i, _) in prepared.changed.iter().zip(&taken).filter(|(_, t)| **t) {
                    batches[i].claim.release();
                }
            }
        }
        // Not committed (rolled back with the dropped transaction): write the group again, without
        // the batches given up, on the document as it was, or as it now is stored.
        if moved_on {
            continue;
        }
        let (doc, reverted) = blocking(move || {
            let reverted = prepared.revert(&mut doc);
            (doc, reverted)
        })
        .await?;
        reverted?;
        *live = Some(doc);
    }
}

/// Replaces the whole document when the client had seen the latest revision.
#[tracing::instrument(skip(db, diagram, deadline))]
pub async fn replace(
    db: &Db,
    id: Uuid,
    base: i64,
    mut diagram: Diagram,
    limits: &DocLimits,
    author: Author,
    deadline: &Deadline,
) -> Result<i64, StoreError> {
    diagram.id = id;
    let (diagram, body) = checked_body(diagram, *limits).await?;
    let db = db.clone();
    let claim = deadline.claim.clone();
    let taken = claim.clone();
    let (done, answer) = oneshot::channel();
    tokio::spawn(async move {
        let written = replace_now(&db, id, base, diagram, &body, author, &taken).await;
        let _ = done.send(written);
    });
    committed(deadline.at, &claim, answer).await
}

async fn replace_now(
    db: &Db,
    id: Uuid,
    base: i64,
    diagram: Diagram,
    body: &str,
    author: Author,
    claim: &Claim,
) -> Result<i64, StoreError> {
    let slot = db.live.slot(id);
    let mut live = slot.doc.write().await;
    let mut tx = db.write_diagram().await?;
    if claim.abandoned() {
        return Err(StoreError::TimedOut);
    }
    let current = locked_revision(db, tx.conn(), id).await?;
    if base != current {
        return Err(if base > current {
            StoreError::FutureBase { base, current }
        } else {
            StoreError::Conflict { base, current }
        });
    }
    let next = current + 1;
    update_row(tx.conn(), &diagram, next).await?;
    let shown = author.shown();
    let row = HistoryRow {
        revision: next,
        base: Some(base),
        body,
        author,
        key: None,
        summary: None,
    };
    record(tx.conn(), id, "replace", &[row]).await?;
    snapshot(tx.conn(), id, next, body).await?;
    notices::send_in(db, tx.conn(), Notice::Commit(id, next)).await?;
    webhooks::updated_in(tx.conn(), id, next, db.webhook_window).await?;
    if !claim.take() {
        return Err(StoreError::TimedOut);
    }
    // Until the commit is known to have happened, memory holds nothing for this diagram.
    let rendered = reusable_rendering(&mut live);
    tx.commit().await?;
    *live = Some(LiveDoc {
        diagram,
        revision: next,
        since_snapshot: Replay::default(),
        bytes: body.len(),
        rendered: rendered.into(),
    });
    publish(&slot, live.as_mut());
    if let Some(json) = slot.published_for(next) {
        db.hub
            .commit(id, Commit::new(next, shown, None, Change::Document(json)));
    }
    Ok(next)
}

/// The stored revision of diagram `id`.
pub(super) async fn stored_revision(db: &Db, conn: Conn<'_>, id: Uuid) -> Result<i64, StoreError> {
    revision_of(db, conn, id, "SELECT revision FROM diagrams WHERE id = $1").await
}

/// The stored revision of diagram `id`, read in a write transaction, which no other instance
/// can then change until this one ends. (SQLite's write transaction holds the whole file; a
/// PostgreSQL one locks the diagram's row.)
async fn locked_revision(db: &Db, conn: Conn<'_>, id: Uuid) -> Result<i64, StoreError> {
    let query = match conn.backend() {
        Backend::Sqlite => "SELECT revision FROM diagrams WHERE id = $1",
        Backend::Postgres => "SELECT revision FROM diagrams WHERE id = $1 FOR UPDATE",
    };
    revision_of(db, conn, id, query).await
}

async fn revision_of(
    db: &Db,
    mut conn: Conn<'_>,
    id: Uuid,
    query: &'static str,
) -> Result<i64, StoreError> {
    let revision: Option<i64> = on!(conn, |c| sqlx::query_scalar(query)
        .bind(Id(id))
        .fetch_optional(&mut *c)
        .await?);
    revision.ok_or_else(|| {
        db.live.forget(id);
        StoreError::NotFound
    })
}

/// The live document of `id` at revision `stored`, loaded (again) when memory holds none or
/// another revision.
async fn fresh<'a>(
    db: &Db,
    id: Uuid,
    stored: i64,
    live: &'a mut Option<LiveDoc>,
) -> Result<&'a mut LiveDoc, StoreError> {
    if live.as_ref().is_none_or(|doc| doc.revision != stored) {
        let rendered = reusable_rendering(live);
        let (diagram, since_snapshot, bytes) = load(db, id, stored).await?;
        *live = Some(LiveDoc {
            diagram,
            revision: stored,
            since_snapshot,
            bytes,
            rendered: rendered.into(),
        });
    }
    Ok(live.as_mut().expect("just loaded"))
}

/// Takes the document out of `live`, keeping its rendered pieces for the document that replaces
/// it: they are reused where equal, so every entity is compared.
fn reusable_rendering(live: &mut Option<LiveDoc>) -> render::Rendered {
    let mut rendered = live
        .take()
        .map(|doc| doc.rendered.into_inner())
        .unwrap_or_default();
    rendered.changed_all();
    rendered
}

/// Rebuilds the document at `revision` from the latest snapshot and the op batches after it
/// (replayed off the async threads); also returns how much history that was, and about how many
/// bytes of JSON the document takes.
async fn load(db: &Db, id: Uuid, revision: i64) -> Result<(Diagram, Replay, usize), StoreError> {
    // The connection goes back before the replay: writers waiting for one hold the write turn.
    let (snapshot, document, batches) = read_history(db.conn().await?.conn(), id, revision).await?;
    blocking(move || replay(document, snapshot, batches, revision)).await?
}

/// The latest snapshot at or before `revision` (its revision and JSON) and the op batches
/// after it.
async fn read_history(
    mut conn: Conn<'_>,
    id: Uuid,
    revision: i64,
) -> Result<(i64, String, Vec<(i64, String)>), StoreError> {
    on!(conn, |c| {
        let (snapshot, document): (i64, String) = sqlx::query_as(
            "SELECT revision, document FROM snapshots WHERE diagram_id = $1 AND revision <= $2
             ORDER BY revision DESC LIMIT 1",
        )
        .bind(Id(id))
        .bind(revision)
        .fetch_optional(&mut *c)
        .await?
        .ok_or(StoreError::NotFound)?;
        let batches = sqlx::query_as(
            "SELECT revision, body FROM revisions
             WHERE diagram_id = $1 AND revision > $2 AND revision <= $3 AND kind = 'ops'
             ORDER BY revision",
        )
        .bind(Id(id))
        .bind(snapshot)
        .bind(revision)
        .fetch_all(&mut *c)
        .await?;
        Ok((snapshot, document, batches))
    })
}

/// Writes the diagram row's name, revision and table count.
async fn update_row(mut tx: Conn<'_>, doc: &Diagram, revision: i64) -> Result<(), StoreError> {
    on!(tx, |c| sqlx::query(
        "UPDATE diagrams SET name = $1, revision = $2, table_count = $3, updated_at = $4
         WHERE id = $5",
    )
    .bind(&doc.name)
    .bind(revision)
    .bind(table_count(doc))
    .bind(Stamp::now())
    .bind(Id(doc.id))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Stores the whole document as of `revision` and drops older snapshots.
async fn snapshot(
    mut tx: Conn<'_>,
    id: Uuid,
    revision: i64,
    document: &str,
) -> Result<(), StoreError> {
    on!(tx, |c| {
        sqlx::query("INSERT INTO snapshots (diagram_id, revision, document) VALUES ($1, $2, $3)")
            .bind(Id(id))
            .bind(revision)
            .bind(document)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM snapshots WHERE diagram_id = $1 AND revision < $2")
            .bind(Id(id))
            .bind(revision)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Records history rows of one `kind`, many per statement.
async fn record<B: AsRef<str>>(
    mut tx: Conn<'_>,
    id: Uuid,
    kind: &str,
    rows: &[HistoryRow<B>],
) -> Result<(), StoreError> {
    let now = Stamp::now();
    for chunk in rows.chunks(500) {
        on!(tx, |c| {
            let mut insert = QueryBuilder::new(
                "INSERT INTO revisions (diagram_id, revision, kind, base_revision, body,
                                        author_user_id, author_link_id, batch_key, summary,
                                        created_at) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind(Id(id))
                    .push_bind(r.revision)
                    .push_bind(kind)
                    .push_bind(r.base)
                    .push_bind(r.body.as_ref())
                    .push_bind(super::backend::id(r.author.user))
                    .push_bind(super::backend::id(r.author.link))
                    .push_bind(r.key.as_deref())
                    .push_bind(r.summary.as_deref())
                    .push_bind(&now);
            });
            // Not kept prepared: each group size is its own statement text.
            insert.build().persistent(false).execute(&mut *c).await?;
        });
    }
    Ok(())
}

fn table_count(doc: &Diagram) -> i64 {
    i64::try_from(doc.tables.len()).unwrap_or(i64::MAX)
}

/// The revisions history holds for the keys of `batches` (those sent again after a lost answer).
async fn known_keys(
    db: &Db,
    id: Uuid,
    batches: &[Batch],
) -> Result<HashMap<String, i64>, StoreError> {
    let keys: Vec<&str> = batches.iter().filter_map(|b| b.key.as_deref()).collect();
    let mut known = HashMap::new();
    for chunk in keys.chunks(500) {
        let rows: Vec<(String, i64)> = on!(db.conn().await?, |c| {
            let mut query =
                QueryBuilder::new("SELECT batch_key, revision FROM revisions WHERE diagram_id = ");
            query.push_bind(Id(id)).push(" AND batch_key IN (");
            let mut list = query.separated(", ");
            for key in chunk {
                list.push_bind(*key);
            }
            query.push(")");
            query
                .build_query_as()
                .persistent(false)
                .fetch_all(&mut *c)
                .await?
        });
        known.extend(rows);
    }
    Ok(known)
}

/// The revision a batch with `key` was committed as, if history holds it.
pub async fn key_revision(db: &Db, id: Uuid, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(on!(db.conn().await?, |c| sqlx::query_scalar(
        "SELECT revision FROM revisions WHERE diagram_id = $1 AND batch_key = $2"
    )
    .bind(Id(id))
    .bind(key)
    .fetch_optional(&mut *c)
    .await?))
}
