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

/// What the server sends: a `type` and the fields of its body.
///
/// Read by hand rather than as a derived internally tagged enum: serde buffers such an enum's
/// fields before reading them, which would compile a second reader of the whole document into
/// the browser's bundle. The server always writes `type` first; the body is read straight from
/// the rest of the object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// The first message: who this connection is, what it may do, who else is here.
    Welcome(Welcome),
    /// A committed op batch (someone else's, or this client's own when replayed).
    Batch(Batch),
    /// This client's batch was committed.
    Ack(Ack),
    /// This client's batch was refused; nothing of it was applied.
    Refused(Refused),
    /// The whole document: after a replacement (import, restore), or when the revisions missed
    /// are too many to replay.
    Document(Document),
    /// Everything up to `revision` has been sent: from here on changes arrive as they happen.
    Live(CaughtUp),
    Joined(Joined),
    Left(Left),
    Focus(PeerFocus),
    Pointer(PeerPointer),
    /// This connection's role changed (a share was changed).
    Role(RoleChanged),
    Pong,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub you: Peer,
    pub role: Role,
    pub people: Vec<Peer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    pub revision: i64,
    pub author: Option<Author>,
    pub key: Option<String>,
    pub ops: Vec<Op>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ack {
    pub revision: i64,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    pub key: String,
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub revision: i64,
    pub author: Option<Author>,
    pub diagram: Diagram,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaughtUp {
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    pub peer: Peer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Left {
    pub peer: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerFocus {
    pub peer: u64,
    pub focus: Focus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerPointer {
    pub peer: u64,
    pub at: Option<Point>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleChanged {
    pub role: Role,
}

impl<'de> Deserialize<'de> for ServerMessage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MessageVisitor)
    }
}

struct MessageVisitor;

impl<'de> serde::de::Visitor<'de> for MessageVisitor {
    type Value = ServerMessage;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a live channel message: an object whose first field is `type`")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<ServerMessage, A::Error> {
        use serde::de::Error;
        use serde::de::value::MapAccessDeserializer;
        if map.next_key::<std::borrow::Cow<'de, str>>()?.as_deref() != Some("type") {
            return Err(A::Error::custom("the first field must be `type`"));
        }
        let kind: std::borrow::Cow<'de, str> = map.next_value()?;
        let rest = MapAccessDeserializer::new(map);
        Ok(match kind.as_ref() {
            "welcome" => ServerMessage::Welcome(Welcome::deserialize(rest)?),
            "batch" => ServerMessage::Batch(Batch::deserialize(rest)?),
            "ack" => ServerMessage::Ack(Ack::deserialize(rest)?),
            "refused" => ServerMessage::Refused(Refused::deserialize(rest)?),
            "document" => ServerMessage::Document(Document::deserialize(rest)?),
            "live" => ServerMessage::Live(CaughtUp::deserialize(rest)?),
            "joined" => ServerMessage::Joined(Joined::deserialize(rest)?),
            "left" => ServerMessage::Left(Left::deserialize(rest)?),
            "focus" => ServerMessage::Focus(PeerFocus::deserialize(rest)?),
            "pointer" => ServerMessage::Pointer(PeerPointer::deserialize(rest)?),
            "role" => ServerMessage::Role(RoleChanged::deserialize(rest)?),
            "pong" => {
                serde::de::IgnoredAny::deserialize(rest)?;
                ServerMessage::Pong
            }
            other => return Err(A::Error::unknown_variant(other, KINDS)),
        })
    }
}

const KINDS: &[&str] = &[
    "welcome", "batch", "ack", "refused", "document", "live", "joined", "left", "focus", "pointer",
    "role", "pong",
];

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
