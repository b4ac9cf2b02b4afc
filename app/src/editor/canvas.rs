//! The canvas: pan, zoom, selection and dragging of table cards.

use leptos::prelude::*;
use model::Uuid;
use wasm_bindgen::JsCast;

use std::collections::HashSet;

use super::areas::AreaLayer;
use super::card::TableCard;
use super::lines::{LineLayer, geometry, line_at};
use super::notes::StickyNote;
use super::presence::Pointers;
use super::relate;
use super::state::Editor;
use super::toolbar::canvas_size;
use super::viewport::snap;

/// What the pointer is doing since it went down.
#[derive(Clone, Default)]
enum Gesture {
    #[default]
    Idle,
    /// Moving the view; a background click without movement clears the selection.
    Pan {
        start: (f64, f64),
        origin: (f64, f64),
        moved: bool,
    },
    /// Moving tables by their header: each table's start position.
    Drag {
        start: (f64, f64),
        tables: Vec<(Uuid, f64, f64)>,
    },
    /// Selecting with a rubber band, in world coordinates.
    Band { start: (f64, f64) },
    /// Drawing a relationship from a card's connector to the table under the pointer.
    Link { child: Uuid },
}

#[component]
pub fn Canvas(editor: Editor, space_held: RwSignal<bool>) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Div>::new();
    let gesture = StoredValue::new(Gesture::Idle);
    let band = RwSignal::new(None::<(f64, f64, f64, f64)>);
    let link_preview = RwSignal::new(None::<((f64, f64), (f64, f64))>);
    // The tables being dragged: their lines are drawn on a layer of their own meanwhile.
    let moving = RwSignal::new(HashSet::<Uuid>::new());
    let viewport = editor.viewport;
    // Level of detail: zoomed far out, cards show their name only.
    let detailed = Memo::new(move |_| viewport.get().zoom >= DETAIL_ZOOM);
    // True from a change of zoom (wheel, pinch or buttons) until the zoom has rested for SETTLE.
    // Meanwhile the world is a layer of its own: the compositor scales what is already drawn
    // instead of drawing every card again at each step; cards and lines are drawn sharp once
    // it rests. No card is mounted or unmounted meanwhile (tables coming into view show as
    // boxes on the line canvas until then), so zooming back out mounts none.
    let zooming = RwSignal::new(false);
    let zoom_changes = StoredValue::new(0u64);
    Effect::new(move |before: Option<f64>| {
        let zoom = viewport.with(|v| v.zoom);
        if before.is_some_and(|z| z != zoom) {
            if !zooming.get_untracked() {
                zooming.set(true);
            }
            zoom_changes.update_value(|n| *n += 1);
            let this = zoom_changes.get_value();
            set_timeout(
                move || {
                    if zoom_changes.get_value() == this {
                        zooming.set(false);
                    }
                },
                SETTLE,
            );
        }
        zoom
    });
    // A far card's name, about FAR_TEXT screen pixels high at the zoom at rest (set again once
    // a zoom rests, not at each step of it).
    let far_font = Memo::new(move |_| {
        zooming.track();
        let zoom = viewport.with_untracked(|v| v.zoom);
        (FAR_TEXT / zoom).min(FAR_TEXT_MAX).round()
    });
    let visible =
        Memo::new(move |before: Option<&Vec<Uuid>>| visible_tables(editor, before, zooming.get()));
    // The cards mounted follow the visible ones, at most MOUNT_PER_FRAME new ones a frame, so
    // panning onto new ground spreads the work over frames instead of stalling one. While the
    // zoom moves none is mounted: the line canvas shows the missing ones as plain boxes, and
    // their cards follow once it rests.
    let mounted = RwSignal::new(visible.get_untracked());
    let mount_scheduled = StoredValue::new(false);
    Effect::new(move |_| {
        visible.track();
        zooming.track();
        // A step already asked for takes the new set into account.
        if !mount_scheduled.get_value() {
            mount_step(editor, visible, mounted, mount_scheduled, zooming);
        }
    });
    let all_mounted = Memo::new(move |_| {
        mounted.with(|m| {
            let m: HashSet<&Uuid> = m.iter().collect();
            visible.with(|v| m.len() == v.len() && v.iter().all(|id| m.contains(id)))
        })
    });
    // Relationships with at least one end near the view; filtered to some areas, only those
    // between tables shown.
    let near = Memo::new(move |_| {
        let near: HashSet<Uuid> = visible.with(|v| v.iter().copied().collect());
        let shown: Option<HashSet<Uuid>> = (!editor.area_filter.with(Vec::is_empty))
            .then(|| editor.boxes().into_iter().map(|(id, ..)| id).collect());
        let both = |r: &model::Relationship| {
            shown
                .as_ref()
                .is_none_or(|s| s.contains(&r.child_table) && s.contains(&r.parent_table))
        };
        editor.relationships.with(|rels| {
            rels.iter()
                .filter(|r| near.contains(&r.child_table) || near.contains(&r.parent_table))
                .filter(|r| both(r))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // Their routes: they follow the tables' positions and shapes, not the view.
    let routes = Memo::new(move |_| near.with(|near| geometry(editor, near, detailed.get())));
    // The line under a point of the canvas (screen pixels), within a few pixels.
    let line_under = move |(x, y): (f64, f64)| {
        let v = viewport.get_untracked();
        let (wx, wy) = v.to_world(x, y);
        routes.with_untracked(|lines| line_at(lines, wx, wy, LINE_REACH / v.zoom))
    };

    // Pointer position relative to the canvas.
    let local = move |ev: &web_sys::PointerEvent| -> (f64, f64) {
        let rect = canvas.get_untracked().map(|c| c.get_bounding_client_rect());
        let (left, top) = rect.map(|r| (r.left(), r.top())).unwrap_or_default();
        (
            f64::from(ev.client_x()) - left,
            f64::from(ev.client_y()) - top,
        )
    };

    let pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 && ev.button() != 1 {
            return;
        }
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let closest = |selector: &str| {
            target
                .as_ref()
                .and_then(|t| t.closest(selector).ok().flatten())
        };
        let at = local(&ev);
        let card_id = closest(".table-card").and_then(|c| {
            c.get_attribute("data-table-id")
                .and_then(|s| Uuid::parse_str(&s).ok())
        });
        if let Some(step) = editor.linking.get_untracked() {
            // The Add relationship tool: first the child, then the parent; elsewhere cancels.
            match (step, card_id) {
                (None, Some(child)) => {
                    editor.select([child]);
                    editor.linking.set(Some(Some(child)));
                }
                (Some(child), Some(parent)) => {
                    editor.linking.set(None);
                    relate::link(editor, child, parent);
                }
                _ => editor.linking.set(None),
            }
            ev.prevent_default();
            return;
        }
        editor.selected_rel.set(None);
        // Read-only, a press on a card's header selects it like anywhere on the card: no drag.
        let can_edit = !editor.read_only;
        let next = if let Some(child) = closest("[data-connect]")
            .filter(|_| can_edit)
            .and_then(|c| c.get_attribute("data-connect"))
            .and_then(|s| Uuid::parse_str(&s).ok())
        {
            let start = viewport.get_untracked().to_world(at.0, at.1);
            link_preview.set(Some((start, start)));
            Gesture::Link { child }
        } else if space_held.get_untracked() || ev.button() == 1 {
            pan(at, viewport.get_untracked())
        } else if let Some(area) = closest("[data-drag-area]")
            .filter(|_| can_edit)
            .and_then(|a| a.get_attribute("data-drag-area"))
            .and_then(|s| Uuid::parse_str(&s).ok())
        {
            // An area's name band moves the area: all of its tables, selected.
            let members = super::areas::members(editor, area);
            editor.select(members.iter().copied());
            let tables: Vec<(Uuid, f64, f64)> = members
                .into_iter()
                .filter_map(|id| editor.view(id).map(|v| (id, v.pos.get_untracked())))
                .map(|(id, (x, y))| (id, x, y))
                .collect();
            moving.set(tables.iter().map(|(id, ..)| *id).collect());
            Gesture::Drag { start: at, tables }
        } else if let Some(head) = closest("[data-drag-table]").filter(|_| can_edit) {
            let Some(id) = head
                .get_attribute("data-drag-table")
                .and_then(|s| Uuid::parse_str(&s).ok())
            else {
                return;
            };
            if ev.shift_key() {
                editor.toggle_selected(id);
            } else if !editor.is_selected(id) {
                editor.select([id]);
            }
            let mut tables: Vec<(Uuid, f64, f64)> = editor
                .selected()
                .into_iter()
                .filter_map(|id| editor.view(id).map(|v| (id, v.pos.get_untracked())))
                .map(|(id, (x, y))| (id, x, y))
                .collect();
            // The table held goes first: it is the one snapped to the grid.
            tables.sort_by_key(|(table, ..)| *table != id);
            moving.set(tables.iter().map(|(id, ..)| *id).collect());
            Gesture::Drag { start: at, tables }
        } else if let Some(id) = card_id {
            if ev.shift_key() {
                editor.toggle_selected(id);
            } else {
                editor.select([id]);
            }
            Gesture::Idle
        } else if let Some(rel) = closest(".note").is_none().then(|| line_under(at)).flatten() {
            editor.select([]);
            editor.open_table.set(None);
            editor.selected_rel.set(Some(rel));
            Gesture::Idle
        } else if ev.shift_key() {
            let start = viewport.get_untracked().to_world(at.0, at.1);
            band.set(Some((start.0, start.1, start.0, start.1)));
            Gesture::Band { start }
        } else {
            pan(at, viewport.get_untracked())
        };
        if !matches!(next, Gesture::Idle) {
            if let Some(c) = canvas.get_untracked() {
                let _ = c.set_pointer_capture(ev.pointer_id());
            }
            ev.prevent_default();
        }
        gesture.set_value(next);
    };

    let pointer_move = move |ev: web_sys::PointerEvent| {
        let at = local(&ev);
        let (x, y) = viewport.get_untracked().to_world(at.0, at.1);
        editor.live.pointer(Some(model::api::live::Point { x, y }));
        gesture.update_value(|g| match g {
            Gesture::Idle => {
                // Hovering a line highlights it and the columns it joins (not over a card);
                // hovering a card, that table's lines.
                let over = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|t| t.closest(".table-card, .note").ok().flatten());
                let table = over
                    .as_ref()
                    .and_then(|c| c.get_attribute("data-table-id"))
                    .and_then(|s| Uuid::parse_str(&s).ok());
                if editor.hovered_table.get_untracked() != table {
                    editor.hovered_table.set(table);
                }
                let hit = if over.is_some() { None } else { line_under(at) };
                if editor.hovered_rel.get_untracked() != hit {
                    editor.hovered_rel.set(hit);
                }
            }
            Gesture::Pan {
                start,
                origin,
                moved,
            } => {
                let (dx, dy) = (at.0 - start.0, at.1 - start.1);
                *moved |= dx.abs() + dy.abs() > 3.0;
                viewport.update(|v| {
                    v.x = origin.0 + dx;
                    v.y = origin.1 + dy;
                });
            }
            Gesture::Drag { start, tables } => {
                let zoom = viewport.get_untracked().zoom;
                let (dx, dy) = ((at.0 - start.0) / zoom, (at.1 - start.1) / zoom);
                // Snapping moves the first table onto the grid and the others by as much, so
                // tables dragged together keep their places to one another.
                let (dx, dy) = match tables.first() {
                    Some((_, x, y)) if editor.snap.get_untracked() => {
                        (snap(x + dx) - x, snap(y + dy) - y)
                    }
                    _ => (dx, dy),
                };
                for (id, x, y) in tables.iter() {
                    if let Some(view) = editor.view(*id) {
                        view.pos.set((x + dx, y + dy));
                    }
                }
            }
            Gesture::Band { start } => {
                let end = viewport.get_untracked().to_world(at.0, at.1);
                band.set(Some((start.0, start.1, end.0, end.1)));
            }
            Gesture::Link { .. } => {
                let end = viewport.get_untracked().to_world(at.0, at.1);
                link_preview.update(|l| {
                    if let Some((_, to)) = l {
                        *to = end;
                    }
                });
            }
        });
    };

    let pointer_up = move |ev: web_sys::PointerEvent| {
        match gesture.get_value() {
            Gesture::Link { child } => {
                link_preview.set(None);
                // The pointer is captured by the canvas: find the card under it by position.
                let parent = document()
                    .element_from_point(ev.client_x() as f32, ev.client_y() as f32)
                    .and_then(|e| e.closest(".table-card").ok().flatten())
                    .and_then(|c| c.get_attribute("data-table-id"))
                    .and_then(|s| Uuid::parse_str(&s).ok());
                if let Some(parent) = parent {
                    relate::link(editor, child, parent);
                }
            }
            Gesture::Pan { moved: false, .. } => editor.select([]),
            Gesture::Drag { tables, .. } => {
                let ids: Vec<Uuid> = tables.iter().map(|(id, _, _)| *id).collect();
                editor.commit_moves(&ids);
                moving.set(HashSet::new());
            }
            Gesture::Band { .. } => {
                if let Some((x0, y0, x1, y1)) = band.get_untracked() {
                    let (left, right) = (x0.min(x1), x0.max(x1));
                    let (top, bottom) = (y0.min(y1), y0.max(y1));
                    let inside = editor.boxes().into_iter().filter(|(_, x, y, w, h)| {
                        *x < right && x + w > left && *y < bottom && y + h > top
                    });
                    editor.select(inside.map(|(id, ..)| id));
                }
                band.set(None);
            }
            _ => {}
        }
        gesture.set_value(Gesture::Idle);
    };

    let wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let rect = canvas.get_untracked().map(|c| c.get_bounding_client_rect());
        let (left, top) = rect.map(|r| (r.left(), r.top())).unwrap_or_default();
        let (sx, sy) = (
            f64::from(ev.client_x()) - left,
            f64::from(ev.client_y()) - top,
        );
        // Pinch gestures arrive as ctrl+wheel with small deltas: zoom faster for them.
        let speed = if ev.ctrl_key() { 0.01 } else { 0.0015 };
        let factor = (-ev.delta_y() * speed).exp();
        viewport.update(|v| *v = v.zoom_at(factor, sx, sy));
    };

    // The dotted grid is a layer of its own, a cell larger than the canvas on each side: panning
    // moves it by less than a cell (the compositor's work, no repaint); only zoom repaints it.
    let cell = Memo::new(move |_| {
        let mut size = 20.0 * viewport.get().zoom;
        while size < 10.0 {
            size *= 5.0;
        }
        size
    });
    let grid_size = move || format!("{0}px {0}px", cell.get());
    let grid_shift = move || {
        let (v, size) = (viewport.get(), cell.get());
        let shift = |at: f64| (at + GRID_BLEED).rem_euclid(size) - GRID_BLEED;
        format!("translate({}px, {}px)", shift(v.x), shift(v.y))
    };

    view! {
        <div
            class="canvas"
            class:panning=move || space_held.get()
            class:linking=move || editor.linking.get().is_some()
            class:over-line=move || editor.hovered_rel.get().is_some()
            class:zooming=move || zooming.get()
            node_ref=canvas
            on:pointerdown=pointer_down
            on:pointermove=pointer_move
            on:pointerup=pointer_up
            on:pointercancel=pointer_up
            on:pointerleave=move |_| {
                if editor.hovered_rel.get_untracked().is_some() {
                    editor.hovered_rel.set(None);
                }
                if editor.hovered_table.get_untracked().is_some() {
                    editor.hovered_table.set(None);
                }
                editor.live.pointer(None);
            }
            on:wheel=wheel
        >
            <div class="dot-grid" aria-hidden="true" style:background-size=grid_size style:transform=grid_shift></div>
            <div class="world" style:transform=move || viewport.get().transform()>
                <AreaLayer editor />
                <LineLayer editor routes moving zooming mounted all_mounted detailed />
                <Pointers editor />
                <svg class="preview-box" aria-hidden="true">
                    {move || {
                        link_preview.get().map(|((x0, y0), (x1, y1))| {
                            view! { <path class="link-preview" d=format!("M{x0} {y0}L{x1} {y1}")></path> }
                        })
                    }}
                </svg>
                <For
                    each=move || mounted.get()
                    key=|id| *id
                    children=move |id| {
                        editor.view(id).map(|view| view! { <TableCard editor view detailed far_font /> })
                    }
                />
                <For
                    each=move || editor.notes.with(|n| n.iter().map(|n| n.id).collect::<Vec<_>>())
                    key=|id| *id
                    children=move |id| view! { <StickyNote editor id /> }
                />
                {move || {
                    band.get()
                        .map(|(x0, y0, x1, y1)| {
                            view! {
                                <div
                                    class="band"
                                    style:left=format!("{}px", x0.min(x1))
                                    style:top=format!("{}px", y0.min(y1))
                                    style:width=format!("{}px", (x1 - x0).abs())
                                    style:height=format!("{}px", (y1 - y0).abs())
                                ></div>
                            }
                        })
                }}
            </div>
        </div>
    }
    .into_any()
}

