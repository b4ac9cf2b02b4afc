//! Command-line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::auth::{AuthSettings, HostPolicy, Signup};
use crate::limits::Limits;
use crate::proxy::{IpNet, TrustedProxies};

/// What the binary does besides serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Work on a store (the database the server keeps everything in).
    Store {
        #[command(subcommand)]
        action: StoreCommand,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum StoreCommand {
    /// Copy everything of one store into another, empty one (for example from SQLite to
    /// PostgreSQL), then check every table's rows and every diagram's history replay.
    Copy {
        /// The store to read, such as sqlite://data/tablewright.db.
        #[arg(long)]
        from: String,
        /// The empty store to write, such as postgres://tablewright@db.internal/tablewright.
        #[arg(long)]
        to: String,
    },
}

/// Tablewright server: a schema designer in the browser.
#[derive(Debug, Clone, Parser)]
#[command(name = "tablewright", version, about)]
pub struct Config {
    /// Without a command, the server serves.
    #[command(subcommand)]
    pub command: Option<Command>,

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

    /// Largest SQL text accepted by the import (raw body or uploaded file), in bytes.
    #[arg(long, env = "TABLEWRIGHT_IMPORT_LIMIT", default_value_t = 8 * 1024 * 1024)]
    pub import_limit: usize,

    /// Most ops in one batch, nested `batch` ops counted one by one.
    #[arg(long, env = "TABLEWRIGHT_MAX_OPS_PER_BATCH", default_value_t = 10_000)]
    pub max_ops_per_batch: usize,

    /// Most tables in one diagram.
    #[arg(long, env = "TABLEWRIGHT_MAX_TABLES", default_value_t = 5_000)]
    pub max_tables: usize,

    /// Most columns in one diagram, all tables together.
    #[arg(long, env = "TABLEWRIGHT_MAX_COLUMNS", default_value_t = 100_000)]
    pub max_columns: usize,

    /// Largest free-text field (a comment, a note's text, a default, a data type), in bytes.
    #[arg(long, env = "TABLEWRIGHT_MAX_TEXT_BYTES", default_value_t = 64 * 1024)]
    pub max_text_bytes: usize,

    /// Largest diagram, as its JSON, in bytes.
    #[arg(long, env = "TABLEWRIGHT_MAX_DOCUMENT_BYTES", default_value_t = 32 * 1024 * 1024)]
    pub max_document_bytes: usize,

    /// Seconds a request may take, body upload included, before it is answered 408.
    #[arg(long, env = "TABLEWRIGHT_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,

    /// Seconds a client has to send a request's headers (on a new or an idle keep-alive
    /// connection) before the connection is closed; stops slow-header clients.
    #[arg(long, env = "TABLEWRIGHT_HEADER_READ_TIMEOUT", default_value_t = 10)]
    pub header_read_timeout: u64,

    /// Seconds in-flight requests get to finish after SIGTERM or Ctrl-C; what still runs then
    /// is stopped (uncommitted writes are not applied) and the process exits.
    #[arg(long, env = "TABLEWRIGHT_SHUTDOWN_GRACE", default_value_t = 10)]
    pub shutdown_grace: u64,

    /// Seconds between SIGTERM and the stop of new connections, during which `GET /healthz`
    /// answers 503: time for a load balancer to send new requests elsewhere. 0 for a server
    /// that is not behind one.
    #[arg(long, env = "TABLEWRIGHT_SHUTDOWN_DRAIN", default_value_t = 0)]
    pub shutdown_drain: u64,

    /// Proxies (IP addresses or CIDR ranges, comma-separated) whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` headers are believed. Empty: the headers are ignored.
    #[arg(long, env = "TABLEWRIGHT_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpNet>,

    /// Who may create an account: `open` (anyone) or `invite` (people holding an invite link
    /// from an administrator or a diagram owner).
    #[arg(long, env = "TABLEWRIGHT_SIGNUP", value_enum, default_value_t = Signup::Open)]
    pub signup: Signup,

    /// Days a session may go unused before it ends.
    #[arg(long, env = "TABLEWRIGHT_SESSION_IDLE_DAYS", default_value_t = 30)]
    pub session_idle_days: u64,

    /// The address people reach the server at, such as `https://erd.example.com` (the proxy's).
    /// Share and invite links are made with it, and requests for any other host are refused.
    #[arg(long, env = "TABLEWRIGHT_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Seconds a webhook delivery waits for more changes before it is sent, so that a burst of
    /// edits (a drag) is told in one request.
    #[arg(long, env = "TABLEWRIGHT_WEBHOOK_WINDOW", default_value_t = 10)]
    pub webhook_window: u64,

    /// Let webhooks send to loopback, private and link-local addresses (a receiver on the same
    /// network). Off by default: a webhook URL is otherwise a way to reach internal services.
    #[arg(long, env = "TABLEWRIGHT_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
}

/// A public URL's origin (`scheme://host[:port]`), with no path.
fn parse_public_url(text: &str) -> Result<String, String> {
    let uri: axum::http::Uri = text
        .trim()
        .parse()
        .map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    let scheme = uri.scheme_str().unwrap_or("");
    if !matches!(scheme, "http" | "https") {
        return Err(format!("{text:?} must start with https:// (or http://)"));
    }
    let authority = uri
        .authority()
        .ok_or_else(|| format!("{text:?} names no host"))?;
    if !matches!(uri.path(), "" | "/") {
        return Err(format!(
            "{text:?} has a path; Tablewright is served at the root of its host"
        ));
    }
    // As browsers write an `Origin`: without the scheme's default port.
    let authority = authority.as_str().to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    Ok(format!("{scheme}://{authority}"))
}

/// The `Host` a public URL's requests carry (its origin has no default port).
pub fn public_host(origin: &str) -> String {
    origin
        .split_once("://")
        .map_or(origin, |(_, a)| a)
        .to_string()
}

impl Config {
    /// The limits the options set.
    pub fn limits(&self) -> Limits {
        Limits {
            body_bytes: self.body_limit,
            import_bytes: self.import_limit,
            ops_per_batch: self.max_ops_per_batch,
            tables: self.max_tables,
            columns: self.max_columns,
            text_bytes: self.max_text_bytes,
            document_bytes: self.max_document_bytes,
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            header_read_timeout: Duration::from_secs(self.header_read_timeout.max(1)),
            shutdown_grace: Duration::from_secs(self.shutdown_grace),
            shutdown_drain: Duration::from_secs(self.shutdown_drain),
        }
    }

    /// The account settings; the host rule is completed by `serve`, which knows the address.
    pub fn auth(&self) -> AuthSettings {
        AuthSettings {
            signup: self.signup,
            session_idle: Duration::from_secs(self.session_idle_days.max(1) * 24 * 3600),
            host: self
                .public_url
                .as_deref()
                .map(|url| HostPolicy::Exact(public_host(url))),
            public_url: self.public_url.clone(),
        }
    }

    pub fn trusted_proxies(&self) -> TrustedProxies {
        TrustedProxies::new(self.trusted_proxies.clone())
    }

    pub fn webhooks(&self) -> crate::webhooks::Settings {
        crate::webhooks::Settings {
            allow_private: self.webhook_allow_private,
            ..crate::webhooks::Settings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_kept_as_its_origin() {
        let origin = |text| parse_public_url(text).unwrap();
        assert_eq!(
            origin("https://ERD.example.com/"),
            "https://erd.example.com"
        );
        assert_eq!(
            origin("https://erd.example.com:443"),
            "https://erd.example.com"
        );
        assert_eq!(
            origin("http://erd.example.com:80"),
            "http://erd.example.com"
        );
        assert_eq!(
            origin("https://erd.example.com:8443"),
            "https://erd.example.com:8443"
        );
        assert_eq!(
            public_host("https://erd.example.com:8443"),
            "erd.example.com:8443"
        );
        assert!(parse_public_url("ftp://erd.example.com").is_err());
        assert!(parse_public_url("https://erd.example.com/tablewright").is_err());
    }
}
