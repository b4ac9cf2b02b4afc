//! Saving as the person works: ops go to the server in ordered batches, one request at a time.
//!
//! Pending ops are also kept in localStorage, so a reload, a crash or a lost connection loses
//! nothing: they are re-applied and sent when the editor opens again. On a conflict the editor
//! reloads the server's document and re-applies what still applies.

use std::time::Duration;

use leptos::prelude::*;
use model::{Op, Uuid};
use serde::{Deserialize, Serialize};

use super::state::Editor;
use crate::client::{self, Failure};

/// What the save indicator says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Saved,
    Saving,
    Offline,
    /// Reloaded after a conflict; the text says what was dropped.
    Conflict(String),
}

impl SaveStatus {
    pub fn label(&self) -> &'static str {
        match self {
            SaveStatus::Saved => "Saved",
            SaveStatus::Saving => "Saving…",
            SaveStatus::Offline => "Offline — changes kept",
            SaveStatus::Conflict(_) => "Conflict — reloaded",
        }
    }
}

/// Quiet time before a batch goes out, so a burst of edits travels together.
const DEBOUNCE: Duration = Duration::from_millis(250);
/// Wait before trying again when the server cannot be reached.
const RETRY: Duration = Duration::from_secs(2);

/// The unsent work, as kept in localStorage. On restore the ops are re-applied to the document
/// just loaded, so the revision they started from is not needed.
#[derive(Serialize, Deserialize)]
struct Stash {
    ops: Vec<Op>,
}

#[derive(Clone, Copy)]
pub struct Saver {
    diagram: Uuid,
    revision: StoredValue<i64>,
    pending: StoredValue<Vec<Op>>,
    in_flight: StoredValue<bool>,
    scheduled: StoredValue<bool>,
    pub status: RwSignal<SaveStatus>,
}

impl Saver {
    pub fn new(diagram: Uuid, revision: i64) -> Self {
        Self {
            diagram,
            revision: StoredValue::new(revision),
            pending: StoredValue::new(Vec::new()),
            in_flight: StoredValue::new(false),
            scheduled: StoredValue::new(false),
            status: RwSignal::new(SaveStatus::Saved),
        }
    }

    pub fn diagram_id(&self) -> Uuid {
        self.diagram
    }

    /// True while some edit has not reached the server.
    pub fn has_unsaved(&self) -> bool {
        self.pending.with_value(|p| !p.is_empty())
    }

    pub fn push(&self, editor: Editor, op: Op) {
        if editor.read_only {
            return;
        }
        self.pending.update_value(|p| p.push(op));
        self.stash();
        if self.status.get_untracked() != SaveStatus::Offline {
            self.status.set(SaveStatus::Saving);
        }
        self.schedule(editor, DEBOUNCE);
    }

    /// Re-applies work a previous visit left unsent, and sends it. Not for a read-only editor:
    /// the work stays stashed for when the person may edit again.
    pub fn restore(&self, editor: Editor) {
        if editor.read_only {
            return;
        }
        let Some(stash) = read_stash(self.diagram) else {
            return;
        };
        let mut doc = editor.document();
        let kept: Vec<Op> = stash
            .ops
            .into_iter()
            .filter(|op| op.clone().apply(&mut doc).is_ok())
            .collect();
        if kept.is_empty() {
            clear_stash(self.diagram);
            return;
        }
        editor.replace_document(doc);
        self.pending.set_value(kept);
        self.status.set(SaveStatus::Saving);
        self.schedule(editor, Duration::ZERO);
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

    /// Sends the pending ops, unless a request is already out (its answer sends the rest).
    fn flush(&self, editor: Editor) {
        if editor.read_only || self.in_flight.get_value() || !self.has_unsaved() {
            return;
        }
        let batch = self.pending.get_value();
        let sent = batch.len();
        let base = self.revision.get_value();
        self.in_flight.set_value(true);
        let saver = *self;
        leptos::task::spawn_local(async move {
            let answer = client::apply_ops(saver.diagram, base, batch).await;
            saver.in_flight.set_value(false);
            match answer {
                Ok(saved) => {
                    saver.revision.set_value(saved.revision);
                    saver.pending.update_value(|p| {
                        p.drain(..sent.min(p.len()));
                    });
                    saver.stash();
                    if saver.has_unsaved() {
                        saver.flush(editor);
                    } else if !matches!(saver.status.get_untracked(), SaveStatus::Conflict(_)) {
                        saver.status.set(SaveStatus::Saved);
                    }
                }
                Err(Failure::Unreachable) => {
                    saver.status.set(SaveStatus::Offline);
                    saver.schedule(editor, RETRY);
                }
                // The session ended: the work is stashed; it is sent after signing in again.
                Err(e) if e.is_signed_out() => {
                    saver.status.set(SaveStatus::Offline);
                    crate::session::to_signin();
                }
                Err(Failure::Refused { detail, .. }) if detail.code == "conflict" => {
                    saver.rebase(editor, 0).await
                }
                // Refused for itself (not for others' changes): drop the batch, keep the rest.
                Err(_) => saver.rebase(editor, sent).await,
            }
        });
    }

    /// Reloads the server's document, re-applies the pending ops that still apply (after dropping
    /// the first `refused`), and tells the person how many did not.
    async fn rebase(&self, editor: Editor, refused: usize) {
        let state = match client::diagram(self.diagram).await {
            Ok(state) => state,
            Err(_) => {
                self.status.set(SaveStatus::Offline);
                self.schedule(editor, RETRY);
                return;
            }
        };
        let mut doc = state.diagram;
        let mut kept = Vec::new();
        let mut dropped = refused;
        for op in self.pending.get_value().into_iter().skip(refused) {
            match op.clone().apply(&mut doc) {
                Ok(_) => kept.push(op),
                Err(_) => dropped += 1,
            }
        }
        self.revision.set_value(state.revision);
        self.pending.set_value(kept);
        self.stash();
        editor.replace_document(doc);
        let message = match dropped {
            0 => "Someone else changed this diagram; your edits were re-applied.".to_string(),
            1 => "Someone else changed this diagram; 1 edit of yours no longer applied and was dropped.".to_string(),
            n => format!("Someone else changed this diagram; {n} edits of yours no longer applied and were dropped."),
        };
        self.status.set(SaveStatus::Conflict(message));
        self.schedule(editor, Duration::ZERO);
    }

    fn stash(&self) {
        let ops = self.pending.get_value();
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