/// How far the grid layer reaches beyond the canvas on each side: more than its largest cell.
const GRID_BLEED: f64 = 64.0;
/// How close to a line (in screen pixels) the pointer must be to hover or pick it.
const LINE_REACH: f64 = 6.0;
/// How long the zoom must rest before cards and lines are drawn sharp at the new zoom.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(150);
/// Below this zoom cards drop their column rows: unreadable there, and costly by the thousand.
const DETAIL_ZOOM: f64 = 0.5;
/// The screen size of a far card's name, and the most it may take in world units (beyond it,
/// zoomed out further, names shrink with the cards).
const FAR_TEXT: f64 = 13.0;
const FAR_TEXT_MAX: f64 = 64.0;
/// Up to this many tables every card is rendered; above it, only those near the view.
const RENDER_ALL: usize = 200;
/// How far beyond the visible area cards are kept, in screen pixels.
const OVERSCAN: f64 = 400.0;
/// The rendered region grows in steps of this many screen pixels.
const TILE: f64 = 600.0;

/// The tables to render, in document order: all of them in small diagrams, else those whose box
/// meets the view (recomputed as the view moves and as the document changes, not during a drag).
/// The cards already rendered stay while they cover what is needed and are not too many more (or
/// while zooming): zooming in and back out, or panning to and fro, then mounts nothing.
fn visible_tables(editor: Editor, before: Option<&Vec<Uuid>>, zooming: bool) -> Vec<Uuid> {
    editor.edits.track();
    editor.area_filter.track();
    // The tables shown (the area filter's, or all), measured once: this runs at each pan step.
    let boxes = editor.boxes();
    if boxes.len() <= RENDER_ALL {
        return boxes.into_iter().map(|(id, ..)| id).collect();
    }
    let v = editor.viewport.get();
    let (w, h) = canvas_size();
    // Widened to whole tiles, so small moves of the view keep the same set (no remounting).
    let (x0, y0) = v.to_world(-OVERSCAN, -OVERSCAN);
    let (x1, y1) = v.to_world(w + OVERSCAN, h + OVERSCAN);
    // The tile size only changes when the zoom crosses a power of two.
    let tile = TILE / 2f64.powi(v.zoom.log2().round() as i32);
    let (x0, y0) = ((x0 / tile).floor() * tile, (y0 / tile).floor() * tile);
    let (x1, y1) = ((x1 / tile).ceil() * tile, (y1 / tile).ceil() * tile);
    let needed: Vec<Uuid> = boxes
        .iter()
        .filter(|(_, x, y, bw, bh)| *x < x1 && x + bw > x0 && *y < y1 && y + bh > y0)
        .map(|(id, ..)| *id)
        .collect();
    if let Some(before) = before
        && (zooming || before.len() <= 2 * needed.len() + RENDER_ALL)
    {
        let kept: HashSet<Uuid> = before.iter().copied().collect();
        let exists: HashSet<Uuid> = boxes.iter().map(|(id, ..)| *id).collect();
        if needed.iter().all(|id| kept.contains(id)) && kept.iter().all(|id| exists.contains(id)) {
            return before.clone();
        }
    }
    needed
}

