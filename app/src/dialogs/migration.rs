//! Export migration: the ALTER script from one revision to another (or to now), up or down, in
//! a dialect. A script that drops data asks before it is shown.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Dialect;
use model::api::{Author, RevisionInfo, VersionInfo};

use super::highlight::pieces;
use crate::client;
use crate::editor::Editor;

/// `r7 · 2026-12-01 21:03 · Ann Lee · 3 changes`.
fn label(r: &RevisionInfo) -> String {
    let when = r
        .created_at
        .get(..16)
        .unwrap_or(&r.created_at)
        .replace('T', " ");
    let who = match &r.author {
        Some(Author::Person { name, .. }) => name.clone(),
        Some(Author::Link { .. }) => "someone with a link".to_string(),
        None => "—".to_string(),
    };
    let what = match r.kind.as_str() {
        "create" => "created".to_string(),
        "replace" => "replaced".to_string(),
        _ if r.op_count == 1 => "1 change".to_string(),
        _ => format!("{} changes", r.op_count),
    };
    format!("r{} · {when} · {who} · {what}", r.revision)
}

/// The `-- Warning:` lines a script starts with.
fn warnings(sql: &str) -> Vec<String> {
    sql.lines()
        .filter_map(|l| l.strip_prefix("-- Warning: "))
        .map(str::to_string)
        .collect()
}

