//! A share link's page (`/s/{token}`). A viewer link shows the diagram read-only to anyone, its
//! token going with every call the page makes; an editor link makes the signed-in person an
//! editor and opens the diagram's own page.

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
    let navigate = use_navigate();
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
                let navigate = navigate.clone();
                target.get().map(move |answer| match answer {
                    Ok(target) if target.role == Role::Viewer => {
                        let state = DiagramState { diagram: target.diagram, revision: target.revision };
                        view! { <EditorView state read_only=true /> }.into_any()
                    }
                    Ok(target) => {
                        // An editor link: the person is now an editor of the diagram itself.
                        let to = format!("/diagrams/{}", target.diagram.id);
                        request_animation_frame(move || {
                            navigate(&to, NavigateOptions { replace: true, ..Default::default() })
                        });
                        view! { <p class="loading">"Opening diagram…"</p> }.into_any()
                    }
                    Err(e) => problem(&e).into_any(),
                })
            }}
        </Suspense>
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
