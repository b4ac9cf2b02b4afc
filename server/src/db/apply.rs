//! The rules of a write, without a database: applying a group of op batches to the document in
//! memory, all or none per batch, telling a conflict (the diagram moved on since the batch's
//! base) from an invalid batch, undoing, and replaying history. The writer (`diagrams`) calls
//! these off the async threads and stores what they return.

use std::collections::HashMap;

use model::{Diagram, Op, Uuid};

use super::live::{Batch, LiveDoc, Replay};
use super::{Author, StoreError};
use crate::limits::{DocLimits, Size, count_ops};
use crate::render;

/// The least history (bytes of op batches) a snapshot is worth: small documents are not
/// rewritten after every few edits.
const SNAPSHOT_MIN_HISTORY: usize = 64 * 1024;

/// The most ops a load replays: each may cost up to a table's width to apply, so a document
/// whose ops are small next to it still loads in bounded time.
const SNAPSHOT_MAX_OPS: usize = 2_000;

/// Whether the history after the latest snapshot has grown enough to write a new one: as large
/// as the document itself, or more ops than a load should replay. Loading then replays at most
/// about a document's worth of ops, and snapshots cost at most as many bytes as the history they
/// cut short (or one document per 2,000 ops).
pub(super) fn snapshot_due(since: Replay, document: usize) -> bool {
    since.bytes >= document.max(SNAPSHOT_MIN_HISTORY) || since.ops >= SNAPSHOT_MAX_OPS
}

/// A group applied to the document in memory, ready to be written.
pub(super) struct Prepared {
    pub answers: Vec<Result<i64, StoreError>>,
    /// The batches (by place in the group) that changed the document.
    pub changed: Vec<usize>,
    /// The document's size before the group.
    pub bytes_before: usize,
    /// The inverse ops of each batch that changed the document.
    pub undo: Vec<Vec<Op>>,
    /// History rows: revision, base revision, ops JSON, author, batch key.
    pub rows: Vec<HistoryRow<String>>,
    pub revision: i64,
    pub since_snapshot: Replay,
    /// The whole document, when a snapshot is due.
    pub snapshot: Option<String>,
    /// The entities the group changed, as its ops and their inverses name them.
    pub touched: Vec<Uuid>,
}

impl Prepared {
    /// Puts the document back as it was before the group.
    pub(super) fn revert(self, doc: &mut LiveDoc) -> Result<(), StoreError> {
        for mut undo in self.undo.iter().rev().cloned() {
            revert(&mut doc.diagram, &mut undo)?;
        }
        doc.bytes = self.bytes_before;
        doc.rendered.get_mut().changed(&self.touched);
        Ok(())
    }
}

/// Applies the group to `doc`, checks it, and renders what will be written (CPU work, off the
/// async threads).
///
/// The whole document is checked once for the group; only when that fails is the group undone
/// and applied again with a check after each batch, to find the batches at fault.
pub(super) fn prepare(
    doc: &mut LiveDoc,
    batches: &[Batch],
    known: HashMap<String, i64>,
) -> Result<Prepared, StoreError> {
    let start = (doc.revision, doc.bytes);
    let mut group = apply_group(&mut doc.diagram, batches, start, false, known.clone())?;
    if !group.undo.is_empty() && doc.diagram.validate_shape().is_err() {
        for mut undo in group.undo.into_iter().rev() {
            revert(&mut doc.diagram, &mut undo)?;
        }
        group = apply_group(&mut doc.diagram, batches, start, true, known)?;
    }
    let mut summaries = group.summaries.into_iter();
    let mut prepared = Prepared {
        answers: group.answers,
        changed: Vec::new(),
        bytes_before: doc.bytes,
        undo: group.undo,
        rows: Vec::new(),
        revision: doc.revision,
        since_snapshot: doc.since_snapshot,
        snapshot: None,
        touched: Vec::new(),
    };
    if prepared.undo.is_empty() {
        return Ok(prepared);
    }
    for (i, ((answer, batch), body)) in prepared
        .answers
        .iter()
        .zip(batches)
        .zip(group.bodies)
        .enumerate()
    {
        if let Ok(revision) = *answer
            && revision > prepared.revision
        {
            prepared.changed.push(i);
            prepared
                .touched
                .extend(batch.ops.iter().flat_map(Op::touched_ids));
            prepared.since_snapshot.bytes += body.len();
            prepared.since_snapshot.ops += count_ops(&batch.ops, usize::MAX);
            let summary = summaries.next().unwrap_or_default();
            prepared.rows.push(HistoryRow {
                revision,
                base: Some(batch.base),
                body,
                author: batch.author.clone(),
                key: batch.key.clone(),
                summary: serde_json::to_string(&summary).ok(),
            });
            prepared.revision = revision;
        }
    }
    let undone = prepared.undo.iter().flatten().flat_map(Op::touched_ids);
    prepared.touched.extend(undone.collect::<Vec<_>>());
    let rendered = doc.rendered.get_mut();
    rendered.changed(&prepared.touched);
    // Rendered before the commit, published after it; a snapshot is the same bytes.
    let json = rendered.state(&doc.diagram, prepared.revision)?;
    let document = render::document(&json.json, prepared.revision);
    doc.bytes = document.len();
    if snapshot_due(prepared.since_snapshot, document.len()) {
        prepared.snapshot = Some(String::from_utf8_lossy(document).into_owned());
        prepared.since_snapshot = Replay::default();
    }
    Ok(prepared)
}

