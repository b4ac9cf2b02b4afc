//! The Tablewright UI: rendered on the server (`ssr`) and hydrated in the browser (`hydrate`).
//!
//! Pages load their data from the JSON API in the browser, so the UI is one more client of the
//! same API that tests and scripts use.

#![recursion_limit = "256"]

mod client;
mod copy_field;
mod dates;
mod dialogs;
mod editor;
mod forms;
mod labels;
mod load;
mod pages;
mod session;
mod table;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/pkg/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="tablewright" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app's routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Tablewright" />
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::Home />
                <Route path=path!("/signin") view=pages::SignInPage />
                <Route path=path!("/signup") view=pages::SignUpPage />
                <Route path=path!("/account") view=pages::AccountPage />
                <Route path=path!("/diagrams/:id") view=pages::DiagramPage />
                <Route path=path!("/s/:token") view=pages::LinkPage />
            </Routes>
        </Router>
    }
}
