//! The editor's toolbar: diagram name, history, view controls, the save status (or the
//! read-only badge), sharing and the account menu.

use std::cell::Cell;

use leptos::prelude::*;
use model::{Op, Table};

use super::save::SaveStatus;
use super::state::{Editor, Names};
use super::viewport::{Viewport, snap};
use crate::client;
use crate::session::AccountMenu;

thread_local! {
    static CANVAS_SIZE: Cell<Option<(f64, f64)>> = const { Cell::new(None) };
}

/// Canvas size in CSS pixels (the canvas fills the space under the toolbar). Measured once and
/// kept until the window is resized (`forget_canvas_size`): measuring in the middle of a pan or
/// zoom frame would force the browser to lay the page out again.
pub fn canvas_size() -> (f64, f64) {
    if let Some(size) = CANVAS_SIZE.get() {
        return size;
    }
    let measured = document()
        .query_selector(".canvas")
        .ok()
        .flatten()
        .map(|c| (f64::from(c.client_width()), f64::from(c.client_height())))
        .filter(|&(w, h)| w > 0.0 && h > 0.0);
    CANVAS_SIZE.set(measured);
    measured.unwrap_or((1200.0, 800.0))
}

/// Makes the next `canvas_size` measure again.
pub fn forget_canvas_size() {
    CANVAS_SIZE.set(None);
}

/// Adds a table at the centre of the view, selected, with its editor open and its name focused.
pub fn add_table(editor: Editor) {
    let (w, h) = canvas_size();
    // The panel that opens covers the right of the canvas: centre in what stays visible.
    let visible = w - (w * 0.62).min(760.0);
    let (cx, cy) = editor
        .viewport
        .get_untracked()
        .to_world(visible / 2.0, h / 2.0);
    let mut table = Table::new(editor.fresh_table_name());
    let v = editor.viewport.get_untracked();
    let (x0, y0) = v.to_world(0.0, 0.0);
    let (x1, y1) = v.to_world(visible, h);
    let (x, y) = free_spot(
        &editor.boxes(),
        cx - super::card::CARD_WIDTH / 2.0,
        cy - 40.0,
        (x0, y0, x1, y1),
    );
    table.x = snap(x);
    table.y = snap(y);
    let id = table.id;
    if editor.try_edit(Op::AddTable { table, at: None }) {
        editor.select([id]);
        editor.open_table.set(Some(id));
        request_animation_frame(|| {
            use wasm_bindgen::JsCast;
            if let Some(input) = document()
                .get_element_by_id("table-name")
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let _ = input.focus();
                input.select();
            }
        });
    }
}

/// The free place nearest `(x, y)` for a new card, searching rings of card-sized steps outwards:
/// the nearest one within `view` (left, top, right, bottom), else the nearest one.
fn free_spot(
    boxes: &[(model::Uuid, f64, f64, f64, f64)],
    x: f64,
    y: f64,
    (left, top, right, bottom): (f64, f64, f64, f64),
) -> (f64, f64) {
    let (w, h) = (super::card::CARD_WIDTH, super::card::card_height(1));
    let gap = 30.0;
    let free = |cx: f64, cy: f64| {
        !boxes.iter().any(|(_, bx, by, bw, bh)| {
            cx < bx + bw + gap && cx + w + gap > *bx && cy < by + bh + gap && cy + h + gap > *by
        })
    };
    let mut outside = None;
    for ring in 0..40i32 {
        // The ring's places, nearest first: straight below or above before a diagonal.
        let mut places: Vec<(f64, f64)> = (-ring..=ring)
            .flat_map(|dy| (-ring..=ring).map(move |dx| (dx, dy)))
            .filter(|(dx, dy)| dx.abs() == ring || dy.abs() == ring)
            .map(|(dx, dy)| (x + f64::from(dx) * (w + gap), y + f64::from(dy) * (h + gap)))
            .collect();
        places.sort_by(|a, b| {
            (a.0 - x)
                .hypot(a.1 - y)
                .total_cmp(&(b.0 - x).hypot(b.1 - y))
        });
        for (cx, cy) in places.into_iter().filter(|&(cx, cy)| free(cx, cy)) {
            if cx >= left && cx + w <= right && cy >= top && cy + h <= bottom {
                return (cx, cy);
            }
            outside.get_or_insert((cx, cy));
        }
    }
    outside.unwrap_or((x, y))
}

pub fn fit_to_screen(editor: Editor) {
    let boxes = editor.boxes();
    if boxes.is_empty() {
        editor.viewport.set(Viewport::default());
        return;
    }
    let bounds = boxes.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(x0, y0, x1, y1), (_, x, y, w, h)| (x0.min(*x), y0.min(*y), x1.max(x + w), y1.max(y + h)),
    );
    let (w, h) = canvas_size();
    editor.viewport.set(Viewport::fit(bounds, w, h));
}

