//! The Tablewright server: the JSON API under `/api`, server-rendered pages, and storage.

// Leptos view types nest deeply; the editor's exceed the default limit.
#![recursion_limit = "256"]

pub mod auth;
pub mod config;
pub mod db;
mod error;
mod health;
pub mod limits;
mod live;
mod pages;
pub mod proxy;
mod render;
mod routes;
mod security;
mod state;
mod statics;
pub mod webhooks;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request};
use axum::http::Request as HttpRequest;
use axum::middleware;
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use limits::Limits;
pub use routes::RouteInfo;
pub use state::AppState;

/// Every API route with the access it needs, as the router is built from them (for tests).
pub fn api_routes() -> Vec<routes::RouteInfo> {
    routes::table(&Limits::default())
        .into_iter()
        .map(|(info, _)| info)
        .collect()
}

use proxy::ClientInfo;

/// The whole application: `/api`, the pages and the static files.
///
/// Layers, outermost first: the client's identity (trusted proxies), the access log span, the
/// security headers, the host and same-origin checks, the request timeout, and a panic guard
/// that still answers JSON. Each API route also checks its caller (`auth::access`).
pub fn router(state: AppState) -> Router {
    let api = routes::api(&state).layer(DefaultBodyLimit::max(state.body_limit));
    let app = Router::new()
        .nest("/api", api)
        .merge(pages::router(&state))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::request_timeout,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::origin::check,
        ))
        .layer(middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            proxy::client_info,
        ));
    // Added after the layers, so outside them: a balancer's probe names the instance by its
    // address, not by the public host name.
    app.route("/healthz", axum::routing::get(health::healthz))
        .with_state(state)
}

/// Aborts a background task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The access log's span: the client is the one a trusted proxy names, else the peer.
fn request_span<B>(request: &HttpRequest<B>) -> tracing::Span {
    let client = request
        .extensions()
        .get::<ClientInfo>()
        .copied()
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        uri = %auth::secret::redacted(&request.uri().to_string()),
        client = %client,
        scheme = client.scheme(),
    )
}

/// Serves HTTP/1.1 until `shutdown` resolves, lets in-flight requests finish for the shutdown
/// grace (`--shutdown-grace`), then closes the pool and returns; what still runs then is the
/// caller's to stop (the binary shuts its runtime down, which drops it: an uncommitted write is
/// rolled back, never half there).
///
/// The accept loop is hyper's own rather than `axum::serve` because axum's sets no header-read
/// timeout: a client that sends its headers a byte at a time (or nothing) would hold its
/// connection and task forever. HTTP/2 is left out on purpose: browsers only speak it over TLS,
/// which the proxy in front terminates.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut state = state;
    // Without a public URL (or a host rule given by the caller), a server on a loopback address
    // answers only loopback names.
    if state.auth.host.is_none() {
        state.auth.host = Some(if listener.local_addr()?.ip().is_loopback() {
            auth::HostPolicy::Loopback
        } else {
            auth::HostPolicy::Any
        });
    }
    auth::password::warm().await;
    let db = state.db.clone();
    // Dropped (and so stopped) when serving ends: a send cut short is sent again later.
    let _deliverer = AbortOnDrop(tokio::spawn(webhooks::run(
        db.clone(),
        state.webhooks.clone(),
    )));
    let header_timeout = state.limits.header_read_timeout;
    let (grace, drain) = (state.limits.shutdown_grace, state.limits.shutdown_drain);
    let draining = state.draining.clone();
    let app = router(state);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    // hyper-util's `GracefulShutdown` does not take connections that may upgrade (WebSocket),
    // so each connection watches `stopping` itself, and holds a clone of `running` until it
    // ends: once every clone is gone, the channel reports it.
    let (stopping, _) = tokio::sync::watch::channel(false);
    let (running, mut finished) = tokio::sync::mpsc::channel::<()>(1);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut drain_end = std::pin::pin!(tokio::time::sleep(Duration::ZERO));
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown, if !draining.load(Ordering::Relaxed) => {
                // New connections are still served while the balancer learns (`/healthz`).
                draining.store(true, Ordering::Relaxed);
                if drain.is_zero() {
                    break;
                }
                drain_end.as_mut().reset((Instant::now() + drain).into());
                continue;
            }
            () = &mut drain_end, if draining.load(Ordering::Relaxed) => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .with_upgrades();
        let (mut stop, running) = (stopping.subscribe(), running.clone());
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                () = async { drop(stop.wait_for(|stop| *stop).await) } => {
                    // Finishes the request in progress, then closes.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(running);
        });
    }
    // The port is free from here on: a new server can start while these requests finish.
    drop(listener);
    // Live connections are told to go elsewhere now; they are not requests that finish.
    db.hub().close_all();
    stopping.send_replace(true);
    drop(running);
    if tokio::time::timeout(grace, finished.recv()).await.is_err() {
        tracing::warn!("requests still running after {grace:?}; stopping them");
    }
    // Closing waits for connections in use; a stopped request's may never come back.
    if tokio::time::timeout(Duration::from_millis(400), db.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections still in use; closing anyway");
    }
    Ok(())
}
