//! `tablewright`: reads the configuration, opens the database and serves.

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;
use server::config::Config;
use server::{AppState, db};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tablewright: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let listener = TcpListener::bind(config.bind).await.map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => format!(
            "address {} is already in use; choose another with --bind (for example --bind 127.0.0.1:3001)",
            config.bind
        ),
        _ => format!("cannot listen on {}: {e} (set --bind)", config.bind),
    })?;
    let db = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let state = AppState::new(db, &config.site_root, config.body_limit);
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("Tablewright is listening on http://{addr}");
    server::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
