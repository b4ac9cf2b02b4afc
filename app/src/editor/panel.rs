//! The table editor: a side panel with the table's fields and a keyboard-driven column grid.

use leptos::prelude::*;
use model::{Column, ColumnPatch, Op, Table, TablePatch, Uuid};
use wasm_bindgen::JsCast;

use super::state::Editor;

/// Common types offered while typing a data type (any text is accepted).
const TYPE_SUGGESTIONS: [&str; 22] = [
    "bigint",
    "int",
    "smallint",
    "serial",
    "bigserial",
    "numeric(10,2)",
    "decimal(10,2)",
    "real",
    "double precision",
    "boolean",
    "varchar(255)",
    "char(1)",
    "text",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "json",
    "jsonb",
    "uuid",
    "bytea",
    "blob",
];

#[component]
pub fn TablePanel(editor: Editor, id: Uuid) -> impl IntoView {
    let Some(view) = editor.view(id) else {
        return ().into_any();
    };
    let table = view.table;
    let field = {
        let table = table.clone();
        move |get: fn(&Table) -> String| {
            let table = table.clone();
            move || table.with(get)
        }
    };
    let update = move |ev: leptos::ev::Event, patch: fn(String) -> TablePatch, old: String| {
        let value = event_target_value(&ev);
        if !editor.try_edit(Op::UpdateTable {
            table_id: id,
            patch: patch(value),
        }) {
            reset(&ev, &old);
        }
    };
    let current = {
        let table = table.clone();
        move |get: fn(&Table) -> String| table.with_untracked(get)
    };
    let column_ids = {
        let table = table.clone();
        move || table.with(|t| t.columns.iter().map(|c| c.id).collect::<Vec<_>>())
    };
    // Read-only, every field is disabled and the buttons that change the table are left out;
    // `Editor::try_edit` refuses edits all the same.
    let add_column = move |_| {
        add_column_and_focus(editor, id);
    };
    let delete_table = move |_| {
        editor.try_edit(Op::RemoveTable { table_id: id });
    };
    let (c1, c2, c3, c4) = (current.clone(), current.clone(), current.clone(), current);
    // The column whose row is being dragged to a new place.
    let dragging = StoredValue::new(None::<Uuid>);
    // What the person is typing into is shown to the others (a field of the table, or of one of
    // its columns); leaving the panel ends it.
    let focus_in =
        move |ev: leptos::ev::FocusEvent| editor.live.set_editing(editor, editing_at(id, &ev));
    let focus_out = move |ev: leptos::ev::FocusEvent| {
        let inside = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| t.closest(".panel").ok().flatten().is_some());
        if !inside {
            editor.live.set_editing(editor, None);
        }
    };
    on_cleanup(move || editor.live.set_editing(editor, None));
    let table_editors = move || {
        let names = editor.live.editing(id, None);
        (!names.is_empty()).then(|| view! { <EditingTags names /> })
    };
    view! {
        <aside class="panel" aria-label="Table editor" on:focusin=focus_in on:focusout=focus_out>
            <div class="panel-head">
                <h2>"Table"</h2>
                {table_editors}
                <button class="icon" aria-label="Close editor" on:click=move |_| editor.open_table.set(None)>
                    "×"
                </button>
            </div>
            <div class="fields">
                <label for="table-name">"Table name"</label>
                <input
                    disabled=editor.read_only
                    id="table-name"
                    class="mono"
                    prop:value=field(|t| t.name.clone())
                    on:change=move |ev| update(ev, |v| TablePatch { name: Some(v), ..Default::default() }, c1(|t| t.name.clone()))
                />
                <label for="table-logical">"Logical name"</label>
                <input
                    disabled=editor.read_only
                    id="table-logical"
                    prop:value=field(|t| t.logical_name.clone())
                    on:input=move |ev| preview_name(editor, &ev, &current_table(editor, id), "#table-name")
                    on:change=move |ev| {
                        let patch = table_naming(editor, id, event_target_value(&ev));
                        if !editor.try_edit(Op::UpdateTable { table_id: id, patch }) {
                            reset(&ev, &c2(|t| t.logical_name.clone()));
                        }
                    }
                />
                <label for="table-comment">"Comment"</label>
                <input
                    disabled=editor.read_only
                    id="table-comment"
                    prop:value=field(|t| t.comment.clone())
                    on:change=move |ev| update(ev, |v| TablePatch { comment: Some(v), ..Default::default() }, c3(|t| t.comment.clone()))
                />
                <label for="table-color">"Color"</label>
                <input
                    disabled=editor.read_only
                    id="table-color"
                    type="color"
                    prop:value=field(|t| if t.color.is_empty() { "#2563eb".to_string() } else { t.color.clone() })
                    on:change=move |ev| update(ev, |v| TablePatch { color: Some(v), ..Default::default() }, c4(|t| t.color.clone()))
                />
                <super::areas::AreaField editor table=id />
            </div>
            <div class="grid-wrap">
                <table class="column-grid" on:keydown=move |ev| grid_keys(editor, id, ev)>
                    <thead>
                        <tr>
                            <th scope="col"><span class="sr-only">"Order"</span></th>
                            <th scope="col">"Column name"</th>
                            <th scope="col">"Logical name"</th>
                            <th scope="col">"Data type"</th>
                            <th scope="col" title="Primary key">"PK"</th>
                            <th scope="col" title="Not null">"NN"</th>
                            <th scope="col" title="Unique">"UQ"</th>
                            <th scope="col" title="Auto increment">"AI"</th>
                            <th scope="col" title="On update: the current time whenever the row changes (MySQL's ON UPDATE CURRENT_TIMESTAMP; date-time columns)">"OU"</th>
                            <th scope="col">"Default"</th>
                            <th scope="col">"Comment"</th>
                            <th scope="col"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=column_ids
                            key=|id| *id
                            children=move |column_id| view! { <ColumnRow editor table_id=id column_id dragging /> }
                        />
                    </tbody>
                </table>
                <datalist id="type-suggestions">
                    {TYPE_SUGGESTIONS.map(|t| view! { <option value=t></option> }).collect_view()}
                </datalist>
                <super::indexes::IndexList editor table_id=id />
                <super::checks::CheckList editor table_id=id />
            </div>
            {(!editor.read_only).then(|| view! {
                <div class="panel-actions">
                    <button on:click=add_column>"Add column"</button>
                    <button title="A copy beside it, with its foreign keys (Ctrl+D)" on:click=move |_| super::clipboard::duplicate(editor, &[id], true)>
                        "Duplicate"
                    </button>
                    <button title="A copy beside it, without foreign keys" on:click=move |_| super::clipboard::duplicate(editor, &[id], false)>
                        "Duplicate without keys"
                    </button>
                    <button class="danger" on:click=delete_table>"Delete table"</button>
                </div>
            })}
        </aside>
    }
    .into_any()
}

