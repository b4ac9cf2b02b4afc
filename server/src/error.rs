//! The API's one error type: every failure answers JSON `{"error": {"code", "message", …}}`.

use axum::Json;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::api::{ErrorBody, ErrorDetail};

use crate::db::StoreError;
use crate::limits::TooLarge;

/// An error answer. 5xx details go to the log, never to the client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    MalformedJson(String),
    #[error("{0}")]
    InvalidBody(String),
    #[error("{0}")]
    MalformedBody(String),
    #[error("nothing to import: {0}")]
    Import(ddl::DdlError),
    #[error("expected a JSON body (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("the request body is over the server's size limit (--body-limit)")]
    PayloadTooLarge,
    #[error("the SQL is over the server's import size limit of {0} bytes (--import-limit)")]
    SqlTooLarge(usize),
    #[error(
        "the batch holds more than {max} ops, the most the server takes at once (--max-ops-per-batch); send it in parts"
    )]
    TooManyOps { max: usize },
    #[error("the request took longer than {} s (--request-timeout)", .0.as_secs_f64())]
    Timeout(std::time::Duration),
    #[error("a {} is {len} bytes long; the server allows {max} (--max-text-bytes)", .field.label())]
    TextTooLong {
        field: model::TextField,
        len: usize,
        max: usize,
    },
    #[error("{0}")]
    BadPath(String),
    #[error("{0}")]
    BadQuery(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this route does not take that method")]
    MethodNotAllowed,
    #[error("this route is a WebSocket: open it with an Upgrade: websocket request")]
    UpgradeRequired,
    #[error("the server is busy checking passwords; try again in a moment")]
    Busy,
    #[error("sign in first")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("the request came from another site; state changes must come from this app's pages")]
    Csrf,
    #[error("this server does not answer for that host name (see --public-url)")]
    WrongHost,
    #[error("too many failed sign-ins; try again in {0} s")]
    TooManyAttempts(u64),
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("the password must have at least 10 characters")]
    WeakPassword,
    #[error("an account with this email exists already")]
    EmailTaken,
    #[error("sign-up on this server is by invite: open the invite link you were sent")]
    InviteRequired,
    /// A 422 with its own code: the body is well-formed but asks for something that cannot be.
    #[error("{1}")]
    Unprocessable(&'static str, String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::MalformedJson(_) => (StatusCode::BAD_REQUEST, "malformed_json"),
            Self::InvalidBody(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            Self::MalformedBody(_) => (StatusCode::BAD_REQUEST, "malformed_body"),
            Self::Import(_) => (StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_import"),
            Self::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::SqlTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "sql_too_large"),
            Self::TooManyOps { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_many_ops"),
            Self::Timeout(_) => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
            Self::TextTooLong { field, .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, field.too_long_code())
            }
            Self::BadPath(_) => (StatusCode::BAD_REQUEST, "invalid_path"),
            Self::BadQuery(_) => (StatusCode::BAD_REQUEST, "invalid_query"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            Self::UpgradeRequired => (StatusCode::UPGRADE_REQUIRED, "upgrade_required"),
            Self::WrongHost => (StatusCode::MISDIRECTED_REQUEST, "wrong_host"),
            Self::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            Self::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            Self::WeakPassword => (StatusCode::UNPROCESSABLE_ENTITY, "weak_password"),
            Self::EmailTaken => (StatusCode::CONFLICT, "email_taken"),
            Self::InviteRequired => (StatusCode::FORBIDDEN, "invite_required"),
            Self::Unprocessable(code, _) => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            Self::Store(e) => match e {
                StoreError::NotFound | StoreError::NoSuchRevision(_) => {
                    (StatusCode::NOT_FOUND, "not_found")
                }
                StoreError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
                StoreError::FutureBase { .. } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "invalid_base_revision")
                }
                // The rules added with the field limits have codes of their own.
                StoreError::InvalidOp { error, .. } | StoreError::InvalidDocument(error)
                    if own_code(error) =>
                {
                    (StatusCode::UNPROCESSABLE_ENTITY, error.code())
                }
                StoreError::InvalidOp { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_op"),
                StoreError::InvalidDocument(_) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "invalid_document")
                }
                StoreError::TooLarge(TooLarge::Bytes { .. }) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "document_too_large")
                }
                StoreError::TimedOut => (StatusCode::REQUEST_TIMEOUT, "request_timeout"),
                StoreError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
                StoreError::TooLarge(TooLarge::Tables { .. }) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "too_many_tables")
                }
                StoreError::TooLarge(TooLarge::Columns { .. }) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "too_many_columns")
                }
                StoreError::Replay(_)
                | StoreError::Sql(_)
                | StoreError::Corrupt(_)
                | StoreError::Interrupted => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            },
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl ApiError {
    /// The error as its JSON says it (also sent on the live channel).
    pub fn detail(&self) -> ErrorDetail {
        let (status, code) = self.status_and_code();
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = ?self, "request failed");
            "internal error; see the server log".to_string()
        } else {
            self.to_string()
        };
        let (current_revision, op_index) = match self {
            Self::Store(StoreError::Conflict { current, .. }) => (Some(*current), None),
            Self::Store(StoreError::InvalidOp { index, .. }) => (None, Some(*index)),
            _ => (None, None),
        };
        ErrorDetail {
            code: code.to_string(),
            message,
            current_revision,
            op_index,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_and_code().0;
        let body = ErrorBody {
            error: self.detail(),
        };
        let mut response = (status, Json(body)).into_response();
        let retry_after = match self {
            Self::TooManyAttempts(seconds) => Some(seconds),
            Self::Busy | Self::Store(StoreError::Busy) => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// Whether an op error answers with its own code rather than `invalid_op` / `invalid_document`.
fn own_code(error: &model::OpError) -> bool {
    use model::OpError::*;
    matches!(
        error,
        InvalidName { .. }
            | InvalidText { .. }
            | InvalidDataType(..)
            | InvalidSql { .. }
            | InvalidColor { .. }
            | OutOfRange { .. }
    )
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge
        } else {
            Self::MalformedJson(rejection.body_text())
        }
    }
}

impl ApiError {
    /// Sorts a body that did not decode into malformed JSON (400) or the wrong shape (422).
    pub fn from_json(error: serde_json::Error) -> Self {
        match error.classify() {
            serde_json::error::Category::Data => Self::InvalidBody(error.to_string()),
            _ => Self::MalformedJson(error.to_string()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadPath(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadQuery(rejection.body_text())
    }
}