/// Lays every table out again (layered by foreign keys), as one undoable move, and shows it all.
/// Arranges the tables `scope` names, one undoable step; the whole diagram is fitted to the view
/// after, but for a selection, which is arranged where it was.
pub fn auto_layout(editor: Editor, scope: Arrange) {
    let doc = editor.document();
    let selection = editor.selected();
    let scope = match scope {
        Arrange::All => layout::Scope::All,
        Arrange::Selection => layout::Scope::Only(&selection),
        Arrange::KeepPlaced => layout::Scope::KeepPlaced,
    };
    let moves: Vec<_> = layout::arrange(&doc, scope)
        .into_iter()
        .filter(|m| {
            doc.table(m.table_id)
                .is_some_and(|t| (t.x, t.y, t.placed) != (m.x, m.y, m.by_hand))
        })
        .collect();
    if !moves.is_empty()
        && editor.try_edit(Op::MoveTables { moves })
        && !matches!(scope, layout::Scope::Only(_))
    {
        fit_to_screen(editor);
    }
}

/// What the Auto layout menu arranges.
#[derive(Clone, Copy)]
pub enum Arrange {
    All,
    Selection,
    KeepPlaced,
}

/// Auto layout of the whole diagram, of the selection, or of all but the tables placed by hand.
#[component]
fn LayoutMenu(editor: Editor) -> impl IntoView {
    let open = RwSignal::new(false);
    // Read when the menu opens: whether any table was placed by hand.
    let any_placed = RwSignal::new(false);
    let item = move |label: &'static str, scope: Arrange, enabled: Signal<bool>| {
        view! {
            <button role="menuitem" disabled=move || !enabled.get() on:click=move |_| {
                open.set(false);
                auto_layout(editor, scope);
            }>{label}</button>
        }
    };
    let opened = move || any_placed.set(editor.with_doc(|d| d.tables.iter().any(|t| t.placed)));
    view! {
        <ToolbarMenu name="Auto layout" title="Arrange tables by their relationships" open opened>
            {item("All tables", Arrange::All, Signal::derive(|| true))}
            {item(
                "Selected tables",
                Arrange::Selection,
                Signal::derive(move || editor.selection_size.get() >= 2),
            )}
            {item("All but tables placed by hand", Arrange::KeepPlaced, any_placed.into())}
        </ToolbarMenu>
    }
}

fn zoom_by(editor: Editor, factor: f64) {
    let (w, h) = canvas_size();
    editor
        .viewport
        .update(|v| *v = v.zoom_at(factor, w / 2.0, h / 2.0));
}