/// What applying a group of batches did: each batch's answer and ops JSON, and the inverse ops
/// and summary of each batch that changed the document.
struct Applied {
    answers: Vec<Result<i64, StoreError>>,
    bodies: Vec<String>,
    undo: Vec<Vec<Op>>,
    summaries: Vec<Vec<String>>,
}

/// Applies each batch in order, starting at revision `current` with a document of about `bytes`
/// of JSON; with `check_each`, the whole document is checked after every batch.
///
/// A document grows by at most its ops' JSON, so a batch that could take it past its byte limit
/// is refused before it is applied.
///
/// A batch whose key is `known` (committed before, or earlier in the group) is answered with
/// that revision and not applied.
fn apply_group(
    diagram: &mut Diagram,
    batches: &[Batch],
    (mut current, mut bytes): (i64, usize),
    check_each: bool,
    mut known: HashMap<String, i64>,
) -> Result<Applied, StoreError> {
    let mut applied = Applied {
        answers: Vec::with_capacity(batches.len()),
        bodies: Vec::with_capacity(batches.len()),
        undo: Vec::new(),
        summaries: Vec::new(),
    };
    for batch in batches {
        let body = serde_json::to_string(&batch.ops)?;
        let answer = if batch.claim.abandoned() {
            Err(StoreError::TimedOut)
        } else if let Some(&revision) = batch.key.as_ref().and_then(|k| known.get(k)) {
            Ok(revision)
        } else {
            match apply_batch(diagram, batch, current, check_each)? {
                Ok(Some(mut undo)) => match grown(diagram, bytes, body.len(), &batch.limits)? {
                    Ok(size) => {
                        current += 1;
                        bytes = size;
                        // Read now, while the document is as this batch left it.
                        applied
                            .summaries
                            .push(model::history::describe(diagram, &batch.ops, &undo));
                        applied.undo.push(undo);
                        if let Some(key) = &batch.key {
                            known.insert(key.clone(), current);
                        }
                        Ok(current)
                    }
                    Err(too_large) => {
                        revert(diagram, &mut undo)?;
                        Err(too_large.into())
                    }
                },
                Ok(None) => Ok(current),
                Err(refused) => Err(refused),
            }
        };
        applied.answers.push(answer);
        applied.bodies.push(body);
    }
    Ok(applied)
}

/// The document's size after a batch of `ops_len` bytes of JSON changed it from `before` bytes:
/// estimated (it grows by at most its ops), and measured only when the estimate is over the
/// limit. Refused only when the document is over the limit and grew, so one stored under a
/// higher limit can still be edited down.
fn grown(
    diagram: &Diagram,
    before: usize,
    ops_len: usize,
    limits: &DocLimits,
) -> Result<Result<usize, crate::limits::TooLarge>, StoreError> {
    let estimate = before + ops_len;
    if limits.check_bytes(estimate).is_ok() {
        return Ok(Ok(estimate));
    }
    let size = serde_json::to_vec(diagram)?.len();
    if size > before
        && let Err(too_large) = limits.check_bytes(size)
    {
        return Ok(Err(too_large));
    }
    Ok(Ok(size))
}

