//! Who has which diagram: creators, shares, teams and share links.
//!
//! A person's role on a diagram is the highest of: creator (owner), a share, and the role their
//! team membership gives on the team's diagrams.

use super::backend::{Fields, Id, Seconds, Stamp, on};
use super::people::{now, rfc3339, user_from};
use super::{Db, StoreError};
use model::Uuid;
use model::api::{
    DiagramSummary, LinkInfo, Member, Members, Role, TeamDetail, TeamMember, TeamRef, TeamRole,
    TeamSummary, Via,
};

fn role_of(text: Option<String>) -> Option<Role> {
    text.as_deref().and_then(Role::parse)
}

fn team_role_of(text: Option<String>) -> Option<TeamRole> {
    text.as_deref().and_then(TeamRole::parse)
}

/// The person's role on diagram `id`; `None` when it does not exist or they may not see it.
pub async fn diagram_role(db: &Db, id: Uuid, user: Uuid) -> Result<Option<Role>, StoreError> {
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT d.owner_id = $2 AS creator,
                    (SELECT role FROM diagram_members WHERE diagram_id = d.id AND user_id = $2)
                        AS share_role,
                    (SELECT role FROM team_members WHERE team_id = d.team_id AND user_id = $2)
                        AS team_role
             FROM diagrams d WHERE d.id = $1",
        )
        .bind(Id(id))
        .bind(Id(user))
        .fetch_optional(&mut *c)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(best(
            row.field::<Option<bool>>("creator")?.unwrap_or(false),
            role_of(row.field("share_role")?),
            team_role_of(row.field("team_role")?),
        ))
    })
}

fn best(creator: bool, share: Option<Role>, team: Option<TeamRole>) -> Option<Role> {
    let creator = creator.then_some(Role::Owner);
    [creator, share, team.map(TeamRole::diagram_role)]
        .into_iter()
        .flatten()
        .max()
}

/// Whether diagram `id` exists (for share-link callers, whose role comes with the link).
pub async fn diagram_exists(db: &Db, id: Uuid) -> Result<bool, StoreError> {
    on!(db.conn().await?, |c| {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM diagrams WHERE id = $1)")
                .bind(Id(id))
                .fetch_one(&mut *c)
                .await?,
        )
    })
}

/// Every diagram the person may see, newest change first. The ids come from three indexed
/// lookups (own, shared, teams'), so the list costs what the person has, not what the server has.
#[tracing::instrument(skip(db))]
pub async fn list(db: &Db, user: Uuid) -> Result<Vec<DiagramSummary>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT d.id, d.name, d.table_count, d.updated_at, d.owner_id = $1 AS creator,
                    o.id AS owner_id, o.email AS owner_email, o.name AS owner_name,
                    t.id AS team_id, t.name AS team_name, m.role AS share_role, tm.role AS team_role
             FROM diagrams d
             LEFT JOIN users o ON o.id = d.owner_id
             LEFT JOIN teams t ON t.id = d.team_id
             LEFT JOIN diagram_members m ON m.diagram_id = d.id AND m.user_id = $1
             LEFT JOIN team_members tm ON tm.team_id = d.team_id AND tm.user_id = $1
             WHERE d.id IN (SELECT id FROM diagrams WHERE owner_id = $1
                            UNION SELECT diagram_id FROM diagram_members WHERE user_id = $1
                            UNION SELECT t.id FROM team_members tm2
                                  JOIN diagrams t ON t.team_id = tm2.team_id WHERE tm2.user_id = $1)
             ORDER BY d.updated_at DESC, d.id",
        )
        .bind(Id(user))
        .fetch_all(&mut *c)
        .await?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            let role = best(
                row.field::<Option<bool>>("creator")?.unwrap_or(false),
                role_of(row.field("share_role")?),
                team_role_of(row.field("team_role")?),
            );
            let owner = match row.field::<Option<Id>>("owner_id")? {
                Some(_) => Some(user_from(&row, "owner_")?),
                None => None,
            };
            let team = match row.field::<Option<Id>>("team_id")? {
                Some(Id(id)) => Some(TeamRef {
                    id,
                    name: row.field("team_name")?,
                }),
                None => None,
            };
            list.push(DiagramSummary {
                id: row.field::<Id>("id")?.0,
                name: row.field("name")?,
                table_count: u32::try_from(row.field::<i64>("table_count")?).unwrap_or(u32::MAX),
                updated_at: row.field::<Stamp>("updated_at")?.0,
                role: role.unwrap_or(Role::Viewer),
                owner,
                team,
            });
        }
        Ok(list)
    })
}

