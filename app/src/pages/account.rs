//! The account page: display name, password, personal API tokens, teams and invites.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use model::api::PasswordChange;

use super::TopBar;
use super::teams::Teams;
use super::tokens::Tokens;
use crate::client;
use crate::copy_field::CopyField;
use crate::forms::{self, Form, OutcomeLine};
use crate::session::{Access, Session};

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = Session::provide(Access::SignedIn);
    view! {
        <Title text="Account" />
        <TopBar />
        <main class="page account-page">
            <div class="page-head">
                <h1>"Account"</h1>
            </div>
            <Profile session />
            <Password />
            <Tokens />
            <Teams />
            <Invite />
        </main>
    }
}

#[component]
fn Profile(session: Session) -> impl IntoView {
    let name = NodeRef::<Input>::new();
    let form = Form::new();
    let outcome = form.outcome;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = forms::text(name);
        form.send(async move {
            match client::rename_me(next).await {
                Ok(account) => {
                    session.update(account);
                    form.done("Name saved.".into());
                }
                Err(e) => form.failed(&e),
            }
        });
    };
    view! {
        <section class="card-section" aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <p class="muted">
                "Signed in as "
                <strong>{move || session.account().map(|a| a.user.email)}</strong>
                {move || session.account().filter(|a| a.admin).map(|_| " · administrator of this server")}
            </p>
            <form class="stack-form" method="post" novalidate on:submit=submit>
                <label for="profile-name">"Display name"</label>
                <div class="inline-fields">
                    <input
                        node_ref=name
                        id="profile-name"
                        autocomplete="name"
                        prop:value=move || session.account().map(|a| a.user.name).unwrap_or_default()
                    />
                    <button type="submit" disabled=form.disabled()>"Save name"</button>
                </div>
            </form>
            <OutcomeLine outcome />
        </section>
    }
}

#[component]
fn Password() -> impl IntoView {
    let current = NodeRef::<Input>::new();
    let new = NodeRef::<Input>::new();
    let form = Form::new();
    let outcome = form.outcome;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = PasswordChange {
            current_password: forms::raw(current),
            new_password: forms::raw(new),
        };
        form.send(async move {
            match client::change_password(change).await {
                Ok(()) => {
                    forms::clear(&[current, new]);
                    form.done("Password changed. Your other sessions were signed out.".into());
                }
                // A wrong current password is a 401 too: it must not look like a lost session.
                Err(e) if e.is_signed_out() => outcome.set(Some(Err(e.message()))),
                Err(e) => form.failed(&e),
            }
        });
    };
    view! {
        <section class="card-section" aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <form class="stack-form" method="post" novalidate on:submit=submit>
                <label for="password-current">"Current password"</label>
                <input node_ref=current id="password-current" type="password" autocomplete="current-password" />
                <label for="password-new">"New password"</label>
                <input
                    node_ref=new
                    id="password-new"
                    type="password"
                    autocomplete="new-password"
                    aria-describedby="password-new-hint"
                />
                <p class="hint-text" id="password-new-hint">"At least 10 characters. Other sessions will be signed out."</p>
                <div>
                    <button type="submit" disabled=form.disabled()>"Change password"</button>
                </div>
            </form>
            <OutcomeLine outcome />
        </section>
    }
}

/// An invite to create an account. Offered to everyone: the server says who may make one.
#[component]
fn Invite() -> impl IntoView {
    let email = NodeRef::<Input>::new();
    let form = Form::new();
    let outcome = form.outcome;
    let created = RwSignal::new(None::<model::api::CreatedInvite>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let email = Some(forms::text(email)).filter(|e| !e.is_empty());
        created.set(None);
        form.send(async move {
            match client::create_invite(email).await {
                Ok(invite) => created.set(Some(invite)),
                Err(e) => form.failed(&e),
            }
        });
    };
    view! {
        <section class="card-section" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite someone"</h2>
            <p class="muted">"An invite link lets someone create an account on this server."</p>
            <form class="stack-form" method="post" novalidate on:submit=submit>
                <label for="invite-email">"Invitee's email (optional)"</label>
                <div class="inline-fields">
                    <input node_ref=email id="invite-email" type="email" autocomplete="off" />
                    <button type="submit" disabled=form.disabled()>"Create invite link"</button>
                </div>
            </form>
            <OutcomeLine outcome />
            {move || created.get().map(|invite| view! {
                <CopyField id="invite-url" label="Invite link" value=invite.url />
                <p class="muted small">
                    {format!("It expires {}.", crate::dates::readable_time(&invite.expires_at))}
                </p>
            })}
        </section>
    }
}
