//! The front end's static files under `/pkg`: only plain file names are looked up, every miss is
//! a JSON 404 (never a redirect or a 500), and every answer says how long it may be cached.
//!
//! The build gives the bundle and the CSS content-hashed names (`tablewright.<hash>.js`), listed
//! in `pkg/hash.txt` for the page shell to link. Those never change, so browsers keep them for a
//! year without asking again; any other file is `no-cache` and revalidated by its ETag.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::state::AppState;

/// The `/pkg` service for the files in `folder`.
pub fn router(folder: PathBuf) -> Router<AppState> {
    let files = ServeDir::new(folder)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(answer))
}

/// What a file answer carries: a plain name only, JSON errors, caching headers.
async fn answer(request: Request, next: Next) -> Response {
    let name = request.uri().path().trim_start_matches('/').to_string();
    if !plain_name(&name) || !matches!(*request.method(), Method::GET | Method::HEAD) {
        return missing();
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() || status == StatusCode::NOT_FOUND {
        // A name the file system refuses (too long, say) is as absent as a missing one.
        return missing();
    }
    if !status.is_success() {
        return response;
    }
    if hashed(&name) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let Some(tag) = etag(headers) else {
        return response;
    };
    if if_none_match.is_some_and(|v| v.as_bytes() == tag.as_bytes()) {
        let mut not_modified = Response::new(Body::empty());
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        let kept = not_modified.headers_mut();
        kept.insert(header::ETAG, tag);
        kept.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        return not_modified;
    }
    headers.insert(header::ETAG, tag);
    response
}

pub async fn not_found() -> Response {
    missing()
}

fn missing() -> Response {
    ApiError::NotFound("no such file".into()).into_response()
}

/// A single file name of the build's kind: letters, digits, `.`, `_` and `-`, not starting with
/// a dot, at most 128 bytes. Anything else (folders, `..`, odd bytes) is never looked up.
fn plain_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `name` carries a content hash (`<stem>.<16 hex digits>.<ext>`).
fn hashed(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some()
        && hash.is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A weak validator from the file's size, encoding and modification time (which the file answer
/// carries), so an unchanged file is answered 304.
fn etag(headers: &HeaderMap) -> Option<HeaderValue> {
    let modified = headers.get(header::LAST_MODIFIED)?.to_str().ok()?;
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("0");
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    let stamp: String = modified
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    HeaderValue::from_str(&format!("W/\"{length}-{encoding}-{stamp}\"")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_looked_up() {
        assert!(plain_name("tablewright.0123456789abcdef.js"));
        assert!(plain_name("favicon.svg"));
        for bad in ["", ".", "..", "a/b", "%2e%2e", ".hidden", &"a".repeat(129)] {
            assert!(!plain_name(bad), "{bad:?}");
        }
        assert!(hashed("tablewright.0123456789abcdef.wasm"));
        assert!(!hashed("tablewright.css"));
        assert!(!hashed("0123456789abcdef.js"));
    }
}
