//! People: accounts, sessions, personal tokens, invites and failed sign-ins.
//!
//! Secrets arrive here already hashed (`auth::secret`); nothing in these tables lets anyone act
//! as a person without the token they were given.

use model::Uuid;
use model::api::{Scope, TokenInfo, User};

use super::backend::{Fields, Id, Seconds, on};
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

pub(super) fn user_from(row: &impl Fields, prefix: &str) -> Result<User, StoreError> {
    Ok(User {
        id: row.field::<Id>(&format!("{prefix}id"))?.0,
        email: row.field(&format!("{prefix}email"))?,
        name: row.field(&format!("{prefix}name"))?,
    })
}

fn person_from(row: &impl Fields) -> Result<Person, StoreError> {
    Ok(Person {
        user: user_from(row, "")?,
        admin: row.field("admin")?,
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
    let (first, inserted, used) = on!(tx, |c| {
        let first: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM users)")
            .fetch_one(&mut *c)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, email_key, name, password_hash, admin, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email_key) DO NOTHING",
        )
        .bind(Id(id))
        .bind(new.email)
        .bind(new.email_key)
        .bind(new.name)
        .bind(new.password_hash)
        .bind(first)
        .bind(Seconds(now))
        .execute(&mut *c)
        .await?
        .rows_affected();
        if first && inserted > 0 {
            sqlx::query("UPDATE diagrams SET owner_id = $1 WHERE owner_id IS NULL")
                .bind(Id(id))
                .execute(&mut *c)
                .await?;
        }
        // Used up here, in the transaction that needs it: two sign-ups cannot share one invite.
        let used = match new.invite {
            Some(invite) if inserted > 0 => {
                sqlx::query(
                    "UPDATE invites SET used_at = $1
                     WHERE id = $2 AND used_at IS NULL AND expires_at > $1",
                )
                .bind(Seconds(now))
                .bind(Id(invite))
                .execute(&mut *c)
                .await?
                .rows_affected()
                    == 1
            }
            _ => false,
        };
        (first, inserted, used)
    });
    if inserted == 0 {
        return Err(NotCreated::EmailTaken);
    }
    if new.invite_required && !first && !used {
        return Err(NotCreated::InviteRequired);
    }
    insert_session(tx.conn(), new.session, id, now).await?;
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
    Ok(on!(db.conn().await?, |c| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users)"
    )
    .fetch_one(&mut *c)
    .await?))
}

/// The person with this (lowercased) email, and their password hash.
pub async fn by_email(db: &Db, email_key: &str) -> Result<Option<(Person, String)>, StoreError> {
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT id, email, name, admin, password_hash FROM users WHERE email_key = $1",
        )
        .bind(email_key)
        .fetch_optional(&mut *c)
        .await?;
        row.map(|row| Ok((person_from(&row)?, row.field("password_hash")?)))
            .transpose()
    })
}

pub async fn password_hash(db: &Db, user: Uuid) -> Result<String, StoreError> {
    let hash: Option<String> = on!(db.conn().await?, |c| sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE id = $1"
    )
    .bind(Id(user))
    .fetch_optional(&mut *c)
    .await?);
    hash.ok_or(StoreError::NotFound)
}

/// Sets a new password and replaces every session of the person by `session`.
pub async fn change_password(
    db: &Db,
    user: Uuid,
    hash: &str,
    session: &[u8],
) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    on!(tx, |c| {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(Id(user))
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(Id(user))
            .execute(&mut *c)
            .await?;
    });
    insert_session(tx.conn(), session, user, now()).await?;
    tx.commit().await?;
    // Live connections made with the ended sessions end too.
    db.recheck(None).await;
    Ok(())
}

pub async fn rename(db: &Db, user: Uuid, name: &str) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| sqlx::query(
        "UPDATE users SET name = $1 WHERE id = $2"
    )
    .bind(name)
    .bind(Id(user))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

async fn insert_session(
    mut conn: super::backend::Conn<'_>,
    token_hash: &[u8],
    user: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    on!(conn, |c| sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
         VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(Id(user))
    .bind(Seconds(now))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn create_session(db: &Db, token_hash: &[u8], user: Uuid) -> Result<(), StoreError> {
    insert_session(db.conn().await?.conn(), token_hash, user, now()).await?;
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
    let found = on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.name, u.admin, s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await?;
        match row {
            Some(row) => Some(LiveSession {
                person: person_from(&row)?,
                last_seen_at: row.field::<Seconds>("last_seen_at")?.0,
            }),
            None => None,
        }
    });
    let Some(found) = found else { return Ok(None) };
    if now() - found.last_seen_at >= idle {
        end_session(db, token_hash).await?;
        return Ok(None);
    }
    Ok(Some(found))
}

/// Marks a session as used now (its idle time starts again).
pub async fn touch_session(db: &Db, token_hash: &[u8]) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| sqlx::query(
        "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2"
    )
    .bind(Seconds(now()))
    .bind(token_hash)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn end_session(db: &Db, token_hash: &[u8]) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| sqlx::query(
        "DELETE FROM sessions WHERE token_hash = $1"
    )
    .bind(token_hash)
    .execute(&mut *c)
    .await?
    .rows_affected());
    db.recheck(None).await;
    Ok(())
}