#[component]
pub fn Toolbar(
    editor: Editor,
    dialogs: super::Dialogs,
    history: super::history::History,
) -> impl IntoView {
    let rename = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if !editor.try_edit(Op::RenameDiagram { name }) {
            editor.name.update(|_| {});
        }
    };
    let status = editor.saver.status;
    let name = if editor.read_only {
        view! {
            <h1 class="title" aria-label="Diagram name" title=move || editor.name.get()>
                {move || editor.name.get()}
            </h1>
        }
        .into_any()
    } else {
        view! {
            <input
                class="title"
                aria-label="Diagram name"
                prop:value=move || editor.name.get()
                on:change=rename
            />
        }
        .into_any()
    };
    // While another version is shown, the diagram's own edits rest; before the page runs in the
    // browser, a click on them would do nothing, so they wait for it.
    let ready = crate::forms::hydrated();
    let viewing = move || history.shown.with(Option::is_some);
    let editing = (!editor.read_only).then(|| {
        view! {
            <fieldset class="tool-group" disabled=move || viewing() || !ready.get()>
                <button class="primary" on:click=move |_| add_table(editor) title="Add table (T)">
                    "Add table"
                </button>
                <button
                    class="toggle"
                    aria-pressed=move || editor.linking.get().is_some().to_string()
                    title="Add relationship (R): click the child table, then the parent"
                    on:click=move |_| {
                        editor.open_table.set(None);
                        editor.linking.update(|l| *l = if l.is_some() { None } else { Some(None) });
                    }
                >
                    "Add relationship"
                </button>
                <button on:click=move |_| super::notes::add_note(editor) title="Add a sticky note">
                    "Add note"
                </button>
                <LayoutMenu editor />
                <span class="sep"></span>
                <button class="icon-text" aria-label="Undo" on:click=move |_| editor.undo() disabled=move || !editor.can_undo.get() title="Undo (Ctrl+Z)">
                    "↶"
                </button>
                <button class="icon-text" aria-label="Redo" on:click=move |_| editor.redo() disabled=move || !editor.can_redo.get() title="Redo (Ctrl+Shift+Z)">
                    "↷"
                </button>
                <span class="sep"></span>
            </fieldset>
        }
    });
    // Read-only there is nothing to save: the badge says why nothing can be changed instead.
    let state = if editor.read_only {
        view! {
            <span class="badge read-only-badge" title=READ_ONLY_NOTE>"Read-only"</span>
            <span class="sr-only">{READ_ONLY_NOTE}</span>
        }
        .into_any()
    } else {
        view! {
            <div role="status" class=move || status_class(&status.get())>
                {move || status.get().label()}
            </div>
        }
        .into_any()
    };
    view! {
        <header class="toolbar">
            <a class="brand-icon" href="/" aria-label="All diagrams" title="All diagrams">
                <img src="/pkg/favicon.svg" alt="" width="22" height="22" />
            </a>
            {name}
            <div class="tools" role="toolbar" aria-label="Editor tools">
                {editing}
                <ViewMenu editor />
                {left_panel("Dictionary", "Words, terms and domains: the naming standard, and the checks of names against it", editor.dictionary_open, editor.areas_open)}
                {left_panel("Areas", "Subject areas: named regions that group tables; filter the canvas to some of them", editor.areas_open, editor.dictionary_open)}
            </div>
            <super::search::SearchField editor />
            <button
                class="toolbar-button toggle"
                aria-pressed=move || history.open.get().to_string()
                title="Revisions, named versions, compare and restore"
                on:click=move |_| {
                    let open = !history.open.get_untracked();
                    history.open.set(open);
                    if !open {
                        history.shown.set(None);
                    }
                }
            >
                "History"
            </button>
            <FileMenu dialogs editing=!editor.read_only viewing=Signal::derive(viewing) />
            {state}
            <super::presence::ConnectionBadge editor />
            <super::presence::PeopleList editor />
            // Someone holding only a link does not see who has the diagram.
            {(!client::has_link_token()).then(|| view! {
                <button class="share-button" on:click=move |_| dialogs.share.set(true)>"Share"</button>
            })}
            <AccountMenu />
        </header>
        {move || match status.get() {
            SaveStatus::Conflict(message) => Some(view! { <p class="notice" role="alert">{message}</p> }),
            _ => None,
        }}
        {move || editor.problem.get().map(|p| view! { <p class="notice warn" role="alert">{p}</p> })}
    }
    .into_any()
}

/// A toggle for one of the panels on the canvas's left (the dictionary, the areas): opening it
/// closes `other`, which takes the same place.
fn left_panel(
    label: &'static str,
    title: &'static str,
    open: RwSignal<bool>,
    other: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <button
            class="toggle"
            aria-pressed=move || open.get().to_string()
            title=title
            on:click=move |_| {
                other.set(false);
                open.update(|o| *o = !*o);
            }
        >
            {label}
        </button>
    }
}

/// What the read-only badge means.
const READ_ONLY_NOTE: &str = "You can view and export this diagram, not change it.";

/// Zoom out, the zoom level (click for 100 %), zoom in and fit, floating over the canvas.
#[component]
pub fn ZoomControls(editor: Editor) -> impl IntoView {
    view! {
        <div class="zoom-controls" role="toolbar" aria-label="Zoom">
            <button class="icon-text" aria-label="Zoom out" title="Zoom out" on:click=move |_| zoom_by(editor, 1.0 / 1.25)>"−"</button>
            <button class="zoom" aria-label="Reset zoom" title="Reset zoom to 100%" on:click=move |_| {
                let zoom = editor.viewport.get_untracked().zoom;
                zoom_by(editor, 1.0 / zoom)
            }>
                {move || format!("{:.0}%", editor.viewport.get().zoom * 100.0)}
            </button>
            <button class="icon-text" aria-label="Zoom in" title="Zoom in" on:click=move |_| zoom_by(editor, 1.25)>"+"</button>
            <button class="icon-text" aria-label="Fit to screen" title="Fit to screen" on:click=move |_| fit_to_screen(editor)>"⤢"</button>
        </div>
    }
}

