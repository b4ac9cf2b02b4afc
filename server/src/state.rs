//! What every handler shares.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::db::Db;

/// The server's shared state: the database pool and the front end's settings.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos: LeptosOptions,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

impl AppState {
    /// State for a server whose built front end lives in `site_root`.
    pub fn new(db: Db, site_root: &std::path::Path, body_limit: usize) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("tablewright")
            .site_root(site_root.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        Self {
            db,
            leptos,
            body_limit,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
