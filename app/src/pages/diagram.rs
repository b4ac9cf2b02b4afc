//! A diagram's page. For now it shows the diagram's name and size; the canvas editor comes next.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::Uuid;

use crate::client;

#[component]
pub fn DiagramPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    };
    let diagram = LocalResource::new(move || async move {
        match id() {
            Some(id) => client::diagram(id).await,
            None => Err("That is not a diagram address.".to_string()),
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tablewright"</a>
        </header>
        <main class="page">
            <Suspense fallback=|| view! { <p class="muted">"Opening diagram…"</p> }>
                {move || {
                    diagram
                        .get()
                        .map(|result| match result {
                            Ok(state) => {
                                let tables = state.diagram.tables.len();
                                view! {
                                    <h1 class="diagram-name">{state.diagram.name}</h1>
                                    <p class="diagram-stats">
                                        {format!(
                                            "{tables} {}",
                                            if tables == 1 { "table" } else { "tables" },
                                        )}
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                        })
                }}
            </Suspense>
        </main>
    }
}
