//! A table card on the canvas: header (dragged to move) and one row per column.

use leptos::prelude::*;
use model::Uuid;
use model::history::Mark;

use super::state::{Editor, TableView};

pub use layout::{CARD_WIDTH, HEADER_HEIGHT, ROW_HEIGHT, card_height};

#[component]
pub fn TableCard(editor: Editor, view: TableView, detailed: Memo<bool>) -> impl IntoView {
    let TableView {
        id,
        table,
        pos,
        selected,
        selected_by,
    } = view;
    let label = {
        let table = table.clone();
        move || table.with(|t| format!("Table {}", t.name))
    };
    let title = {
        let table = table.clone();
        move || {
            table.with(|t| {
                if editor.logical.get() && !t.logical_name.is_empty() {
                    t.logical_name.clone()
                } else {
                    t.name.clone()
                }
            })
        }
    };
    let color = {
        let table = table.clone();
        move || table.with(|t| model::shown_color(&t.color).to_string())
    };
    let transform = move || {
        let (x, y) = pos.get();
        format!("translate({x}px, {y}px)")
    };
    // Others who have this table selected: outlined in the first one's colour, named above.
    let others = {
        let selected_by = selected_by.clone();
        move || selected_by.get()
    };
    let outline = {
        let selected_by = selected_by.clone();
        move || selected_by.with(|by| by.first().map(|(color, _)| color.clone()))
    };
    let open = move |_| {
        editor.select([id]);
        editor.open_table.set(Some(id));
    };
    // Zoomed far out the card keeps its size and shows its name only, large enough to read
    // (the canvas sets the font size for the zoom), breaking after underscores.
    let far_name = {
        let title = title.clone();
        move || title().replace('_', "_\u{200b}")
    };
    let far_height = {
        let table = table.clone();
        move || {
            (!detailed.get()).then(|| format!("{}px", table.with(|t| card_height(t.columns.len()))))
        }
    };
    let mark = mark_class(editor.table_mark(id));
    view! {
        <div
            class=format!("table-card {mark}")
            class:selected=move || selected.get()
            class:far=move || !detailed.get()
            style:height=far_height
            class:peer-selected={
                let selected_by = selected_by.clone();
                move || selected_by.with(|by| !by.is_empty())
            }
            style:--peer=outline
            role="group"
            aria-label=label
            data-table-id=id.to_string()
            style:transform=transform
            style:--card-color=color
            on:dblclick=open
        >
            <div class="card-head" data-drag-table=id.to_string()>
                {move || detailed.get().then(title.clone())}
            </div>
            {move || {
                (!detailed.get())
                    .then(|| view! { <div class="far-name" data-drag-table=id.to_string()>{far_name.clone()}</div> })
            }}
            {move || {
                let others = others();
                (!others.is_empty()).then(|| {
                    let names = others.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ");
                    view! { <span class="peer-tag" title=format!("Selected by {names}")>{names.clone()}</span> }
                })
            }}
            {(!editor.read_only).then(|| view! {
                <div
                    class="connector"
                    data-connect=id.to_string()
                    title="Drag to the parent table to add a relationship"
                    aria-hidden="true"
                ></div>
            })}
            {move || {
                let table = table.clone();
                detailed.get().then(|| view! {
                    <ul class="card-columns">
                        <Rows editor id table />
                    </ul>
                })
            }}
        </div>
    }
}

#[component]
fn Rows(editor: Editor, id: Uuid, table: ArcRwSignal<model::Table>) -> impl IntoView {
    move || {
        let fks = editor.foreign_keys(id);
        let logical = editor.logical.get();
        table.with(|t| {
            t.columns
                .iter()
                .map(|c| {
                    let name = if logical && !c.logical_name.is_empty() {
                        c.logical_name.clone()
                    } else {
                        c.name.clone()
                    };
                    let keys = [
                        (c.primary_key, "PK", "key pk"),
                        (fks.contains(&c.id), "FK", "key fk"),
                        (c.unique && !c.primary_key, "UQ", "key uq"),
                    ];
                    let mark = mark_class(editor.column_mark(c.id));
                    view! {
                        <li class=format!("card-column {mark}") class:is-pk=c.primary_key data-column-id=c.id.to_string()>
                            <span class="keys">
                                {keys
                                    .into_iter()
                                    .filter(|(on, _, _)| *on)
                                    .map(|(_, text, class)| view! { <span class=class>{text}</span> })
                                    .collect_view()}
                            </span>
                            <span class="col-name">{name}</span>
                            <span class="col-type">{c.data_type.clone()}</span>
                            <span class="col-null" title="NOT NULL">
                                {if c.nullable { "" } else { "NN" }}
                            </span>
                        </li>
                    }
                })
                .collect_view()
        })
    }
}

/// The class a comparison's mark gives a card or a row.
fn mark_class(mark: Option<Mark>) -> &'static str {
    match mark {
        None => "",
        Some(Mark::Added) => "mark-added",
        Some(Mark::Removed) => "mark-removed",
        Some(Mark::Changed) => "mark-changed",
    }
}
