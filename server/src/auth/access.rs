//! The one check every API route passes: each route is registered with the [`Access`] it needs
//! (`routes::table`), and [`enforce`] resolves the caller and decides before the handler runs.
//! A route cannot be added without saying who may use it, and the access-matrix test walks the
//! same table.
//!
//! Answers follow one rule: a diagram or team the caller may not see is `404 not_found`, the same
//! as one that does not exist; one they see but may not change is `403 forbidden`; no known
//! caller where one is needed is `401 unauthenticated`.

use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use model::Uuid;
use model::api::{Role, TeamRole};

use super::caller::Caller;
use crate::db;
use crate::db::people::Person;
use crate::error::ApiError;
use crate::proxy::ClientInfo;
use crate::state::AppState;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (sign-up, sign-in, opening a share link).
    Public,
    /// A signed-in person (session or personal token).
    Person,
    /// Someone with at least this role on the diagram `{id}` of the path.
    Diagram(Role),
    /// A member of the team `{team_id}` of the path with at least this role.
    Team(TeamRole),
}

/// What [`enforce`] found, for the handler: the caller and their role on the path's diagram.
#[derive(Debug, Clone)]
pub struct Grant {
    pub caller: Caller,
    pub role: Option<Role>,
    pub team_role: Option<TeamRole>,
}

impl Grant {
    /// The person; only on routes that need one.
    pub fn person(&self) -> Result<&Person, ApiError> {
        self.caller.person().ok_or(ApiError::Unauthenticated)
    }
}

/// The middleware of every API route (see the module's doc).
pub async fn enforce(
    State((state, access)): State<(AppState, Access)>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let params = RawPathParams::from_request_parts(&mut parts, &state)
        .await
        .ok();
    let param = |name: &str| {
        params.as_ref().and_then(|p| {
            p.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, v)| v.to_string())
        })
    };
    let granted = async {
        let caller = Caller::resolve(&state, &parts.headers).await?;
        let grant = decide(&state, access, caller, &param).await?;
        if !grant.caller.may_use(&parts.method) {
            return Err(ApiError::Forbidden("this token is read-only".into()));
        }
        Ok::<_, ApiError>(grant)
    }
    .await;
    let grant = match granted {
        Ok(grant) => grant,
        Err(error) => return error.into_response(),
    };
    let secure = parts
        .extensions
        .get::<ClientInfo>()
        .is_some_and(|c| c.https);
    let caller = grant.caller.clone();
    parts.extensions.insert(grant);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    caller.renew_cookie(&mut response, secure, state.auth.session_idle);
    response
}

async fn decide(
    state: &AppState,
    access: Access,
    caller: Caller,
    param: &impl Fn(&str) -> Option<String>,
) -> Result<Grant, ApiError> {
    let id = |name: &str| {
        let text = param(name).unwrap_or_default();
        Uuid::parse_str(&text).map_err(|_| ApiError::BadPath(format!("{text:?} is not an id")))
    };
    let mut grant = Grant {
        caller,
        role: None,
        team_role: None,
    };
    match access {
        Access::Public => {}
        Access::Person => {
            grant.person()?;
        }
        Access::Diagram(least) => {
            if matches!(grant.caller, Caller::Anonymous) {
                return Err(ApiError::Unauthenticated);
            }
            let diagram = id("id")?;
            let role = require_diagram(state, &grant.caller, diagram, least).await?;
            grant.role = Some(role);
        }
        Access::Team(least) => {
            let user = grant.person()?.user.id;
            let team = id("team_id")?;
            let role = db::access::team_role(&state.db, team, user)
                .await?
                .ok_or_else(|| ApiError::NotFound("no such team".into()))?;
            if role < least {
                return Err(ApiError::Forbidden(format!(
                    "this needs the {} role in the team",
                    least.as_str()
                )));
            }
            grant.team_role = Some(role);
        }
    }
    Ok(grant)
}

pub fn not_found() -> ApiError {
    ApiError::NotFound("no such diagram".into())
}

/// The caller's role on diagram `id`; `None` when they may not see it (or it does not exist).
pub async fn diagram_role(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> Result<Option<Role>, ApiError> {
    Ok(match caller {
        Caller::Anonymous => None,
        Caller::Person { person, .. } => {
            db::access::diagram_role(&state.db, id, person.user.id).await?
        }
        Caller::Link(link) => (link.diagram == id
            && db::access::diagram_exists(&state.db, id).await?)
            .then_some(link.role),
    })
}

/// The caller's role on diagram `id` when it is at least `least`: `404` when they may not see
/// it, `403` when the role is too low. [`enforce`] and the handlers that check a diagram named
/// elsewhere (import into an existing one) share it.
pub async fn require_diagram(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    least: Role,
) -> Result<Role, ApiError> {
    let role = diagram_role(state, caller, id)
        .await?
        .ok_or_else(not_found)?;
    if role < least {
        return Err(ApiError::Forbidden(format!(
            "this needs the {} role on the diagram; you are {}",
            least.as_str(),
            role.as_str()
        )));
    }
    Ok(role)
}
