//! Calls about people: the session, personal tokens, invites, teams, and who has a diagram
//! (shares and share links).

use model::Uuid;
use model::api::{
    Account, CreatedInvite, CreatedLink, CreatedToken, LinkInfo, LinkTarget, Member, Members,
    NewInvite, NewLink, NewMember, NewTeam, NewTeamMember, NewToken, PasswordChange, ProfileChange,
    Role, RoleChange, SignIn, SignUp, TeamDetail, TeamMember, TeamRole, TeamSummary, TokenInfo,
};

use super::{Failure, call, done, get};

pub async fn sign_up(form: SignUp) -> Result<Account, Failure> {
    call("POST", "/api/auth/signup", Some(&form)).await
}

pub async fn sign_in(form: SignIn) -> Result<Account, Failure> {
    call("POST", "/api/auth/login", Some(&form)).await
}

pub async fn sign_out() -> Result<(), Failure> {
    done("POST", "/api/auth/logout", None::<&()>).await
}

/// The signed-in person; `Refused` with 401 when nobody is.
pub async fn me() -> Result<Account, Failure> {
    get("/api/auth/me").await
}

pub async fn rename_me(name: String) -> Result<Account, Failure> {
    call("PATCH", "/api/auth/me", Some(&ProfileChange { name })).await
}

pub async fn change_password(change: PasswordChange) -> Result<(), Failure> {
    done("POST", "/api/auth/password", Some(&change)).await
}

pub async fn tokens() -> Result<Vec<TokenInfo>, Failure> {
    get("/api/tokens").await
}

pub async fn create_token(token: NewToken) -> Result<CreatedToken, Failure> {
    call("POST", "/api/tokens", Some(&token)).await
}

pub async fn revoke_token(id: Uuid) -> Result<(), Failure> {
    done("DELETE", &format!("/api/tokens/{id}"), None::<&()>).await
}

pub async fn create_invite(email: Option<String>) -> Result<CreatedInvite, Failure> {
    call("POST", "/api/invites", Some(&NewInvite { email })).await
}

pub async fn members(diagram: Uuid) -> Result<Members, Failure> {
    get(&format!("/api/diagrams/{diagram}/members")).await
}

pub async fn add_member(diagram: Uuid, member: NewMember) -> Result<Member, Failure> {
    let url = format!("/api/diagrams/{diagram}/members");
    call("POST", &url, Some(&member)).await
}

pub async fn change_member(diagram: Uuid, user: Uuid, role: Role) -> Result<Member, Failure> {
    let url = format!("/api/diagrams/{diagram}/members/{user}");
    call("PATCH", &url, Some(&RoleChange { role })).await
}

pub async fn remove_member(diagram: Uuid, user: Uuid) -> Result<(), Failure> {
    let url = format!("/api/diagrams/{diagram}/members/{user}");
    done("DELETE", &url, None::<&()>).await
}

pub async fn links(diagram: Uuid) -> Result<Vec<LinkInfo>, Failure> {
    get(&format!("/api/diagrams/{diagram}/links")).await
}

pub async fn create_link(diagram: Uuid, link: NewLink) -> Result<CreatedLink, Failure> {
    call(
        "POST",
        &format!("/api/diagrams/{diagram}/links"),
        Some(&link),
    )
    .await
}

pub async fn revoke_link(diagram: Uuid, link: Uuid) -> Result<(), Failure> {
    let url = format!("/api/diagrams/{diagram}/links/{link}");
    done("DELETE", &url, None::<&()>).await
}

/// What a share link opens, and the role it gives (opening changes nothing).
pub async fn open_link(token: &str) -> Result<LinkTarget, Failure> {
    let url = format!("/api/links/{}", super::encode(token));
    get(&url).await
}

/// Joins the diagram of an editor link as its editor.
pub async fn join_link(token: &str) -> Result<LinkTarget, Failure> {
    let url = format!("/api/links/{}/join", super::encode(token));
    call("POST", &url, None::<&()>).await
}

pub async fn teams() -> Result<Vec<TeamSummary>, Failure> {
    get("/api/teams").await
}

pub async fn team(id: Uuid) -> Result<TeamDetail, Failure> {
    get(&format!("/api/teams/{id}")).await
}

pub async fn create_team(name: String) -> Result<TeamDetail, Failure> {
    call("POST", "/api/teams", Some(&NewTeam { name })).await
}

pub async fn rename_team(id: Uuid, name: String) -> Result<TeamDetail, Failure> {
    call(
        "PATCH",
        &format!("/api/teams/{id}"),
        Some(&NewTeam { name }),
    )
    .await
}

pub async fn delete_team(id: Uuid) -> Result<(), Failure> {
    done("DELETE", &format!("/api/teams/{id}"), None::<&()>).await
}

pub async fn add_team_member(team: Uuid, member: NewTeamMember) -> Result<TeamMember, Failure> {
    call("POST", &format!("/api/teams/{team}/members"), Some(&member)).await
}

pub async fn change_team_member(
    team: Uuid,
    user: Uuid,
    role: TeamRole,
) -> Result<TeamMember, Failure> {
    let url = format!("/api/teams/{team}/members/{user}");
    call("PATCH", &url, Some(&RoleChange { role })).await
}

pub async fn remove_team_member(team: Uuid, user: Uuid) -> Result<(), Failure> {
    let url = format!("/api/teams/{team}/members/{user}");
    done("DELETE", &url, None::<&()>).await
}
