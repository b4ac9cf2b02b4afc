//! A diagram's page: loads the diagram and the caller's role on it, then hands both to the
//! editor (read-only for viewers). When the role changes while it is open (a viewer made an
//! editor), both are loaded again and the editor opens anew, without a page reload.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::Uuid;
use model::api::{DiagramState, Role};

use crate::client::{self, Failure};
use crate::editor::EditorView;
use crate::session::{Access, Session, to_signin_if_signed_out};

#[component]
pub fn DiagramPage() -> impl IntoView {
    Session::provide(Access::SignedIn);
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    };
    let opened_as = RwSignal::new(0u32);
    let diagram = LocalResource::new(move || async move {
        opened_as.track();
        let Some(id) = id() else {
            return Err("That is not a diagram address.".to_string());
        };
        // Both at once; the diagram's own refusal (404 …) is the one worth showing.
        let (state, members) = futures_join(client::diagram(id), client::members(id)).await;
        let loaded = state.and_then(|state| Ok((state, members?.your_role)));
        loaded.map_err(|e: Failure| {
            to_signin_if_signed_out(&e);
            e.message()
        })
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening diagram…"</p> }>
            {move || {
                diagram
                    .get()
                    .map(|result| match result {
                        Ok((state, role)) => opened(state, role, opened_as).into_any(),
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

fn opened(state: DiagramState, role: Role, opened_as: RwSignal<u32>) -> impl IntoView {
    let read_only = role < Role::Editor;
    let on_role = Callback::new(move |_: Role| opened_as.update(|n| *n += 1));
    view! { <EditorView state read_only on_role /> }
}

/// Waits for two futures side by side (the app has no futures crate for `join`).
async fn futures_join<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: std::future::Future,
    B: std::future::Future,
{
    use std::pin::pin;
    use std::task::Poll;
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut ra, mut rb) = (None, None);
    std::future::poll_fn(move |cx| {
        if ra.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            ra = Some(v);
        }
        if rb.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            rb = Some(v);
        }
        match (ra.take(), rb.take()) {
            (Some(x), Some(y)) => Poll::Ready((x, y)),
            (x, y) => {
                (ra, rb) = (x, y);
                Poll::Pending
            }
        }
    })
    .await
}
