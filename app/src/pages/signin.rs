//! Sign in: email and password, then back to the page that asked for it.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use model::api::SignIn;

use crate::client;
use crate::forms;
use crate::session::safe_next;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next"));
    let email = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let ready = forms::hydrated();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let form = SignIn {
            email: forms::text(email),
            password: forms::raw(password),
        };
        let to = safe_next(next().as_deref());
        let navigate = navigate.clone();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match client::sign_in(form).await {
                Ok(_) => navigate(&to, Default::default()),
                Err(e) => {
                    failure.set(Some(e.message()));
                    busy.set(false);
                    if let Some(input) = password.get_untracked() {
                        let _ = input.focus();
                        input.select();
                    }
                }
            }
        });
    };
    let signup = move || match next() {
        Some(next) => format!("/signup?next={}", client::encode(&next)),
        None => "/signup".to_string(),
    };
    view! {
        <Title text="Sign in" />
        <main class="auth">
            <p class="auth-brand">"Tablewright"</p>
            // POST, so that credentials can never end up in an address, whatever happens.
            <form class="auth-card" method="post" novalidate on:submit=submit>
                <h1>"Sign in"</h1>
                <label for="signin-email">"Email"</label>
                <input node_ref=email id="signin-email" name="email" type="email" autocomplete="email" required autofocus />
                <label for="signin-password">"Password"</label>
                <input node_ref=password id="signin-password" name="password" type="password" autocomplete="current-password" required />
                {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="primary" disabled=move || busy.get() || !ready.get()>
                    "Sign in"
                </button>
                <p class="auth-switch">"New here? " <a href=signup>"Create an account"</a></p>
            </form>
        </main>
    }
}
