//! Command-line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Tablewright server: a schema designer in the browser.
#[derive(Debug, Clone, Parser)]
#[command(name = "tablewright", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TABLEWRIGHT_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Database URL. The default SQLite file and its folder are created when missing.
    #[arg(
        long,
        env = "TABLEWRIGHT_DATABASE_URL",
        default_value = "sqlite://data/tablewright.db"
    )]
    pub database_url: String,

    /// Folder holding the built front end (`pkg/` with the WASM bundle, and the CSS).
    #[arg(long, env = "TABLEWRIGHT_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TABLEWRIGHT_BODY_LIMIT", default_value_t = 8 * 1024 * 1024)]
    pub body_limit: usize,
}
