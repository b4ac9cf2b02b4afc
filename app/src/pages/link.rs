//! A share link's page (`/s/{token}`). A viewer link shows the diagram read-only to anyone, its
//! token going with every call the page makes. An editor link asks the signed-in person to join
//! (a button: a link another site sends them to must not make them join by itself), then opens
//! the diagram's own page.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::api::{DiagramState, LinkTarget, Role};

use crate::client::{self, Failure};
use crate::editor::EditorView;
use crate::session::{Access, Session, go_to_signin};

#[component]
pub fn LinkPage() -> impl IntoView {
    Session::provide(Access::Anyone);
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let target = LocalResource::new(move || {
        let token = token();
        async move {
            let answer = client::open_link(&token).await;
            match &answer {
                Ok(LinkTarget {
                    role: Role::Viewer, ..
                }) => client::set_link_token(Some(token)),
                Err(e) if e.is_signed_out() => go_to_signin(&format!("/s/{token}")),
                _ => {}
            }
            answer
        }
    });
    // The token belongs to this page: other pages are seen as the person (or nobody).
    on_cleanup(|| client::set_link_token(None));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the shared diagram…"</p> }>
            {move || {
                target.get().map(move |answer| match answer {
                    Ok(target) if target.role == Role::Viewer => {
                        let state = DiagramState { diagram: target.diagram, revision: target.revision };
                        view! { <EditorView state read_only=true /> }.into_any()
                    }
                    Ok(target) => view! { <Join target token=token() /> }.into_any(),
                    Err(e) => problem(&e).into_any(),
                })
            }}
        </Suspense>
    }
}

/// An editor link's offer: join the diagram as its editor, then open it.
#[component]
fn Join(target: LinkTarget, token: String) -> impl IntoView {
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<String>);
    let joining = RwSignal::new(false);
    let join = move |_| {
        let (token, navigate) = (token.clone(), navigate.clone());
        joining.set(true);
        leptos::task::spawn_local(async move {
            match client::join_link(&token).await {
                Ok(joined) => navigate(
                    &format!("/diagrams/{}", joined.diagram.id),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                ),
                Err(e) => {
                    failure.set(Some(e.message()));
                    joining.set(false);
                }
            }
        });
    };
    view! {
        <super::TopBar />
        <main class="page">
            <h1>{target.diagram.name.clone()}</h1>
            <p>"This link lets you edit this diagram. Join it to see it among your diagrams, as its editor."</p>
            {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button class="primary" on:click=join disabled=move || joining.get()>
                "Join as editor"
            </button>
        </main>
    }
}

fn problem(failure: &Failure) -> impl IntoView {
    let text = if failure.is_not_found() {
        "This link was not found. It may have been revoked or have expired.".to_string()
    } else if failure.is_signed_out() {
        "Sign in to open this link.".to_string()
    } else {
        failure.message()
    };
    view! {
        <main class="page">
            <p class="error" role="alert">{text}</p>
            <p><a href="/">"Go to your diagrams"</a></p>
        </main>
    }
}