fn status_class(status: &SaveStatus) -> &'static str {
    match status {
        SaveStatus::Saved => "save saved",
        SaveStatus::Saving => "save saving",
        SaveStatus::Offline => "save offline",
        SaveStatus::Conflict(_) => "save conflict",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_card_goes_to_the_nearest_free_place_in_view() {
        let taken = [(model::Uuid::nil(), 0.0, 0.0, 240.0, 108.0)];
        let step = super::super::card::card_height(1) + 30.0;
        // Anywhere allowed: straight above, the nearest free place.
        let anywhere = (-1e6, -1e6, 1e6, 1e6);
        assert_eq!(free_spot(&taken, 0.0, 0.0, anywhere), (0.0, -step));
        // Above and to the left are out of view, below is taken: to the right.
        assert_eq!(
            free_spot(&taken, 0.0, 0.0, (-10.0, -10.0, 1000.0, 1000.0)),
            (270.0, 0.0)
        );
        // Nothing free in view: the nearest free place all the same.
        assert_eq!(
            free_spot(&taken, 0.0, 0.0, (0.0, 0.0, 240.0, 108.0)),
            (0.0, -step)
        );
    }
}

/// How the canvas shows the diagram: physical, logical or both names; snapping to the grid.
/// A person's view, not part of the document.
#[component]
fn ViewMenu(editor: Editor) -> impl IntoView {
    let open = RwSignal::new(false);
    let mark = |on: bool| view! { <span class="check-mark" aria-hidden="true">{if on { "✓" } else { "" }}</span> };
    let names = move |label: &'static str, which: Names| {
        let chosen = move || editor.names.get() == which;
        view! {
            <button
                role="menuitemradio"
                aria-checked=move || chosen().to_string()
                on:click=move |_| editor.names.set(which)
            >
                {move || mark(chosen())}
                {label}
            </button>
        }
    };
    let snap = move || {
        (!editor.read_only).then(|| {
            view! {
                <button
                    role="menuitemcheckbox"
                    aria-checked=move || editor.snap.get().to_string()
                    on:click=move |_| editor.snap.update(|v| *v = !*v)
                >
                    {move || mark(editor.snap.get())}
                    "Snap to grid"
                </button>
            }
        })
    };
    view! {
        <ToolbarMenu name="View" title="Physical, logical or both names on the cards; snapping to the grid" open opened=|| ()>
            {names("Physical names", Names::Physical)}
            {names("Logical names", Names::Logical)}
            {names("Both names", Names::Both)}
            {snap()}
        </ToolbarMenu>
    }
}

/// Import and the exports (SQL, migration, image), and the webhooks that push changes out,
/// behind one toolbar button, so that the toolbar fits. Import and webhooks are for editors;
/// import rests while another version is shown.
#[component]
fn FileMenu(dialogs: super::Dialogs, editing: bool, viewing: Signal<bool>) -> impl IntoView {
    let open = RwSignal::new(false);
    let item = move |label: &'static str, dialog: RwSignal<bool>, disabled: Signal<bool>| {
        view! {
            <button role="menuitem" disabled=move || disabled.get() on:click=move |_| {
                open.set(false);
                dialog.set(true);
            }>{label}</button>
        }
    };
    let never = Signal::derive(|| false);
    view! {
        <ToolbarMenu name="File" title="Import SQL; export SQL, a migration or an image; webhooks" open opened=|| ()>
            {editing.then(|| item("Import SQL…", dialogs.import, viewing))}
            {item("Export SQL", dialogs.export, never)}
            {item("Export migration", dialogs.migration, never)}
            {item("Export image", dialogs.image, never)}
            {editing.then(|| item("Webhooks…", dialogs.webhooks, never))}
        </ToolbarMenu>
    }
}

/// A toolbar button `name ▾` opening a menu of its children; `opened` runs as it opens. Escape
/// or a click outside closes it. The menu is placed fixed under the button: the tool group
/// scrolls sideways when the window is narrow, and would clip a menu positioned inside it.
#[component]
fn ToolbarMenu(
    name: &'static str,
    title: &'static str,
    open: RwSignal<bool>,
    opened: impl Fn() + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    let at = RwSignal::new((0.0, 0.0));
    let toggle = move |_| {
        if !open.get_untracked() {
            opened();
            if let Some(b) = button.get_untracked() {
                let r = b.get_bounding_client_rect();
                at.set((r.left(), r.bottom() + 4.0));
            }
        }
        open.update(|o| *o = !*o);
    };
    view! {
        <div class="menu-wrap" on:keydown=move |ev| {
            if ev.key() == "Escape" {
                open.set(false);
            }
        }>
            <button
                class="toolbar-button"
                aria-haspopup="menu"
                aria-expanded=move || open.get().to_string()
                title=title
                on:click=toggle
                node_ref=button
            >
                {format!("{name} ▾")}
            </button>
            {move || open.get().then(|| view! {
                <div class="menu-catch" on:click=move |_| open.set(false)></div>
                <div
                    class="menu"
                    role="menu"
                    aria-label=name
                    style:position="fixed"
                    style:left=move || format!("{}px", at.get().0)
                    style:top=move || format!("{}px", at.get().1)
                >
                    {children()}
                </div>
            })}
        </div>
    }
}
