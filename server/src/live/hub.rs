//! The rooms of the live channel: for each diagram someone is connected to, the changes to
//! fan out and who is there.
//!
//! Fan-out never waits for a client. Committed changes go into a bounded broadcast ring per
//! diagram: sending is one push whatever the number of subscribers, each connection reads at its
//! own pace, and one that falls a whole ring behind learns it (`Lagged`) and is dropped; its
//! client reconnects and catches up from history. Presence (selections, pointers) has a ring of
//! its own, whose overflow is simply skipped: it is only ever the latest that matters.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use axum::extract::ws::Utf8Bytes;
use model::Uuid;
use model::api::live;
use model::api::live::{Focus, Peer, ServerMessage};
use tokio::sync::{broadcast, watch};

use crate::render::Encoded;

/// Changes a connection may fall behind by before it is dropped.
const COMMIT_RING: usize = 512;
/// Presence messages kept for slow readers; older ones are skipped.
const PRESENCE_RING: usize = 256;

/// Every room, and the signal that the server is shutting down.
#[derive(Clone)]
pub struct Hub {
    rooms: Arc<Mutex<HashMap<Uuid, Arc<Room>>>>,
    next_peer: Arc<AtomicU64>,
    closing: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Self {
            rooms: Arc::default(),
            next_peer: Arc::new(AtomicU64::new(1)),
            closing: watch::channel(false).0,
        }
    }
}

/// One diagram's subscribers.
pub struct Room {
    pub events: broadcast::Sender<Event>,
    pub presence: broadcast::Sender<Presence>,
    peers: Mutex<HashMap<u64, Peer>>,
}

/// What happened to a diagram, for every connection to it.
#[derive(Clone)]
pub enum Event {
    Commit(Arc<Commit>),
    /// Someone's access may have changed: each connection checks its own again.
    Recheck,
    /// The diagram was deleted.
    Gone,
}

/// A committed revision, as the write path reports it.
pub struct Commit {
    pub revision: i64,
    pub author: Option<model::api::Author>,
    pub key: Option<String>,
    pub change: Change,
    /// The message every other subscriber is sent, rendered by the first that needs it.
    message: OnceLock<Utf8Bytes>,
}

/// What a revision changed.
pub enum Change {
    /// An op batch: its ops as JSON (as history stores them).
    Ops(Arc<str>),
    /// A whole new document: `DiagramState` JSON (as `GET /api/diagrams/{id}` answers).
    Document(Encoded),
}

impl Commit {
    pub fn new(
        revision: i64,
        author: Option<model::api::Author>,
        key: Option<String>,
        change: Change,
    ) -> Self {
        Self {
            revision,
            author,
            key,
            change,
            message: OnceLock::new(),
        }
    }

    /// The `batch` or `document` message, built once for all subscribers from the JSON already
    /// at hand.
    pub fn message(&self) -> Utf8Bytes {
        self.message
            .get_or_init(|| render(self.revision, &self.author, &self.key, &self.change).into())
            .clone()
    }
}

