//! Small helpers for forms. Fields are read when the form is sent, not mirrored into signals as
//! they are typed: what was typed before the page hydrated is read all the same.

use leptos::html::{Input, Select};
use leptos::prelude::*;

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

/// Shows `failure` under the form, or goes to the sign-in page when the session has ended.
pub fn failed(outcome: Outcome, failure: &crate::client::Failure) {
    if !crate::session::to_signin_if_signed_out(failure) {
        outcome.set(Some(Err(failure.message())));
    }
}

/// The outcome's sentence: an alert for a failure, a polite line for a success.
#[component]
pub fn OutcomeLine(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(done)) => view! { <p class="ok" aria-live="polite">{done}</p> }.into_any(),
        Some(Err(why)) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
        None => ().into_any(),
    }
}
