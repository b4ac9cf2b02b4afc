//! The home page: the person's diagrams, to open, rename or delete, and a button to start one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use model::Op;
use model::api::DiagramSummary;

use crate::client;
use crate::dialogs::ImportDialog;

#[component]
pub fn Home() -> impl IntoView {
    let diagrams = LocalResource::new(client::list_diagrams);
    let creating = RwSignal::new(false);
    let importing = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = move |_| {
        creating.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match client::create_diagram(None).await {
                Ok(state) => navigate(
                    &format!("/diagrams/{}", state.diagram.id),
                    Default::default(),
                ),
                Err(e) => failure.set(Some(e.message())),
            }
            creating.set(false);
        });
    };
    let changed = move |result: Result<(), client::Failure>| match result {
        Ok(()) => diagrams.refetch(),
        Err(e) => failure.set(Some(e.message())),
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tablewright"</a>
        </header>
        <main class="page">
            <div class="page-head">
                <h1>"Diagrams"</h1>
                <div class="head-actions">
                    <button on:click=move |_| importing.set(true)>"Import SQL"</button>
                    <button class="primary" on:click=create disabled=move || creating.get()>
                        "New diagram"
                    </button>
                </div>
            </div>
            {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || importing.get().then(|| view! { <ImportDialog open=importing /> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading diagrams…"</p> }>
                {move || {
                    diagrams
                        .get()
                        .map(|result| match result {
                            Ok(list) => view! { <DiagramList list changed /> }.into_any(),
                            Err(e) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                        })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn DiagramList(
    list: Vec<DiagramSummary>,
    changed: impl Fn(Result<(), client::Failure>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty">"No diagrams yet. Start one with New diagram."</p>
        }
        .into_any();
    }
    view! {
        <table class="diagram-list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col" class="num">"Tables"</th>
                    <th scope="col">"Last change"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|d| {
                        let (id, name) = (d.id, d.name.clone());
                        let rename = move |_| {
                            let Some(next) = prompt("New name for the diagram", &name) else { return };
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
                            if confirm(&format!("Delete the diagram “{title}” and its history? This cannot be undone.")) {
                                spawn_local(async move { changed(client::delete_diagram(id).await) });
                            }
                        };
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("/diagrams/{}", d.id)>{d.name.clone()}</a>
                                </td>
                                <td class="num">{d.table_count}</td>
                                <td>
                                    <time datetime=d.updated_at.clone()>{readable_time(&d.updated_at)}</time>
                                </td>
                                <td class="row-actions">
                                    <button aria-label=format!("Rename {}", d.name) on:click=rename>"Rename"</button>
                                    <button class="danger" aria-label=format!("Delete {}", d.name) on:click=delete>
                                        "Delete"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Asks for a new text; `None` when cancelled or left empty.
fn prompt(question: &str, current: &str) -> Option<String> {
    window()
        .prompt_with_message_and_default(question, current)
        .ok()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// `2026-11-24T21:40:12.345Z` as `2026-11-24 21:40 UTC`.
fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}
