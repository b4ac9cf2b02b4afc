//! Sticky notes on the canvas: typed in place, moved by their top strip, resized by the corner.

use leptos::prelude::*;
use model::{Note, NotePatch, Op, Uuid};
use wasm_bindgen::JsCast;

use super::state::Editor;
use super::toolbar::canvas_size;
use super::viewport::snap;

/// Note colours, cycled by the colour button.
const COLORS: [&str; 4] = ["#fef3c7", "#dcfce7", "#dbeafe", "#fce7f3"];

/// Adds a note at the centre of the view.
pub fn add_note(editor: Editor) {
    let (w, h) = canvas_size();
    let (x, y) = editor.viewport.get_untracked().to_world(w / 2.0, h / 2.0);
    let mut note = Note::new("", snap(x - 100.0), snap(y - 60.0));
    note.color = COLORS[0].to_string();
    let id = note.id;
    if editor.try_edit(Op::AddNote { note, at: None }) {
        request_animation_frame(move || {
            let selector = format!("[data-note-id=\"{id}\"] textarea");
            if let Some(area) = document()
                .query_selector(&selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = area.focus();
            }
        });
    }
}

/// What a pointer drag on a note changes.
#[derive(Clone, Copy)]
enum Grip {
    Move,
    Resize,
}

#[component]
pub fn StickyNote(editor: Editor, id: Uuid) -> impl IntoView {
    let note = Memo::new(move |_| {
        editor
            .notes
            .with(|n| n.iter().find(|n| n.id == id).cloned())
    });
    // The box shown; it follows the pointer during a drag and the document otherwise.
    let frame = RwSignal::new((0.0, 0.0, 0.0, 0.0));
    Effect::new(move |_| {
        if let Some(n) = note.get() {
            frame.set((n.x, n.y, n.width, n.height));
        }
    });
    let drag = StoredValue::new(None::<(Grip, (f64, f64), (f64, f64, f64, f64))>);
    let start = move |grip: Grip| {
        move |ev: web_sys::PointerEvent| {
            // Read-only, a press on a note pans the canvas like a press beside it.
            if editor.read_only {
                return;
            }
            ev.stop_propagation();
            ev.prevent_default();
            if let Some(target) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = target.set_pointer_capture(ev.pointer_id());
            }
            drag.set_value(Some((
                grip,
                (f64::from(ev.client_x()), f64::from(ev.client_y())),
                frame.get_untracked(),
            )));
        }
    };
    let moving = move |ev: web_sys::PointerEvent| {
        let Some((grip, (sx, sy), (x, y, w, h))) = drag.get_value() else {
            return;
        };
        let zoom = editor.viewport.get_untracked().zoom;
        let (dx, dy) = (
            (f64::from(ev.client_x()) - sx) / zoom,
            (f64::from(ev.client_y()) - sy) / zoom,
        );
        frame.set(match grip {
            Grip::Move => (x + dx, y + dy, w, h),
            Grip::Resize => (x, y, (w + dx).max(120.0), (h + dy).max(60.0)),
        });
    };
    let end = move |_: web_sys::PointerEvent| {
        if drag.get_value().is_none() {
            return;
        }
        drag.set_value(None);
        let (x, y, width, height) = frame.get_untracked();
        let (x, y) = if editor.snap.get_untracked() {
            (snap(x), snap(y))
        } else {
            (x, y)
        };
        let unchanged = note.with_untracked(|n| {
            n.as_ref()
                .is_some_and(|n| (n.x, n.y, n.width, n.height) == (x, y, width, height))
        });
        if !unchanged {
            let patch = NotePatch {
                x: Some(x),
                y: Some(y),
                width: Some(width),
                height: Some(height),
                ..Default::default()
            };
            editor.try_edit(Op::UpdateNote { note_id: id, patch });
        }
    };
    let recolor = move |_| {
        let current =
            note.with_untracked(|n| n.as_ref().map(|n| n.color.clone()).unwrap_or_default());
        let next = COLORS
            .iter()
            .position(|c| *c == current)
            .map_or(0, |i| (i + 1) % COLORS.len());
        let patch = NotePatch {
            color: Some(COLORS[next].to_string()),
            ..Default::default()
        };
        editor.try_edit(Op::UpdateNote { note_id: id, patch });
    };
    view! {
        <div
            class="note"
            data-note-id=id.to_string()
            role="note"
            style:transform=move || { let (x, y, _, _) = frame.get(); format!("translate({x}px, {y}px)") }
            style:width=move || format!("{}px", frame.get().2)
            style:height=move || format!("{}px", frame.get().3)
            style:background=move || note.with(|n| n.as_ref().map(|n| model::shown_color(&n.color).to_string()).unwrap_or_default())
            on:pointermove=moving
            on:pointerup=end
            on:pointercancel=end
        >
            <div class="note-head" on:pointerdown=start(Grip::Move) title=(!editor.read_only).then_some("Drag to move")>
                {(!editor.read_only).then(|| view! {
                    <button class="note-color" aria-label="Note colour" on:pointerdown=|ev| ev.stop_propagation() on:click=recolor></button>
                    <button
                        class="icon"
                        aria-label="Delete note"
                        on:pointerdown=|ev| ev.stop_propagation()
                        on:click=move |_| { editor.try_edit(Op::RemoveNote { note_id: id }); }
                    >
                        "×"
                    </button>
                })}
            </div>
            <textarea
                aria-label="Note"
                readonly=editor.read_only
                placeholder="Note…"
                prop:value=move || note.with(|n| n.as_ref().map(|n| n.text.clone()).unwrap_or_default())
                on:pointerdown=|ev| ev.stop_propagation()
                on:change=move |ev| {
                    let patch = NotePatch { text: Some(event_target_value(&ev)), ..Default::default() };
                    editor.try_edit(Op::UpdateNote { note_id: id, patch });
                }
            ></textarea>
            {(!editor.read_only).then(|| view! {
                <div class="note-resize" aria-hidden="true" on:pointerdown=start(Grip::Resize)></div>
            })}
        </div>
    }
}