/// Everyone who has diagram `id`: its creator, its shares, and its team's members.
pub async fn members(db: &Db, id: Uuid, your_role: Role) -> Result<Members, StoreError> {
    on!(db.conn().await?, |c| {
        let mut members = Vec::new();
        let creator = sqlx::query(
            "SELECT u.id, u.email, u.name FROM diagrams d JOIN users u ON u.id = d.owner_id
             WHERE d.id = $1",
        )
        .bind(Id(id))
        .fetch_optional(&mut *c)
        .await?;
        if let Some(row) = creator {
            members.push(Member {
                user: user_from(&row, "")?,
                role: Role::Owner,
                via: Via::Creator,
            });
        }
        let shares = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role FROM diagram_members m
             JOIN users u ON u.id = m.user_id WHERE m.diagram_id = $1 ORDER BY m.created_at, m.rowid",
        )
        .bind(Id(id))
        .fetch_all(&mut *c)
        .await?;
        for row in shares {
            members.push(Member {
                user: user_from(&row, "")?,
                role: role_of(row.field("role")?).unwrap_or(Role::Viewer),
                via: Via::Share,
            });
        }
        let team = sqlx::query(
            "SELECT t.id, t.name FROM diagrams d JOIN teams t ON t.id = d.team_id WHERE d.id = $1",
        )
        .bind(Id(id))
        .fetch_optional(&mut *c)
        .await?;
        let team = match team {
            Some(row) => Some(TeamRef {
                id: row.field::<Id>("id")?.0,
                name: row.field("name")?,
            }),
            None => None,
        };
        if let Some(team) = &team {
            for member in team_members(db, team.id).await? {
                members.push(Member {
                    user: member.user,
                    role: member.role.diagram_role(),
                    via: Via::Team,
                });
            }
        }
        Ok(Members {
            members,
            team,
            your_role,
        })
    })
}

/// What sharing with a person did.
pub enum Shared {
    Done(Member),
    /// The person created the diagram: they own it already.
    Creator,
}

/// Shares diagram `id` with `user` as `role` (or changes the role of an existing share).
pub async fn share(db: &Db, id: Uuid, user: Uuid, role: Role) -> Result<Shared, StoreError> {
    on!(db.conn().await?, |c| {
        let creator: Option<Id> = sqlx::query_scalar("SELECT owner_id FROM diagrams WHERE id = $1")
            .bind(Id(id))
            .fetch_optional(&mut *c)
            .await?
            .flatten();
        if creator == Some(Id(user)) {
            return Ok(Shared::Creator);
        }
        sqlx::query(
            "INSERT INTO diagram_members (diagram_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (diagram_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(Id(id))
        .bind(Id(user))
        .bind(role.as_str())
        .bind(Seconds(now()))
        .execute(&mut *c)
        .await?;
        db.recheck(Some(id)).await;
        share_of(db, id, user)
            .await?
            .map(Shared::Done)
            .ok_or(StoreError::NotFound)
    })
}

/// Gives an existing share another role; `None` when there is no such share.
pub async fn change_share(
    db: &Db,
    id: Uuid,
    user: Uuid,
    role: Role,
) -> Result<Option<Member>, StoreError> {
    on!(db.conn().await?, |c| {
        let done = sqlx::query(
            "UPDATE diagram_members SET role = $1 WHERE diagram_id = $2 AND user_id = $3",
        )
        .bind(role.as_str())
        .bind(Id(id))
        .bind(Id(user))
        .execute(&mut *c)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        db.recheck(Some(id)).await;
        share_of(db, id, user).await
    })
}

/// The share of diagram `id` with `user`, if there is one.
pub async fn share_of(db: &Db, id: Uuid, user: Uuid) -> Result<Option<Member>, StoreError> {
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role FROM diagram_members m
             JOIN users u ON u.id = m.user_id WHERE m.diagram_id = $1 AND m.user_id = $2",
        )
        .bind(Id(id))
        .bind(Id(user))
        .fetch_optional(&mut *c)
        .await?;
        row.map(|row| {
            Ok(Member {
                user: user_from(&row, "")?,
                role: role_of(row.field("role")?).unwrap_or(Role::Viewer),
                via: Via::Share,
            })
        })
        .transpose()
    })
}

