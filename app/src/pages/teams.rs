//! Teams on the account page: start one, see yours, and manage those you administer (members
//! and their roles, the team's name, the team itself).

use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Uuid;
use model::api::{NewTeamMember, TeamDetail, TeamRole, TeamSummary};

use super::home::{confirm, prompt};
use crate::client;
use crate::forms::{self, Outcome, OutcomeLine};
use crate::labels::{self, TEAM_ROLES};

#[component]
pub fn Teams() -> impl IntoView {
    let list = LocalResource::new(client::teams);
    let name = NodeRef::<Input>::new();
    let outcome: Outcome = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let ready = forms::hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let team = forms::text(name);
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            match client::create_team(team).await {
                Ok(team) => {
                    forms::clear(&[name]);
                    outcome.set(Some(Ok(format!("Team “{}” created.", team.name))));
                    list.refetch();
                }
                Err(e) => forms::failed(outcome, &e),
            }
            busy.set(false);
        });
    };
    let changed = move || list.refetch();
    view! {
        <section class="card-section" aria-labelledby="teams-title">
            <h2 id="teams-title">"Teams"</h2>
            <p class="muted">"A team's diagrams belong to all its members: viewers read them, editors change them, admins also manage the team."</p>
            <form class="inline-form" method="post" novalidate on:submit=submit>
                <label for="team-name">"Team name"</label>
                <input node_ref=name id="team-name" autocomplete="off" />
                <button type="submit" disabled=move || busy.get() || !ready.get()>"Create team"</button>
            </form>
            <OutcomeLine outcome />
            <Transition fallback=|| view! { <p class="muted">"Loading teams…"</p> }>
                {move || list.get().map(|answer| match answer {
                    Ok(teams) if teams.is_empty() => view! { <p class="muted">"You are in no team yet."</p> }.into_any(),
                    Ok(teams) => teams
                        .into_iter()
                        .map(|summary| view! { <TeamCard summary changed /> })
                        .collect_view()
                        .into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// One team: its members, and for its admins the controls to change them. What the caller may
/// do comes from the team as just read, so a change of their own role shows at once.
#[component]
fn TeamCard(
    summary: TeamSummary,
    /// The list of teams must be read again (renamed or deleted).
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = summary.id;
    let detail = LocalResource::new(move || client::team(id));
    let outcome: Outcome = RwSignal::new(None);
    let heading = format!("team-{id}");
    let name = summary.name.clone();
    let rename = {
        let name = name.clone();
        move |_| {
            let Some(next) = prompt("New name for the team", &name) else {
                return;
            };
            spawn_local(async move {
                match client::rename_team(id, next).await {
                    Ok(_) => changed(),
                    Err(e) => forms::failed(outcome, &e),
                }
            });
        }
    };
    let delete = {
        let name = name.clone();
        move |_| {
            if !confirm(&format!(
                "Delete the team “{name}”? Its diagrams are deleted with it."
            )) {
                return;
            }
            spawn_local(async move {
                match client::delete_team(id).await {
                    Ok(()) => changed(),
                    Err(e) => forms::failed(outcome, &e),
                }
            });
        }
    };
    let members_changed = move || detail.refetch();
    let role = move || {
        detail
            .get()
            .and_then(Result::ok)
            .map_or(summary.role, |t| t.role)
    };
    let admin = move || role() == TeamRole::Admin;
    view! {
        <section class="team" aria-labelledby=heading.clone()>
            <div class="team-head">
                <h3 id=heading.clone()>{name.clone()}</h3>
                <span class="badge">{move || labels::team_role(role())}</span>
                <span class="grow"></span>
                {move || admin().then(|| view! {
                    <button aria-label=format!("Rename team {name}") on:click=rename.clone()>"Rename"</button>
                    <button class="danger" aria-label=format!("Delete team {name}") on:click=delete.clone()>"Delete"</button>
                })}
            </div>
            <OutcomeLine outcome />
            <Transition fallback=|| view! { <p class="muted small">"Loading members…"</p> }>
                {move || detail.get().map(|answer| match answer {
                    Ok(team) => view! { <TeamMembers team outcome changed=members_changed /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                })}
            </Transition>
            {move || admin().then(|| view! { <AddTeamMember team=id outcome changed=members_changed /> })}
        </section>
    }
}

#[component]
fn TeamMembers(
    team: TeamDetail,
    outcome: Outcome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let admin = team.role == TeamRole::Admin;
    let id = team.id;
    view! {
        <table class="data-list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    {admin.then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}
                </tr>
            </thead>
            <tbody>
                {team
                    .members
                    .into_iter()
                    .map(|m| {
                        let user = m.user.id;
                        let change = move |ev: leptos::ev::Event| {
                            let Some(role) = TeamRole::parse(&event_target_value(&ev)) else {
                                return;
                            };
                            spawn_local(async move {
                                match client::change_team_member(id, user, role).await {
                                    Ok(_) => changed(),
                                    Err(e) => {
                                        forms::failed(outcome, &e);
                                        changed();
                                    }
                                }
                            });
                        };
                        let remove = move |_| {
                            spawn_local(async move {
                                match client::remove_team_member(id, user).await {
                                    Ok(()) => changed(),
                                    Err(e) => forms::failed(outcome, &e),
                                }
                            });
                        };
                        let role = m.role;
                        view! {
                            <tr>
                                <td>{m.user.name.clone()}</td>
                                <td class="muted">{m.user.email.clone()}</td>
                                <td>
                                    {if admin {
                                        view! {
                                            <select aria-label=format!("Role of {}", m.user.name) on:change=change>
                                                {TEAM_ROLES.map(|r| view! {
                                                    <option value=r.as_str() selected=r == role>{labels::team_role(r)}</option>
                                                }).collect_view()}
                                            </select>
                                        }.into_any()
                                    } else {
                                        labels::team_role(role).into_any()
                                    }}
                                </td>
                                {admin.then(|| view! {
                                    <td class="row-actions">
                                        <button class="danger" aria-label=format!("Remove {}", m.user.name) on:click=remove>
                                            "Remove"
                                        </button>
                                    </td>
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AddTeamMember(
    team: Uuid,
    outcome: Outcome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let email = NodeRef::<Input>::new();
    let role = NodeRef::<Select>::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let member = NewTeamMember {
            email: forms::text(email),
            role: TeamRole::parse(&forms::choice(role)).unwrap_or(TeamRole::Editor),
        };
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            match client::add_team_member(team, member).await {
                Ok(_) => {
                    forms::clear(&[email]);
                    changed();
                }
                Err(e) => forms::failed(outcome, &e),
            }
            busy.set(false);
        });
    };
    let (email_id, role_id) = (format!("team-{team}-email"), format!("team-{team}-role"));
    view! {
        <form class="inline-form" method="post" novalidate on:submit=submit>
            <label for=email_id.clone()>"Email"</label>
            <input node_ref=email id=email_id type="email" autocomplete="off" />
            <label for=role_id.clone()>"Role"</label>
            <select node_ref=role id=role_id>
                {TEAM_ROLES.map(|r| view! {
                    <option value=r.as_str() selected=r == TeamRole::Editor>{labels::team_role(r)}</option>
                }).collect_view()}
            </select>
            <button type="submit" disabled=move || busy.get()>"Add member"</button>
        </form>
    }
}
