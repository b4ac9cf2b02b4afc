//! A secret or address shown once: a read-only field to select from, and a Copy button.

use leptos::prelude::*;

#[component]
pub fn CopyField(
    /// The field's id, for its label.
    id: &'static str,
    label: &'static str,
    value: String,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = {
        let value = value.clone();
        move |_| {
            let _ = window().navigator().clipboard().write_text(&value);
            copied.set(true);
        }
    };
    view! {
        <div class="copy-field">
            <label for=id>{label}</label>
            <div class="copy-row">
                <input
                    id=id
                    class="mono"
                    readonly
                    value=value.clone()
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
                <button type="button" on:click=copy>"Copy"</button>
            </div>
            <span class="muted small" aria-live="polite">
                {move || copied.get().then_some("Copied to the clipboard.")}
            </span>
        </div>
    }
}

/// A secret just made, shown once: its field, and a note to copy it now.
#[component]
pub fn Secret(
    id: &'static str,
    label: &'static str,
    value: String,
    note: &'static str,
) -> impl IntoView {
    view! {
        <div class="secret">
            <CopyField id label value />
            <p class="small">{note}</p>
        </div>
    }
}
