//! Who is asking: a person (by session cookie or personal token), someone holding a share link,
//! or nobody known.

use axum::http::{HeaderMap, Method, header};
use model::Uuid;
use model::api::Scope;

use super::{cookie, secret};
use crate::db::access::Link;
use crate::db::people::{self, Person};
use crate::db::{self, Author};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    Person {
        person: Person,
        via: Via,
    },
    /// A viewer share link sent as a bearer token.
    Link(Link),
}

/// How a person proved who they are.
#[derive(Clone)]
pub enum Via {
    /// A session cookie; `stale` when its idle time should start again (sent anew).
    Session {
        token: String,
        stale: bool,
    },
    Token {
        scope: Scope,
    },
}

/// Never prints the session token, so logging a caller cannot leak it.
impl std::fmt::Debug for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Via::Session { stale, .. } => f
                .debug_struct("Session")
                .field("token", &"<redacted>")
                .field("stale", stale)
                .finish(),
            Via::Token { scope } => f.debug_struct("Token").field("scope", scope).finish(),
        }
    }
}

/// The token offered as a WebSocket subprotocol `bearer.<token>`, if any.
fn protocol_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| p.trim().strip_prefix("bearer."))
}

/// A session's last use is written at most this often (seconds), so reads do not all write.
const TOUCH_EVERY: i64 = 3600;

impl Caller {
    /// Reads the caller from the request's `Authorization` header (personal token or share
    /// link), else its session cookie. A bearer token that is not valid is refused outright;
    /// a session cookie that is not (expired, signed out) is simply no one.
    ///
    /// A browser cannot set headers on a WebSocket, so there the token may come as one of the
    /// offered subprotocols instead, `bearer.<token>` (kept out of URLs and their logs).
    pub async fn resolve(state: &AppState, headers: &HeaderMap) -> Result<Self, ApiError> {
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or(ApiError::Unauthenticated)?;
            return Self::bearer(state, token).await;
        }
        if let Some(token) = protocol_token(headers) {
            return Self::bearer(state, token).await;
        }
        let Some(token) = cookie::session_token(headers) else {
            return Ok(Caller::Anonymous);
        };
        let idle = i64::try_from(state.auth.session_idle.as_secs()).unwrap_or(i64::MAX);
        let hash = secret::hash(&token);
        let Some(session) = people::session(&state.db, &hash, idle).await? else {
            return Ok(Caller::Anonymous);
        };
        let stale = people::now() - session.last_seen_at >= TOUCH_EVERY;
        if stale {
            people::touch_session(&state.db, &hash).await?;
        }
        Ok(Caller::Person {
            person: session.person,
            via: Via::Session { token, stale },
        })
    }

    async fn bearer(state: &AppState, token: &str) -> Result<Self, ApiError> {
        let hash = secret::hash(token);
        if token.starts_with(secret::PERSONAL)
            && let Some((person, _, scope)) = people::token(&state.db, &hash).await?
        {
            return Ok(Caller::Person {
                person,
                via: Via::Token { scope },
            });
        }
        // Editor links make a signed-in person an editor when opened; as a bearer token a
        // link only ever lets its holder read.
        if token.starts_with(secret::LINK)
            && let Some(link) = db::access::link(&state.db, &hash).await?
            && link.role == model::api::Role::Viewer
        {
            return Ok(Caller::Link(link));
        }
        Err(ApiError::Unauthenticated)
    }

    pub fn person(&self) -> Option<&Person> {
        match self {
            Caller::Person { person, .. } => Some(person),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.person().map(|p| p.user.id)
    }

    /// A read-only token may only read.
    pub fn may_use(&self, method: &Method) -> bool {
        let reading = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
        !matches!(
            self,
            Caller::Person {
                via: Via::Token { scope: Scope::Read },
                ..
            }
        ) || reading
    }

    /// A session in use stays: when its idle time started again, its cookie is sent anew (unless
    /// the answer sets one itself, as sign-in and a password change do).
    pub fn renew_cookie(
        &self,
        response: &mut axum::response::Response,
        secure: bool,
        idle: std::time::Duration,
    ) {
        if let Caller::Person {
            via: Via::Session { token, stale: true },
            ..
        } = self
            && !response.headers().contains_key(header::SET_COOKIE)
        {
            response
                .headers_mut()
                .append(header::SET_COOKIE, cookie::set(token, secure, idle));
        }
    }

    /// Who history records for a change this caller makes.
    pub fn author(&self) -> Author {
        match self {
            Caller::Anonymous => Author::default(),
            Caller::Person { person, .. } => Author {
                user: Some(person.user.id),
                link: None,
                name: Some(person.user.name.as_str().into()),
            },
            Caller::Link(link) => Author {
                user: None,
                link: Some(link.id),
                name: None,
            },
        }
    }
}
