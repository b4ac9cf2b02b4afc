//! Small helpers for forms. Fields are read when the form is sent, not mirrored into signals as
//! they are typed: what was typed before the page hydrated is read all the same.

use std::future::Future;

use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The text of an input, trimmed.
pub fn text(input: NodeRef<Input>) -> String {
    input
        .get_untracked()
        .map(|i| i.value().trim().to_string())
        .unwrap_or_default()
}

/// The text of an input exactly as typed (passwords).
pub fn raw(input: NodeRef<Input>) -> String {
    input.get_untracked().map(|i| i.value()).unwrap_or_default()
}

/// The chosen value of a select.
pub fn choice(select: NodeRef<Select>) -> String {
    select
        .get_untracked()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Empties inputs after what they held was sent.
pub fn clear(inputs: &[NodeRef<Input>]) {
    for input in inputs {
        if let Some(i) = input.get_untracked() {
            i.set_value("");
        }
    }
}

/// True once the page runs in the browser: forms stay disabled until then, so that pressing
/// Enter before the WASM code has loaded cannot send them the browser's way.
pub fn hydrated() -> ReadSignal<bool> {
    let (ready, set_ready) = signal(false);
    Effect::new(move |_| set_ready.set(true));
    ready
}

/// What became of the last thing a form sent: a sentence saying it was done, or why not.
pub type Outcome = RwSignal<Option<Result<String, String>>>;

/// What a form shows while it sends: busy (its button disabled), and the outcome line.
#[derive(Clone, Copy)]
pub struct Form {
    pub outcome: Outcome,
    busy: RwSignal<bool>,
    ready: ReadSignal<bool>,
}

impl Form {
    /// A form of a page the server renders: disabled until the page runs in the browser.
    pub fn new() -> Self {
        Self {
            outcome: RwSignal::new(None),
            busy: RwSignal::new(false),
            ready: hydrated(),
        }
    }

    /// A form that only appears once the page runs (in a dialog, or a list loaded by the
    /// browser), showing what it did in `outcome`, which it may share with its neighbours.
    pub fn in_browser(outcome: Outcome) -> Self {
        Self {
            outcome,
            busy: RwSignal::new(false),
            ready: signal(true).0,
        }
    }

    /// Sends what the form holds: busy and without the last outcome until `work` is done.
    pub fn send(self, work: impl Future<Output = ()> + 'static) {
        self.busy.set(true);
        self.outcome.set(None);
        spawn_local(async move {
            work.await;
            self.busy.set(false);
        });
    }

    /// Whether the form's button is disabled now.
    pub fn disabled(self) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
        move || self.busy.get() || !self.ready.get()
    }

    /// Shows a success.
    pub fn done(self, sentence: String) {
        self.outcome.set(Some(Ok(sentence)));
    }

    /// Shows a failure (or goes to sign in).
    pub fn failed(self, failure: &crate::client::Failure) {
        failed(self.outcome, failure);
    }
}

/// `<option>`s of a select: `(value, label)` pairs, `selected` chosen.
pub fn options(choices: &[(&'static str, &'static str)], selected: &str) -> impl IntoView + use<> {
    choices
        .iter()
        .map(|&(value, label)| view! { <option value=value selected=value == selected>{label}</option> })
        .collect_view()
}

/// A secret the server made (a token, a link's address) with the id it is revoked by; shown
/// until the next is made or it is revoked.
pub type Shown = RwSignal<Option<(model::Uuid, String)>>;

/// Revokes `id` with `request`, then `refetch`es the list; the secret shown goes if it was that.
pub fn revoke(
    outcome: Outcome,
    shown: Shown,
    id: model::Uuid,
    request: impl Future<Output = Result<(), crate::client::Failure>> + 'static,
    refetch: impl Fn() + 'static,
) {
    outcome.set(None);
    spawn_local(async move {
        match request.await {
            Ok(()) => {
                if shown.with_untracked(|s| s.as_ref().is_some_and(|s| s.0 == id)) {
                    shown.set(None);
                }
                refetch();
            }
            Err(e) => failed(outcome, &e),
        }
    });
}

/// Adding someone: true once done.
pub type Adding = std::pin::Pin<Box<dyn Future<Output = bool>>>;

/// Adds someone with `request`: `changed()` once done, else the outcome says why.
pub fn adding<T>(
    outcome: Outcome,
    request: impl Future<Output = Result<T, crate::client::Failure>> + 'static,
    changed: impl Fn() + 'static,
) -> Adding {
    Box::pin(async move {
        match request.await {
            Ok(_) => {
                changed();
                true
            }
            Err(e) => {
                failed(outcome, &e);
                false
            }
        }
    })
}

/// A form to add a person by email with a role (to a diagram, or to a team), the role
/// `editor` chosen at first. Its fields' ids start with `prefix`. `add` sends it and says
/// whether it was done; the email field is emptied then.
#[component]
pub fn AddByEmail(
    form: Form,
    prefix: String,
    /// `(value, label)` of each role offered.
    roles: Vec<(&'static str, &'static str)>,
    #[prop(optional)] placeholder: Option<&'static str>,
    button: &'static str,
    #[prop(optional)] button_class: Option<&'static str>,
    add: Box<dyn Fn(String, String) -> Adding>,
) -> impl IntoView {
    let email = NodeRef::<Input>::new();
    let role = NodeRef::<Select>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let added = add(text(email), choice(role));
        form.send(async move {
            if added.await {
                clear(&[email]);
            }
        });
    };
    let (email_id, role_id) = (format!("{prefix}-email"), format!("{prefix}-role"));
    view! {
        <form class="inline-form" method="post" novalidate on:submit=submit>
            <label for=email_id.clone()>"Email"</label>
            <input node_ref=email id=email_id type="email" autocomplete="off" placeholder=placeholder />
            <label for=role_id.clone()>"Role"</label>
            <select node_ref=role id=role_id>
                {options(&roles, "editor")}
            </select>
            <button type="submit" class=button_class disabled=form.disabled()>{button}</button>
        </form>
    }
}

/// Shows `failure` under the form, or goes to the sign-in page when the session has ended.
pub fn failed(outcome: Outcome, failure: &crate::client::Failure) {
    if !crate::session::to_signin_if_signed_out(failure) {
        outcome.set(Some(Err(failure.message())));
    }
}

/// A failure to load or send, as an alert.
pub fn error_line(why: String) -> impl IntoView + use<> {
    view! { <p class="error" role="alert">{why}</p> }
}

/// A call's failure, as an alert.
pub fn failure_line(failure: &crate::client::Failure) -> impl IntoView + use<> {
    error_line(failure.message())
}

/// The outcome's sentence: an alert for a failure, a polite line for a success.
#[component]
pub fn OutcomeLine(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(done)) => view! { <p class="ok" aria-live="polite">{done}</p> }.into_any(),
        Some(Err(why)) => error_line(why).into_any(),
        None => ().into_any(),
    }
}
