//! `tablewright store copy`: moves everything a store holds (people, teams, shares, links,
//! diagrams with their whole history) into another, empty store, of either backend, and checks
//! the result: the same number of rows in every table, and every diagram's current document
//! replayed from the target's history equal to the source's.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use sqlx::QueryBuilder;

use super::backend::{Fields, Id, Pool, Seconds, Stamp, on};
use super::{Db, StartError, StoreError};

/// How a column is stored: its value type on both backends.
#[derive(Clone, Copy)]
enum Kind {
    Id,
    Text,
    Int,
    Bool,
    Seconds,
    Stamp,
    Bytes,
}

/// A table to copy: its columns, and the order rows are read (and so inserted) in. Tables come
/// in the order their foreign keys need.
struct Spec {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    order: &'static str,
}

use Kind::{Bool, Bytes, Int, Text};

const TABLES: &[Spec] = &[
    Spec {
        name: "users",
        columns: &[
            ("id", Kind::Id),
            ("email", Text),
            ("email_key", Text),
            ("name", Text),
            ("password_hash", Text),
            ("admin", Bool),
            ("created_at", Kind::Seconds),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "teams",
        columns: &[
            ("id", Kind::Id),
            ("name", Text),
            ("created_at", Kind::Seconds),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "diagrams",
        columns: &[
            ("id", Kind::Id),
            ("name", Text),
            ("revision", Int),
            ("table_count", Int),
            ("owner_id", Kind::Id),
            ("team_id", Kind::Id),
            ("created_at", Kind::Stamp),
            ("updated_at", Kind::Stamp),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "revisions",
        columns: &[
            ("diagram_id", Kind::Id),
            ("revision", Int),
            ("kind", Text),
            ("base_revision", Int),
            ("body", Text),
            ("created_at", Kind::Stamp),
            ("author_user_id", Kind::Id),
            ("author_link_id", Kind::Id),
            ("batch_key", Text),
            ("summary", Text),
        ],
        order: "diagram_id, revision",
    },
    Spec {
        name: "snapshots",
        columns: &[
            ("diagram_id", Kind::Id),
            ("revision", Int),
            ("document", Text),
        ],
        order: "diagram_id, revision",
    },
    Spec {
        name: "sessions",
        columns: &[
            ("token_hash", Bytes),
            ("user_id", Kind::Id),
            ("created_at", Kind::Seconds),
            ("last_seen_at", Kind::Seconds),
        ],
        order: "created_at, token_hash",
    },
    Spec {
        name: "api_tokens",
        columns: &[
            ("id", Kind::Id),
            ("user_id", Kind::Id),
            ("name", Text),
            ("scope", Text),
            ("token_hash", Bytes),
            ("created_at", Kind::Seconds),
            ("last_used_at", Kind::Seconds),
        ],
        order: "rowid",
    },
    Spec {
        name: "team_members",
        columns: &[("team_id", Kind::Id), ("user_id", Kind::Id), ("role", Text)],
        order: "team_id, user_id",
    },
    Spec {
        name: "diagram_members",
        columns: &[
            ("diagram_id", Kind::Id),
            ("user_id", Kind::Id),
            ("role", Text),
            ("created_at", Kind::Seconds),
        ],
        order: "rowid",
    },
    Spec {
        name: "share_links",
        columns: &[
            ("id", Kind::Id),
            ("diagram_id", Kind::Id),
            ("role", Text),
            ("token_hash", Bytes),
            ("created_by", Kind::Id),
            ("created_at", Kind::Seconds),
            ("expires_at", Kind::Seconds),
            ("revoked_at", Kind::Seconds),
        ],
        order: "rowid",
    },
    Spec {
        name: "invites",
        columns: &[
            ("id", Kind::Id),
            ("token_hash", Bytes),
            ("email_key", Text),
            ("created_by", Kind::Id),
            ("created_at", Kind::Seconds),
            ("expires_at", Kind::Seconds),
            ("used_at", Kind::Seconds),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "webhooks",
        columns: &[
            ("id", Kind::Id),
            ("diagram_id", Kind::Id),
            ("team_id", Kind::Id),
            ("url", Text),
            ("secret", Text),
            ("events", Text),
            ("dialect", Text),
            ("enabled", Bool),
            ("disabled_reason", Text),
            ("created_by", Kind::Id),
            ("created_at", Kind::Seconds),
            ("last_revision", Int),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "webhook_progress",
        columns: &[
            ("webhook_id", Kind::Id),
            ("diagram_id", Kind::Id),
            ("last_revision", Int),
        ],
        order: "webhook_id, diagram_id",
    },
    Spec {
        name: "webhook_deliveries",
        columns: &[
            ("id", Kind::Id),
            ("webhook_id", Kind::Id),
            ("diagram_id", Kind::Id),
            ("event", Text),
            ("url", Text),
            ("secret", Text),
            ("from_revision", Int),
            ("to_revision", Int),
            ("payload", Text),
            ("state", Text),
            ("due_at", Kind::Seconds),
            ("created_at", Kind::Seconds),
            ("attempts", Int),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "webhook_attempts",
        columns: &[
            ("delivery_id", Kind::Id),
            ("attempt", Int),
            ("at", Kind::Seconds),
            ("status", Int),
            ("duration_ms", Int),
            ("response", Text),
            ("error", Text),
        ],
        order: "delivery_id, attempt",
    },
    Spec {
        name: "versions",
        columns: &[
            ("id", Kind::Id),
            ("diagram_id", Kind::Id),
            ("revision", Int),
            ("name", Text),
            ("author_user_id", Kind::Id),
            ("author_link_id", Kind::Id),
            ("created_at", Kind::Seconds),
        ],
        order: "created_at, id",
    },
    Spec {
        name: "sign_in_failures",
        columns: &[("key", Text), ("at", Kind::Seconds)],
        order: "rowid",
    },
];

/// Rows written per statement.
const CHUNK: usize = 500;

/// One value of a row, any column may be NULL.
enum Value {
    Id(Option<Id>),
    Text(Option<String>),
    Int(Option<i64>),
    Bool(Option<bool>),
    Seconds(Option<Seconds>),
    Stamp(Option<Stamp>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    fn read(row: &impl Fields, column: &str, kind: Kind) -> Result<Value, sqlx::Error> {
        Ok(match kind {
            Kind::Id => Value::Id(row.field(column)?),
            Text => Value::Text(row.field(column)?),
            Int => Value::Int(row.field(column)?),
            Bool => Value::Bool(row.field(column)?),
            Kind::Seconds => Value::Seconds(row.field(column)?),
            Kind::Stamp => Value::Stamp(row.field(column)?),
            Bytes => Value::Bytes(row.field(column)?),
        })
    }
}

/// Binds each value in its type, on either backend.
macro_rules! push_value {
    ($row:expr, $value:expr) => {
        match $value {
            Value::Id(v) => $row.push_bind(v),
            Value::Text(v) => $row.push_bind(v),
            Value::Int(v) => $row.push_bind(v),
            Value::Bool(v) => $row.push_bind(v),
            Value::Seconds(v) => $row.push_bind(v),
            Value::Stamp(v) => $row.push_bind(v),
            Value::Bytes(v) => $row.push_bind(v),
        }
    };
}

/// What a copy moved: rows per table, and how many diagrams were checked by replay.
#[derive(Debug)]
pub struct Copied {
    pub rows: BTreeMap<&'static str, i64>,
    pub diagrams_checked: usize,
}

/// Why a copy did not finish.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Open(#[from] StartError),
    #[error("the target store is not empty: its table {0} has rows; copy into a new database")]
    NotEmpty(&'static str),
    #[error("copying {table}: {error}")]
    Copy {
        table: &'static str,
        error: StoreError,
    },
    #[error("check failed: {0}")]
    Check(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Copies the store at `from` into the empty store at `to` (both are migrated first).
pub async fn copy(from: &str, to: &str) -> Result<Copied, CopyError> {
    let source = super::open(from).await?;
    let target = super::open(to).await?;
    for spec in TABLES {
        if count(&target, spec.name).await? > 0 {
            return Err(CopyError::NotEmpty(spec.name));
        }
    }
    let mut rows = BTreeMap::new();
    for spec in TABLES {
        let copied = copy_table(&source, &target, spec)
            .await
            .map_err(|error| CopyError::Copy {
                table: spec.name,
                error,
            })?;
        rows.insert(spec.name, copied);
    }
    for spec in TABLES {
        let (there, here) = (
            count(&source, spec.name).await?,
            count(&target, spec.name).await?,
        );
        if there != here {
            return Err(CopyError::Check(format!(
                "{}: {there} rows in the source, {here} in the target",
                spec.name
            )));
        }
    }
    let diagrams_checked = check_diagrams(source, target).await?;
    Ok(Copied {
        rows,
        diagrams_checked,
    })
}

async fn count(pool: &Pool, table: &'static str) -> Result<i64, StoreError> {
    let query = format!("SELECT COUNT(*) FROM {table}");
    Ok(on!(pool.acquire().await?, |c| sqlx::query_scalar(
        sqlx::AssertSqlSafe(query)
    )
    .fetch_one(&mut *c)
    .await?))
}

/// Copies one table: its rows read in one pass (a cursor, so the source's size does not matter)
/// and written a chunk at a time, each chunk one insert: a failure leaves the target short of
/// rows, which the counts then tell.
async fn copy_table(source: &Pool, target: &Pool, spec: &Spec) -> Result<i64, StoreError> {
    let names: Vec<&str> = spec.columns.iter().map(|(name, _)| *name).collect();
    let select = format!(
        "SELECT {} FROM {} ORDER BY {}",
        names.join(", "),
        spec.name,
        spec.order
    );
    let mut copied = 0;
    on!(source.acquire().await?, |c| {
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(select.as_str())).fetch(&mut *c);
        let mut chunk = Vec::with_capacity(CHUNK);
        while let Some(row) = rows.try_next().await? {
            let values = spec
                .columns
                .iter()
                .map(|(name, kind)| Value::read(&row, name, *kind));
            chunk.push(values.collect::<Result<Vec<_>, _>>()?);
            if chunk.len() == CHUNK {
                copied += insert(target, spec, &names, std::mem::take(&mut chunk)).await?;
            }
        }
        if !chunk.is_empty() {
            copied += insert(target, spec, &names, chunk).await?;
        }
    });
    Ok(copied)
}

async fn insert(
    target: &Pool,
    spec: &Spec,
    names: &[&str],
    chunk: Vec<Vec<Value>>,
) -> Result<i64, StoreError> {
    let rows = i64::try_from(chunk.len()).unwrap_or(i64::MAX);
    let head = format!("INSERT INTO {} ({}) ", spec.name, names.join(", "));
    on!(target.acquire().await?, |c| {
        let mut insert = QueryBuilder::new(head);
        insert.push_values(chunk, |mut row, values| {
            for value in values {
                push_value!(row, value);
            }
        });
        insert.build().execute(&mut *c).await?;
    });
    Ok(rows)
}

/// Every diagram's document, replayed from each store's history, compared.
async fn check_diagrams(source: Pool, target: Pool) -> Result<usize, CopyError> {
    let (source, target) = (Db::over(source), Db::over(target));
    let ids: Vec<Id> = on!(source.conn().await?, |c| sqlx::query_scalar(
        "SELECT id FROM diagrams ORDER BY id"
    )
    .fetch_all(&mut *c)
    .await
    .map_err(StoreError::from)?);
    for Id(id) in &ids {
        let (there, at) = super::get(&source, *id).await?;
        let (here, now) = super::get(&target, *id).await?;
        if at != now || there != here {
            return Err(CopyError::Check(format!(
                "diagram {id}: revision {at} in the source, {now} in the target, or their documents differ"
            )));
        }
    }
    source.close().await;
    target.close().await;
    Ok(ids.len())
}
