//! The current document of each diagram in use, kept in memory.
//!
//! Each diagram has a slot whose async read-write lock orders what is done to it in this process:
//! a write takes it exclusively, then the database's write lock, changes the document, commits,
//! and only then lets anyone else in; reads share it. A slot's document is checked against the
//! stored revision before use, so a write made elsewhere (another process on the same database)
//! is loaded, never lost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use model::{Diagram, Op, Uuid};
use tokio::sync::oneshot;

use super::StoreError;
use crate::limits::DocLimits;
use crate::render::{Encoded, Rendered};

/// How many diagrams stay in memory; beyond it the least recently used idle one is dropped.
const CAPACITY: usize = 64;

/// Slots of the diagrams in use.
#[derive(Clone, Default)]
pub struct Live {
    map: Arc<Mutex<Slots>>,
}

#[derive(Default)]
struct Slots {
    by_id: HashMap<Uuid, Arc<Slot>>,
    clock: u64,
}

/// One diagram's place in memory; `None` until loaded, and again after a failed write.
#[derive(Default)]
pub struct Slot {
    used: AtomicU64,
    pub doc: tokio::sync::RwLock<Option<LiveDoc>>,
    /// Op batches waiting to be written together (group commit).
    queue: Mutex<Queue>,
    /// The JSON of the latest committed revision this process has rendered: reads are answered
    /// from it without waiting for a write in progress.
    published: Mutex<Option<Published>>,
}

/// The JSON of a committed revision, and the revisions being committed after it, if any.
struct Published {
    revision: i64,
    encoded: Encoded,
    committing: Option<i64>,
}

/// The batches waiting for a slot's writer, and whether that writer is running.
#[derive(Default)]
struct Queue {
    batches: Vec<Queued>,
    writing: bool,
}

/// An op batch waiting in a slot's queue, and where its answer goes.
pub struct Queued {
    pub batch: Batch,
    pub done: oneshot::Sender<Result<i64, StoreError>>,
}

/// An op batch: its base revision, its ops, the limits it is held to, who sent it, whether its
/// sender still waits for it, and the key its sender named it by.
pub struct Batch {
    pub base: i64,
    pub ops: Vec<Op>,
    pub limits: DocLimits,
    pub author: super::Author,
    pub claim: Arc<Claim>,
    pub key: Option<String>,
}

/// Who decides a write's fate when its request runs out of time: the sender gives up on it
/// (`abandon`) or the writer starts committing it (`take`), whichever comes first. So a sender
/// that gave up (and answered 408) knows the write was never committed, and a writer that took
/// it knows its sender will wait for the answer.
#[derive(Default)]
pub struct Claim(AtomicU8);

const PENDING: u8 = 0;
const ABANDONED: u8 = 1;
const TAKEN: u8 = 2;

impl Claim {
    /// Gives the write up; false when its commit has already begun.
    pub fn abandon(&self) -> bool {
        self.settle(ABANDONED) == ABANDONED
    }

    /// Starts committing the write; false when its sender gave up.
    pub fn take(&self) -> bool {
        self.settle(TAKEN) == TAKEN
    }

    pub fn abandoned(&self) -> bool {
        self.0.load(Ordering::Acquire) == ABANDONED
    }

    /// Gives a taken write back (its group is written again): its sender may give it up again.
    pub fn release(&self) {
        let _ = self
            .0
            .compare_exchange(TAKEN, PENDING, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Moves a pending claim to `to`; returns the state it is in after.
    fn settle(&self, to: u8) -> u8 {
        match self
            .0
            .compare_exchange(PENDING, to, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => to,
            Err(now) => now,
        }
    }
}

impl Slot {
    /// Queues `batch`; true when no writer is running and the caller must start one.
    pub fn queue(&self, batch: Queued) -> bool {
        let mut queue = lock(&self.queue);
        queue.batches.push(batch);
        !std::mem::replace(&mut queue.writing, true)
    }

    /// Everything queued so far, in order; `None` when nothing is, and the writer stops.
    pub fn next_batches(&self) -> Option<Vec<Queued>> {
        let mut queue = lock(&self.queue);
        if queue.batches.is_empty() {
            queue.writing = false;
            return None;
        }
        Some(std::mem::take(&mut queue.batches))
    }

    /// The published JSON, when no read starting at stored revision `stored` must see more.
    ///
    /// That is when it is of `stored` or later, or when the revisions after it up to `stored` are
    /// a group this process is committing: none of them is answered before it is published, so a
    /// read that sees it is simply ordered before that write.
    pub fn published_for(&self, stored: i64) -> Option<Encoded> {
        let published = lock(&self.published);
        match &*published {
            Some(p) if p.revision >= stored || p.committing.is_some_and(|to| to >= stored) => {
                Some(p.encoded.clone())
            }
            _ => None,
        }
    }

    /// Marks revisions up to `to` as being committed by this process, when the published JSON
    /// is of `from`, the revision they follow.
    pub fn committing(&self, from: i64, to: i64) {
        let mut published = lock(&self.published);
        if let Some(p) = &mut *published
            && p.revision == from
        {
            p.committing = Some(to);
        }
    }

    /// Whether the published JSON is older than `revision` (or there is none).
    pub fn publishes_before(&self, revision: i64) -> bool {
        let published = lock(&self.published);
        published.as_ref().is_none_or(|p| p.revision < revision)
    }

    /// Publishes the JSON of committed `revision`, unless a later one is already out.
    pub fn publish(&self, revision: i64, encoded: Encoded) {
        let mut published = lock(&self.published);
        if published.as_ref().is_none_or(|p| p.revision < revision) {
            *published = Some(Published {
                revision,
                encoded,
                committing: None,
            });
        }
    }

    /// Forgets a commit in progress that did not finish.
    pub fn abandon(&self) {
        let mut published = lock(&self.published);
        if let Some(p) = &mut *published {
            p.committing = None;
        }
    }
}

/// Held by a slot's writer: should it panic, the batches still queued are dropped (their clients
/// told the write was interrupted) and the next batch starts a new writer.
pub struct Writer<'a>(pub &'a Slot);

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut queue = lock(&self.0.queue);
            queue.writing = false;
            queue.batches.clear();
        }
    }
}

