//! The signed-in person, as pages share it: fetched once per page (`GET /api/auth/me`), shown
//! by the account menu, and the way back to the sign-in page when the server no longer knows
//! who is asking.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::api::Account;

use crate::client::{self, Failure};

/// Whether a page needs a signed-in person.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anonymous visitors are sent to the sign-in page.
    SignedIn,
    /// Anyone may look (a page opened through a share link).
    Anyone,
}

/// The person the page is for, as a context every component of the page can read.
#[derive(Clone, Copy)]
pub struct Session {
    loaded: LocalResource<Result<Account, Failure>>,
    /// The account as changed on this page since it loaded (a new display name).
    changed: RwSignal<Option<Account>>,
}

impl Session {
    /// Fetches the person for this page and provides it to the page's components.
    pub fn provide(access: Access) -> Self {
        let loaded = LocalResource::new(move || async move {
            let answer = client::me().await;
            if access == Access::SignedIn
                && let Err(e) = &answer
            {
                to_signin_if_signed_out(e);
            }
            answer
        });
        let session = Self {
            loaded,
            changed: RwSignal::new(None),
        };
        provide_context(session);
        session
    }

    /// The person, once known; `None` while loading and for anonymous visitors.
    pub fn account(&self) -> Option<Account> {
        self.changed
            .get()
            .or_else(|| self.loaded.get().and_then(Result::ok))
    }

    /// True once the server has answered, whatever it said.
    pub fn settled(&self) -> bool {
        self.loaded.with(Option::is_some)
    }

    /// True once the server has answered that nobody is signed in.
    pub fn anonymous(&self) -> bool {
        self.loaded
            .get()
            .is_some_and(|r| r.is_err_and(|e| e.is_signed_out()))
    }

    /// Shows a change the person made to their account.
    pub fn update(&self, account: Account) {
        self.changed.set(Some(account));
    }
}

thread_local! {
    /// Set while the page leaves for the sign-in page, so it does not ask to stay.
    static LEAVING: Cell<bool> = const { Cell::new(false) };
}

/// True once the page is on its way to the sign-in page (unsaved work is kept locally).
pub fn leaving() -> bool {
    LEAVING.get()
}

/// The sign-in page, coming back to `next` afterwards.
pub fn signin_path(next: &str) -> String {
    format!("/signin?next={}", client::encode(next))
}

/// Where the browser is now: path and query.
pub fn here() -> String {
    let location = window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let query = location.search().unwrap_or_default();
    format!("{path}{query}")
}

/// Sends the browser to the sign-in page, to come back here afterwards. A full load, not a
/// route change: whatever this page held belongs to the session that ended.
pub fn to_signin() {
    go_to_signin(&here());
}

/// Sends the browser to the sign-in page, to come back to `next` afterwards.
pub fn go_to_signin(next: &str) {
    LEAVING.set(true);
    let _ = window().location().assign(&signin_path(next));
}

/// Sends the browser to the sign-in page when `failure` says nobody is signed in; true then.
pub fn to_signin_if_signed_out(failure: &Failure) -> bool {
    let signed_out = failure.is_signed_out();
    if signed_out {
        to_signin();
    }
    signed_out
}

/// `next` when it is a path of this site, else `/`: a sign-in page must not send people to
/// another site (`//host` and `/\host` are other sites to a browser).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The person's name as a button that opens a small menu: their account page, and sign out.
/// Anonymous visitors get a link to sign in instead.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let Some(session) = use_context::<Session>() else {
        return ().into_any();
    };
    let open = RwSignal::new(false);
    let root = NodeRef::<leptos::html::Div>::new();
    let sign_out = move |_: leptos::ev::MouseEvent| {
        spawn_local(async move {
            // As the person, not as the share link the page may be viewed through. Signed out or
            // not, the next page is the sign-in page; a failure there shows.
            client::set_link_token(None);
            let _ = client::sign_out().await;
            LEAVING.set(true);
            let _ = window().location().assign("/signin");
        });
    };
    view! {
        <div class="account-menu" node_ref=root>
            {move || {
                if let Some(account) = session.account() {
                    view! {
                        <button
                            class="account-button"
                            aria-label="Account menu"
                            aria-expanded=move || open.get().to_string()
                            aria-controls="account-menu-items"
                            title=format!("{} ({})", account.user.name, account.user.email)
                            on:click=move |_| open.update(|o| *o = !*o)
                        >
                            <span class="avatar" aria-hidden="true">{initial(&account.user.name)}</span>
                            <span class="account-name">{account.user.name.clone()}</span>
                        </button>
                    }
                        .into_any()
                } else if session.anonymous() {
                    view! {
                        <a class="button" href=move || signin_path(&here())>"Sign in"</a>
                    }
                        .into_any()
                } else {
                    ().into_any()
                }
            }}
            <Show when=move || open.get()>
                <Menu open root sign_out />
            </Show>
        </div>
    }
    .into_any()
}

/// The open menu. It closes on a click outside the account menu, and on Esc.
#[component]
fn Menu(
    open: RwSignal<bool>,
    root: NodeRef<leptos::html::Div>,
    sign_out: impl Fn(leptos::ev::MouseEvent) + Send + Sync + 'static,
) -> impl IntoView {
    let outside = window_event_listener(leptos::ev::pointerdown, move |ev| {
        use wasm_bindgen::JsCast;
        let inside = root.get_untracked().is_some_and(|r| {
            ev.target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|t| r.contains(Some(&t)))
        });
        if !inside {
            open.set(false);
        }
    });
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    });
    on_cleanup(move || {
        outside.remove();
        escape.remove();
    });
    view! {
        <div class="menu" id="account-menu-items">
            <a href="/account" on:click=move |_| open.set(false)>"Account"</a>
            <button on:click=sign_out>"Sign out"</button>
        </div>
    }
}

/// The first letter of a name, for the round badge beside it. Only ASCII is made upper case
/// here; the stylesheet does the rest (`text-transform`), so that the bundle does without the
/// Unicode case tables.
fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/diagrams/1?x=2")), "/diagrams/1?x=2");
        assert_eq!(safe_next(Some("/s/abc")), "/s/abc");
        for outside in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
            "/\nx",
        ] {
            assert_eq!(safe_next(Some(outside)), "/", "{outside:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_way_back_survives_the_query() {
        assert_eq!(signin_path("/s/a&b"), "/signin?next=/s/a%26b");
    }
}
