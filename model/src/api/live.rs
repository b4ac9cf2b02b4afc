//! The messages of a diagram's live channel (`GET /api/diagrams/{id}/live`, a WebSocket): JSON
//! text frames, each an object whose `type` says what it is.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Author, ErrorDetail, Role};
use crate::{Diagram, Op};

/// The longest batch key a client may choose.
pub const MAX_KEY_LEN: usize = 64;

/// The most tables a selection shown to others may name.
pub const MAX_SELECTION: usize = 1_000;

/// What a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// An op batch made on top of revision `base`. `key` names it (unique per client): the
    /// answer and the batch's place in history carry it, and a batch sent again under the
    /// same key is not applied twice.
    Ops {
        key: String,
        base: i64,
        ops: Vec<Op>,
    },
    /// What the person has selected and is editing, shown to the others.
    Focus(Focus),
    /// Where the person's pointer is on the canvas (world units); `null` when it left it.
    Pointer { at: Option<Point> },
    /// Keeps the connection known to be alive; answered by `pong`.
    Ping,
}

/// A person's selection and the field they are editing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    #[serde(default)]
    pub selection: Vec<Uuid>,
    #[serde(default)]
    pub editing: Option<Editing>,
}

/// The field someone is typing into in the side panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editing {
    pub table: Uuid,
    /// The column, when the field is one of a column's.
    #[serde(default)]
    pub column: Option<Uuid>,
    /// The field's name, as the panel labels it (`name`, `data_type` …).
    pub field: String,
}

/// A point on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Someone connected to the diagram. One person with two tabs is two peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    /// This connection's number, unique on the diagram while it lasts.
    pub id: u64,
    /// The person's id; absent for someone viewing through a share link.
    pub user: Option<Uuid>,
    pub name: String,
    pub initials: String,
    /// A `#rrggbb` colour, the same for the same person everywhere.
    pub color: String,
    pub role: Role,
    #[serde(default)]
    pub focus: Focus,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The first message: who this connection is, what it may do, who else is here.
    Welcome {
        you: Peer,
        role: Role,
        people: Vec<Peer>,
    },
    /// A committed op batch (someone else's, or this client's own when replayed).
    Batch {
        revision: i64,
        author: Option<Author>,
        key: Option<String>,
        ops: Vec<Op>,
    },
    /// This client's batch `key` was committed as `revision`.
    Ack {
        revision: i64,
        key: String,
    },
    /// This client's batch `key` was refused; nothing of it was applied.
    Refused {
        key: String,
        error: ErrorDetail,
    },
    /// The whole document at `revision`: after a replacement (import, restore), or when the
    /// revisions missed are too many to replay.
    Document {
        revision: i64,
        author: Option<Author>,
        diagram: Diagram,
    },
    /// Everything up to `revision` has been sent: from here on changes arrive as they happen.
    Live {
        revision: i64,
    },
    Joined {
        peer: Peer,
    },
    Left {
        peer: u64,
    },
    Focus {
        peer: u64,
        focus: Focus,
    },
    Pointer {
        peer: u64,
        at: Option<Point>,
    },
    /// This connection's role changed (a share was changed).
    Role {
        role: Role,
    },
    Pong,
}

/// Close codes the server uses (4000–4999 are the application's), and what they mean.
pub mod close {
    /// The person may no longer see the diagram, or it was deleted: do not reconnect.
    pub const GONE: u16 = 4404;
    /// The client did not keep up with the changes: reconnect (and catch up).
    pub const TOO_SLOW: u16 = 4408;
    /// Too many messages, or one too large: reconnect later.
    pub const TOO_MANY: u16 = 4429;
    /// A message that is not one of the channel's.
    pub const BAD_MESSAGE: u16 = 4400;
}
