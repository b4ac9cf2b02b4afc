//! One module per page.

mod diagram;
mod home;

pub use diagram::DiagramPage;
pub use home::Home;

use leptos::prelude::*;

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
