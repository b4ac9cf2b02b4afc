//! Size and time limits: what one request and one diagram may hold, and how long a request may
//! take. Each is an option (see `config.rs`); going over one answers 408, 413 or 422 with a code
//! naming the limit, never a crash or an unbounded wait.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use model::{Diagram, Op, TextField};

use crate::db::Claim;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (JSON), in bytes.
    pub body_bytes: usize,
    /// Largest SQL text an import reads, in bytes.
    pub import_bytes: usize,
    /// Most ops in one batch, nested ones included.
    pub ops_per_batch: usize,
    /// Most tables in a diagram.
    pub tables: usize,
    /// Most columns in a diagram, all tables together.
    pub columns: usize,
    /// Largest free-text field, in bytes.
    pub text_bytes: usize,
    /// Largest document, as JSON, in bytes.
    pub document_bytes: usize,
    /// Longest a request may take from its headers to its answer.
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long in-flight requests get to finish once shutdown starts.
    pub shutdown_grace: Duration,
    /// Time between the shutdown signal and the stop of new connections (`/healthz` says 503).
    pub shutdown_drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 8 * 1024 * 1024,
            import_bytes: 8 * 1024 * 1024,
            ops_per_batch: 10_000,
            tables: 5_000,
            columns: 100_000,
            text_bytes: 64 * 1024,
            document_bytes: 32 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            shutdown_drain: Duration::ZERO,
        }
    }
}

impl Limits {
    /// The diagram-size part, which the storage layer checks before a commit.
    pub fn document(&self) -> DocLimits {
        DocLimits {
            tables: self.tables,
            columns: self.columns,
            bytes: self.document_bytes,
        }
    }

    /// Refuses a batch with more ops than allowed, or a text over its limit, before any of it
    /// is applied.
    pub fn check_batch(&self, ops: &[Op]) -> Result<(), ApiError> {
        let count = count_ops(ops, self.ops_per_batch);
        if count > self.ops_per_batch {
            return Err(ApiError::TooManyOps {
                max: self.ops_per_batch,
            });
        }
        let mut over = None;
        model::op_texts(ops, &mut |field, text| {
            self.note_long(&mut over, field, text)
        });
        over.map_or(Ok(()), Err)
    }

    /// Refuses a whole document (a replacement, an import) with a text over its limit.
    pub fn check_document_texts(&self, doc: &Diagram) -> Result<(), ApiError> {
        let mut over = None;
        model::diagram_texts(doc, &mut |field, text| {
            self.note_long(&mut over, field, text)
        });
        over.map_or(Ok(()), Err)
    }

    fn note_long(&self, over: &mut Option<ApiError>, field: TextField, text: &str) {
        if over.is_none() && text.len() > self.text_bytes {
            *over = Some(ApiError::TextTooLong {
                field,
                len: text.len(),
                max: self.text_bytes,
            });
        }
    }
}

/// How big a stored diagram may grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocLimits {
    pub tables: usize,
    pub columns: usize,
    /// Largest document JSON, in bytes.
    pub bytes: usize,
}

impl Default for DocLimits {
    fn default() -> Self {
        Limits::default().document()
    }
}

/// A diagram over one of [`DocLimits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TooLarge {
    #[error("the diagram would hold {count} tables; the server allows {max} (--max-tables)")]
    Tables { count: usize, max: usize },
    #[error("the diagram would hold {count} columns; the server allows {max} (--max-columns)")]
    Columns { count: usize, max: usize },
    #[error(
        "the diagram would take {size} bytes as JSON; the server allows {max} (--max-document-bytes)"
    )]
    Bytes { size: usize, max: usize },
}

/// How many tables and columns a diagram holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub tables: usize,
    pub columns: usize,
}

impl Size {
    pub fn of(doc: &Diagram) -> Self {
        Self {
            tables: doc.tables.len(),
            columns: doc.tables.iter().map(|t| t.columns.len()).sum(),
        }
    }
}

impl DocLimits {
    /// Refuses a document whose JSON takes more than its limit of bytes.
    pub fn check_bytes(&self, size: usize) -> Result<(), TooLarge> {
        if size > self.bytes {
            return Err(TooLarge::Bytes {
                size,
                max: self.bytes,
            });
        }
        Ok(())
    }

    /// Refuses a document over a limit.
    pub fn check(&self, doc: &Diagram) -> Result<(), TooLarge> {
        self.check_growth(Size::default(), doc)
    }

