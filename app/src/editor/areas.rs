//! Subject areas on the canvas and in their panel. An area is drawn as a frame round its tables
//! (it has no place of its own), so it follows them as they move; dragging its name band moves
//! all of them. The panel makes areas from the selection, renames and recolours them, filters
//! the canvas to some of them, and zooms to one.

use leptos::prelude::*;
use model::{Area, AreaPatch, Op, TablePatch, Uuid};

use super::card::{CARD_WIDTH, card_height};
use super::panel::reset;
use super::state::Editor;
use super::toolbar::canvas_size;
use super::viewport::Viewport;

pub use layout::{AREA_HEADER, AREA_PADDING};

/// Colours new areas take in turn (a person may pick any other).
const PALETTE: [&str; 8] = [
    "#2563eb", "#059669", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626",
];

/// The tables of area `id`, in document order.
pub fn members(editor: Editor, id: Uuid) -> Vec<Uuid> {
    editor.with_doc(|d| {
        d.tables
            .iter()
            .filter(|t| t.area == Some(id))
            .map(|t| t.id)
            .collect()
    })
}

/// The frame of area `id` in world units (left, top, right, bottom), following its tables'
/// positions and sizes as they change; `None` while it has no tables.
fn frame(editor: Editor, tables: &[Uuid]) -> Option<(f64, f64, f64, f64)> {
    tables
        .iter()
        .filter_map(|id| editor.view(*id))
        .map(|v| {
            let (x, y) = v.pos.get();
            let rows = v.table.with(|t| t.columns.len());
            (x, y, x + CARD_WIDTH, y + card_height(rows))
        })
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
        .map(|(x0, y0, x1, y1)| {
            (
                x0 - AREA_PADDING,
                y0 - AREA_PADDING - AREA_HEADER,
                x1 + AREA_PADDING,
                y1 + AREA_PADDING,
            )
        })
}

/// The colour an area is drawn in: its own, else one of the palette by its place.
pub(super) fn shown_color(area: &Area, at: usize) -> String {
    match model::shown_color(&area.color) {
        "" => PALETTE[at % PALETTE.len()].to_string(),
        color => color.to_string(),
    }
}

/// Every area's frame, under the lines and cards.
#[component]
pub fn AreaLayer(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .areas
            .with(|a| a.iter().map(|a| a.id).collect::<Vec<_>>())
    };
    // Names stay readable zoomed out: about 14 screen pixels high, up to a limit.
    let label_size = Memo::new(move |_| {
        let zoom = editor.viewport.with(|v| v.zoom);
        (14.0 / zoom).clamp(14.0, 120.0).round()
    });
    view! {
        <For each=ids key=|id| *id children=move |id| view! { <AreaFrame editor id label_size /> } />
    }
}

#[component]
fn AreaFrame(editor: Editor, id: Uuid, label_size: Memo<f64>) -> impl IntoView {
    let area = Memo::new(move |_| {
        editor.areas.with(|l| {
            l.iter()
                .position(|a| a.id == id)
                .map(|at| (l[at].name.clone(), shown_color(&l[at], at)))
        })
    });
    let tables = Memo::new(move |_| {
        editor.edits.track();
        members(editor, id)
    });
    let shown = move || editor.area_filter.with(|f| f.is_empty() || f.contains(&id));
    let bounds = Memo::new(move |_| tables.with(|t| frame(editor, t)));
    move || {
        let (x0, y0, x1, y1) = bounds.get().filter(|_| shown())?;
        let (name, color) = area.get()?;
        Some(view! {
            <div
                class="area-frame"
                data-area-id=id.to_string()
                style:left=format!("{x0}px")
                style:top=format!("{y0}px")
                style:width=format!("{}px", x1 - x0)
                style:height=format!("{}px", y1 - y0)
                style:--area-color=color
            >
                <div
                    class="area-label"
                    data-drag-area=id.to_string()
                    title="Drag to move the area's tables"
                    style:font-size=move || format!("{}px", label_size.get())
                >
                    {name}
                </div>
            </div>
        })
    }
}

/// Puts `tables` in area `area` (or, `None`, in none), as one undoable edit.
fn put_in(editor: Editor, tables: Vec<Uuid>, area: Option<Uuid>) -> bool {
    let ops: Vec<Op> = editor.with_doc(|d| {
        tables
            .into_iter()
            .filter(|id| d.table(*id).is_some_and(|t| t.area != area))
            .map(|table_id| Op::UpdateTable {
                table_id,
                patch: TablePatch {
                    area: Some(area),
                    ..TablePatch::default()
                },
            })
            .collect()
    });
    !ops.is_empty() && editor.try_edit(Op::Batch { ops })
}

/// A new area holding the selected tables, named `Area 1`, `Area 2` … (the first free name).
fn new_area(editor: Editor) {
    let (name, at) = editor.with_doc(|d| {
        let name = (1..)
            .map(|n| format!("Area {n}"))
            .find(|n| d.areas.iter().all(|a| a.name != *n))
            .unwrap_or_default();
        (name, d.areas.len())
    });
    let mut area = Area::new(name);
    area.color = PALETTE[at % PALETTE.len()].to_string();
    let area_id = area.id;
    let mut ops = vec![Op::AddArea { area, at: None }];
    ops.extend(
        editor
            .selected()
            .into_iter()
            .map(|table_id| Op::UpdateTable {
                table_id,
                patch: TablePatch {
                    area: Some(Some(area_id)),
                    ..TablePatch::default()
                },
            }),
    );
    editor.try_edit(Op::Batch { ops });
}