/// The person holding an API token, with the token's id and scope; marks it used.
pub async fn token(
    db: &Db,
    token_hash: &[u8],
) -> Result<Option<(Person, Uuid, Scope)>, StoreError> {
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.name, u.admin, t.id AS token_id, t.scope, t.last_used_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let token_id = row.field::<Id>("token_id")?.0;
        let scope = scope_from(&row.field::<String>("scope")?);
        // Written at most once a minute, so a busy script does not write on every request.
        let last_used: Option<Seconds> = row.field("last_used_at")?;
        if last_used.is_none_or(|at| now() - at.0 >= 60) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(Seconds(now()))
                .bind(Id(token_id))
                .execute(&mut *c)
                .await?;
        }
        Ok(Some((person_from(&row)?, token_id, scope)))
    })
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
    on!(db.conn().await?, |c| sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, scope, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Id(id))
    .bind(Id(user))
    .bind(name)
    .bind(scope_name(scope))
    .bind(token_hash)
    .bind(Seconds(now()))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(id)
}

pub async fn tokens(db: &Db, user: Uuid) -> Result<Vec<TokenInfo>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT id, name, scope, created_at, last_used_at FROM api_tokens
             WHERE user_id = $1 ORDER BY created_at, rowid",
        )
        .bind(Id(user))
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TokenInfo {
                    id: row.field::<Id>("id")?.0,
                    name: row.field("name")?,
                    scope: scope_from(&row.field::<String>("scope")?),
                    created_at: rfc3339(row.field::<Seconds>("created_at")?.0),
                    last_used_at: row
                        .field::<Option<Seconds>>("last_used_at")?
                        .map(|at| rfc3339(at.0)),
                })
            })
            .collect()
    })
}

/// Revokes one of the person's tokens; false when they have none with that id.
pub async fn revoke_token(db: &Db, user: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = on!(db.conn().await?, |c| sqlx::query(
        "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2"
    )
    .bind(Id(id))
    .bind(Id(user))
    .execute(&mut *c)
    .await?
    .rows_affected());
    db.recheck(None).await;
    Ok(done > 0)
}

/// Whether the person may invite others: the administrator, or the owner of some diagram.
pub async fn may_invite(db: &Db, person: &Person) -> Result<bool, StoreError> {
    if person.admin {
        return Ok(true);
    }
    Ok(on!(db.conn().await?, |c| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM diagrams WHERE owner_id = $1)
             OR EXISTS (SELECT 1 FROM diagram_members WHERE user_id = $1 AND role = 'owner')",
    )
    .bind(Id(person.user.id))
    .fetch_one(&mut *c)
    .await?))
}

pub async fn create_invite(
    db: &Db,
    by: Uuid,
    email_key: Option<&str>,
    token_hash: &[u8],
    expires_at: i64,
) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    on!(db.conn().await?, |c| sqlx::query(
        "INSERT INTO invites (id, token_hash, email_key, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Id(id))
    .bind(token_hash)
    .bind(email_key)
    .bind(Id(by))
    .bind(Seconds(now()))
    .bind(Seconds(expires_at))
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(id)
}

/// The invite with this token hash, if it is unused, unexpired and fits the email.
pub async fn invite_usable(
    db: &Db,
    token_hash: &[u8],
    email_key: &str,
) -> Result<Option<Uuid>, StoreError> {
    let id: Option<Id> = on!(db.conn().await?, |c| sqlx::query_scalar(
        "SELECT id FROM invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
           AND (email_key IS NULL OR email_key = $3)",
    )
    .bind(token_hash)
    .bind(Seconds(now()))
    .bind(email_key)
    .fetch_optional(&mut *c)
    .await?);
    Ok(id.map(|id| id.0))
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
    let charged = on!(tx, |c| {
        sqlx::query("DELETE FROM sign_in_failures WHERE at <= $1")
            .bind(Seconds(now - window))
            .execute(&mut *c)
            .await?;
        for key in keys {
            let (n, oldest): (i64, Option<Seconds>) = sqlx::query_as(
                "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE key = $1",
            )
            .bind(key)
            .fetch_one(&mut *c)
            .await?;
            if n >= max {
                return Ok(Attempt::Refused {
                    until: oldest.map_or(now, |at| at.0) + window,
                });
            }
        }
        let mut charged = Vec::with_capacity(keys.len());
        for key in keys {
            let row: i64 = sqlx::query_scalar(
                "INSERT INTO sign_in_failures (key, at) VALUES ($1, $2) RETURNING rowid",
            )
            .bind(key)
            .bind(Seconds(now))
            .fetch_one(&mut *c)
            .await?;
            charged.push(row);
        }
        charged
    });
    tx.commit().await?;
    Ok(Attempt::Charged(charged))
}

/// Forgets a successful attempt, and every earlier failure under `key` (the account's).
pub async fn succeeded(db: &Db, charged: &[i64], key: &str) -> Result<(), StoreError> {
    let mut tx = db.write().await?;
    on!(tx, |c| {
        for id in charged {
            sqlx::query("DELETE FROM sign_in_failures WHERE rowid = $1")
                .bind(id)
                .execute(&mut *c)
                .await?;
        }
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *c)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// The person with this (lowercased) email.
pub async fn user_by_email(db: &Db, email_key: &str) -> Result<Option<User>, StoreError> {
    Ok(by_email(db, email_key).await?.map(|(p, _)| p.user))
}
