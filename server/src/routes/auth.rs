//! `/api/auth`: sign up, sign in and out, the signed-in person, and their password.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use model::api::{Account, PasswordChange, ProfileChange, SignIn, SignUp};

use super::extract::Json;
use super::{Entry, route};
use crate::auth::caller::Via;
use crate::auth::{Access, Grant, Signup, cookie, password, secret};
use crate::db::people::{self, NewPerson, NotCreated, Person};
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::state::AppState;

pub fn routes() -> Vec<Entry> {
    vec![
        route(Method::POST, "/auth/signup", Access::Public, signup),
        route(Method::POST, "/auth/login", Access::Public, login),
        route(Method::POST, "/auth/logout", Access::Public, logout),
        route(Method::GET, "/auth/me", Access::Person, me),
        route(Method::PATCH, "/auth/me", Access::Person, rename),
        route(
            Method::POST,
            "/auth/password",
            Access::Person,
            change_password,
        ),
    ]
}

/// Failed sign-ins (per account, per client address) allowed in [`WINDOW`] seconds.
const MAX_FAILURES: i64 = 10;
const WINDOW: i64 = 15 * 60;

/// Passwords are at least this long (characters), and at most [`MAX_PASSWORD`] bytes.
const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 1024;

pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn valid_email(email: &str) -> Result<&str, ApiError> {
    let email = email.trim();
    let ok = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if ok {
        Ok(email)
    } else {
        Err(ApiError::Unprocessable(
            "invalid_email",
            "that is not an email address".into(),
        ))
    }
}

/// A display name: trimmed, 1 to 100 characters.
pub fn valid_name(name: &str) -> Result<&str, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::Unprocessable(
            "invalid_name",
            "a name has 1 to 100 characters".into(),
        ));
    }
    Ok(name)
}

/// The person someone means by an email (sharing, adding to a team).
pub async fn person_by_email(state: &AppState, email: &str) -> Result<model::api::User, ApiError> {
    people::user_by_email(&state.db, &email_key(email))
        .await?
        .ok_or_else(|| {
            ApiError::Unprocessable(
                "unknown_person",
                "no account has that email; send them an invite link first".into(),
            )
        })
}

fn check_password(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::WeakPassword);
    }
    if password.len() > MAX_PASSWORD {
        return Err(ApiError::Unprocessable(
            "invalid_password",
            format!("a password has at most {MAX_PASSWORD} bytes"),
        ));
    }
    Ok(())
}

fn secure(client: &Option<Extension<ClientInfo>>) -> bool {
    client.as_ref().is_some_and(|c| c.0.https)
}

/// The throttle's key for a client address: IPv6 clients by their /64, which one subscriber
/// usually holds whole.
fn address_key(ip: Option<std::net::IpAddr>) -> String {
    match ip.map(|ip| ip.to_canonical()) {
        Some(std::net::IpAddr::V6(v6)) => {
            let prefix = u128::from(v6) >> 64 << 64;
            format!("ip:{}/64", std::net::Ipv6Addr::from(prefix))
        }
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".into(),
    }
}

/// Charges a password attempt to each key (see `people::attempt`); `429` when one has none left.
async fn charge(state: &AppState, keys: &[&str]) -> Result<Vec<i64>, ApiError> {
    match people::attempt(&state.db, keys, MAX_FAILURES, WINDOW).await? {
        people::Attempt::Charged(rows) => Ok(rows),
        people::Attempt::Refused { until } => {
            let retry = (until - people::now()).max(1);
            Err(ApiError::TooManyAttempts(u64::try_from(retry).unwrap_or(1)))
        }
    }
}

/// The password and the tokens are managed with a session only: a leaked token cannot mint
/// more tokens (which would outlive its revocation) or change the password.
pub fn require_session(grant: &Grant) -> Result<&Person, ApiError> {
    match &grant.caller {
        crate::auth::Caller::Person {
            person,
            via: Via::Session { .. },
        } => Ok(person),
        crate::auth::Caller::Person { .. } => Err(ApiError::Forbidden(
            "sign in on the page for this; a token cannot do it".into(),
        )),
        _ => Err(ApiError::Unauthenticated),
    }
}

/// An answer that starts a session: the account and its cookie.
fn signed_in(
    status: StatusCode,
    person: &Person,
    token: &str,
    secure: bool,
    state: &AppState,
) -> Response {
    let cookie = cookie::set(token, secure, state.auth.session_idle);
    (
        status,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        axum::Json(account(person)),
    )
        .into_response()
}

fn account(person: &Person) -> Account {
    Account {
        user: person.user.clone(),
        admin: person.admin,
    }
}

