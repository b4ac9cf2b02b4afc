//! Create an account, with the invite from the address when the server signs up by invite.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use model::api::SignUp;

use crate::client;
use crate::forms;
use crate::session::safe_next;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next"));
    let invite = move || query.with(|q| q.get("invite")).filter(|i| !i.is_empty());
    let email = NodeRef::<Input>::new();
    let name = NodeRef::<Input>::new();
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
        let form = SignUp {
            email: forms::text(email),
            name: forms::text(name),
            password: forms::raw(password),
            invite: invite(),
        };
        let to = safe_next(next().as_deref());
        let navigate = navigate.clone();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            match client::sign_up(form).await {
                Ok(_) => navigate(&to, Default::default()),
                Err(e) => {
                    failure.set(Some(e.message()));
                    busy.set(false);
                }
            }
        });
    };
    let signin = move || match next() {
        Some(next) => format!("/signin?next={}", client::encode(&next)),
        None => "/signin".to_string(),
    };
    view! {
        <Title text="Create an account" />
        <main class="auth">
            <p class="auth-brand">"Tablewright"</p>
            <form class="auth-card" method="post" novalidate on:submit=submit>
                <h1>"Create an account"</h1>
                {move || invite().map(|_| view! {
                    <p class="muted small">"You were invited: the invite goes with this form."</p>
                })}
                <label for="signup-email">"Email"</label>
                <input node_ref=email id="signup-email" name="email" type="email" autocomplete="email" required autofocus />
                <label for="signup-name">"Display name"</label>
                <input node_ref=name id="signup-name" name="name" autocomplete="name" required />
                <label for="signup-password">"Password"</label>
                <input
                    node_ref=password
                    id="signup-password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    aria-describedby="signup-password-hint"
                    required
                />
                <p class="hint-text" id="signup-password-hint">"At least 10 characters."</p>
                {move || failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="primary" disabled=move || busy.get() || !ready.get()>
                    "Create account"
                </button>
                <p class="auth-switch">"Already have an account? " <a href=signin>"Sign in"</a></p>
            </form>
        </main>
    }
}
