//! A table card on the canvas: header (dragged to move) and one row per column.

use leptos::prelude::*;
use model::Uuid;
use model::history::Mark;

use super::state::{Editor, TableView};

pub use layout::{CARD_WIDTH, HEADER_HEIGHT, ROW_HEIGHT, card_height};

#[component]
pub fn TableCard(
    editor: Editor,
    view: TableView,
    detailed: Memo<bool>,
    far_font: Memo<f64>,
) -> impl IntoView {
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
    // The name the card goes by, and in both names the logical one beside it.
    let names = {
        let table = table.clone();
        move || {
            let names = editor.names.get();
            table.with(|t| {
                let (first, second) = names.pick(&t.name, &t.logical_name);
                (first.to_string(), second.map(str::to_string))
            })
        }
    };
    let title = {
        let names = names.clone();
        move || names().0
    };
    let head = move || {
        let (first, second) = names();
        view! {
            {first}
            {second.map(|s| view! { <span class="logical">{s}</span> })}
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
    // (the canvas gives the size for the zoom), smaller when the card is too small to hold it,
    // breaking after underscores.
    let far_name = {
        let title = title.clone();
        move || title().replace('_', "_\u{200b}")
    };
    let far_size = {
        let (table, title) = (table.clone(), title.clone());
        move || {
            let rows = table.with(|t| t.columns.len());
            let size = fitted(far_font.get(), title().chars().count(), card_height(rows));
            format!("{size:.0}px")
        }
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
                {move || detailed.get().then(head.clone())}
            </div>
            {move || {
                (!detailed.get())
                    .then(|| view! {
                        <div class="far-name" data-drag-table=id.to_string() style:font-size=far_size.clone()>
                            {far_name.clone()}
                        </div>
                    })
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
        let names = editor.names.get();
        table.with(|t| {
            t.columns
                .iter()
                .map(|c| {
                    let (name, logical) = names.pick(&c.name, &c.logical_name);
                    let name = name.to_string();
                    let logical = logical.map(|l| view! { <span class="logical">{l.to_string()}</span> });
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
                            <span class="col-name">{name}{logical}</span>
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

/// The font size (world units) for a far card's name of `chars` characters on a card `height`
/// high: `wanted`, or less when the name would not fit. For each number of lines the name might
/// take, the size that lets it fit across and down; the largest of those.
fn fitted(wanted: f64, chars: usize, height: f64) -> f64 {
    // The name's room: the card less its band and padding. An average character is about 0.6
    // of the font size wide, a bold one more; a line 1.08 high (the stylesheet's) plus a little.
    let (width, room) = (CARD_WIDTH - 20.0, height - FAR_BAND - 6.0);
    let chars = chars.max(1) as f64;
    let best = (1..=8)
        .map(|lines| {
            let per_line = (chars / f64::from(lines)).ceil();
            (width / (0.64 * per_line)).min(room / (1.16 * f64::from(lines)))
        })
        .fold(0.0, f64::max);
    wanted.min(best)
}

/// The height of a far card's colour band (`.table-card.far .card-head` in the stylesheet).
pub const FAR_BAND: f64 = 10.0;

/// The class a comparison's mark gives a card or a row.
fn mark_class(mark: Option<Mark>) -> &'static str {
    match mark {
        None => "",
        Some(Mark::Added) => "mark-added",
        Some(Mark::Removed) => "mark-removed",
        Some(Mark::Changed) => "mark-changed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_far_name_gets_the_wanted_size_unless_its_card_is_too_small() {
        // A short name on a tall card: as wanted.
        assert_eq!(fitted(52.0, 5, card_height(6)), 52.0);
        // A long name on a card of one row: smaller, and it fits on the lines it takes.
        let size = fitted(52.0, 30, card_height(1));
        assert!(size < 52.0 && size > 10.0, "{size}");
        let room = card_height(1) - FAR_BAND - 6.0;
        let per_line = ((CARD_WIDTH - 20.0) / (0.64 * size)).floor();
        let lines = (30.0 / per_line).ceil();
        assert!(
            lines * 1.12 * size <= room + 1e-9,
            "{lines} lines of {size}"
        );
    }
}
