//! One client's copy of a shared diagram, kept in step with the server's order of changes.
//!
//! The server's commit order is the truth. A replica holds the document as of the last
//! revision it has seen, with its own unconfirmed edits on top: the batch in flight (`sent`)
//! and the edits not sent yet (`pending`). When another person's batch arrives, the replica
//! takes its own edits off (their inverses, newest first), applies the batch, and puts its own
//! edits back: exactly what the server does with a stale batch (it applies it on top), so both
//! ends reach the same document. An own edit that no longer applies is dropped; the batch in
//! flight is all or none, as on the server, which will refuse it.

use crate::{Diagram, Op, OpError};

/// An edit with the op that takes it off again.
#[derive(Debug, Clone)]
struct Edit {
    op: Op,
    inverse: Op,
}

/// The batch waiting for the server's answer.
#[derive(Debug, Clone)]
struct Sent {
    key: String,
    ops: Vec<Op>,
    /// The inverses of `ops`, in order; `None` while they do not apply here (the server will
    /// refuse the batch too, unless a change committed before it makes it apply again).
    undo: Option<Vec<Op>>,
}

/// A client's document: the server's revision it is based on, plus its own unconfirmed edits.
#[derive(Debug, Clone)]
pub struct Replica {
    doc: Diagram,
    revision: i64,
    sent: Option<Sent>,
    pending: Vec<Edit>,
    /// Own edits are off the document while the replica catches up (see [`Replica::hold`]).
    held: bool,
    /// Edits dropped when an edit ended a hold early, to report with the next release.
    unreported: usize,
}

/// What a change from the server did to the replica.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebased {
    /// Own edits that no longer applied and were dropped.
    pub dropped: usize,
    /// The change was the replica's own batch, confirmed.
    pub own: bool,
}

/// Why a change from the server could not be taken in: the replica needs the whole document
/// again (`Replica::reset`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutOfStep {
    #[error("revision {got} arrived after {had}; revisions in between are missing")]
    Gap { had: i64, got: i64 },
    #[error("a change from the server does not apply: {0}")]
    Refused(OpError),
    #[error("the server confirmed an own batch that no longer applies here")]
    Diverged,
}

impl Replica {
    pub fn new(doc: Diagram, revision: i64) -> Self {
        Self {
            doc,
            revision,
            sent: None,
            pending: Vec::new(),
            held: false,
            unreported: 0,
        }
    }

    /// Takes the own edits off the document until [`Replica::release`], for catching up on a
    /// reconnection: the missed commits are applied one after another under them, and the own
    /// edits go back once, on the latest document, as the server will apply them. Putting them
    /// back after each missed commit would drop an edit that collides only with a state in
    /// between (a table added under a default name that the next commit renames).
    pub fn hold(&mut self) {
        if self.held {
            return;
        }
        self.take_off();
        self.held = true;
    }

    /// Puts the own edits back after a hold; returns how many no longer applied.
    pub fn release(&mut self) -> usize {
        let mut dropped = std::mem::take(&mut self.unreported);
        if self.held {
            self.held = false;
            dropped += self.put_back();
        }
        dropped
    }

    /// The document as this client sees it (own unconfirmed edits included).
    pub fn doc(&self) -> &Diagram {
        &self.doc
    }

    /// The last server revision taken in.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// True while some own edit is not confirmed by the server.
    pub fn has_unconfirmed(&self) -> bool {
        self.sent.is_some() || !self.pending.is_empty()
    }

    /// The key of the batch in flight.
    pub fn sent_key(&self) -> Option<&str> {
        self.sent.as_ref().map(|s| s.key.as_str())
    }

    /// The batch in flight again, for a new connection (the server knows it by its key, so a
    /// batch that was committed already is not applied twice).
    pub fn in_flight(&self) -> Option<(&str, i64, &[Op])> {
        self.sent
            .as_ref()
            .map(|s| (s.key.as_str(), self.revision, s.ops.as_slice()))
    }

    /// Every own edit not confirmed yet, in order (what to keep if the page closes).
    pub fn unconfirmed(&self) -> Vec<Op> {
        let sent = self.sent.iter().flat_map(|s| s.ops.iter().cloned());
        sent.chain(self.pending.iter().map(|e| e.op.clone()))
            .collect()
    }

    /// Applies an own edit and keeps it to be sent; returns the op that undoes it.
    pub fn edit(&mut self, op: Op) -> Result<Op, OpError> {
        if self.held {
            // Edits go on top of the own ones: the hold ends early.
            self.unreported += self.release();
        }
        let inverse = op.clone().apply(&mut self.doc)?;
        self.pending.push(Edit {
            op,
            inverse: inverse.clone(),
        });
        Ok(inverse)
    }

