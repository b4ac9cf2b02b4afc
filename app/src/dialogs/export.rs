//! Export SQL: pick a dialect, read the DDL with colours, copy it or download it.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Dialect;

use super::highlight::pieces;
use crate::client;
use crate::editor::Editor;

#[component]
pub fn ExportDialog(open: RwSignal<bool>, editor: Editor) -> impl IntoView {
    let dialect = RwSignal::new("postgresql".to_string());
    // "" for every table, else the id of the one subject area exported.
    let area = RwSignal::new(String::new());
    let areas = editor.areas.get_untracked();
    let sql = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(false);
    let id = editor.id();
    // The export is made from the saved document: wait until the last edits are saved.
    let load = move || {
        sql.set(None);
        copied.set(false);
        let chosen = query(&dialect.get_untracked(), &area.get_untracked());
        fn fetch(editor: Editor, chosen: String, sql: RwSignal<Option<Result<String, String>>>) {
            if editor.has_unsaved() {
                set_timeout(
                    move || fetch(editor, chosen, sql),
                    Duration::from_millis(200),
                );
                return;
            }
            spawn_local(async move {
                sql.set(Some(
                    client::export_sql(editor.id(), &chosen)
                        .await
                        .map_err(|e| e.message()),
                ));
            });
        }
        fetch(editor, chosen, sql);
    };
    load();
    let copy = move |_| {
        if let Some(Ok(text)) = sql.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    let download = move || {
        format!(
            "/api/diagrams/{id}/export?{}&download=1",
            query(&dialect.get(), &area.get())
        )
    };
    // Seen through a share link, the download could not carry the link's token (a plain link
    // sends no headers): the text already fetched (with the token) is saved instead.
    let through_link = move |ev: leptos::ev::MouseEvent| {
        if !client::has_link_token() {
            return;
        }
        ev.prevent_default();
        if let Some(Ok(text)) = sql.get_untracked() {
            let file = format!(
                "{}.{}.sql",
                super::image::file_stem(&editor.name.get_untracked()),
                dialect.get_untracked()
            );
            super::image::download_text(&text, "text/plain", &file);
        }
    };
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="export-title">
                <div class="dialog-head">
                    <h2 id="export-title">"Export SQL"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="import-inputs">
                    <label for="export-dialect">"Dialect"</label>
                    <select id="export-dialect" on:change=move |ev| {
                        dialect.set(event_target_value(&ev));
                        load();
                    }>
                        {Dialect::ALL.map(|d| view! { <option value=d.name()>{d.label()}</option> }).collect_view()}
                    </select>
                    {(!areas.is_empty()).then(|| view! {
                        <label for="export-area">"Tables"</label>
                        <select id="export-area" on:change=move |ev| {
                            area.set(event_target_value(&ev));
                            load();
                        }>
                            <option value="">"All tables"</option>
                            {areas.iter().map(|a| view! { <option value=a.id.to_string()>{format!("Area {}", a.name)}</option> }).collect_view()}
                        </select>
                    })}
                </div>
                <pre class="sql-output" aria-label="DDL" tabindex="0">
                    {move || match sql.get() {
                        None => view! { <span class="progress">"Generating…"</span> }.into_any(),
                        Some(Err(e)) => view! { <span class="error">{e}</span> }.into_any(),
                        Some(Ok(text)) => pieces(&text)
                            .into_iter()
                            .map(|(class, piece)| view! { <span class=class>{piece.to_string()}</span> })
                            .collect_view()
                            .into_any(),
                    }}
                </pre>
                <div class="dialog-actions">
                    <span class="muted small">{move || copied.get().then_some("Copied to the clipboard.")}</span>
                    <span class="grow"></span>
                    <button on:click=copy disabled=move || !matches!(sql.get(), Some(Ok(_)))>"Copy"</button>
                    <a class="button primary" href=download download="" on:click=through_link>"Download"</a>
                </div>
            </div>
        </div>
    }
    .into_any()
}

/// The export's query: the dialect, and the area when one is chosen (ids and dialect names
/// need no escaping).
fn query(dialect: &str, area: &str) -> String {
    match area {
        "" => format!("dialect={dialect}"),
        area => format!("dialect={dialect}&area={area}"),
    }
}