#[component]
fn ColumnRow(
    editor: Editor,
    table_id: Uuid,
    column_id: Uuid,
    dragging: StoredValue<Option<Uuid>>,
) -> impl IntoView {
    let Some(view) = editor.view(table_id) else {
        return ().into_any();
    };
    let table = view.table;
    let column = Memo::new(move |_| table.with(|t| t.column(column_id).cloned()));
    let text = move |get: fn(&Column) -> String| {
        move || column.with(|c| c.as_ref().map(get).unwrap_or_default())
    };
    // The value at creation, so the input is never empty between render and the first effect
    // (focus and select land on the real text).
    let initial = move |get: fn(&Column) -> String| {
        column.with_untracked(|c| c.as_ref().map(get).unwrap_or_default())
    };
    let flag = move |get: fn(&Column) -> bool| move || column.with(|c| c.as_ref().is_some_and(get));
    let patch_column = move |patch: ColumnPatch| {
        editor.try_edit(Op::UpdateColumn {
            table_id,
            column_id,
            patch,
        })
    };
    let on_text = move |make: fn(String) -> ColumnPatch, get: fn(&Column) -> String| {
        move |ev: leptos::ev::Event| {
            let old = column.with_untracked(|c| c.as_ref().map(get).unwrap_or_default());
            if !patch_column(make(event_target_value(&ev))) {
                reset(&ev, &old);
            }
        }
    };
    let on_flag = move |make: fn(bool) -> ColumnPatch| {
        move |ev: leptos::ev::Event| {
            patch_column(make(event_target_checked(&ev)));
        }
    };
    let delete = move |_| {
        editor.try_edit(Op::RemoveColumn {
            table_id,
            column_id,
        });
    };
    let name = text(|c| c.name.clone());
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(moving) = dragging.get_value().filter(|m| *m != column_id) else {
            return;
        };
        let to = editor
            .table(table_id)
            .and_then(|t| t.columns.iter().position(|c| c.id == column_id));
        if let Some(to) = to {
            editor.try_edit(Op::MoveColumn {
                table_id,
                column_id: moving,
                to,
            });
        }
        dragging.set_value(None);
    };
    view! {
        <tr
            data-column-id=column_id.to_string()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if dragging.get_value().is_some() && !editor.read_only {
                    ev.prevent_default();
                }
            }
            on:drop=drop
        >
            <td
                class="grip"
                class:edited-by-peer=move || !editor.live.editing(table_id, Some(column_id)).is_empty()
                draggable=(!editor.read_only).then_some("true")
                title=(!editor.read_only).then_some("Drag to reorder (or Alt+Up/Down)")
                on:dragstart=move |ev: leptos::ev::DragEvent| {
                    dragging.set_value(Some(column_id));
                    if let Some(data) = ev.data_transfer() {
                        let _ = data.set_data("text/plain", &column_id.to_string());
                        data.set_effect_allowed("move");
                    }
                }
                on:dragend=move |_| dragging.set_value(None)
            >
                "⠿"
                {move || {
                    let names = editor.live.editing(table_id, Some(column_id));
                    (!names.is_empty()).then(|| view! { <EditingTags names /> })
                }}
            </td>
            <td>
                <input
                    disabled=editor.read_only
                    class="mono"
                    data-field="name"
                    aria-label="Column name"
                    value=initial(|c| c.name.clone())
                    prop:value=name
                    on:change=on_text(|v| ColumnPatch { name: Some(v), ..Default::default() }, |c| c.name.clone())
                />
            </td>
            <td>
                <input
                    disabled=editor.read_only
                    data-field="logical_name"
                    aria-label="Logical name"
                    value=initial(|c| c.logical_name.clone())
                    prop:value=text(|c| c.logical_name.clone())
                    on:input=move |ev| {
                        if let Some(c) = column.get_untracked() {
                            preview_name(editor, &ev, &(c.name, c.logical_name), "[data-field=\"name\"]");
                        }
                    }
                    on:change=move |ev| {
                        let old = column.with_untracked(|c| c.as_ref().map(|c| c.logical_name.clone()).unwrap_or_default());
                        let patch = column_naming(editor, table_id, column_id, event_target_value(&ev));
                        if !patch.is_some_and(&patch_column) {
                            reset(&ev, &old);
                        }
                    }
                />
            </td>
            <td>
                <input
                    disabled=editor.read_only
                    class="mono"
                    data-field="data_type"
                    aria-label="Data type"
                    list="type-suggestions"
                    value=initial(|c| c.data_type.clone())
                    prop:value=text(|c| c.data_type.clone())
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let Some(c) = column.get_untracked() else { return };
                        // A type of one's own leaves the domain.
                        let leaves = c.domain.is_some() && value != c.data_type;
                        let patch = ColumnPatch {
                            data_type: Some(value),
                            domain: leaves.then_some(None),
                            ..Default::default()
                        };
                        if !patch_column(patch) {
                            reset(&ev, &c.data_type);
                        }
                    }
                />
            </td>
            <td class="check">
                <input
                    disabled=editor.read_only
                    type="checkbox"
                    data-field="primary_key"
                    aria-label="Primary key"
                    prop:checked=flag(|c| c.primary_key)
                    // A primary key is never null.
                    on:change=on_flag(|on| ColumnPatch {
                        primary_key: Some(on),
                        nullable: on.then_some(false),
                        ..Default::default()
                    })
                />
            </td>
            <td class="check">
                <input
                    disabled=editor.read_only
                    type="checkbox"
                    data-field="not_null"
                    aria-label="Not null"
                    prop:checked=flag(|c| !c.nullable)
                    on:change=on_flag(|on| ColumnPatch { nullable: Some(!on), ..Default::default() })
                />
            </td>
            <td class="check">
                <input
                    disabled=editor.read_only
                    type="checkbox"
                    data-field="unique"
                    aria-label="Unique"
                    prop:checked=flag(|c| c.unique)
                    on:change=on_flag(|on| ColumnPatch { unique: Some(on), ..Default::default() })
                />
            </td>
            <td class="check">
                <input
                    disabled=editor.read_only
                    type="checkbox"
                    data-field="auto_increment"
                    aria-label="Auto increment"
                    prop:checked=flag(|c| c.auto_increment)
                    on:change=on_flag(|on| ColumnPatch { auto_increment: Some(on), ..Default::default() })
                />
            </td>
            <td class="check">
                <input
                    // Only a date-time column can be stamped; one set so keeps its box to clear it.
                    disabled=move || editor.read_only || !flag(|c| c.on_update_now || is_date_time(&c.data_type))()
                    type="checkbox"
                    data-field="on_update_now"
                    aria-label="On update current timestamp"
                    prop:checked=flag(|c| c.on_update_now)
                    on:change=on_flag(|on| ColumnPatch { on_update_now: Some(on), ..Default::default() })
                />
            </td>
            <td>
                <input
                    disabled=editor.read_only
                    class="mono"
                    data-field="default"
                    aria-label="Default"
                    value=initial(|c| c.default.clone().unwrap_or_default())
                    prop:value=text(|c| c.default.clone().unwrap_or_default())
                    on:change=on_text(
                        |v| ColumnPatch { default: Some((!v.trim().is_empty()).then_some(v)), ..Default::default() },
                        |c| c.default.clone().unwrap_or_default(),
                    )
                />
            </td>
            <td>
                <input
                    disabled=editor.read_only
                    data-field="comment"
                    aria-label="Comment"
                    value=initial(|c| c.comment.clone())
                    prop:value=text(|c| c.comment.clone())
                    on:change=on_text(|v| ColumnPatch { comment: Some(v), ..Default::default() }, |c| c.comment.clone())
                />
            </td>
            <td class="check">
                {(!editor.read_only).then(|| view! {
                    <button class="icon" aria-label="Delete column" title="Delete column" on:click=delete>
                        "×"
                    </button>
                })}
            </td>
        </tr>
    }
    .into_any()
}

