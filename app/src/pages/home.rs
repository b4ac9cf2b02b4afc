//! The home page: the person's diagrams (their own, those shared with them, and each team's), to
//! open, rename or delete as their role allows, and a button to start one.

use std::collections::BTreeMap;

use leptos::html::Select;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use model::api::{DiagramSummary, Role, Section, TeamRole};
use model::{Op, Uuid};

use super::TopBar;
use crate::client;
use crate::dates::time;
use crate::dialogs::ImportDialog;
use crate::forms;
use crate::labels;
use crate::load::Load;
use crate::session::{Access, Session, to_signin_if_signed_out};
use crate::table::danger;

#[component]
pub fn Home() -> impl IntoView {
    let session = Session::provide(Access::SignedIn);
    let diagrams = LocalResource::new(|| async {
        let answer = client::list_diagrams().await;
        if let Err(e) = &answer {
            to_signin_if_signed_out(e);
        }
        answer
    });
    // Teams the person may create diagrams in. Without them there is nothing to choose.
    let teams = Load::new(|| async {
        client::teams()
            .await
            .map(|teams| {
                teams
                    .into_iter()
                    .filter(|t| t.role >= TeamRole::Editor)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let place = NodeRef::<Select>::new();
    let creating = RwSignal::new(false);
    let importing = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = move |_| {
        let team_id = Uuid::parse_str(&forms::choice(place)).ok();
        creating.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match client::create_diagram(None, team_id).await {
                Ok(state) => navigate(
                    &format!("/diagrams/{}", state.diagram.id),
                    Default::default(),
                ),
                Err(e) => {
                    if !to_signin_if_signed_out(&e) {
                        failure.set(Some(e.message()));
                    }
                }
            }
            creating.set(false);
        });
    };
    let changed = move |result: Result<(), client::Failure>| match result {
        Ok(()) => diagrams.refetch(),
        Err(e) => {
            if !to_signin_if_signed_out(&e) {
                failure.set(Some(e.message()));
            }
        }
    };
    let places = move || {
        teams.get().filter(|t| !t.is_empty()).map(|teams| {
            view! {
                <label for="create-in" class="muted">"Create in"</label>
                <select id="create-in" node_ref=place>
                    <option value="" selected>"My diagrams"</option>
                    {teams
                        .into_iter()
                        .map(|t| view! { <option value=t.id.to_string()>{t.name}</option> })
                        .collect_view()}
                </select>
            }
        })
    };
    view! {
        <TopBar />
        <main class="page">
            <div class="page-head">
                <h1>"Diagrams"</h1>
                <div class="head-actions">
                    <button on:click=move |_| importing.set(true)>"Import SQL"</button>
                    {places}
                    <button class="primary" on:click=create disabled=move || creating.get()>
                        "New diagram"
                    </button>
                </div>
            </div>
            {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || importing.get().then(|| view! { <ImportDialog open=importing /> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading diagrams…"</p> }>
                {move || {
                    let list = diagrams.get()?;
                    // Sections need to know who "me" is; without an answer about that, all
                    // diagrams go under My diagrams rather than nowhere.
                    let settled = session.settled();
                    let me = session.account().map(|a| a.user.id);
                    Some(match list {
                        Ok(_) if !settled => view! { <p class="muted">"Loading diagrams…"</p> }.into_any(),
                        Ok(list) => view! { <Sections list me changed /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                    })
                }}
            </Suspense>
        </main>
    }
}

/// Which columns a section's table has.
#[derive(Clone, Copy, PartialEq)]
enum Columns {
    Plain,
    /// Shared with me: whose it is, and what the person may do with it.
    OwnerAndRole,
}

#[component]
fn Sections(
    list: Vec<DiagramSummary>,
    me: Option<Uuid>,
    changed: impl Fn(Result<(), client::Failure>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let mut mine = Vec::new();
    let mut shared = Vec::new();
    // Teams in name order; the id keeps two teams of the same name apart.
    let mut teams: BTreeMap<(String, Uuid), Vec<DiagramSummary>> = BTreeMap::new();
    for d in list {
        match me.map_or(Section::Mine, |me| d.section(me)) {
            Section::Mine => mine.push(d),
            Section::Shared => shared.push(d),
            Section::Team(id) => {
                let name = d.team.as_ref().map(|t| t.name.clone()).unwrap_or_default();
                teams.entry((name, id)).or_default().push(d);
            }
        }
    }
    let mine = if mine.is_empty() {
        view! { <p class="empty">"No diagrams yet. Start one with New diagram."</p> }.into_any()
    } else {
        view! { <DiagramTable list=mine columns=Columns::Plain changed /> }.into_any()
    };
    view! {
        <section class="list-section" aria-labelledby="section-mine">
            <h2 id="section-mine">"My diagrams"</h2>
            {mine}
        </section>
        {(!shared.is_empty()).then(|| view! {
            <section class="list-section" aria-labelledby="section-shared">
                <h2 id="section-shared">"Shared with me"</h2>
                <DiagramTable list=shared columns=Columns::OwnerAndRole changed />
            </section>
        })}
        {teams
            .into_iter()
            .map(|((name, id), list)| {
                let heading = format!("section-{id}");
                view! {
                    <section class="list-section" aria-labelledby=heading.clone()>
                        <h2 id=heading.clone()>{name}</h2>
                        <DiagramTable list columns=Columns::Plain changed />
                    </section>
                }
            })
            .collect_view()}
    }
}

#[component]
fn DiagramTable(
    list: Vec<DiagramSummary>,
    columns: Columns,
    changed: impl Fn(Result<(), client::Failure>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let extra = columns == Columns::OwnerAndRole;
    view! {
        <table class="diagram-list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    {extra.then(|| view! {
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Your role"</th>
                    })}
                    <th scope="col" class="num">"Tables"</th>
                    <th scope="col">"Last change"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {list.into_iter().map(|d| view! { <DiagramRow d extra changed /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn DiagramRow(
    d: DiagramSummary,
    /// Show the owner and role columns.
    extra: bool,
    changed: impl Fn(Result<(), client::Failure>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (id, name) = (d.id, d.name.clone());
    let rename = move |_| {
        let Some(next) = prompt("New name for the diagram", &name) else {
            return;
        };
        spawn_local(async move {
            let result = async {
                let state = client::diagram(id).await?;
                client::apply_ops(id, state.revision, vec![Op::RenameDiagram { name: next }]).await
            };
            changed(result.await.map(|_| ()));
        });
    };
    let title = d.name.clone();
    let delete = move |_| {
        if confirm(&format!(
            "Delete the diagram “{title}” and its history? This cannot be undone."
        )) {
            spawn_local(async move { changed(client::delete_diagram(id).await) });
        }
    };
    let owner = d.owner.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    view! {
        <tr>
            <td>
                <a href=format!("/diagrams/{}", d.id)>{d.name.clone()}</a>
            </td>
            {extra.then(|| view! {
                <td>{owner}</td>
                <td>{labels::role(d.role)}</td>
            })}
            <td class="num">{d.table_count}</td>
            <td>
                {time(d.updated_at.clone())}
            </td>
            <td class="row-actions">
                {(d.role >= Role::Editor).then(|| view! {
                    <button aria-label=format!("Rename {}", d.name) on:click=rename>"Rename"</button>
                })}
                {(d.role >= Role::Owner).then(|| danger(format!("Delete {}", d.name), "Delete", Box::new(delete)))}
            </td>
        </tr>
    }
}

/// Asks for a new text; `None` when cancelled or left empty.
pub fn prompt(question: &str, current: &str) -> Option<String> {
    window()
        .prompt_with_message_and_default(question, current)
        .ok()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

pub fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}