/// Applies one batch to `diagram` (at revision `current`), all or none: the inner answer holds
/// the inverse ops (none when the batch is empty) or why it was refused. The outer error means
/// the document could not be put back after a refusal.
fn apply_batch(
    diagram: &mut Diagram,
    batch: &Batch,
    current: i64,
    check_all: bool,
) -> Result<Result<Option<Vec<Op>>, StoreError>, StoreError> {
    let (base, ops) = (batch.base, &batch.ops);
    if base > current {
        return Ok(Err(StoreError::FutureBase { base, current }));
    }
    if ops.is_empty() {
        return Ok(Ok(None));
    }
    let refused = |index, error| {
        if base < current {
            StoreError::Conflict { base, current }
        } else {
            StoreError::InvalidOp { index, error }
        }
    };
    let before = Size::of(diagram);
    let mut undo = Vec::with_capacity(ops.len());
    for (index, op) in ops.iter().cloned().enumerate() {
        match op.apply(diagram) {
            Ok(inverse) => undo.push(inverse),
            Err(error) => {
                revert(diagram, &mut undo)?;
                return Ok(Err(refused(index, error)));
            }
        }
    }
    // Each op checks its own rules, but not all of the document's (fuzzing found a note that
    // could take a table's id): check the result, and only when it fails find the op.
    if check_all && let Err(error) = diagram.validate_shape() {
        revert(diagram, &mut undo)?;
        let (index, error) = first_invalid(diagram.clone(), ops).unwrap_or((ops.len() - 1, error));
        return Ok(Err(refused(index, error)));
    }
    if let Err(too_large) = batch.limits.check_growth(before, diagram) {
        revert(diagram, &mut undo)?;
        return Ok(Err(too_large.into()));
    }
    Ok(Ok(Some(undo)))
}

/// Undoes the ops applied so far (their inverses, newest first; trusted, as they may put back
/// values stored under earlier rules).
pub(super) fn revert(diagram: &mut Diagram, undo: &mut Vec<Op>) -> Result<(), StoreError> {
    model::trusted(|| {
        while let Some(inverse) = undo.pop() {
            inverse.apply(diagram).map_err(StoreError::Replay)?;
        }
        Ok(())
    })
}

/// The first op of `ops` after which `doc` no longer validates.
fn first_invalid(mut doc: Diagram, ops: &[Op]) -> Option<(usize, model::OpError)> {
    for (index, op) in ops.iter().cloned().enumerate() {
        if let Err(error) = op.apply(&mut doc).and_then(|_| doc.validate_shape()) {
            return Some((index, error));
        }
    }
    None
}

/// The document of snapshot `document` (at revision `snapshot`) with `batches` replayed up to
/// `revision`, how much history that was, and the document's size as JSON.
pub(super) fn replay(
    document: String,
    snapshot: i64,
    batches: Vec<(i64, String)>,
    revision: i64,
) -> Result<(Diagram, Replay, usize), StoreError> {
    model::trusted(|| replay_trusted(document, snapshot, batches, revision))
}

/// [`replay`], with the field rules off: history recorded under earlier rules replays as it was.
fn replay_trusted(
    document: String,
    snapshot: i64,
    batches: Vec<(i64, String)>,
    revision: i64,
) -> Result<(Diagram, Replay, usize), StoreError> {
    let mut diagram: Diagram = serde_json::from_str(&document)?;
    let mut at = snapshot;
    let mut replayed = Replay::default();
    for (next, body) in batches {
        if next != at + 1 {
            return Err(StoreError::NoSuchRevision(at + 1));
        }
        replayed.bytes += body.len();
        let ops: Vec<Op> = serde_json::from_str(&body)?;
        replayed.ops += count_ops(&ops, usize::MAX);
        for op in ops {
            op.apply(&mut diagram).map_err(StoreError::Replay)?;
        }
        at = next;
    }
    if at != revision {
        return Err(StoreError::NoSuchRevision(at + 1));
    }
    let bytes = if replayed.ops == 0 {
        document.len()
    } else {
        serde_json::to_vec(&diagram)?.len()
    };
    Ok((diagram, replayed, bytes))
}