/// Ends a share; false when there was none.
pub async fn unshare(db: &Db, id: Uuid, user: Uuid) -> Result<bool, StoreError> {
    on!(db.conn().await?, |c| {
        let done =
            sqlx::query("DELETE FROM diagram_members WHERE diagram_id = $1 AND user_id = $2")
                .bind(Id(id))
                .bind(Id(user))
                .execute(&mut *c)
                .await?;
        db.recheck(Some(id)).await;
        Ok(done.rows_affected() > 0)
    })
}

/// A share link found by its token.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub id: Uuid,
    pub diagram: Uuid,
    pub role: Role,
}

/// The link with this token hash, unless it was revoked or has expired.
pub async fn link(db: &Db, token_hash: &[u8]) -> Result<Option<Link>, StoreError> {
    on!(db.conn().await?, |c| {
        let row = sqlx::query(
            "SELECT id, diagram_id, role FROM share_links
             WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)",
        )
        .bind(token_hash)
        .bind(Seconds(now()))
        .fetch_optional(&mut *c)
        .await?;
        row.map(|row| {
            Ok(Link {
                id: row.field::<Id>("id")?.0,
                diagram: row.field::<Id>("diagram_id")?.0,
                role: role_of(row.field("role")?).unwrap_or(Role::Viewer),
            })
        })
        .transpose()
    })
}

pub async fn create_link(
    db: &Db,
    diagram: Uuid,
    role: Role,
    token_hash: &[u8],
    by: Uuid,
    expires_at: Option<i64>,
) -> Result<Uuid, StoreError> {
    on!(db.conn().await?, |c| {
        let id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO share_links (id, diagram_id, role, token_hash, created_by, created_at,
                                      expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Id(id))
        .bind(Id(diagram))
        .bind(role.as_str())
        .bind(token_hash)
        .bind(Id(by))
        .bind(Seconds(now()))
        .bind(expires_at.map(Seconds))
        .execute(&mut *c)
        .await?;
        Ok(id)
    })
}

/// The diagram's links that were not revoked (expired ones included, marked by their date).
pub async fn links(db: &Db, diagram: Uuid) -> Result<Vec<LinkInfo>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT l.id AS link_id, l.role, l.created_at, l.expires_at, u.id, u.email, u.name
             FROM share_links l LEFT JOIN users u ON u.id = l.created_by
             WHERE l.diagram_id = $1 AND l.revoked_at IS NULL ORDER BY l.created_at, l.rowid",
        )
        .bind(Id(diagram))
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                let created_by = match row.field::<Option<Id>>("id")? {
                    Some(_) => Some(user_from(row, "")?),
                    None => None,
                };
                Ok(LinkInfo {
                    id: row.field::<Id>("link_id")?.0,
                    role: role_of(row.field("role")?).unwrap_or(Role::Viewer),
                    created_at: rfc3339(row.field::<Seconds>("created_at")?.0),
                    expires_at: row
                        .field::<Option<Seconds>>("expires_at")?
                        .map(|at| rfc3339(at.0)),
                    created_by,
                })
            })
            .collect()
    })
}

/// Revokes a link of the diagram; false when it has no such live link.
pub async fn revoke_link(db: &Db, diagram: Uuid, link: Uuid) -> Result<bool, StoreError> {
    on!(db.conn().await?, |c| {
        let done = sqlx::query(
            "UPDATE share_links SET revoked_at = $1 WHERE id = $2 AND diagram_id = $3 AND revoked_at IS NULL",
        )
        .bind(Seconds(now()))
        .bind(Id(link))
        .bind(Id(diagram))
        .execute(&mut *c)
        .await?;
        db.recheck(Some(diagram)).await;
        Ok(done.rows_affected() > 0)
    })
}

/// The person's role in team `id`; `None` when they are not in it (or it does not exist).
pub async fn team_role(db: &Db, id: Uuid, user: Uuid) -> Result<Option<TeamRole>, StoreError> {
    on!(db.conn().await?, |c| {
        let role: Option<String> =
            sqlx::query_scalar("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2")
                .bind(Id(id))
                .bind(Id(user))
                .fetch_optional(&mut *c)
                .await?;
        Ok(team_role_of(role))
    })
}

