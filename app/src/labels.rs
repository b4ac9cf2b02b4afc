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

/// `(wire name, label)` of each role, for a select.
pub fn roles(roles: &[Role]) -> Vec<(&'static str, &'static str)> {
    roles.iter().map(|&r| (r.as_str(), role(r))).collect()
}

/// `(wire name, label)` of each team role, for a select.
pub fn team_roles() -> Vec<(&'static str, &'static str)> {
    TEAM_ROLES.map(|r| (r.as_str(), team_role(r))).to_vec()
}
