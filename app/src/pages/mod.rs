//! One module per page.

mod account;
mod auth;
mod diagram;
mod home;
mod link;
mod signin;
mod signup;
mod teams;
mod tokens;

pub use account::AccountPage;
pub use diagram::DiagramPage;
pub use home::Home;
pub use link::LinkPage;
pub use signin::SignInPage;
pub use signup::SignUpPage;

use leptos::prelude::*;

use crate::session::AccountMenu;

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to your diagrams"</a></p>
        </main>
    }
}

/// The bar above the pages that are not the editor: the name, and the account menu.
#[component]
fn TopBar() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tablewright"</a>
            <span class="grow"></span>
            <AccountMenu />
        </header>
    }
}