    /// Refuses a change that leaves the document over a limit and bigger than `before`, so a
    /// diagram stored under higher limits can still be edited and shrunk.
    pub fn check_growth(&self, before: Size, doc: &Diagram) -> Result<(), TooLarge> {
        let after = Size::of(doc);
        if after.tables > self.tables && after.tables > before.tables {
            return Err(TooLarge::Tables {
                count: after.tables,
                max: self.tables,
            });
        }
        if after.columns > self.columns && after.columns > before.columns {
            return Err(TooLarge::Columns {
                count: after.columns,
                max: self.columns,
            });
        }
        Ok(())
    }
}

/// Counts ops, nested batches included; stops counting once past `stop` (the answer is then
/// only known to be over it), so a hostile batch costs no more than the limit.
pub(crate) fn count_ops(ops: &[Op], stop: usize) -> usize {
    let mut count = 0usize;
    let mut pending: Vec<&[Op]> = vec![ops];
    while let Some(list) = pending.pop() {
        for op in list {
            count += 1;
            if count > stop {
                return count;
            }
            if let Op::Batch { ops } = op {
                pending.push(ops);
            }
        }
    }
    count
}

/// When a request's write is given up, and the claim that decides it: a moment before its
/// `--request-timeout` runs out, the write is abandoned unless its commit has begun. The
/// timeout middleware asks the same claim, so a 408 is only ever answered for a write that was
/// abandoned (or for a request that wrote nothing).
#[derive(Clone)]
pub struct Deadline {
    pub at: Instant,
    pub claim: Arc<Claim>,
}

impl Deadline {
    /// The deadline of a request that arrived now, under `limit`.
    pub fn after(limit: Duration) -> Self {
        let margin = (limit / 10).min(Duration::from_secs(1));
        let now = Instant::now();
        Self {
            at: now
                .checked_add(limit.saturating_sub(margin))
                .unwrap_or(now + Duration::from_secs(365 * 24 * 3600)),
            claim: Arc::default(),
        }
    }
}

impl FromRequestParts<AppState> for Deadline {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Deadline>()
            .cloned()
            .unwrap_or_else(|| Deadline::after(state.limits.request_timeout)))
    }
}

/// Answers 408 when a request (its body upload included) takes longer than
/// `--request-timeout`, unless its write's commit has begun: then the answer is waited for (a
/// commit's time), so a 408 always means nothing was applied (see `db::apply_ops`). Other work
/// sized by its input is bounded by the limits above.
pub async fn request_timeout(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let limit = state.limits.request_timeout;
    let deadline = Deadline::after(limit);
    let claim = deadline.claim.clone();
    request.extensions_mut().insert(deadline);
    let mut answer = std::pin::pin!(next.run(request));
    match tokio::time::timeout(limit, &mut answer).await {
        Ok(response) => response,
        Err(_) if claim.abandon() => ApiError::Timeout(limit).into_response(),
        Err(_) => answer.await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename(n: usize) -> Op {
        Op::RenameDiagram {
            name: format!("n{n}"),
        }
    }

    #[test]
    fn nested_batches_count_every_op_inside() {
        let inner = Op::Batch {
            ops: (0..3).map(rename).collect(),
        };
        let ops = vec![rename(0), Op::Batch { ops: vec![inner] }];
        assert_eq!(count_ops(&ops, 100), 6);
        assert!(count_ops(&ops, 2) > 2);
    }

    #[test]
    fn a_document_over_either_limit_is_refused() {
        let limits = DocLimits {
            tables: 1,
            columns: 1,
            bytes: 1 << 20,
        };
        let mut doc = Diagram::new("d");
        assert!(limits.check(&doc).is_ok());
        let columns = vec![
            model::Column::new("a", "int"),
            model::Column::new("b", "int"),
        ];
        doc.tables.push(model::Table::empty("t", columns));
        assert!(matches!(
            limits.check(&doc),
            Err(TooLarge::Columns { count: 2, max: 1 })
        ));
        let before = Size::of(&doc);
        assert!(
            limits.check_growth(before, &doc).is_ok(),
            "no growth, no refusal"
        );
        doc.tables.push(model::Table::empty("u", vec![]));
        assert!(matches!(limits.check(&doc), Err(TooLarge::Tables { .. })));
    }
}