/// How many cards may be mounted in one frame when more become visible.
const MOUNT_PER_FRAME: usize = 16;

/// Moves the mounted cards one step toward the visible ones: drops those no longer visible and
/// adds at most `MOUNT_PER_FRAME` of the missing ones, nearest the view's centre first (all of
/// them when none is mounted yet); then asks for another step next frame while some are missing.
/// While the zoom moves it only drops the cards of deleted tables. The mounted list is in
/// mounting order, not document order.
fn mount_step(
    editor: Editor,
    visible: Memo<Vec<Uuid>>,
    mounted: RwSignal<Vec<Uuid>>,
    scheduled: StoredValue<bool>,
    zooming: RwSignal<bool>,
) {
    scheduled.set_value(false);
    if zooming.get_untracked() {
        // Only tables deleted meanwhile lose their cards; the rest waits for the zoom to rest.
        let kept: Vec<Uuid> = mounted.with_untracked(|m| {
            m.iter()
                .filter(|id| editor.view(**id).is_some())
                .copied()
                .collect()
        });
        if mounted.with_untracked(|m| m.len() != kept.len()) {
            mounted.set(kept);
        }
        return;
    }
    let target = visible.get_untracked();
    let current: HashSet<Uuid> = mounted.with_untracked(|m| m.iter().copied().collect());
    let missing: HashSet<Uuid> = target
        .iter()
        .filter(|id| !current.contains(id))
        .copied()
        .collect();
    let admitted: HashSet<Uuid> = if current.is_empty() || missing.len() <= MOUNT_PER_FRAME {
        missing.clone()
    } else {
        let (w, h) = canvas_size();
        let (cx, cy) = editor.viewport.get_untracked().to_world(w / 2.0, h / 2.0);
        let mut nearest: Vec<(f64, Uuid)> = editor
            .boxes()
            .into_iter()
            .filter(|(id, ..)| missing.contains(id))
            .map(|(id, x, y, bw, bh)| ((x + bw / 2.0 - cx).hypot(y + bh / 2.0 - cy), id))
            .collect();
        nearest.sort_by(|a, b| a.0.total_cmp(&b.0));
        nearest
            .into_iter()
            .take(MOUNT_PER_FRAME)
            .map(|(_, id)| id)
            .collect()
    };
    // Kept cards keep their order and new ones go last: inserting among them would make the
    // keyed list move the cards after, and a moved card is styled and laid out anew.
    let wanted: HashSet<Uuid> = target.iter().copied().collect();
    let mut next: Vec<Uuid> =
        mounted.with_untracked(|m| m.iter().filter(|id| wanted.contains(id)).copied().collect());
    next.extend(target.iter().filter(|id| admitted.contains(id)));
    let done = next.len() == target.len();
    if mounted.with_untracked(|m| *m != next) {
        mounted.set(next);
    }
    if !done && !scheduled.get_value() {
        scheduled.set_value(true);
        request_animation_frame(move || mount_step(editor, visible, mounted, scheduled, zooming));
    }
}

fn pan(at: (f64, f64), v: super::viewport::Viewport) -> Gesture {
    Gesture::Pan {
        start: at,
        origin: (v.x, v.y),
        moved: false,
    }
}
