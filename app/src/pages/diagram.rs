//! A diagram's page: loads the diagram, then hands it to the editor.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::Uuid;

use crate::client;
use crate::editor::EditorView;

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
            Some(id) => client::diagram(id).await.map_err(|e| e.message()),
            None => Err("That is not a diagram address.".to_string()),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening diagram…"</p> }>
            {move || {
                diagram
                    .get()
                    .map(|result| match result {
                        Ok(state) => view! { <EditorView state /> }.into_any(),
                        Err(e) => {
                            view! {
                                <main class="page">
                                    <p class="error" role="alert">{e}</p>
                                    <p><a href="/">"Back to your diagrams"</a></p>
                                </main>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}
