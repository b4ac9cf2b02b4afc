//! Create an account, with the invite from the address when the server signs up by invite.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use model::api::SignUp;

use super::auth::AuthForm;
use crate::client;
use crate::forms;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let form = AuthForm::new();
    let invite = move || form.query("invite").filter(|i| !i.is_empty());
    let email = NodeRef::<Input>::new();
    let name = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let request = client::sign_up(SignUp {
            email: forms::text(email),
            name: forms::text(name),
            password: forms::raw(password),
            invite: invite(),
        });
        form.send(ev, navigate.clone(), request, None);
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
                {form.failure_and_button("Create account")}
                <p class="auth-switch">"Already have an account? " <a href=form.other("/signin")>"Sign in"</a></p>
            </form>
        </main>
    }
}
