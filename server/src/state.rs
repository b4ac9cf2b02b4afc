//! What every handler shares.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::auth::AuthSettings;
use crate::db::Db;
use crate::limits::Limits;
use crate::proxy::TrustedProxies;

/// The server's shared state: the database pool, the front end's settings, the limits.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos: LeptosOptions,
    /// Largest accepted request body, in bytes (the same as `limits.body_bytes`).
    pub body_limit: usize,
    pub limits: Limits,
    pub proxies: TrustedProxies,
    pub auth: AuthSettings,
    /// Set once the server is shutting down: `/healthz` answers 503 from then on.
    pub draining: Arc<AtomicBool>,
    /// How webhook deliveries are made.
    pub webhooks: crate::webhooks::Settings,
}

impl AppState {
    /// State for a server whose built front end lives in `site_root`, with default limits and
    /// no trusted proxy.
    pub fn new(db: Db, site_root: &std::path::Path, body_limit: usize) -> Self {
        // The build lists the bundle's content-hashed names here; without it (no site built),
        // the plain names are linked. Leptos looks the file up beside the executable unless
        // the path is absolute.
        let hashes = std::path::absolute(site_root.join("pkg").join("hash.txt"))
            .ok()
            .filter(|path| path.is_file());
        let leptos = LeptosOptions::builder()
            .output_name("tablewright")
            .site_root(site_root.display().to_string())
            .site_pkg_dir("pkg")
            .hash_files(hashes.is_some())
            .hash_file(hashes.map_or("hash.txt".into(), |p| p.display().to_string().into()))
            .build();
        Self {
            db,
            leptos,
            body_limit,
            limits: Limits {
                body_bytes: body_limit,
                ..Limits::default()
            },
            proxies: TrustedProxies::default(),
            auth: AuthSettings::default(),
            draining: Arc::default(),
            webhooks: crate::webhooks::Settings::default(),
        }
    }

    /// The same state with other limits (the body limit included).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.body_limit = limits.body_bytes;
        self.limits = limits;
        self
    }

    pub fn with_auth(mut self, auth: AuthSettings) -> Self {
        self.auth = auth;
        self
    }

    pub fn with_webhooks(mut self, webhooks: crate::webhooks::Settings) -> Self {
        self.webhooks = webhooks;
        self
    }

    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = proxies;
        self
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
