//! The words people read for the API's roles and scopes (the wire names are lowercase codes).

use model::api::{Role, Scope, TeamRole};

pub const ROLES: [Role; 3] = [Role::Viewer, Role::Editor, Role::Owner];
pub const TEAM_ROLES: [TeamRole; 3] = [TeamRole::Viewer, TeamRole::Editor, TeamRole::Admin];

pub fn role(role: Role) -> &'static str {
    match role {
        Role::Viewer => "Viewer",
        Role::Editor => "Editor",
        Role::Owner => "Owner",
    }
}

pub fn team_role(role: TeamRole) -> &'static str {
    match role {
        TeamRole::Viewer => "Viewer",
        TeamRole::Editor => "Editor",
        TeamRole::Admin => "Admin",
    }
}

pub fn scope(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "Read only",
        Scope::Write => "Read and write",
    }
}
