//! The JSON bodies of the HTTP API, shared by the server and the browser client.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Diagram, Op};

pub mod live;
mod people;
mod webhooks;
pub use people::*;
pub use webhooks::*;

/// One row of `GET /api/diagrams`: a diagram the caller may see, and how they came to see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagramSummary {
    pub id: Uuid,
    pub name: String,
    pub table_count: u32,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// The caller's role on it (the highest of ownership, a share and a team membership).
    pub role: Role,
    /// The person who created it (absent only for a diagram stored before accounts existed and
    /// not yet claimed).
    pub owner: Option<User>,
    /// The team it belongs to, if any.
    pub team: Option<TeamRef>,
}

impl DiagramSummary {
    /// Where Home lists it: a team's section, the caller's own, or shared with the caller.
    pub fn section(&self, me: Uuid) -> Section {
        match (&self.team, &self.owner) {
            (Some(team), _) => Section::Team(team.id),
            (None, Some(owner)) if owner.id == me => Section::Mine,
            _ => Section::Shared,
        }
    }
}

/// A section of Home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Mine,
    Shared,
    Team(Uuid),
}

/// `POST /api/diagrams`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDiagram {
    #[serde(default)]
    pub name: Option<String>,
    /// Create it in this team (the caller must be one of its editors or admins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
}

/// A diagram as stored now: `GET /api/diagrams/{id}`, and the answer to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagramState {
    pub diagram: Diagram,
    pub revision: i64,
}

/// `POST /api/diagrams/{id}/ops`: ops made by a client that had seen `base_revision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpBatch {
    pub base_revision: i64,
    pub ops: Vec<Op>,
    /// A name for the batch, unique per client: sent again under the same key (after a lost
    /// answer), it is answered with the revision it was committed as, not applied twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// `PUT /api/diagrams/{id}`: a whole new document (import, restore).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub base_revision: i64,
    pub diagram: Diagram,
}

/// The revision a write produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub revision: i64,
}

/// One entry of a diagram's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub revision: i64,
    /// `create`, `replace` or `ops`.
    pub kind: String,
    /// Ops in the batch (0 for `create` and `replace`).
    pub op_count: u32,
    pub created_at: String,
    /// Who made it; absent for changes stored before accounts existed.
    #[serde(default)]
    pub author: Option<Author>,
    /// What an op batch did, one line per change (`renamed column customer.nm to name`); empty
    /// for whole documents and for batches stored before summaries were kept.
    #[serde(default)]
    pub summary: Vec<String>,
}

/// A named version: a revision a person gave a name ("v1.2 deployed").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub id: Uuid,
    pub revision: i64,
    pub name: String,
    pub created_at: String,
    #[serde(default)]
    pub author: Option<Author>,
}

/// `POST /api/diagrams/{id}/versions`: names `revision` (the current one when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    pub name: String,
    #[serde(default)]
    pub revision: Option<i64>,
}

/// `PATCH /api/diagrams/{id}/versions/{version_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionPatch {
    pub name: String,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: `code` is stable for programs, `message` is for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// On `conflict`: the revision the server has now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
    /// On `invalid_op`: the position of the refused op in the batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op_index: Option<usize>,
}

/// The answer to `POST /api/ddl/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportAnswer {
    /// The dialect used (the guess, for `auto`).
    pub dialect: String,
    /// The diagram written to; absent for a preview.
    pub diagram_id: Option<Uuid>,
    pub revision: Option<i64>,
    pub report: ImportSummary,
}

/// What an import read: the diagram, and every statement it did not turn into the diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub diagram: Diagram,
    pub skipped: Vec<SkippedStatement>,
    pub errors: Vec<ImportError>,
    pub warnings: Vec<ImportWarning>,
}

/// A statement left out on purpose (not schema: INSERT, SET, GRANT, functions, views …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedStatement {
    pub line: usize,
    pub kind: String,
}

/// A statement that could not be understood, placed in the original text (1-based).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportError {
    pub line: usize,
    pub column: usize,
    #[serde(default)]
    pub kind: String,
    pub snippet: String,
    pub message: String,
}

/// Something imported with a loss or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportWarning {
    pub line: usize,
    pub message: String,
}

/// Percent-encodes a query value (`/` may stay: it means nothing special in a query), for the
/// URLs the client calls and the sign-in page's `next`.
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
