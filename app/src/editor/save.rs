//! Saving as the person works: own edits go to the server over the live channel in ordered
//! batches, one at a time, each named by a key so that one sent again after a lost answer is
//! never applied twice.
//!
//! Unconfirmed edits are also kept in localStorage, so a reload, a crash or a lost connection
//! loses nothing: they are re-applied and sent when the editor opens again.

use std::time::Duration;

use leptos::prelude::*;
use model::api::live::ClientMessage;
use model::{Op, Uuid};
use serde::{Deserialize, Serialize};

use super::state::Editor;

/// What the save indicator says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Saved,
    Saving,
    Offline,
    /// Some own edits no longer applied after others' changes; the text says how many.
    Conflict(String),
}

impl SaveStatus {
    pub fn label(&self) -> &'static str {
        match self {
            SaveStatus::Saved => "Saved",
            SaveStatus::Saving => "Saving…",
            SaveStatus::Offline => "Offline — changes kept",
            SaveStatus::Conflict(_) => "Conflict — merged",
        }
    }
}

/// Quiet time before a batch goes out, so a burst of edits travels together.
const DEBOUNCE: Duration = Duration::from_millis(80);

/// The unsent work, as kept in localStorage. On restore the ops are re-applied to the document
/// just loaded, so the revision they started from is not needed.
#[derive(Serialize, Deserialize)]
struct Stash {
    ops: Vec<Op>,
}

#[derive(Clone, Copy)]
pub struct Saver {
    diagram: Uuid,
    /// This editor's name in batch keys; with `seq`, each batch's key is its own.
    client: StoredValue<String>,
    seq: StoredValue<u64>,
    scheduled: StoredValue<bool>,
    pub status: RwSignal<SaveStatus>,
}

impl Saver {
    pub fn new(diagram: Uuid) -> Self {
        let client = Uuid::new_v4().simple().to_string()[..12].to_string();
        Self {
            diagram,
            client: StoredValue::new(client),
            seq: StoredValue::new(0),
            scheduled: StoredValue::new(false),
            status: RwSignal::new(SaveStatus::Saved),
        }
    }

    pub fn diagram_id(&self) -> Uuid {
        self.diagram
    }

    /// An own edit was made (it waits in the replica): keep it, and send it soon.
    pub fn changed(&self, editor: Editor) {
        if editor.read_only {
            return;
        }
        self.stash(editor);
        self.status.set(if editor.live.is_live() {
            SaveStatus::Saving
        } else {
            SaveStatus::Offline
        });
        self.schedule(editor, DEBOUNCE);
    }

    /// Re-applies work a previous visit left unsent (it is sent once the channel is live). Not
    /// for a read-only editor: the work stays stashed for when the person may edit again.
    pub fn restore(&self, editor: Editor) {
        if editor.read_only {
            return;
        }
        let Some(stash) = read_stash(self.diagram) else {
            return;
        };
        let kept = editor
            .with_replica(|r| {
                stash
                    .ops
                    .into_iter()
                    .filter(|op| r.edit(op.clone()).is_ok())
                    .count()
            })
            .unwrap_or(0);
        if kept == 0 {
            clear_stash(self.diagram);
            return;
        }
        self.stash(editor);
        self.status.set(SaveStatus::Offline);
    }

    fn schedule(&self, editor: Editor, after: Duration) {
        if self.scheduled.get_value() {
            return;
        }
        self.scheduled.set_value(true);
        let saver = *self;
        set_timeout(
            move || {
                saver.scheduled.set_value(false);
                saver.flush(editor);
            },
            after,
        );
    }

    /// Sends the pending edits as one batch, unless one is already out (its answer sends the
    /// rest) or the channel is not live (they go when it is).
    pub fn flush(&self, editor: Editor) {
        if editor.read_only {
            return;
        }
        if !editor.live.is_live() {
            if editor.has_unsaved() {
                self.status.set(SaveStatus::Offline);
            }
            return;
        }
        let key = self.next_key();
        let Some(Some((base, ops))) = editor.replica_mut(|r| r.send(key.clone())) else {
            return;
        };
        editor.live.send(&ClientMessage::Ops { key, base, ops });
    }

    fn next_key(&self) -> String {
        self.seq.update_value(|n| *n += 1);
        format!("{}:{}", self.client.get_value(), self.seq.get_value())
    }

    /// The channel is live again: the batch that had no answer goes again under its key, or
    /// the pending edits go.
    pub fn resume(&self, editor: Editor) {
        let again = editor
            .replica(|r| {
                r.in_flight()
                    .map(|(key, base, ops)| (key.to_string(), base, ops.to_vec()))
            })
            .flatten();
        match again {
            Some((key, base, ops)) => editor.live.send(&ClientMessage::Ops { key, base, ops }),
            None => self.flush(editor),
        }
        self.settled(editor, 0);
    }

    /// After an answer or others' change: keeps the stash in step, sends what waits, and says
    /// how things stand; `dropped` own edits no longer applied. A conflict notice stays until
    /// the person's next edit.
    pub fn settled(&self, editor: Editor, dropped: usize) {
        self.stash(editor);
        if dropped > 0 {
            let message = match dropped {
                1 => "Someone else changed this diagram; 1 edit of yours no longer applied and was dropped.".to_string(),
                n => format!("Someone else changed this diagram; {n} edits of yours no longer applied and were dropped."),
            };
            self.status.set(SaveStatus::Conflict(message));
        }
        let (live, unsaved) = (editor.live.is_live(), editor.has_unsaved());
        if unsaved && live {
            self.flush(editor);
        }
        let conflict = matches!(self.status.get_untracked(), SaveStatus::Conflict(_));
        let next = match (unsaved, live) {
            (true, false) => SaveStatus::Offline,
            _ if conflict => return,
            (true, true) => SaveStatus::Saving,
            (false, _) => SaveStatus::Saved,
        };
        if self.status.get_untracked() != next {
            self.status.set(next);
        }
    }

    /// The channel went away: what is unsent waits for it.
    pub fn disconnected(&self, editor: Editor) {
        if !editor.read_only && editor.has_unsaved() {
            self.status.set(SaveStatus::Offline);
        }
    }

    fn stash(&self, editor: Editor) {
        let ops = editor.replica(|r| r.unconfirmed()).unwrap_or_default();
        if ops.is_empty() {
            clear_stash(self.diagram);
        } else {
            write_stash(self.diagram, &Stash { ops });
        }
    }
}

fn stash_key(diagram: Uuid) -> String {
    format!("tablewright.pending.{diagram}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn read_stash(diagram: Uuid) -> Option<Stash> {
    let text = storage()?.get_item(&stash_key(diagram)).ok()??;
    serde_json::from_str(&text).ok()
}

fn write_stash(diagram: Uuid, stash: &Stash) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(stash)) {
        let _ = storage.set_item(&stash_key(diagram), &text);
    }
}

fn clear_stash(diagram: Uuid) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&stash_key(diagram));
    }
}
