//! Share: who has the diagram and with which role, and its share links. Everyone with the
//! diagram may look; its owners also add, change and remove people, and make and revoke links.

use leptos::html::{Button, Input, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Uuid;
use model::api::{LinkInfo, Member, Members, NewLink, NewMember, Role, Via};

use crate::client;
use crate::copy_field::Secret;
use crate::dates::{end_of_day, time, time_or_never};
use crate::forms::{self, AddByEmail, Form, Outcome, OutcomeLine, failure_line};
use crate::labels::{self, ROLES};
use crate::load::Load;
use crate::table::{danger, head};

#[component]
pub fn ShareDialog(open: RwSignal<bool>, diagram: Uuid) -> impl IntoView {
    let members = Load::new(move || client::members(diagram));
    let outcome: Outcome = RwSignal::new(None);
    // Apart from the list, so that reading the list again does not rebuild the links section.
    let owner = Memo::new(move |_| {
        members
            .get()
            .and_then(Result::ok)
            .is_some_and(|m| m.your_role == Role::Owner)
    });
    let close = NodeRef::<Button>::new();
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    });
    request_animation_frame(move || {
        if let Some(button) = close.get_untracked() {
            let _ = button.focus();
        }
    });
    on_cleanup(move || {
        escape.remove();
        // Back to the button that opened the dialog.
        use wasm_bindgen::JsCast;
        if let Some(button) = document()
            .query_selector(".share-button")
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    });
    let changed = move || members.refetch();
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog share" role="dialog" aria-modal="true" aria-labelledby="share-title">
                <div class="dialog-head">
                    <h2 id="share-title">"Share"</h2>
                    <button class="icon" aria-label="Close" node_ref=close on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="share-body">
                    {move || match members.get() {
                        None => view! { <p class="progress">"Loading…"</p> }.into_any(),
                        Some(Ok(list)) => view! { <People list diagram outcome changed /> }.into_any(),
                        Some(Err(e)) => failure_line(&e).into_any(),
                    }}
                    <OutcomeLine outcome />
                    {move || owner.get().then(|| view! { <AddPerson diagram outcome changed /> })}
                    {move || owner.get().then(|| view! { <Links diagram /> })}
                </div>
            </div>
        </div>
    }
}