/// Shows the whole of area `id` in the view.
fn zoom_to(editor: Editor, id: Uuid) {
    if let Some(bounds) = frame(editor, &members(editor, id)) {
        let (w, h) = canvas_size();
        editor.viewport.set(Viewport::fit(bounds, w, h));
    }
}

/// The subject areas panel, on the left of the canvas.
#[component]
pub fn AreasPanel(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .areas
            .with(|a| a.iter().map(|a| a.id).collect::<Vec<_>>())
    };
    let selected = move || editor.selection_size.get();
    let filtered = move || !editor.area_filter.with(Vec::is_empty);
    view! {
        <aside class="panel areas-panel" aria-label="Subject areas">
            <div class="panel-head">
                <h2>"Subject areas"</h2>
                <button class="icon" aria-label="Close subject areas" on:click=move |_| editor.areas_open.set(false)>
                    "×"
                </button>
            </div>
            <p class="muted small panel-note">
                "An area frames its tables: drag its name to move them together. Auto layout keeps each area's tables together."
            </p>
            {(!editor.read_only).then(|| view! {
                <div class="panel-actions top">
                    <button class="primary" on:click=move |_| new_area(editor)>
                        {move || match selected() {
                            0 => "New area".to_string(),
                            n => format!("New area from {n} selected"),
                        }}
                    </button>
                </div>
            })}
            {move || filtered().then(|| view! {
                <p class="filter-note" role="status">
                    "The canvas shows only the checked areas. "
                    <button class="link" on:click=move |_| editor.area_filter.set(Vec::new())>"Show all tables"</button>
                </p>
            })}
            {move || editor.areas.with(Vec::is_empty).then(|| view! {
                <p class="muted small panel-note">"No areas yet: select some tables and make one."</p>
            })}
            <ul class="area-list">
                <For each=ids key=|id| *id children=move |id| view! { <AreaRow editor id /> } />
            </ul>
        </aside>
    }
}

#[component]
fn AreaRow(editor: Editor, id: Uuid) -> impl IntoView {
    let current = Memo::new(move |_| {
        editor.areas.with(|l| {
            l.iter()
                .position(|a| a.id == id)
                .map(|at| (l[at].clone(), shown_color(&l[at], at)))
        })
    });
    let count = Memo::new(move |_| {
        editor.edits.track();
        members(editor, id).len()
    });
    let name = move || current.with(|a| a.as_ref().map(|a| a.0.name.clone()).unwrap_or_default());
    let color = move || current.with(|a| a.as_ref().map(|a| a.1.clone()).unwrap_or_default());
    let update = move |ev: leptos::ev::Event, patch: fn(String) -> AreaPatch, old: String| {
        let patch = patch(event_target_value(&ev));
        if !editor.try_edit(Op::UpdateArea { area_id: id, patch }) {
            reset(&ev, &old);
        }
    };
    let checked = move || editor.area_filter.with(|f| f.contains(&id));
    let toggle = move |_| {
        editor
            .area_filter
            .update(|f| match f.iter().position(|a| *a == id) {
                Some(at) => {
                    f.remove(at);
                }
                None => f.push(id),
            })
    };
    let tables_label = move || match count.get() {
        1 => "1 table".to_string(),
        n => format!("{n} tables"),
    };
    view! {
        <li class="area-row" style:--area-color=color>
            <input
                type="checkbox"
                aria-label=move || format!("Show only area {}", name())
                title="Show only the checked areas on the canvas"
                prop:checked=checked
                on:change=toggle
            />
            <input
                type="color"
                aria-label=move || format!("Colour of area {}", name())
                disabled=editor.read_only
                prop:value=color
                on:change=move |ev| update(ev, |v| AreaPatch { color: Some(v), ..AreaPatch::default() }, color())
            />
            <input
                class="area-name"
                aria-label="Area name"
                disabled=editor.read_only
                prop:value=name
                on:change=move |ev| update(ev, |v| AreaPatch { name: Some(v.trim().to_string()), ..AreaPatch::default() }, name())
            />
            <div class="area-actions">
            <span class="muted small count">{tables_label}</span>
            <button class="small" title="Show the whole area" disabled=move || { count.get() == 0 } on:click=move |_| zoom_to(editor, id)>
                "Zoom to"
            </button>
            {(!editor.read_only).then(|| view! {
                <button
                    class="small"
                    title="Put the selected tables in this area"
                    disabled=move || { editor.selection_size.get() == 0 }
                    on:click=move |_| {
                        put_in(editor, editor.selected(), Some(id));
                    }
                >
                    "Add selected"
                </button>
                <button
                    class="icon"
                    aria-label=move || format!("Delete area {}", name())
                    title="Delete the area (its tables stay)"
                    on:click=move |_| {
                        editor.try_edit(Op::RemoveArea { area_id: id });
                    }
                >
                    "×"
                </button>
            })}
            </div>
        </li>
    }
}

/// The table panel's choice of area.
#[component]
pub fn AreaField(editor: Editor, table: Uuid) -> impl IntoView {
    let current = Memo::new(move |_| {
        editor.edits.track();
        editor.with_doc(|d| d.table(table).and_then(|t| t.area))
    });
    let change = move |ev: leptos::ev::Event| {
        let area = Uuid::parse_str(&event_target_value(&ev)).ok();
        put_in(editor, vec![table], area);
    };
    view! {
        <label for="table-area">"Area"</label>
        <select id="table-area" disabled=editor.read_only on:change=change>
            <option value="" selected=move || current.get().is_none()>"None"</option>
            {move || editor.areas.get().into_iter().map(|a| {
                let id = a.id;
                view! {
                    <option value=id.to_string() selected=move || current.get() == Some(id)>{a.name}</option>
                }
            }).collect_view()}
        </select>
    }
}