#[component]
pub fn MigrationDialog(open: RwSignal<bool>, editor: Editor) -> impl IntoView {
    let id = editor.id();
    let history = RwSignal::new(None::<Result<Vec<RevisionInfo>, String>>);
    let versions = RwSignal::new(Vec::<VersionInfo>::new());
    let from = RwSignal::new(None::<i64>);
    let to = RwSignal::new(None::<i64>);
    let dialect = RwSignal::new("postgresql".to_string());
    let down = RwSignal::new(false);
    let sql = RwSignal::new(None::<Result<String, String>>);
    let confirmed = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let query = move || {
        let mut q = format!("from={}&dialect={}", from.get().unwrap_or(1), dialect.get());
        if let Some(to) = to.get() {
            q.push_str(&format!("&to={to}"));
        }
        if down.get() {
            q.push_str("&direction=down");
        }
        q
    };
    // From the saved history: wait until the last edits are saved.
    let load = move || {
        sql.set(None);
        confirmed.set(false);
        copied.set(false);
        fn fetch(editor: Editor, q: String, sql: RwSignal<Option<Result<String, String>>>) {
            if editor.has_unsaved() {
                set_timeout(move || fetch(editor, q, sql), Duration::from_millis(200));
                return;
            }
            spawn_local(async move {
                let got = client::migration_sql(editor.id(), &q).await;
                sql.set(Some(got.map_err(|e| e.message())));
            });
        }
        fetch(editor, query(), sql);
    };
    spawn_local(async move {
        let got = client::revisions(id).await.map_err(|e| e.message());
        let named = client::versions(id).await.unwrap_or_default();
        // From the newest named version (what is deployed, say), else from the start.
        if let Ok(list) = &got {
            from.set(
                named
                    .first()
                    .map(|v| v.revision)
                    .or_else(|| list.first().map(|r| r.revision)),
            );
        }
        versions.set(named);
        history.set(Some(got));
        load();
    });
    let copy = move |_| {
        if let Some(Ok(text)) = sql.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
        }
    };
    let download = move || format!("/api/diagrams/{id}/migration?{}&download=1", query());
    let options = move |chosen: RwSignal<Option<i64>>, now: bool| {
        let list = match history.get() {
            Some(Ok(list)) => list,
            _ => Vec::new(),
        };
        let named = versions.get();
        let is_named = |revision: i64| named.iter().any(|v| v.revision == revision);
        let current = now.then(|| view! { <option value="" selected=move || chosen.get().is_none()>"Now (current)"</option> });
        // A named revision is chosen by its name; its plain entry then stays unselected.
        let names = (!named.is_empty()).then(|| {
            let rows = named
                .iter()
                .map(|v| {
                    let revision = v.revision;
                    let first = named.iter().position(|w| w.revision == revision)
                        == named.iter().position(|w| w.id == v.id);
                    view! {
                        <option value=revision.to_string() selected=move || first && chosen.get() == Some(revision)>
                            {format!("{} (r{revision})", v.name)}
                        </option>
                    }
                })
                .collect_view();
            view! { <optgroup label="Named versions">{rows}</optgroup> }
        });
        let rows = list
            .iter()
            .rev()
            .map(|r| {
                let revision = r.revision;
                let plain = !is_named(revision);
                view! {
                    <option value=revision.to_string() selected=move || plain && chosen.get() == Some(revision)>
                        {label(r)}
                    </option>
                }
            })
            .collect_view();
        view! { {current} {names} <optgroup label="Revisions">{rows}</optgroup> }
    };
    let pick = move |chosen: RwSignal<Option<i64>>| {
        move |ev: leptos::ev::Event| {
            chosen.set(event_target_value(&ev).parse().ok());
            load();
        }
    };
    let shown = move || match sql.get() {
        None => view! { <span class="progress">"Generating…"</span> }.into_any(),
        Some(Err(e)) => view! { <span class="error">{e}</span> }.into_any(),
        Some(Ok(text)) => pieces(&text)
            .into_iter()
            .map(|(class, piece)| view! { <span class=class>{piece.to_string()}</span> })
            .collect_view()
            .into_any(),
    };
    let risky = move || match sql.get() {
        Some(Ok(text)) if !confirmed.get() => {
            let found = warnings(&text);
            (!found.is_empty()).then_some(found)
        }
        _ => None,
    };
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="migration-title">
                <div class="dialog-head">
                    <h2 id="migration-title">"Export migration"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <div class="import-inputs migration-inputs">
                    <label for="migration-from">"From"</label>
                    <select id="migration-from" on:change=pick(from)>{move || options(from, false)}</select>
                    <label for="migration-to">"To"</label>
                    <select id="migration-to" on:change=pick(to)>{move || options(to, true)}</select>
                    <label for="migration-dialect">"Dialect"</label>
                    <select id="migration-dialect" on:change=move |ev| {
                        dialect.set(event_target_value(&ev));
                        load();
                    }>
                        {Dialect::ALL.map(|d| view! { <option value=d.name()>{d.label()}</option> }).collect_view()}
                    </select>
                    <label for="migration-direction">"Direction"</label>
                    <select id="migration-direction" on:change=move |ev| {
                        down.set(event_target_value(&ev) == "down");
                        load();
                    }>
                        <option value="up">"Up (from → to)"</option>
                        <option value="down">"Down (to → from)"</option>
                    </select>
                </div>
                {move || match risky() {
                    Some(found) => view! {
                        <div class="migration-warning" role="alert">
                            <p>{match found.len() {
                                1 => "This script has a warning: it may lose data, or leave a step to do by hand.".to_string(),
                                n => format!("This script has {n} warnings: it may lose data, or leave steps to do by hand."),
                            }}</p>
                            <ul>{found.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                            <button class="primary" on:click=move |_| confirmed.set(true)>"Show the script"</button>
                        </div>
                    }.into_any(),
                    None => view! { <pre class="sql-output" aria-label="Migration SQL" tabindex="0">{shown}</pre> }.into_any(),
                }}
                <div class="dialog-actions">
                    <span class="muted small">{move || copied.get().then_some("Copied to the clipboard.")}</span>
                    <span class="grow"></span>
                    <button on:click=copy disabled=move || risky().is_some() || !matches!(sql.get(), Some(Ok(_)))>"Copy"</button>
                    <a class="button primary" href=download download="">"Download"</a>
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_read_from_the_script_head() {
        let sql = "-- Migration of Shop for MySQL\n-- Warning: drops column users.nickname and its values\n\nALTER TABLE …";
        assert_eq!(
            warnings(sql),
            ["drops column users.nickname and its values"]
        );
        assert!(warnings("-- Migration\n-- No changes.\n").is_empty());
    }
}
