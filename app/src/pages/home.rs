//! The home page: the person's diagrams, and a button to start a new one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use model::api::DiagramSummary;

use crate::client;

#[component]
pub fn Home() -> impl IntoView {
    let diagrams = LocalResource::new(client::list_diagrams);
    let creating = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = move |_| {
        creating.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match client::create_diagram().await {
                Ok(state) => navigate(
                    &format!("/diagrams/{}", state.diagram.id),
                    Default::default(),
                ),
                Err(e) => failure.set(Some(e)),
            }
            creating.set(false);
        });
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tablewright"</a>
        </header>
        <main class="page">
            <div class="page-head">
                <h1>"Diagrams"</h1>
                <button class="primary" on:click=create disabled=move || creating.get()>
                    "New diagram"
                </button>
            </div>
            {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading diagrams…"</p> }>
                {move || {
                    diagrams
                        .get()
                        .map(|result| match result {
                            Ok(list) => view! { <DiagramList list /> }.into_any(),
                            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                        })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn DiagramList(list: Vec<DiagramSummary>) -> impl IntoView {
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
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|d| {
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("/diagrams/{}", d.id)>{d.name}</a>
                                </td>
                                <td class="num">{d.table_count}</td>
                                <td>
                                    <time datetime=d.updated_at.clone()>{readable_time(&d.updated_at)}</time>
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

/// `2026-11-24T21:40:12.345Z` as `2026-11-24 21:40 UTC`.
fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}
