//! `tablewright`: reads the configuration, opens the database and serves.

use std::io::ErrorKind;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use server::config::{Command, Config, StoreCommand};
use server::{AppState, db};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("warn,server=info,tablewright=info")),
        )
        .init();
    let config = Config::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("tablewright: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(config));
    // Dropping a runtime waits for every blocking task; after the grace nothing may hold the
    // process, so what still runs is given a moment and then left behind.
    runtime.shutdown_timeout(Duration::from_millis(400));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tablewright: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    if let Some(Command::Store {
        action: StoreCommand::Copy { from, to },
    }) = &config.command
    {
        return copy_store(from, to).await;
    }
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
    let db = db.with_webhook_window(config.webhook_window);
    let state = AppState::new(db, &config.site_root, config.body_limit)
        .with_limits(config.limits())
        .with_trusted_proxies(config.trusted_proxies())
        .with_auth(config.auth())
        .with_webhooks(config.webhooks());
    let shutdown = shutdown_signal()?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("Tablewright is listening on http://{addr}");
    server::serve(listener, state, shutdown)
        .await
        .map_err(|e| format!("server error: {e}"))?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// `tablewright store copy`: copies, checks, and prints what it moved.
async fn copy_store(from: &str, to: &str) -> Result<(), String> {
    let copied = db::copy::copy(from, to).await.map_err(|e| e.to_string())?;
    for (table, rows) in &copied.rows {
        println!("{table:>18}  {rows} rows");
    }
    println!(
        "copied; every table's rows counted and {} diagrams replayed and compared",
        copied.diagrams_checked
    );
    Ok(())
}

/// Installs the Ctrl-C and SIGTERM handlers now (so a signal that arrives as soon as the server
/// says it is listening is not lost), and resolves when one of them fires.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
        let mut terminate = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
            tracing::info!("shutting down: finishing in-flight requests");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down: finishing in-flight requests");
        })
    }
}