/// Whether a type holds a date and a time (`timestamp(3)`, `DATETIME`, `timestamptz`).
fn is_date_time(data_type: &str) -> bool {
    let t = data_type.trim_start().to_ascii_lowercase();
    ["timestamp", "datetime", "smalldatetime"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Names the editor gives new tables and columns, which the dictionary may replace.
fn is_placeholder(name: &str) -> bool {
    let numbered = |stem: &str| {
        name.strip_prefix(stem).is_some_and(|rest| {
            rest.is_empty()
                || rest
                    .strip_prefix('_')
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    name.is_empty() || numbered("column") || numbered("table")
}

/// Whether the physical `name` is the dictionary's to change: a placeholder, or what the
/// dictionary made of the old logical name (the person has not chosen it).
fn is_automatic(dictionary: &model::Dictionary, name: &str, old_logical: &str) -> bool {
    is_placeholder(name)
        || dictionary
            .name(old_logical)
            .physical
            .is_some_and(|p| p.eq_ignore_ascii_case(name))
}

/// While a logical name is typed: shows the physical name it gives in the name field of the
/// same row (`selector` within the closest row, or the document), unless the person chose one.
fn preview_name(
    editor: Editor,
    ev: &leptos::ev::Event,
    (name, old_logical): &(String, String),
    selector: &str,
) {
    let typed = event_target_value(ev);
    let shown = editor.with_doc(|d| {
        let dictionary = &d.dictionary;
        (dictionary.has_names() && is_automatic(dictionary, name, old_logical))
            .then(|| dictionary.name(&typed).physical)
            .flatten()
    });
    let Some(shown) = shown else {
        return;
    };
    let target = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let row = target.and_then(|t| t.closest("tr").ok().flatten());
    let field = match row {
        Some(row) => row.query_selector(selector).ok().flatten(),
        None => document().query_selector(selector).ok().flatten(),
    };
    if let Some(input) = field.and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.set_value(&shown);
    }
}

fn current_table(editor: Editor, id: Uuid) -> (String, String) {
    editor
        .table(id)
        .map(|t| (t.name, t.logical_name))
        .unwrap_or_default()
}

/// A table's new logical name, with the physical name it gives (unless the person chose one,
/// or another table has it).
fn table_naming(editor: Editor, id: Uuid, logical: String) -> TablePatch {
    editor.with_doc(|d| {
        let table = d.table(id);
        let name = table.and_then(|t| {
            let physical = d.dictionary.name(&logical).physical?;
            let free = d.table_named(t.schema.as_deref(), &physical).is_none();
            (free && is_automatic(&d.dictionary, &t.name, &t.logical_name)).then_some(physical)
        });
        TablePatch {
            logical_name: Some(logical),
            name,
            ..Default::default()
        }
    })
}

/// A column's new logical name, with the physical name it gives (unless the person chose one,
/// or another column has it) and its term's domain.
fn column_naming(
    editor: Editor,
    table_id: Uuid,
    column_id: Uuid,
    logical: String,
) -> Option<ColumnPatch> {
    editor.with_doc(|d| {
        let table = d.table(table_id)?;
        let c = table.column(column_id)?;
        let named = d.dictionary.name(&logical);
        let automatic = is_automatic(&d.dictionary, &c.name, &c.logical_name);
        let name = named
            .physical
            .filter(|p| automatic && table.column_named(p).is_none_or(|other| other.id == c.id));
        let domain = named
            .domain
            .filter(|id| c.domain != Some(*id) && (c.domain.is_none() || automatic));
        let domain = domain.and_then(|id| d.dictionary.domain(id));
        let mut patch = domain.map_or_else(ColumnPatch::default, |x| domain_patch(c, x));
        patch.logical_name = Some(logical);
        patch.name = name;
        Some(patch)
    })
}

/// Puts a column in its term's domain (its type, and its NOT NULL and default when it has them).
fn domain_patch(column: &Column, x: &model::Domain) -> ColumnPatch {
    ColumnPatch {
        domain: Some(Some(x.id)),
        data_type: Some(x.data_type.clone()),
        nullable: (x.not_null && column.nullable).then_some(false),
        default: x.default.clone().map(Some),
        ..Default::default()
    }
}

/// Puts an input back to `old` after the model refused the new value.
pub(super) fn reset(ev: &leptos::ev::Event, old: &str) {
    if let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value(old);
    }
}

/// Adds a column at the end (or after `after`) and puts the cursor in its name.
fn add_column_and_focus(editor: Editor, table_id: Uuid) {
    let Some(table) = editor.table(table_id) else {
        return;
    };
    let name = (1..)
        .map(|n| {
            if n == 1 {
                "column".to_string()
            } else {
                format!("column_{n}")
            }
        })
        .find(|n| table.column_named(n).is_none())
        .unwrap_or_default();
    let column = Column::new(name, "varchar(255)");
    let column_id = column.id;
    if editor.try_edit(Op::AddColumn {
        table_id,
        column,
        at: None,
    }) {
        focus_cell(column_id, "name");
    }
}

/// Focuses (and selects) a grid cell as soon as the DOM has caught up: right after the pending
/// render (a microtask), so keys typed at once land in it, or on the next frame at the latest.
pub fn focus_cell(column_id: Uuid, field: &'static str) {
    let focus = move || {
        let selector = format!("tr[data-column-id=\"{column_id}\"] [data-field=\"{field}\"]");
        let input = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        input.map(|input| {
            let _ = input.focus();
            input.select();
        })
    };
    queue_microtask(move || {
        if focus().is_none() {
            request_animation_frame(move || {
                focus();
            });
        }
    });
}

/// Spreadsheet keys in the grid: arrows move between rows, Enter goes down (adding a row at the
/// end), Alt+arrows move the column itself.
fn grid_keys(editor: Editor, table_id: Uuid, ev: leptos::ev::KeyboardEvent) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(field) = input.get_attribute("data-field") else {
        return;
    };
    let row = input.closest("tr").ok().flatten();
    let column_id = row
        .as_ref()
        .and_then(|r| r.get_attribute("data-column-id"))
        .and_then(|s| Uuid::parse_str(&s).ok());
    let (Some(row), Some(column_id)) = (row, column_id) else {
        return;
    };
    let Some(table) = editor.table(table_id) else {
        return;
    };
    let index = table
        .columns
        .iter()
        .position(|c| c.id == column_id)
        .unwrap_or(0);
    let key = ev.key();
    let field: &'static str = match field.as_str() {
        "name" => "name",
        "logical_name" => "logical_name",
        "data_type" => "data_type",
        "default" => "default",
        "comment" => "comment",
        "primary_key" => "primary_key",
        "not_null" => "not_null",
        "unique" => "unique",
        "on_update_now" => "on_update_now",
        _ => "auto_increment",
    };
    let neighbour = |offset: isize| {
        index
            .checked_add_signed(offset)
            .and_then(|i| table.columns.get(i))
            .map(|c| c.id)
    };
    match key.as_str() {
        "ArrowUp" | "ArrowDown" if ev.alt_key() => {
            ev.prevent_default();
            let to = if key == "ArrowUp" {
                index.checked_sub(1)
            } else {
                Some(index + 1)
            };
            if let Some(to) = to.filter(|to| *to < table.columns.len()) {
                // Commit what is typed first, so the move does not lose it.
                let _ = input.blur();
                editor.try_edit(Op::MoveColumn {
                    table_id,
                    column_id,
                    to,
                });
                focus_cell(column_id, field);
            }
        }
        "ArrowUp" | "ArrowDown" => {
            ev.prevent_default();
            if let Some(next) = neighbour(if key == "ArrowUp" { -1 } else { 1 }) {
                let _ = input.blur();
                focus_cell(next, field);
            }
        }
        "Enter" => {
            ev.prevent_default();
            let _ = input.blur();
            match neighbour(1) {
                Some(next) => focus_cell(next, field),
                None if row.next_element_sibling().is_none() => {
                    add_column_and_focus(editor, table_id)
                }
                None => {}
            }
        }
        _ => {}
    }
}

/// Names of the others editing a field here, in their colours.
#[component]
fn EditingTags(names: Vec<(String, String)>) -> impl IntoView {
    names
        .into_iter()
        .map(|(color, name)| {
            view! {
                <span class="editing-tag" style:--person=color title=format!("{name} is editing here")>
                    {format!("{name} is editing")}
                </span>
            }
        })
        .collect_view()
}

/// The field a focus event went into: its `data-field` (or the table field's id), and the
/// column whose row holds it.
fn editing_at(table: Uuid, ev: &leptos::ev::FocusEvent) -> Option<model::api::live::Editing> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let field = target
        .get_attribute("data-field")
        .or_else(|| target.id().strip_prefix("table-").map(str::to_string))?;
    let column = target
        .closest("tr[data-column-id]")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute("data-column-id"))
        .and_then(|id| Uuid::parse_str(&id).ok());
    Some(model::api::live::Editing {
        table,
        column,
        field,
    })
}
