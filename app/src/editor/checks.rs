//! The table panel's CHECK constraints: each one's name and condition, edited in place, and a
//! row to add one by typing its condition.

use leptos::prelude::*;
use model::{Check, CheckPatch, Op, Table, Uuid};

use super::state::Editor;

/// The checks of the table `table_id`, and the row that adds one.
#[component]
pub fn CheckList(editor: Editor, table_id: Uuid) -> impl IntoView {
    let Some(view) = editor.view(table_id) else {
        return ().into_any();
    };
    let table = view.table;
    let ids = move || table.with(|t| t.checks.iter().map(|c| c.id).collect::<Vec<_>>());
    let add = move |ev: leptos::ev::Event| {
        let sql = event_target_value(&ev).trim().to_string();
        if sql.is_empty() {
            return;
        }
        let Some(table) = editor.table(table_id) else {
            return;
        };
        let check = Check {
            id: Uuid::new_v4(),
            name: free_name(&table),
            sql,
            column: None,
            dialect: None,
        };
        // Kept in the field when refused, so the person can mend it.
        if editor.try_edit(Op::AddCheck {
            table_id,
            check,
            at: None,
        }) {
            super::panel::reset(&ev, "");
        }
    };
    view! {
        <section class="checks" aria-label="Checks">
            <h3>"Checks"</h3>
            <ul>
                <For
                    each=ids
                    key=|id| *id
                    children=move |check_id| view! { <CheckRow editor table_id check_id /> }
                />
            </ul>
            {(!editor.read_only).then(|| view! {
                <input class="mono check-new" aria-label="New check condition"
                    placeholder="Add a check: price >= 0" on:change=add />
            })}
        </section>
    }
    .into_any()
}

#[component]
fn CheckRow(editor: Editor, table_id: Uuid, check_id: Uuid) -> impl IntoView {
    let Some(view) = editor.view(table_id) else {
        return ().into_any();
    };
    let table = view.table;
    let check = Memo::new(move |_| {
        table.with(|t| {
            let c = t.checks.iter().find(|c| c.id == check_id)?;
            let on = c
                .column
                .and_then(|id| t.column(id))
                .map(|col| col.name.clone());
            Some((c.clone(), on))
        })
    });
    let update = move |patch: CheckPatch| {
        editor.try_edit(Op::UpdateCheck {
            table_id,
            check_id,
            patch,
        })
    };
    let field = move |get: fn(&Check) -> String| {
        move || check.with(|c| c.as_ref().map(|(c, _)| get(c)).unwrap_or_default())
    };
    let on_name = move |ev: leptos::ev::Event| {
        let patch = CheckPatch {
            name: Some(event_target_value(&ev).trim().to_string()),
            ..CheckPatch::default()
        };
        if !update(patch) {
            super::panel::reset(&ev, &field(|c| c.name.clone())());
        }
    };
    let on_sql = move |ev: leptos::ev::Event| {
        // A person's condition is theirs, in no dialect in particular.
        let patch = CheckPatch {
            sql: Some(event_target_value(&ev).trim().to_string()),
            dialect: Some(None),
            ..CheckPatch::default()
        };
        if !update(patch) {
            super::panel::reset(&ev, &field(|c| c.sql.clone())());
        }
    };
    let delete = move |_| {
        editor.try_edit(Op::RemoveCheck { table_id, check_id });
    };
    let read_only = editor.read_only;
    let name = field(|c| c.name.clone());
    view! {
        <li class="check-row" data-check-id=check_id.to_string()>
            <input class="mono check-name" aria-label="Check name" disabled=read_only
                prop:value=name on:change=on_name />
            <input class="mono check-sql" aria-label="Check condition" disabled=read_only
                prop:value=field(|c| c.sql.clone()) on:change=on_sql />
            {move || check.with(|c| c.as_ref().and_then(|(_, on)| on.clone())).map(|on| view! {
                <span class="badge" title="Declared on this column; it goes with the column">{on}</span>
            })}
            {(!read_only).then(|| view! {
                <button class="icon" aria-label=move || format!("Delete check {}", name()) on:click=delete>"×"</button>
            })}
        </li>
    }
    .into_any()
}

/// `<table>_check`, or the first of `<table>_check1`, `<table>_check2` … the table lacks (as
/// PostgreSQL names an unnamed check).
fn free_name(table: &Table) -> String {
    let base = format!("{}_check", table.name);
    let taken = |n: &str| table.checks.iter().any(|c| c.name.eq_ignore_ascii_case(n));
    let mut name = base.clone();
    let mut n = 0;
    while taken(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}
