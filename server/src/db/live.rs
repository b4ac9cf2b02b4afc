//! The current document of each diagram in use, kept in memory.
//!
//! Each diagram has a slot whose async read-write lock orders what is done to it in this process:
//! a write takes it exclusively, then the database's write lock, changes the document, commits,
//! and only then lets anyone else in; reads share it. A slot's document is checked against the
//! stored revision before use, so a write made elsewhere (another process on the same database)
//! is loaded, never lost.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use model::{Diagram, Op, Uuid};
use tokio::sync::oneshot;

use super::StoreError;
use super::render::Rendered;
use crate::limits::DocLimits;

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
    queue: Mutex<Vec<Queued>>,
}

/// An op batch waiting in a slot's queue, and where its answer goes.
pub struct Queued {
    pub base: i64,
    pub ops: Vec<Op>,
    pub limits: DocLimits,
    pub done: oneshot::Sender<Result<i64, StoreError>>,
}

impl Slot {
    pub fn queue(&self, batch: Queued) {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(batch);
    }

    /// Everything queued so far, in order.
    pub fn take_queue(&self) -> Vec<Queued> {
        std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A diagram's current document, its revision, and where its latest snapshot is.
pub struct LiveDoc {
    pub diagram: Diagram,
    pub revision: i64,
    /// The revision of the latest stored snapshot.
    pub snapshot: i64,
    /// Its JSON pieces; readers sharing the slot take turns to update them.
    pub rendered: tokio::sync::Mutex<Rendered>,
}

impl LiveDoc {
    /// The JSON of `DiagramState` for this revision.
    pub async fn json(&self) -> Result<Bytes, serde_json::Error> {
        self.rendered
            .lock()
            .await
            .state(&self.diagram, self.revision)
    }
}

impl Live {
    /// The slot of diagram `id`, made when missing.
    pub fn slot(&self, id: Uuid) -> Arc<Slot> {
        let mut slots = self.map.lock().unwrap_or_else(|e| e.into_inner());
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
        let mut slots = self.map.lock().unwrap_or_else(|e| e.into_inner());
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
