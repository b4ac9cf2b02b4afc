//! What the sign-in and sign-up pages share: the page to go back to afterwards (`next`), the
//! failure line, the button, and sending the form.

use std::future::Future;

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_query_map;
use model::api::Account;

use crate::client::{self, Failure};
use crate::forms;
use crate::session::safe_next;

/// The state of a sign-in or sign-up form.
#[derive(Clone, Copy)]
pub struct AuthForm {
    query: Memo<leptos_router::params::ParamsMap>,
    busy: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
    ready: ReadSignal<bool>,
}

impl AuthForm {
    pub fn new() -> Self {
        Self {
            query: use_query_map(),
            busy: RwSignal::new(false),
            failure: RwSignal::new(None),
            ready: forms::hydrated(),
        }
    }

    /// A value from the address's query.
    pub fn query(self, key: &str) -> Option<String> {
        self.query.with(|q| q.get(key))
    }

    /// The address of the other page (`/signin`, `/signup`), going to the same `next`.
    pub fn other(self, path: &'static str) -> impl Fn() -> String + Send + Sync + 'static {
        move || match self.query("next") {
            Some(next) => format!("{path}?next={}", client::encode(&next)),
            None => path.to_string(),
        }
    }

    /// Sends the form (once at a time; the fields are read before, but nothing else happens
    /// while one is out), then goes to `next`; on a failure it shows why and selects `refocus`.
    pub fn send(
        self,
        ev: leptos::ev::SubmitEvent,
        navigate: impl Fn(&str, NavigateOptions) + 'static,
        request: impl Future<Output = Result<Account, Failure>> + 'static,
        refocus: Option<NodeRef<Input>>,
    ) {
        ev.prevent_default();
        if self.busy.get_untracked() {
            return;
        }
        let to = safe_next(self.query("next").as_deref());
        self.busy.set(true);
        self.failure.set(None);
        spawn_local(async move {
            match request.await {
                Ok(_) => navigate(&to, Default::default()),
                Err(e) => {
                    self.failure.set(Some(e.message()));
                    self.busy.set(false);
                    if let Some(input) = refocus.and_then(|r| r.get_untracked()) {
                        let _ = input.focus();
                        input.select();
                    }
                }
            }
        });
    }

    /// Why the last attempt failed, and the button that sends the form.
    pub fn failure_and_button(self, label: &'static str) -> impl IntoView {
        view! {
            {move || self.failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button type="submit" class="primary" disabled=move || self.busy.get() || !self.ready.get()>
                {label}
            </button>
        }
    }
}