    /// Makes the pending edits the batch in flight, under `key`, when none is: its base revision
    /// and ops, to send.
    pub fn send(&mut self, key: String) -> Option<(i64, Vec<Op>)> {
        if self.sent.is_some() || self.pending.is_empty() {
            return None;
        }
        let (ops, undo) = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|e| (e.op, e.inverse))
            .unzip();
        let ops: Vec<Op> = ops;
        self.sent = Some(Sent {
            key,
            ops: ops.clone(),
            undo: Some(undo),
        });
        Some((self.revision, ops))
    }

    /// Takes in committed revision `revision`: the replica's own batch when `key` is its key,
    /// else someone else's `ops`, rebased under the own edits.
    pub fn committed(
        &mut self,
        revision: i64,
        key: Option<&str>,
        ops: &[Op],
    ) -> Result<Rebased, OutOfStep> {
        if revision <= self.revision {
            return Ok(Rebased::default());
        }
        if revision != self.revision + 1 {
            return Err(OutOfStep::Gap {
                had: self.revision,
                got: revision,
            });
        }
        if key.is_some() && key == self.sent_key() {
            let sent = self.sent.take().expect("matched");
            self.revision = revision;
            if self.held {
                // The document holds no own edits now: the confirmed batch goes on as a commit.
                return match apply_all(&mut self.doc, &sent.ops) {
                    Some(_) => Ok(Rebased {
                        dropped: 0,
                        own: true,
                    }),
                    None => Err(OutOfStep::Diverged),
                };
            }
            if sent.undo.is_none() {
                // Confirmed, though it no longer applied here: only the server's copy is sure.
                return Err(OutOfStep::Diverged);
            }
            return Ok(Rebased {
                dropped: 0,
                own: true,
            });
        }
        let dropped = self.rebase(|doc| {
            crate::trusted(|| {
                for op in ops {
                    op.clone().apply(doc).map_err(OutOfStep::Refused)?;
                }
                Ok(())
            })
        })?;
        self.revision = revision;
        Ok(Rebased {
            dropped,
            own: false,
        })
    }

    /// The server refused the batch in flight (`key`): it is taken off; returns how many of its
    /// edits were dropped.
    pub fn refused(&mut self, key: &str) -> usize {
        if self.sent_key() != Some(key) {
            return 0;
        }
        let sent = self.sent.take().expect("matched");
        let count = sent.ops.len();
        if self.held {
            return count;
        }
        let Some(undo) = sent.undo else {
            return count;
        };
        let taken_off = self.rebase(|doc| {
            crate::trusted(|| {
                for inverse in undo.into_iter().rev() {
                    inverse.apply(doc)?;
                }
                Ok::<_, OpError>(())
            })
        });
        count + taken_off.unwrap_or(0)
    }

    /// Starts again from the server's whole document at `revision` (a replacement, or a gap
    /// too large to replay), with the own edits put back on top; returns how many were dropped.
    pub fn reset(&mut self, doc: Diagram, revision: i64) -> usize {
        self.doc = doc;
        self.revision = revision;
        self.held = false;
        std::mem::take(&mut self.unreported) + self.put_back()
    }

    /// Takes the own edits off, runs `change` on the document under them, and puts them back;
    /// returns how many no longer applied. When `change` fails, the document is left half
    /// changed: the caller starts again from the server's (`reset`).
    fn rebase<E>(
        &mut self,
        change: impl FnOnce(&mut Diagram) -> Result<(), E>,
    ) -> Result<usize, E> {
        if self.held {
            return change(&mut self.doc).map(|()| 0);
        }
        self.take_off();
        let changed = change(&mut self.doc);
        let dropped = self.put_back();
        changed.map(|()| dropped)
    }

    /// Takes the own edits off the document: the pending ones newest first, then the batch in
    /// flight.
    fn take_off(&mut self) {
        crate::trusted(|| {
            for edit in self.pending.iter().rev() {
                edit.inverse
                    .clone()
                    .apply(&mut self.doc)
                    .expect("an edit's inverse applies right after it");
            }
            if let Some(undo) = self.sent.as_ref().and_then(|s| s.undo.as_ref()) {
                for inverse in undo.iter().rev() {
                    inverse
                        .clone()
                        .apply(&mut self.doc)
                        .expect("an edit's inverse applies right after it");
                }
            }
        });
    }

    /// Puts the own edits back on the document: the batch in flight all or none, then each
    /// pending edit that still applies; returns how many pending edits were dropped.
    ///
    /// The batch in flight is tried even when it did not apply before: a later change (a table
    /// removed that held the name it takes) can make it apply again, as it will on the server.
    fn put_back(&mut self) -> usize {
        if let Some(sent) = &mut self.sent {
            sent.undo = apply_all(&mut self.doc, &sent.ops);
        }
        let mut dropped = 0;
        for edit in std::mem::take(&mut self.pending) {
            match edit.op.clone().apply(&mut self.doc) {
                Ok(inverse) => self.pending.push(Edit {
                    op: edit.op,
                    inverse,
                }),
                Err(_) => dropped += 1,
            }
        }
        dropped
    }
}

/// Applies `ops` in order, all or none; their inverses when all applied.
fn apply_all(doc: &mut Diagram, ops: &[Op]) -> Option<Vec<Op>> {
    let mut undo = Vec::with_capacity(ops.len());
    for op in ops {
        match op.clone().apply(doc) {
            Ok(inverse) => undo.push(inverse),
            Err(_) => {
                crate::trusted(|| {
                    for inverse in undo.drain(..).rev() {
                        inverse
                            .apply(doc)
                            .expect("an inverse applies right after its op");
                    }
                });
                return None;
            }
        }
    }
    Some(undo)
}
