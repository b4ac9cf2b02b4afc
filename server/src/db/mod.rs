//! Storage. All SQL lives under this module, so another backend is one more module beside it.
//!
//! Layout: `diagrams` holds each diagram's name and revision, `revisions` every recorded change
//! (op batches and whole documents), `snapshots` the whole document as of some revision. The
//! current document is the latest snapshot plus the op batches after it; the server keeps it in
//! memory for diagrams in use (`live`), so a write appends one small history row instead of
//! rewriting the document, and a read sends JSON assembled from cached pieces (`crate::render`).
//!
//! Backends (`backend`): SQLite, one file, is the embedded default; PostgreSQL serves teams
//! and several server instances on one database (`notices` tells the other instances what one
//! of them committed). Both hold the same tables, in each engine's native types
//! (`migrations/sqlite`, `migrations/postgres`).
//!
//! Durability: SQLite runs in WAL mode with `synchronous = FULL`, and every write is one
//! transaction (history row, diagram row and any snapshot together) committed before the API
//! answers; the in-memory document changes only once that commit succeeded.
//! In WAL mode a commit appends the transaction's pages and a commit frame to the `-wal` file;
//! with `FULL` that file is fsynced before `COMMIT` returns, so an answered write is on disk
//! and survives a killed process or a lost machine. A crash mid-commit leaves frames without a
//! valid commit frame (checksummed), which recovery ignores: the transaction is absent as a
//! whole, never half there. (`NORMAL` would be just as atomic, but may lose the last answered
//! commits on power loss; that is why it is `FULL`.) `tests/durability.rs` SIGKILLs the server
//! under load to check this.

pub mod access;
mod apply;
mod backend;
pub mod copy;
mod diagrams;
mod history;
mod live;
mod notices;
pub mod people;
pub mod versions;
pub mod webhooks;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use model::Uuid;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use backend::Backend;
use backend::{Conn, Pool, PoolConn, Tx, on};

pub use access::list;
pub use diagrams::{apply_ops, create, delete, get, get_json, key_revision, replace};
pub use history::{Recorded, commits_after, revision_document, revisions};
pub use live::Claim;

/// The storage handle the server shares: the connection pool and the live documents.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    live: live::Live,
    /// This process's writers take turns here, in order, for SQLite's one write lock.
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Where committed changes go out to the live channel's subscribers.
    hub: crate::live::Hub,
    /// This instance, as its notices to the others name it.
    instance: Uuid,
    /// Seconds a webhook delivery waits for more changes to coalesce (`--webhook-window`).
    webhook_window: i64,
}

/// What a write transaction locks on PostgreSQL.
enum Lock {
    /// Writes that read what they check, across tables (accounts, sign-in attempts): one at a
    /// time, as SQLite does every write.
    Store,
    /// A diagram's writes, which lock its row themselves (`diagrams::locked_revision`).
    Diagram,
}

/// The advisory lock key of [`Lock::Store`] (any constant of the server's own).
const STORE_LOCK: i64 = 0x7461_626c_6577;

impl Db {
    /// A store over `pool`, with nothing in memory yet.
    fn over(pool: Pool) -> Self {
        Db {
            pool,
            live: live::Live::default(),
            turn: Arc::default(),
            hub: crate::live::Hub::default(),
            instance: Uuid::new_v4(),
            webhook_window: 10,
        }
    }

    /// The same store, with webhook deliveries coalescing changes for `seconds`.
    pub fn with_webhook_window(mut self, seconds: u64) -> Self {
        self.webhook_window = seconds.min(86_400) as i64;
        self
    }

    pub fn hub(&self) -> &crate::live::Hub {
        &self.hub
    }

    pub fn backend(&self) -> Backend {
        self.pool.backend()
    }

    /// Waits for the connections to finish and closes them.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let one: i64 = on!(self.conn().await?, |c| sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut *c)
            .await?);
        debug_assert_eq!(one, 1);
        Ok(())
    }

    async fn conn(&self) -> Result<PoolConn, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// A write transaction that reads what it checks (accounts, attempts): alone among such
    /// writes of every instance.
    async fn write(&self) -> Result<WriteTx, StoreError> {
        self.begin(Lock::Store).await
    }

    /// A write transaction for one diagram.
    async fn write_diagram(&self) -> Result<WriteTx, StoreError> {
        self.begin(Lock::Diagram).await
    }

    /// Begins a write transaction.
    ///
    /// SQLite: in this process's turn. Writers queue on a fair lock rather than in SQLite's busy
    /// handler, which polls with growing sleeps; a writer of another process on the same file
    /// still meets the busy timeout. PostgreSQL: at once, writes to different diagrams run side
    /// by side; those that need it take an advisory lock held to the transaction's end.
    ///
    /// What is held meanwhile is only the write itself: callers do their reading, checking and
    /// rendering before they ask.
    async fn begin(&self, lock: Lock) -> Result<WriteTx, StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let turn = self.turn.clone().lock_owned().await;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx: Tx::Sqlite(tx),
                    _turn: Some(turn),
                })
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                if let Lock::Store = lock {
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(STORE_LOCK)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(WriteTx {
                    tx: Tx::Postgres(tx),
                    _turn: None,
                })
            }
        }
    }
}

