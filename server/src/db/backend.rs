//! The two databases the store runs on: SQLite (one file, the embedded default) and PostgreSQL
//! (for teams, and for several server instances), and the Rust types that are stored natively on
//! each.
//!
//! Every statement is written once, in SQL both accept (`$1` placeholders, times bound from
//! Rust rather than made by a function of one engine), and run through [`on!`], which expands
//! the code once per backend: each copy is type-checked against its own driver, and a statement
//! that only one engine takes fails the tests of the other. The few statements that differ
//! choose by [`Backend`].
//!
//! Why not `sqlx::Any`: it has no UUID or timestamp types, so PostgreSQL would hold text where
//! it has `uuid` and `timestamptz`. Why not a trait with an implementation per backend: the SQL
//! is the same but for a handful of statements, and two copies of the rest would drift apart.

use model::Uuid;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteArgumentsBuffer, SqliteTypeInfo, SqliteValueRef};
use sqlx::{
    Decode, Encode, PgConnection, PgPool, Postgres, Row, Sqlite, SqliteConnection, SqlitePool,
    Transaction, Type,
};
use time::OffsetDateTime;

/// Which engine a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool of either backend.
#[derive(Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A connection taken from a [`Pool`].
pub enum PoolConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// An open transaction of either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A borrowed connection of either backend, what [`on!`] runs statements on.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Runs `$body` on the connection `$on.conn()` gives, with `$c` bound to the backend's own
/// connection type (`&mut SqliteConnection` or `&mut PgConnection`): the body is expanded once
/// per backend, so the same statement text and Rust code serve both.
macro_rules! on {
    ($on:expr, |$c:ident| $body:expr) => {
        match $on.conn() {
            $crate::db::backend::Conn::Sqlite($c) => $body,
            $crate::db::backend::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use on;

impl Pool {
    pub fn backend(&self) -> Backend {
        match self {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn acquire(&self) -> Result<PoolConn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(pool) => PoolConn::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => PoolConn::Postgres(pool.acquire().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

impl PoolConn {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

impl Conn<'_> {
    /// Itself, borrowed again: so [`on!`] takes a `Conn` as it takes what holds one.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }
}

/// The value types both backends store: what a row's fields may be read as, in code shared by
/// both.
pub trait Stored:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

impl<T> Stored for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

/// A row of either backend, read by column name.
pub trait Fields {
    fn field<T: Stored>(&self, column: &str) -> Result<T, sqlx::Error>;
}

impl Fields for sqlx::sqlite::SqliteRow {
    fn field<T: Stored>(&self, column: &str) -> Result<T, sqlx::Error> {
        self.try_get(column)
    }
}

impl Fields for sqlx::postgres::PgRow {
    fn field<T: Stored>(&self, column: &str) -> Result<T, sqlx::Error> {
        self.try_get(column)
    }
}

/// A UUID: hyphenated lowercase text in SQLite (as stored since the first schema), `uuid` in
/// PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Id(pub Uuid);

impl Type<Sqlite> for Id {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Id {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.0.to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Id {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Id(Uuid::parse_str(<&str as Decode<Sqlite>>::decode(
            value,
        )?)?))
    }
}

impl Type<Postgres> for Id {
    fn type_info() -> PgTypeInfo {
        <Uuid as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Id {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <Uuid as Encode<Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Id {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Id(<Uuid as Decode<Postgres>>::decode(value)?))
    }
}

/// Optional ids, as they are bound.
pub fn id(value: Option<Uuid>) -> Option<Id> {
    value.map(Id)
}

/// A time in Unix seconds: an integer in SQLite (as the accounts schema has it), `timestamptz`
/// in PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub i64);

impl Type<Sqlite> for Seconds {
    fn type_info() -> SqliteTypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Seconds {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Sqlite>>::encode(self.0, buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Seconds {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Seconds(<i64 as Decode<Sqlite>>::decode(value)?))
    }
}

impl Type<Postgres> for Seconds {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Seconds {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        let at = OffsetDateTime::from_unix_timestamp(self.0)?;
        <OffsetDateTime as Encode<Postgres>>::encode(at, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Seconds {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Seconds(
            <OffsetDateTime as Decode<Postgres>>::decode(value)?.unix_timestamp(),
        ))
    }
}

/// A time as the API writes diagrams' times: RFC 3339 with milliseconds, UTC. Text in SQLite
/// (it sorts as time does), `timestamptz` in PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp(pub String);

const STAMP: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
);

impl Stamp {
    pub fn now() -> Self {
        Self::of(OffsetDateTime::now_utc())
    }

    fn of(at: OffsetDateTime) -> Self {
        let at = at.to_offset(time::UtcOffset::UTC);
        Stamp(at.format(STAMP).unwrap_or_default())
    }

    fn time(&self) -> Result<OffsetDateTime, BoxDynError> {
        let rfc3339 = &time::format_description::well_known::Rfc3339;
        Ok(OffsetDateTime::parse(&self.0, rfc3339)?)
    }
}

impl Type<Sqlite> for Stamp {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Stamp {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.0.clone(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Stamp {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Stamp(<String as Decode<Sqlite>>::decode(value)?))
    }
}

impl Type<Postgres> for Stamp {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Stamp {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<Postgres>>::encode(self.time()?, buf)
    }
}

impl<'r> Decode<'r, Postgres> for Stamp {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Stamp::of(<OffsetDateTime as Decode<Postgres>>::decode(
            value,
        )?))
    }
}