/// A history row: revision, base revision (of an op batch), JSON body (ops or a document),
/// author, batch key, and the summary's JSON (of an op batch).
pub(super) struct HistoryRow<B> {
    pub revision: i64,
    pub base: Option<i64>,
    pub body: B,
    pub author: Author,
    pub key: Option<String>,
    pub summary: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use model::{Table, TablePatch};

    use super::*;

    fn batch(base: i64, ops: Vec<Op>) -> Batch {
        Batch {
            base,
            ops,
            limits: DocLimits::default(),
            author: Author::default(),
            claim: Arc::default(),
            key: None,
        }
    }

    fn rename(table_id: model::Uuid, name: &str) -> Op {
        Op::UpdateTable {
            table_id,
            patch: TablePatch {
                name: Some(name.into()),
                ..TablePatch::default()
            },
        }
    }

    /// A batch that no longer applies is a conflict when the diagram moved on since its base,
    /// and simply invalid when it did not; one that still applies is kept, stale or not.
    #[test]
    fn refusals_are_told_apart_by_the_base() {
        let mut diagram = Diagram::new("d");
        let (kept, gone) = (Table::new("kept"), Table::new("gone"));
        let (kept_id, gone_id) = (kept.id, gone.id);
        diagram.tables.extend([kept, gone]);
        let batches = [
            batch(1, vec![Op::RemoveTable { table_id: gone_id }]),
            batch(1, vec![rename(gone_id, "late")]),
            batch(1, vec![rename(kept_id, "stale but fine")]),
            batch(3, vec![rename(gone_id, "later")]),
            batch(9, vec![rename(kept_id, "ahead")]),
        ];
        let applied = apply_group(&mut diagram, &batches, (1, 0), true, HashMap::new()).unwrap();
        let answers: Vec<String> = applied
            .answers
            .iter()
            .map(|a| match a {
                Ok(revision) => format!("ok {revision}"),
                Err(StoreError::Conflict { base, current }) => format!("conflict {base}/{current}"),
                Err(StoreError::InvalidOp { index, .. }) => format!("invalid op {index}"),
                Err(StoreError::FutureBase { base, current }) => format!("ahead {base}/{current}"),
                Err(other) => format!("{other}"),
            })
            .collect();
        assert_eq!(
            answers,
            ["ok 2", "conflict 1/2", "ok 3", "invalid op 0", "ahead 9/3"]
        );
        assert_eq!(diagram.tables.len(), 1);
        assert_eq!(diagram.tables[0].name, "stale but fine");
        // Undone, the group leaves the document as it was.
        for mut undo in applied.undo.into_iter().rev() {
            revert(&mut diagram, &mut undo).unwrap();
        }
        let names: Vec<&str> = diagram.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["kept", "gone"]);
    }

    /// History replays from a snapshot to exactly the revision asked for, and a gap in it is an
    /// error, not a document silently missing a batch.
    #[test]
    fn history_replays_to_its_revision_and_not_across_a_gap() {
        let mut diagram = Diagram::new("d");
        let table = Table::new("t");
        let id = table.id;
        diagram.tables.push(table);
        let snapshot = serde_json::to_string(&diagram).unwrap();
        let ops = |name: &str| serde_json::to_string(&[rename(id, name)]).unwrap();
        let history = vec![(3, ops("a")), (4, ops("b"))];
        let (replayed, since, _) = replay(snapshot.clone(), 2, history.clone(), 4).unwrap();
        assert_eq!(replayed.tables[0].name, "b");
        assert_eq!(since.ops, 2);
        let gap = vec![(3, ops("a")), (5, ops("b"))];
        assert!(matches!(
            replay(snapshot.clone(), 2, gap, 5),
            Err(StoreError::NoSuchRevision(4))
        ));
        assert!(matches!(
            replay(snapshot, 2, history, 5),
            Err(StoreError::NoSuchRevision(5))
        ));
    }
}
