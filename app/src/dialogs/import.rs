//! Import SQL: paste or choose a file, preview what it holds, then import it into a new diagram or
//! in place of the open one (one undoable step).
use model::Dialect;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use model::api::ImportAnswer;
use wasm_bindgen::JsCast;

use crate::client;
use crate::editor::Editor;

/// Where the dialog is in its work.
#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    Busy(&'static str),
    Failed(String),
    Previewed(Box<ImportAnswer>),
}

#[component]
pub fn ImportDialog(
    open: RwSignal<bool>,
    #[prop(optional)] editor: Option<Editor>,
) -> impl IntoView {
    let sql = RwSignal::new(String::new());
    let dialect = RwSignal::new("auto".to_string());
    let stage = RwSignal::new(Stage::Idle);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let navigate = use_navigate();

    let choose_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        stage.set(Stage::Busy("Reading the file…"));
        spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
            {
                Some(text) => {
                    sql.set(text);
                    stage.set(Stage::Idle);
                }
                None => stage.set(Stage::Failed("The file could not be read as text.".into())),
            }
        });
    };
    let preview = move |_| {
        let text = sql.get_untracked();
        if text.trim().is_empty() {
            stage.set(Stage::Failed(
                "Paste SQL or choose a .sql file first.".into(),
            ));
            return;
        }
        stage.set(Stage::Busy("Reading the SQL…"));
        let chosen = dialect.get_untracked();
        spawn_local(async move {
            stage.set(match client::import_sql(text, &chosen, true, None).await {
                Ok(answer) => Stage::Previewed(Box::new(answer)),
                Err(e) => Stage::Failed(e.message()),
            });
        });
    };
    let import_new = move |_| {
        let Stage::Previewed(answer) = stage.get_untracked() else {
            return;
        };
        let text = sql.get_untracked();
        let navigate = navigate.clone();
        stage.set(Stage::Busy("Importing…"));
        spawn_local(async move {
            let name = format!("Imported {}", answer.dialect);
            match client::import_sql(text, &answer.dialect, false, Some(&name)).await {
                Ok(done) => {
                    open.set(false);
                    if let Some(id) = done.diagram_id {
                        navigate(&format!("/diagrams/{id}"), Default::default());
                    }
                }
                Err(e) => stage.set(Stage::Failed(e.message())),
            }
        });
    };
    let replace = move |_| {
        let (Stage::Previewed(answer), Some(editor)) = (stage.get_untracked(), editor) else {
            return;
        };
        if editor.replace_content(answer.report.diagram) {
            open.set(false);
        }
    };
    let jump_to = move |line: usize| {
        let Some(area) = textarea.get_untracked() else {
            return;
        };
        let text = sql.get_untracked();
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let end = text[start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |n| start + n);
        // Selection offsets count UTF-16 units.
        let units = |bytes: usize| text[..bytes.min(text.len())].encode_utf16().count() as u32;
        let _ = area.focus();
        let _ = area.set_selection_range(units(start), units(end));
        area.set_scroll_top(((line.saturating_sub(3)) as i32) * 18);
    };

    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="import-title">
                <div class="dialog-head">
                    <h2 id="import-title">"Import SQL"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="import-inputs">
                    <label class="file">
                        "Choose a .sql file"
                        <input type="file" accept=".sql,.ddl,.txt,text/plain" on:change=choose_file />
                    </label>
                    <label for="import-dialect">"Dialect"</label>
                    <select id="import-dialect" on:change=move |ev| dialect.set(event_target_value(&ev))>
                        <option value="auto" selected>"Auto"</option>
                        {Dialect::ALL.map(|d| view! { <option value=d.name()>{d.label()}</option> }).collect_view()}
                    </select>
                </div>
                <textarea
                    node_ref=textarea
                    class="sql-input"
                    aria-label="SQL"
                    placeholder="Paste CREATE TABLE statements or a whole dump here…"
                    spellcheck="false"
                    prop:value=move || sql.get()
                    on:input=move |ev| {
                        sql.set(event_target_value(&ev));
                        stage.set(Stage::Idle);
                    }
                ></textarea>
                <div class="report" aria-live="polite">
                    {move || match stage.get() {
                        Stage::Idle => ().into_any(),
                        Stage::Busy(what) => view! { <p class="progress">{what}</p> }.into_any(),
                        Stage::Failed(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                        Stage::Previewed(answer) => view! { <Report answer=*answer jump_to /> }.into_any(),
                    }}
                </div>
                <div class="dialog-actions">
                    <button on:click=preview disabled=move || matches!(stage.get(), Stage::Busy(_))>"Preview"</button>
                    <span class="grow"></span>
                    {editor.map(|_| view! {
                        <button on:click=replace disabled=move || !matches!(stage.get(), Stage::Previewed(_))>
                            "Replace this diagram"
                        </button>
                    })}
                    <button class="primary" on:click=import_new disabled=move || !matches!(stage.get(), Stage::Previewed(_))>
                        "Import as new diagram"
                    </button>
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Report(
    answer: ImportAnswer,
    jump_to: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let report = answer.report;
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for s in &report.skipped {
        match kinds.iter_mut().find(|(k, _)| *k == s.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((s.kind.clone(), 1)),
        }
    }
    let skipped = kinds
        .iter()
        .map(|(k, n)| format!("{k} × {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} · {} tables · {} relationships · {} skipped · {} errors · {} warnings",
        dialect_label(&answer.dialect),
        report.diagram.tables.len(),
        report.diagram.relationships.len(),
        report.skipped.len(),
        report.errors.len(),
        report.warnings.len(),
    );
    view! {
        <p class="summary">{summary}</p>
        {(!skipped.is_empty()).then(|| view! { <p class="muted small">"Skipped: " {skipped}</p> })}
        {(!report.errors.is_empty()).then(|| view! {
            <ul class="issues errors" aria-label="Errors">
                {report.errors.into_iter().take(200).map(|e| {
                    let line = e.line;
                    view! {
                        <li>
                            <button class="link" on:click=move |_| jump_to(line)>{format!("line {}:{}", e.line, e.column)}</button>
                            " " {e.message} <code>{e.snippet}</code>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!report.warnings.is_empty()).then(|| view! {
            <details>
                <summary>{format!("{} warnings", report.warnings.len())}</summary>
                <ul class="issues">
                    {report.warnings.into_iter().take(200).map(|w| {
                        let line = w.line;
                        view! {
                            <li>
                                <button class="link" on:click=move |_| jump_to(line)>{format!("line {}", w.line)}</button>
                                " " {w.message}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        })}
    }
}

fn dialect_label(name: &str) -> String {
    name.parse::<Dialect>()
        .map_or_else(|_| name.to_string(), |d| d.label().to_string())
}
