//! People: accounts, sessions, personal tokens, invites and failed sign-ins.
//!
//! Secrets arrive here already hashed (`auth::secret`); nothing in these tables lets anyone act
//! as a person without the token they were given.

use model::Uuid;
use model::api::{Scope, TokenInfo, User};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::diagrams::parse_id;
use super::{Db, StoreError};

/// The current time in Unix seconds.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Unix seconds as RFC 3339 (UTC), as the API writes times.
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A person as stored, with what the server needs beyond [`User`].
#[derive(Debug, Clone)]
pub struct Person {
    pub user: User,
    pub admin: bool,
}

pub(super) fn user_from(row: &SqliteRow, prefix: &str) -> Result<User, StoreError> {
    Ok(User {
        id: parse_id(row.try_get(format!("{prefix}id").as_str())?)?,
        email: row.try_get(format!("{prefix}email").as_str())?,
        name: row.try_get(format!("{prefix}name").as_str())?,
    })
}

fn person_from(row: &SqliteRow) -> Result<Person, StoreError> {
    Ok(Person {
        user: user_from(row, "")?,
        admin: row.try_get::<i64, _>("admin")? != 0,
    })
}

/// What `create_user` needs.
pub struct NewPerson<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    /// An invite to use up (found by `invite_usable`; used up here, once).
    pub invite: Option<Uuid>,
    /// Whether an account needs an invite (sign-up by invite; the first account never does).
    pub invite_required: bool,
    /// The new session's token hash.
    pub session: &'a [u8],
}

/// Why an account was not created.
pub enum NotCreated {
    EmailTaken,
    /// Sign-up is by invite, and the invite was used meanwhile (or there was none).
    InviteRequired,
    Store(StoreError),
}

impl From<sqlx::Error> for NotCreated {
    fn from(e: sqlx::Error) -> Self {
        NotCreated::Store(e.into())
    }
}

impl From<StoreError> for NotCreated {
    fn from(e: StoreError) -> Self {
        NotCreated::Store(e)
    }
}

/// Creates an account with its first session, in one transaction. The first account is the
/// administrator and takes every diagram stored before accounts existed.
pub async fn create_user(db: &Db, new: NewPerson<'_>) -> Result<Person, NotCreated> {
    let id = Uuid::new_v4();
    let now = now();
    let mut tx = db.write().await?;
    let first: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM users)")
        .fetch_one(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, email_key, name, password_hash, admin, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(new.email)
    .bind(new.email_key)
    .bind(new.name)
    .bind(new.password_hash)
    .bind(first)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(NotCreated::EmailTaken);
    }
    if first {
        sqlx::query("UPDATE diagrams SET owner_id = ? WHERE owner_id IS NULL")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
    }
    // Used up here, in the transaction that needs it: two sign-ups cannot share one invite.
    let used = match new.invite {
        Some(invite) => sqlx::query(
            "UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?",
        )
        .bind(now)
        .bind(invite.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1,
        None => false,
    };
    if new.invite_required && !first && !used {
        return Err(NotCreated::InviteRequired);
    }
    insert_session(&mut tx, new.session, id, now).await?;
    tx.commit().await?;
    Ok(Person {
        user: User {
            id,
            email: new.email.to_string(),
            name: new.name.to_string(),
        },
        admin: first,
    })
}

/// Whether any account exists (the first one may always be created).
pub async fn any_user(db: &Db) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users)")
        .fetch_one(&db.pool)
        .await?)
}

/// The person with this (lowercased) email, and their password hash.
pub async fn by_email(db: &Db, email_key: &str) -> Result<Option<(Person, String)>, StoreError> {
    let row =
        sqlx::query("SELECT id, email, name, admin, password_hash FROM users WHERE email_key = ?")
            .bind(email_key)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|row| Ok((person_from(&row)?, row.try_get("password_hash")?)))
        .transpose()
}

pub async fn password_hash(db: &Db, user: Uuid) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(user.to_string())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Sets a new password and replaces every session of the person by `session`.
pub async fn change_password(
    db: &Db,
    user: Uuid,
    hash: &str,
    session: &[u8],
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(user.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user.to_string())
        .execute(&mut *tx)
        .await?;
    insert_session(&mut tx, session, user, now()).await?;
    tx.commit().await?;
    // Live connections made with the ended sessions end too.
    db.hub.recheck(None);
    Ok(())
}

pub async fn rename(db: &Db, user: Uuid, name: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET name = ? WHERE id = ?")
        .bind(name)
        .bind(user.to_string())
        .execute(&db.pool)
        .await?;
    Ok(())
}

async fn insert_session(
    conn: &mut sqlx::SqliteConnection,
    token_hash: &[u8],
    user: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user.to_string())
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn create_session(db: &Db, token_hash: &[u8], user: Uuid) -> Result<(), StoreError> {
    insert_session(&mut *db.pool.acquire().await?, token_hash, user, now()).await?;
    Ok(())
}

/// A session still in use: the person, and when it was last seen.
pub struct LiveSession {
    pub person: Person,
    pub last_seen_at: i64,
}

/// The session with this token hash, unless it has been idle for `idle` seconds or more (an
/// idle one is deleted).
pub async fn session(
    db: &Db,
    token_hash: &[u8],
    idle: i64,
) -> Result<Option<LiveSession>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.name, u.admin, s.last_seen_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    if now() - last_seen_at >= idle {
        end_session(db, token_hash).await?;
        return Ok(None);
    }
    Ok(Some(LiveSession {
        person: person_from(&row)?,
        last_seen_at,
    }))
}