/// Everyone who has the diagram. Only shares can be changed: the creator and a team's members
/// have it for other reasons.
#[component]
fn People(
    list: Members,
    diagram: Uuid,
    outcome: Outcome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let owner = list.your_role == Role::Owner;
    let team = list.team.clone();
    view! {
        <h3>"People with access"</h3>
        <p class="muted small">{format!("Your role: {}.", labels::role(list.your_role))}</p>
        {team.map(|t| view! {
            <p class="muted small">
                {format!("It belongs to the team “{}”: its members have it with their team role.", t.name)}
            </p>
        })}
        <ul class="people">
            {list
                .members
                .into_iter()
                .map(|m| {
                    let team_name = list.team.as_ref().map(|t| t.name.clone());
                    view! { <Person m diagram owner team_name outcome changed /> }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Person(
    m: Member,
    diagram: Uuid,
    /// The caller owns the diagram (and may change shares).
    owner: bool,
    team_name: Option<String>,
    outcome: Outcome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let user = m.user.id;
    let role = m.role;
    let change = move |ev: leptos::ev::Event| {
        let Some(role) = Role::parse(&event_target_value(&ev)) else {
            return;
        };
        outcome.set(None);
        spawn_local(async move {
            if let Err(e) = client::change_member(diagram, user, role).await {
                forms::failed(outcome, &e);
            }
            changed();
        });
    };
    let remove = move |_| {
        outcome.set(None);
        spawn_local(async move {
            match client::remove_member(diagram, user).await {
                Ok(()) => changed(),
                Err(e) => forms::failed(outcome, &e),
            }
        });
    };
    let how = match m.via {
        Via::Creator => Some("Creator".to_string()),
        Via::Team => Some(match team_name {
            Some(team) => format!("Through the team {team}"),
            None => "Through a team".to_string(),
        }),
        Via::Share => None,
    };
    let changeable = owner && m.via == Via::Share;
    view! {
        <li class="person">
            <span class="person-name">
                <strong>{m.user.name.clone()}</strong>
                <span class="muted small">{m.user.email.clone()}</span>
                {how.map(|h| view! { <span class="muted small">{h}</span> })}
            </span>
            {if changeable {
                view! {
                    <select aria-label=format!("Role of {}", m.user.name) on:change=change>
                        {forms::options(&labels::roles(&ROLES), role.as_str())}
                    </select>
                    {danger(format!("Remove {}", m.user.name), "Remove", Box::new(remove))}
                }
                    .into_any()
            } else {
                view! { <span class="badge">{labels::role(role)}</span> }.into_any()
            }}
        </li>
    }
}

#[component]
fn AddPerson(
    diagram: Uuid,
    outcome: Outcome,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let add = move |email, role: String| {
        let role = Role::parse(&role).unwrap_or(Role::Editor);
        forms::adding(
            outcome,
            client::add_member(diagram, NewMember { email, role }),
            changed,
        )
    };
    view! {
        <AddByEmail form=Form::in_browser(outcome) prefix="share".to_string() roles=labels::roles(&ROLES)
            placeholder="someone@example.com" button="Add" button_class="primary" add=Box::new(add) />
    }
}

/// Share links: made here (their address shown once), listed, revoked.
#[component]
fn Links(diagram: Uuid) -> impl IntoView {
    let list = Load::new(move || client::links(diagram));
    let role = NodeRef::<Select>::new();
    let expires = NodeRef::<Input>::new();
    let form = Form::in_browser(RwSignal::new(None));
    let outcome = form.outcome;
    let created: forms::Shown = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let link = NewLink {
            role: Role::parse(&forms::choice(role)).unwrap_or(Role::Viewer),
            expires_at: end_of_day(&forms::text(expires)),
        };
        created.set(None);
        form.send(async move {
            match client::create_link(diagram, link).await {
                Ok(link) => {
                    created.set(Some((link.id, link.url)));
                    list.refetch();
                }
                Err(e) => form.failed(&e),
            }
        });
    };
    let revoke = move |link: Uuid| {
        forms::revoke(
            outcome,
            created,
            link,
            client::revoke_link(diagram, link),
            move || list.refetch(),
        );
    };
    view! {
        <h3>"Share links"</h3>
        <p class="muted small">"Anyone with a viewer link can read and export the diagram, without an account. An editor link asks to sign in, then makes the person an editor."</p>
        <form class="inline-form" method="post" novalidate on:submit=submit>
            <label for="link-role">"Link role"</label>
            <select node_ref=role id="link-role">
                {forms::options(&labels::roles(&[Role::Viewer, Role::Editor]), "")}
            </select>
            <label for="link-expires">"Expires"</label>
            <input node_ref=expires id="link-expires" type="date" aria-describedby="link-expires-hint" />
            <button type="submit" disabled=form.disabled()>"Create link"</button>
        </form>
        <p class="hint-text" id="link-expires-hint">"Leave Expires empty for a link that works until revoked; a date works to the end of that day (UTC)."</p>
        <OutcomeLine outcome />
        {move || created.get().map(|(_, url)| view! {
            <Secret id="link-url" label="Link URL" value=url note="Copy it now: the link cannot be shown again." />
        })}
        {move || match list.get() {
            None => view! { <p class="progress">"Loading links…"</p> }.into_any(),
            Some(Ok(links)) if links.is_empty() => view! { <p class="muted small">"No links yet."</p> }.into_any(),
            Some(Ok(links)) => view! { <LinkTable links revoke /> }.into_any(),
            Some(Err(e)) => failure_line(&e).into_any(),
        }}
    }
}

#[component]
fn LinkTable(
    links: Vec<LinkInfo>,
    revoke: impl Fn(Uuid) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <table class="data-list">
            {head(&["Link", "Role", "Created", "Expires"], true)}
            <tbody>
                {links
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let (id, n) = (l.id, i + 1);
                        let by = l.created_by.as_ref().map(|u| format!(" by {}", u.name)).unwrap_or_default();
                        view! {
                            <tr>
                                <td>{format!("Link {n}")}</td>
                                <td>{labels::role(l.role)}</td>
                                <td>
                                    {time(l.created_at)}
                                    <span class="muted small">{by}</span>
                                </td>
                                <td>{time_or_never(l.expires_at)}</td>
                                <td class="row-actions">
                                    {danger(format!("Revoke link {n}"), "Revoke", Box::new(move |_| revoke(id)))}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
