//! What the tables of the account page and the Share dialog share: their head, and the
//! buttons at the end of a row.

use leptos::prelude::*;

/// The head of a `data-list` table: `columns`, then one for the row's buttons when `actions`.
pub fn head(columns: &[&'static str], actions: bool) -> impl IntoView + use<> {
    let columns = columns
        .iter()
        .map(|&c| view! { <th scope="col">{c}</th> })
        .collect_view();
    view! {
        <thead>
            <tr>
                {columns}
                {actions.then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}
            </tr>
        </thead>
    }
}

/// A button that removes or revokes something, named for what it acts on (`label`).
pub fn danger(
    label: String,
    text: &'static str,
    act: Box<dyn FnMut(leptos::ev::MouseEvent)>,
) -> impl IntoView {
    view! { <button class="danger" aria-label=label on:click=act>{text}</button> }
}