/// The JSON of a `batch` or `document` message, pieced from stored JSON without parsing it.
pub fn render(
    revision: i64,
    author: &Option<model::api::Author>,
    key: &Option<String>,
    change: &Change,
) -> String {
    let author = serde_json::to_string(author).unwrap_or_else(|_| "null".into());
    match change {
        Change::Ops(ops) => {
            let key = serde_json::to_string(key).unwrap_or_else(|_| "null".into());
            format!(
                r#"{{"type":"batch","revision":{revision},"author":{author},"key":{key},"ops":{ops}}}"#
            )
        }
        Change::Document(encoded) => {
            // `{"diagram":…,"revision":N}` becomes `{"type":"document","author":…,"diagram":…,…}`.
            let state = String::from_utf8_lossy(&encoded.json);
            let fields = state.strip_prefix('{').unwrap_or(&state);
            format!(r#"{{"type":"document","author":{author},{fields}"#)
        }
    }
}

/// A presence message from peer `from` (it is not sent back to it).
#[derive(Clone)]
pub struct Presence {
    pub from: u64,
    pub message: Utf8Bytes,
}

/// A connection's place in a room; leaving it (drop) tells the others.
pub struct Membership {
    pub peer: u64,
    pub room: Arc<Room>,
    hub: Hub,
    diagram: Uuid,
}

/// What a connection reads of its room.
pub struct Feeds {
    pub events: broadcast::Receiver<Event>,
    pub presence: broadcast::Receiver<Presence>,
}

impl Hub {
    /// Enters `diagram`'s room as `peer` (its id is given here): returns the membership and who
    /// else is there. Subscribed before anything is read from history, so no commit falls
    /// between the two.
    pub fn join(&self, diagram: Uuid, mut peer: Peer) -> (Membership, Feeds, Peer, Vec<Peer>) {
        peer.id = self.next_peer.fetch_add(1, Ordering::Relaxed);
        let room = lock(&self.rooms)
            .entry(diagram)
            .or_insert_with(|| {
                Arc::new(Room {
                    events: broadcast::channel(COMMIT_RING).0,
                    presence: broadcast::channel(PRESENCE_RING).0,
                    peers: Mutex::default(),
                })
            })
            .clone();
        let events = room.events.subscribe();
        let presence = room.presence.subscribe();
        let others: Vec<Peer> = {
            let mut peers = lock(&room.peers);
            let others = peers.values().cloned().collect();
            peers.insert(peer.id, peer.clone());
            others
        };
        room.tell(
            peer.id,
            &ServerMessage::Joined(live::Joined { peer: peer.clone() }),
        );
        let membership = Membership {
            peer: peer.id,
            room,
            hub: self.clone(),
            diagram,
        };
        (membership, Feeds { events, presence }, peer, others)
    }

    /// Sends a committed revision of `diagram` to everyone connected to it (nobody: nothing).
    pub fn commit(&self, diagram: Uuid, commit: Commit) {
        if let Some(room) = self.room(diagram) {
            let _ = room.events.send(Event::Commit(Arc::new(commit)));
        }
    }

    /// Asks the connections to `diagram` (every diagram: `None`) to check their access again.
    pub fn recheck(&self, diagram: Option<Uuid>) {
        let rooms: Vec<Arc<Room>> = match diagram {
            Some(id) => self.room(id).into_iter().collect(),
            None => lock(&self.rooms).values().cloned().collect(),
        };
        for room in rooms {
            let _ = room.events.send(Event::Recheck);
        }
    }

    /// Tells the connections to `diagram` that it was deleted.
    pub fn gone(&self, diagram: Uuid) {
        if let Some(room) = self.room(diagram) {
            let _ = room.events.send(Event::Gone);
        }
    }

    /// Tells every connection that the server is shutting down.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once the server is shutting down.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// How many connections there are to `diagram`.
    pub fn connections(&self, diagram: Uuid) -> usize {
        self.room(diagram).map_or(0, |room| lock(&room.peers).len())
    }

    fn room(&self, diagram: Uuid) -> Option<Arc<Room>> {
        lock(&self.rooms).get(&diagram).cloned()
    }
}

impl Room {
    /// Sends a presence message to everyone in the room but `from`.
    pub fn tell(&self, from: u64, message: &ServerMessage) {
        if let Ok(json) = serde_json::to_string(message) {
            let _ = self.presence.send(Presence {
                from,
                message: json.into(),
            });
        }
    }
}

impl Membership {
    /// Records and shows the peer's new focus.
    pub fn focus(&self, focus: Focus) {
        if let Some(peer) = lock(&self.room.peers).get_mut(&self.peer) {
            peer.focus = focus.clone();
        }
        let message = ServerMessage::Focus(live::PeerFocus {
            peer: self.peer,
            focus,
        });
        self.room.tell(self.peer, &message);
    }

    /// Records the peer's new role (shown in the list of people).
    pub fn set_role(&self, role: model::api::Role) {
        let peer = lock(&self.room.peers).get_mut(&self.peer).map(|peer| {
            peer.role = role;
            peer.clone()
        });
        if let Some(peer) = peer {
            self.room
                .tell(self.peer, &ServerMessage::Joined(live::Joined { peer }));
        }
    }

    /// Everyone in the room now, this peer included.
    pub fn people(&self) -> Vec<Peer> {
        lock(&self.room.peers).values().cloned().collect()
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let empty = {
            let mut peers = lock(&self.room.peers);
            peers.remove(&self.peer);
            peers.is_empty()
        };
        self.room.tell(
            self.peer,
            &ServerMessage::Left(live::Left { peer: self.peer }),
        );
        if empty {
            let mut rooms = lock(&self.hub.rooms);
            // Someone may have joined since: only a room still empty goes.
            if let Some(room) = rooms.get(&self.diagram)
                && Arc::ptr_eq(room, &self.room)
                && lock(&room.peers).is_empty()
            {
                rooms.remove(&self.diagram);
            }
        }
    }
}

/// Locks `mutex` even if a panic poisoned it: every update under these locks is a single call.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