/// A write transaction and this process's turn to write (SQLite), given back together.
pub(crate) struct WriteTx {
    tx: Tx,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }
}

/// Runs CPU work sized by its input (replay, checks, rendering) on the blocking pool, so the
/// async threads keep answering meanwhile.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| StoreError::Interrupted)
}

/// Who made a change: a person, someone holding a share link, or (for changes made before
/// accounts existed, and storage tests) nobody known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub user: Option<Uuid>,
    pub link: Option<Uuid>,
    /// The person's name as it is now, for those watching live (history reads it anew).
    pub name: Option<Arc<str>>,
}

impl Author {
    /// How the API names this author.
    pub fn shown(&self) -> Option<model::api::Author> {
        match (self.user, self.link) {
            (Some(id), _) => Some(model::api::Author::Person {
                id,
                name: self.name.as_deref().unwrap_or_default().to_string(),
            }),
            (None, Some(id)) => Some(model::api::Author::Link { id }),
            (None, None) => None,
        }
    }
}

/// Why a storage call did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such diagram")]
    NotFound,
    #[error("revision {0} does not exist")]
    NoSuchRevision(i64),
    #[error("the diagram changed since revision {base}; it is now at {current}")]
    Conflict { base: i64, current: i64 },
    #[error("base revision {base} is ahead of the diagram's revision {current}")]
    FutureBase { base: i64, current: i64 },
    #[error("op {index} was refused: {error}")]
    InvalidOp { index: usize, error: model::OpError },
    #[error("the document is not valid: {0}")]
    InvalidDocument(model::OpError),
    #[error(transparent)]
    TooLarge(#[from] crate::limits::TooLarge),
    #[error("history does not replay: {0}")]
    Replay(model::OpError),
    #[error(transparent)]
    Sql(sqlx::Error),
    /// The database stayed locked (by another process) past the busy timeout.
    #[error("the server is busy writing; try again in a moment")]
    Busy,
    /// The request's time ran out before the write was committed; it never will be.
    #[error("the write was given up when the request ran out of time")]
    TimedOut,
    #[error("stored JSON could not be read: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("the write stopped before it finished")]
    Interrupted,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        let busy = match &error {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(e) => e.code().is_some_and(|code| {
                // SQLite: SQLITE_BUSY and SQLITE_LOCKED, with any extended code. PostgreSQL:
                // serialization failure, deadlock, lock not available.
                code.parse::<i32>()
                    .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
                    || matches!(&*code, "40001" | "40P01" | "55P03")
            }),
            _ => false,
        };
        if busy { Self::Busy } else { Self::Sql(error) }
    }
}

/// Opens the database at `url` and brings its schema up to date: `sqlite://…` (the file is
/// created when missing) or `postgres://…` / `postgresql://…` (the database must exist).
pub async fn connect(url: &str) -> Result<Db, StartError> {
    let db = Db::over(open(url).await?);
    if let Pool::Postgres(pool) = &db.pool {
        notices::listen(db.clone(), pool.clone()).await?;
    }
    Ok(db)
}

/// The pool for `url`, its schema migrated.
async fn open(url: &str) -> Result<Pool, StartError> {
    let scheme = url.split_once(':').map_or(url, |(scheme, _)| scheme);
    match scheme {
        "sqlite" => {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            if let Some(folder) = options.get_filename().parent() {
                create_folder(folder)?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
            Ok(Pool::Sqlite(pool))
        }
        "postgres" | "postgresql" => {
            let options = PgConnectOptions::from_str(url)?.application_name("tablewright");
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            sqlx::migrate!("../migrations/postgres").run(&pool).await?;
            Ok(Pool::Postgres(pool))
        }
        // sqlx would read anything else as a file path: `mysql://…` would become a folder.
        _ => Err(StartError::Scheme(scheme.to_string())),
    }
}

fn create_folder(folder: &Path) -> Result<(), StartError> {
    if folder.as_os_str().is_empty() || folder.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(folder).map_err(|source| StartError::Folder {
        path: folder.display().to_string(),
        source,
    })
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "--database-url {0:?}: this server stores its data in SQLite or PostgreSQL; give a sqlite:// URL (such as sqlite://data/tablewright.db) or a postgres:// one (such as postgres://tablewright@db.internal/tablewright)"
    )]
    Scheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}