async fn signup(
    State(state): State<AppState>,
    client: Option<Extension<ClientInfo>>,
    Json(body): Json<SignUp>,
) -> Result<Response, ApiError> {
    let email = valid_email(&body.email)?;
    let key = email_key(email);
    let name = valid_name(&body.name)?;
    check_password(&body.password)?;
    let invite = match &body.invite {
        Some(token) => people::invite_usable(&state.db, &secret::hash(token), &key).await?,
        None => None,
    };
    if state.auth.signup == Signup::Invite
        && invite.is_none()
        && people::any_user(&state.db).await?
    {
        return Err(ApiError::InviteRequired);
    }
    let hash = password::hash(body.password).await?;
    let (token, token_hash) = secret::new_token("");
    let created = people::create_user(
        &state.db,
        NewPerson {
            email,
            email_key: &key,
            name,
            password_hash: &hash,
            invite,
            invite_required: state.auth.signup == Signup::Invite,
            session: &token_hash,
        },
    )
    .await;
    let person = match created {
        Ok(person) => person,
        Err(NotCreated::EmailTaken) => return Err(ApiError::EmailTaken),
        Err(NotCreated::InviteRequired) => return Err(ApiError::InviteRequired),
        Err(NotCreated::Store(e)) => return Err(e.into()),
    };
    Ok(signed_in(
        StatusCode::CREATED,
        &person,
        &token,
        secure(&client),
        &state,
    ))
}

/// Signs in, unless this account or this client address failed too often lately. The password
/// is checked (against a decoy for an unknown email) before anything else is said, and both
/// failures answer the same, so timing and answer tell nothing about which emails have accounts.
async fn login(
    State(state): State<AppState>,
    client: Option<Extension<ClientInfo>>,
    Json(body): Json<SignIn>,
) -> Result<Response, ApiError> {
    let key = email_key(&body.email);
    // No account has an email over 254 bytes: such a key is cut so failures stay small rows.
    let account_key = format!("email:{}", &key[..key.floor_char_boundary(254)]);
    let address = client.as_ref().and_then(|c| c.0.ip);
    let charged = charge(&state, &[&account_key, &address_key(address)]).await?;
    let found = people::by_email(&state.db, &key).await?;
    let (person, stored) = match found {
        Some((person, hash)) => (Some(person), Some(hash)),
        None => (None, None),
    };
    let valid =
        body.password.len() <= MAX_PASSWORD && password::verify(body.password, stored).await?;
    let Some(person) = person.filter(|_| valid) else {
        return Err(ApiError::InvalidCredentials);
    };
    people::succeeded(&state.db, &charged, &account_key).await?;
    let (token, token_hash) = secret::new_token("");
    people::create_session(&state.db, &token_hash, person.user.id).await?;
    Ok(signed_in(
        StatusCode::OK,
        &person,
        &token,
        secure(&client),
        &state,
    ))
}

/// Ends the request's session (if any) and clears its cookie.
async fn logout(
    State(state): State<AppState>,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie::session_token(&headers) {
        people::end_session(&state.db, &secret::hash(&token)).await?;
    }
    let clear: HeaderValue = cookie::clear(secure(&client));
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, clear)]),
    )
        .into_response())
}

async fn me(Extension(grant): Extension<Grant>) -> Result<axum::Json<Account>, ApiError> {
    Ok(axum::Json(account(grant.person()?)))
}

async fn rename(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Json(body): Json<ProfileChange>,
) -> Result<axum::Json<Account>, ApiError> {
    let mut person = grant.person()?.clone();
    let name = valid_name(&body.name)?;
    people::rename(&state.db, person.user.id, name).await?;
    person.user.name = name.to_string();
    Ok(axum::Json(account(&person)))
}

/// Sets a new password. Every session of the person ends (others may have been opened with the
/// old password by someone else); the session that made the change is replaced by a new one.
/// Personal tokens stay: each is revoked on its own.
async fn change_password(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    client: Option<Extension<ClientInfo>>,
    Json(body): Json<PasswordChange>,
) -> Result<Response, ApiError> {
    let person = require_session(&grant)?;
    check_password(&body.new_password)?;
    // A stolen session must not try current passwords without end: the sign-in throttle.
    let account_key = format!("email:{}", email_key(&person.user.email));
    let charged = charge(&state, &[&account_key]).await?;
    let stored = people::password_hash(&state.db, person.user.id).await?;
    let matches = body.current_password.len() <= MAX_PASSWORD
        && password::verify(body.current_password, Some(stored)).await?;
    if !matches {
        return Err(ApiError::InvalidCredentials);
    }
    people::succeeded(&state.db, &charged, &account_key).await?;
    let hash = password::hash(body.new_password).await?;
    let (token, token_hash) = secret::new_token("");
    people::change_password(&state.db, person.user.id, &hash, &token_hash).await?;
    let cookie = cookie::set(&token, secure(&client), state.auth.session_idle);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
    )
        .into_response())
}