/// A diagram's current document, its revision, and how much history follows its latest snapshot.
pub struct LiveDoc {
    pub diagram: Diagram,
    pub revision: i64,
    /// The history after the latest stored snapshot, which a load replays.
    pub since_snapshot: Replay,
    /// About how many bytes of JSON the document takes (exact after each write).
    pub bytes: usize,
    /// Its JSON pieces; readers sharing the slot take turns to update them.
    pub rendered: tokio::sync::Mutex<Rendered>,
}

/// How much history a load replays: bytes of op batches, and ops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replay {
    pub bytes: usize,
    pub ops: usize,
}

impl LiveDoc {
    /// The JSON of `DiagramState` for this revision.
    pub async fn json(&self) -> Result<Encoded, serde_json::Error> {
        self.rendered
            .lock()
            .await
            .state(&self.diagram, self.revision)
    }
}

impl Live {
    /// The slot of diagram `id`, made when missing.
    pub fn slot(&self, id: Uuid) -> Arc<Slot> {
        let mut slots = lock(&self.map);
        slots.clock += 1;
        let now = slots.clock;
        if !slots.by_id.contains_key(&id) && slots.by_id.len() >= CAPACITY {
            slots.evict_one();
        }
        let slot = slots.by_id.entry(id).or_default().clone();
        slot.used.store(now, Ordering::Relaxed);
        slot
    }

    /// Drops diagram `id` from memory (deleted, or not found).
    pub fn forget(&self, id: Uuid) {
        let mut slots = lock(&self.map);
        slots.by_id.remove(&id);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.lock().unwrap().by_id.len()
    }
}

impl Slots {
    /// Removes the least recently used slot nobody holds, if there is one.
    fn evict_one(&mut self) {
        let idle = self
            .by_id
            .iter()
            .filter(|(_, slot)| Arc::strong_count(slot) == 1)
            .min_by_key(|(_, slot)| slot.used.load(Ordering::Relaxed))
            .map(|(id, _)| *id);
        if let Some(id) = idle {
            self.by_id.remove(&id);
        }
    }
}

/// Locks `mutex` even if a panic poisoned it: every update under these locks is a single call
/// that leaves what they guard consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_at_most_capacity_idle_slots_dropping_the_least_recently_used() {
        let live = Live::default();
        let ids: Vec<Uuid> = (0..CAPACITY).map(|_| Uuid::new_v4()).collect();
        for id in &ids {
            live.slot(*id);
        }
        live.slot(ids[0]); // used again: now the most recent
        live.slot(Uuid::new_v4());
        assert_eq!(live.len(), CAPACITY);
        let slots = live.map.lock().unwrap();
        assert!(slots.by_id.contains_key(&ids[0]));
        assert!(
            !slots.by_id.contains_key(&ids[1]),
            "the oldest idle slot went"
        );
    }

    #[test]
    fn a_held_slot_is_never_evicted() {
        let live = Live::default();
        let held = live.slot(Uuid::new_v4());
        for _ in 0..CAPACITY * 2 {
            live.slot(Uuid::new_v4());
        }
        let id = live
            .map
            .lock()
            .unwrap()
            .by_id
            .iter()
            .find(|(_, s)| Arc::ptr_eq(s, &held))
            .map(|(id, _)| *id);
        assert!(id.is_some(), "the slot in use stays");
    }
}