/// Marks a session as used now (its idle time starts again).
pub async fn touch_session(db: &Db, token_hash: &[u8]) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(now())
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn end_session(db: &Db, token_hash: &[u8]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    db.hub.recheck(None);
    Ok(())
}

/// The person holding an API token, with the token's id and scope; marks it used.
pub async fn token(
    db: &Db,
    token_hash: &[u8],
) -> Result<Option<(Person, Uuid, Scope)>, StoreError> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.name, u.admin, t.id AS token_id, t.scope, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let token_id = parse_id(row.try_get("token_id")?)?;
    let scope = scope_from(row.try_get("scope")?);
    // Written at most once a minute, so a busy script does not write on every request.
    let last_used: Option<i64> = row.try_get("last_used_at")?;
    if last_used.is_none_or(|at| now() - at >= 60) {
        sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(now())
            .bind(token_id.to_string())
            .execute(&db.pool)
            .await?;
    }
    Ok(Some((person_from(&row)?, token_id, scope)))
}

fn scope_from(text: &str) -> Scope {
    if text == "write" {
        Scope::Write
    } else {
        Scope::Read
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "read",
        Scope::Write => "write",
    }
}

pub async fn create_token(
    db: &Db,
    user: Uuid,
    name: &str,
    scope: Scope,
    token_hash: &[u8],
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, scope, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(name)
    .bind(scope_name(scope))
    .bind(token_hash)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(id)
}

pub async fn tokens(db: &Db, user: Uuid) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, name, scope, created_at, last_used_at FROM api_tokens
         WHERE user_id = ? ORDER BY created_at, rowid",
    )
    .bind(user.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TokenInfo {
                id: parse_id(row.try_get("id")?)?,
                name: row.try_get("name")?,
                scope: scope_from(row.try_get("scope")?),
                created_at: rfc3339(row.try_get("created_at")?),
                last_used_at: row.try_get::<Option<i64>, _>("last_used_at")?.map(rfc3339),
            })
        })
        .collect()
}

/// Revokes one of the person's tokens; false when they have none with that id.
pub async fn revoke_token(db: &Db, user: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE id = ? AND user_id = ?")
        .bind(id.to_string())
        .bind(user.to_string())
        .execute(&db.pool)
        .await?;
    db.hub.recheck(None);
    Ok(done.rows_affected() > 0)
}

/// Whether the person may invite others: the administrator, or the owner of some diagram.
pub async fn may_invite(db: &Db, person: &Person) -> Result<bool, StoreError> {
    if person.admin {
        return Ok(true);
    }
    let id = person.user.id.to_string();
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM diagrams WHERE owner_id = ?1)
             OR EXISTS (SELECT 1 FROM diagram_members WHERE user_id = ?1 AND role = 'owner')",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?)
}

pub async fn create_invite(
    db: &Db,
    by: Uuid,
    email_key: Option<&str>,
    token_hash: &[u8],
    expires_at: i64,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO invites (id, token_hash, email_key, created_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(token_hash)
    .bind(email_key)
    .bind(by.to_string())
    .bind(now())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// The invite with this token hash, if it is unused, unexpired and fits the email.
pub async fn invite_usable(
    db: &Db,
    token_hash: &[u8],
    email_key: &str,
) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM invites WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
           AND (email_key IS NULL OR email_key = ?)",
    )
    .bind(token_hash)
    .bind(now())
    .bind(email_key)
    .fetch_optional(&db.pool)
    .await?;
    id.map(parse_id).transpose()
}

/// What [`attempt`] decided.
pub enum Attempt {
    /// Go ahead; the attempt is recorded under these row ids, to forget if it succeeds.
    Charged(Vec<i64>),
    /// A key has used up its attempts; the oldest one leaves the window at this time.
    Refused { until: i64 },
}

/// Charges an attempt to each key before the password is checked, in one transaction, so that
/// parallel attempts cannot all read a count under the limit: at most `max` attempts per key in
/// the `window` (seconds) before now. Attempts older than the window are forgotten.
pub async fn attempt(db: &Db, keys: &[&str], max: i64, window: i64) -> Result<Attempt, StoreError> {
    let now = now();
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE at <= ?")
        .bind(now - window)
        .execute(&mut *tx)
        .await?;
    for key in keys {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE key = ?",
        )
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        if row.try_get::<i64, _>("n")? >= max {
            let oldest: Option<i64> = row.try_get("oldest")?;
            return Ok(Attempt::Refused {
                until: oldest.unwrap_or(now) + window,
            });
        }
    }
    let mut charged = Vec::with_capacity(keys.len());
    for key in keys {
        let done = sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES (?, ?)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        charged.push(done.last_insert_rowid());
    }
    tx.commit().await?;
    Ok(Attempt::Charged(charged))
}

/// Forgets a successful attempt, and every earlier failure under `key` (the account's).
pub async fn succeeded(db: &Db, charged: &[i64], key: &str) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    for id in charged {
        sqlx::query("DELETE FROM sign_in_failures WHERE rowid = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE key = ?")
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The person with this (lowercased) email.
pub async fn user_by_email(db: &Db, email_key: &str) -> Result<Option<User>, StoreError> {
    Ok(by_email(db, email_key).await?.map(|(p, _)| p.user))
}
