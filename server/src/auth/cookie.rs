//! The session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (not sent on cross-site
//! subrequests and form posts), `Path=/`, and `Secure` when the request came over HTTPS as the
//! trusted proxy tells (over plain HTTP a `Secure` cookie would never come back).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};

pub const NAME: &str = "tw_session";

/// The session token the request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == NAME)
        .map(|cookie| cookie.value().to_string())
}

/// `Set-Cookie` for a session that stays while used at least once every `idle`.
pub fn set(token: &str, secure: bool, idle: Duration) -> HeaderValue {
    let max_age =
        cookie::time::Duration::seconds(i64::try_from(idle.as_secs()).unwrap_or(i64::MAX));
    build(
        Cookie::build((NAME, token.to_string())).max_age(max_age),
        secure,
    )
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear(secure: bool) -> HeaderValue {
    build(
        Cookie::build((NAME, "")).max_age(cookie::time::Duration::ZERO),
        secure,
    )
}

fn build(cookie: cookie::CookieBuilder<'static>, secure: bool) -> HeaderValue {
    let cookie = cookie
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure)
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("a cookie of token characters")
}
