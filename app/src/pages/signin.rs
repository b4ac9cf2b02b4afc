//! Sign in: email and password, then back to the page that asked for it.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use model::api::SignIn;

use super::auth::AuthForm;
use crate::client;
use crate::forms;

#[component]
pub fn SignInPage() -> impl IntoView {
    let form = AuthForm::new();
    let email = NodeRef::<Input>::new();
    let password = NodeRef::<Input>::new();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let request = client::sign_in(SignIn {
            email: forms::text(email),
            password: forms::raw(password),
        });
        form.send(ev, navigate.clone(), request, Some(password));
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
                {form.failure_and_button("Sign in")}
                <p class="auth-switch">"New here? " <a href=form.other("/signup")>"Create an account"</a></p>
            </form>
        </main>
    }
}
