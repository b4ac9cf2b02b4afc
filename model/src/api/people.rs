//! Wire types of accounts, sessions, tokens, shares, links and teams.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Diagram;

/// What a person may do with a diagram; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads and exports.
    Viewer,
    /// Also changes the content.
    Editor,
    /// Also deletes the diagram and decides who has it.
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Owner => "owner",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }
}

/// A member's role in a team. A team's diagrams give its viewers `viewer`, its editors `editor`
/// and its admins `owner`; admins also manage the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TeamRole {
    Viewer,
    Editor,
    Admin,
}

impl TeamRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Viewer => "viewer",
            TeamRole::Editor => "editor",
            TeamRole::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "viewer" => Some(TeamRole::Viewer),
            "editor" => Some(TeamRole::Editor),
            "admin" => Some(TeamRole::Admin),
            _ => None,
        }
    }

    /// The role this team role gives on the team's diagrams.
    pub fn diagram_role(self) -> Role {
        match self {
            TeamRole::Viewer => Role::Viewer,
            TeamRole::Editor => Role::Editor,
            TeamRole::Admin => Role::Owner,
        }
    }
}

/// What a personal API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Only reading requests (GET).
    Read,
    /// Everything the person may do.
    Write,
}

/// A person, as others see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// `POST /api/auth/signup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    pub name: String,
    pub password: String,
    /// The invite token, needed when the server's sign-up is by invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<String>,
}

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

/// The signed-in person: the answer to sign-up, sign-in and `GET /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub user: User,
    /// The server's administrator (the first account).
    #[serde(default)]
    pub admin: bool,
}

/// `PATCH /api/auth/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileChange {
    pub name: String,
}

/// `POST /api/auth/password`: ends every other session of the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    pub scope: Scope,
}

/// A personal token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: Uuid,
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// The answer to `POST /api/tokens`: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub id: Uuid,
    pub token: String,
    pub name: String,
    pub scope: Scope,
}

/// Someone who has a diagram: its creator, a person it was shared with, or a team's member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user: User,
    pub role: Role,
    pub via: Via,
}

/// How someone has a diagram. Only shares are changed or removed through the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Creator,
    Share,
    Team,
}

/// `GET /api/diagrams/{id}/members`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Members {
    pub members: Vec<Member>,
    /// The team the diagram belongs to.
    pub team: Option<TeamRef>,
    /// The caller's own role.
    pub your_role: Role,
}

/// `POST /api/diagrams/{id}/members`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMember {
    pub email: String,
    pub role: Role,
}

/// `PATCH /api/diagrams/{id}/members/{user_id}` and the team member counterpart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange<R> {
    pub role: R,
}

/// `POST /api/diagrams/{id}/links`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    pub role: Role,
    /// RFC 3339; none for a link that does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// A share link as listed (its token is shown only when created).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub id: Uuid,
    pub role: Role,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub created_by: Option<User>,
}

/// The answer to `POST /api/diagrams/{id}/links`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedLink {
    pub id: Uuid,
    /// The page for the link, absolute (`…/s/{token}`).
    pub url: String,
    pub token: String,
    pub role: Role,
    pub expires_at: Option<String>,
}

/// `GET /api/links/{token}`: the diagram a link opens, with the role it gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkTarget {
    pub diagram: Diagram,
    pub revision: i64,
    pub role: Role,
}

/// A team named in a diagram or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRef {
    pub id: Uuid,
    pub name: String,
}

/// One of the caller's teams: `GET /api/teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: Uuid,
    pub name: String,
    /// The caller's role in it.
    pub role: TeamRole,
}

/// `GET /api/teams/{team_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamDetail {
    pub id: Uuid,
    pub name: String,
    pub role: TeamRole,
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user: User,
    pub role: TeamRole,
}

/// `POST /api/teams` and `PATCH /api/teams/{team_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: String,
}

/// `POST /api/teams/{team_id}/members`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTeamMember {
    pub email: String,
    pub role: TeamRole,
}

/// `POST /api/invites`: an invite to create an account (when sign-up is by invite).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// Whom it is for; anyone holding it may use it when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The answer to `POST /api/invites`: the only time the token is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedInvite {
    pub id: Uuid,
    /// The sign-up page with the invite in it.
    pub url: String,
    pub token: String,
    pub expires_at: String,
}

/// Who made a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Author {
    /// A signed-in person (or their token).
    Person { id: Uuid, name: String },
    /// Someone holding a share link.
    Link { id: Uuid },
}
