//! Requests must be meant for this server and, when a browser sends them on a person's behalf,
//! come from its own pages.
//!
//! Host: with `--public-url` only that host is answered; without it, a server bound to a
//! loopback address answers only loopback names. A page on another site that points its own
//! name at 127.0.0.1 (DNS rebinding) then reaches nothing.
//!
//! CSRF: a state-changing request without a bearer token must be same-origin. Browsers say so in
//! `Sec-Fetch-Site`; older ones only send `Origin`, compared with the server's own origin. A
//! request with neither comes from no browser (scripts, curl) and cannot ride on someone's
//! cookie. `SameSite=Lax` already keeps the cookie off cross-site posts; this also stops them
//! for same-site neighbours and for sign-in and sign-up, which need no cookie.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::state::AppState;

/// Which `Host` headers the server answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HostPolicy {
    /// Any (a server bound to a public address without `--public-url`).
    #[default]
    Any,
    /// `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`, any port.
    Loopback,
    /// Exactly this host (and port), from `--public-url`.
    Exact(String),
}

impl HostPolicy {
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else {
            return *self == HostPolicy::Any;
        };
        match self {
            HostPolicy::Any => true,
            HostPolicy::Exact(want) => host.eq_ignore_ascii_case(want),
            HostPolicy::Loopback => is_loopback(host),
        }
    }
}

fn is_loopback(host: &str) -> bool {
    let name = if host.starts_with('[') {
        host.split(']').next().map(|h| &h[1..]).unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The host (with port) and scheme of the request, as the client addressed it.
fn host(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::HOST).and_then(|h| h.to_str().ok())
}

/// The server's own origin as this request sees it: the public URL's, else scheme and `Host`.
pub fn own_origin(state: &AppState, request_headers: &HeaderMap, https: bool) -> Option<String> {
    if let Some(url) = &state.auth.public_url {
        return Some(url.clone());
    }
    let scheme = if https { "https" } else { "http" };
    host(request_headers).map(|host| format!("{scheme}://{host}"))
}

/// Refuses requests for another host, and cross-site state changes (see the module's doc).
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let policy = state.auth.host.as_ref().unwrap_or(&HostPolicy::Any);
    if !policy.allows(host(headers)) {
        return ApiError::WrongHost.into_response();
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !headers.contains_key(header::AUTHORIZATION) {
        let https = request
            .extensions()
            .get::<ClientInfo>()
            .is_some_and(|c| c.https);
        if !same_origin(headers, own_origin(&state, headers, https).as_deref()) {
            return ApiError::Csrf.into_response();
        }
    }
    next.run(request).await
}

pub(crate) fn same_origin(headers: &HeaderMap, own: Option<&str>) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site") {
        // `none`: the person started it themselves (typed or bookmarked), no other site did.
        return matches!(site, "same-origin" | "none");
    }
    match value("origin") {
        Some(origin) => own.is_some_and(|own| origin.eq_ignore_ascii_case(own)),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_told_apart_from_others() {
        let policy = HostPolicy::Loopback;
        for host in [
            "localhost",
            "localhost:3000",
            "127.0.0.1:80",
            "127.9.9.9",
            "[::1]:3000",
            "app.localhost:1",
        ] {
            assert!(policy.allows(Some(host)), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "10.0.0.1",
            "localhost.evil.example",
            "[::2]:80",
        ] {
            assert!(!policy.allows(Some(host)), "{host}");
        }
        assert!(!policy.allows(None));
        assert!(HostPolicy::Exact("erd.example:8443".into()).allows(Some("ERD.example:8443")));
        assert!(!HostPolicy::Exact("erd.example".into()).allows(Some("other.example")));
    }

    #[test]
    fn cross_site_requests_are_told_apart() {
        let mut headers = HeaderMap::new();
        assert!(same_origin(&headers, Some("http://a")));
        headers.insert("origin", "http://a".parse().unwrap());
        assert!(same_origin(&headers, Some("http://a")));
        headers.insert("origin", "null".parse().unwrap());
        assert!(!same_origin(&headers, Some("http://a")));
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(same_origin(&headers, Some("http://a")));
        headers.insert("sec-fetch-site", "same-site".parse().unwrap());
        assert!(!same_origin(&headers, Some("http://a")));
    }
}
