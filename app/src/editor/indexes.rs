//! The table panel's indexes: each one's name, uniqueness, key and condition, edited as a
//! person writes them (`tenant, created_at DESC, (lower(email))`); what only one database reads
//! (a method, operator classes) is shown as it is.

use leptos::prelude::*;
use model::{Index, IndexPatch, KeyExpression, KeyPart, Op, Table, Uuid};

use super::state::Editor;

/// The key as a person writes it: column names, `DESC` where sorted so, expressions in
/// parentheses.
pub fn key_text(table: &Table, index: &Index) -> String {
    index
        .key()
        .into_iter()
        .map(|part| {
            let (text, descending) = match part {
                KeyPart::Column { id, descending } => (
                    table.column(id).map_or("?".to_string(), |c| c.name.clone()),
                    descending,
                ),
                KeyPart::Expression { sql, descending } => (format!("({sql})"), descending),
            };
            if descending {
                format!("{text} DESC")
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An index key as read from what a person wrote.
#[derive(Debug, Default, PartialEq)]
pub struct Key {
    pub columns: Vec<Uuid>,
    pub descending: Vec<Uuid>,
    pub expressions: Vec<KeyExpression>,
}

/// The key read back from `text`: the columns (by name, any case), which of them are
/// descending, and the expressions at their places; or why it cannot be.
pub fn parse_key(table: &Table, text: &str) -> Result<Key, String> {
    let mut columns = Vec::new();
    let mut descending = Vec::new();
    let mut expressions = Vec::new();
    for (at, part) in split_top(text).into_iter().enumerate() {
        let mut part = part.trim();
        if part.is_empty() {
            return Err("the key has an empty part".into());
        }
        let mut desc = false;
        for (word, is_desc) in [(" DESC", true), (" ASC", false)] {
            let cut = part.len().saturating_sub(word.len());
            if part.len() > word.len()
                && part.is_char_boundary(cut)
                && part[cut..].eq_ignore_ascii_case(word)
            {
                desc = is_desc;
                part = part[..cut].trim_end();
            }
        }
        if let Some(sql) = part.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
            expressions.push(KeyExpression {
                at,
                sql: sql.trim().to_string(),
                descending: desc,
            });
            continue;
        }
        let Some(column) = table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(part))
        else {
            return Err(format!(
                "{} has no column {part}; write expressions in parentheses",
                table.name
            ));
        };
        if columns.contains(&column.id) {
            return Err(format!("{} is in the key twice", column.name));
        }
        columns.push(column.id);
        if desc {
            descending.push(column.id);
        }
    }
    if columns.is_empty() && expressions.is_empty() {
        return Err("an index needs a key".into());
    }
    Ok(Key {
        columns,
        descending,
        expressions,
    })
}

/// `text` cut at its commas outside parentheses and quotes.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0usize, None::<char>, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The indexes of the table `table_id`, and Add index.
#[component]
pub fn IndexList(editor: Editor, table_id: Uuid) -> impl IntoView {
    let Some(view) = editor.view(table_id) else {
        return ().into_any();
    };
    let table = view.table;
    let ids = move || table.with(|t| t.indexes.iter().map(|i| i.id).collect::<Vec<_>>());
    view! {
        <section class="indexes" aria-label="Indexes">
            <h3>"Indexes"</h3>
            <ul>
                <For
                    each=ids
                    key=|id| *id
                    children=move |index_id| view! { <IndexRow editor table_id index_id /> }
                />
            </ul>
            {(!editor.read_only).then(|| view! {
                <button on:click=move |_| add_index(editor, table_id)>"Add index"</button>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn IndexRow(editor: Editor, table_id: Uuid, index_id: Uuid) -> impl IntoView {
    let Some(view) = editor.view(table_id) else {
        return ().into_any();
    };
    let table = view.table;
    let index = {
        let table = table.clone();
        Memo::new(move |_| {
            table.with(|t| {
                let ix = t.indexes.iter().find(|i| i.id == index_id)?;
                Some((ix.clone(), key_text(t, ix)))
            })
        })
    };
    let update = move |patch: IndexPatch| {
        editor.try_edit(Op::UpdateIndex {
            table_id,
            index_id,
            patch,
        })
    };
    let on_key = {
        let table = table.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let parsed = table.with_untracked(|t| parse_key(t, &text));
            let done = match parsed {
                Ok(key) => update(IndexPatch {
                    columns: Some(key.columns),
                    descending: Some(key.descending),
                    expressions: Some(key.expressions),
                    ..IndexPatch::default()
                }),
                Err(why) => {
                    editor.problem.set(Some(why));
                    false
                }
            };
            if !done {
                let old = index.with_untracked(|i| i.as_ref().map(|(_, k)| k.clone()));
                super::panel::reset(&ev, &old.unwrap_or_default());
            }
        }
    };
    let on_name = move |ev: leptos::ev::Event| {
        if !update(IndexPatch {
            name: Some(event_target_value(&ev).trim().to_string()),
            ..IndexPatch::default()
        }) {
            let old = index.with_untracked(|i| i.as_ref().map(|(ix, _)| ix.name.clone()));
            super::panel::reset(&ev, &old.unwrap_or_default());
        }
    };
    let on_condition = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev).trim().to_string();
        let predicate = (!text.is_empty()).then_some(text);
        if !update(IndexPatch {
            predicate: Some(predicate),
            ..IndexPatch::default()
        }) {
            let old = index.with_untracked(|i| i.as_ref().and_then(|(ix, _)| ix.predicate.clone()));
            super::panel::reset(&ev, &old.unwrap_or_default());
        }
    };
    let on_unique = move |ev: leptos::ev::Event| {
        update(IndexPatch {
            unique: Some(event_target_checked(&ev)),
            ..IndexPatch::default()
        });
    };
    let delete = move |_| {
        editor.try_edit(Op::RemoveIndex { table_id, index_id });
    };
    let read_only = editor.read_only;
    let name = move || {
        index.with(|i| {
            i.as_ref()
                .map(|(ix, _)| ix.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <li class="index-row" data-index-id=index_id.to_string()>
            <input class="mono index-name" aria-label="Index name" disabled=read_only
                prop:value=name on:change=on_name />
            <label class="index-unique">
                <input type="checkbox" disabled=read_only
                    prop:checked=move || index.with(|i| i.as_ref().is_some_and(|(ix, _)| ix.unique))
                    on:change=on_unique />
                "Unique"
            </label>
            <input class="mono index-key" aria-label="Index key" disabled=read_only
                title="Columns in order, DESC where sorted so, expressions in parentheses"
                prop:value=move || index.with(|i| i.as_ref().map(|(_, k)| k.clone()).unwrap_or_default())
                on:change=on_key />
            <input class="mono index-condition" aria-label="Index condition" disabled=read_only
                placeholder="WHERE (partial index)"
                prop:value=move || index.with(|i| i.as_ref().and_then(|(ix, _)| ix.predicate.clone()).unwrap_or_default())
                on:change=on_condition />
            {move || index.with(|i| i.as_ref().and_then(|(ix, _)| ix.method.clone())).map(|m| view! {
                <span class="badge" title="Access method, written for its own database">{m}</span>
            })}
            {(!read_only).then(|| view! {
                <button class="icon" aria-label=move || format!("Delete index {}", name()) on:click=delete>"×"</button>
            })}
        </li>
    }
    .into_any()
}

/// Adds an index over the table's first column that is not the whole primary key, named
/// `<table>_<column>_idx`, and puts the cursor in its key.
fn add_index(editor: Editor, table_id: Uuid) {
    let Some(table) = editor.table(table_id) else {
        return;
    };
    let Some(column) = table
        .columns
        .iter()
        .find(|c| !c.primary_key)
        .or(table.columns.first())
    else {
        editor
            .problem
            .set(Some("Add a column first: an index needs a key.".into()));
        return;
    };
    let base = format!("{}_{}_idx", table.name, column.name);
    let mut name = base.clone();
    let mut n = 2;
    while table.indexes.iter().any(|i| i.name == name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    let index = Index::over(Uuid::new_v4(), name, vec![column.id], false);
    let index_id = index.id;
    if editor.try_edit(Op::AddIndex {
        table_id,
        index,
        at: None,
    }) {
        focus_key(index_id);
    }
}

/// Puts the cursor in an index's key once its row is on the page.
fn focus_key(index_id: Uuid) {
    let focus = move || {
        use wasm_bindgen::JsCast;
        let selector = format!("li[data-index-id=\"{index_id}\"] .index-key");
        let input = document().query_selector(&selector).ok().flatten()?;
        let input = input.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        let _ = input.focus();
        input.select();
        Some(())
    };
    if focus().is_none() {
        request_animation_frame(move || {
            focus();
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Column;

    fn table() -> Table {
        let mut t = Table::new("account");
        t.columns.clear();
        for name in ["id", "tenant", "email", "created_at"] {
            t.columns.push(Column::new(name, "text"));
        }
        t
    }

    #[test]
    fn a_key_reads_back_as_it_is_written() {
        let t = table();
        let Key {
            columns,
            descending,
            expressions,
        } = parse_key(
            &t,
            "Tenant, created_at desc, (lower(email)), (coalesce(a, 'x,y')) DESC",
        )
        .unwrap();
        assert_eq!(columns, vec![t.columns[1].id, t.columns[3].id]);
        assert_eq!(descending, vec![t.columns[3].id]);
        assert_eq!(expressions.len(), 2);
        assert_eq!(
            (expressions[0].at, expressions[0].sql.as_str()),
            (2, "lower(email)")
        );
        assert_eq!((expressions[1].at, expressions[1].descending), (3, true));
        let index = Index {
            columns,
            descending,
            expressions,
            ..Index::default()
        };
        assert_eq!(
            key_text(&t, &index),
            "tenant, created_at DESC, (lower(email)), (coalesce(a, 'x,y')) DESC"
        );
    }

    #[test]
    fn a_key_naming_what_the_table_lacks_is_refused() {
        let t = table();
        assert!(
            parse_key(&t, "tenant, nope")
                .unwrap_err()
                .contains("no column nope")
        );
        assert!(
            parse_key(&t, "tenant, tenant")
                .unwrap_err()
                .contains("twice")
        );
        assert!(parse_key(&t, " ").is_err());
        assert!(parse_key(&t, "tenant,").is_err());
    }
}
