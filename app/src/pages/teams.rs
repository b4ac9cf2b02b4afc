//! Teams on the account page: start one, see yours, and manage those you administer (members
//! and their roles, the team's name, the team itself).

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Uuid;
use model::api::{NewTeamMember, TeamDetail, TeamRole, TeamSummary};

use super::home::{confirm, prompt};
use crate::client;
use crate::forms::{self, AddByEmail, Form, Outcome, OutcomeLine, failure_line};
use crate::labels;
use crate::load::Load;
use crate::table::{danger, head};

#[component]
pub fn Teams() -> impl IntoView {
    let list = Load::new(client::teams);
    let name = NodeRef::<Input>::new();
    let form = Form::new();
    let outcome = form.outcome;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let team = forms::text(name);
        form.send(async move {
            match client::create_team(team).await {
                Ok(team) => {
                    forms::clear(&[name]);
                    form.done(format!("Team “{}” created.", team.name));
                    list.refetch();
                }
                Err(e) => form.failed(&e),
            }
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
                <button type="submit" disabled=form.disabled()>"Create team"</button>
            </form>
            <OutcomeLine outcome />
            {move || match list.get() {
                None => view! { <p class="muted">"Loading teams…"</p> }.into_any(),
                Some(Ok(teams)) if teams.is_empty() => view! { <p class="muted">"You are in no team yet."</p> }.into_any(),
                Some(Ok(teams)) => teams
                    .into_iter()
                    .map(|summary| view! { <TeamCard summary changed /> })
                    .collect_view()
                    .into_any(),
                Some(Err(e)) => failure_line(&e).into_any(),
            }}
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
    let detail = Load::new(move || client::team(id));
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
    let hooks = RwSignal::new(false);
    view! {
        <section class="team" aria-labelledby=heading.clone()>
            <div class="team-head">
                <h3 id=heading.clone()>{name.clone()}</h3>
                <span class="badge">{move || labels::team_role(role())}</span>
                <span class="grow"></span>
                {move || admin().then(|| view! {
                    <button aria-label=format!("Webhooks of team {name}") on:click=move |_| hooks.set(true)>"Webhooks"</button>
                    <button aria-label=format!("Rename team {name}") on:click=rename.clone()>"Rename"</button>
                    <button class="danger" aria-label=format!("Delete team {name}") on:click=delete.clone()>"Delete"</button>
                })}
            </div>
            <OutcomeLine outcome />
            {move || match detail.get() {
                None => view! { <p class="muted small">"Loading members…"</p> }.into_any(),
                Some(Ok(team)) => view! { <TeamMembers team outcome changed=members_changed /> }.into_any(),
                Some(Err(e)) => failure_line(&e).into_any(),
            }}
            {move || admin().then(|| view! { <AddTeamMember team=id outcome changed=members_changed /> })}
            {move || hooks.get().then(|| view! {
                <crate::dialogs::WebhooksDialog open=hooks owner=crate::client::HookOwner::Team(id) />
            })}
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
            {head(&["Name", "Email", "Role"], admin)}
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
                                                {forms::options(&labels::team_roles(), role.as_str())}
                                            </select>
                                        }.into_any()
                                    } else {
                                        labels::team_role(role).into_any()
                                    }}
                                </td>
                                {admin.then(|| view! {
                                    <td class="row-actions">
                                        {danger(format!("Remove {}", m.user.name), "Remove", Box::new(remove))}
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
    let add = move |email, role: String| {
        let role = TeamRole::parse(&role).unwrap_or(TeamRole::Editor);
        let member = NewTeamMember { email, role };
        forms::adding(outcome, client::add_team_member(team, member), changed)
    };
    view! {
        <AddByEmail form=Form::in_browser(outcome) prefix=format!("team-{team}") roles=labels::team_roles()
            button="Add member" add=Box::new(add) />
    }
}