/// Creates a team with its creator as admin.
pub async fn create_team(db: &Db, name: &str, creator: Uuid) -> Result<Uuid, StoreError> {
    let id = Uuid::new_v4();
    let mut tx = db.write().await?;
    on!(tx, |c| {
        sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(Id(id))
            .bind(name)
            .bind(Seconds(now()))
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'admin')")
            .bind(Id(id))
            .bind(Id(creator))
            .execute(&mut *c)
            .await?;
    });
    tx.commit().await?;
    Ok(id)
}

pub async fn teams(db: &Db, user: Uuid) -> Result<Vec<TeamSummary>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT t.id, t.name, m.role FROM teams t JOIN team_members m ON m.team_id = t.id
             WHERE m.user_id = $1 ORDER BY t.name, t.id",
        )
        .bind(Id(user))
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TeamSummary {
                    id: row.field::<Id>("id")?.0,
                    name: row.field("name")?,
                    role: team_role_of(row.field("role")?).unwrap_or(TeamRole::Viewer),
                })
            })
            .collect()
    })
}

async fn team_members(db: &Db, id: Uuid) -> Result<Vec<TeamMember>, StoreError> {
    on!(db.conn().await?, |c| {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.name, m.role FROM team_members m JOIN users u ON u.id = m.user_id
             WHERE m.team_id = $1 ORDER BY u.name, u.id",
        )
        .bind(Id(id))
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(TeamMember {
                    user: user_from(row, "")?,
                    role: team_role_of(row.field("role")?).unwrap_or(TeamRole::Viewer),
                })
            })
            .collect()
    })
}

pub async fn team(db: &Db, id: Uuid, your_role: TeamRole) -> Result<TeamDetail, StoreError> {
    on!(db.conn().await?, |c| {
        let name: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = $1")
            .bind(Id(id))
            .fetch_optional(&mut *c)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(TeamDetail {
            id,
            name,
            role: your_role,
            members: team_members(db, id).await?,
        })
    })
}

pub async fn rename_team(db: &Db, id: Uuid, name: &str) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| {
        sqlx::query("UPDATE teams SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(Id(id))
            .execute(&mut *c)
            .await?;
        Ok(())
    })
}

/// Deletes a team; its diagrams stay, with their creators.
pub async fn delete_team(db: &Db, id: Uuid) -> Result<(), StoreError> {
    on!(db.conn().await?, |c| {
        sqlx::query("DELETE FROM teams WHERE id = $1")
            .bind(Id(id))
            .execute(&mut *c)
            .await?;
        // A team reaches many diagrams: every connection checks itself.
        db.recheck(None).await;
        Ok(())
    })
}

/// Why a team membership was not changed.
pub enum TeamChange {
    Done(Option<TeamMember>),
    /// It would leave the team without an admin.
    LastAdmin,
    NotMember,
}

/// Adds `user` to team `id` as `role`, or changes their role; `None` removes them. A team
/// always keeps one admin.
pub async fn set_team_member(
    db: &Db,
    id: Uuid,
    user: Uuid,
    role: Option<TeamRole>,
    must_exist: bool,
) -> Result<TeamChange, StoreError> {
    let mut tx = db.write().await?;
    on!(tx, |c| {
        let current: Option<String> =
            sqlx::query_scalar("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2")
                .bind(Id(id))
                .bind(Id(user))
                .fetch_optional(&mut *c)
                .await?;
        if must_exist && current.is_none() {
            return Ok(TeamChange::NotMember);
        }
        if current.as_deref() == Some("admin") && role != Some(TeamRole::Admin) {
            let admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM team_members WHERE team_id = $1 AND role = 'admin'",
            )
            .bind(Id(id))
            .fetch_one(&mut *c)
            .await?;
            if admins <= 1 {
                return Ok(TeamChange::LastAdmin);
            }
        }
        match role {
            Some(role) => {
                sqlx::query(
                    "INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)
                 ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role",
                )
                .bind(Id(id))
                .bind(Id(user))
                .bind(role.as_str())
                .execute(&mut *c)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
                    .bind(Id(id))
                    .bind(Id(user))
                    .execute(&mut *c)
                    .await?;
            }
        }
    });
    tx.commit().await?;
    db.recheck(None).await;
    let Some(role) = role else {
        return Ok(TeamChange::Done(None));
    };
    let member = team_members(db, id)
        .await?
        .into_iter()
        .find(|m| m.user.id == user && m.role == role);
    Ok(TeamChange::Done(member))
}
